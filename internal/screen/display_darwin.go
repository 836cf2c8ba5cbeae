package screen

import (
	"fmt"
	"math"
	"os"
	"sync"
	"time"

	"github.com/ebitengine/purego/objc"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/macos"
)

// Display lists the displays through CoreGraphics and places the app's NSWindow through
// AppKit, on the main thread. Coordinates are CoreGraphics' global points (origin at the top
// left of the main display), as the other platforms use; AppKit's flipped ones are converted
// at the edge.
type Display struct {
	mu sync.Mutex
}

// appWindowTitle tells the app's window (app/wails.go titles it) from AppKit's others.
const appWindowTitle = "Blotter"

// mainThreadWait bounds how long a window call waits for the app's event loop.
const mainThreadWait = 2 * time.Second

// AppKit's window levels (NSWindowLevel).
const (
	nsNormalWindowLevel   = 0
	nsFloatingWindowLevel = 3
)

// Open loads the frameworks; there is nothing to connect to.
func Open() (*Display, error) {
	if err := macos.Load(); err != nil {
		return nil, err
	}
	return &Display{}, nil
}

// Close does nothing: the display holds no resources.
func (d *Display) Close() {}

// Monitors lists the active displays, named by their CoreGraphics display id, which stays
// the same for a display across restarts.
func (d *Display) Monitors() ([]Monitor, error) {
	ds, err := macos.Displays()
	if err != nil {
		return nil, err
	}
	ms := make([]Monitor, 0, len(ds))
	for _, m := range ds {
		b := m.Bounds
		ms = append(ms, Monitor{Name: fmt.Sprintf("display-%d", m.ID),
			X: int(math.Round(b.X)), Y: int(math.Round(b.Y)), Width: int(math.Round(b.W)), Height: int(math.Round(b.H)),
			Primary: m.Main})
	}
	return ms, nil
}

// Pointer returns where the pointer is.
func (d *Display) Pointer() (int, int, error) {
	p, err := macos.Pointer()
	if err != nil {
		return 0, 0, err
	}
	return int(math.Floor(p.X)), int(math.Floor(p.Y)), nil
}

// onWindow runs f with the app's window on the main thread; errWindowNotShown when there is
// none yet.
func (d *Display) onWindow(f func(win objc.ID, mainHeight float64) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	mainHeight, err := macos.MainHeight()
	if err != nil {
		return err
	}
	var ferr error
	if err := macos.OnMain(mainThreadWait, func() {
		win := appWindow()
		if win == 0 {
			ferr = errWindowNotShown()
			return
		}
		ferr = f(win, mainHeight)
	}); err != nil {
		return err
	}
	return ferr
}

func errWindowNotShown() error {
	return blotter.Errorf(blotter.EUNAVAILABLE, "the app's window is not on the screen yet")
}

// Frame returns the window's frame, title bar included.
func (d *Display) Frame() (r Rect, err error) {
	err = d.onWindow(func(win objc.ID, mainHeight float64) error {
		if macos.Bool(win, "isMiniaturized") {
			return blotter.Errorf(blotter.EUNAVAILABLE, "the app's window is minimised")
		}
		f := objc.Send[macos.Rect](win, macos.Sel("frame"))
		r = Rect{X: int(math.Round(f.X)), Y: int(math.Round(macos.FlipY(f.Y, f.H, mainHeight))),
			W: int(math.Round(f.W)), H: int(math.Round(f.H))}
		return nil
	})
	return r, err
}

