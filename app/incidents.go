package app

import (
	"github.com/blotterapp/blotter/internal/blotter"
)

// Incidents lets the frontend create, list, switch and update incidents.
type Incidents struct{ *core }

// List returns every incident, newest first.
func (s *Incidents) List() ([]*blotter.Incident, error) {
	return s.rec.Incidents(s.ctx())
}

// Active returns the active incident, or nil when there is none yet.
func (s *Incidents) Active() (*blotter.Incident, error) {
	inc, err := s.rec.ActiveIncident(s.ctx())
	if blotter.ErrorCode(err) == blotter.ENOTFOUND {
		return nil, nil
	}
	return inc, err
}

// Create starts an incident and makes it the active one.
func (s *Incidents) Create(title string, severity blotter.Severity) (*blotter.Incident, error) {
	return s.rec.CreateIncident(s.ctx(), title, severity)
}

// Use makes the incident with the given id the active one.
func (s *Incidents) Use(id string) (*blotter.Incident, error) {
	inc, err := s.rec.UseIncident(s.ctx(), id)
	if err == nil {
		s.resumeClipboardWatch(s.ctx())
	}
	return inc, err
}

// Update renames the incident or changes its severity or status, as a revision and an entry on
// its timeline.
func (s *Incidents) Update(id string, upd blotter.IncidentUpdate, reason string) (*blotter.Incident, error) {
	return s.rec.UpdateIncident(s.ctx(), id, upd, reason)
}
