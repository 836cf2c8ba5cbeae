package gitlab

// Text leaving the machine. Notes, Slack messages and clipboard contents are attacker-controlled;
// sent to GitLab as they are, "@all" would notify every project member, "#12" would put a
// "mentioned in" note on issue 12 (in another project too, with "group/project#12"), "~label"
// and "%milestone" would turn into links, and a line "/close" in a note or description would
// close the incident: GitLab runs quick actions in text it receives through the API.
//
// Neutralize makes all of these inert and keeps the text readable:
//
//   - References: a WORD JOINER (U+2060) goes right after the sigil: "@\u2060all". GitLab finds
//     references with ASCII regular expressions that need the name right after the sigil, so
//     nothing matches, in every GitLab version; the character is invisible, does not allow a
//     line break (unlike U+200B ZERO WIDTH SPACE), does not fuse neighbouring emoji (unlike
//     U+200D ZERO WIDTH JOINER) and costs one of a timeline event's 280 characters. Wrapping
//     references in backticks was the alternative: GitLab does not parse references inside
//     code spans, but it changes how the text looks, costs two characters or more, and clashes
//     with backticks already in the text. A backslash ("\@all") only works on GitLab versions
//     with escaped-reference support. The cost of the joiner: copying the text out of GitLab
//     carries the invisible character along.
//   - Quick actions: a line starting with "/" gets a backslash before it. GitLab's quick
//     action extractor only matches "/" at the very start of a line, and CommonMark renders
//     "\/" as "/", so the rendered text is unchanged.
//   - HTML entities that could decode to a sigil ("&commat;all", "&#x23;12") get the joiner
//     after "&", so they show as written instead of becoming a reference; so does a sigil
//     followed by a backslash escape ("@\_x" renders "@_x") or by "<" (an HTML comment the
//     sanitizer drops would leave the name right after the sigil).
//   - URLs (http, https, ftp) are wrapped as CommonMark autolinks, "<https://…>": GitLab does
//     not look for references inside links, so the URL stays byte for byte what was written
//     ("%20", "/~user", "#12" in it keep working) and renders as the same link.
//   - Code is left exactly as written where GitLab is certain to treat it as code: fenced
//     blocks opened by a line "```" (or "```lang") at the start of a line and closed by a line
//     "```", and inline code spans. Commands and log lines pasted into code stay copyable.
//     Where the structure is ambiguous (other fences, raw HTML, tables, unbalanced backticks),
//     everything is neutralized: a few invisible characters in code are cheaper than a live
//     "@all".
//
// Excerpt shortens text; to shorten and neutralize, use NeutralizeExcerpt (neutralizing first
// and cutting after could cut a code fence or an autolink open and wake what it protected).

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/mdquote"
)

// wordJoiner is U+2060 WORD JOINER: invisible, no line break, no glyph joining.
const wordJoiner = '\u2060'

// Neutralize returns text with GitLab references and quick actions made inert and everything
// else as written (line endings become "\n"). Pass text through blotter.MaskSecrets first.
func Neutralize(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.Split(text, "\n")
	fenced := fencedLines(lines)
	spans := spansTrusted(lines, fenced)

	var b strings.Builder
	b.Grow(len(text) + len(text)/8 + 8)
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		if fenced[i] {
			b.WriteString(line)
			continue
		}
		// A quick action is a "/" at the very start of a line.
		if strings.HasPrefix(line, "/") {
			b.WriteByte('\\')
		}
		neutralizeLine(&b, []rune(line), spans && !strings.ContainsRune(line, '|'))
	}
	return b.String()
}

// Excerpt returns text cut to at most max characters (code points), on a character boundary,
// ending in "…" when it was cut. GitLab's limits (a timeline event's 280) count characters.
func Excerpt(text string, max int) string {
	if max <= 0 {
		return ""
	}
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	n := 0
	for i := range text {
		if n == max-1 {
			return text[:i] + "…"
		}
		n++
	}
	return text
}

// NeutralizeExcerpt returns Neutralize of the longest excerpt of text whose neutralized form
// fits in max characters: what a timeline event's note needs (max TimelineTextBudget).
// Neutralizing first and cutting after could cut a code fence or an autolink open and wake what
// it protected; cutting first and neutralizing after can overflow, so this searches the cut.
func NeutralizeExcerpt(text string, max int) string {
	if max <= 0 {
		return ""
	}
	whole := Neutralize(text)
	if utf8.RuneCountInString(whole) <= max {
		return whole
	}
	n := utf8.RuneCountInString(text)
	head := []rune(Excerpt(text, max+1)) // the first max runes matter, and one to tell
	cut := func(m int) (string, bool) {
		if m <= 0 {
			return "", true
		}
		if m >= n {
			return whole, false
		}
		out := Neutralize(string(head[:m-1]) + "…")
		return out, utf8.RuneCountInString(out) <= max
	}
	// Shrink by the overflow until it fits, then search upwards for the longest cut that fits
	// (neutralizing is not monotonic: closing a code fence removes joiners).
	lo := max
	for {
		out, ok := cut(lo)
		if ok {
			break
		}
		lo -= utf8.RuneCountInString(out) - max
	}
	hi := max + 1
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if _, ok := cut(mid); ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	out, _ := cut(lo)
	return out
}

