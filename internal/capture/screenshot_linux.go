package capture

import (
	"bytes"
	"image"
	"image/png"
	"sync"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xinerama"
	"github.com/jezek/xgb/xproto"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Screenshots takes screenshots over one X connection, kept open between shots: opening one
// per shot is slow, and back-to-back connections to an X server fail now and then. Pure Go
// (the X11 protocol through xgb): nothing to link, and no display only means an error.
type Screenshots struct {
	mu   sync.Mutex
	conn *xgb.Conn
}

// Take captures the monitor under the pointer, or every monitor (allScreens), as PNG. Returns
// EUNAVAILABLE without a display. A broken connection is opened again once.
func (s *Screenshots) Take(allScreens bool) (*Shot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	shot, err := s.take(allScreens)
	if err != nil && s.conn != nil {
		s.conn.Close()
		s.conn = nil
		shot, err = s.take(allScreens)
	}
	return shot, err
}

// Close closes the X connection.
func (s *Screenshots) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
}

func (s *Screenshots) take(allScreens bool) (*Shot, error) {
	if s.conn == nil {
		conn, err := xgb.NewConn()
		if err != nil {
			return nil, blotter.Errorf(blotter.EUNAVAILABLE, "no display to take a screenshot of: %v", err)
		}
		s.conn = conn
	}
	screen := xproto.Setup(s.conn).DefaultScreen(s.conn)
	area := image.Rect(0, 0, int(screen.WidthInPixels), int(screen.HeightInPixels))
	if !allScreens {
		area = s.monitorUnderPointer(screen.Root, area)
	}
	reply, err := xproto.GetImage(s.conn, xproto.ImageFormatZPixmap, xproto.Drawable(screen.Root),
		int16(area.Min.X), int16(area.Min.Y), uint16(area.Dx()), uint16(area.Dy()), 0xffffffff).Reply()
	if err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the X server did not give the screen image: %v", err)
	}
	if len(reply.Data) < area.Dx()*area.Dy()*4 {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the screen is %d bits deep; only 24 and 32 are supported", reply.Depth)
	}
	// ZPixmap at 24/32 bits is BGRX, one 32-bit word a pixel; PNG wants RGBA.
	img := image.NewRGBA(image.Rect(0, 0, area.Dx(), area.Dy()))
	src, dst := reply.Data, img.Pix
	for i := 0; i+3 < len(dst) && i+3 < len(src); i += 4 {
		dst[i], dst[i+1], dst[i+2], dst[i+3] = src[i+2], src[i+1], src[i], 0xff
	}
	var buf bytes.Buffer
	// The fastest compression: a screenshot is evidence to keep, not a file to ship, and the
	// key press should not wait on a slow encoder.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &Shot{PNG: buf.Bytes(), Width: area.Dx(), Height: area.Dy()}, nil
}

// monitorUnderPointer returns the Xinerama monitor that holds the pointer, or whole when there
// is no Xinerama or no pointer.
func (s *Screenshots) monitorUnderPointer(root xproto.Window, whole image.Rectangle) image.Rectangle {
	if err := xinerama.Init(s.conn); err != nil {
		return whole
	}
	screens, err := xinerama.QueryScreens(s.conn).Reply()
	if err != nil || len(screens.ScreenInfo) == 0 {
		return whole
	}
	ptr, err := xproto.QueryPointer(s.conn, root).Reply()
	if err != nil {
		return whole
	}
	at := image.Pt(int(ptr.RootX), int(ptr.RootY))
	for _, m := range screens.ScreenInfo {
		r := image.Rect(int(m.XOrg), int(m.YOrg), int(m.XOrg)+int(m.Width), int(m.YOrg)+int(m.Height))
		if at.In(r) {
			return r.Intersect(whole)
		}
	}
	return whole
}
