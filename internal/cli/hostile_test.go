package cli_test

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The record survives its users, attackers and accidents: each test here failed before the fix.

func TestExportNeverOverwritesTheDataDir(t *testing.T) {
	dir, _ := newIncident(t)
	ok(t, dir, "note", "must survive the export")
	targets := []string{
		filepath.Join(dir, "blotter.db"), filepath.Join(dir, "blotter.db-wal"), filepath.Join(dir, "blotter.db-shm"),
		filepath.Join(dir, "vault", "export.json"), dir + "/../" + filepath.Base(dir) + "/blotter.db",
	}
	if symlinksWork {
		link := filepath.Join(t.TempDir(), "innocent.json")
		if err := os.Symlink(filepath.Join(dir, "blotter.db"), link); err != nil {
			t.Fatal(err)
		}
		targets = append(targets, link)
	}
	for _, target := range targets {
		r := run(t, dir, "", "export", "--format", "json", "-o", target)
		if r.code != 65 || !strings.Contains(r.stderr, "inside Blotter's data dir") {
			t.Errorf("export -o %s: exit %d, %q; want it refused", target, r.code, r.stderr)
		}
	}
	if got := timeline(t, dir); len(got) != 1 || got[0].Text != "must survive the export" {
		t.Fatalf("after the refused exports the timeline is %+v", got)
	}
	ok(t, dir, "verify")
}

func TestHostileTextIsShownVisibly(t *testing.T) {
	dir, _ := newIncident(t)
	forged := "ok\r01a1ffff-0000-7000-8000-000000000000  2026-01-01 00:00:00Z  note  ceo  all clear"
	title := "\x1b]0;pwned\x07\x1b[2J\u202eevil"
	ok(t, dir, "note", forged)
	ok(t, dir, "note", "link \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \u009b31m")
	ok(t, dir, "incident", "set", "--title", title)
	out := ok(t, dir, "timeline")
	for _, raw := range []string{"\r", "\x1b", "\u202e", "\u009b", "\a"} {
		if strings.Contains(out, raw) {
			t.Errorf("timeline prints %q raw:\n%q", raw, out)
		}
	}
	for _, shown := range []string{`ok\r01a1ffff`, `\x1b]8;;https://evil.example`, `\u009b31m`} {
		if !strings.Contains(out, shown) {
			t.Errorf("timeline does not show %s visibly:\n%s", shown, out)
		}
	}
	if list := ok(t, dir, "incident", "list"); strings.ContainsAny(list, "\x1b\a\u202e") || !strings.Contains(list, `\x1b]0;pwned\x07`) {
		t.Errorf("incident list = %q", list)
	}
	// --json stays exact.
	if got := timeline(t, dir); got[0].Text != forged {
		t.Errorf("timeline --json changed the text: %q", got[0].Text)
	}
}

func TestTooManyHashWordsKeepTheNote(t *testing.T) {
	dir, _ := newIncident(t)
	var words []string
	for i := range 40 {
		words = append(words, "#tag"+strings.Repeat("x", i))
	}
	words = append(words, "#"+strings.Repeat("y", 80), "#ctl\x1b[1m")
	text := "seen " + strings.Join(words, " ")
	ok(t, dir, "note", text)
	r := run(t, dir, strings.Join(words, " ")+"\nsecond line\n", "note", "--stdin")
	if r.code != 0 {
		t.Fatalf("note --stdin with 42 #words: exit %d %q", r.code, r.stderr)
	}
	got := timeline(t, dir)
	if len(got) != 3 || got[0].Text != text || len(got[0].Tags) != 32 {
		t.Fatalf("timeline = %d entries; first %q with %d tags", len(got), got[0].Text, len(got[0].Tags))
	}
}

func TestSymlinksSayWhereTheyLead(t *testing.T) {
	unixOnly(t, "symlinks any user can make")
	dir, _ := newIncident(t)
	secret := filepath.Join(t.TempDir(), "shadow")
	os.WriteFile(secret, []byte("root:$6$…\n"), 0o600)
	link := filepath.Join(t.TempDir(), "innocent.png")
	os.Symlink(secret, link)
	if r := run(t, dir, "", "attach", link); r.code != 0 || !strings.Contains(r.stderr, "is a symlink: what it leads to was taken in: "+secret) {
		t.Errorf("attach of a symlink: exit %d, stderr %q; want its target named", r.code, r.stderr)
	}
	if out := ok(t, dir, "timeline"); !strings.Contains(out, "(a link to "+secret+")") {
		t.Errorf("the timeline does not name the link's target:\n%s", out)
	}
}

