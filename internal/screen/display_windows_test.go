package screen

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/blotterapp/blotter/internal/blotter"
)

// These tests open real windows, so they need a desktop: under Wine, an X display (Xvfb).

var (
	procRegisterClassExW   = user32.NewProc("RegisterClassExW")
	procCreateWindowExW    = user32.NewProc("CreateWindowExW")
	procDestroyWindow      = user32.NewProc("DestroyWindow")
	procDefWindowProcW     = user32.NewProc("DefWindowProcW")
	procGetMessageW        = user32.NewProc("GetMessageW")
	procDispatchMessageW   = user32.NewProc("DispatchMessageW")
	procPostThreadMessageW = user32.NewProc("PostThreadMessageW")
	procGetWindowLongW     = user32.NewProc("GetWindowLongW")
	procGetSystemMetrics   = user32.NewProc("GetSystemMetrics")
	procSetCursorPos       = user32.NewProc("SetCursorPos")
)

const testWindowClass = "BlotterScreenTest"

// testInstance is the test program's module, which the test window class belongs to.
var testInstance = sync.OnceValue(func() windows.Handle {
	var module windows.Handle
	windows.GetModuleHandleEx(0, nil, &module)
	return module
})

var registerTestClass = sync.OnceValue(func() error {
	class, _ := windows.UTF16PtrFromString(testWindowClass)
	// WNDCLASSEXW, with DefWindowProcW as the window procedure: the windows only need to exist.
	wc := struct {
		size, style                   uint32
		wndProc                       uintptr
		classExtra, windowExtra       int32
		instance, icon, cursor, brush uintptr
		menuName, className           *uint16
		iconSmall                     uintptr
	}{wndProc: procDefWindowProcW.Addr(), instance: uintptr(testInstance()), className: class}
	wc.size = uint32(unsafe.Sizeof(wc))
	if atom, _, err := procRegisterClassExW.Call(uintptr(unsafe.Pointer(&wc))); atom == 0 {
		return err
	}
	return nil
})

// openWindow opens a shown top-level window titled title, as the app's own is, on a thread of
// its own that pumps its messages until the test ends.
func openWindow(t *testing.T, title string) windows.HWND {
	t.Helper()
	const (
		wsOverlappedWindow = 0x00CF0000
		wsVisible          = 0x10000000
		wmQuit             = 0x0012
	)
	if err := registerTestClass(); err != nil {
		t.Fatalf("registering the test window class: %v", err)
	}
	type opened struct {
		win    windows.HWND
		thread uint32
		err    error
	}
	result := make(chan opened)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The window belongs to this thread, which is never unlocked: it ends with the window.
		runtime.LockOSThread()
		class, _ := windows.UTF16PtrFromString(testWindowClass)
		name, _ := windows.UTF16PtrFromString(title)
		win, _, err := procCreateWindowExW.Call(0, uintptr(unsafe.Pointer(class)), uintptr(unsafe.Pointer(name)),
			wsOverlappedWindow|wsVisible, 200, 150, 500, 350, 0, 0, uintptr(testInstance()), 0)
		result <- opened{windows.HWND(win), windows.GetCurrentThreadId(), err}
		if win == 0 {
			return
		}
		var m [6]uint64 // MSG
		for {
			if r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0); int32(r) <= 0 {
				break
			}
			procDispatchMessageW.Call(uintptr(unsafe.Pointer(&m)))
		}
		procDestroyWindow.Call(win)
	}()
	o := <-result
	if o.win == 0 {
		why := "" // Wine without a display sets no error
		if o.err != windows.ERROR_SUCCESS {
			why = fmt.Sprintf(" (%v)", o.err)
		}
		t.Fatalf("cannot open a window%s: these tests need a desktop; under Wine, set DISPLAY to an X server such as Xvfb", why)
	}
	t.Cleanup(func() {
		procPostThreadMessageW.Call(uintptr(o.thread), wmQuit, 0, 0)
		<-done
	})
	return o.win
}

// waitUntil polls cond: the foreground and a window's state change on the window's own thread,
// through its messages, and under Wine the pointer follows X's events.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 3s for %s", what)
		}
	}
}

// bringToFront makes win the foreground window for a test's start, again if a window manager
// focusing a window it has just mapped takes the foreground meanwhile: it must stay there a
// while.
func bringToFront(t *testing.T, win windows.HWND) {
	t.Helper()
	var since time.Time // since when win has been the foreground window
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if windows.GetForegroundWindow() != win {
			procSetForegroundWindow.Call(uintptr(win))
			since = time.Time{}
			continue
		}
		if since.IsZero() {
			since = time.Now()
		}
		if time.Since(since) >= 300*time.Millisecond {
			return
		}
	}
	t.Fatalf("window %#x did not stay the foreground window for 300ms within 5s", win)
}

func isTopmost(win windows.HWND) bool {
	const gwlExStyle, wsExTopmost = ^uintptr(19), 0x00000008 // GWL_EXSTYLE is -20
	style, _, _ := procGetWindowLongW.Call(uintptr(win), gwlExStyle)
	return style&wsExTopmost != 0
}

func systemMetric(index uintptr) int {
	v, _, _ := procGetSystemMetrics.Call(index)
	return int(int32(v))
}

