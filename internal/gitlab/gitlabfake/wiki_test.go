package gitlabfake_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	gitlab "gitlab.com/gitlab-org/api/client-go"

	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

// wikiURL is the REST URL of the test project's wiki, plus rest.
func wikiURL(f *fixture, rest string) string {
	return f.srv.URL() + "/api/v4/projects/security%2Fincidents/wikis" + rest
}

var jsonAuth = map[string]string{"PRIVATE-TOKEN": token, "Content-Type": "application/json"}

func TestWikiLifecycle(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})

	// The exact answer of a create: Entities::WikiPage.
	resp, body := rawRequest(t, "POST", wikiURL(f, ""), jsonAuth, strings.NewReader(`{"title":"deploy","content":"Deploy steps"}`))
	if want := `{"format":"markdown","slug":"deploy","title":"deploy","content":"Deploy steps","encoding":"UTF-8","front_matter":{}}`; resp.StatusCode != 201 || strings.TrimSpace(string(body)) != want {
		t.Errorf("create: got %d %s, want 201 %s", resp.StatusCode, body, want)
	}

	// A nested title: spaces become '-', case is kept, the title GitLab
	// answers is the last part.
	w, gresp, err := f.gl.Wikis.CreateWikiPage(project, &gitlab.CreateWikiPageOptions{
		Title: gitlab.Ptr("Runbooks/Credential  stuffing "), Content: gitlab.Ptr("# Steps"),
	})
	if err != nil || gresp.StatusCode != 201 {
		t.Fatalf("create nested: %v", err)
	}
	if w.Slug != "Runbooks/Credential-stuffing" || w.Title != "Credential stuffing" || w.Format != gitlab.WikiFormatMarkdown || w.Content != "# Steps" || w.Encoding != "UTF-8" {
		t.Errorf("nested page: %+v", w)
	}
	stored, ok := f.srv.WikiPage(project, "Runbooks/Credential-stuffing")
	if !ok || stored.Author != "alice" || stored.WebURL != f.srv.URL()+"/security/incidents/-/wikis/Runbooks/Credential-stuffing" {
		t.Errorf("stored: %+v %v", stored, ok)
	}

	// client-go escapes the slash in the slug (a%2Fb); GitLab also takes it
	// as plain path segments, and finds a page whatever the case.
	if got, _, err := f.gl.Wikis.GetWikiPage(project, "Runbooks/Credential-stuffing", nil); err != nil || got.Content != "# Steps" {
		t.Errorf("get escaped: %+v %v", got, err)
	}
	for _, p := range []string{"/Runbooks/Credential-stuffing", "/runbooks%2Fcredential-stuffing", "/Runbooks%2FCredential%20stuffing"} {
		resp, body := rawRequest(t, "GET", wikiURL(f, p), jsonAuth, nil)
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"slug":"Runbooks/Credential-stuffing"`) {
			t.Errorf("GET %s: %d %s", p, resp.StatusCode, body)
		}
	}

	// Listing: by file path, without content unless asked.
	resp, body = rawRequest(t, "GET", wikiURL(f, ""), jsonAuth, nil)
	if want := `[{"format":"markdown","slug":"Runbooks/Credential-stuffing","title":"Credential stuffing"},{"format":"markdown","slug":"deploy","title":"deploy"}]`; resp.StatusCode != 200 || strings.TrimSpace(string(body)) != want {
		t.Errorf("list: got %d %s, want %s", resp.StatusCode, body, want)
	}
	list, _, err := f.gl.Wikis.ListWikis(project, &gitlab.ListWikisOptions{WithContent: gitlab.Ptr(true)})
	if err != nil || len(list) != 2 || list[0].Content != "# Steps" || list[1].Content != "Deploy steps" {
		t.Errorf("list with content: %+v %v", list, err)
	}

	// Edit the nested page by its slug.
	f.clock.Advance(time.Minute)
	w, _, err = f.gl.Wikis.EditWikiPage(project, "Runbooks/Credential-stuffing", &gitlab.EditWikiPageOptions{
		Title: gitlab.Ptr("Runbooks/Credential stuffing"), Content: gitlab.Ptr("# Steps\n\n1. Block the IPs"),
	})
	if err != nil || w.Slug != "Runbooks/Credential-stuffing" || w.Content != "# Steps\n\n1. Block the IPs" {
		t.Fatalf("edit: %+v %v", w, err)
	}
	if stored, _ := f.srv.WikiPage(project, "Runbooks/Credential-stuffing"); stored.Content != w.Content || !stored.UpdatedAt.Equal(t0.Add(time.Minute)) || stored.CreatedAt.Equal(stored.UpdatedAt) {
		t.Errorf("stored after edit: %+v", stored)
	}
	if _, _, err := f.gl.Wikis.EditWikiPage(project, "nothing", &gitlab.EditWikiPageOptions{Content: gitlab.Ptr("x")}); !errors.Is(err, gitlab.ErrNotFound) {
		t.Errorf("edit missing: got %v, want 404", err)
	}

	// Delete, then it is gone.
	gresp, err = f.gl.Wikis.DeleteWikiPage(project, "Runbooks/Credential-stuffing")
	if err != nil || gresp.StatusCode != 204 {
		t.Fatalf("delete: %v", err)
	}
	resp, body = rawRequest(t, "GET", wikiURL(f, "/Runbooks%2FCredential-stuffing"), jsonAuth, nil)
	if want := `{"message":"404 Wiki Page Not Found"}`; resp.StatusCode != 404 || strings.TrimSpace(string(body)) != want {
		t.Errorf("get deleted: %d %s, want 404 %s", resp.StatusCode, body, want)
	}
	if _, err := f.gl.Wikis.DeleteWikiPage(project, "Runbooks/Credential-stuffing"); !errors.Is(err, gitlab.ErrNotFound) {
		t.Errorf("delete again: got %v, want 404", err)
	}

	if got := f.srv.WikiPages(project); len(got) != 1 || got[0].Slug != "deploy" {
		t.Errorf("pages left: %+v", got)
	}
	st := f.srv.Stats()
	if st.Creates["wiki_page"] != 2 || st.Requests[gitlabfake.RouteEditWiki] != 2 || st.Requests[gitlabfake.RouteDeleteWiki] != 2 || st.Requests[gitlabfake.RouteListWikis] != 2 {
		t.Errorf("stats: %+v", st)
	}
}

func TestWikiValidation(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	if _, err := f.srv.As("bob").CreateWikiPage(project, "Deploy", "x"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"nothing", "POST", "", `{}`, 400, `{"error":"title is missing, content is missing"}`},
		{"no content", "POST", "", `{"title":"x"}`, 400, `{"error":"content is missing"}`},
		{"blank title", "POST", "", `{"title":"  ","content":"x"}`, 400, `{"message":{"title":["can't be blank"]}}`},
		{"bad format", "POST", "", `{"title":"x","content":"x","format":"textile"}`, 400, `{"error":"format does not have a valid value"}`},
		{"long title", "POST", "", `{"title":"` + strings.Repeat("x", 246) + `","content":"x"}`, 400, `{"message":{"title":["exceeds the limit of 245 bytes"]}}`},
		{"same title in another case", "POST", "", `{"title":"deploy","content":"x","format":"org"}`, 400,
			`{"message":{"base":["Duplicate page: A page with that title already exists in the file deploy.org"]}}`},
		{"edit missing page", "PUT", "/nothing", `{"content":"x"}`, 404, `{"message":"404 Wiki Page Not Found"}`},
		{"edit blank title", "PUT", "/Deploy", `{"title":""}`, 400, `{"message":{"title":["can't be blank"]}}`},
		{"bad with_content", "GET", "?with_content=maybe", ``, 400, `{"error":"with_content is invalid"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := rawRequest(t, tt.method, wikiURL(f, tt.path), jsonAuth, strings.NewReader(tt.body))
			if resp.StatusCode != tt.status || strings.TrimSpace(string(body)) != tt.want {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, body, tt.status, tt.want)
			}
		})
	}
	if got := f.srv.WikiPages(project); len(got) != 1 || got[0].Content != "x" || f.srv.Creates("wiki_page") != 0 {
		t.Errorf("pages: %+v", got)
	}
}

