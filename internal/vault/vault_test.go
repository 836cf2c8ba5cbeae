package vault_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/vault"
)

func mustVault(t *testing.T) (*vault.Vault, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "vault")
	v, err := vault.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return v, dir
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// tmpFiles lists what an ingest left in the vault's temp folder.
func tmpFiles(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "tmp", "*"))
	if err != nil {
		t.Fatal(err)
	}
	return names
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
	evA, err := v.Ingest(context.Background(), a, func(done, total int64) { progress = append(progress, done, total) })
	if err != nil {
		t.Fatal(err)
	}
	evB, err := v.Ingest(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
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
	ev, err := v.Ingest(context.Background(), link, nil)
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
			_, err := v.Ingest(context.Background(), tt.path, nil)
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
	_, err := v.Ingest(context.Background(), path, func(done, total int64) {
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
	ev, err := v.IngestReader(context.Background(), "clip.png", bytes.NewReader([]byte("\x89PNG\r\n\x1a\nrest")), 100)
	if err != nil || ev.MediaType != "image/png" || ev.Size != 12 {
		t.Fatalf("IngestReader = %+v, %v", ev, err)
	}
	_, err = v.IngestReader(context.Background(), "huge.bin", bytes.NewReader(make([]byte, 101)), 100)
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
	ev, err := v.Ingest(context.Background(), path, nil)
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
