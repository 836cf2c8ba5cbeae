package capture_test

import (
	"errors"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/blotterapp/blotter/internal/capture"
)

// tickSlack is how far a press time read from a message's tick count may stray: the tick
// counts whole milliseconds under Wine, and Windows advances it every 15.6 ms.
const tickSlack = 20 * time.Millisecond

type hotkeyPress struct {
	action         string
	at, receivedAt time.Time
}

// pressCombo types ctrl+alt+key (an upper-case letter or a digit: its virtual-key code) as a
// keyboard would, through Windows' input (SendInput): the modifiers down, the key down and up,
// the modifiers up.
func pressCombo(t *testing.T, key byte) {
	t.Helper()
	const (
		inputKeyboard = 1
		keyEventKeyUp = 0x0002
		vkControl     = 0x11
		vkMenu        = 0x12 // alt
	)
	// INPUT with its KEYBDINPUT; the union is as large as MOUSEINPUT, 8 bytes more.
	type keyInput struct {
		kind        uint32
		_           uint32
		vk, scan    uint16
		flags, time uint32
		extra       uintptr
		_           [8]byte
	}
	vk := uint16(key)
	inputs := []keyInput{
		{kind: inputKeyboard, vk: vkControl},
		{kind: inputKeyboard, vk: vkMenu},
		{kind: inputKeyboard, vk: vk},
		{kind: inputKeyboard, vk: vk, flags: keyEventKeyUp},
		{kind: inputKeyboard, vk: vkMenu, flags: keyEventKeyUp},
		{kind: inputKeyboard, vk: vkControl, flags: keyEventKeyUp},
	}
	sent, _, err := windows.NewLazySystemDLL("user32.dll").NewProc("SendInput").Call(
		uintptr(len(inputs)), uintptr(unsafe.Pointer(&inputs[0])), unsafe.Sizeof(inputs[0]))
	if int(sent) != len(inputs) {
		t.Fatalf("SendInput took %d of %d key events: %v", sent, len(inputs), err)
	}
}

func waitForPress(t *testing.T, presses <-chan hotkeyPress, what string) hotkeyPress {
	t.Helper()
	select {
	case p := <-presses:
		return p
	case <-time.After(5 * time.Second):
		t.Fatalf("no WM_HOTKEY for %s within 5s", what)
		return hotkeyPress{}
	}
}

func startHotkeys(t *testing.T, combos map[string]string, pressed func(string, time.Time)) (*capture.Hotkeys, []error) {
	t.Helper()
	parsed := map[string]capture.Combo{}
	for action, s := range combos {
		c, err := capture.ParseCombo(s)
		if err != nil {
			t.Fatal(err)
		}
		parsed[action] = c
	}
	h, conflicts, err := capture.StartHotkeys(parsed, pressed)
	if err != nil {
		t.Fatalf("StartHotkeys(%v): %v", combos, err)
	}
	return h, conflicts
}

func checkPressTime(t *testing.T, p hotkeyPress, before, after time.Time) {
	t.Helper()
	if p.at.Before(before.Add(-tickSlack)) || p.at.After(after.Add(tickSlack)) {
		t.Errorf("the press is timed %s, not between %s and %s, when the key went down (received at %s)",
			p.at.Format(time.StampMicro), before.Format(time.StampMicro), after.Format(time.StampMicro), p.receivedAt.Format(time.StampMicro))
	}
	t.Logf("timed %s after the test began sending the keys, handled %s after", p.at.Sub(before), p.receivedAt.Sub(before))
}

