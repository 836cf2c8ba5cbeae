package slackfake

// Socket Mode: apps.connections.open hands out a one-time WebSocket URL on
// this server; the socket says hello, is pinged every PingInterval, carries
// envelopes to the app and the app's acks back.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

type socket struct {
	conn     *websocket.Conn
	wmu      sync.Mutex // gorilla allows one writer at a time
	done     chan struct{}
	once     sync.Once
	draining bool // told to disconnect: no new envelopes (guarded by Server.mu)
}

func (so *socket) write(data []byte) error {
	so.wmu.Lock()
	defer so.wmu.Unlock()
	so.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return so.conn.WriteMessage(websocket.TextMessage, data)
}

func (so *socket) writeJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return so.write(b)
}

// close drops the connection without a close frame, as a network failure
// or a Slack server going away would.
func (so *socket) close() {
	so.once.Do(func() {
		close(so.done)
		so.conn.Close()
	})
}

// appsConnectionsOpen issues a single-use connection URL, as Slack does
// ("wss://wss-primary.slack.com/link/?ticket=...&app_id=..."), here plain
// ws:// on this server.
func (s *Server) appsConnectionsOpen(q *request) (obj, error) {
	s.nextID++
	ticket := fmt.Sprintf("%08x-%04x-4000-8000-%012x", s.now().Unix(), s.nextID, s.nextID)
	s.tickets[ticket] = true
	u := "ws://" + strings.TrimPrefix(strings.TrimSuffix(s.baseURL, "/"), "http://") +
		"/link/?ticket=" + ticket + "&app_id=" + AppID
	return obj{"url": u}, nil
}

var upgrader = websocket.Upgrader{
	// socketmode.Client sends Origin: https://api.slack.com.
	CheckOrigin: func(*http.Request) bool { return true },
}

func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	valid := s.tickets[ticket] && !s.revoked
	delete(s.tickets, ticket)
	s.mu.Unlock()
	select {
	case <-s.done:
		valid = false
	default:
	}
	if !valid {
		http.Error(w, "invalid ticket", http.StatusUnauthorized)
		return
	}
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	so := &socket{conn: conn, done: make(chan struct{})}
	conn.SetPongHandler(func(string) error {
		s.mu.Lock()
		s.pongs++
		s.mu.Unlock()
		return nil
	})

	// Hello goes first; the socket takes envelopes only after it.
	s.mu.Lock()
	n := len(s.sockets) + 1
	interval := s.PingInterval
	s.mu.Unlock()
	err = so.writeJSON(obj{
		"type":            "hello",
		"num_connections": n,
		"debug_info": obj{"host": "applink-fake", "build_number": 1,
			"approximate_connection_time": 18060},
		"connection_info": obj{"app_id": AppID},
	})
	if err != nil {
		so.close()
		return
	}
	s.mu.Lock()
	s.sockets = append(s.sockets, so)
	s.socketOpens++
	s.mu.Unlock()
	select {
	case <-s.done:
		so.close() // Close ran while we said hello
	default:
	}
	s.flushPending()

	go s.pingLoop(so, interval)
	s.readLoop(so)
	so.close()
	s.removeSocket(so)
}

func (s *Server) pingLoop(so *socket, interval time.Duration) {
	if interval <= 0 {
		interval = 10 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			// WriteControl may run concurrently with the other writes.
			if err := so.conn.WriteControl(websocket.PingMessage, []byte("ping"),
				time.Now().Add(5*time.Second)); err != nil {
				so.close()
				return
			}
		case <-so.done:
			return
		case <-s.done:
			return
		}
	}
}

// readLoop takes the app's acks ({"envelope_id": ..., "payload": ...})
// until the socket fails or closes. Pongs are counted by the pong handler.
func (s *Server) readLoop(so *socket) {
	for {
		_, data, err := so.conn.ReadMessage()
		if err != nil {
			return
		}
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &ack) != nil || ack.EnvelopeID == "" {
			continue
		}
		s.mu.Lock()
		if env, ok := s.envelopes[ack.EnvelopeID]; ok {
			env.acks++
			if env.ackedAt.IsZero() {
				env.ackedAt = time.Now()
				env.ackPayload = ack.Payload
				close(env.ackCh)
			}
		}
		s.mu.Unlock()
	}
}

