package gitlab

// Incidents: issues of type incident (REST), with severity and escalation status (GraphQL only).
// https://docs.gitlab.com/api/issues/, https://docs.gitlab.com/operations/incident_management/manage_incidents/,
// https://docs.gitlab.com/api/graphql/reference/#mutationissuesetseverity,
// https://docs.gitlab.com/api/graphql/reference/#mutationissuesetescalationstatus

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// severities maps Blotter's severities to GitLab's IssuableSeverity.
var severities = map[blotter.Severity]string{
	blotter.SeverityCritical: "CRITICAL",
	blotter.SeverityHigh:     "HIGH",
	blotter.SeverityMedium:   "MEDIUM",
	blotter.SeverityLow:      "LOW",
}

// BlotterSeverity maps GitLab's severity (CRITICAL, HIGH, MEDIUM, LOW) to Blotter's; false for
// UNKNOWN and anything else.
func BlotterSeverity(gitlab string) (blotter.Severity, bool) {
	for b, g := range severities {
		if strings.EqualFold(g, gitlab) {
			return b, true
		}
	}
	return "", false
}

// CreateIncident creates an incident issue carrying marker (see marker.go). The title and
// description are sent as given: pass them through blotter.MaskSecrets and Neutralize first.
// When the call fails with Uncertain, FindIssueByMarker says whether GitLab made it.
func (c *Client) CreateIncident(ctx context.Context, project, title, description, marker string) (*Issue, error) {
	return c.createIssue(ctx, "create incident", project, NewIssue{Title: title, Description: description, Type: "incident"}, marker)
}

// Incident returns an incident with its severity and escalation status (one GraphQL request).
// Errors: ENOTFOUND when the project or the issue does not exist or cannot be seen.
func (c *Client) Incident(ctx context.Context, projectPath string, iid int64) (*Incident, error) {
	const op = "get incident"
	if err := checkProject(op, projectPath); err != nil {
		return nil, err
	}
	var data struct {
		Project *struct {
			Issue *incidentWire `json:"issue"`
		} `json:"project"`
	}
	vars := map[string]any{"fullPath": projectPath, "iid": strconv.FormatInt(iid, 10)}
	if err := c.graphql(ctx, op, false, incidentQuery, vars, &data); err != nil {
		return nil, err
	}
	if data.Project == nil {
		return nil, &APIError{Op: op, Code: blotter.ENOTFOUND, Message: fmt.Sprintf("no project %q, or the token's user cannot see it", projectPath)}
	}
	if data.Project.Issue == nil {
		return nil, &APIError{Op: op, Code: blotter.ENOTFOUND, Message: fmt.Sprintf("no issue %s#%d", projectPath, iid)}
	}
	return data.Project.Issue.incident(), nil
}

// CloseIncident closes an incident (GitLab then also resolves its escalation status).
func (c *Client) CloseIncident(ctx context.Context, project string, iid int64) (*Issue, error) {
	return c.updateIssue(ctx, "close incident", project, iid, IssueUpdate{State: StateClose})
}

// ReopenIncident reopens a closed incident.
func (c *Client) ReopenIncident(ctx context.Context, project string, iid int64) (*Issue, error) {
	return c.updateIssue(ctx, "reopen incident", project, iid, IssueUpdate{State: StateReopen})
}

// SetSeverity sets an incident's severity (issueSetSeverity): critical, high, medium and low
// become CRITICAL, HIGH, MEDIUM and LOW. Setting the severity it has is not an error.
func (c *Client) SetSeverity(ctx context.Context, projectPath string, iid int64, severity blotter.Severity) error {
	const op = "set severity"
	g, ok := severities[severity]
	if !ok {
		return &APIError{Op: op, Code: blotter.EINVALID, Message: fmt.Sprintf("severity %q is not one of critical, high, medium, low", severity)}
	}
	if err := checkProject(op, projectPath); err != nil {
		return err
	}
	var data struct {
		Payload *issuePayloadWire `json:"issueSetSeverity"`
	}
	vars := map[string]any{"input": map[string]any{"projectPath": projectPath, "iid": strconv.FormatInt(iid, 10), "severity": g}}
	if err := c.graphql(ctx, op, true, setSeverityMutation, vars, &data); err != nil {
		return err
	}
	if data.Payload != nil && len(data.Payload.Errors) > 0 {
		return payloadError(op, data.Payload.Errors)
	}
	return nil
}

