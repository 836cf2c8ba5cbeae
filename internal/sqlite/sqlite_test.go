package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/ioc"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// t0 is the fixed "now" of the tests' clock.
var t0 = time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)

// MustOpenDB opens a database in a temp dir with a clock that ticks one millisecond per call.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "blotter.db"))
}

func mustOpenPath(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	var mu sync.Mutex
	now := t0
	db.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Millisecond)
		return now
	}
	db.Extract = ioc.Extract
	tb.Cleanup(func() { db.Close() })
	return db
}

func mustIncident(tb testing.TB, db *sqlite.DB) *blotter.Incident {
	tb.Helper()
	inc := &blotter.Incident{Title: "Credential stuffing", Severity: blotter.SeverityCritical, CreatedBy: "ana"}
	if err := db.CreateIncident(context.Background(), inc, blotter.Change{By: inc.CreatedBy}, false); err != nil {
		tb.Fatal(err)
	}
	return inc
}

func mustNote(tb testing.TB, db *sqlite.DB, inc *blotter.Incident, text string, tags ...string) *blotter.Entry {
	tb.Helper()
	e := &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindNote, Author: "ana", Text: text, Tags: tags}
	if err := db.AddEntry(context.Background(), e, blotter.Change{By: e.Author}); err != nil {
		tb.Fatal(err)
	}
	return e
}

func mustVerify(tb testing.TB, db *sqlite.DB, inc *blotter.Incident) {
	tb.Helper()
	rep, err := db.Verify(context.Background(), inc.ID)
	if err != nil {
		tb.Fatal(err)
	}
	if !rep.OK() {
		tb.Fatalf("verify: %s", rep.Problem)
	}
}

// rawExec changes the database file behind Blotter's back, as someone with the sqlite3 tool would.
func rawExec(tb testing.TB, db *sqlite.DB, query string, args ...any) {
	tb.Helper()
	raw, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(query, args...); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
}

func ids(entries []*blotter.Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.ID
	}
	return out
}

func TestOpenMigratesAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.db")
	db := mustOpenPath(t, path)
	inc := mustIncident(t, db)
	mustNote(t, db, inc, "first")
	db.Close()

	db = mustOpenPath(t, path)
	got, err := db.ListEntries(context.Background(), blotter.EntryFilter{IncidentID: inc.ID})
	if err != nil || len(got) != 1 || got[0].Text != "first" {
		t.Fatalf("after reopening: %v, %v", got, err)
	}
	mustVerify(t, db, inc)
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	db := MustOpenDB(t)
	rawExec(t, db, `PRAGMA user_version = 99`)
	db.Close()
	_, err := sqlite.Open(context.Background(), db.Path())
	if blotter.ErrorCode(err) != blotter.EINVALID || !contains(err.Error(), "newer Blotter (schema 99") {
		t.Fatalf("Open() = %v, want EINVALID naming the newer schema", err)
	}
}

func TestOpenRefusesOtherFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	writeFile(t, path, "this is not a database, just text that is long enough to have a header............")
	_, err := sqlite.Open(context.Background(), path)
	if blotter.ErrorCode(err) != blotter.EINVALID || !contains(err.Error(), "not a Blotter database") {
		t.Fatalf("Open() = %v, want EINVALID", err)
	}
}

func TestConcurrentWriters(t *testing.T) {
	// Two handles on one file stand for two processes (the app and the CLI).
	a := MustOpenDB(t)
	b := mustOpenPath(t, a.Path())
	inc := mustIncident(t, a)
	const each = 100
	var wg sync.WaitGroup
	errs := make(chan error, 2*each)
	for _, db := range []*sqlite.DB{a, b} {
		wg.Add(1)
		go func(db *sqlite.DB) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				e := &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindNote, Author: "ana", Text: "concurrent note"}
				errs <- db.AddEntry(context.Background(), e, blotter.Change{By: e.Author})
			}
		}(db)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a concurrent write failed: %v", err)
		}
	}
	all, err := a.ListEntries(context.Background(), blotter.EntryFilter{IncidentID: inc.ID})
	if err != nil || len(all) != 2*each {
		t.Fatalf("got %d entries (%v), want %d", len(all), err, 2*each)
	}
	mustVerify(t, a, inc)
}

