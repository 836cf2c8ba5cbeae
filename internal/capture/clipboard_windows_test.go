package capture

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/blotterapp/blotter/internal/blotter"
)

// clipboardTestAPI holds the Win32 calls the tests use to fill the clipboard.
var clipboardTestAPI = struct {
	emptyClipboard, setClipboardData, globalAlloc, globalFree, createWindowEx, destroyWindow *windows.LazyProc
}{
	emptyClipboard:   clipboardUser32.NewProc("EmptyClipboard"),
	setClipboardData: clipboardUser32.NewProc("SetClipboardData"),
	createWindowEx:   clipboardUser32.NewProc("CreateWindowExW"),
	destroyWindow:    clipboardUser32.NewProc("DestroyWindow"),
	globalAlloc:      clipboardKernel32.NewProc("GlobalAlloc"),
	globalFree:       clipboardKernel32.NewProc("GlobalFree"),
}

const gmemMoveable = 0x2

// putOnClipboard replaces the clipboard's content with data in each format, as a program
// copying does.
func putOnClipboard(t *testing.T, formats map[uintptr][]byte) {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := openClipboard(); err != nil {
		t.Fatal(err)
	}
	defer clipboardAPI.closeClipboard.Call()
	if ok, _, err := clipboardTestAPI.emptyClipboard.Call(); ok == 0 {
		t.Fatalf("EmptyClipboard: %v", err)
	}
	for format, data := range formats {
		mem, _, err := clipboardTestAPI.globalAlloc.Call(gmemMoveable, uintptr(len(data)))
		if mem == 0 {
			t.Fatalf("GlobalAlloc of %d bytes: %v", len(data), err)
		}
		if len(data) > 0 {
			ptr, _, err := clipboardAPI.globalLock.Call(mem)
			if ptr == 0 {
				t.Fatalf("GlobalLock: %v", err)
			}
			clipboardAPI.moveMemory.Call(ptr, uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)))
			clipboardAPI.globalUnlock.Call(mem)
		}
		// The clipboard owns the memory once SetClipboardData succeeds.
		if ok, _, err := clipboardTestAPI.setClipboardData.Call(format, mem); ok == 0 {
			clipboardTestAPI.globalFree.Call(mem)
			t.Fatalf("SetClipboardData(%d): %v", format, err)
		}
	}
}

// utf16Clip is text as CF_UNICODETEXT holds it: UTF-16LE ending in NUL.
func utf16Clip(units []uint16) []byte {
	b := make([]byte, 0, 2*len(units)+2)
	for _, u := range append(units, 0) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// bitmapInfoHeader is a BITMAPINFOHEADER of a bitmap of bitCount bits a pixel.
func bitmapInfoHeader(width, height int32, bitCount uint16, compression uint32) []byte {
	h := make([]byte, 40)
	binary.LittleEndian.PutUint32(h[0:], 40)
	binary.LittleEndian.PutUint32(h[4:], uint32(width))
	binary.LittleEndian.PutUint32(h[8:], uint32(height))
	binary.LittleEndian.PutUint16(h[12:], 1)
	binary.LittleEndian.PutUint16(h[14:], bitCount)
	binary.LittleEndian.PutUint32(h[16:], compression)
	return h
}

// readClipboardImage reads the clipboard, which must hold an image, and decodes it.
func readClipboardImage(t *testing.T) image.Image {
	t.Helper()
	clip, err := (&Clipboard{}).Read()
	if err != nil {
		t.Fatalf("reading an image: %v", err)
	}
	if clip.Text != nil || !bytes.HasPrefix(clip.Image, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("not a PNG image: %d bytes of image, %q of text", len(clip.Image), clip.Text)
	}
	img, err := png.Decode(bytes.NewReader(clip.Image))
	if err != nil {
		t.Fatalf("the image is not a valid PNG: %v", err)
	}
	return img
}

func wantPixel(t *testing.T, img image.Image, x, y int, want color.NRGBA) {
	t.Helper()
	if got := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA); got != want {
		t.Errorf("pixel (%d,%d) is %v, want %v", x, y, got, want)
	}
}

