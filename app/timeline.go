package app

import (
	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
)

// Timeline lets the frontend read and write the active incident's timeline.
type Timeline struct{ *core }

// Snapshot is a whole timeline and the cursor to ask for changes after it.
type Snapshot struct {
	Incident *blotter.Incident `json:"incident"`
	Entries  []*blotter.Entry  `json:"entries"` // deleted ones included; the view filters
	Cursor   int64             `json:"cursor"`
}

// ChangeSet is what changed after a cursor.
type ChangeSet struct {
	Entries []*blotter.Entry `json:"entries"`
	Cursor  int64            `json:"cursor"`
}

// NoteInput is a note typed in the app. OccurredAt is when the user started typing (RFC 3339);
// empty means now. Words like #tag in the text become tags too.
type NoteInput struct {
	Text       string   `json:"text"`
	OccurredAt string   `json:"occurred_at"`
	Tags       []string `json:"tags"`
}

// EditInput names what an edit changes; nil fields stay as they are.
type EditInput struct {
	Text       *string   `json:"text,omitempty"`
	OccurredAt *string   `json:"occurred_at,omitempty"`
	Tags       *[]string `json:"tags,omitempty"`
}

// HistoryItem is one revision of an entry with the state it recorded.
type HistoryItem struct {
	Revision *blotter.Revision `json:"revision"`
	Entry    *blotter.Entry    `json:"entry"`
}

// Load returns the active incident's whole timeline, or an empty snapshot without incident.
func (s *Timeline) Load() (*Snapshot, error) {
	return s.load(0)
}

// LoadRecent returns the active incident's newest n entries: the view shows them at once and
// loads the rest behind them.
func (s *Timeline) LoadRecent(n int) (*Snapshot, error) {
	return s.load(max(n, 1))
}

func (s *Timeline) load(last int) (*Snapshot, error) {
	ctx := s.ctx()
	cursor, err := s.rec.ChangeCursor(ctx)
	if err != nil {
		return nil, err
	}
	inc, err := s.rec.ActiveIncident(ctx)
	if blotter.ErrorCode(err) == blotter.ENOTFOUND {
		return &Snapshot{Entries: []*blotter.Entry{}, Cursor: cursor}, nil
	} else if err != nil {
		return nil, err
	}
	entries, err := s.rec.Timeline(ctx, blotter.EntryFilter{IncidentID: inc.ID, IncludeDeleted: true, Limit: last, Last: last > 0})
	if blotter.ErrorField(err) == blotter.FieldDamaged {
		s.emit(EventRecordDamaged, blotter.ErrorMessage(err)) // show what can be shown, and say so
	} else if err != nil {
		return nil, err
	}
	return &Snapshot{Incident: inc, Entries: entries, Cursor: cursor}, nil
}

// Changes returns the incident's entries changed after cursor (by any process).
func (s *Timeline) Changes(incidentID string, cursor int64) (*ChangeSet, error) {
	entries, next, err := s.rec.ChangesSince(s.ctx(), incidentID, cursor)
	if err != nil {
		return nil, err
	}
	return &ChangeSet{Entries: entries, Cursor: next}, nil
}

// AddNote adds a note to the active incident.
func (s *Timeline) AddNote(in NoteInput) (*blotter.Entry, error) {
	n := recorder.Note{Text: in.Text, Tags: in.Tags}
	if in.OccurredAt != "" {
		var err error
		if n.At, err = s.parseTime(in.OccurredAt); err != nil {
			return nil, err
		}
	}
	return s.rec.AddNote(s.ctx(), n)
}

// Edit changes an entry as a new revision; reason is required.
func (s *Timeline) Edit(id string, in EditInput, reason string) (*blotter.Entry, error) {
	upd := blotter.EntryUpdate{Text: in.Text, Tags: in.Tags}
	if in.OccurredAt != nil {
		t, err := s.parseTime(*in.OccurredAt)
		if err != nil {
			return nil, err
		}
		upd.OccurredAt = &t
	}
	return s.rec.EditEntry(s.ctx(), id, upd, reason)
}

// Delete hides an entry as a new revision; reason is required.
func (s *Timeline) Delete(id, reason string) (*blotter.Entry, error) {
	return s.rec.DeleteEntry(s.ctx(), id, reason)
}

// Restore shows a deleted entry again, as a new revision.
func (s *Timeline) Restore(id, reason string) (*blotter.Entry, error) {
	return s.rec.RestoreEntry(s.ctx(), id, reason)
}

// History returns every revision of an entry with the state it recorded, oldest first.
func (s *Timeline) History(id string) ([]HistoryItem, error) {
	revs, err := s.rec.History(s.ctx(), id)
	if err != nil {
		return nil, err
	}
	items := make([]HistoryItem, 0, len(revs))
	for _, r := range revs {
		c, err := r.Decode()
		if err != nil {
			return nil, err
		}
		items = append(items, HistoryItem{Revision: r, Entry: c.Entry})
	}
	return items, nil
}

// Search returns the active incident's entries matching query, newest first; before continues
// after the last entry of a previous page.
func (s *Timeline) Search(query, before string) ([]*blotter.Entry, error) {
	inc, err := s.rec.ActiveIncident(s.ctx())
	if err != nil {
		return nil, err
	}
	return s.rec.Search(s.ctx(), inc.ID, query, blotter.SearchOptions{Limit: 200, Before: before})
}

// SearchCount returns how many of the active incident's entries match query, up to 10,000
// (more is 10,001).
func (s *Timeline) SearchCount(query string) (int, error) {
	inc, err := s.rec.ActiveIncident(s.ctx())
	if err != nil {
		return 0, err
	}
	return s.rec.SearchCount(s.ctx(), inc.ID, query)
}

// Observables returns the indicators in the active incident with the entries that mention them.
func (s *Timeline) Observables() ([]*blotter.ObservableUse, error) {
	inc, err := s.rec.ActiveIncident(s.ctx())
	if err != nil {
		return nil, err
	}
	return s.rec.Observables(s.ctx(), inc.ID)
}
