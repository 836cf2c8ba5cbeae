package autostart

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/blotterapp/blotter/internal/blotter"
)

// On Windows the setting is a value under the current user's Run key, whose command lines
// Explorer runs at that user's login: the user's own, so no administrator is needed. Task
// Manager's Startup tab and Settings > Apps > Startup turn such a value off without removing
// it, in a binary value of the same name under approvedKey: its first byte odd (0x03, 0x07)
// is off; even, or no value, is on.
const (
	runKey      = `Software\Microsoft\Windows\CurrentVersion\Run`
	approvedKey = `Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run`
	valueName   = "Blotter"
)

// Path returns where the setting is, in the HKCU\… form that reg.exe takes.
func Path() (string, error) {
	return `HKCU\` + runKey + `\` + valueName, nil
}

// Enabled reports whether the value is there, starts this binary, and is not turned off in
// Task Manager: its command line's program must be this very file (os.SameFile, so another
// spelling of the path still counts). A value naming another copy, say an older install,
// starts that copy, not this one.
func Enabled() (bool, error) {
	line, err := runValue()
	if err != nil || line == "" {
		return false, err
	}
	if turnedOffInTaskManager() {
		return false, nil
	}
	argv, err := windows.DecomposeCommandLine(line)
	if err != nil || len(argv) == 0 {
		return false, nil // not a command line: it starts nothing of ours
	}
	self, err := appExecutable()
	if err != nil {
		return false, err
	}
	return sameFile(argv[0], self), nil
}

// runValue returns the command line in the value, "" when there is none (or it is no string).
func runValue() (string, error) {
	key, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", blotter.Errorf(blotter.EUNAVAILABLE, "cannot read HKCU\\%s: %v", runKey, err)
	}
	defer key.Close()
	line, kind, err := key.GetStringValue(valueName)
	if errors.Is(err, registry.ErrNotExist) || errors.Is(err, registry.ErrUnexpectedType) {
		return "", nil
	}
	if err != nil {
		return "", blotter.Errorf(blotter.EUNAVAILABLE, "cannot read HKCU\\%s\\%s: %v", runKey, valueName, err)
	}
	if kind == registry.EXPAND_SZ {
		// Explorer expands %VARIABLES% in such a value before running it.
		if line, err = registry.ExpandString(line); err != nil {
			return "", blotter.Errorf(blotter.EUNAVAILABLE, "cannot read HKCU\\%s\\%s: %v", runKey, valueName, err)
		}
	}
	return line, nil
}

// Enable writes the value that starts this binary with args at login, replacing one that is
// there. The program is this binary's full path, so that login starts this copy and not the
// one %PATH% finds.
func Enable(args []string) error {
	self, err := appExecutable()
	if err != nil {
		return err
	}
	quoted := []string{syscall.EscapeArg(self)}
	for _, a := range args {
		if strings.ContainsRune(a, 0) {
			return blotter.Errorf(blotter.EINVALID, "%q cannot be started at login: it holds a NUL character", a)
		}
		quoted = append(quoted, syscall.EscapeArg(a))
	}
	key, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot open HKCU\\%s: %v", runKey, err)
	}
	defer key.Close()
	if err := key.SetStringValue(valueName, strings.Join(quoted, " ")); err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot write HKCU\\%s\\%s: %v", runKey, valueName, err)
	}
	// Turning it on here overrides an earlier "off" in Task Manager, which would otherwise
	// keep the new value from running.
	return forgetTaskManagerSwitch()
}

// turnedOffInTaskManager reports whether Task Manager (or Settings) holds the value turned off.
func turnedOffInTaskManager() bool {
	key, err := registry.OpenKey(registry.CURRENT_USER, approvedKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer key.Close()
	state, _, err := key.GetBinaryValue(valueName)
	return err == nil && len(state) > 0 && state[0]&1 == 1
}

// forgetTaskManagerSwitch removes Task Manager's on/off state of the value: none is on.
func forgetTaskManagerSwitch() error {
	key, err := registry.OpenKey(registry.CURRENT_USER, approvedKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot open HKCU\\%s: %v", approvedKey, err)
	}
	defer key.Close()
	if err := key.DeleteValue(valueName); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot remove HKCU\\%s\\%s: %v", approvedKey, valueName, err)
	}
	return nil
}

// Disable removes the value, whichever copy it starts, and Task Manager's switch for it; none
// there is not an error.
func Disable() error {
	if err := forgetTaskManagerSwitch(); err != nil {
		return err
	}
	key, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot open HKCU\\%s: %v", runKey, err)
	}
	defer key.Close()
	if err := key.DeleteValue(valueName); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot remove HKCU\\%s\\%s: %v", runKey, valueName, err)
	}
	return nil
}

// appExecutable returns what must start at login: this binary, or, when this is the console
// CLI (blotter-cli.exe, which has no window), the app installed beside it.
func appExecutable() (string, error) {
	self, err := executable()
	if err != nil {
		return "", err
	}
	return appBeside(self)
}

// appBeside returns the desktop app for the program at self: self itself, or for the CLI
// (blotter-cli.exe) the blotter.exe in the same folder, as the installer puts them.
func appBeside(self string) (string, error) {
	if !strings.EqualFold(filepath.Base(self), "blotter-cli.exe") {
		return self, nil
	}
	app := filepath.Join(filepath.Dir(self), "blotter.exe")
	if _, err := os.Stat(app); err != nil {
		return "", blotter.Errorf(blotter.EUNAVAILABLE, "the command line (blotter-cli.exe) has no window to start at login, and the app (blotter.exe) is not beside it in %s", filepath.Dir(self))
	}
	return app, nil
}
