package report_test

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/report"
)

// chromium returns a Chromium (or Chrome) to run headless, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a browser")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Skip("no Chromium to open the report in")
	return ""
}

// TestHTMLReportInChromium opens the report in a real browser: recorded text that would load
// from a server or run script, were it markup, stays text (the server sees no request), the
// embedded screenshot renders under the report's CSP, and the report prints to PDF.
func TestHTMLReportInChromium(t *testing.T) {
	browser := chromium(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		t.Logf("the report made a request: %s %s", r.Method, r.URL)
	}))
	defer srv.Close()

	db := openDB(t)
	inc, files := evidenceRecord(t, db)
	bait := `<img src="` + srv.URL + `/pixel.png"><script>fetch("` + srv.URL + `/script")</script>` +
		`<link rel="stylesheet" href="` + srv.URL + `/style.css"><iframe src="` + srv.URL + `/frame"></iframe>`
	if err := db.AddEntry(context.Background(), &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindNote, Author: "eve",
		OccurredAt: t0.Add(5 * time.Minute), Text: bait}, blotter.Change{By: "eve"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var buf bytes.Buffer
	if err := report.WriteHTML(context.Background(), &buf, db, inc.ID, vaultOf(files), report.Options{Now: t0}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(page, buf.Bytes(), 0o600)

	run := func(mode ...string) []byte {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
			"--user-data-dir=" + filepath.Join(dir, "profile"), "--virtual-time-budget=2000"}, mode...)
		cmd := exec.CommandContext(ctx, browser, append(args, "file://"+page)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", browser, mode, err, stderr.String())
		}
		return out
	}
	dom := string(run("--dump-dom"))
	if !strings.Contains(dom, "&lt;script&gt;fetch(") || strings.Count(dom, "<script") != 0 || strings.Contains(dom, "<iframe") {
		t.Errorf("the browser's DOM is not the escaped text:\n%.2000s", dom)
	}
	if n := strings.Count(dom, "<img"); n != 1 {
		t.Errorf("the DOM has %d images, want the screenshot only", n)
	}
	pdf := filepath.Join(dir, "report.pdf")
	run("--print-to-pdf="+pdf, "--no-pdf-header-footer")
	if data, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(data, []byte("%PDF")) {
		t.Fatalf("the report did not print to PDF: %v", err)
	}
	// The embedded screenshot renders under the CSP: a window tall enough for the whole page
	// shows its blue gradient (x, y, 0x80), a colour nothing else on the page has.
	shot := filepath.Join(dir, "report.png")
	run("--screenshot="+shot, "--window-size=1000,8000", "--hide-scrollbars")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	blue := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if b>>8 >= 0x70 && b>>8 <= 0x90 && b>>8 > r>>8+0x30 && b>>8 > g>>8+0x30 {
				blue++
			}
		}
	}
	if blue < 1000 { // the image is 64×40
		t.Errorf("the embedded screenshot did not render (%d of its pixels found): blocked by the CSP, or broken", blue)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the report made %d requests to a server", n)
	}
}
