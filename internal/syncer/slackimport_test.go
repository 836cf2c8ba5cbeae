package syncer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/slack/slackfake"
	"github.com/blotterapp/blotter/internal/syncer"
)

func (f *slackFixture) slackEntries(t *testing.T) []*blotter.Entry {
	t.Helper()
	es, err := f.rec.Timeline(f.ctx, blotter.EntryFilter{Kinds: []blotter.Kind{blotter.KindSlack}, IncidentID: f.inc.ID, IncludeDeleted: true})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func TestSlackImportTakesHistoryAndThreadsOnce(t *testing.T) {
	f := newSlackFixture(t)
	var parents, all []string
	for i := range 250 {
		ts := f.srv.Post(f.ch.ID, "U0ANA", fmt.Sprintf("message %03d from <@U0BEN> in <#%s|war-room> &lt;b&gt; &amp;lt;", i, f.ch.ID))
		all = append(all, ts)
		if i%25 == 0 {
			parents = append(parents, ts)
		}
	}
	for _, p := range parents {
		for j := range 3 {
			f.srv.Reply(f.ch.ID, p, "U0BEN", fmt.Sprintf("reply %d to %s", j, p))
		}
	}
	f.srv.PostFile(f.ch.ID, "U0BEN", "the pcap", "capture.pcap", []byte("\xd4\xc3\xb2\xa1binary"))
	// A note of ours, posted by Blotter: not taken back.
	f.note(t, "ours #slack")
	f.sync(t)
	// Slack answers 429 and 500 now and then: the import waits and goes on.
	f.srv.Fail("conversations.history", slackfake.RateLimited(time.Second))
	f.srv.Fail("conversations.replies", slackfake.Status(502))

	res, err := f.reader.Import(f.ctx, f.inc.ID, f.ch.ID, time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := 250 + 30 + 1
	if res.Added != want {
		t.Fatalf("import: %+v, want %d added", res, want)
	}
	es := f.slackEntries(t)
	if len(es) != want {
		t.Fatalf("%d slack entries, want %d", len(es), want)
	}
	first := es[0]
	if at, _ := syncer.TSTime(all[0]); first.Author != "Ana Lima" || !first.OccurredAt.Equal(at) {
		t.Fatalf("first entry: %s at %s", first.Author, first.OccurredAt)
	}
	if want := "message 000 from @Ben in #" + f.ch.Name + " <b> &lt;"; first.Text != want {
		t.Fatalf("text %q, want %q", first.Text, want)
	}
	if first.Source == nil || !strings.HasPrefix(first.Source.URL, "https://fake.slack.com/archives/"+f.ch.ID+"/p") {
		t.Fatalf("source %+v", first.Source)
	}
	var replies, files int
	for _, e := range es {
		if strings.HasPrefix(e.Text, "reply") {
			replies++
			if e.Source == nil || e.Source.Thread == "" || !strings.Contains(e.Source.URL, "thread_ts=") {
				t.Fatalf("reply without its thread: %+v", e.Source)
			}
		}
		for _, ev := range e.Evidence {
			files++
			if ev.Name != "capture.pcap" || ev.Size != 10 {
				t.Fatalf("evidence %+v", ev)
			}
			if _, err := f.rec.EvidencePath(ev.SHA256); err != nil {
				t.Fatalf("the file is not in the vault: %v", err)
			}
		}
	}
	if replies != 30 || files != 1 {
		t.Fatalf("%d replies, %d files", replies, files)
	}

	// Again: nothing twice. An edit since becomes a revision.
	f.srv.Edit(f.ch.ID, parents[1], "message 025, corrected")
	res, err = f.reader.Import(f.ctx, f.inc.ID, f.ch.ID, time.Time{}, nil)
	if err != nil || res.Added != 0 || res.Updated != 1 {
		t.Fatalf("second import: %+v, %v", res, err)
	}
	if es := f.slackEntries(t); len(es) != want {
		t.Fatalf("%d entries after the second import", len(es))
	}
	if v, err := f.rec.Verify(f.ctx); err != nil || !v.OK() {
		t.Fatalf("verify: %+v, %v", v, err)
	}
}

// waitFor polls until cond holds or a few seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSlackLiveReactionsShortcutsEditsAndDeletes(t *testing.T) {
	f := newSlackFixture(t)
	live := &syncer.SlackLive{SlackReader: f.reader}
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(f.ctx)
	defer func() { cancel(); <-done }()
	go func() { done <- live.Run(ctx) }()
	waitFor(t, "the socket", func() bool { return f.srv.OpenSockets() == 1 })

	ts := f.srv.Post(f.ch.ID, "U0BEN", "the attacker's IP is 203.0.113.9")
	env := f.srv.React(f.ch.ID, ts, "U0ANA", "pushpin")
	if _, ok := f.srv.WaitAck(env, 3*time.Second); !ok {
		t.Fatal("the reaction was not acknowledged")
	}
	waitFor(t, "the pinned message", func() bool { return len(f.slackEntries(t)) == 1 })
	// Slack delivers the envelope again: still one entry. Another reaction: not ours.
	f.srv.Redeliver(env)
	f.srv.React(f.ch.ID, f.srv.Post(f.ch.ID, "U0BEN", "lunch?"), "U0ANA", "tada")
	// The message shortcut on another message.
	ts2 := f.srv.Post(f.ch.ID, "U0ANA", "rolled back the deploy")
	env2 := f.srv.Shortcut(f.ch.ID, ts2, "U0ANA", syncer.ShortcutCallbackID)
	if _, ok := f.srv.WaitAck(env2, 3*time.Second); !ok {
		t.Fatal("the shortcut was not acknowledged")
	}
	waitFor(t, "the shortcut's message", func() bool { return len(f.slackEntries(t)) == 2 })
	if f.srv.Acks(env) < 2 {
		t.Fatalf("the redelivered envelope was acknowledged %d times", f.srv.Acks(env))
	}
	es := f.slackEntries(t)
	if es[0].Text != "the attacker's IP is 203.0.113.9" || es[0].Author != "Ben" || es[1].Text != "rolled back the deploy" {
		t.Fatalf("entries %q by %s, %q", es[0].Text, es[0].Author, es[1].Text)
	}
	at, _ := syncer.TSTime(ts)
	if !es[0].OccurredAt.Equal(at) {
		t.Fatalf("occurred at %s, the message's time is %s", es[0].OccurredAt, at)
	}

	// Edited and deleted in Slack: revisions.
	f.srv.Edit(f.ch.ID, ts, "the attacker's IP is 203.0.113.10")
	f.srv.SendMessageChangedEvent(f.ch.ID, ts)
	waitFor(t, "the edit", func() bool { e, _ := f.rec.Entry(f.ctx, es[0].ID); return e.Revision == 2 })
	f.srv.Delete(f.ch.ID, ts2)
	f.srv.SendMessageDeletedEvent(f.ch.ID, ts2)
	waitFor(t, "the delete", func() bool { e, _ := f.rec.Entry(f.ctx, es[1].ID); return e.Deleted })
	if e, _ := f.rec.Entry(f.ctx, es[0].ID); e.Text != "the attacker's IP is 203.0.113.10" {
		t.Fatalf("edited text %q", e.Text)
	}

	// A dropped connection comes back, and reactions work again.
	f.srv.DropSockets()
	waitFor(t, "the reconnect", func() bool { return f.srv.SocketConnections() >= 2 && f.srv.OpenSockets() == 1 })
	f.srv.React(f.ch.ID, f.srv.Post(f.ch.ID, "U0ANA", "after the drop"), "U0ANA", "pushpin")
	waitFor(t, "the message after the drop", func() bool { return len(f.slackEntries(t)) == 3 })
}

func TestSlackLiveUsesTheConfiguredReaction(t *testing.T) {
	f := newSlackFixture(t)
	if err := f.rec.SetSlackPinReaction(f.ctx, ":bookmark:"); err != nil {
		t.Fatal(err)
	}
	if err := f.rec.SetSlackPinReaction(f.ctx, "no spaces please"); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Fatalf("bad reaction name: %v", err)
	}
	live := &syncer.SlackLive{SlackReader: f.reader}
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(f.ctx)
	defer func() { cancel(); <-done }()
	go func() { done <- live.Run(ctx) }()
	waitFor(t, "the socket", func() bool { return f.srv.OpenSockets() == 1 })
	f.srv.React(f.ch.ID, f.srv.Post(f.ch.ID, "U0ANA", "pinned with pushpin"), "U0ANA", "pushpin")
	env := f.srv.React(f.ch.ID, f.srv.Post(f.ch.ID, "U0ANA", "bookmarked"), "U0ANA", "bookmark")
	f.srv.WaitAck(env, 3*time.Second)
	waitFor(t, "the bookmarked message", func() bool { return len(f.slackEntries(t)) == 1 })
	if es := f.slackEntries(t); es[0].Text != "bookmarked" {
		t.Fatalf("took %q", es[0].Text)
	}
}
