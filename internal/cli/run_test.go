//go:build unix

package cli_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/childproc"
)

// lastRun is the newest command entry of the active incident.
func lastRun(t *testing.T, dataDir string) blotter.Entry {
	t.Helper()
	runs := timeline(t, dataDir, "--kind", "command")
	if len(runs) == 0 {
		t.Fatal("no command entry on the timeline")
	}
	return runs[len(runs)-1]
}

// output reads the run's output file from the vault, after checking that it is the only
// evidence of the entry.
func output(t *testing.T, dataDir string, e blotter.Entry) []byte {
	t.Helper()
	if len(e.Evidence) != 1 {
		t.Fatalf("evidence = %+v, want the output file", e.Evidence)
	}
	sha := e.Evidence[0].SHA256
	b, err := os.ReadFile(filepath.Join(dataDir, "vault", sha[:2], sha))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func TestRunExitStatus(t *testing.T) {
	dir, incID := newIncident(t)
	script := filepath.Join(t.TempDir(), "not-executable.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho never\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		text   string // what the entry's text starts with
		stderr string
	}{
		{"success", []string{"true"}, 0, "Ran ` true ` in ", "blotter: recorded as entry "},
		{"an exit status", []string{"sh", "-c", "exit 3"}, 3, "Ran ` sh -c 'exit 3' ` in ", ""},
		{"killed by a signal", []string{"sh", "-c", "kill -KILL $$"}, 137, "Ran ` sh -c 'kill -KILL $$' ` in ", ""},
		{"no such command", []string{"blotter-no-such-command", "--flag"}, 127, "Could not run ` blotter-no-such-command --flag ` in ",
			"blotter: cannot run blotter-no-such-command: not found in $PATH\n"},
		{"not executable", []string{script}, 126, "Could not run ` " + script + " ` in ",
			"blotter: cannot run " + script + ": permission denied: not an executable file\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, dir, "", append([]string{"run", "--"}, tc.args...)...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tc.code, tc.stderr)
			}
			e := lastRun(t, dir)
			if e.IncidentID != incID || e.Kind != blotter.KindCommand || !strings.HasPrefix(e.Text, tc.text) {
				t.Fatalf("entry = %+v\nwant text starting %q", e, tc.text)
			}
			// The entry says how it ended, in the words a responder would look for.
			want := map[int]string{0: ": exit 0 after ", 3: ": exit 3 after ", 137: ": ended by SIGKILL after ", 127: "not found in $PATH (exit 127).",
				126: "permission denied: not an executable file (exit 126)."}[tc.code]
			if !strings.Contains(e.Text, want) || !strings.Contains(r.stderr, e.ID) {
				t.Errorf("text %q lacks %q, or stderr %q its id", e.Text, want, r.stderr)
			}
		})
	}
	if runs := timeline(t, dir, "--kind", "command"); len(runs) != 5 {
		t.Errorf("%d command entries, want one per run, started or not", len(runs))
	}
	if out := ok(t, dir, "verify"); !strings.Contains(out, "verified") {
		t.Errorf("verify: %s", out)
	}
}

