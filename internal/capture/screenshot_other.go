//go:build !linux && !windows && !darwin

package capture

import "github.com/blotterapp/blotter/internal/blotter"

// Screenshots takes screenshots; Linux, Windows and macOS have it, this OS not.
type Screenshots struct{}

// Take is not available on this OS yet.
func (s *Screenshots) Take(allScreens bool) (*Shot, error) {
	return nil, blotter.Errorf(blotter.EUNAVAILABLE, "screenshots are not available on this OS yet")
}

// Close does nothing.
func (s *Screenshots) Close() {}
