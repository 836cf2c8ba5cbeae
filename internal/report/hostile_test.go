package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/ioc"
	"github.com/blotterapp/blotter/internal/report"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// awsKey is AWS's documented example access key id: ioc.FindSecrets marks it.
const awsKey = "AKIAIOSFODNN7EXAMPLE"

// hostileText is a note that tries everything a Markdown renderer or a terminal would act on.
const hostileText = "<script>alert(1)</script>\n" +
	"<img src=https://evil.example/x.png>\n" +
	"[click](javascript:alert(1))\n" +
	"![x](https://evil.example/p.png)\n" +
	"## Revision log\n" +
	"# Fake title\n" +
	"- fake list item\n" +
	"| fake | table |\n" +
	"```\n" +
	"still inside? ```` ````\n" +
	"~~~\n" +
	"<!-- comment\n" +
	"key " + awsKey + " found in .env\n" +
	"\x1b]8;;https://evil.example\x1b\\docs\x1b]8;;\x1b\\ and \x1b[2Kforged\rline\n" +
	"www.evil.example https://evil.example/auto @ana #1 &lt;b&gt; \\<b\\>"

// hostileRecord makes an incident whose title, authors, tags, evidence names and reasons are
// hostile, with a note holding an AWS key, an edit that removes the key (its first revision
// still holds it) and a deleted entry.
func hostileRecord(t *testing.T, db *sqlite.DB) *blotter.Incident {
	t.Helper()
	ctx := context.Background()
	db.FindSecrets = ioc.FindSecrets
	inc := &blotter.Incident{Title: "Q3 <b>breach</b> \x1b]0;pwned\x07 [x](https://evil.example)", Severity: blotter.SeverityHigh}
	if err := db.CreateIncident(ctx, inc, blotter.Change{By: "ana"}, false); err != nil {
		t.Fatal(err)
	}
	add := func(by string, e *blotter.Entry) *blotter.Entry {
		e.IncidentID = inc.ID
		if err := db.AddEntry(ctx, e, blotter.Change{By: by}); err != nil {
			t.Fatal(err)
		}
		return e
	}
	add("eve\u202egnp.exe", &blotter.Entry{Kind: blotter.KindNote, Text: hostileText, OccurredAt: t0,
		Tags: []string{"a|b", "x`y", "<i>"}})
	leaked := add("ana", &blotter.Entry{Kind: blotter.KindClipboard, Text: "aws_access_key_id = " + awsKey, OccurredAt: t0.Add(time.Minute)})
	text := "aws_access_key_id = (rotated)"
	if _, err := db.EditEntry(ctx, leaked.ID, blotter.EntryUpdate{Text: &text},
		blotter.Change{By: "ben", Reason: "key rotated | `see` <a href=https://evil.example>ticket</a>"}); err != nil {
		t.Fatal(err)
	}
	gone := add("ana", &blotter.Entry{Kind: blotter.KindNote, Text: "```\n## not a heading", OccurredAt: t0.Add(2 * time.Minute)})
	if _, err := db.DeleteEntry(ctx, gone.ID, blotter.Change{By: "ana", Reason: "wrong incident"}); err != nil {
		t.Fatal(err)
	}
	add("ana", &blotter.Entry{Kind: blotter.KindFile, OccurredAt: t0.Add(3 * time.Minute), Evidence: []blotter.Evidence{
		{SHA256: strings.Repeat("ab", 32), Name: "<svg onload=alert(1)>`.png", Size: 3, MediaType: "image/svg+xml"}}})
	return inc
}