func (s *Server) removeSocket(so *socket) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := slices.Index(s.sockets, so); i >= 0 {
		s.sockets = slices.Delete(s.sockets, i, i+1)
	}
}

// SocketConnections returns how many sockets were opened (and said hello)
// since the server started; reconnects count.
func (s *Server) SocketConnections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.socketOpens
}

// OpenSockets returns how many sockets are open now.
func (s *Server) OpenSockets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sockets)
}

// Pongs returns how many pongs the server received in answer to its pings.
func (s *Server) Pongs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pongs
}

// DropSockets closes every open socket abruptly, without a close frame or
// a disconnect message: the client must notice and reconnect.
func (s *Server) DropSockets() {
	s.mu.Lock()
	socks := s.sockets
	s.sockets = nil
	s.mu.Unlock()
	for _, so := range socks {
		so.close()
	}
}

// AskReconnect sends {"type":"disconnect","reason":"refresh_requested"}
// on every open socket, as Slack does before it recycles a connection.
// The sockets stay open until the client closes them, but get no new
// envelopes.
func (s *Server) AskReconnect() {
	s.mu.Lock()
	var socks []*socket
	for _, so := range s.sockets {
		if !so.draining {
			so.draining = true
			socks = append(socks, so)
		}
	}
	s.mu.Unlock()
	for _, so := range socks {
		so.writeJSON(obj{"type": "disconnect", "reason": "refresh_requested",
			"debug_info": obj{"host": "applink-fake"}})
	}
}

// envelope is a Socket Mode request and what became of it.
type envelope struct {
	id           string
	typ          string // events_api, interactive
	payload      json.RawMessage
	acceptsResp  bool
	retryAttempt int
	retryReason  string
	sentAt       time.Time // first written to a socket
	ackedAt      time.Time // first ack
	acks         int
	ackPayload   json.RawMessage
	ackCh        chan struct{} // closed at the first ack
}

func (e *envelope) wire() ([]byte, error) {
	return json.Marshal(obj{
		"envelope_id":              e.id,
		"type":                     e.typ,
		"accepts_response_payload": e.acceptsResp,
		"payload":                  e.payload,
		"retry_attempt":            e.retryAttempt,
		"retry_reason":             e.retryReason,
	})
}

func (s *Server) newEnvelopeLocked(typ string, payload obj, acceptsResp bool) *envelope {
	b, err := json.Marshal(payload)
	if err != nil {
		panic("slackfake: " + err.Error())
	}
	s.nextEnv++
	e := &envelope{
		id:          fmt.Sprintf("%08x-%04x-4f4b-8a4b-%012x", s.now().Unix(), s.nextEnv&0xffff, s.nextEnv),
		typ:         typ,
		payload:     b,
		acceptsResp: acceptsResp,
		ackCh:       make(chan struct{}),
	}
	s.envelopes[e.id] = e
	return e
}

// deliver writes the envelope to the newest open socket that is not
// draining, or queues it until a socket connects: Slack keeps undelivered
// events and retries them, so nothing sent while the app reconnects is
// lost.
func (s *Server) deliver(e *envelope) {
	s.mu.Lock()
	var so *socket
	for i := len(s.sockets) - 1; i >= 0; i-- {
		if !s.sockets[i].draining {
			so = s.sockets[i]
			break
		}
	}
	data, err := e.wire()
	if so == nil || err != nil {
		s.pending = append(s.pending, e)
		s.mu.Unlock()
		return
	}
	if e.sentAt.IsZero() {
		e.sentAt = time.Now()
	}
	s.mu.Unlock()
	if err := so.write(data); err != nil {
		so.close()
		s.removeSocket(so)
		s.mu.Lock()
		s.pending = append(s.pending, e)
		s.mu.Unlock()
		s.flushPending()
	}
}

// flushPending delivers the queued envelopes if a socket is open.
func (s *Server) flushPending() {
	s.mu.Lock()
	open := false
	for _, so := range s.sockets {
		open = open || !so.draining
	}
	pending := s.pending
	if open {
		s.pending = nil
	}
	s.mu.Unlock()
	if !open {
		return
	}
	for _, e := range pending {
		s.deliver(e)
	}
}
