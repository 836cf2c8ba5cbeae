package capture

import "testing"

// The macOS key table is used only on a Mac; its shape is checked everywhere.
func TestMacHotkey(t *testing.T) {
	seen := map[uint32]rune{}
	for _, r := range "abcdefghijklmnopqrstuvwxyz0123456789" {
		code, _, ok := macHotkey(Combo{Ctrl: true, Key: r})
		if !ok {
			t.Errorf("no macOS key code for %q", r)
			continue
		}
		if other, dup := seen[code]; dup {
			t.Errorf("%q and %q share key code %#x", r, other, code)
		}
		seen[code] = r
	}
	// Known codes, from Events.h: the default hotkeys' keys and the ends of the table.
	for r, want := range map[rune]uint32{'a': 0x00, 'n': 0x2D, 'c': 0x08, 's': 0x01, 'w': 0x0D, '0': 0x1D, 'm': 0x2E} {
		if got, _, _ := macHotkey(Combo{Alt: true, Key: r}); got != want {
			t.Errorf("key code of %q = %#x, want %#x", r, got, want)
		}
	}
	def, err := ParseCombo(DefaultHotkeys[HotkeyNote])
	if err != nil {
		t.Fatal(err)
	}
	if _, mods, _ := macHotkey(def); mods != macControlKey|macOptionKey {
		t.Errorf("ctrl+alt is modifiers %#x, want Control|Option %#x", mods, macControlKey|macOptionKey)
	}
	if _, mods, _ := macHotkey(Combo{Super: true, Shift: true, Key: 'n'}); mods != macCmdKey|macShiftKey {
		t.Errorf("super+shift is modifiers %#x, want Command|Shift", mods)
	}
	if _, _, ok := macHotkey(Combo{Ctrl: true, Key: 'é'}); ok {
		t.Error("a key off the ANSI keyboard got a code")
	}
}
