package gitlab_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

// TestRetryableFaults: what the engine learns from each fault of the fake.
func TestRetryableFaults(t *testing.T) {
	tests := []struct {
		name      string
		match     gitlabfake.Match
		fault     gitlabfake.Fault
		call      func(f *fixture) error
		retryable bool
		after     time.Duration
		uncertain bool
		status    int
	}{
		{"500 on a read", gitlabfake.OnRoute(gitlabfake.RouteGetCurrentUser), gitlabfake.Error500(),
			func(f *fixture) error { _, err := f.c.CurrentUser(f.ctx); return err }, true, 0, false, 500},
		{"500 on a create", gitlabfake.OnRoute(gitlabfake.RouteCreateIssue), gitlabfake.Error500(),
			func(f *fixture) error {
				_, err := f.c.CreateIssue(f.ctx, project, gitlab.NewIssue{Title: "t"}, marker("t"))
				return err
			}, true, 0, true, 500},
		{"502 on GraphQL", gitlabfake.OnGraphQL("issueSetSeverity"), gitlabfake.Status(502),
			func(f *fixture) error { return f.c.SetSeverity(f.ctx, project, 1, blotter.SeverityLow) }, true, 0, true, 502},
		{"429 with Retry-After", gitlabfake.OnRoute(gitlabfake.RouteCreateNote), gitlabfake.RateLimit(30 * time.Second),
			func(f *fixture) error { _, err := f.c.CreateNote(f.ctx, project, 1, "x", marker("n")); return err }, true, 30 * time.Second, false, 429},
		{"429 on GraphQL", gitlabfake.OnGraphQL("timelineEventCreate"), gitlabfake.RateLimit(2500 * time.Millisecond),
			func(f *fixture) error {
				_, err := f.c.CreateTimelineEvent(f.ctx, gitlab.IssueGID(1000), "x", t0, nil, marker("e"))
				return err
			}, true, 3 * time.Second, false, 429},
		{"429 without headers", gitlabfake.OnRoute(gitlabfake.RouteListIssues), gitlabfake.RateLimit(time.Minute).WithoutRateLimitHeaders(),
			func(f *fixture) error { _, err := f.c.Issues(f.ctx, project, nil, time.Time{}); return err }, true, 0, false, 429},
		{"dropped before commit", gitlabfake.OnRoute(gitlabfake.RouteEditIssue), gitlabfake.Drop(),
			func(f *fixture) error { _, err := f.c.CloseIncident(f.ctx, project, 1); return err }, true, 0, true, 0},
		{"slow answer", gitlabfake.OnRoute(gitlabfake.RouteGetProject), gitlabfake.Delay(100 * time.Millisecond),
			func(f *fixture) error {
				c, err := gitlab.New(f.srv.URL(), token, gitlab.WithTimeout(20*time.Millisecond))
				if err == nil {
					_, err = c.Project(f.ctx, project)
				}
				return err
			}, true, 0, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, gitlabfake.Options{})
			f.incident(t, "x")
			f.srv.Fail(tt.match, tt.fault)
			err := tt.call(f)
			if err == nil {
				t.Fatal("got no error")
			}
			e := apiErr(t, err)
			ok, after := gitlab.IsRetryable(err)
			if ok != tt.retryable || after != tt.after || e.Uncertain != tt.uncertain || e.Status != tt.status {
				t.Errorf("got retryable %v after %v, uncertain %v, status %d (%v); want %v %v %v %d",
					ok, after, e.Uncertain, e.Status, err, tt.retryable, tt.after, tt.uncertain, tt.status)
			}
			if blotter.ErrorCode(err) != blotter.EUNAVAILABLE || e.AuthFailed || !strings.HasPrefix(err.Error(), "gitlab: ") {
				t.Errorf("code %q, auth %v, message %q", blotter.ErrorCode(err), e.AuthFailed, err.Error())
			}
		})
	}
}

// TestRetryAfterForms reads Retry-After as seconds or an HTTP date, or RateLimit-Reset, against
// the client's clock.
func TestRetryAfterForms(t *testing.T) {
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		status int
		want   time.Duration
	}{
		{"seconds", map[string]string{"Retry-After": "12"}, 429, 12 * time.Second},
		{"HTTP date", map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)}, 429, 90 * time.Second},
		{"date in the past", map[string]string{"Retry-After": now.Add(-time.Hour).Format(http.TimeFormat)}, 429, 0},
		{"RateLimit-Reset", map[string]string{"RateLimit-Reset": "1740819645"}, 429, 45 * time.Second},
		{"Retry-After wins", map[string]string{"Retry-After": "5", "RateLimit-Reset": "1740819645"}, 429, 5 * time.Second},
		{"capped", map[string]string{"Retry-After": "999999"}, 429, gitlab.MaxRetryAfter},
		{"503 with Retry-After", map[string]string{"Retry-After": "7"}, 503, 7 * time.Second},
		{"nothing", nil, 429, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(tt.status)
				w.Write([]byte("Retry later\n"))
			}))
			defer ts.Close()
			c := newClient(t, ts.URL, token, gitlab.WithClock(func() time.Time { return now }))
			_, err := c.CurrentUser(context.Background())
			if ok, after := gitlab.IsRetryable(err); !ok || after != tt.want {
				t.Errorf("got %v after %v, want %v (%v)", ok, after, tt.want, err)
			}
		})
	}
}

