package gitlab

// Incident timeline events: GraphQL only, there is no REST endpoint.
// https://docs.gitlab.com/operations/incident_management/incident_timeline_events/,
// https://docs.gitlab.com/api/graphql/reference/#mutationtimelineeventcreate (and Update,
// Destroy, PromoteFromNote), https://docs.gitlab.com/api/graphql/reference/#projectincidentmanagementtimelineevents

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// CreateTimelineEvent adds an event to the incident with the given GraphQL id (Issue.GID),
// carrying marker as a short token at the end of the note (see marker.go). The note is sent as
// given: pass it through blotter.MaskSecrets and NeutralizeExcerpt(text, TimelineTextBudget)
// first; GitLab refuses more than 280 characters (an EINVALID error with its message). tags are
// GitLab's predefined timeline tags ("Start time", "Impact detected", …) or the project's own.
// occurredAt is sent to the second. When the call fails with Uncertain,
// FindTimelineEventByMarker says whether GitLab made it.
func (c *Client) CreateTimelineEvent(ctx context.Context, incidentGID, note string, occurredAt time.Time, tags []string, marker string) (*TimelineEvent, error) {
	const op = "create timeline event"
	if err := checkMarker(op, marker); err != nil {
		return nil, err
	}
	if strings.TrimSpace(note) == "" {
		return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: "the timeline text is empty"}
	}
	if occurredAt.IsZero() {
		return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: "the event has no time"}
	}
	input := map[string]any{
		"incidentId": incidentGID,
		"note":       withEventMarker(note, marker),
		"occurredAt": gqlTime(occurredAt),
	}
	if tags != nil {
		input["timelineEventTagNames"] = tags
	}
	var data struct {
		Payload *eventPayloadWire `json:"timelineEventCreate"`
	}
	if err := c.graphql(ctx, op, true, createEventMutation, map[string]any{"input": input}, &data); err != nil {
		return nil, err
	}
	return data.Payload.event(op)
}

// UpdateTimelineEvent changes an event's note (keeping its marker when Marker is set), time or
// tags. Repeating the same update is harmless. Errors: EINVALID for an empty update or a note
// GitLab refuses; ENOTFOUND when the event is gone.
func (c *Client) UpdateTimelineEvent(ctx context.Context, eventGID string, u TimelineEventUpdate) (*TimelineEvent, error) {
	const op = "update timeline event"
	input := map[string]any{"id": eventGID}
	if u.Note != nil {
		if strings.TrimSpace(*u.Note) == "" {
			return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: "the timeline text is empty"}
		}
		note := *u.Note
		if u.Marker != "" {
			if err := checkMarker(op, u.Marker); err != nil {
				return nil, err
			}
			note = withEventMarker(note, u.Marker)
		}
		input["note"] = note
	}
	if u.OccurredAt != nil {
		if u.OccurredAt.IsZero() {
			return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: "the event has no time"}
		}
		input["occurredAt"] = gqlTime(*u.OccurredAt)
	}
	if u.Tags != nil {
		input["timelineEventTagNames"] = append([]string{}, (*u.Tags)...)
	}
	if len(input) == 1 {
		return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: "nothing to change"}
	}
	var data struct {
		Payload *eventPayloadWire `json:"timelineEventUpdate"`
	}
	if err := c.graphql(ctx, op, true, updateEventMutation, map[string]any{"input": input}, &data); err != nil {
		return nil, err
	}
	return data.Payload.event(op)
}

// DestroyTimelineEvent removes an event. Errors: ENOTFOUND (IsNotFound) when it is already gone,
// which after a lost answer means it worked.
func (c *Client) DestroyTimelineEvent(ctx context.Context, eventGID string) error {
	const op = "destroy timeline event"
	var data struct {
		Payload *eventPayloadWire `json:"timelineEventDestroy"`
	}
	vars := map[string]any{"input": map[string]any{"id": eventGID}}
	if err := c.graphql(ctx, op, true, destroyEventMutation, vars, &data); err != nil {
		return err
	}
	if data.Payload != nil && len(data.Payload.Errors) > 0 {
		return payloadError(op, data.Payload.Errors)
	}
	return nil
}

