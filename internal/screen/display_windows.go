package screen

import (
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Display lists the monitors and places this process's window through user32, in screen
// pixels.
type Display struct {
	mu  sync.Mutex
	win windows.HWND // the app's window, found on first use
}

// appWindowTitle tells the app's window (app/wails.go titles it) from the process's other
// top-level windows.
const appWindowTitle = "Blotter"

var (
	user32                    = windows.NewLazySystemDLL("user32.dll")
	procEnumDisplayMonitors   = user32.NewProc("EnumDisplayMonitors")
	procGetMonitorInfoW       = user32.NewProc("GetMonitorInfoW")
	procGetCursorPos          = user32.NewProc("GetCursorPos")
	procGetWindowRect         = user32.NewProc("GetWindowRect")
	procGetWindowTextW        = user32.NewProc("GetWindowTextW")
	procGetWindow             = user32.NewProc("GetWindow")
	procIsIconic              = user32.NewProc("IsIconic")
	procIsZoomed              = user32.NewProc("IsZoomed")
	procShowWindow            = user32.NewProc("ShowWindow")
	procSetWindowPos          = user32.NewProc("SetWindowPos")
	procSetForegroundWindow   = user32.NewProc("SetForegroundWindow")
	procDwmGetWindowAttribute = windows.NewLazySystemDLL("dwmapi.dll").NewProc("DwmGetWindowAttribute")
)

// winuser.h and dwmapi.h.
const (
	swMinimize               = 6
	swShowNoActivate         = 4
	swpNoActivate            = 0x0010
	gwOwner                  = 4
	monitorInfoPrimary       = 1
	dwmwaExtendedFrameBounds = 9
	hwndTopmost              = ^uintptr(0) // (HWND)-1
	hwndNoTopmost            = ^uintptr(1) // (HWND)-2
)

// monitorInfoEx is MONITORINFOEXW.
type monitorInfoEx struct {
	size    uint32
	monitor windows.Rect
	work    windows.Rect
	flags   uint32
	device  [32]uint16
}

// Enumerations report each handle to a callback. The callbacks are made once (a process may
// make only so many) and collect into enumerated, which enumMu guards: Windows calls them on
// the enumerating thread, before the enumeration returns.
var (
	enumMu       sync.Mutex
	enumerated   []uintptr
	windowFound  = windows.NewCallback(func(hwnd, _ uintptr) uintptr { return found(hwnd) })
	monitorFound = windows.NewCallback(func(monitor, _, _, _ uintptr) uintptr { return found(monitor) })
)

func found(handle uintptr) uintptr {
	enumerated = append(enumerated, handle)
	return 1 // go on
}

// enumerate runs an enumeration that calls windowFound or monitorFound, and returns what
// they found.
func enumerate(run func() error) ([]uintptr, error) {
	enumMu.Lock()
	defer enumMu.Unlock()
	enumerated = nil
	err := run()
	handles := enumerated
	enumerated = nil
	return handles, err
}

// Open returns the display: on Windows there is nothing to connect to.
func Open() (*Display, error) { return &Display{}, nil }

// Close does nothing: the display holds no resources.
func (d *Display) Close() {}

// Monitors lists the monitors, named by their device (\\.\DISPLAY1).
func (d *Display) Monitors() ([]Monitor, error) {
	handles, err := enumerate(func() error {
		if ok, _, err := procEnumDisplayMonitors.Call(0, 0, monitorFound, 0); ok == 0 {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "listing the monitors: %v", err)
	}
	ms := make([]Monitor, 0, len(handles))
	for _, h := range handles {
		info := monitorInfoEx{size: uint32(unsafe.Sizeof(monitorInfoEx{}))}
		if ok, _, _ := procGetMonitorInfoW.Call(h, uintptr(unsafe.Pointer(&info))); ok == 0 {
			continue // unplugged since it was listed
		}
		r := info.monitor
		ms = append(ms, Monitor{Name: windows.UTF16ToString(info.device[:]), X: int(r.Left), Y: int(r.Top),
			Width: int(r.Right - r.Left), Height: int(r.Bottom - r.Top), Primary: info.flags&monitorInfoPrimary != 0})
	}
	if len(ms) == 0 {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "Windows lists no monitor")
	}
	return ms, nil
}

// Pointer returns where the pointer is.
func (d *Display) Pointer() (int, int, error) {
	var p struct{ x, y int32 }
	if ok, _, err := procGetCursorPos.Call(uintptr(unsafe.Pointer(&p))); ok == 0 {
		return 0, 0, blotter.Errorf(blotter.EUNAVAILABLE, "asking Windows where the pointer is: %v", err)
	}
	return int(p.x), int(p.y), nil
}

// Frame returns the window's visible frame: title bar and borders included.
func (d *Display) Frame() (Rect, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	win, err := d.window()
	if err != nil {
		return Rect{}, err
	}
	if isIconic(win) {
		return Rect{}, blotter.Errorf(blotter.EUNAVAILABLE, "the app's window is minimised")
	}
	r, err := visibleFrame(win)
	if err != nil {
		return Rect{}, blotter.Errorf(blotter.EUNAVAILABLE, "window geometry: %v", err)
	}
	return Rect{X: int(r.Left), Y: int(r.Top), W: int(r.Right - r.Left), H: int(r.Bottom - r.Top)}, nil
}

// Place moves and sizes the window so that its visible frame covers r, and keeps it above
// other windows or not. It does not take the keyboard: Activate does.
func (d *Display) Place(r Rect, above bool) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	win, err := d.window()
	if err != nil {
		return err
	}
	// A minimised or maximised window would stay so through SetWindowPos.
	if isIconic(win) || isZoomed(win) {
		procShowWindow.Call(uintptr(win), swShowNoActivate)
	}
	left, top, right, bottom := invisibleBorders(win)
	after := hwndNoTopmost
	if above {
		after = hwndTopmost
	}
	if ok, _, err := procSetWindowPos.Call(uintptr(win), after, uintptr(r.X-left), uintptr(r.Y-top),
		uintptr(r.W+left+right), uintptr(r.H+top+bottom), swpNoActivate); ok == 0 {
		d.win = 0 // the window may be gone; find it again next time
		return blotter.Errorf(blotter.EUNAVAILABLE, "moving the window: %v", err)
	}
	return nil
}

