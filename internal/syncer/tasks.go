package syncer

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
)

// Tasks go to GitLab as issues linked to the incident (issue links), as GitLab's own boards
// would hold them: the column a scoped label (blotter::todo, ::doing, ::blocked, ::done), Done
// also closing the issue, the assignee the GitLab user of that name, the due date along.

// labelPrefix returns the scoped label prefix of the task columns: the field if set, else
// the setting.
func (g *GitLab) labelPrefix() string {
	if g.LabelPrefix != "" {
		return g.LabelPrefix
	}
	p, _ := g.Rec.GitLabLabelPrefix(context.Background())
	return p
}

func (g *GitLab) columnLabel(s blotter.TaskStatus) string { return g.labelPrefix() + "::" + string(s) }

// task makes the task's GitLab issue what the task is now: created once (found again by its
// marker after a lost answer) and linked to the incident, updated after each change.
func (g *GitLab) task(ctx context.Context, gi *GitLabIncident, id string, attempts int) error {
	t, err := g.Rec.Task(ctx, id)
	if err != nil {
		return err
	}
	marker := "blotter:" + t.ID
	remoteID, err := g.Rec.RemoteID(ctx, t.ID, GitLabName)
	if err != nil {
		return err
	}
	assignees, note := g.assignees(ctx, t.Assignee)
	description := t.Description
	if blocked := t.BlockedReason; t.Status == blotter.TaskBlocked && blocked != "" {
		description = strings.TrimSpace(description + "\n\nBlocked, waits on: " + blocked)
	}
	description = gitlab.Neutralize(strings.TrimSpace(description + note + fmt.Sprintf("\n\nA task of incident #%d, kept by Blotter.", gi.IID)))
	due := ""
	if d, ok := t.Due(); ok {
		due = d.UTC().Format("2006-01-02")
	}
	var issue *gitlab.Issue
	if remoteID == "" && attempts > 0 {
		if issue, err = g.Client.FindIssueByMarker(ctx, gi.Project, marker, time.Time{}); err != nil {
			return err
		}
	}
	if remoteID == "" && issue == nil {
		issue, err = g.Client.CreateIssue(ctx, gi.Project, gitlab.NewIssue{
			Title: t.Title, Description: description, Labels: []string{g.columnLabel(t.Status)},
			AssigneeIDs: assignees, DueDate: due,
		}, marker)
		if err != nil {
			return err
		}
	}
	var iid int64
	if issue != nil {
		iid = issue.IID
		if err := g.Client.LinkIssues(ctx, gi.Project, issue.IID, gi.Project, gi.IID, gitlab.LinkRelatesTo); err != nil && !gitlab.IsConflict(err) {
			return err
		}
		if err := g.Rec.SetRemoteID(ctx, t.ID, blotter.RemoteRef{System: GitLabName, ID: taskRemoteID(gi.Project, iid)}); err != nil {
			return err
		}
	} else if iid = taskIID(remoteID); iid == 0 {
		return blotter.Errorf(blotter.EINVALID, "the task's GitLab issue %q is not one this Blotter names", remoteID)
	}
	// The state, whether new or changed: label, open or closed, title, assignee, due date.
	var remove []string
	for _, s := range blotter.TaskStatuses {
		if s != t.Status {
			remove = append(remove, g.columnLabel(s))
		}
	}
	state := gitlab.StateReopen
	if t.Status == blotter.TaskDone {
		state = gitlab.StateClose
	}
	updated, err := g.Client.UpdateIssue(ctx, gi.Project, iid, gitlab.IssueUpdate{
		Title: &t.Title, Description: &description, Marker: marker,
		AddLabels: []string{g.columnLabel(t.Status)}, RemoveLabels: remove, State: state,
		AssigneeIDs: &assignees, DueDate: &due,
	})
	if err != nil {
		return err
	}
	return g.Rec.SetRemoteID(ctx, t.ID, issueVersion(gi.Project, updated))
}

// taskRemoteID is a task issue's remote id: "group/project#iid", readable and what REST needs.
func taskRemoteID(project string, iid int64) string { return fmt.Sprintf("%s#%d", project, iid) }