// PromoteNoteToTimelineEvent makes a timeline event from a comment on an incident (by its
// GraphQL id, Note.GID), as GitLab's "Add comment to timeline" does. The event quotes the note,
// marker included, so FindTimelineEventByMarker finds it by the note's marker.
func (c *Client) PromoteNoteToTimelineEvent(ctx context.Context, noteGID string) (*TimelineEvent, error) {
	const op = "promote note to timeline event"
	var data struct {
		Payload *eventPayloadWire `json:"timelineEventPromoteFromNote"`
	}
	vars := map[string]any{"input": map[string]any{"noteId": noteGID}}
	if err := c.graphql(ctx, op, true, promoteNoteMutation, vars, &data); err != nil {
		return nil, err
	}
	return data.Payload.event(op)
}

// TimelineEvents returns every event of an incident (GitLab's own included; Editable is false
// for those), following the cursor to the last page, in GitLab's order (occurred, then id).
// Errors: ENOTFOUND when the project does not exist or cannot be seen.
func (c *Client) TimelineEvents(ctx context.Context, projectPath, incidentGID string) ([]TimelineEvent, error) {
	const op = "list timeline events"
	if err := checkProject(op, projectPath); err != nil {
		return nil, err
	}
	var out []TimelineEvent
	seen := map[string]bool{}
	after := ""
	for n := 0; n < maxPages; n++ {
		vars := map[string]any{"fullPath": projectPath, "incidentId": incidentGID, "first": perPage}
		if after != "" {
			vars["after"] = after
		}
		var data struct {
			Project *struct {
				Events struct {
					Nodes    []eventWire `json:"nodes"`
					PageInfo struct {
						HasNextPage bool   `json:"hasNextPage"`
						EndCursor   string `json:"endCursor"`
					} `json:"pageInfo"`
				} `json:"incidentManagementTimelineEvents"`
			} `json:"project"`
		}
		if err := c.graphql(ctx, op, false, listEventsQuery, vars, &data); err != nil {
			return nil, err
		}
		if data.Project == nil {
			return nil, &APIError{Op: op, Code: blotter.ENOTFOUND, Message: fmt.Sprintf("no project %q, or the token's user cannot see it", projectPath)}
		}
		for _, w := range data.Project.Events.Nodes {
			if !seen[w.ID] {
				seen[w.ID] = true
				out = append(out, w.event())
			}
		}
		pi := data.Project.Events.PageInfo
		if !pi.HasNextPage {
			return out, nil
		}
		if pi.EndCursor == "" || pi.EndCursor == after {
			return nil, &APIError{Op: op, Code: blotter.EINTERNAL, Message: "GitLab's next page cursor does not move on"}
		}
		after = pi.EndCursor
	}
	return nil, &APIError{Op: op, Code: blotter.EINTERNAL, Message: fmt.Sprintf("more than %d pages", maxPages)}
}

// FindTimelineEventByMarker returns the incident's oldest event carrying marker (its token, or
// the whole marker of a note it was promoted from), or nil if there is none.
func (c *Client) FindTimelineEventByMarker(ctx context.Context, projectPath, incidentGID, marker string) (*TimelineEvent, error) {
	const op = "find timeline event"
	if err := checkMarker(op, marker); err != nil {
		return nil, err
	}
	events, err := c.TimelineEvents(ctx, projectPath, incidentGID)
	if err != nil {
		return nil, err
	}
	var found *TimelineEvent
	for i := range events {
		if events[i].HasMarker(marker) && (found == nil || events[i].ID < found.ID) {
			found = &events[i]
		}
	}
	return found, nil
}

