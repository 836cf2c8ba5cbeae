package gitlab_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

func TestTimelineEvents(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.incident(t, "Ransomware note on file server")
	m := marker("0195a2b4-0000-7000-8000-000000000001")
	at := time.Date(2025, 3, 1, 8, 42, 17, 500_000_000, time.UTC)

	// Create with tags; GitLab keeps its own spelling of a predefined tag.
	ev, err := f.c.CreateTimelineEvent(f.ctx, inc.GID(), "First encrypted share seen", at, []string{"Start time", "impact detected"}, m)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ev.GID, "gid://gitlab/IncidentManagement::TimelineEvent/") || ev.ID == 0 || ev.GID != gitlab.TimelineEventGID(ev.ID) {
		t.Errorf("ids: %q %d", ev.GID, ev.ID)
	}
	if !ev.OccurredAt.Equal(at.Truncate(time.Second)) || ev.Author != "alice" || !ev.Editable || ev.Action != "comment" {
		t.Errorf("event: %+v", ev)
	}
	if got := strings.Join(ev.Tags, ","); got != "Start time,Impact detected" {
		t.Errorf("tags: %q", got)
	}
	if !ev.HasMarker(m) || gitlab.StripMarker(ev.Note) != "First encrypted share seen" {
		t.Errorf("note %q does not carry the marker as it should", ev.Note)
	}
	if n := utf8.RuneCountInString(ev.Note) - utf8.RuneCountInString("First encrypted share seen"); n != gitlab.TimelineMarkerLen {
		t.Errorf("the marker costs %d characters, want %d", n, gitlab.TimelineMarkerLen)
	}

	// Update the text (keeping the marker), the time, and replace the tags.
	f.clock.Advance(time.Minute)
	text, later := "First encrypted share seen on \\\\fs01", at.Add(2*time.Minute)
	up, err := f.c.UpdateTimelineEvent(f.ctx, ev.GID, gitlab.TimelineEventUpdate{
		Note: &text, Marker: m, OccurredAt: &later, Tags: &[]string{"Impact detected"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if gitlab.StripMarker(up.Note) != text || !up.HasMarker(m) || !up.OccurredAt.Equal(later.Truncate(time.Second)) ||
		strings.Join(up.Tags, ",") != "Impact detected" || up.UpdatedBy != "alice" {
		t.Errorf("updated: %+v", up)
	}
	// Tags only; an empty list removes them.
	if up, err = f.c.UpdateTimelineEvent(f.ctx, ev.GID, gitlab.TimelineEventUpdate{Tags: &[]string{}}); err != nil || len(up.Tags) != 0 || !up.HasMarker(m) {
		t.Errorf("clear tags: %+v %v", up, err)
	}
	if _, err := f.c.UpdateTimelineEvent(f.ctx, ev.GID, gitlab.TimelineEventUpdate{}); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("empty update: %v", err)
	}

	// The list holds ours (it happened before the incident was opened: GitLab orders by time)
	// and GitLab's own "created the incident" event.
	events, err := f.c.TimelineEvents(f.ctx, project, inc.GID())
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].GID != ev.GID || events[1].Action != "issues" || events[1].Editable {
		t.Fatalf("events: %+v", events)
	}
	if found, err := f.c.FindTimelineEventByMarker(f.ctx, project, inc.GID(), m); err != nil || found == nil || found.GID != ev.GID {
		t.Errorf("find: %+v %v", found, err)
	}
	if found, err := f.c.FindTimelineEventByMarker(f.ctx, project, inc.GID(), marker("other")); err != nil || found != nil {
		t.Errorf("find another marker: %+v %v", found, err)
	}

	// Destroy; destroying again is "not found", which after a lost answer means done.
	if err := f.c.DestroyTimelineEvent(f.ctx, ev.GID); err != nil {
		t.Fatal(err)
	}
	err = f.c.DestroyTimelineEvent(f.ctx, ev.GID)
	if e := apiErr(t, err); !gitlab.IsNotFound(err) || e.Retryable || e.Status != 200 {
		t.Errorf("destroy again: %+v", e)
	}
	if events, _ := f.c.TimelineEvents(f.ctx, project, inc.GID()); len(events) != 1 {
		t.Errorf("after destroy: %+v", events)
	}
}

// TestTimelineEventsPaging: the list follows the cursor to the end (100 per page).
func TestTimelineEventsPaging(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.incident(t, "Phishing wave")
	carol := f.srv.As("carol")
	for i := range 230 {
		tag := "Impact detected"
		if i%2 == 0 {
			tag = "Response initiated"
		}
		if _, err := carol.CreateTimelineEvent(project, int(inc.IID), fmt.Sprintf("event %03d", i), t0.Add(time.Duration(i)*time.Minute), tag); err != nil {
			t.Fatal(err)
		}
	}
	f.srv.ResetStats()
	events, err := f.c.TimelineEvents(f.ctx, project, inc.GID())
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 231 { // and GitLab's own
		t.Fatalf("got %d events, want 231", len(events))
	}
	for i, e := range events[1:] {
		want := "Impact detected"
		if i%2 == 0 {
			want = "Response initiated"
		}
		if e.Note != fmt.Sprintf("event %03d", i) || e.Author != "carol" || len(e.Tags) != 1 || e.Tags[0] != want {
			t.Fatalf("event %d: %+v", i, e)
		}
	}
	if got := f.srv.Requests("graphql:project"); got != 3 {
		t.Errorf("requests: got %d, want 3 pages", got)
	}
}

