package cli_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	_ "github.com/mattn/go-sqlite3" // the "sqlite3" driver, to change a database behind Blotter's back

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/childproc"
)

// sqlite3 changes a database behind Blotter's back, as the sqlite3 tool would: SQLite's own
// driver in this process, so that it runs where the tool is not (Windows).
func sqlite3(t *testing.T, db, script string) {
	t.Helper()
	conn, err := sql.Open("sqlite3", db)
	if err == nil {
		defer conn.Close()
		_, err = conn.Exec(script)
	}
	if err != nil {
		t.Fatalf("sqlite3 %q: %v", script, err)
	}
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil))
}

func vaultTmp(t *testing.T, dataDir string) []string {
	t.Helper()
	left, _ := filepath.Glob(filepath.Join(dataDir, "vault", "tmp", "*"))
	return left
}

func TestAttach(t *testing.T) {
	dir, _ := newIncident(t)
	src := t.TempDir()
	log := filepath.Join(src, "access.log")
	os.WriteFile(log, []byte("GET /admin 403\n"), 0o644)
	link := filepath.Join(src, "latest.log")
	if symlinksWork {
		os.Symlink(log, link)
	} else {
		os.WriteFile(link, []byte("GET /admin 403\n"), 0o644)
	}

	out := ok(t, dir, "attach", log, link, "--note", "nginx logs from fs01")
	want := fileSHA256(t, log)
	if out != want+"  access.log\n"+want+"  latest.log" {
		t.Errorf("attach printed %q, want sha256sum-style lines with %s", out, want)
	}
	stored, _ := filepath.Glob(filepath.Join(dir, "vault", "??", "*"))
	if len(stored) != 1 {
		t.Errorf("vault holds %v, want the content once", stored)
	}
	entries := timeline(t, dir, "--kind", "file")
	if len(entries) != 2 || (symlinksWork && entries[1].Evidence[0].LinkTarget != log) || entries[0].Text != "nginx logs from fs01" {
		t.Fatalf("file entries = %+v", entries)
	}
	if ev := entries[0].Evidence[0]; ev.SHA256 != want || ev.Size != 15 || ev.Name != "access.log" || ev.SourcePath != log {
		t.Errorf("evidence = %+v", ev)
	}
	var found []blotter.Entry
	json.Unmarshal([]byte(ok(t, dir, "search", "--json", "log")), &found)
	if len(found) != 2 {
		t.Errorf("searching the evidence name found %d entries", len(found))
	}

	type refusal struct {
		path string
		code int
		want string
	}
	refused := []refusal{
		{src, 65, "is a directory"},
		{deviceFile, 65, "is a device"},
		{filepath.Join(src, "gone"), 66, "does not exist"},
	}
	if runtime.GOOS != "windows" {
		fifo := filepath.Join(src, "pipe")
		mkfifo(t, fifo)
		refused = append(refused, refusal{fifo, 65, "is a FIFO"})
	}
	for _, tt := range refused {
		r := run(t, dir, "", "attach", tt.path)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("attach %s: exit %d %q, want %d %q", tt.path, r.code, r.stderr, tt.code, tt.want)
		}
	}
	// One bad file among good ones: the good ones land, the exit code says something failed.
	other := filepath.Join(src, "other.txt")
	os.WriteFile(other, []byte("other"), 0o644)
	r := run(t, dir, "", "attach", other, src)
	if r.code != 65 || !strings.Contains(r.stdout, "other.txt") || !strings.Contains(r.stderr, "1 of 2 files were not attached") {
		t.Errorf("mixed attach: %+v", r)
	}
	if left := vaultTmp(t, dir); len(left) != 0 {
		t.Errorf("refused files left %v in the vault", left)
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	dir, _ := newIncident(t)
	id := ok(t, dir, "note", "exfiltration to 198.51.100.9 started 09:12")
	src := filepath.Join(t.TempDir(), "capture.pcap")
	os.WriteFile(src, []byte("pcap bytes"), 0o644)
	digest := strings.Fields(ok(t, dir, "attach", src))[0]
	if r := run(t, dir, "", "verify"); r.code != 0 {
		t.Fatalf("verify of an untouched record: %d %s", r.code, r.stderr)
	}

	db := filepath.Join(dir, "blotter.db")
	sqlite3(t, db, fmt.Sprintf("UPDATE entries SET text = 'nothing happened' WHERE id = '%s';", id))
	r := run(t, dir, "", "verify")
	if r.code != 1 || !strings.Contains(r.stderr, "entry "+id+" differs from its last revision") {
		t.Errorf("verify after an UPDATE: exit %d, %q", r.code, r.stderr)
	}
	sqlite3(t, db, fmt.Sprintf("UPDATE entries SET text = 'exfiltration to 198.51.100.9 started 09:12' WHERE id = '%s';", id))
	if r := run(t, dir, "", "verify"); r.code != 0 {
		t.Fatalf("verify after undoing the change: %d %s", r.code, r.stderr)
	}

	// An evidence file altered in the vault.
	stored := filepath.Join(dir, "vault", digest[:2], digest)
	os.Chmod(stored, 0o644)
	os.WriteFile(stored, []byte("edited bytes"), 0o644)
	r = run(t, dir, "", "verify")
	if r.code != 1 || !strings.Contains(r.stderr, "evidence "+digest+" has been altered") {
		t.Errorf("verify after altering evidence: exit %d, %q", r.code, r.stderr)
	}
	os.Remove(stored)
	r = run(t, dir, "", "verify")
	if r.code != 1 || !strings.Contains(r.stderr, "missing from the vault") {
		t.Errorf("verify after deleting evidence: exit %d, %q", r.code, r.stderr)
	}
}

