package screen

import (
	"encoding/binary"
	"os"
	"strconv"
	"sync"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/randr"
	"github.com/jezek/xgb/xinerama"
	"github.com/jezek/xgb/xproto"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Display is one X connection for listing monitors and placing this process's window.
type Display struct {
	mu    sync.Mutex
	conn  *xgb.Conn
	root  xproto.Window
	rootW int
	rootH int
	win   xproto.Window // this process's top-level window, found on first use
	atoms map[string]xproto.Atom
}

// Open connects to the X display. Returns EUNAVAILABLE without one.
func Open() (*Display, error) {
	conn, err := xgb.NewConn()
	if err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "no X display: %v", err)
	}
	s := xproto.Setup(conn).DefaultScreen(conn)
	return &Display{conn: conn, root: s.Root, rootW: int(s.WidthInPixels), rootH: int(s.HeightInPixels), atoms: map[string]xproto.Atom{}}, nil
}

// Close closes the connection.
func (d *Display) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.conn.Close()
}

// Monitors lists the monitors: RandR 1.5 monitors (named, one primary), else Xinerama's
// screens, else the whole root window.
func (d *Display) Monitors() ([]Monitor, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := randr.Init(d.conn); err == nil {
		if r, err := randr.GetMonitors(d.conn, d.root, true).Reply(); err == nil && len(r.Monitors) > 0 {
			ms := make([]Monitor, 0, len(r.Monitors))
			for _, m := range r.Monitors {
				ms = append(ms, Monitor{Name: d.atomName(m.Name), X: int(m.X), Y: int(m.Y), Width: int(m.Width), Height: int(m.Height), Primary: m.Primary})
			}
			return ms, nil
		}
	}
	if err := xinerama.Init(d.conn); err == nil {
		if r, err := xinerama.QueryScreens(d.conn).Reply(); err == nil && len(r.ScreenInfo) > 0 {
			ms := make([]Monitor, 0, len(r.ScreenInfo))
			for i, s := range r.ScreenInfo {
				ms = append(ms, Monitor{Name: "screen-" + strconv.Itoa(i+1), X: int(s.XOrg), Y: int(s.YOrg), Width: int(s.Width), Height: int(s.Height), Primary: i == 0})
			}
			return ms, nil
		}
	}
	return []Monitor{{Name: "screen", Width: d.rootW, Height: d.rootH, Primary: true}}, nil
}

// Pointer returns where the pointer is.
func (d *Display) Pointer() (int, int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := xproto.QueryPointer(d.conn, d.root).Reply()
	if err != nil {
		return 0, 0, blotter.Errorf(blotter.EUNAVAILABLE, "asking X where the pointer is: %v", err)
	}
	return int(p.RootX), int(p.RootY), nil
}

// Frame returns the window's outer geometry: the client area and the window manager's frame.
func (d *Display) Frame() (Rect, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	win, err := d.window()
	if err != nil {
		return Rect{}, err
	}
	g, err := xproto.GetGeometry(d.conn, xproto.Drawable(win)).Reply()
	if err != nil {
		return Rect{}, blotter.Errorf(blotter.EUNAVAILABLE, "window geometry: %v", err)
	}
	at, err := xproto.TranslateCoordinates(d.conn, win, d.root, 0, 0).Reply()
	if err != nil {
		return Rect{}, blotter.Errorf(blotter.EUNAVAILABLE, "window position: %v", err)
	}
	l, r, t, b := d.frameExtents(win)
	return Rect{X: int(at.DstX) - l, Y: int(at.DstY) - t, W: int(g.Width) + l + r, H: int(g.Height) + t + b}, nil
}

// Place moves and sizes the window so that its frame covers r, and keeps it above other
// windows or not. With a window manager (EWMH) the manager is asked, as the specification
// wants; without one the window is configured and its state property written directly.
func (d *Display) Place(r Rect, above bool) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	win, err := d.window()
	if err != nil {
		return err
	}
	l, rt, t, b := d.frameExtents(win)
	w, h := max(r.W-l-rt, 1), max(r.H-t-b, 1)
	wm := d.hasWindowManager()
	if wm {
		action := uint32(0) // _NET_WM_STATE_REMOVE
		if above {
			action = 1 // _NET_WM_STATE_ADD
		}
		d.clientMessage(win, "_NET_WM_STATE", action, uint32(d.atom("_NET_WM_STATE_ABOVE")), 0, 1)
	} else {
		d.writeState(win, above)
	}
	// With the default NorthWest gravity the manager puts the frame's corner at (x, y).
	mask := uint16(xproto.ConfigWindowX | xproto.ConfigWindowY | xproto.ConfigWindowWidth | xproto.ConfigWindowHeight)
	values := []uint32{uint32(int32(r.X)), uint32(int32(r.Y)), uint32(w), uint32(h)}
	if !wm {
		mask |= xproto.ConfigWindowStackMode
		values = append(values, xproto.StackModeAbove)
	}
	if err := xproto.ConfigureWindowChecked(d.conn, win, mask, values).Check(); err != nil {
		d.win = 0 // the window may be gone; find it again next time
		return blotter.Errorf(blotter.EUNAVAILABLE, "moving the window: %v", err)
	}
	return nil
}