func TestEntryLifecycle(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	inc := mustIncident(t, db)
	e := mustNote(t, db, inc, "teh login spike", "sso")

	when := t0.Add(-time.Hour)
	text := "the login spike"
	tags := []string{"sso", "impact detected"}
	edited, err := db.EditEntry(ctx, e.ID, blotter.EntryUpdate{Text: &text, OccurredAt: &when, Tags: &tags}, blotter.Change{By: "ben", Reason: "typo"})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Revision != 2 || edited.Text != text || !edited.OccurredAt.Equal(when) || edited.Tags[1] != "Impact detected" {
		t.Fatalf("edited = %+v", edited)
	}
	if !edited.RecordedAt.Equal(e.RecordedAt) || edited.Author != "ana" {
		t.Errorf("an edit changed recorded_at or author: %+v", edited)
	}
	if _, err := db.DeleteEntry(ctx, e.ID, blotter.Change{By: "ben", Reason: "duplicate"}); err != nil {
		t.Fatal(err)
	}
	visible, _ := db.ListEntries(ctx, blotter.EntryFilter{IncidentID: inc.ID})
	all, _ := db.ListEntries(ctx, blotter.EntryFilter{IncidentID: inc.ID, IncludeDeleted: true})
	if len(visible) != 0 || len(all) != 1 || !all[0].Deleted {
		t.Fatalf("after delete: visible %d, all %d", len(visible), len(all))
	}
	if _, err := db.RestoreEntry(ctx, e.ID, blotter.Change{By: "ana", Reason: "not a duplicate"}); err != nil {
		t.Fatal(err)
	}

	hist, err := db.History(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range hist {
		actions = append(actions, r.Action+"/"+r.By+"/"+r.Reason)
	}
	want := []string{"create/ana/", "edit/ben/typo", "delete/ben/duplicate", "restore/ana/not a duplicate"}
	if !equal(actions, want) {
		t.Errorf("history = %q, want %q", actions, want)
	}
	first, _ := hist[0].Decode()
	if first.Entry.Text != "teh login spike" {
		t.Errorf("revision 1 holds %q, want the original text", first.Entry.Text)
	}
	mustVerify(t, db, inc)
}

func TestEntryErrors(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	inc := mustIncident(t, db)
	e := mustNote(t, db, inc, "x")
	same := "x"
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"unknown incident", db.AddEntry(ctx, &blotter.Entry{IncidentID: blotter.NewID(), Kind: blotter.KindNote, Author: "a", Text: "t"}, blotter.Change{By: "a"}), blotter.ENOTFOUND},
		{"invalid utf-8", db.AddEntry(ctx, &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindNote, Author: "a", Text: "\xff"}, blotter.Change{By: "a"}), blotter.EINVALID},
		{"duplicate id", db.AddEntry(ctx, &blotter.Entry{ID: e.ID, IncidentID: inc.ID, Kind: blotter.KindNote, Author: "a", Text: "t"}, blotter.Change{By: "a"}), blotter.ECONFLICT},
		{"edit unknown", second(db.EditEntry(ctx, blotter.NewID(), blotter.EntryUpdate{Text: &same}, blotter.Change{By: "a", Reason: "r"})), blotter.ENOTFOUND},
		{"edit without reason", second(db.EditEntry(ctx, e.ID, blotter.EntryUpdate{Text: &same}, blotter.Change{By: "a", Reason: " "})), blotter.EINVALID},
		{"edit changing nothing", second(db.EditEntry(ctx, e.ID, blotter.EntryUpdate{Text: &same}, blotter.Change{By: "a", Reason: "r"})), blotter.EINVALID},
		{"restore visible", second(db.RestoreEntry(ctx, e.ID, blotter.Change{By: "a", Reason: "r"})), blotter.ECONFLICT},
		{"find unknown", second(db.FindEntry(ctx, "nope")), blotter.ENOTFOUND},
		{"history unknown", second(db.History(ctx, blotter.NewID())), blotter.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := blotter.ErrorCode(tt.err); got != tt.code {
				t.Errorf("error = %v (%s), want %s", tt.err, got, tt.code)
			}
		})
	}
	mustVerify(t, db, inc)
}