func TestExportImport(t *testing.T) {
	dir, incID := newIncident(t)
	a := ok(t, dir, "note", "--tag", "start time", "pager fired")
	ok(t, dir, "edit", a, "--text", "PagerDuty fired", "--reason", "precision")
	src := filepath.Join(t.TempDir(), "ioc.txt")
	os.WriteFile(src, []byte("198.51.100.9\n"), 0o644)
	ok(t, dir, "attach", src)

	export := filepath.Join(t.TempDir(), "incident.json")
	ok(t, dir, "export", "--format", "json", "-o", export)
	md := ok(t, dir, "export", "--format", "md")
	csvOut := ok(t, dir, "export", "--format", "csv")
	if !strings.Contains(md, "# Incident `Credential stuffing on SSO`") || !strings.Contains(md, "PagerDuty fired") || !strings.Contains(md, "## Revision log") {
		t.Errorf("markdown export:\n%s", md)
	}
	if lines := strings.Count(csvOut, "\n") + 1; lines != 5 { // header + incident + 2 creates + 1 edit
		t.Errorf("csv export has %d lines:\n%s", lines, csvOut)
	}

	// The next responder imports it into their own data dir.
	next := filepath.Join(t.TempDir(), "next")
	if got := ok(t, next, "import", export); got != incID {
		t.Fatalf("import printed %q, want %s", got, incID)
	}
	out := ok(t, next, "verify")
	if !strings.Contains(out, "1 named by imported records and not held here") || !strings.Contains(out, "verified") {
		t.Errorf("verify of the imported copy:\n%s", out)
	}
	if got, want := ok(t, next, "timeline", "--json", "--all"), ok(t, dir, "timeline", "--json", "--all"); got != want {
		t.Errorf("the imported timeline differs:\n got %s\nwant %s", got, want)
	}
	// It carries on there, and the chain stays valid.
	ok(t, next, "note", "handed over to the night shift")
	if r := run(t, next, "", "verify"); r.code != 0 {
		t.Errorf("verify after a new note on the import: %s", r.stderr)
	}
	// Importing it again is refused and changes nothing.
	if r := run(t, next, "", "import", export); r.code != 65 || !strings.Contains(r.stderr, "in this data dir already") {
		t.Errorf("second import: %+v", r)
	}
	// A tampered export does not import.
	data, _ := os.ReadFile(export)
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(strings.Replace(string(data), "PagerDuty fired", "Nothing fired", 1)), 0o644)
	if r := run(t, filepath.Join(t.TempDir(), "third"), "", "import", bad); r.code != 65 || !strings.Contains(r.stderr, "does not verify") {
		t.Errorf("tampered import: %+v", r)
	}
}

// TestKill9 appends notes in a child process, kills it with SIGKILL at an arbitrary moment, and
// checks that every id it acknowledged (printed) is in the database and the chain is intact.
func TestKill9(t *testing.T) {
	dir, _ := newIncident(t)
	for round := 0; round < 3; round++ {
		cmd := blotterCmd(dir, "note", "--stdin")
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() {
			for i := 0; ; i++ {
				if _, err := fmt.Fprintf(stdin, "round %d line %d: host beaconing to 198.51.100.%d\n", round, i, i%255); err != nil {
					return
				}
			}
		}()
		var acked []string
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			acked = append(acked, sc.Text())
			if len(acked) == 150+round*37 {
				cmd.Process.Kill() // SIGKILL, mid-stream
				break
			}
		}
		cmd.Wait()
		stored := map[string]bool{}
		for _, e := range timeline(t, dir) {
			stored[e.ID] = true
		}
		for _, id := range acked {
			if !stored[id] {
				t.Fatalf("round %d: acknowledged note %s is lost after kill -9", round, id)
			}
		}
		if r := run(t, dir, "", "verify"); r.code != 0 {
			t.Fatalf("round %d: verify after kill -9: %s", round, r.stderr)
		}
	}
}

