package slack

// Text crossing to and from Slack. An entry's text is attacker-controlled (pasted logs,
// clipboard contents, imported messages); posted as it is, "<!channel>" would notify everyone
// in the channel, "<https://evil|https://bank>" would show one address and open another, and
// "@here" typed as a plain word becomes a mention in some clients and parse modes.
//
// ToMrkdwn converts an entry's Markdown to Slack's mrkdwn and makes all of these inert:
//
//   - "&", "<" and ">" become "&amp;", "&lt;" and "&gt;" everywhere, code included, as Slack
//     documents. "<" is the only way into Slack's markup (mentions, links, dates), so markup
//     written in the text shows as text; the only raw "<" left open the links ToMrkdwn writes.
//   - "@channel", "@here" and "@everyone", in any case and anywhere (code, URLs and e-mail
//     addresses too), get a WORD JOINER (U+2060) right after the "@". Without "<!…>" markup
//     Slack still makes these words mentions when a message is sent with link_names or
//     parse=full, and some clients resolve them as they render; all of them need the word
//     right after the "@". The joiner is invisible and allows no line break (gitlab/text.go
//     explains why it beats the zero width characters). Its cost: a copied "@here" carries it,
//     and an e-mail address or bare URL holding one of the words is autolinked only up to the
//     "@". In the URL of a link ToMrkdwn writes, that "@" is written "%40" instead, which
//     keeps the link working.
//   - Links become "<url|label>" for http, https and mailto only; "javascript:" and the rest
//     stay text. "|" in the URL is written "%7C" and in the label "¦", so neither ends the URL
//     or the label early and nothing after it can become markup. Bare URLs stay text: Slack
//     links them itself.
//   - Code is copied as written but for the escapes and joiners: Slack needs the escapes in
//     code too, and a live "@here" costs more than an invisible character in a command.
//
// FromMrkdwn goes the other way: Slack's markup becomes the names it stands for, and Slack's
// escapes are undone exactly once, after the markup is read, so that text a user typed
// ("&lt;!channel&gt;" in the message) stays text.

import (
	"strings"
	"unicode"

	"github.com/blotterapp/blotter/internal/mdquote"
)

// mrkdwnWordJoiner is U+2060 WORD JOINER: invisible, no line break, no glyph joining.
const mrkdwnWordJoiner = "\u2060"

// mrkdwnLabelBar stands for "|" in a link label. Slack ends the URL at the first "|" and how
// a later one reads is up to each client; a look-alike keeps the label's meaning.
const mrkdwnLabelBar = "¦"

// ToMrkdwn returns Blotter's Markdown as Slack mrkdwn for chat.postMessage's text, with
// Slack's markup and broadcast mentions made inert. Pass text through blotter.MaskSecrets
// first. Line endings become "\n" and invalid UTF-8 becomes U+FFFD; what it does not
// understand stays text.
func ToMrkdwn(markdown string) string {
	text := strings.ToValidUTF8(markdown, "\uFFFD")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.Split(text, "\n")

	var b strings.Builder
	b.Grow(len(text) + len(text)/8 + 8)
	var fence mdFence
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		rs := []rune(line)
		switch {
		case fence.open && fence.closedBy(rs):
			b.WriteString("```")
			fence = mdFence{}
		case fence.open:
			mrkdwnWriteEscaped(&b, fence.content(rs))
		default:
			if f, ok := mdOpeningFence(rs); ok {
				// Slack takes no language: it would show as the first line of code.
				b.WriteString("```")
				fence, fence.line = f, i
				continue
			}
			mdWriteBlockLine(&b, rs)
		}
	}
	out := b.String()
	if fence.open {
		// Markdown runs an unclosed fence to the end; Slack would show an unclosed one as text.
		if last := len(lines) - 1; lines[last] == "" && fence.line < last {
			out = out[:len(out)-1] + "\n```\n"
		} else {
			out += "\n```"
		}
	}
	return mrkdwnBreakBroadcasts(out)
}

// mdFence is an open fenced code block.
type mdFence struct {
	open   bool
	char   rune // '`' or '~'
	length int  // of the opening run
	indent int  // of the opening line, taken off the lines inside
	line   int
}

