package desktoptest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/randr"
	"github.com/jezek/xgb/xproto"

	"github.com/blotterapp/blotter/internal/recorder"
)

// twoMonitors splits a 3200x900 Xvfb screen into two RandR monitors, LEFT (primary) and
// RIGHT, as `xrandr --setmonitor` would. The server forgets a client's monitors when it
// disconnects, so the connection stays open until the test ends; removeRight unplugs RIGHT.
func twoMonitors(t *testing.T, display string) (removeRight func()) {
	t.Helper()
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	if err := randr.Init(conn); err != nil {
		t.Fatal(err)
	}
	root := xproto.Setup(conn).DefaultScreen(conn).Root
	res, err := randr.GetScreenResourcesCurrent(conn, root).Reply()
	if err != nil || len(res.Outputs) == 0 {
		t.Fatalf("the screen's outputs: %v", err)
	}
	atom := func(name string) xproto.Atom {
		r, err := xproto.InternAtom(conn, false, uint16(len(name)), name).Reply()
		if err != nil {
			t.Fatal(err)
		}
		return r.Atom
	}
	monitors := []randr.MonitorInfo{
		// LEFT takes the screen's one output, so the automatic whole-screen monitor goes away.
		{Name: atom("LEFT"), Primary: true, NOutput: 1, Outputs: res.Outputs[:1], X: 0, Width: 1600, Height: 900, WidthInMillimeters: 423, HeightInMillimeters: 238},
		{Name: atom("RIGHT"), X: 1600, Width: 1600, Height: 900, WidthInMillimeters: 423, HeightInMillimeters: 238},
	}
	for _, m := range monitors {
		if err := randr.SetMonitorChecked(conn, root, m).Check(); err != nil {
			t.Fatalf("setting monitor: %v", err)
		}
	}
	return func() {
		if err := randr.DeleteMonitorChecked(conn, root, atom("RIGHT")).Check(); err != nil {
			t.Fatalf("removing RIGHT: %v", err)
		}
	}
}

// startWindowManager runs openbox, an EWMH window manager, as a desktop has one: keeping a
// window above others and moving it is the manager's job.
func startWindowManager(t *testing.T, display string) {
	t.Helper()
	if _, err := exec.LookPath("openbox"); err != nil {
		t.Fatalf("openbox is missing (make deps installs it): %v", err)
	}
	cmd := exec.Command("openbox", "--sm-disable")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitFor(t, 10*time.Second, "the window manager", func() (string, bool) {
		out, _ := exec.Command("xprop", "-display", display, "-root", "_NET_SUPPORTING_WM_CHECK").CombinedOutput()
		return "", strings.Contains(string(out), "window id")
	})
}

type frame struct{ x, y, w, h int }

// frame returns the window's client geometry as xdotool reports it.
func (a *app) frame() frame {
	var f frame
	g := a.geometry() // "x,y wxh"
	parts := strings.FieldsFunc(g, func(r rune) bool { return r == ',' || r == ' ' || r == 'x' })
	if len(parts) == 4 {
		f.x, _ = strconv.Atoi(parts[0])
		f.y, _ = strconv.Atoi(parts[1])
		f.w, _ = strconv.Atoi(parts[2])
		f.h, _ = strconv.Atoi(parts[3])
	}
	return f
}

func (a *app) above() bool {
	out, _ := a.x("xprop", "-id", a.window, "_NET_WM_STATE")
	return strings.Contains(out, "_NET_WM_STATE_ABOVE")
}

// waitFrame waits until the window's geometry satisfies ok.
func (a *app) waitFrame(what string, ok func(frame) bool) frame {
	a.t.Helper()
	var last frame
	waitFor(a.t, 10*time.Second, what, func() (string, bool) {
		last = a.frame()
		return "", ok(last)
	})
	return last
}

// TestSideWindow starts `blotter --side` on a desktop with two screens and a window manager:
// the window stands narrow and full height at the chosen screen's edge, above the others;
// the hotkey switches to the full window and back; with its screen unplugged it goes to the
// primary one; and the quick-note box comes up small and on top, then gives the window back.
func TestSideWindow(t *testing.T) {
	bin := guiBinary(t)
	display := startXvfb(t, "3200x900")
	unplugRight := twoMonitors(t, display)
	startWindowManager(t, display)
	dataDir := filepath.Join(t.TempDir(), "data")
	if out, err := exec.Command(bin, "--data-dir", dataDir, "incident", "new", "Side window test").CombinedOutput(); err != nil {
		t.Fatalf("incident new: %v %s", err, out)
	}
	ws, err := recorder.Open(context.Background(), dataDir)
	if err != nil {
		t.Fatal(err)
	}
	// The side window's place, as Settings → Side window stores it.
	if err := ws.SetPreference(context.Background(), recorder.PrefSideWindow, `{"screen":"RIGHT","edge":"right"}`); err != nil {
		t.Fatal(err)
	}
	ws.Close()

	a := startApp(t, bin, display, dataDir, "--side")
	onRightEdge := func(screenRight int) func(frame) bool {
		return func(f frame) bool {
			return f.w >= 300 && f.w <= 420 && f.x+f.w <= screenRight && f.x+f.w >= screenRight-12 && f.h >= 800
		}
	}
	f := a.waitFrame("the side window at RIGHT's right edge", onRightEdge(3200))
	if !a.above() {
		t.Errorf("the side window %+v is not _NET_WM_STATE_ABOVE", f)
	}

	a.x("xdotool", "key", "ctrl+alt+w")
	f = a.waitFrame("the full window", func(f frame) bool { return f.w > 1000 })
	if a.above() {
		t.Errorf("the full window %+v is still kept above", f)
	}

	unplugRight()
	a.x("xdotool", "key", "ctrl+alt+w")
	f = a.waitFrame("the side window on the primary screen, RIGHT being gone", onRightEdge(1600))
	if !a.above() {
		t.Errorf("the side window %+v is not kept above", f)
	}

	// The quick-note box, from the side window: small, on top, on the screen under the pointer.
	a.x("xdotool", "mousemove", "800", "450")
	side := f
	a.x("xdotool", "key", "ctrl+alt+n")
	box := a.waitFrame("the quick-note box", func(f frame) bool { return f.w > 500 && f.w <= 640 && f.h <= 176 && f.x > 400 && f.x+f.w < 1200 })
	if !a.above() {
		t.Errorf("the quick-note box %+v is not kept above", box)
	}
	a.x("xdotool", "windowfocus", "--sync", a.window)
	time.Sleep(300 * time.Millisecond) // WebKit settles its own focus after the window's
	a.x("xdotool", "type", "--delay", "15", "Noted from the box")
	a.x("xdotool", "key", "Return")
	waitFor(t, 10*time.Second, "the quick note", func() (string, bool) {
		for _, e := range a.entries() {
			if e.Text == "Noted from the box" {
				return "", true
			}
		}
		return "", false
	})
	back := a.waitFrame("the side window back where it was", func(f frame) bool { return f == side })
	t.Logf("side %+v, box %+v, back %+v", side, box, back)
}

