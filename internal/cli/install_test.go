package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A plain `go build` (as the tests do) has no version stamped in: it says so rather than
// pretending to be a release. The Makefile's stamp is checked on the package (scripts/test-deb.sh),
// and here when the binary is the Makefile's (the Windows CLI under Wine).
func TestVersion(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	want := regexp.MustCompile(`^blotter dev \(commit unknown\)\n$`)
	if builtByMake {
		want = regexp.MustCompile(`^blotter [0-9A-Za-z.+~-]+ \(commit [0-9a-f]{7,}, built \d{4}-\d{2}-\d{2}\)\r?\n$`)
	}
	for _, flag := range []string{"--version", "-v"} {
		cmd := exec.Command(binary, flag)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("blotter %s: %v", flag, err)
		}
		if !want.Match(out) {
			t.Errorf("blotter %s printed %q, want %s", flag, out, want)
		}
	}
	// --version opens no data dir (and so cannot fail on one).
	if r := run(t, dir, "", "--version"); r.code != 0 || !want.MatchString(r.stdout) {
		t.Errorf("blotter --data-dir DIR --version: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("--version created the data dir: %v", err)
	}
}

func TestAutostart(t *testing.T) {
	unixOnly(t, "XDG autostart (the Windows Run value is tested in internal/autostart)")
	dir := filepath.Join(t.TempDir(), "my data")
	config := t.TempDir()
	entry := filepath.Join(config, "autostart", "blotter.desktop")
	// No blotter on $PATH: the entry names the binary by its path.
	env := []string{"XDG_CONFIG_HOME=" + config, "PATH=" + t.TempDir()}

	get := func() string {
		t.Helper()
		r := runWith(t, env, dir, "config", "get", "autostart")
		if r.code != 0 {
			t.Fatalf("config get autostart: exit %d: %s", r.code, r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	set := func(value string) {
		t.Helper()
		if r := runWith(t, env, dir, "config", "set", "autostart", value); r.code != 0 {
			t.Fatalf("config set autostart %s: exit %d: %s", value, r.code, r.stderr)
		}
	}
	execLine := func() string {
		t.Helper()
		data, err := os.ReadFile(entry)
		if err != nil {
			t.Fatalf("the autostart entry: %v", err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "Exec="); ok {
				return v
			}
		}
		t.Fatalf("no Exec line in\n%s", data)
		return ""
	}

	if got := get(); got != "off" {
		t.Fatalf("autostart before = %q, want off", got)
	}
	set("on")
	self, _ := filepath.EvalSymlinks(binary)
	if got, want := execLine(), self+` --side --data-dir "`+dir+`"`; got != want {
		t.Errorf("Exec=%s, want Exec=%s", got, want)
	}
	if got := get(); got != "on" {
		t.Errorf("autostart after on = %q", got)
	}

	// The binary found on $PATH as blotter (an installed package) is named so.
	env = append(env, "PATH="+filepath.Dir(binary))
	if filepath.Base(binary) != "blotter" {
		t.Fatalf("the test binary is %s, not blotter", binary)
	}
	set("on")
	if got, want := execLine(), `blotter --side --data-dir "`+dir+`"`; got != want {
		t.Errorf("with blotter on $PATH: Exec=%s, want Exec=%s", got, want)
	}

	set("off")
	if _, err := os.Stat(entry); !os.IsNotExist(err) {
		t.Errorf("the entry is still there after off: %v", err)
	}
	if got := get(); got != "off" {
		t.Errorf("autostart after off = %q", got)
	}
	if r := runWith(t, env, dir, "config", "set", "autostart", "maybe"); r.code != 65 || !strings.Contains(r.stderr, "on") {
		t.Errorf("config set autostart maybe: exit %d, %q; want 65", r.code, r.stderr)
	}
}

// In a Wayland session `blotter hotkeys` says to bind desktop shortcuts to the capture
// commands, on stderr: the list on stdout is the same in every session.
func TestWaylandHotkeys(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	const list = "clipboard  ctrl+alt+c\nnote       ctrl+alt+n\nscreenshot ctrl+alt+s\nside       ctrl+alt+w\n"
	for _, c := range []struct {
		name    string
		env     []string
		wayland bool
	}{
		{"X11", []string{"WAYLAND_DISPLAY=", "XDG_SESSION_TYPE=x11", "DISPLAY=:0"}, false},
		{"WAYLAND_DISPLAY", []string{"WAYLAND_DISPLAY=wayland-0", "XDG_SESSION_TYPE="}, true},
		{"XDG_SESSION_TYPE", []string{"WAYLAND_DISPLAY=", "XDG_SESSION_TYPE=wayland"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runWith(t, c.env, dir, "hotkeys")
			if r.code != 0 || r.stdout != list {
				t.Fatalf("hotkeys: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			if !c.wayland {
				if r.stderr != "" {
					t.Errorf("not Wayland, yet hotkeys said %q", r.stderr)
				}
				return
			}
			for _, want := range []string{"Wayland", "blotter capture note", "blotter capture clipboard", "blotter capture screenshot",
				"GNOME: Settings → Keyboard", "Custom Shortcuts", "KDE Plasma: System Settings → Shortcuts"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("hotkeys in Wayland says nothing of %q:\n%s", want, r.stderr)
				}
			}
		})
	}
}
