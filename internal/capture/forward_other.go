//go:build !linux && !windows && !darwin

package capture

import "github.com/blotterapp/blotter/internal/blotter"

// Forward hands args to the running desktop app. Linux, Windows and macOS have it; this OS not.
func Forward(args []string) error {
	return blotter.Errorf(blotter.EUNAVAILABLE, "'blotter capture' is available on Linux, Windows and macOS only")
}