// TestQuickNoteGivesTheKeyboardBack: with another program (a stand-in for the terminal) holding
// the keyboard, the quick-note hotkey opens the box under the pointer with the keyboard in it;
// after Enter the other program has the keyboard again, so the next words typed are its, not
// Blotter's single-key shortcuts. A minimised Blotter is minimised again, and says nothing
// went wrong.
func TestQuickNoteGivesTheKeyboardBack(t *testing.T) {
	bin := guiBinary(t)
	display := startXvfb(t, "1600x900")
	startWindowManager(t, display)
	dataDir := filepath.Join(t.TempDir(), "data")
	if out, err := exec.Command(bin, "--data-dir", dataDir, "incident", "new", "Focus test").CombinedOutput(); err != nil {
		t.Fatalf("incident new: %v %s", err, out)
	}
	a := startApp(t, bin, display, dataDir)
	other := exec.Command("xmessage", "-name", "terminal", "-geometry", "400x200+100+100", "the terminal")
	other.Env = append(os.Environ(), "DISPLAY="+display)
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Process.Kill(); other.Wait() })
	term := waitFor(t, 10*time.Second, "the other program's window", func() (string, bool) {
		out, err := a.x("xdotool", "search", "--onlyvisible", "--name", "^terminal$")
		id := strings.TrimSpace(strings.Split(out, "\n")[0])
		return id, err == nil && id != ""
	})
	active := func() string {
		out, _ := a.x("xdotool", "getactivewindow")
		return strings.TrimSpace(out)
	}
	hasNote := func(text string) func() (string, bool) {
		return func() (string, bool) {
			var seen []string // said on a timeout: a note with keys missing tells a focus race
			for _, e := range a.entries() {
				if e.Text == text {
					return "", true
				}
				seen = append(seen, fmt.Sprintf("%s %q", e.Kind, e.Text))
			}
			return "entries " + strings.Join(seen, ", "), false
		}
	}
	quickNote := func(text string) {
		t.Helper()
		a.x("xdotool", "windowactivate", "--sync", term)
		waitFor(t, 5*time.Second, "the other program to have the keyboard", func() (string, bool) { return "", active() == term })
		a.x("xdotool", "mousemove", "1200", "700")
		a.x("xdotool", "key", "ctrl+alt+n")
		// Under the pointer: the window manager resizes before it moves, so wait for both.
		a.waitFrame("the quick-note box under the pointer at (1200, 700)", func(f frame) bool {
			return f.w > 500 && f.w <= 640 && f.h <= 176 && f.x < 1200 && f.x+f.w > 1200 && f.y < 760 && f.y+f.h > 700
		})
		// The window takes the keyboard only once its field has the cursor: typing at once
		// loses no letter and fires no shortcut.
		waitFor(t, 5*time.Second, "the box to have the keyboard", func() (string, bool) { return "", active() == a.window })
		a.x("xdotool", "type", "--delay", "15", text)
		a.x("xdotool", "key", "Return")
		waitFor(t, 10*time.Second, "the note "+text, hasNote(text))
		waitFor(t, 5*time.Second, "the keyboard back with the other program", func() (string, bool) { return "", active() == term })
	}

	quickNote("Focus goes back")
	// The next keys are the other program's: "d" is a Blotter shortcut that would change the view.
	a.x("xdotool", "type", "dro")
	if strings.Contains(a.logs.String(), "hotkey:") {
		t.Errorf("the hotkey reported an error:\n%s", a.logs.String())
	}

	// Minimised, it opens the box all the same, and is minimised again after.
	a.x("xdotool", "windowminimize", "--sync", a.window)
	iconic := func() (string, bool) {
		out, _ := a.x("xprop", "-id", a.window, "WM_STATE")
		return out, strings.Contains(out, "Iconic")
	}
	waitFor(t, 5*time.Second, "Blotter minimised", iconic)
	quickNote("From a minimised Blotter")
	waitFor(t, 5*time.Second, "Blotter minimised again", iconic)
	if strings.Contains(a.logs.String(), "hotkey:") {
		t.Errorf("the hotkey reported an error while minimised:\n%s", a.logs.String())
	}
}
