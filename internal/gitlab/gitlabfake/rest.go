package gitlabfake

// The REST API v4 endpoints of the fake. See the package comment for the
// documentation pages followed; request parameters are read from the query
// string, a JSON body or a form body, as Grape does.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Route keys: REST endpoints as "METHOD /pattern" under /api/v4. They name
// endpoints in Stats.Requests and in fault matches (Match.Route).
const (
	RouteGetCurrentUser  = "GET /user"
	RouteListUsers       = "GET /users"
	RouteGetUser         = "GET /users/{user_id}"
	RouteGetProject      = "GET /projects/{id}"
	RouteListIssues      = "GET /projects/{id}/issues"
	RouteCreateIssue     = "POST /projects/{id}/issues"
	RouteGetIssue        = "GET /projects/{id}/issues/{iid}"
	RouteEditIssue       = "PUT /projects/{id}/issues/{iid}"
	RouteListNotes       = "GET /projects/{id}/issues/{iid}/notes"
	RouteCreateNote      = "POST /projects/{id}/issues/{iid}/notes"
	RouteGetNote         = "GET /projects/{id}/issues/{iid}/notes/{note_id}"
	RouteEditNote        = "PUT /projects/{id}/issues/{iid}/notes/{note_id}"
	RouteDeleteNote      = "DELETE /projects/{id}/issues/{iid}/notes/{note_id}"
	RouteListLinks       = "GET /projects/{id}/issues/{iid}/links"
	RouteCreateLink      = "POST /projects/{id}/issues/{iid}/links"
	RouteGetLink         = "GET /projects/{id}/issues/{iid}/links/{link_id}"
	RouteDeleteLink      = "DELETE /projects/{id}/issues/{iid}/links/{link_id}"
	RouteCreateUpload    = "POST /projects/{id}/uploads"
	RouteListUploads     = "GET /projects/{id}/uploads"
	RouteGetUpload       = "GET /projects/{id}/uploads/{upload_id}"
	RouteGetUploadByName = "GET /projects/{id}/uploads/{secret}/{filename}"
	RouteListWikis       = "GET /projects/{id}/wikis"
	RouteCreateWiki      = "POST /projects/{id}/wikis"
	RouteGetWiki         = "GET /projects/{id}/wikis/{slug...}"
	RouteEditWiki        = "PUT /projects/{id}/wikis/{slug...}"
	RouteDeleteWiki      = "DELETE /projects/{id}/wikis/{slug...}"
)

// restRoute is one REST endpoint.
type restRoute struct {
	key      string
	method   string
	segments []string
	userOnly bool // readable with the read_user scope
	handle   func(c *restCtx) restAnswer
}

var restRoutes []restRoute

func init() {
	add := func(key string, userOnly bool, h func(c *restCtx) restAnswer) {
		method, pattern, _ := strings.Cut(key, " ")
		restRoutes = append(restRoutes, restRoute{
			key: key, method: method, segments: strings.Split(strings.Trim(pattern, "/"), "/"),
			userOnly: userOnly, handle: h,
		})
	}
	add(RouteGetCurrentUser, true, (*restCtx).getCurrentUser)
	add(RouteListUsers, true, (*restCtx).listUsers)
	add(RouteGetUser, true, (*restCtx).getUser)
	add(RouteGetProject, false, (*restCtx).getProject)
	add(RouteListIssues, false, (*restCtx).listIssues)
	add(RouteCreateIssue, false, (*restCtx).createIssue)
	add(RouteGetIssue, false, (*restCtx).getIssue)
	add(RouteEditIssue, false, (*restCtx).editIssue)
	add(RouteListNotes, false, (*restCtx).listNotes)
	add(RouteCreateNote, false, (*restCtx).createNote)
	add(RouteGetNote, false, (*restCtx).getNote)
	add(RouteEditNote, false, (*restCtx).editNote)
	add(RouteDeleteNote, false, (*restCtx).deleteNote)
	add(RouteListLinks, false, (*restCtx).listLinks)
	add(RouteCreateLink, false, (*restCtx).createLink)
	add(RouteGetLink, false, (*restCtx).getLink)
	add(RouteDeleteLink, false, (*restCtx).deleteLink)
	add(RouteCreateUpload, false, (*restCtx).createUpload)
	add(RouteListUploads, false, (*restCtx).listUploads)
	add(RouteGetUpload, false, (*restCtx).getUpload)
	add(RouteGetUploadByName, false, (*restCtx).getUploadByName)
	add(RouteListWikis, false, (*restCtx).listWikis)
	add(RouteCreateWiki, false, (*restCtx).createWiki)
	add(RouteGetWiki, false, (*restCtx).getWiki)
	add(RouteEditWiki, false, (*restCtx).editWiki)
	add(RouteDeleteWiki, false, (*restCtx).deleteWiki)
}

// restCtx is one REST request being handled, with s.mu held.
type restCtx struct {
	s      *Server
	r      *http.Request
	user   *User
	vars   map[string]string
	params *params
}

// restAnswer is what a handler answers; it is written after s.mu is
// released (writing the headers needs the lock).
type restAnswer struct {
	status      int
	body        any    // JSON body
	raw         []byte // or raw bytes
	contentType string
	header      http.Header
	resetAt     time.Time // for 429: RateLimit-Reset
	limited     bool
}

func answer(status int, body any) restAnswer { return restAnswer{status: status, body: body} }

