package cli_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// binary is the real blotter binary, built once for all the tests in TestMain; builtByMake
// says it was given instead (BLOTTER_CLI_BINARY), with the Makefile's version stamped in.
var (
	binary      string
	builtByMake bool
)

// BLOTTER_CLI_BINARY names a binary built already instead: the Windows build of these tests
// runs under Wine, where there is no Go toolchain (scripts/test-wine.sh).
func TestMain(m *testing.M) {
	if binary = os.Getenv("BLOTTER_CLI_BINARY"); binary != "" {
		builtByMake = true
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "blotter-cli-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "blotter")
	_, self, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(self), "..", "..")
	build := exec.Command("go", "build", "-tags", "sqlite_fts5", "-o", binary, ".")
	build.Dir = root
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building blotter:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary did.
type result struct {
	stdout, stderr string
	code           int
}

// blotterCmd prepares a run of the binary on the data dir, with no inherited data dir.
func blotterCmd(dataDir string, args ...string) *exec.Cmd {
	cmd := exec.Command(binary, append([]string{"--data-dir", dataDir}, args...)...)
	cmd.Env = append(os.Environ(), "BLOTTER_DATA_DIR=", "TZ=UTC")
	// A process the run starts may outlive it holding its output pipes: under Wine, the first
	// program to open a window station starts the desktop (explorer.exe) with its handles, and
	// CI waited 30 minutes on a pipe that never closed. What the run wrote before it ended is kept.
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

func run(t *testing.T, dataDir, stdin string, args ...string) result {
	t.Helper()
	return runIn(t, nil, dataDir, stdin, args...)
}

// runWith runs the binary with extra environment variables (later ones win over the process's).
func runWith(t *testing.T, env []string, dataDir string, args ...string) result {
	t.Helper()
	return runIn(t, env, dataDir, "", args...)
}

// runIn runs the binary on the data dir with extra environment variables and stdin.
func runIn(t *testing.T, env []string, dataDir, stdin string, args ...string) result {
	t.Helper()
	cmd := blotterCmd(dataDir, args...)
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil && !errors.Is(err, exec.ErrWaitDelay) { // ended well; a leftover held the pipes
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

// ok runs a command that must succeed and returns its trimmed output.
func ok(t *testing.T, dataDir string, args ...string) string {
	t.Helper()
	r := run(t, dataDir, "", args...)
	if r.code != 0 {
		t.Fatalf("blotter %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	return strings.TrimSpace(r.stdout)
}

// newIncident makes a data dir with an active incident.
func newIncident(t *testing.T) (dataDir, incidentID string) {
	t.Helper()
	dataDir = filepath.Join(t.TempDir(), "data")
	incidentID = ok(t, dataDir, "incident", "new", "Credential stuffing on SSO", "--severity", "critical")
	if !blotter.ValidID(incidentID) {
		t.Fatalf("incident new printed %q, not an id", incidentID)
	}
	return dataDir, incidentID
}

func timeline(t *testing.T, dataDir string, args ...string) []blotter.Entry {
	t.Helper()
	var entries []blotter.Entry
	out := ok(t, dataDir, append([]string{"timeline", "--json"}, args...)...)
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatalf("timeline --json: %v\n%s", err, out)
	}
	return entries
}

func TestIncidentsAndNotes(t *testing.T) {
	dir, incID := newIncident(t)
	before := time.Now()
	noteID := ok(t, dir, "note", "--tag", "#sso", "--tag", "impact detected", "Login", "failures", "from", "203.0.113.7")
	after := time.Now()
	earlier := ok(t, dir, "note", "--at", "-15m", "First page from PagerDuty")

	entries := timeline(t, dir)
	if len(entries) != 2 || entries[0].ID != earlier || entries[1].ID != noteID {
		t.Fatalf("timeline = %+v, want the backdated note first", entries)
	}
	e := entries[1]
	if e.IncidentID != incID || e.Kind != blotter.KindNote || e.Text != "Login failures from 203.0.113.7" ||
		strings.Join(e.Tags, ",") != "sso,Impact detected" || e.Revision != 1 || e.Deleted {
		t.Errorf("entry = %+v", e)
	}
	if e.OccurredAt.Before(before) || e.OccurredAt.After(after) || e.OccurredAt != e.RecordedAt {
		t.Errorf("occurred_at %v not within the command's run [%v, %v]", e.OccurredAt, before, after)
	}
	if d := entries[1].OccurredAt.Sub(entries[0].OccurredAt); d < 14*time.Minute || d > 16*time.Minute {
		t.Errorf("--at -15m put the note %v earlier, want 15m", d)
	}

	// The JSON field names and time format are a stable interface.
	raw := ok(t, dir, "timeline", "--json")
	var generic []map[string]any
	json.Unmarshal([]byte(raw), &generic)
	for _, field := range []string{"id", "incident_id", "kind", "occurred_at", "recorded_at", "author", "text", "tags", "evidence", "revision", "deleted"} {
		if _, found := generic[0][field]; !found {
			t.Errorf("timeline --json lacks field %q", field)
		}
	}
	if at := generic[0]["occurred_at"].(string); len(at) != len("2026-11-22T14:03:00.000000000Z") || !strings.HasSuffix(at, "Z") {
		t.Errorf("occurred_at %q is not RFC 3339 UTC with nanoseconds", at)
	}

	// A second incident becomes active; use switches back.
	second := ok(t, dir, "incident", "new", "Phishing wave")
	ok(t, dir, "note", "in the second incident")
	var list []blotter.Incident
	json.Unmarshal([]byte(ok(t, dir, "incident", "list", "--json")), &list)
	if len(list) != 2 || list[0].ID != second {
		t.Fatalf("incident list = %+v", list)
	}
	ok(t, dir, "incident", "use", incID)
	if got := timeline(t, dir); len(got) != 2 {
		t.Errorf("after use: %d entries, want the first incident's 2", len(got))
	}
	if got := timeline(t, dir, "--tag", "sso"); len(got) != 1 || got[0].ID != noteID {
		t.Errorf("timeline --tag sso = %v", got)
	}
	if got := timeline(t, dir, "--since", "-10m"); len(got) != 1 || got[0].ID != noteID {
		t.Errorf("timeline --since -10m = %v", got)
	}
	if got := ok(t, dir, "incident", "list"); !strings.Contains(got, "* "+incID) {
		t.Errorf("incident list does not mark the active incident:\n%s", got)
	}
	ok(t, dir, "incident", "set", "--status", "mitigated", "--reason", "blocked the IPs")
	json.Unmarshal([]byte(ok(t, dir, "incident", "list", "--json")), &list)
	if list[1].Status != blotter.StatusMitigated || list[1].Revision != 2 {
		t.Errorf("after set: %+v", list[1])
	}
}

func TestEditDeleteHistory(t *testing.T) {
	dir, _ := newIncident(t)
	id := ok(t, dir, "note", "attacker used teh VPN")
	if got := ok(t, dir, "edit", id, "--text", "attacker used the VPN", "--tag", "vpn", "--reason", "typo"); got != id+" revision 2" {
		t.Errorf("edit printed %q", got)
	}
	ok(t, dir, "rm", id, "--reason", "duplicate of another note")
	if got := timeline(t, dir); len(got) != 0 {
		t.Errorf("a deleted entry is still shown: %+v", got)
	}
	all := timeline(t, dir, "--all")
	if len(all) != 1 || !all[0].Deleted || all[0].Revision != 3 || all[0].Text != "attacker used the VPN" {
		t.Fatalf("timeline --all = %+v", all)
	}
	var revs []blotter.Revision
	json.Unmarshal([]byte(ok(t, dir, "history", id, "--json")), &revs)
	if len(revs) != 3 || revs[1].Reason != "typo" || revs[2].Action != "delete" || revs[1].PrevHash != revs[0].Hash {
		t.Fatalf("history = %+v", revs)
	}
	human := ok(t, dir, "history", id)
	for _, want := range []string{"revision 1", "attacker used teh VPN", "edit by", ": typo", "delete by"} {
		if !strings.Contains(human, want) {
			t.Errorf("history lacks %q:\n%s", want, human)
		}
	}
	ok(t, dir, "restore", id, "--reason", "not a duplicate")
	if got := timeline(t, dir); len(got) != 1 {
		t.Errorf("restored entry not shown")
	}
	if out := ok(t, dir, "verify"); !strings.Contains(out, "verified") {
		t.Errorf("verify: %s", out)
	}
}

func TestSearchAndObservables(t *testing.T) {
	dir, _ := newIncident(t)
	a := ok(t, dir, "note", "Blocked 203.0.113.7 at the edge, see hxxps://grafana.example[.]com/d/x")
	b := ok(t, dir, "note", "203.0.113.7 also hit vpn.example.com CVE-2024-3094")
	var found []blotter.Entry
	json.Unmarshal([]byte(ok(t, dir, "search", "--json", "203.0.113.7")), &found)
	if len(found) != 2 || found[0].ID != b || found[1].ID != a {
		t.Errorf("search = %+v, want both, newest first", found)
	}
	json.Unmarshal([]byte(ok(t, dir, "search", "--json", "graf*")), &found)
	if len(found) != 1 || found[0].ID != a {
		t.Errorf("prefix search = %+v", found)
	}
	var obs []blotter.ObservableUse
	json.Unmarshal([]byte(ok(t, dir, "observables", "--json")), &obs)
	byValue := map[string][]string{}
	for _, o := range obs {
		byValue[o.Kind+" "+o.Value] = o.EntryIDs
	}
	if ids := byValue["ipv4 203.0.113.7"]; len(ids) != 2 {
		t.Errorf("ipv4 203.0.113.7 mentioned by %v, want both entries", ids)
	}
	for _, want := range []string{"domain grafana.example.com", "url https://grafana.example.com/d/x", "domain vpn.example.com", "cve CVE-2024-3094"} {
		if _, found := byValue[want]; !found {
			t.Errorf("observables lack %s: %v", want, byValue)
		}
	}
}

func TestBadInput(t *testing.T) {
	dir, _ := newIncident(t)
	id := ok(t, dir, "note", "a note")
	empty := filepath.Join(t.TempDir(), "fresh")
	notAnExport := filepath.Join(t.TempDir(), "hostname")
	os.WriteFile(notAnExport, []byte("fs01\n"), 0o644)
	tests := []struct {
		name  string
		dir   string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"invalid utf-8", dir, "", []string{"note", "bad \xff byte"}, 65, "not valid UTF-8 (bad byte at offset 4)"},
		{"line over the size limit", dir, strings.Repeat("x", blotter.MaxTextBytes+1) + "\n", []string{"note", "--stdin"}, 65, "line 1: the line is 262145 bytes; the limit is 262144 bytes (256 KiB)"},
		{"huge line", dir, strings.Repeat("y", 20<<20), []string{"note", "--stdin"}, 65, "the limit is 262144 bytes"},
		{"malformed time", dir, "", []string{"note", "--at", "yesterday-ish", "x"}, 65, `cannot read time "yesterday-ish"`},
		{"time out of range", dir, "", []string{"note", "--at", "1900-01-01T00:00:00Z", "x"}, 65, "out of range"},
		{"unknown entry", dir, "", []string{"edit", blotter.NewID(), "--text", "x", "--reason", "r"}, 66, "no entry"},
		{"garbage id", dir, "", []string{"rm", "../../etc/passwd", "--reason", "r"}, 66, "no entry"},
		{"edit without reason", dir, "", []string{"edit", id, "--text", "y"}, 65, "needs a reason: the record keeps why it changed\nSay why with --reason."},
		{"edit without change", dir, "", []string{"edit", id, "--reason", "r"}, 64, "edit needs --text"},
		{"unknown incident", dir, "", []string{"incident", "use", blotter.NewID()}, 66, "no incident"},
		{"unknown kind", dir, "", []string{"timeline", "--kind", "memo"}, 65, `kind "memo" is not one of`},
		{"bad severity", dir, "", []string{"incident", "new", "x", "--severity", "urgent"}, 65, `severity "urgent"`},
		{"unknown format", dir, "", []string{"export", "--format", "pdf"}, 65, `format "pdf"`},
		{"no text", dir, "", []string{"note"}, 64, "TEXT or --stdin"},
		{"unknown flag", dir, "", []string{"note", "--colour", "x"}, 64, "unknown flag"},
		{"unknown command", dir, "", []string{"frobnicate"}, 64, "unknown command"},
		{"unknown subcommand", dir, "", []string{"capture", "notes"}, 64, `unknown command "notes" for 'blotter capture' (known: clipboard, clipboard-watch, note, screenshot)`},
		{"group without a subcommand", dir, "", []string{"task"}, 64, "'blotter task' needs a command: add, assign, edit, list, move"},
		{"unknown incident subcommand", dir, "", []string{"incident", "delete"}, 64, `unknown command "delete"`},
		{"capture note with no app", dir, "", []string{"capture", "note"}, 69, "app"},
		{"no active incident", empty, "", []string{"note", "x"}, 66, "no active incident: start one, or pick one to work on\nStart one with 'blotter incident new TITLE'"},
		{"import of a non-export", dir, "", []string{"import", notAnExport}, 65, "not a Blotter JSON export"},
		{"import of a missing file", dir, "", []string{"import", filepath.Join(empty, "nonexistent.json")}, 66, "cannot open"},
		{"stdin line too bad", dir, "fine line\nbad \xff line\nanother fine line\n", []string{"note", "--stdin"}, 65, "line 2: the text is not valid UTF-8"},
	}
	if runtime.GOOS == "windows" {
		// Windows hands a program its arguments as UTF-16, where invalid UTF-8 cannot be said
		// (Go sends U+FFFD); the same bytes on stdin are the case below.
		tests = tests[1:]
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.dir, tt.stdin, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, tt.code, tt.want)
			}
		})
	}
	// The bad stdin line cost only itself; nothing else was lost or corrupted.
	texts := map[string]bool{}
	for _, e := range timeline(t, dir) {
		texts[e.Text] = true
	}
	if !texts["fine line"] || !texts["another fine line"] || len(texts) != 3 {
		t.Errorf("after the bad input the timeline holds %v", texts)
	}
	if r := run(t, dir, "", "verify"); r.code != 0 {
		t.Errorf("verify after bad input: %d %s", r.code, r.stderr)
	}
}

