package app

import (
	"context"
	"sync"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/capture"
)

// Capture lets the frontend put what is on the desktop on the timeline.
type Capture struct{ *core }

// Clipboard puts the clipboard's content on the timeline, timed now.
func (s *Capture) Clipboard() (*blotter.Entry, error) {
	return s.clipboard(time.Now())
}

// Screenshot puts a screenshot of the screen under the pointer on the timeline, timed now.
func (s *Capture) Screenshot() (*blotter.Entry, error) {
	return s.screenshot(time.Now())
}

// ClipboardWatch reports whether the clipboard watch is on for the active incident.
func (s *Capture) ClipboardWatch() (bool, error) {
	inc, err := s.rec.ActiveIncident(s.ctx())
	if err != nil {
		return false, err
	}
	return s.rec.ClipboardWatch(s.ctx(), inc.ID)
}

// SetClipboardWatch turns the clipboard watch on or off for the active incident: while it is
// on, every new clipboard content lands on that incident's timeline, once.
func (s *Capture) SetClipboardWatch(on bool) (bool, error) {
	ctx := s.ctx()
	inc, err := s.rec.ActiveIncident(ctx)
	if err != nil {
		return false, err
	}
	if err := s.rec.SetClipboardWatch(ctx, inc.ID, on); err != nil {
		return false, err
	}
	if on {
		s.clips.start(s.core)
	}
	s.emit(EventClipboardWatch, on)
	return on, nil
}

// ScreenshotAllScreens reports whether a screenshot takes every monitor.
func (s *Capture) ScreenshotAllScreens() (bool, error) {
	return s.rec.ScreenshotAllScreens(s.ctx())
}

// SetScreenshotAllScreens chooses every monitor (true) or the one under the pointer (false).
func (s *Capture) SetScreenshotAllScreens(all bool) error {
	return s.rec.SetScreenshotAllScreens(s.ctx(), all)
}

func (s *Capture) screenshot(at time.Time) (*blotter.Entry, error) {
	all, err := s.rec.ScreenshotAllScreens(s.ctx())
	if err != nil {
		return nil, err
	}
	shot, err := s.shots.Take(all)
	if err != nil {
		return nil, err
	}
	return s.rec.CaptureScreenshot(s.ctx(), shot, at)
}

func (s *Capture) clipboard(at time.Time) (*blotter.Entry, error) {
	clip, err := capture.ReadClipboard()
	if err != nil {
		return nil, err
	}
	return s.rec.CaptureClip(s.ctx(), clip, at)
}

// HandleLaunch acts on the arguments another launch handed over: `blotter capture
// note|clipboard|screenshot --at TIME` does what the hotkey does, timed when the command ran;
// `blotter --side` switches to the side window. Failures reach the view as EventCaptureError.
func (s *Services) HandleLaunch(args []string) {
	if len(args) == 1 && args[0] == "--side" {
		if _, err := s.Window.SetMode(ModeSide); err != nil {
			s.core.emit(EventCaptureError, err.Error())
		}
		return
	}
	if len(args) < 2 || args[0] != "capture" {
		return
	}
	at := time.Now()
	if len(args) >= 4 && args[2] == "--at" {
		if t, err := time.Parse(time.RFC3339Nano, args[3]); err == nil {
			at = t
		}
	}
	var err error
	switch args[1] {
	case "note":
		err = s.quickNote(at)
	case "clipboard":
		_, err = s.Capture.clipboard(at)
	case "clipboard-watch":
		_, err = s.Capture.SetClipboardWatch(len(args) > 2 && args[2] == "on")
	case "screenshot":
		_, err = s.Capture.screenshot(at)
	default:
		err = blotter.Errorf(blotter.EINVALID, "unknown capture %q", args[1])
	}
	if err != nil {
		s.core.emit(EventCaptureError, err.Error())
	}
}

// clipboardWatch records each new clipboard content on the active incident while that
// incident's watch is on. One goroutine, started when a watch is turned on (or at start when
// the active incident has it on); it stops when the active incident's watch is off. What was
// recorded already is the recorder's to remember (in the database, across restarts).
type clipboardWatch struct {
	mu      sync.Mutex
	running bool
	stop    context.CancelFunc
	// read is the clipboard; tests replace it.
	read     func() (*capture.Clip, error)
	interval time.Duration
}

// resumeClipboardWatch starts the clipboard watch if the active incident has it on (at start,
// and when the user switches back to such an incident).
func (c *core) resumeClipboardWatch(ctx context.Context) {
	if inc, err := c.rec.ActiveIncident(ctx); err == nil {
		if on, _ := c.rec.ClipboardWatch(ctx, inc.ID); on {
			c.clips.start(c)
		}
	}
}

func (w *clipboardWatch) start(c *core) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.running {
		return
	}
	ctx, cancel := context.WithCancel(c.ctx())
	w.running, w.stop = true, cancel
	capture.WatchClipboard(ctx, w.interval, w.read, func(clip *capture.Clip) { w.record(ctx, c, clip) })
}

// record puts a new clip on the active incident (the recorder skips a content it recorded
// there before). When the active incident's watch is off, the watch ends; deciding that under
// the lock means a start() racing with it either comes first (and the check sees the watch on)
// or finds the watch stopped and starts a new one.
func (w *clipboardWatch) record(ctx context.Context, c *core, clip *capture.Clip) {
	w.mu.Lock()
	inc, err := c.rec.ActiveIncident(ctx)
	on := false
	if err == nil {
		on, err = c.rec.ClipboardWatch(ctx, inc.ID)
	}
	if err != nil || !on {
		w.running = false
		w.stop()
		w.mu.Unlock()
		return
	}
	w.mu.Unlock()
	if _, err := c.rec.WatchedClip(ctx, clip, time.Now()); err != nil && ctx.Err() == nil {
		c.emit(EventCaptureError, "clipboard watch: "+err.Error())
	}
}

func (w *clipboardWatch) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stop != nil {
		w.stop()
	}
	w.running = false
}
