// Package gitlabfake is an in-memory fake of the parts of GitLab that Blotter's
// sync uses: the REST API v4 (issues, notes, uploads, issue links, users,
// projects, project wikis) and the GraphQL API (incident timeline events, severity,
// escalation status). It runs on httptest.NewServer, keeps its state in memory
// behind one mutex, takes an injectable clock, and can inject faults (500, 429,
// slow answers, a connection dropped after the change was committed) so that
// the sync engine's retry and idempotency logic can be tested without a real
// GitLab.
//
// The shapes follow GitLab's documentation and source:
//
//   - REST issues:        https://docs.gitlab.com/api/issues/
//   - REST notes:         https://docs.gitlab.com/api/notes/
//   - REST uploads:       https://docs.gitlab.com/api/project_markdown_uploads/
//   - REST issue links:   https://docs.gitlab.com/api/issue_links/
//   - REST users:         https://docs.gitlab.com/api/users/
//   - REST projects:      https://docs.gitlab.com/api/projects/
//   - REST project wikis: https://docs.gitlab.com/api/wikis/
//   - REST basics:        https://docs.gitlab.com/api/rest/ (auth, status codes, pagination)
//   - scopes:             https://docs.gitlab.com/user/profile/personal_access_tokens/#personal-access-token-scopes
//   - rate-limit headers: https://docs.gitlab.com/user/gitlab_com/#rate-limits-on-gitlabcom
//   - notes rate limit:   https://docs.gitlab.com/administration/settings/rate_limit_on_notes_creation/
//   - GraphQL reference:  https://docs.gitlab.com/api/graphql/reference/
//   - timeline events:    https://docs.gitlab.com/operations/incident_management/incident_timeline_events/
//   - incidents:          https://docs.gitlab.com/operations/incident_management/manage_incidents/
//
// Where the documentation is silent, the behaviour was taken from GitLab's
// source (gitlab-org/gitlab): app/models/incident_management/timeline_event.rb
// (280-character limit on user-entered notes), app/services/incident_management/
// timeline_events/*.rb (tag validation, automatic events), lib/api/notes.rb and
// lib/api/helpers/notes_helpers.rb (notes), lib/api/issue_links.rb (links),
// lib/api/wikis.rb, app/models/wiki.rb and app/models/wiki_page.rb (wiki
// slugs, duplicate titles, renames).
//
// A note for tests that use gitlab.com/gitlab-org/api/client-go: that client
// reads RateLimit-Limit from its first answer and then throttles itself, and it
// retries 429 and 5xx answers on its own (even for POST). Tests of this fake
// and of the sync engine should pass gitlab.WithoutRetries() and a custom
// no-op limiter (gitlab.WithCustomLimiter), so that retries are the engine's.
//
// What is not modelled is listed in the comment at the end of server.go and
// at the top of graphql.go.
package gitlabfake

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// Now is the clock for every timestamp the fake records and for its rate
	// limit windows. Nil means time.Now. Delays injected as faults use real
	// time, since they are about the wire.
	Now func() time.Time

	// NotesPerMinute is the per-user limit on note creation (POST
	// .../notes), counted in fixed one-minute windows of Now. Zero means 300,
	// GitLab's documented default; a negative value turns the limit off.
	NotesPerMinute int

	// RequestsPerMinute is the value sent in RateLimit-Limit on every answer.
	// Zero means 2000 (GitLab.com's authenticated API limit).
	RequestsPerMinute int

	// EnforceRequestLimit makes the fake answer 429 once a user exceeds
	// RequestsPerMinute in a window; otherwise the headers are only reported.
	EnforceRequestLimit bool

	// ScopedLabels makes "key::value" labels exclusive, as on GitLab Premium
	// and Ultimate: adding one removes any other label with the same key.
	// False models GitLab Free, where both labels stay.
	ScopedLabels bool

	// MaxUploadSize is the largest accepted upload in bytes. Zero means
	// 100 MiB (GitLab's default maximum attachment size).
	MaxUploadSize int64

	// MaxNotesPerIssue is the number of notes after which GitLab refuses new
	// ones. Zero means 5000.
	MaxNotesPerIssue int
}

