package gitlabfake_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	gitlab "gitlab.com/gitlab-org/api/client-go"

	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

func TestFault500ThenSuccess(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	rule := f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteCreateIssue), gitlabfake.Error500())
	opt := &gitlab.CreateIssueOptions{Title: gitlab.Ptr("x"), IssueType: gitlab.Ptr("incident")}

	_, _, err := f.gl.Issues.CreateIssue(project, opt)
	var er *gitlab.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 500 || !strings.Contains(string(er.Body), "500 Internal Server Error") {
		t.Fatalf("first try: got %v, want 500", err)
	}
	if _, _, err := f.gl.Issues.CreateIssue(project, opt); err != nil {
		t.Fatalf("second try: %v", err)
	}
	st := f.srv.Stats()
	if rule.Hits() != 1 || st.Faults["status_500"] != 1 || st.Creates["issue"] != 1 || st.Requests[gitlabfake.RouteCreateIssue] != 2 {
		t.Errorf("hits %d, stats %+v", rule.Hits(), st)
	}
	if got := len(f.srv.Issues(project)); got != 1 {
		t.Errorf("issues: got %d, want 1", got)
	}
}

func TestFaultTimesAndForever(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	f.srv.Fail(gitlabfake.Match{Method: "GET"}, gitlabfake.Status(503).Times(2))
	for i, want := range []int{503, 503, 0} {
		_, _, err := f.gl.Users.CurrentUser()
		if got := statusOf(err); got != want {
			t.Errorf("request %d: got status %d (%v), want %d", i, got, err, want)
		}
	}
	rule := f.srv.Fail(gitlabfake.OnWrites(), gitlabfake.Error500().Forever())
	for i := 0; i < 3; i++ {
		if _, _, err := f.gl.Issues.CreateIssue(project, &gitlab.CreateIssueOptions{Title: gitlab.Ptr("x")}); statusOf(err) != 500 {
			t.Errorf("write %d: got %v", i, err)
		}
	}
	if _, _, err := f.gl.Users.CurrentUser(); err != nil {
		t.Errorf("a read under a writes-only rule: %v", err)
	}
	rule.Remove()
	if _, _, err := f.gl.Issues.CreateIssue(project, &gitlab.CreateIssueOptions{Title: gitlab.Ptr("x")}); err != nil {
		t.Errorf("after Remove: %v", err)
	}
}

func TestFault429(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	is := f.createIncident(t, "x")
	f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteCreateNote), gitlabfake.RateLimit(30*time.Second))

	_, resp, err := f.gl.Notes.CreateIssueNote(project, is.IID, &gitlab.CreateIssueNoteOptions{Body: gitlab.Ptr("n")})
	if statusOf(err) != 429 {
		t.Fatalf("got %v, want 429", err)
	}
	if got := resp.Header.Get("Retry-After"); got != "30" {
		t.Errorf("Retry-After: got %q, want 30", got)
	}
	if got, want := resp.Header.Get("RateLimit-Reset"), strconv.FormatInt(t0.Add(30*time.Second).Unix(), 10); got != want {
		t.Errorf("RateLimit-Reset: got %q, want %q", got, want)
	}
	if got := resp.Header.Get("RateLimit-Remaining"); got != "0" {
		t.Errorf("RateLimit-Remaining: got %q", got)
	}
	if got := len(f.srv.Notes(project, int(is.IID))); got != 0 {
		t.Errorf("notes: got %d, want 0 (a 429 commits nothing)", got)
	}

	// A 429 without any hint, as GitLab sometimes answers.
	f.srv.Fail(gitlabfake.OnGraphQL("timelineEventCreate"), gitlabfake.RateLimit(time.Second).WithoutRateLimitHeaders())
	var ans gqlAnswer
	r, _ := f.gl.GraphQL.Do(gitlab.GraphQLQuery{Query: createEvent, Variables: map[string]any{"input": map[string]any{
		"incidentId": issueGID(is), "note": "n", "occurredAt": t0.Format(time.RFC3339)}}}, &ans)
	if r == nil || r.StatusCode != 429 || r.Header.Get("Retry-After") != "" || r.Header.Get("RateLimit-Reset") != "" {
		t.Errorf("bare 429: %+v", r)
	}
}

func TestFaultSlowAnswer(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	is := f.createIncident(t, "x")
	input := func(note string) map[string]any {
		return map[string]any{"input": map[string]any{"incidentId": issueGID(is), "note": note, "occurredAt": t0.Format(time.RFC3339)}}
	}
	countNote := func(note string) int {
		n := 0
		for _, e := range f.srv.TimelineEvents(project, int(is.IID)) {
			if e.Note == note {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name      string
		fault     gitlabfake.Fault
		committed int
	}{
		{"delay before commit", gitlabfake.Delay(10 * time.Second), 0},
		{"delay after commit", gitlabfake.Delay(10 * time.Second).AfterCommit(), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.srv.Fail(gitlabfake.OnGraphQL("timelineEventCreate"), tt.fault)
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			var ans gqlAnswer
			_, err := f.gl.GraphQL.Do(gitlab.GraphQLQuery{Query: createEvent, Variables: input(tt.name)}, &ans, gitlab.WithContext(ctx))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("got %v, want a deadline error", err)
			}
			if el := time.Since(start); el > 2*time.Second {
				t.Errorf("the client waited %v", el)
			}
			if got := countNote(tt.name); got != tt.committed {
				t.Errorf("events with this note: got %d, want %d", got, tt.committed)
			}
		})
	}
}

