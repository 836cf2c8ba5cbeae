//go:build !linux && !windows && !darwin

package capture

import (
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Hotkeys is not available on this OS: Linux (X11), Windows and macOS have them.
type Hotkeys struct{}

// StartHotkeys reports that global hotkeys are not available here.
func StartHotkeys(map[string]Combo, func(string, time.Time)) (*Hotkeys, []error, error) {
	return nil, nil, blotter.Errorf(blotter.EUNAVAILABLE, "global hotkeys are not available on this OS yet")
}

// Close does nothing.
func (h *Hotkeys) Close() {}
