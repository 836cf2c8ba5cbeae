package capture

import (
	"github.com/ebitengine/purego/objc"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/macos"
)

// Clipboard reads the general pasteboard through AppKit's NSPasteboard, which any thread may
// read. Nothing is kept between reads.
type Clipboard struct{}

var desktopClipboard = &Clipboard{}

// Uniform type identifiers of what the clipboard is read as, in order: browsers and most apps
// put PNG there, macOS's own screenshots and Preview TIFF, which is converted to PNG.
const (
	utiPNG  = "public.png"
	utiTIFF = "public.tiff"
	utiText = "public.utf8-plain-text"
)

// nsBitmapImageFileTypePNG is NSBitmapImageFileTypePNG.
const nsBitmapImageFileTypePNG = 4

// Read returns the clipboard's content: an image (as PNG) before text. Returns EINVALID when
// it is empty or holds more than MaxClipBytes.
func (c *Clipboard) Read() (clip *Clip, err error) {
	if err := macos.Load(); err != nil {
		return nil, err
	}
	macos.WithPool(func() { clip, err = readPasteboard() })
	return clip, err
}

func readPasteboard() (*Clip, error) {
	pb := macos.Send(macos.Class("NSPasteboard"), "generalPasteboard")
	if pb == 0 {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the clipboard cannot be read: macOS gave no pasteboard")
	}
	data := func(uti string) (objc.ID, error) {
		d := macos.Send(pb, "dataForType:", macos.String(uti))
		if macos.Length(d) > MaxClipBytes {
			return 0, clipboardTooLarge()
		}
		return d, nil
	}
	if png, err := data(utiPNG); err != nil || macos.Length(png) > 0 {
		if err != nil {
			return nil, err
		}
		return &Clip{Image: macos.Bytes(png)}, nil
	}
	tiff, err := data(utiTIFF)
	if err != nil {
		return nil, err
	}
	if macos.Length(tiff) > 0 {
		rep := macos.Send(macos.Class("NSBitmapImageRep"), "imageRepWithData:", tiff)
		if rep == 0 {
			return nil, blotter.Errorf(blotter.EINVALID, "the image on the clipboard cannot be read (copy it as PNG, or save it to a file and attach it)")
		}
		png := macos.Send(rep, "representationUsingType:properties:", uintptr(nsBitmapImageFileTypePNG),
			macos.Send(macos.Class("NSDictionary"), "dictionary"))
		if macos.Length(png) == 0 {
			return nil, blotter.Errorf(blotter.EINVALID, "the image on the clipboard cannot be turned into PNG (save it to a file and attach it)")
		}
		if macos.Length(png) > MaxClipBytes {
			return nil, clipboardTooLarge()
		}
		return &Clip{Image: macos.Bytes(png)}, nil
	}
	text, err := data(utiText)
	if err != nil {
		return nil, err
	}
	if macos.Length(text) > 0 {
		return &Clip{Text: macos.Bytes(text)}, nil
	}
	return nil, blotter.Errorf(blotter.EINVALID, "the clipboard is empty (or holds neither text nor an image)")
}

// Close does nothing: nothing is kept between reads.
func (c *Clipboard) Close() {}
