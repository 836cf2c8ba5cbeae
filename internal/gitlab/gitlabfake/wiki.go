package gitlabfake

// Project wikis: the REST endpoints under /projects/:id/wikis and the state
// behind them (https://docs.gitlab.com/api/wikis/).
//
// GitLab keeps a wiki in a Git repository, one file per page, and derives
// everything from the file's path; the fake keeps pages in memory but
// follows the same rules, taken from lib/api/wikis.rb,
// lib/api/helpers/wikis_helpers.rb, lib/api/entities/wiki_page*.rb,
// app/models/wiki.rb, app/models/wiki_page.rb and
// app/services/wiki_pages/update_service.rb:
//
//   - the slug is the file's path without extension: the title with each
//     part between slashes squished, the path normalised ("a/../b" is "b")
//     and spaces turned into '-', case kept;
//   - the title GitLab answers is the slug's last part with '-' read as ' '
//     ("Runbooks/Credential-stuffing" is titled "Credential stuffing");
//   - a page is found by its slug or its title, regardless of case, and two
//     pages may not differ only in case;
//   - listings are ordered by file path and not paginated.

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// WikiPage is a snapshot of a page of a project wiki.
type WikiPage struct {
	ProjectID int
	Slug      string // the page's path without extension: "Runbooks/Credential-stuffing"
	Title     string // as GitLab answers it: the slug's last part, '-' read as ' '
	Format    string // markdown, rdoc, asciidoc or org
	Content   string // as stored, front matter included
	WebURL    string // <project web_url>/-/wikis/<slug>
	Author    string // username of who created it
	UpdatedBy string // username of who changed it last
	CreatedAt time.Time
	UpdatedAt time.Time
}

// wikiFormats maps the formats users may write (Wiki::VALID_USER_MARKUPS) to
// the extension GitLab gives a page's file.
var wikiFormats = map[string]string{"markdown": "md", "rdoc": "rdoc", "asciidoc": "asciidoc", "org": "org"}

// Limits on the parts of a title (Gitlab::WikiPages::MAX_TITLE_BYTES and
// MAX_DIRECTORY_BYTES).
const (
	maxWikiTitleBytes = 245
	maxWikiDirBytes   = 255
)

// WikiPage returns a snapshot of a page of a project's wiki, found as GitLab
// finds one: by slug or by title, regardless of case.
func (s *Server) WikiPage(projectPath, slug string) (WikiPage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.projectPath[projectPath]
	if !ok {
		return WikiPage{}, false
	}
	wp := s.findWikiPageLocked(p.ID, slug)
	if wp == nil {
		return WikiPage{}, false
	}
	return *wp, true
}

// WikiPages returns snapshots of a project's wiki pages in GitLab's order.
func (s *Server) WikiPages(projectPath string) []WikiPage {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.projectPath[projectPath]
	if !ok {
		return nil
	}
	var out []WikiPage
	for _, wp := range s.wikiPagesOf(p.ID) {
		out = append(out, *wp)
	}
	return out
}

// CreateWikiPage creates a Markdown page in a project's wiki, with the same
// rules as the API (slug, duplicate titles).
func (a *Actor) CreateWikiPage(projectPath, title, content string) (WikiPage, error) {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	p, ok := a.s.projectPath[projectPath]
	if !ok {
		return WikiPage{}, fmt.Errorf("gitlabfake: no project %q", projectPath)
	}
	wp, err := a.s.createWikiPageLocked(p, a.s.userByName[a.username], wikiInput{title: &title, content: &content, format: "markdown"})
	if err != nil {
		return WikiPage{}, actorError(err)
	}
	return *wp, nil
}

// REST handlers.

func (c *restCtx) listWikis() restAnswer {
	p, err := c.project()
	if err != nil {
		return fail(err)
	}
	withContent, verr := c.params.grapeBool("with_content")
	if verr != nil {
		return fail(verr)
	}
	pages := c.s.wikiPagesOf(p.ID)
	if withContent {
		out := []wikiPageJSON{}
		for _, wp := range pages {
			out = append(out, wikiJSON(wp, false))
		}
		return answer(200, out)
	}
	// Without content GitLab presents Entities::WikiPageBasic.
	out := []wikiPageBasicJSON{}
	for _, wp := range pages {
		out = append(out, wikiBasicJSON(wp))
	}
	return answer(200, out)
}

