// Package cli is Blotter's command line: the same binary as the app, over the same workspace
// and services, for responders who live in a terminal. No display is needed.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/textsafe"
	"github.com/blotterapp/blotter/internal/version"
)

// Exit codes. Scripts can tell bad input from a missing thing from a busy or full disk.
const (
	ExitOK          = 0
	ExitVerifyFail  = 1  // verify found a record or file that does not check out
	ExitUsage       = 64 // the command line is wrong
	ExitInvalid     = 65 // the input is wrong (EINVALID, ECONFLICT)
	ExitNotFound    = 66 // the named incident, entry or file does not exist
	ExitUnavailable = 69 // the disk, database or display cannot be used now
	ExitInternal    = 70 // a bug
)

// Env is what a command reads and writes besides its arguments.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Now    blotter.Clock  // for times typed relative to now
	Local  *time.Location // the zone of times typed without one
}

// OSEnv is the process's own environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Now: time.Now, Local: time.Local}
}

// Run runs the command line args (without the program name) and returns the exit code.
func Run(ctx context.Context, args []string, env Env) int {
	r := &runner{env: env}
	root := newRoot(r)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	if r.rec != nil {
		r.rec.Close()
	}
	if err == nil {
		return r.exit
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintf(env.Stderr, "blotter: interrupted; what was stored before stays stored\n")
		return ExitInterrupted
	}
	var usage usageError
	// Cobra has no error type for an unknown subcommand; its message is its only mark.
	if errors.As(err, &usage) || strings.HasPrefix(err.Error(), "unknown command") {
		fmt.Fprintf(env.Stderr, "blotter: %v\nRun 'blotter help' for usage.\n", err)
		return ExitUsage
	}
	// The whole chain is printed: an application error's message with its context, and an
	// unexpected error in full, as there is no one else to read it; then what to type about it.
	fmt.Fprintf(env.Stderr, "blotter: %s\n", textsafe.Terminal(err.Error()))
	if hint := hints[blotter.ErrorField(err)]; hint != "" {
		fmt.Fprintf(env.Stderr, "%s\n", hint)
	}
	return exitCode(err)
}

func exitCode(err error) int {
	switch blotter.ErrorCode(err) {
	case blotter.EINVALID, blotter.ECONFLICT:
		return ExitInvalid
	case blotter.ENOTFOUND:
		return ExitNotFound
	case blotter.EUNAVAILABLE:
		return ExitUnavailable
	}
	return ExitInternal
}

type usageError struct{ error }

// hints say, for an error about one input, how to give it on the command line: the messages
// themselves name no flag, as the app shows them too.
var hints = map[string]string{
	blotter.FieldReason:         "Say why with --reason.",
	blotter.FieldWaitsOn:        "Say what it waits on with --reason.",
	blotter.FieldActiveIncident: "Start one with 'blotter incident new TITLE', or pick one with 'blotter incident use ID' (see 'blotter incident list').",
	blotter.FieldHotkey:         "Choose another with 'blotter hotkeys set ACTION COMBO'.",
	blotter.FieldDamaged:        "Run 'blotter verify' to list every damaged row; restore the data dir from a backup to repair it.",
}

// group makes cmd a command that only holds subcommands: run without one, or with one it does
// not know, it is a usage error (exit 64), not a help page that exits 0.
func group(cmd *cobra.Command) *cobra.Command {
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(c *cobra.Command, a []string) error {
		names := []string{}
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() {
				names = append(names, sub.Name())
			}
		}
		if len(a) == 0 {
			return usageError{fmt.Errorf("'%s' needs a command: %s", c.CommandPath(), strings.Join(names, ", "))}
		}
		return usageError{fmt.Errorf("unknown command %q for '%s' (known: %s)", a[0], c.CommandPath(), strings.Join(names, ", "))}
	}
	return cmd
}

// runner holds what the commands of one run share: the flags and the open workspace.
type runner struct {
	env      Env
	dataDir  string
	incident string // --incident: a specific incident instead of the active one
	rec      *recorder.Recorder
	exit     int // the exit code of a command that ran but reports failure (verify)
}

func newRoot(r *runner) *cobra.Command {
	root := &cobra.Command{
		Use:   "blotter",
		Short: "Blotter keeps an incident's timeline: instant capture, a tamper-evident record",
		Long: `Blotter keeps a security incident's timeline: notes stamped at the moment they are typed,
evidence files hashed into a vault, and every edit kept as a revision in a hash-chained log.

Run without a command to open the desktop app. Data lives in $` + recorder.DataDirEnv + `, or
--data-dir, or the OS's per-user data folder.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version.String(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&r.dataDir, "data-dir", "", "the data folder (default $"+recorder.DataDirEnv+" or the OS user data dir)")
	root.PersistentFlags().StringVar(&r.incident, "incident", "", "act on this incident id instead of the active one")
	root.AddCommand(
		r.incidentCmd(), r.noteCmd(), r.attachCmd(), r.runCmd(), r.timelineCmd(), r.editCmd(), r.rmCmd(), r.restoreCmd(),
		r.historyCmd(), r.searchCmd(), r.observablesCmd(), r.verifyCmd(), r.exportCmd(), r.importCmd(), r.configCmd(), r.watchCmd(), r.captureCmd(), r.hotkeysCmd(), r.taskCmd(), r.gitlabCmd(), r.slackCmd(), r.syncCmd(), r.rcaCmd(), r.runbookCmd(),
	)
	return root
}

// args wraps a cobra argument check so that its failure counts as a usage error.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// open opens the data dir on first use.
func (r *runner) open(ctx context.Context) (*recorder.Recorder, error) {
	if r.rec != nil {
		return r.rec, nil
	}
	dir := r.dataDir
	if dir == "" {
		var err error
		if dir, err = recorder.DefaultDir(); err != nil {
			return nil, err
		}
	}
	rec, err := recorder.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	rec.SetClock(r.env.Now, r.env.Local)
	r.rec = rec
	return rec, nil
}

// target opens the data dir and returns the incident the command acts on: --incident, or the
// active one.
func (r *runner) target(ctx context.Context) (*recorder.Recorder, *blotter.Incident, error) {
	rec, err := r.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	inc, err := rec.Incident(ctx, r.incident)
	return rec, inc, err
}

// parseTime reads a time typed on the command line.
func (r *runner) parseTime(s string) (time.Time, error) {
	return blotter.ParseTime(s, r.env.Now(), r.env.Local)
}

// printJSON writes v as indented JSON.
func (r *runner) printJSON(v any) error {
	enc := json.NewEncoder(r.env.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (r *runner) printf(format string, a ...any) {
	fmt.Fprintf(r.env.Stdout, format, a...)
}

// AppOptions are the desktop app's own flags.
type AppOptions struct {
	DataDir string // --data-dir
	Side    bool   // --side: start as the side window
}

// AppArgs reports whether args (without the program name) ask for the desktop app rather than a
// command: no subcommand, only the app's own flags, which it returns.
func AppArgs(args []string) (opts AppOptions, isApp bool) {
	flags := pflag.NewFlagSet("blotter", pflag.ContinueOnError)
	flags.SetOutput(io.Discard)
	flags.StringVar(&opts.DataDir, "data-dir", "", "")
	flags.BoolVar(&opts.Side, "side", false, "")
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 {
		return AppOptions{}, false
	}
	return opts, true
}
