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
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/blotter"
)

// bufferSize is the copy buffer: large enough to keep the disk busy, small enough that memory
// stays flat whatever the file's size.
const bufferSize = 1 << 20

// Vault is a folder of evidence files named by their SHA-256.
type Vault struct {
	dir string
}

// Open opens the vault in dir, creating it (mode 0700) if needed, and removes the temporary
// files that interrupted ingests left behind. The desktop app and the CLI use the same vault at
// once, so a temporary file that a live ingest is still writing is left alone.
func Open(dir string) (*Vault, error) {
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "cannot create the evidence vault %s: %v", dir, err)
	}
	if leftovers, err := os.ReadDir(tmp); err == nil {
		for _, f := range leftovers {
			removeAbandoned(filepath.Join(tmp, f.Name()))
		}
	}
	return &Vault{dir: dir}, nil
}

// Each calls fn with the digest of every file the vault stores (its temporary files aside),
// so that verify can find files no record names.
func (v *Vault) Each(fn func(sha string) error) error {
	subdirs, err := os.ReadDir(v.dir)
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot read the vault %s: %v", v.dir, err)
	}
	for _, d := range subdirs {
		if !d.IsDir() || len(d.Name()) != 2 {
			continue
		}
		files, err := os.ReadDir(filepath.Join(v.dir, d.Name()))
		if err != nil {
			return blotter.Errorf(blotter.EUNAVAILABLE, "cannot read the vault %s: %v", v.dir, err)
		}
		for _, f := range files {
			if err := fn(f.Name()); err != nil {
				return err
			}
		}
	}
	return nil
}

// Path returns where the file with the given digest is (or would be) stored.
func (v *Vault) Path(sha string) string {
	return filepath.Join(v.dir, sha[:2], sha)
}

// Progress is told how many bytes of how many have been copied.
type Progress func(done, total int64)

// Ingest copies the regular file at path into the vault and describes it. created reports
// whether this call put the content into the vault, rather than finding it stored already: a
// caller whose record of the evidence is then refused undoes the ingest with Discard only if
// created is true. A symlink is followed and both its path and its target are recorded.
//
// A file name that cannot be an evidence name (see blotter.Evidence.Validate) is refused with
// EINVALID before the file is opened. Directories, devices, FIFOs, sockets, special files of
// the kernel (procfs, sysfs) and unreadable files are refused with EINVALID; a file that
// changes while it is read is refused too. Nothing of a refused file is left in the vault.
// progress may be nil.
func (v *Vault) Ingest(ctx context.Context, path string, progress Progress) (ev *blotter.Evidence, created bool, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, false, blotter.Errorf(blotter.EINVALID, "cannot resolve %s: %v", path, err)
	}
	ev = &blotter.Evidence{Name: filepath.Base(abs), SourcePath: abs}
	if err := checkName(ev.Name); err != nil {
		return nil, false, err
	}
	link, err := os.Lstat(abs)
	if err != nil {
		return nil, false, statError(path, err)
	}
	if link.Mode()&fs.ModeSymlink != 0 {
		if ev.LinkTarget, err = filepath.EvalSymlinks(abs); err != nil {
			return nil, false, blotter.Errorf(blotter.EINVALID, "%s is a symlink that leads nowhere: %v", path, err)
		}
	}
	before, err := os.Stat(abs)
	if err != nil {
		return nil, false, statError(path, err)
	}
	if err := checkRegular(path, before); err != nil {
		return nil, false, err
	}

	// O_NONBLOCK: if the path was swapped for a FIFO since the check, opening must not hang.
	f, err := os.OpenFile(abs, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, false, statError(path, err)
	}
	defer f.Close()
	opened, err := f.Stat()
	if err != nil {
		return nil, false, statError(path, err)
	}
	if err := checkRegular(path, opened); err != nil {
		return nil, false, err
	}
	if !os.SameFile(before, opened) {
		return nil, false, blotter.Errorf(blotter.EINVALID, "%s was replaced while it was opened: try again", path)
	}

	tmp, err := v.write(ctx, f, opened.Size(), -1, progress)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	defer tmp.drop()
	// The copy takes the digest's name only if the file held still and held what its size said.
	after, err := f.Stat()
	if err != nil {
		return nil, false, statError(path, err)
	}
	switch {
	case after.Size() != opened.Size() || !after.ModTime().Equal(opened.ModTime()):
		return nil, false, blotter.Errorf(blotter.EINVALID, "%s changed while it was read (%d bytes, then %d): try again once it is complete",
			path, opened.Size(), after.Size())
	case tmp.Size != opened.Size():
		// procfs and sysfs files report a size (0, or a page) that is not their content's.
		return nil, false, blotter.Errorf(blotter.EINVALID, "%s is a special file of the kernel (procfs/sysfs), not a file on disk: it reports %d bytes but holds %d; copy it to a regular file first",
			path, opened.Size(), tmp.Size)
	}
	if created, err = tmp.commit(); err != nil {
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	ev.SHA256, ev.Size, ev.MediaType = tmp.SHA256, tmp.Size, mediaType(ev.Name, tmp.head)
	return ev, created, nil
}