func (c *restCtx) getWiki() restAnswer {
	p, err := c.project()
	if err != nil {
		return fail(err)
	}
	render, verr := c.params.grapeBool("render_html")
	if verr != nil {
		return fail(verr)
	}
	wp := c.s.findWikiPageLocked(p.ID, c.vars["slug"])
	if wp == nil {
		return fail(notFound("Wiki Page"))
	}
	return answer(200, wikiJSON(wp, render))
}

func (c *restCtx) createWiki() restAnswer {
	p, err := c.project()
	if err != nil {
		return fail(err)
	}
	in, perr := c.params.wikiInput(true)
	if perr != nil {
		return fail(perr)
	}
	wp, cerr := c.s.createWikiPageLocked(p, c.user, in)
	if cerr != nil {
		return fail(cerr)
	}
	c.s.creates["wiki_page"]++
	return answer(201, wikiJSON(wp, false))
}

func (c *restCtx) editWiki() restAnswer {
	p, err := c.project()
	if err != nil {
		return fail(err)
	}
	// Grape validates the parameters before the endpoint looks the page up.
	in, perr := c.params.wikiInput(false)
	if perr != nil {
		return fail(perr)
	}
	wp := c.s.findWikiPageLocked(p.ID, c.vars["slug"])
	if wp == nil {
		return fail(notFound("Wiki Page"))
	}
	refused, uerr := c.s.updateWikiPageLocked(wp, c.user, in)
	if uerr != nil {
		return fail(uerr)
	}
	if refused {
		// A rename onto an existing page raises WikiPage::PageRenameError,
		// which UpdateService turns into an error response without adding
		// to the page's errors; render_validation_error! then renders
		// nothing and the endpoint answers 200 with a null body.
		return restAnswer{status: 200, raw: []byte("null"), contentType: "application/json"}
	}
	return answer(200, wikiJSON(wp, false))
}

func (c *restCtx) deleteWiki() restAnswer {
	p, err := c.project()
	if err != nil {
		return fail(err)
	}
	wp := c.s.findWikiPageLocked(p.ID, c.vars["slug"])
	if wp == nil {
		return fail(notFound("Wiki Page"))
	}
	c.s.deleteWikiPageLocked(wp)
	return restAnswer{status: 204}
}

// Parameters.

// wikiInput carries the attributes of a wiki page create or edit; nil means
// "not given".
type wikiInput struct {
	title            *string
	content          *string
	format           string // always set: Grape's default is markdown
	frontMatter      bool   // front_matter was given
	frontMatterTitle *string
}

// wikiInput reads and validates the parameters as Grape does: on create,
// title and content are required; on both, format defaults to markdown
// (on an edit too, so an edit that does not name the format turns the page
// into Markdown) and must be one users may write. Grape's at_least_one_of
// on edits never fails, since format always has its default by then.
func (p *params) wikiInput(create bool) (wikiInput, *apiError) {
	in := wikiInput{title: p.str("title"), content: p.str("content"), format: "markdown"}
	var msgs []string
	if create && in.title == nil {
		msgs = append(msgs, "title is missing")
	}
	if create && in.content == nil {
		msgs = append(msgs, "content is missing")
	}
	if f := p.str("format"); f != nil {
		if _, ok := wikiFormats[*f]; !ok {
			msgs = append(msgs, "format does not have a valid value")
		}
		in.format = *f
	}
	if len(msgs) > 0 {
		return in, &apiError{status: 400, body: map[string]string{"error": strings.Join(msgs, ", ")}}
	}
	switch fm := p.values["front_matter"].(type) {
	case map[string]any:
		in.frontMatter = true
		if t, ok := fm["title"]; ok && t != nil {
			s := fmt.Sprint(t)
			in.frontMatterTitle = &s
		}
	default:
		// A form body names the hash's keys in brackets.
		if t := p.str("front_matter[title]"); t != nil {
			in.frontMatter, in.frontMatterTitle = true, t
		}
	}
	return in, nil
}

// grapeBool reads an optional Boolean parameter (false when absent) and
// refuses what Grape cannot coerce.
func (p *params) grapeBool(key string) (bool, *apiError) {
	v := p.str(key)
	if v == nil {
		return false, nil
	}
	switch strings.ToLower(*v) {
	case "true", "1", "t", "yes", "y", "on":
		return true, nil
	case "false", "0", "f", "no", "n", "off", "":
		return false, nil
	}
	return false, &apiError{status: 400, body: map[string]string{"error": key + " is invalid"}}
}

