package syncer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/slack"
	"github.com/blotterapp/blotter/internal/slack/slackfake"
	"github.com/blotterapp/blotter/internal/sqlite"
	"github.com/blotterapp/blotter/internal/syncer"
)

// slackFixture is a recorder whose incident is linked to a new channel of a fake Slack, and
// an engine that sends its outbox there.
type slackFixture struct {
	ctx    context.Context
	rec    *recorder.Recorder
	inc    *blotter.Incident
	srv    *slackfake.Server
	client *slack.Client
	ch     *syncer.SlackChannel
	engine *syncer.Engine
	reader *syncer.SlackReader
}

func newSlackFixture(t *testing.T) *slackFixture {
	t.Helper()
	ctx := context.Background()
	srv := slackfake.New()
	srv.ShareDelay = 0
	srv.PingInterval = 200 * time.Millisecond
	t.Cleanup(srv.Close)
	srv.AddUser("U0ANA", "ana", "Ana Lima")
	srv.AddUser("U0BEN", "ben", "Ben")
	client, err := slack.New(slackfake.BotToken, slackfake.AppToken, slack.Options{APIURL: srv.APIURL(), Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := recorder.Open(ctx, filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Close() })
	rec.SetAuthor(ctx, "Ana")
	ws, err := client.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.SetSlackConnection(ctx, &recorder.SlackWorkspace{Team: ws.Team, TeamID: ws.TeamID, URL: ws.URL, BotUser: ws.BotUser, BotID: ws.BotID}); err != nil {
		t.Fatal(err)
	}
	inc, err := rec.CreateIncident(ctx, "Credential stuffing on SSO!", blotter.SeverityCritical)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := syncer.LinkNewSlackChannel(ctx, rec, client, inc)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := rec.SlackConnection(ctx)
	f := &slackFixture{ctx: ctx, rec: rec, inc: inc, srv: srv, client: client, ch: ch,
		reader: &syncer.SlackReader{Rec: rec, Client: client, Workspace: w, Backoff: time.Millisecond}}
	f.engine = &syncer.Engine{Rec: rec, Target: &syncer.Slack{Rec: rec, Client: client, MinInterval: time.Nanosecond},
		BaseBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond}
	return f
}

// sync runs one pass and insists that nothing is left waiting or failed.
func (f *slackFixture) sync(t *testing.T) *syncer.Pass {
	t.Helper()
	return mustPass(t, f.ctx, f.rec, f.engine, 10*time.Second)
}

// posted returns the channel's messages the bot posted for entries (the header left out).
func (f *slackFixture) posted() []slackfake.Message {
	var out []slackfake.Message
	for _, m := range f.srv.Messages(f.ch.ID) {
		if m.User == slackfake.BotUserID && (m.ThreadTS == "" || m.ThreadTS == m.TS) && !strings.HasPrefix(m.Text, "*Incident:") {
			out = append(out, m)
		}
	}
	return out
}

func (f *slackFixture) note(t *testing.T, text string) *blotter.Entry {
	t.Helper()
	e, err := f.rec.AddNote(f.ctx, recorder.Note{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestSlackLinkNewCreatesTheChannelWithAPinnedHeader(t *testing.T) {
	f := newSlackFixture(t)
	if !strings.HasPrefix(f.ch.Name, "inc-") || !strings.HasSuffix(f.ch.Name, "-credential-stuffing-on-sso") {
		t.Fatalf("channel name %q", f.ch.Name)
	}
	st, ok := f.srv.Channel(f.ch.ID)
	if !ok || len(st.Pins) != 1 || st.Pins[0] != f.ch.HeaderTS {
		t.Fatalf("header not pinned: %+v", st.Pins)
	}
	msgs := f.srv.Messages(f.ch.ID)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "Credential stuffing on SSO!") || !strings.Contains(msgs[0].Text, "critical") {
		t.Fatalf("header: %+v", msgs)
	}
	// A second incident with the same title and day gets a suffix; the name was taken.
	inc2, _ := f.rec.CreateIncident(f.ctx, "Credential stuffing on SSO!", blotter.SeverityHigh)
	ch2, err := syncer.LinkNewSlackChannel(f.ctx, f.rec, f.client, inc2)
	if err != nil || ch2.Name != f.ch.Name+"-2" {
		t.Fatalf("second channel %+v, %v", ch2, err)
	}
	// The incident's severity follows in the header.
	if _, err := f.rec.UpdateIncident(f.ctx, f.inc.ID, blotter.IncidentUpdate{Severity: ptr(blotter.SeverityLow)}, ""); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	if msgs := f.srv.Messages(f.ch.ID); !strings.Contains(msgs[0].Text, "*low*") {
		t.Fatalf("header after the change: %q", msgs[0].Text)
	}
}

func TestSlackChannelNames(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for title, want := range map[string]string{
		"Credential stuffing on SSO":   "inc-20261123-credential-stuffing-on-sso",
		"  Ünïcode — Café  outage!!  ": "inc-20261123-unicode-cafe-outage",
		"日本語":                          "inc-20261123",
		"A very long title that goes on and on about the many things that broke": "inc-20261123-a-very-long-title-that-goes-on-and-on",
	} {
		if got := syncer.ChannelName(&blotter.Incident{Title: title, CreatedAt: at}); got != want {
			t.Errorf("ChannelName(%q) = %q, want %q", title, got, want)
		}
	}
}

func TestSlackPostsAsThePolicySays(t *testing.T) {
	f := newSlackFixture(t)
	f.note(t, "plain note, stays here")
	tagged := f.note(t, "tell the channel #slack")
	milestone := f.note(t, "blocked the IPs #impact-mitigated")
	f.sync(t)
	posted := f.posted()
	if len(posted) != 2 || !strings.Contains(posted[0].Text, "tell the channel") || !strings.Contains(posted[1].Text, "blocked the IPs") {
		t.Fatalf("tagged policy posted %+v", posted)
	}
	for _, e := range []*blotter.Entry{tagged, milestone} {
		if id, _ := f.rec.RemoteID(f.ctx, e.ID, syncer.SlackName); id == "" {
			t.Fatalf("entry %s has no message id", e.ID)
		}
	}
	if err := f.rec.SetSlackPolicy(f.ctx, f.inc.ID, recorder.SlackPostAll); err != nil {
		t.Fatal(err)
	}
	f.note(t, "every entry now")
	if _, err := f.rec.AddTask(f.ctx, recorder.NewTask{Title: "rotate keys"}); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	posted = f.posted()
	if len(posted) != 3 || !strings.Contains(posted[2].Text, "every entry now") {
		t.Fatalf("all policy posted %d: %+v", len(posted), posted)
	}
	if err := f.rec.SetSlackPolicy(f.ctx, f.inc.ID, recorder.SlackPostNone); err != nil {
		t.Fatal(err)
	}
	f.note(t, "nothing now #slack")
	f.sync(t)
	if n := len(f.posted()); n != 3 {
		t.Fatalf("none policy posted: %d messages", n)
	}
}

func TestSlackMessageIsMaskedInertAndFollowsEditsAndDeletes(t *testing.T) {
	f := newSlackFixture(t)
	e := f.note(t, "@channel see <b>this</b> & token ghp_0123456789abcdefghijABCDEFGHIJ012345 #slack")
	f.sync(t)
	posted := f.posted()
	if len(posted) != 1 {
		t.Fatalf("posted %d", len(posted))
	}
	text := posted[0].Text
	for _, bad := range []string{"ghp_0123456789", "<b>", "@channel"} {
		if strings.Contains(text, bad) {
			t.Errorf("message holds %q: %q", bad, text)
		}
	}
	for _, good := range []string{"REDACTED", "&lt;b&gt;", "&amp;", "Ana"} {
		if !strings.Contains(text, good) {
			t.Errorf("message lacks %q: %q", good, text)
		}
	}
	if _, err := f.rec.EditEntry(f.ctx, e.ID, blotter.EntryUpdate{Text: ptr("corrected text #slack")}, "typo"); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	posted = f.posted()
	if len(posted) != 1 || !strings.Contains(posted[0].Text, "corrected text") || posted[0].Edited == nil {
		t.Fatalf("after the edit: %+v", posted)
	}
	if _, err := f.rec.DeleteEntry(f.ctx, e.ID, "wrong incident"); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	if posted := f.posted(); len(posted) != 0 {
		t.Fatalf("after the delete: %+v", posted)
	}
}

func TestSlackEvidenceGoesToTheThreadOnceShared(t *testing.T) {
	f := newSlackFixture(t)
	f.srv.ShareDelay = 100 * time.Millisecond // Slack answers before the file is shared
	f.engine.Sleep = nil                      // real waits: the share takes real time
	path := filepath.Join(t.TempDir(), "auth.log")
	if err := os.WriteFile(path, []byte("failed login for root from 203.0.113.9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.rec.SetSlackPolicy(f.ctx, f.inc.ID, recorder.SlackPostAll); err != nil {
		t.Fatal(err)
	}
	e, err := f.rec.Attach(f.ctx, "", path, "the auth log", time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	posted := f.posted()
	if len(posted) != 1 || !strings.Contains(posted[0].Text, e.Evidence[0].SHA256) {
		t.Fatalf("posted %+v of %+v", posted, f.srv.Messages(f.ch.ID))
	}
	var files int
	for _, m := range f.srv.Messages(f.ch.ID) {
		if m.ThreadTS == posted[0].TS && m.TS != posted[0].TS {
			files += len(m.Files)
			if !strings.Contains(m.Text, e.Evidence[0].SHA256) || string(m.Files[0].Content) != "failed login for root from 203.0.113.9\n" {
				t.Fatalf("file message %+v", m)
			}
		}
	}
	if files != 1 {
		t.Fatalf("%d files in the thread, want 1", files)
	}
	// The next pass sends nothing again.
	if p := f.sync(t); p.Delivered != 0 {
		t.Fatalf("second pass delivered %d", p.Delivered)
	}
}

func TestSlackFaultsNeitherLoseNorDouble(t *testing.T) {
	f := newSlackFixture(t)
	f.srv.Fail("chat.postMessage", slackfake.RateLimited(time.Second))
	f.srv.Fail("chat.postMessage", slackfake.Status(500))
	f.srv.Fail("chat.postMessage", slackfake.DropAfterCommit()) // posted, answer lost
	f.srv.Fail("chat.postMessage", slackfake.Hang())            // the client's timeout ends it

	var at time.Time
	f.engine.Now = func() time.Time { return at }
	at = time.Now()
	f.engine.Sleep = func(_ context.Context, d time.Duration) error { at = at.Add(d); return nil }
	for i := range 5 {
		f.note(t, fmt.Sprintf("note %d #slack", i))
	}
	p := f.sync(t)
	if p.Retried < 4 {
		t.Fatalf("retried %d, want the 4 faults retried", p.Retried)
	}
	posted := f.posted()
	if len(posted) != 5 {
		t.Fatalf("%d messages for 5 notes: %+v", len(posted), posted)
	}
	for i, m := range posted {
		if !strings.Contains(m.Text, fmt.Sprintf("note %d", i)) {
			for _, m := range posted {
				t.Logf("%s %q", m.TS, m.Text)
			}
			t.Fatalf("message %d out of order: %q", i, m.Text)
		}
	}
}

func TestSlackRevokedTokenStopsThePass(t *testing.T) {
	f := newSlackFixture(t)
	f.note(t, "one #slack")
	f.srv.RevokeTokens()
	_, err := f.engine.Once(f.ctx, time.Second)
	if !slack.IsAuthFailed(err) || !strings.Contains(err.Error(), "token_revoked") {
		t.Fatalf("err = %v", err)
	}
	if pending, _, _ := f.rec.OutboxCounts(f.ctx, syncer.SlackName); pending == 0 {
		t.Fatal("the entry is no longer waiting")
	}
}

func TestSlackStatusUpdateSummarises(t *testing.T) {
	f := newSlackFixture(t)
	for _, task := range []recorder.NewTask{{Title: "rotate keys", Assignee: "Ben"}, {Title: "tell legal"}, {Title: "block IPs", Assignee: "Ana"}} {
		if _, err := f.rec.AddTask(f.ctx, task); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.rec.PostStatusUpdate(f.ctx, "", "contained, watching"); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	posted := f.posted()
	if len(posted) != 1 {
		t.Fatalf("posted %d", len(posted))
	}
	text := posted[0].Text
	for _, want := range []string{"contained, watching", "Severity critical", "status open", "Ana: block IPs (To do)", "Ben: rotate keys (To do)", "unassigned: tell legal (To do)"} {
		if !strings.Contains(text, want) {
			t.Errorf("update lacks %q:\n%s", want, text)
		}
	}
	if err := f.rec.SetSlackPolicy(f.ctx, f.inc.ID, recorder.SlackPostNone); err != nil {
		t.Fatal(err)
	}
	if _, err := f.rec.PostStatusUpdate(f.ctx, "", "x"); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Fatalf("update with policy none: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

// TestSlackCrashMidPostDoesNotDouble: the process dies while Slack holds the post but before
// the outbox knows (kill -9 between the answer and Delivered). The next run finds the message
// by its metadata instead of posting it again.
func TestSlackCrashMidPostDoesNotDouble(t *testing.T) {
	f := newSlackFixture(t)
	f.sync(t) // the record so far
	f.note(t, "the one that was in flight #slack")
	items, err := f.rec.Outbox(f.ctx, syncer.SlackName, time.Time{}, false, 10)
	if err != nil || len(items) != 1 {
		t.Fatalf("outbox: %d items, %v", len(items), err)
	}
	// What the engine does up to the crash: the attempt is recorded, the post reaches Slack,
	// and nothing after it happens.
	if err := f.rec.Attempting(f.ctx, items[0]); err != nil {
		t.Fatal(err)
	}
	f.srv.Fail("chat.postMessage", slackfake.DropAfterCommit())
	if err := f.engine.Target.Deliver(f.ctx, items[0]); err == nil {
		t.Fatal("the dropped answer was taken for a success")
	}
	if n := len(f.posted()); n != 1 {
		t.Fatalf("%d messages after the crash, want the 1 Slack holds", n)
	}
	f.sync(t) // the next run
	if n := len(f.posted()); n != 1 {
		t.Fatalf("%d messages after the restart: posted twice", n)
	}
}

// recordingTarget reads the outbox while an item is being delivered.
type recordingTarget struct {
	syncer.Target
	rec    *recorder.Recorder
	during []int // the item's attempts as stored while it is sent
}

func (r *recordingTarget) Deliver(ctx context.Context, it *sqlite.OutboxItem) error {
	items, _ := r.rec.Outbox(ctx, r.Name(), time.Time{}, false, 10)
	for _, stored := range items {
		if stored.ID == it.ID {
			r.during = append(r.during, stored.Attempts)
		}
	}
	return r.Target.Deliver(ctx, it)
}

func TestEngineRecordsTheAttemptBeforeSending(t *testing.T) {
	f := newSlackFixture(t)
	f.sync(t)
	f.note(t, "watched #slack")
	rt := &recordingTarget{Target: f.engine.Target, rec: f.rec}
	f.engine.Target = rt
	f.sync(t)
	if len(rt.during) != 1 || rt.during[0] != 1 {
		t.Fatalf("attempts stored while sending: %v, want [1]", rt.during)
	}
}

func TestPublishTellsTheSlackChannel(t *testing.T) {
	f := newSlackFixture(t)
	t.Setenv(syncer.SlackBotTokenEnv, slackfake.BotToken)
	t.Setenv(syncer.SlackAppTokenEnv, slackfake.AppToken)
	t.Setenv(syncer.SlackAPIURLEnv, f.srv.APIURL())
	if _, err := f.rec.SaveDocument(f.ctx, f.inc.ID, blotter.DocumentRCA, "# RCA\nthe cause", 0, ""); err != nil {
		t.Fatal(err)
	}
	p, err := syncer.Publish(f.ctx, f.rec, f.inc.ID, blotter.DocumentRCA)
	if err != nil || p.Slack != f.ch.Name || len(p.Skipped) != 1 {
		t.Fatalf("publish: %+v, %v", p, err)
	}
	msgs := f.srv.Messages(f.ch.ID)
	if last := msgs[len(msgs)-1]; !strings.Contains(last.Text, "The incident review (revision 1) is published") {
		t.Fatalf("last message %q", last.Text)
	}
	// Importing the channel does not take Blotter's own notice back.
	res, err := f.reader.Import(f.ctx, f.inc.ID, f.ch.ID, time.Time{}, nil)
	if err != nil || res.Added != 0 {
		t.Fatalf("import: %+v, %v", res, err)
	}
}

// TestSlackEvidenceNotHeldHereIsNamed: evidence this machine does not hold (an imported
// record's) is named by its digest in the message; two such entries both go through.
func TestSlackEvidenceNotHeldHereIsNamed(t *testing.T) {
	f := newSlackFixture(t)
	if err := f.rec.SetSlackPolicy(f.ctx, f.inc.ID, recorder.SlackPostAll); err != nil {
		t.Fatal(err)
	}
	for i, content := range []string{"first log\n", "second log\n"} {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("log%d.txt", i))
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		e, err := f.rec.Attach(f.ctx, "", path, "", time.Time{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		held, err := f.rec.EvidencePath(e.Evidence[0].SHA256)
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(held) // as if the record had been imported without its files
	}
	f.sync(t)
	if posted := f.posted(); len(posted) != 2 {
		t.Fatalf("posted %d messages, want 2", len(posted))
	}
	for _, m := range f.srv.Messages(f.ch.ID) {
		if len(m.Files) > 0 {
			t.Fatalf("a file was uploaded: %+v", m)
		}
	}
}
