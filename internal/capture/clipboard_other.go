//go:build !linux && !windows && !darwin

package capture

import "github.com/blotterapp/blotter/internal/blotter"

// Clipboard reads the clipboard; Linux (X11), Windows and macOS have a reader, this OS not.
type Clipboard struct{}

var desktopClipboard = &Clipboard{}

// Read is not available on this OS yet.
func (c *Clipboard) Read() (*Clip, error) {
	return nil, blotter.Errorf(blotter.EUNAVAILABLE, "reading the clipboard is supported on Linux (X11), Windows and macOS only")
}

// Close does nothing.
func (c *Clipboard) Close() {}
