//go:build !linux && !windows

package capture

import "github.com/blotterapp/blotter/internal/blotter"

// MaxClipBytes bounds what one clipboard read takes in.
const MaxClipBytes = 64 << 20

// Clipboard reads the clipboard; Linux (X11) and Windows have a reader, this OS not yet.
type Clipboard struct{}

var desktopClipboard = &Clipboard{}

// Read is not available on this OS yet.
func (c *Clipboard) Read() (*Clip, error) {
	return nil, blotter.Errorf(blotter.EUNAVAILABLE, "reading the clipboard is supported on Linux (X11) and Windows only so far")
}

// Close does nothing.
func (c *Clipboard) Close() {}
