package gitlabfake_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	gitlab "gitlab.com/gitlab-org/api/client-go"

	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

const eventFields = `id note noteHtml occurredAt createdAt updatedAt editable action
	timelineEventTags { nodes { name } } author { username }`

const createEvent = `mutation CreateEvent($input: TimelineEventCreateInput!) {
  timelineEventCreate(input: $input) {
    timelineEvent { ` + eventFields + ` }
    errors
  }
}`

const updateEvent = `mutation UpdateEvent($input: TimelineEventUpdateInput!) {
  timelineEventUpdate(input: $input) { timelineEvent { ` + eventFields + ` } errors }
}`

const destroyEvent = `mutation DestroyEvent($input: TimelineEventDestroyInput!) {
  timelineEventDestroy(input: $input) { timelineEvent { id note } errors }
}`

const listEvents = `query Events($fullPath: ID!, $incidentId: IssueID!, $iid: String!, $first: Int, $after: String) {
  project(fullPath: $fullPath) {
    issue(iid: $iid) { id iid title state severity escalationStatus type }
    incidentManagementTimelineEvents(incidentId: $incidentId, first: $first, after: $after) {
      nodes { ` + eventFields + ` }
      pageInfo { hasNextPage endCursor }
    }
  }
}`

// Wire shapes of GitLab's GraphQL answers, as the sync adapter will decode them.
type gqlEvent struct {
	ID                string `json:"id"`
	Note              string `json:"note"`
	NoteHTML          string `json:"noteHtml"`
	OccurredAt        string `json:"occurredAt"`
	CreatedAt         string `json:"createdAt"`
	UpdatedAt         string `json:"updatedAt"`
	Editable          bool   `json:"editable"`
	Action            string `json:"action"`
	TimelineEventTags struct {
		Nodes []struct {
			Name string `json:"name"`
		} `json:"nodes"`
	} `json:"timelineEventTags"`
	Author struct {
		Username string `json:"username"`
	} `json:"author"`
}

func (e gqlEvent) tags() string {
	var names []string
	for _, n := range e.TimelineEventTags.Nodes {
		names = append(names, n.Name)
	}
	return strings.Join(names, ",")
}

type gqlPayload struct {
	TimelineEvent *gqlEvent `json:"timelineEvent"`
	Errors        []string  `json:"errors"`
}

type gqlTopError struct {
	Message string `json:"message"`
	Path    []any  `json:"path"`
}

type gqlAnswer struct {
	Data struct {
		TimelineEventCreate  *gqlPayload `json:"timelineEventCreate"`
		TimelineEventUpdate  *gqlPayload `json:"timelineEventUpdate"`
		TimelineEventDestroy *gqlPayload `json:"timelineEventDestroy"`
		Promote              *gqlPayload `json:"timelineEventPromoteFromNote"`
		IssueSetSeverity     *struct {
			Issue *struct {
				Severity         string  `json:"severity"`
				EscalationStatus *string `json:"escalationStatus"`
			} `json:"issue"`
			Errors []string `json:"errors"`
		} `json:"issueSetSeverity"`
		IssueSetEscalationStatus *struct {
			Issue *struct {
				EscalationStatus string `json:"escalationStatus"`
			} `json:"issue"`
			Errors []string `json:"errors"`
		} `json:"issueSetEscalationStatus"`
		Project *struct {
			Issue *struct {
				ID               string `json:"id"`
				IID              string `json:"iid"`
				State            string `json:"state"`
				Severity         string `json:"severity"`
				EscalationStatus string `json:"escalationStatus"`
				Type             string `json:"type"`
			} `json:"issue"`
			Events struct {
				Nodes    []gqlEvent `json:"nodes"`
				PageInfo struct {
					HasNextPage bool   `json:"hasNextPage"`
					EndCursor   string `json:"endCursor"`
				} `json:"pageInfo"`
			} `json:"incidentManagementTimelineEvents"`
		} `json:"project"`
	} `json:"data"`
	Errors []gqlTopError `json:"errors"`
}

