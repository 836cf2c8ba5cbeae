// Package slackfake is a stateful fake of the parts of Slack that Blotter
// uses, built on slack-go's own slacktest server: the Web API methods for
// channels, messages, threads, pins, users and files (v2 uploads), and Socket
// Mode (apps.connections.open and the WebSocket that carries events_api and
// interactive envelopes). Tests point a real slack-go client at it with
// slack.OptionAPIURL(srv.APIURL()) and a real socketmode.Client.
//
// slacktest answers with canned JSON and keeps no state, so every method
// Blotter calls is registered here through a slacktest.Binder, which takes
// precedence over slacktest's built-in handler of the same path. The other
// slacktest handlers (rtm.*, chat.postEphemeral, conversations.setTopic ...)
// stay as slacktest wrote them; any other method answers unknown_method.
//
// The JSON shapes follow Slack's method reference (docs.slack.dev/reference/
// methods) and what slack-go parses; the comments at each handler say where
// the fake simplifies.
//
// All state sits behind one mutex. Timestamps come from a clock the test can
// replace (Now); the delays that model Slack's asynchronous work (ShareDelay)
// and the socket pings use real time, since they are about the wire.
//
// Not modelled: scopes (the bot token may call every method, but has no
// chat:write.public, so it must join public channels to post or read),
// archived channels beyond the is_archived checks, reply_broadcast, files
// and file comments as pin items, message events sent on their own (Post,
// Edit and Delete change state silently; send events with React,
// SendMessageChangedEvent, SendMessageDeletedEvent or SendEvent), Slack's
// automatic redelivery of unacked envelopes (use Redeliver), rate limits
// other than the ones injected with Fail, and the response_url of
// interactive payloads (it points at hooks.slack.com and is not served).
package slackfake

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack/slacktest"
)

// The tokens the fake accepts. Any other token answers invalid_auth.
const (
	BotToken = "xoxb-fake-bot"
	AppToken = "xapp-fake-app"
)

// Identity of the workspace and of the bot the tokens belong to.
const (
	TeamID     = "T0FK00TEAM"
	TeamName   = "Fake Team"
	TeamDomain = "fake"
	TeamURL    = "https://fake.slack.com/"
	AppID      = "A0FK000APP"
	BotID      = "B0FK000BOT"
	BotUserID  = "U0FK000BOT"
	BotName    = "blotter"
)

// Pseudo-method names for Fail and Calls: the upload URL returned by
// files.getUploadURLExternal and the url_private(_download) of files. They
// are plain HTTP endpoints, not Web API methods.
const (
	MethodUpload   = "(upload)"
	MethodDownload = "(download)"
)

// Server is a running fake Slack. Create it with New and stop it with Close.
//
// The exported fields may be set right after New, before the code under test
// talks to the server.
type Server struct {
	// Now is the clock for message timestamps (ts), event_time and created
	// fields. Nil means time.Now. Timestamps stay unique and increasing even
	// if the clock stands still or goes back.
	Now func() time.Time
	// ShareDelay is how long after files.completeUploadExternal the file's
	// share shows in files.info (shares, channels), in real time: Slack
	// shares uploads asynchronously. Default 200ms.
	ShareDelay time.Duration
	// PingInterval is how often the server pings every socket. Default 10s,
	// as Slack does; socketmode.Client gives up on a connection after 30s
	// without a ping.
	PingInterval time.Duration

	ts      *slacktest.Server
	baseURL string // "http://127.0.0.1:port/"
	done    chan struct{}
	once    sync.Once

	mu       sync.Mutex
	revoked  bool
	lastTS   int64 // microseconds of the last ts handed out
	nextID   int
	users    map[string]*user
	channels map[string]*channel
	files    map[string]*file
	uploads  map[string]*file // upload URL key -> pending file
	calls    map[string]int
	rules    []*Rule

	// Socket Mode, see socket.go.
	tickets     map[string]bool // issued, unused connection tickets
	sockets     []*socket       // open, oldest first
	socketOpens int
	pongs       int
	envelopes   map[string]*envelope
	pending     []*envelope // waiting for a socket
	nextEnv     int
}

