package autostart

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// keepRunValue puts the user's own Blotter Run value back after the test, and returns the Run
// key open for the test to write to.
func keepRunValue(t *testing.T) registry.Key {
	t.Helper()
	key, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	saved, kind, err := key.GetStringValue(valueName)
	switch {
	case errors.Is(err, registry.ErrNotExist):
	case err != nil:
		key.Close()
		t.Skipf("HKCU\\%s\\%s is there but unreadable as a string (%v): not touching it", runKey, valueName, err)
	}
	had := err == nil
	t.Cleanup(func() {
		defer key.Close()
		var err error
		switch {
		case !had:
			if err = key.DeleteValue(valueName); errors.Is(err, registry.ErrNotExist) {
				err = nil
			}
		case kind == registry.EXPAND_SZ:
			err = key.SetExpandStringValue(valueName, saved)
		default:
			err = key.SetStringValue(valueName, saved)
		}
		if err != nil {
			t.Errorf("restoring HKCU\\%s\\%s: %v", runKey, valueName, err)
		}
	})
	return key
}

func thisProgram(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if self, err = filepath.EvalSymlinks(self); err != nil {
		t.Fatal(err)
	}
	return self
}

func TestEnableDisable(t *testing.T) {
	key := keepRunValue(t)
	if path, err := Path(); err != nil || path != `HKCU\Software\Microsoft\Windows\CurrentVersion\Run\Blotter` {
		t.Fatalf("Path() = %q, %v", path, err)
	}
	if err := Disable(); err != nil {
		t.Fatal(err)
	}
	if on, err := Enabled(); err != nil || on {
		t.Fatalf("Enabled() before = %v, %v; want false", on, err)
	}

	// Spaces, quotes, backslashes before quotes and at the end, an empty argument: each must
	// reach the program as it was.
	args := []string{"--side", "--data-dir", `C:\Users\Ana\My Incidents\`, `say "hi"`, `a\\"b`, `trailing\`, ""}
	if err := Enable(args); err != nil {
		t.Fatal(err)
	}
	line, kind, err := key.GetStringValue(valueName)
	if err != nil || kind != registry.SZ {
		t.Fatalf("after Enable the value is %q (type %d), %v; want a REG_SZ", line, kind, err)
	}
	self := thisProgram(t)
	want := syscall.EscapeArg(self) + ` --side --data-dir "C:\Users\Ana\My Incidents\\" "say \"hi\"" a\\\\\"b trailing\ ""`
	if line != want {
		t.Errorf("the Run value is\n%s\nwant\n%s", line, want)
	}
	argv, err := windows.DecomposeCommandLine(line)
	if err != nil {
		t.Fatal(err)
	}
	if wantArgv := append([]string{self}, args...); !slices.Equal(argv, wantArgv) {
		t.Errorf("the Run value %s runs %q, want %q", line, argv, wantArgv)
	}
	if on, err := Enabled(); err != nil || !on {
		t.Fatalf("Enabled() after Enable = %v, %v; want true", on, err)
	}

	if err := Disable(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := key.GetStringValue(valueName); !errors.Is(err, registry.ErrNotExist) {
		t.Errorf("the value is still there after Disable: %v", err)
	}
	if on, err := Enabled(); err != nil || on {
		t.Fatalf("Enabled() after Disable = %v, %v; want false", on, err)
	}
	if err := Disable(); err != nil {
		t.Errorf("Disable with no value: %v", err)
	}
}

// keepApprovedValue puts the user's own Task Manager switch for Blotter back after the test,
// and returns its key open for the test to write to.
func keepApprovedValue(t *testing.T) registry.Key {
	t.Helper()
	key, _, err := registry.CreateKey(registry.CURRENT_USER, approvedKey, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	saved, _, err := key.GetBinaryValue(valueName)
	had := err == nil
	t.Cleanup(func() {
		defer key.Close()
		var err error
		if had {
			err = key.SetBinaryValue(valueName, saved)
		} else if err = key.DeleteValue(valueName); errors.Is(err, registry.ErrNotExist) {
			err = nil
		}
		if err != nil {
			t.Errorf("restoring HKCU\\%s\\%s: %v", approvedKey, valueName, err)
		}
	})
	return key
}

// Task Manager's Startup tab turns the value off without removing it: Blotter then says it is
// off, and turning it on in Blotter turns it on for Windows too.
func TestTaskManagerSwitch(t *testing.T) {
	keepRunValue(t)
	approved := keepApprovedValue(t)
	if err := Enable([]string{"--side"}); err != nil {
		t.Fatal(err)
	}
	// The bytes Task Manager writes: 02 and zeros for on; 03 and the time it was turned off.
	on := []byte{0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	off := []byte{0x03, 0, 0, 0, 0xd4, 0x0d, 0x43, 0x8d, 0xc8, 0x3b, 0xd9, 0x01}
	for _, c := range []struct {
		name  string
		state []byte
		want  bool
	}{{"turned on", on, true}, {"turned off", off, false}, {"turned off (07)", append([]byte{0x07}, off[1:]...), false}, {"empty", []byte{}, true}} {
		if err := approved.SetBinaryValue(valueName, c.state); err != nil {
			t.Fatal(err)
		}
		if got, err := Enabled(); err != nil || got != c.want {
			t.Errorf("%s in Task Manager: Enabled() = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	if err := approved.SetBinaryValue(valueName, off); err != nil {
		t.Fatal(err)
	}
	if err := Enable([]string{"--side"}); err != nil {
		t.Fatal(err)
	}
	if got, err := Enabled(); err != nil || !got {
		t.Errorf("turned on in Blotter after off in Task Manager: Enabled() = %v, %v; want true", got, err)
	}
	if _, _, err := approved.GetBinaryValue(valueName); !errors.Is(err, registry.ErrNotExist) {
		t.Errorf("Task Manager's \"off\" is still there after Enable: %v", err)
	}
	if err := approved.SetBinaryValue(valueName, off); err != nil {
		t.Fatal(err)
	}
	if err := Disable(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := approved.GetBinaryValue(valueName); !errors.Is(err, registry.ErrNotExist) {
		t.Errorf("Task Manager's switch is still there after Disable: %v", err)
	}
}

func TestEnableRejectsNUL(t *testing.T) {
	keepRunValue(t)
	if err := Enable([]string{"--data-dir", "C:\\a\x00b"}); err == nil {
		t.Error("an argument with a NUL was written into the Run value")
	}
}

// A value that starts another copy of Blotter, or nothing, is not "enabled" for this one; one
// that names this binary another way is.
func TestEnabledOnlyForThisProgram(t *testing.T) {
	key := keepRunValue(t)
	self := thisProgram(t)
	t.Setenv("BLOTTER_TEST_DIR", filepath.Dir(self))
	for _, c := range []struct {
		name  string
		set   func() error
		start bool
	}{
		{"another program", func() error {
			return key.SetStringValue(valueName, `"C:\Program Files\Other Blotter\blotter.exe" --side`)
		}, false},
		{"this program in other case", func() error {
			return key.SetStringValue(valueName, syscall.EscapeArg(strings.ToUpper(self))+" --side")
		}, true},
		{"this program through a variable", func() error {
			return key.SetExpandStringValue(valueName, `"%BLOTTER_TEST_DIR%\`+filepath.Base(self)+`" --side`)
		}, true},
		{"an empty value", func() error { return key.SetStringValue(valueName, "") }, false},
		{"a number", func() error { return key.SetDWordValue(valueName, 1) }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.set(); err != nil {
				t.Fatal(err)
			}
			if on, err := Enabled(); err != nil || on != c.start {
				t.Errorf("Enabled() = %v, %v; want %v", on, err, c.start)
			}
		})
	}
}

// The CLI is a console program with no window: from it, start at login names the app beside it.
func TestAppBesideTheCLI(t *testing.T) {
	dir := t.TempDir()
	cli, app := filepath.Join(dir, "blotter-cli.exe"), filepath.Join(dir, "blotter.exe")
	for _, f := range []string{cli, app} {
		if err := os.WriteFile(f, nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := appBeside(cli); err != nil || got != app {
		t.Errorf("appBeside(%s) = %q, %v; want %s", cli, got, err, app)
	}
	if got, err := appBeside(strings.ToUpper(cli)); err != nil || !strings.EqualFold(got, app) {
		t.Errorf("appBeside(%s) = %q, %v; want %s", strings.ToUpper(cli), got, err, app)
	}
	if got, err := appBeside(app); err != nil || got != app {
		t.Errorf("appBeside(%s) = %q, %v; want itself", app, got, err)
	}
	os.Remove(app)
	if _, err := appBeside(cli); err == nil || !strings.Contains(err.Error(), "blotter.exe") {
		t.Errorf("appBeside without the app = %v; want an error naming blotter.exe", err)
	}
}
