//go:build !linux && !windows

package capture

import "github.com/blotterapp/blotter/internal/blotter"

// Forward hands args to the running desktop app. Linux and Windows have it; on this OS not yet.
func Forward(args []string) error {
	return blotter.Errorf(blotter.EUNAVAILABLE, "'blotter capture' is available on Linux and Windows only so far")
}
