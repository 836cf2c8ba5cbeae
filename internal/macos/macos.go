// Package macos calls the macOS frameworks (Foundation, AppKit, CoreGraphics, Carbon) from Go
// without cgo, through purego: the capture and window code of internal/capture and
// internal/screen then builds and type-checks for macOS on any machine, and the CLI needs no
// Objective-C toolchain. The frameworks are opened on first use, never at import, so that a
// missing one is an error a caller can report, not a crash of the CLI.
//
// None of the darwin files has run on this project's machines (Linux): docs/ARCHITECTURE.md
// lists what a Mac must prove. The pure helpers in this file are tested everywhere.
package macos

// Rect is CoreGraphics' CGRect (and AppKit's NSRect, the same on 64-bit): an origin and a
// size in points.
type Rect struct{ X, Y, W, H float64 }

// Point is CGPoint (NSPoint).
type Point struct{ X, Y float64 }

// FlipY converts the top edge y of something height tall between CoreGraphics' global
// coordinates (origin at the top left of the main display, y growing down: what X11 and
// Windows use, and what internal/screen speaks) and AppKit's (origin at the bottom left of
// the main display, y growing up), given the main display's height. The conversion is its own
// inverse.
func FlipY(y, height, mainHeight float64) float64 { return mainHeight - y - height }
