package workspace

import (
	"bytes"
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/capture"
	"github.com/blotterapp/blotter/internal/vault"
)

// Attach copies the file at path into the vault and adds a file entry for it to the incident.
// text may be empty (the entry then shows the file); occurredAt zero means now.
func (w *Workspace) Attach(ctx context.Context, incidentID, path, text string, occurredAt time.Time, progress vault.Progress) (*blotter.Entry, error) {
	author, err := w.Author(ctx)
	if err != nil {
		return nil, err
	}
	if err := blotter.ValidateText(text); err != nil {
		return nil, err
	}
	ev, err := w.Vault.Ingest(ctx, path, progress)
	if err != nil {
		return nil, err
	}
	e := &blotter.Entry{
		IncidentID: incidentID, Kind: blotter.KindFile, OccurredAt: occurredAt, Author: author,
		Text: text, Evidence: []blotter.Evidence{*ev},
	}
	if err := w.DB.AddEntry(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// MaxClipboardBytes bounds what one clipboard capture stores.
const MaxClipboardBytes = capture.MaxClipBytes // what the clipboard reader takes in at most

// CaptureClip puts clipboard content on the active incident's timeline as a clipboard entry,
// timed at, which is when the user asked for it. An image becomes evidence. Text that cannot be
// an entry's text (over the text limit, not UTF-8, holding NUL bytes) is kept whole as an
// evidence file instead, with a line saying why: nothing is lost or cut.
func (w *Workspace) CaptureClip(ctx context.Context, clip *capture.Clip, at time.Time) (*blotter.Entry, error) {
	e, err := w.captureEntry(ctx, blotter.KindClipboard, at)
	if err != nil {
		return nil, err
	}
	stamp := at.UTC().Format("20060102-150405")
	switch {
	case len(clip.Image) > 0:
		if len(clip.Image) > MaxClipboardBytes {
			return nil, blotter.Errorf(blotter.EINVALID, "the clipboard image is %d MiB; the limit is %d MiB", len(clip.Image)>>20, MaxClipboardBytes>>20)
		}
		ev, err := w.Vault.IngestReader(ctx, "clipboard-"+stamp+".png", bytes.NewReader(clip.Image), MaxClipboardBytes)
		if err != nil {
			return nil, err
		}
		e.Evidence = []blotter.Evidence{*ev}
	default:
		if len(clip.Text) > MaxClipboardBytes {
			return nil, blotter.Errorf(blotter.EINVALID, "the clipboard holds %d MiB of text; the limit is %d MiB", len(clip.Text)>>20, MaxClipboardBytes>>20)
		}
		text := string(clip.Text)
		if why := unfitText(clip.Text); why != "" {
			name := "clipboard-" + stamp + ".txt"
			if !utf8.Valid(clip.Text) {
				name = "clipboard-" + stamp + ".bin"
			}
			ev, err := w.Vault.IngestReader(ctx, name, bytes.NewReader(clip.Text), MaxClipboardBytes)
			if err != nil {
				return nil, err
			}
			e.Evidence = []blotter.Evidence{*ev}
			e.Text = fmt.Sprintf("Clipboard content (%d bytes) kept as a file: %s.", len(clip.Text), why)
		} else {
			e.Text = text
		}
	}
	if err := w.DB.AddEntry(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
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

// CaptureScreenshot puts a screenshot on the active incident's timeline as screenshot evidence,
// timed at, which is when the user asked for it.
func (w *Workspace) CaptureScreenshot(ctx context.Context, shot *capture.Shot, at time.Time) (*blotter.Entry, error) {
	e, err := w.captureEntry(ctx, blotter.KindScreenshot, at)
	if err != nil {
		return nil, err
	}
	name := "screenshot-" + at.UTC().Format("20060102-150405") + ".png"
	ev, err := w.Vault.IngestReader(ctx, name, bytes.NewReader(shot.PNG), int64(len(shot.PNG)))
	if err != nil {
		return nil, err
	}
	e.Text, e.Evidence = fmt.Sprintf("Screenshot %d×%d", shot.Width, shot.Height), []blotter.Evidence{*ev}
	if err := w.DB.AddEntry(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// captureEntry starts an entry of the kind for the active incident, by the configured author.
func (w *Workspace) captureEntry(ctx context.Context, kind blotter.Kind, at time.Time) (*blotter.Entry, error) {
	inc, err := w.ActiveIncident(ctx)
	if err != nil {
		return nil, err
	}
	author, err := w.Author(ctx)
	if err != nil {
		return nil, err
	}
	return &blotter.Entry{IncidentID: inc.ID, Kind: kind, OccurredAt: at, Author: author}, nil
}
