package app

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/screen"
)

// Window modes: the full window, the side window (narrow, full height, on top, at a screen's
// edge, for a second screen) and the quick-note box (small, on top, under the pointer). Wails
// v2 has one window, so the modes are one window placed and laid out three ways.
const (
	ModeFull = "full"
	ModeSide = "side"
	ModeBox  = "box"
)

// Sizes of the compact modes, in pixels of the frame.
const (
	sideWidth = 420
	boxWidth  = 640
	boxHeight = 176
)

// settingSideWindow remembers where the side window stands: {"screen": NAME, "edge": EDGE}.

// WindowState is the window's mode, where the side window stands, and the attached screens.
type WindowState struct {
	Mode    string           `json:"mode"`
	Screen  string           `json:"screen"`
	Edge    string           `json:"edge"`
	Screens []screen.Monitor `json:"screens"`
}

// Window lets the frontend switch between the full window and the side window, choose the
// side window's screen and edge, and close the quick-note box.
type Window struct{ *core }

// windowModes is the window's mode and what a mode switch must restore.
type windowModes struct {
	mu      sync.Mutex
	display *screen.Display // nil without X (the browser harness): modes change the layout only
	mode    string
	before  string      // the mode the quick-note box returns to
	full    screen.Rect // the full window's frame while another mode shows
	hasFull bool
	// focus is who had the keyboard when the quick-note box opened, given back when it closes:
	// one key, then back to work (the next words typed are the terminal's, not Blotter's).
	focus    screen.Focus
	hasFocus bool
	// boxReady is closed when the view has laid out the quick-note box with the cursor in its
	// field; only then does the window take the keyboard (see quickNote).
	boxReady chan struct{}
}

// quickNoteReadyWait bounds how long a quick note waits for the view before taking the
// keyboard anyway: a stuck page must not leave the box without it.
const quickNoteReadyWait = 1500 * time.Millisecond

type sidePlace struct {
	Screen string `json:"screen"`
	Edge   string `json:"edge"`
}

// State returns the mode, the side window's place and the screens.
func (s *Window) State() (*WindowState, error) {
	s.win.mu.Lock()
	defer s.win.mu.Unlock()
	return s.state(s.ctx())
}

// SetMode switches to the full or the side window.
func (s *Window) SetMode(mode string) (*WindowState, error) {
	if mode != ModeFull && mode != ModeSide {
		return nil, blotter.Errorf(blotter.EINVALID, "no window mode %q (full or side)", mode)
	}
	s.win.mu.Lock()
	defer s.win.mu.Unlock()
	ctx := s.ctx()
	if err := s.switchTo(ctx, mode); err != nil {
		return nil, err
	}
	return s.state(ctx)
}

// Toggle switches between the full and the side window (the side-window hotkey).
func (s *Window) Toggle() error {
	s.win.mu.Lock()
	defer s.win.mu.Unlock()
	next := ModeSide
	if s.win.mode == ModeSide || (s.win.mode == ModeBox && s.win.before == ModeSide) {
		next = ModeFull
	}
	return s.switchTo(s.ctx(), next)
}

// PlaceSide chooses the side window's screen (a name from State's screens) and edge (left or
// right), remembers them, and moves the side window there if it shows.
func (s *Window) PlaceSide(screenName, edge string) (*WindowState, error) {
	if edge != screen.EdgeLeft && edge != screen.EdgeRight {
		return nil, blotter.Errorf(blotter.EINVALID, "no screen edge %q (left or right)", edge)
	}
	s.win.mu.Lock()
	defer s.win.mu.Unlock()
	ctx := s.ctx()
	b, _ := json.Marshal(sidePlace{Screen: screenName, Edge: edge})
	if err := s.rec.SetPreference(ctx, recorder.PrefSideWindow, string(b)); err != nil {
		return nil, err
	}
	if s.win.mode == ModeSide {
		if err := s.place(ctx, ModeSide); err != nil {
			return nil, err
		}
	}
	return s.state(ctx)
}

// EndQuickNote closes the quick-note box (saved or cancelled): the window goes back to the
// mode it was in.
func (s *Window) EndQuickNote() error {
	s.win.mu.Lock()
	defer s.win.mu.Unlock()
	if s.win.mode != ModeBox {
		return nil
	}
	err := s.switchTo(s.ctx(), s.win.before)
	if s.win.hasFocus && s.win.display != nil {
		s.win.hasFocus = false
		if ferr := s.win.display.RestoreFocus(s.win.focus); err == nil {
			err = ferr
		}
	}
	return err
}

// saveFocus notes who has the keyboard, and whether the window is minimised, before a quick
// note raises the window; a second press while the box is open keeps the first.
// It says whether the window is hidden (minimised): only then must it be shown before it can
// be placed.
func (s *Window) saveFocus() (hidden bool) {
	s.win.mu.Lock()
	defer s.win.mu.Unlock()
	if s.win.display == nil {
		return true // no X: the shell's raise is all there is
	}
	if s.win.mode != ModeBox {
		s.win.focus, s.win.hasFocus = s.win.display.SaveFocus(), true
	}
	return s.win.focus.Hidden()
}

