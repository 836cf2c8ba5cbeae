package app

import (
	"context"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Incidents lets the frontend create, list, switch and update incidents.
type Incidents struct{ *core }

// List returns every incident, newest first.
func (s *Incidents) List() ([]*blotter.Incident, error) {
	return s.ws.DB.ListIncidents(context.Background())
}

// Active returns the active incident, or nil when there is none yet.
func (s *Incidents) Active() (*blotter.Incident, error) {
	inc, err := s.active(context.Background())
	if blotter.ErrorCode(err) == blotter.ENOTFOUND {
		return nil, nil
	}
	return inc, err
}

// Create starts an incident and makes it the active one.
func (s *Incidents) Create(title string, severity blotter.Severity) (*blotter.Incident, error) {
	ctx := context.Background()
	author, err := s.author(ctx)
	if err != nil {
		return nil, err
	}
	inc := &blotter.Incident{Title: title, Severity: severity, CreatedBy: author}
	if err := s.ws.DB.CreateIncident(ctx, inc); err != nil {
		return nil, err
	}
	return s.ws.UseIncident(ctx, inc.ID)
}

// Use makes the incident with the given id the active one.
func (s *Incidents) Use(id string) (*blotter.Incident, error) {
	inc, err := s.ws.UseIncident(context.Background(), id)
	if err == nil {
		s.resumeClipboardWatch(context.Background())
	}
	return inc, err
}

// Update renames the incident or changes its severity or status, as a revision.
func (s *Incidents) Update(id string, upd blotter.IncidentUpdate, reason string) (*blotter.Incident, error) {
	ctx := context.Background()
	author, err := s.author(ctx)
	if err != nil {
		return nil, err
	}
	return s.ws.DB.UpdateIncident(ctx, id, upd, author, reason)
}
