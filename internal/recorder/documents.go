package recorder

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/drafts"
)

// The documents written after an incident: the RCA and the runbook. A draft is made from the
// record (internal/drafts); what the responder then writes is saved as revisions in the
// incident's log, so the RCA's history is part of the record too.

// TemplatesDir is where a team's own templates live in the data dir: templates/rca.md.tmpl
// and templates/runbook.md.tmpl replace the embedded defaults.
const TemplatesDir = "templates"

// Draft makes the incident's document of a kind from its record as it is now, with tmpl (a
// Go text/template), or the data dir's template, or the default.
func (r *Recorder) Draft(ctx context.Context, incidentID string, kind blotter.DocumentKind, tmpl string) (string, error) {
	rec, err := r.draftRecord(ctx, incidentID)
	if err != nil {
		return "", err
	}
	if tmpl == "" {
		b, err := os.ReadFile(filepath.Join(r.dir, TemplatesDir, string(kind)+".md.tmpl"))
		switch {
		case err == nil:
			tmpl = string(b)
		case !errors.Is(err, fs.ErrNotExist):
			return "", blotter.Errorf(blotter.EUNAVAILABLE, "the team's %s template cannot be read: %v", kind, err)
		}
	}
	return drafts.Render(kind, tmpl, *rec)
}

// draftRecord gathers what a draft is made from.
func (r *Recorder) draftRecord(ctx context.Context, incidentID string) (*drafts.Record, error) {
	inc, err := r.Incident(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	entries, err := r.db.ListEntries(ctx, blotter.EntryFilter{IncidentID: inc.ID})
	if err != nil {
		return nil, err
	}
	tasks, err := r.Tasks(ctx, TaskFilter{IncidentID: inc.ID})
	if err != nil {
		return nil, err
	}
	seq, hash, err := r.db.Head(ctx, inc.ID)
	if err != nil {
		return nil, err
	}
	rec := &drafts.Record{Incident: inc, Entries: entries, Tasks: tasks, HeadSeq: seq, HeadHash: hash, Now: r.now()}
	if link, err := r.db.Link(ctx, inc.ID, "gitlab"); err == nil {
		var where struct {
			WebURL string `json:"web_url"`
		}
		if json.Unmarshal([]byte(link.Remote), &where) == nil {
			rec.GitLabURL = where.WebURL
		}
		refs, err := r.db.RemoteEntries(ctx, inc.ID, "gitlab")
		if err != nil {
			return nil, err
		}
		rec.InGitLab = map[string]bool{}
		for id := range refs {
			rec.InGitLab[id] = true
		}
	}
	return rec, nil
}

// Document returns the incident's saved document of a kind. Returns ENOTFOUND when none.
func (r *Recorder) Document(ctx context.Context, incidentID string, kind blotter.DocumentKind) (*blotter.Document, error) {
	inc, err := r.Incident(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	return r.db.Document(ctx, inc.ID, kind)
}

// SaveDocument saves the document as its next revision, by this responder. baseRevision is
// the revision the text was edited from (0 for a first save): a save over someone else's
// newer one is refused with ECONFLICT. Returns EINVALID (nothing changed, too long, empty).
func (r *Recorder) SaveDocument(ctx context.Context, incidentID string, kind blotter.DocumentKind, body string, baseRevision int, reason string) (*blotter.Document, error) {
	inc, err := r.Incident(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	ch, err := r.localChange(ctx, reason)
	if err != nil {
		return nil, err
	}
	return r.db.SaveDocument(ctx, inc.ID, kind, body, baseRevision, ch)
}
