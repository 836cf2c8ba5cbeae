package recorder

import (
	"context"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Note is a note a responder writes. The #words of its text become tags as well.
type Note struct {
	IncidentID string    // "" for the active incident
	Text       string    //
	At         time.Time // when it happened (the key press); zero is now
	Tags       []string  // tags given explicitly (each must be a valid tag)
}

// AddNote adds a note. Its tags are the explicit ones, then as many #words of the text as fit:
// a note is never refused for its #words. Returns EINVALID, ENOTFOUND.
func (r *Recorder) AddNote(ctx context.Context, n Note) (*blotter.Entry, error) {
	inc, err := r.Incident(ctx, n.IncidentID)
	if err != nil {
		return nil, err
	}
	tags, err := blotter.NoteTags(n.Tags, n.Text)
	if err != nil {
		return nil, err
	}
	return r.addEntry(ctx, &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindNote, OccurredAt: n.At, Text: n.Text, Tags: tags})
}

// addEntry stores a new entry made by this responder.
func (r *Recorder) addEntry(ctx context.Context, e *blotter.Entry) (*blotter.Entry, error) {
	ch, err := r.localChange(ctx, "")
	if err != nil {
		return nil, err
	}
	if err := r.db.AddEntry(ctx, e, ch); err != nil {
		return nil, err
	}
	return e, nil
}

// EditEntry changes an entry as a new revision; reason is required. Returns ENOTFOUND, EINVALID.
func (r *Recorder) EditEntry(ctx context.Context, id string, upd blotter.EntryUpdate, reason string) (*blotter.Entry, error) {
	ch, err := r.localChange(ctx, reason)
	if err != nil {
		return nil, err
	}
	return r.db.EditEntry(ctx, id, upd, ch)
}

// DeleteEntry hides an entry as a new revision; reason is required. Returns ENOTFOUND,
// EINVALID, ECONFLICT (deleted already).
func (r *Recorder) DeleteEntry(ctx context.Context, id, reason string) (*blotter.Entry, error) {
	ch, err := r.localChange(ctx, reason)
	if err != nil {
		return nil, err
	}
	return r.db.DeleteEntry(ctx, id, ch)
}

// RestoreEntry shows a deleted entry again, as a new revision; reason is required. Returns
// ENOTFOUND, EINVALID, ECONFLICT (not deleted).
func (r *Recorder) RestoreEntry(ctx context.Context, id, reason string) (*blotter.Entry, error) {
	ch, err := r.localChange(ctx, reason)
	if err != nil {
		return nil, err
	}
	return r.db.RestoreEntry(ctx, id, ch)
}

// Entry returns the entry with the given id. Returns ENOTFOUND.
func (r *Recorder) Entry(ctx context.Context, id string) (*blotter.Entry, error) {
	return r.db.FindEntry(ctx, id)
}

// Timeline returns the entries the filter selects, oldest first. A tag is matched as it is
// spelled anywhere (#start-time, start-time and "Start time" are one tag).
func (r *Recorder) Timeline(ctx context.Context, f blotter.EntryFilter) ([]*blotter.Entry, error) {
	if f.Tag != "" {
		tags, err := blotter.NormalizeTags([]string{f.Tag})
		if err != nil {
			return nil, err
		}
		if len(tags) == 1 {
			f.Tag = tags[0]
		}
	}
	return r.db.ListEntries(ctx, f)
}

// ChangeCursor returns a cursor for ChangesSince: the newest revision in the database.
func (r *Recorder) ChangeCursor(ctx context.Context) (int64, error) {
	return r.db.LastRevisionID(ctx)
}

// ChangesSince returns the incident's entries changed after cursor (by any process), deleted
// ones included, and the next cursor.
func (r *Recorder) ChangesSince(ctx context.Context, incidentID string, cursor int64) ([]*blotter.Entry, int64, error) {
	return r.db.EntriesChangedSince(ctx, incidentID, cursor)
}

// History returns every revision of an entry, oldest first. Returns ENOTFOUND.
func (r *Recorder) History(ctx context.Context, id string) ([]*blotter.Revision, error) {
	return r.db.History(ctx, id)
}

// Search returns the incident's entries whose text, tags or evidence names match query, newest
// first. Returns EINVALID for a query with nothing to search for.
func (r *Recorder) Search(ctx context.Context, incidentID, query string, opts blotter.SearchOptions) ([]*blotter.Entry, error) {
	return r.db.Search(ctx, incidentID, query, opts)
}

// SearchCount returns how many entries match query, up to sqlite.MaxSearchCount (more is
// MaxSearchCount+1).
func (r *Recorder) SearchCount(ctx context.Context, incidentID, query string) (int, error) {
	return r.db.SearchCount(ctx, incidentID, query)
}

// Observables returns the indicators in the incident's visible entries, with the entries that
// mention them.
func (r *Recorder) Observables(ctx context.Context, incidentID string) ([]*blotter.ObservableUse, error) {
	return r.db.Observables(ctx, incidentID)
}