// graphql runs a GraphQL operation through client-go's GraphQL helper.
func (f *fixture) graphql(t *testing.T, query string, vars map[string]any) gqlAnswer {
	t.Helper()
	return graphqlAs(t, f.gl, query, vars)
}

func graphqlAs(t *testing.T, gl *gitlab.Client, query string, vars map[string]any) gqlAnswer {
	t.Helper()
	var ans gqlAnswer
	resp, err := gl.GraphQL.Do(gitlab.GraphQLQuery{Query: query, Variables: vars}, &ans)
	if err != nil {
		t.Fatalf("graphql: %v", err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("graphql status: %d", resp.StatusCode)
	}
	return ans
}

func issueGID(is *gitlab.Issue) string { return fmt.Sprintf("gid://gitlab/Issue/%d", is.ID) }

func TestTimelineEventLifecycle(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.createIncident(t, "Ransomware note on file server")
	f.clock.Advance(time.Minute)

	// Create with a predefined tag in another case: GitLab stores its own spelling.
	occurred := time.Date(2025, 3, 1, 8, 42, 17, 500_000_000, time.UTC)
	ans := f.graphql(t, createEvent, map[string]any{"input": map[string]any{
		"incidentId":            issueGID(inc),
		"note":                  "First encrypted share seen <b>bold</b>",
		"occurredAt":            occurred.Format(time.RFC3339Nano),
		"timelineEventTagNames": []string{"Start time", "impact detected"},
	}})
	p := ans.Data.TimelineEventCreate
	if len(ans.Errors) > 0 || p == nil || len(p.Errors) != 0 || p.TimelineEvent == nil {
		t.Fatalf("create: %+v %+v", ans.Errors, p)
	}
	ev := *p.TimelineEvent
	if !strings.HasPrefix(ev.ID, "gid://gitlab/IncidentManagement::TimelineEvent/") {
		t.Errorf("id: %q", ev.ID)
	}
	// GitLab's Time scalar answers whole seconds.
	if got, want := ev.OccurredAt, "2025-03-01T08:42:17Z"; got != want {
		t.Errorf("occurredAt: got %q, want %q", got, want)
	}
	if ev.CreatedAt != "2025-03-01T09:01:00Z" || ev.Author.Username != "alice" || !ev.Editable || ev.Action != "comment" {
		t.Errorf("event: %+v", ev)
	}
	if got, want := ev.tags(), "Start time,Impact detected"; got != want {
		t.Errorf("tags: got %q, want %q", got, want)
	}
	if !strings.Contains(ev.NoteHTML, "&lt;b&gt;") {
		t.Errorf("noteHtml is not escaped: %q", ev.NoteHTML)
	}

	// Update the note and replace the tags.
	f.clock.Advance(time.Minute)
	ans = f.graphql(t, updateEvent, map[string]any{"input": map[string]any{
		"id": ev.ID, "note": "First encrypted share seen", "timelineEventTagNames": []string{"Impact detected"},
	}})
	up := ans.Data.TimelineEventUpdate
	if up == nil || len(up.Errors) != 0 || up.TimelineEvent.Note != "First encrypted share seen" || up.TimelineEvent.tags() != "Impact detected" {
		t.Fatalf("update: %+v %+v", ans.Errors, up)
	}
	if up.TimelineEvent.OccurredAt != ev.OccurredAt || up.TimelineEvent.UpdatedAt != "2025-03-01T09:02:00Z" {
		t.Errorf("update changed the wrong times: %+v", up.TimelineEvent)
	}

	// The server holds exactly one event with this note, besides GitLab's own.
	var mine []gitlabfake.TimelineEvent
	for _, e := range f.srv.TimelineEvents(project, int(inc.IID)) {
		if e.Action == "comment" {
			mine = append(mine, e)
		}
	}
	if len(mine) != 1 || mine[0].Note != "First encrypted share seen" || mine[0].UpdatedBy != "alice" {
		t.Errorf("server events: %+v", mine)
	}
	if got := f.srv.Creates("timeline_event"); got != 1 {
		t.Errorf("creates: got %d, want 1", got)
	}

	// Destroy answers the removed event.
	ans = f.graphql(t, destroyEvent, map[string]any{"input": map[string]any{"id": ev.ID}})
	if d := ans.Data.TimelineEventDestroy; d == nil || d.TimelineEvent == nil || d.TimelineEvent.ID != ev.ID {
		t.Fatalf("destroy: %+v %+v", ans.Errors, d)
	}
	for _, e := range f.srv.TimelineEvents(project, int(inc.IID)) {
		if e.Action == "comment" {
			t.Errorf("event still there: %+v", e)
		}
	}

	// Each change left GitLab's system note on the incident.
	var system []string
	for _, n := range f.srv.Notes(project, int(inc.IID)) {
		if n.System {
			system = append(system, n.Body)
		}
	}
	want := "added an incident timeline event|edited the text on incident timeline event|deleted an incident timeline event"
	if got := strings.Join(system, "|"); got != want {
		t.Errorf("system notes: got %q, want %q", got, want)
	}

	// Destroying it again: the object is gone, a top-level error.
	ans = f.graphql(t, destroyEvent, map[string]any{"input": map[string]any{"id": ev.ID}})
	if len(ans.Errors) != 1 || !strings.HasPrefix(ans.Errors[0].Message, "The resource that you are attempting to access does not exist") || ans.Data.TimelineEventDestroy != nil {
		t.Errorf("second destroy: %+v", ans)
	}
}

func TestTimelineEventValidation(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.createIncident(t, "x")
	plain, _, err := f.gl.Issues.CreateIssue(project, &gitlab.CreateIssueOptions{Title: gitlab.Ptr("not an incident")})
	if err != nil {
		t.Fatal(err)
	}
	at := t0.Format(time.RFC3339)

	tests := []struct {
		name        string
		input       map[string]any
		wantPayload string // the payload's errors
		wantTop     string // or a top-level error
	}{
		{"281 characters", map[string]any{"incidentId": issueGID(inc), "note": strings.Repeat("a", 281), "occurredAt": at},
			"Timeline text is too long (maximum is 280 characters)", ""},
		{"blank note", map[string]any{"incidentId": issueGID(inc), "note": "  ", "occurredAt": at},
			"Timeline text can't be blank", ""},
		{"unknown tag", map[string]any{"incidentId": issueGID(inc), "note": "n", "occurredAt": at, "timelineEventTagNames": []string{"Start time", "Not A Tag"}},
			`Following tags don't exist: ["not a tag"]`, ""},
		{"not an incident", map[string]any{"incidentId": issueGID(plain), "note": "n", "occurredAt": at},
			"", "The resource that you are attempting to access does not exist or you don't have permission to perform this action"},
		{"unknown incident", map[string]any{"incidentId": "gid://gitlab/Issue/999999", "note": "n", "occurredAt": at},
			"", "The resource that you are attempting to access does not exist or you don't have permission to perform this action"},
		{"wrong global id type", map[string]any{"incidentId": "gid://gitlab/Note/1", "note": "n", "occurredAt": at},
			"", `Variable $input of type TimelineEventCreateInput! was provided invalid value for incidentId ("gid://gitlab/Note/1" does not represent an instance of Issue)`},
		{"missing note", map[string]any{"incidentId": issueGID(inc), "occurredAt": at},
			"", "Variable $input of type TimelineEventCreateInput! was provided invalid value for note (Expected value to not be null)"},
		{"bad time", map[string]any{"incidentId": issueGID(inc), "note": "n", "occurredAt": "yesterday"},
			"", `Variable $input of type TimelineEventCreateInput! was provided invalid value for occurredAt ("yesterday" is not a valid ISO-8601 time)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans := f.graphql(t, createEvent, map[string]any{"input": tt.input})
			if tt.wantTop != "" {
				if len(ans.Errors) != 1 || ans.Errors[0].Message != tt.wantTop {
					t.Errorf("top-level errors: got %+v, want %q", ans.Errors, tt.wantTop)
				}
				return
			}
			p := ans.Data.TimelineEventCreate
			if len(ans.Errors) != 0 || p == nil || p.TimelineEvent != nil || len(p.Errors) != 1 || p.Errors[0] != tt.wantPayload {
				t.Errorf("got top %+v payload %+v, want payload error %q", ans.Errors, p, tt.wantPayload)
			}
		})
	}
	if got := len(f.srv.TimelineEvents(project, int(inc.IID))); got != 1 { // only "created the incident"
		t.Errorf("events: got %d, want 1", got)
	}

	// 280 characters are accepted, counted as characters, not bytes.
	ans := f.graphql(t, createEvent, map[string]any{"input": map[string]any{"incidentId": issueGID(inc), "note": strings.Repeat("é", 280), "occurredAt": at}})
	if p := ans.Data.TimelineEventCreate; p == nil || len(p.Errors) != 0 || p.TimelineEvent == nil {
		t.Errorf("280 characters: %+v %+v", ans.Errors, p)
	}
}

func TestGraphQLMalformed(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.createIncident(t, "x")
	input := map[string]any{"input": map[string]any{"incidentId": issueGID(inc), "note": "n", "occurredAt": t0.Format(time.RFC3339)}}
	tests := []struct {
		name, query string
		vars        map[string]any
		want        string
	}{
		{"syntax", `mutation { timelineEventCreate(input: $input) { errors }`, input, "Unexpected end of document"},
		{"unknown field", strings.Replace(createEvent, "errors", "errors bogus", 1), input, "Field 'bogus' doesn't exist on type 'TimelineEventCreatePayload'"},
		{"missing selection", `mutation M($input: TimelineEventCreateInput!) { timelineEventCreate(input: $input) }`, input,
			"Field must have selections (field 'timelineEventCreate' returns TimelineEventCreatePayload but has no selections. Did you mean 'timelineEventCreate { ... }'?)"},
		{"type mismatch", `mutation M($input: String!) { timelineEventCreate(input: $input) { errors } }`, map[string]any{"input": "x"},
			"Type mismatch on variable $input and argument input (String! / TimelineEventCreateInput!)"},
		{"fragment", `query { ...F } fragment F on Query { currentUser { id } }`, nil, "Fragments are not supported by this fake"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans := f.graphql(t, tt.query, tt.vars)
			if len(ans.Errors) == 0 || ans.Errors[0].Message != tt.want {
				t.Errorf("errors: got %+v, want %q", ans.Errors, tt.want)
			}
		})
	}
	// Nothing was executed.
	if got := f.srv.Creates("timeline_event"); got != 0 {
		t.Errorf("creates: got %d, want 0", got)
	}
}

func TestSeverityAndEscalationStatus(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.createIncident(t, "x")
	vars := func(k, v string) map[string]any {
		return map[string]any{"input": map[string]any{"projectPath": project, "iid": fmt.Sprint(inc.IID), k: v}}
	}
	const setSeverity = `mutation S($input: IssueSetSeverityInput!) {
	  issueSetSeverity(input: $input) { issue { severity escalationStatus } errors } }`
	const setStatus = `mutation E($input: IssueSetEscalationStatusInput!) {
	  issueSetEscalationStatus(input: $input) { issue { escalationStatus } errors } }`

	ans := f.graphql(t, setSeverity, vars("severity", "CRITICAL"))
	if s := ans.Data.IssueSetSeverity; s == nil || s.Issue.Severity != "CRITICAL" || len(s.Errors) != 0 || *s.Issue.EscalationStatus != "TRIGGERED" {
		t.Fatalf("severity: %+v %+v", ans.Errors, s)
	}
	ans = f.graphql(t, setStatus, vars("status", "ACKNOWLEDGED"))
	if s := ans.Data.IssueSetEscalationStatus; s == nil || s.Issue.EscalationStatus != "ACKNOWLEDGED" {
		t.Fatalf("status: %+v %+v", ans.Errors, s)
	}
	snap, _ := f.srv.Issue(project, int(inc.IID))
	if snap.Severity != "CRITICAL" || snap.EscalationStatus != "ACKNOWLEDGED" || snap.State != "opened" {
		t.Errorf("server: %+v", snap)
	}

	// GitLab records both changes as automatic timeline events.
	var auto []string
	for _, e := range f.srv.TimelineEvents(project, int(inc.IID)) {
		auto = append(auto, e.Action+": "+e.Note)
	}
	want := "issues: @alice created the incident|severity: @alice changed the incident severity to **Critical - S1**|status: @alice changed the incident status to **Acknowledged**"
	if got := strings.Join(auto, "|"); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}

	// An unknown enum value is a variable error.
	ans = f.graphql(t, setSeverity, vars("severity", "SEVERE"))
	if len(ans.Errors) != 1 || !strings.Contains(ans.Errors[0].Message, `Expected "SEVERE" to be one of: UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL`) {
		t.Errorf("bad enum: %+v", ans.Errors)
	}
	// Escalation status exists only on incidents.
	plain, _, _ := f.gl.Issues.CreateIssue(project, &gitlab.CreateIssueOptions{Title: gitlab.Ptr("task")})
	ans = f.graphql(t, setStatus, map[string]any{"input": map[string]any{"projectPath": project, "iid": fmt.Sprint(plain.IID), "status": "RESOLVED"}})
	if len(ans.Errors) != 1 || ans.Errors[0].Message != "Feature unavailable for provided issue" {
		t.Errorf("status on an issue: %+v", ans.Errors)
	}
}

func TestTimelineEventsQuery(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.createIncident(t, "x")
	// Someone else adds events in GitLab's UI, out of order.
	bob := f.srv.As("bob")
	for i, min := range []int{30, 10, 20} {
		if _, err := bob.CreateTimelineEvent(project, int(inc.IID), fmt.Sprintf("event %d", i), t0.Add(time.Duration(min)*time.Minute), "Response initiated"); err != nil {
			t.Fatal(err)
		}
	}
	vars := map[string]any{"fullPath": project, "incidentId": issueGID(inc), "iid": fmt.Sprint(inc.IID), "first": 2}
	ans := f.graphql(t, listEvents, vars)
	if len(ans.Errors) > 0 || ans.Data.Project == nil {
		t.Fatalf("query: %+v", ans.Errors)
	}
	pr := ans.Data.Project
	if pr.Issue.ID != issueGID(inc) || pr.Issue.IID != fmt.Sprint(inc.IID) || pr.Issue.Type != "INCIDENT" || pr.Issue.Severity != "UNKNOWN" || pr.Issue.EscalationStatus != "TRIGGERED" {
		t.Errorf("issue: %+v", pr.Issue)
	}
	// Ordered by occurredAt: "created the incident" (09:00), then bob's.
	var notes []string
	for _, n := range pr.Events.Nodes {
		notes = append(notes, n.Note+"/"+n.Author.Username)
	}
	if got := strings.Join(notes, ","); got != "@alice created the incident/alice,event 1/bob" || !pr.Events.PageInfo.HasNextPage {
		t.Errorf("page 1: %s (next %v)", got, pr.Events.PageInfo.HasNextPage)
	}
	vars["after"] = pr.Events.PageInfo.EndCursor
	ans = f.graphql(t, listEvents, vars)
	notes = nil
	for _, n := range ans.Data.Project.Events.Nodes {
		notes = append(notes, n.Note)
	}
	if got := strings.Join(notes, ","); got != "event 2,event 0" || ans.Data.Project.Events.PageInfo.HasNextPage {
		t.Errorf("page 2: %s", got)
	}

	// An unknown project is null, not an error.
	vars["fullPath"] = "nope/nope"
	ans = f.graphql(t, listEvents, vars)
	if ans.Data.Project != nil || len(ans.Errors) != 0 {
		t.Errorf("unknown project: %+v", ans)
	}

	// Aliases and __typename are answered in the selection's shape.
	raw := map[string]any{}
	if _, err := f.gl.GraphQL.Do(gitlab.GraphQLQuery{Query: `{ me: currentUser { __typename username } }`}, &raw); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(raw)
	if got := string(b); got != `{"data":{"me":{"__typename":"CurrentUser","username":"alice"}}}` {
		t.Errorf("alias: %s", got)
	}
}

func TestPromoteNote(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.createIncident(t, "x")
	n, _, err := f.gl.Notes.CreateIssueNote(project, inc.IID, &gitlab.CreateIssueNoteOptions{Body: gitlab.Ptr(strings.Repeat("long ", 100))})
	if err != nil {
		t.Fatal(err)
	}
	ans := f.graphql(t, `mutation P($input: TimelineEventPromoteFromNoteInput!) {
	  timelineEventPromoteFromNote(input: $input) { timelineEvent { note occurredAt } errors } }`,
		map[string]any{"input": map[string]any{"noteId": fmt.Sprintf("gid://gitlab/Note/%d", n.ID)}})
	p := ans.Data.Promote
	// A promoted note is not held to 280 characters.
	if p == nil || len(p.Errors) != 0 || !strings.HasPrefix(p.TimelineEvent.Note, "@alice [commented](") {
		t.Errorf("promote: %+v %+v", ans.Errors, p)
	}
}

func TestGraphQLAuth(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.createIncident(t, "x")
	input := map[string]any{"input": map[string]any{"incidentId": issueGID(inc), "note": "n", "occurredAt": t0.Format(time.RFC3339)}}

	// A wrong token is HTTP 401.
	bad := newClient(t, f.srv, "wrong")
	var ans gqlAnswer
	resp, err := bad.GraphQL.Do(gitlab.GraphQLQuery{Query: createEvent, Variables: input}, &ans)
	if resp == nil || resp.StatusCode != 401 || !strings.Contains(fmt.Sprint(err), "Invalid token") {
		t.Errorf("wrong token: %v %v", resp, err)
	}

	// A read_api token may query but not mutate.
	f.srv.AddUser("reader", "glpat-reader", "read_api")
	reader := newClient(t, f.srv, "glpat-reader")
	ans = graphqlAs(t, reader, createEvent, input)
	if len(ans.Errors) != 1 || !strings.HasPrefix(ans.Errors[0].Message, "The resource that you are attempting to access") || ans.Data.TimelineEventCreate != nil {
		t.Errorf("read_api mutation: %+v", ans)
	}
	ans = graphqlAs(t, reader, listEvents, map[string]any{"fullPath": project, "incidentId": issueGID(inc), "iid": fmt.Sprint(inc.IID)})
	if ans.Data.Project == nil || len(ans.Data.Project.Events.Nodes) != 1 {
		t.Errorf("read_api query: %+v", ans)
	}
}

func TestGraphQLLiteralArguments(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.createIncident(t, "x")
	// Literals, an enum value and a variable inside an input object.
	q := `mutation($iid: String!) {
	  issueSetSeverity(input: {projectPath: "security/incidents", iid: $iid, severity: HIGH}) {
	    issue { severity } errors } }`
	ans := f.graphql(t, q, map[string]any{"iid": fmt.Sprint(inc.IID)})
	if s := ans.Data.IssueSetSeverity; len(ans.Errors) != 0 || s == nil || s.Issue.Severity != "HIGH" {
		t.Errorf("literal input: %+v %+v", ans.Errors, s)
	}
	ans = f.graphql(t, `{ project(fullPath: 12) { id } }`, nil)
	if len(ans.Errors) != 0 {
		// ID accepts integers.
		t.Errorf("integer ID literal: %+v", ans.Errors)
	}
	ans = f.graphql(t, `{ project(fullPath: "security/incidents") { issue(iid: 1) { id } } }`, nil)
	if len(ans.Errors) != 1 || !strings.Contains(ans.Errors[0].Message, "Argument 'iid' on Field 'issue' has an invalid value (1). Expected type 'String'.") {
		t.Errorf("integer for String: %+v", ans.Errors)
	}
}
