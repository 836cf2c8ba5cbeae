package capture

import (
	"sync"
	"time"
	"unsafe"

	"github.com/ebitengine/purego"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/macos"
)

// Hotkeys holds global hotkeys registered with Carbon's RegisterEventHotKey: the macOS API
// for them that needs no Accessibility permission. Carbon must be called on the main thread,
// and delivers the presses there, through the app's event loop, to one handler on the
// application's event target.
type Hotkeys struct {
	refs    []uintptr
	handler uintptr
	stop    sync.Once
}

// Carbon's event constants (CarbonEvents.h): four-character codes.
const (
	carbonEventClassKeyboard   = 'k'<<24 | 'e'<<16 | 'y'<<8 | 'b'
	carbonEventHotKeyPressed   = 5
	carbonParamDirectObject    = '-'<<24 | '-'<<16 | '-'<<8 | '-'
	carbonTypeEventHotKeyID    = 'h'<<24 | 'k'<<16 | 'i'<<8 | 'd'
	carbonHotKeySignature      = 'B'<<24 | 'L'<<16 | 'T'<<8 | 'R'
	carbonEventHotKeyExistsErr = -9878
	carbonMainThreadWait       = 5 * time.Second
)

// carbonHotKeyID is EventHotKeyID; carbonEventTypeSpec is EventTypeSpec.
type (
	carbonHotKeyID      struct{ Signature, ID uint32 }
	carbonEventTypeSpec struct{ Class, Kind uint32 }
)

var carbon struct {
	once sync.Once
	err  error

	getApplicationEventTarget func() uintptr
	installEventHandler       func(target, handler uintptr, count uint32, specs *carbonEventTypeSpec, userData uintptr, out *uintptr) int32
	removeEventHandler        func(ref uintptr) int32
	registerEventHotKey       func(keyCode, modifiers uint32, id carbonHotKeyID, target uintptr, options uint32, out *uintptr) int32
	unregisterEventHotKey     func(ref uintptr) int32
	getEventParameter         func(event uintptr, name, typ uint32, outType unsafe.Pointer, size uintptr, outSize unsafe.Pointer, out unsafe.Pointer) int32
	getEventTime              func(event uintptr) float64
	getCurrentEventTime       func() float64

	handlerProc uintptr // the one C handler; a process may make only so many callbacks
	mu          sync.Mutex
	actions     map[uint32]string // hotkey id -> action, for the Hotkeys registered now
	pressed     func(string, time.Time)
}

func loadCarbon() error {
	carbon.once.Do(func() {
		if carbon.err = macos.Load(); carbon.err != nil {
			return
		}
		defer func() {
			if r := recover(); r != nil {
				carbon.err = blotter.Errorf(blotter.EUNAVAILABLE, "Carbon's hotkey API is missing: %v", r)
			}
		}()
		h := macos.Carbon
		purego.RegisterLibFunc(&carbon.getApplicationEventTarget, h, "GetApplicationEventTarget")
		purego.RegisterLibFunc(&carbon.installEventHandler, h, "InstallEventHandler")
		purego.RegisterLibFunc(&carbon.removeEventHandler, h, "RemoveEventHandler")
		purego.RegisterLibFunc(&carbon.registerEventHotKey, h, "RegisterEventHotKey")
		purego.RegisterLibFunc(&carbon.unregisterEventHotKey, h, "UnregisterEventHotKey")
		purego.RegisterLibFunc(&carbon.getEventParameter, h, "GetEventParameter")
		purego.RegisterLibFunc(&carbon.getEventTime, h, "GetEventTime")
		purego.RegisterLibFunc(&carbon.getCurrentEventTime, h, "GetCurrentEventTime")
		carbon.handlerProc = purego.NewCallback(hotkeyEvent)
	})
	return carbon.err
}

