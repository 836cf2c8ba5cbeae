//go:build (!unix && !windows) || aix || solaris

package vault

import (
	"context"
	"errors"
	"io/fs"
	"os"
)

// holdStored reports whether the vault has the file final; nothing is locked.
func holdStored(_ context.Context, final string) (lock *os.File, found bool, err error) {
	if _, err := os.Stat(final); err == nil {
		return nil, true, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, writeError(err)
	}
	return nil, false, nil
}

// place renames the temporary file f to final unless a file has that name already.
func place(f *os.File, final string) (placed bool, lock *os.File, err error) {
	f.Close()
	if _, err := os.Stat(final); err == nil {
		return false, nil, nil
	}
	return true, nil, os.Rename(f.Name(), final)
}

// mayRemove allows taking out only what the ingest itself put into the vault.
func mayRemove(h *Held) bool { return h.Created }
