package recorder

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/mdquote"
	"github.com/blotterapp/blotter/internal/vault"
)

// CommandRun is what is known of a command when it starts.
type CommandRun struct {
	IncidentID string    // "" for the active incident
	Args       []string  // the program and its arguments, as run
	Dir        string    // its working directory
	Start      time.Time // when it started: the entry's time (zero is now)
	Note       string    // the responder's words; its #words become tags, as a note's do
	Tags       []string  // tags given explicitly
}

// CommandEnd is how a command ended.
type CommandEnd struct {
	Duration time.Duration
	// ExitCode is the status the command is reported with, as a shell reports it: its own exit
	// status, 128+n when signal n ended it, 127 or 126 when it could not be started.
	ExitCode    int
	Signal      string // the signal that ended it ("SIGKILL"), or ""
	StartError  string // why it could not be started, or "" if it ran
	Interrupted string // a signal Blotter received while it ran ("SIGTERM"), or ""
}

// Limits of what a command's entry quotes of its run. The whole output is the evidence file;
// the entry shows enough to recognise it on the timeline.
const (
	excerptBytes    = 2 << 10 // at most this much of the start, and again of the end
	excerptLines    = 20      // at most this many lines of the start, and again of the end
	maxCommandShown = 64 << 10
	// commandTextRoom is what the entry's text needs besides the note and the command line:
	// the summary line, the excerpt (escaped) and its fences.
	commandTextRoom = 32 << 10
)

// CommandRecording takes a running command's output into the vault as it is written, and
// records the run's entry when it has ended. Start it with StartCommand, write the output to
// it, and call Finish once.
type CommandRecording struct {
	r    *Recorder
	ctx  context.Context
	run  CommandRun
	tags []string
	name string // the evidence file's name

	mu       sync.Mutex
	pw       *io.PipeWriter    // into the vault's ingest; nil until the first byte
	ingested chan ingestResult // the ingest's result, once pw is closed
	vaultErr error             // why the vault stopped taking the output, if it did
	out      outputSummary     // what the entry quotes
	finished bool              // Finish has begun: later writes are not the run's
	finishMu sync.Mutex        // one Finish at a time
	entry    *blotter.Entry    // what Finish recorded
	entryErr error             // or why it could not
	done     bool              // Finish has run
}

type ingestResult struct {
	ev   *blotter.Evidence
	held *vault.Held
	err  error
}

// StartCommand checks everything the entry of a command run depends on (the incident, a
// writable record, the note and the tags) before the command starts, so that a command is
// never run only to have its record refused. ctx is the recording's context for its whole
// life: give one that outlives an interruption of the command (context.WithoutCancel), since
// an interrupted run is recorded too. Returns ENOTFOUND, EINVALID, EUNAVAILABLE.
func (r *Recorder) StartCommand(ctx context.Context, run CommandRun) (*CommandRecording, error) {
	if len(run.Args) == 0 || run.Args[0] == "" {
		return nil, blotter.Errorf(blotter.EINVALID, "no command to run")
	}
	inc, err := r.Incident(ctx, run.IncidentID)
	if err != nil {
		return nil, err
	}
	if why := r.db.ReadOnly(); why != "" {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the command was not run: the record is open for reading only (%s)", why)
	}
	if err := blotter.ValidateText(run.Note); err != nil {
		return nil, err
	}
	tags, err := blotter.NoteTags(run.Tags, run.Note)
	if err != nil {
		return nil, err
	}
	if n := len(run.Note) + len(shownCommand(run.Args)) + len(run.Dir) + commandTextRoom; n > blotter.MaxTextBytes {
		return nil, blotter.Errorf(blotter.EINVALID, "the note and the command line are too long for an entry (%d KiB; the limit is %d KiB): shorten the note",
			n>>10, blotter.MaxTextBytes>>10)
	}
	if run.Start.IsZero() {
		run.Start = r.now()
	}
	run.IncidentID = inc.ID
	return &CommandRecording{r: r, ctx: ctx, run: run, tags: tags, name: outputName(run.Args[0], run.Start)}, nil
}

