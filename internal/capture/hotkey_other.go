//go:build !linux && !windows

package capture

import (
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Hotkeys is not available on this OS yet: Linux (X11) and Windows have them; macOS needs the
// Carbon hotkey API on the main thread, which only a Mac can test.
type Hotkeys struct{}

// StartHotkeys reports that global hotkeys are not available here.
func StartHotkeys(map[string]Combo, func(string, time.Time)) (*Hotkeys, []error, error) {
	return nil, nil, blotter.Errorf(blotter.EUNAVAILABLE, "global hotkeys are not available on this OS yet")
}

// Close does nothing.
func (h *Hotkeys) Close() {}
