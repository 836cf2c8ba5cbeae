package report

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/textsafe"
)

// csvHeader names the columns of a CSV export: one row per revision, so the file holds the
// whole record; the current timeline is each entry's row with the highest revision. New
// columns go at the end, so that files read by column number still read.
var csvHeader = []string{
	"seq", "at", "by", "action", "reason", "subject", "subject_id", "revision",
	"kind", "occurred_at", "recorded_at", "author", "text", "tags", "evidence", "deleted", "prev_hash", "hash",
	"secrets",
}

// csvText is the column of entry text, the one cell that keeps its line breaks.
var csvText = slices.Index(csvHeader, "text")

// WriteCSV writes the incident's revision log as CSV, each row with the state it recorded.
//
// Every cell is text for people to read in a spreadsheet: control and bidirectional
// characters are shown as escapes (textsafe), and each cell is one line, except the text
// column, which keeps its line breaks (a quoted CSV cell holds them, and a note is read line
// by line). Cells that a spreadsheet would run as a formula are prefixed with a quote.
//
// Marked secrets are masked, in every revision's copy of the text, unless opts.Unmasked; the
// "secrets" column names the kinds an entry holds and says whether they are masked. With
// opts.Unmasked the first row is a notice saying so, as wide as the others.
func WriteCSV(ctx context.Context, out io.Writer, src blotter.RecordReader, incidentID string, opts Options) error {
	w := csv.NewWriter(out)
	if opts.Unmasked {
		notice := make([]string, len(csvHeader))
		notice[0] = unmaskedNotice
		if err := w.Write(notice); err != nil {
			return err
		}
	}
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
			secrets := ""
			switch {
			case c.Entry != nil:
				e := c.Entry
				row = append(row, string(e.Kind), blotter.FormatTime(e.OccurredAt), blotter.FormatTime(e.RecordedAt), e.Author,
					opts.text(e), strings.Join(e.Tags, "; "), evidenceCell(e.Evidence), strconv.FormatBool(e.Deleted))
				secrets = secretsCell(e.Secrets, opts)
			case c.Task != nil:
				t := c.Task
				row = append(row, "task", t.CreatedAt, "", t.CreatedBy,
					fmt.Sprintf("%s [%s%s] assignee: %s; due: %s", t.Title, t.Status, blockedNote(t), t.Assignee, t.DueAt), "", "", "false")
			case c.Incident != nil:
				inc := c.Incident
				row = append(row, "incident", blotter.FormatTime(inc.CreatedAt), "", inc.CreatedBy,
					fmt.Sprintf("%s [%s, %s]", inc.Title, inc.Severity, inc.Status), "", "", "false")
			}
			row = append(row, r.PrevHash, r.Hash, secrets)
			for i := range row {
				if i == csvText {
					row[i] = textsafe.TerminalMultiline(row[i])
				} else {
					row[i] = textsafe.Terminal(row[i])
				}
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

// secretsCell names the kinds of secret an entry holds, and whether the export masks them.
func secretsCell(secrets []blotter.Secret, opts Options) string {
	if len(secrets) == 0 {
		return ""
	}
	state := "masked: "
	if opts.Unmasked {
		state = "NOT MASKED: "
	}
	return state + strings.Join(secretKinds(secrets), "; ")
}

// evidenceCell writes the evidence list as JSON. The escapes that WriteCSV then applies to a
// name's bidi or invisible characters (\u202e) are JSON's own, so the cell still decodes to
// the exact names (but for the rare such characters beyond U+FFFF).
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
