package capture

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/kbinani/screenshot"
	"golang.org/x/sys/windows"
)

// screenshotTestAPI holds the Win32 calls the tests use to put known pixels on the screen.
var screenshotTestAPI = struct {
	registerClassEx, createWindowEx, destroyWindow, defWindowProc, updateWindow *windows.LazyProc
	peekMessage, dispatchMessage, setCursorPos, getSystemMetrics                *windows.LazyProc
	createSolidBrush, getModuleHandle                                           *windows.LazyProc
}{
	registerClassEx:  windows.NewLazySystemDLL("user32.dll").NewProc("RegisterClassExW"),
	createWindowEx:   windows.NewLazySystemDLL("user32.dll").NewProc("CreateWindowExW"),
	destroyWindow:    windows.NewLazySystemDLL("user32.dll").NewProc("DestroyWindow"),
	defWindowProc:    windows.NewLazySystemDLL("user32.dll").NewProc("DefWindowProcW"),
	updateWindow:     windows.NewLazySystemDLL("user32.dll").NewProc("UpdateWindow"),
	peekMessage:      windows.NewLazySystemDLL("user32.dll").NewProc("PeekMessageW"),
	dispatchMessage:  windows.NewLazySystemDLL("user32.dll").NewProc("DispatchMessageW"),
	setCursorPos:     windows.NewLazySystemDLL("user32.dll").NewProc("SetCursorPos"),
	getSystemMetrics: windows.NewLazySystemDLL("user32.dll").NewProc("GetSystemMetrics"),
	createSolidBrush: windows.NewLazySystemDLL("gdi32.dll").NewProc("CreateSolidBrush"),
	getModuleHandle:  windows.NewLazySystemDLL("kernel32.dll").NewProc("GetModuleHandleW"),
}

// virtualScreen is the rectangle holding every display, as Windows reports it.
func virtualScreen() image.Rectangle {
	metric := func(index uintptr) int {
		v, _, _ := screenshotTestAPI.getSystemMetrics.Call(index)
		return int(int32(v))
	}
	x, y := metric(76), metric(77) // SM_XVIRTUALSCREEN, SM_YVIRTUALSCREEN
	return image.Rect(x, y, x+metric(78), y+metric(79))
}

// showSolidWindow shows a borderless topmost window filled with c at r, on the calling thread,
// which must stay locked to it.
func showSolidWindow(t *testing.T, r image.Rectangle, c color.NRGBA) (destroy func()) {
	t.Helper()
	api := screenshotTestAPI
	instance, _, _ := api.getModuleHandle.Call(0)
	brush, _, err := api.createSolidBrush.Call(uintptr(c.R) | uintptr(c.G)<<8 | uintptr(c.B)<<16)
	if brush == 0 {
		t.Fatalf("CreateSolidBrush: %v", err)
	}
	className := windows.StringToUTF16Ptr(fmt.Sprintf("BlotterTestSolid%02x%02x%02x", c.R, c.G, c.B))
	class := struct { // WNDCLASSEXW
		size, style                        uint32
		wndProc                            uintptr
		clsExtra, wndExtra                 int32
		instance, icon, cursor, background uintptr
		menuName, className                *uint16
		iconSmall                          uintptr
	}{wndProc: api.defWindowProc.Addr(), instance: instance, background: brush, className: className}
	class.size = uint32(unsafe.Sizeof(class))
	if atom, _, err := api.registerClassEx.Call(uintptr(unsafe.Pointer(&class))); atom == 0 {
		t.Fatalf("RegisterClassExW: %v", err)
	}
	const wsPopup, wsVisible, wsExTopmost, wsExToolWindow = 0x80000000, 0x10000000, 0x8, 0x80
	hwnd, _, err := api.createWindowEx.Call(wsExTopmost|wsExToolWindow, uintptr(unsafe.Pointer(className)), 0,
		wsPopup|wsVisible, uintptr(r.Min.X), uintptr(r.Min.Y), uintptr(r.Dx()), uintptr(r.Dy()), 0, 0, instance, 0)
	if hwnd == 0 {
		t.Fatalf("no window can be shown to check the shot against (CreateWindowExW: %v): is there a desktop? Under Wine, start Xvfb and set DISPLAY to it", err)
	}
	api.updateWindow.Call(hwnd)
	return func() { api.destroyWindow.Call(hwnd) }
}

