package macos

import "testing"

func TestFlipY(t *testing.T) {
	// A main display 900 points high and one 1080 high above it (negative y in CoreGraphics).
	for _, c := range []struct{ y, h, main, want float64 }{
		{0, 900, 900, 0},        // the main display itself
		{100, 200, 900, 600},    // a window 100 below the top: its bottom 600 above the bottom
		{-1080, 1080, 900, 900}, // the display above the main one starts where it ends
		{900, 50, 900, -50},     // below the main display: negative in AppKit
	} {
		got := FlipY(c.y, c.h, c.main)
		if got != c.want {
			t.Errorf("FlipY(%v, %v, %v) = %v, want %v", c.y, c.h, c.main, got, c.want)
		}
		if back := FlipY(got, c.h, c.main); back != c.y {
			t.Errorf("FlipY is not its own inverse: %v -> %v -> %v", c.y, got, back)
		}
	}
}