// hotkeyEvent is the Carbon event handler (EventHandlerProcPtr): it runs on the main thread,
// so it hands the press to a goroutine at once.
func hotkeyEvent(_, event, _ uintptr) int32 {
	var id carbonHotKeyID
	if carbon.getEventParameter(event, carbonParamDirectObject, carbonTypeEventHotKeyID, nil,
		unsafe.Sizeof(id), nil, unsafe.Pointer(&id)) != 0 || id.Signature != carbonHotKeySignature {
		return 0
	}
	// Event times are seconds since boot; the age of the event dates the key press itself.
	age := time.Duration((carbon.getCurrentEventTime() - carbon.getEventTime(event)) * float64(time.Second))
	at := time.Now()
	if age > 0 {
		at = at.Add(-age)
	}
	carbon.mu.Lock()
	action, pressed := carbon.actions[id.ID], carbon.pressed
	carbon.mu.Unlock()
	if action != "" && pressed != nil {
		go pressed(action, at)
	}
	return 0
}

// StartHotkeys registers the combos (action -> combo) and calls pressed for each press, with
// the time of the key press. A combo another program holds is left out and reported in the
// returned conflicts; the others still work. Returns EUNAVAILABLE without the app's event loop
// (the main thread must run it) or when Carbon refuses them all.
func StartHotkeys(combos map[string]Combo, pressed func(action string, at time.Time)) (*Hotkeys, []error, error) {
	if err := loadCarbon(); err != nil {
		return nil, nil, err
	}
	h := &Hotkeys{}
	var conflicts []error
	var refused error
	actions := map[uint32]string{}
	err := macos.OnMain(carbonMainThreadWait, func() {
		target := carbon.getApplicationEventTarget()
		spec := carbonEventTypeSpec{Class: carbonEventClassKeyboard, Kind: carbonEventHotKeyPressed}
		if st := carbon.installEventHandler(target, carbon.handlerProc, 1, &spec, 0, &h.handler); st != 0 {
			refused = blotter.Errorf(blotter.EUNAVAILABLE, "Carbon refused the hotkey handler (OSStatus %d)", st)
			return
		}
		id := uint32(0)
		for action, c := range combos {
			code, mods, ok := macHotkey(c)
			if !ok {
				conflicts = append(conflicts, blotter.Errorf(blotter.EINVALID, "the keyboard has no key %q for the %s hotkey", c.Key, action))
				continue
			}
			id++
			var ref uintptr
			switch st := carbon.registerEventHotKey(code, mods, carbonHotKeyID{Signature: carbonHotKeySignature, ID: id}, target, 0, &ref); st {
			case 0:
				h.refs = append(h.refs, ref)
				actions[id] = action
			case carbonEventHotKeyExistsErr:
				conflicts = append(conflicts, &HotkeyConflictError{Action: action, Combo: c})
			default:
				refused = blotter.Errorf(blotter.EUNAVAILABLE, "macOS refused the %s hotkey %s (OSStatus %d)", action, c, st)
				conflicts = append(conflicts, refused)
			}
		}
		// Here, on the main thread, no press can be handled before the table is in place.
		carbon.mu.Lock()
		carbon.actions, carbon.pressed = actions, pressed
		carbon.mu.Unlock()
	})
	if err != nil {
		return nil, nil, blotter.Errorf(blotter.EUNAVAILABLE, "global hotkeys need the app's event loop: %v", err)
	}
	if len(actions) == 0 && refused != nil {
		h.Close()
		return nil, nil, refused
	}
	return h, conflicts, nil
}

// Close unregisters the hotkeys; calling it again does nothing.
func (h *Hotkeys) Close() {
	h.stop.Do(func() {
		carbon.mu.Lock()
		carbon.actions, carbon.pressed = nil, nil
		carbon.mu.Unlock()
		macos.OnMain(carbonMainThreadWait, func() {
			for _, ref := range h.refs {
				carbon.unregisterEventHotKey(ref)
			}
			if h.handler != 0 {
				carbon.removeEventHandler(h.handler)
			}
		})
	})
}