// gqlTime formats a time as GitLab's Time scalar, to the second (GitLab answers seconds).
func gqlTime(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// GraphQL documents.

const eventFields = `id note noteHtml action editable occurredAt createdAt updatedAt
      author { username } updatedByUser { username } promotedFromNote { id }
      timelineEventTags { nodes { name } }`

const createEventMutation = `mutation BlotterCreateTimelineEvent($input: TimelineEventCreateInput!) {
  timelineEventCreate(input: $input) { errors timelineEvent { ` + eventFields + ` } }
}`

const updateEventMutation = `mutation BlotterUpdateTimelineEvent($input: TimelineEventUpdateInput!) {
  timelineEventUpdate(input: $input) { errors timelineEvent { ` + eventFields + ` } }
}`

const destroyEventMutation = `mutation BlotterDestroyTimelineEvent($input: TimelineEventDestroyInput!) {
  timelineEventDestroy(input: $input) { errors timelineEvent { id } }
}`

const promoteNoteMutation = `mutation BlotterPromoteNote($input: TimelineEventPromoteFromNoteInput!) {
  timelineEventPromoteFromNote(input: $input) { errors timelineEvent { ` + eventFields + ` } }
}`

const listEventsQuery = `query BlotterTimelineEvents($fullPath: ID!, $incidentId: IssueID!, $first: Int, $after: String) {
  project(fullPath: $fullPath) {
    incidentManagementTimelineEvents(incidentId: $incidentId, first: $first, after: $after) {
      nodes { ` + eventFields + ` }
      pageInfo { hasNextPage endCursor }
    }
  }
}`

// Wire structs.

type eventPayloadWire struct {
	Errors        []string   `json:"errors"`
	TimelineEvent *eventWire `json:"timelineEvent"`
}

// event returns the payload's event, or the error its "errors" hold.
func (p *eventPayloadWire) event(op string) (*TimelineEvent, error) {
	if p != nil && len(p.Errors) > 0 {
		return nil, payloadError(op, p.Errors)
	}
	if p == nil || p.TimelineEvent == nil {
		return nil, &APIError{Op: op, Status: 200, Code: blotter.EINTERNAL, Uncertain: true, Message: "GitLab's answer holds no timeline event"}
	}
	e := p.TimelineEvent.event()
	return &e, nil
}

type userRefWire struct {
	Username string `json:"username"`
}

type eventWire struct {
	ID               string       `json:"id"`
	Note             *string      `json:"note"`
	NoteHTML         *string      `json:"noteHtml"`
	Action           string       `json:"action"`
	Editable         bool         `json:"editable"`
	OccurredAt       string       `json:"occurredAt"`
	CreatedAt        string       `json:"createdAt"`
	UpdatedAt        string       `json:"updatedAt"`
	Author           *userRefWire `json:"author"`
	UpdatedByUser    *userRefWire `json:"updatedByUser"`
	PromotedFromNote *struct {
		ID string `json:"id"`
	} `json:"promotedFromNote"`
	TimelineEventTags *struct {
		Nodes []struct {
			Name string `json:"name"`
		} `json:"nodes"`
	} `json:"timelineEventTags"`
}

func (w *eventWire) event() TimelineEvent {
	e := TimelineEvent{
		GID: w.ID, ID: parseGID(w.ID), Action: w.Action, Editable: w.Editable, Tags: []string{},
		OccurredAt: parseTime(w.OccurredAt), CreatedAt: parseTime(w.CreatedAt), UpdatedAt: parseTime(w.UpdatedAt),
	}
	if w.Note != nil {
		e.Note = *w.Note
	}
	if w.NoteHTML != nil {
		e.NoteHTML = *w.NoteHTML
	}
	if w.Author != nil {
		e.Author = w.Author.Username
	}
	if w.UpdatedByUser != nil {
		e.UpdatedBy = w.UpdatedByUser.Username
	}
	if w.PromotedFromNote != nil {
		e.PromotedFromNote = w.PromotedFromNote.ID
	}
	if w.TimelineEventTags != nil {
		for _, t := range w.TimelineEventTags.Nodes {
			e.Tags = append(e.Tags, t.Name)
		}
	}
	return e
}
