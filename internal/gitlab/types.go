package gitlab

import (
	"time"

	glapi "gitlab.com/gitlab-org/api/client-go"
)

// User is a GitLab user.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	State    string `json:"state"` // active, blocked, …
	WebURL   string `json:"web_url"`
}

// Project is a GitLab project.
type Project struct {
	ID     int64  `json:"id"`
	Path   string `json:"path"` // full path: group/project
	Name   string `json:"name"`
	WebURL string `json:"web_url"`
}

// Issue is a GitLab issue: an incident, or a task issue linked to one.
type Issue struct {
	ID          int64      `json:"id"`  // global numeric id; GID() is its GraphQL id
	IID         int64      `json:"iid"` // the number within the project
	ProjectID   int64      `json:"project_id"`
	Type        string     `json:"type"` // issue, incident, …
	Title       string     `json:"title"`
	Description string     `json:"description"` // as stored, marker included
	State       string     `json:"state"`       // opened or closed
	Labels      []string   `json:"labels"`
	Assignees   []User     `json:"assignees"` // ID and Username set
	Author      string     `json:"author"`    // username
	DueDate     string     `json:"due_date"`  // YYYY-MM-DD or ""
	WebURL      string     `json:"web_url"`
	Reference   string     `json:"reference"` // group/project#iid (GitLab's references.full)
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
}

// GID returns the issue's GraphQL global id, which timeline events name their incident by.
func (is *Issue) GID() string { return IssueGID(is.ID) }

// HasMarker reports whether the description carries the Blotter marker.
func (is *Issue) HasMarker(marker string) bool { return containsMarker(is.Description, marker) }

// Incident is an incident issue with the fields only GraphQL has.
type Incident struct {
	Issue
	// Severity is GitLab's: CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN (see BlotterSeverity).
	Severity string `json:"severity"`
	// EscalationStatus is TRIGGERED, ACKNOWLEDGED, RESOLVED or IGNORED.
	EscalationStatus EscalationStatus `json:"escalation_status"`
}

// EscalationStatus is an incident's status in GitLab.
type EscalationStatus string

// Escalation statuses.
const (
	EscalationTriggered    EscalationStatus = "TRIGGERED"
	EscalationAcknowledged EscalationStatus = "ACKNOWLEDGED"
	EscalationResolved     EscalationStatus = "RESOLVED"
	EscalationIgnored      EscalationStatus = "IGNORED"
)

