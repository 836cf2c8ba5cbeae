package gitlab

// Error classification: what the sync engine does about a failed call, and what a person reads.
// Reference: https://docs.gitlab.com/api/rest/troubleshooting/ (status codes),
// https://docs.gitlab.com/user/gitlab_com/#rate-limits-on-gitlabcom (Retry-After, RateLimit-*).

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// MaxRetryAfter caps the delay GitLab may ask for, so a wrong header cannot stop sync for days.
const MaxRetryAfter = time.Hour

// resourceAccessError is GitLab's GraphQL message for an object that does not exist or may not
// be touched (Gitlab::Graphql::Authorize::AuthorizeResource).
const resourceAccessError = "does not exist or you don't have permission"

// APIError is a failed call to GitLab. Its fields say what the sync engine should do; its
// message is what a person reads. errors.As finds a *blotter.Error in it too (the Code), so the
// CLI's exit codes and the app's error display work unchanged.
type APIError struct {
	Op      string // what was attempted: "create incident", "list notes"
	Status  int    // HTTP status, 0 when no answer arrived
	Code    string // blotter error code: EUNAVAILABLE, EINVALID, ENOTFOUND, ECONFLICT, EINTERNAL
	Message string // what went wrong, with GitLab's own message where it gave one

	// Retryable says the same request may succeed later: 5xx, 429, timeouts, dropped or
	// refused connections. RetryAfter, if not zero, is how long GitLab asked to wait.
	Retryable  bool
	RetryAfter time.Duration

	// Uncertain says a write may have been applied although no success arrived (a dropped
	// connection, a timeout, a 5xx): before repeating a create, look it up by its marker.
	Uncertain bool

	// AuthFailed says the token is the problem (refused, expired, revoked, or missing a scope):
	// sync must stop and ask for a new token. Scope names the scope GitLab requires, if it said.
	AuthFailed bool
	Scope      string

	// NotGitLab says the address answered, but not as GitLab's API does (an HTML page, a
	// redirect): the configured GitLab address is wrong.
	NotGitLab bool

	Err error // the underlying transport or decoding error, if any
}

// Error returns "gitlab: <op>: <message>".
func (e *APIError) Error() string {
	if e.Op == "" {
		return "gitlab: " + e.Message
	}
	return "gitlab: " + e.Op + ": " + e.Message
}

// Unwrap exposes the underlying error (so errors.Is(err, context.Canceled) works) and a
// *blotter.Error with the code and the same message.
func (e *APIError) Unwrap() []error {
	errs := []error{&blotter.Error{Code: e.Code, Message: e.Error()}}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// IsRetryable reports whether err is worth repeating later, and the delay GitLab asked for
// (zero: the engine's own backoff decides).
func IsRetryable(err error) (bool, time.Duration) {
	if e, ok := errorsAs[*APIError](err); ok {
		return e.Retryable, e.RetryAfter
	}
	return false, 0
}

// IsUncertain reports whether err leaves open whether a write was applied.
func IsUncertain(err error) bool {
	e, ok := errorsAs[*APIError](err)
	return ok && e.Uncertain
}

// IsAuthFailed reports whether err is about the token: sync must stop and say so.
func IsAuthFailed(err error) bool {
	e, ok := errorsAs[*APIError](err)
	return ok && e.AuthFailed
}

// IsNotFound reports whether GitLab said the object does not exist (or may not be seen).
func IsNotFound(err error) bool {
	e, ok := errorsAs[*APIError](err)
	return ok && e.Code == blotter.ENOTFOUND
}

// IsConflict reports whether GitLab answered 409: the change is already there (an issue link
// that exists, for instance).
func IsConflict(err error) bool {
	e, ok := errorsAs[*APIError](err)
	return ok && e.Code == blotter.ECONFLICT
}

// transportError classifies a request that got no answer.
func (c *Client) transportError(op string, write bool, err error) *APIError {
	e := &APIError{Op: op, Code: blotter.EUNAVAILABLE, Err: err}
	host := c.host()
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recErr tls.RecordHeaderError
	switch {
	case errors.Is(err, context.Canceled):
		e.Message, e.Uncertain = "cancelled", write
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		e.Message, e.Retryable, e.Uncertain = "GitLab did not answer in time", true, write
	case errors.As(err, &dnsErr):
		e.Message, e.Retryable = fmt.Sprintf("cannot find the host %s (%s)", host, dnsErr.Err), true
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		e.Message = fmt.Sprintf("the TLS certificate of %s is not trusted: %v", host, innermost(err))
	case errors.As(err, &recErr) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		e.Message, e.NotGitLab, e.Code = fmt.Sprintf("%s does not speak https: check the GitLab address", host), true, blotter.EINVALID
	case errors.As(err, &opErr) && opErr.Op == "dial":
		// Refused or unreachable before anything was sent: nothing was applied.
		e.Message, e.Retryable = fmt.Sprintf("cannot reach %s: %v", host, innermost(err)), true
	default:
		// EOF, reset, broken pipe: the request may have been sent and applied.
		e.Message, e.Retryable, e.Uncertain = "the connection was dropped before GitLab answered ("+dropReason(err)+")", true, write
	}
	return e
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func dropReason(err error) string {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "EOF"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.EPIPE):
		return "broken pipe"
	}
	return innermost(err).Error()
}