// mdOpeningFence reads a line that opens a fenced code block: up to three spaces, then three
// or more backticks or tildes, then an info string (with no backtick after backticks).
func mdOpeningFence(rs []rune) (mdFence, bool) {
	indent := mdLeadingSpaces(rs, 3)
	if indent >= len(rs) || (rs[indent] != '`' && rs[indent] != '~') {
		return mdFence{}, false
	}
	c, n := rs[indent], mdquote.RunLen(rs, indent)
	if n < 3 {
		return mdFence{}, false
	}
	// "```x```" on one line is inline code, not a fence.
	if c == '`' && mdContains(rs[indent+n:], '`') {
		return mdFence{}, false
	}
	return mdFence{open: true, char: c, length: n, indent: indent}, true
}

// closedBy reports whether a line closes the block: up to three spaces, a run of the same
// character at least as long as the opening one, and nothing but blanks after it.
func (f mdFence) closedBy(rs []rune) bool {
	i := mdLeadingSpaces(rs, 3)
	if i >= len(rs) || rs[i] != f.char {
		return false
	}
	n := mdquote.RunLen(rs, i)
	if n < f.length {
		return false
	}
	for _, r := range rs[i+n:] {
		if r != ' ' && r != '\t' {
			return false
		}
	}
	return true
}

// content returns a line inside the block without the opening line's indentation.
func (f mdFence) content(rs []rune) []rune {
	return rs[mdLeadingSpaces(rs, f.indent):]
}

// mdWriteBlockLine writes one line outside fenced code: quote markers, then a thematic break,
// a heading, a bullet or a plain line, each with its inline Markdown converted.
func mdWriteBlockLine(b *strings.Builder, rs []rune) {
	// "&gt;" at the start of a line is how Slack itself writes a quote.
	for {
		i := mdLeadingSpaces(rs, 3)
		if i >= len(rs) || rs[i] != '>' {
			break
		}
		b.WriteString(string(rs[:i]))
		b.WriteString("&gt;")
		rs = rs[i+1:]
		if len(rs) > 0 && rs[0] == ' ' {
			b.WriteByte(' ')
			rs = rs[1:]
		}
	}

	if mdIsThematicBreak(rs) {
		// "***" and "___" would otherwise be read as emphasis, "* * *" as a bullet.
		b.WriteString(string(rs))
		return
	}
	if content, ok := mdHeading(rs); ok {
		if len(content) == 0 {
			mrkdwnWriteEscaped(b, rs)
			return
		}
		// Slack has no headings; bold is what it shows for a title.
		b.WriteByte('*')
		mdWriteInline(b, content, true)
		b.WriteByte('*')
		return
	}
	if indent, rest, ok := mdBullet(rs); ok {
		// Slack shows "- " and "* " as typed; "•" is what its own lists look like as text.
		b.WriteString(string(indent))
		b.WriteString("•")
		mdWriteInline(b, rest, false)
		return
	}
	mdWriteInline(b, rs, false)
}

