// Package gitlab is Blotter's client for the GitLab API: the thin layer the sync engine calls to
// mirror an incident into a GitLab incident issue (its timeline events, comments, uploads and
// task issues) and to read back what other responders changed there.
//
// Every method makes one request (a listing makes one per page) and never retries: retries and
// pacing belong to the sync engine, which knows whether a write may be repeated. client-go's own
// retries (it would repeat a POST) and its self-configuring rate limiter are switched off. A
// failed call returns an *APIError that says whether to retry, when, whether the write may have
// been applied anyway (Uncertain), and whether the token is the problem (AuthFailed).
//
// Creates take a marker, a short unique string the engine derives from the local subject id,
// which the client embeds invisibly in what it creates; FindIssueByMarker, FindNoteByMarker and
// FindTimelineEventByMarker find the one object GitLab committed when an answer was lost, so a
// retry never makes a duplicate. See marker.go.
//
// Text that leaves the machine goes through Neutralize (GitLab references and quick actions made
// inert) after blotter.MaskSecrets; see text.go.
//
// GitLab API documentation:
//
//   - REST basics:      https://docs.gitlab.com/api/rest/ (auth, status codes, pagination)
//   - REST issues:      https://docs.gitlab.com/api/issues/
//   - REST notes:       https://docs.gitlab.com/api/notes/
//   - REST uploads:     https://docs.gitlab.com/api/project_markdown_uploads/
//   - REST issue links: https://docs.gitlab.com/api/issue_links/
//   - REST users:       https://docs.gitlab.com/api/users/
//   - REST projects:    https://docs.gitlab.com/api/projects/
//   - token self:       https://docs.gitlab.com/api/personal_access_tokens/#get-single-personal-access-token
//   - rate limits:      https://docs.gitlab.com/user/gitlab_com/#rate-limits-on-gitlabcom
//   - GraphQL:          https://docs.gitlab.com/api/graphql/reference/ (timelineEventCreate,
//     timelineEventUpdate, timelineEventDestroy, timelineEventPromoteFromNote, issueSetSeverity,
//     issueSetEscalationStatus, Project.incidentManagementTimelineEvents)
//   - timeline events:  https://docs.gitlab.com/operations/incident_management/incident_timeline_events/
//   - quick actions:    https://docs.gitlab.com/user/project/quick_actions/
//   - references:       https://docs.gitlab.com/user/markdown/#gitlab-specific-references
package gitlab

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	glapi "gitlab.com/gitlab-org/api/client-go"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Defaults for New.
const (
	DefaultTimeout       = 30 * time.Second // a whole request, answer included
	DefaultUploadTimeout = 10 * time.Minute // an upload, which streams a whole file
	userAgent            = "blotter"
	maxErrorBody         = 64 << 10 // bytes of an error answer kept for its message
	maxGraphQLAnswer     = 32 << 20 // bytes of a GraphQL answer read at most
	perPage              = 100      // GitLab's largest page
	maxPages             = 10000    // a guard against a server that pages forever
)

// Client talks to one GitLab instance with one token. It is safe for concurrent use.
type Client struct {
	base       string // GitLab's root without a trailing slash: https://gitlab.example.com
	token      string
	gl         *glapi.Client
	http       *http.Client // GraphQL
	uploadHTTP *http.Client // uploads: the same transport with a longer timeout
	now        func() time.Time

	mu   sync.Mutex
	rate RateLimit
}

// RateLimit is what GitLab's RateLimit-* headers said on the last answer that had them, so the
// engine can pace itself before GitLab answers 429.
type RateLimit struct {
	Limit     int       // requests allowed in the window
	Remaining int       // requests left in the window
	Reset     time.Time // when the window resets
	Seen      time.Time // when the answer arrived (by the client's clock)
}

// Option configures a Client.
type Option func(*options)

type options struct {
	timeout       time.Duration
	uploadTimeout time.Duration
	httpClient    *http.Client
	now           func() time.Time
}

// WithTimeout sets the time limit of one request, answer included (DefaultTimeout otherwise;
// zero means none, leaving it to the context).
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithUploadTimeout sets the time limit of one upload (DefaultUploadTimeout otherwise).
func WithUploadTimeout(d time.Duration) Option { return func(o *options) { o.uploadTimeout = d } }