// fencedLines marks the lines of fenced code blocks GitLab surely treats as code, for both its
// Markdown renderer (references) and its quick action extractor: an opening line "```" or
// "```info" at column 0, a closing line exactly "```", no other fence-like line anywhere before
// (no "~~~", no indented or longer fences, no fences in lists or quotes), and no line before
// that could open an HTML block, inside which "```" is not a fence. From the first line that
// breaks these rules on, nothing is protected; an unclosed fence is not protected (GitLab's
// extractor would run quick actions in it).
func fencedLines(lines []string) []bool {
	fenced := make([]bool, len(lines))
	open, html := -1, false
	for i, l := range lines {
		fenceLike := strings.Contains(l, "```") || strings.Contains(l, "~~~")
		if open < 0 {
			if startsHTML(l) {
				html = true
			}
			if !fenceLike {
				continue
			}
			if html || !strings.HasPrefix(l, "```") || strings.ContainsAny(l[3:], "`~") {
				return fenced
			}
			open = i
			continue
		}
		if l == "```" {
			for j := open; j <= i; j++ {
				fenced[j] = true
			}
			open = -1
			continue
		}
		if fenceLike {
			return fenced
		}
	}
	return fenced
}

// startsHTML reports whether a line could open an HTML block.
func startsHTML(l string) bool {
	t := strings.TrimLeft(l, " \t")
	return len(t) >= 2 && t[0] == '<' && (isASCIILetter(rune(t[1])) || strings.IndexByte("/!?", t[1]) >= 0)
}

// spansTrusted reports whether inline code spans can be told apart line by line: no raw HTML
// (an attribute can hold a backtick) and no backtick run without its closing run on the same
// line (a span can run across lines, and a heading or list item ends it).
func spansTrusted(lines []string, fenced []bool) bool {
	var discard strings.Builder
	for i, l := range lines {
		if fenced[i] {
			continue
		}
		if strings.Contains(l, "<") {
			for j := 0; j+1 < len(l); j++ {
				if l[j] == '<' && (isASCIILetter(rune(l[j+1])) || strings.IndexByte("/!?", l[j+1]) >= 0) {
					return false
				}
			}
		}
		discard.Reset()
		if neutralizeLine(&discard, []rune(l), true) {
			return false
		}
	}
	return true
}

// neutralizeLine writes one line outside fenced code, neutralized. With spans, inline code
// spans are copied as they are. It reports whether a backtick run had no closing run.
func neutralizeLine(b *strings.Builder, rs []rune, spans bool) (unmatched bool) {
	escaped, prevEscaped := false, false
	var runs mdquote.Runs // built on the first backtick
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		wasEscaped := escaped
		escaped = false
		if !wasEscaped && r == '\\' && i+1 < len(rs) && isASCIIPunct(rs[i+1]) {
			b.WriteRune(r)
			escaped, prevEscaped = true, false
			continue
		}

		switch {
		case r == '`' && !wasEscaped:
			if runs == nil {
				runs = mdquote.IndexRuns(rs)
			}
			n := mdquote.RunLen(rs, i)
			end := runs.Closing(i+n, n)
			if end < 0 {
				unmatched = true
			}
			if spans && end >= 0 {
				b.WriteString(string(rs[i:end]))
				i = end - 1
			} else {
				b.WriteString(string(rs[i : i+n]))
				i += n - 1
			}

		case !wasEscaped && isURLStart(rs, i):
			end, rawEnd := urlEnd(rs, i)
			if end < 0 {
				writeSigil(b, rs, i)
				break
			}
			if i > 0 && rs[i-1] == '<' && !prevEscaped && rawEnd < len(rs) && rs[rawEnd] == '>' {
				// Already an autolink.
				b.WriteString(string(rs[i:rawEnd]))
				i = rawEnd - 1
				break
			}
			b.WriteByte('<')
			b.WriteString(string(rs[i:end]))
			b.WriteByte('>')
			i = end - 1

		default:
			writeSigil(b, rs, i)
		}
		prevEscaped = wasEscaped
	}
	return unmatched
}

