//go:build !linux

package capture

import "github.com/blotterapp/blotter/internal/blotter"

// MaxClipBytes bounds what one clipboard read takes in.
const MaxClipBytes = 64 << 20

// Clipboard reads the clipboard; only X11 is supported so far.
type Clipboard struct{}

var desktopClipboard = &Clipboard{}

// Read is not available on this OS yet.
func (c *Clipboard) Read() (*Clip, error) {
	return nil, blotter.Errorf(blotter.EUNAVAILABLE, "reading the clipboard is supported on Linux (X11) only so far")
}

// Close does nothing.
func (c *Clipboard) Close() {}