// Focus is who had the keyboard before the app took it for a quick note, and the state of the
// app's own window then: what RestoreFocus gives back.
type Focus struct {
	foreground windows.HWND // the foreground window then (0: none)
	ours       bool         // it was the app's own window
	hidden     bool         // the app's window was minimised or not shown
}

// Hidden says whether the app's window was minimised (or not on the screen).
func (f Focus) Hidden() bool { return f.hidden }

// SaveFocus notes the foreground window and whether the app's window is minimised, before a
// quick note raises it.
func (d *Display) SaveFocus() Focus {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := Focus{foreground: windows.GetForegroundWindow()}
	win, err := d.window()
	if err != nil {
		f.hidden = true // not shown at all
		return f
	}
	f.hidden = isIconic(win)
	f.ours = f.foreground == win
	return f
}

// RestoreFocus gives the screen back as it was before a quick note: a minimised window is
// minimised again, and the window that had the keyboard gets it back.
func (d *Display) RestoreFocus(f Focus) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	win, err := d.window()
	if err != nil {
		return nil // nothing of ours on the screen: nothing to give back
	}
	if f.hidden {
		procShowWindow.Call(uintptr(win), swMinimize)
	}
	if f.ours || f.foreground == 0 || !windows.IsWindow(f.foreground) {
		return nil
	}
	// The foreground process (the app, while the box has the keyboard) may hand it on.
	if ok, _, _ := procSetForegroundWindow.Call(uintptr(f.foreground)); ok == 0 {
		return blotter.Errorf(blotter.EUNAVAILABLE, "Windows did not give the keyboard back to the window that had it")
	}
	return nil
}

