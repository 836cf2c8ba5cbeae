package report_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/report"
	"github.com/blotterapp/blotter/internal/sqlite"
)

func exportHTML(t *testing.T, db *sqlite.DB, inc *blotter.Incident, open report.EvidenceOpener, opts report.Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.WriteHTML(context.Background(), &buf, db, inc.ID, open, opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// urlAttrs are the attributes through which a page loads or navigates to something.
var urlAttrs = map[string]bool{
	"src": true, "href": true, "srcset": true, "action": true, "formaction": true, "poster": true,
	"data": true, "background": true, "cite": true, "xlink:href": true, "ping": true, "manifest": true,
}

// checkInertHTML tokenizes the page as a browser would and fails on anything that runs or
// loads: a script, an event handler, an element that embeds or navigates elsewhere, a URL
// attribute that is not a data: image or a fragment, and a CSP other than the report's.
func checkInertHTML(t *testing.T, page string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	csp := ""
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				t.Fatalf("tokenizer: %v", z.Err())
			}
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "iframe", "object", "embed", "frame", "link", "base", "form", "svg", "math", "video", "audio", "source":
			t.Errorf("the report has a <%s> element: %s", tok.Data, tok)
		}
		for _, a := range tok.Attr {
			key, val := strings.ToLower(a.Key), strings.TrimSpace(strings.ToLower(a.Val))
			switch {
			case strings.HasPrefix(key, "on"):
				t.Errorf("an event handler: %s", tok)
			case key == "http-equiv" && val == "refresh":
				t.Errorf("a meta refresh: %s", tok)
			case key == "http-equiv" && val == "content-security-policy":
				for _, b := range tok.Attr {
					if b.Key == "content" {
						csp = b.Val
					}
				}
			case urlAttrs[key] && !strings.HasPrefix(val, "#") && !(key == "src" && strings.HasPrefix(val, "data:image/")):
				t.Errorf("a URL that would load or navigate: %s=%q in %s", a.Key, a.Val, tok.Data)
			case key == "style" && strings.Contains(val, "url("):
				t.Errorf("a style that loads: %s", tok)
			}
		}
	}
	if csp != "default-src 'none'; img-src data:; style-src 'unsafe-inline'" {
		t.Errorf("the CSP is %q", csp)
	}
	// Only our own stylesheet: no @import, no url() in it.
	if style := page[strings.Index(page, "<style>"):strings.Index(page, "</style>")]; strings.Contains(style, "url(") || strings.Contains(style, "@import") {
		t.Error("the stylesheet loads something")
	}
}

// imageSources returns the src of every <img>, decoded as a browser reads it.
func imageSources(page string) []string {
	var srcs []string
	z := html.NewTokenizer(strings.NewReader(page))
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		if tok := z.Token(); tok.Data == "img" {
			for _, a := range tok.Attr {
				if a.Key == "src" {
					srcs = append(srcs, a.Val)
				}
			}
		}
	}
	return srcs
}

func TestHTMLReport(t *testing.T) {
	db := openDB(t)
	inc, files := evidenceRecord(t, db)
	page := exportHTML(t, db, inc, vaultOf(files), report.Options{Now: t0.Add(2 * time.Hour)})
	checkInertHTML(t, page)
	if strings.Contains(page, "<script") {
		t.Error("the report holds <script")
	}
	check, _ := db.Verify(context.Background(), inc.ID)
	shot := ""
	for k, v := range files {
		if bytes.HasPrefix(v, []byte("\x89PNG")) {
			shot = k
		}
	}
	for _, want := range []string{
		"<title>Incident Phishing wave</title>",
		"first report &lt;script&gt;alert(1)&lt;/script&gt; from https://evil.example", // escaped, a URL as text
		"edge.log", "screenshot.png", shot, check.Head, // evidence and digests, the head
		"<h3>To do (1)</h3>", "<strong>Block sender &lt;b&gt;domain&lt;/b&gt;</strong> · ben",
		`<article class="entry deleted"`, "blotter verify --bundle", "2026-11-22 (Sunday)",
		"@media print", "break-inside: avoid",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if imgs := imageSources(page); len(imgs) != 1 || imgs[0] != "data:image/png;base64,"+base64.StdEncoding.EncodeToString(files[shot]) {
		t.Errorf("the screenshot is not embedded as itself: %.80q", imgs)
	}
	if strings.Contains(page, "background: #000") || strings.Contains(page, "background-color") {
		t.Error("the report has a dark background")
	}

	// Without the files (not held here), the evidence is listed but not embedded.
	page = exportHTML(t, db, inc, vaultOf(nil), report.Options{})
	checkInertHTML(t, page)
	if strings.Contains(page, "data:image") || !strings.Contains(page, "not held on the machine") || !strings.Contains(page, shot) {
		t.Error("evidence not held here is not listed as such")
	}
}

func TestHTMLImageLimits(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	inc := &blotter.Incident{Title: "Images", Severity: blotter.SeverityLow}
	db.CreateIncident(ctx, inc, blotter.Change{By: "ana"}, false)
	small := pngBytes(t, 8, 8)
	big := append(pngBytes(t, 8, 8), make([]byte, report.MaxHTMLImage)...) // a PNG over the cap
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`)
	altered := pngBytes(t, 9, 9)
	files := map[string][]byte{sha(small): small, sha(big): big, sha(svg): svg, sha(altered): pngBytes(t, 10, 10)}
	for name, b := range map[string][]byte{"small.png": small, "big.png": big, "x.svg": svg, "altered.png": altered} {
		mt := "image/png"
		if name == "x.svg" {
			mt = "image/svg+xml"
		}
		e := &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindFile, Author: "ana", OccurredAt: t0, Evidence: []blotter.Evidence{
			{SHA256: sha(b), Name: name, Size: int64(len(b)), MediaType: mt}}}
		if err := db.AddEntry(ctx, e, blotter.Change{By: "ana"}); err != nil {
			t.Fatal(err)
		}
	}
	page := exportHTML(t, db, inc, vaultOf(files), report.Options{})
	checkInertHTML(t, page)
	if imgs := imageSources(page); len(imgs) != 1 || imgs[0] != "data:image/png;base64,"+base64.StdEncoding.EncodeToString(small) {
		t.Errorf("%d images embedded, want only small.png", len(imgs))
	}
	for _, want := range []string{"image not embedded: over 2 MiB", "not a PNG, JPEG, GIF or WebP", "does not match its digest"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	if strings.Contains(page, "onload") {
		t.Error("the SVG's content reached the report")
	}
}

func TestHTMLHostileRecordIsInert(t *testing.T) {
	db := openDB(t)
	inc := hostileRecord(t, db)
	page := exportHTML(t, db, inc, nil, report.Options{})
	checkInertHTML(t, page)
	for _, raw := range []string{"<script>", "<img src=https", "<b>breach</b>", "\x1b", "\u202e", awsKey, "<svg onload", "<a href=https"} {
		if strings.Contains(page, raw) {
			t.Errorf("the report holds %q raw", raw)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", `\x1b]0;pwned\x07`, `eve\u202egnp.exe`, "[REDACTED", "&lt;svg onload=alert(1)&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	unmasked := exportHTML(t, db, inc, nil, report.Options{Unmasked: true})
	if !strings.Contains(unmasked, awsKey) || !strings.Contains(unmasked, "unmasked secrets") {
		t.Error("--unmasked does not write the secret, or does not say so")
	}
}