// Write takes output of the command: stdout and stderr as they are written, in one stream.
// It never fails, so that a vault that stops taking the output (a full disk) never stops the
// command: the entry then says what was not kept. Safe for concurrent use; each call's bytes
// stay together.
func (c *CommandRecording) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.finished || len(p) == 0 {
		return len(p), nil
	}
	c.out.add(p)
	if c.vaultErr != nil {
		return len(p), nil
	}
	if c.pw == nil {
		// Started at the first byte, so that a command without output leaves no empty file.
		pr, pw := io.Pipe()
		c.pw, c.ingested = pw, make(chan ingestResult, 1)
		go func() {
			ev, held, err := c.r.vault.IngestReader(c.ctx, c.name, pr, -1)
			if err == nil {
				err = errIngestDone
			}
			pr.CloseWithError(err) // a later Write fails at once instead of waiting for a reader
			c.ingested <- ingestResult{ev, held, err}
		}()
	}
	if _, err := c.pw.Write(p); err != nil {
		c.vaultErr = err
	}
	return len(p), nil
}

// errIngestDone closes the pipe behind an ingest that ended well, which happens only after
// Finish closed the pipe: no Write can see it.
var errIngestDone = fmt.Errorf("the output's ingest has ended")

// Finish ends the output, waits until the vault holds it, and records the run's entry: the
// command line, where it ran, how long it took, how it ended, the note, and an excerpt of the
// output, whose whole is the entry's evidence. If the record refuses the entry, the output's
// file is taken out of the vault again (as for any refused evidence). A vault that failed to
// keep the output does not lose the run: the entry says so. Calling Finish again returns the
// first result.
func (c *CommandRecording) Finish(end CommandEnd) (*blotter.Entry, error) {
	c.finishMu.Lock()
	defer c.finishMu.Unlock()
	if c.done {
		return c.entry, c.entryErr
	}
	c.done = true
	c.mu.Lock()
	c.finished = true
	pw, vaultErr := c.pw, c.vaultErr
	c.mu.Unlock()

	var ev *blotter.Evidence
	var held *vault.Held
	if pw != nil {
		pw.Close()
		res := <-c.ingested
		switch {
		case res.err != errIngestDone:
			vaultErr = res.err // the copy failed at its end (fsync, rename)
		case vaultErr == nil:
			ev, held = res.ev, res.held
		default:
			c.r.discardUnnamed(res.held) // stored, but not whole: the entry says what was lost
		}
		c.mu.Lock()
		c.vaultErr = vaultErr
		c.mu.Unlock()
	}
	e := &blotter.Entry{IncidentID: c.run.IncidentID, Kind: blotter.KindCommand, OccurredAt: c.run.Start,
		Text: commandText(c.run, end, &c.out, ev, vaultErr), Tags: c.tags}
	if ev == nil {
		c.entry, c.entryErr = c.r.addEntry(c.ctx, e)
	} else {
		c.entry, c.entryErr = c.r.addEvidenceEntry(c.ctx, e, func() (*blotter.Evidence, *vault.Held, error) { return ev, held, nil })
	}
	return c.entry, c.entryErr
}

// OutputError says why the vault did not keep the output, or nil. Valid after Finish.
func (c *CommandRecording) OutputError() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.vaultErr
}

// commandText is the entry's text: a summary line, the note, and the output's excerpt.
// Markdown, as all entry text: the command line and the folder are code spans, the excerpt a
// fenced block, so that nothing in them is read as markup.
func commandText(run CommandRun, end CommandEnd, out *outputSummary, ev *blotter.Evidence, vaultErr error) string {
	var b strings.Builder
	cmd, dir := codeSpan(shownCommand(run.Args)), codeSpan(shownPath(run.Dir))
	took := end.Duration.Round(time.Millisecond)
	switch {
	case end.StartError != "":
		fmt.Fprintf(&b, "Could not run %s in %s: %s (exit %d).", cmd, dir, end.StartError, end.ExitCode)
	case end.Signal != "":
		fmt.Fprintf(&b, "Ran %s in %s: ended by %s after %s (exit %d).", cmd, dir, end.Signal, took, end.ExitCode)
	default:
		fmt.Fprintf(&b, "Ran %s in %s: exit %d after %s.", cmd, dir, end.ExitCode, took)
	}
	if end.Interrupted != "" {
		fmt.Fprintf(&b, " Interrupted: Blotter received %s while it ran.", end.Interrupted)
	}
	if note := strings.TrimSpace(run.Note); note != "" {
		b.WriteString("\n" + note)
	}
	if end.StartError != "" && out.total == 0 {
		return b.String()
	}
	b.WriteString("\n\n")
	switch {
	case vaultErr != nil:
		fmt.Fprintf(&b, "Output: %d bytes, NOT kept: %s.", out.total, strings.TrimSuffix(blotter.ErrorMessage(vaultErr), "."))
		if !out.binary() && out.total > 0 {
			b.WriteString(" First and last lines:\n")
			out.writeExcerpt(&b)
		}
	case out.total == 0:
		b.WriteString("No output.")
	case out.binary():
		fmt.Fprintf(&b, "Output: (binary output, %d bytes), kept whole in %s.", out.total, ev.Name)
	default:
		lines := fmt.Sprintf("%d lines", out.lines())
		if out.lines() == 1 {
			lines = "1 line"
		}
		fmt.Fprintf(&b, "Output (%d bytes, %s; kept whole in %s):\n", out.total, lines, ev.Name)
		out.writeExcerpt(&b)
	}
	return b.String()
}

