package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blotterapp/blotter/app"
	"github.com/blotterapp/blotter/internal/blotter"
)

// attachFiles puts files (name -> content) on a new incident and returns their digests.
func attachFiles(t *testing.T, s *app.Services, files map[string][]byte) map[string]string {
	t.Helper()
	if _, err := s.Incidents.Create("Evidence viewer", blotter.SeverityLow); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	results, err := s.Evidence.Attach(paths)
	if err != nil {
		t.Fatal(err)
	}
	shas := map[string]string{}
	for _, r := range results {
		if r.Entry == nil {
			t.Fatalf("%s refused: %s", r.Path, r.Error)
		}
		shas[filepath.Base(r.Path)] = r.Entry.Evidence[0].SHA256
	}
	return shas
}

func TestEvidenceText(t *testing.T) {
	s, _ := newServices(t)
	// "é" is two bytes: a cut after 8 bytes falls inside the second one.
	long := []byte("héllo éé wörld")
	shas := attachFiles(t, s, map[string][]byte{
		"notes.txt": []byte("GET /admin 403\n<script>alert(1)</script>\n"),
		"long.txt":  long,
		"dump.bin":  {0x7f, 'E', 'L', 'F', 0, 1, 2, 3},
		"latin1":    []byte("caf\xe9"),
		"empty":     {},
	})

	x, err := s.Evidence.Text(shas["notes.txt"], 0)
	if err != nil || x.Binary || x.Truncated || x.Size != 41 || x.Text != "GET /admin 403\n<script>alert(1)</script>\n" {
		t.Errorf("notes.txt: %+v, %v", x, err)
	}
	x, err = s.Evidence.Text(shas["long.txt"], 8)
	if err != nil || x.Binary || !x.Truncated || x.Size != int64(len(long)) || x.Text != "héllo " {
		t.Errorf("long.txt cut at 8 bytes: %+v, %v; want the whole characters before the cut", x, err)
	}
	x, err = s.Evidence.Text(shas["long.txt"], 9)
	if err != nil || x.Text != "héllo é" {
		t.Errorf("long.txt cut at 9 bytes: %+v, %v", x, err)
	}
	for _, name := range []string{"dump.bin", "latin1"} {
		x, err = s.Evidence.Text(shas[name], 0)
		if err != nil || !x.Binary || x.Text != "" {
			t.Errorf("%s: %+v, %v; want binary and no text", name, x, err)
		}
	}
	x, err = s.Evidence.Text(shas["empty"], 0)
	if err != nil || x.Binary || x.Size != 0 || x.Text != "" {
		t.Errorf("empty: %+v, %v", x, err)
	}

	// Only a digest names a file: no path gets through.
	for _, bad := range []string{"../blotter.db", "/etc/passwd", strings.Repeat("0", 63) + "/", strings.ToUpper(shas["notes.txt"])} {
		if _, err := s.Evidence.Text(bad, 0); blotter.ErrorCode(err) != blotter.EINVALID {
			t.Errorf("Text(%q) = %v, want EINVALID", bad, err)
		}
	}
	if _, err := s.Evidence.Text(strings.Repeat("0", 64), 0); blotter.ErrorCode(err) != blotter.ENOTFOUND {
		t.Errorf("a file not held: %v, want ENOTFOUND", err)
	}
}

func TestRevealSaysWhy(t *testing.T) {
	s, _ := newServices(t)
	shas := attachFiles(t, s, map[string][]byte{"notes.txt": []byte("x")})
	if _, err := s.Evidence.Reveal("../blotter.db"); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("a path: %v, want EINVALID", err)
	}
	if _, err := s.Evidence.Reveal(strings.Repeat("0", 64)); blotter.ErrorCode(err) != blotter.ENOTFOUND || !strings.Contains(err.Error(), "not in this vault") {
		t.Errorf("a file not held: %v, want ENOTFOUND saying so", err)
	}
	// No session bus and no display (the harness's case): nothing can show it, and it says why.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	did, err := s.Evidence.Reveal(shas["notes.txt"])
	if blotter.ErrorCode(err) != blotter.EUNAVAILABLE || did != "" || !strings.Contains(err.Error(), "no D-Bus session bus") {
		t.Errorf("Reveal with no bus = %q, %v", did, err)
	}
}