func TestRefusesWhatCannotBeMeant(t *testing.T) {
	dir, _ := newIncident(t)
	root, system, inSystem := "/", "/proc", "/proc/self"
	if runtime.GOOS == "windows" {
		root, system, inSystem = `C:\`, `C:\Windows`, `c:\windows\system32`
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"watch", "add", root}, "root of the file system"},
		{[]string{"watch", "add", system}, "folder of the operating system"},
		{[]string{"watch", "add", inSystem}, "folder of the operating system"},
		{[]string{"watch", "add", ""}, "no folder given"},
		{[]string{"note", "--at", "", "x"}, `cannot read time ""`},
		{[]string{"timeline", "--since", ""}, `cannot read time ""`},
	} {
		if r := run(t, dir, "", tt.args...); r.code != 65 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%q: exit %d %q; want 65 and %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
	if got := timeline(t, dir); len(got) != 0 {
		t.Errorf("a refused note was stored: %+v", got)
	}
}

func TestDataDirIsPrivate(t *testing.T) {
	unixOnly(t, "POSIX permissions (on Windows the data dir is in the user's profile, private by its ACL)")
	dir := filepath.Join(t.TempDir(), "data")
	os.MkdirAll(dir, 0o755)
	os.Chmod(dir, 0o755)
	ok(t, dir, "incident", "new", "Private")
	ok(t, dir, "note", "only mine to read")
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode %o, want 0700", fi.Mode().Perm())
	}
	for _, name := range []string{"blotter.db", "blotter.db-wal", "blotter.db-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err == nil && fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s mode %o: other users can read it", name, fi.Mode().Perm())
		}
	}
}

func TestLostDatabaseIsNotAFreshStart(t *testing.T) {
	for _, damage := range []string{"deleted", "truncated"} {
		t.Run(damage, func(t *testing.T) {
			dir, _ := newIncident(t)
			src := filepath.Join(t.TempDir(), "edge.log")
			os.WriteFile(src, []byte("203.0.113.7 GET /login\n"), 0o644)
			ok(t, dir, "attach", src)
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if damage == "deleted" || suffix != "" {
					os.Remove(filepath.Join(dir, "blotter.db"+suffix))
				}
			}
			if damage == "truncated" {
				os.Truncate(filepath.Join(dir, "blotter.db"), 0)
			}
			for _, args := range [][]string{{"verify"}, {"note", "fresh start?"}, {"incident", "list"}} {
				r := run(t, dir, "", args...)
				if r.code == 0 || !strings.Contains(r.stderr, "the vault beside it holds 1 evidence files") {
					t.Errorf("%v with the database %s: exit %d, %q", args, damage, r.code, r.stderr)
				}
			}
		})
	}
}

func TestVerifyFindsStrayFilesAndADamagedIndex(t *testing.T) {
	dir, _ := newIncident(t)
	for i := range 30 {
		ok(t, dir, "note", "login failures from the edge, note "+strings.Repeat("x", i))
	}
	ok(t, dir, "verify")
	stray := filepath.Join(dir, "vault", "ab", strings.Repeat("ab", 32))
	os.MkdirAll(filepath.Dir(stray), 0o700)
	os.WriteFile(stray, []byte("planted"), 0o444)
	if r := run(t, dir, "", "verify"); r.code != 1 || !strings.Contains(r.stderr, "no record names") {
		t.Errorf("verify with a stray vault file: exit %d %q", r.code, r.stderr)
	}
	os.Remove(stray)
	sqlite3(t, filepath.Join(dir, "blotter.db"), `UPDATE entry_fts_data SET block = randomblob(length(block)) WHERE id = (SELECT max(id) FROM entry_fts_data)`)
	if r := run(t, dir, "", "verify"); r.code != 1 || !strings.Contains(r.stderr, "search index is damaged") {
		t.Errorf("verify with a damaged search index: exit %d %q", r.code, r.stderr)
	}
}

// TestSignalsStopReadingInput: a command waiting for more input on a pipe stops at Ctrl+C or
// SIGTERM, keeping what it stored (exit 130), instead of ignoring the signal.
func TestSignalsStopReadingInput(t *testing.T) {
	unixOnly(t, "signals sent to another process")
	dir, _ := newIncident(t)
	for _, tt := range []struct {
		name string
		sig  syscall.Signal
		args []string
		feed string
	}{
		{"note --stdin, Ctrl+C", syscall.SIGINT, []string{"note", "--stdin"}, "stored before the signal\n"},
		{"note --stdin, SIGTERM", syscall.SIGTERM, []string{"note", "--stdin"}, "stored before SIGTERM\n"},
		{"import from a pipe, Ctrl+C", syscall.SIGINT, []string{"import", "/dev/stdin"}, `{"format": "blotter-record",`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cmd := blotterCmd(dir, tt.args...)
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			io.WriteString(stdin, tt.feed)
			if tt.args[0] == "note" {
				waitUntil(t, func() bool {
					for _, e := range timeline(t, dir) {
						if e.Text+"\n" == tt.feed {
							return true
						}
					}
					return false
				})
			} else {
				time.Sleep(300 * time.Millisecond) // the command is blocked reading the header
			}
			cmd.Process.Signal(tt.sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still waiting for input 5 s after the signal")
			}
			if code := cmd.ProcessState.ExitCode(); code != 130 || !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("exit %d, stderr %q; want 130 and a word that it was interrupted", code, stderr.String())
			}
		})
	}
	ok(t, dir, "verify")
}

// waitUntil polls cond for up to 10 s.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out")
}

// TestDamagedRecord: rows altered behind Blotter's back are findings of verify (exit 1, every
// one listed); the other commands show what they can and say the record is damaged (exit 69).
func TestDamagedRecord(t *testing.T) {
	dir, _ := newIncident(t)
	ok(t, dir, "note", "readable one")
	ok(t, dir, "note", "damaged one")
	ok(t, dir, "note", "damaged two")
	task := ok(t, dir, "task", "add", "Rotate keys")
	db := filepath.Join(dir, "blotter.db")
	sqlite3(t, db, `UPDATE entries SET tags = 'not json' WHERE text = 'damaged one'`)
	sqlite3(t, db, `UPDATE entries SET evidence = '{' WHERE text = 'damaged two'`)
	sqlite3(t, db, `UPDATE tasks SET links = 'x' WHERE id = '`+task+`'`)

	r := run(t, dir, "", "verify")
	for _, column := range []string{"its tags cannot be read", "its evidence cannot be read", "task " + task + ": its links cannot be read"} {
		if r.code != 1 || !strings.Contains(r.stderr, column) {
			t.Errorf("verify: exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, column)
		}
	}
	r = run(t, dir, "", "timeline")
	if r.code != 69 || !strings.Contains(r.stdout, "readable one") || !strings.Contains(r.stderr, "2 entries are damaged and not shown") || !strings.Contains(r.stderr, "blotter verify") {
		t.Errorf("timeline: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, dir, "", "export", "--format", "json")
	if r.code != 69 || !strings.Contains(r.stderr, "the record is damaged") {
		t.Errorf("export: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestExportSaysTheRecordDoesNotVerify: an export of a record that fails verification is still
// written (it is what there is), says so in its header and on the terminal, and exits 1.
func TestExportSaysTheRecordDoesNotVerify(t *testing.T) {
	dir, _ := newIncident(t)
	ok(t, dir, "note", "the attacker's IP was 203.0.113.7")
	sqlite3(t, filepath.Join(dir, "blotter.db"), `UPDATE entries SET text = 'nothing happened'`)
	out := filepath.Join(t.TempDir(), "export.json")
	r := run(t, dir, "", "export", "--format", "json", "-o", out)
	if r.code != 1 || !strings.Contains(r.stderr, "the record does not verify") {
		t.Fatalf("export: exit %d, %q; want 1 and a warning", r.code, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(data), `"does_not_verify":"entry `) {
		t.Fatalf("the export does not say it does not verify: %v\n%.400s", err, data)
	}
	// The log is intact, so the recipient's import rebuilds the entry as its revision holds it.
	next := filepath.Join(t.TempDir(), "next")
	r = run(t, next, "", "import", out)
	if r.code != 0 || !strings.Contains(r.stderr, "did not verify where it was exported") {
		t.Errorf("import: exit %d, %q", r.code, r.stderr)
	}
	if got := timeline(t, next); len(got) != 1 || got[0].Text != "the attacker's IP was 203.0.113.7" {
		t.Errorf("imported timeline = %+v", got)
	}
}

// TestFullDiskStillReads: on a full disk the record can still be read, verified and exported
// (to another disk); a write says plainly why it cannot happen.
func TestFullDiskStillReads(t *testing.T) {
	unixOnly(t, "a tmpfs mounted to fill")
	disk := filepath.Join(t.TempDir(), "disk")
	os.MkdirAll(disk, 0o700)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", disk).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", disk).Run() })
	dir := filepath.Join(disk, "data")
	ok(t, dir, "incident", "new", "Full disk")
	ok(t, dir, "note", "written before the disk filled")
	fill, _ := os.Create(filepath.Join(disk, "fill"))
	io.Copy(fill, io.LimitReader(zeros{}, 4<<20)) // until the disk is full
	fill.Close()

	if got := timeline(t, dir); len(got) != 1 || got[0].Text != "written before the disk filled" {
		t.Errorf("timeline on a full disk = %+v", got)
	}
	if out := ok(t, dir, "verify"); !strings.Contains(out, "verified") {
		t.Errorf("verify on a full disk: %q", out)
	}
	export := filepath.Join(t.TempDir(), "export.json")
	ok(t, dir, "export", "--format", "json", "-o", export)
	ok(t, filepath.Join(t.TempDir(), "elsewhere"), "import", export)
	if r := run(t, dir, "", "note", "cannot be written"); r.code != 69 || !strings.Contains(r.stderr, "the disk is full") {
		t.Errorf("a note on a full disk: exit %d, %q", r.code, r.stderr)
	}
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestReadOnlyDiskStillReads: a data dir on a disk mounted read-only is read and exported; a
// write says why it cannot happen (exit 69), never "a bug".
func TestReadOnlyDiskStillReads(t *testing.T) {
	unixOnly(t, "a tmpfs mounted read-only")
	disk := filepath.Join(t.TempDir(), "disk")
	os.MkdirAll(disk, 0o700)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=5m", "tmpfs", disk).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs to make read-only (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", disk).Run() })
	dir := filepath.Join(disk, "data")
	ok(t, dir, "incident", "new", "Read-only disk")
	ok(t, dir, "note", "written before the remount")
	if out, err := exec.Command("mount", "-o", "remount,ro", disk).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v %s", err, out)
	}
	if got := timeline(t, dir); len(got) != 1 {
		t.Errorf("timeline on a read-only disk = %+v", got)
	}
	ok(t, dir, "verify")
	ok(t, dir, "export", "--format", "md")
	if r := run(t, dir, "", "note", "cannot be written"); r.code != 69 || !strings.Contains(r.stderr, "open for reading only") {
		t.Errorf("a note on a read-only disk: exit %d, %q", r.code, r.stderr)
	}
}

// TestExportsMaskSecrets: the exports for people mask marked secrets by default and say so
// when they do not; the JSON record stays exact and says that it carries them.
func TestExportsMaskSecrets(t *testing.T) {
	dir, _ := newIncident(t)
	ok(t, dir, "note", "found AKIAIOSFODNN7EXAMPLE in the attacker's script")
	for _, format := range []string{"md", "csv"} {
		if out := ok(t, dir, "export", "--format", format); strings.Contains(out, "AKIAIOSFODNN7EXAMPLE") || !strings.Contains(out, "REDACTED") {
			t.Errorf("%s export is not masked:\n%.600s", format, out)
		}
		if out := ok(t, dir, "export", "--format", format, "--unmasked"); !strings.Contains(out, "AKIAIOSFODNN7EXAMPLE") || !strings.Contains(strings.ToLower(out), "unmasked") {
			t.Errorf("%s export --unmasked does not hold the secret and say so:\n%.600s", format, out)
		}
	}
	r := run(t, dir, "", "export", "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, "AKIAIOSFODNN7EXAMPLE") || !strings.Contains(r.stderr, "1 entries hold marked secrets") {
		t.Errorf("json export: exit %d, stderr %q", r.code, r.stderr)
	}
}