// outputName names the output's evidence file: run-<program>-<UTC time>.log.
func outputName(program string, at time.Time) string {
	base := strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (r == '-' || r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return -1
	}, filepath.Base(program))
	base = strings.Trim(base, ".")
	if len(base) > 40 {
		base = base[:40]
	}
	if base == "" {
		base = "command"
	}
	return "run-" + base + "-" + at.UTC().Format("20060102-150405") + ".log"
}

// shownCommand is the command line as a shell would take it back: each argument quoted only
// when it needs to be, so that it can be copied and run again.
func shownCommand(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = ShellQuote(a)
	}
	s := strings.Join(quoted, " ")
	if len(s) > maxCommandShown {
		cut := maxCommandShown
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = fmt.Sprintf("%s … (%d more bytes)", s[:cut], len(s)-cut)
	}
	return s
}

// shownPath is a path as valid text: a folder's name may hold any byte but NUL.
func shownPath(p string) string {
	if utf8.ValidString(p) && strings.IndexFunc(p, unicode.IsControl) < 0 {
		return p
	}
	return ShellQuote(p)
}

// ShellQuote quotes s for a POSIX shell: as it is when it holds only characters no shell
// reads specially, in single quotes when it is printable text, and in bash's $'…' when it
// holds control characters or bytes that are not UTF-8 (a file name can), so that the result
// is always valid, printable text.
func ShellQuote(s string) string {
	if s == "" {
		return "''"
	}
	if strings.IndexFunc(s, func(r rune) bool { return !shellSafe(r) }) < 0 {
		return s
	}
	printable := utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) < 0
	if printable {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\'' || r == '\\':
			b.WriteString(`\` + string(r))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80 && !unicode.IsPrint(r) && r != ' ':
			fmt.Fprintf(&b, `\x%02x`, r)
		case !unicode.IsPrint(r) && r > 0xffff:
			fmt.Fprintf(&b, `\U%08x`, r)
		case !unicode.IsPrint(r) && r != ' ':
			fmt.Fprintf(&b, `\u%04x`, r) // bidi and invisible characters are shown, never obeyed
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteString("'")
	return b.String()
}

func shellSafe(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		strings.ContainsRune("_@%+=:,./-", r))
}

// codeSpan makes s a Markdown code span. Its delimiter is longer than any run of backticks in
// s, and the spaces inside it (which Markdown removes) also end a secret that s ends with, so
// that a secret's mark never takes the closing backtick.
func codeSpan(s string) string {
	ticks := strings.Repeat("`", mdquote.LongestRun(s, '`')+1)
	return ticks + " " + s + " " + ticks
}

// outputSummary follows an output stream in constant memory: its size, its line count,
// whether it is text (valid UTF-8 without NUL), its first bytes and its last.
type outputSummary struct {
	total     int64
	newlines  int64
	last      byte   // the last byte seen
	head      []byte // the first excerptBytes
	tail      []byte // the last excerptBytes
	notText   bool   // a NUL or a byte sequence that is not UTF-8 was seen
	partial   []byte // the start of a character the last write cut off
	tailSpace [excerptBytes * 2]byte
}

func (o *outputSummary) add(p []byte) {
	o.total += int64(len(p))
	o.newlines += int64(bytes.Count(p, []byte{'\n'}))
	o.last = p[len(p)-1]
	if room := excerptBytes - len(o.head); room > 0 {
		o.head = append(o.head, p[:min(room, len(p))]...)
	}
	// The tail slides over a buffer twice its size, so that most writes copy only themselves.
	if o.tail == nil {
		o.tail = o.tailSpace[:0]
	}
	if len(p) >= excerptBytes {
		o.tail = append(o.tailSpace[:0], p[len(p)-excerptBytes:]...)
	} else {
		if len(o.tail)+len(p) > len(o.tailSpace) {
			keep := o.tail[len(o.tail)-(excerptBytes-len(p)):]
			o.tail = append(o.tailSpace[:0], keep...)
		}
		o.tail = append(o.tail, p...)
	}
	o.checkText(p)
}

// checkText follows whether the stream is text, carrying a character cut between two writes
// over to the next.
func (o *outputSummary) checkText(p []byte) {
	if o.notText {
		return
	}
	if bytes.IndexByte(p, 0) >= 0 {
		o.notText = true
		return
	}
	if len(o.partial) > 0 {
		n := min(len(p), utf8.UTFMax-len(o.partial))
		joined := append(o.partial, p[:n]...)
		r, size := utf8.DecodeRune(joined)
		switch {
		case r != utf8.RuneError || size > 1:
			p = p[size-len(o.partial):]
			o.partial = o.partial[:0]
		case !utf8.FullRune(joined) && n == len(p):
			o.partial = joined // still not whole: the next write may complete it
			return
		default:
			o.notText = true
			return
		}
	}
	// Hold back a character the write cut off at its end.
	cut := len(p)
	for i := len(p) - 1; i >= 0 && i >= len(p)-(utf8.UTFMax-1); i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				cut = i
			}
			break
		}
	}
	if !utf8.Valid(p[:cut]) {
		o.notText = true
		return
	}
	o.partial = append(o.partial[:0], p[cut:]...)
}

