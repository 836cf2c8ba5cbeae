package app

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/capture"
)

// Evidence lets the frontend put files on the timeline (drag and drop) and find stored ones.
type Evidence struct{ *core }

// AttachResult says what became of one file.
type AttachResult struct {
	Path  string         `json:"path"`
	Entry *blotter.Entry `json:"entry,omitempty"`
	Error string         `json:"error,omitempty"` // why it was refused, for the user
}

// Attach copies each file into the vault and adds a file entry for it to the active incident,
// reporting progress as EventAttachProgress. A refused file does not stop the others.
func (s *Evidence) Attach(paths []string) ([]AttachResult, error) {
	ctx := s.ctx()
	inc, err := s.rec.ActiveIncident(ctx)
	if err != nil {
		return nil, err
	}
	results := make([]AttachResult, 0, len(paths))
	for _, path := range paths {
		var last int64
		progress := func(done, total int64) {
			// About a hundred events per file are plenty for a progress bar.
			if done == total || total <= 0 || done-last >= total/100 {
				last = done
				s.emit(EventAttachProgress, AttachProgress{Path: path, Done: done, Total: total})
			}
		}
		e, err := s.rec.Attach(ctx, inc.ID, path, "", time.Time{}, progress)
		if err != nil {
			results = append(results, AttachResult{Path: path, Error: err.Error()})
			continue
		}
		results = append(results, AttachResult{Path: path, Entry: e})
	}
	return results, nil
}

// Reveal shows the stored file with the given digest in the OS file manager, and says what it
// did ("shown in the file manager", "opened the folder"). EINVALID for anything but a digest,
// ENOTFOUND for a file this vault does not hold, EUNAVAILABLE saying why nothing could show it.
func (s *Evidence) Reveal(sha string) (string, error) {
	path, err := s.storedPath(sha)
	if err != nil {
		return "", err
	}
	return capture.Reveal(path)
}

// TextExcerpt is the start of an evidence file, for the app's viewer.
type TextExcerpt struct {
	Text      string `json:"text"`      // the excerpt; empty when Binary
	Truncated bool   `json:"truncated"` // the file is longer than the excerpt
	Size      int64  `json:"size"`      // the whole file's size
	Binary    bool   `json:"binary"`    // not UTF-8 text (NUL bytes, invalid sequences): not shown as text
}

// Text excerpt sizes: what the viewer asks for by default, and the most it can ask for.
const (
	DefaultTextExcerpt = 1 << 20
	MaxTextExcerpt     = 4 << 20
)

// Text returns up to max bytes (DefaultTextExcerpt when max <= 0, at most MaxTextExcerpt) of
// the stored file with the given digest, for the viewer to show as text: escaped, never
// rendered. It reads through the recorder (a digest only, a regular file only): EINVALID for
// anything but a SHA-256, so no path can be asked for.
func (s *Evidence) Text(sha string, max int) (TextExcerpt, error) {
	if max <= 0 {
		max = DefaultTextExcerpt
	}
	max = min(max, MaxTextExcerpt)
	f, size, err := s.rec.OpenEvidence(sha)
	if err != nil {
		return TextExcerpt{}, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, int64(max)))
	if err != nil {
		return TextExcerpt{}, blotter.Errorf(blotter.EUNAVAILABLE, "cannot read evidence %s: %v", sha, err)
	}
	x := TextExcerpt{Size: size, Truncated: size > int64(len(b))}
	if x.Truncated {
		b = cutPartialRune(b) // the cut may fall inside a character
	}
	if bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b) {
		x.Binary = true
		return x, nil
	}
	x.Text = string(b)
	return x, nil
}

// cutPartialRune drops an incomplete UTF-8 sequence at the end of b.
func cutPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

// storedPath returns where the vault keeps the file with the given digest.
func (s *Evidence) storedPath(sha string) (string, error) {
	return s.rec.EvidencePath(sha)
}

// EvidencePrefix is the URL path under which the app serves vault files to its own view
// (image thumbnails): /evidence/<sha256>.
const EvidencePrefix = "/evidence/"

// EvidenceHandler serves vault files under EvidencePrefix to the app's own view; everything
// else is the frontend's.
func (s *Services) EvidenceHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, EvidencePrefix) {
			s.Evidence.serve(w, r)
			return
		}
		http.NotFound(w, r)
	})
}

// serve serves vault files by digest, for thumbnails. Files are served as attachments unless
// they are images, and never as HTML or script, so evidence cannot run in the view. It is not
// exported: exported methods of a bound struct are callable from the frontend.
func (s *Evidence) serve(w http.ResponseWriter, r *http.Request) {
	sha := strings.TrimPrefix(r.URL.Path, EvidencePrefix)
	path, err := s.storedPath(sha)
	if err != nil {
		http.Error(w, blotter.ErrorMessage(err), http.StatusNotFound)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		http.Error(w, "cannot read evidence", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := f.Read(head)
	f.Seek(0, 0)
	ctype := http.DetectContentType(head[:n])
	if !strings.HasPrefix(ctype, "image/") || strings.Contains(ctype, "svg") {
		ctype = "application/octet-stream"
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", sha))
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", modTime(f), f)
}

func modTime(f *os.File) time.Time {
	if fi, err := f.Stat(); err == nil {
		return fi.ModTime()
	}
	return time.Time{}
}
