//go:build !linux && !windows

package capture

import "github.com/blotterapp/blotter/internal/blotter"

// Screenshots takes screenshots; only the X11 one exists so far.
type Screenshots struct{}

// Shot is a screenshot as PNG.
type Shot struct {
	PNG           []byte
	Width, Height int
}

// Take is not available on this OS yet.
func (s *Screenshots) Take(allScreens bool) (*Shot, error) {
	return nil, blotter.Errorf(blotter.EUNAVAILABLE, "screenshots are not available on this OS yet")
}

// Close does nothing.
func (s *Screenshots) Close() {}
