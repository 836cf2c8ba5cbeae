//go:build !linux

package app

// checkDisplay: Windows and macOS always have a display for a user's session.
func checkDisplay() error { return nil }
