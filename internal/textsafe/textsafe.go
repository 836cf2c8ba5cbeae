// Package textsafe shows untrusted text to people without letting the text act. Notes,
// clipboard contents, file names, Slack and GitLab messages are attacker-controlled; printed
// raw, they can drive the terminal that shows them or disguise what they say:
//
//   - a "\r" returns to the start of the line, so that the rest of a note overwrites the id,
//     time and author printed before it and forges another entry; "\b" and CSI sequences
//     ("\x1b[2K", "\x1b[1A") erase or move over what was printed;
//   - OSC sequences set the window title ("\x1b]0;...\a"), write the clipboard (OSC 52) or
//     make text a hyperlink to anywhere (OSC 8); C1 controls such as U+009B start the same
//     sequences in a single character on some terminals;
//   - bidirectional overrides and isolates (U+202E) show "exe.pdf" for "fdp.exe" and reorder
//     an audit line; zero-width and other invisible characters make two different strings look
//     alike or hide text that a reader never sees.
//
// Terminal and TerminalMultiline render all of these visibly, as escapes. The output is for
// people, not for machines: it is not reversible (a backslash in the input is left as it is, so
// the text `\x1b` and an ESC byte come out the same). Where exact text matters, use JSON.
package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Terminal returns s made safe to print to a terminal as one field of one line. Every control
// character (C0 including TAB, CR and LF, DEL, C1), every line or paragraph separator, every
// format character (bidirectional controls, zero-width space, BOM, soft hyphen, invisible tag
// characters) and every other default-ignorable code point is written as an escape, as are
// invalid UTF-8 bytes:
//
//	"\t", "\n", "\r"         TAB, LF, CR
//	"\x1b", "\x7f", "\xff"   other ASCII controls, and bytes that are not UTF-8
//	"\u202e", "\U000e0041"   characters from U+0080 on (C1 controls, bidi, invisible)
//
// TAB is escaped too: it breaks the columns of a tabwriter table. Two exceptions keep scripts
// and emoji intact: a zero-width joiner or non-joiner (U+200D, U+200C) is kept between two
// visible non-ASCII characters (Persian, Indic scripts, "👩‍💻"), and one variation selector
// is kept right after a visible character ("❤️", "1️⃣"); elsewhere they only hide text.
// Text with none of these characters comes back unchanged.
func Terminal(s string) string { return render(s, false) }

// TerminalMultiline is Terminal for text shown over several lines, such as a note that the
// history command prints indented under its header: each "\n" stays a real line break (the
// caller indents after it), and a "\r\n" becomes "\n", since a CR right before a line break
// can overwrite nothing. Everything else, a lone "\r" included, is escaped as by Terminal.
func TerminalMultiline(s string) string { return render(s, true) }

// class is what rendering does with a character.
type class uint8

const (
	plain    class = iota // shown as it is
	hidden                // always escaped
	joiner                // U+200C, U+200D: kept between two visible non-ASCII characters
	selector              // a variation selector: kept right after a visible character
)

// classify says how a character is rendered, before its neighbours are looked at. Hidden are
// the controls (Cc), format characters (Cf: bidi, zero-width, BOM, soft hyphen, tags), line
// and paragraph separators (Zl, Zp), and the other default-ignorable code points, which
// render as nothing (U+034F, the Hangul fillers U+3164 and U+FFA0, ...). The soft hyphen is
// hidden too: it shows only where a line wraps, so "pay\u00adpal" reads "paypal" but is not.
// Tag characters (U+E0020...) are an invisible copy of ASCII, used to smuggle instructions
// past readers; the price is that the rare flag emoji built from them (England, Scotland,
// Wales) come out escaped.
func classify(r rune) class {
	switch {
	case r < 0x20 || r == 0x7f:
		return hidden
	case r < utf8.RuneSelf:
		return plain // the common case, before any table look-up
	case r == 0x200c || r == 0x200d:
		return joiner
	case unicode.Is(unicode.Variation_Selector, r):
		return selector
	case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Other_Default_Ignorable_Code_Point):
		return hidden
	}
	return plain
}

// keep reports whether r is shown as it is, given the last character shown as it is just
// before it (-1 if an escape, a line break or the start of the text came before) and the text
// after it.
func keep(r, prev rune, rest string) bool {
	switch classify(r) {
	case plain:
		return true
	case joiner:
		next, size := utf8.DecodeRuneInString(rest)
		return prev >= utf8.RuneSelf && classify(prev) != joiner &&
			size > 1 && classify(next) == plain // size > 1: valid and not ASCII
	case selector:
		return prev >= 0 && classify(prev) == plain && !unicode.IsSpace(prev)
	}
	return false
}

// render escapes s as Terminal does; with multiline, "\n" and "\r\n" stay line breaks.
func render(s string, multiline bool) string {
	if plainASCII(s, multiline) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	prev := rune(-1)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			writeHex(&b, `\x`, uint32(s[i]), 2)
			prev = -1
		case multiline && r == '\n':
			b.WriteByte('\n')
			prev = -1
		case multiline && r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			// Dropped: the line break that follows is written next.
		case keep(r, prev, s[i+size:]):
			b.WriteString(s[i : i+size])
			prev = r
		default:
			writeEscape(&b, r)
			prev = -1
		}
		i += size
	}
	return b.String()
}

// plainASCII reports whether s is printable ASCII (and line breaks, with multiline), which
// render returns as it is without copying it.
func plainASCII(s string, multiline bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 || c >= 0x7f) && !(multiline && c == '\n') {
			return false
		}
	}
	return true
}

// writeEscape writes r in the escape notation of Go string literals.
func writeEscape(b *strings.Builder, r rune) {
	switch {
	case r == '\t':
		b.WriteString(`\t`)
	case r == '\n':
		b.WriteString(`\n`)
	case r == '\r':
		b.WriteString(`\r`)
	case r < utf8.RuneSelf:
		writeHex(b, `\x`, uint32(r), 2)
	case r <= 0xffff:
		writeHex(b, `\u`, uint32(r), 4)
	default:
		writeHex(b, `\U`, uint32(r), 8)
	}
}

// writeHex writes prefix, then v as that many lower-case hex digits.
func writeHex(b *strings.Builder, prefix string, v uint32, digits int) {
	const hex = "0123456789abcdef"
	b.WriteString(prefix)
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b.WriteByte(hex[v>>uint(shift)&0xf])
	}
}
