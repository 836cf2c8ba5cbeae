package capture

import (
	"bytes"
	"encoding/binary"
	"sync"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/blotterapp/blotter/internal/blotter"
)

// clipboardTimeout is how long the clipboard's owner has to answer.
const clipboardTimeout = 2 * time.Second

// Clipboard reads the X CLIPBOARD selection in pure Go over one kept connection: opening one
// per read (as golang.design/x/clipboard does, twice per capture: image, then text) was most
// of a clipboard hotkey's time. It asks the owner for TARGETS, then for image/png or text,
// and follows the INCR protocol for large contents.
type Clipboard struct {
	mu     sync.Mutex
	conn   *xgb.Conn
	win    xproto.Window
	events chan xgb.Event
	atoms  map[string]xproto.Atom
}

var desktopClipboard = &Clipboard{}

// Read returns the clipboard's content, an image before text when it offers both. Returns
// EUNAVAILABLE without a display or when the owner does not answer, EINVALID when it is
// empty or too large. A broken connection is opened again once.
func (c *Clipboard) Read() (*Clip, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	clip, err := c.read()
	if blotter.ErrorCode(err) == blotter.EUNAVAILABLE && c.conn != nil {
		c.closeConn()
		clip, err = c.read()
	}
	return clip, err
}

// Close closes the connection.
func (c *Clipboard) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closeConn()
}

func (c *Clipboard) closeConn() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

func (c *Clipboard) open() error {
	conn, err := xgb.NewConn()
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "the clipboard cannot be read (no display?): %v", err)
	}
	win, err := xproto.NewWindowId(conn)
	if err != nil {
		conn.Close()
		return blotter.Errorf(blotter.EUNAVAILABLE, "the clipboard cannot be read: %v", err)
	}
	root := xproto.Setup(conn).DefaultScreen(conn).Root
	// An invisible window to receive the contents, told of its property changes (for INCR).
	if err := xproto.CreateWindowChecked(conn, 0, win, root, 0, 0, 1, 1, 0, xproto.WindowClassInputOnly, 0,
		xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange}).Check(); err != nil {
		conn.Close()
		return blotter.Errorf(blotter.EUNAVAILABLE, "the clipboard cannot be read: %v", err)
	}
	events := make(chan xgb.Event, 256)
	go func() {
		defer close(events)
		for {
			ev, err := conn.WaitForEvent()
			if ev == nil && err == nil {
				return // the connection closed
			}
			if ev != nil {
				events <- ev
			}
		}
	}()
	c.conn, c.win, c.events, c.atoms = conn, win, events, map[string]xproto.Atom{}
	return nil
}

func (c *Clipboard) read() (*Clip, error) {
	if c.conn == nil {
		if err := c.open(); err != nil {
			return nil, err
		}
	}
	targets, err := c.convert("TARGETS")
	if err != nil {
		return nil, err
	}
	offered := map[xproto.Atom]bool{}
	for i := 0; i+4 <= len(targets); i += 4 {
		offered[xproto.Atom(binary.LittleEndian.Uint32(targets[i:]))] = true
	}
	if offered[c.atom("image/png")] {
		if img, err := c.convert("image/png"); err != nil || len(img) > 0 {
			return &Clip{Image: img}, err
		}
	}
	for _, target := range []string{"UTF8_STRING", "STRING", "TEXT"} {
		if len(targets) > 0 && !offered[c.atom(target)] {
			continue
		}
		if text, err := c.convert(target); err != nil || len(text) > 0 {
			return &Clip{Text: text}, err
		}
	}
	return nil, blotter.Errorf(blotter.EINVALID, "the clipboard is empty (or holds neither text nor an image)")
}

// convert asks the clipboard's owner for its content as target and returns it; nil when the
// owner does not offer it (or there is no owner).
func (c *Clipboard) convert(target string) ([]byte, error) {
	for len(c.events) > 0 { // what earlier reads left behind
		<-c.events
	}
	prop := c.atom("BLOTTER_CLIPBOARD")
	xproto.ConvertSelection(c.conn, c.win, c.atom("CLIPBOARD"), c.atom(target), prop, xproto.TimeCurrentTime)
	deadline := time.After(clipboardTimeout)
	for {
		select {
		case ev, ok := <-c.events:
			if !ok {
				return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the X connection closed while reading the clipboard")
			}
			n, isNotify := ev.(xproto.SelectionNotifyEvent)
			if !isNotify || n.Requestor != c.win {
				continue
			}
			if n.Property == xproto.AtomNone {
				return nil, nil
			}
			return c.take(prop, deadline)
		case <-deadline:
			return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the program holding the clipboard did not answer within %s", clipboardTimeout)
		}
	}
}

// take reads and deletes the property the owner wrote; INCR means it comes in chunks, each a
// new value of the property, ending with an empty one.
func (c *Clipboard) take(prop xproto.Atom, deadline <-chan time.Time) ([]byte, error) {
	r, err := xproto.GetProperty(c.conn, true, c.win, prop, xproto.GetPropertyTypeAny, 0, MaxClipBytes/4+1).Reply()
	if err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "reading the clipboard: %v", err)
	}
	if r.Type != c.atom("INCR") {
		if r.BytesAfter > 0 {
			return nil, clipboardTooLarge()
		}
		return r.Value, nil
	}
	var buf bytes.Buffer
	for {
		select {
		case ev, ok := <-c.events:
			if !ok {
				return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the X connection closed while reading the clipboard")
			}
			p, isProp := ev.(xproto.PropertyNotifyEvent)
			if !isProp || p.Window != c.win || p.Atom != prop || p.State != xproto.PropertyNewValue {
				continue
			}
			chunk, err := xproto.GetProperty(c.conn, true, c.win, prop, xproto.GetPropertyTypeAny, 0, MaxClipBytes/4+1).Reply()
			if err != nil {
				return nil, blotter.Errorf(blotter.EUNAVAILABLE, "reading the clipboard: %v", err)
			}
			if len(chunk.Value) == 0 {
				return buf.Bytes(), nil
			}
			if buf.Len()+len(chunk.Value) > MaxClipBytes {
				xproto.DeleteProperty(c.conn, c.win, prop)
				return nil, clipboardTooLarge()
			}
			buf.Write(chunk.Value)
		case <-deadline:
			return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the program holding the clipboard stopped sending within %s", clipboardTimeout)
		}
	}
}

func (c *Clipboard) atom(name string) xproto.Atom {
	if a, ok := c.atoms[name]; ok {
		return a
	}
	r, err := xproto.InternAtom(c.conn, false, uint16(len(name)), name).Reply()
	if err != nil {
		return xproto.AtomNone
	}
	c.atoms[name] = r.Atom
	return r.Atom
}
