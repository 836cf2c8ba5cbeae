package report

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/mdquote"
	"github.com/blotterapp/blotter/internal/textsafe"
)

// Options says how an export for people (Markdown, CSV) is written. The JSON export takes none:
// it is the exact record, and a masked copy would no longer match its hashes.
type Options struct {
	// Unmasked writes the secrets marked in entries as they are, and says so at the top of the
	// file. By default each marked secret reads [REDACTED kind]: an export leaves the machine.
	// Marks are on entry text only; titles, tags and reasons are written as they are.
	Unmasked bool
	// Now is the export time the file states; zero means the current time.
	Now time.Time
}

// unmaskedNotice heads an export written with Options.Unmasked.
const unmaskedNotice = "This export includes unmasked secrets: every credential marked in the record is written out in full. " +
	"Keep and share it as you would the credentials themselves."

func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

// text returns the entry's text as the export shows it: its marked secrets masked, unless
// Unmasked.
func (o Options) text(e *blotter.Entry) string {
	if o.Unmasked || len(e.Secrets) == 0 {
		return e.Text
	}
	return blotter.MaskSecrets(e.Text, e.Secrets)
}

// secretKinds lists the kinds of secret an entry holds, each once, in order.
func secretKinds(secrets []blotter.Secret) []string {
	var kinds []string
	for _, s := range secrets {
		if !slices.Contains(kinds, s.Kind) {
			kinds = append(kinds, s.Kind)
		}
	}
	return kinds
}

// WriteMarkdown writes the incident's record for people: the timeline grouped by day (deleted
// entries marked), each entry's evidence with its digest, then the revision log with every
// hash, so that a printed copy can still be checked against the JSON export.
//
// The file is safe to render in GitLab, an IDE preview or a browser, whatever the record says:
// the headings, lists and table are Blotter's own, and every piece of recorded text is quoted
// as code, where Markdown, HTML, links, images and GitLab references are not active. An
// entry's text is a fenced code block whose fence is longer than any run of backticks in it;
// one-line fields (title, authors, tags, evidence names, reasons) are code spans. Control and
// bidirectional characters are shown as escapes (textsafe). Marked secrets are masked unless
// opts.Unmasked.
func WriteMarkdown(ctx context.Context, out io.Writer, src blotter.RecordReader, incidentID string, opts Options) error {
	w := bufio.NewWriterSize(out, 1<<16)
	var (
		lastDay   string
		logOpened bool
	)
	err := src.ReadRecord(ctx, incidentID, blotter.RecordVisitor{
		EntriesFirst: true,
		Incident: func(inc *blotter.Incident, headSeq int64, headHash string) error {
			if opts.Unmasked {
				fmt.Fprintf(w, "> **%s**\n\n", unmaskedNotice)
			}
			fmt.Fprintf(w, "# Incident %s\n\n", code(inc.Title))
			fmt.Fprintf(w, "- Incident: %s\n- Severity: %s\n- Status: %s\n- Opened: %s by %s\n",
				code(inc.ID), word(string(inc.Severity)), word(string(inc.Status)), blotter.FormatTime(inc.CreatedAt), code(inc.CreatedBy))
			fmt.Fprintf(w, "- Record: %d revisions, head %s\n- Exported: %s\n", headSeq, code(headHash), blotter.FormatTime(opts.now()))
			if opts.Unmasked {
				w.WriteString("- Secrets: **not masked**\n")
			} else {
				w.WriteString("- Secrets: masked; each secret marked in an entry reads `[REDACTED kind]`\n")
			}
			w.WriteString("\nRecorded text is quoted as code, as it was written, except that control and " +
				"bidirectional characters are shown as escapes (`\\x1b`, `\\r`, `\\u202e`).\n\n## Timeline (UTC)\n")
			return nil
		},
		Revision: func(r *blotter.Revision) error {
			if !logOpened {
				logOpened = true
				fmt.Fprintf(w, "\n## Revision log\n\n`hash = SHA-256(previous hash + \"\\n\" + content)`; the contents are in the JSON export.\n\n")
				fmt.Fprintf(w, "| # | at | by | action | subject | reason | hash |\n|---|---|---|---|---|---|---|\n")
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s | %s %s r%d | %s | %s |\n", r.Seq, cellCode(r.At), cellCode(r.By), word(r.Action),
				word(r.Subject), cellCode(r.SubjectID), r.Number, cellCode(r.Reason), cellCode(r.Hash))
			return nil
		},
		Entry: func(e *blotter.Entry) error {
			if day := e.OccurredAt.UTC().Format("2006-01-02 (Monday)"); day != lastDay {
				lastDay = day
				fmt.Fprintf(w, "\n### %s\n", day)
			}
			// The entry's line: when, what, who, then its marks.
			fmt.Fprintf(w, "\n**%s** · %s · %s", e.OccurredAt.UTC().Format("15:04:05"), word(string(e.Kind)), code(e.Author))
			if len(e.Tags) > 0 {
				tags := make([]string, len(e.Tags))
				for i, t := range e.Tags {
					tags[i] = code(t)
				}
				fmt.Fprintf(w, " · tags %s", strings.Join(tags, ", "))
			}
			if e.Revision > 1 {
				fmt.Fprintf(w, " · revision %d", e.Revision)
			}
			if len(e.Secrets) > 0 {
				kinds := secretKinds(e.Secrets)
				for i, k := range kinds {
					kinds[i] = word(k)
				}
				state := "masked"
				if opts.Unmasked {
					state = "**not masked**"
				}
				fmt.Fprintf(w, " · (holds secrets: %s — %s)", strings.Join(kinds, ", "), state)
			}
			if e.Deleted {
				w.WriteString(" · **(deleted)**")
			}
			w.WriteString("\n")
			// The text, quoted whole.
			if text := opts.text(e); strings.TrimSpace(text) != "" {
				w.WriteString("\n")
				w.WriteString(fenced(text))
			}
			if len(e.Evidence) > 0 {
				w.WriteString("\n")
			}
			for _, ev := range e.Evidence {
				fmt.Fprintf(w, "- evidence %s %s (%d bytes, %s)\n", code(ev.SHA256), code(ev.Name), ev.Size, code(ev.MediaType))
			}
			return nil
		},
	})
	if err != nil {
		return err
	}
	return w.Flush()
}

