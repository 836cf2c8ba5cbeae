package gitlab_test

import (
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

func TestIncidentLifecycle(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	m := marker("0195a2b4-0c1d-7e2f-8a3b-4c5d6e7f8091")

	// Create: an issue of type incident whose description ends with the marker.
	is, err := f.c.CreateIncident(f.ctx, project, "Credential stuffing on login", "Spike of failed logins", m)
	if err != nil {
		t.Fatal(err)
	}
	if is.Type != "incident" || is.IID != 1 || is.State != "opened" || is.Author != "alice" || !is.HasMarker(m) {
		t.Errorf("created: %+v", is)
	}
	if got, want := is.Description, "Spike of failed logins\n\n<!-- "+m+" -->"; got != want {
		t.Errorf("description: got %q, want %q", got, want)
	}
	if got := gitlab.StripMarker(is.Description); got != "Spike of failed logins" {
		t.Errorf("stripped: got %q", got)
	}
	if stored, _ := f.srv.Issue(project, int(is.IID)); stored.IssueType != "incident" || stored.Description != is.Description {
		t.Errorf("stored: %+v", stored)
	}

	// Read it back over GraphQL, with what only GraphQL has.
	inc, err := f.c.Incident(f.ctx, project, is.IID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.ID != is.ID || inc.GID() != is.GID() || inc.Severity != "UNKNOWN" || inc.EscalationStatus != gitlab.EscalationTriggered ||
		inc.Type != "incident" || inc.Title != is.Title || inc.Description != is.Description || inc.Author != "alice" || inc.ProjectID != is.ProjectID {
		t.Errorf("incident: %+v", inc)
	}

	// Severity: Blotter's names become GitLab's.
	f.clock.Advance(time.Minute)
	if err := f.c.SetSeverity(f.ctx, project, is.IID, blotter.SeverityHigh); err != nil {
		t.Fatal(err)
	}
	if stored, _ := f.srv.Issue(project, int(is.IID)); stored.Severity != "HIGH" {
		t.Errorf("severity: got %q, want HIGH", stored.Severity)
	}
	// Again: no change, no error.
	if err := f.c.SetSeverity(f.ctx, project, is.IID, blotter.SeverityHigh); err != nil {
		t.Errorf("same severity again: %v", err)
	}
	if s, ok := gitlab.BlotterSeverity("CRITICAL"); !ok || s != blotter.SeverityCritical {
		t.Errorf("BlotterSeverity: %q %v", s, ok)
	}
	if _, ok := gitlab.BlotterSeverity("UNKNOWN"); ok {
		t.Error("UNKNOWN maps to a Blotter severity")
	}
	before := f.srv.Stats().Requests["graphql:issueSetSeverity"]
	if err := f.c.SetSeverity(f.ctx, project, is.IID, "catastrophic"); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("bad severity: got %v", err)
	}
	if f.srv.Stats().Requests["graphql:issueSetSeverity"] != before {
		t.Error("a bad severity was sent")
	}

	// Escalation status.
	if err := f.c.SetEscalationStatus(f.ctx, project, is.IID, gitlab.EscalationAcknowledged); err != nil {
		t.Fatal(err)
	}
	inc, err = f.c.Incident(f.ctx, project, is.IID)
	if err != nil || inc.Severity != "HIGH" || inc.EscalationStatus != gitlab.EscalationAcknowledged {
		t.Errorf("after severity and status: %+v %v", inc, err)
	}

	// Close (GitLab resolves the status) and reopen.
	closed, err := f.c.CloseIncident(f.ctx, project, is.IID)
	if err != nil || closed.State != "closed" || closed.ClosedAt == nil {
		t.Fatalf("close: %+v %v", closed, err)
	}
	if inc, _ := f.c.Incident(f.ctx, project, is.IID); inc.EscalationStatus != gitlab.EscalationResolved || inc.ClosedAt == nil {
		t.Errorf("closed incident: %+v", inc)
	}
	if re, err := f.c.ReopenIncident(f.ctx, project, is.IID); err != nil || re.State != "opened" {
		t.Errorf("reopen: %+v %v", re, err)
	}
}

func TestIncidentErrors(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	if _, err := f.c.Incident(f.ctx, project, 99); !gitlab.IsNotFound(err) || !strings.Contains(err.Error(), "no issue security/incidents#99") {
		t.Errorf("no issue: %v", err)
	}
	if _, err := f.c.Incident(f.ctx, "security/nope", 1); !gitlab.IsNotFound(err) {
		t.Errorf("no project: %v", err)
	}

	// The escalation status of a plain issue: GitLab's top-level GraphQL error (HTTP 200) is an
	// error, permanent, with GitLab's message.
	plain, err := f.c.CreateIssue(f.ctx, project, gitlab.NewIssue{Title: "Rotate keys"}, marker("task-1"))
	if err != nil {
		t.Fatal(err)
	}
	err = f.c.SetEscalationStatus(f.ctx, project, plain.IID, gitlab.EscalationResolved)
	e := apiErr(t, err)
	if e.Status != 200 || e.Retryable || e.Code != blotter.EINVALID || e.Message != "Feature unavailable for provided issue" {
		t.Errorf("plain issue: got %+v", e)
	}
	if err := f.c.SetEscalationStatus(f.ctx, project, plain.IID, "DONE"); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("bad status: %v", err)
	}

	// An incident in a project that does not exist.
	_, err = f.c.CreateIncident(f.ctx, "security/nope", "x", "", marker("x"))
	if e := apiErr(t, err); e.Status != 404 || e.Code != blotter.ENOTFOUND || e.Message != "404 Project Not Found" || e.Retryable {
		t.Errorf("missing project: %+v", e)
	}
	// A marker that cannot live in an HTML comment is refused before sending.
	for _, bad := range []string{"", "blotter:a--b", "blotter:a b", "-->x", strings.Repeat("a", 129)} {
		if _, err := f.c.CreateIncident(f.ctx, project, "x", "", bad); blotter.ErrorCode(err) != blotter.EINVALID {
			t.Errorf("marker %q: got %v", bad, err)
		}
	}
	if got := f.srv.Creates("issue"); got != 1 {
		t.Errorf("issues created: got %d, want 1", got)
	}
}