func fail(e *apiError) restAnswer { return restAnswer{status: e.status, body: e.body} }

// restEndpoint routes a request under /api/v4.
func (s *Server) restEndpoint(r *http.Request) endpoint {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), "/api/v4/")
	raw := strings.Split(strings.Trim(rest, "/"), "/")
	segs := make([]string, len(raw))
	for i, seg := range raw {
		u, err := url.PathUnescape(seg)
		if err != nil {
			u = seg
		}
		segs[i] = u
	}
	for _, rt := range restRoutes {
		if rt.method != r.Method && !(r.Method == http.MethodHead && rt.method == http.MethodGet) {
			continue
		}
		vars, ok := matchSegments(rt.segments, segs)
		if !ok {
			continue
		}
		rt := rt
		return endpoint{
			keys:  []string{rt.key},
			write: rt.method != http.MethodGet,
			handle: func(w http.ResponseWriter, r *http.Request) {
				s.serveREST(w, r, rt, vars)
			},
		}
	}
	return endpoint{keys: []string{"unknown"}, handle: func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "404 Not Found"})
	}}
}

// matchSegments matches unescaped path segments against a route pattern. A
// last pattern segment "{name...}" takes the rest of the path, slashes
// included: GitLab's wiki routes accept a slug such as "dir/page" both
// escaped (dir%2Fpage, as client-go sends it) and as plain path segments.
func matchSegments(pattern, segs []string) (map[string]string, bool) {
	vars := map[string]string{}
	if n := len(pattern); n > 0 && strings.HasSuffix(pattern[n-1], "...}") {
		if len(segs) < n {
			return nil, false
		}
		rest := strings.Join(segs[n-1:], "/")
		if rest == "" {
			return nil, false
		}
		vars[strings.TrimSuffix(strings.TrimPrefix(pattern[n-1], "{"), "...}")] = rest
		pattern, segs = pattern[:n-1], segs[:n-1]
	}
	if len(pattern) != len(segs) {
		return nil, false
	}
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return nil, false
			}
			vars[strings.Trim(p, "{}")] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return vars, true
}

// serveREST authenticates, checks scopes and limits, runs the handler and
// writes its answer.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request, rt restRoute, vars map[string]string) {
	// Read the parameters before taking the lock: the body may be large.
	p, perr := readParams(w, r, s.opts.MaxUploadSize)

	a := func() restAnswer {
		s.mu.Lock()
		defer s.mu.Unlock()
		tok, aerr := s.authenticateLocked(r)
		if aerr != nil {
			return fail(aerr)
		}
		write := rt.method != http.MethodGet
		if okScope, need := hasScope(tok.scopes, write, rt.userOnly); !okScope {
			return answer(http.StatusForbidden, map[string]string{
				"error":             "insufficient_scope",
				"error_description": "The request requires higher privileges than provided by the access token.",
				"scope":             need,
			})
		}
		if exceeded, retry := s.countRequestLocked(tok.user); exceeded {
			return restAnswer{status: 429, raw: []byte("Retry later\n"), contentType: "text/plain",
				header: http.Header{"Retry-After": {strconv.Itoa(retry)}}}
		}
		if perr != nil {
			return fail(perr)
		}
		c := &restCtx{s: s, r: r, user: tok.user, vars: vars, params: p}
		return rt.handle(c)
	}()

	if a.limited {
		if hw, ok := w.(*headerWriter); ok {
			hw.override, hw.resetAt, hw.remaining = true, a.resetAt, 0
		}
	}
	for k, v := range a.header {
		w.Header()[k] = v
	}
	if a.raw != nil || a.body == nil {
		if a.contentType != "" {
			w.Header().Set("Content-Type", a.contentType)
		}
		w.WriteHeader(a.status)
		if r.Method != http.MethodHead {
			w.Write(a.raw)
		}
		return
	}
	writeJSON(w, a.status, a.body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(body)
}

// project resolves {id}: a numeric id or a full path.
func (c *restCtx) project() (*Project, *apiError) {
	id := c.vars["id"]
	if n, err := strconv.Atoi(id); err == nil {
		if p, ok := c.s.projects[n]; ok {
			return p, nil
		}
		return nil, notFound("Project")
	}
	if p, ok := c.s.projectPath[id]; ok {
		return p, nil
	}
	return nil, notFound("Project")
}

// issue resolves {id} and {iid}.
func (c *restCtx) issue() (*Project, *Issue, *apiError) {
	p, err := c.project()
	if err != nil {
		return nil, nil, err
	}
	iid, convErr := strconv.Atoi(c.vars["iid"])
	if convErr != nil {
		return nil, nil, &apiError{status: 400, body: map[string]string{"error": "issue_iid is invalid"}}
	}
	is := c.s.issueByIID(p.ID, iid)
	if is == nil {
		return nil, nil, notFound("Issue")
	}
	return p, is, nil
}

func (c *restCtx) getCurrentUser() restAnswer {
	u := c.user
	j := c.s.userJSON(u)
	return answer(200, currentUserJSON{
		userJSON: j, CreatedAt: restTime(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)),
		Bio: "", PublicEmail: "", Email: u.Username + "@example.com", Bot: false,
	})
}

func (c *restCtx) listUsers() restAnswer {
	var out []userJSON
	name := c.params.str("username")
	var users []*User
	for _, u := range c.s.users {
		users = append(users, u)
	}
	sort.Slice(users, func(i, j int) bool { return users[i].ID < users[j].ID })
	for _, u := range users {
		if name == nil || strings.EqualFold(u.Username, *name) {
			out = append(out, c.s.userJSON(u))
		}
	}
	start, end, hdr := paginate(c, len(out))
	return restAnswer{status: 200, body: nonNil(out[start:end]), header: hdr}
}

