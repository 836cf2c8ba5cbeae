package gitlab_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

func TestNotesPaging(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.incident(t, "Data exfiltration")

	// 250 comments by others, one minute apart, and a system note among them.
	carol := f.srv.As("carol")
	for i := range 250 {
		if _, err := carol.CreateNote(project, int(inc.IID), fmt.Sprintf("comment %03d", i)); err != nil {
			t.Fatal(err)
		}
		if i == 120 {
			if err := carol.EditIssue(project, int(inc.IID), inc.Title, "new description"); err != nil {
				t.Fatal(err)
			}
		}
		f.clock.Advance(time.Minute)
	}
	mine, err := f.c.CreateNote(f.ctx, project, inc.IID, "Blocked the exfil host", marker("note-mine"))
	if err != nil {
		t.Fatal(err)
	}

	f.srv.ResetStats()
	notes, err := f.c.Notes(f.ctx, project, inc.IID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 252 {
		t.Fatalf("got %d notes, want 252 (250 comments, a system note, ours)", len(notes))
	}
	if got := f.srv.Requests(gitlabfake.RouteListNotes); got != 3 {
		t.Errorf("requests: got %d, want 3 pages of 100", got)
	}
	// In the order they were written, system note flagged, nothing skipped.
	system, comments := 0, 0
	for _, n := range notes {
		switch {
		case n.System:
			system++
			if n.Body != "changed the description" {
				t.Errorf("system note: %+v", n)
			}
		case n.Author == "carol":
			if want := fmt.Sprintf("comment %03d", comments); n.Body != want {
				t.Fatalf("note %d: got %q, want %q", comments, n.Body, want)
			}
			comments++
		}
	}
	if system != 1 || comments != 250 || notes[len(notes)-1].ID != mine.ID || !notes[len(notes)-1].HasMarker(marker("note-mine")) {
		t.Errorf("system %d, comments %d, last %+v", system, comments, notes[len(notes)-1])
	}

	// Since: only what changed at or after it, and reading stops at the first older page.
	f.srv.ResetStats()
	recent, err := f.c.Notes(f.ctx, project, inc.IID, t0.Add(200*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) != 51 || recent[0].Body != "comment 200" || recent[50].ID != mine.ID {
		t.Errorf("since: %d notes, first %+v", len(recent), recent[0])
	}
	if got := f.srv.Requests(gitlabfake.RouteListNotes); got != 1 {
		t.Errorf("since: %d requests, want 1", got)
	}
}

func TestCreateNote(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.incident(t, "x")
	n, err := f.c.CreateNote(f.ctx, project, inc.IID, gitlab.Neutralize("cc @all\n/close"), marker("n1"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "cc @\u2060all\n\\/close\n\n<!-- blotter:n1 -->"; n.Body != want || n.Author != "alice" || n.System {
		t.Errorf("note: %+v, body want %q", n, want)
	}
	if gitlab.StripMarker(n.Body) != "cc @\u2060all\n\\/close" {
		t.Errorf("stripped: %q", gitlab.StripMarker(n.Body))
	}
	if _, err := f.c.CreateNote(f.ctx, project, inc.IID, " \n", marker("n2")); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("empty note: %v", err)
	}
	if _, err := f.c.CreateNote(f.ctx, project, 99, "x", marker("n3")); !gitlab.IsNotFound(err) {
		t.Errorf("no issue: %v", err)
	}
	if got := f.srv.Creates("note"); got != 1 {
		t.Errorf("created %d, want 1", got)
	}
}

// TestNotesRateLimit: GitLab's notes limit answers 429 with Retry-After until the minute ends.
func TestNotesRateLimit(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{NotesPerMinute: 2})
	inc := f.incident(t, "x")
	f.clock.Advance(15 * time.Second)
	for i := range 2 {
		if _, err := f.c.CreateNote(f.ctx, project, inc.IID, "x", marker(fmt.Sprint("r", i))); err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.c.CreateNote(f.ctx, project, inc.IID, "x", marker("r2"))
	ok, after := gitlab.IsRetryable(err)
	if !ok || after != 45*time.Second || gitlab.IsUncertain(err) {
		t.Errorf("got %v (retry %v after %v)", err, ok, after)
	}
}
