package gitlab_test

import (
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

// onlyPage returns the project's only wiki page, failing the test if there are others.
func onlyPage(t *testing.T, f *fixture) gitlabfake.WikiPage {
	t.Helper()
	pages := f.srv.WikiPages(project)
	if len(pages) != 1 {
		t.Fatalf("wiki pages: got %+v, want exactly one", pages)
	}
	return pages[0]
}

func TestPutWikiPageCreatesThenUpdates(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	w, err := f.c.PutWikiPage(f.ctx, project, "Credential stuffing", "# Review\n\nv1")
	if err != nil {
		t.Fatal(err)
	}
	want := gitlab.WikiPage{Title: "Credential stuffing", Slug: "Credential-stuffing", WebURL: f.srv.URL() + "/security/incidents/-/wikis/Credential-stuffing"}
	if *w != want {
		t.Errorf("created: got %+v, want %+v", *w, want)
	}
	if p := onlyPage(t, f); p.Content != "# Review\n\nv1" || p.Format != "markdown" || p.WebURL != w.WebURL || p.Author != "alice" {
		t.Errorf("stored: %+v", p)
	}

	// The same title again: the page is updated, not duplicated.
	f.clock.Advance(time.Minute)
	f.srv.ResetStats()
	w2, err := f.c.PutWikiPage(f.ctx, project, "Credential stuffing", "# Review\n\nv2")
	if err != nil {
		t.Fatal(err)
	}
	if *w2 != want {
		t.Errorf("updated: got %+v, want %+v", *w2, want)
	}
	if p := onlyPage(t, f); p.Content != "# Review\n\nv2" || !p.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("stored after update: %+v", p)
	}
	st := f.srv.Stats()
	if st.Requests[gitlabfake.RouteCreateWiki] != 0 || st.Requests[gitlabfake.RouteEditWiki] != 1 || st.Requests[gitlabfake.RouteGetWiki] != 1 {
		t.Errorf("requests: %+v", st.Requests)
	}
}

func TestPutWikiPageNested(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	w, err := f.c.PutWikiPage(f.ctx, project, "Runbooks/Credential stuffing", "1. Block the IPs")
	if err != nil {
		t.Fatal(err)
	}
	want := gitlab.WikiPage{Title: "Credential stuffing", Slug: "Runbooks/Credential-stuffing",
		WebURL: f.srv.URL() + "/security/incidents/-/wikis/Runbooks/Credential-stuffing"}
	if *w != want {
		t.Errorf("created: got %+v, want %+v", *w, want)
	}
	// Updating keeps the page in its directory (GitLab would move it out if the edit left the
	// title out).
	w, err = f.c.PutWikiPage(f.ctx, project, "Runbooks/Credential stuffing", "1. Block the IPs\n2. Reset passwords")
	if err != nil || *w != want {
		t.Fatalf("updated: got %+v %v, want %+v", w, err, want)
	}
	if p := onlyPage(t, f); p.Slug != want.Slug || !strings.HasSuffix(p.Content, "Reset passwords") {
		t.Errorf("stored: %+v", p)
	}
}

// TestPutWikiPageOtherCase: GitLab finds a page whatever the case of its title and refuses a
// second one that differs only in case; the page that is there is updated under its own name.
func TestPutWikiPageOtherCase(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	if _, err := f.srv.As("bob").CreateWikiPage(project, "runbooks/deploy key leak", "old"); err != nil {
		t.Fatal(err)
	}
	w, err := f.c.PutWikiPage(f.ctx, project, "Runbooks/Deploy key leak", "new")
	if err != nil {
		t.Fatal(err)
	}
	if w.Slug != "runbooks/deploy-key-leak" || w.Title != "deploy key leak" || !strings.HasSuffix(w.WebURL, "/-/wikis/runbooks/deploy-key-leak") {
		t.Errorf("got %+v", w)
	}
	if p := onlyPage(t, f); p.Content != "new" || p.UpdatedBy != "alice" {
		t.Errorf("stored: %+v", p)
	}
}

// TestPutWikiPageAppearsMeanwhile: when the page is created between the look-up and the
// create, GitLab refuses the create as a duplicate and the page is updated instead.
func TestPutWikiPageAppearsMeanwhile(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	if _, err := f.srv.As("bob").CreateWikiPage(project, "Runbooks/Leaked key", "bob's"); err != nil {
		t.Fatal(err)
	}
	// The look-up misses it, as if it had not been there yet.
	f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteGetWiki), gitlabfake.Status(404))
	w, err := f.c.PutWikiPage(f.ctx, project, "Runbooks/Leaked key", "alice's")
	if err != nil {
		t.Fatal(err)
	}
	if w.Slug != "Runbooks/Leaked-key" || onlyPage(t, f).Content != "alice's" {
		t.Errorf("got %+v, stored %+v", w, onlyPage(t, f))
	}
	if st := f.srv.Stats(); st.Requests[gitlabfake.RouteCreateWiki] != 1 || st.Requests[gitlabfake.RouteEditWiki] != 1 || st.Creates["wiki_page"] != 0 {
		t.Errorf("stats: %+v", st)
	}

	// If that page's title differs in case, GitLab takes the edit for a rename onto it and
	// answers 200 with nothing: a conflict, and the page is left alone.
	f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteGetWiki), gitlabfake.Status(404))
	_, err = f.c.PutWikiPage(f.ctx, project, "runbooks/leaked key", "carol's")
	if e := apiErr(t, err); !gitlab.IsConflict(err) || e.Op != "update wiki page" || e.Retryable || e.Uncertain {
		t.Errorf("case clash: got %+v", e)
	}
	if p := onlyPage(t, f); p.Content != "alice's" {
		t.Errorf("stored after the clash: %+v", p)
	}
}

