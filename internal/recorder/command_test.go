package recorder_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
)

// recordRun records a run of args whose output is written in chunks of chunk bytes (the whole
// at once if chunk is 0), as a command's pipes would deliver it.
func recordRun(t *testing.T, rec *recorder.Recorder, run recorder.CommandRun, output []byte, chunk int, end recorder.CommandEnd) *blotter.Entry {
	t.Helper()
	c, err := rec.StartCommand(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	if chunk == 0 {
		chunk = max(1, len(output))
	}
	for len(output) > 0 {
		n := min(chunk, len(output))
		if k, err := c.Write(output[:n]); k != n || err != nil {
			t.Fatalf("Write = %d, %v", k, err)
		}
		output = output[n:]
	}
	e, err := c.Finish(end)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// stored reads the evidence file the vault holds under sha.
func stored(t *testing.T, rec *recorder.Recorder, sha string) []byte {
	t.Helper()
	path, err := rec.EvidencePath(sha)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRecordCommand(t *testing.T) {
	rec, inc := withIncident(t)
	ctx := context.Background()
	out := []byte("rolled back to v41\nwarning: 2 pods pending\n")
	run := recorder.CommandRun{Args: []string{"kubectl", "rollout", "undo", "deploy/api", "--to-revision=41"}, Dir: "/srv/ops",
		Start: now.Add(-time.Minute), Note: "rolled back #runbook", Tags: []string{"deploy"}}
	e := recordRun(t, rec, run, out, 7, recorder.CommandEnd{Duration: 1500 * time.Millisecond, ExitCode: 0})

	if e.Kind != blotter.KindCommand || e.IncidentID != inc.ID || !e.OccurredAt.Equal(run.Start) || e.Author != "Ana" {
		t.Errorf("entry = %+v", e)
	}
	if got := strings.Join(e.Tags, ","); got != "deploy,runbook" {
		t.Errorf("tags = %q, want the explicit tag, then the note's #words", got)
	}
	for _, want := range []string{
		"Ran ` kubectl rollout undo deploy/api --to-revision=41 ` in ` /srv/ops `: exit 0 after 1.5s.",
		"\nrolled back #runbook\n",
		"Output (43 bytes, 2 lines; kept whole in run-kubectl-20261122-145900.log):\n```\nrolled back to v41\nwarning: 2 pods pending\n```",
	} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, e.Text)
		}
	}
	if len(e.Evidence) != 1 {
		t.Fatalf("evidence = %+v, want the output", e.Evidence)
	}
	ev := e.Evidence[0]
	sum := sha256.Sum256(out)
	if ev.SHA256 != hex.EncodeToString(sum[:]) || ev.Size != int64(len(out)) || ev.Name != "run-kubectl-20261122-145900.log" {
		t.Errorf("evidence = %+v", ev)
	}
	if got := stored(t, rec, ev.SHA256); !bytes.Equal(got, out) {
		t.Errorf("the vault holds %q", got)
	}
	got, err := rec.Timeline(ctx, blotter.EntryFilter{IncidentID: inc.ID, Kinds: []blotter.Kind{blotter.KindCommand}})
	if err != nil || len(got) != 1 || got[0].ID != e.ID {
		t.Fatalf("timeline --kind command = %v, %v", got, err)
	}
	mustVerify(t, rec)
}

func TestRecordCommandEndings(t *testing.T) {
	rec, _ := withIncident(t)
	run := recorder.CommandRun{Args: []string{"sleep", "30"}, Dir: "/tmp", Start: now}
	for _, tc := range []struct {
		name string
		end  recorder.CommandEnd
		want string
	}{
		{"exit status", recorder.CommandEnd{Duration: 20 * time.Millisecond, ExitCode: 3},
			"Ran ` sleep 30 ` in ` /tmp `: exit 3 after 20ms.\n\nNo output."},
		{"a signal", recorder.CommandEnd{Duration: time.Second, ExitCode: 137, Signal: "SIGKILL"},
			"Ran ` sleep 30 ` in ` /tmp `: ended by SIGKILL after 1s (exit 137).\n\nNo output."},
		{"interrupted", recorder.CommandEnd{Duration: 2 * time.Second, ExitCode: 143, Signal: "SIGTERM", Interrupted: "SIGTERM"},
			"Ran ` sleep 30 ` in ` /tmp `: ended by SIGTERM after 2s (exit 143). Interrupted: Blotter received SIGTERM while it ran.\n\nNo output."},
		{"not started", recorder.CommandEnd{ExitCode: 127, StartError: "not found in $PATH"},
			"Could not run ` sleep 30 ` in ` /tmp `: not found in $PATH (exit 127)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := recordRun(t, rec, run, nil, 0, tc.end)
			if e.Text != tc.want || len(e.Evidence) != 0 {
				t.Errorf("text = %q, evidence %v\nwant %q and none (nothing was written)", e.Text, e.Evidence, tc.want)
			}
		})
	}
	mustVerify(t, rec)
}