// TestWikiEditRules: what an edit does to a page's place, format and front
// matter, as GitLab's WikiPage#update does it.
func TestWikiEditRules(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	mk := func(title, format string) {
		t.Helper()
		opt := &gitlab.CreateWikiPageOptions{Title: gitlab.Ptr(title), Content: gitlab.Ptr("text")}
		if format != "" {
			opt.Format = gitlab.Ptr(gitlab.WikiFormatValue(format))
		}
		if _, _, err := f.gl.Wikis.CreateWikiPage(project, opt); err != nil {
			t.Fatalf("create %q: %v", title, err)
		}
	}
	edit := func(slug, body string) (int, string) {
		t.Helper()
		resp, b := rawRequest(t, "PUT", wikiURL(f, "/"+strings.ReplaceAll(slug, "/", "%2F")), jsonAuth, strings.NewReader(body))
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	mk("Runbooks/Deploy", "rdoc")
	mk("Runbooks/Rollback", "")
	mk("Credential stuffing", "")

	// An edit that does not name the format makes the page Markdown.
	if code, b := edit("Runbooks/Deploy", `{"title":"Runbooks/Deploy","content":"new"}`); code != 200 || !strings.Contains(b, `"format":"markdown","slug":"Runbooks/Deploy"`) {
		t.Errorf("edit without format: %d %s", code, b)
	}
	// A title without a directory keeps the page in its directory.
	if code, b := edit("Runbooks/Deploy", `{"title":"Deploy v2"}`); code != 200 || !strings.Contains(b, `"slug":"Runbooks/Deploy-v2"`) {
		t.Errorf("rename in directory: %d %s", code, b)
	}
	// Without a title, GitLab writes the page at its base name, out of its
	// directory.
	if code, b := edit("Runbooks/Deploy-v2", `{"content":"moved"}`); code != 200 || !strings.Contains(b, `"slug":"Deploy-v2"`) {
		t.Errorf("edit nested without title: %d %s", code, b)
	}
	// A rename onto another page is refused with 200 and a null body, and
	// so is a rename that only changes case.
	for _, title := range []string{"Runbooks/Rollback", "credential stuffing"} {
		slug := "Deploy-v2"
		if title == "credential stuffing" {
			slug = "Credential-stuffing"
		}
		before, _ := f.srv.WikiPage(project, slug)
		if code, b := edit(slug, `{"title":"`+title+`","content":"clobbered"}`); code != 200 || b != "null" {
			t.Errorf("rename %s onto %q: %d %s", slug, title, code, b)
		}
		if after, _ := f.srv.WikiPage(project, slug); after != before {
			t.Errorf("refused rename changed the page: %+v", after)
		}
	}
	// The same title is no rename.
	if code, b := edit("Credential-stuffing", `{"title":"Credential stuffing","content":"v2"}`); code != 200 || !strings.Contains(b, `"content":"v2"`) {
		t.Errorf("same title: %d %s", code, b)
	}

	// Front matter goes before the content and is answered parsed.
	resp, b := rawRequest(t, "POST", wikiURL(f, ""), jsonAuth, strings.NewReader(`{"title":"Review","content":"Body","front_matter":{"title":"Review: INC-7"}}`))
	want := `"content":"---\ntitle: 'Review: INC-7'\n---\nBody","encoding":"UTF-8","front_matter":{"title":"Review: INC-7"}}`
	if resp.StatusCode != 201 || !strings.HasSuffix(strings.TrimSpace(string(b)), want) {
		t.Errorf("front matter: %d %s, want ...%s", resp.StatusCode, b, want)
	}
	// A new front matter replaces the old one and keeps the body.
	if code, b := edit("Review", `{"front_matter":{"title":"Review"}}`); code != 200 || !strings.Contains(b, `"content":"---\ntitle: Review\n---\nBody"`) {
		t.Errorf("front matter edit: %d %s", code, b)
	}
}

func TestWikiScopesAndFaults(t *testing.T) {
	f := newFixture(t, gitlabfake.Options{})
	if _, err := f.srv.As("bob").CreateWikiPage(project, "Runbooks/Deploy", "v1"); err != nil {
		t.Fatal(err)
	}

	// A read_api token reads the wiki but may not write it.
	f.srv.AddUser("reader", "glpat-reader", "read_api")
	reader := newClient(t, f.srv, "glpat-reader")
	if list, _, err := reader.Wikis.ListWikis(project, nil); err != nil || len(list) != 1 {
		t.Errorf("read_api list: %v %v", list, err)
	}
	if _, _, err := reader.Wikis.GetWikiPage(project, "Runbooks/Deploy", nil); err != nil {
		t.Errorf("read_api get: %v", err)
	}
	_, _, err := reader.Wikis.CreateWikiPage(project, &gitlab.CreateWikiPageOptions{Title: gitlab.Ptr("x"), Content: gitlab.Ptr("x")})
	var er *gitlab.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 403 || !strings.Contains(string(er.Body), `"scope":"api"`) {
		t.Errorf("read_api create: got %v", err)
	}
	if _, _, err := reader.Wikis.EditWikiPage(project, "Runbooks/Deploy", &gitlab.EditWikiPageOptions{Content: gitlab.Ptr("x")}); statusOf(err) != 403 {
		t.Errorf("read_api edit: got %v, want 403", err)
	}
	if _, err := reader.Wikis.DeleteWikiPage(project, "Runbooks/Deploy"); statusOf(err) != 403 {
		t.Errorf("read_api delete: got %v, want 403", err)
	}

	// Faults match the wiki routes, escaped slug or not.
	f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteGetWiki), gitlabfake.Status(503).Times(2))
	if _, _, err := f.gl.Wikis.GetWikiPage(project, "Runbooks/Deploy", nil); statusOf(err) != 503 {
		t.Errorf("get escaped: got %v, want 503", err)
	}
	if resp, _ := rawRequest(t, "GET", wikiURL(f, "/Runbooks/Deploy"), jsonAuth, nil); resp.StatusCode != 503 {
		t.Errorf("get plain: got %d, want 503", resp.StatusCode)
	}
	f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteCreateWiki), gitlabfake.Error500())
	if _, _, err := f.gl.Wikis.CreateWikiPage(project, &gitlab.CreateWikiPageOptions{Title: gitlab.Ptr("Review"), Content: gitlab.Ptr("x")}); statusOf(err) != 500 {
		t.Errorf("create with 500: got %v", err)
	}
	if _, ok := f.srv.WikiPage(project, "Review"); ok {
		t.Error("a 500 before commit stored the page")
	}
	// Dropped after commit: the edit is applied though the client saw none.
	f.srv.Fail(gitlabfake.OnRoute(gitlabfake.RouteEditWiki), gitlabfake.DropAfterCommit())
	if _, _, err := f.gl.Wikis.EditWikiPage(project, "Runbooks/Deploy", &gitlab.EditWikiPageOptions{Title: gitlab.Ptr("Runbooks/Deploy"), Content: gitlab.Ptr("v2")}); err == nil || statusOf(err) != 0 {
		t.Errorf("edit dropped: got %v, want a connection error", err)
	}
	if w, _ := f.srv.WikiPage(project, "Runbooks/Deploy"); w.Content != "v2" {
		t.Errorf("after a drop after commit: %+v", w)
	}
}