// mdIsThematicBreak reports whether a line is three or more "-", "*" or "_" (the same one),
// with blanks between them allowed.
func mdIsThematicBreak(rs []rune) bool {
	i := mdLeadingSpaces(rs, 3)
	if i >= len(rs) || (rs[i] != '-' && rs[i] != '*' && rs[i] != '_') {
		return false
	}
	c, n := rs[i], 0
	for _, r := range rs[i:] {
		switch r {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// mdHeading returns the text of an ATX heading ("# Title", "## Title ##").
func mdHeading(rs []rune) (content []rune, ok bool) {
	i := mdLeadingSpaces(rs, 3)
	n := 0
	for i+n < len(rs) && rs[i+n] == '#' {
		n++
	}
	if n == 0 || n > 6 {
		return nil, false
	}
	rest := rs[i+n:]
	if len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t' {
		return nil, false // "#tag" is a tag
	}
	rest = mdTrimBlanks(rest)
	end := len(rest)
	for end > 0 && rest[end-1] == '#' {
		end--
	}
	// A closing run of "#" counts only after a blank: "# C#" keeps its "#".
	if end == 0 || rest[end-1] == ' ' || rest[end-1] == '\t' {
		rest = mdTrimBlanks(rest[:end])
	}
	return rest, true
}

// mdBullet reads a bullet list item: blanks, "-", "*" or "+", and a blank.
func mdBullet(rs []rune) (indent, rest []rune, ok bool) {
	i := 0
	for i < len(rs) && (rs[i] == ' ' || rs[i] == '\t') {
		i++
	}
	if i+1 >= len(rs) || !strings.ContainsRune("-*+", rs[i]) || (rs[i+1] != ' ' && rs[i+1] != '\t') {
		return nil, nil, false
	}
	return rs[:i], rs[i+1:], true
}

// mdWriteInline writes one line of inline Markdown as mrkdwn. In a heading, bold adds nothing
// (the heading is bold already, and Slack does not nest it).
func mdWriteInline(b *strings.Builder, rs []rune, heading bool) {
	in := &mdInline{rs: rs, heading: heading}
	in.scan()
	in.match()
	for _, p := range in.pieces {
		b.WriteString(p)
	}
}

// mdInline converts one line. What an emphasis run becomes is known only once its closing
// run is found, so the output is collected in pieces (one per run, one per stretch between
// runs) and joined after the runs are matched.
type mdInline struct {
	rs      []rune
	heading bool
	pieces  []string
	cur     strings.Builder // the stretch since the last run
	delims  []mdDelim
	runs    mdquote.Runs // backtick runs, indexed on the first backtick
}

// mdDelim is a run of "*", "_" or "~" that may open or close emphasis.
type mdDelim struct {
	char              rune
	left              int // characters of the run not matched yet
	canOpen, canClose bool
	piece             int
	opens             []string // markers it opens, innermost first; written after the rest
	closes            []string // markers it closes, innermost first; written before the rest
}

func (in *mdInline) flush() {
	if in.cur.Len() > 0 {
		in.pieces = append(in.pieces, in.cur.String())
		in.cur.Reset()
	}
}

// scan tokenizes the line, writing everything but emphasis runs as it goes. Code spans, links
// and bare URLs are taken whole, so emphasis is never looked for inside them.
func (in *mdInline) scan() {
	rs := in.rs
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '\\' && i+1 < len(rs) && mdIsASCIIPunct(rs[i+1]):
			// Slack has no escapes: the backslash stays where the character would format.
			if strings.ContainsRune("*_~`", rs[i+1]) {
				in.cur.WriteByte('\\')
			}
			mrkdwnWriteEscapedRune(&in.cur, rs[i+1])
			i += 2
		case r == '`':
			i = in.codeSpan(i)
		case r == '*' || r == '_' || r == '~':
			i = in.delimRun(i)
		case r == '!' && i+1 < len(rs) && rs[i+1] == '[':
			// An image becomes a link to it.
			if end, ok := in.link(i + 1); ok {
				i = end
			} else {
				in.cur.WriteString("![")
				i += 2
			}
		case r == '[':
			if end, ok := in.link(i); ok {
				i = end
			} else {
				in.cur.WriteByte('[')
				i++
			}
		case r == '<':
			if end, ok := in.autolink(i); ok {
				i = end
			} else {
				in.cur.WriteString("&lt;")
				i++
			}
		case (r == 'h' || r == 'H') && mdIsURLStart(rs, i):
			end := mdURLEnd(rs, i)
			if end <= i {
				in.cur.WriteRune(r)
				i++
				break
			}
			mrkdwnWriteEscaped(&in.cur, rs[i:end])
			i = end
		default:
			mrkdwnWriteEscapedRune(&in.cur, r)
			i++
		}
	}
	in.flush()
}

// codeSpan writes the code span opened by the backtick run at i, or the run as text if no
// run of the same length closes it, and returns where to go on.
func (in *mdInline) codeSpan(i int) int {
	rs := in.rs
	n := mdquote.RunLen(rs, i)
	if in.runs == nil {
		in.runs = mdquote.IndexRuns(rs)
	}
	end := in.runs.Closing(i+n, n)
	if end < 0 {
		in.cur.WriteString(strings.Repeat("`", n))
		return i + n
	}
	code := rs[i+n : end-n]
	// Markdown takes one space off each side, so that "`` `x` ``" can start with a backtick.
	if len(code) >= 2 && code[0] == ' ' && code[len(code)-1] == ' ' && len(mdTrimBlanks(code)) > 0 {
		code = code[1 : len(code)-1]
	}
	if mdContains(code, '`') {
		// Slack's code spans cannot hold a backtick: the span stays as written.
		mrkdwnWriteEscaped(&in.cur, rs[i:end])
		return end
	}
	in.cur.WriteByte('`')
	mrkdwnWriteEscaped(&in.cur, code)
	in.cur.WriteByte('`')
	return end
}

