package gitlabfake

// Fault injection: answer 5xx or 429 instead of handling a request, delay
// it, or drop the connection, before or after the change is committed; by
// rule (Fail) or at random with a seeded source (SetChaos).

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"
)

// Match selects requests. All set fields must match; the zero Match
// matches every request.
type Match struct {
	// Route is a REST route key such as RouteCreateNote
	// ("POST /projects/{id}/issues/{iid}/notes").
	Route string
	// GraphQL is a GraphQL root field such as "timelineEventCreate"; it
	// matches an operation that has this root field.
	GraphQL string
	// Method matches REST requests with this HTTP method ("POST").
	Method string
	// Writes matches only requests that change state: REST requests other
	// than GET, and GraphQL mutations.
	Writes bool
}

// OnRoute matches a REST endpoint by its route key (a Route constant).
func OnRoute(route string) Match { return Match{Route: route} }

// OnGraphQL matches GraphQL operations with the given root field.
func OnGraphQL(rootField string) Match { return Match{GraphQL: rootField} }

// OnWrites matches every request that changes state.
func OnWrites() Match { return Match{Writes: true} }

func (m Match) matches(ep endpoint) bool {
	if m.Writes && !ep.write {
		return false
	}
	if m.Route != "" && !hasKey(ep.keys, m.Route) {
		return false
	}
	if m.GraphQL != "" && !hasKey(ep.keys, "graphql:"+m.GraphQL) {
		return false
	}
	if m.Method != "" {
		found := false
		for _, k := range ep.keys {
			if len(k) > len(m.Method) && k[:len(m.Method)+1] == m.Method+" " {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func hasKey(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

type faultKind int

const (
	faultStatus faultKind = iota + 1
	faultRateLimit
	faultDrop
	faultDelay
)

// Fault is what happens to a matched request. Build one with Error500,
// Status, RateLimit, Drop, DropAfterCommit or Delay, and adjust it with
// AfterCommit, Times, Forever and WithoutRateLimitHeaders.
type Fault struct {
	kind        faultKind
	status      int
	retryAfter  time.Duration
	delay       time.Duration
	afterCommit bool
	bare        bool
	times       int // 0 means once; -1 forever
}

// Error500 answers 500 Internal Server Error without handling the request.
func Error500() Fault { return Status(http.StatusInternalServerError) }

// Status answers the given status (500, 502, 503 ...) without handling the
// request.
func Status(code int) Fault { return Fault{kind: faultStatus, status: code} }

// RateLimit answers 429 Too Many Requests as GitLab's request throttle does
// ("Retry later"), with Retry-After in whole seconds and RateLimit-Reset set
// to the fake clock's now plus retryAfter.
func RateLimit(retryAfter time.Duration) Fault {
	return Fault{kind: faultRateLimit, retryAfter: retryAfter}
}

// Drop closes the connection without handling the request or answering.
func Drop() Fault { return Fault{kind: faultDrop} }

// DropAfterCommit handles the request, so its change is applied, and then
// closes the connection without answering: the client sees an error though
// the object exists. A retry that is not idempotent makes a duplicate.
func DropAfterCommit() Fault { return Drop().AfterCommit() }

// Delay waits d before handling the request. If the client gives up first
// (its context is done and the connection closed), the request is not
// handled. With AfterCommit the request is handled first and only the
// answer is delayed, so a client that times out has still made the change.
func Delay(d time.Duration) Fault { return Fault{kind: faultDelay, delay: d} }

// AfterCommit returns the fault applied after the request was handled: its
// change is committed, and the fault replaces or delays the answer.
func (f Fault) AfterCommit() Fault { f.afterCommit = true; return f }

// Times returns the fault applied to the next n matching requests (the
// default is 1).
func (f Fault) Times(n int) Fault { f.times = n; return f }

// Forever returns the fault applied to every matching request until the
// rule is removed.
func (f Fault) Forever() Fault { f.times = -1; return f }

// WithoutRateLimitHeaders drops Retry-After and the RateLimit-* headers
// from the fault's answer, as some GitLab 429s (GraphQL, Cloudflare) come.
func (f Fault) WithoutRateLimitHeaders() Fault { f.bare = true; return f }

// name is the fault's key in Stats.Faults.
func (f Fault) name() string {
	var n string
	switch f.kind {
	case faultStatus:
		n = "status_" + strconv.Itoa(f.status)
	case faultRateLimit:
		n = "rate_limit"
	case faultDrop:
		n = "drop"
	case faultDelay:
		n = "delay"
	}
	if f.afterCommit {
		n += "_after_commit"
	}
	return n
}

// Rule is a fault installed with Fail.
type Rule struct {
	s         *Server
	match     Match
	fault     Fault
	remaining int // -1 forever
	hits      int
}

// Hits returns how many requests the rule has faulted.
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

// Fail installs a fault for the requests that match. Rules are tried in the
// order they were installed; the first one that matches and has uses left
// applies.
func (s *Server) Fail(m Match, f Fault) *Rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := f.times
	if n == 0 {
		n = 1
	}
	r := &Rule{s: s, match: m, fault: f, remaining: n}
	s.rules = append(s.rules, r)
	return r
}

// ClearFaults removes every rule and stops chaos.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = nil
	s.chaos = nil
}

// Chaos configures random faults, for benchmarks of the sync engine under
// an unreliable GitLab.
type Chaos struct {
	// Seed seeds the random source: the same seed and the same sequence of
	// requests give the same faults.
	Seed uint64
	// Rate is the probability that a matching request gets a fault.
	Rate float64
	// Faults are chosen from uniformly. Nil means Error500(),
	// RateLimit(time.Second) and DropAfterCommit().
	Faults []Fault
	// Match selects the requests; the zero Match means writes only.
	Match Match
}

type chaos struct {
	cfg Chaos
	rng *rand.Rand
}

// SetChaos turns on random faults (and replaces an earlier configuration).
// Rules installed with Fail take precedence.
func (s *Server) SetChaos(c Chaos) {
	if c.Faults == nil {
		c.Faults = []Fault{Error500(), RateLimit(time.Second), DropAfterCommit()}
	}
	if c.Match == (Match{}) {
		c.Match = OnWrites()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chaos = &chaos{cfg: c, rng: rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))}
}

// StopChaos turns random faults off.
func (s *Server) StopChaos() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chaos = nil
}

// pickFaultLocked chooses the fault for a request, if any.
func (s *Server) pickFaultLocked(ep endpoint) *Fault {
	for _, r := range s.rules {
		if r.remaining == 0 || !r.match.matches(ep) {
			continue
		}
		if r.remaining > 0 {
			r.remaining--
		}
		r.hits++
		f := r.fault
		s.injected[f.name()]++
		return &f
	}
	if c := s.chaos; c != nil && len(c.cfg.Faults) > 0 && c.cfg.Match.matches(ep) {
		if c.rng.Float64() < c.cfg.Rate {
			f := c.cfg.Faults[c.rng.IntN(len(c.cfg.Faults))]
			s.injected[f.name()]++
			return &f
		}
	}
	return nil
}

// applyFault serves a request through its fault, or plainly without one.
func (s *Server) applyFault(w *headerWriter, r *http.Request, ep endpoint, f *Fault) {
	if f == nil {
		ep.handle(w, r)
		return
	}
	graphql := len(ep.keys) > 0 && len(ep.keys[0]) > 8 && ep.keys[0][:8] == "graphql:"

	// Before commit: the request is not handled unless a delay ends.
	if !f.afterCommit {
		switch f.kind {
		case faultStatus:
			s.writeStatusFault(w, f.status, graphql)
		case faultRateLimit:
			s.writeRateLimitFault(w, f)
		case faultDrop:
			dropConnection(w)
		case faultDelay:
			if sleepCtx(r.Context(), f.delay) {
				ep.handle(w, r)
			}
		}
		return
	}

	// After commit: handle the request into a recorder, then decide what
	// the client gets.
	rec := httptest.NewRecorder()
	ep.handle(rec, r)
	switch f.kind {
	case faultStatus:
		s.writeStatusFault(w, f.status, graphql)
	case faultRateLimit:
		s.writeRateLimitFault(w, f)
	case faultDrop:
		dropConnection(w)
	case faultDelay:
		if sleepCtx(r.Context(), f.delay) {
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		}
	}
}

func (s *Server) writeStatusFault(w http.ResponseWriter, code int, graphql bool) {
	msg := fmt.Sprintf("%d %s", code, http.StatusText(code))
	if graphql {
		writeJSON(w, code, map[string]any{"errors": []map[string]string{{"message": msg}}})
		return
	}
	writeJSON(w, code, map[string]string{"message": msg})
}

func (s *Server) writeRateLimitFault(w *headerWriter, f *Fault) {
	if f.bare {
		w.bare = true
	} else {
		secs := int((f.retryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		w.override = true
		w.remaining = 0
		w.resetAt = s.opts.Now().Add(time.Duration(secs) * time.Second)
	}
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusTooManyRequests)
	w.Write([]byte("Retry later\n"))
}

// dropConnection closes the client's connection without an answer, by
// hijacking it; where hijacking is impossible it aborts the handler, which
// net/http also turns into a closed connection.
func dropConnection(w *headerWriter) {
	if hj, ok := w.ResponseWriter.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// sleepCtx waits d and reports true, or reports false as soon as ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
