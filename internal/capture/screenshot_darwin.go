package capture

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/macos"
)

// Screenshots takes screenshots with macOS's own screencapture tool. CoreGraphics' one-call
// captures (CGDisplayCreateImage, CGWindowListCreateImage) are obsolete since macOS 15, and
// ScreenCaptureKit is asynchronous Objective-C with blocks; the tool is on every Mac, and
// macOS lets it record the screen when it lets the app that started it.
type Screenshots struct{}

const (
	screencaptureTool    = "/usr/sbin/screencapture"
	screencaptureTimeout = 30 * time.Second
)

// Take captures the display under the pointer, or every display (allScreens), as PNG, in the
// displays' own pixels (twice the points on a Retina display). Returns EUNAVAILABLE, saying
// where to allow it, while macOS does not let Blotter record the screen.
func (s *Screenshots) Take(allScreens bool) (*Shot, error) {
	allowed, err := ScreenRecordingAllowed()
	if err != nil {
		return nil, err
	}
	if !allowed {
		macos.RequestScreenCapture() // macOS's own prompt, the first time
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "%s", ScreenRecordingRefused)
	}
	ds, err := macos.Displays()
	if err != nil {
		return nil, err
	}
	displays := make([]image.Rectangle, 0, len(ds))
	for _, d := range ds {
		b := d.Bounds
		displays = append(displays, image.Rect(int(math.Round(b.X)), int(math.Round(b.Y)),
			int(math.Round(b.X+b.W)), int(math.Round(b.Y+b.H))))
	}
	var at image.Point
	if p, err := macos.Pointer(); err == nil {
		at = image.Pt(int(math.Floor(p.X)), int(math.Floor(p.Y)))
	}
	area := displayUnder(at, displays)
	if allScreens {
		for _, d := range displays {
			area = area.Union(d)
		}
	}
	dir, err := os.MkdirTemp("", "blotter-shot-")
	if err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "no room for a screenshot: %v", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "shot.png")
	ctx, cancel := context.WithTimeout(context.Background(), screencaptureTimeout)
	defer cancel()
	if out, err := exec.CommandContext(ctx, screencaptureTool, screencaptureArgs(area, path)...).CombinedOutput(); err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "macOS's screencapture failed: %v %s", err, bytes.TrimSpace(out))
	}
	data, err := os.ReadFile(path)
	if err != nil || len(data) == 0 {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "macOS's screencapture wrote no image (is the screen locked?)")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "macOS's screencapture wrote no PNG: %v", err)
	}
	return &Shot{PNG: data, Width: cfg.Width, Height: cfg.Height}, nil
}

// ScreenRecordingAllowed reports whether macOS lets Blotter record the screen (System
// Settings, Privacy & Security, Screen Recording).
func ScreenRecordingAllowed() (bool, error) { return macos.ScreenCaptureAllowed() }

// Close does nothing: no resource is kept between shots.
func (s *Screenshots) Close() {}
