package app

import (
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/syncer"
)

// Sync lets the frontend see and steer sharing through GitLab: its state, what failed and
// why, retrying, connecting and linking the active incident.
type Sync struct{ *core }

// SyncItem is an item that waits or failed, as the sync panel lists it.
type SyncItem struct {
	ID        int64  `json:"id"`
	Subject   string `json:"subject"`
	SubjectID string `json:"subject_id"`
	Attempts  int    `json:"attempts"`
	Error     string `json:"error"`
}

// SyncPanel is the sync panel's content.
type SyncPanel struct {
	State   syncer.State           `json:"state"`
	URL     string                 `json:"url"`
	Project string                 `json:"project"`
	Link    *syncer.GitLabIncident `json:"link"` // the active incident's GitLab incident, or nil
	Pending []SyncItem             `json:"pending"`
	Failed  []SyncItem             `json:"failed"`
	// Comments says whether comments on linked GitLab incidents come onto the timeline.
	Comments bool `json:"comments"`
}

// State returns the sync state after the last pass.
func (s *Sync) State() (syncer.State, error) {
	if s.sync == nil || s.sync.State().Status == "" {
		return syncer.State{Status: "local"}, nil // no pass yet
	}
	return s.sync.State(), nil
}

// Panel returns the connection, the active incident's link, and what waits or failed.
func (s *Sync) Panel() (*SyncPanel, error) {
	ctx := s.ctx()
	st, _ := s.State()
	p := &SyncPanel{State: st, Pending: []SyncItem{}, Failed: []SyncItem{}}
	var err error
	if p.URL, p.Project, err = s.rec.GitLabConnection(ctx); err != nil {
		return nil, err
	}
	if p.Comments, err = s.rec.GitLabComments(ctx); err != nil {
		return nil, err
	}
	if inc, err := s.rec.ActiveIncident(ctx); err == nil {
		p.Link, _ = syncer.LinkedGitLabIncident(ctx, s.rec, inc.ID) // nil when not linked
	}
	for _, failed := range []bool{false, true} {
		items, err := s.rec.Outbox(ctx, syncer.GitLabName, time.Time{}, failed, 200)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			item := SyncItem{ID: it.ID, Subject: it.Subject, SubjectID: it.SubjectID, Attempts: it.Attempts, Error: it.LastError}
			if failed {
				p.Failed = append(p.Failed, item)
			} else {
				p.Pending = append(p.Pending, item)
			}
		}
	}
	return p, nil
}

// Retry queues failed items again (one by id, or all for 0) and syncs soon.
func (s *Sync) Retry(id int64) (int, error) {
	n, err := s.rec.RetryFailed(s.ctx(), syncer.GitLabName, id)
	if err == nil && s.sync != nil {
		s.sync.Notify()
	}
	return n, err
}

// Connect checks a token against GitLab and remembers the URL and project; the token goes to
// the OS keyring ("" uses $BLOTTER_GITLAB_TOKEN). It says plainly what is wrong.
func (s *Sync) Connect(url, project, token string) (*syncer.State, error) {
	if _, err := syncer.ConnectGitLab(s.ctx(), s.rec, url, project, token); err != nil {
		return nil, err
	}
	if s.sync != nil {
		s.sync.Notify()
	}
	st, err := s.State()
	return &st, err
}

// LinkNew creates the active incident's GitLab incident and links the two.
func (s *Sync) LinkNew() (*syncer.GitLabIncident, error) {
	ctx := s.ctx()
	inc, err := s.rec.ActiveIncident(ctx)
	if err != nil {
		return nil, err
	}
	client, project, err := syncer.GitLabClient(ctx, s.rec)
	if err != nil {
		return nil, err
	}
	gi, err := syncer.LinkNewGitLabIncident(ctx, s.rec, client, project, inc)
	if err == nil && s.sync != nil {
		s.sync.Notify()
	}
	return gi, err
}

// Link links the active incident to an existing GitLab incident (its URL or number) and pulls
// what it holds.
func (s *Sync) Link(issue string) (*syncer.GitLabIncident, error) {
	ctx := s.ctx()
	inc, err := s.rec.ActiveIncident(ctx)
	if err != nil {
		return nil, err
	}
	iid, err := syncer.IssueNumber(issue)
	if err != nil {
		return nil, err
	}
	client, project, err := syncer.GitLabClient(ctx, s.rec)
	if err != nil {
		return nil, err
	}
	gi, _, err := syncer.LinkGitLabIncident(ctx, s.rec, client, project, inc, iid)
	s.notify()
	return gi, err
}

// Join makes a local incident of a GitLab incident (its URL or number), makes it active,
// links the two and pulls its timeline: how a second responder joins.
func (s *Sync) Join(issue string) (*blotter.Incident, error) {
	ctx := s.ctx()
	iid, err := syncer.IssueNumber(issue)
	if err != nil {
		return nil, err
	}
	client, project, err := syncer.GitLabClient(ctx, s.rec)
	if err != nil {
		return nil, err
	}
	inc, _, _, err := syncer.JoinGitLabIncident(ctx, s.rec, client, project, iid)
	s.notify()
	return inc, err
}

// SetComments chooses whether comments on linked GitLab incidents come onto the timeline.
func (s *Sync) SetComments(on bool) error {
	err := s.rec.SetGitLabComments(s.ctx(), on)
	s.notify()
	return err
}

// Disconnect forgets the GitLab connection and the token in the keyring; links stay.
func (s *Sync) Disconnect() error {
	err := syncer.DisconnectGitLab(s.ctx(), s.rec)
	s.notify()
	return err
}

// notify asks the background sync for a pass soon: the record or a connection changed.
func (c *core) notify() {
	if c.sync != nil {
		c.sync.Notify()
	}
}
