package capture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/blotterapp/blotter/internal/blotter"
)

// The freedesktop file manager interface (Nautilus, Dolphin, Nemo, Thunar, Caja implement it).
const (
	fileManagerName = "org.freedesktop.FileManager1"
	fileManagerPath = dbus.ObjectPath("/org/freedesktop/FileManager1")
)

// revealTimeout bounds the D-Bus call: the bus may have to start the file manager first.
var revealTimeout = 10 * time.Second

// Reveal shows the file at path in the desktop's file manager: selected in its folder through
// FileManager1.ShowItems on the session bus, else its folder opened with xdg-open. It returns
// what it did (RevealShown or RevealOpened), or EUNAVAILABLE saying why neither could be done.
func Reveal(path string) (string, error) {
	if !filepath.IsAbs(path) {
		return "", blotter.Errorf(blotter.EINVALID, "%q is not an absolute path", path)
	}
	viaBus := showItem(path)
	if viaBus == "" {
		return RevealShown, nil
	}
	viaOpen := openFolder(filepath.Dir(path))
	if viaOpen == "" {
		return RevealOpened, nil
	}
	return "", blotter.Errorf(blotter.EUNAVAILABLE, "cannot show the file in a file manager: %s; and %s", viaBus, viaOpen)
}

// showItem asks the session bus's file manager to show path selected. It returns why it could
// not, or "".
func showItem(path string) string {
	// With no address set, godbus would autolaunch a bus of its own that nothing stops; no file
	// manager would be on it anyway.
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return "there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset)"
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return fmt.Sprintf("the D-Bus session bus cannot be reached (%v)", err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), revealTimeout)
	defer cancel()
	uri := (&url.URL{Scheme: "file", Path: path}).String()
	// No startup id: the app is not launched through a startup-notification-aware launcher.
	err = conn.Object(fileManagerName, fileManagerPath).CallWithContext(ctx, fileManagerName+".ShowItems", 0, []string{uri}, "").Err
	switch name := dbusErrorName(err); {
	case err == nil:
		return ""
	case name == "org.freedesktop.DBus.Error.ServiceUnknown" || name == "org.freedesktop.DBus.Error.NameHasNoOwner":
		return "no file manager on the session bus offers " + fileManagerName
	default:
		return fmt.Sprintf("the file manager did not show it (%v)", err)
	}
}

// dbusErrorName is the D-Bus error name of err (a reply's error comes as a value, others as
// pointers), or "".
func dbusErrorName(err error) string {
	var v dbus.Error
	var p *dbus.Error
	switch {
	case errors.As(err, &v):
		return v.Name
	case errors.As(err, &p):
		return p.Name
	}
	return ""
}

// openFolder opens dir with xdg-open. It returns why it could not, or "".
func openFolder(dir string) string {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return "there is no display for xdg-open to open the folder on (DISPLAY and WAYLAND_DISPLAY are unset)"
	}
	bin, err := exec.LookPath("xdg-open")
	if err != nil {
		return "xdg-open, to open the folder with, is not installed"
	}
	var stderr capped
	cmd := exec.Command(bin, dir)
	cmd.Stderr = &stderr
	// A file manager started by xdg-open may keep its stderr: do not wait on it past exit.
	cmd.WaitDelay = 500 * time.Millisecond
	if err := cmd.Start(); err != nil {
		return fmt.Sprintf("xdg-open could not start (%v)", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			why := strings.TrimSpace(stderr.String())
			if why == "" {
				why = err.Error()
			}
			return fmt.Sprintf("xdg-open could not open the folder (%s)", why)
		}
		return ""
	case <-time.After(2 * time.Second):
		// Some setups run the file manager in xdg-open's process: still running is open.
		return ""
	}
}

// capped keeps the first 1 KiB written to it: enough for an error message, and bounded
// whatever a long-running child writes.
type capped struct{ bytes.Buffer }

func (c *capped) Write(p []byte) (int, error) {
	if room := 1024 - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
