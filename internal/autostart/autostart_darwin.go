package autostart

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Path returns where the launch agent is: ~/Library/LaunchAgents/app.blotter.desktop.plist,
// which launchd reads at each login (no launchctl call is needed for that).
func Path() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", blotter.Errorf(blotter.EUNAVAILABLE, "no home folder to keep the login item in: %v", err)
	}
	return filepath.Join(home, "Library", "LaunchAgents", LaunchAgentLabel+".plist"), nil
}

// Enabled reports whether the launch agent is there and starts this binary: a plist naming
// another copy (an older app in another folder) starts that copy, not this one.
func Enabled() (bool, error) {
	path, err := Path()
	if err != nil {
		return false, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, blotter.Errorf(blotter.EUNAVAILABLE, "cannot read %s: %v", path, err)
	}
	args, err := launchAgentArgs(data)
	if err != nil || len(args) == 0 {
		return false, nil // not ours to read: it starts nothing of ours
	}
	self, err := executable()
	if err != nil {
		return false, err
	}
	return sameFile(self, args[0]), nil
}

// Enable writes the launch agent that starts this binary with args at login, replacing one
// that is there. The binary is named by its full path (launchd does not search $PATH):
// inside Blotter.app that is Contents/MacOS/Blotter, which is the CLI too.
func Enable(args []string) error { return writeSetting(executable, LaunchAgent, args) }

// Disable removes the launch agent; none there is not an error.
func Disable() error { return removeSetting() }