// innermost returns the deepest error of a single-wrap chain: the reason without the URL.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

func (c *Client) host() string {
	if i := strings.Index(c.base, "://"); i >= 0 {
		return c.base[i+3:]
	}
	return c.base
}

// answerError classifies a 2xx answer that could not be read.
func (c *Client) answerError(op string, write bool, status int, h http.Header, err error) *APIError {
	if errors.Is(err, io.ErrUnexpectedEOF) || isTimeout(err) || errors.Is(err, syscall.ECONNRESET) {
		return c.transportError(op, write, err)
	}
	if !isJSON(h) {
		return c.notGitLab(op, status, h)
	}
	return &APIError{Op: op, Status: status, Code: blotter.EINTERNAL, Uncertain: write, Err: err,
		Message: fmt.Sprintf("GitLab's answer could not be read: %v", err)}
}

func (c *Client) notGitLab(op string, status int, h http.Header) *APIError {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "no content type"
	}
	return &APIError{Op: op, Status: status, Code: blotter.EINVALID, NotGitLab: true,
		Message: fmt.Sprintf("%s does not answer like GitLab's API (%d, %s): check the GitLab address", c.base, status, ct)}
}

// statusError classifies an answer with an error status; body is its start.
func (c *Client) statusError(op string, write bool, status int, h http.Header, body []byte) *APIError {
	e := &APIError{Op: op, Status: status}
	w := parseErrorBody(body)
	msg := w.message()
	withStatus := func(def string) string {
		if msg == "" {
			msg = def
		}
		if strings.HasPrefix(msg, strconv.Itoa(status)) {
			return msg
		}
		return fmt.Sprintf("%d %s", status, msg)
	}
	switch {
	case status == http.StatusTooManyRequests:
		e.Code, e.Retryable, e.RetryAfter = blotter.EUNAVAILABLE, true, c.retryAfter(h)
		e.Message = withStatus("Too Many Requests")
		if e.RetryAfter > 0 {
			e.Message += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
		}
	case status >= 500:
		// The request reached GitLab, which may have applied a write before failing.
		e.Code, e.Retryable, e.Uncertain = blotter.EUNAVAILABLE, true, write
		if status == http.StatusServiceUnavailable {
			e.RetryAfter = c.retryAfter(h)
		}
		if !isJSON(h) {
			msg = "" // a proxy's HTML page says nothing useful
		}
		e.Message = withStatus(http.StatusText(status))
	case status >= 300 && status < 400:
		e.Code, e.NotGitLab = blotter.EINVALID, true
		e.Message = fmt.Sprintf("%s redirects (%d) to %s: use that address for GitLab", c.base, status, redirectBase(h.Get("Location")))
	case status == http.StatusRequestEntityTooLarge:
		e.Code, e.Message = blotter.EINVALID, "413 the file is larger than GitLab accepts"
	case !isJSON(h):
		return c.notGitLab(op, status, h)
	case status == http.StatusUnauthorized:
		e.Code, e.AuthFailed = blotter.EUNAVAILABLE, true
		if w.Error == "invalid_token" && w.ErrorDescription != "" {
			e.Message = "401 GitLab refused the token: " + w.ErrorDescription
		} else {
			e.Message = "401 GitLab refused the token: it is wrong, expired or revoked"
		}
	case status == http.StatusForbidden && w.Error == "insufficient_scope":
		e.Code, e.AuthFailed, e.Scope = blotter.EUNAVAILABLE, true, w.Scope
		e.Message = fmt.Sprintf("403 the token lacks the scope GitLab requires for this (%s)", strings.Join(strings.Fields(w.Scope), " or "))
	case status == http.StatusForbidden:
		e.Code, e.Message = blotter.EINVALID, withStatus("Forbidden")
	case status == http.StatusNotFound:
		e.Code, e.Message = blotter.ENOTFOUND, withStatus("Not Found")
	case status == http.StatusConflict:
		e.Code, e.Message = blotter.ECONFLICT, withStatus("Conflict")
	default: // 400, 422 and the rest: GitLab refused the input
		e.Code, e.Message = blotter.EINVALID, withStatus(http.StatusText(status))
	}
	return e
}

