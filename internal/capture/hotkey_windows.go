package capture

import (
	"errors"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Hotkeys holds global hotkeys registered with Windows. A hotkey registered without a window
// is posted to the thread that registered it, so one thread of its own registers them, waits
// for WM_HOTKEY, and unregisters them when Close tells it to stop.
type Hotkeys struct {
	thread uint32 // the message loop's thread
	done   chan struct{}
	stop   sync.Once
}

var hotkeyUser32 = windows.NewLazySystemDLL("user32.dll")

// hotkeyAPI holds the Win32 calls of the hotkeys, in a struct so as not to clash with other
// files' declarations.
var hotkeyAPI = struct {
	register, unregister, getMessage, peekMessage, postThreadMessage *windows.LazyProc
}{
	register:          hotkeyUser32.NewProc("RegisterHotKey"),
	unregister:        hotkeyUser32.NewProc("UnregisterHotKey"),
	getMessage:        hotkeyUser32.NewProc("GetMessageW"),
	peekMessage:       hotkeyUser32.NewProc("PeekMessageW"),
	postThreadMessage: hotkeyUser32.NewProc("PostThreadMessageW"),
}

// RegisterHotKey's modifiers and the messages of the loop (winuser.h).
const (
	hotkeyModAlt      = 0x0001
	hotkeyModControl  = 0x0002
	hotkeyModShift    = 0x0004
	hotkeyModWin      = 0x0008
	hotkeyModNoRepeat = 0x4000 // a held key is one press, not a burst of them
	hotkeyWMQuit      = 0x0012
	hotkeyWMHotkey    = 0x0312
)

// hotkeyMessage is Win32's MSG.
type hotkeyMessage struct {
	hwnd    windows.HWND
	code    uint32
	wParam  uintptr // WM_HOTKEY: the hotkey's id
	lParam  uintptr
	time    uint32 // the tick count when it was queued: for WM_HOTKEY, the key press
	x, y    int32
	private uint32
}

// hotkeysRegistered is what the loop's thread reports once it has registered the combos.
type hotkeysRegistered struct {
	thread    uint32
	conflicts []error
	err       error
}

// StartHotkeys registers the combos (action -> combo) and calls pressed for each press, from
// a thread of its own, with the time of the key press. A combo another program holds is left
// out and reported in the returned conflicts; the others still work. Returns EUNAVAILABLE
// when Windows refuses them all for another reason.
func StartHotkeys(combos map[string]Combo, pressed func(action string, at time.Time)) (*Hotkeys, []error, error) {
	h := &Hotkeys{done: make(chan struct{})}
	ready := make(chan hotkeysRegistered)
	go h.run(combos, pressed, ready)
	r := <-ready
	if r.err != nil {
		return nil, nil, r.err
	}
	h.thread = r.thread
	return h, r.conflicts, nil
}

func (h *Hotkeys) run(combos map[string]Combo, pressed func(string, time.Time), ready chan<- hotkeysRegistered) {
	// The hotkeys belong to this thread. It is never unlocked: the thread ends with the loop,
	// and its message queue with it.
	runtime.LockOSThread()
	defer close(h.done)
	var m hotkeyMessage
	// Gives the thread its message queue now, so that Close can post to it at once.
	hotkeyAPI.peekMessage.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0, 0)

	actions := map[uintptr]string{} // hotkey id -> action
	var conflicts []error
	var refused error // the last refusal that was not a conflict
	id := uintptr(0)
	for action, c := range combos {
		vk, ok := virtualKey(c.Key)
		if !ok {
			conflicts = append(conflicts, blotter.Errorf(blotter.EINVALID, "the keyboard has no key %q for the %s hotkey", c.Key, action))
			continue
		}
		id++
		r, _, err := hotkeyAPI.register.Call(0, id, hotkeyModifiers(c), vk)
		switch {
		case r != 0:
			actions[id] = action
		case errors.Is(err, windows.ERROR_HOTKEY_ALREADY_REGISTERED):
			conflicts = append(conflicts, &HotkeyConflictError{Action: action, Combo: c})
		default:
			refused = err
			conflicts = append(conflicts, blotter.Errorf(blotter.EUNAVAILABLE, "Windows refused the %s hotkey %s: %v", action, c, err))
		}
	}
	if len(actions) == 0 && refused != nil {
		ready <- hotkeysRegistered{err: blotter.Errorf(blotter.EUNAVAILABLE, "Windows refused the global hotkeys: %v", refused)}
		return
	}
	ready <- hotkeysRegistered{thread: windows.GetCurrentThreadId(), conflicts: conflicts}

	// GetMessageW returns 0 for WM_QUIT (Close) and -1 on an error: both end the loop.
	for {
		r, _, _ := hotkeyAPI.getMessage.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
		if int32(r) <= 0 {
			break
		}
		if action, ok := actions[m.wParam]; ok && m.code == hotkeyWMHotkey {
			pressed(action, pressTime(m.time))
		}
	}
	for id := range actions {
		hotkeyAPI.unregister.Call(0, id)
	}
}

// Close unregisters the hotkeys and stops the loop; calling it again does nothing.
func (h *Hotkeys) Close() {
	h.stop.Do(func() {
		hotkeyAPI.postThreadMessage.Call(uintptr(h.thread), hotkeyWMQuit, 0, 0)
	})
	<-h.done
}

// pressTime turns a message's tick count into the time of the key press, not the moment the
// loop got to it (it may have been busy with an earlier press).
func pressTime(tick uint32) time.Time {
	now := time.Now()
	// The tick count is the low 32 bits of the milliseconds since boot: it wraps, and the
	// difference read as signed survives that.
	age := int32(uint32(windows.DurationSinceBoot()/time.Millisecond) - tick)
	if age <= 0 {
		return now
	}
	return now.Add(-time.Duration(age) * time.Millisecond)
}

func hotkeyModifiers(c Combo) uintptr {
	m := uintptr(hotkeyModNoRepeat)
	if c.Ctrl {
		m |= hotkeyModControl
	}
	if c.Alt {
		m |= hotkeyModAlt
	}
	if c.Shift {
		m |= hotkeyModShift
	}
	if c.Super {
		m |= hotkeyModWin
	}
	return m
}

// virtualKey is the key's virtual-key code: for letters and digits, the upper-case character.
func virtualKey(key rune) (uintptr, bool) {
	switch {
	case key >= 'a' && key <= 'z':
		return uintptr(key - 'a' + 'A'), true
	case key >= 'A' && key <= 'Z', key >= '0' && key <= '9':
		return uintptr(key), true
	}
	return 0, false
}