// TestPutWikiPageReadOnlyToken: a read_api token can look the page up but not write it, and
// the error names the scope.
func TestPutWikiPageReadOnlyToken(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	f.srv.AddUser("reader", "glpat-reader", "read_api")
	reader := f.as(t, "glpat-reader")

	_, err := reader.PutWikiPage(f.ctx, project, "Credential stuffing", "x")
	e := apiErr(t, err)
	if e.Status != 403 || !e.AuthFailed || e.Scope != "api" || e.Retryable || e.Uncertain || blotter.ErrorCode(err) != blotter.EUNAVAILABLE {
		t.Errorf("create: got %+v", e)
	}
	if want := "gitlab: create wiki page: 403 the token lacks the scope GitLab requires for this (api)"; err.Error() != want {
		t.Errorf("message: got %q, want %q", err.Error(), want)
	}
	if pages := f.srv.WikiPages(project); len(pages) != 0 {
		t.Errorf("pages: %+v", pages)
	}

	// The same when the page exists and would be updated.
	if _, err := f.c.PutWikiPage(f.ctx, project, "Credential stuffing", "v1"); err != nil {
		t.Fatal(err)
	}
	_, err = reader.PutWikiPage(f.ctx, project, "Credential stuffing", "v2")
	if e := apiErr(t, err); e.Op != "update wiki page" || !e.AuthFailed || e.Scope != "api" {
		t.Errorf("update: got %+v", e)
	}
	if p := onlyPage(t, f); p.Content != "v1" {
		t.Errorf("stored: %+v", p)
	}
}

func TestPutWikiPageFaults(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})

	// A 500 on the create: retryable, and uncertain since it is a write.
	f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteCreateWiki), gitlabfake.Error500())
	_, err := f.c.PutWikiPage(f.ctx, project, "Runbooks/Credential stuffing", "v1")
	if ok, _ := gitlab.IsRetryable(err); !ok || !gitlab.IsUncertain(err) || apiErr(t, err).Status != 500 || apiErr(t, err).Op != "create wiki page" {
		t.Errorf("500 on create: got %+v", err)
	}
	if pages := f.srv.WikiPages(project); len(pages) != 0 {
		t.Fatalf("pages after a 500: %+v", pages)
	}

	// A 500 on the look-up: retryable, certain, and nothing is written.
	f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteGetWiki), gitlabfake.Error500())
	_, err = f.c.PutWikiPage(f.ctx, project, "Runbooks/Credential stuffing", "v1")
	if ok, _ := gitlab.IsRetryable(err); !ok || gitlab.IsUncertain(err) || apiErr(t, err).Op != "get wiki page" {
		t.Errorf("500 on get: got %+v", err)
	}
	if n := f.srv.Requests(gitlabfake.RouteCreateWiki); n != 1 {
		t.Errorf("creates tried: %d, want 1", n)
	}

	// An answer lost after the page was made: repeating the call updates that page.
	f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteCreateWiki), gitlabfake.DropAfterCommit())
	_, err = f.c.PutWikiPage(f.ctx, project, "Runbooks/Credential stuffing", "v1")
	if ok, _ := gitlab.IsRetryable(err); !ok || !gitlab.IsUncertain(err) {
		t.Fatalf("dropped create: got %v", err)
	}
	w, err := f.c.PutWikiPage(f.ctx, project, "Runbooks/Credential stuffing", "v1")
	if err != nil || w.Slug != "Runbooks/Credential-stuffing" {
		t.Fatalf("retry: %+v %v", w, err)
	}
	if p := onlyPage(t, f); p.Content != "v1" || f.srv.Creates("wiki_page") != 1 {
		t.Errorf("after the retry: %+v, %d creates", p, f.srv.Creates("wiki_page"))
	}
}

func TestPutWikiPageBadInput(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	for _, title := range []string{"", "   ", "/", "..", " / / "} {
		if _, err := f.c.PutWikiPage(f.ctx, project, title, "x"); blotter.ErrorCode(err) != blotter.EINVALID {
			t.Errorf("title %q: got %v, want EINVALID", title, err)
		}
	}
	if _, err := f.c.PutWikiPage(f.ctx, "", "x", "x"); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("no project: got %v, want EINVALID", err)
	}
	if st := f.srv.Stats(); len(st.Requests) != 0 {
		t.Errorf("bad input reached GitLab: %+v", st.Requests)
	}

	if _, err := f.c.PutWikiPage(f.ctx, "security/nothing", "x", "x"); !gitlab.IsNotFound(err) {
		t.Errorf("missing project: got %v, want not found", err)
	}
	// GitLab's own refusal: a title part longer than it allows.
	_, err := f.c.PutWikiPage(f.ctx, project, strings.Repeat("x", 300), "x")
	if e := apiErr(t, err); e.Status != 400 || blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(e.Message, "exceeds the limit of 245 bytes") {
		t.Errorf("long title: got %+v", e)
	}
}
