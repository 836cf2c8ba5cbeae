package macos

import (
	"sync"

	"github.com/ebitengine/purego"

	"github.com/blotterapp/blotter/internal/blotter"
)

// CoreGraphics answers about displays and the pointer from any thread, in global coordinates
// with the origin at the top left of the main display, in points.
var cg struct {
	once sync.Once
	err  error

	getActiveDisplayList         func(max uint32, ids *uint32, count *uint32) int32
	displayBounds                func(id uint32) Rect
	mainDisplayID                func() uint32
	eventCreate                  func(source uintptr) uintptr
	eventGetLocation             func(event uintptr) Point
	preflightScreenCaptureAccess func() bool
	requestScreenCaptureAccess   func() bool
}

func loadCG() error {
	cg.once.Do(func() {
		if cg.err = Load(); cg.err != nil {
			return
		}
		defer func() {
			if r := recover(); r != nil {
				cg.err = blotter.Errorf(blotter.EUNAVAILABLE, "CoreGraphics is not as expected: %v", r)
			}
		}()
		purego.RegisterLibFunc(&cg.getActiveDisplayList, CoreGraphics, "CGGetActiveDisplayList")
		purego.RegisterLibFunc(&cg.displayBounds, CoreGraphics, "CGDisplayBounds")
		purego.RegisterLibFunc(&cg.mainDisplayID, CoreGraphics, "CGMainDisplayID")
		purego.RegisterLibFunc(&cg.eventCreate, CoreGraphics, "CGEventCreate")
		purego.RegisterLibFunc(&cg.eventGetLocation, CoreGraphics, "CGEventGetLocation")
		// macOS 10.15 and later, as Wails v2 needs anyway.
		purego.RegisterLibFunc(&cg.preflightScreenCaptureAccess, CoreGraphics, "CGPreflightScreenCaptureAccess")
		purego.RegisterLibFunc(&cg.requestScreenCaptureAccess, CoreGraphics, "CGRequestScreenCaptureAccess")
	})
	return cg.err
}

// Display is one active display.
type Display struct {
	ID     uint32
	Bounds Rect
	Main   bool // the one with the menu bar, at the origin
}

// Displays lists the active displays, the main one included.
func Displays() ([]Display, error) {
	if err := loadCG(); err != nil {
		return nil, err
	}
	var ids [32]uint32
	var n uint32
	if st := cg.getActiveDisplayList(uint32(len(ids)), &ids[0], &n); st != 0 {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "macOS did not list the displays (CGError %d)", st)
	}
	if n == 0 {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "macOS lists no display")
	}
	main := cg.mainDisplayID()
	ds := make([]Display, 0, n)
	for _, id := range ids[:n] {
		ds = append(ds, Display{ID: id, Bounds: cg.displayBounds(id), Main: id == main})
	}
	return ds, nil
}

// MainHeight is the main display's height, which AppKit's flipped coordinates start from.
func MainHeight() (float64, error) {
	if err := loadCG(); err != nil {
		return 0, err
	}
	return cg.displayBounds(cg.mainDisplayID()).H, nil
}

// Pointer returns where the pointer is.
func Pointer() (Point, error) {
	if err := loadCG(); err != nil {
		return Point{}, err
	}
	ev := cg.eventCreate(0)
	if ev == 0 {
		return Point{}, blotter.Errorf(blotter.EUNAVAILABLE, "macOS did not say where the pointer is")
	}
	defer CFRelease(ev)
	return cg.eventGetLocation(ev), nil
}

// ScreenCaptureAllowed reports whether the user has let this app record the screen (System
// Settings, Privacy & Security, Screen Recording). Without it macOS hands back only the
// desktop's wallpaper and the menu bar, not an error: so ask first.
func ScreenCaptureAllowed() (bool, error) {
	if err := loadCG(); err != nil {
		return false, err
	}
	return cg.preflightScreenCaptureAccess(), nil
}

// RequestScreenCapture asks macOS to show its permission prompt (once per app; later it
// answers at once). The permission takes effect when the app restarts.
func RequestScreenCapture() {
	if loadCG() == nil {
		cg.requestScreenCaptureAccess()
	}
}
