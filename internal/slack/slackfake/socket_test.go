package slackfake

import (
	"context"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// app runs a real socketmode.Client against the fake, acks every request
// and hands them to the test.
type app struct {
	requests chan socketmode.Event
	done     chan error
	cancel   context.CancelFunc
}

func startApp(t *testing.T, s *Server) *app {
	t.Helper()
	api := slack.New(BotToken, slack.OptionAPIURL(s.APIURL()), slack.OptionAppLevelToken(AppToken))
	client := socketmode.New(api)
	ctx, cancel := context.WithCancel(context.Background())
	a := &app{requests: make(chan socketmode.Event, 100), done: make(chan error, 1), cancel: cancel}
	go func() { a.done <- client.RunContext(ctx) }()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-client.Events:
				switch evt.Type {
				case socketmode.EventTypeEventsAPI, socketmode.EventTypeInteractive:
					client.Ack(*evt.Request)
					a.requests <- evt
				}
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-a.done:
		case <-time.After(5 * time.Second):
			t.Error("socketmode client did not stop")
		}
	})
	return a
}

func (a *app) next(t *testing.T) socketmode.Event {
	t.Helper()
	select {
	case evt := <-a.requests:
		return evt
	case <-time.After(5 * time.Second):
		t.Fatal("no envelope reached the app")
		return socketmode.Event{}
	}
}

