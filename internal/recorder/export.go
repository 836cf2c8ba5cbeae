package recorder

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"

	"github.com/blotterapp/blotter/internal/blotter"
)

// OpenEvidence opens the vault's file with the given digest for reading, and returns its size:
// what an export (a bundle, an HTML report) copies. Read-only. Returns EINVALID for anything
// but a SHA-256, ENOTFOUND for a file this vault does not hold, and EINVALID for a vault file
// that is not a regular file.
func (r *Recorder) OpenEvidence(sha string) (io.ReadCloser, int64, error) {
	path, err := r.EvidencePath(sha)
	if err != nil {
		return nil, 0, err
	}
	// O_NONBLOCK: a vault file swapped for a FIFO must not hang the export.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, blotter.Errorf(blotter.ENOTFOUND, "evidence %s is not in this vault", sha)
	} else if err != nil {
		return nil, 0, blotter.Errorf(blotter.EUNAVAILABLE, "cannot read evidence %s: %v", sha, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, blotter.Errorf(blotter.EUNAVAILABLE, "cannot read evidence %s: %v", sha, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, blotter.Errorf(blotter.EINVALID, "evidence %s in the vault (%s) is not a regular file: run blotter verify", sha, path)
	}
	return f, fi.Size(), nil
}