// delimRun records the run of "*", "_" or "~" at i, with whether it can open or close
// emphasis (CommonMark's flanking rules), and returns where to go on.
func (in *mdInline) delimRun(i int) int {
	rs := in.rs
	c, n := rs[i], mdquote.RunLen(rs, i)
	prev, next := ' ', ' '
	if i > 0 {
		prev = rs[i-1]
	}
	if i+n < len(rs) {
		next = rs[i+n]
	}
	leftFlanking := !unicode.IsSpace(next) && (!mdIsPunct(next) || unicode.IsSpace(prev) || mdIsPunct(prev))
	rightFlanking := !unicode.IsSpace(prev) && (!mdIsPunct(prev) || unicode.IsSpace(next) || mdIsPunct(next))
	// Slack formats only at word boundaries: "2*3*4" stays as written rather than "2_3_4".
	canOpen := leftFlanking && !mdIsAlnum(prev)
	canClose := rightFlanking && !mdIsAlnum(next)
	switch {
	case c == '_':
		canOpen = canOpen && (!rightFlanking || mdIsPunct(prev))
		canClose = canClose && (!leftFlanking || mdIsPunct(next))
	case c == '~' && n > 2:
		canOpen, canClose = false, false // strikethrough takes "~" or "~~" only
	}
	in.flush()
	in.delims = append(in.delims, mdDelim{char: c, left: n, canOpen: canOpen, canClose: canClose, piece: len(in.pieces)})
	in.pieces = append(in.pieces, "")
	return i + n
}

// match pairs emphasis runs, closers with the nearest opener of the same character, and
// fills in their pieces. Openers left between a matched pair cannot match across it and are
// dropped; every run is pushed and dropped at most once, so a line takes linear time.
func (in *mdInline) match() {
	var stacks [3][]int // indexes of possible openers of "*", "_", "~"; innermost last
	kindOf := func(c rune) int { return strings.IndexRune("*_~", c) }
	for k := range in.delims {
		d := &in.delims[k]
		kind := kindOf(d.char)
		for d.canClose && d.left > 0 && len(stacks[kind]) > 0 {
			top := stacks[kind][len(stacks[kind])-1]
			o := &in.delims[top]
			use := 1
			if d.char == '~' {
				if o.left != d.left {
					break // "~x~~" is no strikethrough
				}
				use = d.left
			} else if o.left >= 2 && d.left >= 2 {
				use = 2
			}
			mark := in.marker(d.char, use)
			o.opens = append(o.opens, mark)
			d.closes = append(d.closes, mark)
			o.left -= use
			d.left -= use
			for other := range stacks {
				s := stacks[other]
				for len(s) > 0 && s[len(s)-1] > top {
					s = s[:len(s)-1]
				}
				stacks[other] = s
			}
			if o.left == 0 {
				stacks[kind] = stacks[kind][:len(stacks[kind])-1]
			}
		}
		if d.canOpen && d.left > 0 {
			stacks[kind] = append(stacks[kind], k)
		}
	}
	for _, d := range in.delims {
		var p strings.Builder
		for _, m := range d.closes {
			p.WriteString(m)
		}
		p.WriteString(strings.Repeat(string(d.char), d.left))
		for j := len(d.opens) - 1; j >= 0; j-- {
			p.WriteString(d.opens[j])
		}
		in.pieces[d.piece] = p.String()
	}
}

// marker is the mrkdwn for emphasis of a character and strength.
func (in *mdInline) marker(c rune, use int) string {
	switch {
	case c == '~':
		return "~"
	case use == 1:
		return "_"
	case in.heading:
		return ""
	default:
		return "*"
	}
}

