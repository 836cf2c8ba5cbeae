package capture

import (
	"bytes"
	"image"
	"image/png"
	"runtime"
	"unsafe"

	"github.com/kbinani/screenshot"
	"golang.org/x/sys/windows"

	"github.com/blotterapp/blotter/internal/blotter"
)

// screenshotAPI holds the Win32 calls of Take, in a struct so as not to clash with other files'
// declarations.
var screenshotAPI = struct {
	getCursorPos, setThreadDpiAwarenessContext *windows.LazyProc
}{
	getCursorPos:                 windows.NewLazySystemDLL("user32.dll").NewProc("GetCursorPos"),
	setThreadDpiAwarenessContext: windows.NewLazySystemDLL("user32.dll").NewProc("SetThreadDpiAwarenessContext"),
}

// dpiAwarenessPerMonitorV2 is DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2, (HANDLE)-4.
const dpiAwarenessPerMonitorV2 = ^uintptr(3)

// Screenshots takes screenshots through GDI (kbinani/screenshot, pure Go). Unlike an X
// connection, a screen device context is cheap to get: nothing is kept between shots.
type Screenshots struct{}

// Take captures the monitor under the pointer, or every monitor (allScreens), as PNG. Returns
// EUNAVAILABLE when there is no desktop to capture (a locked workstation, a service session).
func (s *Screenshots) Take(allScreens bool) (*Shot, error) {
	// The pointer, the display bounds (kbinani/screenshot reads real sizes) and the screen copy
	// must all be in physical pixels, which only a DPI-aware thread gets on a scaled display,
	// whatever the process's manifest says.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if screenshotAPI.setThreadDpiAwarenessContext.Find() == nil {
		if was, _, _ := screenshotAPI.setThreadDpiAwarenessContext.Call(dpiAwarenessPerMonitorV2); was != 0 {
			defer screenshotAPI.setThreadDpiAwarenessContext.Call(was)
		}
	}
	var displays []image.Rectangle
	for i := range screenshot.NumActiveDisplays() {
		// A display unplugged between counting and asking has empty bounds.
		if b := screenshot.GetDisplayBounds(i); !b.Empty() {
			displays = append(displays, b)
		}
	}
	if len(displays) == 0 {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "no display to take a screenshot of")
	}
	area := displayUnder(pointerOnScreen(), displays)
	if allScreens {
		for _, d := range displays {
			area = area.Union(d)
		}
	}
	img, err := screenshot.CaptureRect(area)
	if err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the screen cannot be captured (no display, or the desktop is locked): %v", err)
	}
	data, err := encodePNG(img)
	if err != nil {
		return nil, err
	}
	return &Shot{PNG: data, Width: area.Dx(), Height: area.Dy()}, nil
}

// Close does nothing: no resource is kept between shots.
func (s *Screenshots) Close() {}

// pointerOnScreen returns where the pointer is, or the origin (on the primary display) when
// that cannot be known.
func pointerOnScreen() image.Point {
	var pt struct{ X, Y int32 }
	if ok, _, _ := screenshotAPI.getCursorPos.Call(uintptr(unsafe.Pointer(&pt))); ok == 0 {
		return image.Point{}
	}
	return image.Pt(int(pt.X), int(pt.Y))
}

// encodePNG encodes with the fastest compression, as on Linux: a screenshot is evidence to
// keep, not a file to ship, and the key press should not wait on a slow encoder.
func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
