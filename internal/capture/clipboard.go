package capture

import (
	"context"
	"crypto/sha256"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// MaxClipBytes bounds what one clipboard read takes in.
const MaxClipBytes = 64 << 20

func clipboardTooLarge() error {
	return blotter.Errorf(blotter.EINVALID, "the clipboard holds more than %d MiB; the limit is %d MiB (save it to a file and attach it)", MaxClipBytes>>20, MaxClipBytes>>20)
}

// Clip is what the clipboard held: an image (PNG) or text, exactly as read.
type Clip struct {
	Image []byte
	Text  []byte
}

// ReadClipboard returns the clipboard's content, an image before text when it holds both.
// Returns EUNAVAILABLE without a display, EINVALID when the clipboard is empty.
func ReadClipboard() (*Clip, error) { return desktopClipboard.Read() }

// Hash names a clip's content, for telling contents apart.
func (c *Clip) Hash() [32]byte {
	h := sha256.New()
	if c.Image != nil {
		h.Write([]byte("image\n"))
		h.Write(c.Image)
	} else {
		h.Write([]byte("text\n"))
		h.Write(c.Text)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// WatchClipboard reads the clipboard now, then every interval from a goroutine of its own, and
// calls changed with each content that differs from the one read before it: what the
// clipboard holds when watching starts is not new. An empty or unreadable clipboard is
// skipped. The goroutine ends when ctx does.
func WatchClipboard(ctx context.Context, interval time.Duration, read func() (*Clip, error), changed func(*Clip)) {
	var last [32]byte
	if c, err := read(); err == nil {
		last = c.Hash()
	}
	go func() {
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				c, err := read()
				if err != nil {
					continue
				}
				if h := c.Hash(); h != last {
					last = h
					changed(c)
				}
			}
		}
	}()
}
