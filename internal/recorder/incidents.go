package recorder

import (
	"context"
	"fmt"

	"github.com/blotterapp/blotter/internal/blotter"
)

// CreateIncident starts an incident and makes it the active one, in one transaction. An empty
// severity is high. Returns EINVALID.
func (r *Recorder) CreateIncident(ctx context.Context, title string, severity blotter.Severity) (*blotter.Incident, error) {
	ch, err := r.localChange(ctx, "")
	if err != nil {
		return nil, err
	}
	inc := &blotter.Incident{Title: title, Severity: severity}
	if err := r.db.CreateIncident(ctx, inc, ch, true); err != nil {
		return nil, err
	}
	return inc, nil
}

// Incidents returns every incident, newest first.
func (r *Recorder) Incidents(ctx context.Context) ([]*blotter.Incident, error) {
	return r.db.ListIncidents(ctx)
}

// UpdateIncident renames the incident or changes its severity or status, as a revision and an
// entry on its timeline. Returns ENOTFOUND, EINVALID.
func (r *Recorder) UpdateIncident(ctx context.Context, id string, upd blotter.IncidentUpdate, reason string) (*blotter.Incident, error) {
	ch, err := r.localChange(ctx, reason)
	if err != nil {
		return nil, err
	}
	return r.db.UpdateIncident(ctx, id, upd, ch)
}

// ImportIncident reads an exported record (next yields its revisions, io.EOF at the end),
// checking its chain as it goes, and makes it the active incident. Returns ECONFLICT (it is
// here already), EINVALID (it does not verify).
func (r *Recorder) ImportIncident(ctx context.Context, next func() (*blotter.Revision, error)) (*blotter.Incident, error) {
	inc, err := r.db.ImportIncident(ctx, next, true)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return inc, nil
}

// ReadRecord visits an incident's whole record in one snapshot, for exports.
func (r *Recorder) ReadRecord(ctx context.Context, incidentID string, v blotter.RecordVisitor) error {
	return r.db.ReadRecord(ctx, incidentID, v)
}

var _ blotter.RecordReader = (*Recorder)(nil)