// writeSigil writes rs[i], followed by a word joiner if it would start a GitLab reference.
func writeSigil(b *strings.Builder, rs []rune, i int) {
	r := rs[i]
	b.WriteRune(r)
	prev, next := rune(-1), rune(-1)
	if i > 0 {
		prev = rs[i-1]
	}
	if i+1 < len(rs) {
		next = rs[i+1]
	}
	join := false
	switch r {
	case '@': // users and groups; GitLab needs no word character before it (so e-mail stays)
		join = !isASCIIWord(prev) && (isASCIIWord(next) || next == '.')
	case '#', '!', '$': // issues, merge requests, snippets
		join = isDigit(next)
	case '&': // epics, and entities that could decode to a sigil
		join = isDigit(next) || isEntity(rs[i+1:])
	case '~', '%': // labels, milestones (by name, id or "quoted name")
		join = next >= 0 && next != r && !unicode.IsSpace(next) &&
			(!isASCIIPunct(next) || strings.ContainsRune(`_-?.&"`, next))
	case '*': // iterations
		join = strings.HasPrefix(string(rs[i+1:min(len(rs), i+11)]), "iteration:")
	}
	// A backslash escape ("@\_x", "~\"x\"") renders as the bare character, and HTML the
	// sanitizer drops ("@<!-- -->all") can leave the name right after the sigil.
	if !join && (next == '\\' || next == '<') && strings.ContainsRune("@#!$&~%", r) {
		join = true
	}
	if join {
		b.WriteRune(wordJoiner)
	}
}

// isURLStart reports whether an http, https or ftp URL starts at i (not inside a longer word).
func isURLStart(rs []rune, i int) bool {
	if i > 0 {
		p := rs[i-1]
		if isASCIIWord(p) || p == '+' || p == '-' || p == '.' {
			return false
		}
	}
	for _, scheme := range []string{"http://", "https://", "ftp://"} {
		if hasPrefixFold(rs[i:], scheme) {
			return true
		}
	}
	return false
}

// urlEnd returns where the URL at i ends, without the trailing punctuation GitHub-flavoured
// autolinking leaves out, and where its run of URL characters ends; -1 if nothing follows
// the scheme.
func urlEnd(rs []rune, i int) (end, rawEnd int) {
	start := i + 3
	for rs[start-3] != ':' {
		start++
	}
	j := start
	for j < len(rs) && !unicode.IsSpace(rs[j]) && !unicode.IsControl(rs[j]) && rs[j] != '<' && rs[j] != '>' {
		j++
	}
	rawEnd, end = j, j
	opens, closes := count(rs[start:end], '('), count(rs[start:end], ')')
	for end > start {
		last := rs[end-1]
		switch {
		case strings.ContainsRune("?!.,:;*_~'\"", last):
		case last == ')' && opens < closes:
			closes--
		default:
			return end, rawEnd
		}
		end--
	}
	return -1, rawEnd
}

func count(rs []rune, r rune) int {
	n := 0
	for _, x := range rs {
		if x == r {
			n++
		}
	}
	return n
}

// hasPrefixFold reports whether rs starts with the ASCII prefix, ignoring ASCII case only
// (Unicode folding would take "httpſ://", which is no autolink, for "https://").
func hasPrefixFold(rs []rune, prefix string) bool {
	if len(rs) < len(prefix) {
		return false
	}
	for k := 0; k < len(prefix); k++ {
		r := rs[k]
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if r != rune(prefix[k]) {
			return false
		}
	}
	return true
}

// isEntity reports whether rs (after an "&") is an HTML character reference: "#123;",
// "#x1F;" or "name;".
func isEntity(rs []rune) bool {
	n := 0
	for n < len(rs) && n < 34 && rs[n] != ';' {
		n++
	}
	if n == 0 || n >= len(rs) || rs[n] != ';' {
		return false
	}
	body := rs[:n]
	switch {
	case body[0] == '#' && len(body) > 1 && (body[1] == 'x' || body[1] == 'X'):
		return len(body) > 2 && allRunes(body[2:], isHexDigit)
	case body[0] == '#':
		return allRunes(body[1:], isDigit) && len(body) > 1
	default:
		return isASCIILetter(body[0]) && allRunes(body, func(r rune) bool { return isASCIILetter(r) || isDigit(r) })
	}
}

func allRunes(rs []rune, f func(rune) bool) bool {
	for _, r := range rs {
		if !f(r) {
			return false
		}
	}
	return true
}

func isDigit(r rune) bool       { return r >= '0' && r <= '9' }
func isHexDigit(r rune) bool    { return isDigit(r) || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F') }
func isASCIILetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }
func isASCIIWord(r rune) bool   { return isASCIILetter(r) || isDigit(r) || r == '_' }
func isASCIIPunct(r rune) bool  { return r < 128 && strings.ContainsRune(asciiPunct, r) }

// asciiPunct is CommonMark's ASCII punctuation.
const asciiPunct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