// Server is the fake GitLab. Create it with New and stop it with Close.
// All exported methods are safe for concurrent use.
type Server struct {
	opts Options
	ts   *httptest.Server

	mu sync.Mutex

	users       map[int]*User
	userByName  map[string]*User
	tokens      map[string]*token
	projects    map[int]*Project
	projectPath map[string]*Project
	issues      map[int]*Issue // by global id
	notes       map[int]*Note
	events      map[int]*TimelineEvent
	uploads     map[int]*Upload
	links       map[int]*IssueLink
	tags        map[int][]*timelineEventTag // by project id
	wikiPages   map[int][]*WikiPage         // by project id
	nextID      map[string]int
	nextIID     map[int]int // by project id

	noteWindows map[int]*window // by user id
	reqWindows  map[int]*window // by user id

	requests map[string]int
	creates  map[string]int
	injected map[string]int

	rules []*Rule
	chaos *chaos
}

type token struct {
	value   string
	user    *User
	scopes  []string
	revoked bool
}

type window struct {
	start time.Time
	count int
}

// User is a GitLab user known to the fake.
type User struct {
	ID       int
	Username string
	Name     string
}

// Project is a GitLab project known to the fake.
type Project struct {
	ID     int
	Path   string // full path, "group/project"
	Name   string
	WebURL string
}

// Issue is a snapshot of an issue (or incident) held by the fake.
type Issue struct {
	ID           int // global id ("gid://gitlab/Issue/<ID>")
	IID          int // per-project number
	ProjectID    int
	ProjectPath  string
	Title        string
	Description  string
	State        string // "opened" or "closed"
	IssueType    string // "issue", "incident", "test_case" or "task"
	Labels       []string
	Assignees    []string // usernames
	Author       string   // username
	DueDate      string   // "YYYY-MM-DD" or ""
	Confidential bool
	// Severity is one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN.
	Severity string
	// EscalationStatus is TRIGGERED, ACKNOWLEDGED, RESOLVED or IGNORED for
	// incidents and "" for other issues.
	EscalationStatus string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	ClosedAt         *time.Time
	ClosedBy         string
}

// Note is a snapshot of a comment or system note on an issue.
type Note struct {
	ID        int
	IssueID   int // global id of the issue
	IssueIID  int
	ProjectID int
	Body      string
	Author    string // username
	System    bool
	Internal  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TimelineEvent is a snapshot of an incident timeline event.
type TimelineEvent struct {
	ID        int // "gid://gitlab/IncidentManagement::TimelineEvent/<ID>"
	IssueID   int
	IssueIID  int
	ProjectID int
	Note      string
	NoteHTML  string
	// Action is "comment" for events made by people, "issues", "status" or
	// "severity" for the events GitLab makes itself.
	Action             string
	Editable           bool
	Tags               []string
	OccurredAt         time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Author             string // username
	UpdatedBy          string // username, "" if never updated
	PromotedFromNoteID int
}

// Upload is a snapshot of a project upload.
type Upload struct {
	ID        int
	ProjectID int
	Secret    string
	Filename  string
	Content   []byte
	Uploader  string // username
	CreatedAt time.Time
}

// URL returns the upload's relative URL, "/uploads/<secret>/<filename>", as
// GitLab answers it in "url".
func (u Upload) URL() string { return "/uploads/" + u.Secret + "/" + u.Filename }

// IssueLink is a snapshot of a relation between two issues.
type IssueLink struct {
	ID            int
	SourceIssueID int
	TargetIssueID int
	LinkType      string // relates_to, blocks or is_blocked_by (from the source)
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

type timelineEventTag struct {
	id   int
	name string
}

// PredefinedTimelineEventTags are the tags every GitLab project accepts on
// timeline events (IncidentManagement::TimelineEventTag::PREDEFINED_TAGS).
var PredefinedTimelineEventTags = []string{
	"Start time",
	"End time",
	"Impact detected",
	"Response initiated",
	"Impact mitigated",
	"Cause identified",
}

// New starts a fake GitLab on a local httptest server.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.NotesPerMinute == 0 {
		opts.NotesPerMinute = 300
	}
	if opts.RequestsPerMinute == 0 {
		opts.RequestsPerMinute = 2000
	}
	if opts.MaxUploadSize == 0 {
		opts.MaxUploadSize = 100 << 20
	}
	if opts.MaxNotesPerIssue == 0 {
		opts.MaxNotesPerIssue = 5000
	}
	s := &Server{
		opts:        opts,
		users:       map[int]*User{},
		userByName:  map[string]*User{},
		tokens:      map[string]*token{},
		projects:    map[int]*Project{},
		projectPath: map[string]*Project{},
		issues:      map[int]*Issue{},
		notes:       map[int]*Note{},
		events:      map[int]*TimelineEvent{},
		uploads:     map[int]*Upload{},
		links:       map[int]*IssueLink{},
		tags:        map[int][]*timelineEventTag{},
		wikiPages:   map[int][]*WikiPage{},
		nextIID:     map[int]int{},
		noteWindows: map[int]*window{},
		reqWindows:  map[int]*window{},
		requests:    map[string]int{},
		creates:     map[string]int{},
		injected:    map[string]int{},
		// IDs of different kinds start far apart, so that a client mixing up
		// an id and an iid, or an issue id and a note id, fails loudly.
		nextID: map[string]int{
			"user": 1, "project": 100, "issue": 1000, "note": 5000,
			"event": 200, "upload": 300, "link": 400, "tag": 50,
		},
	}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// URL returns the base URL of the fake, without a trailing slash. Configure
// REST clients with URL()+"/api/v4"; GraphQL is at URL()+"/api/graphql".
func (s *Server) URL() string { return s.ts.URL }

// Close stops the server and closes its connections.
func (s *Server) Close() {
	s.ts.CloseClientConnections()
	s.ts.Close()
}

// Client returns an *http.Client that talks to the fake.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// AddUser adds a user with a personal access token. With no scopes the token
// has the "api" scope. Other recognised scopes are "read_api" (reads only)
// and "read_user" (GET /user and GET /users only).
func (s *Server) AddUser(username, tok string, scopes ...string) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.userByName[username]
	if !ok {
		u = &User{ID: s.newID("user"), Username: username, Name: displayName(username)}
		s.users[u.ID] = u
		s.userByName[username] = u
	}
	if tok != "" {
		s.addTokenLocked(u, tok, scopes)
	}
	return *u
}

