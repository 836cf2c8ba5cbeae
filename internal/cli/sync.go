package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/syncer"
	"github.com/blotterapp/blotter/internal/textsafe"
)

func (r *runner) gitlabCmd() *cobra.Command {
	cmd := group(&cobra.Command{Use: "gitlab", Short: "Share incidents through GitLab: connect, link an incident"})
	var url, project string
	var tokenStdin bool
	connect := &cobra.Command{
		Use:   "connect --url URL --project GROUP/PROJECT [--token-stdin]",
		Short: "Check a token against GitLab, keep it in the OS keyring, and remember the URL and project",
		Long: `Check a GitLab personal access token (scope api) against GitLab: the user it acts as, the
project, its scope. With --token-stdin the token is read from standard input and kept in the OS
keyring; without it, $` + syncer.GitLabTokenEnv + ` is used and nothing is stored. The token never goes
into the database, logs, exports or the command line.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			var token string
			if tokenStdin {
				line, err := readLine(bufio.NewReader(interruptible(cmd.Context(), r.env.Stdin)), 4096)
				if err != nil && !errors.Is(err, io.EOF) {
					return err
				}
				if token = strings.TrimSpace(line); token == "" {
					return blotter.Errorf(blotter.EINVALID, "no token on standard input")
				}
			}
			conn, err := syncer.ConnectGitLab(cmd.Context(), rec, url, project, token)
			if err != nil {
				return err
			}
			r.printf("connected to %s as @%s; incidents go to %s\n", conn.URL, textsafe.Terminal(conn.User.Username), textsafe.Terminal(conn.Project.Path))
			return nil
		},
	}
	connect.Flags().StringVar(&url, "url", "", "GitLab's address, e.g. https://gitlab.example.com")
	connect.Flags().StringVar(&project, "project", "", "the project that holds the incidents, e.g. security/incidents")
	connect.Flags().BoolVar(&tokenStdin, "token-stdin", false, "read the token from standard input and keep it in the OS keyring")
	connect.MarkFlagRequired("url")
	connect.MarkFlagRequired("project")
	disconnect := &cobra.Command{
		Use:   "disconnect",
		Short: "Forget the GitLab connection and the token in the keyring (links stay, for a later connect)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			return syncer.DisconnectGitLab(cmd.Context(), rec)
		},
	}

	var asJSON, isNew bool
	link := &cobra.Command{
		Use:   "link --new | ISSUE_URL|IID [--json]",
		Short: "Link the active incident to a new GitLab incident (--new) or an existing one: its record so far is queued, what GitLab holds is pulled",
		Args:  args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if isNew == (len(a) == 1) {
				return usageError{fmt.Errorf("link takes --new or an issue, not both or neither")}
			}
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			client, project, err := syncer.GitLabClient(cmd.Context(), rec)
			if err != nil {
				return err
			}
			var gi *syncer.GitLabIncident
			if isNew {
				gi, err = syncer.LinkNewGitLabIncident(cmd.Context(), rec, client, project, inc)
			} else {
				var iid int64
				if iid, err = syncer.IssueNumber(a[0]); err == nil {
					gi, _, err = syncer.LinkGitLabIncident(cmd.Context(), rec, client, project, inc, iid)
				}
			}
			if err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(gi)
			}
			r.printf("linked to %s#%d: %s\n", textsafe.Terminal(gi.Project), gi.IID, textsafe.Terminal(gi.WebURL))
			return nil
		},
	}
	link.Flags().BoolVar(&isNew, "new", false, "create the GitLab incident")
	link.Flags().BoolVar(&asJSON, "json", false, "print JSON: iid, web_url")
	join := &cobra.Command{
		Use:   "join ISSUE_URL|IID [--json]",
		Short: "Join a GitLab incident as a second responder: a local incident linked to it, made active, its timeline pulled",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			iid, err := syncer.IssueNumber(a[0])
			if err != nil {
				return err
			}
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			client, project, err := syncer.GitLabClient(cmd.Context(), rec)
			if err != nil {
				return err
			}
			inc, gi, pulled, err := syncer.JoinGitLabIncident(cmd.Context(), rec, client, project, iid)
			if err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(gi)
			}
			r.printf("%s\njoined %s#%d (%s): %d timeline events pulled\n", inc.ID, textsafe.Terminal(gi.Project), gi.IID, textsafe.Terminal(inc.Title), pulled)
			return nil
		},
	}
	join.Flags().BoolVar(&asJSON, "json", false, "print JSON: iid, web_url")
	status := &cobra.Command{
		Use:   "status [--json]",
		Short: "Where incidents go in GitLab, where the token comes from, and what waits",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			st, err := syncStatus(cmd.Context(), rec)
			if err != nil {
				return err
			}
			if st.URL != "" {
				if _, st.TokenFrom, err = syncer.GitLabToken(st.URL); err != nil {
					st.TokenFrom = "none: " + blotter.ErrorMessage(err)
				}
			}
			if st.Comments, err = rec.GitLabComments(cmd.Context()); err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(st)
			}
			if st.URL == "" {
				r.printf("not connected: the record is local only\n")
				return nil
			}
			r.printf("connected to %s, project %s\ntoken: %s\ncomments pulled: %v\n%d linked incidents, %d pending, %d failed\n",
				st.URL, textsafe.Terminal(st.Project), textsafe.Terminal(st.TokenFrom), st.Comments, st.Linked, st.Pending, len(st.Failed))
			return nil
		},
	}
	status.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	comments := &cobra.Command{
		Use:       "comments on|off",
		Short:     "Whether comments on linked GitLab incidents come onto the timeline (off by default)",
		Args:      args(cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs)),
		ValidArgs: []string{"on", "off"},
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			return rec.SetGitLabComments(cmd.Context(), a[0] == "on")
		},
	}
	labels := &cobra.Command{
		Use:   "labels PREFIX",
		Short: "The scoped label prefix of task columns in GitLab (default blotter: blotter::doing)",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			return rec.SetGitLabLabelPrefix(cmd.Context(), a[0])
		},
	}
	cmd.AddCommand(connect, disconnect, link, join, status, comments, labels)
	return cmd
}

func (r *runner) syncCmd() *cobra.Command {
	var (
		once   bool
		asJSON bool
		wait   time.Duration
	)
	cmd := &cobra.Command{
		Use:   "sync [--once]",
		Short: "Send what waits to GitLab and Slack and take what others did, until interrupted; --once for one pass",
		Long: `Send every change that GitLab or Slack has not received yet, in order per incident, and take
what others did there (GitLab's timeline; Slack's pinned messages through Socket Mode while it runs). A failure that
may pass (GitLab busy, a rate limit, the network) is tried again with growing waits; a refusal
that retrying cannot cure is set aside as failed ('blotter sync status', 'blotter sync retry').
With --once, one pass that retries within --wait, exiting 0 only when nothing is left pending
or failed.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			rec, err := r.open(ctx)
			if err != nil {
				return err
			}
			connected := syncer.Connected
			if once {
				connected = syncer.ConnectedOnce
			}
			systems, err := connected(ctx, rec)
			if err != nil {
				return err
			}
			if len(systems) == 0 {
				return blotter.Errorf(blotter.EUNAVAILABLE, "GitLab and Slack are not connected: connect one first ('blotter gitlab connect', 'blotter slack connect')")
			}
			if !once {
				for _, sys := range systems {
					if sys.Live != nil {
						go func() {
							if err := sys.Live.Run(ctx); err != nil {
								fmt.Fprintf(r.env.Stderr, "blotter: %s live events stopped: %s\n", sys.Name, textsafe.Terminal(err.Error()))
							}
						}()
					}
				}
			}
			for {
				var passes []*syncer.Pass
				for _, sys := range systems {
					pass, err := sys.Pass(ctx, wait)
					if err != nil {
						return err
					}
					passes = append(passes, pass)
					if once && !asJSON || pass.Delivered > 0 || pass.Pulled > 0 {
						r.printf("%s: %d sent, %d pulled, %d pending, %d failed\n", sys.Name, pass.Delivered, pass.Pulled, pass.Pending, pass.FailedAll)
					}
					if pass.Pending > 0 || pass.FailedAll > 0 {
						r.exit = ExitVerifyFail
					}
				}
				if once {
					if asJSON {
						if len(passes) == 1 {
							return r.printJSON(passes[0])
						}
						return r.printJSON(passes)
					}
					return nil
				}
				r.exit = 0
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(2 * time.Second):
				}
			}
		},
	}
	cmd.Flags().BoolVar(&once, "once", false, "one pass, then exit (0 when nothing is left pending or failed)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "with --once, print the pass as JSON")
	cmd.Flags().DurationVar(&wait, "wait", 2*time.Minute, "with --once, how long to keep retrying what failed for now")

	status := &cobra.Command{
		Use:   "status [--json]",
		Short: "What waits to be sent, and what failed and why",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			st, err := syncStatus(cmd.Context(), rec)
			if err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(st)
			}
			if st.URL == "" {
				r.printf("gitlab: not connected (local only)\n")
				return nil
			}
			last := st.LastSuccess
			if last == "" {
				last = "never"
			}
			r.printf("gitlab: %s %s, %d linked incidents, %d pending, %d failed, last synced %s\n", st.URL, textsafe.Terminal(st.Project), st.Linked, st.Pending, len(st.Failed), last)
			for _, f := range st.Failed {
				r.printf("  failed %d: %s %s: %s\n", f.ID, f.Subject, f.SubjectID, textsafe.Terminal(f.LastError))
			}
			return nil
		},
	}
	status.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	retry := &cobra.Command{
		Use:   "retry [ID]",
		Short: "Queue failed items again (one, or all)",
		Args:  args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			var id int64
			if len(a) == 1 {
				if _, err := fmt.Sscan(a[0], &id); err != nil || id <= 0 {
					return blotter.Errorf(blotter.EINVALID, "%q is not an item number from 'blotter sync status'", a[0])
				}
			}
			n, err := rec.RetryFailed(cmd.Context(), syncer.GitLabName, id)
			if err != nil {
				return err
			}
			r.printf("%d queued again\n", n)
			return nil
		},
	}
	cmd.AddCommand(status, retry)
	return cmd
}