// SetEscalationStatus sets an incident's status (issueSetEscalationStatus). Setting RESOLVED
// does not close the incident; CloseIncident does.
func (c *Client) SetEscalationStatus(ctx context.Context, projectPath string, iid int64, status EscalationStatus) error {
	const op = "set escalation status"
	switch status {
	case EscalationTriggered, EscalationAcknowledged, EscalationResolved, EscalationIgnored:
	default:
		return &APIError{Op: op, Code: blotter.EINVALID, Message: fmt.Sprintf("escalation status %q is not one of TRIGGERED, ACKNOWLEDGED, RESOLVED, IGNORED", status)}
	}
	if err := checkProject(op, projectPath); err != nil {
		return err
	}
	var data struct {
		Payload *issuePayloadWire `json:"issueSetEscalationStatus"`
	}
	vars := map[string]any{"input": map[string]any{"projectPath": projectPath, "iid": strconv.FormatInt(iid, 10), "status": string(status)}}
	if err := c.graphql(ctx, op, true, setEscalationMutation, vars, &data); err != nil {
		return err
	}
	if data.Payload != nil && len(data.Payload.Errors) > 0 {
		return payloadError(op, data.Payload.Errors)
	}
	return nil
}

// GraphQL documents.

const incidentQuery = `query BlotterIncident($fullPath: ID!, $iid: String!) {
  project(fullPath: $fullPath) {
    issue(iid: $iid) {
      id iid projectId title description state type severity escalationStatus webUrl
      createdAt updatedAt closedAt dueDate
      author { username }
      assignees { nodes { id username name } }
      labels { nodes { title } }
    }
  }
}`

const setSeverityMutation = `mutation BlotterSetSeverity($input: IssueSetSeverityInput!) {
  issueSetSeverity(input: $input) { errors issue { severity } }
}`

const setEscalationMutation = `mutation BlotterSetEscalationStatus($input: IssueSetEscalationStatusInput!) {
  issueSetEscalationStatus(input: $input) { errors issue { escalationStatus } }
}`

// Wire structs.

type incidentWire struct {
	ID               string  `json:"id"`
	IID              string  `json:"iid"`
	ProjectID        int64   `json:"projectId"`
	Title            string  `json:"title"`
	Description      *string `json:"description"`
	State            string  `json:"state"`
	Type             string  `json:"type"`
	Severity         string  `json:"severity"`
	EscalationStatus *string `json:"escalationStatus"`
	WebURL           string  `json:"webUrl"`
	CreatedAt        string  `json:"createdAt"`
	UpdatedAt        string  `json:"updatedAt"`
	ClosedAt         *string `json:"closedAt"`
	DueDate          *string `json:"dueDate"`
	Author           *struct {
		Username string `json:"username"`
	} `json:"author"`
	Assignees *struct {
		Nodes []struct {
			ID       string `json:"id"`
			Username string `json:"username"`
			Name     string `json:"name"`
		} `json:"nodes"`
	} `json:"assignees"`
	Labels *struct {
		Nodes []struct {
			Title string `json:"title"`
		} `json:"nodes"`
	} `json:"labels"`
}

func (w *incidentWire) incident() *Incident {
	iid, _ := strconv.ParseInt(w.IID, 10, 64)
	out := &Incident{Issue: Issue{
		ID: parseGID(w.ID), IID: iid, ProjectID: w.ProjectID, Type: strings.ToLower(w.Type), Title: w.Title,
		State: w.State, WebURL: w.WebURL, CreatedAt: parseTime(w.CreatedAt), UpdatedAt: parseTime(w.UpdatedAt),
		Labels: []string{},
	}, Severity: w.Severity}
	if w.Description != nil {
		out.Description = *w.Description
	}
	if w.EscalationStatus != nil {
		out.EscalationStatus = EscalationStatus(*w.EscalationStatus)
	}
	if w.ClosedAt != nil {
		t := parseTime(*w.ClosedAt)
		out.ClosedAt = &t
	}
	if w.DueDate != nil && len(*w.DueDate) >= 10 {
		out.DueDate = (*w.DueDate)[:10]
	}
	if w.Author != nil {
		out.Author = w.Author.Username
	}
	if w.Assignees != nil {
		for _, a := range w.Assignees.Nodes {
			out.Assignees = append(out.Assignees, User{ID: parseGID(a.ID), Username: a.Username, Name: a.Name})
		}
	}
	if w.Labels != nil {
		for _, l := range w.Labels.Nodes {
			out.Labels = append(out.Labels, l.Title)
		}
	}
	return out
}

type issuePayloadWire struct {
	Errors []string `json:"errors"`
}

// parseTime reads GraphQL's Time scalar (ISO 8601); the zero time if it cannot.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