// pumpMessages handles the calling thread's pending window messages (painting among them).
func pumpMessages() {
	var msg struct { // MSG
		hwnd           uintptr
		message        uint32
		wParam, lParam uintptr
		time           uint32
		pt             struct{ x, y int32 }
		private        uint32
	}
	const pmRemove = 1
	for {
		if got, _, _ := screenshotTestAPI.peekMessage.Call(uintptr(unsafe.Pointer(&msg)), 0, 0, 0, pmRemove); got == 0 {
			return
		}
		screenshotTestAPI.dispatchMessage.Call(uintptr(unsafe.Pointer(&msg)))
	}
}

func TestScreenshotsOnWindows(t *testing.T) {
	if screenshot.NumActiveDisplays() == 0 {
		t.Fatal("no display to capture: under Wine, start an X server (Xvfb) and set DISPLAY to it")
	}
	virtual := virtualScreen()
	if virtual.Empty() {
		t.Fatalf("the virtual screen is %v: no display to capture", virtual)
	}
	// Two windows of known colours, placed from the primary display's corner, prove the shot
	// holds the screen's pixels, the right way up.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	drawn := []struct {
		at    image.Rectangle
		color color.NRGBA
	}{
		{image.Rect(60, 40, 260, 190), color.NRGBA{0xd0, 0x30, 0x10, 0xff}},
		{image.Rect(420, 300, 620, 450), color.NRGBA{0x10, 0x60, 0xc0, 0xff}},
	}
	for _, w := range drawn {
		defer showSolidWindow(t, w.at, w.color)()
	}
	pointer := image.Pt(100, 100)
	screenshotTestAPI.setCursorPos.Call(uintptr(pointer.X), uintptr(pointer.Y))
	var displays []image.Rectangle
	for i := range screenshot.NumActiveDisplays() {
		displays = append(displays, screenshot.GetDisplayBounds(i))
	}

	for _, c := range []struct {
		allScreens bool
		area       image.Rectangle
	}{
		{true, virtual},
		{false, displayUnder(pointer, displays)},
	} {
		s := &Screenshots{}
		var shot *Shot
		var img image.Image
		var mismatch string
		// Windows show up on the screen a moment after they are made.
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			pumpMessages()
			var err error
			if shot, err = s.Take(c.allScreens); err != nil {
				t.Fatalf("Take(%v): %v", c.allScreens, err)
			}
			if img, err = png.Decode(bytes.NewReader(shot.PNG)); err != nil {
				t.Fatalf("Take(%v) gave an invalid PNG: %v", c.allScreens, err)
			}
			mismatch = ""
			for _, w := range drawn {
				for _, at := range []image.Point{w.at.Min.Add(image.Pt(2, 2)), w.at.Max.Sub(image.Pt(3, 3))} {
					got := color.NRGBAModel.Convert(img.At(at.X-c.area.Min.X, at.Y-c.area.Min.Y))
					if got != w.color {
						mismatch += fmt.Sprintf(" pixel %v is %v, want %v;", at, got, w.color)
					}
				}
			}
			if mismatch == "" || time.Now().After(deadline) {
				break
			}
		}
		s.Close()
		if shot.Width != c.area.Dx() || shot.Height != c.area.Dy() || img.Bounds() != image.Rect(0, 0, c.area.Dx(), c.area.Dy()) {
			t.Errorf("Take(%v): %dx%d, a PNG of %v; want %v", c.allScreens, shot.Width, shot.Height, img.Bounds(), c.area)
		}
		if mismatch != "" {
			t.Errorf("Take(%v) does not show the windows drawn (is the display real?):%s", c.allScreens, mismatch)
		}
	}
}
