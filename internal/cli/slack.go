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

func (r *runner) slackCmd() *cobra.Command {
	cmd := group(&cobra.Command{Use: "slack", Short: "The incident channel: connect Slack, link a channel, post, import"})
	var tokensStdin, asJSON bool
	connect := &cobra.Command{
		Use:   "connect [--tokens-stdin]",
		Short: "Check the bot token (xoxb-) and the app-level token (xapp-) with Slack and keep them in the OS keyring",
		Long: `Check the Slack app's bot token (xoxb-) and app-level token (xapp-, for Socket Mode) with
auth.test. With --tokens-stdin both are read from standard input, one per line, and kept in the
OS keyring; without it, $` + syncer.SlackBotTokenEnv + ` and $` + syncer.SlackAppTokenEnv + ` are used and nothing is
stored. $` + syncer.SlackAPIURLEnv + ` points the Web API elsewhere (tests, Enterprise Grid proxies).
Install the app from docs/slack-app-manifest.yaml first (docs/slack.md says how).`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			var tokens syncer.SlackTokens
			if tokensStdin {
				br := bufio.NewReader(interruptible(cmd.Context(), r.env.Stdin))
				for i := 0; i < 2; i++ {
					line, err := readLine(br, 4096)
					if err != nil && !errors.Is(err, io.EOF) {
						return err
					}
					switch line = strings.TrimSpace(line); {
					case strings.HasPrefix(line, "xoxb-"):
						tokens.Bot = line
					case strings.HasPrefix(line, "xapp-"):
						tokens.App = line
					case line != "":
						return blotter.Errorf(blotter.EINVALID, "line %d of standard input is not a Slack bot token (xoxb-) or app-level token (xapp-)", i+1)
					}
				}
				if tokens.Bot == "" {
					return blotter.Errorf(blotter.EINVALID, "no bot token (xoxb-) on standard input")
				}
			}
			w, err := syncer.ConnectSlack(cmd.Context(), rec, tokens)
			if err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(w)
			}
			r.printf("connected to Slack workspace %s (%s) as @%s\n", textsafe.Terminal(w.Team), textsafe.Terminal(w.URL), textsafe.Terminal(w.BotUser))
			return nil
		},
	}
	connect.Flags().BoolVar(&tokensStdin, "tokens-stdin", false, "read both tokens from standard input (one per line) and keep them in the OS keyring")
	connect.Flags().BoolVar(&asJSON, "json", false, "print the workspace as JSON")

	disconnect := &cobra.Command{
		Use:   "disconnect",
		Short: "Forget the Slack workspace and its tokens in the keyring (links stay, for a later connect)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			return syncer.DisconnectSlack(cmd.Context(), rec)
		},
	}

	status := &cobra.Command{
		Use:   "status [--json]",
		Short: "The workspace, where the tokens come from, the active incident's channel and policy, and what waits",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			st, err := syncer.SlackStatusOf(cmd.Context(), rec, r.incident)
			if err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(st)
			}
			if st.Workspace == nil {
				r.printf("slack: not connected\n")
				return nil
			}
			r.printf("slack: %s (%s), tokens from %s, pin reaction :%s:\n", textsafe.Terminal(st.Workspace.Team), textsafe.Terminal(st.Workspace.URL), st.TokenSource, st.PinReaction)
			if st.Channel != nil {
				r.printf("this incident: #%s (%s), posting policy %s\n", textsafe.Terminal(st.Channel.Name), st.Channel.ID, st.Policy)
			} else if st.Incident != "" {
				r.printf("this incident: no channel linked\n")
			}
			r.printf("%d pending, %d failed\n", st.Pending, st.Failed)
			return nil
		},
	}
	status.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	var isNew bool
	link := &cobra.Command{
		Use:   "link --new | CHANNEL [--json]",
		Short: "Link the active incident to a new channel (--new: inc-YYYYMMDD-title, with a pinned header) or an existing one (its id or #name)",
		Args:  args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if isNew == (len(a) == 1) {
				return usageError{fmt.Errorf("link takes --new or a channel, not both or neither")}
			}
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			client, _, err := syncer.SlackClient(cmd.Context(), rec)
			if err != nil {
				return err
			}
			var ch *syncer.SlackChannel
			if isNew {
				ch, err = syncer.LinkNewSlackChannel(cmd.Context(), rec, client, inc)
			} else {
				ch, err = syncer.LinkSlackChannel(cmd.Context(), rec, client, inc, a[0])
			}
			if err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(ch)
			}
			r.printf("linked to #%s (%s)\n", textsafe.Terminal(ch.Name), ch.ID)
			return nil
		},
	}
	link.Flags().BoolVar(&isNew, "new", false, "create the incident channel")
	link.Flags().BoolVar(&asJSON, "json", false, "print JSON: channel_id, channel_name")

	policy := &cobra.Command{
		Use:   "policy [all|tagged|none]",
		Short: "Which entries of the active incident are posted to its channel: all, tagged (#slack and the milestones; the default) or none",
		Args:  args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			if len(a) == 1 {
				if err := rec.SetSlackPolicy(cmd.Context(), inc.ID, recorder.SlackPolicy(strings.ToLower(a[0]))); err != nil {
					return err
				}
			}
			p, err := rec.SlackPolicyOf(cmd.Context(), inc.ID)
			if err != nil {
				return err
			}
			r.printf("%s\n", p)
			return nil
		},
	}

	reaction := &cobra.Command{
		Use:   "reaction [NAME]",
		Short: "The reaction that puts a Slack message on the timeline (pushpin unless set)",
		Args:  args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			if len(a) == 1 {
				if err := rec.SetSlackPinReaction(cmd.Context(), a[0]); err != nil {
					return err
				}
			}
			name, err := rec.SlackPinReaction(cmd.Context())
			if err != nil {
				return err
			}
			r.printf(":%s:\n", name)
			return nil
		},
	}

	update := &cobra.Command{
		Use:   "update [TEXT]",
		Short: "Post a status update to the incident channel: your words, severity, status, time elapsed, open tasks by assignee",
		Long: `Record a status update on the timeline (tagged #slack and #status-update) and post it to the
incident's channel: at once when Slack can be reached, else with the next sync. Nothing is lost
offline: the update is on the record either way.`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			text := ""
			if len(a) == 1 {
				text = a[0]
			}
			e, err := rec.PostStatusUpdate(cmd.Context(), inc.ID, text)
			if err != nil {
				return err
			}
			r.printf("%s\n", e.ID)
			client, _, err := syncer.SlackClient(cmd.Context(), rec)
			if err == nil {
				ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
				defer cancel()
				var pass *syncer.Pass
				if pass, err = (&syncer.Engine{Rec: rec, Target: &syncer.Slack{Rec: rec, Client: client}}).Once(ctx, 0); err == nil && pass.Pending == 0 {
					r.printf("posted to the incident channel\n")
					return nil
				}
			}
			r.printf("recorded; it will be posted with the next sync (%s)\n", textsafe.Terminal(errText(err, "Slack is busy or out of reach")))
			return nil
		},
	}

	var since, channel string
	importCmd := &cobra.Command{
		Use:   "import [--since TIME] [--channel CHANNEL] [--json]",
		Short: "Take the channel's messages and every thread (oldest first, with their own times, files into the vault) into the active incident",
		Long: `Import the messages of the incident's channel (or --channel, an id or #name) and of every
thread in it, oldest first, each an entry of kind slack at the message's own time, by its author's
display name, with its permalink; files go to the vault with their SHA-256. Importing again adds
nothing twice; a message edited since becomes a revision. Blotter's own posts are skipped.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			rec, inc, err := r.target(ctx)
			if err != nil {
				return err
			}
			client, w, err := syncer.SlackClient(ctx, rec)
			if err != nil {
				return err
			}
			var from time.Time
			if since != "" {
				if from, err = r.parseTime(since); err != nil {
					return err
				}
			}
			chID := ""
			switch {
			case channel == "":
				ch, err := syncer.LinkedSlackChannel(ctx, rec, inc.ID)
				if err != nil {
					return blotter.Errorf(blotter.EINVALID, "the incident is not linked to a Slack channel: link one, or name one with --channel")
				}
				chID = ch.ID
			case strings.HasPrefix(channel, "#"):
				ch, err := client.FindChannel(ctx, strings.TrimPrefix(channel, "#"))
				if err != nil {
					return err
				}
				chID = ch.ID
			default:
				chID = channel
			}
			sr := &syncer.SlackReader{Rec: rec, Client: client, Workspace: w}
			last := time.Time{}
			res, err := sr.Import(ctx, inc.ID, chID, from, func(done, total int) {
				if now := time.Now(); now.Sub(last) > 500*time.Millisecond {
					last = now
					fmt.Fprintf(r.env.Stderr, "\rimported %d of %d messages", done, total)
				}
			})
			if !last.IsZero() {
				fmt.Fprintln(r.env.Stderr)
			}
			if res != nil {
				if asJSON {
					if jerr := r.printJSON(res); jerr != nil {
						return jerr
					}
				} else {
					r.printf("%d messages: %d added, %d updated, %d skipped\n", res.Messages, res.Added, res.Updated, res.Skipped)
				}
			}
			return err
		},
	}
	importCmd.Flags().StringVar(&since, "since", "", "only messages after this time (e.g. -2h, 14:00, 2026-11-23T09:00Z)")
	importCmd.Flags().StringVar(&channel, "channel", "", "the channel to import (its id or #name) instead of the incident's")
	importCmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")

	cmd.AddCommand(connect, disconnect, status, link, policy, reaction, update, importCmd)
	return cmd
}

func errText(err error, fallback string) string {
	if err != nil {
		return err.Error()
	}
	return fallback
}