// Note is a comment on an issue, or a system note GitLab wrote itself (System).
type Note struct {
	ID        int64     `json:"id"` // GID() is its GraphQL id
	Body      string    `json:"body"`
	Author    string    `json:"author"` // username
	AuthorID  int64     `json:"author_id"`
	System    bool      `json:"system"`   // written by GitLab ("changed the description"): usually skipped
	Internal  bool      `json:"internal"` // visible to project members only
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// GID returns the note's GraphQL global id, as PromoteNoteToTimelineEvent takes it.
func (n *Note) GID() string { return NoteGID(n.ID) }

// HasMarker reports whether the body carries the Blotter marker.
func (n *Note) HasMarker(marker string) bool { return containsMarker(n.Body, marker) }

// TimelineEvent is an event on an incident's timeline.
type TimelineEvent struct {
	GID        string    `json:"gid"` // gid://gitlab/IncidentManagement::TimelineEvent/<ID>
	ID         int64     `json:"id"`
	Note       string    `json:"note"`      // as stored, marker included (see StripMarker)
	NoteHTML   string    `json:"note_html"` // GitLab's rendering
	Action     string    `json:"action"`    // comment (people), or issues, status, severity (GitLab's own)
	Editable   bool      `json:"editable"`  // false for GitLab's own events
	Tags       []string  `json:"tags"`
	OccurredAt time.Time `json:"occurred_at"` // to the second
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Author     string    `json:"author"`     // username
	UpdatedBy  string    `json:"updated_by"` // username, "" if never edited
	// PromotedFromNote is the GID of the note it was made from, or "".
	PromotedFromNote string `json:"promoted_from_note,omitempty"`
}

// HasMarker reports whether the event carries the Blotter marker: its own short token, or the
// whole marker of a note it was promoted from.
func (e *TimelineEvent) HasMarker(marker string) bool { return eventHasMarker(e.Note, marker) }

// NewIssue is a task issue to create.
type NewIssue struct {
	Title       string
	Description string
	Labels      []string
	AssigneeIDs []int64
	DueDate     string // YYYY-MM-DD, or "" for none
	// Type is "issue" when empty; CreateIncident sets "incident".
	Type string
}

// StateEvent closes or reopens an issue.
type StateEvent string

// State events.
const (
	StateClose  StateEvent = "close"
	StateReopen StateEvent = "reopen"
)

// IssueUpdate is a change to an issue. Nil and empty fields stay as they are.
type IssueUpdate struct {
	Title        *string
	Description  *string // replaced whole; Marker is appended again
	Marker       string  // the issue's marker, kept on a new Description
	AddLabels    []string
	RemoveLabels []string
	State        StateEvent
	AssigneeIDs  *[]int64 // an empty list unassigns everyone
	DueDate      *string  // YYYY-MM-DD, or "" to remove the due date
}

// LinkType is how a linked issue relates to the source issue.
type LinkType string

// Link types.
const (
	LinkRelatesTo   LinkType = "relates_to"
	LinkBlocks      LinkType = "blocks"
	LinkIsBlockedBy LinkType = "is_blocked_by"
)

// TimelineEventUpdate is a change to a timeline event. Nil fields stay as they are.
type TimelineEventUpdate struct {
	Note       *string // replaced whole; Marker is appended again
	Marker     string  // the event's marker, kept on a new Note
	OccurredAt *time.Time
	Tags       *[]string // replaces the tags; an empty list removes them
}

// WikiPage is a page of a project's wiki.
type WikiPage struct {
	// Title is GitLab's: the slug's last part with '-' read as ' ' ("Credential stuffing" for
	// the page titled "Runbooks/Credential stuffing").
	Title string `json:"title"`
	// Slug is the page's path in the wiki, which names it in the API and in its address:
	// "Runbooks/Credential-stuffing".
	Slug   string `json:"slug"`
	WebURL string `json:"web_url"` // <project web URL>/-/wikis/<slug>
}

// Connection is what Check found: who the token acts as, and the project.
type Connection struct {
	URL     string   `json:"url"`
	User    User     `json:"user"`
	Project Project  `json:"project"`
	Scopes  []string `json:"scopes,omitempty"` // the token's scopes, when GitLab tells
}

func userFrom(u *glapi.User) User {
	if u == nil {
		return User{}
	}
	return User{ID: u.ID, Username: u.Username, Name: u.Name, State: u.State, WebURL: u.WebURL}
}

func issueFrom(is *glapi.Issue) *Issue {
	out := &Issue{
		ID: is.ID, IID: is.IID, ProjectID: is.ProjectID, Title: is.Title, Description: is.Description,
		State: is.State, Labels: append([]string{}, is.Labels...), WebURL: is.WebURL, ClosedAt: is.ClosedAt,
	}
	if is.IssueType != nil {
		out.Type = *is.IssueType
	}
	if is.References != nil {
		out.Reference = is.References.Full
	}
	for _, a := range is.Assignees {
		if a != nil {
			out.Assignees = append(out.Assignees, User{ID: a.ID, Username: a.Username, Name: a.Name, State: a.State, WebURL: a.WebURL})
		}
	}
	if is.Author != nil {
		out.Author = is.Author.Username
	}
	if is.DueDate != nil {
		out.DueDate = is.DueDate.String()
	}
	if is.CreatedAt != nil {
		out.CreatedAt = *is.CreatedAt
	}
	if is.UpdatedAt != nil {
		out.UpdatedAt = *is.UpdatedAt
	}
	return out
}

// relatedIssueFrom reads a linked issue: the issue links API's shape holds the fields of an
// issue that Issue keeps, but for its type, which the caller reads.
func relatedIssueFrom(r *glapi.IssueRelation, issueType string) *Issue {
	return issueFrom(&glapi.Issue{
		ID: r.ID, IID: r.IID, ProjectID: r.ProjectID, Title: r.Title, Description: r.Description, State: r.State,
		Labels: r.Labels, WebURL: r.WebURL, Assignees: r.Assignees, Author: r.Author, DueDate: r.DueDate,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, References: r.References, IssueType: &issueType,
	})
}

func noteFrom(n *glapi.Note) Note {
	out := Note{ID: n.ID, Body: n.Body, Author: n.Author.Username, AuthorID: n.Author.ID, System: n.System, Internal: n.Internal}
	if n.CreatedAt != nil {
		out.CreatedAt = *n.CreatedAt
	}
	if n.UpdatedAt != nil {
		out.UpdatedAt = *n.UpdatedAt
	}
	return out
}
