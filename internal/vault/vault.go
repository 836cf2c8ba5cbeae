// Package vault keeps evidence files content-addressed: each file is stored once, read-only,
// under its SHA-256, and copied in a single streaming pass that hashes as it writes, so a file
// of gigabytes never sits in memory. A half-copied file never takes a digest's name: it is
// written under vault/tmp and renamed into place only when whole and synced.
package vault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/blotterapp/blotter/internal/blotter"
)

// bufferSize is the copy buffer: large enough to keep the disk busy, small enough that memory
// stays flat whatever the file's size.
const bufferSize = 1 << 20

// Vault is a folder of evidence files named by their SHA-256.
type Vault struct {
	dir string
}

// Open opens the vault in dir, creating it (mode 0700) if needed, and clears temporary files
// an interrupted ingest left behind.
func Open(dir string) (*Vault, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "cannot create the evidence vault %s: %v", dir, err)
	}
	v := &Vault{dir: dir}
	if leftovers, err := os.ReadDir(filepath.Join(dir, "tmp")); err == nil {
		for _, f := range leftovers {
			_ = os.Remove(filepath.Join(dir, "tmp", f.Name()))
		}
	}
	return v, nil
}

// Path returns where the file with the given digest is (or would be) stored.
func (v *Vault) Path(sha string) string {
	return filepath.Join(v.dir, sha[:2], sha)
}

// Progress is told how many bytes of how many have been copied.
type Progress func(done, total int64)

// Ingest copies the regular file at path into the vault and describes it. A symlink is followed
// and both its path and its target are recorded. Directories, devices, FIFOs, sockets and
// unreadable files are refused with EINVALID; a file that changes while it is read is refused
// too, and nothing of it is left in the vault. progress may be nil.
func (v *Vault) Ingest(ctx context.Context, path string, progress Progress) (*blotter.Evidence, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, blotter.Errorf(blotter.EINVALID, "cannot resolve %s: %v", path, err)
	}
	ev := &blotter.Evidence{Name: filepath.Base(abs), SourcePath: abs}
	link, err := os.Lstat(abs)
	if err != nil {
		return nil, statError(path, err)
	}
	if link.Mode()&fs.ModeSymlink != 0 {
		if ev.LinkTarget, err = filepath.EvalSymlinks(abs); err != nil {
			return nil, blotter.Errorf(blotter.EINVALID, "%s is a symlink that leads nowhere: %v", path, err)
		}
	}
	before, err := os.Stat(abs)
	if err != nil {
		return nil, statError(path, err)
	}
	if err := checkRegular(path, before); err != nil {
		return nil, err
	}

	// O_NONBLOCK: if the path was swapped for a FIFO since the check, opening must not hang.
	f, err := os.OpenFile(abs, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, statError(path, err)
	}
	defer f.Close()
	opened, err := f.Stat()
	if err != nil {
		return nil, statError(path, err)
	}
	if err := checkRegular(path, opened); err != nil {
		return nil, err
	}
	if !os.SameFile(before, opened) {
		return nil, blotter.Errorf(blotter.EINVALID, "%s was replaced while it was opened: try again", path)
	}

	stored, err := v.store(ctx, f, opened.Size(), -1, progress)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	after, err := f.Stat()
	if err != nil {
		return nil, statError(path, err)
	}
	if after.Size() != opened.Size() || !after.ModTime().Equal(opened.ModTime()) || stored.Size != opened.Size() {
		return nil, blotter.Errorf(blotter.EINVALID, "%s changed while it was read (%d bytes, then %d): try again once it is complete",
			path, opened.Size(), after.Size())
	}
	ev.SHA256, ev.Size, ev.MediaType = stored.SHA256, stored.Size, mediaType(ev.Name, stored.head)
	return ev, nil
}

