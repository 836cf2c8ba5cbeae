package slackfake

// Fault injection on Web API methods (and the upload and download URLs):
// answer 429 or another status instead of handling the call, or never
// answer, by rule (Fail).

import (
	"net/http"
	"strconv"
	"time"
)

type faultKind int

const (
	faultStatus faultKind = iota + 1
	faultRateLimit
	faultHang
	faultDropAfterCommit
)

// Fault is what happens to a matched call. Build one with RateLimited,
// Status or Hang, and adjust it with Times or Forever.
type Fault struct {
	kind       faultKind
	status     int
	retryAfter time.Duration
	times      int // 0 means once; -1 forever
}

// RateLimited answers HTTP 429 with Retry-After in whole seconds (at least
// 1), as Slack's rate limiter does; slack-go turns it into a
// *slack.RateLimitedError.
func RateLimited(retryAfter time.Duration) Fault {
	return Fault{kind: faultRateLimit, retryAfter: retryAfter}
}

// Status answers the given HTTP status (500, 502, 503 ...) with an HTML
// body, as Slack's front end does on errors; slack-go turns it into a
// slack.StatusCodeError.
func Status(code int) Fault { return Fault{kind: faultStatus, status: code} }

// Hang never answers: the call ends when the client gives up (its context
// ends and the connection closes) or the server closes.
func Hang() Fault { return Fault{kind: faultHang} }

// DropAfterCommit handles the call (the message is posted, the file shared) and then drops
// the connection without an answer: the client cannot know the call succeeded, which is
// what an idempotent retry must survive.
func DropAfterCommit() Fault { return Fault{kind: faultDropAfterCommit} }

// Times returns the fault applied to the next n matching calls (the
// default is 1).
func (f Fault) Times(n int) Fault { f.times = n; return f }

// Forever returns the fault applied to every matching call until the rule
// is removed.
func (f Fault) Forever() Fault { f.times = -1; return f }

// Rule is a fault installed with Fail.
type Rule struct {
	s         *Server
	method    string
	fault     Fault
	remaining int // -1 forever
	hits      int
}

// Hits returns how many calls the rule has faulted.
func (r *Rule) Hits() int {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return r.hits
}

// Remove uninstalls the rule.
func (r *Rule) Remove() {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	for i, x := range r.s.rules {
		if x == r {
			r.s.rules = append(r.s.rules[:i], r.s.rules[i+1:]...)
			return
		}
	}
}

// Fail installs a fault for calls of method ("chat.postMessage",
// MethodUpload, MethodDownload); "" matches every call. Rules are tried in
// the order they were installed; the first one that matches and has uses
// left applies.
func (s *Server) Fail(method string, f Fault) *Rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := f.times
	if n == 0 {
		n = 1
	}
	r := &Rule{s: s, method: method, fault: f, remaining: n}
	s.rules = append(s.rules, r)
	return r
}

// ClearFaults removes every rule.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = nil
}

// pickFaultLocked chooses the fault for a call, if any.
func (s *Server) pickFaultLocked(method string) *Fault {
	for _, r := range s.rules {
		if r.remaining == 0 || (r.method != "" && r.method != method) {
			continue
		}
		if r.remaining > 0 {
			r.remaining--
		}
		r.hits++
		f := r.fault
		return &f
	}
	return nil
}

// withFaults counts the call and applies a fault instead of next, if a
// rule says so.
func (s *Server) withFaults(method string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls[method]++
		f := s.pickFaultLocked(method)
		s.mu.Unlock()
		if f == nil {
			next(w, r)
			return
		}
		switch f.kind {
		case faultDropAfterCommit:
			next(discardResponse{h: http.Header{}}, r)
			panic(http.ErrAbortHandler)
		case faultRateLimit:
			secs := max(1, int((f.retryAfter+time.Second-1)/time.Second))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			writeJSONStatus(w, http.StatusTooManyRequests, obj{"ok": false, "error": "ratelimited"})
		case faultStatus:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(f.status)
			w.Write([]byte("<html><body><h1>" + strconv.Itoa(f.status) + " " +
				http.StatusText(f.status) + "</h1></body></html>\n"))
		case faultHang:
			select {
			case <-r.Context().Done():
			case <-s.done:
			}
			// Close the connection without an answer rather than let
			// net/http send an empty 200.
			panic(http.ErrAbortHandler)
		}
	}
}

func writeJSONStatus(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	writeJSON(w, v)
}

// discardResponse takes a handled call's answer and throws it away.
type discardResponse struct{ h http.Header }

func (d discardResponse) Header() http.Header         { return d.h }
func (d discardResponse) Write(b []byte) (int, error) { return len(b), nil }
func (d discardResponse) WriteHeader(int)             {}
