//go:build unix

package capture

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// appHoldsLock reports whether a running app holds the single-instance lock file at path, as
// Wails' macOS single-instance lock does (an exclusive flock on <temp dir>/<id>.lock for as
// long as the app runs): a shared lock then cannot be had. No file, or a lock to be had, is
// no app.
func appHoldsLock(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	switch err := unix.Flock(int(f.Fd()), unix.LOCK_SH|unix.LOCK_NB); {
	case err == nil:
		unix.Flock(int(f.Fd()), unix.LOCK_UN)
		return false, nil
	case errors.Is(err, unix.EWOULDBLOCK):
		return true, nil
	default:
		return false, err
	}
}
