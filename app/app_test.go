package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blotterapp/blotter/app"
	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
)

// events collects the events the services emit.
type events struct {
	mu     sync.Mutex
	events map[string][]any
}

func (r *events) emit(event string, data any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events[event] = append(r.events[event], data)
}

func newServices(t *testing.T) (*app.Services, *events) {
	t.Helper()
	r, err := recorder.Open(context.Background(), filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	s := app.New(r)
	rec := &events{events: map[string][]any{}}
	if err := s.Start(context.Background(), rec.emit); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, rec
}

func TestNotesAndChanges(t *testing.T) {
	s, _ := newServices(t)
	if _, err := s.Timeline.AddNote(app.NoteInput{Text: "no incident yet"}); blotter.ErrorCode(err) != blotter.ENOTFOUND {
		t.Fatalf("a note without an incident: %v, want ENOTFOUND", err)
	}
	inc, err := s.Incidents.Create("Ransomware on fs01", blotter.SeverityCritical)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := s.Timeline.Load()
	if err != nil || snap.Incident.ID != inc.ID || len(snap.Entries) != 0 {
		t.Fatalf("Load = %+v, %v", snap, err)
	}
	e, err := s.Timeline.AddNote(app.NoteInput{Text: "Encrypted shares on fs01 #ransomware #42", OccurredAt: "2026-11-22T14:03:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(e.Tags, ",") != "ransomware" || e.OccurredAt.Format("15:04") != "14:03" {
		t.Errorf("note = %+v: want the #tag (not the issue number) and the typed time", e)
	}
	changes, err := s.Timeline.Changes(inc.ID, snap.Cursor)
	if err != nil || len(changes.Entries) != 1 || changes.Entries[0].ID != e.ID {
		t.Fatalf("Changes = %+v, %v", changes, err)
	}
	if _, err := s.Timeline.Edit(e.ID, app.EditInput{}, ""); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("an edit without a reason: %v", err)
	}
	text := "Encrypted shares on fs01 and fs02"
	if _, err := s.Timeline.Edit(e.ID, app.EditInput{Text: &text}, "second server"); err != nil {
		t.Fatal(err)
	}
	hist, err := s.Timeline.History(e.ID)
	if err != nil || len(hist) != 2 || hist[0].Entry.Text != "Encrypted shares on fs01 #ransomware #42" || hist[1].Revision.Reason != "second server" {
		t.Fatalf("History = %+v, %v", hist, err)
	}
}

func TestDroppedFiles(t *testing.T) {
	s, rec := newServices(t)
	if _, err := s.Incidents.Create("Drop test", blotter.SeverityLow); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "capture.png")
	os.WriteFile(good, []byte("\x89PNG\r\n\x1a\n-not-really-an-image"), 0o600)
	s.Dropped([]string{good, dir, filepath.Join(dir, "vanished.log")})

	rec.mu.Lock()
	defer rec.mu.Unlock()
	done := rec.events[app.EventAttachDone]
	if len(done) != 1 {
		t.Fatalf("got %d %s events, want 1", len(done), app.EventAttachDone)
	}
	results := done[0].([]app.AttachResult)
	if len(results) != 3 || results[0].Entry == nil || results[0].Entry.Evidence[0].MediaType != "image/png" {
		t.Fatalf("results = %+v", results)
	}
	if !strings.Contains(results[1].Error, "is a directory") || !strings.Contains(results[2].Error, "does not exist") {
		t.Errorf("refusals = %q, %q", results[1].Error, results[2].Error)
	}
	if len(rec.events[app.EventAttachProgress]) == 0 {
		t.Error("no progress was reported")
	}
}

func TestEvidenceHandler(t *testing.T) {
	s, _ := newServices(t)
	if _, err := s.Incidents.Create("Evidence", blotter.SeverityLow); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	png := filepath.Join(dir, "shot.png")
	os.WriteFile(png, []byte("\x89PNG\r\n\x1a\n0000"), 0o600)
	html := filepath.Join(dir, "page.html")
	os.WriteFile(html, []byte("<html><script>alert(1)</script></html>"), 0o600)
	results, err := s.Evidence.Attach([]string{png, html})
	if err != nil {
		t.Fatal(err)
	}
	h := s.EvidenceHandler()
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}
	if w := get(app.EvidencePrefix + results[0].Entry.Evidence[0].SHA256); w.Code != 200 || w.Header().Get("Content-Type") != "image/png" {
		t.Errorf("image: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	w := get(app.EvidencePrefix + results[1].Entry.Evidence[0].SHA256)
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment") {
		t.Errorf("HTML evidence must download, not render: %d %v", w.Code, w.Header())
	}
	for _, bad := range []string{app.EvidencePrefix + "../blotter.db", app.EvidencePrefix + strings.Repeat("0", 64), "/other"} {
		if w := get(bad); w.Code != 404 {
			t.Errorf("GET %s = %d, want 404", bad, w.Code)
		}
	}
}

func TestWatchedFolderFromSettings(t *testing.T) {
	s, rec := newServices(t)
	if _, err := s.Incidents.Create("Watch", blotter.SeverityLow); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if dirs, err := s.System.AddWatchedFolder(dir); err != nil || len(dirs) != 1 {
		t.Fatalf("AddWatchedFolder = %v, %v", dirs, err)
	}
	os.WriteFile(filepath.Join(dir, "export.csv"), []byte("a,b\n"), 0o600)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		snap, err := s.Timeline.Load()
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Entries) == 1 && snap.Entries[0].Evidence[0].Name == "export.csv" {
			break
		}
		if time.Now().After(deadline) {
			rec.mu.Lock()
			t.Fatalf("the file in the watched folder did not land; errors: %v", rec.events[app.EventWatchError])
		}
	}
	if dirs, err := s.System.RemoveWatchedFolder(dir); err != nil || len(dirs) != 0 {
		t.Fatalf("RemoveWatchedFolder = %v, %v", dirs, err)
	}
}
