package gitlabfake

// The operations on the fake's state, shared by the REST and GraphQL handlers
// and by the Actor helpers, so that a change made "in GitLab's UI" has the
// same side effects (system notes, automatic timeline events) as one made
// through the API. Every function here expects s.mu to be held.

import (
	"fmt"
	"html"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// maxTextSize is Gitlab::Database::MAX_TEXT_SIZE_LIMIT, the limit on issue
// descriptions and note bodies.
const maxTextSize = 1_000_000

// resourceAccessError is GitLab's GraphQL message when an object does not
// exist or may not be touched (Gitlab::Graphql::Authorize::AuthorizeResource).
const resourceAccessError = "The resource that you are attempting to access does not exist or you don't have permission to perform this action"

// Severity labels as GitLab writes them in notes (IssuableSeverity::SEVERITY_LABELS).
var severityLabels = map[string]string{
	"CRITICAL": "Critical - S1",
	"HIGH":     "High - S2",
	"MEDIUM":   "Medium - S3",
	"LOW":      "Low - S4",
	"UNKNOWN":  "Unknown",
}

var issueTypes = map[string]bool{"issue": true, "incident": true, "test_case": true, "task": true}

// issueInput carries the attributes of an issue create or edit; nil means
// "not given".
type issueInput struct {
	title        *string
	description  *string
	issueType    *string
	labels       *[]string
	addLabels    []string
	removeLabels []string
	assigneeIDs  *[]int
	dueDate      *string
	confidential *bool
	stateEvent   string
	createdAt    *time.Time
}

// createIssueLocked creates an issue; an incident also gets its escalation
// status and GitLab's automatic "created the incident" timeline event.
func (s *Server) createIssueLocked(p *Project, u *User, in issueInput) (*Issue, *apiError) {
	// Validate like Grape (parameter errors) and then ActiveRecord.
	if in.title == nil {
		return nil, missing("title")
	}
	typ := "issue"
	if in.issueType != nil {
		typ = *in.issueType
	}
	if !issueTypes[typ] {
		return nil, &apiError{status: 400, body: map[string]string{"error": "issue_type does not have a valid value"}}
	}
	if verr := validateIssueText(*in.title, in.description); verr != nil {
		return nil, verr
	}
	due := ""
	if in.dueDate != nil {
		d, err := parseDueDate(*in.dueDate)
		if err != nil {
			return nil, err
		}
		due = d
	}
	now := s.now()
	created := now
	if in.createdAt != nil {
		created = in.createdAt.UTC()
	}
	s.nextIID[p.ID]++
	is := &Issue{
		ID:          s.newID("issue"),
		IID:         s.nextIID[p.ID],
		ProjectID:   p.ID,
		ProjectPath: p.Path,
		Title:       *in.title,
		State:       "opened",
		IssueType:   typ,
		Author:      u.Username,
		DueDate:     due,
		Severity:    "UNKNOWN",
		CreatedAt:   created,
		UpdatedAt:   created,
	}
	if in.description != nil {
		is.Description = *in.description
	}
	if in.confidential != nil {
		is.Confidential = *in.confidential
	}
	if in.labels != nil {
		is.Labels = s.normalizeLabels(nil, *in.labels)
	}
	if in.assigneeIDs != nil {
		is.Assignees = s.usernames(*in.assigneeIDs)
	}
	if typ == "incident" {
		is.EscalationStatus = "TRIGGERED"
	}
	s.issues[is.ID] = is
	if typ == "incident" {
		s.autoEventLocked(is, u, "@"+u.Username+" created the incident", is.CreatedAt, "issues")
	}
	return is, nil
}

func validateIssueText(title string, description *string) *apiError {
	msgs := map[string][]string{}
	if strings.TrimSpace(title) == "" {
		msgs["title"] = append(msgs["title"], "can't be blank")
	}
	if utf8.RuneCountInString(title) > 255 {
		msgs["title"] = append(msgs["title"], "is too long (maximum is 255 characters)")
	}
	if description != nil && utf8.RuneCountInString(*description) > maxTextSize {
		msgs["description"] = append(msgs["description"], fmt.Sprintf("is too long (maximum is %d characters)", maxTextSize))
	}
	if len(msgs) > 0 {
		return &apiError{status: 400, body: map[string]any{"message": msgs}}
	}
	return nil
}

func parseDueDate(v string) (string, *apiError) {
	if v == "" {
		return "", nil
	}
	if _, err := time.Parse("2006-01-02", v); err != nil {
		return "", &apiError{status: 400, body: map[string]string{"error": "due_date is invalid"}}
	}
	return v, nil
}

// updateIssueLocked edits an issue and, for state events, closes or reopens
// it with GitLab's side effects on incidents.
func (s *Server) updateIssueLocked(is *Issue, u *User, in issueInput) *apiError {
	// Validate everything before changing anything.
	title := is.Title
	if in.title != nil {
		title = *in.title
	}
	if verr := validateIssueText(title, in.description); verr != nil {
		return verr
	}
	if in.issueType != nil && !issueTypes[*in.issueType] {
		return &apiError{status: 400, body: map[string]string{"error": "issue_type does not have a valid value"}}
	}
	if in.stateEvent != "" && in.stateEvent != "close" && in.stateEvent != "reopen" {
		return &apiError{status: 400, body: map[string]string{"error": "state_event does not have a valid value"}}
	}
	due := is.DueDate
	if in.dueDate != nil {
		d, err := parseDueDate(*in.dueDate)
		if err != nil {
			return err
		}
		due = d
	}

	// Apply the attribute changes, writing the system notes GitLab writes
	// (the wording of these notes is approximate).
	changed := false
	if in.title != nil && *in.title != is.Title {
		s.systemNoteLocked(is, u, fmt.Sprintf("changed title from **%s** to **%s**", is.Title, *in.title))
		is.Title = *in.title
		changed = true
	}
	if in.description != nil && *in.description != is.Description {
		is.Description = *in.description
		s.systemNoteLocked(is, u, "changed the description")
		changed = true
	}
	if in.issueType != nil && *in.issueType != is.IssueType {
		is.IssueType = *in.issueType
		if is.IssueType == "incident" && is.EscalationStatus == "" {
			is.EscalationStatus = "TRIGGERED"
		}
		if is.IssueType != "incident" {
			is.EscalationStatus = ""
		}
		changed = true
	}
	if due != is.DueDate {
		if due == "" {
			s.systemNoteLocked(is, u, "removed due date")
		} else {
			d, _ := time.Parse("2006-01-02", due)
			s.systemNoteLocked(is, u, "changed due date to "+d.Format("January 2, 2006"))
		}
		is.DueDate = due
		changed = true
	}
	if in.confidential != nil && *in.confidential != is.Confidential {
		is.Confidential = *in.confidential
		if is.Confidential {
			s.systemNoteLocked(is, u, "made the issue confidential")
		} else {
			s.systemNoteLocked(is, u, "made the issue visible to everyone")
		}
		changed = true
	}
	labels := is.Labels
	if in.labels != nil {
		labels = s.normalizeLabels(nil, *in.labels)
	}
	if len(in.addLabels) > 0 {
		labels = s.normalizeLabels(labels, in.addLabels)
	}
	if len(in.removeLabels) > 0 {
		var kept []string
		for _, l := range labels {
			if !containsFold(in.removeLabels, l) {
				kept = append(kept, l)
			}
		}
		labels = kept
	}
	// Label changes are resource label events in GitLab, not notes.
	if strings.Join(labels, "\x00") != strings.Join(is.Labels, "\x00") {
		is.Labels = labels
		changed = true
	}
	if in.assigneeIDs != nil {
		names := s.usernames(*in.assigneeIDs)
		if strings.Join(names, ",") != strings.Join(is.Assignees, ",") {
			s.assigneeNoteLocked(is, u, is.Assignees, names)
			is.Assignees = names
			changed = true
		}
	}
	now := s.now()
	if changed {
		is.UpdatedAt = now
	}

	// Close or reopen. State changes are resource state events in GitLab,
	// not notes; on incidents they touch the escalation status and timeline.
	switch {
	case in.stateEvent == "close" && is.State == "opened":
		is.State = "closed"
		is.ClosedAt = &now
		is.ClosedBy = u.Username
		is.UpdatedAt = now
		if is.IssueType == "incident" && is.EscalationStatus != "RESOLVED" {
			is.EscalationStatus = "RESOLVED"
			s.systemNoteLocked(is, u, "changed the incident status to **Resolved** by closing the incident")
			s.autoEventLocked(is, u, "@"+u.Username+" resolved the incident", now, "status")
		}
	case in.stateEvent == "reopen" && is.State == "closed":
		is.State = "opened"
		is.ClosedAt = nil
		is.ClosedBy = ""
		is.UpdatedAt = now
		if is.IssueType == "incident" {
			s.autoEventLocked(is, u, "@"+u.Username+" reopened the incident", now, "issues")
		}
	}
	return nil
}

// normalizeLabels adds labels to a set: trimmed, deduplicated
// case-insensitively, sorted as GitLab answers them, and, with scoped labels
// on, keeping one label per scope (the one added last).
func (s *Server) normalizeLabels(have, add []string) []string {
	out := append([]string(nil), have...)
	for _, raw := range add {
		for _, l := range strings.Split(raw, ",") {
			l = strings.TrimSpace(l)
			if l == "" || containsFold(out, l) {
				continue
			}
			if s.opts.ScopedLabels {
				if scope := labelScope(l); scope != "" {
					var kept []string
					for _, o := range out {
						if labelScope(o) != scope {
							kept = append(kept, o)
						}
					}
					out = kept
				}
			}
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

// labelScope returns the scope of a scoped label ("board" for
// "board::doing"; for "a::b::c" it is "a::b"), or "".
func labelScope(l string) string {
	if i := strings.LastIndex(l, "::"); i > 0 {
		return l[:i]
	}
	return ""
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// usernames maps user ids to usernames; GitLab silently drops ids of users
// who may not be assigned, and so does the fake for unknown ids.
func (s *Server) usernames(ids []int) []string {
	var out []string
	for _, id := range ids {
		if u, ok := s.users[id]; ok && !containsFold(out, u.Username) {
			out = append(out, u.Username)
		}
	}
	return out
}

func (s *Server) assigneeNoteLocked(is *Issue, u *User, old, now []string) {
	var added, removed []string
	for _, n := range now {
		if !containsFold(old, n) {
			added = append(added, "@"+n)
		}
	}
	for _, o := range old {
		if !containsFold(now, o) {
			removed = append(removed, "@"+o)
		}
	}
	var parts []string
	if len(added) > 0 {
		parts = append(parts, "assigned to "+toSentence(added))
	}
	if len(removed) > 0 {
		parts = append(parts, "unassigned "+toSentence(removed))
	}
	if len(parts) > 0 {
		s.systemNoteLocked(is, u, strings.Join(parts, " and "))
	}
}

// createNoteLocked adds a user's comment to an issue.
func (s *Server) createNoteLocked(is *Issue, u *User, body string, internal bool) (*Note, *apiError) {
	// GitLab formats the model's errors with Ruby's Hash#inspect (before
	// Ruby 3.4): 400 {"message":"400 Bad request - Note {:note=>[...]}"}.
	if strings.TrimSpace(body) == "" {
		return nil, badRequest(`Note {:note=>["can't be blank"]}`)
	}
	if utf8.RuneCountInString(body) > maxTextSize {
		return nil, badRequest(fmt.Sprintf(`Note {:note=>["is too long (maximum is %d characters)"]}`, maxTextSize))
	}
	if len(s.notesOf(is)) >= s.opts.MaxNotesPerIssue {
		return nil, badRequest(`Note {:base=>["Maximum number of comments exceeded"]}`)
	}
	return s.addNoteLocked(is, u, body, false, internal), nil
}

func (s *Server) systemNoteLocked(is *Issue, u *User, body string) *Note {
	return s.addNoteLocked(is, u, body, true, false)
}

func (s *Server) addNoteLocked(is *Issue, u *User, body string, system, internal bool) *Note {
	now := s.now()
	n := &Note{
		ID: s.newID("note"), IssueID: is.ID, IssueIID: is.IID, ProjectID: is.ProjectID,
		Body: body, Author: u.Username, System: system, Internal: internal,
		CreatedAt: now, UpdatedAt: now,
	}
	s.notes[n.ID] = n
	return n
}

// updateNoteLocked edits a comment; only its author may, and never a
// system note.
func (s *Server) updateNoteLocked(n *Note, u *User, body string) *apiError {
	if n.System || n.Author != u.Username {
		return forbidden()
	}
	if strings.TrimSpace(body) == "" {
		return &apiError{status: 400, body: map[string]string{"error": "body is empty"}}
	}
	if utf8.RuneCountInString(body) > maxTextSize {
		return badRequest(fmt.Sprintf(`Note {:note=>["is too long (maximum is %d characters)"]}`, maxTextSize))
	}
	if body != n.Body {
		n.Body = body
		n.UpdatedAt = s.now()
	}
	return nil
}

func (s *Server) deleteNoteLocked(n *Note, u *User) *apiError {
	if n.System || n.Author != u.Username {
		return forbidden()
	}
	delete(s.notes, n.ID)
	return nil
}

// createUploadLocked stores an uploaded file.
func (s *Server) createUploadLocked(p *Project, u *User, filename string, content []byte) *Upload {
	id := s.newID("upload")
	up := &Upload{
		ID: id, ProjectID: p.ID, Secret: uploadSecret(p.ID, id, filename), Filename: filename,
		Content: append([]byte(nil), content...), Uploader: u.Username, CreatedAt: s.now(),
	}
	s.uploads[id] = up
	return up
}

// createLinkLocked relates two issues (IssueLinks::CreateService).
func (s *Server) createLinkLocked(src, tgt *Issue, u *User, linkType string) (*IssueLink, *apiError) {
	if linkType == "" {
		linkType = "relates_to"
	}
	if linkType != "relates_to" && linkType != "blocks" && linkType != "is_blocked_by" {
		return nil, &apiError{status: 400, body: map[string]string{"error": "link_type does not have a valid value"}}
	}
	for _, l := range s.linksOf(src) {
		if l.SourceIssueID == tgt.ID || l.TargetIssueID == tgt.ID {
			return nil, &apiError{status: 409, body: map[string]string{"message": "Issue(s) already assigned"}}
		}
	}
	if src.ID == tgt.ID {
		// Approximate wording: IssueLink's own validation error.
		return nil, &apiError{status: 422, body: map[string]string{"message": "#" + fmt.Sprint(tgt.IID) + " cannot be added: cannot be related to itself"}}
	}
	// GitLab stores "is_blocked_by" as the reverse "blocks" link.
	from, to, typ := src, tgt, linkType
	if linkType == "is_blocked_by" {
		from, to, typ = tgt, src, "blocks"
	}
	now := s.now()
	l := &IssueLink{ID: s.newID("link"), SourceIssueID: from.ID, TargetIssueID: to.ID, LinkType: typ, CreatedAt: now, UpdatedAt: now}
	s.links[l.ID] = l
	s.systemNoteLocked(src, u, "marked this issue as related to "+s.issueRef(tgt, src))
	s.systemNoteLocked(tgt, u, "marked this issue as related to "+s.issueRef(src, tgt))
	return l, nil
}

// issueRef is how GitLab refers to issue is from issue from: "#12" in the
// same project, "group/project#12" across projects.
func (s *Server) issueRef(is, from *Issue) string {
	if is.ProjectID == from.ProjectID {
		return fmt.Sprintf("#%d", is.IID)
	}
	return fmt.Sprintf("%s#%d", s.projects[is.ProjectID].Path, is.IID)
}

// linkTypeFor returns a link's type as seen from issue is.
func linkTypeFor(l *IssueLink, is *Issue) string {
	if l.LinkType == "blocks" && l.TargetIssueID == is.ID {
		return "is_blocked_by"
	}
	return l.LinkType
}

// eventError is a failed timeline event operation: either messages for the
// payload's errors list, or a top-level GraphQL error.
type eventError struct {
	payload  []string
	topLevel string
}

// createEventLocked makes a timeline event as a person does through
// timelineEventCreate (user_input validation: 280 characters) or, with a
// promoted note, through timelineEventPromoteFromNote.
func (s *Server) createEventLocked(is *Issue, u *User, note string, occurredAt time.Time, tags []string, promoted *Note) (*TimelineEvent, *eventError) {
	if is.IssueType != "incident" {
		return nil, &eventError{topLevel: resourceAccessError}
	}
	if bad := s.unknownTagsLocked(is.ProjectID, tags); len(bad) > 0 {
		return nil, &eventError{payload: []string{"Following tags don't exist: " + rubyArray(bad)}}
	}
	userInput := promoted == nil
	if msgs := validateEvent(note, occurredAt, userInput); len(msgs) > 0 {
		return nil, &eventError{payload: []string{toSentence(msgs)}}
	}
	ev := s.newEventLocked(is, u, note, occurredAt, "comment", true)
	if promoted != nil {
		ev.PromotedFromNoteID = promoted.ID
	}
	ev.Tags = s.linkTagsLocked(is.ProjectID, tags)
	s.systemNoteLocked(is, u, "added an incident timeline event")
	return ev, nil
}

// autoEventLocked makes one of the events GitLab adds by itself (incident
// created, resolved, reopened, status or severity changed): not editable,
// no 280-character limit, no system note.
func (s *Server) autoEventLocked(is *Issue, u *User, note string, occurredAt time.Time, action string) *TimelineEvent {
	return s.newEventLocked(is, u, note, occurredAt, action, false)
}

func (s *Server) newEventLocked(is *Issue, u *User, note string, occurredAt time.Time, action string, editable bool) *TimelineEvent {
	now := s.now()
	ev := &TimelineEvent{
		ID: s.newID("event"), IssueID: is.ID, IssueIID: is.IID, ProjectID: is.ProjectID,
		Note: note, NoteHTML: noteHTML(note), Action: action, Editable: editable,
		OccurredAt: occurredAt.UTC().Truncate(time.Microsecond), CreatedAt: now, UpdatedAt: now,
		Author: u.Username,
	}
	s.events[ev.ID] = ev
	return ev
}

// updateEventLocked applies timelineEventUpdate. Nil arguments are left as
// they are.
func (s *Server) updateEventLocked(ev *TimelineEvent, u *User, note *string, occurredAt *time.Time, tags *[]string) *eventError {
	if !ev.Editable {
		return &eventError{payload: []string{"You have insufficient permissions to manage timeline events for this incident"}}
	}
	var newTags []string
	if tags != nil {
		if bad := s.unknownTagsLocked(ev.ProjectID, *tags); len(bad) > 0 {
			return &eventError{payload: []string{"Following tags don't exist: " + rubyArray(bad)}}
		}
	}
	n, at := ev.Note, ev.OccurredAt
	if note != nil {
		n = *note
	}
	if occurredAt != nil {
		at = occurredAt.UTC().Truncate(time.Microsecond)
	}
	// Updates are always validated as user input (the 280-character limit).
	if msgs := validateEvent(n, at, true); len(msgs) > 0 {
		return &eventError{payload: []string{toSentence(msgs)}}
	}
	if tags != nil {
		newTags = s.linkTagsLocked(ev.ProjectID, *tags)
		ev.Tags = newTags
	}
	noteChanged, timeChanged := n != ev.Note, !at.Equal(ev.OccurredAt)
	ev.Note, ev.NoteHTML, ev.OccurredAt = n, noteHTML(n), at
	ev.UpdatedBy = u.Username
	ev.UpdatedAt = s.now()
	is := s.issues[ev.IssueID]
	switch {
	case noteChanged && timeChanged:
		s.systemNoteLocked(is, u, "edited the event time/date and text on incident timeline event")
	case timeChanged:
		s.systemNoteLocked(is, u, "edited the event time/date on incident timeline event")
	case noteChanged:
		s.systemNoteLocked(is, u, "edited the text on incident timeline event")
	}
	return nil
}

func (s *Server) destroyEventLocked(ev *TimelineEvent, u *User) {
	delete(s.events, ev.ID)
	s.systemNoteLocked(s.issues[ev.IssueID], u, "deleted an incident timeline event")
}

// promoteNoteLocked applies timelineEventPromoteFromNote.
func (s *Server) promoteNoteLocked(n *Note, u *User) (*TimelineEvent, *eventError) {
	is := s.issues[n.IssueID]
	if is.IssueType != "incident" {
		return nil, &eventError{topLevel: "Note does not belong to an incident"}
	}
	p := s.projects[is.ProjectID]
	url := fmt.Sprintf("%s/-/issues/%d#note_%d", p.WebURL, is.IID, n.ID)
	text := fmt.Sprintf("@%s [commented](%s): '%s'", n.Author, url, n.Body)
	return s.createEventLocked(is, u, text, n.CreatedAt, nil, n)
}

// setSeverityLocked applies issueSetSeverity. GitLab ignores severity on
// issues that are not incidents.
func (s *Server) setSeverityLocked(is *Issue, u *User, severity string) {
	if is.IssueType != "incident" || is.Severity == severity {
		return
	}
	is.Severity = severity
	now := s.now()
	is.UpdatedAt = now
	s.systemNoteLocked(is, u, "changed the severity to **"+severityLabels[severity]+"**")
	s.autoEventLocked(is, u, "@"+u.Username+" changed the incident severity to **"+severityLabels[severity]+"**", now, "severity")
}

// setEscalationStatusLocked applies issueSetEscalationStatus. Setting
// RESOLVED does not close the incident (GitLab 15.2 and later).
func (s *Server) setEscalationStatusLocked(is *Issue, u *User, status string) string {
	if is.IssueType != "incident" {
		return "Feature unavailable for provided issue"
	}
	if is.EscalationStatus == status {
		return ""
	}
	is.EscalationStatus = status
	now := s.now()
	is.UpdatedAt = now
	name := titleize(status)
	s.systemNoteLocked(is, u, "changed the incident status to **"+name+"**")
	s.autoEventLocked(is, u, "@"+u.Username+" changed the incident status to **"+name+"**", now, "status")
	return ""
}

// unknownTagsLocked returns the (downcased) tag names that are neither
// project tags nor predefined ones, as GitLab reports them.
func (s *Server) unknownTagsLocked(projectID int, names []string) []string {
	var bad []string
	for _, n := range names {
		if s.tagLocked(projectID, n, false) != nil || containsFold(PredefinedTimelineEventTags, n) {
			continue
		}
		bad = append(bad, strings.ToLower(n))
	}
	return bad
}

// linkTagsLocked resolves tag names (predefined ones are created on first
// use, with their canonical spelling) and returns the canonical names.
func (s *Server) linkTagsLocked(projectID int, names []string) []string {
	var out []string
	for _, n := range names {
		canonical := n
		for _, p := range PredefinedTimelineEventTags {
			if strings.EqualFold(p, n) {
				canonical = p
			}
		}
		t := s.tagLocked(projectID, canonical, true)
		if !containsFold(out, t.name) {
			out = append(out, t.name)
		}
	}
	return out
}

// validateEvent returns the validation messages of a timeline event, as
// ActiveRecord's full messages ("Timeline text" is the note attribute's
// human name). The 280-character limit applies to user input only; GitLab's
// own and promoted events may be up to 10,000 characters.
func validateEvent(note string, occurredAt time.Time, userInput bool) []string {
	var msgs []string
	if occurredAt.IsZero() {
		msgs = append(msgs, "Occurred at can't be blank")
	}
	n := utf8.RuneCountInString(note)
	switch {
	case strings.TrimSpace(note) == "":
		msgs = append(msgs, "Timeline text can't be blank")
	case userInput && n > 280:
		msgs = append(msgs, "Timeline text is too long (maximum is 280 characters)")
	case n > 10000:
		msgs = append(msgs, "Timeline text is too long (maximum is 10000 characters)")
	}
	return msgs
}

// noteHTML stands in for GitLab's Markdown rendering: escaped text in a
// paragraph.
func noteHTML(note string) string {
	return `<p dir="auto">` + html.EscapeString(note) + `</p>`
}

// toSentence joins like Rails' Array#to_sentence.
func toSentence(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	case 2:
		return items[0] + " and " + items[1]
	}
	return strings.Join(items[:len(items)-1], ", ") + ", and " + items[len(items)-1]
}

// rubyArray formats strings like Ruby's Array#to_s: ["a", "b"].
func rubyArray(items []string) string {
	q := make([]string, len(items))
	for i, it := range items {
		q[i] = fmt.Sprintf("%q", it)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func titleize(s string) string {
	if s == "" {
		return s
	}
	return s[:1] + strings.ToLower(s[1:])
}