// AddToken gives an existing user another token.
func (s *Server) AddToken(username, tok string, scopes ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.userByName[username]
	if !ok {
		return fmt.Errorf("gitlabfake: no user %q", username)
	}
	s.addTokenLocked(u, tok, scopes)
	return nil
}

func (s *Server) addTokenLocked(u *User, tok string, scopes []string) {
	if len(scopes) == 0 {
		scopes = []string{"api"}
	}
	s.tokens[tok] = &token{value: tok, user: u, scopes: append([]string(nil), scopes...)}
}

// RevokeToken revokes a token: GitLab then answers 401 with error
// "invalid_token".
func (s *Server) RevokeToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tokens[tok]; ok {
		t.revoked = true
	}
}

// AddProject adds a project with a full path such as "security/incidents".
// Every user of the fake may read and write every project.
func (s *Server) AddProject(path string) Project {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.projectPath[path]; ok {
		return *p
	}
	name := path
	if i := strings.LastIndex(path, "/"); i >= 0 {
		name = path[i+1:]
	}
	p := &Project{ID: s.newID("project"), Path: path, Name: name, WebURL: s.ts.URL + "/" + path}
	s.projects[p.ID] = p
	s.projectPath[path] = p
	return *p
}

// AddTimelineEventTag adds a custom timeline event tag to a project, as
// GitLab's timelineEventTagCreate mutation does.
func (s *Server) AddTimelineEventTag(projectPath, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.projectPath[projectPath]
	if !ok {
		return fmt.Errorf("gitlabfake: no project %q", projectPath)
	}
	s.tagLocked(p.ID, name, true)
	return nil
}

// Issue returns a snapshot of the issue with the given iid in a project.
func (s *Server) Issue(projectPath string, iid int) (Issue, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.issueByPath(projectPath, iid)
	if is == nil {
		return Issue{}, false
	}
	return copyIssue(is), true
}

// Issues returns snapshots of a project's issues, by iid.
func (s *Server) Issues(projectPath string) []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.projectPath[projectPath]
	var out []Issue
	for _, is := range s.issues {
		if p != nil && is.ProjectID == p.ID {
			out = append(out, copyIssue(is))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].IID < out[j].IID })
	return out
}

