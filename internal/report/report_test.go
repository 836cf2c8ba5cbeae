package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/ioc"
	"github.com/blotterapp/blotter/internal/report"
	"github.com/blotterapp/blotter/internal/sqlite"
)

var t0 = time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)

func openDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Extract = ioc.Extract
	t.Cleanup(func() { db.Close() })
	return db
}

// record makes an incident with a note, an edited note, a deleted note and a file entry.
func record(t *testing.T, db *sqlite.DB) *blotter.Incident {
	t.Helper()
	ctx := context.Background()
	inc := &blotter.Incident{Title: "Ransomware on file server", Severity: blotter.SeverityCritical, CreatedBy: "ana"}
	if err := db.CreateIncident(ctx, inc, blotter.Change{By: inc.CreatedBy}, false); err != nil {
		t.Fatal(err)
	}
	add := func(e *blotter.Entry) *blotter.Entry {
		e.IncidentID, e.Author = inc.ID, "ana"
		if err := db.AddEntry(ctx, e, blotter.Change{By: e.Author}); err != nil {
			t.Fatal(err)
		}
		return e
	}
	add(&blotter.Entry{Kind: blotter.KindNote, Text: "=HYPERLINK(\"http://evil.example\")", OccurredAt: t0, Tags: []string{"Impact detected"}})
	edited := add(&blotter.Entry{Kind: blotter.KindNote, Text: "encrypted shares on fs01", OccurredAt: t0.Add(time.Minute)})
	text := "encrypted shares on fs01 and fs02"
	if _, err := db.EditEntry(ctx, edited.ID, blotter.EntryUpdate{Text: &text}, blotter.Change{By: "ben", Reason: "second server"}); err != nil {
		t.Fatal(err)
	}
	gone := add(&blotter.Entry{Kind: blotter.KindNote, Text: "false alarm?", OccurredAt: t0.Add(2 * time.Minute)})
	if _, err := db.DeleteEntry(ctx, gone.ID, blotter.Change{By: "ana", Reason: "not false"}); err != nil {
		t.Fatal(err)
	}
	add(&blotter.Entry{Kind: blotter.KindFile, OccurredAt: t0.Add(24 * time.Hour), Evidence: []blotter.Evidence{
		{SHA256: strings.Repeat("0f", 32), Name: "ransom-note.txt", Size: 12, MediaType: "text/plain"}}})
	return inc
}

func exportJSON(t *testing.T, db *sqlite.DB, inc *blotter.Incident) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.WriteJSON(context.Background(), &buf, db, inc.ID, report.JSONOptions{By: "ana", Now: t0}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func importJSON(db *sqlite.DB, data []byte) (*blotter.Incident, error) {
	rd, err := report.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return db.ImportIncident(context.Background(), rd.Next, false)
}

func TestJSONExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := openDB(t)
	inc := record(t, src)
	data := exportJSON(t, src, inc)
	if !json.Valid(data) {
		t.Fatalf("the export is not valid JSON:\n%s", data)
	}

	dst := openDB(t)
	got, err := importJSON(dst, data)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != inc.ID || got.Title != inc.Title {
		t.Errorf("imported incident = %+v", got)
	}
	rep, err := dst.Verify(ctx, inc.ID)
	if err != nil || !rep.OK() {
		t.Fatalf("verify of the imported copy: %+v, %v", rep, err)
	}
	orig, _ := src.Verify(ctx, inc.ID)
	if rep.Head != orig.Head {
		t.Errorf("the imported head %s differs from the original %s", rep.Head, orig.Head)
	}
	want, _ := src.ListEntries(ctx, blotter.EntryFilter{IncidentID: inc.ID, IncludeDeleted: true})
	have, _ := dst.ListEntries(ctx, blotter.EntryFilter{IncidentID: inc.ID, IncludeDeleted: true})
	wj, _ := json.Marshal(want)
	hj, _ := json.Marshal(have)
	if string(wj) != string(hj) {
		t.Errorf("imported entries differ:\n got %s\nwant %s", hj, wj)
	}
	if found, _ := dst.Search(ctx, inc.ID, "fs02", blotter.SearchOptions{}); len(found) != 1 {
		t.Errorf("the imported copy is not searchable")
	}
	if _, err := importJSON(dst, data); blotter.ErrorCode(err) != blotter.ECONFLICT {
		t.Errorf("importing twice: %v, want ECONFLICT", err)
	}
}

