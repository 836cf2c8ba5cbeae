package cli_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
)

func TestGitLabSync(t *testing.T) {
	srv := gitlabfake.New(gitlabfake.Options{})
	t.Cleanup(srv.Close)
	srv.AddUser("ana", "glpat-ana")
	srv.AddUser("reader", "glpat-reader", "read_api")
	srv.AddProject("security/incidents")
	token := []string{"BLOTTER_GITLAB_TOKEN=glpat-ana"}
	dir, _ := newIncident(t)

	// Connecting says plainly what is wrong.
	for _, tt := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"--url", srv.URL(), "--project", "security/incidents"}, "BLOTTER_GITLAB_TOKEN"},
		{[]string{"BLOTTER_GITLAB_TOKEN=wrong"}, []string{"--url", srv.URL(), "--project", "security/incidents"}, "token"},
		{token, []string{"--url", srv.URL(), "--project", "security/nope"}, "project"},
	} {
		if r := runWith(t, tt.env, dir, append([]string{"gitlab", "connect"}, tt.args...)...); r.code == 0 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("connect %v: exit %d, %q; want a failure naming %q", tt.env, r.code, r.stderr, tt.want)
		}
	}
	if r := runWith(t, token, dir, "gitlab", "connect", "--url", srv.URL(), "--project", "security/incidents"); r.code != 0 || !strings.Contains(r.stdout, "as @ana") {
		t.Fatalf("connect: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(ok(t, dir, "export", "--format", "json"), "glpat-ana") {
		t.Error("the token reached the record")
	}

	ok(t, dir, "note", "--tag", "start time", "PagerDuty fired for the SSO error rate")
	// A token that may only read is refused at its first write, naming the scope it lacks.
	if r := runWith(t, []string{"BLOTTER_GITLAB_TOKEN=glpat-reader"}, dir, "gitlab", "link", "--new"); r.code == 0 || !strings.Contains(r.stderr, "api") {
		t.Errorf("link with a read_api token: exit %d, %q", r.code, r.stderr)
	}
	r := runWith(t, token, dir, "gitlab", "link", "--new", "--json")
	var gi struct {
		IID    int    `json:"iid"`
		WebURL string `json:"web_url"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &gi) != nil || gi.IID == 0 || gi.WebURL == "" {
		t.Fatalf("link --new: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	ok(t, dir, "note", "Blocked 203.0.113.7 at the edge")
	if st := ok(t, dir, "sync", "status"); !strings.Contains(st, "1 linked incidents, 3 pending, 0 failed, last synced never") {
		t.Errorf("status before the sync: %q", st)
	}
	if r := runWith(t, token, dir, "sync", "--once"); r.code != 0 || !strings.Contains(r.stdout, "3 sent, 0 pulled, 0 pending, 0 failed") {
		t.Fatalf("sync --once: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	events := func() string {
		var notes []string
		for _, e := range srv.TimelineEvents("security/incidents", gi.IID) {
			if e.Action == "comment" {
				notes = append(notes, e.Note+" tags="+strings.Join(e.Tags, ","))
			}
		}
		return strings.Join(notes, "\n")
	}
	if got := events(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "PagerDuty fired") || !strings.Contains(got, "tags=Start time") {
		t.Errorf("GitLab's timeline after the sync:\n%s", got)
	}

	// Edits, deletes, evidence, long text, secrets and quick actions, through the real binary.
	noisy := ok(t, dir, "note", "noise from the scanner")
	ok(t, dir, "edit", strings.Split(ok(t, dir, "timeline", "--json"), `"id": "`)[1][:36], "--text", "PagerDuty fired for the SSO error rate (edited)", "--reason", "precision")
	ok(t, dir, "note", "key AKIAIOSFODNN7EXAMPLE in the dropper; @all /close")
	ok(t, dir, "note", "/close this incident now")
	ok(t, dir, "note", "Long: "+strings.Repeat("the attacker moved laterally with stolen tickets; ", 10))
	evidence := filepath.Join(t.TempDir(), "edge.log")
	os.WriteFile(evidence, []byte("203.0.113.7 POST /login 401\n"), 0o644)
	ok(t, dir, "attach", evidence)
	if r := runWith(t, token, dir, "sync", "--once"); r.code != 0 {
		t.Fatalf("second sync: %q %q", r.stdout, r.stderr)
	}
	ok(t, dir, "rm", noisy, "--reason", "noise")
	if r := runWith(t, token, dir, "sync", "--once"); r.code != 0 {
		t.Fatalf("third sync: %q %q", r.stdout, r.stderr)
	}
	got := events()
	for _, want := range []string{"(edited)", "[REDACTED", "Long: the attacker", "in full in the comments", "edge.log", "SHA-256"} {
		if !strings.Contains(got, want) {
			t.Errorf("GitLab's timeline lacks %q:\n%s", want, got)
		}
	}
	for _, never := range []string{"AKIAIOSFODNN7EXAMPLE", "noise from the scanner", "\n/close", "@all"} {
		if strings.Contains(got, never) {
			t.Errorf("GitLab's timeline holds %q:\n%s", never, got)
		}
	}
	if is, _ := srv.Issue("security/incidents", gi.IID); is.State != "opened" {
		t.Error("a quick action in a note closed the GitLab incident")
	}
	if st := ok(t, dir, "sync", "status"); !strings.Contains(st, "0 pending, 0 failed, last synced 20") {
		t.Errorf("status after the sync: %q", st)
	}
	// Nothing is sent twice, nor pulled back.
	if r := runWith(t, token, dir, "sync", "--once"); r.code != 0 || !strings.Contains(r.stdout, "0 sent, 0 pulled, 0 pending") {
		t.Errorf("a second sync: exit %d, %q", r.code, r.stdout)
	}
	// A second responder joins by the issue's URL and gets the timeline; what they add reaches
	// the first responder at the next sync.
	srv.AddUser("bo", "glpat-bo")
	boToken := []string{"BLOTTER_GITLAB_TOKEN=glpat-bo"}
	bo := t.TempDir()
	if r := runWith(t, boToken, bo, "gitlab", "connect", "--url", srv.URL(), "--project", "security/incidents"); r.code != 0 {
		t.Fatalf("bo connect: %q", r.stderr)
	}
	if r := runWith(t, boToken, bo, "gitlab", "join", gi.WebURL); r.code != 0 || !strings.Contains(r.stdout, "6 timeline events pulled") {
		t.Fatalf("join: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	ok(t, bo, "note", "db02 isolated by Bo")
	if r := runWith(t, boToken, bo, "sync", "--once"); r.code != 0 {
		t.Fatalf("bo's sync: %q %q", r.stdout, r.stderr)
	}
	if r := runWith(t, token, dir, "sync", "--once"); r.code != 0 || !strings.Contains(r.stdout, "1 pulled") {
		t.Errorf("ana's sync after bo's note: %q %q", r.stdout, r.stderr)
	}
	if !strings.Contains(ok(t, dir, "timeline"), "db02 isolated by Bo") {
		t.Error("bo's note did not reach ana's timeline")
	}
	// Bo opens an issue in GitLab itself and links it to the incident: it is on Ana's board.
	handMade, err := srv.As("bo").CreateIssue("security/incidents", gitlabfake.NewIssue{Title: "Ask the registrar to lock the domain", Assignees: []string{"bo"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.As("bo").LinkIssues("security/incidents", gi.IID, "security/incidents", handMade.IID); err != nil {
		t.Fatal(err)
	}
	if r := runWith(t, token, dir, "sync", "--once"); r.code != 0 || !strings.Contains(r.stdout, "1 pulled") {
		t.Errorf("ana's sync after bo's linked issue: %q %q", r.stdout, r.stderr)
	}
	if board := ok(t, dir, "task", "list"); !strings.Contains(board, "Ask the registrar to lock the domain") || !strings.Contains(board, "bo") {
		t.Errorf("the issue bo linked in GitLab is not on ana's board:\n%s", board)
	}
	// A refused token stops sync and says so; nothing is lost.
	ok(t, dir, "note", "written while the token is refused")
	if r := runWith(t, []string{"BLOTTER_GITLAB_TOKEN=revoked"}, dir, "sync", "--once"); r.code == 0 || !strings.Contains(r.stderr, "token") {
		t.Errorf("sync with a refused token: exit %d, %q", r.code, r.stderr)
	}
	if st := ok(t, dir, "sync", "status"); !strings.Contains(st, "1 pending") {
		t.Errorf("after a refused token: %q", st)
	}
}

// TestGitLabTokenInKeyring: a token given on standard input goes to the OS keyring (Secret
// Service: gnome-keyring on a private session bus) and nowhere else; without a keyring,
// connect says so and points to the environment variable.
func TestGitLabTokenInKeyring(t *testing.T) {
	unixOnly(t, "the Secret Service keyring on a D-Bus session")
	for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon", "secret-tool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing (make deps installs gnome-keyring and libsecret-tools): %v", tool, err)
		}
	}
	srv := gitlabfake.New(gitlabfake.Options{})
	t.Cleanup(srv.Close)
	srv.AddUser("ana", "glpat-keyring-ana")
	srv.AddProject("security/incidents")
	dir := filepath.Join(t.TempDir(), "data")

	// The keyring daemon runs in the foreground of this session and is stopped with it: when it
	// daemonizes, it outlives the session and its bus.
	script := `echo -n pw | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
keyring=$!
trap 'kill $keyring' EXIT
for i in $(seq 100); do
	dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true && break
	sleep 0.05
done
printf 'glpat-keyring-ana\n' | "$BIN" --data-dir "$D" gitlab connect --url "$U" --project security/incidents --token-stdin || exit 1
"$BIN" --data-dir "$D" incident new "Keyring" >/dev/null || exit 1
"$BIN" --data-dir "$D" gitlab link --new || exit 1
"$BIN" --data-dir "$D" sync --once || exit 1
echo "keyring holds: $(secret-tool lookup service blotter)"`
	cmd := exec.Command("dbus-run-session", "--", "bash", "-c", script)
	cmd.Env = append(withoutToken(os.Environ()), "BIN="+binary, "D="+dir, "U="+srv.URL(), "BLOTTER_DATA_DIR=")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "linked to security/incidents#1") || !strings.Contains(string(out), "keyring holds: glpat-keyring-ana") {
		t.Fatalf("connect with the keyring: %v\n%s", err, out)
	}
	for _, name := range []string{"blotter.db", "blotter.db-wal"} {
		if b, _ := os.ReadFile(filepath.Join(dir, name)); bytes.Contains(b, []byte("glpat-keyring-ana")) {
			t.Errorf("the token is in %s", name)
		}
	}

	// No session bus (a dead one, or none at all: then none may be started), no keyring: said
	// plainly, nothing stored anywhere.
	for _, bus := range []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus", "DBUS_SESSION_BUS_ADDRESS="} {
		bare := blotterCmd(t.TempDir(), "gitlab", "connect", "--url", srv.URL(), "--project", "security/incidents", "--token-stdin")
		bare.Env = append(withoutToken(bare.Env), bus)
		bare.Stdin = strings.NewReader("glpat-keyring-ana\n")
		out, _ = bare.CombinedOutput()
		if code := bare.ProcessState.ExitCode(); code != 69 || !strings.Contains(string(out), "BLOTTER_GITLAB_TOKEN") || !strings.Contains(string(out), "keyring") {
			t.Errorf("connect with %s: exit %d, %s", bus, code, out)
		}
	}
}

// withoutToken drops BLOTTER_GITLAB_TOKEN from an environment.
func withoutToken(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "BLOTTER_GITLAB_TOKEN=") {
			out = append(out, kv)
		}
	}
	return out
}