// New starts a fake Slack with no channels and no users but the bot.
func New() *Server {
	s := &Server{
		ShareDelay:   200 * time.Millisecond,
		PingInterval: 10 * time.Second,
		done:         make(chan struct{}),
		users:        map[string]*user{},
		channels:     map[string]*channel{},
		files:        map[string]*file{},
		uploads:      map[string]*file{},
		calls:        map[string]int{},
		tickets:      map[string]bool{},
		envelopes:    map[string]*envelope{},
	}
	s.users[BotUserID] = &user{id: BotUserID, name: BotName, realName: BotName, bot: true}
	s.ts = slacktest.NewTestServer(s.bind)
	s.ts.SetBotName(BotName)
	s.ts.BotID = BotUserID
	s.ts.Start()
	s.baseURL = s.ts.GetAPIURL()
	return s
}

// APIURL is the Web API base URL, ending with "/", for slack.OptionAPIURL.
func (s *Server) APIURL() string { return s.baseURL }

// Close closes every socket, ends hanging requests and stops the server.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.mu.Lock()
		socks := s.sockets
		s.sockets = nil
		s.mu.Unlock()
		for _, so := range socks {
			so.close()
		}
		s.ts.Stop()
	})
}

// RevokeTokens revokes both tokens, as uninstalling the app does: every
// later call answers token_revoked, and open sockets are told
// link_disabled and closed, so a socketmode.Client's reconnect fails for
// good.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	s.revoked = true
	socks := s.sockets
	s.sockets = nil
	s.mu.Unlock()
	for _, so := range socks {
		so.writeJSON(map[string]any{"type": "disconnect", "reason": "link_disabled",
			"debug_info": map[string]any{"host": "applink-fake"}})
		so.close()
	}
}

// Calls returns how many requests a method received, faulted ones included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// bind registers the fake's handlers before slacktest registers its own.
func (s *Server) bind(c slacktest.Customize) {
	methods := map[string]apiFunc{
		"auth.test":                    s.authTest,
		"apps.connections.open":        s.appsConnectionsOpen,
		"conversations.create":         s.conversationsCreate,
		"conversations.join":           s.conversationsJoin,
		"conversations.info":           s.conversationsInfo,
		"conversations.list":           s.conversationsList,
		"conversations.history":        s.conversationsHistory,
		"conversations.replies":        s.conversationsReplies,
		"chat.postMessage":             s.chatPostMessage,
		"chat.update":                  s.chatUpdate,
		"chat.delete":                  s.chatDelete,
		"chat.getPermalink":            s.chatGetPermalink,
		"pins.add":                     s.pinsAdd,
		"users.info":                   s.usersInfo,
		"files.getUploadURLExternal":   s.filesGetUploadURLExternal,
		"files.completeUploadExternal": s.filesCompleteUploadExternal,
		"files.info":                   s.filesInfo,
	}
	for name, fn := range methods {
		c.Handle("/"+name, s.api(name, fn))
	}
	c.Handle("/upload/v1/", s.withFaults(MethodUpload, s.serveUpload))
	c.Handle("/files-pri/", s.withFaults(MethodDownload, s.serveDownload))
	c.Handle("/link/", s.serveSocket)
	c.Handle("/", s.serveFallback)
}

// serveFallback answers unknown methods as Slack does, and serves the
// sign-in page that file downloads without a valid token redirect to.
func (s *Server) serveFallback(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!DOCTYPE html><html><body>Sign in to Fake Team</body></html>\n")
		return
	}
	method := strings.TrimPrefix(r.URL.Path, "/")
	s.mu.Lock()
	s.calls[method]++
	s.mu.Unlock()
	writeJSON(w, obj{"ok": false, "error": "unknown_method"})
}

// obj is a JSON object under construction.
type obj = map[string]any

// apiError is a Web API error answer: HTTP 200 with ok false.
type apiError string

func (e apiError) Error() string { return string(e) }

// request is a parsed Web API call.
type request struct {
	method string
	token  string
	params map[string]string
}

func (q *request) get(k string) string { return q.params[k] }

func (q *request) has(k string) bool { _, ok := q.params[k]; return ok }

// bool reads a boolean argument the ways Slack accepts it ("true", "1").
func (q *request) bool(k string) (v, set bool) {
	raw, ok := q.params[k]
	if !ok || raw == "" {
		return false, false
	}
	return raw == "true" || raw == "1", true
}

