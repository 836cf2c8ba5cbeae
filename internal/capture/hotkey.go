package capture

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Hotkey actions.
const (
	HotkeyNote       = "note"
	HotkeyClipboard  = "clipboard"
	HotkeyScreenshot = "screenshot"
	HotkeySide       = "side" // switches between the full and the side window
)

// DefaultHotkeys are the global hotkeys out of the box.
var DefaultHotkeys = map[string]string{
	HotkeyNote:       "ctrl+alt+n",
	HotkeyClipboard:  "ctrl+alt+c",
	HotkeyScreenshot: "ctrl+alt+s",
	HotkeySide:       "ctrl+alt+w",
}

// Combo is a key with modifiers, as "ctrl+alt+n" names it.
type Combo struct {
	Ctrl, Alt, Shift, Super bool
	Key                     rune // lower-case letter or digit
}

// String writes the combo the way ParseCombo reads it.
func (c Combo) String() string {
	var parts []string
	for _, m := range []struct {
		on   bool
		name string
	}{{c.Ctrl, "ctrl"}, {c.Alt, "alt"}, {c.Shift, "shift"}, {c.Super, "super"}} {
		if m.on {
			parts = append(parts, m.name)
		}
	}
	return strings.Join(append(parts, string(c.Key)), "+")
}

// ParseCombo reads "ctrl+alt+n" (case and spaces ignored). A global hotkey needs at least one
// of ctrl, alt or super, or it would take a key away from typing everywhere.
func ParseCombo(s string) (Combo, error) {
	var c Combo
	parts := strings.Split(strings.ToLower(strings.ReplaceAll(s, " ", "")), "+")
	for i, p := range parts {
		last := i == len(parts)-1
		switch {
		case !last && (p == "ctrl" || p == "control"):
			c.Ctrl = true
		case !last && (p == "alt" || p == "option"):
			c.Alt = true
		case !last && p == "shift":
			c.Shift = true
		case !last && (p == "super" || p == "win" || p == "cmd" || p == "meta"):
			c.Super = true
		case last && len(p) == 1 && (unicode.IsLetter(rune(p[0])) || unicode.IsDigit(rune(p[0]))):
			c.Key = rune(p[0])
		default:
			return Combo{}, blotter.Errorf(blotter.EINVALID, "cannot read hotkey %q: write it like ctrl+alt+n (ctrl, alt, shift, super, then a letter or digit)", s)
		}
	}
	if !c.Ctrl && !c.Alt && !c.Super {
		return Combo{}, blotter.Errorf(blotter.EINVALID, "hotkey %q needs ctrl, alt or super, or it would steal a key from all typing", s)
	}
	return c, nil
}

// HotkeyConflictError says another program holds a combo.
type HotkeyConflictError struct {
	Action string
	Combo  Combo
}

func (e *HotkeyConflictError) Error() string {
	return fmt.Sprintf("hotkey %s for %s is taken by another program: choose another combo", e.Combo, e.Action)
}
