// Package screen knows the attached monitors and places the app's own window on them. On X11
// it speaks the protocol in pure Go (jezek/xgb) with EWMH hints for the window manager: Wails
// v2 knows no monitor positions, and calls GTK's resize and keep-above from goroutines that are
// not GTK's; a connection of our own has neither problem.
package screen

// Monitor is one attached screen, in root-window pixels.
type Monitor struct {
	Name    string `json:"name"`
	X       int    `json:"x"`
	Y       int    `json:"y"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Primary bool   `json:"primary"`
}

// Rect is a window's outer geometry (frame included), in root-window pixels.
type Rect struct{ X, Y, W, H int }

// Edges a side window can stand at.
const (
	EdgeLeft  = "left"
	EdgeRight = "right"
)

// Contains reports whether the point is on the monitor.
func (m Monitor) Contains(x, y int) bool {
	return x >= m.X && x < m.X+m.Width && y >= m.Y && y < m.Y+m.Height
}

// Pick returns the monitor called name; when it is gone, the primary one, else the first.
func Pick(monitors []Monitor, name string) (Monitor, bool) {
	if len(monitors) == 0 {
		return Monitor{}, false
	}
	for _, m := range monitors {
		if m.Name == name && name != "" {
			return m, true
		}
	}
	for _, m := range monitors {
		if m.Primary {
			return m, true
		}
	}
	return monitors[0], true
}

// At returns the monitor that holds the point (the pointer, a window's centre), else Pick's.
func At(monitors []Monitor, x, y int) (Monitor, bool) {
	for _, m := range monitors {
		if m.Contains(x, y) {
			return m, true
		}
	}
	return Pick(monitors, "")
}

// SideRect is a side window: full height at the monitor's edge, width wide (never more than
// the monitor).
func SideRect(m Monitor, edge string, width int) Rect {
	width = min(width, m.Width)
	x := m.X
	if edge == EdgeRight {
		x = m.X + m.Width - width
	}
	return Rect{X: x, Y: m.Y, W: width, H: m.Height}
}

// BoxRectAt is a small box under the pointer at (x, y): centred on it horizontally, its top a
// little above it, and kept wholly on the monitor.
func BoxRectAt(m Monitor, x, y, width, height int) Rect {
	width, height = min(width, m.Width), min(height, m.Height)
	left := min(max(x-width/2, m.X), m.X+m.Width-width)
	top := min(max(y-height/4, m.Y), m.Y+m.Height-height)
	return Rect{X: left, Y: top, W: width, H: height}
}

// BoxRect is a small box centred across the monitor, a fifth of the way down: where the eye
// is, clear of a top panel.
func BoxRect(m Monitor, width, height int) Rect {
	width, height = min(width, m.Width), min(height, m.Height)
	return Rect{X: m.X + (m.Width-width)/2, Y: m.Y + m.Height/5, W: width, H: height}
}