func TestClipboardTextOnWindows(t *testing.T) {
	const text = "naïve 🔥 ünïcode\r\nline two"
	putOnClipboard(t, map[uintptr][]byte{cfUnicodeText: utf16Clip(utf16.Encode([]rune(text)))})
	clip, err := (&Clipboard{}).Read()
	if err != nil || string(clip.Text) != text || clip.Image != nil {
		t.Fatalf("text: %+v, %v; want %q", clip, err, text)
	}

	// Lone surrogates, as a broken program may leave, become U+FFFD.
	putOnClipboard(t, map[uintptr][]byte{cfUnicodeText: utf16Clip([]uint16{'a', 0xd800, 'b', 0xdc00, 0xd83d})})
	clip, err = ReadClipboard()
	if err != nil || string(clip.Text) != "a\uFFFDb\uFFFD\uFFFD" {
		t.Fatalf("broken UTF-16: %+v, %v", clip, err)
	}
}

func TestClipboardBitmap32OnWindows(t *testing.T) {
	// 3x2, top-down, 32-bit BI_RGB; the fourth byte left zero, as most programs do, means opaque.
	dib := bitmapInfoHeader(3, -2, 32, biRGB)
	for _, bgrx := range [][4]byte{
		{0x30, 0x20, 0x10, 0}, {0x00, 0x00, 0xff, 0}, {0x00, 0xff, 0x00, 0},
		{0xff, 0x00, 0x00, 0}, {0xff, 0xff, 0xff, 0}, {0x56, 0x34, 0x12, 0},
	} {
		dib = append(dib, bgrx[:]...)
	}
	putOnClipboard(t, map[uintptr][]byte{cfDIB: dib})
	img := readClipboardImage(t)
	if img.Bounds() != image.Rect(0, 0, 3, 2) {
		t.Fatalf("bounds %v, want 3x2", img.Bounds())
	}
	wantPixel(t, img, 0, 0, color.NRGBA{0x10, 0x20, 0x30, 0xff})
	wantPixel(t, img, 1, 0, color.NRGBA{0xff, 0, 0, 0xff})
	wantPixel(t, img, 0, 1, color.NRGBA{0, 0, 0xff, 0xff})
	wantPixel(t, img, 2, 1, color.NRGBA{0x12, 0x34, 0x56, 0xff})
}

func TestClipboardBitmapV5AlphaOnWindows(t *testing.T) {
	// 2x1 BITMAPV5HEADER with BI_BITFIELDS and an alpha mask: a half-transparent pixel stays so.
	dib := bitmapInfoHeader(2, 1, 32, biBitfields)
	binary.LittleEndian.PutUint32(dib[0:], 124)
	dib = append(dib, make([]byte, 124-40)...)
	for i, mask := range []uint32{0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000} {
		binary.LittleEndian.PutUint32(dib[40+4*i:], mask)
	}
	dib = append(dib, 0x00, 0x00, 0xff, 0x80, 0xff, 0x00, 0x00, 0xff) // BGRA
	putOnClipboard(t, map[uintptr][]byte{cfDIBV5: dib})
	img := readClipboardImage(t)
	if img.Bounds() != image.Rect(0, 0, 2, 1) {
		t.Fatalf("bounds %v, want 2x1", img.Bounds())
	}
	wantPixel(t, img, 0, 0, color.NRGBA{0xff, 0, 0, 0x80})
	wantPixel(t, img, 1, 0, color.NRGBA{0, 0, 0xff, 0xff})
}

func TestClipboardBitmap24BottomUpOnWindows(t *testing.T) {
	// 3x2, bottom-up (the first row in memory is the bottom one), rows padded to 12 bytes.
	dib := bitmapInfoHeader(3, 2, 24, biRGB)
	dib = append(dib, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0, 0, 0) // bottom
	dib = append(dib, 0xff, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0xff, 0, 0, 0) // top
	putOnClipboard(t, map[uintptr][]byte{cfDIB: dib})
	img := readClipboardImage(t)
	if img.Bounds() != image.Rect(0, 0, 3, 2) {
		t.Fatalf("bounds %v, want 3x2", img.Bounds())
	}
	wantPixel(t, img, 0, 0, color.NRGBA{0, 0, 0xff, 0xff})
	wantPixel(t, img, 2, 0, color.NRGBA{0xff, 0, 0, 0xff})
	wantPixel(t, img, 0, 1, color.NRGBA{0x03, 0x02, 0x01, 0xff})
	wantPixel(t, img, 2, 1, color.NRGBA{0x09, 0x08, 0x07, 0xff})
}