// Notes returns snapshots of all notes of an issue, system notes included,
// oldest first.
func (s *Server) Notes(projectPath string, iid int) []Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.issueByPath(projectPath, iid)
	if is == nil {
		return nil
	}
	var out []Note
	for _, n := range s.notesOf(is) {
		out = append(out, *n)
	}
	return out
}

// TimelineEvents returns snapshots of an incident's timeline events in
// GitLab's order (occurred_at, then id).
func (s *Server) TimelineEvents(projectPath string, iid int) []TimelineEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.issueByPath(projectPath, iid)
	if is == nil {
		return nil
	}
	var out []TimelineEvent
	for _, e := range s.eventsOf(is) {
		c := *e
		c.Tags = append([]string(nil), e.Tags...)
		out = append(out, c)
	}
	return out
}

// Uploads returns snapshots of a project's uploads, oldest first.
func (s *Server) Uploads(projectPath string) []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.projectPath[projectPath]
	var out []Upload
	for _, u := range s.uploads {
		if p != nil && u.ProjectID == p.ID {
			c := *u
			c.Content = append([]byte(nil), u.Content...)
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// IssueLinks returns snapshots of the links that have the issue as source or
// target, oldest first.
func (s *Server) IssueLinks(projectPath string, iid int) []IssueLink {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.issueByPath(projectPath, iid)
	if is == nil {
		return nil
	}
	var out []IssueLink
	for _, l := range s.linksOf(is) {
		out = append(out, *l)
	}
	return out
}

// Stats is a snapshot of the fake's counters.
type Stats struct {
	// Requests counts requests by endpoint: REST as "METHOD /pattern"
	// (a Route constant), GraphQL as "graphql:<rootField>".
	Requests map[string]int
	// Creates counts objects created through the API by kind: "issue",
	// "note", "upload", "issue_link", "timeline_event", "wiki_page". Objects
	// made by the Actor helpers, system notes and GitLab's automatic timeline
	// events are not counted.
	Creates map[string]int
	// Faults counts injected faults by kind ("status_500", "rate_limit",
	// "delay", "drop", "drop_after_commit", ...).
	Faults map[string]int
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{Requests: copyCounts(s.requests), Creates: copyCounts(s.creates), Faults: copyCounts(s.injected)}
}

// Requests returns how many requests reached an endpoint key (see Stats).
func (s *Server) Requests(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[key]
}

// Creates returns how many objects of a kind were created through the API.
func (s *Server) Creates(kind string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.creates[kind]
}

// ResetStats zeroes the counters.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = map[string]int{}
	s.creates = map[string]int{}
	s.injected = map[string]int{}
}

// ManualClock is a clock for Options.Now that moves only when told to.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{t: t} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// serveHTTP counts the request, applies faults, then dispatches it.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	// Identify the endpoint first: faults and counters are keyed by it.
	var ep endpoint
	switch {
	case r.URL.Path == "/api/graphql":
		ep = s.graphqlEndpoint(r)
	case strings.HasPrefix(r.URL.Path, "/api/v4/"):
		ep = s.restEndpoint(r)
	default:
		ep = endpoint{keys: []string{"unknown"}, handle: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "404 Not Found"})
		}}
	}

	s.mu.Lock()
	for _, k := range ep.keys {
		s.requests[k]++
	}
	f := s.pickFaultLocked(ep)
	s.mu.Unlock()

	hw := &headerWriter{ResponseWriter: w, s: s, r: r}
	s.applyFault(hw, r, ep, f)
}

// endpoint is a request routed to its handler, with the keys that name it.
type endpoint struct {
	keys   []string
	write  bool // changes state: non-GET REST or a GraphQL mutation
	handle http.HandlerFunc
}

// headerWriter adds GitLab's RateLimit-* headers to every answer.
type headerWriter struct {
	http.ResponseWriter
	s           *Server
	r           *http.Request
	wroteHeader bool
	// extra headers set by faults (429) override the computed ones.
	resetAt   time.Time
	remaining int
	override  bool
	bare      bool
}

func (h *headerWriter) WriteHeader(code int) {
	if h.wroteHeader {
		return
	}
	h.wroteHeader = true
	if !h.bare {
		h.s.rateLimitHeaders(h.ResponseWriter.Header(), h.r, h)
	}
	h.ResponseWriter.WriteHeader(code)
}

