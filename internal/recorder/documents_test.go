package recorder_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/report"
)

func TestDocumentsAreRevisionsOfTheRecord(t *testing.T) {
	ctx := context.Background()
	rec, inc := withIncident(t)
	if _, err := rec.AddNote(ctx, recorder.Note{Text: "Leaked password list reused #root-cause"}); err != nil {
		t.Fatal(err)
	}
	draft, err := rec.Draft(ctx, inc.ID, blotter.DocumentRCA, "")
	if err != nil || !strings.Contains(draft, "- 15:00:00 Ana: Leaked password list reused") {
		t.Fatalf("draft: %v\n%s", err, draft)
	}
	if _, err := rec.Document(ctx, inc.ID, blotter.DocumentRCA); blotter.ErrorCode(err) != blotter.ENOTFOUND {
		t.Fatalf("an unsaved RCA: %v", err)
	}
	d1, err := rec.SaveDocument(ctx, inc.ID, blotter.DocumentRCA, draft, 0, "")
	if err != nil || d1.Revision != 1 {
		t.Fatalf("first save: %+v, %v", d1, err)
	}
	edited := draft + "\nThe identity team confirmed the list.\n"
	d2, err := rec.SaveDocument(ctx, inc.ID, blotter.DocumentRCA, edited, 1, "confirmed")
	if err != nil || d2.Revision != 2 || d2.ID != d1.ID {
		t.Fatalf("second save: %+v, %v", d2, err)
	}
	// Someone who started from revision 1 is not allowed to overwrite revision 2.
	if _, err := rec.SaveDocument(ctx, inc.ID, blotter.DocumentRCA, draft+"\nmine\n", 1, ""); blotter.ErrorCode(err) != blotter.ECONFLICT {
		t.Fatalf("a stale save: %v", err)
	}
	if _, err := rec.SaveDocument(ctx, inc.ID, blotter.DocumentRCA, edited, 2, ""); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Fatalf("a save that changes nothing: %v", err)
	}
	if _, err := rec.SaveDocument(ctx, inc.ID, blotter.DocumentRunbook, "   ", 0, ""); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Fatalf("an empty runbook: %v", err)
	}
	// Both revisions are in the log, and the record verifies.
	hist, err := rec.History(ctx, d1.ID)
	if err != nil || len(hist) != 2 || hist[1].Reason != "confirmed" {
		t.Fatalf("history: %d revisions, %v", len(hist), err)
	}
	v, err := rec.VerifyIncident(ctx, inc.ID)
	if err != nil || !v.OK() || v.Documents != 1 {
		t.Fatalf("verify: %+v, %v", v, err)
	}

	// The document travels with the record: exported and imported elsewhere, it verifies.
	var buf bytes.Buffer
	if err := report.WriteJSON(ctx, &buf, rec, inc.ID, report.JSONOptions{By: "Ana", Now: now}); err != nil {
		t.Fatal(err)
	}
	other := mustOpen(t, filepath.Join(t.TempDir(), "other"))
	rd, err := report.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.ImportIncident(ctx, rd.Next); err != nil {
		t.Fatal(err)
	}
	got, err := other.Document(ctx, inc.ID, blotter.DocumentRCA)
	if err != nil || got.Body != edited || got.Revision != 2 {
		t.Fatalf("imported RCA: %+v, %v", got, err)
	}
	if v, err := other.VerifyIncident(ctx, inc.ID); err != nil || !v.OK() {
		t.Fatalf("verify after import: %+v, %v", v, err)
	}
}

func TestATeamTemplateInTheDataDir(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	rec := mustOpen(t, dir)
	inc, err := rec.CreateIncident(ctx, "Phishing wave", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, recorder.TemplatesDir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, recorder.TemplatesDir, "rca.md.tmpl"), []byte("Our RCA for {{.Incident.Title}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := rec.Draft(ctx, inc.ID, blotter.DocumentRCA, "")
	if err != nil || got != "Our RCA for Phishing wave\n" {
		t.Fatalf("%q, %v", got, err)
	}
	// The runbook still uses the default.
	if got, err := rec.Draft(ctx, inc.ID, blotter.DocumentRunbook, ""); err != nil || !strings.HasPrefix(got, "# Runbook: Phishing wave") {
		t.Fatalf("%q, %v", got, err)
	}
}