// link writes the link "[label](url)" at i if it is one to an http, https or mailto URL, and
// returns where it ends. The label ends at the first "]" and may hold no "["; the URL holds
// no blank, "<", ">", "[" or "]" and only balanced parentheses. Each scan so stops before the
// next "[" is tried, which keeps a line of many brackets linear.
func (in *mdInline) link(i int) (end int, ok bool) {
	rs := in.rs
	j := i + 1
	for ; j < len(rs) && rs[j] != ']'; j++ {
		switch rs[j] {
		case '[':
			return 0, false
		case '\\':
			j++
		}
	}
	if j+1 >= len(rs) || rs[j+1] != '(' {
		return 0, false
	}
	k, depth := j+2, 0
	for ; k < len(rs); k++ {
		r := rs[k]
		if r == ')' {
			if depth == 0 {
				break
			}
			depth--
		} else if r == '(' {
			depth++
		} else if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("<>[]", r) {
			return 0, false
		}
	}
	if k >= len(rs) || !mdLinkable(rs[j+2:k]) {
		return 0, false
	}
	mrkdwnWriteLink(&in.cur, rs[j+2:k], rs[i+1:j])
	return k + 1, true
}

// autolink writes the autolink "<url>" at i if it is one to an http, https or mailto URL.
func (in *mdInline) autolink(i int) (end int, ok bool) {
	rs := in.rs
	k := i + 1
	for ; k < len(rs) && rs[k] != '>'; k++ {
		if rs[k] == '<' || unicode.IsSpace(rs[k]) || unicode.IsControl(rs[k]) {
			return 0, false
		}
	}
	if k >= len(rs) || !mdLinkable(rs[i+1:k]) {
		return 0, false
	}
	mrkdwnWriteLink(&in.cur, rs[i+1:k], nil)
	return k + 1, true
}

// mdLinkable reports whether a link destination may become a Slack link.
func mdLinkable(dest []rune) bool {
	for _, scheme := range []string{"http://", "https://", "mailto:"} {
		if len(dest) > len(scheme) && mdHasPrefixFold(dest, scheme) {
			return true
		}
	}
	return false
}

// mrkdwnWriteLink writes "<url|label>", or "<url>" for an empty label. The URL holds no blank,
// "<" or ">" (the caller saw to it).
func mrkdwnWriteLink(b *strings.Builder, dest, label []rune) {
	b.WriteByte('<')
	for k, r := range dest {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '|':
			b.WriteString("%7C") // Slack ends the URL at the first "|"
		case r == '@' && mrkdwnIsBroadcast(string(dest[k+1:min(len(dest), k+9)])):
			b.WriteString("%40") // a joiner would break the URL; see the file comment
		default:
			b.WriteRune(r)
		}
	}
	var text []rune
	for k := 0; k < len(label); k++ {
		if label[k] == '\\' && k+1 < len(label) && mdIsASCIIPunct(label[k+1]) {
			k++
		}
		text = append(text, label[k])
	}
	if text = mdTrimBlanks(text); len(text) > 0 {
		b.WriteByte('|')
		for _, r := range text {
			if r == '|' {
				b.WriteString(mrkdwnLabelBar)
			} else {
				mrkdwnWriteEscapedRune(b, r)
			}
		}
	}
	b.WriteByte('>')
}

// mdIsURLStart reports whether an http or https URL starts at i (not inside a longer word).
func mdIsURLStart(rs []rune, i int) bool {
	if i > 0 {
		p := rs[i-1]
		if mdIsASCIIWord(p) || p == '+' || p == '-' || p == '.' {
			return false
		}
	}
	return mdHasPrefixFold(rs[i:], "http://") || mdHasPrefixFold(rs[i:], "https://")
}

// mdURLEnd returns where the bare URL at i ends, without the trailing punctuation
// autolinking leaves out; i if nothing but punctuation follows the scheme.
func mdURLEnd(rs []rune, i int) int {
	start := i + len("http://")
	if rs[i+4] == 's' || rs[i+4] == 'S' {
		start++
	}
	end := start
	for end < len(rs) && !unicode.IsSpace(rs[end]) && !unicode.IsControl(rs[end]) && rs[end] != '<' && rs[end] != '>' {
		end++
	}
	opens, closes := 0, 0
	for _, r := range rs[start:end] {
		switch r {
		case '(':
			opens++
		case ')':
			closes++
		}
	}
	for ; end > start; end-- {
		last := rs[end-1]
		switch {
		case strings.ContainsRune("?!.,:;*_~'\"", last):
		case last == ')' && opens < closes:
			closes--
		default:
			return end
		}
	}
	return i
}

