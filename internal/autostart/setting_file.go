//go:build linux || darwin

package autostart

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/blotterapp/blotter/internal/blotter"
)

// On Linux and macOS the setting is one file at Path: written whole by Enable, removed by
// Disable.

// writeSetting renders the file that starts program (as named by the OS's program func) with
// args, and writes it at Path.
func writeSetting(program func() (string, error), render func(program string, args []string) (string, error), args []string) error {
	path, err := Path()
	if err != nil {
		return err
	}
	prog, err := program()
	if err != nil {
		return err
	}
	text, err := render(prog, args)
	if err != nil {
		return err
	}
	return writeAtomically(path, text)
}

// removeSetting removes the file; none there is not an error.
func removeSetting() error {
	path, err := Path()
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot remove %s: %v", path, err)
	}
	return nil
}

// writeAtomically writes the setting's file whole, then renames it into place, so that a
// login never reads half of it.
func writeAtomically(path, text string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot create %s: %v", filepath.Dir(path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".blotter-*")
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