// retryAfter reads how long GitLab asks to wait: Retry-After in seconds or as an HTTP date,
// else RateLimit-Reset (a Unix time), measured against the client's clock.
func (c *Client) retryAfter(h http.Header) time.Duration {
	var d time.Duration
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
			d = time.Duration(min(max(secs, 0), int64(MaxRetryAfter/time.Second))) * time.Second
		} else if t, err := http.ParseTime(v); err == nil {
			d = t.Sub(c.now())
		}
	} else if v := strings.TrimSpace(h.Get("RateLimit-Reset")); v != "" {
		if unix, err := strconv.ParseInt(v, 10, 64); err == nil {
			d = time.Unix(unix, 0).Sub(c.now())
		}
	}
	return min(max(d, 0), MaxRetryAfter)
}

// graphqlError classifies the top-level errors of a GraphQL answer (HTTP 200).
func graphqlError(op string, mutation bool, errs []gqlError) *APIError {
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, e.Message)
	}
	msg := strings.Join(msgs, "; ")
	lower := strings.ToLower(msg)
	e := &APIError{Op: op, Status: http.StatusOK, Message: Excerpt(msg, 500)}
	switch {
	case strings.Contains(lower, "internal server error") || strings.Contains(lower, "timeout") ||
		strings.Contains(lower, "timed out") || strings.Contains(lower, "retry later"):
		e.Code, e.Retryable, e.Uncertain = blotter.EUNAVAILABLE, true, mutation
	case strings.Contains(msg, resourceAccessError):
		e.Code = blotter.ENOTFOUND
	case strings.Contains(lower, "invalid token"):
		e.Code, e.AuthFailed = blotter.EUNAVAILABLE, true
	default: // validation: unknown fields, wrong argument types, business rules
		e.Code = blotter.EINVALID
	}
	return e
}

// payloadError is a mutation's own "errors" list: GitLab refused the change.
func payloadError(op string, errs []string) *APIError {
	return &APIError{Op: op, Status: http.StatusOK, Code: blotter.EINVALID, Message: Excerpt(strings.Join(errs, "; "), 500)}
}

// redirectBase returns a redirect's target without the API path the request had, which is
// the GitLab address to use instead.
func redirectBase(loc string) string {
	for _, p := range []string{"/api/v4/", "/api/graphql"} {
		if i := strings.Index(loc, p); i >= 0 {
			return loc[:i]
		}
	}
	return loc
}

func isJSON(h http.Header) bool {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

func parseErrorBody(b []byte) errorBody {
	var w errorBody
	_ = json.Unmarshal(b, &w)
	return w
}

// message renders GitLab's error shapes: {"message": "..."}, {"message": {"field": ["..."]}},
// {"error": "...", "error_description": "..."}, {"errors": [{"message": "..."}]}.
func (w errorBody) message() string {
	var s string
	switch m := w.Message.(type) {
	case string:
		s = m
	case map[string]any:
		s = flattenMessage(m)
	}
	if s == "" && w.ErrorDescription != "" {
		s = w.ErrorDescription
	}
	if s == "" && w.Error != "" {
		s = w.Error
	}
	if s == "" && len(w.Errors) > 0 {
		var parts []string
		for _, e := range w.Errors {
			parts = append(parts, e.Message)
		}
		s = strings.Join(parts, "; ")
	}
	return Excerpt(strings.TrimSpace(s), 500)
}

func flattenMessage(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		switch v := m[k].(type) {
		case []any:
			var items []string
			for _, x := range v {
				items = append(items, fmt.Sprint(x))
			}
			parts = append(parts, k+" "+strings.Join(items, ", "))
		case string:
			if k == "error" {
				parts = append(parts, v)
			} else {
				parts = append(parts, k+" "+v)
			}
		default:
			parts = append(parts, fmt.Sprintf("%s %v", k, v))
		}
	}
	return strings.Join(parts, "; ")
}

// Wire structs.

type errorBody struct {
	Message          any        `json:"message"`
	Error            string     `json:"error"`
	ErrorDescription string     `json:"error_description"`
	Scope            string     `json:"scope"`
	Errors           []gqlError `json:"errors"`
}
