package gitlab_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

func TestTaskIssues(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{ScopedLabels: true})
	bob := f.srv.AddUser("bob", "")
	inc := f.incident(t, "Leaked deploy key")

	// Create a task issue with a column label, an assignee and a due date.
	task, err := f.c.CreateIssue(f.ctx, project, gitlab.NewIssue{
		Title: "Rotate the deploy key", Description: "All repositories",
		Labels: []string{"blotter::todo", "incident-task"}, AssigneeIDs: []int64{int64(bob.ID)}, DueDate: "2025-03-02",
	}, marker("task-1"))
	if err != nil {
		t.Fatal(err)
	}
	if task.Type != "issue" || strings.Join(task.Labels, ",") != "blotter::todo,incident-task" || len(task.Assignees) != 1 ||
		task.Assignees[0].Username != "bob" || task.DueDate != "2025-03-02" || !task.HasMarker(marker("task-1")) {
		t.Errorf("task: %+v", task)
	}

	// Move it on the board, reassign, clear the due date, retitle.
	f.clock.Advance(time.Minute)
	title := "Rotate the deploy key everywhere"
	up, err := f.c.UpdateIssue(f.ctx, project, task.IID, gitlab.IssueUpdate{
		Title: &title, AddLabels: []string{"blotter::doing"}, RemoveLabels: []string{"blotter::todo"},
		AssigneeIDs: &[]int64{}, DueDate: new(string),
	})
	if err != nil {
		t.Fatal(err)
	}
	if up.Title != title || strings.Join(up.Labels, ",") != "blotter::doing,incident-task" || len(up.Assignees) != 0 || up.DueDate != "" {
		t.Errorf("updated: %+v", up)
	}
	// A new description keeps the marker; done means closed.
	desc := "All repositories and CI"
	up, err = f.c.UpdateIssue(f.ctx, project, task.IID, gitlab.IssueUpdate{Description: &desc, Marker: marker("task-1"), State: gitlab.StateClose})
	if err != nil || up.State != "closed" || !up.HasMarker(marker("task-1")) || gitlab.StripMarker(up.Description) != desc {
		t.Errorf("described and closed: %+v %v", up, err)
	}
	if _, err := f.c.UpdateIssue(f.ctx, project, task.IID, gitlab.IssueUpdate{}); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("empty update: %v", err)
	}
	bad := "3/2/2025"
	if _, err := f.c.UpdateIssue(f.ctx, project, task.IID, gitlab.IssueUpdate{DueDate: &bad}); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("bad due date: %v", err)
	}

	// Link it to the incident; linking again is a conflict, which means it is there.
	if err := f.c.LinkIssues(f.ctx, project, inc.IID, project, task.IID, gitlab.LinkRelatesTo); err != nil {
		t.Fatal(err)
	}
	links := f.srv.IssueLinks(project, int(inc.IID))
	if len(links) != 1 || links[0].SourceIssueID != int(inc.ID) || links[0].TargetIssueID != int(task.ID) || links[0].LinkType != "relates_to" {
		t.Errorf("links: %+v", links)
	}
	err = f.c.LinkIssues(f.ctx, project, inc.IID, project, task.IID, "")
	if e := apiErr(t, err); !gitlab.IsConflict(err) || e.Status != 409 || e.Retryable || e.Message != "409 Issue(s) already assigned" {
		t.Errorf("link again: %+v", e)
	}
	if err := f.c.LinkIssues(f.ctx, project, inc.IID, project, 99, ""); !gitlab.IsNotFound(err) {
		t.Errorf("link to nothing: %v", err)
	}

	// The incident's linked items, read from either side of the link, with the issue's fields.
	linked, err := f.c.LinkedIssues(f.ctx, project, inc.IID)
	if err != nil {
		t.Fatal(err)
	}
	if len(linked) != 1 || linked[0].IID != task.IID || linked[0].Type != "issue" || linked[0].Title != title || linked[0].State != "closed" ||
		linked[0].Reference != fmt.Sprintf("%s#%d", project, task.IID) || !linked[0].HasMarker(marker("task-1")) {
		t.Errorf("linked issues of the incident: %+v", linked)
	}
	back, err := f.c.LinkedIssues(f.ctx, project, task.IID)
	if err != nil || len(back) != 1 || back[0].IID != inc.IID || back[0].Type != "incident" {
		t.Errorf("linked issues of the task: %+v, %v", back, err)
	}
	if _, err := f.c.LinkedIssues(f.ctx, project, 99); !gitlab.IsNotFound(err) {
		t.Errorf("links of no issue: %v", err)
	}
}

func TestIssuesListing(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	carol := f.srv.As("carol")
	for i := range 150 {
		labels := []string{"blotter::todo"}
		if i%3 == 0 {
			labels = append(labels, "incident-7")
		}
		if _, err := carol.CreateIssue(project, gitlabfake.NewIssue{Title: fmt.Sprint("task ", i), Labels: labels}); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Minute)
	}
	// Issue 10 changes later, so it is among the recently updated.
	if err := carol.CloseIssue(project, 10); err != nil {
		t.Fatal(err)
	}

	f.srv.ResetStats()
	all, err := f.c.Issues(f.ctx, project, nil, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 150 || f.srv.Requests(gitlabfake.RouteListIssues) != 2 {
		t.Errorf("all: %d issues in %d requests", len(all), f.srv.Requests(gitlabfake.RouteListIssues))
	}
	if all[0].Title != "task 0" || all[149].IID != 10 || all[149].State != "closed" {
		t.Errorf("order: first %q, last %+v", all[0].Title, all[149])
	}

	tagged, err := f.c.Issues(f.ctx, project, []string{"incident-7", "blotter::todo"}, time.Time{})
	if err != nil || len(tagged) != 50 {
		t.Errorf("labelled: %d %v", len(tagged), err)
	}
	recent, err := f.c.Issues(f.ctx, project, nil, t0.Add(140*time.Minute))
	if err != nil || len(recent) != 11 || recent[10].IID != 10 {
		t.Errorf("updated after: %d %v", len(recent), err)
	}
}