func (c *restCtx) getUser() restAnswer {
	id, _ := strconv.Atoi(c.vars["user_id"])
	u, found := c.s.users[id]
	if !found {
		return fail(notFound("User"))
	}
	return answer(200, c.s.userJSON(u))
}

func (c *restCtx) getProject() restAnswer {
	p, err := c.project()
	if err != nil {
		return fail(err)
	}
	return answer(200, c.s.projectJSON(p))
}

func (c *restCtx) listIssues() restAnswer {
	p, err := c.project()
	if err != nil {
		return fail(err)
	}
	// Filter.
	q := c.params
	state := "all"
	if v := q.str("state"); v != nil && *v != "" {
		state = *v
	}
	labels := q.list("labels")
	iids := q.ints("iids")
	var list []*Issue
	for _, is := range c.s.issues {
		if is.ProjectID != p.ID {
			continue
		}
		if state != "all" && is.State != state {
			continue
		}
		if v := q.str("issue_type"); v != nil && *v != "" && is.IssueType != *v {
			continue
		}
		if len(iids) > 0 && !containsInt(iids, is.IID) {
			continue
		}
		if !matchLabels(is.Labels, labels) {
			continue
		}
		if v := q.str("assignee_username"); v != nil && !containsFold(is.Assignees, *v) {
			continue
		}
		if v := q.str("author_username"); v != nil && !strings.EqualFold(is.Author, *v) {
			continue
		}
		if !q.timeWithin("created", is.CreatedAt) || !q.timeWithin("updated", is.UpdatedAt) {
			continue
		}
		list = append(list, is)
	}
	// Order: created_at (default) or updated_at, desc (default) or asc,
	// with the id as tie-breaker.
	orderBy := "created_at"
	if v := q.str("order_by"); v != nil && *v == "updated_at" {
		orderBy = "updated_at"
	}
	desc := true
	if v := q.str("sort"); v != nil && *v == "asc" {
		desc = false
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i].CreatedAt, list[j].CreatedAt
		if orderBy == "updated_at" {
			a, b = list[i].UpdatedAt, list[j].UpdatedAt
		}
		if !a.Equal(b) {
			return a.Before(b) != desc
		}
		return (list[i].ID < list[j].ID) != desc
	})
	start, end, hdr := paginate(c, len(list))
	out := []issueJSON{}
	for _, is := range list[start:end] {
		out = append(out, c.s.issueJSON(is))
	}
	return restAnswer{status: 200, body: out, header: hdr}
}

func matchLabels(have, want []string) bool {
	for _, w := range want {
		switch {
		case strings.EqualFold(w, "None"):
			if len(have) > 0 {
				return false
			}
		case strings.EqualFold(w, "Any"):
			if len(have) == 0 {
				return false
			}
		case !containsFold(have, w):
			return false
		}
	}
	return true
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (c *restCtx) createIssue() restAnswer {
	p, err := c.project()
	if err != nil {
		return fail(err)
	}
	in, perr := c.params.issueInput()
	if perr != nil {
		return fail(perr)
	}
	// Only administrators and owners may set created_at; users are neither.
	in.createdAt = nil
	is, cerr := c.s.createIssueLocked(p, c.user, in)
	if cerr != nil {
		return fail(cerr)
	}
	c.s.creates["issue"]++
	return answer(201, c.s.issueJSON(is))
}

func (c *restCtx) getIssue() restAnswer {
	_, is, err := c.issue()
	if err != nil {
		return fail(err)
	}
	return answer(200, c.s.issueJSON(is))
}

func (c *restCtx) editIssue() restAnswer {
	_, is, err := c.issue()
	if err != nil {
		return fail(err)
	}
	in, perr := c.params.issueInput()
	if perr != nil {
		return fail(perr)
	}
	if c.params.empty() {
		return answer(400, map[string]string{"error": "title, description, assignee_ids, labels, add_labels, remove_labels, state_event, due_date, confidential, discussion_locked, issue_type are missing, at least one parameter must be provided"})
	}
	in.createdAt = nil
	if uerr := c.s.updateIssueLocked(is, c.user, in); uerr != nil {
		return fail(uerr)
	}
	return answer(200, c.s.issueJSON(is))
}

func (c *restCtx) listNotes() restAnswer {
	_, is, err := c.issue()
	if err != nil {
		return fail(err)
	}
	q := c.params
	filter := "all_notes"
	if v := q.str("activity_filter"); v != nil && *v != "" {
		filter = *v
	}
	var list []*Note
	for _, n := range c.s.notesOf(is) {
		if (filter == "only_comments" && n.System) || (filter == "only_activity" && !n.System) {
			continue
		}
		list = append(list, n)
	}
	// GitLab's defaults: order_by created_at, sort desc; id breaks ties.
	byUpdated := q.str("order_by") != nil && *q.str("order_by") == "updated_at"
	desc := !(q.str("sort") != nil && *q.str("sort") == "asc")
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i].CreatedAt, list[j].CreatedAt
		if byUpdated {
			a, b = list[i].UpdatedAt, list[j].UpdatedAt
		}
		if !a.Equal(b) {
			return a.Before(b) != desc
		}
		return (list[i].ID < list[j].ID) != desc
	})
	start, end, hdr := paginate(c, len(list))
	out := []noteJSON{}
	for _, n := range list[start:end] {
		out = append(out, c.s.noteJSON(n))
	}
	return restAnswer{status: 200, body: out, header: hdr}
}

