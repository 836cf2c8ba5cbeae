// flock(2) is missing from package syscall on AIX and Solaris: they use lock_other.go.
//go:build unix && !aix && !solaris

package vault

import (
	"os"
	"syscall"
)

// lockTemp takes an exclusive flock(2) on the temporary file f that an ingest writes. The
// kernel holds it until f is closed or its process dies, so Open can tell a live ingest's file
// from a leftover.
func lockTemp(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
}

// closeForRename does nothing: the file is renamed open, so its lock is held until the file
// has left vault/tmp.
func closeForRename(*os.File) {}

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
