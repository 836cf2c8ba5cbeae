// The tests use FIFOs, /dev/null, symlinks and POSIX permissions.
//go:build unix && !aix && !solaris

package vault_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/vault"
)

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestIngestStoresOnceReadOnly(t *testing.T) {
	v, dir := mustVault(t)
	src := t.TempDir()
	content := []byte("GET /admin 403\n")
	a, b := filepath.Join(src, "access.log"), filepath.Join(src, "copy.log")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var progress []int64
	evA, heldA, err := v.Ingest(context.Background(), a, func(done, total int64) { progress = append(progress, done, total) })
	if err != nil {
		t.Fatal(err)
	}
	heldA.Release() // its record is stored
	evB, heldB, err := v.Ingest(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	heldB.Release()
	if !heldA.Created || heldB.Created {
		t.Errorf("created = %v, %v; want true for the first copy only", heldA.Created, heldB.Created)
	}
	if evA.SHA256 != sum(content) || evB.SHA256 != evA.SHA256 || evA.Size != int64(len(content)) {
		t.Fatalf("evidence = %+v / %+v, want digest %s", evA, evB, sum(content))
	}
	if evA.Name != "access.log" || evA.SourcePath != a || !strings.HasPrefix(evA.MediaType, "text/") {
		t.Errorf("evidence = %+v", evA)
	}
	if len(progress) != 2 || progress[0] != int64(len(content)) || progress[1] != int64(len(content)) {
		t.Errorf("progress calls = %v", progress)
	}
	stored, _ := filepath.Glob(filepath.Join(dir, "??", "*"))
	if len(stored) != 1 {
		t.Fatalf("vault holds %v, want the content once", stored)
	}
	if fi, _ := os.Stat(stored[0]); fi.Mode().Perm() != 0o444 {
		t.Errorf("stored file mode %v, want read-only", fi.Mode().Perm())
	}
	if err := v.Check(evA.SHA256, evA.Size); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestIngestFollowsSymlinks(t *testing.T) {
	v, _ := mustVault(t)
	src := t.TempDir()
	target := filepath.Join(src, "real.txt")
	link := filepath.Join(src, "link.txt")
	os.WriteFile(target, []byte("x"), 0o600)
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	ev, _, err := v.Ingest(context.Background(), link, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Name != "link.txt" || ev.SourcePath != link || ev.LinkTarget != target {
		t.Errorf("evidence = %+v, want the link and its target recorded", ev)
	}
}

func TestIngestRefuses(t *testing.T) {
	v, dir := mustVault(t)
	src := t.TempDir()
	fifo := filepath.Join(src, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(src, "dangling")
	os.Symlink(filepath.Join(src, "nowhere"), dangling)
	unreadable := filepath.Join(src, "secret")
	os.WriteFile(unreadable, []byte("x"), 0o000)

	tests := []struct {
		name, path, code, want string
	}{
		{"directory", src, blotter.EINVALID, "is a directory"},
		{"fifo", fifo, blotter.EINVALID, "is a FIFO"},
		{"device", "/dev/null", blotter.EINVALID, "is a device"},
		{"missing", filepath.Join(src, "gone.txt"), blotter.ENOTFOUND, "does not exist"},
		{"dangling symlink", dangling, blotter.EINVALID, "leads nowhere"},
	}
	if os.Geteuid() != 0 { // root reads any file
		tests = append(tests, struct{ name, path, code, want string }{"unreadable", unreadable, blotter.EINVALID, "permission denied"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := v.Ingest(context.Background(), tt.path, nil)
			if blotter.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Ingest(%s) = %v, want %s containing %q", tt.path, err, tt.code, tt.want)
			}
		})
	}
	if left := tmpFiles(t, dir); len(left) != 0 {
		t.Errorf("refused ingests left %v", left)
	}
}

func TestIngestRefusesFileChangingWhileRead(t *testing.T) {
	v, dir := mustVault(t)
	path := filepath.Join(t.TempDir(), "growing.log")
	os.WriteFile(path, bytes.Repeat([]byte("x"), 3<<20), 0o600)
	appended := false
	_, _, err := v.Ingest(context.Background(), path, func(done, total int64) {
		if !appended {
			appended = true
			f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			f.Write([]byte("more"))
			f.Close()
		}
	})
	if blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(err.Error(), "changed while it was read") {
		t.Fatalf("Ingest = %v, want EINVALID: changed while read", err)
	}
	if left := tmpFiles(t, dir); len(left) != 0 {
		t.Errorf("left %v", left)
	}
}

func TestIngestReaderLimit(t *testing.T) {
	v, dir := mustVault(t)
	ev, _, err := v.IngestReader(context.Background(), "clip.png", bytes.NewReader([]byte("\x89PNG\r\n\x1a\nrest")), 100)
	if err != nil || ev.MediaType != "image/png" || ev.Size != 12 {
		t.Fatalf("IngestReader = %+v, %v", ev, err)
	}
	_, _, err = v.IngestReader(context.Background(), "huge.bin", bytes.NewReader(make([]byte, 101)), 100)
	if blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(err.Error(), "limit of 100 bytes") {
		t.Fatalf("over the limit: %v", err)
	}
	if left := tmpFiles(t, dir); len(left) != 0 {
		t.Errorf("left %v", left)
	}
}

func TestCheckFindsAlteredAndMissing(t *testing.T) {
	v, _ := mustVault(t)
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("original"), 0o600)
	ev, _, err := v.Ingest(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	stored := v.Path(ev.SHA256)
	os.Chmod(stored, 0o600)
	os.WriteFile(stored, []byte("altered!"), 0o600)
	if err := v.Check(ev.SHA256, ev.Size); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("Check(altered) = %v, want EINVALID", err)
	}
	os.Remove(stored)
	if err := v.Check(ev.SHA256, ev.Size); blotter.ErrorCode(err) != blotter.ENOTFOUND {
		t.Errorf("Check(missing) = %v, want ENOTFOUND", err)
	}
}

func TestOpenSparesLiveIngest(t *testing.T) {
	first, dir := mustVault(t)
	content := bytes.Repeat([]byte("pcap"), 1<<20)
	pr, pw := io.Pipe()
	type result struct {
		ev  *blotter.Evidence
		err error
	}
	done := make(chan result, 1)
	go func() {
		ev, _, err := first.IngestReader(context.Background(), "capture.pcap", pr, -1)
		done <- result{ev, err}
	}()
	// Once the first write returns, the ingest has its temp file and is reading from the pipe.
	if _, err := pw.Write(content[:1<<20]); err != nil {
		t.Fatal(err)
	}
	if _, err := vault.Open(dir); err != nil { // the CLI starts while the app is mid-copy
		t.Fatal(err)
	}
	if left := tmpFiles(t, dir); len(left) != 1 {
		t.Errorf("temp files while copying = %v, want the live ingest's file kept", left)
	}
	if _, err := pw.Write(content[1<<20:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	got := <-done
	if got.err != nil {
		t.Fatalf("ingest after another Open = %v", got.err)
	}
	if got.ev.SHA256 != sum(content) {
		t.Errorf("digest = %s, want %s", got.ev.SHA256, sum(content))
	}
	if err := first.Check(got.ev.SHA256, int64(len(content))); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestOpenRemovesLeftovers(t *testing.T) {
	_, dir := mustVault(t)
	leftover := filepath.Join(dir, "tmp", "ingest-123456")
	if err := os.WriteFile(leftover, []byte("half a file"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := vault.Open(dir); err != nil {
		t.Fatal(err)
	}
	if left := tmpFiles(t, dir); len(left) != 0 {
		t.Errorf("Open left %v, want a leftover nobody holds removed", left)
	}
}

func TestIngestRefusesUnrecordableName(t *testing.T) {
	v, dir := mustVault(t)
	src := t.TempDir()
	twoLines := filepath.Join(src, "report\n.txt")
	if err := os.WriteFile(twoLines, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path, want string }{
		{"line break", twoLines, "holds a line break"},
		{"carriage return, missing", filepath.Join(src, "gone\r.txt"), "holds a line break"},
		{"not UTF-8", filepath.Join(src, "caf\xe9.txt"), "not valid UTF-8"},
		{"too long", filepath.Join(src, strings.Repeat("é", 600)), "limit is 1024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := v.Ingest(context.Background(), tt.path, nil)
			if blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(err.Error(), tt.want) ||
				!strings.Contains(err.Error(), "rename it") {
				t.Errorf("Ingest = %v, want EINVALID: %s, rename it", err, tt.want)
			}
		})
	}
	if stored, _ := filepath.Glob(filepath.Join(dir, "??", "*")); len(stored) != 0 {
		t.Errorf("vault holds %v, want nothing of a refused file", stored)
	}
	if left := tmpFiles(t, dir); len(left) != 0 {
		t.Errorf("left %v", left)
	}
}

func TestIngestRefusesKernelFile(t *testing.T) {
	const environ = "/proc/self/environ"
	if b, err := os.ReadFile(environ); err != nil || len(b) == 0 {
		t.Skipf("no procfs with content here: %v", err)
	}
	v, dir := mustVault(t)
	_, _, err := v.Ingest(context.Background(), environ, nil)
	if blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(err.Error(), "special file of the kernel") {
		t.Errorf("Ingest(%s) = %v, want EINVALID: special file of the kernel", environ, err)
	}
	if stored, _ := filepath.Glob(filepath.Join(dir, "??", "*")); len(stored) != 0 {
		t.Errorf("vault holds %v, want nothing of a refused file", stored)
	}
	if left := tmpFiles(t, dir); len(left) != 0 {
		t.Errorf("left %v", left)
	}
}