func TestImportRejectsBadExports(t *testing.T) {
	src := openDB(t)
	inc := record(t, src)
	data := string(exportJSON(t, src, inc))
	revisionsEnd := strings.Index(data, "\"entries\"")
	tests := []struct {
		name, data, want string
	}{
		{"not json", "hello", "not a Blotter JSON export"},
		{"other json", `{"users": []}`, "not a Blotter JSON export"},
		{"newer format", strings.Replace(data, `"version":1`, `"version":9`, 1), "format version 9"},
		{"cut short", data[:revisionsEnd/2], "cut short"},
		{"tampered text", strings.Replace(data, "fs01 and fs02", "fs01 and fs03", 1), "does not verify"},
		{"last revisions dropped", dropLastRevision(t, data), "header names"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := openDB(t)
			_, err := importJSON(dst, []byte(tt.data))
			if blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("import = %v, want EINVALID containing %q", err, tt.want)
			}
			if list, _ := dst.ListIncidents(context.Background()); len(list) != 0 {
				t.Errorf("a rejected import left %d incidents behind", len(list))
			}
		})
	}
}

// dropLastRevision removes the last revision of the export's list, keeping valid JSON.
func dropLastRevision(t *testing.T, data string) string {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(data), &doc); err != nil {
		t.Fatal(err)
	}
	var revs []json.RawMessage
	json.Unmarshal(doc["revisions"], &revs)
	header := data[:strings.Index(data, "\"revisions\"")]
	list, _ := json.Marshal(revs[:len(revs)-1])
	return header + `"revisions":` + string(list) + "}"
}

func TestMarkdown(t *testing.T) {
	db := openDB(t)
	inc := record(t, db)
	var buf bytes.Buffer
	if err := report.WriteMarkdown(context.Background(), &buf, db, inc.ID, report.Options{Now: t0}); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{
		"# Incident `Ransomware on file server`", "### 2026-11-22 (Sunday)", "### 2026-11-23 (Monday)",
		"**(deleted)**\n\n```text\nfalse alarm?\n```\n", "```text\nencrypted shares on fs01 and fs02\n```", "revision 2",
		"evidence `" + strings.Repeat("0f", 32) + "` `ransom-note.txt`", "## Revision log", "| edit | entry", "`second server`",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Index(md, "## Revision log") < strings.Index(md, "ransom-note.txt") {
		t.Error("the revision log comes before the timeline")
	}
}

func TestCSV(t *testing.T) {
	db := openDB(t)
	inc := record(t, db)
	var buf bytes.Buffer
	if err := report.WriteCSV(context.Background(), &buf, db, inc.ID, report.Options{}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// incident + 4 creates + edit + delete
	if len(rows) != 1+7 {
		t.Fatalf("got %d rows, want a header and 7 revisions", len(rows))
	}
	if rows[2][12] != `'=HYPERLINK("http://evil.example")` {
		t.Errorf("a formula cell was not neutralized: %q", rows[2][12])
	}
	if rows[4][3] != "edit" || rows[4][4] != "second server" {
		t.Errorf("the edit row = %q", rows[4])
	}
}

// TestImportRefusesAHugeValue: a revision with a string far larger than Blotter writes is
// refused before it is read whole, so an export cannot take the machine's memory.
func TestImportRefusesAHugeValue(t *testing.T) {
	db := openDB(t)
	data := string(exportJSON(t, db, record(t, db)))
	// A revision whose reason is 64 MiB: streamed, never in memory whole.
	at := strings.Index(data, `"revisions": [`) + len(`"revisions": [`)
	huge := io.MultiReader(strings.NewReader(data[:at]+"\n"+`{"seq": 1, "reason": "`),
		io.LimitReader(repeatReader('x'), 64<<20), strings.NewReader(`"}]}`))
	counted := &countReader{r: huge}
	rd, err := report.NewReader(counted)
	if err != nil {
		t.Fatal(err)
	}
	_, err = rd.Next()
	if blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(err.Error(), "over 8 MiB") {
		t.Fatalf("a 64 MiB revision: %v", err)
	}
	if counted.n > 10<<20 {
		t.Errorf("read %d MiB of it before refusing; want about 8", counted.n>>20)
	}
}

type repeatReader byte

func (b repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