// quickNote shows the quick-note box on top, under the pointer. A window that was minimised
// maps a moment after it is raised: placing it waits for that, briefly.
//
// The window takes the keyboard only once the view says the box is ready (QuickNoteReady):
// keys typed before that go on to the program that had them. Taking it at once gave the keys
// to the full window's page while it was still laid out as the full window, where letters are
// shortcuts ("c" captures the clipboard), and a note typed fast lost its first letters.
func (s *Window) quickNote() error {
	s.win.mu.Lock()
	var ready chan struct{}
	if s.win.mode != ModeBox { // a second press while the box shows finds it ready
		ready = make(chan struct{})
		s.win.boxReady = ready
	}
	err := s.switchTo(s.ctx(), ModeBox)
	for deadline := time.Now().Add(2 * time.Second); err != nil && blotter.ErrorCode(err) == blotter.EUNAVAILABLE && time.Now().Before(deadline); {
		time.Sleep(25 * time.Millisecond)
		err = s.place(s.ctx(), ModeBox)
	}
	display := s.win.display
	s.win.mu.Unlock()
	if err != nil || display == nil {
		return err // without X (the browser harness) there is no keyboard to take
	}
	if ready != nil {
		select {
		case <-ready:
		case <-time.After(quickNoteReadyWait):
		}
	}
	s.win.mu.Lock()
	defer s.win.mu.Unlock()
	s.win.boxReady = nil
	if s.win.mode != ModeBox {
		return nil // closed meanwhile
	}
	return display.Activate()
}

// QuickNoteReady is the view saying the quick-note box is laid out with the cursor in its
// field: the window may take the keyboard.
func (s *Window) QuickNoteReady() {
	s.win.mu.Lock()
	defer s.win.mu.Unlock()
	if s.win.boxReady != nil {
		close(s.win.boxReady)
		s.win.boxReady = nil
	}
}

// switchTo tells the view first, so that it lays out the new mode before the window takes its
// new size, then places the window.
func (s *Window) switchTo(ctx context.Context, mode string) error {
	w := s.win
	if mode == w.mode && mode != ModeBox {
		return nil
	}
	if mode == ModeBox && w.mode != ModeBox {
		w.before = w.mode
	}
	if w.mode == ModeFull && w.display != nil {
		if r, err := w.display.Frame(); err == nil {
			w.full, w.hasFull = r, true
		}
	}
	w.mode = mode
	s.emit(EventWindowMode, mode)
	return s.place(ctx, mode)
}

// place puts the window where the mode wants it. Without a display (the browser harness) the
// mode is a layout only.
func (s *Window) place(ctx context.Context, mode string) error {
	d := s.win.display
	if d == nil {
		return nil
	}
	monitors, err := d.Monitors()
	if err != nil {
		return err
	}
	switch mode {
	case ModeFull:
		if !s.win.hasFull { // started as the side window, with no remembered geometry
			m, _ := screen.Pick(monitors, "")
			s.win.full = screen.BoxRect(m, defaultWidth, defaultHeight)
			s.win.full.Y = m.Y + (m.Height-s.win.full.H)/2
		}
		return d.Place(s.win.full, false)
	case ModeSide:
		p := s.sidePlace(ctx)
		m, _ := screen.Pick(monitors, p.Screen)
		return d.Place(screen.SideRect(m, p.Edge, sideWidth), true)
	default:
		x, y, err := d.Pointer()
		if err != nil {
			return err
		}
		m, _ := screen.At(monitors, x, y)
		return d.Place(screen.BoxRectAt(m, x, y, boxWidth, boxHeight), true)
	}
}

func (s *Window) sidePlace(ctx context.Context) sidePlace {
	p := sidePlace{Edge: screen.EdgeRight}
	if v, err := s.rec.Preference(ctx, recorder.PrefSideWindow); err == nil && v != "" {
		_ = json.Unmarshal([]byte(v), &p) // a damaged setting means the defaults
	}
	if p.Edge != screen.EdgeLeft {
		p.Edge = screen.EdgeRight
	}
	return p
}

func (s *Window) state(ctx context.Context) (*WindowState, error) {
	p := s.sidePlace(ctx)
	st := &WindowState{Mode: s.win.mode, Screen: p.Screen, Edge: p.Edge, Screens: []screen.Monitor{}}
	if s.win.display != nil {
		ms, err := s.win.display.Monitors()
		if err != nil {
			return nil, err
		}
		st.Screens = ms
		if m, ok := screen.Pick(ms, p.Screen); ok {
			st.Screen = m.Name // the screen it actually uses, after a fallback
		}
	}
	return st, nil
}

// fullFrame returns the full window's frame when another mode shows; inFull says the full
// window shows (its geometry is the window's own).
func (s *Window) fullFrame() (frame screen.Rect, known, inFull bool) {
	s.win.mu.Lock()
	defer s.win.mu.Unlock()
	return s.win.full, s.win.hasFull, s.win.mode == ModeFull
}

// startIn places the window in its first mode once it is on the screen: the window maps a
// moment after the page loads.
func (s *Window) startIn(mode string) {
	if mode != ModeSide {
		return
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		s.win.mu.Lock()
		s.win.mode = "" // not placed yet, and its narrow start is not the full window's geometry
		err := s.switchTo(s.ctx(), ModeSide)
		s.win.mu.Unlock()
		if err == nil || time.Now().After(deadline) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