// Focus is who had the keyboard before the app took it for a quick note, and the state of the
// app's own window then: what RestoreFocus gives back.
type Focus struct {
	active xproto.Window // the active window then (0: unknown)
	ours   bool          // it was the app's own window
	hidden bool          // the app's window was minimised or not mapped
}

// Hidden says whether the app's window was minimised (or not on the screen).
func (f Focus) Hidden() bool { return f.hidden }

// SaveFocus notes the active window and whether the app's window is minimised, before a
// quick note raises it.
func (d *Display) SaveFocus() Focus {
	d.mu.Lock()
	defer d.mu.Unlock()
	var f Focus
	if a, ok := d.cardinal(d.root, "_NET_ACTIVE_WINDOW"); ok {
		f.active = xproto.Window(a)
	} else if r, err := xproto.GetInputFocus(d.conn).Reply(); err == nil && r.Focus > 1 {
		f.active = r.Focus // no window manager: the X input focus
	}
	win, err := d.window()
	if err != nil {
		f.hidden = true // minimised (unmapped) or not on the screen at all
		return f
	}
	if state, ok := d.cardinal(win, "WM_STATE"); ok && state == 3 { // ICCCM IconicState
		f.hidden = true
	}
	f.ours = f.active == win || d.isAncestor(f.active, win)
	return f
}

// RestoreFocus gives the screen back as it was before a quick note: a minimised window is
// minimised again; otherwise the window that had the keyboard gets it back (and comes above
// the app's window, which therefore stays behind it, as it was).
func (d *Display) RestoreFocus(f Focus) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	win, err := d.window()
	if err != nil {
		return nil // nothing of ours on the screen: nothing to give back
	}
	wm := d.hasWindowManager()
	switch {
	case f.hidden && wm:
		// ICCCM 4.1.4: a client asks to be iconified with WM_CHANGE_STATE, IconicState.
		d.clientMessage(win, "WM_CHANGE_STATE", 3)
	case f.hidden:
		xproto.UnmapWindow(d.conn, win)
	case f.ours || f.active == 0:
	case wm:
		// EWMH _NET_ACTIVE_WINDOW, source 2 (a pager: the user's own choice, which managers
		// honour rather than flash as an attention request).
		d.clientMessage(f.active, "_NET_ACTIVE_WINDOW", 2, 0, 0)
	default:
		xproto.SetInputFocus(d.conn, xproto.InputFocusPointerRoot, f.active, xproto.TimeCurrentTime)
	}
	d.conn.Sync()
	return nil
}

// Activate asks for the keyboard for the app's window (a quick note was asked for with a
// global hotkey: the user's own action, so a pager's request, which managers do not refuse as
// focus stealing).
func (d *Display) Activate() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	win, err := d.window()
	if err != nil {
		return err
	}
	if d.hasWindowManager() {
		d.clientMessage(win, "_NET_ACTIVE_WINDOW", 2, 0, 0)
	} else {
		xproto.SetInputFocus(d.conn, xproto.InputFocusPointerRoot, win, xproto.TimeCurrentTime)
	}
	d.conn.Sync()
	return nil
}

// isAncestor says whether a is an ancestor of w (a window manager's frame around the app's
// window is the active window's parent in some managers).
func (d *Display) isAncestor(a, w xproto.Window) bool {
	for i := 0; i < 4 && w != 0 && w != d.root; i++ {
		tree, err := xproto.QueryTree(d.conn, w).Reply()
		if err != nil {
			return false
		}
		if tree.Parent == a {
			return true
		}
		w = tree.Parent
	}
	return false
}

