package capture

import (
	"encoding/json"
	"os"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/wailsapp/wails/v2/pkg/options"
	"golang.org/x/sys/windows"

	"github.com/blotterapp/blotter/internal/blotter"
)

// startWailsApp plays the running Blotter app as Wails v2.11.0 sets it up on Windows
// (desktop/windows/single_instance.go): a message-only window of class
// "wails-app-<id>-sic" named "wails-app-<id>-siw", on a locked OS thread of its own that pumps
// its messages, decoding each WM_COPYDATA as Wails does and handing the result over on the
// returned channel. A hung app instead takes the WM_COPYDATA and does not return from it until
// the test ends.
func startWailsApp(t *testing.T, hung bool) <-chan options.SecondInstanceData {
	t.Helper()
	const (
		singleInstanceData = 1542 // Wails' WMCOPYDATA_SINGLE_INSTANCE_DATA
		wmDestroy          = 0x0002
		wmClose            = 0x0010
		wmCopyData         = 0x004A
		hwndMessage        = ^uintptr(2)
	)
	user32 := windows.NewLazySystemDLL("user32.dll")
	defWindowProc, postQuitMessage := user32.NewProc("DefWindowProcW"), user32.NewProc("PostQuitMessage")
	type copyDataStruct struct {
		dwData uintptr
		cbData uint32
		lpData uintptr
	}
	received := make(chan options.SecondInstanceData, 1)
	unhang := make(chan struct{})
	wndProc := syscall.NewCallback(func(hwnd, msg, wparam, lparam uintptr) uintptr {
		switch msg {
		case wmCopyData:
			if hung {
				<-unhang
				return 0
			}
			ldata := *(**copyDataStruct)(unsafe.Pointer(&lparam))
			if ldata.dwData == singleInstanceData {
				serialized := windows.UTF16PtrToString(*(**uint16)(unsafe.Pointer(&ldata.lpData)))
				var data options.SecondInstanceData
				if err := json.Unmarshal([]byte(serialized), &data); err == nil {
					received <- data
				}
			}
			return 0
		case wmDestroy:
			postQuitMessage.Call(0)
			return 0
		}
		r, _, _ := defWindowProc.Call(hwnd, msg, wparam, lparam)
		return r
	})

	className, _ := windows.UTF16PtrFromString("wails-app-" + SingleInstanceID + "-sic")
	windowName, _ := windows.UTF16PtrFromString("wails-app-" + SingleInstanceID + "-siw")
	created := make(chan uintptr, 1)
	pumped := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // a window's messages come to the thread that created it
		defer runtime.UnlockOSThread()
		var hwnd uintptr
		err := func() error {
			var module windows.Handle
			if err := windows.GetModuleHandleEx(0, nil, &module); err != nil {
				return err
			}
			class := struct { // WNDCLASSEXW
				size, style                        uint32
				wndProc                            uintptr
				clsExtra, wndExtra                 int32
				instance, icon, cursor, background uintptr
				menuName, className                *uint16
				iconSm                             uintptr
			}{wndProc: wndProc, instance: uintptr(module), className: className}
			class.size = uint32(unsafe.Sizeof(class))
			if atom, _, err := user32.NewProc("RegisterClassExW").Call(uintptr(unsafe.Pointer(&class))); atom == 0 {
				return err
			}
			// Unregistered only once the window is gone, before the next test registers it again.
			defer user32.NewProc("UnregisterClassW").Call(uintptr(unsafe.Pointer(className)), uintptr(module))
			var err error
			hwnd, _, err = user32.NewProc("CreateWindowExW").Call(0, uintptr(unsafe.Pointer(className)),
				uintptr(unsafe.Pointer(windowName)), 0, 0, 0, 0, 0, hwndMessage, 0, uintptr(module), 0)
			if hwnd == 0 {
				return err
			}
			created <- hwnd
			var msg struct { // MSG
				hwnd           uintptr
				message        uint32
				wParam, lParam uintptr
				time           uint32
				pt             struct{ x, y int32 }
				private        uint32
			}
			getMessage, dispatchMessage := user32.NewProc("GetMessageW"), user32.NewProc("DispatchMessageW")
			for {
				switch r, _, err := getMessage.Call(uintptr(unsafe.Pointer(&msg)), 0, 0, 0); int32(r) {
				case 0: // WM_QUIT: the window is gone
					return nil
				case -1:
					return err
				}
				dispatchMessage.Call(uintptr(unsafe.Pointer(&msg)))
			}
		}()
		if hwnd == 0 {
			created <- 0
		}
		pumped <- err
	}()
	hwnd := <-created
	if hwnd == 0 {
		t.Fatalf("creating the app's single-instance window: %v", <-pumped)
	}
	t.Cleanup(func() {
		close(unhang)
		user32.NewProc("PostMessageW").Call(hwnd, wmClose, 0, 0)
		if err := <-pumped; err != nil {
			t.Errorf("the app's message loop: %v", err)
		}
	})
	return received
}

func TestForwardWithNoApp(t *testing.T) {
	err := Forward([]string{"capture", "note"})
	if blotter.ErrorCode(err) != blotter.EUNAVAILABLE || !strings.Contains(err.Error(), "no Blotter app is running") {
		t.Errorf("Forward with no app running = %v; want EUNAVAILABLE saying no app is running", err)
	}
}

func TestForwardReachesTheApp(t *testing.T) {
	received := startWailsApp(t, false)
	if err := Forward([]string{"capture", "note"}); err != nil {
		t.Fatal(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-received:
		if !slices.Equal(got.Args, []string{"capture", "note"}) || got.WorkingDirectory != wd {
			t.Errorf("the app got %+v; want args [capture note] from %s", got, wd)
		}
	default: // SendMessageTimeoutW returns after the window procedure did
		t.Fatal("Forward returned, but the app got nothing it could decode")
	}
}

// A hung app makes Forward give up, not wait with it.
func TestForwardToAHungApp(t *testing.T) {
	startWailsApp(t, true)
	start := time.Now()
	err := Forward([]string{"capture", "note"})
	if blotter.ErrorCode(err) != blotter.EUNAVAILABLE {
		t.Errorf("Forward to a hung app = %v; want EUNAVAILABLE", err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("Forward waited %v for a hung app", waited)
	}
	t.Logf("Forward to a hung app: %v", err)
}
