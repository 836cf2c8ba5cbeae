package sqlite_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/sqlite"
)

func pendingIDs(t *testing.T, db *sqlite.DB, target string) []string {
	t.Helper()
	items, err := db.Outbox(context.Background(), target, time.Time{}, false, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.SubjectID)
	}
	return ids
}

func TestOutbox(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	inc := mustIncident(t, db)
	before := mustNote(t, db, inc, "recorded before the link")
	if got := pendingIDs(t, db, "gitlab"); len(got) != 0 {
		t.Fatalf("an unlinked incident queued %v", got)
	}

	// Linking queues what was recorded so far, in the order it was made.
	if err := db.LinkIncident(ctx, inc.ID, "gitlab", `{"iid":1}`); err != nil {
		t.Fatal(err)
	}
	if got := pendingIDs(t, db, "gitlab"); !equal(got, []string{inc.ID, before.ID}) {
		t.Fatalf("queued after link = %v, want the incident then the note", got)
	}
	if err := db.LinkIncident(ctx, inc.ID, "gitlab", `{}`); blotter.ErrorCode(err) != blotter.ECONFLICT {
		t.Errorf("a second link: %v", err)
	}

	// A local change is queued in its own transaction; a second change waits in the same row.
	after := mustNote(t, db, inc, "recorded after the link")
	text := "edited before it was sent"
	if _, err := db.EditEntry(ctx, after.ID, blotter.EntryUpdate{Text: &text}, blotter.Change{By: "ana", Reason: "typo"}); err != nil {
		t.Fatal(err)
	}
	if got := pendingIDs(t, db, "gitlab"); !equal(got, []string{inc.ID, before.ID, after.ID}) {
		t.Fatalf("queued = %v", got)
	}

	// A change pulled from GitLab is not sent back to GitLab.
	pulled := &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindGitLab, Text: "made in GitLab's UI"}
	ch := blotter.Change{By: "bo", Origin: blotter.OriginGitLab, Remote: &blotter.RemoteRef{System: "gitlab", ID: "gid://gitlab/IncidentManagement::TimelineEvent/9"}}
	if err := db.AddEntry(ctx, pulled, ch); err != nil {
		t.Fatal(err)
	}
	if got := pendingIDs(t, db, "gitlab"); len(got) != 3 {
		t.Errorf("a pulled change was queued for its own origin: %v", got)
	}

	// Delivery removes the row unless the subject changed again meanwhile.
	items, _ := db.Outbox(ctx, "gitlab", time.Time{}, false, 10)
	stale := *items[2]
	text2 := "changed while it was being sent"
	if _, err := db.EditEntry(ctx, after.ID, blotter.EntryUpdate{Text: &text2}, blotter.Change{By: "ana", Reason: "more"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Delivered(ctx, &stale); err != nil {
		t.Fatal(err)
	}
	if got := pendingIDs(t, db, "gitlab"); len(got) != 3 {
		t.Errorf("a delivery of an older state removed the newer change: %v", got)
	}
	if err := db.Delivered(ctx, items[0]); err != nil {
		t.Fatal(err)
	}

	// Backoff and failure.
	items, _ = db.Outbox(ctx, "gitlab", time.Time{}, false, 10)
	if err := db.RetryLater(ctx, items[0], time.Now().Add(time.Hour), "500 Internal Server Error"); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.Outbox(ctx, "gitlab", time.Now(), false, 10); len(due) != 1 {
		t.Errorf("%d due now, want 1 (the other waits an hour)", len(due))
	}
	if err := db.Failed(ctx, items[1], "422 note is too long"); err != nil {
		t.Fatal(err)
	}
	pending, failed, err := db.OutboxCounts(ctx, "gitlab")
	if err != nil || pending != 1 || failed != 1 {
		t.Errorf("counts = %d pending, %d failed (%v)", pending, failed, err)
	}
	if n, err := db.RetryFailed(ctx, "gitlab", 0); err != nil || n != 1 {
		t.Errorf("retry failed = %d, %v", n, err)
	}
	mustVerify(t, db, inc)
}

// AddEntries stores a pulled batch in one transaction, in order, leaving out what the record
// (or the batch itself) holds already; a refused entry stores none of them.
func TestAddEntries(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	inc := mustIncident(t, db)
	if err := db.LinkIncident(ctx, inc.ID, "gitlab", `{"iid":1}`); err != nil {
		t.Fatal(err)
	}
	pulled := func(n int, text string) sqlite.NewEntry {
		return sqlite.NewEntry{
			Entry: &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindGitLab, Text: text},
			Change: blotter.Change{By: "bo", Origin: blotter.OriginGitLab,
				Remote: &blotter.RemoteRef{System: "gitlab", ID: fmt.Sprintf("gid://gitlab/IncidentManagement::TimelineEvent/%d", n)}},
		}
	}
	if err := db.AddEntry(ctx, pulled(1, "pulled before").Entry, pulled(1, "").Change); err != nil {
		t.Fatal(err)
	}
	added, err := db.AddEntries(ctx, []sqlite.NewEntry{pulled(2, "second"), pulled(1, "on the record already"), pulled(3, "third"), pulled(2, "twice in the batch")})
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{true, false, true, false}; !slices.Equal(added, want) {
		t.Errorf("added = %v, want %v", added, want)
	}
	es, err := db.ListEntries(ctx, blotter.EntryFilter{IncidentID: inc.ID})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range es {
		texts = append(texts, e.Text)
	}
	if want := []string{"pulled before", "second", "third"}; !slices.Equal(texts, want) {
		t.Errorf("entries = %q, want %q", texts, want)
	}
	if got := pendingIDs(t, db, "gitlab"); len(got) != 1 || got[0] != inc.ID {
		t.Errorf("pulled entries were queued back to GitLab: %v", got)
	}
	// One entry the record refuses (no text): none of the batch is stored.
	if _, err := db.AddEntries(ctx, []sqlite.NewEntry{pulled(4, "fine"), pulled(5, "")}); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Fatalf("a batch with an empty entry: %v, want EINVALID", err)
	}
	if id, _ := db.SubjectOfRemote(ctx, "gitlab", "gid://gitlab/IncidentManagement::TimelineEvent/4"); id != "" {
		t.Error("part of a refused batch was stored")
	}
	if res, err := db.Verify(ctx, inc.ID); err != nil || !res.OK() || res.Entries != 3 {
		t.Errorf("verify after batches: %+v, %v", res, err)
	}
}
