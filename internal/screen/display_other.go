//go:build !linux && !windows && !darwin

package screen

import "github.com/blotterapp/blotter/internal/blotter"

// Display is the desktop's screens; Linux (X11), Windows and macOS are supported, this OS not.
type Display struct{}

func errUnsupported() error {
	return blotter.Errorf(blotter.EUNAVAILABLE, "placing the window is supported on Linux (X11), Windows and macOS only")
}

// Open fails on this platform.
func Open() (*Display, error)                     { return nil, errUnsupported() }
func (d *Display) Monitors() ([]Monitor, error)   { return nil, errUnsupported() }
func (d *Display) Pointer() (int, int, error)     { return 0, 0, errUnsupported() }
func (d *Display) Frame() (Rect, error)           { return Rect{}, errUnsupported() }
func (d *Display) Place(r Rect, above bool) error { return errUnsupported() }
func (d *Display) Close()                         {}

// Focus is who had the keyboard before a quick note; nothing is known on this platform yet.
type Focus struct{}

func (f Focus) Hidden() bool                  { return true }
func (d *Display) SaveFocus() Focus           { return Focus{} }
func (d *Display) RestoreFocus(f Focus) error { return errUnsupported() }
func (d *Display) Activate() error            { return errUnsupported() }
