//go:build !unix || aix || solaris

package vault

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"time"
)

// abandonedAfter is the age at which a temporary file is taken for a leftover where files
// cannot be locked: an ingest writes its file far more often than that.
const abandonedAfter = 24 * time.Hour

// lockTemp does nothing: without flock(2), Open tells leftovers by their age.
func lockTemp(*os.File) error { return nil }

// removeAbandoned removes the temporary file at path if it was last written a day ago or more.
func removeAbandoned(path string) {
	if fi, err := os.Lstat(path); err == nil && time.Since(fi.ModTime()) >= abandonedAfter {
		os.Remove(path)
	}
}

// holdStored reports whether the vault has the file final; nothing is locked.
func holdStored(_ context.Context, final string) (lock *os.File, found bool, err error) {
	if _, err := os.Stat(final); err == nil {
		return nil, true, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, writeError(err)
	}
	return nil, false, nil
}

// place renames the temporary file f to final unless a file has that name already. f is closed
// first: Windows cannot rename an open file.
func place(f *os.File, final string) (placed bool, lock *os.File, err error) {
	f.Close()
	if _, err := os.Stat(final); err == nil {
		return false, nil, nil
	}
	return true, nil, os.Rename(f.Name(), final)
}

// mayRemove allows taking out only what the ingest itself put into the vault.
func mayRemove(h *Held) bool { return h.Created }
