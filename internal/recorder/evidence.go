package recorder

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/capture"
	"github.com/blotterapp/blotter/internal/vault"
)

// Attach copies the file at path into the vault and adds a file entry for it to the incident
// ("" for the active one). text may be empty (the entry then shows the file); at zero means
// now. A file that is refused (by the vault or by the record) leaves nothing in the vault.
func (r *Recorder) Attach(ctx context.Context, incidentID, path, text string, at time.Time, progress vault.Progress) (*blotter.Entry, error) {
	inc, err := r.Incident(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	if err := blotter.ValidateText(text); err != nil {
		return nil, err
	}
	return r.addEvidenceEntry(ctx, &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindFile, OccurredAt: at, Text: text},
		func() (*blotter.Evidence, *vault.Held, error) { return r.vault.Ingest(ctx, path, progress) })
}

// addEvidenceEntry stores evidence with ingest, then the entry that names it. If the entry is
// refused, the file is taken out of the vault again, unless another ingest of the same content
// holds it or a record names it: nothing of a refused ingest stays, and nothing another record
// needs goes.
func (r *Recorder) addEvidenceEntry(ctx context.Context, e *blotter.Entry, ingest func() (*blotter.Evidence, *vault.Held, error)) (*blotter.Entry, error) {
	ev, held, err := ingest()
	if err != nil {
		return nil, err
	}
	e.Evidence = append(e.Evidence, *ev)
	if _, err := r.addEntry(ctx, e); err != nil {
		r.discardUnnamed(held)
		return nil, err
	}
	held.Release()
	return e, nil
}

// discardUnnamed undoes the ingest of a file whose record was refused (see vault.Held.Discard).
// It runs after a failed write, with a context of its own: the caller's may be the reason it
// failed.
func (r *Recorder) discardUnnamed(held *vault.Held) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = held.Discard(func(sha string) (bool, error) { return r.db.EvidenceNamed(ctx, sha) })
}

// MaxClipboardBytes bounds what one clipboard capture stores.
const MaxClipboardBytes = capture.MaxClipBytes // what the clipboard reader takes in at most

// CaptureClip puts clipboard content on the active incident's timeline as a clipboard entry,
// timed at, which is when the user asked for it. An image becomes evidence. Text that cannot be
// an entry's text (over the text limit, not UTF-8, holding NUL bytes) is kept whole as an
// evidence file instead, with a line saying why: nothing is lost or cut.
func (r *Recorder) CaptureClip(ctx context.Context, clip *capture.Clip, at time.Time) (*blotter.Entry, error) {
	inc, err := r.ActiveIncident(ctx)
	if err != nil {
		return nil, err
	}
	return r.captureClip(ctx, inc.ID, clip, at)
}

func (r *Recorder) captureClip(ctx context.Context, incidentID string, clip *capture.Clip, at time.Time) (*blotter.Entry, error) {
	e := &blotter.Entry{IncidentID: incidentID, Kind: blotter.KindClipboard, OccurredAt: at}
	stamp := at.UTC().Format("20060102-150405")
	var content []byte
	var name string
	switch {
	case len(clip.Image) > 0:
		if len(clip.Image) > MaxClipboardBytes {
			return nil, blotter.Errorf(blotter.EINVALID, "the clipboard image is %d MiB; the limit is %d MiB", len(clip.Image)>>20, MaxClipboardBytes>>20)
		}
		content, name = clip.Image, "clipboard-"+stamp+".png"
	case len(clip.Text) > MaxClipboardBytes:
		return nil, blotter.Errorf(blotter.EINVALID, "the clipboard holds %d MiB of text; the limit is %d MiB", len(clip.Text)>>20, MaxClipboardBytes>>20)
	default:
		why := unfitText(clip.Text)
		if why == "" {
			e.Text = string(clip.Text)
			return r.addEntry(ctx, e)
		}
		content, name = clip.Text, "clipboard-"+stamp+".txt"
		if !utf8.Valid(clip.Text) {
			name = "clipboard-" + stamp + ".bin"
		}
		e.Text = fmt.Sprintf("Clipboard content (%d bytes) kept as a file: %s.", len(clip.Text), why)
	}
	return r.addEvidenceEntry(ctx, e, func() (*blotter.Evidence, *vault.Held, error) {
		return r.vault.IngestReader(ctx, name, bytes.NewReader(content), MaxClipboardBytes)
	})
}

// unfitText says why clipboard bytes cannot be an entry's text, or "" if they can.
func unfitText(b []byte) string {
	switch {
	case !utf8.Valid(b):
		return "it is not UTF-8 text"
	case bytes.IndexByte(b, 0) >= 0:
		return "it holds NUL bytes"
	case len(b) > blotter.MaxTextBytes:
		return fmt.Sprintf("it is over the %d KiB text limit", blotter.MaxTextBytes>>10)
	}
	return ""
}

// WatchedClip records a content the clipboard watch saw, on the active incident, unless the
// watch recorded the same content on that incident before (this run or an earlier one of the
// app). It returns nil and no error for such a repeat.
func (r *Recorder) WatchedClip(ctx context.Context, clip *capture.Clip, at time.Time) (*blotter.Entry, error) {
	inc, err := r.ActiveIncident(ctx)
	if err != nil {
		return nil, err
	}
	h := clip.Hash()
	digest := hex.EncodeToString(h[:])
	if seen, err := r.db.ClipboardSeen(ctx, inc.ID, digest); err != nil || seen {
		return nil, err
	}
	e, err := r.captureClip(ctx, inc.ID, clip, at)
	if err != nil {
		return nil, err
	}
	return e, r.db.MarkClipboardSeen(ctx, inc.ID, digest)
}

// CaptureScreenshot puts a screenshot on the active incident's timeline as screenshot evidence,
// timed at, which is when the user asked for it.
func (r *Recorder) CaptureScreenshot(ctx context.Context, shot *capture.Shot, at time.Time) (*blotter.Entry, error) {
	inc, err := r.ActiveIncident(ctx)
	if err != nil {
		return nil, err
	}
	name := "screenshot-" + at.UTC().Format("20060102-150405") + ".png"
	e := &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindScreenshot, OccurredAt: at,
		Text: fmt.Sprintf("Screenshot %d×%d", shot.Width, shot.Height)}
	return r.addEvidenceEntry(ctx, e, func() (*blotter.Evidence, *vault.Held, error) {
		return r.vault.IngestReader(ctx, name, bytes.NewReader(shot.PNG), int64(len(shot.PNG)))
	})
}

// EvidencePath returns where the vault keeps the file with the given digest. Returns EINVALID
// for anything but a SHA-256 (so no path can be smuggled in) and ENOTFOUND for a file not held.
func (r *Recorder) EvidencePath(sha string) (string, error) {
	if len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		return "", blotter.Errorf(blotter.EINVALID, "%q is not a SHA-256 digest", sha)
	}
	path := r.vault.Path(sha)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return "", blotter.Errorf(blotter.ENOTFOUND, "evidence %s is not in this vault", sha)
	}
	return path, nil
}
