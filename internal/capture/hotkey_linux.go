package capture

import (
	"errors"
	"io"
	"log"
	"sync"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Hotkeys grabs global hotkeys on the X server (pure Go, over its own connection) and reports
// each press with the time it arrived. Each combo is grabbed with and without NumLock and
// CapsLock, which X counts as modifiers.
type Hotkeys struct {
	conn   *xgb.Conn
	root   xproto.Window
	grabs  map[grab]string // what was grabbed -> action
	mu     sync.Mutex
	closed chan struct{}
	wg     sync.WaitGroup
}

type grab struct {
	code xproto.Keycode
	mods uint16
}

func init() {
	// xgb logs to standard error on every connection without an .Xauthority, which is the
	// ordinary case under Xvfb and of no interest to a user.
	xgb.Logger = log.New(io.Discard, "", 0)
}

// lockVariants are the lock modifiers a press may carry: none, CapsLock, NumLock (Mod2), both.
var lockVariants = []uint16{0, xproto.ModMaskLock, xproto.ModMask2, xproto.ModMaskLock | xproto.ModMask2}

// StartHotkeys grabs the combos (action -> combo) and calls pressed for each press, from a
// goroutine of its own. A combo another program holds is left out and reported in the
// returned conflicts; the others still work. Returns EUNAVAILABLE without an X display.
func StartHotkeys(combos map[string]Combo, pressed func(action string, at time.Time)) (*Hotkeys, []error, error) {
	conn, err := xgb.NewConn()
	if err != nil {
		return nil, nil, blotter.Errorf(blotter.EUNAVAILABLE, "no X display for global hotkeys (on Wayland, bind 'blotter capture …' to desktop shortcuts): %v", err)
	}
	setup := xproto.Setup(conn)
	h := &Hotkeys{conn: conn, root: setup.DefaultScreen(conn).Root, grabs: map[grab]string{}, closed: make(chan struct{})}
	keymap, err := xproto.GetKeyboardMapping(conn, setup.MinKeycode, byte(setup.MaxKeycode-setup.MinKeycode+1)).Reply()
	if err != nil {
		conn.Close()
		return nil, nil, blotter.Errorf(blotter.EUNAVAILABLE, "reading the keyboard map: %v", err)
	}
	var conflicts []error
	for action, c := range combos {
		code, ok := keycodeFor(keymap, setup.MinKeycode, c.Key)
		if !ok {
			conflicts = append(conflicts, blotter.Errorf(blotter.EINVALID, "the keyboard has no key %q for the %s hotkey", c.Key, action))
			continue
		}
		var taken bool
		for _, lock := range lockVariants {
			mods := modsOf(c) | lock
			if err := xproto.GrabKeyChecked(conn, true, h.root, mods, code, xproto.GrabModeAsync, xproto.GrabModeAsync).Check(); err != nil {
				var access xproto.AccessError
				if errors.As(err, &access) {
					taken = true
				}
				continue
			}
			h.grabs[grab{code, mods}] = action
		}
		if taken {
			conflicts = append(conflicts, &HotkeyConflictError{Action: action, Combo: c})
		}
	}
	h.wg.Add(1)
	go h.loop(pressed)
	return h, conflicts, nil
}

func (h *Hotkeys) loop(pressed func(string, time.Time)) {
	defer h.wg.Done()
	for {
		ev, err := h.conn.WaitForEvent()
		at := time.Now() // the press, as near as this process can see it
		if ev == nil && err == nil {
			return // the connection is closed
		}
		kp, ok := ev.(xproto.KeyPressEvent)
		if !ok {
			continue
		}
		h.mu.Lock()
		action, ok := h.grabs[grab{kp.Detail, kp.State & (xproto.ModMaskShift | xproto.ModMaskControl | xproto.ModMask1 | xproto.ModMask4 | xproto.ModMaskLock | xproto.ModMask2)}]
		h.mu.Unlock()
		if ok {
			pressed(action, at)
		}
	}
}

// Close releases the grabs and the connection.
func (h *Hotkeys) Close() {
	h.mu.Lock()
	for g := range h.grabs {
		xproto.UngrabKey(h.conn, g.code, h.root, g.mods)
	}
	h.grabs = map[grab]string{}
	h.mu.Unlock()
	h.conn.Close()
	h.wg.Wait()
}

func modsOf(c Combo) uint16 {
	var m uint16
	if c.Ctrl {
		m |= xproto.ModMaskControl
	}
	if c.Alt {
		m |= xproto.ModMask1
	}
	if c.Shift {
		m |= xproto.ModMaskShift
	}
	if c.Super {
		m |= xproto.ModMask4
	}
	return m
}

// keycodeFor finds the key whose first keysym is the letter or digit (X keysyms for ASCII
// letters and digits are their character codes).
func keycodeFor(keymap *xproto.GetKeyboardMappingReply, min xproto.Keycode, key rune) (xproto.Keycode, bool) {
	per := int(keymap.KeysymsPerKeycode)
	for i := 0; i*per < len(keymap.Keysyms); i++ {
		for j := 0; j < per && j < 2; j++ {
			if ks := keymap.Keysyms[i*per+j]; ks == xproto.Keysym(key) {
				return min + xproto.Keycode(i), true
			}
		}
	}
	return 0, false
}