func TestClipboardUnsupportedBitmapOnWindows(t *testing.T) {
	// 1x1 at 8 bits a pixel, with a two-colour palette: refused, not misread.
	dib := bitmapInfoHeader(1, 1, 8, biRGB)
	binary.LittleEndian.PutUint32(dib[32:], 2)
	dib = append(dib, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0, 1, 0, 0, 0)
	putOnClipboard(t, map[uintptr][]byte{cfDIB: dib})
	_, err := ReadClipboard()
	if blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(err.Error(), "8 bits a pixel") {
		t.Fatalf("an 8-bit bitmap: %v, want EINVALID naming its kind", err)
	}
}

func TestClipboardPNGOnWindows(t *testing.T) {
	var buf bytes.Buffer
	src := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	src.Set(1, 1, color.NRGBA{0x12, 0x34, 0x56, 0xff})
	if err := png.Encode(&buf, src); err != nil {
		t.Fatal(err)
	}
	// Browsers put both the image and its address: the image comes first, byte for byte.
	putOnClipboard(t, map[uintptr][]byte{
		pngClipboardFormat(): buf.Bytes(),
		cfUnicodeText:        utf16Clip(utf16.Encode([]rune("https://example.com/graph.png"))),
	})
	clip, err := ReadClipboard()
	if err != nil || !bytes.Equal(clip.Image, buf.Bytes()) || clip.Text != nil {
		t.Fatalf("PNG: %d bytes of image, %q of text, %v; want the %d bytes put", len(clip.Image), clip.Text, err, buf.Len())
	}
}

func TestClipboardEmptyOnWindows(t *testing.T) {
	putOnClipboard(t, nil)
	if _, err := ReadClipboard(); blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("an empty clipboard: %v, want EINVALID saying it is empty", err)
	}
}

func TestClipboardTooLargeOnWindows(t *testing.T) {
	putOnClipboard(t, map[uintptr][]byte{pngClipboardFormat(): make([]byte, MaxClipBytes+1)})
	if _, err := ReadClipboard(); blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(err.Error(), "the limit is 64 MiB") {
		t.Fatalf("64 MiB and a byte: %v, want EINVALID naming the limit", err)
	}
}

func TestClipboardBusyOnWindows(t *testing.T) {
	putOnClipboard(t, map[uintptr][]byte{cfUnicodeText: utf16Clip(utf16.Encode([]rune("held")))})
	// holdClipboard keeps the clipboard open for d, from another thread and for a window of its
	// own, as another program would (Wine lets any thread open it again for the same window).
	holdClipboard := func(d time.Duration) {
		opened, released := make(chan error), make(chan struct{})
		go func() {
			defer close(released)
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			const hwndMessage = ^uintptr(2) // (HWND)-3: a message-only window
			hwnd, _, err := clipboardTestAPI.createWindowEx.Call(0, uintptr(unsafe.Pointer(windows.StringToUTF16Ptr("STATIC"))), 0, 0,
				0, 0, 0, 0, hwndMessage, 0, 0, 0)
			if hwnd == 0 {
				opened <- err
				return
			}
			defer clipboardTestAPI.destroyWindow.Call(hwnd)
			if ok, _, err := clipboardAPI.openClipboard.Call(hwnd); ok == 0 {
				opened <- err
				return
			}
			opened <- nil
			time.Sleep(d)
			clipboardAPI.closeClipboard.Call()
		}()
		if err := <-opened; err != nil {
			t.Fatalf("holding the clipboard: %v", err)
		}
		t.Cleanup(func() { <-released }) // the tests after this one need the clipboard
	}

	// A program that lets go within the second is waited for.
	holdClipboard(300 * time.Millisecond)
	start := time.Now()
	if clip, err := ReadClipboard(); err != nil || string(clip.Text) != "held" {
		t.Fatalf("after a short hold: %+v, %v", clip, err)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond {
		t.Fatalf("read in %s while another thread held the clipboard for 300ms", waited)
	}

	// One that does not is reported.
	holdClipboard(2 * time.Second)
	start = time.Now()
	_, err := ReadClipboard()
	if blotter.ErrorCode(err) != blotter.EUNAVAILABLE || !strings.Contains(err.Error(), "another program") {
		t.Fatalf("while held: %v, want EUNAVAILABLE", err)
	}
	if waited := time.Since(start); waited < clipboardBusyTimeout || waited > clipboardBusyTimeout+time.Second {
		t.Fatalf("gave up after %s, want about %s", waited, clipboardBusyTimeout)
	}
}
