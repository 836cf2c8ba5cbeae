package cli

import (
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/drafts"
	"github.com/blotterapp/blotter/internal/syncer"
	"github.com/blotterapp/blotter/internal/textsafe"
)

func (r *runner) rcaCmd() *cobra.Command {
	return r.documentCmd(blotter.DocumentRCA, "rca", "The root cause analysis: draft it from the record, save your edits as revisions, publish it")
}

func (r *runner) runbookCmd() *cobra.Command {
	return r.documentCmd(blotter.DocumentRunbook, "runbook", "The runbook: draft it from the #runbook entries, save your edits as revisions, publish it")
}

// documentCmd is the same set of commands for the RCA and the runbook.
func (r *runner) documentCmd(kind blotter.DocumentKind, use, short string) *cobra.Command {
	cmd := group(&cobra.Command{Use: use, Short: short})
	var output, tmplFile string
	draft := &cobra.Command{
		Use:   "draft [-o FILE] [--template FILE]",
		Short: "Write a draft made from the record as it is now (nothing invented: empty sections say what to tag)",
		Long: `Write a Markdown draft made from the active incident's record. The template is a Go
text/template: --template FILE, else ` + "`templates/" + string(kind) + ".md.tmpl`" + ` in the data dir, else the
default (print it with '` + use + ` template'). Secrets marked in entries are masked.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			tmpl := ""
			if tmplFile != "" {
				b, err := os.ReadFile(tmplFile)
				if err != nil {
					return blotter.Errorf(blotter.EINVALID, "cannot read the template: %v", err)
				}
				tmpl = string(b)
			}
			text, err := rec.Draft(cmd.Context(), inc.ID, kind, tmpl)
			if err != nil {
				return err
			}
			return r.writeText(rec.CheckOutputPath, output, text)
		},
	}
	draft.Flags().StringVarP(&output, "output", "o", "", "write to FILE instead of standard output")
	draft.Flags().StringVar(&tmplFile, "template", "", "a Go text/template file to draft with")

	template := &cobra.Command{
		Use:   "template",
		Short: "Print the default template, to make a team's own",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			r.printf("%s", drafts.DefaultTemplate(kind))
			return nil
		},
	}

	var asJSON bool
	show := &cobra.Command{
		Use:   "show [--json]",
		Short: "Print the saved document (its latest revision)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			d, err := rec.Document(cmd.Context(), inc.ID, kind)
			if err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(d)
			}
			r.printf("%s", textsafe.TerminalMultiline(d.Body))
			if !strings.HasSuffix(d.Body, "\n") {
				r.printf("\n")
			}
			return nil
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print JSON: body, revision, updated_at, updated_by")

	var base int
	var reason string
	save := &cobra.Command{
		Use:   "save FILE|- --base REVISION [--reason TEXT]",
		Short: "Save your edited document as its next revision in the incident's log",
		Long: `Save the Markdown in FILE (or standard input, '-') as the document's next revision. --base is the
revision you edited (0 for a first save; 'show --json' says the current one): if someone saved
since, the save is refused rather than overwrite their words.`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			var src io.Reader = interruptible(cmd.Context(), r.env.Stdin)
			if a[0] != "-" {
				f, err := os.Open(a[0])
				if err != nil {
					return blotter.Errorf(blotter.EINVALID, "cannot read %s: %v", a[0], err)
				}
				defer f.Close()
				src = f
			}
			body, err := io.ReadAll(io.LimitReader(src, blotter.MaxDocumentBytes+1))
			if err != nil {
				return err
			}
			d, err := rec.SaveDocument(cmd.Context(), inc.ID, kind, string(body), base, reason)
			if err != nil {
				return err
			}
			r.printf("saved as revision %d\n", d.Revision)
			return nil
		},
	}
	save.Flags().IntVar(&base, "base", 0, "the revision you edited (0 for a first save)")
	save.Flags().StringVar(&reason, "reason", "", "why (kept with the revision)")
	save.MarkFlagRequired("base")

	publish := &cobra.Command{
		Use:   "publish",
		Short: publishHelp[kind],
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			res, err := syncer.Publish(cmd.Context(), rec, inc.ID, kind)
			if res != nil {
				for _, line := range res.Lines() {
					r.printf("%s\n", textsafe.Terminal(line))
				}
			}
			return err
		},
	}
	cmd.AddCommand(draft, template, show, save, publish)
	return cmd
}

var publishHelp = map[blotter.DocumentKind]string{
	blotter.DocumentRCA:     "Publish the saved RCA: an incident review issue linked to the GitLab incident (updated when published before), and its link in the Slack channel",
	blotter.DocumentRunbook: "Publish the saved runbook to the GitLab project's wiki (updated when published before), and its link in the Slack channel",
}

// writeText writes text to standard output, or atomically to a file outside the data dir.
func (r *runner) writeText(check func(string) error, output, text string) error {
	if output == "" || output == "-" {
		_, err := io.WriteString(r.env.Stdout, text)
		return err
	}
	if err := check(output); err != nil {
		return err
	}
	return writeFileAtomic(output, func(w io.Writer) error {
		_, err := io.WriteString(w, text)
		return err
	})
}