func (c *restCtx) createNote() restAnswer {
	// GitLab checks the notes rate limit before anything else.
	if limited, a := c.noteRateLimited(); limited {
		return a
	}
	_, is, err := c.issue()
	if err != nil {
		return fail(err)
	}
	body := c.params.str("body")
	if body == nil {
		return fail(missing("body"))
	}
	internal := c.params.boolean("internal") || c.params.boolean("confidential")
	n, nerr := c.s.createNoteLocked(is, c.user, *body, internal)
	if nerr != nil {
		return fail(nerr)
	}
	c.s.creates["note"]++
	return answer(201, c.s.noteJSON(n))
}

// noteRateLimited counts a note creation in the user's fixed one-minute
// window and answers 429 past Options.NotesPerMinute.
func (c *restCtx) noteRateLimited() (bool, restAnswer) {
	limit := c.s.opts.NotesPerMinute
	if limit < 0 {
		return false, restAnswer{}
	}
	now := c.s.opts.Now()
	start := now.Truncate(time.Minute)
	w := c.s.noteWindows[c.user.ID]
	if w == nil || !w.start.Equal(start) {
		w = &window{start: start}
		c.s.noteWindows[c.user.ID] = w
	}
	w.count++
	if w.count <= limit {
		return false, restAnswer{}
	}
	reset := start.Add(time.Minute)
	retry := int((reset.Sub(now) + time.Second - 1) / time.Second)
	return true, restAnswer{
		status:  429,
		body:    map[string]any{"message": map[string]string{"error": "This endpoint has been requested too many times. Try again later."}},
		header:  http.Header{"Retry-After": {strconv.Itoa(retry)}},
		resetAt: reset,
		limited: true,
	}
}

func (c *restCtx) note() (*Issue, *Note, *apiError) {
	_, is, err := c.issue()
	if err != nil {
		return nil, nil, err
	}
	id, _ := strconv.Atoi(c.vars["note_id"])
	n, found := c.s.notes[id]
	if !found || n.IssueID != is.ID {
		return nil, nil, &apiError{status: 404, body: map[string]string{"message": "404 Not found"}}
	}
	return is, n, nil
}

func (c *restCtx) getNote() restAnswer {
	_, n, err := c.note()
	if err != nil {
		return fail(err)
	}
	return answer(200, c.s.noteJSON(n))
}

func (c *restCtx) editNote() restAnswer {
	_, n, err := c.note()
	if err != nil {
		return fail(err)
	}
	body := c.params.str("body")
	if body == nil {
		return answer(200, c.s.noteJSON(n))
	}
	if uerr := c.s.updateNoteLocked(n, c.user, *body); uerr != nil {
		return fail(uerr)
	}
	return answer(200, c.s.noteJSON(n))
}

func (c *restCtx) deleteNote() restAnswer {
	_, n, err := c.note()
	if err != nil {
		return fail(err)
	}
	if derr := c.s.deleteNoteLocked(n, c.user); derr != nil {
		return fail(derr)
	}
	return restAnswer{status: 204}
}

func (c *restCtx) listLinks() restAnswer {
	_, is, err := c.issue()
	if err != nil {
		return fail(err)
	}
	out := []relatedIssueJSON{}
	for _, l := range c.s.linksOf(is) {
		other := l.TargetIssueID
		if other == is.ID {
			other = l.SourceIssueID
		}
		o := c.s.issues[other]
		out = append(out, relatedIssueJSON{
			issueJSON: c.s.issueJSON(o), IssueLinkID: l.ID, LinkType: linkTypeFor(l, is),
			LinkCreatedAt: restTime(l.CreatedAt), LinkUpdatedAt: restTime(l.UpdatedAt),
		})
	}
	return answer(200, out)
}

func (c *restCtx) createLink() restAnswer {
	_, src, err := c.issue()
	if err != nil {
		return fail(err)
	}
	tp, tiid := c.params.str("target_project_id"), c.params.str("target_issue_iid")
	if tp == nil {
		return fail(missing("target_project_id"))
	}
	if tiid == nil {
		return fail(missing("target_issue_iid"))
	}
	target := &restCtx{s: c.s, r: c.r, user: c.user, params: c.params, vars: map[string]string{"id": *tp, "iid": *tiid}}
	_, tgt, terr := target.issue()
	if terr != nil {
		return fail(terr)
	}
	lt := ""
	if v := c.params.str("link_type"); v != nil {
		lt = *v
	}
	l, lerr := c.s.createLinkLocked(src, tgt, c.user, lt)
	if lerr != nil {
		return fail(lerr)
	}
	c.s.creates["issue_link"]++
	return answer(201, c.s.linkJSON(l))
}

func (c *restCtx) link() (*IssueLink, *apiError) {
	_, is, err := c.issue()
	if err != nil {
		return nil, err
	}
	id, _ := strconv.Atoi(c.vars["link_id"])
	l, found := c.s.links[id]
	if !found || (l.SourceIssueID != is.ID && l.TargetIssueID != is.ID) {
		return nil, &apiError{status: 404, body: map[string]string{"message": "404 Not found"}}
	}
	return l, nil
}