func TestRecordCommandExcerpt(t *testing.T) {
	rec, _ := withIncident(t)
	run := recorder.CommandRun{Args: []string{"seq", "1", "200000"}, Dir: "/tmp", Start: now}
	var seq bytes.Buffer
	for i := 1; i <= 200000; i++ {
		fmt.Fprintf(&seq, "%d\n", i)
	}
	lines := func(from, to int) string {
		var b strings.Builder
		for i := from; i <= to; i++ {
			fmt.Fprintf(&b, "%d\n", i)
		}
		return b.String()
	}

	t.Run("long text: the first and last lines", func(t *testing.T) {
		e := recordRun(t, rec, run, seq.Bytes(), 4093, recorder.CommandEnd{})
		hidden := seq.Len() - len(lines(1, 20)) - len(lines(199981, 200000))
		want := fmt.Sprintf("Output (%d bytes, 200000 lines; kept whole in run-seq-20261122-150000.log):\n```\n%s```\n… %d bytes not shown …\n```\n%s```\n",
			seq.Len(), lines(1, 20), hidden, lines(199981, 200000))
		if !strings.HasSuffix(e.Text, want) {
			t.Errorf("text =\n%s\nwant it to end with\n%s", e.Text, want)
		}
		if len(e.Text) > 4<<10 {
			t.Errorf("the entry's text is %d bytes: not an excerpt", len(e.Text))
		}
		if got := stored(t, rec, e.Evidence[0].SHA256); !bytes.Equal(got, seq.Bytes()) {
			t.Errorf("the vault holds %d bytes, not the output", len(got))
		}
	})
	t.Run("a few lines: whole", func(t *testing.T) {
		e := recordRun(t, rec, run, []byte(lines(1, 40)), 3, recorder.CommandEnd{})
		if !strings.HasSuffix(e.Text, "```\n"+lines(1, 40)+"```\n") {
			t.Errorf("text =\n%s", e.Text)
		}
	})
	t.Run("short but many lines", func(t *testing.T) {
		e := recordRun(t, rec, run, []byte(lines(1, 41)), 0, recorder.CommandEnd{})
		if !strings.HasSuffix(e.Text, "```\n"+lines(1, 20)+"```\n… 3 bytes not shown …\n```\n"+lines(22, 41)+"```\n") {
			t.Errorf("text =\n%s", e.Text)
		}
	})
	t.Run("one long line without a newline", func(t *testing.T) {
		long := strings.Repeat("é", 5000) // 10,000 bytes of two-byte characters
		e := recordRun(t, rec, run, []byte(long), 1001, recorder.CommandEnd{})
		if !strings.Contains(e.Text, "(10000 bytes, 1 line;") || !utf8Valid(e.Text) {
			t.Errorf("text =\n%s", e.Text)
		}
		if !strings.Contains(e.Text, "```\n"+strings.Repeat("é", 1024)+"\n```\n… 5904 bytes not shown …\n```\n"+strings.Repeat("é", 1024)+"\n```") {
			t.Errorf("the excerpt is not the line's start and end in whole characters:\n%s", e.Text)
		}
	})
	t.Run("characters cut between writes are text", func(t *testing.T) {
		e := recordRun(t, rec, run, []byte("naïve café ✓ 🚀 done\n"), 1, recorder.CommandEnd{})
		if !strings.Contains(e.Text, "```\nnaïve café ✓ 🚀 done\n```") {
			t.Errorf("text =\n%s", e.Text)
		}
	})
	t.Run("backticks in the output", func(t *testing.T) {
		e := recordRun(t, rec, run, []byte("```\nfenced\n```\n"), 0, recorder.CommandEnd{})
		if !strings.Contains(e.Text, "````\n```\nfenced\n```\n````") {
			t.Errorf("the fence is not longer than the output's:\n%s", e.Text)
		}
	})
	for _, tc := range []struct{ name, output string }{
		{"bytes that are not UTF-8", "ok\n\xff\xfe\n"},
		{"a NUL", "ok\x00\n"},
		{"a character cut off at the end", "ok \xe2\x9c"},
		{"a bad continuation across writes", "ok \xe2\x28\xa1"},
	} {
		t.Run("binary: "+tc.name, func(t *testing.T) {
			e := recordRun(t, rec, run, []byte(tc.output), 1, recorder.CommandEnd{})
			want := fmt.Sprintf("Output: (binary output, %d bytes), kept whole in run-seq-20261122-150000.log.", len(tc.output))
			if !strings.HasSuffix(e.Text, want) {
				t.Errorf("text = %q, want it to end %q", e.Text, want)
			}
			if got := stored(t, rec, e.Evidence[0].SHA256); string(got) != tc.output {
				t.Errorf("the vault holds %q", got)
			}
		})
	}
	mustVerify(t, rec)
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestRecordCommandMarksSecrets(t *testing.T) {
	rec, _ := withIncident(t)
	run := recorder.CommandRun{Args: []string{"curl", "--password=hunter2hunter2", "-H", "X-Key: AKIAIOSFODNN7EXAMPLE"}, Dir: "/tmp", Start: now}
	e := recordRun(t, rec, run, []byte("ok\n"), 0, recorder.CommandEnd{})
	var found []string
	for _, s := range e.Secrets {
		found = append(found, s.Kind+"="+e.Text[s.Start:s.End])
	}
	if got := strings.Join(found, " "); got != "password=hunter2hunter2 aws-access-key=AKIAIOSFODNN7EXAMPLE" {
		t.Errorf("secrets marked: %q in\n%s", got, e.Text)
	}
}

func TestStartCommandRefusesBeforeTheRun(t *testing.T) {
	ctx := context.Background()
	rec := mustOpen(t, filepath.Join(t.TempDir(), "data"))
	run := recorder.CommandRun{Args: []string{"true"}, Dir: "/tmp"}
	if _, err := rec.StartCommand(ctx, run); blotter.ErrorCode(err) != blotter.ENOTFOUND {
		t.Errorf("no incident: %v, want ENOTFOUND", err)
	}
	if _, err := rec.CreateIncident(ctx, "Credential stuffing", ""); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]recorder.CommandRun{
		"no command":        {Dir: "/tmp"},
		"a NUL in the note": {Args: []string{"true"}, Note: "a\x00b"},
		"a bad tag":         {Args: []string{"true"}, Tags: []string{strings.Repeat("t", blotter.MaxTagBytes+1)}},
		"a huge note":       {Args: []string{"true"}, Note: strings.Repeat("x", blotter.MaxTextBytes-100)},
	} {
		if _, err := rec.StartCommand(ctx, bad); blotter.ErrorCode(err) != blotter.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
}

func TestRefusedCommandLeavesNothing(t *testing.T) {
	rec, inc := withIncident(t)
	// The store refuses an entry dated 1960, after the vault took the output: the output's file
	// must not stay behind.
	c, err := rec.StartCommand(context.Background(), recorder.CommandRun{Args: []string{"date"}, Dir: "/tmp", Start: time.Unix(0, 0).AddDate(-10, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("Thu Jan  1 00:00:00 UTC 1960\n"))
	if _, err := c.Finish(recorder.CommandEnd{}); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Fatalf("a run dated 1960: %v, want EINVALID", err)
	}
	n := 0
	filepath.WalkDir(filepath.Join(rec.Dir(), "vault"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	if n != 0 {
		t.Errorf("%d files left in the vault by a refused run", n)
	}
	if got, _ := rec.Timeline(context.Background(), blotter.EntryFilter{IncidentID: inc.ID}); len(got) != 0 {
		t.Errorf("timeline = %v", got)
	}
	mustVerify(t, rec)
}

func TestCommandOutputTheVaultCannotKeep(t *testing.T) {
	rec, _ := withIncident(t)
	// A file where the vault writes its temporary copies: every ingest fails, whoever runs it.
	tmp := filepath.Join(rec.Dir(), "vault", "tmp")
	if err := os.RemoveAll(tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := rec.StartCommand(context.Background(), recorder.CommandRun{Args: []string{"echo", "hi"}, Dir: "/tmp", Start: now})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if n, err := c.Write([]byte("hi\n")); n != 3 || err != nil {
			t.Fatalf("Write = %d, %v: a failing vault must not stop the command", n, err)
		}
	}
	e, err := c.Finish(recorder.CommandEnd{})
	if err != nil {
		t.Fatal(err)
	}
	if c.OutputError() == nil || len(e.Evidence) != 0 || !strings.Contains(e.Text, "Output: 9 bytes, NOT kept: cannot write to the vault") ||
		!strings.Contains(e.Text, "```\nhi\nhi\nhi\n```") {
		t.Errorf("output error %v, entry %+v", c.OutputError(), e)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "''",
		"deploy/api":       "deploy/api",
		"--to-revision=41": "--to-revision=41",
		"two words":        "'two words'",
		"it's":             `'it'\''s'`,
		"*.log":            "'*.log'",
		"$HOME":            "'$HOME'",
		"café":             "'café'",
		"a\nb":             `$'a\nb'`,
		"\x1b[31m":         `$'\x1b[31m'`,
		"bad\xffbyte":      `$'bad\xffbyte'`,
		"rtl\u202eexe":     `$'rtl\u202eexe'`,
		"it's\tme":         `$'it\'s\tme'`,
	} {
		if got := recorder.ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
