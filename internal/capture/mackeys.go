package capture

// macOS's virtual key codes (kVK_ANSI_* in Carbon's Events.h) for the keys a combo may end
// in: positions on an ANSI keyboard, which is what Carbon's hotkeys are registered with.
var macKeyCodes = map[rune]uint32{
	'a': 0x00, 's': 0x01, 'd': 0x02, 'f': 0x03, 'h': 0x04, 'g': 0x05, 'z': 0x06, 'x': 0x07,
	'c': 0x08, 'v': 0x09, 'b': 0x0B, 'q': 0x0C, 'w': 0x0D, 'e': 0x0E, 'r': 0x0F, 'y': 0x10,
	't': 0x11, '1': 0x12, '2': 0x13, '3': 0x14, '4': 0x15, '6': 0x16, '5': 0x17, '9': 0x19,
	'7': 0x1A, '8': 0x1C, '0': 0x1D, 'o': 0x1F, 'u': 0x20, 'i': 0x22, 'p': 0x23, 'l': 0x25,
	'j': 0x26, 'k': 0x28, 'n': 0x2D, 'm': 0x2E,
}

// Carbon's modifier bits for RegisterEventHotKey (Events.h).
const (
	macCmdKey     = 1 << 8
	macShiftKey   = 1 << 9
	macOptionKey  = 1 << 11
	macControlKey = 1 << 12
)

// macHotkey returns the key code and modifiers Carbon registers a combo with: ctrl is
// Control, alt is Option, super is Command.
func macHotkey(c Combo) (keyCode, modifiers uint32, ok bool) {
	keyCode, ok = macKeyCodes[c.Key]
	if c.Ctrl {
		modifiers |= macControlKey
	}
	if c.Alt {
		modifiers |= macOptionKey
	}
	if c.Shift {
		modifiers |= macShiftKey
	}
	if c.Super {
		modifiers |= macCmdKey
	}
	return keyCode, modifiers, ok
}