// TestGitLabSyncThroughFaultsAndKill: the real binary links to an existing GitLab incident
// (pulling what it holds), then syncs through 20% injected faults and a kill -9 in the middle
// of a sync: every note arrives exactly once, none is lost.
func TestGitLabSyncThroughFaultsAndKill(t *testing.T) {
	srv := gitlabfake.New(gitlabfake.Options{})
	t.Cleanup(srv.Close)
	srv.AddUser("ana", "glpat-ana")
	srv.AddUser("bo", "glpat-bo")
	srv.AddProject("security/incidents")
	token := []string{"BLOTTER_GITLAB_TOKEN=glpat-ana"}
	existing, err := srv.As("bo").CreateIssue("security/incidents", gitlabfake.NewIssue{Title: "Opened in GitLab", IssueType: "incident"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.As("bo").CreateTimelineEvent("security/incidents", existing.IID, "Pager fired", time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	dir, _ := newIncident(t)
	if r := runWith(t, token, dir, "gitlab", "connect", "--url", srv.URL(), "--project", "security/incidents"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := runWith(t, token, dir, "gitlab", "link", fmt.Sprint(existing.IID)); r.code != 0 {
		t.Fatalf("link to an existing incident: %q", r.stderr)
	}
	if !strings.Contains(ok(t, dir, "timeline"), "Pager fired") {
		t.Fatal("linking did not pull what the GitLab incident held")
	}

	const n = 30
	var lines strings.Builder
	for i := range n {
		fmt.Fprintf(&lines, "note %02d\n", i)
	}
	run(t, dir, lines.String(), "note", "--stdin")

	// A sync killed while GitLab answers slowly, then one through random faults.
	srv.Fail(gitlabfake.OnWrites(), gitlabfake.Delay(150*time.Millisecond).AfterCommit().Times(10))
	cmd := blotterCmd(dir, "sync")
	cmd.Env = append(cmd.Env, token...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	cmd.Process.Kill() // kill -9: no chance to tidy up
	cmd.Wait()
	if got := len(srv.TimelineEvents("security/incidents", existing.IID)); got < 2 || got > n {
		t.Fatalf("%d events when sync was killed: the kill did not land in the middle of it", got)
	}
	srv.ClearFaults()
	srv.SetChaos(gitlabfake.Chaos{Seed: 11, Rate: 0.2})
	if r := runWith(t, token, dir, "sync", "--once", "--wait", "5m"); r.code != 0 {
		t.Fatalf("sync after the kill, through faults: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	srv.StopChaos()
	counts := map[string]int{}
	for _, e := range srv.TimelineEvents("security/incidents", existing.IID) {
		counts[e.Note]++
	}
	for i := range n {
		found := 0
		for note, c := range counts {
			if strings.Contains(note, fmt.Sprintf("note %02d", i)) {
				found += c
			}
		}
		if found != 1 {
			t.Errorf("note %02d is in GitLab %d times", i, found)
		}
	}
	if st := ok(t, dir, "sync", "status"); !strings.Contains(st, "0 pending, 0 failed") {
		t.Errorf("status: %q", st)
	}
}

func TestGitLabStatus(t *testing.T) {
	srv := gitlabfake.New(gitlabfake.Options{})
	t.Cleanup(srv.Close)
	srv.AddUser("ana", "glpat-ana")
	srv.AddProject("security/incidents")
	dir, _ := newIncident(t)
	if out := ok(t, dir, "gitlab", "status"); !strings.Contains(out, "local only") {
		t.Errorf("status before connecting: %q", out)
	}
	token := []string{"BLOTTER_GITLAB_TOKEN=glpat-ana"}
	runWith(t, token, dir, "gitlab", "connect", "--url", srv.URL(), "--project", "security/incidents")
	ok(t, dir, "gitlab", "comments", "on")
	r := runWith(t, token, dir, "gitlab", "status", "--json")
	var st struct {
		URL       string `json:"url"`
		Project   string `json:"project"`
		TokenFrom string `json:"token_from"`
		Comments  bool   `json:"comments_pulled"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &st) != nil || st.Project != "security/incidents" || st.TokenFrom != "environment" || !st.Comments {
		t.Errorf("status --json: %q %+v", r.stdout, st)
	}
	if strings.Contains(r.stdout, "glpat-ana") {
		t.Error("status prints the token")
	}
}

// TestGitLabLabelsAndDisconnect: the column label prefix is the team's choice and task issues
// carry it; disconnecting forgets the connection (the record stays, local only).
func TestGitLabLabelsAndDisconnect(t *testing.T) {
	srv := gitlabfake.New(gitlabfake.Options{})
	t.Cleanup(srv.Close)
	srv.AddUser("ana", "glpat-ana")
	srv.AddProject("security/incidents")
	token := []string{"BLOTTER_GITLAB_TOKEN=glpat-ana"}
	dir, _ := newIncident(t)
	if r := run(t, dir, "", "gitlab", "labels", "ops team"); r.code != 65 || !strings.Contains(r.stderr, "letters, digits") {
		t.Errorf("a prefix with a space: exit %d, %q", r.code, r.stderr)
	}
	ok(t, dir, "gitlab", "labels", "ops")
	runWith(t, token, dir, "gitlab", "connect", "--url", srv.URL(), "--project", "security/incidents")
	runWith(t, token, dir, "gitlab", "link", "--new")
	ok(t, dir, "task", "add", "Rotate the keys")
	if r := runWith(t, token, dir, "sync", "--once"); r.code != 0 {
		t.Fatalf("sync: %q %q", r.stdout, r.stderr)
	}
	var labels []string
	for _, is := range srv.Issues("security/incidents") {
		if is.Title == "Rotate the keys" {
			labels = is.Labels
		}
	}
	if strings.Join(labels, ",") != "ops::todo" {
		t.Errorf("task issue labels = %v, want ops::todo", labels)
	}
	if r := runWith(t, token, dir, "gitlab", "disconnect"); r.code != 0 {
		t.Fatalf("disconnect: %q", r.stderr)
	}
	if out := ok(t, dir, "gitlab", "status"); !strings.Contains(out, "not connected") {
		t.Errorf("status after disconnect: %q", out)
	}
	if r := runWith(t, token, dir, "sync", "--once"); r.code != 69 || !strings.Contains(r.stderr, "not connected") {
		t.Errorf("sync after disconnect: exit %d, %q", r.code, r.stderr)
	}
	if !strings.Contains(ok(t, dir, "timeline", "--kind", "task"), "Rotate the keys") {
		t.Error("the record did not stay")
	}
}
