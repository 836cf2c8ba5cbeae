package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/textsafe"
)

func (r *runner) incidentCmd() *cobra.Command {
	cmd := group(&cobra.Command{Use: "incident", Short: "Create, list, switch and update incidents"})
	cmd.AddCommand(r.incidentNewCmd(), r.incidentListCmd(), r.incidentUseCmd(), r.incidentSetCmd())
	return cmd
}

func (r *runner) incidentNewCmd() *cobra.Command {
	var severity string
	cmd := &cobra.Command{
		Use:   "new TITLE...",
		Short: "Start an incident, make it the active one and print its id",
		Args:  args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			inc, err := rec.CreateIncident(cmd.Context(), strings.Join(a, " "), blotter.Severity(severity))
			if err != nil {
				return err
			}
			r.printf("%s\n", inc.ID)
			return nil
		},
	}
	cmd.Flags().StringVar(&severity, "severity", string(blotter.SeverityHigh), "critical, high, medium or low")
	return cmd
}

func (r *runner) incidentListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List incidents, newest first (* marks the active one)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			list, err := rec.Incidents(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(list)
			}
			active, _ := rec.ActiveIncident(cmd.Context())
			tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
			for _, inc := range list {
				mark := " "
				if active != nil && active.ID == inc.ID {
					mark = "*"
				}
				fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\n", mark, inc.ID, inc.CreatedAt.UTC().Format("2006-01-02 15:04Z"),
					inc.Severity, inc.Status, textsafe.Terminal(inc.Title))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (r *runner) incidentUseCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "use ID",
		Short: "Make an incident the active one",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			inc, err := rec.UseIncident(cmd.Context(), a[0])
			if err != nil {
				return err
			}
			r.printf("active incident: %s %s\n", inc.ID, textsafe.Terminal(inc.Title))
			return nil
		},
	}
}

func (r *runner) incidentSetCmd() *cobra.Command {
	var title, severity, status, reason string
	cmd := &cobra.Command{
		Use:   "set [--title T] [--severity S] [--status S] [--reason WHY]",
		Short: "Rename the incident or change its severity or status (a revision)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			var upd blotter.IncidentUpdate
			if cmd.Flags().Changed("title") {
				upd.Title = &title
			}
			if cmd.Flags().Changed("severity") {
				s := blotter.Severity(severity)
				upd.Severity = &s
			}
			if cmd.Flags().Changed("status") {
				s := blotter.Status(status)
				upd.Status = &s
			}
			inc, err = rec.UpdateIncident(cmd.Context(), inc.ID, upd, reason)
			if err != nil {
				return err
			}
			r.printf("%s\t%s\t%s\t%s\n", inc.ID, inc.Severity, inc.Status, textsafe.Terminal(inc.Title))
			return nil
		},
	}
	cmd.Flags().StringVar(&title, "title", "", "the new title")
	cmd.Flags().StringVar(&severity, "severity", "", "critical, high, medium or low")
	cmd.Flags().StringVar(&status, "status", "", "open, mitigated, resolved or closed")
	cmd.Flags().StringVar(&reason, "reason", "", "why (kept in the record)")
	return cmd
}