func (h *headerWriter) Write(b []byte) (int, error) {
	if !h.wroteHeader {
		h.WriteHeader(http.StatusOK)
	}
	return h.ResponseWriter.Write(b)
}

// rateLimitHeaders sets RateLimit-Limit, -Observed, -Remaining, -Reset and
// -ResetTime for the requesting user's current one-minute window.
func (s *Server) rateLimitHeaders(hdr http.Header, r *http.Request, hw *headerWriter) {
	s.mu.Lock()
	now := s.opts.Now()
	limit := s.opts.RequestsPerMinute
	observed := 0
	start := now.Truncate(time.Minute)
	if t := s.tokens[requestToken(r)]; t != nil {
		if w := s.reqWindows[t.user.ID]; w != nil && w.start.Equal(start) {
			observed = w.count
		}
	}
	s.mu.Unlock()
	reset := start.Add(time.Minute)
	remaining := limit - observed
	if remaining < 0 {
		remaining = 0
	}
	if hw != nil && hw.override {
		reset, remaining = hw.resetAt, hw.remaining
	}
	hdr.Set("RateLimit-Limit", strconv.Itoa(limit))
	hdr.Set("RateLimit-Observed", strconv.Itoa(observed))
	hdr.Set("RateLimit-Remaining", strconv.Itoa(remaining))
	hdr.Set("RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	hdr.Set("RateLimit-ResetTime", reset.UTC().Format(http.TimeFormat))
}

// authenticate resolves the request's token. It returns the user, or an
// answer to send (401) when the token is missing, unknown or revoked.
func (s *Server) authenticateLocked(r *http.Request) (*token, *apiError) {
	v := requestToken(r)
	if v == "" {
		return nil, &apiError{status: 401, body: map[string]string{"message": "401 Unauthorized"}}
	}
	t, ok := s.tokens[v]
	if !ok {
		return nil, &apiError{status: 401, body: map[string]string{"message": "401 Unauthorized"}}
	}
	if t.revoked {
		return nil, &apiError{status: 401, body: map[string]string{
			"error":             "invalid_token",
			"error_description": "Token was revoked. You have to re-authorize from the user profile.",
		}}
	}
	return t, nil
}

// countRequestLocked counts a request in the user's window and reports
// whether the general request limit is exceeded.
func (s *Server) countRequestLocked(u *User) (exceeded bool, retryAfter int) {
	now := s.opts.Now()
	start := now.Truncate(time.Minute)
	w := s.reqWindows[u.ID]
	if w == nil || !w.start.Equal(start) {
		w = &window{start: start}
		s.reqWindows[u.ID] = w
	}
	w.count++
	if s.opts.EnforceRequestLimit && w.count > s.opts.RequestsPerMinute {
		return true, int(start.Add(time.Minute).Sub(now).Seconds() + 0.999)
	}
	return false, 0
}

// requestToken reads a token from PRIVATE-TOKEN, Authorization: Bearer, or
// the private_token / access_token query parameters.
func requestToken(r *http.Request) string {
	if v := r.Header.Get("PRIVATE-TOKEN"); v != "" {
		return v
	}
	if v := r.Header.Get("Authorization"); v != "" {
		if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
			return strings.TrimSpace(v[7:])
		}
	}
	if v := r.URL.Query().Get("private_token"); v != "" {
		return v
	}
	return r.URL.Query().Get("access_token")
}

// hasScope reports whether a token with scopes may do a read or a write.
// It returns the scopes GitLab would name as required, for the 403 answer.
func hasScope(scopes []string, write bool, userOnly bool) (bool, string) {
	for _, sc := range scopes {
		switch sc {
		case "api":
			return true, ""
		case "read_api":
			if !write {
				return true, ""
			}
		case "read_user":
			if !write && userOnly {
				return true, ""
			}
		}
	}
	if write {
		return false, "api"
	}
	return false, "api read_api"
}

