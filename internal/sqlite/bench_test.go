package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/blotterapp/blotter/internal/blotter"
)

// BenchmarkAddEntry is one durable note append: entry, revision, hash, indexes, fsynced commit.
func BenchmarkAddEntry(b *testing.B) {
	db := MustOpenDB(b)
	inc := mustIncident(b, db)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindNote, Author: "ana",
			Text: fmt.Sprintf("host 10.0.%d.%d beaconing to c2.example.com", i%256, i/256%256)}
		if err := db.AddEntry(context.Background(), e, blotter.Change{By: e.Author}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify checks an incident of 2,000 entries, some of them edited.
func BenchmarkVerify(b *testing.B) {
	db := MustOpenDB(b)
	inc := mustIncident(b, db)
	for i := 0; i < 2000; i++ {
		e := mustNote(b, db, inc, fmt.Sprintf("note %d", i))
		if i%10 == 0 {
			text := e.Text + " (edited)"
			if _, err := db.EditEntry(context.Background(), e.ID, blotter.EntryUpdate{Text: &text}, blotter.Change{By: "ana", Reason: "more"}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mustVerify(b, db, inc)
	}
}