// State. Every function here expects s.mu to be held.

// wikiPagesOf returns a project's pages ordered by file path, as
// Wiki#list_pages sorts them.
func (s *Server) wikiPagesOf(projectID int) []*WikiPage {
	out := append([]*WikiPage(nil), s.wikiPages[projectID]...)
	sort.Slice(out, func(i, j int) bool { return wikiFilePath(out[i]) < wikiFilePath(out[j]) })
	return out
}

// findWikiPageLocked finds a page as Wiki#find_page does: a file whose path
// without extension is the given title, or else its slug, ignoring case.
func (s *Server) findWikiPageLocked(projectID int, title string) *WikiPage {
	if strings.TrimSpace(title) == "" {
		return nil
	}
	slug := sluggifyWikiTitle(title)
	for _, wp := range s.wikiPagesOf(projectID) {
		if strings.EqualFold(wp.Slug, title) || strings.EqualFold(wp.Slug, slug) {
			return wp
		}
	}
	return nil
}

// createWikiPageLocked creates a page (WikiPages::CreateService).
func (s *Server) createWikiPageLocked(p *Project, u *User, in wikiInput) (*WikiPage, *apiError) {
	title := ""
	if in.title != nil {
		title = processWikiTitle(*in.title, "", false)
	}
	if verr := validateWikiTitle(title); verr != nil {
		return nil, verr
	}
	slug := sluggifyWikiTitle(title)
	if slug == "" {
		// A title such as "/" or "..": GitLab cannot write a file for it.
		// Approximate wording.
		return nil, &apiError{status: 400, body: map[string]any{"message": map[string][]string{"base": {"Could not create wiki page"}}}}
	}
	// Wiki#create_page refuses a title that any page's path matches,
	// whatever its case or format.
	if s.findWikiPageLocked(p.ID, title) != nil {
		return nil, duplicateWikiPage(slug + "." + wikiFormats[in.format])
	}
	content := ""
	if in.content != nil {
		content = *in.content
	}
	if in.frontMatter {
		content = withFrontMatter(in.frontMatterTitle, content)
	}
	now := s.now()
	wp := &WikiPage{
		ProjectID: p.ID, Format: in.format, Content: content,
		Author: u.Username, UpdatedBy: u.Username, CreatedAt: now, UpdatedAt: now,
	}
	s.setWikiSlug(wp, slug)
	s.wikiPages[p.ID] = append(s.wikiPages[p.ID], wp)
	return wp, nil
}

// updateWikiPageLocked edits a page (WikiPage#update and Wiki#update_page).
// refused reports a rename onto another page, which GitLab answers oddly
// (see editWiki).
func (s *Server) updateWikiPageLocked(wp *WikiPage, u *User, in wikiInput) (refused bool, err *apiError) {
	dir := ""
	if i := strings.LastIndex(wp.Slug, "/"); i >= 0 {
		dir = wp.Slug[:i]
	}
	// Without a title, WikiPage keeps the title GitLab read from the file,
	// which is only its base name: Wiki#update_page then writes the page at
	// that name, out of its directory. A client that edits a nested page
	// must send its full title.
	title := wikiTitleFromSlug(wp.Slug)
	changed := false
	if in.title != nil {
		title = *in.title
		if strings.TrimSpace(title) != "" {
			title = processWikiTitle(title, dir, true)
			changed = wikiTitleChanged(wp.Slug, title)
		}
		if verr := validateWikiTitle(title); verr != nil {
			return false, verr
		}
		if changed && s.findWikiPageLocked(wp.ProjectID, title) != nil {
			// WikiPage::PageRenameError, even when the page found is this
			// one under another case.
			return true, nil
		}
	}
	slug := sluggifyWikiTitle(title)
	if slug == "" {
		return false, &apiError{status: 400, body: map[string]any{"message": map[string][]string{"base": {"Could not update wiki page"}}}} // approximate
	}
	// Writing over another page's file fails in Gitaly (Index::IndexError).
	for _, o := range s.wikiPages[wp.ProjectID] {
		if o != wp && strings.EqualFold(o.Slug, slug) {
			return false, duplicateWikiPage(slug + "." + wikiFormats[in.format])
		}
	}
	content := wp.Content
	if in.content != nil {
		content = *in.content
	}
	if in.frontMatter {
		// WikiPage#update_front_matter: the new front matter before the
		// given content, or before the page's content without its old one.
		var body string
		if in.content != nil && *in.content != "" {
			body = *in.content
		} else {
			_, body = parseFrontMatter(wp.Content)
		}
		content = withFrontMatter(in.frontMatterTitle, body)
	}
	wp.Content, wp.Format = content, in.format
	s.setWikiSlug(wp, slug)
	wp.UpdatedBy = u.Username
	wp.UpdatedAt = s.now()
	return false, nil
}

