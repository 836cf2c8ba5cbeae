package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

func TestWatcherSeesOtherConnections(t *testing.T) {
	app := MustOpenDB(t)
	cli := mustOpenPath(t, app.Path()) // another process, as far as SQLite can tell
	inc := mustIncident(t, cli)
	changed := make(chan struct{}, 10)
	w := app.NewWatcher(5*time.Millisecond, func() { changed <- struct{}{} })
	if err := w.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	cursor, _ := app.LastRevisionID(context.Background())
	e := mustNote(t, cli, inc, "written by the CLI")
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("the watcher did not notice a commit by another connection")
	}
	got, next, err := app.EntriesChangedSince(context.Background(), inc.ID, cursor)
	if err != nil || len(got) != 1 || got[0].ID != e.ID || next <= cursor {
		t.Fatalf("EntriesChangedSince = %v, %d, %v", got, next, err)
	}
	text := "edited"
	if _, err := cli.EditEntry(context.Background(), e.ID, blotter.EntryUpdate{Text: &text}, blotter.Change{By: "ana", Reason: "r"}); err != nil {
		t.Fatal(err)
	}
	got, _, _ = app.EntriesChangedSince(context.Background(), inc.ID, next)
	if len(got) != 1 || got[0].Text != "edited" {
		t.Errorf("after an edit: %+v", got)
	}
}
