package syncer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/syncer"
)

const project = "security/incidents"

var t0 = time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)

// fixture is a recorder with an incident linked to a fake GitLab's incident issue, and an
// engine that sends its outbox there. The engine's waits move a manual clock.
type fixture struct {
	ctx    context.Context
	rec    *recorder.Recorder
	inc    *blotter.Incident
	srv    *gitlabfake.Server
	clock  *gitlabfake.ManualClock
	iid    int
	engine *syncer.Engine
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := gitlabfake.NewManualClock(t0)
	srv := gitlabfake.New(gitlabfake.Options{Now: clock.Now})
	t.Cleanup(srv.Close)
	srv.AddUser("ana", "glpat-ana")
	srv.AddProject(project)
	client, err := gitlab.New(srv.URL(), "glpat-ana", gitlab.WithClock(clock.Now), gitlab.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := recorder.Open(ctx, filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Close() })
	rec.SetClock(clock.Now, time.UTC)
	rec.SetAuthor(ctx, "Ana")
	inc, err := rec.CreateIncident(ctx, "Credential stuffing on SSO", blotter.SeverityCritical)
	if err != nil {
		t.Fatal(err)
	}
	issue, err := client.CreateIncident(ctx, project, inc.Title, "Kept by Blotter.", "blotter:"+inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	remote, _ := json.Marshal(syncer.GitLabIncident{Project: project, IID: issue.IID, ID: issue.ID, WebURL: issue.WebURL})
	if err := rec.LinkIncident(ctx, inc.ID, syncer.GitLabName, string(remote)); err != nil {
		t.Fatal(err)
	}
	f := &fixture{ctx: ctx, rec: rec, inc: inc, srv: srv, clock: clock, iid: int(issue.IID)}
	f.engine = &syncer.Engine{
		Rec: rec, Target: &syncer.GitLab{Rec: rec, Client: client},
		Now: clock.Now, Sleep: func(_ context.Context, d time.Duration) error { clock.Advance(d); return nil },
	}
	return f
}

// sync runs one pass and insists that nothing is left waiting or failed.
func (f *fixture) sync(t *testing.T) *syncer.Pass {
	t.Helper()
	return mustPass(t, f.ctx, f.rec, f.engine, time.Hour)
}

// mustPass runs one pass of the engine, retrying within maxWait, and insists that nothing is
// left waiting or failed; it names the failed items when something is.
func mustPass(t *testing.T, ctx context.Context, rec *recorder.Recorder, engine *syncer.Engine, maxWait time.Duration) *syncer.Pass {
	t.Helper()
	p, err := engine.Once(ctx, maxWait)
	if err != nil || p.Pending != 0 || p.FailedAll != 0 {
		items, _ := rec.Outbox(ctx, engine.Target.Name(), time.Time{}, true, 10)
		for _, it := range items {
			t.Logf("failed: %s %s: %s", it.Subject, it.SubjectID, it.LastError)
		}
		t.Fatalf("pass = %+v, %v", p, err)
	}
	return p
}

// events returns the fake's timeline events made by people (not GitLab's own), by note.
func (f *fixture) events() []gitlabfake.TimelineEvent {
	var out []gitlabfake.TimelineEvent
	for _, e := range f.srv.TimelineEvents(project, f.iid) {
		if e.Action == "comment" {
			out = append(out, e)
		}
	}
	return out
}

func (f *fixture) eventWith(t *testing.T, text string) gitlabfake.TimelineEvent {
	t.Helper()
	var found []gitlabfake.TimelineEvent
	for _, e := range f.events() {
		if strings.Contains(e.Note, text) {
			found = append(found, e)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d events hold %q, want 1: %+v", len(found), text, f.events())
	}
	return found[0]
}

func TestPushEntriesToGitLab(t *testing.T) {
	f := newFixture(t)
	at := t0.Add(-20 * time.Minute)
	note := func(text string, tags ...string) *blotter.Entry {
		e, err := f.rec.AddNote(f.ctx, recorder.Note{Text: text, At: at, Tags: tags})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	first := note("Login failures spike from 203.0.113.7", "impact detected")
	note("Key found: AKIAIOSFODNN7EXAMPLE in the attacker's script")
	note("@all see #12 and !3\n/close")
	long := note("Analysis: " + strings.Repeat("the attacker reused credentials from an older breach; ", 12))
	log := filepath.Join(t.TempDir(), "edge.log")
	os.WriteFile(log, []byte("203.0.113.7 - - POST /login 401\n"), 0o644)
	if _, err := f.rec.Attach(f.ctx, "", log, "edge logs", time.Time{}, nil); err != nil {
		t.Fatal(err)
	}
	f.sync(t)

	if n := len(f.events()); n != 5 {
		t.Fatalf("%d timeline events, want 5: %+v", n, f.events())
	}
	ev := f.eventWith(t, "Login failures spike")
	if !ev.OccurredAt.Equal(at.Truncate(time.Second)) || strings.Join(ev.Tags, ",") != "Impact detected" {
		t.Errorf("event = %+v: want the entry's time and GitLab's tag", ev)
	}
	if secret := f.eventWith(t, "Key found"); strings.Contains(secret.Note, "AKIAIOSFODNN7EXAMPLE") || !strings.Contains(secret.Note, "REDACTED") {
		t.Errorf("a marked secret left the machine: %q", secret.Note)
	}
	if inert := f.eventWith(t, "see #"); strings.Contains(inert.Note, "@all") || strings.Contains(inert.Note, "\n/close") {
		t.Errorf("references or a quick action stayed live: %q", inert.Note)
	}
	// A long text arrives whole, as a comment promoted to an event.
	whole := false
	for _, n := range f.srv.Notes(project, f.iid) {
		if strings.Contains(n.Body, strings.TrimSpace(long.Text)) {
			whole = true
		}
	}
	if ev := f.eventWith(t, "Analysis:"); !whole || ev.PromotedFromNoteID == 0 || !strings.Contains(ev.Note, "in full in the comments") {
		t.Errorf("the long entry did not arrive whole as a promoted comment")
	}
	if ups := f.srv.Uploads(project); len(ups) != 1 || !strings.Contains(f.eventWith(t, "edge logs").Note, "SHA-256") {
		t.Errorf("evidence: %d uploads, event %q", len(ups), f.eventWith(t, "edge logs").Note)
	}

	// An edit updates the event; a delete removes it; the local record keeps both.
	text := "Login failures spike from 203.0.113.7 and 198.51.100.23"
	if _, err := f.rec.EditEntry(f.ctx, first.ID, blotter.EntryUpdate{Text: &text}, "second address"); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	if ev := f.eventWith(t, "198.51.100.23"); ev.ID == 0 {
		t.Fatal("the edit did not reach the event")
	}
	if _, err := f.rec.DeleteEntry(f.ctx, first.ID, "wrong incident"); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	if n := len(f.events()); n != 4 {
		t.Errorf("%d events after a delete, want 4", n)
	}
	// Severity and status follow the incident.
	status := blotter.StatusResolved
	if _, err := f.rec.UpdateIncident(f.ctx, f.inc.ID, blotter.IncidentUpdate{Status: &status}, ""); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	if is, _ := f.srv.Issue(project, f.iid); is.State != "closed" || is.EscalationStatus != "RESOLVED" || is.Severity != "CRITICAL" {
		t.Errorf("the GitLab incident is %s, %s, %s after Blotter resolved it", is.State, is.EscalationStatus, is.Severity)
	}
}

// TestPushSurvivesFaults: a fifth of GitLab's answers are 500s, 429s or connections dropped
// after GitLab made the change; every entry still arrives exactly once.
func TestPushSurvivesFaults(t *testing.T) {
	f := newFixture(t)
	f.srv.SetChaos(gitlabfake.Chaos{Seed: 7, Rate: 0.2})
	const n = 60
	for i := range n {
		if _, err := f.rec.AddNote(f.ctx, recorder.Note{Text: fmt.Sprintf("note %02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	const tasks = 10
	for i := range tasks {
		task, err := f.rec.AddTask(f.ctx, recorder.NewTask{Title: fmt.Sprintf("task %02d", i)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.rec.MoveTask(f.ctx, task.ID, "doing", nil, ""); err != nil {
			t.Fatal(err)
		}
	}
	p := f.sync(t)
	f.srv.StopChaos()
	for i := range tasks {
		if is := f.taskIssue(t, fmt.Sprintf("task %02d", i)); strings.Join(is.Labels, ",") != "blotter::doing" {
			t.Errorf("task %02d in GitLab: %v", i, is.Labels)
		}
	}
	counts := map[string]int{}
	for _, e := range f.events() {
		counts[gitlab.StripMarker(e.Note)]++
	}
	for i := range n {
		if c := counts[fmt.Sprintf("Ana: note %02d", i)]; c != 1 {
			t.Errorf("note %02d is in GitLab %d times", i, c)
		}
	}
	if p.Retried == 0 || f.srv.Stats().Faults == nil {
		t.Errorf("no fault was injected (%+v): the test proves nothing", p)
	}
	t.Logf("%d delivered, %d attempts retried", p.Delivered, p.Retried)
}

func TestPullEventsMadeByOthers(t *testing.T) {
	f := newFixture(t)
	if _, err := f.rec.AddNote(f.ctx, recorder.Note{Text: "ours, pushed"}); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	f.srv.AddUser("bo", "glpat-bo")
	at := t0.Add(-5 * time.Minute)
	if _, err := f.srv.As("bo").CreateTimelineEvent(project, f.iid, "Lateral movement to db02 seen in EDR", at, "Impact detected"); err != nil {
		t.Fatal(err)
	}
	target := f.engine.Target.(*syncer.GitLab)
	added, err := target.Pull(f.ctx, f.inc.ID)
	if err != nil || added != 1 {
		t.Fatalf("pull = %d, %v; want the one event made by someone else", added, err)
	}
	entries, _ := f.rec.Timeline(f.ctx, blotter.EntryFilter{IncidentID: f.inc.ID, Kinds: []blotter.Kind{blotter.KindGitLab}})
	if len(entries) != 1 {
		t.Fatalf("gitlab entries = %+v", entries)
	}
	e := entries[0]
	if e.Author != "bo" || !e.OccurredAt.Equal(at) || e.Text != "Lateral movement to db02 seen in EDR" || strings.Join(e.Tags, ",") != "Impact detected" {
		t.Errorf("pulled entry = %+v", e)
	}
	if added, err := target.Pull(f.ctx, f.inc.ID); err != nil || added != 0 {
		t.Errorf("a second pull added %d (%v)", added, err)
	}
	// A pulled entry is not sent back.
	if items, _ := f.rec.Outbox(f.ctx, syncer.GitLabName, time.Time{}, false, 10); len(items) != 0 {
		t.Errorf("the pulled entry was queued for GitLab: %+v", items)
	}
	if res, err := f.rec.Verify(f.ctx); err != nil || !res.OK() {
		t.Errorf("verify after a pull: %+v %v", res, err)
	}
}

// TestTwoRespondersConverge: two data dirs linked to one GitLab incident hold the same
// entries after each has synced.
func TestTwoRespondersConverge(t *testing.T) {
	a := newFixture(t)
	a.srv.AddUser("bo", "glpat-bo")
	client, err := gitlab.New(a.srv.URL(), "glpat-bo", gitlab.WithClock(a.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	b, err := recorder.Open(a.ctx, filepath.Join(t.TempDir(), "bo"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.SetClock(a.clock.Now, time.UTC)
	b.SetAuthor(a.ctx, "Bo")

	a.rec.AddNote(a.ctx, recorder.Note{Text: "Ana: WAF rule deployed"})
	anaTask, _ := a.rec.AddTask(a.ctx, recorder.NewTask{Title: "Isolate db02", Assignee: "bo", Due: "2026-11-23 17:00"})
	a.sync(t)
	bInc, _, pulled, err := syncer.JoinGitLabIncident(a.ctx, b, client, project, int64(a.iid))
	if err != nil || pulled != 2 || bInc.Title != a.inc.Title || bInc.Severity != blotter.SeverityCritical {
		t.Fatalf("join = %+v, %d pulled, %v", bInc, pulled, err)
	}
	b.AddNote(a.ctx, recorder.Note{Text: "Bo: db02 isolated"})
	bEngine := &syncer.Engine{Rec: b, Target: &syncer.GitLab{Rec: b, Client: client}, Now: a.clock.Now,
		Sleep: func(_ context.Context, d time.Duration) error { a.clock.Advance(d); return nil }}
	if p, err := bEngine.Once(a.ctx, time.Hour); err != nil || p.Pending != 0 || p.FailedAll != 0 {
		t.Fatalf("bo's sync: %+v %v", p, err)
	}
	if _, err := a.engine.Target.(*syncer.GitLab).Pull(a.ctx, a.inc.ID); err != nil {
		t.Fatal(err)
	}
	texts := func(rec *recorder.Recorder, id string) string {
		list, _ := rec.Timeline(a.ctx, blotter.EntryFilter{IncidentID: id})
		var out []string
		for _, e := range list {
			if e.Kind != blotter.KindSystem && e.Kind != blotter.KindTask {
				out = append(out, strings.TrimPrefix(strings.TrimPrefix(e.Text, "Ana: "), "Bo: "))
			}
		}
		return strings.Join(out, " | ")
	}
	// The boards: Ana's task reached Bo's board; Bo's move comes back to Ana's.
	bTasks, _ := b.Tasks(a.ctx, recorder.TaskFilter{IncidentID: bInc.ID})
	if len(bTasks) != 1 || bTasks[0].Title != "Isolate db02" || bTasks[0].Assignee != "bo" || bTasks[0].DueAt == "" {
		t.Fatalf("bo's board = %+v", bTasks)
	}
	a.clock.Advance(time.Minute)
	if _, err := b.MoveTask(a.ctx, bTasks[0].ID, "doing", nil, ""); err != nil {
		t.Fatal(err)
	}
	if p, err := bEngine.Once(a.ctx, time.Hour); err != nil || p.Pending != 0 || p.FailedAll != 0 {
		t.Fatalf("bo's second sync: %+v %v", p, err)
	}
	a.clock.Advance(time.Minute)
	if _, err := a.engine.Target.(*syncer.GitLab).Pull(a.ctx, a.inc.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.rec.Task(a.ctx, anaTask.ID); got.Status != blotter.TaskDoing {
		t.Errorf("ana's task after bo's move: %s", got.Status)
	}
	aTasks, _ := a.rec.Tasks(a.ctx, recorder.TaskFilter{IncidentID: a.inc.ID})
	if len(aTasks) != 1 {
		t.Errorf("ana's board has %d tasks, want 1 (no copy came back)", len(aTasks))
	}
	ta, tb := texts(a.rec, a.inc.ID), texts(b, bInc.ID)
	if !strings.Contains(ta, "WAF rule deployed") || !strings.Contains(ta, "db02 isolated") || len(strings.Split(ta, " | ")) != 2 || len(strings.Split(tb, " | ")) != 2 {
		t.Errorf("the two timelines differ:\nana: %s\nbo:  %s", ta, tb)
	}
}

// TestRunnerStates: the background runner reports local, synced, offline (GitLab gone: the
// change waits) and stopped (the token refused), as the app's header shows them.
func TestRunnerStates(t *testing.T) {
	ctx := context.Background()
	srv := gitlabfake.New(gitlabfake.Options{})
	srv.AddUser("ana", "glpat-ana")
	srv.AddProject(project)
	rec, err := recorder.Open(ctx, filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	states := make(chan syncer.State, 16)
	r := &syncer.Runner{Rec: rec, Interval: time.Hour, Changed: func(s syncer.State) { states <- s }}
	next := func() syncer.State {
		select {
		case s := <-states:
			return s
		case <-time.After(10 * time.Second):
			t.Fatal("no state reported")
		}
		return syncer.State{}
	}
	r.Start(ctx)
	defer r.Close()
	if s := next(); s.Status != "local" {
		t.Fatalf("before connecting: %+v", s)
	}
	t.Setenv(syncer.GitLabTokenEnv, "glpat-ana")
	if _, err := syncer.ConnectGitLab(ctx, rec, srv.URL(), project, ""); err != nil {
		t.Fatal(err)
	}
	inc, _ := rec.CreateIncident(ctx, "Runner", "")
	client, _, _ := syncer.GitLabClient(ctx, rec)
	if _, err := syncer.LinkNewGitLabIncident(ctx, rec, client, project, inc); err != nil {
		t.Fatal(err)
	}
	rec.AddNote(ctx, recorder.Note{Text: "first"})
	r.Notify()
	if s := next(); s.Status != "synced" || s.Pending != 0 || s.LastSuccess.IsZero() {
		t.Fatalf("after a pass: %+v", s)
	}
	srv.Close() // GitLab is gone
	rec.AddNote(ctx, recorder.Note{Text: "written offline"})
	r.Notify()
	if s := next(); s.Status != "offline" || s.Pending != 1 {
		t.Fatalf("with GitLab gone: %+v", s)
	}
	t.Setenv(syncer.GitLabTokenEnv, "")
	r.Notify()
	if s := next(); s.Status != "stopped" || !strings.Contains(s.Message, "token") {
		t.Fatalf("with no token: %+v", s)
	}
}

// TestPullEditsAndDeletes: an event edited in GitLab edits its entry (a revision by the
// GitLab user, origin gitlab); an event deleted there deletes its entry; when both sides
// changed, the later change wins and the history keeps both.
func TestPullEditsAndDeletes(t *testing.T) {
	f := newFixture(t)
	f.srv.AddUser("bo", "glpat-bo")
	bo := f.srv.As("bo")
	target := f.engine.Target.(*syncer.GitLab)
	ours, _ := f.rec.AddNote(f.ctx, recorder.Note{Text: "WAF rule deployed"})
	racing, _ := f.rec.AddNote(f.ctx, recorder.Note{Text: "edited on both sides"})
	gone, _ := f.rec.AddNote(f.ctx, recorder.Note{Text: "to be deleted in GitLab"})
	f.sync(t)
	eventID := func(text string) int { return f.eventWith(t, text).ID }

	// Bo edits our event in GitLab's UI.
	f.clock.Advance(time.Minute)
	if err := bo.EditTimelineEvent(eventID("WAF rule deployed"), "WAF rule deployed to all regions", t0, nil); err != nil {
		t.Fatal(err)
	}
	// Both sides edit the same entry: GitLab first, then Ana here (later: hers wins).
	f.clock.Advance(time.Minute)
	if err := bo.EditTimelineEvent(eventID("edited on both sides"), "Bo's version", t0, nil); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	anas := "Ana's later version"
	if _, err := f.rec.EditEntry(f.ctx, racing.ID, blotter.EntryUpdate{Text: &anas}, "clearer"); err != nil {
		t.Fatal(err)
	}
	if err := bo.DeleteTimelineEvent(eventID("to be deleted in GitLab")); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	if _, err := target.Pull(f.ctx, f.inc.ID); err != nil {
		t.Fatal(err)
	}
	f.sync(t) // Ana's later edit goes out

	got, _ := f.rec.Entry(f.ctx, ours.ID)
	if got.Text != "WAF rule deployed to all regions" {
		t.Errorf("our entry after Bo's edit in GitLab: %q", got.Text)
	}
	hist, _ := f.rec.History(f.ctx, ours.ID)
	if c, _ := hist[len(hist)-1].Decode(); c.Origin != blotter.OriginGitLab || c.By != "bo" {
		t.Errorf("the edit is recorded as %q from %q, want bo from gitlab", c.By, c.Origin)
	}
	if got, _ := f.rec.Entry(f.ctx, racing.ID); got.Text != anas {
		t.Errorf("both sides edited: local text %q, want the later (Ana's)", got.Text)
	}
	if ev := f.eventWith(t, "Ana's later version"); ev.ID == 0 {
		t.Error("GitLab does not have the later edit")
	}
	if got, _ := f.rec.Entry(f.ctx, gone.ID); !got.Deleted {
		t.Error("the entry whose event was deleted in GitLab is still shown")
	}
	// A second pull changes nothing.
	if n, err := target.Pull(f.ctx, f.inc.ID); err != nil || n != 0 {
		t.Errorf("a second pull changed %d (%v)", n, err)
	}
	if res, err := f.rec.Verify(f.ctx); err != nil || !res.OK() {
		t.Errorf("verify: %+v %v", res, err)
	}
}

// TestIncidentStateBothWays: closing the GitLab incident resolves the Blotter incident (and
// says so on its timeline), its severity follows; reopening here reopens it there.
func TestIncidentStateBothWays(t *testing.T) {
	f := newFixture(t)
	f.srv.AddUser("bo", "glpat-bo")
	target := f.engine.Target.(*syncer.GitLab)
	f.sync(t)
	if _, err := target.Pull(f.ctx, f.inc.ID); err != nil {
		t.Fatal(err)
	}
	if inc, _ := f.rec.Incident(f.ctx, f.inc.ID); inc.Status != blotter.StatusOpen || inc.Severity != blotter.SeverityCritical {
		t.Fatalf("our own push came back as a change: %+v", inc)
	}
	f.clock.Advance(time.Minute)
	if err := f.srv.As("bo").SetSeverity(project, f.iid, "LOW"); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.As("bo").CloseIssue(project, f.iid); err != nil {
		t.Fatal(err)
	}
	if n, err := target.Pull(f.ctx, f.inc.ID); err != nil || n != 1 {
		t.Fatalf("pull = %d, %v", n, err)
	}
	inc, _ := f.rec.Incident(f.ctx, f.inc.ID)
	if inc.Status != blotter.StatusResolved || inc.Severity != blotter.SeverityLow {
		t.Errorf("after GitLab closed it at low severity: %+v", inc)
	}
	entries, _ := f.rec.Timeline(f.ctx, blotter.EntryFilter{IncidentID: f.inc.ID, Kinds: []blotter.Kind{blotter.KindSystem}})
	if len(entries) != 1 || !strings.Contains(entries[0].Text, "set the status to resolved") {
		t.Errorf("the timeline does not say it: %+v", entries)
	}
	if items, _ := f.rec.Outbox(f.ctx, syncer.GitLabName, time.Time{}, false, 10); len(items) != 0 {
		t.Errorf("GitLab's change was queued back to GitLab: %+v", items)
	}
	f.clock.Advance(time.Minute)
	open := blotter.StatusOpen
	if _, err := f.rec.UpdateIncident(f.ctx, f.inc.ID, blotter.IncidentUpdate{Status: &open}, "not over"); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	if is, _ := f.srv.Issue(project, f.iid); is.State != "opened" {
		t.Errorf("GitLab's incident is %s after Blotter reopened it", is.State)
	}
	if n, _ := target.Pull(f.ctx, f.inc.ID); n != 0 {
		t.Errorf("our reopening came back as a change (%d)", n)
	}
}

// taskIssue returns the fake's task issue with the given title.
func (f *fixture) taskIssue(t *testing.T, title string) gitlabfake.Issue {
	t.Helper()
	var found []gitlabfake.Issue
	for _, is := range f.srv.Issues(project) {
		if is.IssueType != "incident" && is.Title == title {
			found = append(found, is)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d GitLab issues titled %q, want 1", len(found), title)
	}
	return found[0]
}

// TestTasksAsIssues: a task is a GitLab issue linked to the incident, its column a scoped
// label, Done closing it, its assignee and due date along; a move made in GitLab comes back.
func TestTasksAsIssues(t *testing.T) {
	f := newFixture(t)
	f.srv.AddUser("bo", "glpat-bo")
	task, err := f.rec.AddTask(f.ctx, recorder.NewTask{Title: "Rotate the SSO signing keys", Assignee: "bo", Due: "2026-11-23 17:00"})
	if err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	is := f.taskIssue(t, "Rotate the SSO signing keys")
	if strings.Join(is.Labels, ",") != "blotter::todo" || strings.Join(is.Assignees, ",") != "bo" || is.DueDate != "2026-11-23" || is.State != "opened" {
		t.Errorf("task issue = %+v", is)
	}
	if links := f.srv.IssueLinks(project, is.IID); len(links) != 1 {
		t.Errorf("the task issue is linked to %d issues, want the incident", len(links))
	}
	f.clock.Advance(time.Minute)
	if _, err := f.rec.MoveTask(f.ctx, task.ID, "done", nil, ""); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	if is = f.taskIssue(t, "Rotate the SSO signing keys"); is.State != "closed" || strings.Join(is.Labels, ",") != "blotter::done" {
		t.Errorf("after Done: %+v", is)
	}
	// Bo reopens it in GitLab and marks it blocked.
	f.clock.Advance(time.Minute)
	bo := f.srv.As("bo")
	if err := bo.ReopenIssue(project, is.IID); err != nil {
		t.Fatal(err)
	}
	if err := bo.SetLabels(project, is.IID, "blotter::blocked"); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	if _, err := f.engine.Target.(*syncer.GitLab).Pull(f.ctx, f.inc.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := f.rec.Task(f.ctx, task.ID)
	if got.Status != blotter.TaskBlocked || got.BlockedReason == "" {
		t.Errorf("after Bo's move in GitLab: %+v", got)
	}
	if items, _ := f.rec.Outbox(f.ctx, syncer.GitLabName, time.Time{}, false, 10); len(items) != 0 {
		t.Errorf("GitLab's move was queued back to GitLab: %d items", len(items))
	}
	if res, err := f.rec.Verify(f.ctx); err != nil || !res.OK() {
		t.Errorf("verify: %+v %v", res, err)
	}
}

// TestLinkedIssuesBecomeTasks: an issue a responder makes in GitLab and links to the incident
// ("Linked items") is on the board at the next pull, once, in the column its label says (To
// do without one); its later changes follow; issues of another project, unlinked ones and the
// other incidents linked to it are not tasks.
func TestLinkedIssuesBecomeTasks(t *testing.T) {
	f := newFixture(t)
	f.srv.AddUser("bo", "glpat-bo")
	f.srv.AddProject("other/project")
	bo := f.srv.As("bo")
	target := f.engine.Target.(*syncer.GitLab)
	f.sync(t) // the incident's own push
	newIssue := func(path string, in gitlabfake.NewIssue, link bool) gitlabfake.Issue {
		t.Helper()
		is, err := bo.CreateIssue(path, in)
		if err != nil {
			t.Fatal(err)
		}
		if link {
			if _, err := bo.LinkIssues(project, f.iid, path, is.IID); err != nil {
				t.Fatal(err)
			}
		}
		return is
	}
	dns := newIssue(project, gitlabfake.NewIssue{Title: "Check the DNS zone for changes", Assignees: []string{"bo"}, DueDate: "2026-11-24"}, true)
	newIssue(project, gitlabfake.NewIssue{Title: "Already doing: block the C2 domain", Labels: []string{"blotter::doing"}}, true)
	newIssue(project, gitlabfake.NewIssue{Title: "Unrelated backlog item"}, false)
	newIssue("other/project", gitlabfake.NewIssue{Title: "Another team's issue"}, true)
	newIssue(project, gitlabfake.NewIssue{Title: "A related incident", IssueType: "incident"}, true)

	f.clock.Advance(time.Minute)
	for range 2 { // a second pull adds nothing
		if _, err := target.Pull(f.ctx, f.inc.ID); err != nil {
			t.Fatal(err)
		}
	}
	tasks, err := f.rec.Tasks(f.ctx, recorder.TaskFilter{IncidentID: f.inc.ID})
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]*blotter.Task{}
	for _, tk := range tasks {
		byTitle[tk.Title] = tk
	}
	got, ok := byTitle["Check the DNS zone for changes"]
	if !ok {
		t.Fatalf("the hand-made linked issue is not a task: %v", byTitle)
	}
	if got.Status != blotter.TaskTodo || got.Assignee != "bo" || !strings.HasPrefix(got.DueAt, "2026-11-24") {
		t.Errorf("the hand-made linked issue: %+v", got)
	}
	if doing := byTitle["Already doing: block the C2 domain"]; doing == nil || doing.Status != blotter.TaskDoing {
		t.Errorf("the labelled one: %+v", doing)
	}
	if len(tasks) != 2 {
		t.Errorf("tasks = %d (%v), want the two linked issues of the project", len(tasks), byTitle)
	}
	// Bo closes it in GitLab: Done here; and nothing goes back to GitLab as a new issue.
	f.clock.Advance(time.Minute)
	if err := bo.CloseIssue(project, dns.IID); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	if _, err := target.Pull(f.ctx, f.inc.ID); err != nil {
		t.Fatal(err)
	}
	if after, _ := f.rec.Task(f.ctx, got.ID); after.Status != blotter.TaskDone {
		t.Errorf("after Bo closed it: %+v", after)
	}
	if items, _ := f.rec.Outbox(f.ctx, syncer.GitLabName, time.Time{}, false, 10); len(items) != 0 {
		t.Errorf("pulled tasks were queued back to GitLab: %+v", items[0])
	}
	if n := len(f.srv.Issues(project)); n != 5 {
		t.Errorf("the project holds %d issues, want the incident and Bo's four (none made again)", n)
	}
}

// TestPullComments: with comments on, people's comments on the GitLab incident come in once,
// as gitlab entries tagged comment; GitLab's own notes and Blotter's long texts do not.
func TestPullComments(t *testing.T) {
	f := newFixture(t)
	f.srv.AddUser("bo", "glpat-bo")
	target := f.engine.Target.(*syncer.GitLab)
	if _, err := f.rec.AddNote(f.ctx, recorder.Note{Text: "Long: " + strings.Repeat("words that do not fit an event ", 12)}); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	note, err := f.srv.As("bo").CreateNote(project, f.iid, "DB team joined the bridge")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := target.Pull(f.ctx, f.inc.ID); n != 0 {
		t.Errorf("comments came in while off: %d", n)
	}
	if err := f.rec.SetGitLabComments(f.ctx, true); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := target.Pull(f.ctx, f.inc.ID); err != nil {
			t.Fatal(err)
		}
	}
	list, _ := f.rec.Timeline(f.ctx, blotter.EntryFilter{IncidentID: f.inc.ID, Kinds: []blotter.Kind{blotter.KindGitLab}})
	if len(list) != 1 || list[0].Text != "DB team joined the bridge" || list[0].Author != "bo" || list[0].Tags[0] != "comment" {
		t.Fatalf("pulled comments = %+v", list)
	}
	if got, _ := f.rec.Entry(f.ctx, list[0].ID); got.Deleted {
		t.Error("a later pull took the comment for a deleted event")
	}
	// Bo corrects the comment in GitLab: the entry follows, once, as a revision by Bo.
	f.clock.Advance(time.Minute)
	if err := f.srv.As("bo").EditNote(note.ID, "DB team and the network team joined the bridge"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := target.Pull(f.ctx, f.inc.ID); err != nil {
			t.Fatal(err)
		}
	}
	hist, err := f.rec.History(f.ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.rec.Entry(f.ctx, list[0].ID); got.Text != "DB team and the network team joined the bridge" || len(hist) != 2 || hist[1].By != "bo" {
		t.Errorf("after Bo's edit in GitLab: %q, %d revisions (%+v)", got.Text, len(hist), hist[len(hist)-1])
	}
	// Bo deletes it there: deleted here, with the reason, and the history keeps it.
	f.clock.Advance(time.Minute)
	if err := f.srv.As("bo").DeleteNote(note.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := target.Pull(f.ctx, f.inc.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.rec.Entry(f.ctx, list[0].ID); !got.Deleted {
		t.Error("a comment deleted in GitLab is still on the timeline")
	}
	if items, _ := f.rec.Outbox(f.ctx, syncer.GitLabName, time.Time{}, false, 10); len(items) != 0 {
		t.Errorf("the pulled edit or delete was queued back to GitLab: %+v", items[0])
	}
	if res, err := f.rec.Verify(f.ctx); err != nil || !res.OK() {
		t.Errorf("verify: %+v %v", res, err)
	}
}

// TestChainHeadPostedToGitLab: the end of the log is posted to the GitLab incident when it
// moved, dated by GitLab; the comments pull never takes those notes in.
func TestChainHeadPostedToGitLab(t *testing.T) {
	f := newFixture(t)
	f.rec.AddNote(f.ctx, recorder.Note{Text: "first"})
	f.sync(t)
	target := f.engine.Target.(*syncer.GitLab)
	heads := func() []string {
		var out []string
		for _, n := range f.srv.Notes(project, f.iid) {
			if strings.Contains(n.Body, "Blotter's record of this incident") {
				out = append(out, n.Body)
			}
		}
		return out
	}
	if n, err := target.PostHeads(f.ctx, 0); err != nil || n != 1 {
		t.Fatalf("first post: %d, %v", n, err)
	}
	seq, hash, _ := f.rec.Head(f.ctx, f.inc.ID)
	if got := heads(); len(got) != 1 || !strings.Contains(got[0], hash) || !strings.Contains(got[0], fmt.Sprintf("revision %d,", seq)) {
		t.Fatalf("head notes: %q (want revision %d, %s)", got, seq, hash)
	}
	// Nothing moved: nothing posted. A new note, within the interval: nothing yet; without it: posted.
	if n, _ := target.PostHeads(f.ctx, 0); n != 0 {
		t.Fatalf("posted %d with nothing new", n)
	}
	f.rec.AddNote(f.ctx, recorder.Note{Text: "second"})
	if n, _ := target.PostHeads(f.ctx, time.Hour); n != 0 {
		t.Fatalf("posted %d within the interval", n)
	}
	if n, _ := target.PostHeads(f.ctx, 0); n != 1 || len(heads()) != 2 {
		t.Fatalf("posted %d after the record moved; %d notes", n, len(heads()))
	}
	// Comments come in when turned on, but not these.
	if err := f.rec.SetGitLabComments(f.ctx, true); err != nil {
		t.Fatal(err)
	}
	if _, err := target.PullAll(f.ctx); err != nil {
		t.Fatal(err)
	}
	es, _ := f.rec.Timeline(f.ctx, blotter.EntryFilter{IncidentID: f.inc.ID, Kinds: []blotter.Kind{blotter.KindGitLab}})
	for _, e := range es {
		if strings.Contains(e.Text, "Blotter's record of this incident") {
			t.Fatalf("a head note came back as an entry: %q", e.Text)
		}
	}
}
