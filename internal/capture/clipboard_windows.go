package capture

import (
	"encoding/binary"
	"image"
	"math/bits"
	"runtime"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/blotterapp/blotter/internal/blotter"
)

// clipboardBusyTimeout is how long another program may keep the clipboard open before a read
// gives up: programs hold it for a moment while they write to it.
const clipboardBusyTimeout = time.Second

// Standard clipboard formats (winuser.h).
const (
	cfDIB         = 8
	cfUnicodeText = 13
	cfDIBV5       = 17
)

// Bitmap compressions (wingdi.h) that dibImage reads.
const (
	biRGB       = 0
	biBitfields = 3
)

var (
	clipboardUser32   = windows.NewLazySystemDLL("user32.dll")
	clipboardKernel32 = windows.NewLazySystemDLL("kernel32.dll")
)

// clipboardAPI holds the Win32 calls of the clipboard reader, in a struct so as not to clash
// with other files' declarations.
var clipboardAPI = struct {
	openClipboard, closeClipboard, getClipboardData, isFormatAvailable, registerFormat *windows.LazyProc
	globalLock, globalUnlock, globalSize, moveMemory                                   *windows.LazyProc
}{
	openClipboard:     clipboardUser32.NewProc("OpenClipboard"),
	closeClipboard:    clipboardUser32.NewProc("CloseClipboard"),
	getClipboardData:  clipboardUser32.NewProc("GetClipboardData"),
	isFormatAvailable: clipboardUser32.NewProc("IsClipboardFormatAvailable"),
	registerFormat:    clipboardUser32.NewProc("RegisterClipboardFormatW"),
	globalLock:        clipboardKernel32.NewProc("GlobalLock"),
	globalUnlock:      clipboardKernel32.NewProc("GlobalUnlock"),
	globalSize:        clipboardKernel32.NewProc("GlobalSize"),
	moveMemory:        clipboardKernel32.NewProc("RtlMoveMemory"),
}

// pngClipboardFormat is the format browsers and image editors put PNG images in.
var pngClipboardFormat = sync.OnceValue(func() uintptr {
	r, _, _ := clipboardAPI.registerFormat.Call(uintptr(unsafe.Pointer(windows.StringToUTF16Ptr("PNG"))))
	return r
})

// Clipboard reads the Windows clipboard: a PNG image, a device-independent bitmap (converted to
// PNG) or Unicode text.
type Clipboard struct {
	mu sync.Mutex
}

var desktopClipboard = &Clipboard{}

// Read returns the clipboard's content, an image before text when it offers both. Returns
// EUNAVAILABLE when another program keeps the clipboard open, EINVALID when it is empty, too
// large, or holds a bitmap of a kind it cannot read.
func (c *Clipboard) Read() (*Clip, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// The clipboard is open for the thread that opened it, which must also close it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := openClipboard(); err != nil {
		return nil, err
	}
	defer clipboardAPI.closeClipboard.Call()
	return readOpenClipboard()
}

// Close does nothing: no resource is kept between reads.
func (c *Clipboard) Close() {}