// apiError is an answer other than success: a status and a JSON body.
type apiError struct {
	status int
	body   any
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %v", e.status, e.body) }

func notFound(what string) *apiError {
	return &apiError{status: 404, body: map[string]string{"message": "404 " + what + " Not Found"}}
}

func badRequest(reason string) *apiError {
	return &apiError{status: 400, body: map[string]string{"message": "400 Bad request - " + reason}}
}

func forbidden() *apiError {
	return &apiError{status: 403, body: map[string]string{"message": "403 Forbidden"}}
}

// missing answers like Grape when a required parameter is absent.
func missing(param string) *apiError {
	return &apiError{status: 400, body: map[string]string{"error": param + " is missing"}}
}

func (s *Server) newID(kind string) int {
	id := s.nextID[kind]
	s.nextID[kind] = id + 1
	return id
}

func (s *Server) now() time.Time {
	// GitLab stores microseconds and answers milliseconds in REST.
	return s.opts.Now().UTC().Truncate(time.Microsecond)
}

func (s *Server) issueByPath(path string, iid int) *Issue {
	p := s.projectPath[path]
	if p == nil {
		return nil
	}
	return s.issueByIID(p.ID, iid)
}

func (s *Server) issueByIID(projectID, iid int) *Issue {
	for _, is := range s.issues {
		if is.ProjectID == projectID && is.IID == iid {
			return is
		}
	}
	return nil
}

func (s *Server) notesOf(is *Issue) []*Note {
	var out []*Note
	for _, n := range s.notes {
		if n.IssueID == is.ID {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Server) eventsOf(is *Issue) []*TimelineEvent {
	var out []*TimelineEvent
	for _, e := range s.events {
		if e.IssueID == is.ID {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].OccurredAt.Equal(out[j].OccurredAt) {
			return out[i].OccurredAt.Before(out[j].OccurredAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func (s *Server) linksOf(is *Issue) []*IssueLink {
	var out []*IssueLink
	for _, l := range s.links {
		if l.SourceIssueID == is.ID || l.TargetIssueID == is.ID {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// tagLocked finds a project's tag by name, case-insensitively, creating it
// when create is set.
func (s *Server) tagLocked(projectID int, name string, create bool) *timelineEventTag {
	for _, t := range s.tags[projectID] {
		if strings.EqualFold(t.name, name) {
			return t
		}
	}
	if !create {
		return nil
	}
	t := &timelineEventTag{id: s.newID("tag"), name: name}
	s.tags[projectID] = append(s.tags[projectID], t)
	return t
}

func copyIssue(is *Issue) Issue {
	c := *is
	c.Labels = append([]string(nil), is.Labels...)
	c.Assignees = append([]string(nil), is.Assignees...)
	return c
}

func copyCounts(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func displayName(username string) string {
	if username == "" {
		return ""
	}
	return strings.ToUpper(username[:1]) + username[1:]
}

// uploadSecret derives the 32-hex-digit secret of an upload
// deterministically, so that runs of a test are identical.
func uploadSecret(projectID, uploadID int, filename string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d/%d/%s", projectID, uploadID, filename)))
	return hex.EncodeToString(sum[:16])
}

// Not modelled (known gaps; see also the comment at the top of graphql.go):
//   - permissions and roles: every user is a Developer on every project
//     (only a note's author may edit or delete it), projects are private,
//     anonymous REST requests get 401; confidential issues are not hidden;
//     only the "api", "read_api" and "read_user" token scopes; no token
//     expiry (RevokeToken stands in);
//   - Markdown: note_html and noteHtml are HTML-escaped text in a <p>, not
//     GitLab Flavored Markdown; quick actions (/close, /timeline ...) in notes
//     are stored as text and not executed (GitLab answers 202 for a note made
//     only of commands);
//   - label and state changes are resource events in GitLab, not notes, so
//     the notes API shows no note for them here either; the wording of the
//     other system notes (title, due date, assignees) is approximate;
//   - issues: no milestones, epics, weights, iterations, time tracking,
//     award emoji, moves, deletion or search; list filters are limited to
//     state, labels, iids[], issue_type, assignee_username, author_username,
//     created/updated after/before, order_by created_at/updated_at, sort;
//   - offset pagination only (no keyset); X-Total is always sent;
//   - webhooks, ETags and conditional requests, and the GraphQL createNote
//     and timelineEventTagCreate mutations (AddTimelineEventTag stands in);
//   - wikis: pages only (no attachments, versions, history, redirects
//     after a rename, page templates, group wikis or wiki-disabled
//     projects); render_html stands in like note_html; front matter is
//     read and written as flat "key: value" lines, not full YAML; no limit
//     on content size; every user may delete pages;
//   - error texts that could not be checked against GitLab's source are
//     marked as approximate where they are produced.