// Place moves and sizes the window so that its frame covers r, and keeps it above other
// windows (the floating level) or not. It does not take the keyboard: Activate does.
func (d *Display) Place(r Rect, above bool) error {
	return d.onWindow(func(win objc.ID, mainHeight float64) error {
		if macos.Bool(win, "isMiniaturized") {
			macos.Send(win, "deminiaturize:", objc.ID(0))
		}
		frame := macos.Rect{X: float64(r.X), Y: macos.FlipY(float64(r.Y), float64(r.H), mainHeight), W: float64(r.W), H: float64(r.H)}
		win.Send(macos.Sel("setFrame:display:"), frame, true)
		level := nsNormalWindowLevel
		if above {
			level = nsFloatingWindowLevel
		}
		win.Send(macos.Sel("setLevel:"), level)
		if above {
			// Seen even while another app is active, without taking the keyboard.
			macos.Send(win, "orderFrontRegardless")
		}
		return nil
	})
}

// Focus is which app was active before the app took the keyboard for a quick note, and the
// state of the app's own window then: what RestoreFocus gives back.
type Focus struct {
	previous objc.ID // the NSRunningApplication that was active (retained), 0: none or us
	hidden   bool    // the app's window was minimised, not shown, or the app hidden
}

// Hidden says whether the app's window was minimised (or not on the screen).
func (f Focus) Hidden() bool { return f.hidden }

// SaveFocus notes the active app and whether the app's window is out of sight, before a
// quick note raises it.
func (d *Display) SaveFocus() Focus {
	f := Focus{hidden: true}
	d.mu.Lock()
	defer d.mu.Unlock()
	macos.OnMain(mainThreadWait, func() {
		front := macos.Send(macos.Send(macos.Class("NSWorkspace"), "sharedWorkspace"), "frontmostApplication")
		if front != 0 && int(objc.Send[int32](front, macos.Sel("processIdentifier"))) != os.Getpid() {
			f.previous = macos.Send(front, "retain")
		}
		if win := appWindow(); win != 0 {
			app := macos.Send(macos.Class("NSApplication"), "sharedApplication")
			f.hidden = macos.Bool(win, "isMiniaturized") || !macos.Bool(win, "isVisible") || macos.Bool(app, "isHidden")
		}
	})
	return f
}

// RestoreFocus gives the screen back as it was before a quick note: a minimised window is
// minimised again, and the app that was active is active again.
func (d *Display) RestoreFocus(f Focus) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var refused bool
	err := macos.OnMain(mainThreadWait, func() {
		if win := appWindow(); win != 0 && f.hidden {
			macos.Send(win, "miniaturize:", objc.ID(0))
		}
		if f.previous == 0 {
			return
		}
		defer macos.Send(f.previous, "release")
		if macos.Bool(f.previous, "isTerminated") {
			return
		}
		// Since macOS 14 an app hands activation on rather than taking it.
		app := macos.Send(macos.Class("NSApplication"), "sharedApplication")
		if macos.Bool(app, "respondsToSelector:", macos.Sel("yieldActivationToApplication:")) {
			macos.Send(app, "yieldActivationToApplication:", f.previous)
		}
		refused = !macos.Bool(f.previous, "activateWithOptions:", uintptr(0))
	})
	if err != nil {
		return err
	}
	if refused {
		return blotter.Errorf(blotter.EUNAVAILABLE, "macOS did not give the keyboard back to the app that had it")
	}
	return nil
}

// Activate makes the app active and gives its window the keyboard.
func (d *Display) Activate() error {
	return d.onWindow(func(win objc.ID, _ float64) error {
		app := macos.Send(macos.Class("NSApplication"), "sharedApplication")
		app.Send(macos.Sel("activateIgnoringOtherApps:"), true)
		macos.Send(win, "makeKeyAndOrderFront:", objc.ID(0))
		return nil
	})
}

// appWindow finds the app's window among AppKit's: the one titled as the app (on the main
// thread); 0 when there is none.
func appWindow() objc.ID {
	app := macos.Send(macos.Class("NSApplication"), "sharedApplication")
	windows := macos.Send(app, "windows")
	n := objc.Send[uintptr](windows, macos.Sel("count"))
	for i := range n {
		win := windows.Send(macos.Sel("objectAtIndex:"), i)
		if macos.GoString(macos.Send(win, "title")) == appWindowTitle {
			return win
		}
	}
	return 0
}