// TestGraphQLErrorsAreErrors: client-go returns no error for a 200 answer with "errors"; this
// client does, classified.
func TestGraphQLErrorsAreErrors(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		code      string
		retryable bool
		uncertain bool
	}{
		{"validation", `{"errors":[{"message":"Field 'nope' doesn't exist on type 'Issue'","locations":[{"line":1,"column":3}]}]}`, blotter.EINVALID, false, false},
		{"payload", `{"data":{"issueSetSeverity":{"errors":["Severity is invalid"],"issue":null}}}`, blotter.EINVALID, false, false},
		{"resource", `{"data":{"issueSetSeverity":null},"errors":[{"message":"The resource that you are attempting to access does not exist or you don't have permission to perform this action"}]}`, blotter.ENOTFOUND, false, false},
		{"internal", `{"errors":[{"message":"Internal server error"}]}`, blotter.EUNAVAILABLE, true, true},
		{"timeout", `{"errors":[{"message":"Timeout on validation of query"}]}`, blotter.EUNAVAILABLE, true, true},
		{"not JSON", `<html>`, blotter.EINVALID, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if tt.name == "not JSON" {
					w.Header().Set("Content-Type", "text/html")
				}
				w.Write([]byte(tt.body))
			}))
			defer ts.Close()
			err := newClient(t, ts.URL, token).SetSeverity(context.Background(), project, 1, blotter.SeverityLow)
			if err == nil {
				t.Fatal("got no error")
			}
			e := apiErr(t, err)
			if e.Code != tt.code || e.Retryable != tt.retryable || e.Uncertain != tt.uncertain || e.Status != 200 {
				t.Errorf("got %+v", e)
			}
		})
	}
}

func TestGraphQLAuth(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	inc := f.incident(t, "x")
	f.srv.RevokeToken(token)
	_, err := f.c.TimelineEvents(f.ctx, project, inc.GID())
	if e := apiErr(t, err); !e.AuthFailed || e.Status != 401 || e.Retryable || !gitlab.IsAuthFailed(err) {
		t.Errorf("revoked token on GraphQL: %+v", e)
	}
}

func TestCancelled(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	// The fake notices a closed connection only once it reads the body, after the delay.
	f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteCreateIssue), gitlabfake.Delay(100*time.Millisecond))
	ctx, cancel := context.WithCancel(f.ctx)
	time.AfterFunc(10*time.Millisecond, cancel)
	_, err := f.c.CreateIssue(ctx, project, gitlab.NewIssue{Title: "x"}, marker("x"))
	if !errors.Is(err, context.Canceled) || gitlab.IsUncertain(err) != true {
		t.Errorf("got %v", err)
	}
	if ok, _ := gitlab.IsRetryable(err); ok {
		t.Error("a cancelled call is retryable")
	}
}

func TestRateLimitReported(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{RequestsPerMinute: 600})
	f.clock.Advance(15 * time.Second)
	if _, err := f.c.CurrentUser(f.ctx); err != nil {
		t.Fatal(err)
	}
	rl := f.c.RateLimit()
	if rl.Limit != 600 || rl.Remaining != 599 || !rl.Reset.Equal(t0.Add(time.Minute)) || !rl.Seen.Equal(t0.Add(15*time.Second)) {
		t.Errorf("rate limit: %+v", rl)
	}
}

// TestErrorCodes: the blotter code a person's tools see, for each status.
func TestErrorCodes(t *testing.T) {
	for _, tt := range []struct {
		status int
		body   string
		code   string
		msg    string
	}{
		{400, `{"message":{"title":["can't be blank","is too long (maximum is 255 characters)"]}}`, blotter.EINVALID,
			"400 title can't be blank, is too long (maximum is 255 characters)"},
		{400, `{"error":"title is missing"}`, blotter.EINVALID, "400 title is missing"},
		{403, `{"message":"403 Forbidden"}`, blotter.EINVALID, "403 Forbidden"},
		{404, `{"message":"404 Project Not Found"}`, blotter.ENOTFOUND, "404 Project Not Found"},
		{409, `{"message":"Issue(s) already assigned"}`, blotter.ECONFLICT, "409 Issue(s) already assigned"},
		{422, `{"message":"#3 cannot be added: cannot be related to itself"}`, blotter.EINVALID, "422 #3 cannot be added: cannot be related to itself"},
		{500, `<html>oops</html>`, blotter.EUNAVAILABLE, "500 Internal Server Error"},
	} {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ct := "application/json"
			if strings.HasPrefix(tt.body, "<") {
				ct = "text/html"
			}
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(tt.status)
			w.Write([]byte(tt.body))
		}))
		_, err := newClient(t, ts.URL, token).CreateNote(context.Background(), project, 1, "x", marker("x"))
		ts.Close()
		if blotter.ErrorCode(err) != tt.code || err.Error() != "gitlab: create note: "+tt.msg {
			t.Errorf("%d: got %q (%s), want %q (%s)", tt.status, err, blotter.ErrorCode(err), tt.msg, tt.code)
		}
	}
}