// openClipboard opens the clipboard for the calling thread, waiting while another program
// holds it.
func openClipboard() error {
	deadline := time.Now().Add(clipboardBusyTimeout)
	for {
		ok, _, err := clipboardAPI.openClipboard.Call(0)
		if ok != 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return blotter.Errorf(blotter.EUNAVAILABLE, "the clipboard cannot be read: another program has kept it open for over %s (%v)", clipboardBusyTimeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// readOpenClipboard reads the open clipboard: a PNG, else a bitmap, else text.
func readOpenClipboard() (*Clip, error) {
	if data, err := clipboardBytes(pngClipboardFormat()); err != nil {
		return nil, err
	} else if len(data) > 0 {
		return &Clip{Image: data}, nil
	}
	// Windows offers each bitmap as both DIB formats, converting one to the other; the V5
	// header may say which bits are alpha.
	for _, format := range []uintptr{cfDIBV5, cfDIB} {
		data, err := clipboardBytes(format)
		if err != nil {
			return nil, err
		}
		if len(data) == 0 {
			continue
		}
		img, err := dibImage(data)
		if err != nil {
			return nil, err
		}
		if data, err = encodePNG(img); err != nil {
			return nil, err
		}
		if len(data) > MaxClipBytes {
			return nil, clipboardTooLarge()
		}
		return &Clip{Image: data}, nil
	}
	data, err := clipboardBytes(cfUnicodeText)
	if err != nil {
		return nil, err
	}
	if text := utf16ToUTF8(data); len(text) > MaxClipBytes {
		return nil, clipboardTooLarge()
	} else if len(text) > 0 {
		return &Clip{Text: text}, nil
	}
	return nil, blotter.Errorf(blotter.EINVALID, "the clipboard is empty (or holds neither text nor an image)")
}

// clipboardBytes copies the open clipboard's content in format: nil when it does not hold
// that format, an error when it is larger than MaxClipBytes.
func clipboardBytes(format uintptr) ([]byte, error) {
	if format == 0 {
		return nil, nil
	}
	if held, _, _ := clipboardAPI.isFormatAvailable.Call(format); held == 0 {
		return nil, nil
	}
	handle, _, _ := clipboardAPI.getClipboardData.Call(format)
	if handle == 0 { // the owner failed to render it
		return nil, nil
	}
	size, _, _ := clipboardAPI.globalSize.Call(handle)
	if size > MaxClipBytes {
		return nil, clipboardTooLarge()
	}
	ptr, _, err := clipboardAPI.globalLock.Call(handle)
	if ptr == 0 {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the clipboard cannot be read: %v", err)
	}
	defer clipboardAPI.globalUnlock.Call(handle)
	data := make([]byte, size)
	if size > 0 {
		clipboardAPI.moveMemory.Call(uintptr(unsafe.Pointer(&data[0])), ptr, size)
	}
	return data, nil
}

// utf16ToUTF8 converts little-endian UTF-16 up to its first NUL; a lone surrogate becomes
// U+FFFD.
func utf16ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		r := rune(binary.LittleEndian.Uint16(b[i:]))
		if r == 0 {
			break
		}
		if utf16.IsSurrogate(r) && i+3 < len(b) {
			if pair := utf16.DecodeRune(r, rune(binary.LittleEndian.Uint16(b[i+2:]))); pair != unicode.ReplacementChar {
				r = pair
				i += 2
			}
		}
		out = utf8.AppendRune(out, r) // a lone surrogate is not a valid rune: it appends U+FFFD
	}
	return out
}

// dibImage decodes a packed device-independent bitmap (CF_DIB, CF_DIBV5): a BITMAPINFOHEADER
// or a later version, colour masks or a palette, then the rows, bottom-up unless the height is
// negative. It reads 24-bit BI_RGB and 32-bit BI_RGB or BI_BITFIELDS; other kinds are refused.
func dibImage(dib []byte) (*image.NRGBA, error) {
	le := binary.LittleEndian
	if len(dib) < 40 {
		return nil, unreadableBitmap("it is truncated")
	}
	headerSize := int64(le.Uint32(dib[0:]))
	width := int64(int32(le.Uint32(dib[4:])))
	height := int64(int32(le.Uint32(dib[8:])))
	bitCount := le.Uint16(dib[14:])
	compression := le.Uint32(dib[16:])
	paletteSize := int64(le.Uint32(dib[32:])) * 4
	if headerSize < 40 || headerSize > int64(len(dib)) {
		return nil, unreadableBitmap("its header is of an unknown kind")
	}
	topDown := height < 0
	if topDown {
		height = -height
	}
	// Each side is at most what fits in MaxClipBytes, so that the row arithmetic cannot overflow.
	if width <= 0 || height == 0 || width > MaxClipBytes || height > MaxClipBytes {
		return nil, unreadableBitmap("its size is %dx%d pixels", width, height)
	}

	// BI_RGB pixels are blue, green, red (and, at 32 bits, a fourth byte that some programs
	// use as alpha), lowest byte first: the same as these masks.
	red, green, blue, alpha := newChannel(0xff0000), newChannel(0xff00), newChannel(0xff), newChannel(0)
	if bitCount == 32 {
		alpha = newChannel(0xff000000)
	}
	offset := headerSize + paletteSize
	switch {
	case compression == biRGB && (bitCount == 24 || bitCount == 32):
	case compression == biBitfields && bitCount == 32:
		// Three masks follow a BITMAPINFOHEADER; later headers hold them, with alpha's.
		if headerSize == 40 {
			offset += 12
		}
		if int64(len(dib)) < 52 {
			return nil, unreadableBitmap("it is truncated")
		}
		red, green, blue, alpha = newChannel(le.Uint32(dib[40:])), newChannel(le.Uint32(dib[44:])), newChannel(le.Uint32(dib[48:])), newChannel(0)
		if headerSize >= 56 {
			alpha = newChannel(le.Uint32(dib[52:]))
		}
	default:
		return nil, unreadableBitmap("it has %d bits a pixel, compression %d; only 24- and 32-bit uncompressed bitmaps are read", bitCount, compression)
	}
	stride := (width*int64(bitCount) + 31) / 32 * 4
	if offset+stride*height > int64(len(dib)) {
		return nil, unreadableBitmap("it is truncated")
	}

	w, h, pixelBytes := int(width), int(height), int(bitCount/8)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	anyAlpha := false
	for y := range h {
		srcY := h - 1 - y
		if topDown {
			srcY = y
		}
		src := dib[offset+int64(srcY)*stride:]
		dst := img.Pix[y*img.Stride:]
		for x := range w {
			p := src[x*pixelBytes:]
			v := uint32(p[0]) | uint32(p[1])<<8 | uint32(p[2])<<16
			if pixelBytes == 4 {
				v |= uint32(p[3]) << 24
			}
			d := dst[x*4 : x*4+4]
			d[0], d[1], d[2], d[3] = red.of(v), green.of(v), blue.of(v), alpha.of(v)
			anyAlpha = anyAlpha || d[3] != 0
		}
	}
	// Most programs leave the fourth byte zero rather than opaque: an image that would be
	// wholly transparent is opaque.
	if !anyAlpha {
		for i := 3; i < len(img.Pix); i += 4 {
			img.Pix[i] = 0xff
		}
	}
	return img, nil
}

func unreadableBitmap(why string, args ...any) error {
	return blotter.Errorf(blotter.EINVALID, "the image on the clipboard cannot be read: "+why+" (copy it as PNG, or save it to a file and attach it)", args...)
}

// channel is one colour of a pixel, under a bit mask.
type channel struct {
	mask  uint32
	shift int
	max   uint32 // the mask's value shifted down
}

func newChannel(mask uint32) channel {
	shift := bits.TrailingZeros32(mask) // 32 for no mask, which shifts everything out
	return channel{mask: mask, shift: shift, max: mask >> shift}
}

// of scales the channel's bits of pixel v to 0..255.
func (c channel) of(v uint32) uint8 {
	x := (v & c.mask) >> c.shift
	switch c.max {
	case 0:
		return 0
	case 0xff:
		return uint8(x)
	}
	return uint8(uint64(x) * 0xff / uint64(c.max))
}