// taskIID reads the issue number back from a task's remote id, or 0.
func taskIID(remoteID string) int64 {
	i := strings.LastIndexByte(remoteID, '#')
	if i < 0 {
		return 0
	}
	n, _ := strconv.ParseInt(remoteID[i+1:], 10, 64)
	return n
}

// issueVersion is a task issue's remote reference as this machine last wrote or saw it.
func issueVersion(project string, is *gitlab.Issue) blotter.RemoteRef {
	return blotter.RemoteRef{System: GitLabName, ID: taskRemoteID(project, is.IID), Version: is.UpdatedAt.UTC().Format(time.RFC3339Nano)}
}

// assignees finds the GitLab user named as the task's assignee; with none, the description
// says who it is for.
func (g *GitLab) assignees(ctx context.Context, name string) ([]int64, string) {
	if strings.TrimSpace(name) == "" {
		return []int64{}, ""
	}
	if u, err := g.Client.UserByUsername(ctx, name); err == nil && u != nil {
		return []int64{u.ID}, ""
	}
	return []int64{}, "\n\nAssigned in Blotter to " + name + " (no GitLab user of that name)."
}

// pullTasks makes each task follow what was done to its GitLab issue since this machine last
// wrote or saw it (later wins): the column (a scoped label; closed is Done), the assignee, the
// title. It returns how many tasks changed.
func (g *GitLab) pullTasks(ctx context.Context, incidentID string, gi *GitLabIncident) (int, error) {
	known, err := g.Rec.RemoteTasks(ctx, incidentID, GitLabName)
	if err != nil {
		return 0, err
	}
	byRemote := map[string]string{}
	for taskID, ref := range known {
		byRemote[ref.ID] = taskID
	}
	// Only issues changed since the link can be this incident's task issues or changes to them
	// (a day of slack for GitLab's clock): not the project's whole history at every pass.
	issues, err := g.Client.Issues(ctx, gi.Project, nil, gi.LinkedAt.Add(-24*time.Hour))
	if err != nil {
		return 0, err
	}
	changed := 0
	for i := range issues {
		is := &issues[i]
		taskID, ok := byRemote[taskRemoteID(gi.Project, is.IID)]
		if !ok {
			added, err := g.pullNewTask(ctx, incidentID, gi, is, false)
			if err != nil {
				return changed, err
			}
			changed += added
			continue
		}
		seen := issueVersion(gi.Project, is)
		if seen.Version == known[taskID].Version {
			continue
		}
		hist, err := g.Rec.History(ctx, taskID)
		if err != nil {
			return changed, err
		}
		localAt, _ := time.Parse(time.RFC3339Nano, hist[len(hist)-1].At)
		if !is.UpdatedAt.After(localAt) {
			if err := g.Rec.SetRemoteID(ctx, taskID, seen); err != nil {
				return changed, err
			}
			continue
		}
		status := g.issueColumn(is)
		assignee := ""
		if len(is.Assignees) > 0 {
			assignee = is.Assignees[0].Username
		}
		ch := blotter.Change{By: "GitLab", Reason: "changed in GitLab", Origin: blotter.OriginGitLab, Remote: &seen}
		_, err = g.Rec.UpdateRemoteTask(ctx, taskID, ch, func(t *blotter.Task) error {
			if status != "" && status != t.Status {
				if status == blotter.TaskBlocked && t.BlockedReason == "" {
					t.BlockedReason = "marked blocked in GitLab"
				}
				t.Status = status
			}
			// A name with no GitLab user stays as Blotter has it.
			if assignee != "" || !strings.Contains(is.Description, "no GitLab user of that name") {
				t.Assignee = assignee
			}
			t.Title = is.Title
			return nil
		})
		if blotter.ErrorCode(err) == blotter.EINVALID && strings.Contains(err.Error(), "nothing to change") {
			err = g.Rec.SetRemoteID(ctx, taskID, seen)
		} else if err == nil {
			changed++
		}
		if err != nil {
			return changed, err
		}
	}
	added, err := g.pullLinkedTasks(ctx, incidentID, gi, byRemote)
	return changed + added, err
}

