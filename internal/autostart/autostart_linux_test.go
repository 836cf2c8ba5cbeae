package autostart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnableDisable(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	want := filepath.Join(config, "autostart", "blotter.desktop")
	if path, err := Path(); err != nil || path != want {
		t.Fatalf("Path() = %q, %v; want %q", path, err, want)
	}
	if on, err := Enabled(); err != nil || on {
		t.Fatalf("Enabled() before = %v, %v; want false", on, err)
	}

	if err := Enable([]string{"--side", "--data-dir", "/home/ana/My Incidents"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	program, err := Program()
	if err != nil {
		t.Fatal(err)
	}
	var exec string
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "Exec="); ok {
			exec = v
		}
	}
	if got := parseExec(t, exec); strings.Join(got, "|") != program+"|--side|--data-dir|/home/ana/My Incidents" {
		t.Errorf("Exec=%s runs %q", exec, got)
	}
	if on, err := Enabled(); err != nil || !on {
		t.Fatalf("Enabled() after Enable = %v, %v; want true", on, err)
	}
	// Nothing but the entry is left in the folder (no temporary file).
	if names, _ := filepath.Glob(filepath.Join(config, "autostart", "*")); len(names) != 1 {
		t.Errorf("the autostart folder holds %q", names)
	}

	if err := Disable(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(want); !os.IsNotExist(err) {
		t.Errorf("the entry is still there after Disable: %v", err)
	}
	if on, err := Enabled(); err != nil || on {
		t.Fatalf("Enabled() after Disable = %v, %v; want false", on, err)
	}
	if err := Disable(); err != nil {
		t.Errorf("Disable with no entry: %v", err)
	}
}

// Without $XDG_CONFIG_HOME, or with a relative one (the spec says to ignore it), the entry
// is in ~/.config/autostart.
func TestPathWithoutXDGConfigHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	want := filepath.Join(home, ".config", "autostart", "blotter.desktop")
	for _, config := range []string{"", "relative/config"} {
		t.Setenv("XDG_CONFIG_HOME", config)
		if path, err := Path(); err != nil || path != want {
			t.Errorf("XDG_CONFIG_HOME=%q: Path() = %q, %v; want %q", config, path, err, want)
		}
	}
}

// Program names the binary "blotter" only when $PATH finds this very file.
func TestProgram(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	self, _ = filepath.EvalSymlinks(self)
	t.Setenv("PATH", t.TempDir())
	if got, err := Program(); err != nil || got != self {
		t.Errorf("with no blotter on $PATH: Program() = %q, %v; want %q", got, err, self)
	}
	onPath := t.TempDir()
	if err := os.Symlink(self, filepath.Join(onPath, "blotter")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", onPath)
	if got, err := Program(); err != nil || got != "blotter" {
		t.Errorf("with this binary on $PATH as blotter: Program() = %q, %v; want blotter", got, err)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "blotter"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", other)
	if got, err := Program(); err != nil || got != self {
		t.Errorf("with another blotter on $PATH: Program() = %q, %v; want %q", got, err, self)
	}
}

// The desktop's own switch (GNOME's Startup Applications) turns the entry off without removing
// it: Blotter says so, and turning it on in Blotter turns it on for the desktop too. An entry
// that starts another program is not this one's.
func TestEnabledFollowsTheDesktop(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if err := Enable([]string{"--side"}); err != nil {
		t.Fatal(err)
	}
	path, _ := Path()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	off := strings.Replace(string(text), "X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false", 1)
	if err := os.WriteFile(path, []byte(off), 0o644); err != nil {
		t.Fatal(err)
	}
	if on, err := Enabled(); err != nil || on {
		t.Errorf("turned off in GNOME: Enabled() = %v, %v; want false", on, err)
	}
	if err := Enable([]string{"--side"}); err != nil {
		t.Fatal(err)
	}
	if on, err := Enabled(); err != nil || !on {
		t.Errorf("turned on again in Blotter: Enabled() = %v, %v; want true", on, err)
	}
	if err := os.WriteFile(path, []byte("[Desktop Entry]\nType=Application\nExec=/usr/bin/true --side\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if on, err := Enabled(); err != nil || on {
		t.Errorf("an entry for another program: Enabled() = %v, %v; want false", on, err)
	}
}
