package gitlab_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

// TestDropAfterCommit: GitLab commits a create and the answer is lost. The call fails as
// retryable and uncertain, and the marker finds the one object GitLab made: no duplicate.
func TestDropAfterCommit(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.incident(t, "x")
	since := t0.Add(-time.Hour) // well before the first attempt, whatever GitLab's clock says

	lost := func(t *testing.T, err error) {
		t.Helper()
		ok, _ := gitlab.IsRetryable(err)
		if err == nil || !ok || !gitlab.IsUncertain(err) || apiErr(t, err).Status != 0 {
			t.Fatalf("got %v, want a retryable, uncertain error without an answer", err)
		}
	}

	t.Run("issue", func(t *testing.T) {
		m := marker("task-lost")
		f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteCreateIssue), gitlabfake.DropAfterCommit())
		_, err := f.c.CreateIssue(f.ctx, project, gitlab.NewIssue{Title: "Isolate host"}, m)
		lost(t, err)
		found, err := f.c.FindIssueByMarker(f.ctx, project, m, since)
		if err != nil || found == nil || found.Title != "Isolate host" {
			t.Fatalf("find: %+v %v", found, err)
		}
		if n := countMarked(f.srv.Issues(project), func(is gitlabfake.Issue) bool { return (&gitlab.Issue{Description: is.Description}).HasMarker(m) }); n != 1 {
			t.Errorf("issues with the marker: %d, want 1", n)
		}
		if none, err := f.c.FindIssueByMarker(f.ctx, project, marker("never-sent"), since); err != nil || none != nil {
			t.Errorf("unknown marker: %+v %v", none, err)
		}
	})

	t.Run("note", func(t *testing.T) {
		m := marker("note-lost")
		f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteCreateNote), gitlabfake.DropAfterCommit())
		_, err := f.c.CreateNote(f.ctx, project, inc.IID, "Saw beaconing to 198.51.100.7", m)
		lost(t, err)
		found, err := f.c.FindNoteByMarker(f.ctx, project, inc.IID, m, since)
		if err != nil || found == nil || gitlab.StripMarker(found.Body) != "Saw beaconing to 198.51.100.7" {
			t.Fatalf("find: %+v %v", found, err)
		}
		if n := countMarked(f.srv.Notes(project, int(inc.IID)), func(n gitlabfake.Note) bool { return (&gitlab.Note{Body: n.Body}).HasMarker(m) }); n != 1 {
			t.Errorf("notes with the marker: %d, want 1", n)
		}
	})

	t.Run("timeline event", func(t *testing.T) {
		m := marker("event-lost")
		f.srv.Fail(gitlabfake.OnGraphQL("timelineEventCreate"), gitlabfake.DropAfterCommit())
		_, err := f.c.CreateTimelineEvent(f.ctx, inc.GID(), "EDR quarantined the binary", t0, []string{"Impact mitigated"}, m)
		lost(t, err)
		found, err := f.c.FindTimelineEventByMarker(f.ctx, project, inc.GID(), m)
		if err != nil || found == nil || gitlab.StripMarker(found.Note) != "EDR quarantined the binary" {
			t.Fatalf("find: %+v %v", found, err)
		}
		if n := countMarked(f.srv.TimelineEvents(project, int(inc.IID)), func(e gitlabfake.TimelineEvent) bool {
			return (&gitlab.TimelineEvent{Note: e.Note}).HasMarker(m)
		}); n != 1 {
			t.Errorf("events with the marker: %d, want 1", n)
		}
	})

	if got := f.srv.Stats().Faults["drop_after_commit"]; got != 3 {
		t.Errorf("faults: %d, want 3", got)
	}
}

// TestChaosNoDuplicates delivers notes and timeline events through seeded random faults (500s,
// 429s, connections dropped after the commit) as the sync engine will: retry what is
// retryable, and before repeating an uncertain create, look it up by its marker. Every object
// ends up in GitLab exactly once.
func TestChaosNoDuplicates(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.incident(t, "x")
	f.srv.SetChaos(gitlabfake.Chaos{Seed: 20250301, Rate: 0.35})
	since := t0.Add(-time.Hour)
	const n = 30

	deliver := func(what string, create func() error, find func() (bool, error)) {
		t.Helper()
		for attempt := 1; ; attempt++ {
			if attempt > 25 {
				t.Fatalf("%s: not delivered after 25 attempts", what)
			}
			err := create()
			if err == nil {
				return
			}
			ok, after := gitlab.IsRetryable(err)
			if !ok {
				t.Fatalf("%s: %v", what, err)
			}
			f.clock.Advance(after) // the engine would wait; the fake's clock moves instead
			if gitlab.IsUncertain(err) {
				found, err := find()
				if err != nil {
					t.Fatalf("%s: find: %v", what, err)
				}
				if found {
					return
				}
			}
		}
	}
	for i := range n {
		mn, me := marker(fmt.Sprintf("note-%02d", i)), marker(fmt.Sprintf("event-%02d", i))
		deliver(mn, func() error {
			_, err := f.c.CreateNote(f.ctx, project, inc.IID, fmt.Sprintf("note %d", i), mn)
			return err
		}, func() (bool, error) {
			found, err := f.c.FindNoteByMarker(f.ctx, project, inc.IID, mn, since)
			return found != nil, err
		})
		deliver(me, func() error {
			_, err := f.c.CreateTimelineEvent(f.ctx, inc.GID(), fmt.Sprintf("event %d", i), t0.Add(time.Duration(i)*time.Minute), nil, me)
			return err
		}, func() (bool, error) {
			found, err := f.c.FindTimelineEventByMarker(f.ctx, project, inc.GID(), me)
			return found != nil, err
		})
	}

	stats := f.srv.Stats()
	if stats.Faults["drop_after_commit"] == 0 || stats.Faults["status_500"] == 0 || stats.Faults["rate_limit"] == 0 {
		t.Errorf("chaos did not exercise every fault: %v", stats.Faults)
	}
	if stats.Creates["note"] != n || stats.Creates["timeline_event"] != n {
		t.Errorf("created %d notes and %d events, want %d of each (faults %v)", stats.Creates["note"], stats.Creates["timeline_event"], n, stats.Faults)
	}
	notes, events := f.srv.Notes(project, int(inc.IID)), f.srv.TimelineEvents(project, int(inc.IID))
	for i := range n {
		mn, me := marker(fmt.Sprintf("note-%02d", i)), marker(fmt.Sprintf("event-%02d", i))
		if c := countMarked(notes, func(x gitlabfake.Note) bool { return (&gitlab.Note{Body: x.Body}).HasMarker(mn) }); c != 1 {
			t.Errorf("%s: %d notes", mn, c)
		}
		if c := countMarked(events, func(x gitlabfake.TimelineEvent) bool { return (&gitlab.TimelineEvent{Note: x.Note}).HasMarker(me) }); c != 1 {
			t.Errorf("%s: %d events", me, c)
		}
	}
}
