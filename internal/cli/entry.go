package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/sqlite"
	"github.com/blotterapp/blotter/internal/textsafe"
)

func (r *runner) noteCmd() *cobra.Command {
	var (
		at        string
		tags      []string
		fromStdin bool
	)
	cmd := &cobra.Command{
		Use:   "note [--at TIME] [--tag TAG]... TEXT...",
		Short: "Add a note to the active incident and print its id",
		Long: `Add a note to the active incident and print its id. TIME is RFC 3339, HH:MM[:SS] (local, the
most recent such time), YYYY-MM-DD HH:MM[:SS] (local) or relative (-15m). With --stdin, every
line read becomes a note of its own, timed when it is read, and each id is printed once the
note is stored: 'tail -f app.log | grep -i denied | blotter note --stdin'.`,
		RunE: func(cmd *cobra.Command, a []string) error {
			if fromStdin == (len(a) > 0) {
				return usageError{errors.New("note takes TEXT or --stdin, not both or neither")}
			}
			var occurred time.Time
			if cmd.Flags().Changed("at") { // --at "" is a mistake, not "now"
				var err error
				if occurred, err = r.parseTime(at); err != nil {
					return err
				}
			}
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			add := func(text string, when time.Time) error {
				e, err := rec.AddNote(cmd.Context(), recorder.Note{IncidentID: inc.ID, Text: text, At: when, Tags: tags})
				if err != nil {
					return err
				}
				r.printf("%s\n", e.ID)
				return nil
			}
			if !fromStdin {
				return add(strings.Join(a, " "), occurred)
			}
			// One note per line; a bad line is reported and skipped, the rest still land.
			lines := bufio.NewReaderSize(interruptible(cmd.Context(), r.env.Stdin), 64<<10)
			var failed int
			for n := 1; ; n++ {
				text, err := readLine(lines, blotter.MaxTextBytes)
				if errors.Is(err, io.EOF) {
					break
				} else if err != nil && blotter.ErrorCode(err) != blotter.EINVALID {
					return fmt.Errorf("reading standard input: %w", err) // context.Canceled: interrupted
				}
				if err == nil && strings.TrimSpace(text) == "" {
					continue
				}
				when := occurred
				if when.IsZero() {
					when = r.env.Now()
				}
				if err == nil {
					err = add(text, when)
				}
				if err != nil {
					if blotter.ErrorCode(err) != blotter.EINVALID {
						return err
					}
					failed++
					fmt.Fprintf(r.env.Stderr, "blotter: line %d: %s\n", n, textsafe.Terminal(err.Error()))
				}
			}
			if failed > 0 {
				return blotter.Errorf(blotter.EINVALID, "%d lines were not added", failed)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "when it happened (default: now)")
	cmd.Flags().StringArrayVar(&tags, "tag", nil, "a tag (repeatable)")
	cmd.Flags().BoolVar(&fromStdin, "stdin", false, "add each line of standard input as a note")
	return cmd
}

// readLine reads one line without its line ending. A line longer than max is read to its end
// and dropped, with an EINVALID error that says so, so that one huge line neither fills memory
// nor costs the lines after it. It returns io.EOF when there is nothing left.
func readLine(br *bufio.Reader, max int) (string, error) {
	var (
		line []byte
		size int // the line's length without its "\n"
	)
	for {
		chunk, err := br.ReadSlice('\n')
		if err == nil {
			chunk = chunk[:len(chunk)-1]
		}
		size += len(chunk)
		if size <= max+1 { // room for a "\r" before the "\n"
			line = append(line, chunk...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && size == 0:
			return "", io.EOF
		case err != nil && !errors.Is(err, io.EOF):
			return "", err
		}
		text := strings.TrimSuffix(string(line), "\r")
		if size > max+1 || len(text) > max {
			return "", blotter.Errorf(blotter.EINVALID, "the line is %d bytes; the limit is %d bytes (%d KiB): attach it as a file instead",
				size, max, max>>10)
		}
		return text, nil
	}
}

func (r *runner) attachCmd() *cobra.Command {
	var note, at string
	cmd := &cobra.Command{
		Use:   "attach FILE... [--note TEXT]",
		Short: "Copy files into the evidence vault and add a file entry for each",
		Long: `Copy each file into the evidence vault (stored once, under its SHA-256) and add a file entry
for it to the active incident. Prints "sha256  name" per file, as sha256sum does. A file that
cannot be attached is reported and the others still are.`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			var occurred time.Time
			if cmd.Flags().Changed("at") { // --at "" is a mistake, not "now"
				var err error
				if occurred, err = r.parseTime(at); err != nil {
					return err
				}
			}
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			var firstErr error // its code becomes the exit code
			failed := 0
			for _, path := range a {
				e, err := rec.Attach(cmd.Context(), inc.ID, path, note, occurred, nil)
				if err != nil {
					failed++
					if firstErr == nil {
						firstErr = err
					}
					fmt.Fprintf(r.env.Stderr, "blotter: attach: %s\n", textsafe.Terminal(err.Error()))
					continue
				}
				ev := e.Evidence[0]
				r.printf("%s  %s\n", ev.SHA256, textsafe.Terminal(ev.Name)) // as sha256sum prints, for sha256sum -c
				if ev.LinkTarget != "" {
					fmt.Fprintf(r.env.Stderr, "blotter: %s is a symlink: what it leads to was taken in: %s\n",
						textsafe.Terminal(path), textsafe.Terminal(ev.LinkTarget))
				}
			}
			if failed > 0 {
				return blotter.Errorf(blotter.ErrorCode(firstErr), "%d of %d files were not attached", failed, len(a))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&note, "note", "", "text for the entries")
	cmd.Flags().StringVar(&at, "at", "", "when it happened (default: now)")
	return cmd
}

func (r *runner) timelineCmd() *cobra.Command {
	var (
		asJSON, all  bool
		kinds        []string
		tag, author  string
		since, until string
		filter       blotter.EntryFilter
	)
	cmd := &cobra.Command{
		Use:   "timeline",
		Short: "Print the incident's timeline, oldest first",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, k := range kinds {
				kind, err := blotter.ParseKind(k)
				if err != nil {
					return err
				}
				filter.Kinds = append(filter.Kinds, kind)
			}
			var err error
			if cmd.Flags().Changed("since") {
				if filter.Since, err = r.parseTime(since); err != nil {
					return err
				}
			}
			if cmd.Flags().Changed("until") {
				if filter.Until, err = r.parseTime(until); err != nil {
					return err
				}
			}
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			filter.IncidentID, filter.Tag, filter.Author, filter.IncludeDeleted = inc.ID, tag, author, all
			entries, err := rec.Timeline(cmd.Context(), filter)
			if err != nil && blotter.ErrorField(err) != blotter.FieldDamaged {
				return err
			}
			if perr := r.printEntries(entries, asJSON); perr != nil {
				return perr
			}
			return err // what could not be shown, after what could
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&all, "all", false, "include deleted entries")
	cmd.Flags().StringArrayVar(&kinds, "kind", nil, "only this kind (repeatable): "+strings.Join(kindNames(), ", "))
	cmd.Flags().StringVar(&tag, "tag", "", "only entries with this tag")
	cmd.Flags().StringVar(&author, "author", "", "only entries by this author")
	cmd.Flags().StringVar(&since, "since", "", "only entries at or after this time")
	cmd.Flags().StringVar(&until, "until", "", "only entries before this time")
	return cmd
}

func kindNames() []string {
	names := make([]string, len(blotter.Kinds))
	for i, k := range blotter.Kinds {
		names[i] = string(k)
	}
	return names
}

// printEntries prints entries as JSON or as one line each: id, UTC time, kind, author, text.
func (r *runner) printEntries(entries []*blotter.Entry, asJSON bool) error {
	if asJSON {
		return r.printJSON(entries)
	}
	tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	for _, e := range entries {
		text := textsafe.Terminal(strings.ReplaceAll(strings.ReplaceAll(e.Text, "\r\n", "\n"), "\n", " ⏎ "))
		for _, ev := range e.Evidence {
			text = strings.TrimSpace(fmt.Sprintf("%s [%s%s %.12s]", text, textsafe.Terminal(ev.Name), linkNote(ev), ev.SHA256))
		}
		// Tags as the app shows them (#Start time); one already written in the text, in either
		// spelling (#start-time), is not repeated.
		for _, t := range e.Tags {
			typed := "#" + strings.ReplaceAll(t, " ", "-")
			if !strings.Contains(strings.ToLower(e.Text), strings.ToLower(typed)) {
				text += " " + textsafe.Terminal("#"+t)
			}
		}
		if e.Deleted {
			text = "(deleted) " + text
		}
		if len(e.Secrets) > 0 {
			kinds := make([]string, len(e.Secrets))
			for i, sec := range e.Secrets {
				kinds[i] = sec.Kind
			}
			text = "(holds secrets: " + strings.Join(kinds, ", ") + ") " + text
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ID, e.OccurredAt.UTC().Format("2006-01-02 15:04:05Z"), e.Kind, textsafe.Terminal(e.Author), text)
	}
	return tw.Flush()
}

func (r *runner) editCmd() *cobra.Command {
	var text, at, reason string
	var tags []string
	cmd := &cobra.Command{
		Use:   "edit ID [--text T] [--at TIME] [--tag T]... --reason WHY",
		Short: "Change an entry; the old version stays in its history",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			var upd blotter.EntryUpdate
			if cmd.Flags().Changed("text") {
				upd.Text = &text
			}
			if cmd.Flags().Changed("at") {
				t, err := r.parseTime(at)
				if err != nil {
					return err
				}
				upd.OccurredAt = &t
			}
			if cmd.Flags().Changed("tag") {
				upd.Tags = &tags
			}
			if upd == (blotter.EntryUpdate{}) {
				return usageError{errors.New("edit needs --text, --at or --tag")}
			}
			return r.revise(cmd, func(rec *recorder.Recorder) (*blotter.Entry, error) {
				return rec.EditEntry(cmd.Context(), a[0], upd, reason)
			})
		},
	}
	cmd.Flags().StringVar(&text, "text", "", "the new text")
	cmd.Flags().StringVar(&at, "at", "", "the new time")
	cmd.Flags().StringArrayVar(&tags, "tag", nil, "the new tags (repeatable; --tag '' clears them)")
	cmd.Flags().StringVar(&reason, "reason", "", "why (required, kept in the record)")
	return cmd
}

func (r *runner) rmCmd() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "rm ID --reason WHY",
		Short: "Delete an entry: it is hidden, and kept in the record",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return r.revise(cmd, func(rec *recorder.Recorder) (*blotter.Entry, error) {
				return rec.DeleteEntry(cmd.Context(), a[0], reason)
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (required, kept in the record)")
	return cmd
}

func (r *runner) restoreCmd() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "restore ID --reason WHY",
		Short: "Show a deleted entry again",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return r.revise(cmd, func(rec *recorder.Recorder) (*blotter.Entry, error) {
				return rec.RestoreEntry(cmd.Context(), a[0], reason)
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (required, kept in the record)")
	return cmd
}

// revise runs one change to an entry and prints the new revision.
func (r *runner) revise(cmd *cobra.Command, change func(*recorder.Recorder) (*blotter.Entry, error)) error {
	rec, err := r.open(cmd.Context())
	if err != nil {
		return err
	}
	e, err := change(rec)
	if err != nil {
		return err
	}
	r.printf("%s revision %d\n", e.ID, e.Revision)
	return nil
}

func (r *runner) historyCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "history ID",
		Short: "Print every revision of an entry: who, when, why, and what it said",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			revs, err := rec.History(cmd.Context(), a[0])
			if err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(revs)
			}
			for _, rev := range revs {
				c, err := rev.Decode()
				if err != nil {
					return err
				}
				r.printf("revision %d  %s  %s by %s", rev.Number, rev.At, rev.Action, textsafe.Terminal(rev.By))
				if rev.Reason != "" {
					r.printf(": %s", textsafe.Terminal(rev.Reason))
				}
				r.printf("\n  hash %s\n", rev.Hash)
				if e := c.Entry; e != nil {
					r.printf("  at %s  tags %s\n  %s\n", blotter.FormatTime(e.OccurredAt), textsafe.Terminal(strings.Join(e.Tags, ", ")),
						strings.ReplaceAll(textsafe.TerminalMultiline(e.Text), "\n", "\n  "))
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (r *runner) searchCmd() *cobra.Command {
	var (
		asJSON bool
		opts   blotter.SearchOptions
	)
	cmd := &cobra.Command{
		Use:   "search QUERY...",
		Short: "Search the incident's text, tags and evidence names, newest first",
		Long: `Search the incident's entry text, tags and evidence file names, newest first. Every word must
match, as the start of a word (login finds logins); "quote" a phrase to match it exactly.
Standard error says how many match and how to get the next page.`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			query := strings.Join(a, " ")
			entries, err := rec.Search(cmd.Context(), inc.ID, query, opts)
			if err != nil {
				return err
			}
			if err := r.printEntries(entries, asJSON); err != nil {
				return err
			}
			// Say how many there are and how to get the rest, on stderr so that a pipe reads
			// the entries alone.
			total, err := rec.SearchCount(cmd.Context(), inc.ID, query)
			if err != nil {
				return err
			}
			fmt.Fprintln(r.env.Stderr, searchFooter(query, opts, len(entries), total, entries))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().IntVar(&opts.Limit, "limit", 50, "at most this many results")
	cmd.Flags().StringVar(&opts.Before, "before", "", "continue after this entry id (the last of a previous page)")
	return cmd
}

// searchFooter says how many entries match and, when there are more, the command for the
// next page.
func searchFooter(query string, opts blotter.SearchOptions, shown, total int, page []*blotter.Entry) string {
	count := fmt.Sprint(total)
	if total > sqlite.MaxSearchCount {
		count = fmt.Sprintf("more than %d", sqlite.MaxSearchCount)
	}
	switch {
	case total == 0:
		return "no entry matches"
	case shown == 0:
		return fmt.Sprintf("%s match; none after that entry", count)
	case opts.Before == "" && shown >= total:
		return fmt.Sprintf("%d of %s matches", shown, count)
	}
	last := page[len(page)-1].ID
	if len(page) < max(opts.Limit, 1) {
		return fmt.Sprintf("%d more of %s matches: the last page", shown, count)
	}
	return fmt.Sprintf("%d of %s matches; next page: blotter search %s --before %s", shown, count, shellQuote(query), last)
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,:/@%+=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func (r *runner) observablesCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "observables",
		Short: "List the IPs, domains, URLs, hashes, e-mail addresses and CVEs in the incident",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			list, err := rec.Observables(cmd.Context(), inc.ID)
			if err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(list)
			}
			tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
			for _, o := range list {
				fmt.Fprintf(tw, "%s\t%s\t%d entries\t%s\n", o.Kind, textsafe.Terminal(o.Value), len(o.EntryIDs), strings.Join(o.EntryIDs, " "))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// linkNote says where a symlinked evidence file pointed: " (a link to /etc/shadow)", so that a
// harmless-looking name cannot hide what was taken in.
func linkNote(ev blotter.Evidence) string {
	if ev.LinkTarget == "" {
		return ""
	}
	return " (a link to " + textsafe.Terminal(ev.LinkTarget) + ")"
}