// mrkdwnBreakBroadcasts puts a word joiner after every "@" that starts "channel", "here" or
// "everyone". It runs on the finished text, so no conversion can bring the "@" and the word
// together after the check.
func mrkdwnBreakBroadcasts(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for {
		at := strings.IndexByte(s, '@')
		if at < 0 {
			break
		}
		b.WriteString(s[:at+1])
		s = s[at+1:]
		if mrkdwnIsBroadcast(s) {
			b.WriteString(mrkdwnWordJoiner)
		}
	}
	b.WriteString(s)
	return b.String()
}

// mrkdwnIsBroadcast reports whether s starts with "channel", "here" or "everyone", in any
// ASCII case, whatever follows: a few joiners too many cost nothing.
func mrkdwnIsBroadcast(s string) bool {
	for _, w := range [...]string{"channel", "here", "everyone"} {
		if len(s) >= len(w) && mdEqualFoldASCII(s[:len(w)], w) {
			return true
		}
	}
	return false
}

// EscapeText makes a one-line name (an author, a tag, a file name, a title) safe in a message
// as it is written: Slack's three escapes, no broadcast, and no Markdown read into it, so a
// file named __init__.py stays __init__.py.
func EscapeText(s string) string {
	var b strings.Builder
	mrkdwnWriteEscaped(&b, []rune(strings.ToValidUTF8(s, "\uFFFD")))
	return mrkdwnBreakBroadcasts(b.String())
}

func mrkdwnWriteEscaped(b *strings.Builder, rs []rune) {
	for _, r := range rs {
		mrkdwnWriteEscapedRune(b, r)
	}
}

// mrkdwnWriteEscapedRune writes r with Slack's three escapes, and only those.
func mrkdwnWriteEscapedRune(b *strings.Builder, r rune) {
	switch r {
	case '&':
		b.WriteString("&amp;")
	case '<':
		b.WriteString("&lt;")
	case '>':
		b.WriteString("&gt;")
	default:
		b.WriteRune(r)
	}
}

// Names resolves the ids in Slack's markup; a nil func or an unknown id keeps the id.
type Names struct {
	User    func(id string) string
	Channel func(id string) string
}

// slackUnescaper undoes Slack's three escapes in one pass: "&amp;lt;" becomes "&lt;".
var slackUnescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// FromMrkdwn returns a Slack message's text as plain Blotter text: mentions, channels and
// links by name, then Slack's escapes undone once. Slack's own formatting (*bold*, _italic_,
// ~strike~, code) is kept as it is. A resolver returns "" for an id it does not know; the
// label Slack sent, or else the id, is used instead. Invalid UTF-8 becomes U+FFFD.
func FromMrkdwn(text string, names Names) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	var b strings.Builder
	b.Grow(len(text))
	for {
		lt := strings.IndexByte(text, '<')
		if lt < 0 {
			break
		}
		slackUnescaper.WriteString(&b, text[:lt])
		text = text[lt:]
		// Markup ends at the first ">" and holds no "<" or line break: Slack escapes those in
		// what users type. A "<" that opens none is text.
		end := strings.IndexAny(text[1:], "<>\n")
		if end < 0 || text[1+end] != '>' {
			b.WriteByte('<')
			text = text[1:]
			continue
		}
		b.WriteString(slackMarkupText(text[1:1+end], names))
		text = text[2+end:]
	}
	slackUnescaper.WriteString(&b, text)
	return b.String()
}

// slackMarkupText returns what the markup between "<" and ">" stands for.
func slackMarkupText(inner string, names Names) string {
	target, label, _ := strings.Cut(inner, "|")
	switch {
	case strings.HasPrefix(target, "@"):
		return "@" + slackName(names.User, target[1:], label, "@")
	case strings.HasPrefix(target, "#"):
		return "#" + slackName(names.Channel, target[1:], label, "#")
	case strings.HasPrefix(target, "!"):
		command, arg, _ := strings.Cut(target[1:], "^")
		switch command {
		case "channel", "here", "everyone":
			return "@" + command
		case "subteam":
			if l := slackUnescaper.Replace(label); l != "" {
				return "@" + strings.TrimPrefix(l, "@")
			}
			return "@" + slackUnescaper.Replace(arg)
		}
		// "!date^…|fallback", and commands to come, read as their fallback.
		if l := slackUnescaper.Replace(label); l != "" {
			return l
		}
	default:
		if scheme := slackScheme(target); scheme != "" {
			return slackLinkText(scheme, slackUnescaper.Replace(target), slackUnescaper.Replace(label))
		}
	}
	return "<" + slackUnescaper.Replace(inner) + ">"
}

