package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/textsafe"
)

// Exit codes of a command that could not be started, as shells report them.
const (
	ExitCannotRun = 126 // found, but not something that can be run
	ExitNoCommand = 127 // no such command
)

// outputGrace is how long run waits, after the command has exited, for the rest of its output:
// a process it left running in the background (`sh -c 'daemon &'`) may hold its output open
// for good, and run must not wait for that.
const outputGrace = 2 * time.Second

func (r *runner) runCmd() *cobra.Command {
	var (
		note string
		tags []string
	)
	cmd := &cobra.Command{
		Use:   "run [--note TEXT] [--tag TAG]... -- COMMAND [ARGS...]",
		Short: "Run a command and record it: command line, exit status and output",
		Long: `Run COMMAND with ARGS as a shell runs a program, found on $PATH, but with no shell in between:
pipes, redirections, globs and variables are not read. For those, run a shell:
blotter run -- sh -c 'grep denied app.log | wc -l'.

The command reads this terminal's input; its output and errors reach the terminal as they are
written; blotter exits with its exit status (128+n when signal n ended it, 127 or 126 when it
could not be started, as shells report it).

One entry of kind command records the run on the incident: the command line, the folder, when
it started, how long it took, how it ended, the --note (its #words become tags, as a note's
do: #runbook marks a runbook step), and the first and last lines of the output. The whole
output, stdout and stderr in the order they were written, is kept in the evidence vault as
one file with its SHA-256. A command that cannot be started is recorded too.

Ctrl+C or SIGTERM reaches the command; blotter waits for it to end, records the run with what
it wrote, and exits 130 (143 for SIGTERM). Flags of blotter go before the command: everything
after it is the command's.`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return r.runCommand(cmd.Context(), a, note, tags)
		},
	}
	// Everything after the command's name is the command's, "--" or not: `blotter run ls -l`.
	cmd.Flags().SetInterspersed(false)
	cmd.Flags().StringVar(&note, "note", "", "what the run is for; its #words become tags")
	cmd.Flags().StringArrayVar(&tags, "tag", nil, "a tag (repeatable)")
	return cmd
}

// runCommand runs argv, passing its input, output and exit status through, and records it.
func (r *runner) runCommand(ctx context.Context, argv []string, note string, tags []string) error {
	rec, inc, err := r.target(ctx)
	if err != nil {
		return err
	}
	dir, err := os.Getwd()
	if err != nil {
		dir = "(unknown: " + err.Error() + ")"
	}
	// Watched from before the start, so that no signal falls between the start and the watch.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)
	// Without a handler for SIGPIPE, Go ends the whole process when the terminal's side of
	// stdout is closed (`blotter run -- seq 1 1e9 | head`), and nothing would be recorded.
	// Handled, the write fails instead, and the command gets SIGPIPE as it would in the pipe.
	// (A handled signal, unlike an ignored one, is reset to its default in the child.)
	pipes := make(chan os.Signal, 1)
	signal.Notify(pipes, syscall.SIGPIPE)
	defer signal.Stop(pipes)
	if err := ctx.Err(); err != nil {
		return err // interrupted before anything ran
	}

	// The recording lives on after an interruption cancels ctx: an interrupted run is recorded.
	recording, err := rec.StartCommand(context.WithoutCancel(ctx), recorder.CommandRun{
		IncidentID: inc.ID, Args: argv, Dir: dir, Start: r.env.Now(), Note: note, Tags: tags})
	if err != nil {
		return err
	}
	// One lock for both streams: each write reaches the terminal and the vault together, so
	// the file holds the output in the order the terminal showed it.
	var mu sync.Mutex
	c := exec.Command(argv[0], argv[1:]...)
	c.Stdin = r.env.Stdin // the terminal's own file when it is one: no copy in between
	c.Stdout = &tee{mu: &mu, term: r.env.Stdout, rec: recording}
	c.Stderr = &tee{mu: &mu, term: r.env.Stderr, rec: recording}
	c.WaitDelay = outputGrace

	var end recorder.CommandEnd
	exit := 0
	began := time.Now()
	if err := c.Start(); err != nil {
		end.ExitCode, end.StartError = startFailure(err)
		end.Duration = time.Since(began)
		exit = end.ExitCode
		fmt.Fprintf(r.env.Stderr, "blotter: cannot run %s: %s\n", textsafe.Terminal(recorder.ShellQuote(argv[0])), end.StartError)
	} else {
		var stop syscall.Signal
		end, stop = r.wait(c, sigs)
		exit = end.ExitCode
		if stop != 0 && end.Signal == "" {
			exit = 128 + int(stop) // it was asked to stop, and did (or ignored it)
		}
	}

	e, err := recording.Finish(end)
	if err != nil {
		if exit == 0 {
			return err // the command did its work; not recording it is the failure to report
		}
		fmt.Fprintf(r.env.Stderr, "blotter: the run was not recorded: %s\n", textsafe.Terminal(err.Error()))
		r.exit = exit
		return nil
	}
	if verr := recording.OutputError(); verr != nil {
		fmt.Fprintf(r.env.Stderr, "blotter: the output was not kept in the vault: %s\n", textsafe.Terminal(verr.Error()))
	}
	if end.Interrupted != "" {
		fmt.Fprintf(r.env.Stderr, "blotter: interrupted (%s): passed on to the command; the run is recorded as entry %s\n", end.Interrupted, e.ID)
	} else {
		fmt.Fprintf(r.env.Stderr, "blotter: recorded as entry %s\n", e.ID)
	}
	if verr := recording.OutputError(); verr != nil && exit == 0 {
		exit = exitCode(verr) // the run is recorded but its output is lost: not a success
	}
	r.exit = exit
	return nil
}

