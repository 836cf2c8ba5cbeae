package report_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
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
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/report"
	"github.com/blotterapp/blotter/internal/sqlite"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// pngBytes draws a small screenshot-like PNG.
func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 0x80, 0xff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// evidenceRecord makes an incident with a note, an attached log file, a screenshot, a deleted
// entry and a task; files holds the evidence bytes by digest, as a vault would.
func evidenceRecord(t *testing.T, db *sqlite.DB) (*blotter.Incident, map[string][]byte) {
	t.Helper()
	ctx := context.Background()
	db.Now = func() time.Time { return t0.Add(time.Hour) }
	inc := &blotter.Incident{Title: "Phishing wave", Severity: blotter.SeverityHigh, CreatedBy: "ana"}
	if err := db.CreateIncident(ctx, inc, blotter.Change{By: "ana"}, false); err != nil {
		t.Fatal(err)
	}
	logData := []byte("203.0.113.7 POST /login 401\n")
	shot := pngBytes(t, 64, 40)
	files := map[string][]byte{sha(logData): logData, sha(shot): shot}
	add := func(e *blotter.Entry) *blotter.Entry {
		e.IncidentID, e.Author = inc.ID, "ana"
		if err := db.AddEntry(ctx, e, blotter.Change{By: "ana"}); err != nil {
			t.Fatal(err)
		}
		return e
	}
	add(&blotter.Entry{Kind: blotter.KindNote, Text: "first report <script>alert(1)</script> from https://evil.example", OccurredAt: t0})
	add(&blotter.Entry{Kind: blotter.KindFile, OccurredAt: t0.Add(time.Minute), Evidence: []blotter.Evidence{
		{SHA256: sha(logData), Name: "edge.log", Size: int64(len(logData)), MediaType: "text/plain"}}})
	add(&blotter.Entry{Kind: blotter.KindScreenshot, Text: "Screenshot 64×40", OccurredAt: t0.Add(2 * time.Minute), Evidence: []blotter.Evidence{
		{SHA256: sha(shot), Name: "screenshot.png", Size: int64(len(shot)), MediaType: "image/png"}}})
	gone := add(&blotter.Entry{Kind: blotter.KindNote, Text: "wrong incident", OccurredAt: t0.Add(3 * time.Minute)})
	if _, err := db.DeleteEntry(ctx, gone.ID, blotter.Change{By: "ana", Reason: "typo"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddTask(ctx, &blotter.Task{IncidentID: inc.ID, Title: "Block sender <b>domain</b>", Assignee: "ben"}, blotter.Change{By: "ana"}); err != nil {
		t.Fatal(err)
	}
	return inc, files
}

// vaultOf opens evidence from files, as the recorder opens the vault.
func vaultOf(files map[string][]byte) report.EvidenceOpener {
	return func(sha string) (io.ReadCloser, int64, error) {
		b, ok := files[sha]
		if !ok {
			return nil, 0, blotter.Errorf(blotter.ENOTFOUND, "evidence %s is not in this vault", sha)
		}
		return io.NopCloser(bytes.NewReader(b)), int64(len(b)), nil
	}
}

func writeBundle(t *testing.T, db *sqlite.DB, inc *blotter.Incident, files map[string][]byte) ([]byte, *report.BundleResult) {
	t.Helper()
	var buf bytes.Buffer
	res, err := report.WriteBundle(context.Background(), &buf, db, inc.ID, vaultOf(files),
		report.BundleOptions{JSON: report.JSONOptions{By: "ana", Now: t0.Add(2 * time.Hour)}, SpoolDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), res
}

func verifyBundle(t *testing.T, data []byte) *report.BundleReport {
	t.Helper()
	rep, err := report.VerifyBundle(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// member is one file of a bundle as a test rewrites it.
type member struct {
	hdr  tar.Header
	data []byte
}

func unpack(t *testing.T, data []byte) []member {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var ms []member
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return ms
		} else if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		ms = append(ms, member{*hdr, b})
	}
}

func pack(t *testing.T, ms []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, m := range ms {
		hdr := m.hdr
		if hdr.Typeflag == tar.TypeReg {
			hdr.Size = int64(len(m.data))
		}
		if err := tw.WriteHeader(&hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write(m.data)
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// manifestOf decodes the bundle's manifest.
func manifestOf(t *testing.T, ms []member) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(ms[len(ms)-1].data, &m); err != nil || ms[len(ms)-1].hdr.Name != "manifest.json" {
		t.Fatalf("the last member is %s: %v", ms[len(ms)-1].hdr.Name, err)
	}
	return m
}

// reseal rewrites the manifest to list the members as they now are: a tamperer who knows the
// format does so, and the checks beneath the manifest must still catch the change.
func reseal(t *testing.T, ms []member) []member {
	t.Helper()
	m := manifestOf(t, ms)
	var list []map[string]any
	for _, x := range ms[:len(ms)-1] {
		list = append(list, map[string]any{"name": x.hdr.Name, "size": len(x.data), "sha256": sha(x.data)})
	}
	m["members"] = list
	doc, _ := json.Marshal(m)
	ms[len(ms)-1].data = doc
	return ms
}

func TestBundleRoundTrip(t *testing.T) {
	db := openDB(t)
	inc, files := evidenceRecord(t, db)
	data, res := writeBundle(t, db, inc, files)
	if res.Evidence != 2 || len(res.Missing) != 0 || len(res.Altered) != 0 {
		t.Fatalf("WriteBundle = %+v", res)
	}
	rep := verifyBundle(t, data)
	if !rep.OK() || rep.Evidence != 2 || rep.Revisions != res.HeadSeq || rep.Head != res.Head || rep.IncidentID != inc.ID {
		t.Fatalf("VerifyBundle = %+v; written %+v", rep, res)
	}
	check, _ := db.Verify(context.Background(), inc.ID)
	if rep.Head != check.Head || rep.Revisions != check.Revisions {
		t.Errorf("the bundle's head %d %s is not the database's %d %s", rep.Revisions, rep.Head, check.Revisions, check.Head)
	}

	ms := unpack(t, data)
	var names []string
	for _, m := range ms {
		names = append(names, m.hdr.Name)
		if m.hdr.Typeflag != tar.TypeReg || m.hdr.Mode != 0o600 {
			t.Errorf("member %s: type %c mode %o", m.hdr.Name, m.hdr.Typeflag, m.hdr.Mode)
		}
	}
	want := []string{"record.json", "evidence/" + minSHA(files), "evidence/" + maxSHA(files), "manifest.json"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("members %q, want %q", names, want)
	}
	// record.json is byte for byte the JSON export, so it imports and verifies as one.
	var direct bytes.Buffer
	report.WriteJSON(context.Background(), &direct, db, inc.ID, report.JSONOptions{By: "ana", Now: t0.Add(2 * time.Hour)})
	if !bytes.Equal(ms[0].data, direct.Bytes()) {
		t.Error("record.json differs from the JSON export")
	}
	dst := openDB(t)
	if _, err := importJSON(dst, ms[0].data); err != nil {
		t.Fatalf("import of record.json: %v", err)
	}
	if v, _ := dst.Verify(context.Background(), inc.ID); !v.OK() || v.Head != rep.Head {
		t.Errorf("the imported record: %+v", v)
	}
	m := manifestOf(t, ms)
	head := m["head"].(map[string]any)
	if m["format"] != "blotter.bundle" || head["hash"] != rep.Head || int64(head["seq"].(float64)) != rep.Revisions {
		t.Errorf("manifest = %v", m)
	}
	for _, x := range m["members"].([]any) {
		mm := x.(map[string]any)
		for _, member := range ms {
			if member.hdr.Name == mm["name"] && (sha(member.data) != mm["sha256"] || float64(len(member.data)) != mm["size"]) {
				t.Errorf("manifest entry %v does not describe the member", mm)
			}
		}
	}
	// The same record and clock make the same bytes.
	if again, _ := writeBundle(t, db, inc, files); !bytes.Equal(again, data) {
		t.Error("two bundles of the same record differ")
	}
}

func minSHA(files map[string][]byte) string {
	s := ""
	for k := range files {
		if s == "" || k < s {
			s = k
		}
	}
	return s
}

func maxSHA(files map[string][]byte) string {
	s := ""
	for k := range files {
		if k > s {
			s = k
		}
	}
	return s
}

func TestBundleMissingEvidence(t *testing.T) {
	db := openDB(t)
	inc, files := evidenceRecord(t, db)
	held := map[string][]byte{}
	for k, v := range files {
		if !bytes.HasPrefix(v, []byte("\x89PNG")) {
			held[k] = v
		}
	}
	data, res := writeBundle(t, db, inc, held)
	if len(res.Missing) != 1 || res.Missing[0].Name != "screenshot.png" || res.Evidence != 1 {
		t.Fatalf("WriteBundle = %+v", res)
	}
	rep := verifyBundle(t, data)
	if rep.OK() || rep.Missing != 1 || !strings.Contains(rep.Problem, `"screenshot.png") is not in the bundle: the machine that exported it did not hold it`) {
		t.Fatalf("VerifyBundle = %+v", rep)
	}
	if m := manifestOf(t, unpack(t, data)); len(m["missing"].([]any)) != 1 {
		t.Errorf("the manifest does not list the missing file: %v", m["missing"])
	}
}

func TestBundleTampered(t *testing.T) {
	db := openDB(t)
	inc, files := evidenceRecord(t, db)
	data, _ := writeBundle(t, db, inc, files)
	if rep := verifyBundle(t, data); !rep.OK() {
		t.Fatalf("the untouched bundle: %s", rep.Problem)
	}
	shot := ""
	for k, v := range files {
		if bytes.HasPrefix(v, []byte("\x89PNG")) {
			shot = k
		}
	}
	index := func(ms []member, name string) int {
		for i, m := range ms {
			if m.hdr.Name == name {
				return i
			}
		}
		t.Fatalf("no member %s", name)
		return -1
	}
	file := func(name string, data []byte) member {
		return member{tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o600, Size: int64(len(data))}, data}
	}
	insert := func(ms []member, at int, m member) []member {
		return append(ms[:at], append([]member{m}, ms[at:]...)...)
	}
	tests := []struct {
		name   string
		tamper func([]member) []member
		want   string
	}{
		{"an evidence byte changed", func(ms []member) []member {
			i := index(ms, "evidence/"+shot)
			ms[i].data = bytes.Clone(ms[i].data)
			ms[i].data[len(ms[i].data)/2] ^= 1
			return reseal(t, ms)
		}, "evidence/" + shot + ` ("screenshot.png") has been altered`},
		{"an evidence byte changed, manifest as written", func(ms []member) []member {
			i := index(ms, "evidence/"+shot)
			ms[i].data = bytes.Clone(ms[i].data)
			ms[i].data[0] ^= 1
			return ms
		}, "has been altered"},
		{"a member added", func(ms []member) []member {
			return reseal(t, insert(ms, 1, file("notes.txt", []byte("trust me"))))
		}, `"notes.txt", which is not a member a bundle has`},
		{"evidence the record does not name added", func(ms []member) []member {
			extra := []byte("planted")
			return reseal(t, insert(ms, 1, file("evidence/"+sha(extra), extra)))
		}, "which the record does not name"},
		{"a member removed", func(ms []member) []member {
			i := index(ms, "evidence/"+shot)
			return reseal(t, append(ms[:i], ms[i+1:]...))
		}, "evidence " + shot + ` ("screenshot.png"), named by the record, is not in the bundle`},
		{"a member removed, manifest as written", func(ms []member) []member {
			i := index(ms, "evidence/"+shot)
			return append(ms[:i], ms[i+1:]...)
		}, `the manifest lists "evidence/` + shot + `", but the bundle does not hold it`},
		{"the manifest removed", func(ms []member) []member { return ms[:len(ms)-1] }, "no manifest.json"},
		{"the record edited", func(ms []member) []member {
			ms[0].data = bytes.Replace(ms[0].data, []byte("first report"), []byte("final report"), 1)
			return reseal(t, ms)
		}, "the record does not verify: revision 2 (entry"},
		{"the record's entries list edited", func(ms []member) []member {
			i := bytes.Index(ms[0].data, []byte(`"entries"`))
			ms[0].data = append(ms[0].data[:i:i], bytes.Replace(ms[0].data[i:], []byte("first report"), []byte("final report"), 1)...)
			return reseal(t, ms)
		}, "in record.json's entries differs from its last revision"},
		{"a ../ member", func(ms []member) []member {
			return reseal(t, insert(ms, 1, file("../x", []byte("x"))))
		}, `member "../x" climbs out of the bundle's folder`},
		{"an absolute member", func(ms []member) []member {
			return reseal(t, insert(ms, 1, file("/etc/cron.d/x", []byte("x"))))
		}, `member "/etc/cron.d/x" has an absolute path`},
		{"a symlink member", func(ms []member) []member {
			return insert(ms, 1, member{tar.Header{Name: "evidence/" + shot, Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}, nil})
		}, `member "evidence/` + shot + `" is a symlink (to "/etc/passwd")`},
		{"a hard link member", func(ms []member) []member {
			return insert(ms, 1, member{tar.Header{Name: "record.json", Typeflag: tar.TypeLink, Linkname: "/etc/shadow"}, nil})
		}, "is a hard link"},
		{"a device member", func(ms []member) []member {
			return insert(ms, 1, member{tar.Header{Name: "evidence/x", Typeflag: tar.TypeChar, Devmajor: 1, Devminor: 3}, nil})
		}, "is a device"},
		{"a manifest head that differs", func(ms []member) []member {
			m := manifestOf(t, ms)
			m["head"].(map[string]any)["hash"] = strings.Repeat("0", 64)
			ms[len(ms)-1].data, _ = json.Marshal(m)
			return ms
		}, "the manifest's head (revision"},
		{"members reordered", func(ms []member) []member {
			ms[0], ms[1] = ms[1], ms[0]
			return ms
		}, "does not start with record.json"},
		{"a member after the manifest", func(ms []member) []member {
			return append(ms, file("evidence/"+shot, files[shot]))
		}, "after manifest.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := verifyBundle(t, pack(t, tt.tamper(unpack(t, data))))
			if rep.OK() || !strings.Contains(rep.Problem, tt.want) {
				t.Fatalf("problem = %q, want %q", rep.Problem, tt.want)
			}
		})
	}
}

// TestBundleDamaged: a bundle cut short, not a bundle at all, or with data hidden after its
// archive does not check out, and says so.
func TestBundleDamaged(t *testing.T) {
	db := openDB(t)
	inc, files := evidenceRecord(t, db)
	data, _ := writeBundle(t, db, inc, files)
	var trailer bytes.Buffer
	gz := gzip.NewWriter(&trailer)
	gz.Write([]byte("hidden payload"))
	gz.Close()
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"cut short", data[:len(data)/2], "damaged or cut short"},
		{"empty", nil, "no record.json"},
		{"not a bundle", []byte("hello, world\n"), "damaged or cut short"},
		{"data after the archive", append(bytes.Clone(data), trailer.Bytes()...), "data after the end of its archive"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if rep := verifyBundle(t, tt.data); rep.OK() || !strings.Contains(rep.Problem, tt.want) {
				t.Fatalf("problem = %q, want %q", rep.Problem, tt.want)
			}
		})
	}
}

