package textsafe

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// renderTests are the table of Terminal and TerminalMultiline, and the fuzz seeds.
var renderTests = []struct {
	name  string
	in    string
	want  string // Terminal
	multi string // TerminalMultiline; "" means the same as want
}{
	{name: "ascii", in: `ana: saw 10.0.0.1 <b> & a literal \x1b`, want: `ana: saw 10.0.0.1 <b> & a literal \x1b`},
	{name: "empty", in: "", want: ""},
	{name: "unicode", in: "Überprüfung in 東京, ответ, שלום, مرحبا, ∑ ≠ ∞, U+FFFD \ufffd",
		want: "Überprüfung in 東京, ответ, שלום, مرحبا, ∑ ≠ ∞, U+FFFD \ufffd"},
	{name: "emoji", in: "😀 👍🏽 🇺🇦 ❤️ 1️⃣ 👩‍💻 👨‍👩‍👧 👨‍❤️‍👨 🏳️‍🌈", want: "😀 👍🏽 🇺🇦 ❤️ 1️⃣ 👩‍💻 👨‍👩‍👧 👨‍❤️‍👨 🏳️‍🌈"},
	{name: "zwnj in persian", in: "می\u200cخواهم", want: "می\u200cخواهم"},
	{name: "csi", in: "\x1b[2K\x1b[1Aforged line", want: `\x1b[2K\x1b[1Aforged line`},
	{name: "osc 0 title", in: "\x1b]0;pwned\x07", want: `\x1b]0;pwned\x07`},
	{name: "osc 8 hyperlink", in: "\x1b]8;;https://evil.example\x1b\\docs\x1b]8;;\x1b\\",
		want: `\x1b]8;;https://evil.example\x1b\docs\x1b]8;;\x1b\`},
	{name: "cr forging", in: "ok\r2026-11-22 14:00:00 ana note", want: `ok\r2026-11-22 14:00:00 ana note`},
	{name: "backspace", in: "rm -rf /\b\b\b\bls", want: `rm -rf /\x08\x08\x08\x08ls`},
	{name: "nul del", in: "a\x00b\x7f", want: `a\x00b\x7f`},
	{name: "c1 csi", in: "\u009b2Jgone", want: `\u009b2Jgone`},
	{name: "c1 nel", in: "a\u0085b", want: `a\u0085b`},
	{name: "bidi override", in: "invoice\u202efdp.exe", want: `invoice\u202efdp.exe`},
	{name: "bidi isolates and marks", in: "\u2067x\u2069\u200e\u200f\u061c", want: `\u2067x\u2069\u200e\u200f\u061c`},
	{name: "zero width space", in: "pay\u200bpal.example", want: `pay\u200bpal.example`},
	{name: "zero width joiner in ascii", in: "ad\u200dmin", want: `ad\u200dmin`},
	{name: "joiner at the ends", in: "\u200d😀\u200d", want: `\u200d😀\u200d`},
	{name: "joiners in a row", in: "😀\u200d\u200d😀", want: `😀\u200d\u200d😀`},
	{name: "bom and soft hyphen", in: "\ufeffpay\u00adpal", want: `\ufeffpay\u00adpal`},
	{name: "separators", in: "a\u2028b\u2029c", want: `a\u2028b\u2029c`},
	{name: "hangul filler", in: "\u3164", want: `\u3164`},
	{name: "tag characters", in: "hi\U000e0041\U000e0042", want: `hi\U000e0041\U000e0042`},
	{name: "selector smuggling", in: "😀\ufe0f\ufe0f\U000e0100", want: "😀\ufe0f" + `\ufe0f\U000e0100`},
	{name: "selector alone", in: "\ufe0f \ufe0f", want: `\ufe0f \ufe0f`},
	{name: "invalid utf-8", in: "a\xffb\xc3", want: `a\xffb\xc3`},
	{name: "tab", in: "host\t10.0.0.1", want: `host\t10.0.0.1`},
	{name: "line breaks", in: "one\ntwo\r\nthree\rfour\n", want: `one\ntwo\r\nthree\rfour\n`, multi: "one\ntwo\nthree\\rfour\n"},
	{name: "cr before crlf", in: "a\r\r\nb", want: `a\r\r\nb`, multi: "a\\r\nb"},
}

func TestTerminal(t *testing.T) {
	for _, tt := range renderTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Terminal(tt.in); got != tt.want {
				t.Errorf("Terminal(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			want := tt.multi
			if want == "" {
				want = tt.want
			}
			if got := TerminalMultiline(tt.in); got != want {
				t.Errorf("TerminalMultiline(%q)\n got %q\nwant %q", tt.in, got, want)
			}
		})
	}
}

func FuzzTerminal(f *testing.F) {
	for _, tt := range renderTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, multiline := range []bool{false, true} {
			checkRendered(t, in, render(in, multiline), multiline)
		}
	})
}

// checkRendered checks what render must guarantee for any input: valid UTF-8 with no hidden
// character (but line breaks, with multiline), joiners and selectors only where kept, the same
// line breaks, a second rendering that changes nothing, and safe input unchanged.
func checkRendered(t *testing.T, in, out string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("render(%q, %v) = %q: not valid UTF-8", in, multiline, out)
	}
	runes := []rune(out)
	for i, r := range runes {
		prev, next := rune(-1), rune(-1)
		if i > 0 {
			prev = runes[i-1]
		}
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		var ok bool
		switch classify(r) {
		case plain:
			ok = true
		case hidden:
			ok = multiline && r == '\n'
		case joiner:
			ok = prev >= utf8.RuneSelf && classify(prev) != joiner && classify(prev) != hidden &&
				next >= utf8.RuneSelf && classify(next) == plain
		case selector:
			ok = prev >= 0 && classify(prev) == plain && !unicode.IsSpace(prev)
		}
		if !ok {
			t.Fatalf("render(%q, %v) = %q: shows %U as it is", in, multiline, out, r)
		}
	}
	if want := strings.Count(in, "\n"); multiline && strings.Count(out, "\n") != want {
		t.Fatalf("render(%q, true) = %q: %d line breaks, want %d", in, out, strings.Count(out, "\n"), want)
	}
	if again := render(out, multiline); again != out {
		t.Fatalf("render(%q, %v) = %q, but rendering that again gives %q", in, multiline, out, again)
	}
	safe := utf8.ValidString(in)
	for _, r := range in {
		safe = safe && (classify(r) == plain || multiline && r == '\n')
	}
	if safe && out != in {
		t.Fatalf("render(%q, %v) = %q: safe text was changed", in, multiline, out)
	}
}