func TestTimelineEventRefusals(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.incident(t, "x")

	// GitLab refuses more than 280 characters: a payload error, permanent, with its message.
	// Characters are counted, not bytes: 260 "é" and the marker make exactly 280.
	_, err := f.c.CreateTimelineEvent(f.ctx, inc.GID(), strings.Repeat("é", gitlab.TimelineTextBudget+1), t0, nil, marker("long"))
	e := apiErr(t, err)
	if e.Code != blotter.EINVALID || e.Retryable || e.Uncertain || e.Status != 200 ||
		e.Message != "Timeline text is too long (maximum is 280 characters)" {
		t.Errorf("281 characters: %+v", e)
	}
	ev, err := f.c.CreateTimelineEvent(f.ctx, inc.GID(), strings.Repeat("é", gitlab.TimelineTextBudget), t0, nil, marker("exact"))
	if err != nil || utf8.RuneCountInString(ev.Note) != gitlab.MaxTimelineNote {
		t.Errorf("280 characters: %v", err)
	}
	// NeutralizeExcerpt fits text whose neutralizing adds characters.
	fits := gitlab.NeutralizeExcerpt(strings.Repeat("@all é ", 60), gitlab.TimelineTextBudget)
	if n := utf8.RuneCountInString(fits); n < gitlab.TimelineTextBudget-1 || n > gitlab.TimelineTextBudget {
		t.Errorf("neutralized excerpt: %d characters, want %d or one less", n, gitlab.TimelineTextBudget)
	}
	if _, err := f.c.CreateTimelineEvent(f.ctx, inc.GID(), fits, t0, nil, marker("fits")); err != nil {
		t.Errorf("neutralized excerpt: %v", err)
	}

	// An unknown tag: a payload error again.
	_, err = f.c.CreateTimelineEvent(f.ctx, inc.GID(), "x", t0, []string{"Lunch"}, marker("tag"))
	if e := apiErr(t, err); e.Code != blotter.EINVALID || !strings.Contains(e.Message, `Following tags don't exist: ["lunch"]`) {
		t.Errorf("unknown tag: %+v", e)
	}

	// A global id of the wrong kind: GitLab's top-level validation error, with HTTP 200.
	_, err = f.c.CreateTimelineEvent(f.ctx, "gid://gitlab/Note/1", "x", t0, nil, marker("gid"))
	if e := apiErr(t, err); e.Code != blotter.EINVALID || e.Retryable || !strings.Contains(e.Message, "does not represent an instance of Issue") {
		t.Errorf("wrong gid: %+v", e)
	}

	// An event on an issue that is not an incident: the resource error, read as not found.
	plain, _ := f.c.CreateIssue(f.ctx, project, gitlab.NewIssue{Title: "task"}, marker("task"))
	if _, err := f.c.CreateTimelineEvent(f.ctx, plain.GID(), "x", t0, nil, marker("plain")); !gitlab.IsNotFound(err) {
		t.Errorf("plain issue: %v", err)
	}

	// Refused before sending: empty text, no time.
	before := f.srv.Requests("graphql:timelineEventCreate")
	if _, err := f.c.CreateTimelineEvent(f.ctx, inc.GID(), "  ", t0, nil, marker("e")); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("empty: %v", err)
	}
	if _, err := f.c.CreateTimelineEvent(f.ctx, inc.GID(), "x", time.Time{}, nil, marker("e")); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("no time: %v", err)
	}
	if f.srv.Requests("graphql:timelineEventCreate") != before {
		t.Error("a refused event was sent")
	}
	if got := f.srv.Creates("timeline_event"); got != 2 {
		t.Errorf("created: %d, want 2", got)
	}
}

func TestPromoteNote(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.incident(t, "x")
	m := marker("note-1")
	n, err := f.c.CreateNote(f.ctx, project, inc.IID, "Blocked 203.0.113.9 at the edge", m)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := f.c.PromoteNoteToTimelineEvent(f.ctx, n.GID())
	if err != nil {
		t.Fatal(err)
	}
	if ev.PromotedFromNote != n.GID() || !strings.Contains(ev.Note, "Blocked 203.0.113.9") || !ev.OccurredAt.Equal(n.CreatedAt) {
		t.Errorf("promoted: %+v", ev)
	}
	// The event quotes the note, marker included, so the note's marker finds it.
	if found, err := f.c.FindTimelineEventByMarker(f.ctx, project, inc.GID(), m); err != nil || found == nil || found.GID != ev.GID {
		t.Errorf("find promoted: %+v %v", found, err)
	}
}
