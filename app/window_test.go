package app_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/blotterapp/blotter/app"
	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/capture"
)

func (r *events) last(event string) any {
	r.mu.Lock()
	defer r.mu.Unlock()
	list := r.events[event]
	if len(list) == 0 {
		return nil
	}
	return list[len(list)-1]
}

// Without a display (as in the browser harness) the modes are layouts: the view is told, and
// the quick-note box returns to the mode it came from.
func TestWindowModes(t *testing.T) {
	s, rec := newServices(t)
	st, err := s.Window.State()
	if err != nil || st.Mode != app.ModeFull || st.Edge != "right" {
		t.Fatalf("State = %+v, %v; want full, right edge", st, err)
	}
	if _, err := s.Window.SetMode("tiny"); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Fatalf("SetMode(tiny) = %v, want EINVALID", err)
	}
	if st, err = s.Window.SetMode(app.ModeSide); err != nil || st.Mode != app.ModeSide || rec.last(app.EventWindowMode) != app.ModeSide {
		t.Fatalf("SetMode(side) = %+v, %v, event %v", st, err, rec.last(app.EventWindowMode))
	}
	at := "2026-11-22T14:03:07.123456789Z"
	s.HandleLaunch([]string{"capture", "note", "--at", at})
	if rec.last(app.EventWindowMode) != app.ModeBox || rec.last(app.EventQuickNote) != at {
		t.Fatalf("capture note: mode %v, quick note %v; want box at %s", rec.last(app.EventWindowMode), rec.last(app.EventQuickNote), at)
	}
	if err := s.Window.EndQuickNote(); err != nil || rec.last(app.EventWindowMode) != app.ModeSide {
		t.Fatalf("EndQuickNote: %v, mode %v; want back to side", err, rec.last(app.EventWindowMode))
	}
	if err := s.Window.Toggle(); err != nil || rec.last(app.EventWindowMode) != app.ModeFull {
		t.Fatalf("Toggle from side: %v, mode %v", err, rec.last(app.EventWindowMode))
	}
	if _, err := s.Window.PlaceSide("DP-2", "top"); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Fatalf("PlaceSide(top) = %v, want EINVALID", err)
	}
	if st, err = s.Window.PlaceSide("DP-2", "left"); err != nil || st.Screen != "DP-2" || st.Edge != "left" {
		t.Fatalf("PlaceSide = %+v, %v", st, err)
	}
	s.HandleLaunch([]string{"--side"})
	if rec.last(app.EventWindowMode) != app.ModeSide {
		t.Fatalf("a second launch with --side: mode %v", rec.last(app.EventWindowMode))
	}
}

// fakeClipboard is what the desktop's clipboard would hold, changed by the test.
type fakeClipboard struct {
	mu   sync.Mutex
	clip *capture.Clip
}

func (f *fakeClipboard) set(text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clip = &capture.Clip{Text: []byte(text)}
}

func (f *fakeClipboard) read() (*capture.Clip, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.clip == nil {
		return nil, errors.New("empty")
	}
	return f.clip, nil
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func clipTexts(t *testing.T, s *app.Services) []string {
	t.Helper()
	snap, err := s.Timeline.Load()
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range snap.Entries {
		if e.Kind == blotter.KindClipboard {
			texts = append(texts, e.Text)
		}
	}
	return texts
}

// The clipboard watch records each new content once, only for the incident it was turned on
// for, and not what the clipboard held when it started.
func TestClipboardWatch(t *testing.T) {
	s, rec := newServices(t)
	clip := &fakeClipboard{}
	clip.set("held before the watch")
	app.SetClipboardReader(s, clip.read, 2*time.Millisecond)
	if _, err := s.Capture.SetClipboardWatch(true); blotter.ErrorCode(err) != blotter.ENOTFOUND {
		t.Fatalf("watch without an incident: %v, want ENOTFOUND", err)
	}
	watched, err := s.Incidents.Create("Phishing wave", blotter.SeverityHigh)
	if err != nil {
		t.Fatal(err)
	}
	if on, err := s.Capture.ClipboardWatch(); err != nil || on {
		t.Fatalf("watch is on by default: %v, %v", on, err)
	}
	if on, err := s.Capture.SetClipboardWatch(true); err != nil || !on || rec.last(app.EventClipboardWatch) != true {
		t.Fatalf("SetClipboardWatch(true) = %v, %v", on, err)
	}
	time.Sleep(20 * time.Millisecond) // the watch has read what the clipboard held
	for _, text := range []string{"first", "second", "first", "third"} {
		clip.set(text)
		time.Sleep(20 * time.Millisecond)
	}
	waitFor(t, "three clipboard entries", func() bool { return len(clipTexts(t, s)) == 3 })
	time.Sleep(30 * time.Millisecond)
	if got := clipTexts(t, s); len(got) != 3 || got[0] != "first" || got[1] != "second" || got[2] != "third" {
		t.Fatalf("watched clipboard entries = %q, want first, second, third once each", got)
	}

	// Another incident: the watch is that incident's, off there, so nothing more lands.
	if _, err := s.Incidents.Create("Unrelated", blotter.SeverityLow); err != nil {
		t.Fatal(err)
	}
	if on, _ := s.Capture.ClipboardWatch(); on {
		t.Fatal("the watch followed the switch to another incident")
	}
	clip.set("copied while another incident is active")
	time.Sleep(50 * time.Millisecond)
	if got := clipTexts(t, s); len(got) != 0 {
		t.Fatalf("the other incident got clipboard entries %q", got)
	}
	if _, err := s.Incidents.Use(watched.ID); err != nil {
		t.Fatal(err)
	}
	if got := clipTexts(t, s); len(got) != 3 {
		t.Fatalf("the watched incident has %q, want the three from before", got)
	}
	// Back on the watched incident, the watch records again.
	clip.set("after coming back")
	waitFor(t, "the watch to resume", func() bool { return len(clipTexts(t, s)) == 4 })
}
