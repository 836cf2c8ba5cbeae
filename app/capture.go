package app

import (
	"context"
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

func (s *Capture) screenshot(at time.Time) (*blotter.Entry, error) {
	shot, err := s.shots.Take()
	if err != nil {
		return nil, err
	}
	return s.ws.CaptureScreenshot(context.Background(), shot, at)
}

func (s *Capture) clipboard(at time.Time) (*blotter.Entry, error) {
	clip, err := capture.ReadClipboard()
	if err != nil {
		return nil, err
	}
	return s.ws.CaptureClip(context.Background(), clip, at)
}

// HandleLaunch acts on the arguments another launch handed over: `blotter capture
// clipboard|screenshot --at TIME` captures, timed when the command ran. Failures reach the view as EventCaptureError.
func (s *Services) HandleLaunch(args []string) {
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
	case "clipboard":
		_, err = s.Capture.clipboard(at)
	case "screenshot":
		_, err = s.Capture.screenshot(at)
	default:
		err = blotter.Errorf(blotter.EINVALID, "unknown capture %q", args[1])
	}
	if err != nil {
		s.core.emit(EventCaptureError, err.Error())
	}
}