// TestHotkeyPressed presses ctrl+alt+n twice, the second time while the first press's
// callback still runs: each press is reported with its action and the time of the press, not
// of its handling.
func TestHotkeyPressed(t *testing.T) {
	presses := make(chan hotkeyPress, 4)
	busy := make(chan struct{})
	h, conflicts := startHotkeys(t, map[string]string{capture.HotkeyNote: "ctrl+alt+n"}, func(action string, at time.Time) {
		presses <- hotkeyPress{action, at, time.Now()}
		<-busy
	})
	defer h.Close()
	defer func() {
		select {
		case <-busy:
		default:
			close(busy) // let the loop end if the test stopped early
		}
	}()
	if len(conflicts) != 0 {
		t.Fatalf("conflicts: %v", conflicts)
	}

	before := time.Now()
	pressCombo(t, 'N')
	after := time.Now()
	first := waitForPress(t, presses, "ctrl+alt+n")
	if first.action != capture.HotkeyNote {
		t.Errorf("pressed %q, want %q", first.action, capture.HotkeyNote)
	}
	checkPressTime(t, first, before, after)

	before = time.Now()
	pressCombo(t, 'N')
	after = time.Now()
	time.Sleep(300 * time.Millisecond) // the loop is still in the first callback
	close(busy)
	second := waitForPress(t, presses, "the second ctrl+alt+n")
	if second.receivedAt.Sub(after) < 300*time.Millisecond {
		t.Fatalf("the second press was handled %s after it, while the first was still being handled", second.receivedAt.Sub(after))
	}
	checkPressTime(t, second, before, after)
}

// TestHotkeyConflict holds ctrl+alt+n first, as another program would: registering it again
// is reported as a HotkeyConflictError for it while ctrl+alt+c in the same call works, and
// once the holder closes (twice, harmlessly) the combo can be registered again.
func TestHotkeyConflict(t *testing.T) {
	held := make(chan hotkeyPress, 4)
	holder, conflicts := startHotkeys(t, map[string]string{"other program": "ctrl+alt+n"}, func(action string, at time.Time) {
		held <- hotkeyPress{action, at, time.Now()}
	})
	defer holder.Close()
	if len(conflicts) != 0 {
		t.Fatalf("the first holder of ctrl+alt+n: conflicts %v", conflicts)
	}

	presses := make(chan hotkeyPress, 4)
	record := func(action string, at time.Time) { presses <- hotkeyPress{action, at, time.Now()} }
	h, conflicts := startHotkeys(t, map[string]string{capture.HotkeyNote: "ctrl+alt+n", capture.HotkeyClipboard: "ctrl+alt+c"}, record)
	defer h.Close()
	var conflict *capture.HotkeyConflictError
	if len(conflicts) != 1 || !errors.As(conflicts[0], &conflict) || conflict.Action != capture.HotkeyNote || conflict.Combo.String() != "ctrl+alt+n" {
		t.Fatalf("conflicts = %v, want one HotkeyConflictError for note's ctrl+alt+n", conflicts)
	}
	t.Logf("reported: %v", conflicts[0])

	pressCombo(t, 'C')
	if p := waitForPress(t, presses, "ctrl+alt+c beside the taken combo"); p.action != capture.HotkeyClipboard {
		t.Errorf("ctrl+alt+c pressed %q, want %q", p.action, capture.HotkeyClipboard)
	}
	pressCombo(t, 'N')
	if p := waitForPress(t, held, "ctrl+alt+n at its holder"); p.action != "other program" {
		t.Errorf("ctrl+alt+n pressed %q at its holder", p.action)
	}
	select {
	case p := <-presses:
		t.Errorf("the taken combo reached the second registration too: %q", p.action)
	case <-time.After(200 * time.Millisecond):
	}

	holder.Close()
	holder.Close()
	h.Close()
	again, conflicts := startHotkeys(t, map[string]string{capture.HotkeyNote: "ctrl+alt+n"}, record)
	defer again.Close()
	if len(conflicts) != 0 {
		t.Fatalf("ctrl+alt+n after its holder closed: conflicts %v", conflicts)
	}
	pressCombo(t, 'N')
	if p := waitForPress(t, presses, "ctrl+alt+n registered again"); p.action != capture.HotkeyNote {
		t.Errorf("pressed %q, want %q", p.action, capture.HotkeyNote)
	}
}
