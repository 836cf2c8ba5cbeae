package slack_test

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/slack"
)

// j is the word joiner ToMrkdwn puts after the "@" of a broadcast.
const j = "\u2060"

// toMrkdwnTests are the table of ToMrkdwn, and seeds of FuzzToMrkdwn.
var toMrkdwnTests = []struct{ name, in, want string }{
	// Slack's escapes, and markup typed in the text.
	{"escapes", "AT&T: a < b > c", "AT&amp;T: a &lt; b &gt; c"},
	{"entities typed", "&amp; &lt;b&gt; &#60;", "&amp;amp; &amp;lt;b&amp;gt; &amp;#60;"},
	{"markup typed", "<!channel> <!here> <@U123> <#C1|general> <!subteam^S1>", "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;#C1|general&gt; &lt;!subteam^S1&gt;"},
	{"escaped markup typed", "&lt;!channel&gt;", "&amp;lt;!channel&amp;gt;"},
	{"fake link typed", "<!channel|x> <https://evil.test|https://bank.test>", "&lt;!channel|x&gt; <https://evil.test%7Chttps://bank.test>"}, // an autolink: Slack shows all of it
	{"html", "<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"},

	// Broadcast words.
	{"broadcasts", "@channel @here @everyone", "@" + j + "channel @" + j + "here @" + j + "everyone"},
	{"broadcasts any case", "@Channel @HERE @eVeryOne", "@" + j + "Channel @" + j + "HERE @" + j + "eVeryOne"},
	{"broadcast as a prefix", "@heredoc @channels", "@" + j + "heredoc @" + j + "channels"},
	{"broadcast in an address", "ops@here.test", "ops@" + j + "here.test"},
	{"broadcast in code", "`@here`\n```\n@channel\n```", "`@" + j + "here`\n```\n@" + j + "channel\n```"},
	{"broadcast after markup", "@**channel** @`here`", "@*channel* @`here`"},
	{"broadcast after escape", `@\@here`, "@@" + j + "here"},
	{"joiner kept", "@" + j + "here", "@" + j + "here"},
	{"user mention stays", "@alice", "@alice"},

	// Links.
	{"link", "[docs](https://x.test/a?b=1&c=2)", "<https://x.test/a?b=1&amp;c=2|docs>"},
	{"link label breakout", "[x|y>](https://a)", "<https://a|x¦y&gt;>"},
	{"link label markup", "[<!channel>](https://a)", "<https://a|&lt;!channel&gt;>"},
	{"link label escapes", `[a\]b](https://a)`, "<https://a|a]b>"},
	{"link url bar", "[a](https://evil.test|https://bank.test)", "<https://evil.test%7Chttps://bank.test|a>"},
	{"link url broadcast", "[ping](https://x.test/@channel)", "<https://x.test/%40channel|ping>"},
	{"link url angle", "[x](https://a>b)", "[x](https://a&gt;b)"},
	{"link parens", "[wiki](https://en.wikipedia.org/wiki/Foo_(bar))", "<https://en.wikipedia.org/wiki/Foo_(bar)|wiki>"},
	{"link empty label", "[](https://x.test)", "<https://x.test>"},
	{"link blank label", "[  ](https://x.test)", "<https://x.test>"},
	{"mailto link", "[mail](mailto:ops@example.test)", "<mailto:ops@example.test|mail>"},
	{"mailto link broadcast", "[mail](mailto:ops@here.test)", "<mailto:ops%40here.test|mail>"},
	{"link scheme case", "[a](HTTPS://X.TEST)", "<HTTPS://X.TEST|a>"},
	{"javascript link", "[a](javascript:alert(1))", "[a](javascript:alert(1))"},
	{"ftp link", "[a](ftp://x.test)", "[a](ftp://x.test)"},
	{"relative link", "[a](/etc/passwd)", "[a](/etc/passwd)"},
	{"scheme only", "[a](https://)", "[a](https://)"},
	{"link title", `[a](https://x.test "t")`, `[a](https://x.test "t")`},
	{"nested brackets", "[a [b](https://x.test)", "[a <https://x.test|b>"},
	{"reference link", "[a][b]", "[a][b]"},
	{"image", "![graph](https://x.test/g.png)", "<https://x.test/g.png|graph>"},
	{"bang", "wow![a] !", "wow![a] !"},
	{"autolink", "<https://x.test/a?b&c>", "<https://x.test/a?b&amp;c>"},
	{"autolink mailto", "<mailto:a@b.test>", "<mailto:a@b.test>"},
	{"autolink with blank", "<https://x.test/a b>", "&lt;https://x.test/a b&gt;"},
	{"bare url", "see https://x.test/a_b_c?q=1&r=*2*.", "see https://x.test/a_b_c?q=1&amp;r=*2*."},
	{"bare url in emphasis", "**https://x.test/a**", "*https://x.test/a*"},
	{"bare url in parens", "(see https://x.test/a_(b)))", "(see https://x.test/a_(b)))"},
	{"bare url broadcast", "https://x.test/@here", "https://x.test/@" + j + "here"},
	{"not a url", "httpſ://x.test/_a_ xhttps://y/_b_", "httpſ://x.test/_a_ xhttps://y/_b_"},
	{"scheme alone", "http://. _a_", "http://. _a_"},

	// Emphasis.
	{"bold", "**b** and __b__", "*b* and *b*"},
	{"italic", "*i* and _i_", "_i_ and _i_"},
	{"strike", "~~s~~ and ~s~", "~s~ and ~s~"},
	{"bold italic", "***x***", "_*x*_"},
	{"nested", "**a *b* c**", "*a _b_ c*"},
	{"crossing", "*a _b* c_", "_a _b_ c_"},
	{"intraword", "snake_case_name 2*3*4 a**b**c", "snake_case_name 2*3*4 a**b**c"},
	{"unmatched", "**a *b", "**a *b"},
	{"spaced", "a * b * c", "a * b * c"},
	{"long tildes", "a ~~~a~~~ ~a~~", "a ~~~a~~~ ~a~~"},
	{"home path", "cd ~/x and ~/y", "cd ~/x and ~/y"},
	{"backslash escapes", `\*no\* \_no\_ \# \[x\] \<b\> \\`, `\*no\* \_no\_ # [x] &lt;b&gt; \`},
	{"backslash other", `C:\dir\x`, `C:\dir\x`},

	// Blocks.
	{"heading", "# Title", "*Title*"},
	{"heading levels", "## Sub ##\n###### Six\n####### Seven", "*Sub*\n*Six*\n####### Seven"},
	{"heading bold", "# a **b** _c_", "*a b _c_*"},
	{"heading hash", "# C#", "*C#*"},
	{"empty heading", "#\n# #", "#\n# #"},
	{"tag", "#tag", "#tag"},
	{"bullets", "- a\n* b\n+ c\n  - d\n\t* e", "• a\n• b\n• c\n  • d\n\t• e"},
	{"bullet emphasis", "* *x*", "• _x_"},
	{"not bullets", "-a\n*b*\n-", "-a\n_b_\n-"},
	{"numbered", "1. one\n2) **two**\n10. ten", "1. one\n2) *two*\n10. ten"},
	{"thematic breaks", "***\n---\n_ _ _\n* * *", "***\n---\n_ _ _\n* * *"},
	{"quote", "> quoted **b**\n>> two\n> - item\n> # h", "&gt; quoted *b*\n&gt;&gt; two\n&gt; • item\n&gt; *h*"},
	{"quote no space", ">x", "&gt;x"},

	// Code.
	{"fenced code", "```go\nif a < b && *c* {\n\t[a](https://b) @x\n}\n```\nafter **b**", "```\nif a &lt; b &amp;&amp; *c* {\n\t[a](https://b) @x\n}\n```\nafter *b*"},
	{"tilde fence", "~~~\n**x**\n~~~", "```\n**x**\n```"},
	{"indented fence", "  ```\n  a\n   b\nc\n  ```", "```\na\n b\nc\n```"},
	{"long fence", "````\n```\n````", "```\n```\n```"},
	{"fence closing longer", "```\nx\n`````", "```\nx\n```"},
	{"fence not closed by info", "```\nx\n```sh\n```", "```\nx\n```sh\n```"},
	{"unclosed fence", "```sh\nrm -rf / # **x**\n@here", "```\nrm -rf / # **x**\n@" + j + "here\n```"},
	{"unclosed fence newline", "```\nx\n", "```\nx\n```\n"},
	{"fence only", "```", "```\n```"},
	{"fence only newline", "```\n", "```\n```\n"},
	{"inline code", "run `a < b && *c* [x](https://y)` now", "run `a &lt; b &amp;&amp; *c* [x](https://y)` now"},
	{"inline fence", "```x``` *y*", "`x` _y_"},
	{"double backticks", "`` a `b` c `` *x*", "`` a `b` c `` _x_"},
	{"spaced backticks", "`` `x` ``", "`` `x` ``"},
	{"padded code", "` x `", "`x`"},
	{"blank code", "`  `", "`  `"},
	{"unmatched backticks", "`a ``b *c*", "`a ``b _c_"},
	{"escaped backtick", "\\`*a*`", "\\`_a_`"},
	{"code in link label", "[`x`](https://y)", "<https://y|`x`>"},

	// Text.
	{"empty", "", ""},
	{"CRLF", "a\r\nb\rc\n\nd", "a\nb\nc\n\nd"},
	{"CRLF in fence", "```\r\n<x>\r\n```\r\n", "```\n&lt;x&gt;\n```\n"},
	{"invalid UTF-8", "a\xffb\xc3", "a\uFFFDb\uFFFD"},
	{"unicode", "Été 🔥 東京 **gras**", "Été 🔥 東京 *gras*"},
	{"tables", "| a | b |\n|---|---|", "| a | b |\n|---|---|"},
	{"masked secret", "token [REDACTED aws-key] used", "token [REDACTED aws-key] used"},
}

func TestToMrkdwn(t *testing.T) {
	for _, tt := range toMrkdwnTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slack.ToMrkdwn(tt.in); got != tt.want {
				t.Errorf("ToMrkdwn(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// names resolves two users and a channel, as a Client would.
var names = slack.Names{
	User:    func(id string) string { return map[string]string{"U1": "alice", "U2": "@bob"}[id] },
	Channel: func(id string) string { return map[string]string{"C1": "ops"}[id] },
}

// fromMrkdwnTests are the table of FromMrkdwn, and seeds of FuzzFromMrkdwn.
var fromMrkdwnTests = []struct{ name, in, want string }{
	{"users", "<@U1> <@U2> <@U9> <@U9|carol> <@U1|old>", "@alice @bob @U9 @carol @alice"},
	{"channels", "<#C1> <#C9> <#C9|general> <#C1|old>", "#ops #C9 #general #ops"},
	{"broadcasts", "<!channel> <!here> <!everyone> <!here|here>", "@channel @here @everyone @here"},
	{"subteam", "<!subteam^S1|@oncall> <!subteam^S1|oncall> <!subteam^S1>", "@oncall @oncall @S1"},
	{"date", "<!date^1392734382^{date_num} {time_secs}|2014-02-18 6:39 AM>", "2014-02-18 6:39 AM"},
	{"date without fallback", "<!date^1392734382^{date}>", "<!date^1392734382^{date}>"},
	{"unknown command", "<!foo> <!foo|bar>", "<!foo> bar"},
	{"link", "<https://x.test/a|the docs>", "[the docs](https://x.test/a)"},
	{"bare link", "<https://x.test/a>", "https://x.test/a"},
	{"link label is url", "<https://x.test|https://x.test>", "https://x.test"},
	{"link label typed", "<http://example.test|example.test>", "example.test"},
	{"link escapes", "<https://x.test/?a=1&amp;b=2|a &amp; b &lt;c&gt;>", "[a & b <c>](https://x.test/?a=1&b=2)"},
	{"link label breakout", "<https://evil.test|x](https://good.test) [y>", `[x\](https://good.test) \[y](https://evil.test)`},
	{"link url breakout", "<https://x.test/a)b (c\\|l>", `[l](https://x.test/a%29b%20%28c%5C)`},
	{"mailto", "<mailto:a@b.test|a@b.test> <mailto:a@b.test> <mailto:a@b.test|Ana>", "a@b.test a@b.test Ana (a@b.test)"},
	{"other scheme", "<javascript:alert(1)|click> <ftp://x.test>", "click (javascript:alert(1)) ftp://x.test"},
	{"escapes once", "&amp;lt; &amp;amp; &lt;b&gt; &amp;", "&lt; &amp; <b> &"},
	{"escaped mention", "&lt;@U1&gt; &lt;!channel&gt;", "<@U1> <!channel>"},
	{"escaped label", "<@U9|a&amp;b>", "@a&b"},
	{"formatting kept", "*b* _i_ ~s~ `c` ```\nx\n```", "*b* _i_ ~s~ `c` ```\nx\n```"},
	{"stray angles", "a < b > c <d", "a < b > c <d"},
	{"markup across lines", "<@U1\n> x", "<@U1\n> x"},
	{"nested angle", "<<@U1>", "<@alice"},
	{"unknown markup", "<foo> <>", "<foo> <>"},
	{"empty user", "<@>", "@"},
	{"invalid UTF-8", "a\xff<@U9|b\xfe>", "a\uFFFD@b\uFFFD"},
	{"empty", "", ""},
}

func TestFromMrkdwn(t *testing.T) {
	for _, tt := range fromMrkdwnTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slack.FromMrkdwn(tt.in, names); got != tt.want {
				t.Errorf("FromMrkdwn(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFromMrkdwnNilNames(t *testing.T) {
	in := "<@U1> <@U1|alice> <#C1> <#C1|ops>"
	if got, want := slack.FromMrkdwn(in, slack.Names{}), "@U1 @alice #C1 #ops"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	odd := slack.Names{User: func(string) string { return "x\xff" }, Channel: func(string) string { return "" }}
	if got, want := slack.FromMrkdwn("<@U1> <#C1|c>", odd), "@x\uFFFD #c"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestLinear runs hostile text of Blotter's largest size: a conversion that rescans would not
// finish within the test's time.
func TestLinear(t *testing.T) {
	const size = 256 << 10
	// rep repeats a piece of input and what it becomes to fill size.
	rep := func(in, out string) (string, string) {
		n := size / len(in)
		return strings.Repeat(in, n), strings.Repeat(out, n)
	}
	type test struct{ name, in, want string }
	filled := func(name, in, out string) test {
		in, want := rep(in, out)
		return test{name, in, want}
	}
	openers, openersWant := rep("**a ", "*a ")
	closers, closersWant := rep("b** ", "b* ")
	path, pathWant := rep("a_b*", "a_b*")
	toTests := []test{
		filled("brackets", "[a](", "[a]("),
		filled("images", "![", "!["),
		filled("openers", "*a ", "*a "),
		{"nested bold", openers + closers, openersWant + closersWant},
		{"one run each side", strings.Repeat("*", size) + "a" + strings.Repeat("*", size), strings.Repeat("*", size/2) + "a" + strings.Repeat("*", size/2)},
		filled("underscores", "_a *b ", "_a *b "),
		filled("backticks", "`a", "`a"),
		filled("backtick runs", "` `` ", "` `` "),
		filled("angles", "<", "&lt;"),
		filled("autolinks", "<http://a", "&lt;http://a"),
		{"url", "https://x.test/" + path, "https://x.test/" + pathWant},
		filled("links", "[a](https://b) ", "<https://b|a> "),
		filled("fences", "```\nx\n", "```\nx\n"),
		filled("urls", "http://. ", "http://. "),
		filled("broadcasts", "@here", "@"+j+"here"),
		filled("quotes", ">", "&gt;"),
		filled("lines", "- `a\n", "• `a\n"),
	}
	for _, tt := range toTests {
		if got := slack.ToMrkdwn(tt.in); got != tt.want {
			t.Errorf("ToMrkdwn(%s): got %d bytes %q…, want %d bytes %q…", tt.name, len(got), got[:min(len(got), 40)], len(tt.want), tt.want[:min(len(tt.want), 40)])
		}
	}
	fromTests := []test{
		filled("angles", "<", "<"),
		filled("mentions", "<@U1>", "@alice"),
		filled("open markup", "<@U1 ", "<@U1 "),
		filled("escapes", "&amp;lt;", "&lt;"),
		filled("links", "<https://b|a> ", "[a](https://b) "),
	}
	for _, tt := range fromTests {
		if got := slack.FromMrkdwn(tt.in, names); got != tt.want {
			t.Errorf("FromMrkdwn(%s): got %d bytes, want %d", tt.name, len(got), len(tt.want))
		}
	}
}

// roundTripAlphabet builds plain text: no Markdown, no URL (no ":"), but Slack's escapes,
// entities and broadcast words.
var roundTripAlphabet = []string{
	"a", "Z", "0", " ", "  ", "\n", "\t", ".", ",", "!", "?", "@", "&", "<", ">", ";", "'", `"`, "/",
	"=", "%", "$", "^", "{", "}", "é", "東", "🔥", "\uFFFD", "channel", "here", "everyone", "amp;", "lt;", "gt;", "1.",
}

// roundTripPlain reports whether FromMrkdwn(ToMrkdwn(s)) must give s back.
func roundTripPlain(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsAny(s, "*_~`[]()#\\-+|:\r")
}

func stripJoiners(s string) string { return strings.ReplaceAll(s, j, "") }

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 5000; n++ {
		var b strings.Builder
		for k := rng.IntN(20); k > 0; k-- {
			b.WriteString(roundTripAlphabet[rng.IntN(len(roundTripAlphabet))])
		}
		in := b.String()
		if got := slack.FromMrkdwn(slack.ToMrkdwn(in), slack.Names{}); stripJoiners(got) != in {
			t.Fatalf("round trip of %q: %q via %q", in, got, slack.ToMrkdwn(in))
		}
	}
}

var (
	generatedLink = regexp.MustCompile(`<(?i:https?://|mailto:)[^\s<>|]+(?:\|[^<>|\n]*)?>`)
	slackEntity   = regexp.MustCompile(`&(?:amp|lt|gt);`)
	liveBroadcast = regexp.MustCompile(`(?i)@(?:channel|here|everyone)`)
)

// FuzzToMrkdwn: whatever the input, the output is valid UTF-8, every "<" and ">" belongs to a
// link ToMrkdwn wrote, every "&" starts one of Slack's escapes, no broadcast word follows an
// "@", and plain text comes back from FromMrkdwn.
func FuzzToMrkdwn(f *testing.F) {
	for _, tt := range toMrkdwnTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := slack.ToMrkdwn(in)
		if !utf8.ValidString(out) {
			t.Fatalf("ToMrkdwn(%q) = %q: invalid UTF-8", in, out)
		}
		if strings.Contains(out, "<!") {
			t.Fatalf("ToMrkdwn(%q) = %q: holds <!", in, out)
		}
		if rest := generatedLink.ReplaceAllString(out, ""); strings.ContainsAny(rest, "<>") {
			t.Fatalf("ToMrkdwn(%q) = %q: raw < or > outside links", in, out)
		}
		if rest := slackEntity.ReplaceAllString(out, ""); strings.Contains(rest, "&") {
			t.Fatalf("ToMrkdwn(%q) = %q: unescaped &", in, out)
		}
		if m := liveBroadcast.FindString(out); m != "" {
			t.Fatalf("ToMrkdwn(%q) = %q: live %s", in, out, m)
		}
		back := slack.FromMrkdwn(out, slack.Names{})
		if !utf8.ValidString(back) {
			t.Fatalf("FromMrkdwn(%q) = %q: invalid UTF-8", out, back)
		}
		if roundTripPlain(in) && stripJoiners(back) != stripJoiners(in) {
			t.Fatalf("round trip of %q: %q via %q", in, back, out)
		}
	})
}

// slackEscape is what Slack does to the text a user types.
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// FuzzFromMrkdwn: whatever the input, the output is valid UTF-8, and Slack's escapes are
// undone exactly once: escaped text (markup typed by a user included) comes back as typed,
// and text without markup is unescaped in a single pass.
func FuzzFromMrkdwn(f *testing.F) {
	for _, tt := range fromMrkdwnTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := slack.FromMrkdwn(in, names)
		if !utf8.ValidString(out) {
			t.Fatalf("FromMrkdwn(%q) = %q: invalid UTF-8", in, out)
		}
		typed := strings.ToValidUTF8(in, "\uFFFD")
		if got := slack.FromMrkdwn(slackEscape.Replace(typed), names); got != typed {
			t.Fatalf("FromMrkdwn(escaped %q) = %q", typed, got)
		}
		if !strings.Contains(in, "<") {
			if want := unescapeOnce(typed); out != want {
				t.Fatalf("FromMrkdwn(%q) = %q, want %q", in, out, want)
			}
		}
	})
}

// unescapeOnce undoes Slack's escapes left to right, never looking at what it wrote.
func unescapeOnce(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "&amp;"):
			b.WriteByte('&')
			i += len("&amp;") - 1
		case strings.HasPrefix(s[i:], "&lt;"):
			b.WriteByte('<')
			i += len("&lt;") - 1
		case strings.HasPrefix(s[i:], "&gt;"):
			b.WriteByte('>')
			i += len("&gt;") - 1
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func TestEscapeTextKeepsNamesAsWritten(t *testing.T) {
	for in, want := range map[string]string{
		"__init__.py":        "__init__.py",
		"- x":                "- x",
		"<!channel> & @here": "&lt;!channel&gt; &amp; @\u2060here",
		"bad \xff byte":      "bad \uFFFD byte",
	} {
		if got := slack.EscapeText(in); got != want {
			t.Errorf("EscapeText(%q) = %q, want %q", in, got, want)
		}
	}
}