func TestFaultDropAfterCommit(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	is := f.createIncident(t, "x")

	// REST: the note is stored, the client gets no answer.
	f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteCreateNote), gitlabfake.DropAfterCommit())
	_, resp, err := f.gl.Notes.CreateIssueNote(project, is.IID, &gitlab.CreateIssueNoteOptions{Body: gitlab.Ptr("seen at 09:13")})
	if err == nil || statusOf(err) != 0 || (resp != nil && resp.Response != nil) {
		t.Fatalf("got resp %v err %v, want a connection error", resp, err)
	}
	notes := f.srv.Notes(project, int(is.IID))
	if len(notes) != 1 || notes[0].Body != "seen at 09:13" {
		t.Fatalf("notes: %+v, want exactly one", notes)
	}
	// A careful client finds it before retrying.
	list, _, err := f.gl.Notes.ListIssueNotes(project, is.IID, nil)
	if err != nil || len(list) != 1 {
		t.Errorf("list after drop: %d %v", len(list), err)
	}

	// GraphQL: the timeline event exists exactly once.
	f.srv.Fail(gitlabfake.OnGraphQL("timelineEventCreate"), gitlabfake.DropAfterCommit())
	var ans gqlAnswer
	_, err = f.gl.GraphQL.Do(gitlab.GraphQLQuery{Query: createEvent, Variables: map[string]any{"input": map[string]any{
		"incidentId": issueGID(is), "note": "dropped", "occurredAt": t0.Format(time.RFC3339)}}}, &ans)
	if err == nil {
		t.Fatal("got no error, want a connection error")
	}
	n := 0
	for _, e := range f.srv.TimelineEvents(project, int(is.IID)) {
		if e.Note == "dropped" {
			n++
		}
	}
	if n != 1 || f.srv.Stats().Faults["drop_after_commit"] != 2 {
		t.Errorf("events: got %d, want 1; stats %+v", n, f.srv.Stats())
	}

	// Drop before commit: nothing is stored.
	f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteCreateNote), gitlabfake.Drop())
	if _, _, err := f.gl.Notes.CreateIssueNote(project, is.IID, &gitlab.CreateIssueNoteOptions{Body: gitlab.Ptr("lost")}); err == nil {
		t.Fatal("drop: got no error")
	}
	for _, n := range f.srv.Notes(project, int(is.IID)) {
		if n.Body == "lost" {
			t.Errorf("a plain drop stored the note: %+v", n)
		}
	}
}

// TestChaosDeterministic runs the same writes against two fakes with the
// same seed: they must fail the same way.
func TestChaosDeterministic(t *testing.T) {
	run := func() (string, gitlabfake.Stats) {
		f := newFixture(t, gitlabfake.Options{})
		f.srv.SetChaos(gitlabfake.Chaos{Seed: 42, Rate: 0.2})
		var outcome []string
		for i := 0; i < 60; i++ {
			_, _, err := f.gl.Issues.CreateIssue(project, &gitlab.CreateIssueOptions{Title: gitlab.Ptr(fmt.Sprint(i))})
			switch {
			case err == nil:
				outcome = append(outcome, "ok")
			case statusOf(err) != 0:
				outcome = append(outcome, strconv.Itoa(statusOf(err)))
			default:
				outcome = append(outcome, "drop")
			}
			// Reads are not touched.
			if _, _, err := f.gl.Users.CurrentUser(); err != nil {
				t.Fatalf("read under chaos: %v", err)
			}
		}
		return strings.Join(outcome, " "), f.srv.Stats()
	}
	a, statsA := run()
	b, _ := run()
	if a != b {
		t.Errorf("runs differ:\n%s\n%s", a, b)
	}
	faults := statsA.Faults["status_500"] + statsA.Faults["rate_limit"] + statsA.Faults["drop_after_commit"]
	if faults < 4 || faults > 24 {
		t.Errorf("faults: got %d of 60 at rate 0.2 (%v)", faults, statsA.Faults)
	}
	// Drops after commit created issues the client never heard of.
	if got, want := statsA.Creates["issue"], 60-statsA.Faults["status_500"]-statsA.Faults["rate_limit"]; got != want {
		t.Errorf("issues created: got %d, want %d", got, want)
	}
}

func TestActorAsAnotherUser(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	is := f.createIncident(t, "x")
	ev, err := f.srv.As("carol").CreateTimelineEvent(project, int(is.IID), "Blocked 203.0.113.9 at the edge", t0.Add(5*time.Minute), "Impact mitigated")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.As("carol").CreateTimelineEvent(project, int(is.IID), strings.Repeat("x", 281), t0); err == nil ||
		!strings.Contains(err.Error(), "Timeline text is too long (maximum is 280 characters)") {
		t.Errorf("actor 281 characters: %v", err)
	}

	ans := f.graphql(t, listEvents, map[string]any{"fullPath": project, "incidentId": issueGID(is), "iid": fmt.Sprint(is.IID)})
	var found *gqlEvent
	for i, n := range ans.Data.Project.Events.Nodes {
		if n.ID == fmt.Sprintf("gid://gitlab/IncidentManagement::TimelineEvent/%d", ev.ID) {
			found = &ans.Data.Project.Events.Nodes[i]
		}
	}
	if found == nil || found.Author.Username != "carol" || found.tags() != "Impact mitigated" {
		t.Errorf("carol's event through GraphQL: %+v", found)
	}
	// Actor changes are not counted as API creates.
	if got := f.srv.Creates("timeline_event"); got != 0 {
		t.Errorf("creates: got %d, want 0", got)
	}
}
