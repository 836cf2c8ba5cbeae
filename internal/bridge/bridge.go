// Package bridge serves the app's bound Go methods and events over HTTP, shaped like the Wails
// runtime that the frontend's generated bindings call (window.go.app.X.Method and
// window.runtime.EventsOnMultiple). It lets a real browser (Playwright driving Chromium) run the
// real frontend against the real Go services without a desktop window. It is a test harness:
// it listens on loopback only and has no authentication.
package bridge

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"reflect"
	"strings"
	"sync"
)

// Server dispatches calls to bound structs and streams events.
type Server struct {
	// Drop, if set, handles POST /__bridge/drop (a JSON list of paths), standing in for a drop
	// of files on the desktop window, which a browser cannot make.
	Drop func(paths []string)
	// Launch, if set, handles POST /__bridge/launch (a JSON list of arguments), standing in for
	// a second launch handing its arguments over (what 'blotter capture note' does).
	Launch func(args []string)
	// FormatError, if set, shapes a bound method's error as Wails' ErrorFormatter does: the
	// page's promise rejects with its JSON. Without it the rejection is the error's message.
	FormatError func(error) any

	methods map[string]reflect.Value // "Timeline.AddNote" -> bound method
	assets  fs.FS
	extra   http.Handler // serves what the frontend does not (the evidence files)

	mu      sync.Mutex
	clients map[chan []byte]bool
}

// New binds the exported methods of each struct (by its type name, as Wails does).
func New(bindings []any, assets fs.FS, extra http.Handler) *Server {
	s := &Server{methods: map[string]reflect.Value{}, assets: assets, extra: extra, clients: map[chan []byte]bool{}}
	for _, b := range bindings {
		v := reflect.ValueOf(b)
		name := reflect.Indirect(v).Type().Name()
		for i := 0; i < v.NumMethod(); i++ {
			s.methods[name+"."+v.Type().Method(i).Name] = v.Method(i)
		}
	}
	return s
}

// list hands a POSTed JSON list of strings to fn.
func (s *Server) list(w http.ResponseWriter, r *http.Request, fn func([]string)) {
	var list []string
	if err := json.NewDecoder(r.Body).Decode(&list); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fn(list)
}

// Emit sends an event to every connected page.
func (s *Server) Emit(event string, data any) {
	msg, err := json.Marshal(map[string]any{"name": event, "data": data})
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		select {
		case c <- msg:
		default: // a stalled page misses events rather than stalling the app
		}
	}
}

// ServeHTTP routes the bridge's endpoints, the evidence handler and the frontend.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/__bridge/call":
		s.call(w, r)
	case r.URL.Path == "/__bridge/drop" && s.Drop != nil:
		s.list(w, r, s.Drop)
	case r.URL.Path == "/__bridge/launch" && s.Launch != nil:
		s.list(w, r, s.Launch)
	case r.URL.Path == "/__bridge/events":
		s.events(w, r)
	case r.URL.Path == "/__bridge/bridge.js":
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, bridgeJS)
	case r.URL.Path == "/" || r.URL.Path == "/index.html":
		s.index(w)
	case strings.HasPrefix(r.URL.Path, "/evidence/"):
		s.extra.ServeHTTP(w, r)
	default:
		http.FileServerFS(s.assets).ServeHTTP(w, r)
	}
}

// index serves the frontend's index.html with the bridge loaded before the app.
func (s *Server) index(w http.ResponseWriter) {
	b, err := fs.ReadFile(s.assets, "index.html")
	if err != nil {
		http.Error(w, "the frontend is not built: run make frontend", http.StatusInternalServerError)
		return
	}
	html := strings.Replace(string(b), "<head>", `<head><script src="/__bridge/bridge.js"></script>`, 1)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, html)
}

// call runs one bound method with JSON arguments, as the Wails IPC does: the result as JSON,
// an error with status 500 as FormatError shapes it (the page's promise rejects with that).
func (s *Server) call(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Method string            `json:"method"`
		Args   []json.RawMessage `json:"args"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	m, ok := s.methods[req.Method]
	if !ok || m.Type().NumIn() != len(req.Args) {
		http.Error(w, "no method "+req.Method+" with that many arguments", http.StatusBadRequest)
		return
	}
	in := make([]reflect.Value, len(req.Args))
	for i, raw := range req.Args {
		arg := reflect.New(m.Type().In(i))
		if err := json.Unmarshal(raw, arg.Interface()); err != nil {
			http.Error(w, fmt.Sprintf("argument %d: %v", i+1, err), http.StatusBadRequest)
			return
		}
		in[i] = arg.Elem()
	}
	out := m.Call(in)
	if len(out) == 0 { // a method with no result (Window.QuickNoteReady): the promise resolves
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("null\n"))
		return
	}
	if last := out[len(out)-1]; last.Type() == reflect.TypeFor[error]() && !last.IsNil() {
		err := last.Interface().(error)
		if s.FormatError == nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_ = json.NewEncoder(w).Encode(s.FormatError(err))
		return
	}
	// The value is the first result unless that is the error (as Wails binds (T), (T, error)
	// and (error) alike).
	var result any
	if len(out) == 2 || (len(out) == 1 && out[0].Type() != reflect.TypeFor[error]()) {
		result = out[0].Interface()
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(result)
}

// events streams events to a page as server-sent events.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan []byte, 64)
	s.mu.Lock()
	s.clients[c] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, ": connected\n\n")
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg := <-c:
			fmt.Fprintf(w, "data: %s\n\n", msg)
			flusher.Flush()
		}
	}
}

// bridgeJS gives the page the window.go and window.runtime that the generated bindings use.
const bridgeJS = `(() => {
  const call = async (method, args) => {
    const res = await fetch('/__bridge/call', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ method, args }) })
    const text = await res.text()
    if (!res.ok) {
      let reason = text.trim()
      if ((res.headers.get('Content-Type') || '').startsWith('application/json')) reason = JSON.parse(reason)
      throw reason
    }
    return text.trim() === '' ? null : JSON.parse(text)
  }
  const structs = new Proxy({}, { get: (_, struct) => new Proxy({}, { get: (_, m) => (...args) => call(struct + '.' + m, args) }) })
  window.go = { app: structs }
  const listeners = {}
  const source = new EventSource('/__bridge/events')
  source.onmessage = (msg) => {
    const { name, data } = JSON.parse(msg.data)
    for (const l of [...(listeners[name] || [])]) l.cb(data)
  }
  window.__bridgeReady = new Promise((resolve) => source.addEventListener('open', resolve, { once: true }))
  window.runtime = {
    EventsOnMultiple(name, cb, max) {
      const l = { cb }
      ;(listeners[name] = listeners[name] || []).push(l)
      return () => { listeners[name] = (listeners[name] || []).filter((x) => x !== l) }
    },
    EventsOff(name) { delete listeners[name] },
    EventsOffAll() { for (const k of Object.keys(listeners)) delete listeners[k] },
    EventsEmit() {},
    BrowserOpenURL(url) { window.__openedURLs = [...(window.__openedURLs || []), url] },
    LogPrint() {}, LogError() {}, LogInfo() {}, LogWarning() {}, LogDebug() {},
  }
})()
`
