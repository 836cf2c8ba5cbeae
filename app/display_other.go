//go:build !linux || bindings

package app

// checkDisplay: Windows and macOS always have a display for a user's session, and generating
// the bindings (the bindings tag) opens no window.
func checkDisplay() error { return nil }
