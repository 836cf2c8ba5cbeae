//go:build (unix && !aix && !solaris) || windows

package vault_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/vault"
)

type ingested struct {
	ev   *blotter.Evidence
	held *vault.Held
	err  error
}

// ingestAsync stores content from a goroutine, with a vault of its own on dir as another
// process has (the locks of separate opens exclude each other as between processes: flock(2)
// on Unix, LockFileEx on Windows).
func ingestAsync(t *testing.T, ctx context.Context, dir, content string) <-chan ingested {
	t.Helper()
	other, err := vault.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan ingested, 1)
	go func() {
		ev, held, err := other.IngestReader(ctx, "same.txt", strings.NewReader(content), -1)
		done <- ingested{ev, held, err}
	}()
	return done
}

// A refused ingest takes its file out again, but never the file another ingest of the same
// content is about to name: that ingest waits while the first holds the file, then stores
// its own copy. (Before the lock, the second found the file, kept no copy, and its record
// named a file the first then removed.)
func TestDiscardSparesAnIngestWaitingForTheSameContent(t *testing.T) {
	v, dir := mustVault(t)
	const content = "the same evidence, twice"
	evA, heldA, err := v.IngestReader(context.Background(), "a.txt", strings.NewReader(content), -1)
	if err != nil || !heldA.Created {
		t.Fatalf("first ingest: %+v, %v", heldA, err)
	}
	waiting := make(chan struct{})
	vault.OnHoldWait(func() { close(waiting) })
	defer vault.OnHoldWait(nil)
	second := ingestAsync(t, context.Background(), dir, content)
	select { // the second finds the file and waits for its lock
	case <-waiting:
	case got := <-second:
		t.Fatalf("the second ingest did not wait for the first's record: %+v, %v", got.held, got.err)
	}
	if err := heldA.Discard(unnamed); err != nil { // the first's record was refused
		t.Fatal(err)
	}
	got := <-second
	if got.err != nil {
		t.Fatal(got.err)
	}
	got.held.Release() // the second's record is stored
	if !got.held.Created {
		t.Error("the second ingest reused a file the first took out")
	}
	if err := v.Check(evA.SHA256, evA.Size); err != nil {
		t.Errorf("the second ingest's record names a file the vault lacks: %v", err)
	}
}

// While another ingest holds the same content (its record not yet stored), a refused ingest
// leaves the file alone, whoever put it there.
func TestDiscardSparesAFileAnotherIngestHolds(t *testing.T) {
	v, dir := mustVault(t)
	const content = "held by two"
	_, placed, err := v.IngestReader(context.Background(), "x.txt", strings.NewReader(content), -1)
	if err != nil {
		t.Fatal(err)
	}
	placed.Release()
	b := <-ingestAsync(t, context.Background(), dir, content)
	c := <-ingestAsync(t, context.Background(), dir, content)
	if b.err != nil || c.err != nil || b.held.Created || c.held.Created {
		t.Fatalf("ingests of stored content: %+v %v, %+v %v", b.held, b.err, c.held, c.err)
	}
	if err := c.held.Discard(unnamed); err != nil { // c's record refused, b's still on its way
		t.Fatal(err)
	}
	if err := v.Check(b.ev.SHA256, b.ev.Size); err != nil {
		t.Fatalf("the file b holds was taken out: %v", err)
	}
	b.held.Release()
	// With nobody holding it and no record naming it, it goes.
	_, d, err := v.IngestReader(context.Background(), "x.txt", strings.NewReader(content), -1)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Discard(unnamed); err != nil {
		t.Fatal(err)
	}
	if err := v.Check(b.ev.SHA256, b.ev.Size); blotter.ErrorCode(err) != blotter.ENOTFOUND {
		t.Errorf("an unnamed, unheld file stayed: %v", err)
	}
}

// An ingest that waits for another's record stops when its context does, leaving nothing.
func TestIngestWaitingForTheSameContentStopsWithItsContext(t *testing.T) {
	v, dir := mustVault(t)
	_, held, err := v.IngestReader(context.Background(), "x.txt", strings.NewReader("slow record"), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	got := <-ingestAsync(t, ctx, dir, "slow record")
	if !errors.Is(got.err, context.DeadlineExceeded) {
		t.Errorf("waiting ingest = %+v, %v; want the context's deadline", got.held, got.err)
	}
	if left := tmpFiles(t, dir); len(left) != 0 {
		t.Errorf("left %v", left)
	}
}

func TestDiscardUndoesIngest(t *testing.T) {
	v, _ := mustVault(t)
	ev, held, err := v.IngestReader(context.Background(), "note.txt", strings.NewReader("refused entry"), -1)
	if err != nil || !held.Created {
		t.Fatalf("IngestReader = %v, %+v, %v; want created", ev, held, err)
	}
	if err := held.Discard(unnamed); err != nil {
		t.Fatalf("Discard: %v", err)
	}
	if err := v.Check(ev.SHA256, ev.Size); blotter.ErrorCode(err) != blotter.ENOTFOUND {
		t.Errorf("Check after Discard = %v, want ENOTFOUND", err)
	}
	if fi, err := os.Stat(filepath.Dir(v.Path(ev.SHA256))); err != nil || !fi.IsDir() {
		t.Errorf("the digest's folder: %v, want it left in place", err)
	}
	if err := held.Discard(unnamed); err != nil {
		t.Errorf("Discard again = %v, want nil", err)
	}
	// Stored again, the content is new again; a record names it now: Discard keeps it.
	_, held, err = v.IngestReader(context.Background(), "note.txt", strings.NewReader("refused entry"), -1)
	if err != nil || !held.Created {
		t.Fatalf("IngestReader after Discard: %+v, %v; want created", held, err)
	}
	if err := held.Discard(func(sha string) (bool, error) { return sha == ev.SHA256, nil }); err != nil {
		t.Fatal(err)
	}
	if err := v.Check(ev.SHA256, ev.Size); err != nil {
		t.Errorf("a file a record names was discarded: %v", err)
	}
}

// One process ingesting the same content twice before either record is stored (two equal
// files in one Slack message) shares its hold instead of waiting for itself; the file goes
// only when the last of them is refused.
func TestIngestOfContentThisProcessHolds(t *testing.T) {
	v, _ := mustVault(t)
	ev, first, err := v.IngestReader(context.Background(), "a.png", strings.NewReader("twice in one message"), -1)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	var second *vault.Held
	go func() {
		var err error
		_, second, err = v.IngestReader(context.Background(), "b.png", strings.NewReader("twice in one message"), -1)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second ingest waits for the first, which waits for the second's record")
	}
	if !first.Created || second.Created {
		t.Errorf("created = %v, %v; want the first only", first.Created, second.Created)
	}
	if err := second.Discard(unnamed); err != nil {
		t.Fatal(err)
	}
	if err := v.Check(ev.SHA256, ev.Size); err != nil {
		t.Fatalf("discarded while the first still holds it: %v", err)
	}
	if err := first.Discard(unnamed); err != nil {
		t.Fatal(err)
	}
	if err := v.Check(ev.SHA256, ev.Size); blotter.ErrorCode(err) != blotter.ENOTFOUND {
		t.Errorf("after both were refused: %v, want the file gone", err)
	}
}