// apiFunc handles a call with s.mu held. It returns the answer (without
// "ok") or an apiError.
type apiFunc func(q *request) (obj, error)

// api wraps a Web API method: counting, faults, argument parsing, token
// check, then the handler under the lock.
func (s *Server) api(method string, fn apiFunc) http.HandlerFunc {
	return s.withFaults(method, func(w http.ResponseWriter, r *http.Request) {
		q, err := parseRequest(method, r)
		if err != nil {
			writeJSON(w, obj{"ok": false, "error": "invalid_form_data"})
			return
		}
		s.mu.Lock()
		res, err := s.authorize(q)
		if err == nil {
			res, err = fn(q)
		}
		s.mu.Unlock()
		if err != nil {
			writeJSON(w, obj{"ok": false, "error": err.Error()})
			return
		}
		res["ok"] = true
		writeJSON(w, res)
	})
}

// authorize checks the token: the bot token for every method but
// apps.connections.open, which takes the app-level token only.
func (s *Server) authorize(q *request) (obj, error) {
	switch {
	case q.token == "":
		return nil, apiError("not_authed")
	case q.token != BotToken && q.token != AppToken:
		return nil, apiError("invalid_auth")
	case s.revoked:
		return nil, apiError("token_revoked")
	case (q.method == "apps.connections.open") != (q.token == AppToken):
		return nil, apiError("not_allowed_token_type")
	}
	return nil, nil
}

// parseRequest reads the arguments as slack-go sends them: a form body
// (token in the "token" field), a query string (GET, Bearer token), or a
// JSON body (Bearer token).
func parseRequest(method string, r *http.Request) (*request, error) {
	q := &request{method: method, params: map[string]string{}}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		if len(strings.TrimSpace(string(body))) > 0 {
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				return nil, err
			}
			for k, v := range m {
				q.params[k] = jsonArg(v)
			}
		}
		for k, v := range r.URL.Query() {
			q.params[k] = v[0]
		}
	} else {
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		for k, v := range r.Form {
			q.params[k] = v[0]
		}
	}
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		q.token = strings.TrimPrefix(auth, "Bearer ")
	} else {
		q.token = q.params["token"]
	}
	return q, nil
}

// jsonArg turns a JSON argument into the string a form would carry.
func jsonArg(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case nil:
		return ""
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(b)
}

// now reads the test clock. Call with s.mu held.
func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// nextTSLocked hands out a message timestamp: seconds and six digits of
// microseconds from the clock, bumped by one microsecond when needed so
// that every ts is unique and later than the previous one.
func (s *Server) nextTSLocked() string {
	t := s.now().UnixMicro()
	if t <= s.lastTS {
		t = s.lastTS + 1
	}
	s.lastTS = t
	return formatTS(t)
}

func formatTS(micros int64) string {
	return fmt.Sprintf("%d.%06d", micros/1e6, micros%1e6)
}

// parseTS reads a Slack timestamp ("1700000000.000100", "1700000000",
// "0") into microseconds.
func parseTS(ts string) (int64, bool) {
	secs, frac, _ := strings.Cut(ts, ".")
	sec, err := strconv.ParseInt(secs, 10, 64)
	if err != nil || sec < 0 {
		return 0, false
	}
	var micros int64
	if frac != "" {
		if len(frac) > 6 {
			frac = frac[:6]
		}
		frac += strings.Repeat("0", 6-len(frac))
		if micros, err = strconv.ParseInt(frac, 10, 64); err != nil || micros < 0 {
			return 0, false
		}
	}
	return sec*1e6 + micros, true
}

// newIDLocked makes a Slack-style ID with the given prefix ("C", "F").
func (s *Server) newIDLocked(prefix string) string {
	s.nextID++
	return fmt.Sprintf("%s0FK%06X", prefix, s.nextID)
}

// permalink is the message's link as chat.getPermalink gives it.
func permalink(channelID, ts, threadTS string) string {
	link := TeamURL + "archives/" + channelID + "/p" + strings.Replace(ts, ".", "", 1)
	if threadTS != "" && threadTS != ts {
		link += "?thread_ts=" + url.QueryEscape(threadTS) + "&cid=" + channelID
	}
	return link
}