// wait waits for the started command, passing on the signals Blotter receives meanwhile. It
// returns how the command ended, and the last signal it passed on, or 0.
func (r *runner) wait(c *exec.Cmd, sigs <-chan os.Signal) (end recorder.CommandEnd, stop syscall.Signal) {
	began := time.Now()
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	for {
		select {
		case s := <-sigs:
			sig, _ := s.(syscall.Signal)
			// A signal the terminal sent (Ctrl+C, Ctrl+\) reached the command already, as it
			// reached Blotter: sent again, a second Ctrl+C could make a command that handles
			// the first (terraform, a REPL) abort at once. Whether the command went on or
			// stopped is then its own affair, and its exit status says so, as in a shell.
			if fromTerminal(sig, c.Process.Pid) {
				continue
			}
			_ = c.Process.Signal(s)
			if end.Interrupted == "" {
				end.Interrupted = signalName(sig)
			}
			stop = sig
		case err := <-done:
			end.Duration = time.Since(began)
			if errors.Is(err, exec.ErrWaitDelay) {
				fmt.Fprintf(r.env.Stderr, "blotter: the command has ended, but a process it started still holds its output: what it writes from now on is not recorded\n")
			}
			if sig, ok := killedBy(c.ProcessState); ok {
				end.Signal, end.ExitCode = signalName(sig), 128+int(sig)
			} else {
				end.ExitCode = c.ProcessState.ExitCode()
			}
			return end, stop
		}
	}
}

// tee writes what the command writes to one stream to the terminal and to the recording.
type tee struct {
	mu   *sync.Mutex // shared by both streams
	term io.Writer
	rec  io.Writer
}

// Write gives the recording every byte the command wrote. A terminal that is gone (the reader
// of a pipe exited) fails the write, which closes the stream: the command then gets SIGPIPE as
// it would writing to that pipe itself, instead of running on unseen.
func (t *tee) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rec.Write(p) // never fails: a vault that fails is reported when the run is recorded
	if _, err := t.term.Write(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// startFailure gives the exit status and the reason for a command that could not be started:
// 127 when there is no such command, 126 when it is there but cannot be run, as shells do.
func startFailure(err error) (int, string) {
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return ExitNoCommand, "not found in $PATH"
	case errors.Is(err, exec.ErrDot):
		return ExitCannotRun, "it is found only relative to the current folder through $PATH: run it as ./NAME"
	case errors.Is(err, syscall.ENOENT):
		return ExitNoCommand, "no such file (or its #! interpreter is missing)"
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return ExitCannotRun, "permission denied: not an executable file"
	case errors.Is(err, syscall.ENOEXEC):
		return ExitCannotRun, "not a program this system can run (exec format error)"
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return ExitCannotRun, errno.Error()
	}
	return ExitCannotRun, err.Error()
}