// slackName returns the resolved name of an id, else the label, else the id, without the
// sigil written before it.
func slackName(resolve func(string) string, id, label, sigil string) string {
	id = slackUnescaper.Replace(id)
	if resolve != nil {
		if n := strings.TrimPrefix(strings.ToValidUTF8(resolve(id), "\uFFFD"), sigil); n != "" {
			return n
		}
	}
	if l := strings.TrimPrefix(slackUnescaper.Replace(label), sigil); l != "" {
		return l
	}
	return id
}

// slackScheme returns the lower-case scheme of a URL, or "".
func slackScheme(target string) string {
	for i := 0; i < len(target); i++ {
		c := target[i]
		switch {
		case c == ':' && i > 0:
			return strings.ToLower(target[:i])
		case mdIsASCIILetter(rune(c)):
		case i > 0 && (mdIsDigit(rune(c)) || c == '+' || c == '.' || c == '-'):
		default:
			return ""
		}
	}
	return ""
}

// slackLinkText returns a link as Blotter text: a Markdown link for http and https, and for
// other schemes (which Blotter does not make links) the label with the URL after it, so the
// label cannot pass for another address.
func slackLinkText(scheme, url, label string) string {
	rest := strings.TrimPrefix(url[len(scheme)+1:], "//")
	switch {
	case scheme == "mailto" && (label == "" || label == rest):
		return rest
	case scheme == "mailto":
		return label + " (" + rest + ")"
	case label == "" || label == url:
		return url
	case scheme != "http" && scheme != "https":
		return label + " (" + url + ")"
	case label == rest:
		return label // Slack linked what the user typed: "example.com"
	}
	return "[" + slackMarkdownLabel.Replace(label) + "](" + slackMarkdownURL.Replace(url) + ")"
}

// slackMarkdownLabel and slackMarkdownURL keep a link's label and URL from ending the
// Markdown link early.
var (
	slackMarkdownLabel = strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`)
	slackMarkdownURL   = strings.NewReplacer(`\`, "%5C", " ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")
)

func mdLeadingSpaces(rs []rune, max int) int {
	n := 0
	for n < len(rs) && n < max && rs[n] == ' ' {
		n++
	}
	return n
}

func mdContains(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func mdTrimBlanks(rs []rune) []rune {
	for len(rs) > 0 && unicode.IsSpace(rs[0]) {
		rs = rs[1:]
	}
	for len(rs) > 0 && unicode.IsSpace(rs[len(rs)-1]) {
		rs = rs[:len(rs)-1]
	}
	return rs
}

// mdHasPrefixFold reports whether rs starts with the ASCII prefix, ignoring ASCII case only
// (Unicode folding would take "httpſ://", which is no URL, for "https://").
func mdHasPrefixFold(rs []rune, prefix string) bool {
	if len(rs) < len(prefix) {
		return false
	}
	for k := 0; k < len(prefix); k++ {
		if mdLowerASCII(rs[k]) != rune(prefix[k]) {
			return false
		}
	}
	return true
}

func mdEqualFoldASCII(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for k := 0; k < len(s); k++ {
		if mdLowerASCII(rune(s[k])) != mdLowerASCII(rune(t[k])) {
			return false
		}
	}
	return true
}

func mdLowerASCII(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// mdIsPunct is CommonMark's punctuation: Unicode P and S.
func mdIsPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

func mdIsAlnum(r rune) bool       { return unicode.IsLetter(r) || unicode.IsDigit(r) }
func mdIsDigit(r rune) bool       { return r >= '0' && r <= '9' }
func mdIsASCIILetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }
func mdIsASCIIWord(r rune) bool   { return mdIsASCIILetter(r) || mdIsDigit(r) || r == '_' }
func mdIsASCIIPunct(r rune) bool  { return r < 128 && strings.ContainsRune(mdASCIIPunct, r) }

// mdASCIIPunct is CommonMark's ASCII punctuation, what a backslash can escape.
const mdASCIIPunct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