func TestListEntriesFilters(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	inc := mustIncident(t, db)
	other := mustIncident(t, db)
	a := mustNote(t, db, inc, "alpha", "sso")
	b := &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindClipboard, Author: "ben", Text: "beta", OccurredAt: t0.Add(-time.Hour)}
	if err := db.AddEntry(ctx, b, blotter.Change{By: b.Author}); err != nil {
		t.Fatal(err)
	}
	mustNote(t, db, other, "gamma", "sso")
	tests := []struct {
		name   string
		filter blotter.EntryFilter
		want   []string
	}{
		{"all, oldest first", blotter.EntryFilter{IncidentID: inc.ID}, []string{b.ID, a.ID}},
		{"kind", blotter.EntryFilter{IncidentID: inc.ID, Kinds: []blotter.Kind{blotter.KindClipboard}}, []string{b.ID}},
		{"tag, any case and #", blotter.EntryFilter{IncidentID: inc.ID, Tag: "#SSO"}, []string{a.ID}},
		{"author", blotter.EntryFilter{IncidentID: inc.ID, Author: "ben"}, []string{b.ID}},
		{"since", blotter.EntryFilter{IncidentID: inc.ID, Since: t0.Add(-time.Minute)}, []string{a.ID}},
		{"until", blotter.EntryFilter{IncidentID: inc.ID, Until: t0.Add(-time.Minute)}, []string{b.ID}},
		{"limit and offset", blotter.EntryFilter{IncidentID: inc.ID, Limit: 1, Offset: 1}, []string{a.ID}},
		{"the last one", blotter.EntryFilter{IncidentID: inc.ID, Limit: 1, Last: true}, []string{a.ID}},
		{"the last two, oldest first", blotter.EntryFilter{IncidentID: inc.ID, Limit: 2, Last: true}, []string{b.ID, a.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.ListEntries(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if !equal(ids(got), tt.want) {
				t.Errorf("got %v, want %v", ids(got), tt.want)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSecretsAreMarkedAndFollowEdits(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	db.FindSecrets = ioc.FindSecrets
	inc := mustIncident(t, db)
	e := mustNote(t, db, inc, "attacker used AKIAIOSFODNN7EXAMPLE from 203.0.113.7")
	if len(e.Secrets) != 1 || e.Secrets[0].Kind != "aws-access-key" || e.Text[e.Secrets[0].Start:e.Secrets[0].End] != "AKIAIOSFODNN7EXAMPLE" {
		t.Fatalf("secrets = %+v", e.Secrets)
	}
	stored, _ := db.FindEntry(ctx, e.ID)
	if len(stored.Secrets) != 1 {
		t.Errorf("stored secrets = %+v", stored.Secrets)
	}
	text := "attacker used a leaked key from 203.0.113.7"
	edited, err := db.EditEntry(ctx, e.ID, blotter.EntryUpdate{Text: &text}, blotter.Change{By: "ana", Reason: "remove the key from the note"})
	if err != nil || edited.Secrets != nil {
		t.Fatalf("after the edit: %+v, %v", edited.Secrets, err)
	}
	// The first revision keeps the marked key: the record is evidence.
	hist, _ := db.History(ctx, e.ID)
	first, _ := hist[0].Decode()
	if len(first.Entry.Secrets) != 1 {
		t.Errorf("revision 1 lost its secret mark")
	}
	mustVerify(t, db, inc)
}

func TestMigratesAnOlderDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db := mustOpenPath(t, path)
	inc := mustIncident(t, db)
	mustNote(t, db, inc, "written before secrets were marked")
	db.Close()
	// Make it a schema-1 database, as the first release wrote it.
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DROP TABLE documents; ALTER TABLE entries DROP COLUMN source; ALTER TABLE remote_ids DROP COLUMN version; DROP TABLE outbox; DROP TABLE sync_links; DROP TABLE clipboard_seen; DROP TABLE tasks; ALTER TABLE entries DROP COLUMN secrets; PRAGMA user_version = 1`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db = mustOpenPath(t, path)
	var version int
	rawCheck, _ := sql.Open("sqlite3", path)
	defer rawCheck.Close()
	rawCheck.QueryRow(`PRAGMA user_version`).Scan(&version)
	if version != sqlite.SchemaVersion() || version < 2 {
		t.Errorf("schema %d after opening, want %d", version, sqlite.SchemaVersion())
	}
	got, err := db.ListEntries(context.Background(), blotter.EntryFilter{IncidentID: inc.ID})
	if err != nil || len(got) != 1 {
		t.Fatalf("entries after migration: %v, %v", got, err)
	}
	mustVerify(t, db, inc)
}