func TestSecretsAreFlagged(t *testing.T) {
	dir, _ := newIncident(t)
	ok(t, dir, "note", "found creds in the paste: postgres://app:hunter2x@db.internal/prod")
	e := timeline(t, dir)[0]
	if len(e.Secrets) != 1 || e.Secrets[0].Kind != "url-password" || e.Text[e.Secrets[0].Start:e.Secrets[0].End] != "hunter2x" {
		t.Fatalf("secrets = %+v", e.Secrets)
	}
	if out := ok(t, dir, "timeline"); !strings.Contains(out, "(holds secrets: url-password)") || !strings.Contains(out, "hunter2x") {
		t.Errorf("the timeline should flag the secret and keep the evidence:\n%s", out)
	}
	ok(t, dir, "verify")
}

func TestDataDirCreatedPrivate(t *testing.T) {
	unixOnly(t, "POSIX permissions (on Windows the data dir is in the user's profile, private by its ACL)")
	dir := filepath.Join(t.TempDir(), "a", "b", "data")
	ok(t, dir, "incident", "new", "x")
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode %v, want 0700", fi.Mode().Perm())
	}
	// The environment variable names the data dir too.
	cmd := exec.Command(binary, "config", "get", "data-dir")
	cmd.Env = append(os.Environ(), "BLOTTER_DATA_DIR="+dir)
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.Output()
	if err != nil || strings.TrimSpace(string(out)) != dir {
		t.Errorf("config get data-dir with BLOTTER_DATA_DIR = %q, %v", out, err)
	}
}

