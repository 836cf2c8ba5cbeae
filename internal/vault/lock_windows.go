package vault

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// Windows has no flock(2). LockFileEx locks a byte range of an open file, shared or exclusive,
// between processes, which serves the same way: the range is one byte far past any content,
// since a range lock on Windows also bars reading the bytes it covers. The holds' handles
// share delete, so that a Discard holding the exclusive lock can remove the file while other
// holds are open; the lock, not the share mode, is what keeps a held file in place. (A reader
// that does not share delete, os.Open, makes that remove fail for as long as it reads: Discard
// then says so and the file stays.)

// lockOffsetHigh places the locked byte at 2^62: past the end of any evidence file.
const lockOffsetHigh = 1 << 30

// deletePendingWait bounds the wait for a file that another process is removing to go (an open
// of a file with a delete pending is refused as access denied until its last handle closes).
const deletePendingWait = 2 * time.Second

// openHold opens the stored file at path for a hold: read only, sharing reads, writes and
// deletes with every other handle.
func openHold(path string) (*os.File, error) {
	name, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(name, windows.GENERIC_READ,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}

// tryLock takes the hold's lock on f without waiting; busy when another handle's lock is in
// the way.
func tryLock(f *os.File, exclusive bool) (busy bool, err error) {
	flags := uint32(windows.LOCKFILE_FAIL_IMMEDIATELY)
	if exclusive {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	ol := windows.Overlapped{OffsetHigh: lockOffsetHigh}
	err = windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, 1, 0, &ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return true, nil
	}
	return false, err
}

func unlock(f *os.File) {
	ol := windows.Overlapped{OffsetHigh: lockOffsetHigh}
	windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ol)
}

// holdStored opens the stored file at final and takes a shared lock on it, waiting while the
// ingest that placed it holds it exclusively (until its record is settled). found is false
// when there is no file, or when that ingest took it out again while we waited.
func holdStored(ctx context.Context, final string) (lock *os.File, found bool, err error) {
	pendingSince := time.Time{}
	err = waitWhileHeld(ctx, final, func() (bool, error) {
		f, err := openHold(final)
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
			// Being removed by the ingest that placed it, most likely: wait for it to go.
			if pendingSince.IsZero() {
				pendingSince = time.Now()
			}
			if time.Since(pendingSince) < deletePendingWait {
				return true, nil
			}
		}
		if err != nil {
			return false, writeError(err)
		}
		busy, err := tryLock(f, false)
		if busy || err != nil {
			f.Close()
			if err != nil {
				err = writeError(err)
			}
			return busy, err
		}
		lock = f
		return false, nil
	})
	if err != nil || lock == nil {
		return nil, false, err
	}
	if !stillNamed(lock) {
		lock.Close()
		return nil, false, nil
	}
	return lock, true, nil
}

// place gives the temporary file f its digest's name final, unless a file has that name
// already (placed false), and returns it locked exclusively. The lock is taken before the
// rename, as on Unix, so that no other ingest can hold the placed file unlocked by its creator;
// f is closed first (it does not share delete, which the rename needs), the hold's handle
// shares delete, and the file keeps it across the rename.
func place(f *os.File, final string) (placed bool, lock *os.File, err error) {
	f.Close()
	if lock, err = openHold(f.Name()); err != nil {
		return false, nil, err
	}
	// Nobody else knows the temporary file: the lock is free.
	if busy, err := tryLock(lock, true); busy || err != nil {
		lock.Close()
		if err == nil {
			err = errors.New("another process holds it")
		}
		return false, nil, fmt.Errorf("cannot lock %s: %w", f.Name(), err)
	}
	from, err := windows.UTF16PtrFromString(f.Name())
	if err != nil {
		lock.Close()
		return false, nil, err
	}
	to, err := windows.UTF16PtrFromString(final)
	if err != nil {
		lock.Close()
		return false, nil, err
	}
	// No MOVEFILE_REPLACE_EXISTING: the file another ingest holds is never replaced.
	// MOVEFILE_WRITE_THROUGH: the name is on disk before the record that names it.
	if err := windows.MoveFileEx(from, to, windows.MOVEFILE_WRITE_THROUGH); err != nil {
		lock.Close()
		if errors.Is(err, fs.ErrExist) {
			return false, nil, nil
		}
		return false, nil, err
	}
	return true, lock, nil
}

// mayRemove turns the hold's lock exclusive, which it gets only while no other process's
// ingest holds the file, and checks that the locked file is still the one stored. Windows
// converts no lock: the hold lets go of its own, then tries for the exclusive one.
func mayRemove(h *Held) bool {
	lock := h.hold.lock
	if lock == nil {
		return false
	}
	unlock(lock)
	busy, err := tryLock(lock, true)
	return err == nil && !busy && namedAt(lock, h.v.Path(h.sha))
}

// namedAt reports whether the open file f is the file at path: the same file index, and the
// same volume where both handles know it. (Wine reports volume 0 for a handle whose file was
// renamed after it was opened, as place does; Windows keeps the volume.)
func namedAt(f *os.File, path string) bool {
	p, err := openHold(path)
	if err != nil {
		return false
	}
	defer p.Close()
	var held, named windows.ByHandleFileInformation
	if windows.GetFileInformationByHandle(windows.Handle(f.Fd()), &held) != nil ||
		windows.GetFileInformationByHandle(windows.Handle(p.Fd()), &named) != nil {
		return false
	}
	sameVolume := held.VolumeSerialNumber == named.VolumeSerialNumber ||
		held.VolumeSerialNumber == 0 || named.VolumeSerialNumber == 0
	return sameVolume && held.FileIndexHigh == named.FileIndexHigh && held.FileIndexLow == named.FileIndexLow
}
