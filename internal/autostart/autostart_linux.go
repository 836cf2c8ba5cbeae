package autostart

import (
	"errors"
	"io/fs"
	"os"
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

// Enabled reports whether the entry is there.
func Enabled() (bool, error) {
	path, err := Path()
	if err != nil {
		return false, err
	}
	_, err = os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, blotter.Errorf(blotter.EUNAVAILABLE, "cannot read %s: %v", path, err)
	}
	return true, nil
}

// Enable writes the entry that starts this binary with args at login, replacing one that is
// there. It is written whole, then renamed into place, so a desktop logging in never reads
// half an entry.
func Enable(args []string) error {
	path, err := Path()
	if err != nil {
		return err
	}
	program, err := Program()
	if err != nil {
		return err
	}
	text, err := Entry(program, args)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot create %s: %v", filepath.Dir(path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".blotter-*.desktop")
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot write the autostart entry: %v", err)
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing left to remove
	if _, err = tmp.WriteString(text); err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot write %s: %v", path, err)
	}
	return nil
}

// Disable removes the entry; none there is not an error.
func Disable() error {
	path, err := Path()
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot remove %s: %v", path, err)
	}
	return nil
}