// IngestReader stores what r yields, up to maxSize bytes, as evidence named name. It is how
// captures that are not files (a clipboard image, a screenshot) enter the vault.
func (v *Vault) IngestReader(ctx context.Context, name string, r io.Reader, maxSize int64) (*blotter.Evidence, error) {
	stored, err := v.store(ctx, r, -1, maxSize, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &blotter.Evidence{SHA256: stored.SHA256, Name: name, Size: stored.Size, MediaType: mediaType(name, stored.head)}, nil
}

type storedFile struct {
	SHA256 string
	Size   int64
	head   []byte // the first bytes, for content sniffing
}

// store copies r into a temporary file while hashing it, then moves the file to its digest's
// name (or drops it, if the vault holds that content already). More than limit bytes (when
// limit >= 0) is refused. On any failure the temporary file is removed.
func (v *Vault) store(ctx context.Context, r io.Reader, total, limit int64, progress Progress) (_ *storedFile, err error) {
	tmp, err := os.CreateTemp(filepath.Join(v.dir, "tmp"), "ingest-*")
	if err != nil {
		return nil, writeError(err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	h := sha256.New()
	buf := make([]byte, bufferSize)
	out := &storedFile{}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, rerr := r.Read(buf)
		if n > 0 {
			if len(out.head) == 0 {
				out.head = append([]byte(nil), buf[:min(n, 512)]...)
			}
			h.Write(buf[:n])
			if _, err := tmp.Write(buf[:n]); err != nil {
				return nil, writeError(err)
			}
			out.Size += int64(n)
			if limit >= 0 && out.Size > limit {
				return nil, blotter.Errorf(blotter.EINVALID, "larger than the limit of %d bytes: not stored", limit)
			}
			if progress != nil {
				progress(out.Size, total)
			}
		}
		if rerr == io.EOF {
			break
		} else if rerr != nil {
			return nil, blotter.Errorf(blotter.EUNAVAILABLE, "read failed after %d bytes: %v", out.Size, rerr)
		}
	}
	if err := tmp.Sync(); err != nil {
		return nil, writeError(err)
	}
	if err := tmp.Close(); err != nil {
		return nil, writeError(err)
	}
	out.SHA256 = hex.EncodeToString(h.Sum(nil))

	final := v.Path(out.SHA256)
	if _, err := os.Stat(final); err == nil {
		os.Remove(tmp.Name()) // the same content is stored already
		return out, nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return nil, writeError(err)
	}
	if err := os.Chmod(tmp.Name(), 0o444); err != nil {
		return nil, writeError(err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return nil, writeError(err)
	}
	syncDir(filepath.Dir(final))
	return out, nil
}

// Check rehashes the stored file with the given digest. Returns ENOTFOUND if it is missing and
// EINVALID if its content no longer matches its name.
func (v *Vault) Check(sha string, size int64) error {
	f, err := os.Open(v.Path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return blotter.Errorf(blotter.ENOTFOUND, "evidence %s is missing from the vault", sha)
	} else if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot read evidence %s: %v", sha, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, f, make([]byte, bufferSize))
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot read evidence %s: %v", sha, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha || n != size {
		return blotter.Errorf(blotter.EINVALID, "evidence %s has been altered: its content now hashes to %s (%d bytes, recorded %d)", sha, got, n, size)
	}
	return nil
}

func checkRegular(path string, fi fs.FileInfo) error {
	m := fi.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return blotter.Errorf(blotter.EINVALID, "%s is a directory: attach the files in it", path)
	case m&fs.ModeNamedPipe != 0:
		return blotter.Errorf(blotter.EINVALID, "%s is a FIFO, not a file", path)
	case m&fs.ModeSocket != 0:
		return blotter.Errorf(blotter.EINVALID, "%s is a socket, not a file", path)
	case m&fs.ModeDevice != 0:
		return blotter.Errorf(blotter.EINVALID, "%s is a device, not a file", path)
	}
	return blotter.Errorf(blotter.EINVALID, "%s is not a regular file", path)
}

func statError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return blotter.Errorf(blotter.ENOTFOUND, "%s does not exist", path)
	case errors.Is(err, fs.ErrPermission):
		return blotter.Errorf(blotter.EINVALID, "%s cannot be read: permission denied", path)
	}
	return blotter.Errorf(blotter.EINVALID, "cannot read %s: %v", path, err)
}

func writeError(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) || errors.Is(err, syscall.EDQUOT) {
		return blotter.Errorf(blotter.EUNAVAILABLE, "the disk is full: the evidence was not stored (%v)", err)
	}
	return blotter.Errorf(blotter.EUNAVAILABLE, "cannot write to the vault: %v", err)
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// mediaType names the content: sniffed from its first bytes, or from the name's extension when
// the bytes say no more than "binary" or "text".
func mediaType(name string, head []byte) string {
	sniffed := http.DetectContentType(head)
	if sniffed == "application/octet-stream" || strings.HasPrefix(sniffed, "text/plain") {
		if byExt := mime.TypeByExtension(strings.ToLower(filepath.Ext(name))); byExt != "" {
			return byExt
		}
	}
	return sniffed
}
