package capture

import (
	"sync"

	"golang.design/x/clipboard"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Clip is what the clipboard held: an image (PNG) or text, exactly as read.
type Clip struct {
	Image []byte
	Text  []byte
}

var clipboardInit struct {
	once sync.Once
	err  error
}

// ReadClipboard returns the clipboard's content, an image before text when it holds both.
// Returns EUNAVAILABLE without a display, EINVALID when the clipboard is empty.
func ReadClipboard() (*Clip, error) {
	clipboardInit.once.Do(func() { clipboardInit.err = clipboard.Init() })
	if clipboardInit.err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the clipboard cannot be read (no display?): %v", clipboardInit.err)
	}
	if img := clipboard.Read(clipboard.FmtImage); len(img) > 0 {
		return &Clip{Image: img}, nil
	}
	if text := clipboard.Read(clipboard.FmtText); len(text) > 0 {
		return &Clip{Text: text}, nil
	}
	return nil, blotter.Errorf(blotter.EINVALID, "the clipboard is empty (or holds neither text nor an image)")
}
