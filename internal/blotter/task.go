package blotter

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// SubjectTask is the revision subject of a task on the board.
const SubjectTask = "task"

// TaskStatus is a task's column on the board. Synced to GitLab, it becomes a scoped label
// (blotter::doing), as GitLab's own issue boards do.
type TaskStatus string

// Task statuses, in board order.
const (
	TaskTodo    TaskStatus = "todo"
	TaskDoing   TaskStatus = "doing"
	TaskBlocked TaskStatus = "blocked"
	TaskDone    TaskStatus = "done"
)

// TaskStatuses lists the columns in board order.
var TaskStatuses = []TaskStatus{TaskTodo, TaskDoing, TaskBlocked, TaskDone}

// Label is the column's name on the board.
func (s TaskStatus) Label() string {
	switch s {
	case TaskTodo:
		return "To do"
	case TaskDoing:
		return "In progress"
	case TaskBlocked:
		return "Blocked"
	case TaskDone:
		return "Done"
	}
	return string(s)
}

// ParseTaskStatus reads a column name: todo, doing, blocked, done (and the board's labels).
func ParseTaskStatus(s string) (TaskStatus, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "todo", "to do", "to-do":
		return TaskTodo, nil
	case "doing", "in progress", "in-progress", "progress":
		return TaskDoing, nil
	case "blocked":
		return TaskBlocked, nil
	case "done":
		return TaskDone, nil
	}
	return "", Errorf(EINVALID, "no column %q: todo, doing, blocked or done", s)
}

// Limits on task fields.
const (
	MaxTaskTitleBytes = 512
	MaxTaskDescBytes  = 64 << 10
	MaxAssigneeBytes  = 128
	MaxTaskLinks      = 100
)

// Task is one piece of work on the incident's board. Its fields are its current state; its
// past states are revisions (subject "task"), and every change also puts a task entry on the
// timeline.
type Task struct {
	ID            string     `json:"id"`
	IncidentID    string     `json:"incident_id"`
	Title         string     `json:"title"`
	Description   string     `json:"description"` // Markdown
	Assignee      string     `json:"assignee"`    // free text now; a GitLab user later
	DueAt         string     `json:"due_at"`      // TimeLayout, or "" for no due time
	Status        TaskStatus `json:"status"`
	BlockedReason string     `json:"blocked_reason"` // what a blocked task waits on
	Links         []string   `json:"links"`          // ids of the timeline entries it came from
	Rank          float64    `json:"rank"`           // order within its column, smallest first
	CreatedAt     string     `json:"created_at"`
	CreatedBy     string     `json:"created_by"`
	Revision      int        `json:"revision"`
}

// Due returns the due time, and false when there is none.
func (t *Task) Due() (time.Time, bool) {
	if t.DueAt == "" {
		return time.Time{}, false
	}
	d, err := time.Parse(time.RFC3339Nano, t.DueAt)
	return d, err == nil
}

// Overdue reports whether the task is past its due time and not done.
func (t *Task) Overdue(now time.Time) bool {
	d, ok := t.Due()
	return ok && t.Status != TaskDone && now.After(d)
}

// Validate checks the task's fields.
func (t *Task) Validate() error {
	if t.Links == nil {
		t.Links = []string{}
	}
	for name, v := range map[string]string{"title": t.Title, "description": t.Description, "assignee": t.Assignee, "blocked reason": t.BlockedReason} {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return Errorf(EINVALID, "the task's %s is not valid UTF-8 text", name)
		}
	}
	switch {
	case strings.TrimSpace(t.Title) == "":
		return Errorf(EINVALID, "a task needs a title")
	case len(t.Title) > MaxTaskTitleBytes || strings.ContainsAny(t.Title, "\r\n"):
		return Errorf(EINVALID, "a task title is one line of at most %d bytes", MaxTaskTitleBytes)
	case len(t.Description) > MaxTaskDescBytes:
		return Errorf(EINVALID, "the description is %d bytes; the limit is %d (attach a file for more)", len(t.Description), MaxTaskDescBytes)
	case len(t.Assignee) > MaxAssigneeBytes || strings.ContainsAny(t.Assignee, "\r\n"):
		return Errorf(EINVALID, "an assignee is one line of at most %d bytes", MaxAssigneeBytes)
	case len(t.Links) > MaxTaskLinks:
		return Errorf(EINVALID, "a task links at most %d entries", MaxTaskLinks)
	case len(t.BlockedReason) > MaxTaskTitleBytes:
		return Errorf(EINVALID, "what a task waits on is at most %d bytes", MaxTaskTitleBytes)
	}
	if _, err := ParseTaskStatus(string(t.Status)); err != nil {
		return err
	}
	if t.Status == TaskBlocked && strings.TrimSpace(t.BlockedReason) == "" {
		return FieldErrorf(EINVALID, FieldWaitsOn, "a blocked task needs what it waits on")
	}
	if t.DueAt != "" {
		if _, ok := t.Due(); !ok {
			return Errorf(EINVALID, "the due time %q is not a time", t.DueAt)
		}
	}
	return nil
}

// DescribeTaskChange says in one line what a change did to a task, for its timeline entry:
// "Ana moved “Rotate keys” from To do to Blocked (waiting on vendor)". old is nil for a new task.
func DescribeTaskChange(by string, old, t *Task) string {
	title := "“" + t.Title + "”"
	if old == nil {
		s := fmt.Sprintf("%s added task %s to %s", by, title, t.Status.Label())
		if t.Assignee != "" {
			s += ", assigned to " + t.Assignee
		}
		return s
	}
	var parts []string
	if old.Status != t.Status {
		p := fmt.Sprintf("moved %s from %s to %s", title, old.Status.Label(), t.Status.Label())
		if t.Status == TaskBlocked {
			p += " (waits on: " + t.BlockedReason + ")"
		}
		parts = append(parts, p)
	} else if old.Rank != t.Rank {
		parts = append(parts, fmt.Sprintf("reordered %s in %s", title, t.Status.Label()))
	}
	if old.Assignee != t.Assignee {
		if t.Assignee == "" {
			parts = append(parts, fmt.Sprintf("unassigned %s", title))
		} else {
			parts = append(parts, fmt.Sprintf("assigned %s to %s", title, t.Assignee))
		}
	}
	if old.Title != t.Title {
		parts = append(parts, fmt.Sprintf("renamed “%s” to %s", old.Title, title))
	}
	if old.DueAt != t.DueAt {
		if t.DueAt == "" {
			parts = append(parts, fmt.Sprintf("removed the due time of %s", title))
		} else {
			parts = append(parts, fmt.Sprintf("set %s due %s", title, t.DueAt[:16]+"Z"))
		}
	}
	if old.Description != t.Description {
		parts = append(parts, fmt.Sprintf("edited the description of %s", title))
	}
	if strings.Join(old.Links, ",") != strings.Join(t.Links, ",") {
		parts = append(parts, fmt.Sprintf("changed the entries %s links", title))
	}
	if old.Status == t.Status && t.Status == TaskBlocked && old.BlockedReason != t.BlockedReason {
		parts = append(parts, fmt.Sprintf("%s now waits on: %s", title, t.BlockedReason))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%s changed %s", by, title)
	}
	return by + " " + strings.Join(parts, "; ")
}
