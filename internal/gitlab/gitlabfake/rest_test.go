package gitlabfake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	gitlab "gitlab.com/gitlab-org/api/client-go"

	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

const (
	project = "security/incidents"
	token   = "glpat-alice"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// noLimit turns off client-go's own rate limiter, which otherwise configures
// itself from RateLimit-Limit and slows tests down.
type noLimit struct{}

func (noLimit) Wait(context.Context) error { return nil }

// fixture is a fake GitLab with one project, the user alice and a client.
type fixture struct {
	srv   *gitlabfake.Server
	clock *gitlabfake.ManualClock
	gl    *gitlab.Client
}

func newFixture(t *testing.T, opts gitlabfake.Options) *fixture {
	t.Helper()
	clock := gitlabfake.NewManualClock(t0)
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	srv := gitlabfake.New(opts)
	t.Cleanup(srv.Close)
	srv.AddUser("alice", token)
	srv.AddProject(project)
	return &fixture{srv: srv, clock: clock, gl: newClient(t, srv, token)}
}

// newClient returns a client-go client without its own retries, as the sync
// engine must use it.
func newClient(t *testing.T, srv *gitlabfake.Server, tok string) *gitlab.Client {
	t.Helper()
	gl, err := gitlab.NewClient(tok,
		gitlab.WithBaseURL(srv.URL()+"/api/v4"),
		gitlab.WithoutRetries(),
		gitlab.WithCustomLimiter(noLimit{}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return gl
}

func (f *fixture) createIncident(t *testing.T, title string) *gitlab.Issue {
	t.Helper()
	is, _, err := f.gl.Issues.CreateIssue(project, &gitlab.CreateIssueOptions{
		Title:     gitlab.Ptr(title),
		IssueType: gitlab.Ptr("incident"),
	})
	if err != nil {
		t.Fatalf("create incident: %v", err)
	}
	return is
}

// rawRequest sends a request with the given headers and returns the answer and its body.
func rawRequest(t *testing.T, method, url string, header map[string]string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// statusOf returns the HTTP status of a client-go error, 0 if there was no
// answer (client-go turns 404 into the sentinel gitlab.ErrNotFound).
func statusOf(err error) int {
	if errors.Is(err, gitlab.ErrNotFound) {
		return 404
	}
	var er *gitlab.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

func TestCreateIncident(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	bob := f.srv.AddUser("bob", "")

	is, resp, err := f.gl.Issues.CreateIssue(project, &gitlab.CreateIssueOptions{
		Title:       gitlab.Ptr("Credential stuffing on login"),
		Description: gitlab.Ptr("Spike of failed logins"),
		IssueType:   gitlab.Ptr("incident"),
		Labels:      &gitlab.LabelOptions{"sev::2", "blotter"},
		AssigneeIDs: &[]int64{int64(bob.ID)},
		DueDate:     gitlab.Ptr(gitlab.ISOTime(time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC))),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.StatusCode, 201; got != want {
		t.Errorf("status: got %d, want %d", got, want)
	}
	if is.IID != 1 || is.ID == is.IID {
		t.Errorf("ids: got id %d iid %d, want iid 1 and a distinct id", is.ID, is.IID)
	}
	if got, want := *is.IssueType, "incident"; got != want {
		t.Errorf("issue_type: got %q, want %q", got, want)
	}
	if got, want := strings.Join(is.Labels, ","), "blotter,sev::2"; got != want {
		t.Errorf("labels: got %q, want %q (sorted)", got, want)
	}
	if len(is.Assignees) != 1 || is.Assignees[0].Username != "bob" {
		t.Errorf("assignees: got %+v, want bob", is.Assignees)
	}
	if got, want := is.DueDate.String(), "2025-03-05"; got != want {
		t.Errorf("due_date: got %q, want %q", got, want)
	}
	if got, want := is.Author.Username, "alice"; got != want {
		t.Errorf("author: got %q, want %q", got, want)
	}
	if !is.CreatedAt.Equal(t0) || is.State != "opened" {
		t.Errorf("created_at/state: got %v %q", is.CreatedAt, is.State)
	}
	if want := f.srv.URL() + "/" + project + "/-/issues/1"; is.WebURL != want {
		t.Errorf("web_url: got %q, want %q", is.WebURL, want)
	}

	// Fields client-go does not decode, read from the raw JSON.
	_, body := rawRequest(t, "GET", f.srv.URL()+"/api/v4/projects/security%2Fincidents/issues/1", map[string]string{"PRIVATE-TOKEN": token}, nil)
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"severity": "UNKNOWN", "type": "INCIDENT", "issue_type": "incident", "closed_at": nil, "due_date": "2025-03-05", "created_at": "2025-03-01T09:00:00.000Z"} {
		if raw[k] != want {
			t.Errorf("%s: got %v, want %v", k, raw[k], want)
		}
	}

	// GitLab adds a timeline event when an incident is created.
	events := f.srv.TimelineEvents(project, 1)
	if len(events) != 1 || events[0].Note != "@alice created the incident" || events[0].Action != "issues" || events[0].Editable {
		t.Errorf("automatic events: got %+v", events)
	}
	if got, _ := f.srv.Issue(project, 1); got.EscalationStatus != "TRIGGERED" || got.Severity != "UNKNOWN" {
		t.Errorf("incident state: got status %q severity %q", got.EscalationStatus, got.Severity)
	}
}

func TestCreateIssueValidation(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	tests := []struct {
		name string
		opt  *gitlab.CreateIssueOptions
		want string
	}{
		{"missing title", &gitlab.CreateIssueOptions{}, `{"error":"title is missing"}`},
		{"long title", &gitlab.CreateIssueOptions{Title: gitlab.Ptr(strings.Repeat("x", 256))}, `{"message":{"title":["is too long (maximum is 255 characters)"]}}`},
		{"bad type", &gitlab.CreateIssueOptions{Title: gitlab.Ptr("x"), IssueType: gitlab.Ptr("epic")}, `{"error":"issue_type does not have a valid value"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.gl.Issues.CreateIssue(project, tt.opt)
			var er *gitlab.ErrorResponse
			if !errors.As(err, &er) || er.Response.StatusCode != 400 {
				t.Fatalf("got %v, want a 400", err)
			}
			if got := strings.TrimSpace(string(er.Body)); got != tt.want {
				t.Errorf("body: got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestListIssuesPagination(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	for i := 1; i <= 25; i++ {
		f.clock.Advance(time.Minute)
		if _, err := f.srv.As("alice").CreateIssue(project, gitlabfake.NewIssue{Title: "task " + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}

	// Walk the pages as a client does, following X-Next-Page.
	opt := &gitlab.ListProjectIssuesOptions{ListOptions: gitlab.ListOptions{PerPage: 10}, Sort: gitlab.Ptr("asc")}
	var iids []int64
	pages := 0
	for {
		list, resp, err := f.gl.Issues.ListProjectIssues(project, opt)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if resp.TotalItems != 25 || resp.TotalPages != 3 || resp.ItemsPerPage != 10 {
			t.Errorf("page %d headers: total %d pages %d per %d", pages, resp.TotalItems, resp.TotalPages, resp.ItemsPerPage)
		}
		if resp.NextPage != 0 && !strings.Contains(resp.Header.Get("Link"), `rel="next"`) {
			t.Errorf("page %d: Link has no next: %q", pages, resp.Header.Get("Link"))
		}
		for _, is := range list {
			iids = append(iids, is.IID)
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if pages != 3 || len(iids) != 25 || iids[0] != 1 || iids[24] != 25 {
		t.Errorf("got %d pages and iids %v, want 3 pages of iids 1..25", pages, iids)
	}

	// per_page is capped at 100; the default order is newest first.
	list, resp, err := f.gl.Issues.ListProjectIssues(project, &gitlab.ListProjectIssuesOptions{ListOptions: gitlab.ListOptions{PerPage: 500}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.ItemsPerPage != 100 || len(list) != 25 || list[0].IID != 25 {
		t.Errorf("got per_page %d, %d issues, first iid %d; want 100, 25, 25", resp.ItemsPerPage, len(list), list[0].IID)
	}

	// Filters.
	if _, err := f.srv.As("alice").CreateIssue(project, gitlabfake.NewIssue{Title: "inc", IssueType: "incident", Labels: []string{"blotter"}}); err != nil {
		t.Fatal(err)
	}
	list, _, err = f.gl.Issues.ListProjectIssues(project, &gitlab.ListProjectIssuesOptions{IssueType: gitlab.Ptr("incident"), Labels: &gitlab.LabelOptions{"blotter"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].IID != 26 {
		t.Errorf("filtered list: got %d issues", len(list))
	}
	list, _, err = f.gl.Issues.ListProjectIssues(project, &gitlab.ListProjectIssuesOptions{IIDs: &[]int64{3, 5}})
	if err != nil || len(list) != 2 {
		t.Errorf("iids[] filter: got %d issues, err %v", len(list), err)
	}
}

func TestCloseAndReopenIncident(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	is := f.createIncident(t, "Phishing")
	f.clock.Advance(time.Hour)

	closed, _, err := f.gl.Issues.UpdateIssue(project, is.IID, &gitlab.UpdateIssueOptions{StateEvent: gitlab.Ptr("close")})
	if err != nil {
		t.Fatal(err)
	}
	if closed.State != "closed" || closed.ClosedAt == nil || !closed.ClosedAt.Equal(t0.Add(time.Hour)) || closed.ClosedBy.Username != "alice" {
		t.Errorf("closed: got state %q closed_at %v closed_by %+v", closed.State, closed.ClosedAt, closed.ClosedBy)
	}
	snap, _ := f.srv.Issue(project, int(is.IID))
	if snap.EscalationStatus != "RESOLVED" {
		t.Errorf("escalation status after close: got %q, want RESOLVED", snap.EscalationStatus)
	}
	events := f.srv.TimelineEvents(project, int(is.IID))
	if last := events[len(events)-1]; last.Note != "@alice resolved the incident" || last.Action != "status" {
		t.Errorf("last event: got %+v", last)
	}

	reopened, _, err := f.gl.Issues.UpdateIssue(project, is.IID, &gitlab.UpdateIssueOptions{StateEvent: gitlab.Ptr("reopen")})
	if err != nil {
		t.Fatal(err)
	}
	if reopened.State != "opened" || reopened.ClosedAt != nil {
		t.Errorf("reopened: got state %q closed_at %v", reopened.State, reopened.ClosedAt)
	}

	// An edit with no attribute is refused, as by Grape.
	_, _, err = f.gl.Issues.UpdateIssue(project, is.IID, &gitlab.UpdateIssueOptions{})
	if statusOf(err) != 400 {
		t.Errorf("empty edit: got %v, want 400", err)
	}
}

func TestLabels(t *testing.T) {
	for _, scoped := range []bool{false, true} {
		t.Run("scoped="+strconv.FormatBool(scoped), func(t *testing.T) {
			f := newFixture(t, gitlabfake.Options{ScopedLabels: scoped})
			is := f.createIncident(t, "x")
			upd := func(opt *gitlab.UpdateIssueOptions) []string {
				t.Helper()
				got, _, err := f.gl.Issues.UpdateIssue(project, is.IID, opt)
				if err != nil {
					t.Fatal(err)
				}
				return got.Labels
			}
			if got := upd(&gitlab.UpdateIssueOptions{Labels: &gitlab.LabelOptions{"board::todo", "blotter"}}); strings.Join(got, ",") != "blotter,board::todo" {
				t.Errorf("labels: got %v", got)
			}
			got := upd(&gitlab.UpdateIssueOptions{AddLabels: &gitlab.LabelOptions{"board::doing"}})
			want := "blotter,board::doing,board::todo" // GitLab Free keeps both
			if scoped {
				want = "blotter,board::doing" // Premium: one label per scope
			}
			if strings.Join(got, ",") != want {
				t.Errorf("add_labels: got %v, want %s", got, want)
			}
			got = upd(&gitlab.UpdateIssueOptions{RemoveLabels: &gitlab.LabelOptions{"blotter", "board::todo"}})
			if strings.Join(got, ",") != "board::doing" {
				t.Errorf("remove_labels: got %v", got)
			}
		})
	}
}

func TestNotes(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	is := f.createIncident(t, "x")

	n, resp, err := f.gl.Notes.CreateIssueNote(project, is.IID, &gitlab.CreateIssueNoteOptions{Body: gitlab.Ptr("first look: 10.0.0.7")})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 201 || n.Body != "first look: 10.0.0.7" || n.Author.Username != "alice" || n.System || n.NoteableIID != is.IID || n.NoteableType != "Issue" {
		t.Errorf("created note: %+v", n)
	}
	f.clock.Advance(time.Second)
	if _, err := f.srv.As("bob").CreateNote(project, int(is.IID), "bob's comment"); err != nil {
		t.Fatal(err)
	}

	// Default order: newest first.
	list, _, err := f.gl.Notes.ListIssueNotes(project, is.IID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Body != "bob's comment" {
		t.Errorf("list: got %d notes, first %q", len(list), list[0].Body)
	}

	upd, _, err := f.gl.Notes.UpdateIssueNote(project, is.IID, n.ID, &gitlab.UpdateIssueNoteOptions{Body: gitlab.Ptr("edited")})
	if err != nil || upd.Body != "edited" {
		t.Errorf("update: got %v, %v", upd, err)
	}
	// Another user's note may not be edited or deleted.
	if _, _, err := f.gl.Notes.UpdateIssueNote(project, is.IID, list[0].ID, &gitlab.UpdateIssueNoteOptions{Body: gitlab.Ptr("x")}); statusOf(err) != 403 {
		t.Errorf("edit bob's note: got %v, want 403", err)
	}
	if _, err := f.gl.Notes.DeleteIssueNote(project, is.IID, n.ID); err != nil {
		t.Errorf("delete: %v", err)
	}
	if _, _, err := f.gl.Notes.GetIssueNote(project, is.IID, n.ID); statusOf(err) != 404 {
		t.Errorf("get deleted: got %v, want 404", err)
	}
	if got := f.srv.Notes(project, int(is.IID)); len(got) != 1 || got[0].Author != "bob" {
		t.Errorf("server notes: %+v", got)
	}

	// Too long a note is refused with GitLab's message.
	_, _, err = f.gl.Notes.CreateIssueNote(project, is.IID, &gitlab.CreateIssueNoteOptions{Body: gitlab.Ptr(strings.Repeat("a", 1_000_001))})
	var er *gitlab.ErrorResponse
	if !errors.As(err, &er) || !strings.Contains(string(er.Body), `is too long (maximum is 1000000 characters)`) {
		t.Errorf("long note: got %v", err)
	}
}

func TestUpload(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	content := []byte("\x89PNG fake image")
	up, resp, err := f.gl.ProjectMarkdownUploads.UploadProjectMarkdown(project, bytes.NewReader(content), "screenshot.png")
	if err != nil {
		t.Fatal(err)
	}
	stored := f.srv.Uploads(project)
	if resp.StatusCode != 201 || len(stored) != 1 || !bytes.Equal(stored[0].Content, content) {
		t.Fatalf("stored: %+v", stored)
	}
	wantURL := "/uploads/" + stored[0].Secret + "/screenshot.png"
	if up.Alt != "screenshot" || up.URL != wantURL || up.Markdown != "![screenshot]("+wantURL+")" ||
		up.FullPath != "/-/project/"+strconv.Itoa(stored[0].ProjectID)+wantURL || len(stored[0].Secret) != 32 {
		t.Errorf("upload answer: %+v", up)
	}

	// A file that is not an image is a plain link.
	up, _, err = f.gl.ProjectMarkdownUploads.UploadProjectMarkdown(project, strings.NewReader("log"), "auth.log")
	if err != nil || !strings.HasPrefix(up.Markdown, "[auth.log](/uploads/") {
		t.Errorf("log upload: %+v %v", up, err)
	}

	// The file can be downloaded back.
	got, _, err := f.gl.ProjectMarkdownUploads.DownloadProjectMarkdownUploadByID(project, int64(stored[0].ID))
	if err != nil || !bytes.Equal(got, content) {
		t.Errorf("download: %q %v", got, err)
	}
}

func TestUploadTooLarge(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{MaxUploadSize: 10})
	_, _, err := f.gl.ProjectMarkdownUploads.UploadProjectMarkdown(project, strings.NewReader("more than ten bytes"), "big.bin")
	if statusOf(err) != 413 {
		t.Errorf("got %v, want 413", err)
	}
}

func TestIssueLinks(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.createIncident(t, "incident")
	task, _, err := f.gl.Issues.CreateIssue(project, &gitlab.CreateIssueOptions{Title: gitlab.Ptr("Rotate keys")})
	if err != nil {
		t.Fatal(err)
	}
	link, resp, err := f.gl.IssueLinks.CreateIssueLink(project, inc.IID, &gitlab.CreateIssueLinkOptions{
		TargetProjectID: gitlab.Ptr(project),
		TargetIssueIID:  gitlab.Ptr(strconv.FormatInt(task.IID, 10)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 201 || link.SourceIssue.IID != inc.IID || link.TargetIssue.IID != task.IID || link.LinkType != "relates_to" {
		t.Errorf("link: %+v", link)
	}

	// The relation is seen from both sides.
	for _, iid := range []int64{inc.IID, task.IID} {
		rel, _, err := f.gl.IssueLinks.ListIssueRelations(project, iid)
		if err != nil || len(rel) != 1 || rel[0].IssueLinkID == 0 || rel[0].LinkType != "relates_to" {
			t.Errorf("relations of #%d: %+v %v", iid, rel, err)
		}
	}

	// Linking again is a conflict.
	_, _, err = f.gl.IssueLinks.CreateIssueLink(project, task.IID, &gitlab.CreateIssueLinkOptions{
		TargetProjectID: gitlab.Ptr(project), TargetIssueIID: gitlab.Ptr(strconv.FormatInt(inc.IID, 10)),
	})
	var er *gitlab.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 409 || !strings.Contains(string(er.Body), "Issue(s) already assigned") {
		t.Errorf("duplicate link: got %v", err)
	}
	if got := len(f.srv.IssueLinks(project, int(inc.IID))); got != 1 {
		t.Errorf("links on server: got %d, want 1", got)
	}
	// GitLab writes a system note on both issues.
	notes := f.srv.Notes(project, int(task.IID))
	if len(notes) != 1 || !notes[0].System || notes[0].Body != "marked this issue as related to #1" {
		t.Errorf("system notes: %+v", notes)
	}
}

func TestProjectsAndUsers(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	byPath, _, err := f.gl.Projects.GetProject(project, nil)
	if err != nil {
		t.Fatal(err)
	}
	byID, _, err := f.gl.Projects.GetProject(int(byPath.ID), nil)
	if err != nil || byID.PathWithNamespace != project || byPath.Name != "incidents" {
		t.Errorf("project: %+v %v", byID, err)
	}
	if _, _, err := f.gl.Projects.GetProject("security/nope", nil); statusOf(err) != 404 {
		t.Errorf("unknown project: got %v", err)
	}
	me, _, err := f.gl.Users.CurrentUser()
	if err != nil || me.Username != "alice" {
		t.Errorf("current user: %+v %v", me, err)
	}
	f.srv.AddUser("bob", "")
	users, _, err := f.gl.Users.ListUsers(&gitlab.ListUsersOptions{Username: gitlab.Ptr("bob")})
	if err != nil || len(users) != 1 || users[0].Username != "bob" {
		t.Errorf("users?username=bob: %+v %v", users, err)
	}
}

func TestNotFoundMessages(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	tests := []struct{ path, want string }{
		{"/api/v4/projects/999", `{"message":"404 Project Not Found"}`},
		{"/api/v4/projects/security%2Fincidents/issues/42", `{"message":"404 Issue Not Found"}`},
		{"/api/v4/nothing/here", `{"error":"404 Not Found"}`},
	}
	for _, tt := range tests {
		resp, body := rawRequest(t, "GET", f.srv.URL()+tt.path, map[string]string{"PRIVATE-TOKEN": token}, nil)
		if resp.StatusCode != 404 || strings.TrimSpace(string(body)) != tt.want {
			t.Errorf("%s: got %d %s, want 404 %s", tt.path, resp.StatusCode, body, tt.want)
		}
	}
}

func TestAuthentication(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	f.srv.AddUser("reader", "glpat-reader", "read_api")
	url := f.srv.URL() + "/api/v4/projects/security%2Fincidents/issues"

	tests := []struct {
		name    string
		method  string
		header  map[string]string
		status  int
		wantSub string
	}{
		{"no token", "GET", nil, 401, `{"message":"401 Unauthorized"}`},
		{"wrong token", "GET", map[string]string{"PRIVATE-TOKEN": "nope"}, 401, `{"message":"401 Unauthorized"}`},
		{"bearer", "GET", map[string]string{"Authorization": "Bearer " + token}, 200, `[]`},
		{"read_api reads", "GET", map[string]string{"PRIVATE-TOKEN": "glpat-reader"}, 200, `[]`},
		{"read_api writes", "POST", map[string]string{"PRIVATE-TOKEN": "glpat-reader", "Content-Type": "application/json"}, 403,
			`{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.method == "POST" {
				body = strings.NewReader(`{"title":"x"}`)
			}
			resp, b := rawRequest(t, tt.method, url, tt.header, body)
			if resp.StatusCode != tt.status || strings.TrimSpace(string(b)) != tt.wantSub {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, b, tt.status, tt.wantSub)
			}
		})
	}

	// Through client-go: a read_api token can read but not write.
	reader := newClient(t, f.srv, "glpat-reader")
	if _, _, err := reader.Issues.ListProjectIssues(project, nil); err != nil {
		t.Errorf("read_api list: %v", err)
	}
	if _, _, err := reader.Issues.CreateIssue(project, &gitlab.CreateIssueOptions{Title: gitlab.Ptr("x")}); statusOf(err) != 403 {
		t.Errorf("read_api create: got %v, want 403", err)
	}

	// A revoked token is refused.
	f.srv.RevokeToken(token)
	_, _, err := f.gl.Users.CurrentUser()
	var er *gitlab.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 401 || !strings.Contains(string(er.Body), "invalid_token") {
		t.Errorf("revoked: got %v", err)
	}
	if got := f.srv.Creates("issue"); got != 0 {
		t.Errorf("creates: got %d, want 0", got)
	}
}

func TestRateLimitHeaders(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{RequestsPerMinute: 600})
	f.clock.Advance(15 * time.Second)
	var resp *gitlab.Response
	var err error
	for i := 0; i < 3; i++ {
		_, resp, err = f.gl.Users.CurrentUser()
		if err != nil {
			t.Fatal(err)
		}
	}
	h := resp.Header
	want := map[string]string{
		"RateLimit-Limit":     "600",
		"RateLimit-Observed":  "3",
		"RateLimit-Remaining": "597",
		"RateLimit-Reset":     strconv.FormatInt(t0.Add(time.Minute).Unix(), 10),
		"RateLimit-ResetTime": t0.Add(time.Minute).Format(http.TimeFormat),
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s: got %q, want %q", k, got, v)
		}
	}
}

func TestRequestLimitEnforced(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{RequestsPerMinute: 2, EnforceRequestLimit: true})
	for i := 0; i < 2; i++ {
		if _, _, err := f.gl.Users.CurrentUser(); err != nil {
			t.Fatal(err)
		}
	}
	_, resp, err := f.gl.Users.CurrentUser()
	if statusOf(err) != 429 || resp.Header.Get("Retry-After") != "60" {
		t.Errorf("third request: got %v, Retry-After %q", err, resp.Header.Get("Retry-After"))
	}
	f.clock.Advance(time.Minute)
	if _, _, err := f.gl.Users.CurrentUser(); err != nil {
		t.Errorf("next window: %v", err)
	}
}

func TestNoteRateLimit(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{NotesPerMinute: 3})
	is := f.createIncident(t, "x")
	f.clock.Advance(20 * time.Second)
	note := func() (*gitlab.Response, error) {
		_, resp, err := f.gl.Notes.CreateIssueNote(project, is.IID, &gitlab.CreateIssueNoteOptions{Body: gitlab.Ptr("n")})
		return resp, err
	}
	for i := 0; i < 3; i++ {
		if _, err := note(); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := note()
	var er *gitlab.ErrorResponse
	if !errors.As(err, &er) || resp.StatusCode != 429 {
		t.Fatalf("4th note: got %v, want 429", err)
	}
	if got := strings.TrimSpace(string(er.Body)); got != `{"message":{"error":"This endpoint has been requested too many times. Try again later."}}` {
		t.Errorf("body: %s", got)
	}
	if got, want := resp.Header.Get("Retry-After"), "40"; got != want {
		t.Errorf("Retry-After: got %q, want %q", got, want)
	}
	if got, want := resp.Header.Get("RateLimit-Reset"), strconv.FormatInt(t0.Add(time.Minute).Unix(), 10); got != want {
		t.Errorf("RateLimit-Reset: got %q, want %q", got, want)
	}
	if got := resp.Header.Get("RateLimit-Remaining"); got != "0" {
		t.Errorf("RateLimit-Remaining: got %q, want 0", got)
	}
	if got := len(f.srv.Notes(project, int(is.IID))); got != 3 {
		t.Errorf("notes stored: got %d, want 3", got)
	}

	// The next minute allows notes again.
	f.clock.Advance(40 * time.Second)
	if _, err := note(); err != nil {
		t.Errorf("after the window: %v", err)
	}
}
