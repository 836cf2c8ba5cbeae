package report

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// WriteMarkdown writes the incident's record for people: the timeline grouped by day (deleted
// entries struck through), each entry's evidence with its digest, then the revision log with
// every hash, so that a printed copy can still be checked against the JSON export.
func WriteMarkdown(ctx context.Context, out io.Writer, src blotter.RecordReader, incidentID string, now time.Time) error {
	w := bufio.NewWriterSize(out, 1<<16)
	var (
		lastDay   string
		logOpened bool
	)
	err := src.ReadRecord(ctx, incidentID, blotter.RecordVisitor{
		EntriesFirst: true,
		Incident: func(inc *blotter.Incident, headSeq int64, headHash string) error {
			fmt.Fprintf(w, "# %s\n\n", inc.Title)
			fmt.Fprintf(w, "- Incident: `%s`\n- Severity: %s\n- Status: %s\n- Opened: %s by %s\n",
				inc.ID, inc.Severity, inc.Status, blotter.FormatTime(inc.CreatedAt), inc.CreatedBy)
			fmt.Fprintf(w, "- Record: %d revisions, head `%s`\n- Exported: %s\n\n## Timeline (UTC)\n", headSeq, headHash, blotter.FormatTime(now))
			return nil
		},
		Revision: func(r *blotter.Revision) error {
			if !logOpened {
				logOpened = true
				fmt.Fprintf(w, "\n## Revision log\n\nhash = SHA-256(previous hash + \"\\n\" + content); the contents are in the JSON export.\n\n")
				fmt.Fprintf(w, "| # | at | by | action | subject | reason | hash |\n|---|---|---|---|---|---|---|\n")
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s | %s `%s` r%d | %s | `%s` |\n", r.Seq, r.At, cell(r.By), r.Action,
				r.Subject, r.SubjectID, r.Number, cell(r.Reason), r.Hash)
			return nil
		},
		Entry: func(e *blotter.Entry) error {
			if day := e.OccurredAt.UTC().Format("2006-01-02 (Monday)"); day != lastDay {
				lastDay = day
				fmt.Fprintf(w, "\n### %s\n\n", day)
			}
			text := e.Text
			if e.Deleted {
				text = "~~" + strings.TrimSpace(text) + "~~ (deleted)"
			}
			fmt.Fprintf(w, "- **%s** %s · %s", e.OccurredAt.UTC().Format("15:04:05"), e.Kind, e.Author)
			if len(e.Tags) > 0 {
				fmt.Fprintf(w, " · %s", strings.Join(e.Tags, ", "))
			}
			if e.Revision > 1 {
				fmt.Fprintf(w, " · revision %d", e.Revision)
			}
			fmt.Fprintf(w, "  \n  %s\n", indent(text))
			for _, ev := range e.Evidence {
				fmt.Fprintf(w, "  - evidence `%s` %s (%d bytes, %s)\n", ev.SHA256, ev.Name, ev.Size, ev.MediaType)
			}
			return nil
		},
	})
	if err != nil {
		return err
	}
	return w.Flush()
}

// indent keeps a multi-line entry inside its list item.
func indent(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}