// binary reports whether the output is not text: a NUL, bytes that are not UTF-8, or a
// character cut off at its end.
func (o *outputSummary) binary() bool { return o.notText || len(o.partial) > 0 }

// lines counts lines as a reader would: a last line without its newline counts too.
func (o *outputSummary) lines() int64 {
	if o.total > 0 && o.last != '\n' {
		return o.newlines + 1
	}
	return o.newlines
}

// writeExcerpt writes the output, or its first and last lines when it is longer than an
// excerpt, as fenced blocks. Call it only for text.
func (o *outputSummary) writeExcerpt(b *strings.Builder) {
	var first, last []byte
	if o.total <= int64(2*excerptBytes) {
		whole := append(append([]byte(nil), o.head...), o.tail[len(o.tail)-int(o.total-int64(len(o.head))):]...)
		first = whole
		if lines := bytes.Split(bytes.TrimSuffix(whole, []byte("\n")), []byte("\n")); len(lines) > 2*excerptLines {
			first = append(bytes.Join(lines[:excerptLines], []byte("\n")), '\n')
			last = bytes.Join(lines[len(lines)-excerptLines:], []byte("\n"))
		}
	} else {
		first, last = firstLines(o.head), lastLines(o.tail[len(o.tail)-excerptBytes:])
	}
	fenced(b, first)
	if last != nil {
		fmt.Fprintf(b, "… %d bytes not shown …\n", o.total-int64(len(first))-int64(len(last))-lastNewline(o))
		fenced(b, last)
	}
}

// lastNewline is 1 if the output ends with a newline, which the last lines shown leave out.
func lastNewline(o *outputSummary) int64 {
	if o.last == '\n' {
		return 1
	}
	return 0
}

// firstLines is at most excerptLines whole lines from the start of head, or, for a first line
// longer than head, as much of it as head holds in whole characters.
func firstLines(head []byte) []byte {
	end, n := 0, 0
	for i, c := range head {
		if c == '\n' {
			end, n = i+1, n+1
			if n == excerptLines {
				break
			}
		}
	}
	if end == 0 {
		end = len(head)
		for end > 0 && !utf8.Valid(head[:end]) {
			end--
		}
	}
	return head[:end]
}

// lastLines is at most excerptLines whole lines from the end of tail (without the final
// newline), or the end of one long line in whole characters.
func lastLines(tail []byte) []byte {
	t := bytes.TrimSuffix(tail, []byte("\n"))
	start, n := -1, 0
	for i := len(t) - 1; i >= 0; i-- {
		if t[i] == '\n' {
			start, n = i+1, n+1
			if n == excerptLines {
				break
			}
		}
	}
	if start < 0 {
		start = 0
		for start < len(t) && !utf8.RuneStart(t[start]) {
			start++
		}
	}
	return t[start:]
}

// fenced writes text as a fenced code block whose fence is longer than any run of backticks
// in it.
func fenced(b *strings.Builder, text []byte) {
	fence := strings.Repeat("`", max(3, mdquote.LongestRun(string(text), '`')+1))
	b.WriteString(fence + "\n")
	b.Write(bytes.TrimSuffix(text, []byte("\n")))
	b.WriteString("\n" + fence + "\n")
}
