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
	"sync"
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

	mu    sync.Mutex
	holds map[string]*hold // digest -> this Vault's hold on the stored file, while any Held lasts
}

// hold is the lock on a stored file that the Helds of one Vault share: an ingest of content
// this process holds already (two equal files in one Slack message) shares it instead of
// waiting for its own lock, which would wait for itself.
type hold struct {
	lock *os.File // the locked stored file; nil where files cannot be locked
	n    int      // the Helds that have not let go
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
	return &Vault{dir: dir, holds: map[string]*hold{}}, nil
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

// Ingest copies the regular file at path into the vault and describes it. The stored file is
// held for the caller until the record that names it is stored (Held.Release) or refused
// (Held.Discard): another process's refused ingest of the same content cannot take it out of
// the vault meanwhile. A symlink is followed and both its path and its target are recorded.
//
// A file name that cannot be an evidence name (see blotter.Evidence.Validate) is refused with
// EINVALID before the file is opened. Directories, devices, FIFOs, sockets, special files of
// the kernel (procfs, sysfs) and unreadable files are refused with EINVALID; a file that
// changes while it is read is refused too. Nothing of a refused file is left in the vault.
// progress may be nil.
func (v *Vault) Ingest(ctx context.Context, path string, progress Progress) (ev *blotter.Evidence, held *Held, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, blotter.Errorf(blotter.EINVALID, "cannot resolve %s: %v", path, err)
	}
	ev = &blotter.Evidence{Name: filepath.Base(abs), SourcePath: abs}
	if err := checkName(ev.Name); err != nil {
		return nil, nil, err
	}
	link, err := os.Lstat(abs)
	if err != nil {
		return nil, nil, statError(path, err)
	}
	if link.Mode()&fs.ModeSymlink != 0 {
		if ev.LinkTarget, err = filepath.EvalSymlinks(abs); err != nil {
			return nil, nil, blotter.Errorf(blotter.EINVALID, "%s is a symlink that leads nowhere: %v", path, err)
		}
	}
	before, err := os.Stat(abs)
	if err != nil {
		return nil, nil, statError(path, err)
	}
	if err := checkRegular(path, before); err != nil {
		return nil, nil, err
	}

	// O_NONBLOCK: if the path was swapped for a FIFO since the check, opening must not hang.
	f, err := os.OpenFile(abs, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, statError(path, err)
	}
	defer f.Close()
	opened, err := f.Stat()
	if err != nil {
		return nil, nil, statError(path, err)
	}
	if err := checkRegular(path, opened); err != nil {
		return nil, nil, err
	}
	if !os.SameFile(before, opened) {
		return nil, nil, blotter.Errorf(blotter.EINVALID, "%s was replaced while it was opened: try again", path)
	}

	tmp, err := v.write(ctx, f, opened.Size(), -1, progress)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	defer tmp.drop()
	// The copy takes the digest's name only if the file held still and held what its size said.
	after, err := f.Stat()
	if err != nil {
		return nil, nil, statError(path, err)
	}
	switch {
	case after.Size() != opened.Size() || !after.ModTime().Equal(opened.ModTime()):
		return nil, nil, blotter.Errorf(blotter.EINVALID, "%s changed while it was read (%d bytes, then %d): try again once it is complete",
			path, opened.Size(), after.Size())
	case tmp.Size != opened.Size():
		// procfs and sysfs files report a size (0, or a page) that is not their content's.
		return nil, nil, blotter.Errorf(blotter.EINVALID, "%s is a special file of the kernel (procfs/sysfs), not a file on disk: it reports %d bytes but holds %d; copy it to a regular file first",
			path, opened.Size(), tmp.Size)
	}
	if held, err = tmp.commit(ctx); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	ev.SHA256, ev.Size, ev.MediaType = tmp.SHA256, tmp.Size, mediaType(ev.Name, tmp.head)
	return ev, held, nil
}

