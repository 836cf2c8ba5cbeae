package capture

import (
	"errors"
	"runtime"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Forward hands args to the running desktop app, as a second launch of it would: the client
// side of Wails v2's single-instance protocol on Windows (its desktop/windows/single_instance.go).
// The app listens on a message-only window of a known class and name, and takes a WM_COPYDATA
// tagged 1542 whose data is the UTF-16 JSON of options.SecondInstanceData. Returns EUNAVAILABLE
// when no app is running or it does not answer.
func Forward(args []string) error {
	const (
		copyDataTag     = 1542 // Wails' WMCOPYDATA_SINGLE_INSTANCE_DATA
		wmCopyData      = 0x004A
		smtoAbortIfHung = 0x0002
		answerWithin    = 5 * time.Second // a hung app must not hang the command bound to a shortcut
	)
	user32 := windows.NewLazySystemDLL("user32.dll")
	window := findSingleInstanceWindow(user32)
	if window == 0 {
		return errNoApp()
	}
	msg, err := secondInstanceMessage(args)
	if err != nil {
		return err
	}
	text, err := windows.UTF16FromString(string(msg))
	if err != nil {
		return err
	}
	// COPYDATASTRUCT; the system copies cbData bytes from lpData to the app, so they must hold
	// the terminating NUL that the app reads up to.
	data := struct {
		dwData uintptr
		cbData uint32
		lpData uintptr
	}{copyDataTag, uint32(len(text) * 2), uintptr(unsafe.Pointer(&text[0]))}
	var result uintptr
	sent, _, sendErr := user32.NewProc("SendMessageTimeoutW").Call(window, wmCopyData, 0,
		uintptr(unsafe.Pointer(&data)), smtoAbortIfHung, uintptr(answerWithin/time.Millisecond), uintptr(unsafe.Pointer(&result)))
	runtime.KeepAlive(text) // data only holds it as a uintptr
	if sent == 0 {
		if errors.Is(sendErr, windows.ERROR_TIMEOUT) {
			return blotter.Errorf(blotter.EUNAVAILABLE, "the Blotter app did not answer within %s: it may be hung", answerWithin)
		}
		return blotter.Errorf(blotter.EUNAVAILABLE, "the Blotter app did not take the request: %v", sendErr)
	}
	return nil
}

// findSingleInstanceWindow returns the running app's single-instance window, or 0. The window
// is message-only, which FindWindowW does not search on Windows: FindWindowExW under
// HWND_MESSAGE does; FindWindowW is what Wails itself calls, so it stays as the fallback.
func findSingleInstanceWindow(user32 *windows.LazyDLL) uintptr {
	const hwndMessage = ^uintptr(2) // (HWND)-3
	class, _ := windows.UTF16PtrFromString("wails-app-" + SingleInstanceID + "-sic")
	name, _ := windows.UTF16PtrFromString("wails-app-" + SingleInstanceID + "-siw")
	window, _, _ := user32.NewProc("FindWindowExW").Call(hwndMessage, 0,
		uintptr(unsafe.Pointer(class)), uintptr(unsafe.Pointer(name)))
	if window == 0 {
		window, _, _ = user32.NewProc("FindWindowW").Call(uintptr(unsafe.Pointer(class)), uintptr(unsafe.Pointer(name)))
	}
	return window
}
