package sqlite_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/blotterapp/blotter/internal/blotter"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func writeFile(tb testing.TB, path, content string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	inc := mustIncident(t, db)
	other := mustIncident(t, db)
	login := mustNote(t, db, inc, "Login failures spike on SSO from 203.0.113.7")
	paged := mustNote(t, db, inc, "Paged the identity team", "escalation")
	lockout := mustNote(t, db, inc, "Account lockouts: 1,200 users AND counting")
	file := &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindFile, Author: "ana",
		Evidence: []blotter.Evidence{{SHA256: strings.Repeat("ab", 32), Name: "nginx-access.log", Size: 1, MediaType: "text/plain"}}}
	if err := db.AddEntry(ctx, file, blotter.Change{By: file.Author}); err != nil {
		t.Fatal(err)
	}
	mustNote(t, db, other, "login elsewhere")
	gone := mustNote(t, db, inc, "login typo entry")
	if _, err := db.DeleteEntry(ctx, gone.ID, blotter.Change{By: "ana", Reason: "typo"}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		query string
		want  []string
	}{
		{"login", []string{login.ID}},
		{"LOGIN spike", []string{login.ID}},
		{"lock*", []string{lockout.ID}},
		{`"failures spike"`, []string{login.ID}},
		{`"spike failures"`, nil},
		{"203.0.113.7", []string{login.ID}},
		{"escalation", []string{paged.ID}}, // a tag
		{"nginx", []string{file.ID}},
		{"AND", []string{lockout.ID}}, // an FTS5 keyword is just a word
		{"text:login", nil},           // no column filters: "text:login" is two words
		{`NEAR(login spike)`, nil},    // no operators: "near login" is not in the text
		{`unbalanced "quote`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := mustSearch(t, db, inc, tt.query)
			if !equal(ids(got), tt.want) {
				t.Errorf("Search(%q) = %v, want %v", tt.query, ids(got), tt.want)
			}
		})
	}

	if _, err := db.Search(ctx, inc.ID, ` * "" `, blotter.SearchOptions{}); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("a query without words: %v, want EINVALID", err)
	}
}

func mustSearch(t *testing.T, db interface {
	Search(context.Context, string, string, blotter.SearchOptions) ([]*blotter.Entry, error)
}, inc *blotter.Incident, q string) []*blotter.Entry {
	t.Helper()
	got, err := db.Search(context.Background(), inc.ID, q, blotter.SearchOptions{})
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return got
}

func TestSearchPagesNewestFirst(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	inc := mustIncident(t, db)
	var want []string
	for i := 0; i < 7; i++ {
		want = append([]string{mustNote(t, db, inc, "probe from scanner").ID}, want...)
	}
	var got []string
	opts := blotter.SearchOptions{Limit: 3}
	for {
		page, err := db.Search(ctx, inc.ID, "scan*", opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		got = append(got, ids(page)...)
		opts.Before = page[len(page)-1].ID
	}
	if !equal(got, want) {
		t.Errorf("pages = %v, want newest first %v", got, want)
	}
}

func TestSearchFollowsEdits(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	inc := mustIncident(t, db)
	e := mustNote(t, db, inc, "suspicious host 10.0.0.5")
	text := "suspicious host 10.0.0.9"
	if _, err := db.EditEntry(ctx, e.ID, blotter.EntryUpdate{Text: &text}, blotter.Change{By: "ana", Reason: "wrong host"}); err != nil {
		t.Fatal(err)
	}
	if got := mustSearch(t, db, inc, `"10.0.0.5"`); len(got) != 0 {
		t.Errorf("the old text is still found: %v", ids(got))
	}
	if got := mustSearch(t, db, inc, `"10.0.0.9"`); len(got) != 1 {
		t.Errorf("the new text is not found")
	}
	obs, err := db.Observables(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 1 || obs[0].Value != "10.0.0.9" || obs[0].EntryIDs[0] != e.ID {
		t.Errorf("observables after edit = %+v, want only 10.0.0.9", obs)
	}
}

func TestSearchWordsArePrefixesAndCounted(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	inc := mustIncident(t, db)
	mustNote(t, db, inc, "logins failing on SSO")
	mustNote(t, db, inc, "login page slow")
	mustNote(t, db, inc, "catalogue updated")
	gone := mustNote(t, db, inc, "login noise")
	if _, err := db.DeleteEntry(ctx, gone.ID, blotter.Change{By: "ana", Reason: "noise"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Search(ctx, inc.ID, "login", blotter.SearchOptions{})
	if err != nil || len(got) != 2 {
		t.Fatalf("login found %d, %v; want logins and login, not catalogue or the deleted one", len(got), err)
	}
	if got, _ := db.Search(ctx, inc.ID, `"login"`, blotter.SearchOptions{}); len(got) != 1 {
		t.Fatalf(`"login" (a phrase: exact) found %d`, len(got))
	}
	if n, err := db.SearchCount(ctx, inc.ID, "login"); err != nil || n != 2 {
		t.Fatalf("count = %d, %v", n, err)
	}
}