func TestAuthor(t *testing.T) {
	dir, _ := newIncident(t)
	ok(t, dir, "config", "set", "author", "Ana", "Lima")
	ok(t, dir, "note", "x")
	if e := timeline(t, dir); e[0].Author != "Ana Lima" {
		t.Errorf("author = %q, want the configured name", e[0].Author)
	}
	if r := run(t, dir, "", "config", "set", "author", "bad\nname"); r.code != 65 {
		t.Errorf("a two-line author name: exit %d", r.code)
	}
}

func TestNewerDatabaseRefused(t *testing.T) {
	dir, _ := newIncident(t)
	sqlite3(t, filepath.Join(dir, "blotter.db"), "PRAGMA user_version = 42;")
	r := run(t, dir, "", "timeline")
	if r.code != 65 || !strings.Contains(r.stderr, "written by a newer Blotter (schema 42") {
		t.Errorf("exit %d, %q", r.code, r.stderr)
	}
}

func TestScreenshotsSetting(t *testing.T) {
	dir, _ := newIncident(t)
	if out := ok(t, dir, "config", "get", "screenshots"); strings.TrimSpace(out) != "pointer" {
		t.Errorf("default screenshots = %q, want pointer", out)
	}
	ok(t, dir, "config", "set", "screenshots", "all")
	if out := ok(t, dir, "config", "get", "screenshots"); strings.TrimSpace(out) != "all" {
		t.Errorf("screenshots after set all = %q", out)
	}
	if r := run(t, dir, "", "config", "set", "screenshots", "some"); r.code != 65 || !strings.Contains(r.stderr, "pointer") {
		t.Errorf("screenshots some: exit %d, %q", r.code, r.stderr)
	}
	if r := run(t, dir, "", "capture", "clipboard-watch", "maybe"); r.code != 64 {
		t.Errorf("clipboard-watch maybe: exit %d, %q", r.code, r.stderr)
	}
}

