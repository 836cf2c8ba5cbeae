//go:build !linux

package capture

import "github.com/blotterapp/blotter/internal/blotter"

// SingleInstanceID names the desktop app's single-instance lock.
const SingleInstanceID = "app.blotter.desktop"

// Forward hands args to the running desktop app. Only Linux has it so far; on Windows and
// macOS the app's global hotkeys do the same.
func Forward(args []string) error {
	return blotter.Errorf(blotter.EUNAVAILABLE, "'blotter capture' is available on Linux only; use the app's hotkeys")
}