// TestMonitorsOnWindows: one monitor per display device, the primary one at the origin as
// large as the screen (under Wine, the X screen).
func TestMonitorsOnWindows(t *testing.T) {
	const smCXScreen, smCYScreen, smCMonitors = 0, 1, 80
	openWindow(t, "Monitors") // fails plainly without a desktop
	d, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ms, err := d.Monitors()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("monitors: %+v", ms)
	if len(ms) != systemMetric(smCMonitors) {
		t.Fatalf("%d monitors, Windows counts %d", len(ms), systemMetric(smCMonitors))
	}
	primary, _ := Pick(ms, "")
	want := Monitor{Name: primary.Name, Width: systemMetric(smCXScreen), Height: systemMetric(smCYScreen), Primary: true}
	if primary != want || !strings.HasPrefix(primary.Name, `\\.\DISPLAY`) {
		t.Fatalf("primary monitor %+v, want %+v named \\\\.\\DISPLAYn", primary, want)
	}
}

// TestPlaceOnWindows finds the process's window titled Blotter among its windows, places its
// frame exactly where asked, on top or not, maximised before or not, and reads the pointer.
func TestPlaceOnWindows(t *testing.T) {
	openWindow(t, "Not the app")
	d, _ := Open()
	if _, err := d.Frame(); blotter.ErrorCode(err) != blotter.EUNAVAILABLE {
		t.Fatalf("Frame without the app's window: %v, want EUNAVAILABLE", err)
	}
	win := openWindow(t, appWindowTitle)
	for _, step := range []struct {
		r     Rect
		above bool
	}{
		{Rect{X: 100, Y: 80, W: 640, H: 400}, false},
		{Rect{X: 860, Y: 0, W: 420, H: 800}, true}, // a side window at the right edge
		{Rect{X: 320, Y: 160, W: 640, H: 176}, true},
		{Rect{X: 50, Y: 60, W: 1180, H: 700}, false},
	} {
		if err := d.Place(step.r, step.above); err != nil {
			t.Fatalf("Place(%+v, %v): %v", step.r, step.above, err)
		}
		if got, err := d.Frame(); err != nil || got != step.r {
			t.Fatalf("after Place(%+v): Frame = %+v, %v", step.r, got, err)
		}
		if isTopmost(win) != step.above {
			t.Fatalf("after Place(%+v, %v): WS_EX_TOPMOST is %v", step.r, step.above, isTopmost(win))
		}
	}

	const swMaximize = 3
	procShowWindow.Call(uintptr(win), swMaximize)
	waitUntil(t, "the window to be maximised", func() bool { return isZoomed(win) })
	side := Rect{X: 0, Y: 0, W: 420, H: 800}
	if err := d.Place(side, true); err != nil {
		t.Fatal(err)
	}
	if got, err := d.Frame(); isZoomed(win) || err != nil || got != side {
		t.Fatalf("a maximised window placed at %+v: still maximised %v, Frame = %+v, %v", side, isZoomed(win), got, err)
	}

	if ok, _, err := procSetCursorPos.Call(321, 234); ok == 0 {
		t.Fatalf("SetCursorPos: %v", err)
	}
	// Wine's window threads may still report where the pointer was while the windows moved
	// under it (seen on a fresh X server): the pointer settles where it was put.
	waitUntil(t, "Pointer to report 321, 234", func() bool {
		x, y, err := d.Pointer()
		if err != nil {
			t.Fatal(err)
		}
		return x == 321 && y == 234
	})
}

// TestFocusOnWindows: a quick note takes the keyboard from the window that had it and gives
// it back, and a minimised app's window is shown for it and minimised again.
func TestFocusOnWindows(t *testing.T) {
	other := openWindow(t, "Terminal")
	ours := openWindow(t, appWindowTitle)
	d, _ := Open()
	foreground := func(win windows.HWND) func() bool {
		return func() bool { return windows.GetForegroundWindow() == win }
	}
	bringToFront(t, other)

	f := d.SaveFocus()
	if f.Hidden() {
		t.Fatal("SaveFocus says a shown window is hidden")
	}
	if err := d.Activate(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the app's window to take the foreground", foreground(ours))
	if err := d.RestoreFocus(f); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the other window to get the foreground back", foreground(other))

	// Minimised: shown by Place, minimised again by RestoreFocus.
	procShowWindow.Call(uintptr(ours), swMinimize)
	waitUntil(t, "the app's window to be minimised", func() bool { return isIconic(ours) })
	if _, err := d.Frame(); blotter.ErrorCode(err) != blotter.EUNAVAILABLE {
		t.Fatalf("Frame of a minimised window: %v, want EUNAVAILABLE", err)
	}
	bringToFront(t, other)
	f = d.SaveFocus()
	if !f.Hidden() {
		t.Fatal("SaveFocus says a minimised window is not hidden")
	}
	box := Rect{X: 320, Y: 160, W: 640, H: 176}
	if err := d.Place(box, true); err != nil {
		t.Fatal(err)
	}
	if isIconic(ours) {
		t.Fatal("Place left the window minimised")
	}
	if got, err := d.Frame(); err != nil || got != box {
		t.Fatalf("Frame = %+v, %v; want %+v", got, err, box)
	}
	if err := d.Activate(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the app's window to take the foreground", foreground(ours))
	if err := d.RestoreFocus(f); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the app's window to be minimised again", func() bool { return isIconic(ours) })
	waitUntil(t, "the other window to get the foreground back", foreground(other))
}
