package syncer

import (
	"context"
	"errors"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/slack"
)

// ShortcutCallbackID is the message shortcut "Add to Blotter timeline" in the app manifest.
const ShortcutCallbackID = "add_to_blotter"

// SlackLive listens through Socket Mode (no public URL needed) while the app or `blotter
// sync` runs: the pin reaction or the message shortcut on a message puts it on the timeline
// of the incident its channel is linked to (the active incident for other channels), and a
// later edit or delete of a message on the record becomes a revision. Every envelope is
// acknowledged before it is handled, well within Slack's 3 seconds; an envelope Slack
// delivers again is one entry, since a message's remote id is recorded with its entry.
type SlackLive struct {
	*SlackReader
	// Taken, if set, is told each entry a live event added or changed.
	Taken func(e *blotter.Entry)
	// Log, if set, is told what the connection does and what failed.
	Log func(msg string, err error)
}

// Run connects and handles events until ctx ends; the Socket Mode client reconnects a
// dropped connection itself. Returns the error that stopped it (a refused token).
func (l *SlackLive) Run(ctx context.Context) error {
	if !l.Client.HasAppToken() {
		return blotter.Errorf(blotter.EUNAVAILABLE, "no app-level token (xapp-): reactions and the message shortcut need Socket Mode")
	}
	sm := socketmode.New(l.Client.API())
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- sm.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-done:
			if ctx.Err() != nil {
				return nil
			}
			return err
		case evt, ok := <-sm.Events:
			if !ok {
				return nil
			}
			l.handle(ctx, sm, evt)
		}
	}
}

func (l *SlackLive) handle(ctx context.Context, sm *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		l.log("connected to Slack (Socket Mode)", nil)
	case socketmode.EventTypeConnectionError:
		l.log("Slack connection failed; retrying", errFromData(evt.Data))
	case socketmode.EventTypeInvalidAuth:
		l.log("Slack refused the app-level token", errFromData(evt.Data))
	case socketmode.EventTypeEventsAPI:
		if evt.Request != nil {
			_ = sm.Ack(*evt.Request)
		}
		api, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			return
		}
		l.eventsAPI(ctx, api.InnerEvent.Data)
	case socketmode.EventTypeInteractive:
		if evt.Request != nil {
			_ = sm.Ack(*evt.Request)
		}
		cb, ok := evt.Data.(slackgo.InteractionCallback)
		if !ok || cb.Type != slackgo.InteractionTypeMessageAction || cb.CallbackID != ShortcutCallbackID {
			return
		}
		m := cb.Message
		if m.Timestamp == "" {
			return
		}
		// The payload holds the message as it is; fetch it anyway when it is cut short
		// (files and thread are not always in it).
		if full, err := l.Client.Message(ctx, cb.Channel.ID, m.Timestamp); err == nil {
			m = *full
		}
		l.take(ctx, cb.Channel.ID, &m)
	}
}

func (l *SlackLive) eventsAPI(ctx context.Context, inner any) {
	switch ev := inner.(type) {
	case *slackevents.ReactionAddedEvent:
		pin, err := l.Rec.SlackPinReaction(ctx)
		if err != nil || ev.Reaction != pin || ev.Item.Type != "message" {
			return
		}
		m, err := l.Client.Message(ctx, ev.Item.Channel, ev.Item.Timestamp)
		if err != nil {
			l.log("a pinned Slack message could not be read", err)
			return
		}
		l.take(ctx, ev.Item.Channel, m)
	case *slackevents.MessageEvent:
		switch ev.SubType {
		case "message_changed":
			if ev.Message == nil {
				return
			}
			m := slack.Message{Msg: *ev.Message}
			if id, _ := l.Rec.SubjectOfRemote(ctx, SlackName, slackMessageID(ev.Channel, m.Timestamp)); id == "" {
				return // not on the record: an edit of it is not news
			}
			l.take(ctx, ev.Channel, &m)
		case "message_deleted":
			ts := ev.DeletedTimeStamp
			if ts == "" && ev.PreviousMessage != nil {
				ts = ev.PreviousMessage.Timestamp
			}
			remoteID := slackMessageID(ev.Channel, ts)
			id, _ := l.Rec.SubjectOfRemote(ctx, SlackName, remoteID)
			if id == "" {
				return
			}
			by := "someone in Slack"
			if ev.PreviousMessage != nil && ev.PreviousMessage.User != "" {
				by = l.Client.UserName(ctx, ev.PreviousMessage.User)
			}
			e, err := l.Rec.DeleteRemoteEntry(ctx, blotter.Change{By: by, Reason: "deleted in Slack", Origin: blotter.OriginSlack,
				Remote: &blotter.RemoteRef{System: SlackName, ID: remoteID}})
			if err != nil && blotter.ErrorCode(err) != blotter.ECONFLICT {
				l.log("a message deleted in Slack could not be marked deleted", err)
			} else if e != nil && l.Taken != nil {
				l.Taken(e)
			}
		}
	}
}

// take puts a message on the timeline of the incident its channel is linked to, or of the
// active incident.
func (l *SlackLive) take(ctx context.Context, channel string, m *slack.Message) {
	incidentID, err := l.incidentOf(ctx, channel)
	if err != nil {
		l.log("a Slack message has no incident to go to", err)
		return
	}
	_, e, err := l.Take(ctx, incidentID, channel, m)
	if err != nil {
		l.log("a Slack message could not be put on the timeline", err)
		return
	}
	if e != nil && l.Taken != nil {
		l.Taken(e)
	}
}

// incidentOf is the incident a channel's messages go to: the one linked to it, else the
// active one.
func (l *SlackLive) incidentOf(ctx context.Context, channel string) (string, error) {
	links, err := l.Rec.SyncLinks(ctx, SlackName)
	if err != nil {
		return "", err
	}
	for i := len(links) - 1; i >= 0; i-- {
		if ch, err := LinkedSlackChannel(ctx, l.Rec, links[i].IncidentID); err == nil && ch.ID == channel {
			return links[i].IncidentID, nil
		}
	}
	inc, err := l.Rec.Incident(ctx, "")
	if err != nil {
		return "", err
	}
	return inc.ID, nil
}

func (l *SlackLive) log(msg string, err error) {
	if l.Log != nil {
		l.Log(msg, err)
	}
}

func errFromData(d any) error {
	if err, ok := d.(error); ok {
		return err
	}
	return errors.New("no detail")
}