func (c *restCtx) getLink() restAnswer {
	l, err := c.link()
	if err != nil {
		return fail(err)
	}
	return answer(200, c.s.linkJSON(l))
}

func (c *restCtx) deleteLink() restAnswer {
	l, err := c.link()
	if err != nil {
		return fail(err)
	}
	delete(c.s.links, l.ID)
	return answer(200, c.s.linkJSON(l))
}

func (c *restCtx) createUpload() restAnswer {
	p, err := c.project()
	if err != nil {
		return fail(err)
	}
	f := c.params.file
	if f == nil {
		return fail(missing("file"))
	}
	if int64(len(f.content)) > c.s.opts.MaxUploadSize {
		return answer(413, map[string]string{"message": "413 Request Entity Too Large"})
	}
	up := c.s.createUploadLocked(p, c.user, f.name, f.content)
	c.s.creates["upload"]++
	alt := strings.TrimSuffix(f.name, path.Ext(f.name))
	md := "[" + f.name + "](" + up.URL() + ")"
	if isImage(f.name) {
		md = "![" + alt + "](" + up.URL() + ")"
	}
	return answer(201, uploadJSON{
		ID: up.ID, Alt: alt, URL: up.URL(),
		FullPath: fmt.Sprintf("/-/project/%d%s", p.ID, up.URL()), Markdown: md,
	})
}

func isImage(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tiff", ".ico", ".webp", ".svg":
		return true
	}
	return false
}

func (c *restCtx) listUploads() restAnswer {
	p, err := c.project()
	if err != nil {
		return fail(err)
	}
	var list []*Upload
	for _, u := range c.s.uploads {
		if u.ProjectID == p.ID {
			list = append(list, u)
		}
	}
	// Newest first, as GitLab lists them.
	sort.Slice(list, func(i, j int) bool { return list[i].ID > list[j].ID })
	start, end, hdr := paginate(c, len(list))
	out := []uploadListJSON{}
	for _, u := range list[start:end] {
		uu := c.s.userByName[u.Uploader]
		out = append(out, uploadListJSON{
			ID: u.ID, Size: len(u.Content), Filename: u.Filename, CreatedAt: restTime(u.CreatedAt),
			UploadedBy: &uploaderJSON{ID: uu.ID, Username: uu.Username, Name: uu.Name},
		})
	}
	return restAnswer{status: 200, body: out, header: hdr}
}

func (c *restCtx) getUpload() restAnswer {
	p, err := c.project()
	if err != nil {
		return fail(err)
	}
	id, _ := strconv.Atoi(c.vars["upload_id"])
	u, found := c.s.uploads[id]
	if !found || u.ProjectID != p.ID {
		return fail(notFound("Upload"))
	}
	return c.download(u)
}

func (c *restCtx) getUploadByName() restAnswer {
	p, err := c.project()
	if err != nil {
		return fail(err)
	}
	for _, u := range c.s.uploads {
		if u.ProjectID == p.ID && u.Secret == c.vars["secret"] && u.Filename == c.vars["filename"] {
			return c.download(u)
		}
	}
	return fail(notFound("Upload"))
}

func (c *restCtx) download(u *Upload) restAnswer {
	ct := mime.TypeByExtension(path.Ext(u.Filename))
	if ct == "" {
		ct = "application/octet-stream"
	}
	return restAnswer{
		status: 200, raw: append([]byte(nil), u.Content...), contentType: ct,
		header: http.Header{"Content-Disposition": {fmt.Sprintf("attachment; filename=%q", u.Filename)}},
	}
}