// syncState is what 'sync status' shows.
type syncState struct {
	URL         string        `json:"url"`
	Project     string        `json:"project"`
	Linked      int           `json:"linked_incidents"`
	TokenFrom   string        `json:"token_from,omitempty"` // environment, keyring, or why none
	LastSuccess string        `json:"last_success"`         // RFC 3339, "" for never
	Comments    bool          `json:"comments_pulled"`
	Pending     int           `json:"pending"`
	Failed      []syncFailure `json:"failed"`
}

type syncFailure struct {
	ID        int64  `json:"id"`
	Subject   string `json:"subject"`
	SubjectID string `json:"subject_id"`
	LastError string `json:"error"`
}

func syncStatus(ctx context.Context, rec *recorder.Recorder) (*syncState, error) {
	st := &syncState{Failed: []syncFailure{}}
	var err error
	if st.URL, st.Project, err = rec.GitLabConnection(ctx); err != nil {
		return nil, err
	}
	links, err := rec.SyncLinks(ctx, syncer.GitLabName)
	if err != nil {
		return nil, err
	}
	st.Linked = len(links)
	if last, err := rec.SyncLastSuccess(ctx, syncer.GitLabName); err != nil {
		return nil, err
	} else if !last.IsZero() {
		st.LastSuccess = blotter.FormatTime(last)
	}
	if st.Pending, _, err = rec.OutboxCounts(ctx, syncer.GitLabName); err != nil {
		return nil, err
	}
	failed, err := rec.Outbox(ctx, syncer.GitLabName, time.Time{}, true, 1000)
	if err != nil {
		return nil, err
	}
	for _, it := range failed {
		st.Failed = append(st.Failed, syncFailure{ID: it.ID, Subject: it.Subject, SubjectID: it.SubjectID, LastError: it.LastError})
	}
	return st, nil
}