// IngestReader stores what r yields, up to maxSize bytes (no limit if maxSize < 0), as
// evidence named name. It is how captures that are not files (a clipboard image, a screenshot)
// enter the vault. The stored file is held as Ingest holds it. A name that cannot be an
// evidence name is refused with EINVALID before r is read.
func (v *Vault) IngestReader(ctx context.Context, name string, r io.Reader, maxSize int64) (ev *blotter.Evidence, held *Held, err error) {
	if err := checkName(name); err != nil {
		return nil, nil, err
	}
	tmp, err := v.write(ctx, r, -1, maxSize, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	defer tmp.drop()
	if held, err = tmp.commit(ctx); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return &blotter.Evidence{SHA256: tmp.SHA256, Name: name, Size: tmp.Size, MediaType: mediaType(name, tmp.head)}, held, nil
}

// Held is an ingest's stored file, kept in the vault for the ingest until the record that
// names it is stored or refused. A lock on the stored file (flock on Unix, LockFileEx on
// Windows) keeps other processes' Discards off it: shared when the content was there already,
// exclusive when this ingest put it there; Discard takes the file out only when it can make
// the lock exclusive, so never while another ingest of the same content waits for its record.
// Where files cannot be locked (AIX, Solaris) Discard takes out only what its own ingest
// created, and a narrow race between processes remains (docs/ARCHITECTURE.md).
type Held struct {
	Created bool // this ingest put the content into the vault

	v    *Vault
	sha  string
	hold *hold
	mu   sync.Mutex
	done bool
}

// held registers an ingest's hold on the stored file sha: lock (nil where files cannot be
// locked) becomes the Vault's hold, or is let go for the one another Held keeps already.
func (v *Vault) held(sha string, lock *os.File, created bool) *Held {
	v.mu.Lock()
	defer v.mu.Unlock()
	h := v.holds[sha]
	if h == nil {
		h = &hold{lock: lock}
		v.holds[sha] = h
	} else if lock != nil {
		lock.Close()
	}
	h.n++
	return &Held{Created: created, v: v, sha: sha, hold: h}
}

// sharedHold returns a Held of the stored file sha if this Vault holds it already, else nil.
func (v *Vault) sharedHold(sha string) *Held {
	v.mu.Lock()
	defer v.mu.Unlock()
	h := v.holds[sha]
	if h == nil {
		return nil
	}
	h.n++
	return &Held{v: v, sha: sha, hold: h}
}

// Release lets go of the file once the record that names it is stored. Calling it (or
// Discard) again does nothing.
func (h *Held) Release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.release()
}

func (h *Held) release() {
	if h.done {
		return
	}
	h.done = true
	h.v.mu.Lock()
	defer h.v.mu.Unlock()
	if h.hold.n--; h.hold.n == 0 {
		if h.hold.lock != nil {
			h.hold.lock.Close()
		}
		delete(h.v.holds, h.sha)
	}
}

// Discard undoes the ingest whose record was refused: it takes the file out of the vault
// unless another ingest of the same content still holds it, or named (asked under the lock)
// says a record names it, as the vault keeps one file for every record of the same content.
// Then it lets go of the file. Returns EUNAVAILABLE if the file cannot be removed.
func (h *Held) Discard(named func(sha string) (bool, error)) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.done {
		return nil
	}
	defer h.release()
	// Locked until the file is gone: no ingest of this process may take up the hold meanwhile.
	h.v.mu.Lock()
	defer h.v.mu.Unlock()
	if h.hold.n != 1 || !mayRemove(h) {
		return nil
	}
	if isNamed, err := named(h.sha); err != nil || isNamed {
		return err
	}
	path := h.v.Path(h.sha)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot remove evidence %s from the vault: %v", h.sha, err)
	}
	syncDir(filepath.Dir(path))
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

// commit gives the content its digest's name and holds the stored file (see Held): the file
// another ingest stored already, once that ingest's record is settled, or else this copy.
func (p *pending) commit(ctx context.Context) (*Held, error) {
	final := p.v.Path(p.SHA256)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return nil, writeError(err)
	}
	for range 100 {
		if h := p.v.sharedHold(p.SHA256); h != nil {
			return h, nil // drop removes this copy
		}
		lock, found, err := holdStored(ctx, final)
		if err != nil {
			return nil, err
		}
		if found {
			return p.v.held(p.SHA256, lock, false), nil // drop removes this copy
		}
		if err := os.Chmod(p.f.Name(), 0o444); err != nil {
			return nil, writeError(err)
		}
		placed, lock, err := place(p.f, final)
		if err != nil {
			return nil, writeError(err)
		}
		if placed {
			p.committed = true
			syncDir(filepath.Dir(final))
			return p.v.held(p.SHA256, lock, true), nil
		}
		// Another ingest placed the same content first: hold that one.
	}
	return nil, blotter.Errorf(blotter.EUNAVAILABLE, "cannot store %s: the vault's file keeps appearing and disappearing", p.SHA256)
}

// drop removes the temporary file unless commit moved it into place, and closes it (which
// releases its lock) unless the Held of a placed copy holds it. It may be called more than once.
func (p *pending) drop() {
	if !p.committed {
		p.f.Close()
		os.Remove(p.f.Name())
	}
}

// stillNamed reports whether the open file f is still the file at its name.
func stillNamed(f *os.File) bool { return namedAt(f, f.Name()) }

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
