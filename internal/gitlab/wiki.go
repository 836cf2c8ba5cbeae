package gitlab

// Project wiki pages: runbooks and incident reviews published to the project's wiki.
// https://docs.gitlab.com/api/wikis/
//
// GitLab keeps a wiki as files in a Git repository. A page's slug is its file's path without
// extension, which GitLab derives from the title (each part between slashes squished, the path
// normalised, spaces turned into '-', case kept). Pages are found by title or slug regardless of
// case, and the title GitLab answers is only the slug's last part. See app/models/wiki.rb and
// app/models/wiki_page.rb in GitLab's source.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"

	glapi "gitlab.com/gitlab-org/api/client-go"

	"github.com/blotterapp/blotter/internal/blotter"
)

// PutWikiPage writes content, as Markdown, to the page of the project's wiki that title names:
// it creates the page, or replaces the content of the page that is there. A title with slashes
// names a page in a directory ("Runbooks/Credential stuffing"). Content is sent as given: pass
// it through blotter.MaskSecrets first. A page whose title differs only in case is the one
// GitLab finds, and it is updated under its own name.
//
// Putting the same page again is harmless, so a call that failed in any way, Uncertain
// included, may simply be repeated. It makes three requests (the project, for the page's
// address; the page; the write) and a fourth when someone creates the page between the look-up
// and the create. Errors: EINVALID for a title that names no page or that GitLab refuses,
// ENOTFOUND when the project does not exist, AuthFailed for a token that may not write.
func (c *Client) PutWikiPage(ctx context.Context, project, title, content string) (*WikiPage, error) {
	const op = "put wiki page"
	if err := checkProject(op, project); err != nil {
		return nil, err
	}
	slug := wikiSlug(title)
	if slug == "" {
		return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: fmt.Sprintf("the title %q names no wiki page", title)}
	}
	// GitLab's wiki answers carry no address: it is built on the project's.
	p, err := c.Project(ctx, project)
	if err != nil {
		return nil, err
	}

	w, err := c.getWikiPage(ctx, project, slug)
	switch {
	case err == nil:
		w, err = c.editWikiPage(ctx, project, w.Slug, content)
	case IsNotFound(err):
		w, err = c.createWikiPage(ctx, project, title, content)
		if isDuplicatePage(err) {
			// The page appeared after the look-up: update it instead.
			w, err = c.editWikiPage(ctx, project, slug, content)
		}
	}
	if err != nil {
		return nil, err
	}
	return &WikiPage{Title: w.Title, Slug: w.Slug, WebURL: wikiPageURL(p.WebURL, w.Slug)}, nil
}

func (c *Client) getWikiPage(ctx context.Context, project, slug string) (*glapi.Wiki, error) {
	const op = "get wiki page"
	var w *glapi.Wiki
	err := c.rest(ctx, op, false, func(o glapi.RequestOptionFunc) (err error) {
		w, _, err = c.gl.Wikis.GetWikiPage(project, slug, nil, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	return w, noWikiPage(op, w)
}

func (c *Client) createWikiPage(ctx context.Context, project, title, content string) (*glapi.Wiki, error) {
	const op = "create wiki page"
	opt := &glapi.CreateWikiPageOptions{
		Title:   glapi.Ptr(title),
		Content: glapi.Ptr(content),
		Format:  glapi.Ptr(glapi.WikiFormatMarkdown),
	}
	var w *glapi.Wiki
	err := c.rest(ctx, op, true, func(o glapi.RequestOptionFunc) (err error) {
		w, _, err = c.gl.Wikis.CreateWikiPage(project, opt, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	return w, noWikiPage(op, w)
}

// editWikiPage replaces the content of the page at slug. The title sent is the slug itself,
// which GitLab reads as the page's whole path, so the page stays where it is: GitLab moves a
// page whose title changes, takes an edit without a title as a move to the page's base name
// (out of its directory), and refuses a title that differs from the page's only in case.
// Format is sent too, since an edit that does not name one turns the page into Markdown anyway.
func (c *Client) editWikiPage(ctx context.Context, project, slug, content string) (*glapi.Wiki, error) {
	const op = "update wiki page"
	opt := &glapi.EditWikiPageOptions{
		Title:   glapi.Ptr(slug),
		Content: glapi.Ptr(content),
		Format:  glapi.Ptr(glapi.WikiFormatMarkdown),
	}
	var w *glapi.Wiki
	err := c.rest(ctx, op, true, func(o glapi.RequestOptionFunc) (err error) {
		w, _, err = c.gl.Wikis.EditWikiPage(project, slug, opt, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	if w == nil {
		// GitLab answers a refused rename with 200 and a null body, having changed nothing.
		return nil, &APIError{Op: op, Status: http.StatusOK, Code: blotter.ECONFLICT,
			Message: fmt.Sprintf("GitLab did not update the wiki page %q: it took the change for a rename onto another page", slug)}
	}
	return w, nil
}

// noWikiPage reports an answer that decoded to no page (a null body).
func noWikiPage(op string, w *glapi.Wiki) error {
	if w != nil {
		return nil
	}
	return &APIError{Op: op, Status: http.StatusOK, Code: blotter.EINTERNAL, Message: "GitLab answered without the wiki page"}
}

// isDuplicatePage reports GitLab's refusal to create a page that exists: 400 "Duplicate page: A
// page with that title already exists …" (or a 409 from something in between).
func isDuplicatePage(err error) bool {
	e, ok := errorsAs[*APIError](err)
	return ok && (e.Code == blotter.ECONFLICT || (e.Status == http.StatusBadRequest && strings.Contains(strings.ToLower(e.Message), "already exists")))
}

// wikiSlug is the slug GitLab gives a page created with title: WikiPage#process_title (each
// part between slashes squished) then Wiki.sluggified_title (the path made absolute and
// normalised, then relative again, spaces turned into '-'). It returns "" for a title that
// names no page, such as "", "/" or "..".
func wikiSlug(title string) string {
	parts := strings.Split(title, "/")
	for i, p := range parts {
		parts[i] = strings.Join(strings.Fields(p), " ")
	}
	t := strings.TrimPrefix(path.Clean("/"+strings.Join(parts, "/")), "/")
	return strings.ReplaceAll(t, " ", "-")
}

// wikiPageURL is a page's address: the project's web URL, "/-/wikis/", and the slug with each
// part escaped and its slashes kept, as GitLab's own links have it.
func wikiPageURL(projectURL, slug string) string {
	parts := strings.Split(slug, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.TrimRight(projectURL, "/") + "/-/wikis/" + strings.Join(parts, "/")
}