// fenced quotes multi-line text as a fenced code block. CommonMark closes a fence of n
// backticks only with a line of at least n backticks, so a fence longer than the longest run
// of backticks in the text cannot be closed from inside it. Backticks rather than tildes:
// every renderer that knows fences knows backtick fences, and one that did not know tilde
// fences would render the text as live Markdown. The info string is ours ("text"), so that
// GitLab never renders the block as a diagram or math.
func fenced(s string) string {
	return mdquote.Fence(textsafe.TerminalMultiline(s), "text") + "\n"
}

// code quotes one line of recorded text as a code span: Markdown, HTML, entities, autolinks
// and GitLab references (@user, #1) are not active inside one. Control and bidi characters
// are shown as escapes, which also keeps the text on one line.
func code(s string) string { return codeSpan(textsafe.Terminal(s), false) }

// cellCode is code for a cell of a GFM table, where "|" ends the cell even inside a code span
// unless it is escaped; the table parser removes the escape again.
func cellCode(s string) string { return codeSpan(textsafe.Terminal(s), true) }

// word writes a value that is normally a plain lower-case word (a kind, a status, an action)
// as it is, and anything else (an imported record may say anything) as cellCode.
func word(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == "" {
		return s
	}
	return cellCode(s)
}

// codeSpan returns s, which holds no line break, as a CommonMark code span: delimited by one
// backtick more than the longest run inside it, and padded with a space on each side when it
// starts or ends with a backtick or a space, since the renderer strips one such space.
func codeSpan(s string, inCell bool) string {
	if s == "" {
		return ""
	}
	delim := strings.Repeat("`", mdquote.LongestRun(s, '`')+1)
	if s[0] == '`' || s[len(s)-1] == '`' || (s[0] == ' ' && s[len(s)-1] == ' ' && strings.Trim(s, " ") != "") {
		s = " " + s + " "
	}
	if inCell {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	return delim + s + delim
}
