package gitlab_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

const (
	project = "security/incidents"
	token   = "glpat-alice"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// fixture is a fake GitLab with one project, the user alice, and a client acting as alice.
type fixture struct {
	srv   *gitlabfake.Server
	clock *gitlabfake.ManualClock
	c     *gitlab.Client
	ctx   context.Context
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
	return &fixture{srv: srv, clock: clock, c: newClient(t, srv.URL(), token, gitlab.WithClock(clock.Now)), ctx: context.Background()}
}

func newClient(t *testing.T, baseURL, tok string, opts ...gitlab.Option) *gitlab.Client {
	t.Helper()
	c, err := gitlab.New(baseURL, tok, opts...)
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	return c
}

// as returns a client acting with another token.
func (f *fixture) as(t *testing.T, tok string, opts ...gitlab.Option) *gitlab.Client {
	t.Helper()
	return newClient(t, f.srv.URL(), tok, append([]gitlab.Option{gitlab.WithClock(f.clock.Now)}, opts...)...)
}

func (f *fixture) incident(t *testing.T, title string) *gitlab.Issue {
	t.Helper()
	is, err := f.c.CreateIncident(f.ctx, project, title, "Opened from Blotter", marker(fmt.Sprintf("inc-%x", title)))
	if err != nil {
		t.Fatalf("create incident: %v", err)
	}
	return is
}

// marker is a marker as the sync engine derives it from a subject id.
func marker(id string) string { return "blotter:" + id }

// apiErr returns err as an *APIError, failing the test if it is not one.
func apiErr(t *testing.T, err error) *gitlab.APIError {
	t.Helper()
	var e *gitlab.APIError
	if !errors.As(err, &e) {
		t.Fatalf("got %T %v, want an *APIError", err, err)
	}
	return e
}

// proxy serves handle's answers where it returns true and passes everything else to target,
// streaming bodies both ways.
func proxy(t *testing.T, target string, handle func(w http.ResponseWriter, r *http.Request) bool) *httptest.Server {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.FlushInterval = -1
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if handle != nil && handle(w, r) {
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// countMarked counts the objects of a kind that carry a marker.
func countMarked[T any](list []T, has func(T) bool) int {
	n := 0
	for _, x := range list {
		if has(x) {
			n++
		}
	}
	return n
}