func (s *Server) deleteWikiPageLocked(wp *WikiPage) {
	list := s.wikiPages[wp.ProjectID]
	for i, o := range list {
		if o == wp {
			s.wikiPages[wp.ProjectID] = append(list[:i:i], list[i+1:]...)
			return
		}
	}
}

// setWikiSlug moves a page and updates what derives from its path.
func (s *Server) setWikiSlug(wp *WikiPage, slug string) {
	wp.Slug = slug
	wp.Title = wikiTitleFromSlug(slug)
	wp.WebURL = s.projects[wp.ProjectID].WebURL + "/-/wikis/" + escapeWikiSlug(slug)
}

// escapeWikiSlug escapes a slug for a web URL, keeping its slashes, as
// Rails' route helpers do for the wiki's *id segment.
func escapeWikiSlug(slug string) string {
	parts := strings.Split(slug, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

func wikiFilePath(wp *WikiPage) string { return wp.Slug + "." + wikiFormats[wp.Format] }

// processWikiTitle is WikiPage#process_title: each part between slashes
// squished; when editing, a title without a directory stays in the page's
// directory, and a leading slash moves it to the top.
func processWikiTitle(title, dir string, persisted bool) string {
	if strings.TrimSpace(title) == "" {
		return ""
	}
	parts := strings.Split(title, "/")
	for i, p := range parts {
		parts[i] = strings.Join(strings.Fields(p), " ")
	}
	t := strings.Join(parts, "/")
	if persisted {
		switch path.Dir(t) {
		case "/":
			return t[1:]
		case ".":
			if dir != "" {
				return dir + "/" + t
			}
		}
	}
	return t
}

// sluggifyWikiTitle is Wiki.sluggified_title: stripped, made absolute and
// normalised against "/", then relative again, spaces turned into '-'.
// It returns "" for a title that names no file ("/", "..").
func sluggifyWikiTitle(title string) string {
	t := strings.TrimPrefix(path.Clean("/"+strings.TrimSpace(title)), "/")
	return strings.ReplaceAll(t, " ", "-")
}

// wikiTitleFromSlug is Wiki.canonicalize_filename: the base name with '-'
// read as ' '.
func wikiTitleFromSlug(slug string) string {
	return strings.ReplaceAll(path.Base(slug), "-", " ")
}

var wikiHyphens = regexp.MustCompile(`-+`)

// wikiTitleChanged is WikiPage#title_changed? for a page at slug: the base
// names differ (hyphens read as spaces, case counts), or the title names
// another directory.
func wikiTitleChanged(slug, title string) bool {
	oldDir, oldName := splitWikiTitle(wikiHyphens.ReplaceAllString(slug, " "))
	newDir, newName := splitWikiTitle(wikiHyphens.ReplaceAllString(title, " "))
	return newName != oldName || (strings.Contains(title, "/") && newDir != oldDir)
}

func splitWikiTitle(t string) (dir, name string) {
	i := strings.LastIndex(t, "/")
	if i < 0 {
		return "", t
	}
	return t[:i], t[i+1:]
}

// validateWikiTitle applies WikiPage's validations of the title: present,
// and no part longer than GitLab allows.
func validateWikiTitle(title string) *apiError {
	var msgs []string
	if strings.TrimSpace(title) == "" {
		msgs = append(msgs, "can't be blank")
	} else {
		parts := strings.Split(strings.TrimRight(title, "/"), "/")
		name, dirs := parts[len(parts)-1], parts[:len(parts)-1]
		if len(name) > maxWikiTitleBytes {
			msgs = append(msgs, fmt.Sprintf("exceeds the limit of %d bytes", maxWikiTitleBytes))
		}
		for _, d := range dirs {
			if len(d) > maxWikiDirBytes {
				msgs = append(msgs, fmt.Sprintf("exceeds the limit of %d bytes for directory name %q", maxWikiDirBytes, d))
			}
		}
	}
	if len(msgs) > 0 {
		return &apiError{status: 400, body: map[string]any{"message": map[string][]string{"title": msgs}}}
	}
	return nil
}

// duplicateWikiPage is the error of a page whose file would be written over
// another's, as render_validation_error! shows the page's base error.
func duplicateWikiPage(file string) *apiError {
	return &apiError{status: 400, body: map[string]any{"message": map[string][]string{
		"base": {"Duplicate page: A page with that title already exists in the file " + file},
	}}}
}

// withFrontMatter puts a YAML front matter block before content, as
// WikiPage#serialize_front_matter does (YAML.dump, then "---"). Only the
// title is accepted by the API; an empty front matter adds nothing.
func withFrontMatter(title *string, content string) string {
	if title == nil {
		return content
	}
	return "---\ntitle: " + yamlScalar(*title) + "\n---\n" + content
}

// yamlScalar quotes a string where YAML would read it as something else.
// Approximate: Psych's rules are longer.
func yamlScalar(v string) string {
	plain := v != "" && v == strings.TrimSpace(v) && !strings.ContainsAny(v[:1], "!&*-?{}[],#|>@%'\"`:") &&
		!strings.Contains(v, ": ") && !strings.Contains(v, " #") && !strings.ContainsAny(v, "\n\t")
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n":
		plain = false
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		plain = false
	}
	if plain {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}

// parseFrontMatter splits a page's content into its YAML front matter and
// the rest, as Gitlab::WikiPages::FrontMatterParser does for the "---"
// delimiter. Only flat "key: value" lines are read; anything else counts as
// no front matter, and the content is left whole.
func parseFrontMatter(content string) (map[string]any, string) {
	none := map[string]any{}
	if !strings.HasPrefix(content, "---\n") {
		return none, content
	}
	rest := content[len("---\n"):]
	var block, body string
	if strings.HasPrefix(rest, "---\n") || rest == "---" {
		block, body = "", strings.TrimPrefix(strings.TrimPrefix(rest, "---"), "\n")
	} else if i := strings.Index(rest, "\n---\n"); i >= 0 {
		block, body = rest[:i], rest[i+len("\n---\n"):]
	} else if strings.HasSuffix(rest, "\n---") {
		block, body = strings.TrimSuffix(rest, "\n---"), ""
	} else {
		return none, content
	}
	fm := map[string]any{}
	for _, line := range strings.Split(block, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok || k == "" || strings.TrimSpace(k) != k {
			return none, content
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			v = strings.ReplaceAll(v[1:len(v)-1], "''", "'")
		} else if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		fm[k] = v
	}
	return fm, body
}

// Wire structs: Entities::WikiPageBasic and Entities::WikiPage.

type wikiPageBasicJSON struct {
	Format string `json:"format"`
	Slug   string `json:"slug"`
	Title  string `json:"title"`
}

type wikiPageJSON struct {
	Format      string         `json:"format"`
	Slug        string         `json:"slug"`
	Title       string         `json:"title"`
	Content     string         `json:"content"`
	Encoding    string         `json:"encoding"`
	FrontMatter map[string]any `json:"front_matter"`
}

func wikiBasicJSON(wp *WikiPage) wikiPageBasicJSON {
	return wikiPageBasicJSON{Format: wp.Format, Slug: wp.Slug, Title: wp.Title}
}

// wikiJSON presents a page with its raw content (front matter included) or,
// with render, the fake's stand-in for GitLab's rendering.
func wikiJSON(wp *WikiPage, render bool) wikiPageJSON {
	fm, _ := parseFrontMatter(wp.Content)
	content := wp.Content
	if render {
		content = noteHTML(wp.Content)
	}
	enc := "UTF-8"
	if !utf8.ValidString(wp.Content) {
		enc = "ASCII-8BIT"
	}
	return wikiPageJSON{Format: wp.Format, Slug: wp.Slug, Title: wp.Title, Content: content, Encoding: enc, FrontMatter: fm}
}