// TestSearchSaysHowManyAndHowToPage: words match as prefixes, standard error says how many
// match and the command for the next page, which brings the rest.
func TestSearchSaysHowManyAndHowToPage(t *testing.T) {
	dir, _ := newIncident(t)
	for i := range 55 {
		ok(t, dir, "note", fmt.Sprintf("logins from host-%d", i))
	}
	ok(t, dir, "note", "an unrelated note")
	r := run(t, dir, "", "search", "login")
	if r.code != 0 || strings.Count(r.stdout, "logins from host-") != 50 {
		t.Fatalf("first page: exit %d, %d results", r.code, strings.Count(r.stdout, "logins from host-"))
	}
	_, next, found := strings.Cut(strings.TrimSpace(r.stderr), "next page: blotter ")
	if !found || !strings.HasPrefix(r.stderr, "50 of 55 matches") {
		t.Fatalf("footer: %q", r.stderr)
	}
	args := strings.Fields(next)
	r = run(t, dir, "", args...)
	if r.code != 0 || strings.Count(r.stdout, "logins from host-") != 5 || !strings.Contains(r.stderr, "5 more of 55 matches: the last page") {
		t.Fatalf("second page (%v): exit %d, %q, %q", args, r.code, r.stdout, r.stderr)
	}
	if r := run(t, dir, "", "search", "nothing-like-this"); r.code != 0 || strings.TrimSpace(r.stderr) != "no entry matches" {
		t.Fatalf("no match: exit %d, %q", r.code, r.stderr)
	}
}