func TestSocketMode(t *testing.T) {
	s := newServer(t)
	s.PingInterval = 20 * time.Millisecond
	s.AddUser("U1", "ada", "Ada")
	ch := s.AddChannel("incident-socket")
	ts := s.Post(ch, "U1", "DB is down")

	// Sent before the app connects: queued until it does.
	reactEnv := s.React(ch, ts, "U1", "rotating_light")
	a := startApp(t, s)

	evt := a.next(t)
	if evt.Type != socketmode.EventTypeEventsAPI || evt.Request.EnvelopeID != reactEnv || evt.Request.RetryAttempt != 0 {
		t.Fatalf("reaction envelope: %+v", evt.Request)
	}
	ev := evt.Data.(slackevents.EventsAPIEvent)
	ra, ok := ev.InnerEvent.Data.(*slackevents.ReactionAddedEvent)
	if !ok || ra.Reaction != "rotating_light" || ra.User != "U1" || ra.ItemUser != "U1" ||
		ra.Item.Type != "message" || ra.Item.Channel != ch || ra.Item.Timestamp != ts || ra.EventTimestamp == "" {
		t.Fatalf("reaction_added: %+v", ev.InnerEvent.Data)
	}
	if ev.TeamID != TeamID || ev.APIAppID != AppID {
		t.Fatalf("outer event: %+v", ev)
	}
	if d, ok := s.WaitAck(reactEnv, 5*time.Second); !ok || d < 0 {
		t.Fatalf("reaction not acked (%v)", d)
	}
	if !s.Acked(reactEnv) || s.Messages(ch)[0].Reactions["rotating_light"][0] != "U1" {
		t.Fatal("Acked or stored reaction")
	}

	scEnv := s.Shortcut(ch, ts, "U1", "add_to_timeline")
	evt = a.next(t)
	cb, ok := evt.Data.(slack.InteractionCallback)
	if evt.Type != socketmode.EventTypeInteractive || !ok || cb.Type != slack.InteractionTypeMessageAction ||
		cb.CallbackID != "add_to_timeline" || cb.Channel.ID != ch || cb.Message.Timestamp != ts ||
		cb.Message.Text != "DB is down" || cb.Message.User != "U1" || cb.User.ID != "U1" || cb.TriggerID == "" {
		t.Fatalf("shortcut: %+v", evt)
	}
	if _, ok := s.WaitAck(scEnv, 5*time.Second); !ok {
		t.Fatal("shortcut not acked")
	}

	// Slack's retry of the same envelope.
	s.Redeliver(reactEnv)
	evt = a.next(t)
	if evt.Request.EnvelopeID != reactEnv || evt.Request.RetryAttempt != 1 || evt.Request.RetryReason != "timeout" {
		t.Fatalf("redelivery: %+v", evt.Request)
	}
	waitFor(t, 5*time.Second, "the second ack", func() bool { return s.Acks(reactEnv) == 2 })

	// Edits and deletions as message events.
	s.Edit(ch, ts, "DB is down (primary)")
	s.SendMessageChangedEvent(ch, ts)
	evt = a.next(t)
	me, ok := evt.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
	if !ok || me.SubType != "message_changed" || me.Channel != ch || me.Message == nil ||
		me.Message.Text != "DB is down (primary)" || me.Message.Timestamp != ts || me.Message.Edited == nil ||
		me.PreviousMessage == nil || me.PreviousMessage.Text != "DB is down" {
		t.Fatalf("message_changed: %+v", evt.Data)
	}
	s.Delete(ch, ts)
	delEnv := s.SendMessageDeletedEvent(ch, ts)
	evt = a.next(t)
	me, ok = evt.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
	if !ok || me.SubType != "message_deleted" || me.DeletedTimeStamp != ts || me.PreviousMessage == nil ||
		me.PreviousMessage.Text != "DB is down (primary)" {
		t.Fatalf("message_deleted: %+v", evt.Data)
	}
	if _, ok := s.WaitAck(delEnv, 5*time.Second); !ok {
		t.Fatal("message_deleted not acked")
	}

	// Pings are answered.
	waitFor(t, 5*time.Second, "a pong", func() bool { return s.Pongs() > 0 })

	// A dropped socket: the client reconnects and gets envelopes again.
	if s.SocketConnections() != 1 {
		t.Fatalf("connections %d", s.SocketConnections())
	}
	s.DropSockets()
	waitFor(t, 5*time.Second, "the reconnect", func() bool { return s.SocketConnections() == 2 })
	ts2 := s.Post(ch, "U1", "again")
	env := s.React(ch, ts2, "U1", "eyes")
	if evt := a.next(t); evt.Request.EnvelopeID != env {
		t.Fatalf("after reconnect: %+v", evt.Request)
	}

	// Slack asks for a reconnect.
	s.AskReconnect()
	waitFor(t, 5*time.Second, "the refresh", func() bool { return s.SocketConnections() == 3 })
	waitFor(t, 5*time.Second, "the old socket to close", func() bool { return s.OpenSockets() == 1 })
	env = s.Shortcut(ch, ts2, "U1", "x")
	if evt := a.next(t); evt.Request.EnvelopeID != env {
		t.Fatalf("after refresh: %+v", evt.Request)
	}
	if s.Calls("apps.connections.open") != 3 {
		t.Fatalf("apps.connections.open calls: %d", s.Calls("apps.connections.open"))
	}
}

func TestSocketModeRevoked(t *testing.T) {
	s := newServer(t)
	a := startApp(t, s)
	waitFor(t, 5*time.Second, "the connection", func() bool { return s.SocketConnections() == 1 })
	s.RevokeTokens()
	select {
	case err := <-a.done:
		if err == nil || err.Error() != "token_revoked" {
			t.Fatalf("RunContext: %v", err)
		}
		a.done <- err // for the cleanup
	case <-time.After(5 * time.Second):
		t.Fatal("the client kept running after the tokens were revoked")
	}
}

func TestCloseEndsHangsAndSockets(t *testing.T) {
	s := New()
	a := startApp(t, s)
	waitFor(t, 5*time.Second, "the connection", func() bool { return s.SocketConnections() == 1 })
	s.Fail("auth.test", Hang())
	errc := make(chan error, 1)
	go func() {
		_, err := botClient(s).AuthTestContext(context.Background())
		errc <- err
	}()
	waitFor(t, 5*time.Second, "the hanging call", func() bool { return s.Calls("auth.test") == 1 })
	s.Close()
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("a hanging call answered")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close left a call hanging")
	}
	if s.OpenSockets() != 0 {
		t.Fatal("Close left a socket open")
	}
	a.cancel()
}