func exportMarkdown(t *testing.T, db *sqlite.DB, inc *blotter.Incident, opts report.Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.WriteMarkdown(context.Background(), &buf, db, inc.ID, opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestMarkdownHostileRecordIsInert(t *testing.T) {
	db := openDB(t)
	inc := hostileRecord(t, db)
	md := exportMarkdown(t, db, inc, report.Options{Now: t0})
	checkInertMarkdown(t, md)

	// The hostile text is all there, quoted, with its controls shown.
	for _, want := range []string{
		"# Incident `Q3 <b>breach</b> \\x1b]0;pwned\\x07 [x](https://evil.example)`",
		"`eve\\u202egnp.exe`",
		"tags `a|b`, ``x`y``, `<i>`",
		"\n`````text\n<script>alert(1)</script>\n",
		"\n## Revision log\n# Fake title\n",
		"\\x1b]8;;https://evil.example\\x1b\\docs\\x1b]8;;\\x1b\\ and \\x1b[2Kforged\\rline\n",
		"``<svg onload=alert(1)>`.png``",
		"``key rotated \\| `see` <a href=https://evil.example>ticket</a>``",
		"· **(deleted)**\n\n````text\n```\n## not a heading\n````\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestMarkdownMasksSecrets(t *testing.T) {
	db := openDB(t)
	inc := hostileRecord(t, db)

	md := exportMarkdown(t, db, inc, report.Options{Now: t0})
	if strings.Contains(md, awsKey) {
		t.Errorf("the default export holds the secret:\n%s", md)
	}
	for _, want := range []string{"key [REDACTED aws-access-key] found", "(holds secrets: aws-access-key — masked)", "- Secrets: masked"} {
		if !strings.Contains(md, want) {
			t.Errorf("the default export lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "unmasked secrets") {
		t.Error("the default export says it holds unmasked secrets")
	}

	md = exportMarkdown(t, db, inc, report.Options{Now: t0, Unmasked: true})
	if !strings.HasPrefix(md, "> **This export includes unmasked secrets") {
		t.Errorf("the unmasked export does not say so first:\n%s", md)
	}
	for _, want := range []string{"key " + awsKey + " found", "(holds secrets: aws-access-key — **not masked**)", "- Secrets: **not masked**"} {
		if !strings.Contains(md, want) {
			t.Errorf("the unmasked export lacks %q:\n%s", want, md)
		}
	}
	checkInertMarkdown(t, md)
}

// checkInertMarkdown checks, line by line as CommonMark reads blocks, that nothing recorded is
// active: outside our fenced code blocks and code spans there is no HTML, link, image, URL or
// control character, every heading is one of ours, and every table row has our 7 cells.
func checkInertMarkdown(t *testing.T, md string) {
	t.Helper()
	ours := regexp.MustCompile("^(# Incident `.*`|## Timeline \\(UTC\\)|## Revision log|### \\d{4}-\\d{2}-\\d{2} \\([A-Z][a-z]+day\\))$")
	opening := regexp.MustCompile("^(`{3,})text$")
	closing := regexp.MustCompile("^ {0,3}(`{3,}|~{3,})[ \t]*$")
	fence := ""
	for n, line := range strings.Split(md, "\n") {
		n++
		if fence != "" {
			if line == fence {
				fence = ""
			} else if m := closing.FindStringSubmatch(line); m != nil && m[1][0] == '`' && len(m[1]) >= len(fence) {
				t.Errorf("line %d closes the code block early: %q", n, line)
			}
			continue
		}
		if m := opening.FindStringSubmatch(line); m != nil {
			fence = m[1]
			continue
		}
		if strings.HasPrefix(line, "#") && !ours.MatchString(line) {
			t.Errorf("line %d is a heading that is not ours: %q", n, line)
		}
		if strings.HasPrefix(strings.TrimLeft(line, " "), "```") || strings.HasPrefix(strings.TrimLeft(line, " "), "~~~") {
			t.Errorf("line %d opens a code block that is not ours: %q", n, line)
		}
		rest, ok := stripCodeSpans(line)
		if !ok {
			t.Errorf("line %d has a backtick that opens no code span: %q", n, line)
			continue
		}
		for _, bad := range []string{"<", ">", "](", "![", "javascript:", "http", "www.", "evil", "pwned", "onload", "@", "&",
			"\x1b", "\x07", "\r", "\u202e", "\\"} {
			if strings.Contains(rest, bad) && !(bad == ">" && strings.HasPrefix(line, "> **This export")) {
				t.Errorf("line %d has %q outside code: %q", n, bad, line)
			}
		}
		if strings.HasPrefix(line, "|") && strings.Count(rest, "|") != 8 {
			t.Errorf("line %d is a table row of %d cells, want 7: %q", n, strings.Count(rest, "|")-1, line)
		}
	}
	if fence != "" {
		t.Errorf("a code block (%s) is never closed", fence)
	}
}

// stripCodeSpans removes the code spans of a line as CommonMark finds them: a run of n
// backticks up to the next run of exactly n. It reports false for a run left unmatched.
func stripCodeSpans(line string) (string, bool) {
	var b strings.Builder
	run := func(i int) int {
		j := i
		for j < len(line) && line[j] == '`' {
			j++
		}
		return j - i
	}
	for i := 0; i < len(line); {
		if line[i] != '`' {
			b.WriteByte(line[i])
			i++
			continue
		}
		n, end := run(i), -1
		for j := i + n; j < len(line); {
			if line[j] != '`' {
				j++
				continue
			}
			if m := run(j); m == n {
				end = j
				break
			} else {
				j += m
			}
		}
		if end < 0 {
			return "", false
		}
		b.WriteString("C")
		i = end + n
	}
	return b.String(), true
}

func TestCSVHostileRecord(t *testing.T) {
	db := openDB(t)
	inc := hostileRecord(t, db)
	export := func(opts report.Options) (string, [][]string) {
		var buf bytes.Buffer
		if err := report.WriteCSV(context.Background(), &buf, db, inc.ID, opts); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return buf.String(), rows
	}
	const (
		colAuthor, colText, colSecrets = 11, 12, 18
	)

	data, rows := export(report.Options{})
	if rows[0][colSecrets] != "secrets" {
		t.Fatalf("the header = %q", rows[0])
	}
	if strings.Contains(data, awsKey) {
		t.Errorf("the default CSV holds the secret:\n%s", data)
	}
	if strings.ContainsAny(data, "\x1b\x07\r\u202e") {
		t.Errorf("the CSV holds control or bidi characters:\n%q", data)
	}
	// rows: header, incident, hostile note, leaked key, its edit, ...
	note, leaked, edit := rows[2], rows[3], rows[4]
	if got := note[colAuthor]; got != `eve\u202egnp.exe` {
		t.Errorf("author = %q, want the bidi override shown", got)
	}
	if got := note[colText]; !strings.Contains(got, `\x1b[2Kforged\rline`) || !strings.Contains(got, "</script>\n<img") {
		t.Errorf("text = %q, want ESC and CR shown and line breaks kept", got)
	}
	if got := note[colText]; !strings.Contains(got, "key [REDACTED aws-access-key] found") || note[colSecrets] != "masked: aws-access-key" {
		t.Errorf("the note's text = %q, secrets = %q", got, note[colSecrets])
	}
	if leaked[colText] != "aws_access_key_id = [REDACTED aws-access-key]" || leaked[colSecrets] != "masked: aws-access-key" {
		t.Errorf("the first revision of the leaked key = %q", leaked)
	}
	if edit[colText] != "aws_access_key_id = (rotated)" || edit[colSecrets] != "" {
		t.Errorf("the edit = %q", edit)
	}

	data, rows = export(report.Options{Unmasked: true})
	if !strings.HasPrefix(rows[0][0], "This export includes unmasked secrets") || len(rows[0]) != len(rows[1]) {
		t.Errorf("the unmasked CSV starts with %q", rows[0])
	}
	if leaked := rows[4]; leaked[colText] != "aws_access_key_id = "+awsKey || leaked[colSecrets] != "NOT MASKED: aws-access-key" {
		t.Errorf("the unmasked leaked key = %q", leaked)
	}
	if !strings.Contains(data, "key "+awsKey+" found") {
		t.Error("the unmasked CSV lacks the note's key")
	}
}

func TestCodeSpansAndFences(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	inc := &blotter.Incident{Title: "`"}
	if err := db.CreateIncident(ctx, inc, blotter.Change{By: " x "}, false); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"``````` seven", "no backticks"} {
		if err := db.AddEntry(ctx, &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindNote, Text: text, OccurredAt: t0},
			blotter.Change{By: "``"}); err != nil {
			t.Fatal(err)
		}
	}
	md := exportMarkdown(t, db, inc, report.Options{Now: t0})
	checkInertMarkdown(t, md)
	for _, want := range []string{
		"# Incident `` ` ``\n", "by `  x  `\n", "· ``` `` ```\n",
		"\n````````text\n``````` seven\n````````\n", "\n```text\nno backticks\n```\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
}
