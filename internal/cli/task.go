package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/textsafe"
)

func (r *runner) taskCmd() *cobra.Command {
	cmd := group(&cobra.Command{Use: "task", Short: "The incident's task board: add, list, move, assign and edit tasks"})
	cmd.AddCommand(r.taskAddCmd(), r.taskListCmd(), r.taskMoveCmd(), r.taskAssignCmd(), r.taskEditCmd())
	return cmd
}

func (r *runner) taskAddCmd() *cobra.Command {
	var assignee, due, from, description string
	cmd := &cobra.Command{
		Use:   "add TITLE... [--assignee A] [--due TIME] [--from ENTRY_ID] [--description MARKDOWN]",
		Short: "Add a task to the active incident's board (To do) and print its id",
		Long: `Add a task to the active incident's board, in To do, and print its id. --due takes +2h (from
now), 17:00 (the next one), or a date and time. --from links the timeline entry the
task came from. The change is also an entry on the timeline.`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			in := recorder.NewTask{IncidentID: inc.ID, Title: strings.Join(a, " "), Description: description, Assignee: assignee, Due: due}
			if from != "" {
				in.Links = []string{from}
			}
			t, err := rec.AddTask(cmd.Context(), in)
			if err != nil {
				return err
			}
			r.printf("%s\n", t.ID)
			return nil
		},
	}
	cmd.Flags().StringVar(&assignee, "assignee", "", "who does it")
	cmd.Flags().StringVar(&due, "due", "", "when it is due")
	cmd.Flags().StringVar(&from, "from", "", "the id of the timeline entry it came from")
	cmd.Flags().StringVar(&description, "description", "", "what to do, in Markdown")
	return cmd
}

func (r *runner) taskListCmd() *cobra.Command {
	var (
		asJSON           bool
		assignee, status string
		mine             bool
	)
	cmd := &cobra.Command{
		Use:   "list [--json] [--assignee A | --mine] [--status S]",
		Short: "List the board's tasks, column by column",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			tasks, err := rec.Tasks(cmd.Context(), recorder.TaskFilter{IncidentID: inc.ID, Assignee: assignee, Mine: mine, Status: status})
			if err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(tasks)
			}
			tw := tabwriter.NewWriter(r.env.Stdout, 0, 0, 2, ' ', 0)
			now := r.env.Now()
			for _, t := range tasks {
				due := t.DueAt
				if t.Overdue(now) {
					due += " OVERDUE"
				}
				title := t.Title
				if t.Status == blotter.TaskBlocked {
					title += " (waits on: " + t.BlockedReason + ")"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.Status, textsafe.Terminal(t.Assignee), due, textsafe.Terminal(title))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&assignee, "assignee", "", "only this person's tasks")
	cmd.Flags().BoolVar(&mine, "mine", false, "only your tasks (assigned to the configured author)")
	cmd.Flags().StringVar(&status, "status", "", "only this column: todo, doing, blocked, done")
	return cmd
}

func (r *runner) taskMoveCmd() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "move ID todo|doing|blocked|done [--reason R]",
		Short: "Move a task to another column (blocked needs --reason: what it waits on)",
		Args:  args(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return r.changeTask(cmd.Context(), func(rec *recorder.Recorder) (*blotter.Task, error) {
				return rec.MoveTask(cmd.Context(), a[0], a[1], nil, reason)
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why; for blocked, what the task waits on")
	return cmd
}

func (r *runner) taskAssignCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "assign ID ASSIGNEE",
		Short: `Assign a task ("" unassigns it)`,
		Args:  args(cobra.MinimumNArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return r.changeTask(cmd.Context(), func(rec *recorder.Recorder) (*blotter.Task, error) {
				return rec.AssignTask(cmd.Context(), a[0], strings.Join(a[1:], " "))
			})
		},
	}
}

func (r *runner) taskEditCmd() *cobra.Command {
	var title, description, due, reason string
	var link []string
	cmd := &cobra.Command{
		Use:   "edit ID [--title T] [--description MARKDOWN] [--due TIME|none] [--link ENTRY_ID]...",
		Short: "Change a task's title, description, due time or linked entries",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			flags := cmd.Flags()
			ed := recorder.TaskEdit{AddLinks: link, Reason: reason}
			if flags.Changed("title") {
				ed.Title = &title
			}
			if flags.Changed("description") {
				ed.Description = &description
			}
			if flags.Changed("due") {
				ed.Due = &due
			}
			return r.changeTask(cmd.Context(), func(rec *recorder.Recorder) (*blotter.Task, error) {
				return rec.EditTask(cmd.Context(), a[0], ed)
			})
		},
	}
	cmd.Flags().StringVar(&title, "title", "", "the new title")
	cmd.Flags().StringVar(&description, "description", "", "the new description (Markdown)")
	cmd.Flags().StringVar(&due, "due", "", "the new due time, or none")
	cmd.Flags().StringArrayVar(&link, "link", nil, "link another timeline entry")
	cmd.Flags().StringVar(&reason, "reason", "", "why (kept in the record)")
	return cmd
}

// changeTask runs one change to a task and prints the task's new column and revision.
func (r *runner) changeTask(ctx context.Context, change func(*recorder.Recorder) (*blotter.Task, error)) error {
	rec, err := r.open(ctx)
	if err != nil {
		return err
	}
	t, err := change(rec)
	if err != nil {
		return err
	}
	r.printf("%s %s revision %d\n", t.ID, t.Status, t.Revision)
	return nil
}
