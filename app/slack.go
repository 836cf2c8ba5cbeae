package app

import (
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/syncer"
)

// Slack lets the frontend connect Slack, link the active incident to its channel, choose what
// is posted, post a status update and import the channel.
type Slack struct{ *core }

// Status returns the workspace, where the tokens come from, and the active incident's
// channel, policy and what waits.
func (s *Slack) Status() (*syncer.SlackStatus, error) {
	return syncer.SlackStatusOf(s.ctx(), s.rec, "")
}

// Connect checks the bot token (xoxb-) and the app-level token (xapp-) with Slack and keeps
// them in the OS keyring ("" for both uses the environment).
func (s *Slack) Connect(botToken, appToken string) (*syncer.SlackStatus, error) {
	if _, err := syncer.ConnectSlack(s.ctx(), s.rec, syncer.SlackTokens{Bot: botToken, App: appToken}); err != nil {
		return nil, err
	}
	s.notify()
	return s.Status()
}

// Disconnect forgets the workspace and its tokens; links stay.
func (s *Slack) Disconnect() error {
	err := syncer.DisconnectSlack(s.ctx(), s.rec)
	s.notify()
	return err
}

// LinkNew creates the active incident's channel, with its pinned header, and links it.
func (s *Slack) LinkNew() (*syncer.SlackChannel, error) {
	return s.link(func(inc *blotter.Incident) (*syncer.SlackChannel, error) {
		client, _, err := syncer.SlackClient(s.ctx(), s.rec)
		if err != nil {
			return nil, err
		}
		return syncer.LinkNewSlackChannel(s.ctx(), s.rec, client, inc)
	})
}

// Link links the active incident to an existing channel (its id or #name) and joins it.
func (s *Slack) Link(channel string) (*syncer.SlackChannel, error) {
	return s.link(func(inc *blotter.Incident) (*syncer.SlackChannel, error) {
		client, _, err := syncer.SlackClient(s.ctx(), s.rec)
		if err != nil {
			return nil, err
		}
		return syncer.LinkSlackChannel(s.ctx(), s.rec, client, inc, channel)
	})
}

func (s *Slack) link(do func(*blotter.Incident) (*syncer.SlackChannel, error)) (*syncer.SlackChannel, error) {
	inc, err := s.rec.ActiveIncident(s.ctx())
	if err != nil {
		return nil, err
	}
	ch, err := do(inc)
	s.notify()
	return ch, err
}

// SetPolicy chooses which of the active incident's entries are posted: all, tagged, none.
func (s *Slack) SetPolicy(policy string) error {
	inc, err := s.rec.ActiveIncident(s.ctx())
	if err != nil {
		return err
	}
	return s.rec.SetSlackPolicy(s.ctx(), inc.ID, recorder.SlackPolicy(policy))
}

// SetPinReaction sets the reaction that puts a Slack message on the timeline.
func (s *Slack) SetPinReaction(name string) error {
	return s.rec.SetSlackPinReaction(s.ctx(), name)
}

// Update records a status update on the active incident's timeline and posts it to the
// channel with the next pass (at once when Slack can be reached).
func (s *Slack) Update(text string) (*blotter.Entry, error) {
	e, err := s.rec.PostStatusUpdate(s.ctx(), "", text)
	s.notify()
	return e, err
}

// Import takes the linked channel's messages and threads (since a time a person typed, or
// all for "") into the active incident.
func (s *Slack) Import(since string) (*syncer.ImportResult, error) {
	ctx := s.ctx()
	inc, err := s.rec.ActiveIncident(ctx)
	if err != nil {
		return nil, err
	}
	var from time.Time
	if since != "" {
		if from, err = s.rec.ParseTime(since); err != nil {
			return nil, err
		}
	}
	ch, err := syncer.LinkedSlackChannel(ctx, s.rec, inc.ID)
	if err != nil {
		return nil, blotter.Errorf(blotter.EINVALID, "the incident is not linked to a Slack channel: link one first")
	}
	client, w, err := syncer.SlackClient(ctx, s.rec)
	if err != nil {
		return nil, err
	}
	return (&syncer.SlackReader{Rec: s.rec, Client: client, Workspace: w}).Import(ctx, inc.ID, ch.ID, from, nil)
}