// IngestReader stores what r yields, up to maxSize bytes (no limit if maxSize < 0), as
// evidence named name. It is how captures that are not files (a clipboard image, a screenshot)
// enter the vault. created means what it means for Ingest. A name that cannot be an evidence
// name is refused with EINVALID before r is read.
func (v *Vault) IngestReader(ctx context.Context, name string, r io.Reader, maxSize int64) (ev *blotter.Evidence, created bool, err error) {
	if err := checkName(name); err != nil {
		return nil, false, err
	}
	tmp, err := v.write(ctx, r, -1, maxSize, nil)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", name, err)
	}
	defer tmp.drop()
	if created, err = tmp.commit(); err != nil {
		return nil, false, fmt.Errorf("%s: %w", name, err)
	}
	return &blotter.Evidence{SHA256: tmp.SHA256, Name: name, Size: tmp.Size, MediaType: mediaType(name, tmp.head)}, created, nil
}

// Discard removes the stored file with the given digest and leaves its folder. It undoes an
// ingest whose record was refused: call it only if that ingest reported created and no record
// names the digest, as the vault keeps one file for every record of the same content. A digest
// the vault does not hold is not an error. Returns EINVALID for a malformed digest and
// EUNAVAILABLE if the file cannot be removed.
func (v *Vault) Discard(sha string) error {
	if len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		return blotter.Errorf(blotter.EINVALID, "evidence digest %q is not a lower-case SHA-256", sha)
	}
	if err := os.Remove(v.Path(sha)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot remove evidence %s from the vault: %v", sha, err)
	}
	syncDir(filepath.Dir(v.Path(sha)))
	return nil
}

// pending is content copied into a temporary file, hashed and synced, that has not yet taken
// its digest's name. Its file stays open, and locked, until commit or drop.
type pending struct {
	v         *Vault
	f         *os.File
	SHA256    string
	Size      int64
	head      []byte // the first bytes, for content sniffing
	committed bool
}

// write copies r into a temporary file while hashing it. More than limit bytes (when
// limit >= 0) is refused. On any failure the temporary file is removed.
func (v *Vault) write(ctx context.Context, r io.Reader, total, limit int64, progress Progress) (_ *pending, err error) {
	f, err := v.createTemp()
	if err != nil {
		return nil, err
	}
	out := &pending{v: v, f: f}
	defer func() {
		if err != nil {
			out.drop()
		}
	}()

	h := sha256.New()
	buf := make([]byte, bufferSize)
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
			if _, err := f.Write(buf[:n]); err != nil {
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
	if err := f.Sync(); err != nil {
		return nil, writeError(err)
	}
	out.SHA256 = hex.EncodeToString(h.Sum(nil))
	return out, nil
}

// createTemp creates a file in vault/tmp and locks it, so that the Open of another process
// leaves it alone while this one writes it.
func (v *Vault) createTemp() (*os.File, error) {
	for range 3 {
		f, err := os.CreateTemp(filepath.Join(v.dir, "tmp"), "ingest-*")
		if err != nil {
			return nil, writeError(err)
		}
		if err := lockTemp(f); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, writeError(err)
		}
		// Another process's Open may have removed the file between its creation and the lock.
		if stillNamed(f) {
			return f, nil
		}
		f.Close()
	}
	return nil, blotter.Errorf(blotter.EUNAVAILABLE, "cannot write to the vault: its temporary files keep disappearing from %s", filepath.Join(v.dir, "tmp"))
}

// commit moves the content to its digest's name, or drops it if the vault holds that content
// already; created says which.
func (p *pending) commit() (created bool, err error) {
	final := p.v.Path(p.SHA256)
	if _, err := os.Stat(final); err == nil {
		return false, nil // the same content is stored already: drop removes the copy
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return false, writeError(err)
	}
	if err := os.Chmod(p.f.Name(), 0o444); err != nil {
		return false, writeError(err)
	}
	closeForRename(p.f)
	if err := os.Rename(p.f.Name(), final); err != nil {
		return false, writeError(err)
	}
	p.committed = true
	syncDir(filepath.Dir(final))
	return true, nil
}

// drop closes the temporary file, which releases its lock, and removes it unless commit moved
// it into place. It may be called more than once.
func (p *pending) drop() {
	p.f.Close()
	if !p.committed {
		os.Remove(p.f.Name())
	}
}

// stillNamed reports whether the open file f is still the file at its name.
func stillNamed(f *os.File) bool {
	named, err := os.Lstat(f.Name())
	if err != nil {
		return false
	}
	held, err := f.Stat()
	return err == nil && os.SameFile(named, held)
}

// checkName refuses, before a byte is copied, a file name the record cannot hold as an
// evidence name: the content would be stored, then its entry refused.
func checkName(name string) error {
	err := (&blotter.Evidence{Name: name, SHA256: strings.Repeat("0", 64)}).Validate()
	if err == nil {
		return nil
	}
	why := blotter.ErrorMessage(err)
	switch {
	case strings.ContainsAny(name, "\r\n"):
		why = "the file name holds a line break"
	case !utf8.ValidString(name):
		why = "the file name is not valid UTF-8 text"
	}
	return blotter.Errorf(blotter.EINVALID, "%q cannot be attached: %s: rename it before attaching", name, why)
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
