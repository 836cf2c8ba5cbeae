package gitlab_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

func TestCheck(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	f.srv.AddUser("reader", "glpat-reader", "read_user")
	f.srv.AddUser("old", "glpat-old")
	f.srv.RevokeToken("glpat-old")

	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!DOCTYPE html><html><body>Welcome to nginx!</body></html>"))
	}))
	t.Cleanup(html.Close)
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://gitlab.example.com"+r.URL.Path, http.StatusMovedPermanently)
	}))
	t.Cleanup(redirect.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	tests := []struct {
		name      string
		url, tok  string
		project   string
		code      string
		check     func(*gitlab.APIError) bool
		wantInMsg string
	}{
		{name: "wrong token", url: f.srv.URL(), tok: "glpat-wrong", project: project, code: blotter.EUNAVAILABLE,
			check: func(e *gitlab.APIError) bool { return e.AuthFailed && e.Status == 401 && !e.Retryable }, wantInMsg: "refused the token"},
		{name: "revoked token", url: f.srv.URL(), tok: "glpat-old", project: project, code: blotter.EUNAVAILABLE,
			check: func(e *gitlab.APIError) bool { return e.AuthFailed && e.Status == 401 }, wantInMsg: "Token was revoked"},
		{name: "missing scope", url: f.srv.URL(), tok: "glpat-reader", project: project, code: blotter.EUNAVAILABLE,
			check: func(e *gitlab.APIError) bool { return e.AuthFailed && e.Status == 403 && e.Scope == "api read_api" }, wantInMsg: "api or read_api"},
		{name: "no such project", url: f.srv.URL(), tok: token, project: "security/nope", code: blotter.ENOTFOUND,
			check: func(e *gitlab.APIError) bool { return e.Status == 404 && !e.Retryable && !e.AuthFailed }, wantInMsg: `no project "security/nope"`},
		{name: "not a GitLab", url: html.URL, tok: token, project: project, code: blotter.EINVALID,
			check: func(e *gitlab.APIError) bool { return e.NotGitLab && !e.Retryable }, wantInMsg: "does not answer like GitLab's API"},
		{name: "redirect", url: redirect.URL, tok: token, project: project, code: blotter.EINVALID,
			check: func(e *gitlab.APIError) bool { return e.NotGitLab && e.Status == 301 }, wantInMsg: "redirects (301) to https://gitlab.example.com: use that address"},
		{name: "connection refused", url: refused, tok: token, project: project, code: blotter.EUNAVAILABLE,
			check: func(e *gitlab.APIError) bool { return e.Retryable && e.Status == 0 && !e.Uncertain }, wantInMsg: "cannot reach"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, tt.url, tt.tok)
			conn, err := c.Check(f.ctx, tt.project)
			if err == nil {
				t.Fatalf("got %+v, want an error", conn)
			}
			e := apiErr(t, err)
			if got := blotter.ErrorCode(err); got != tt.code {
				t.Errorf("code: got %q, want %q (%v)", got, tt.code, err)
			}
			if !tt.check(e) {
				t.Errorf("classification: got %+v", e)
			}
			if !strings.Contains(err.Error(), tt.wantInMsg) || !strings.HasPrefix(err.Error(), "gitlab: connect: ") {
				t.Errorf("message: got %q, want it to contain %q", err.Error(), tt.wantInMsg)
			}
			if blotter.ErrorMessage(err) != err.Error() {
				t.Errorf("person's message: got %q, want %q", blotter.ErrorMessage(err), err.Error())
			}
		})
	}

	t.Run("good token", func(t *testing.T) {
		conn, err := f.c.Check(f.ctx, project)
		if err != nil {
			t.Fatal(err)
		}
		if conn.User.Username != "alice" || conn.Project.Path != project || conn.Project.ID == 0 || conn.URL != f.srv.URL() {
			t.Errorf("connection: %+v", conn)
		}
	})
}

// TestCheckTokenScopes: where GitLab tells a token's scopes, Check refuses a read-only token
// before any write fails.
func TestCheckTokenScopes(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	f.srv.AddUser("reader", "glpat-reader", "read_api")
	ts := proxy(t, f.srv.URL(), func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/api/v4/personal_access_tokens/self" {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		scopes := `["api"]`
		if r.Header.Get("PRIVATE-TOKEN") == "glpat-reader" {
			scopes = `["read_api","read_user"]`
		}
		w.Write([]byte(`{"id":7,"name":"blotter","revoked":false,"active":true,"scopes":` + scopes + `}`))
		return true
	})

	conn, err := newClient(t, ts.URL, token).Check(f.ctx, project)
	if err != nil || strings.Join(conn.Scopes, ",") != "api" {
		t.Fatalf("api token: %+v %v", conn, err)
	}
	_, err = newClient(t, ts.URL, "glpat-reader").Check(f.ctx, project)
	if e := apiErr(t, err); !e.AuthFailed || e.Scope != "api" || !strings.Contains(err.Error(), "read_api, read_user but Blotter needs api") {
		t.Errorf("read_api token: got %+v", e)
	}
}

// TestReadScopeWrite: a read_api token can read, and a write says which scope is missing.
func TestReadScopeWrite(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	f.srv.AddUser("reader", "glpat-reader", "read_api")
	reader := f.as(t, "glpat-reader")
	if _, err := reader.Project(f.ctx, project); err != nil {
		t.Fatalf("read: %v", err)
	}
	_, err := reader.CreateIncident(f.ctx, project, "x", "", marker("a"))
	e := apiErr(t, err)
	if e.Status != 403 || !e.AuthFailed || e.Scope != "api" || e.Retryable || e.Uncertain || blotter.ErrorCode(err) != blotter.EUNAVAILABLE {
		t.Errorf("got %+v", e)
	}
	if want := "gitlab: create incident: 403 the token lacks the scope GitLab requires for this (api)"; err.Error() != want {
		t.Errorf("message: got %q, want %q", err.Error(), want)
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	for _, tt := range []struct{ url, tok string }{
		{"gitlab.example.com", token},
		{"ftp://gitlab.example.com", token},
		{"https://gitlab.example.com", " "},
	} {
		if _, err := gitlab.New(tt.url, tt.tok); blotter.ErrorCode(err) != blotter.EINVALID {
			t.Errorf("New(%q, %q): got %v, want EINVALID", tt.url, tt.tok, err)
		}
	}
	c, err := gitlab.New("https://example.com/gitlab/api/v4/", token)
	if err != nil || c.BaseURL() != "https://example.com/gitlab" {
		t.Errorf("base URL: got %v %v", c, err)
	}
}

func TestUserByUsername(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	bob := f.srv.AddUser("bob", "")
	u, err := f.c.UserByUsername(f.ctx, "@bob")
	if err != nil || u.ID != int64(bob.ID) || u.Username != "bob" {
		t.Fatalf("got %+v %v", u, err)
	}
	if _, err := f.c.UserByUsername(f.ctx, "nobody"); !gitlab.IsNotFound(err) {
		t.Errorf("nobody: got %v, want not found", err)
	}
}