// window finds this process's top-level window: a mapped window carrying our _NET_WM_PID,
// among the root's children and, under a reparenting window manager, their children.
func (d *Display) window() (xproto.Window, error) {
	if d.win != 0 {
		if a, err := xproto.GetWindowAttributes(d.conn, d.win).Reply(); err == nil && a.MapState == xproto.MapStateViewable {
			return d.win, nil
		}
		d.win = 0
	}
	pid := uint32(os.Getpid())
	var best xproto.Window
	bestArea := 0
	var visit func(w xproto.Window, depth int)
	visit = func(w xproto.Window, depth int) {
		tree, err := xproto.QueryTree(d.conn, w).Reply()
		if err != nil {
			return
		}
		for _, c := range tree.Children {
			if p, ok := d.cardinal(c, "_NET_WM_PID"); ok && p == pid {
				a, err := xproto.GetWindowAttributes(d.conn, c).Reply()
				g, gerr := xproto.GetGeometry(d.conn, xproto.Drawable(c)).Reply()
				if err == nil && gerr == nil && a.MapState == xproto.MapStateViewable && !a.OverrideRedirect {
					if area := int(g.Width) * int(g.Height); area > bestArea {
						best, bestArea = c, area
					}
				}
				continue
			}
			if depth < 2 {
				visit(c, depth+1)
			}
		}
	}
	visit(d.root, 1)
	if best == 0 {
		return 0, blotter.Errorf(blotter.EUNAVAILABLE, "the app's window is not on the screen yet")
	}
	d.win = best
	return best, nil
}

func (d *Display) atom(name string) xproto.Atom {
	if a, ok := d.atoms[name]; ok {
		return a
	}
	r, err := xproto.InternAtom(d.conn, false, uint16(len(name)), name).Reply()
	if err != nil {
		return 0
	}
	d.atoms[name] = r.Atom
	return r.Atom
}

func (d *Display) atomName(a xproto.Atom) string {
	r, err := xproto.GetAtomName(d.conn, a).Reply()
	if err != nil {
		return ""
	}
	return r.Name
}

// cardinal reads a 32-bit property's first value.
func (d *Display) cardinal(w xproto.Window, name string) (uint32, bool) {
	vals := d.cardinals(w, name, 1)
	if len(vals) == 0 {
		return 0, false
	}
	return vals[0], true
}

func (d *Display) cardinals(w xproto.Window, name string, n uint32) []uint32 {
	r, err := xproto.GetProperty(d.conn, false, w, d.atom(name), xproto.GetPropertyTypeAny, 0, n).Reply()
	if err != nil || r.Format != 32 {
		return nil
	}
	vals := make([]uint32, 0, r.ValueLen)
	for i := 0; i+4 <= len(r.Value); i += 4 {
		vals = append(vals, binary.LittleEndian.Uint32(r.Value[i:]))
	}
	return vals
}

// frameExtents returns the window manager's frame widths (left, right, top, bottom).
func (d *Display) frameExtents(w xproto.Window) (int, int, int, int) {
	e := d.cardinals(w, "_NET_FRAME_EXTENTS", 4)
	if len(e) != 4 {
		return 0, 0, 0, 0
	}
	return int(e[0]), int(e[1]), int(e[2]), int(e[3])
}

func (d *Display) hasWindowManager() bool {
	_, ok := d.cardinal(d.root, "_NET_SUPPORTING_WM_CHECK")
	return ok
}

// clientMessage sends an EWMH request about w to the window manager.
func (d *Display) clientMessage(w xproto.Window, kind string, data ...uint32) {
	var d32 [5]uint32
	copy(d32[:], data)
	ev := xproto.ClientMessageEvent{Format: 32, Window: w, Type: d.atom(kind), Data: xproto.ClientMessageDataUnionData32New(d32[:])}
	xproto.SendEvent(d.conn, false, d.root, xproto.EventMaskSubstructureRedirect|xproto.EventMaskSubstructureNotify, string(ev.Bytes()))
}

// writeState sets or clears _NET_WM_STATE_ABOVE in the window's state property itself, which
// is what a window manager would do; with none running nobody else keeps it.
func (d *Display) writeState(w xproto.Window, above bool) {
	keep := []uint32{}
	aboveAtom := uint32(d.atom("_NET_WM_STATE_ABOVE"))
	for _, a := range d.cardinals(w, "_NET_WM_STATE", 32) {
		if a != aboveAtom {
			keep = append(keep, a)
		}
	}
	if above {
		keep = append(keep, aboveAtom)
	}
	buf := make([]byte, 4*len(keep))
	for i, a := range keep {
		binary.LittleEndian.PutUint32(buf[4*i:], a)
	}
	xproto.ChangeProperty(d.conn, xproto.PropModeReplace, w, d.atom("_NET_WM_STATE"), xproto.AtomAtom, 32, uint32(len(keep)), buf)
}