// TestConcurrentWriters runs two CLI processes appending at once: both succeed, nothing is
// lost, and the chain stays valid.
func TestConcurrentWriters(t *testing.T) {
	dir, _ := newIncident(t)
	const lines = 150
	var wg sync.WaitGroup
	results := make([]result, 2)
	for w := range results {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var in strings.Builder
			for i := 0; i < lines; i++ {
				fmt.Fprintf(&in, "writer %d note %d\n", w, i)
			}
			results[w] = run(t, dir, in.String(), "note", "--stdin")
		}(w)
	}
	wg.Wait()
	for w, r := range results {
		if r.code != 0 || strings.Count(r.stdout, "\n") != lines {
			t.Fatalf("writer %d: exit %d, %d ids, %s", w, r.code, strings.Count(r.stdout, "\n"), r.stderr)
		}
	}
	if got := len(timeline(t, dir)); got != 2*lines {
		t.Errorf("timeline holds %d notes, want %d", got, 2*lines)
	}
	if r := run(t, dir, "", "verify"); r.code != 0 {
		t.Errorf("verify: %s", r.stderr)
	}
}

// TestDiskFull attaches a file larger than the process may write (RLIMIT_FSIZE, which fails
// writes the way a full disk does): a clear error, nothing half-stored, the record intact.
func TestDiskFull(t *testing.T) {
	unixOnly(t, "ulimit -f stands in for a full disk")
	dir, _ := newIncident(t)
	ok(t, dir, "note", "before the disk filled up")
	big := filepath.Join(t.TempDir(), "memory.dmp")
	f, _ := os.Create(big)
	f.Write(make([]byte, 4<<20))
	f.Close()

	cmd := exec.Command("sh", "-c", `ulimit -f 2048; exec "$0" "$@"`, binary, "--data-dir", dir, "attach", big)
	out, err := cmd.CombinedOutput()
	exit, _ := err.(*exec.ExitError)
	if exit == nil || exit.ExitCode() != 69 || !strings.Contains(string(out), "the disk is full") {
		t.Fatalf("attach on a full disk: %v\n%s", err, out)
	}
	if left := vaultTmp(t, dir); len(left) != 0 {
		t.Errorf("a half-written file stayed in the vault: %v", left)
	}
	if got := timeline(t, dir); len(got) != 1 {
		t.Errorf("timeline holds %d entries, want the 1 from before", len(got))
	}
	if r := run(t, dir, "", "verify"); r.code != 0 {
		t.Errorf("verify after the failed attach: %s", r.stderr)
	}
}

// TestVaultStreamsLargeFiles attaches a sparse 3 GiB file and bounds the process's peak memory:
// the file is hashed and copied in a stream, never read into memory.
func TestVaultStreamsLargeFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 3 GiB")
	}
	dir, _ := newIncident(t)
	const size = 3 << 30
	big := filepath.Join(t.TempDir(), "disk.img")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("MBR"), 0)
	f.WriteAt([]byte("END"), size-3)
	f.Close()
	want := fileSHA256(t, big)

	cmd := blotterCmd(dir, "attach", big)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	peak, err := childproc.PeakMemory(cmd)
	if err != nil {
		t.Fatalf("attach: %v %s", err, stderr.Bytes())
	}
	if got := strings.Fields(out.String())[0]; got != want {
		t.Errorf("digest %s, want %s", got, want)
	}
	if peak < 0 {
		t.Log("attached 3 GiB; memory is not measured on this OS")
	} else if peak > 64<<20 {
		t.Errorf("peak RSS %d MiB while attaching 3 GiB, want under 64 MiB", peak>>20)
	} else {
		t.Logf("attached 3 GiB with a peak RSS of %.1f MiB", float64(peak)/(1<<20))
	}
	stored := filepath.Join(dir, "vault", want[:2], want)
	if fi, err := os.Stat(stored); err != nil || fi.Size() != size {
		t.Errorf("stored file: %v, %v", fi, err)
	}
	ok(t, dir, "verify")
}

// TestDatabaseDiskFull appends a note when the database files may not grow: a clear error, and
// the record from before intact and verifiable.
func TestDatabaseDiskFull(t *testing.T) {
	unixOnly(t, "ulimit -f stands in for a full disk")
	dir, _ := newIncident(t)
	ok(t, dir, "note", "before the disk filled up")
	var largest int64
	for _, name := range []string{"blotter.db", "blotter.db-wal"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && fi.Size() > largest {
			largest = fi.Size()
		}
	}
	blocks := largest/512 + 1 // ulimit -f counts 512-byte blocks
	big := strings.Repeat("memory dump excerpt ", 12000)
	cmd := exec.Command("sh", "-c", fmt.Sprintf(`ulimit -f %d; exec "$0" "$@"`, blocks), binary, "--data-dir", dir, "note", "--stdin")
	cmd.Stdin = strings.NewReader(big + "\n")
	out, err := cmd.CombinedOutput()
	exit, _ := err.(*exec.ExitError)
	if exit == nil || exit.ExitCode() != 69 || !strings.Contains(string(out), "nothing was written") && !strings.Contains(string(out), "could not be written") {
		t.Fatalf("note on a full disk: %v\n%s", err, out)
	}
	if got := timeline(t, dir); len(got) != 1 || got[0].Text != "before the disk filled up" {
		t.Errorf("timeline after the failed note: %+v", got)
	}
	if r := run(t, dir, "", "verify"); r.code != 0 {
		t.Errorf("verify after the failed note: %s", r.stderr)
	}
}
