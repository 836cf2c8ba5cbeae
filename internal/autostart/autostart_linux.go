package autostart

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Path returns where the entry is: $XDG_CONFIG_HOME/autostart/blotter.desktop, or
// ~/.config/autostart/blotter.desktop when that is unset or relative (the XDG Base Directory
// Specification says to ignore a relative one).
func Path() (string, error) {
	config := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(config) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", blotter.Errorf(blotter.EUNAVAILABLE, "no home folder to keep the autostart entry in: %v", err)
		}
		config = filepath.Join(home, ".config")
	}
	return filepath.Join(config, "autostart", FileName), nil
}

// Enabled reports whether the entry is there, starts this binary ("blotter" counts when $PATH
// finds this very file) and is not turned off by the desktop (EntryEnabled).
func Enabled() (bool, error) {
	path, err := Path()
	if err != nil {
		return false, err
	}
	text, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, blotter.Errorf(blotter.EUNAVAILABLE, "cannot read %s: %v", path, err)
	}
	self, err := executable()
	if err != nil {
		return false, err
	}
	return EntryEnabled(string(text), func(program string) bool {
		if found, err := exec.LookPath(program); err == nil { // a name without a slash, or a path
			program = found
		}
		return sameFile(program, self)
	}), nil
}

// Enable writes the entry that starts this binary with args at login, replacing one that is
// there.
func Enable(args []string) error { return writeSetting(Program, Entry, args) }

// Disable removes the entry; none there is not an error.
func Disable() error { return removeSetting() }
