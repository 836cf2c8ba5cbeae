package capture

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"

	"github.com/blotterapp/blotter/internal/blotter"
)

// sessionBus starts a D-Bus daemon of the test's own and points the environment at it. Its
// configuration names no service directories, so nothing on this machine is activated on it:
// the only file manager there is the one a test puts there.
func sessionBus(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("dbus-daemon is not installed (make deps installs it)")
	}
	// A short name of its own: a socket path is at most 107 bytes, and a test's temp dir (named
	// after the test) may hold a comma, which D-Bus addresses reserve.
	dir, err := os.MkdirTemp("", "bus")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	conf := filepath.Join(dir, "bus.conf")
	os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=`+filepath.Join(dir, "bus")+`</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	cmd := exec.Command("dbus-daemon", "--nofork", "--config-file="+conf, "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon said no address: %v", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", strings.TrimSpace(addr))
}

// fakeFileManager is a FileManager1 service that records what it was asked to show.
type fakeFileManager struct {
	mu    sync.Mutex
	shown [][]string
}

func (f *fakeFileManager) ShowItems(uris []string, startupID string) *dbus.Error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shown = append(f.shown, uris)
	return nil
}

// exportFileManager puts a fake file manager on the test's session bus.
func exportFileManager(t *testing.T) *fakeFileManager {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fm := &fakeFileManager{}
	if err := conn.Export(fm, fileManagerPath, fileManagerName); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(fileManagerName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("RequestName = %v, %v", reply, err)
	}
	return fm
}

// fakeXdgOpen puts an xdg-open on PATH (and nothing else) that writes its argument to a file
// and exits with status; it returns that file.
func fakeXdgOpen(t *testing.T, status int) string {
	t.Helper()
	dir := t.TempDir()
	got := filepath.Join(dir, "opened")
	script := "#!/bin/sh\nprintf %s \"$1\" > '" + got + "'\necho 'no method available for opening it' >&2\nexit " + strconv.Itoa(status) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	return got
}

func TestRevealThroughTheFileManager(t *testing.T) {
	sessionBus(t)
	fm := exportFileManager(t)
	opened := fakeXdgOpen(t, 0)
	t.Setenv("DISPLAY", ":99")
	path := filepath.Join(t.TempDir(), "vault", "ab", "ab cd#1")
	did, err := Reveal(path)
	if err != nil || did != RevealShown {
		t.Fatalf("Reveal = %q, %v; want %q", did, err, RevealShown)
	}
	fm.mu.Lock()
	defer fm.mu.Unlock()
	// The URI is escaped: a space or # in a path must not cut it.
	want := "file://" + strings.ReplaceAll(strings.ReplaceAll(path, " ", "%20"), "#", "%23")
	if len(fm.shown) != 1 || len(fm.shown[0]) != 1 || fm.shown[0][0] != want {
		t.Errorf("the file manager was asked to show %q, want [[%s]]", fm.shown, want)
	}
	if _, err := os.Stat(opened); err == nil {
		t.Error("xdg-open ran although the file manager showed the file")
	}
}

func TestRevealFallsBackToTheFolder(t *testing.T) {
	sessionBus(t) // a bus, but no file manager on it
	opened := fakeXdgOpen(t, 0)
	t.Setenv("DISPLAY", ":99")
	path := filepath.Join(t.TempDir(), "evidence")
	did, err := Reveal(path)
	if err != nil || did != RevealOpened {
		t.Fatalf("Reveal = %q, %v; want %q", did, err, RevealOpened)
	}
	if b, _ := os.ReadFile(opened); string(b) != filepath.Dir(path) {
		t.Errorf("xdg-open was given %q, want the folder %q", b, filepath.Dir(path))
	}
}

func TestRevealSaysWhyItCannot(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(t *testing.T)
		want  []string
	}{
		{"no bus, no display", func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
			t.Setenv("DISPLAY", "")
			t.Setenv("WAYLAND_DISPLAY", "")
		}, []string{"no D-Bus session bus", "no display"}},
		{"no file manager, xdg-open fails", func(t *testing.T) {
			sessionBus(t)
			fakeXdgOpen(t, 3)
			t.Setenv("DISPLAY", ":99")
		}, []string{"no file manager on the session bus offers org.freedesktop.FileManager1", "xdg-open could not open the folder (no method available for opening it)"}},
		{"no xdg-open", func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
			t.Setenv("DISPLAY", ":99")
			t.Setenv("PATH", t.TempDir())
		}, []string{"no D-Bus session bus", "xdg-open, to open the folder with, is not installed"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.setup(t)
			did, err := Reveal(filepath.Join(t.TempDir(), "evidence"))
			if blotter.ErrorCode(err) != blotter.EUNAVAILABLE || did != "" {
				t.Fatalf("Reveal = %q, %v; want EUNAVAILABLE", did, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}
