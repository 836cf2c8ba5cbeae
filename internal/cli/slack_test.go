package cli_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/childproc"
	"github.com/blotterapp/blotter/internal/slack/slackfake"
)

// slackEnv points the binary at a fake Slack with its tokens from the environment.
func slackEnv(srv *slackfake.Server) []string {
	return []string{
		"BLOTTER_SLACK_BOT_TOKEN=" + slackfake.BotToken, "BLOTTER_SLACK_APP_TOKEN=" + slackfake.AppToken,
		"BLOTTER_SLACK_API_URL=" + srv.APIURL(), "DBUS_SESSION_BUS_ADDRESS=",
	}
}

func TestSlackThroughTheBinary(t *testing.T) {
	srv := slackfake.New()
	srv.ShareDelay = 0
	t.Cleanup(srv.Close)
	srv.AddUser("U0ANA", "ana", "Ana Lima")
	srv.AddUser("U0BEN", "ben", "Ben")
	env := slackEnv(srv)
	dir, _ := newIncident(t)

	// Connecting says plainly what is wrong.
	noBus := []string{"DBUS_SESSION_BUS_ADDRESS=", "BLOTTER_SLACK_API_URL=" + srv.APIURL()}
	for _, tt := range []struct {
		env   []string
		stdin string
		want  string
	}{
		{noBus, "", "BLOTTER_SLACK_BOT_TOKEN"},
		{append(noBus, "BLOTTER_SLACK_BOT_TOKEN=xoxb-wrong", "BLOTTER_SLACK_APP_TOKEN=xapp-x"), "", "invalid_auth"},
		{append(noBus, "BLOTTER_SLACK_BOT_TOKEN="+slackfake.BotToken), "", "app-level token"},
		{append(noBus, "BLOTTER_SLACK_BOT_TOKEN=not-a-token", "BLOTTER_SLACK_APP_TOKEN=xapp-x"), "", "xoxb-"},
	} {
		if r := runWith(t, tt.env, dir, "slack", "connect"); r.code == 0 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("connect %v: exit %d, %q; want a failure naming %q", tt.env, r.code, r.stderr, tt.want)
		}
	}
	// Tokens on standard input go to the keyring: where there is none, it says so and what to do.
	cmd := blotterCmd(dir, "slack", "connect", "--tokens-stdin")
	cmd.Env = append(cmd.Env, noBus...)
	cmd.Stdin = strings.NewReader(slackfake.BotToken + "\n" + slackfake.AppToken + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if runtime.GOOS == "windows" {
		// Windows always has its keyring (the Credential Manager): the tokens are kept there.
		if err != nil {
			t.Errorf("connect --tokens-stdin into the Credential Manager: %v, %q", err, stderr.String())
		}
		if r := runWith(t, noBus, dir, "slack", "disconnect"); r.code != 0 {
			t.Errorf("disconnect: exit %d, %q", r.code, r.stderr)
		}
	} else if err == nil || !strings.Contains(stderr.String(), "keyring") || !strings.Contains(stderr.String(), "BLOTTER_SLACK_BOT_TOKEN") {
		t.Errorf("connect --tokens-stdin without a keyring: %v, %q", err, stderr.String())
	}
	if r := runWith(t, env, dir, "slack", "connect"); r.code != 0 || !strings.Contains(r.stdout, "as @"+slackfake.BotName) {
		t.Fatalf("connect: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(ok(t, dir, "export", "--format", "json"), slackfake.BotToken) {
		t.Error("the token reached the record")
	}

	// Link a new channel; the record so far follows the policy (tagged by default).
	ok(t, dir, "note", "--tag", "start time", "PagerDuty fired for the SSO error rate")
	ok(t, dir, "note", "just thinking aloud")
	r := runWith(t, env, dir, "slack", "link", "--new", "--json")
	var ch struct {
		ID   string `json:"channel_id"`
		Name string `json:"channel_name"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &ch) != nil || !strings.HasPrefix(ch.Name, "inc-") {
		t.Fatalf("link --new: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if r := runWith(t, env, dir, "slack", "link", "--new"); r.code == 0 || !strings.Contains(r.stderr, "linked") {
		t.Errorf("a second link: exit %d, %q", r.code, r.stderr)
	}
	ok(t, dir, "note", "@here key AKIAIOSFODNN7EXAMPLE in <script>alert(1)</script> & more #slack")
	if r := runWith(t, env, dir, "sync", "--once"); r.code != 0 || !strings.Contains(r.stdout, "slack: ") || !strings.Contains(r.stdout, " 0 pending, 0 failed") {
		t.Fatalf("sync --once: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	posted := func() []string {
		var out []string
		for _, m := range srv.Messages(ch.ID) {
			if m.User == slackfake.BotUserID && (m.ThreadTS == "" || m.ThreadTS == m.TS) && !strings.HasPrefix(m.Text, "*Incident:") {
				out = append(out, m.Text)
			}
		}
		return out
	}
	got := posted()
	if len(got) != 2 || !strings.Contains(got[0], "PagerDuty fired") || !strings.Contains(got[0], "#Start time") {
		t.Fatalf("posted: %q", got)
	}
	for _, never := range []string{"AKIAIOSFODNN7EXAMPLE", "<script>", "@here", "just thinking"} {
		if strings.Contains(strings.Join(got, "\n"), never) {
			t.Errorf("the channel holds %q: %q", never, got)
		}
	}
	if !strings.Contains(got[1], "&lt;script&gt;") || !strings.Contains(got[1], "&amp; more") {
		t.Errorf("not escaped for mrkdwn: %q", got[1])
	}

	// Policy all; an edit updates the message, a delete removes it.
	if p := ok(t, dir, "slack", "policy", "all"); p != "all" {
		t.Fatalf("policy all printed %q", p)
	}
	if r := run(t, dir, "", "slack", "policy", "loud"); r.code == 0 || !strings.Contains(r.stderr, "all, tagged, none") {
		t.Errorf("a bad policy: exit %d, %q", r.code, r.stderr)
	}
	id := ok(t, dir, "note", "Blocked 203.0.113.7 at the edge")
	if r := runWith(t, env, dir, "sync", "--once"); r.code != 0 {
		t.Fatalf("sync: %q %q", r.stdout, r.stderr)
	}
	ok(t, dir, "edit", id, "--text", "Blocked 203.0.113.7 and .8 at the edge", "--reason", "precision")
	runWith(t, env, dir, "sync", "--once")
	if got := posted(); len(got) != 3 || !strings.Contains(got[2], "and .8") {
		t.Fatalf("after the edit: %q", got)
	}
	ok(t, dir, "rm", id, "--reason", "wrong incident")
	runWith(t, env, dir, "sync", "--once")
	if got := posted(); len(got) != 2 {
		t.Fatalf("after the delete: %q", got)
	}
	// A status update.
	if r := runWith(t, env, dir, "slack", "update", "contained; watching the edge"); r.code != 0 || !strings.Contains(r.stdout, "posted to the incident channel") {
		t.Fatalf("slack update: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if got := posted(); !strings.Contains(got[len(got)-1], "contained; watching the edge") || !strings.Contains(got[len(got)-1], "Severity critical") {
		t.Fatalf("the update: %q", got[len(got)-1])
	}

	// Import: a few hundred messages, threads and a file; twice adds nothing twice.
	for i := range 300 {
		ts := srv.Post(ch.ID, "U0ANA", fmt.Sprintf("chat %03d with <@U0BEN> and *bold* &lt;tags&gt;", i))
		if i%30 == 0 {
			for j := range 4 {
				srv.Reply(ch.ID, ts, "U0BEN", fmt.Sprintf("reply %d", j))
			}
		}
	}
	srv.PostFile(ch.ID, "U0BEN", "the dump", "../../etc/passwd", []byte("root:x:0:0\n"))
	var res struct{ Messages, Added, Updated, Skipped int }
	if r := runWith(t, env, dir, "slack", "import", "--json"); r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Added != 341 {
		t.Fatalf("import: exit %d, %+v, %q %q", r.code, res, r.stdout, r.stderr)
	}
	if r := runWith(t, env, dir, "slack", "import", "--json"); r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Added != 0 {
		t.Fatalf("second import: %+v, %q", res, r.stderr)
	}
	slackEntries := func() []blotter.Entry { return timeline(t, dir, "--kind", "slack") }
	es := slackEntries()
	if len(es) != 341 || es[0].Text != "chat 000 with @Ben and *bold* <tags>" || es[0].Author != "Ana Lima" {
		t.Fatalf("%d slack entries; first %q by %q", len(es), es[0].Text, es[0].Author)
	}
	var file *blotter.Evidence
	for _, e := range es {
		for _, ev := range e.Evidence {
			file = &ev
		}
	}
	if file == nil || file.Name != "passwd" {
		t.Fatalf("the file: %+v (a path in a name must not survive)", file)
	}
	ok(t, dir, "verify") // exits non-zero on any finding

	// Live: while `blotter sync` runs, a pinned message and the shortcut become entries.
	live := blotterCmd(dir, "sync")
	live.Env = append(live.Env, env...)
	var liveOut childproc.Output
	live.Stdout, live.Stderr = &liveOut, &liveOut
	if err := live.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stop(live)
		live.Wait()
	}()
	waitUntil(t, func() bool { return srv.OpenSockets() == 1 })
	before := len(slackEntries())
	pin := srv.Post(ch.ID, "U0BEN", "new: the attacker's second IP is 198.51.100.23")
	env1 := srv.React(ch.ID, pin, "U0ANA", "pushpin")
	if _, ok := srv.WaitAck(env1, 5*time.Second); !ok {
		t.Fatalf("the reaction was not acknowledged; sync said %q", liveOut.String())
	}
	srv.Redeliver(env1)
	cut := srv.Post(ch.ID, "U0ANA", "new: rolled back")
	srv.Shortcut(ch.ID, cut, "U0ANA", "add_to_blotter")
	waitUntil(t, func() bool { return len(slackEntries()) == before+2 })
	time.Sleep(300 * time.Millisecond) // a third (the redelivery) would land by now
	if n := len(slackEntries()); n != before+2 {
		t.Fatalf("%d entries, want %d: the redelivered envelope made a second entry", n, before+2)
	}
	if st := ok(t, dir, "slack", "status"); !strings.Contains(st, "#"+ch.Name) || !strings.Contains(st, "policy all") {
		t.Errorf("status: %q", st)
	}
	if strings.Contains(liveOut.String(), "panic") {
		t.Errorf("sync: %s", liveOut.String())
	}
}
