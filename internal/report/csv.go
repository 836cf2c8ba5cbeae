package report

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
)

// csvHeader names the columns of a CSV export: one row per revision, so the file holds the
// whole record; the current timeline is each entry's row with the highest revision.
var csvHeader = []string{
	"seq", "at", "by", "action", "reason", "subject", "subject_id", "revision",
	"kind", "occurred_at", "recorded_at", "author", "text", "tags", "evidence", "deleted", "prev_hash", "hash",
}

// WriteCSV writes the incident's revision log as CSV, each row with the state it recorded.
// Cells that a spreadsheet would run as a formula are prefixed with a quote.
func WriteCSV(ctx context.Context, out io.Writer, src blotter.RecordReader, incidentID string) error {
	w := csv.NewWriter(out)
	if err := w.Write(csvHeader); err != nil {
		return err
	}
	err := src.ReadRecord(ctx, incidentID, blotter.RecordVisitor{
		Incident: func(*blotter.Incident, int64, string) error { return nil },
		Revision: func(r *blotter.Revision) error {
			c, err := r.Decode()
			if err != nil {
				return err
			}
			row := []string{strconv.FormatInt(r.Seq, 10), r.At, r.By, r.Action, r.Reason, r.Subject, r.SubjectID, strconv.Itoa(r.Number)}
			switch {
			case c.Entry != nil:
				e := c.Entry
				row = append(row, string(e.Kind), blotter.FormatTime(e.OccurredAt), blotter.FormatTime(e.RecordedAt), e.Author,
					e.Text, strings.Join(e.Tags, "; "), evidenceCell(e.Evidence), strconv.FormatBool(e.Deleted))
			case c.Task != nil:
				t := c.Task
				row = append(row, "task", t.CreatedAt, "", t.CreatedBy,
					fmt.Sprintf("%s [%s%s] assignee: %s; due: %s", t.Title, t.Status, blockedNote(t), t.Assignee, t.DueAt), "", "", "false")
			case c.Incident != nil:
				inc := c.Incident
				row = append(row, "incident", blotter.FormatTime(inc.CreatedAt), "", inc.CreatedBy,
					fmt.Sprintf("%s [%s, %s]", inc.Title, inc.Severity, inc.Status), "", "", "false")
			}
			row = append(row, r.PrevHash, r.Hash)
			for i := range row {
				row[i] = neutralizeFormula(row[i])
			}
			return w.Write(row)
		},
		Entry: func(*blotter.Entry) error { return nil },
	})
	if err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

func blockedNote(t *blotter.Task) string {
	if t.BlockedReason == "" {
		return ""
	}
	return ": " + t.BlockedReason
}

func evidenceCell(evs []blotter.Evidence) string {
	if len(evs) == 0 {
		return ""
	}
	b, _ := json.Marshal(evs)
	return string(b)
}

// neutralizeFormula keeps a spreadsheet from evaluating a cell (CSV injection): text from a
// clipboard or Slack may well start with '=' on purpose.
func neutralizeFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
