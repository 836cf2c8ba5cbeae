package capture_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/capture"
)

// ingested records what the watcher handed over, with each file's size at that moment.
type ingested struct {
	mu    sync.Mutex
	sizes map[string][]int64
}

func (in *ingested) ingest(_ context.Context, path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.sizes[path] = append(in.sizes[path], fi.Size())
	return nil
}

func (in *ingested) get(path string) []int64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]int64(nil), in.sizes[path]...)
}

func startWatcher(t *testing.T, dirs ...string) *ingested {
	t.Helper()
	in := &ingested{sizes: map[string][]int64{}}
	w := &capture.FolderWatcher{Ingest: in.ingest, Quiet: 300 * time.Millisecond, Recheck: 100 * time.Millisecond,
		Errors: func(err error) { t.Logf("watch: %v", err) }}
	if err := w.Start(context.Background(), dirs); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return in
}

// eventually polls until check holds; the watcher works on its own time.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !check(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestSlowlyWrittenFileIsIngestedOnceWhole(t *testing.T) {
	dir := t.TempDir()
	in := startWatcher(t, dir)
	path := filepath.Join(dir, "capture.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for i := 0; i < 6; i++ { // slower than events, faster than the quiet period
		f.Write(chunk)
		time.Sleep(100 * time.Millisecond)
	}
	f.Close()
	eventually(t, "the file to be ingested", func() bool { return len(in.get(path)) > 0 })
	time.Sleep(700 * time.Millisecond) // more than two quiet periods: no second ingest may follow
	if got := in.get(path); len(got) != 1 || got[0] != 6*64<<10 {
		t.Errorf("ingested %v, want once at its full size %d", got, 6*64<<10)
	}
}

func TestPartialNamesAndRenameIntoPlace(t *testing.T) {
	dir := t.TempDir()
	in := startWatcher(t, dir)
	partial := filepath.Join(dir, "report.pdf.crdownload")
	os.WriteFile(partial, []byte("half"), 0o600)
	os.WriteFile(filepath.Join(dir, ".hidden"), []byte("x"), 0o600)
	final := filepath.Join(dir, "report.pdf")
	os.WriteFile(partial, []byte("the whole report"), 0o600)
	if err := os.Rename(partial, final); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the renamed file", func() bool { return len(in.get(final)) == 1 })
	time.Sleep(500 * time.Millisecond)
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(in.sizes) != 1 {
		t.Errorf("ingested %v, want only %s", in.sizes, final)
	}
}

func TestExistingFilesAndVanishingFiles(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.png")
	os.WriteFile(old, []byte("was here before"), 0o600)
	in := startWatcher(t, dir)
	gone := filepath.Join(dir, "gone.png")
	os.WriteFile(gone, []byte("short-lived"), 0o600)
	os.Remove(gone)
	marker := filepath.Join(dir, "marker.txt")
	os.WriteFile(marker, []byte("m"), 0o600)
	eventually(t, "the marker file", func() bool { return len(in.get(marker)) == 1 })
	if len(in.get(old)) != 0 || len(in.get(gone)) != 0 {
		t.Errorf("ingested a file that was there before (%v) or vanished (%v)", in.get(old), in.get(gone))
	}
}

func TestFolderThatDisappearsAndComesBack(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "Screenshots")
	os.Mkdir(dir, 0o700)
	in := startWatcher(t, dir)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the watcher notices it is gone
	os.Mkdir(dir, 0o700)
	shot := filepath.Join(dir, "shot.png")
	os.WriteFile(shot, []byte("new screenshot"), 0o600)
	eventually(t, "the file in the folder that came back", func() bool { return len(in.get(shot)) == 1 })

	later := filepath.Join(dir, "later.png")
	os.WriteFile(later, []byte("and the next one"), 0o600)
	eventually(t, "a file written after the folder came back", func() bool { return len(in.get(later)) == 1 })
}

func TestIsPartialName(t *testing.T) {
	for name, want := range map[string]bool{
		"report.pdf": false, "Screenshot 2026-11-22.png": false, "dump.part": true, "x.crdownload": true,
		".~lock.doc#": true, "~$budget.xlsx": true, "file.tmp": true, "notes.txt~": true, ".DS_Store": true,
	} {
		if got := capture.IsPartialName(name); got != want {
			t.Errorf("IsPartialName(%q) = %v, want %v", name, got, want)
		}
	}
}