// paginate applies page and per_page (default 20, at most 100) and returns
// the slice bounds and GitLab's pagination headers.
func paginate(c *restCtx, total int) (start, end int, hdr http.Header) {
	page, perPage := 1, 20
	if v := c.params.str("page"); v != nil {
		if n, err := strconv.Atoi(*v); err == nil && n > 0 {
			page = n
		}
	}
	if v := c.params.str("per_page"); v != nil {
		if n, err := strconv.Atoi(*v); err == nil && n > 0 {
			perPage = n
		}
	}
	if perPage > 100 {
		perPage = 100
	}
	totalPages := (total + perPage - 1) / perPage
	if totalPages == 0 {
		totalPages = 1
	}
	start = (page - 1) * perPage
	if start > total {
		start = total
	}
	end = start + perPage
	if end > total {
		end = total
	}

	hdr = http.Header{}
	hdr.Set("X-Page", strconv.Itoa(page))
	hdr.Set("X-Per-Page", strconv.Itoa(perPage))
	hdr.Set("X-Total", strconv.Itoa(total))
	hdr.Set("X-Total-Pages", strconv.Itoa(totalPages))
	next, prev := "", ""
	if page < totalPages {
		next = strconv.Itoa(page + 1)
	}
	if page > 1 {
		prev = strconv.Itoa(page - 1)
	}
	hdr.Set("X-Next-Page", next)
	hdr.Set("X-Prev-Page", prev)

	// Link: prev, next, first, last, as GitLab orders them.
	pageURL := func(n int) string {
		u := *c.r.URL
		u.Scheme, u.Host = "http", c.r.Host
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		q.Set("per_page", strconv.Itoa(perPage))
		u.RawQuery = q.Encode()
		return u.String()
	}
	var links []string
	if prev != "" {
		links = append(links, fmt.Sprintf(`<%s>; rel="prev"`, pageURL(page-1)))
	}
	if next != "" {
		links = append(links, fmt.Sprintf(`<%s>; rel="next"`, pageURL(page+1)))
	}
	links = append(links, fmt.Sprintf(`<%s>; rel="first"`, pageURL(1)))
	links = append(links, fmt.Sprintf(`<%s>; rel="last"`, pageURL(totalPages)))
	hdr.Set("Link", strings.Join(links, ", "))
	return start, end, hdr
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// params are a request's parameters from the query string and the body.
type params struct {
	values map[string]any // string, float64, bool, nil, []any
	file   *uploadedFile
}

type uploadedFile struct {
	name    string
	content []byte
}

// readParams merges the query string with a JSON, form or multipart body.
func readParams(w http.ResponseWriter, r *http.Request, maxUpload int64) (*params, *apiError) {
	p := &params{values: map[string]any{}}
	addValues := func(vals url.Values) {
		for k, vs := range vals {
			key := strings.TrimSuffix(k, "[]")
			if strings.HasSuffix(k, "[]") || len(vs) > 1 {
				list := make([]any, len(vs))
				for i, v := range vs {
					list[i] = v
				}
				p.values[key] = list
				continue
			}
			p.values[key] = vs[0]
		}
	}
	addValues(r.URL.Query())
	if r.Body == nil || r.Method == http.MethodGet {
		return p, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return p, &apiError{status: 400, body: map[string]string{"error": "body could not be read"}}
		}
		if len(strings.TrimSpace(string(b))) == 0 {
			return p, nil
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return p, &apiError{status: 400, body: map[string]string{"error": "The provided content-type 'application/json' is not supported."}}
		}
		for k, v := range m {
			p.values[k] = v
		}
	case "multipart/form-data":
		r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return p, &apiError{status: 413, body: map[string]string{"message": "413 Request Entity Too Large"}}
			}
			return p, &apiError{status: 400, body: map[string]string{"error": "file is invalid"}}
		}
		addValues(r.MultipartForm.Value)
		if fhs := r.MultipartForm.File["file"]; len(fhs) > 0 {
			f, err := fhs[0].Open()
			if err == nil {
				b, _ := io.ReadAll(f)
				f.Close()
				p.file = &uploadedFile{name: path.Base(fhs[0].Filename), content: b}
			}
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err == nil {
			addValues(r.PostForm)
		}
	}
	return p, nil
}

func (p *params) has(key string) bool { _, ok := p.values[key]; return ok }

// empty reports whether no attribute other than the pagination ones was sent.
func (p *params) empty() bool {
	for k := range p.values {
		if k != "page" && k != "per_page" {
			return false
		}
	}
	return p.file == nil
}

// str returns a parameter as a string, nil when absent.
func (p *params) str(key string) *string {
	v, ok := p.values[key]
	if !ok || v == nil {
		return nil
	}
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case float64:
		s = strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		s = strconv.FormatBool(t)
	default:
		b, _ := json.Marshal(t)
		s = string(b)
	}
	return &s
}

// list returns a list parameter given as a JSON array, repeated key or
// comma-separated string.
func (p *params) list(key string) []string {
	v, ok := p.values[key]
	if !ok || v == nil {
		return nil
	}
	var out []string
	add := func(s string) {
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			add(fmt.Sprint(x))
		}
	default:
		add(*p.str(key))
	}
	return out
}

