// flock(2) is missing from package syscall on AIX and Solaris: they use lock_other.go.
//go:build unix && !aix && !solaris

package vault

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// lockTemp takes an exclusive flock(2) on the temporary file f that an ingest writes. The
// kernel holds it until f is closed or its process dies, so Open can tell a live ingest's file
// from a leftover; the lock stays with the file when it takes its digest's name (place).
func lockTemp(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
}

// removeAbandoned removes the temporary file at path if no live ingest holds its lock.
func removeAbandoned(path string) {
	// O_NONBLOCK: a FIFO left in vault/tmp must not hang Open.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return // an ingest is writing it
	}
	// Its owner may have moved it into place between our open and our lock.
	if stillNamed(f) {
		os.Remove(path)
	}
}

// holdStored opens the stored file at final and takes a shared lock on it, waiting while the
// ingest that placed it holds it exclusively (until its record is settled). found is false
// when there is no file, or when that ingest took it out again while we waited.
func holdStored(ctx context.Context, final string) (lock *os.File, found bool, err error) {
	f, err := os.OpenFile(final, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, writeError(err)
	}
	err = waitWhileHeld(ctx, final, func() (bool, error) {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return true, nil
		}
		if err != nil {
			return false, writeError(err)
		}
		return false, nil
	})
	if err != nil {
		f.Close()
		return nil, false, err
	}
	if !stillNamed(f) {
		f.Close()
		return nil, false, nil
	}
	return f, true, nil
}

// place gives the temporary file f its digest's name final, unless a file has that name
// already (placed false). A hard link never replaces a file, where a rename would swap the
// file another ingest holds for this one. f keeps its exclusive lock, which the caller holds.
func place(f *os.File, final string) (placed bool, lock *os.File, err error) {
	if err := os.Link(f.Name(), final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil, nil
		}
		// A file system without hard links: a rename, which may replace the same content.
		if err := os.Rename(f.Name(), final); err != nil {
			return false, nil, err
		}
		return true, f, nil
	}
	os.Remove(f.Name())
	return true, f, nil
}

// mayRemove turns the hold's lock exclusive, which it gets only while no other process's
// ingest holds the file, and checks that the locked file is still the one stored.
func mayRemove(h *Held) bool {
	lock := h.hold.lock
	return lock != nil && syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil &&
		namedAt(lock, h.v.Path(h.sha))
}
