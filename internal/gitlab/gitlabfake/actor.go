package gitlabfake

import (
	"fmt"
	"strings"
	"time"
)

// Actor changes the fake's state as one user, as if through GitLab's UI:
// "someone else added a timeline event". It bypasses HTTP, faults, rate
// limits and the Stats counters, but has the same side effects as the API
// (system notes, GitLab's automatic timeline events, validation).
type Actor struct {
	s        *Server
	username string
}

// As returns an Actor for a user, adding the user (without a token) if the
// fake does not know it yet.
func (s *Server) As(username string) *Actor {
	s.AddUser(username, "")
	return &Actor{s: s, username: username}
}

// NewIssue are the attributes of an issue made by an Actor.
type NewIssue struct {
	Title       string
	Description string
	IssueType   string // "issue" (default) or "incident", ...
	Labels      []string
	Assignees   []string // usernames
	DueDate     string   // "YYYY-MM-DD"
}

// actorError turns an API answer into a Go error.
func actorError(e *apiError) error {
	if e == nil {
		return nil
	}
	return fmt.Errorf("gitlabfake: %d %v", e.status, e.body)
}

// issue resolves the actor and an issue; s.mu must be held.
func (a *Actor) issue(projectPath string, iid int) (*User, *Issue, error) {
	u := a.s.userByName[a.username]
	is := a.s.issueByPath(projectPath, iid)
	if is == nil {
		return u, nil, fmt.Errorf("gitlabfake: no issue %s#%d", projectPath, iid)
	}
	return u, is, nil
}

// CreateIssue creates an issue or incident.
func (a *Actor) CreateIssue(projectPath string, in NewIssue) (Issue, error) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	p, ok := a.s.projectPath[projectPath]
	if !ok {
		return Issue{}, fmt.Errorf("gitlabfake: no project %q", projectPath)
	}
	ii := issueInput{title: &in.Title, description: &in.Description}
	if in.IssueType != "" {
		ii.issueType = &in.IssueType
	}
	if in.Labels != nil {
		ii.labels = &in.Labels
	}
	if in.DueDate != "" {
		ii.dueDate = &in.DueDate
	}
	if in.Assignees != nil {
		ids := a.s.userIDs(in.Assignees)
		ii.assigneeIDs = &ids
	}
	is, err := a.s.createIssueLocked(p, a.s.userByName[a.username], ii)
	if err != nil {
		return Issue{}, actorError(err)
	}
	return copyIssue(is), nil
}

func (s *Server) userIDs(usernames []string) []int {
	var ids []int
	for _, n := range usernames {
		if u, ok := s.userByName[n]; ok {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

// edit applies an issue edit.
func (a *Actor) edit(projectPath string, iid int, in issueInput) error {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	u, is, err := a.issue(projectPath, iid)
	if err != nil {
		return err
	}
	return actorError(a.s.updateIssueLocked(is, u, in))
}

// CloseIssue closes an issue; on an incident this also resolves its
// escalation status and adds GitLab's "resolved the incident" event.
func (a *Actor) CloseIssue(projectPath string, iid int) error {
	return a.edit(projectPath, iid, issueInput{stateEvent: "close"})
}

// ReopenIssue reopens an issue.
func (a *Actor) ReopenIssue(projectPath string, iid int) error {
	return a.edit(projectPath, iid, issueInput{stateEvent: "reopen"})
}

// SetLabels replaces an issue's labels.
func (a *Actor) SetLabels(projectPath string, iid int, labels ...string) error {
	l := append([]string{}, labels...)
	return a.edit(projectPath, iid, issueInput{labels: &l})
}

// SetAssignees replaces an issue's assignees.
func (a *Actor) SetAssignees(projectPath string, iid int, usernames ...string) error {
	a.s.mu.Lock()
	ids := a.s.userIDs(usernames)
	a.s.mu.Unlock()
	return a.edit(projectPath, iid, issueInput{assigneeIDs: &ids})
}

// EditIssue changes an issue's title and description.
func (a *Actor) EditIssue(projectPath string, iid int, title, description string) error {
	return a.edit(projectPath, iid, issueInput{title: &title, description: &description})
}

// CreateNote comments on an issue.
func (a *Actor) CreateNote(projectPath string, iid int, body string) (Note, error) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	u, is, err := a.issue(projectPath, iid)
	if err != nil {
		return Note{}, err
	}
	n, aerr := a.s.createNoteLocked(is, u, body, false)
	if aerr != nil {
		return Note{}, actorError(aerr)
	}
	return *n, nil
}

// EditNote changes the body of one of the actor's notes.
func (a *Actor) EditNote(noteID int, body string) error {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	n, ok := a.s.notes[noteID]
	if !ok {
		return fmt.Errorf("gitlabfake: no note %d", noteID)
	}
	return actorError(a.s.updateNoteLocked(n, a.s.userByName[a.username], body))
}

// DeleteNote deletes one of the actor's notes.
func (a *Actor) DeleteNote(noteID int) error {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	n, ok := a.s.notes[noteID]
	if !ok {
		return fmt.Errorf("gitlabfake: no note %d", noteID)
	}
	return actorError(a.s.deleteNoteLocked(n, a.s.userByName[a.username]))
}

// LinkIssues relates two issues.
func (a *Actor) LinkIssues(projectPath string, iid int, targetPath string, targetIID int) (IssueLink, error) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	u, src, err := a.issue(projectPath, iid)
	if err != nil {
		return IssueLink{}, err
	}
	_, tgt, err := a.issue(targetPath, targetIID)
	if err != nil {
		return IssueLink{}, err
	}
	l, aerr := a.s.createLinkLocked(src, tgt, u, "relates_to")
	if aerr != nil {
		return IssueLink{}, actorError(aerr)
	}
	return *l, nil
}

// Upload stores a file in a project's uploads.
func (a *Actor) Upload(projectPath, filename string, content []byte) (Upload, error) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	p, ok := a.s.projectPath[projectPath]
	if !ok {
		return Upload{}, fmt.Errorf("gitlabfake: no project %q", projectPath)
	}
	up := a.s.createUploadLocked(p, a.s.userByName[a.username], filename, content)
	return *up, nil
}