func (p *params) ints(key string) []int {
	var out []int
	for _, s := range p.list(key) {
		if n, err := strconv.Atoi(strings.TrimSuffix(s, ".0")); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func (p *params) boolean(key string) bool {
	v := p.str(key)
	return v != nil && (*v == "true" || *v == "1")
}

func (p *params) timeWithin(prefix string, t time.Time) bool {
	if v := p.str(prefix + "_after"); v != nil {
		if a, err := time.Parse(time.RFC3339, *v); err == nil && t.Before(a) {
			return false
		}
	}
	if v := p.str(prefix + "_before"); v != nil {
		if b, err := time.Parse(time.RFC3339, *v); err == nil && t.After(b) {
			return false
		}
	}
	return true
}

// issueInput reads the attributes of an issue create or edit.
func (p *params) issueInput() (issueInput, *apiError) {
	var in issueInput
	in.title = p.str("title")
	in.description = p.str("description")
	in.issueType = p.str("issue_type")
	if p.has("labels") {
		l := p.list("labels")
		in.labels = &l
	}
	in.addLabels = p.list("add_labels")
	in.removeLabels = p.list("remove_labels")
	switch {
	case p.has("assignee_ids"):
		ids := []int{}
		for _, id := range p.ints("assignee_ids") {
			if id != 0 {
				ids = append(ids, id)
			}
		}
		in.assigneeIDs = &ids
	case p.has("assignee_id"):
		ids := []int{}
		for _, id := range p.ints("assignee_id") {
			if id != 0 {
				ids = append(ids, id)
			}
		}
		in.assigneeIDs = &ids
	}
	if p.has("due_date") {
		d := ""
		if v := p.str("due_date"); v != nil {
			d = *v
		}
		in.dueDate = &d
	}
	if p.has("confidential") {
		b := p.boolean("confidential")
		in.confidential = &b
	}
	if v := p.str("state_event"); v != nil {
		in.stateEvent = *v
	}
	return in, nil
}

// JSON builders.

func (s *Server) userJSON(u *User) userJSON {
	return userJSON{
		ID: u.ID, Username: u.Username, Name: u.Name, State: "active", Locked: false,
		AvatarURL: s.ts.URL + "/uploads/-/system/user/avatar/" + strconv.Itoa(u.ID) + "/avatar.png",
		WebURL:    s.ts.URL + "/" + u.Username,
	}
}

func (s *Server) userRef(username string) *userJSON {
	u, ok := s.userByName[username]
	if !ok {
		return nil
	}
	j := s.userJSON(u)
	return &j
}

func (s *Server) projectJSON(p *Project) projectJSON {
	ns := strings.TrimSuffix(p.Path, "/"+p.Name)
	nsName := ns
	if i := strings.LastIndex(ns, "/"); i >= 0 {
		nsName = ns[i+1:]
	}
	return projectJSON{
		ID: p.ID, Name: p.Name, NameWithNamespace: strings.ReplaceAll(p.Path, "/", " / "),
		Path: p.Name, PathWithNamespace: p.Path, WebURL: p.WebURL,
		CreatedAt: restTime(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)), DefaultBranch: "main",
		Visibility: "private", IssuesEnabled: true,
		Namespace: namespaceJSON{ID: p.ID + 10000, Name: nsName, Path: nsName, Kind: "group", FullPath: ns},
		Links: map[string]string{
			"self":   s.ts.URL + "/api/v4/projects/" + strconv.Itoa(p.ID),
			"issues": s.ts.URL + "/api/v4/projects/" + strconv.Itoa(p.ID) + "/issues",
		},
	}
}

func (s *Server) issueJSON(is *Issue) issueJSON {
	p := s.projects[is.ProjectID]
	assignees := []userJSON{}
	for _, a := range is.Assignees {
		if j := s.userRef(a); j != nil {
			assignees = append(assignees, *j)
		}
	}
	var first *userJSON
	if len(assignees) > 0 {
		first = &assignees[0]
	}
	var due *string
	if is.DueDate != "" {
		d := is.DueDate
		due = &d
	}
	var closedBy *userJSON
	if is.ClosedBy != "" {
		closedBy = s.userRef(is.ClosedBy)
	}
	userNotes := 0
	for _, n := range s.notesOf(is) {
		if !n.System {
			userNotes++
		}
	}
	api := s.ts.URL + "/api/v4/projects/" + strconv.Itoa(p.ID)
	return issueJSON{
		ID: is.ID, IID: is.IID, ProjectID: is.ProjectID, Title: is.Title, Description: is.Description,
		State: is.State, CreatedAt: restTime(is.CreatedAt), UpdatedAt: restTime(is.UpdatedAt),
		ClosedAt: optTime(is.ClosedAt), ClosedBy: closedBy, Labels: nonNil(append([]string(nil), is.Labels...)),
		Assignees: assignees, Assignee: first, Author: s.userRef(is.Author),
		Type: strings.ToUpper(is.IssueType), IssueType: is.IssueType, UserNotesCount: userNotes,
		DueDate: due, Confidential: is.Confidential, WebURL: fmt.Sprintf("%s/-/issues/%d", p.WebURL, is.IID),
		TimeStats:            timeStatsJSON{},
		TaskCompletionStatus: taskStatusJSON{},
		Links: issueLinksJSON{
			Self: fmt.Sprintf("%s/issues/%d", api, is.IID), Notes: fmt.Sprintf("%s/issues/%d/notes", api, is.IID),
			AwardEmoji: fmt.Sprintf("%s/issues/%d/award_emoji", api, is.IID), Project: api,
		},
		References: referencesJSON{
			Short: fmt.Sprintf("#%d", is.IID), Relative: fmt.Sprintf("#%d", is.IID), Full: fmt.Sprintf("%s#%d", p.Path, is.IID),
		},
		Severity: is.Severity, Subscribed: true,
	}
}

func (s *Server) noteJSON(n *Note) noteJSON {
	return noteJSON{
		ID: n.ID, Body: n.Body, Author: s.userRef(n.Author), CreatedAt: restTime(n.CreatedAt),
		UpdatedAt: restTime(n.UpdatedAt), System: n.System, NoteableID: n.IssueID, NoteableType: "Issue",
		ProjectID: n.ProjectID, NoteableIID: n.IssueIID, Confidential: n.Internal, Internal: n.Internal,
		ImportedFrom: "none", CommandsChanges: map[string]any{},
	}
}

func (s *Server) linkJSON(l *IssueLink) issueLinkJSON {
	return issueLinkJSON{
		SourceIssue: s.issueJSON(s.issues[l.SourceIssueID]),
		TargetIssue: s.issueJSON(s.issues[l.TargetIssueID]),
		LinkType:    l.LinkType,
	}
}

// restTime marshals as GitLab's REST timestamps: UTC with milliseconds.
type restTime time.Time

func (t restTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

func optTime(t *time.Time) *restTime {
	if t == nil {
		return nil
	}
	r := restTime(*t)
	return &r
}

// Wire structs: field names exactly as GitLab's API entities.

type userJSON struct {
	ID        int    `json:"id"`
	Username  string `json:"username"`
	Name      string `json:"name"`
	State     string `json:"state"`
	Locked    bool   `json:"locked"`
	AvatarURL string `json:"avatar_url"`
	WebURL    string `json:"web_url"`
}

type currentUserJSON struct {
	userJSON
	CreatedAt   restTime `json:"created_at"`
	Bio         string   `json:"bio"`
	PublicEmail string   `json:"public_email"`
	Email       string   `json:"email"`
	Bot         bool     `json:"bot"`
}

type namespaceJSON struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	Path     string `json:"path"`
	Kind     string `json:"kind"`
	FullPath string `json:"full_path"`
}

type projectJSON struct {
	ID                int               `json:"id"`
	Description       *string           `json:"description"`
	Name              string            `json:"name"`
	NameWithNamespace string            `json:"name_with_namespace"`
	Path              string            `json:"path"`
	PathWithNamespace string            `json:"path_with_namespace"`
	CreatedAt         restTime          `json:"created_at"`
	DefaultBranch     string            `json:"default_branch"`
	WebURL            string            `json:"web_url"`
	Visibility        string            `json:"visibility"`
	IssuesEnabled     bool              `json:"issues_enabled"`
	Namespace         namespaceJSON     `json:"namespace"`
	Links             map[string]string `json:"_links"`
}

type timeStatsJSON struct {
	TimeEstimate        int     `json:"time_estimate"`
	TotalTimeSpent      int     `json:"total_time_spent"`
	HumanTimeEstimate   *string `json:"human_time_estimate"`
	HumanTotalTimeSpent *string `json:"human_total_time_spent"`
}

type taskStatusJSON struct {
	Count          int `json:"count"`
	CompletedCount int `json:"completed_count"`
}

type issueLinksJSON struct {
	Self                string  `json:"self"`
	Notes               string  `json:"notes"`
	AwardEmoji          string  `json:"award_emoji"`
	Project             string  `json:"project"`
	ClosedAsDuplicateOf *string `json:"closed_as_duplicate_of"`
}

type referencesJSON struct {
	Short    string `json:"short"`
	Relative string `json:"relative"`
	Full     string `json:"full"`
}

type issueJSON struct {
	ID                   int            `json:"id"`
	IID                  int            `json:"iid"`
	ProjectID            int            `json:"project_id"`
	Title                string         `json:"title"`
	Description          string         `json:"description"`
	State                string         `json:"state"`
	CreatedAt            restTime       `json:"created_at"`
	UpdatedAt            restTime       `json:"updated_at"`
	ClosedAt             *restTime      `json:"closed_at"`
	ClosedBy             *userJSON      `json:"closed_by"`
	Labels               []string       `json:"labels"`
	Milestone            any            `json:"milestone"`
	Assignees            []userJSON     `json:"assignees"`
	Author               *userJSON      `json:"author"`
	Type                 string         `json:"type"`
	Assignee             *userJSON      `json:"assignee"`
	UserNotesCount       int            `json:"user_notes_count"`
	MergeRequestsCount   int            `json:"merge_requests_count"`
	Upvotes              int            `json:"upvotes"`
	Downvotes            int            `json:"downvotes"`
	DueDate              *string        `json:"due_date"`
	Confidential         bool           `json:"confidential"`
	DiscussionLocked     *bool          `json:"discussion_locked"`
	IssueType            string         `json:"issue_type"`
	WebURL               string         `json:"web_url"`
	TimeStats            timeStatsJSON  `json:"time_stats"`
	TaskCompletionStatus taskStatusJSON `json:"task_completion_status"`
	HasTasks             bool           `json:"has_tasks"`
	Links                issueLinksJSON `json:"_links"`
	References           referencesJSON `json:"references"`
	Severity             string         `json:"severity"`
	Subscribed           bool           `json:"subscribed"`
	MovedToID            *int           `json:"moved_to_id"`
	ServiceDeskReplyTo   *string        `json:"service_desk_reply_to"`
}

type relatedIssueJSON struct {
	issueJSON
	IssueLinkID   int      `json:"issue_link_id"`
	LinkType      string   `json:"link_type"`
	LinkCreatedAt restTime `json:"link_created_at"`
	LinkUpdatedAt restTime `json:"link_updated_at"`
}

type issueLinkJSON struct {
	SourceIssue issueJSON `json:"source_issue"`
	TargetIssue issueJSON `json:"target_issue"`
	LinkType    string    `json:"link_type"`
}

type noteJSON struct {
	ID              int            `json:"id"`
	Type            *string        `json:"type"`
	Body            string         `json:"body"`
	Attachment      *string        `json:"attachment"`
	Author          *userJSON      `json:"author"`
	CreatedAt       restTime       `json:"created_at"`
	UpdatedAt       restTime       `json:"updated_at"`
	System          bool           `json:"system"`
	NoteableID      int            `json:"noteable_id"`
	NoteableType    string         `json:"noteable_type"`
	ProjectID       int            `json:"project_id"`
	Resolvable      bool           `json:"resolvable"`
	Confidential    bool           `json:"confidential"`
	Internal        bool           `json:"internal"`
	Imported        bool           `json:"imported"`
	ImportedFrom    string         `json:"imported_from"`
	NoteableIID     int            `json:"noteable_iid"`
	CommandsChanges map[string]any `json:"commands_changes"`
}

type uploadJSON struct {
	ID       int    `json:"id"`
	Alt      string `json:"alt"`
	URL      string `json:"url"`
	FullPath string `json:"full_path"`
	Markdown string `json:"markdown"`
}

type uploaderJSON struct {
	ID       int    `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

type uploadListJSON struct {
	ID         int           `json:"id"`
	Size       int           `json:"size"`
	Filename   string        `json:"filename"`
	CreatedAt  restTime      `json:"created_at"`
	UploadedBy *uploaderJSON `json:"uploaded_by"`
}
