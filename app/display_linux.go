//go:build !bindings

package app

import (
	"os"

	"github.com/blotterapp/blotter/internal/blotter"
)

// checkDisplay refuses to start the window without a display: GTK would panic. The CLI needs
// none, so the message points there.
func checkDisplay() error {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return blotter.Errorf(blotter.EUNAVAILABLE, "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset): run it in a desktop session, or use the CLI ('blotter help')")
	}
	return nil
}