// WithHTTPClient uses hc's transport, cookie jar and redirect policy. The client's timeouts still
// come from WithTimeout and WithUploadTimeout. Without it, redirects are not followed: a GitLab
// address that redirects is reported, since a redirected POST would arrive as a GET.
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.httpClient = hc } }

// WithClock sets the clock that Retry-After dates and RateLimit-Reset times are measured against
// (time.Now otherwise).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// New returns a client for the GitLab at baseURL (its root, such as https://gitlab.example.com
// or https://example.com/gitlab; a trailing /api/v4 is accepted) acting with token. It makes no
// request; Check does. It returns an EINVALID error for an address that is not an http(s) URL
// or an empty token.
func New(baseURL, token string, opts ...Option) (*Client, error) {
	o := options{timeout: DefaultTimeout, uploadTimeout: DefaultUploadTimeout, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if o.now == nil {
		o.now = time.Now
	}
	base, err := normalizeBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(token) == "" {
		return nil, blotter.Errorf(blotter.EINVALID, "gitlab: no access token")
	}

	c := &Client{base: base, token: token, now: o.now}

	// One transport for REST, GraphQL and uploads; it records rate limits and error bodies.
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if o.httpClient != nil {
		cp := *o.httpClient
		hc = &cp
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = &recorder{next: next, c: c}
	hc.Timeout = o.timeout
	c.http = hc
	up := *hc
	up.Timeout = o.uploadTimeout
	c.uploadHTTP = &up

	c.gl, err = glapi.NewClient(token,
		glapi.WithURLWarningLogger(slog.New(slog.DiscardHandler)),
		glapi.WithBaseURL(base+"/api/v4/"),
		glapi.WithHTTPClient(hc),
		glapi.WithoutRetries(),
		glapi.WithCustomLimiter(noLimiter{}),
		glapi.WithUserAgent(userAgent),
	)
	if err != nil {
		return nil, blotter.Errorf(blotter.EINVALID, "gitlab: %v", err)
	}
	return c, nil
}

// BaseURL returns GitLab's root address as the client uses it.
func (c *Client) BaseURL() string { return c.base }

// RateLimit returns the rate limit GitLab reported last; the zero value if it never did.
func (c *Client) RateLimit() RateLimit {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rate
}

func normalizeBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", blotter.Errorf(blotter.EINVALID, "gitlab: the GitLab address %q is not an http(s) URL such as https://gitlab.example.com", raw)
	}
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, "/api/v4")
	u.Path, u.RawPath = strings.TrimRight(p, "/"), ""
	return u.String(), nil
}

// noLimiter switches client-go's own rate limiter off: pacing belongs to the sync engine.
type noLimiter struct{}

// Wait never waits.
func (noLimiter) Wait(context.Context) error { return nil }

// exchange is what the transport saw of one call's answer: client-go keeps neither the body of
// a 404 nor the headers of a failed decode.
type exchange struct {
	status int
	header http.Header
	body   []byte // the start of an answer of status 300 or more
}

type exchangeKey struct{}

// recorder is the transport under every request: it notes rate-limit headers and, for a call
// that carries an exchange in its context, the answer's status, headers and error body.
type recorder struct {
	next http.RoundTripper
	c    *Client
}

// RoundTrip sends the request and records what the answer says.
func (t *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	t.c.noteRateLimit(resp.Header)
	if ex, ok := req.Context().Value(exchangeKey{}).(*exchange); ok {
		ex.status, ex.header, ex.body = resp.StatusCode, resp.Header.Clone(), nil
		if resp.StatusCode >= 300 {
			// Keep the start of the body for the error, and hand the whole body on.
			b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
			ex.body = b
			resp.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
		}
	}
	return resp, nil
}

func (c *Client) noteRateLimit(h http.Header) {
	limit, err := strconv.Atoi(h.Get("RateLimit-Limit"))
	if err != nil {
		return
	}
	rl := RateLimit{Limit: limit, Seen: c.now()}
	rl.Remaining, _ = strconv.Atoi(h.Get("RateLimit-Remaining"))
	if s, err := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64); err == nil {
		rl.Reset = time.Unix(s, 0).UTC()
	}
	c.mu.Lock()
	c.rate = rl
	c.mu.Unlock()
}