func TestRunOutput(t *testing.T) {
	dir, _ := newIncident(t)

	t.Run("stdout and stderr reach the terminal and the file, each in order", func(t *testing.T) {
		r := run(t, dir, "", "run", "--", "sh", "-c", `i=1; while [ $i -le 50 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done`)
		var wantOut, wantErr strings.Builder
		for i := 1; i <= 50; i++ {
			fmt.Fprintf(&wantOut, "out%d\n", i)
			fmt.Fprintf(&wantErr, "err%d\n", i)
		}
		if r.code != 0 || r.stdout != wantOut.String() || !strings.HasPrefix(r.stderr, wantErr.String()+"blotter: recorded as entry ") {
			t.Fatalf("exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
		}
		file := string(output(t, dir, lastRun(t, dir)))
		var outs, errs strings.Builder
		for _, line := range strings.SplitAfter(file, "\n") {
			if strings.HasPrefix(line, "out") {
				outs.WriteString(line)
			} else if strings.HasPrefix(line, "err") {
				errs.WriteString(line)
			}
		}
		if len(file) != wantOut.Len()+wantErr.Len() || outs.String() != wantOut.String() || errs.String() != wantErr.String() {
			t.Errorf("the output file does not hold both streams, each in its order:\n%s", file)
		}
	})

	t.Run("megabytes of text: the first and last lines", func(t *testing.T) {
		r := run(t, dir, "", "run", "--", "seq", "1", "200000")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "1\n2\n3\n") || !strings.HasSuffix(r.stdout, "\n199999\n200000\n") {
			t.Fatalf("exit %d, %d bytes out, stderr %q", r.code, len(r.stdout), r.stderr)
		}
		e := lastRun(t, dir)
		if got := output(t, dir, e); e.Evidence[0].SHA256 != sha([]byte(r.stdout)) || sha(got) != e.Evidence[0].SHA256 {
			t.Errorf("the evidence (%d bytes, %s) is not what the terminal saw (%d bytes)", len(got), e.Evidence[0].SHA256, len(r.stdout))
		}
		for _, want := range []string{fmt.Sprintf("Output (%d bytes, 200000 lines; kept whole in run-seq-", len(r.stdout)), "```\n1\n2\n3\n", "\n199999\n200000\n```"} {
			if !strings.Contains(e.Text, want) {
				t.Errorf("text lacks %q:\n%s", want, e.Text)
			}
		}
		if len(e.Text) > 4<<10 {
			t.Errorf("the entry holds %d bytes of text: not an excerpt", len(e.Text))
		}
	})

	t.Run("binary output", func(t *testing.T) {
		r := run(t, dir, "", "run", "--", "head", "-c", "5000000", "/dev/urandom")
		if r.code != 0 || len(r.stdout) != 5000000 {
			t.Fatalf("exit %d, %d bytes out, stderr %q", r.code, len(r.stdout), r.stderr)
		}
		e := lastRun(t, dir)
		if !strings.HasSuffix(e.Text, "Output: (binary output, 5000000 bytes), kept whole in "+e.Evidence[0].Name+".") {
			t.Errorf("text = %q", e.Text)
		}
		if got := output(t, dir, e); e.Evidence[0].SHA256 != sha([]byte(r.stdout)) || sha(got) != e.Evidence[0].SHA256 {
			t.Errorf("the evidence (%d bytes) is not what the terminal saw", len(got))
		}
	})

	t.Run("stdin passes through", func(t *testing.T) {
		r := run(t, dir, "abc", "run", "--", "cat")
		if r.code != 0 || r.stdout != "abc" {
			t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
		if got := output(t, dir, lastRun(t, dir)); string(got) != "abc" {
			t.Errorf("the output file holds %q", got)
		}
	})

	t.Run("no output, no file", func(t *testing.T) {
		if r := run(t, dir, "", "run", "--", "true"); r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if e := lastRun(t, dir); len(e.Evidence) != 0 || !strings.HasSuffix(e.Text, "\n\nNo output.") {
			t.Errorf("entry = %+v", e)
		}
	})
	if out := ok(t, dir, "verify"); !strings.Contains(out, "verified") {
		t.Errorf("verify: %s", out)
	}
}

func TestRunNoteTagsAndSecrets(t *testing.T) {
	dir, _ := newIncident(t)
	r := run(t, dir, "", "run", "--note", "rolled back #runbook", "--tag", "deploy", "--",
		"echo", "--password=hunter2hunter2", "AKIAIOSFODNN7EXAMPLE")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	e := lastRun(t, dir)
	if strings.Join(e.Tags, ",") != "deploy,runbook" || !strings.Contains(e.Text, "\nrolled back #runbook\n") {
		t.Errorf("tags %v, text %q", e.Tags, e.Text)
	}
	if got := timeline(t, dir, "--tag", "runbook"); len(got) != 1 || got[0].ID != e.ID {
		t.Errorf("timeline --tag runbook = %v", got)
	}
	// Every occurrence, in the command line and in the output, is marked.
	marked := map[string]int{}
	for _, s := range e.Secrets {
		marked[s.Kind+"="+e.Text[s.Start:s.End]]++
	}
	if marked["password=hunter2hunter2"] != 2 || marked["aws-access-key=AKIAIOSFODNN7EXAMPLE"] != 2 || len(e.Secrets) != 4 {
		t.Errorf("secrets = %v in\n%s", marked, e.Text)
	}
	if first := e.Secrets[0]; first.Start > strings.Index(e.Text, "\n") {
		t.Errorf("the command line's secret is not marked: %+v", e.Secrets)
	}
	md := ok(t, dir, "export", "--format", "md")
	if strings.Contains(md, "hunter2hunter2") || strings.Contains(md, "AKIAIOSFODNN7EXAMPLE") {
		t.Errorf("the Markdown export shows a secret of the command line")
	}
}

// startRun starts blotter running script under sh in a process group of its own, so that
// only what blotter passes on reaches the command (a terminal's Ctrl+C would reach both), and
// returns once the script has printed its pid (its first line, with echo $$), which it does
// when it is ready for the signal.
func startRun(t *testing.T, dir, script string) (cmd *exec.Cmd, pid int, rest *bufio.Reader, stderr *childproc.Output) {
	t.Helper()
	cmd = blotterCmd(dir, "run", "--", "sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr = &childproc.Output{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	rest = bufio.NewReader(stdout)
	line, err := rest.ReadString('\n')
	if err != nil {
		t.Fatalf("reading the command's pid: %v (stderr %s)", err, stderr)
	}
	if pid, err = strconv.Atoi(strings.TrimSpace(line)); err != nil {
		t.Fatal(err)
	}
	return cmd, pid, rest, stderr
}

func exitStatus(t *testing.T, err error) int {
	t.Helper()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	} else if exit != nil {
		return exit.ExitCode()
	}
	return 0
}

func TestRunInterrupted(t *testing.T) {
	dir, _ := newIncident(t)
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
		name string
	}{{syscall.SIGTERM, 143, "SIGTERM"}, {syscall.SIGINT, 130, "SIGINT"}} {
		t.Run(tc.name, func(t *testing.T) {
			cmd, pid, rest, stderr := startRun(t, dir, "echo $$; exec sleep 30")
			started := time.Now()
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, rest)
			if code := exitStatus(t, cmd.Wait()); code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, stderr)
			}
			if took := time.Since(started); took > 10*time.Second {
				t.Errorf("blotter took %v to end after %s: the command did not get it", took, tc.name)
			}
			if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
				t.Errorf("the command (pid %d) is still there: %v", pid, err)
			}
			e := lastRun(t, dir)
			for _, want := range []string{"Ran ` sh -c 'echo $$; exec sleep 30' ` in ", ": ended by " + tc.name + " after ",
				fmt.Sprintf("(exit %d). Interrupted: Blotter received %s while it ran.", tc.code, tc.name), fmt.Sprintf("```\n%d\n```", pid)} {
				if !strings.Contains(e.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, e.Text)
				}
			}
			if !strings.Contains(stderr.String(), "blotter: interrupted ("+tc.name+"): passed on to the command; the run is recorded as entry "+e.ID) {
				t.Errorf("stderr = %s", stderr)
			}
		})
	}

	t.Run("a command that ignores it", func(t *testing.T) {
		// It finishes its work and exits 0; blotter was told to stop, and says so.
		cmd, _, rest, stderr := startRun(t, dir, "trap '' TERM; echo $$; sleep 0.3; echo done")
		cmd.Process.Signal(syscall.SIGTERM)
		io.Copy(io.Discard, rest)
		if code := exitStatus(t, cmd.Wait()); code != 143 {
			t.Fatalf("exit %d, want 143; stderr %s", code, stderr)
		}
		if e := lastRun(t, dir); !strings.Contains(e.Text, ": exit 0 after ") || !strings.Contains(e.Text, "Interrupted: Blotter received SIGTERM") ||
			!strings.Contains(e.Text, "\ndone\n```") {
			t.Errorf("text = %s", e.Text)
		}
	})
}