// pullLinkedTasks takes the issues linked to the incident in GitLab ("Linked items", made
// there by hand or by another tool) as tasks, so that a responder who opens one in GitLab puts
// it on everyone's board. Only issues of the incident's own project: a task's issue is named by
// its number there. Later changes to them follow as for any task.
func (g *GitLab) pullLinkedTasks(ctx context.Context, incidentID string, gi *GitLabIncident, byRemote map[string]string) (int, error) {
	linked, err := g.Client.LinkedIssues(ctx, gi.Project, gi.IID)
	if err != nil {
		return 0, err
	}
	added := 0
	for i := range linked {
		is := &linked[i]
		remoteID := taskRemoteID(gi.Project, is.IID)
		if is.Type == "incident" || !strings.EqualFold(is.Reference, remoteID) || byRemote[remoteID] != "" {
			continue // a related incident, another project's issue, or a task already
		}
		n, err := g.pullNewTask(ctx, incidentID, gi, is, true)
		if err != nil {
			return added, err
		}
		added += n
	}
	return added, nil
}

// issueColumn reads a task issue's column: its scoped label; closed is Done, and a Done issue
// reopened is To do again. "" when the issue has no column label and is open.
func (g *GitLab) issueColumn(is *gitlab.Issue) blotter.TaskStatus {
	status := blotter.TaskStatus("")
	for _, l := range is.Labels {
		if s, ok := strings.CutPrefix(l, g.labelPrefix()+"::"); ok {
			if st, err := blotter.ParseTaskStatus(s); err == nil {
				status = st
			}
		}
	}
	if is.State == "closed" {
		return blotter.TaskDone
	} else if status == blotter.TaskDone {
		return blotter.TaskTodo
	}
	return status
}

// pullNewTask puts on the board, once, a task issue of this incident that another responder's
// Blotter made (it carries a column label and says whose task it is), or, when linked, any
// issue linked to the incident (in To do when it has no column label, Done when closed). It
// returns 1 when it added the task.
func (g *GitLab) pullNewTask(ctx context.Context, incidentID string, gi *GitLabIncident, is *gitlab.Issue, linked bool) (int, error) {
	status := g.issueColumn(is)
	footer := fmt.Sprintf("A task of incident #%d, kept by Blotter.", gi.IID)
	description := strings.ReplaceAll(gitlab.StripMarker(is.Description), "\u2060", "")
	if !linked && (status == "" || !strings.Contains(description, footer)) {
		return 0, nil // not a task of this incident
	}
	if status == "" {
		status = blotter.TaskTodo // linked by hand, with no column label yet
	}
	// A task of ours still on its way (its answer was lost) is found by its marker, not added.
	waiting, err := g.Rec.Outbox(ctx, GitLabName, time.Time{}, false, 1<<20)
	if err != nil {
		return 0, err
	}
	for _, it := range waiting {
		if it.Subject == blotter.SubjectTask && is.HasMarker("blotter:"+it.SubjectID) {
			return 0, nil
		}
	}
	t := &blotter.Task{IncidentID: incidentID, Title: is.Title, Status: status,
		Description: strings.TrimSpace(strings.Replace(description, footer, "", 1))}
	if status == blotter.TaskBlocked {
		t.BlockedReason = "marked blocked in GitLab"
	}
	if len(is.Assignees) > 0 {
		t.Assignee = is.Assignees[0].Username
	}
	if due, err := time.Parse("2006-01-02", is.DueDate); err == nil {
		t.DueAt = blotter.FormatTime(due.Add(17 * time.Hour)) // GitLab keeps a date: the end of its working day, UTC
	}
	ref := issueVersion(gi.Project, is)
	ch := blotter.Change{By: gitlabAuthor(is.Author), Origin: blotter.OriginGitLab, Remote: &ref}
	if _, err := g.Rec.AddRemoteTask(ctx, t, ch); blotter.ErrorCode(err) == blotter.ECONFLICT {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	return 1, nil
}