// eventErr turns a timeline event failure into a Go error.
func eventErr(e *eventError) error {
	if e == nil {
		return nil
	}
	if e.topLevel != "" {
		return fmt.Errorf("gitlabfake: %s", e.topLevel)
	}
	return fmt.Errorf("gitlabfake: %s", strings.Join(e.payload, "; "))
}

// CreateTimelineEvent adds a timeline event to an incident, with the same
// validation as timelineEventCreate (280 characters, known tags).
func (a *Actor) CreateTimelineEvent(projectPath string, iid int, note string, occurredAt time.Time, tags ...string) (TimelineEvent, error) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	u, is, err := a.issue(projectPath, iid)
	if err != nil {
		return TimelineEvent{}, err
	}
	ev, eerr := a.s.createEventLocked(is, u, note, occurredAt, tags, nil)
	if eerr != nil {
		return TimelineEvent{}, eventErr(eerr)
	}
	return *ev, nil
}

// EditTimelineEvent replaces a timeline event's note, time and tags.
func (a *Actor) EditTimelineEvent(id int, note string, occurredAt time.Time, tags []string) error {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	ev, ok := a.s.events[id]
	if !ok {
		return fmt.Errorf("gitlabfake: no timeline event %d", id)
	}
	t := append([]string{}, tags...)
	return eventErr(a.s.updateEventLocked(ev, a.s.userByName[a.username], &note, &occurredAt, &t))
}

// DeleteTimelineEvent removes a timeline event.
func (a *Actor) DeleteTimelineEvent(id int) error {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	ev, ok := a.s.events[id]
	if !ok {
		return fmt.Errorf("gitlabfake: no timeline event %d", id)
	}
	a.s.destroyEventLocked(ev, a.s.userByName[a.username])
	return nil
}

// PromoteNote makes a timeline event from a note on an incident.
func (a *Actor) PromoteNote(noteID int) (TimelineEvent, error) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	n, ok := a.s.notes[noteID]
	if !ok {
		return TimelineEvent{}, fmt.Errorf("gitlabfake: no note %d", noteID)
	}
	ev, eerr := a.s.promoteNoteLocked(n, a.s.userByName[a.username])
	if eerr != nil {
		return TimelineEvent{}, eventErr(eerr)
	}
	return *ev, nil
}

// SetSeverity sets an incident's severity (CRITICAL, HIGH, MEDIUM, LOW,
// UNKNOWN).
func (a *Actor) SetSeverity(projectPath string, iid int, severity string) error {
	if _, ok := severityLabels[severity]; !ok {
		return fmt.Errorf("gitlabfake: unknown severity %q", severity)
	}
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	u, is, err := a.issue(projectPath, iid)
	if err != nil {
		return err
	}
	a.s.setSeverityLocked(is, u, severity)
	return nil
}

// SetEscalationStatus sets an incident's status (TRIGGERED, ACKNOWLEDGED,
// RESOLVED, IGNORED).
func (a *Actor) SetEscalationStatus(projectPath string, iid int, status string) error {
	if !containsFold(gqlEnums["IssueEscalationStatus"], status) {
		return fmt.Errorf("gitlabfake: unknown escalation status %q", status)
	}
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	u, is, err := a.issue(projectPath, iid)
	if err != nil {
		return err
	}
	if msg := a.s.setEscalationStatusLocked(is, u, strings.ToUpper(status)); msg != "" {
		return fmt.Errorf("gitlabfake: %s", msg)
	}
	return nil
}