// rest runs one client-go call with an exchange in its context and turns its error into an
// *APIError. write says whether the call changes state (for Uncertain).
func (c *Client) rest(ctx context.Context, op string, write bool, call func(glapi.RequestOptionFunc) error) error {
	ex := &exchange{}
	err := call(glapi.WithContext(context.WithValue(ctx, exchangeKey{}, ex)))
	if err == nil {
		return nil
	}
	if ex.status == 0 {
		return c.transportError(op, write, err)
	}
	if ex.status < 300 {
		return c.answerError(op, write, ex.status, ex.header, err)
	}
	return c.statusError(op, write, ex.status, ex.header, ex.body)
}

// pages calls fetch for page 1, 2, … until GitLab's X-Next-Page is empty or fetch says stop.
func (c *Client) pages(ctx context.Context, op string, fetch func(page int64, o glapi.RequestOptionFunc) (next int64, stop bool, err error)) error {
	page := int64(1)
	for n := 0; n < maxPages; n++ {
		var next int64
		var stop bool
		err := c.rest(ctx, op, false, func(o glapi.RequestOptionFunc) error {
			var err error
			next, stop, err = fetch(page, o)
			return err
		})
		if err != nil {
			return err
		}
		if stop || next == 0 {
			return nil
		}
		if next <= page {
			return &APIError{Op: op, Code: blotter.EINTERNAL, Message: fmt.Sprintf("GitLab's next page (%d) does not follow page %d", next, page)}
		}
		page = next
	}
	return &APIError{Op: op, Code: blotter.EINTERNAL, Message: fmt.Sprintf("more than %d pages", maxPages)}
}

// graphql runs one GraphQL operation against /api/graphql with plain net/http (client-go's
// helper drops a base path such as /gitlab), decoding "data" into out. An answer with top-level
// "errors" is an error even with HTTP 200. mutation says whether it changes state.
func (c *Client) graphql(ctx context.Context, op string, mutation bool, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(gqlRequest{Query: query, Variables: vars})
	if err != nil {
		return &APIError{Op: op, Code: blotter.EINTERNAL, Message: err.Error(), Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/graphql", bytes.NewReader(body))
	if err != nil {
		return &APIError{Op: op, Code: blotter.EINTERNAL, Message: err.Error(), Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("PRIVATE-TOKEN", c.token)
	req.Header.Set("User-Agent", userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(op, mutation, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxGraphQLAnswer))
	if err != nil {
		return c.transportError(op, mutation, err)
	}
	if resp.StatusCode != http.StatusOK {
		return c.statusError(op, mutation, resp.StatusCode, resp.Header, data)
	}
	var env gqlResponse
	if err := json.Unmarshal(data, &env); err != nil {
		return c.answerError(op, mutation, resp.StatusCode, resp.Header, err)
	}
	if len(env.Errors) > 0 {
		return graphqlError(op, mutation, env.Errors)
	}
	if out != nil {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return c.answerError(op, mutation, resp.StatusCode, resp.Header, err)
		}
	}
	return nil
}

// Global IDs, as GraphQL names objects.

// IssueGID returns the GraphQL global id of the issue (or incident) with the given id (not iid).
func IssueGID(id int64) string { return "gid://gitlab/Issue/" + strconv.FormatInt(id, 10) }

// NoteGID returns the GraphQL global id of a note.
func NoteGID(id int64) string { return "gid://gitlab/Note/" + strconv.FormatInt(id, 10) }

// TimelineEventGID returns the GraphQL global id of a timeline event.
func TimelineEventGID(id int64) string {
	return "gid://gitlab/IncidentManagement::TimelineEvent/" + strconv.FormatInt(id, 10)
}

// parseGID returns the numeric id at the end of a global id, or 0.
func parseGID(gid string) int64 {
	i := strings.LastIndexByte(gid, '/')
	if i < 0 {
		return 0
	}
	n, _ := strconv.ParseInt(gid[i+1:], 10, 64)
	return n
}

func checkProject(op, project string) error {
	if strings.TrimSpace(project) == "" {
		return &APIError{Op: op, Code: blotter.EINVALID, Message: "no project given"}
	}
	return nil
}

// errorsAs is errors.As for a target type, returning the match.
func errorsAs[T error](err error) (T, bool) {
	var t T
	ok := errors.As(err, &t)
	return t, ok
}

// Wire structs.

type gqlRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

type gqlError struct {
	Message string `json:"message"`
}