func TestRunReaderGone(t *testing.T) {
	dir, _ := newIncident(t)
	// `blotter run -- yes | head -1`: when the reader goes, the command gets SIGPIPE as it
	// would without blotter, instead of running forever; and blotter records it, alive.
	cmd := blotterCmd(dir, "run", "--", "yes")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "y\n" {
		t.Fatalf("read %q, %v", line, err)
	}
	stdout.Close()
	if code := exitStatus(t, cmd.Wait()); code != 141 {
		t.Fatalf("exit %d, want 141 (128+SIGPIPE); stderr %s", code, stderr.String())
	}
	if e := lastRun(t, dir); !strings.Contains(e.Text, ": ended by SIGPIPE after ") || len(e.Evidence) != 1 {
		t.Errorf("entry = %+v", e)
	}
}

func TestRunLeftBehind(t *testing.T) {
	dir, _ := newIncident(t)
	// A process left in the background holds the output open: blotter does not wait for it.
	started := time.Now()
	r := run(t, dir, "", "run", "--", "sh", "-c", "sleep 5 & echo started")
	if took := time.Since(started); r.code != 0 || r.stdout != "started\n" || took > 4500*time.Millisecond {
		t.Fatalf("exit %d after %v, stdout %q, stderr %q", r.code, took, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "a process it started still holds its output") {
		t.Errorf("stderr = %q", r.stderr)
	}
	if e := lastRun(t, dir); !strings.Contains(e.Text, "```\nstarted\n```") {
		t.Errorf("text = %s", e.Text)
	}
}

func TestRunUsage(t *testing.T) {
	dir, _ := newIncident(t)
	if r := run(t, dir, "", "run"); r.code != 64 {
		t.Errorf("run without a command: exit %d, want 64", r.code)
	}
	help := ok(t, dir, "run", "--help")
	if !strings.Contains(help, "blotter run -- sh -c '") {
		t.Errorf("the help does not say how to run a pipeline:\n%s", help)
	}
	// Nothing runs when the run could not be recorded.
	marker := filepath.Join(t.TempDir(), "ran")
	if r := run(t, filepath.Join(t.TempDir(), "empty"), "", "run", "--", "touch", marker); r.code != 66 {
		t.Errorf("no incident: exit %d, want 66: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the command ran without an incident to record it on")
	}
	// The command's flags are its own, -- or not.
	if r := run(t, dir, "", "run", "echo", "--note", "x"); r.code != 0 || r.stdout != "--note x\n" {
		t.Errorf("exit %d, stdout %q", r.code, r.stdout)
	}
}