// Activate gives the app's window the keyboard. Windows lets the process that received the
// last input, as a global hotkey is, set the foreground window.
func (d *Display) Activate() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	win, err := d.window()
	if err != nil {
		return err
	}
	if ok, _, _ := procSetForegroundWindow.Call(uintptr(win)); ok == 0 {
		return blotter.Errorf(blotter.EUNAVAILABLE, "Windows did not let the app's window take the keyboard")
	}
	return nil
}

// window finds the app's window: a shown, unowned top-level window of this process with the
// app's title (minimised counts as shown).
func (d *Display) window() (windows.HWND, error) {
	if d.win != 0 && isAppWindow(d.win) {
		return d.win, nil
	}
	d.win = 0
	handles, _ := enumerate(func() error { return windows.EnumWindows(windowFound, nil) })
	for _, h := range handles {
		if isAppWindow(windows.HWND(h)) {
			d.win = windows.HWND(h)
			return d.win, nil
		}
	}
	return 0, blotter.Errorf(blotter.EUNAVAILABLE, "the app's window is not on the screen yet")
}

func isAppWindow(h windows.HWND) bool {
	var pid uint32
	if _, err := windows.GetWindowThreadProcessId(h, &pid); err != nil || pid != uint32(os.Getpid()) || !windows.IsWindowVisible(h) {
		return false
	}
	if owner, _, _ := procGetWindow.Call(uintptr(h), gwOwner); owner != 0 {
		return false // a dialog of the app's
	}
	// One character more than the title, to tell a longer title from it.
	var title [len(appWindowTitle) + 2]uint16
	n, _, _ := procGetWindowTextW.Call(uintptr(h), uintptr(unsafe.Pointer(&title[0])), uintptr(len(title)))
	return windows.UTF16ToString(title[:n]) == appWindowTitle
}

// visibleFrame is the window's frame as the user sees it. Since Windows 10 the window
// rectangle also holds invisible resizing borders, which DWM's extended frame bounds leave
// out; without DWM the window rectangle is the frame.
func visibleFrame(win windows.HWND) (windows.Rect, error) {
	var r windows.Rect
	if procDwmGetWindowAttribute.Find() == nil {
		if hr, _, _ := procDwmGetWindowAttribute.Call(uintptr(win), dwmwaExtendedFrameBounds, uintptr(unsafe.Pointer(&r)), unsafe.Sizeof(r)); hr == 0 {
			return r, nil
		}
	}
	return windowRect(win)
}

// invisibleBorders returns how far the window rectangle reaches beyond the visible frame
// (left, top, right, bottom); none when the two do not nest, as when DPI virtualisation
// scales one of them.
func invisibleBorders(win windows.HWND) (int, int, int, int) {
	outer, err := windowRect(win)
	if err != nil {
		return 0, 0, 0, 0
	}
	seen, err := visibleFrame(win)
	if err != nil {
		return 0, 0, 0, 0
	}
	l, t, r, b := seen.Left-outer.Left, seen.Top-outer.Top, outer.Right-seen.Right, outer.Bottom-seen.Bottom
	if l < 0 || t < 0 || r < 0 || b < 0 {
		return 0, 0, 0, 0
	}
	return int(l), int(t), int(r), int(b)
}

func windowRect(win windows.HWND) (windows.Rect, error) {
	var r windows.Rect
	if ok, _, err := procGetWindowRect.Call(uintptr(win), uintptr(unsafe.Pointer(&r))); ok == 0 {
		return r, err
	}
	return r, nil
}

func isIconic(win windows.HWND) bool {
	r, _, _ := procIsIconic.Call(uintptr(win))
	return r != 0
}

func isZoomed(win windows.HWND) bool {
	r, _, _ := procIsZoomed.Call(uintptr(win))
	return r != 0
}