// TestBundleBomb: a member declaring far more bytes than the record states is refused from its
// header, before a byte of it is read: verification never writes to disk, and does not spend
// hours hashing a stream of zeros either.
func TestBundleBomb(t *testing.T) {
	db := openDB(t)
	inc, files := evidenceRecord(t, db)
	data, _ := writeBundle(t, db, inc, files)
	ms := unpack(t, data)
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	tw.WriteHeader(&ms[0].hdr)
	tw.Write(ms[0].data)
	tw.WriteHeader(&tar.Header{Name: "evidence/" + minSHA(files), Typeflag: tar.TypeReg, Mode: 0o600, Size: 1 << 40})
	io.CopyN(tw, zeroReader{}, 1<<20) // a first MiB of the terabyte it claims
	tw.Flush()
	gz.Close()
	rep, err := report.VerifyBundle(context.Background(), bytes.NewReader(buf.Bytes()))
	if err != nil || rep.OK() || !strings.Contains(rep.Problem, "declares 1099511627776 bytes, but the record says") {
		t.Fatalf("VerifyBundle = %+v, %v", rep, err)
	}

	// record.json claiming more than a record may be.
	buf.Reset()
	gz = gzip.NewWriter(&buf)
	tw = tar.NewWriter(gz)
	tw.WriteHeader(&tar.Header{Name: "record.json", Typeflag: tar.TypeReg, Mode: 0o600, Size: report.MaxBundleRecord + 1})
	tw.Flush()
	gz.Close()
	if rep := verifyBundle(t, buf.Bytes()); rep.OK() || !strings.Contains(rep.Problem, "over the 64 GiB") {
		t.Fatalf("a huge record.json: %q", rep.Problem)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestBundleSpoolLeavesNothing: the record's temporary copy is removed, also when the export
// fails.
func TestBundleSpoolLeavesNothing(t *testing.T) {
	db := openDB(t)
	inc, files := evidenceRecord(t, db)
	spool := t.TempDir()
	for _, open := range []report.EvidenceOpener{vaultOf(files), func(string) (io.ReadCloser, int64, error) {
		return nil, 0, blotter.Errorf(blotter.EUNAVAILABLE, "disk on fire")
	}} {
		report.WriteBundle(context.Background(), io.Discard, db, inc.ID, open, report.BundleOptions{JSON: report.JSONOptions{Now: t0}, SpoolDir: spool})
		if left, _ := os.ReadDir(spool); len(left) != 0 {
			t.Errorf("left in the spool folder: %v", left)
		}
	}
	if _, err := report.WriteBundle(context.Background(), io.Discard, db, inc.ID, func(string) (io.ReadCloser, int64, error) {
		return nil, 0, blotter.Errorf(blotter.EUNAVAILABLE, "disk on fire")
	}, report.BundleOptions{SpoolDir: filepath.Join(spool, "none")}); err == nil {
		t.Error("a bundle with no place to spool its record was written")
	}
}
