package gitlab_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/gitlab"
)

// j is the word joiner Neutralize puts after a sigil.
const j = "\u2060"

func TestNeutralize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		// References, each kind.
		{"mention", "ping @alice now", "ping @" + j + "alice now"},
		{"everyone", "cc @all", "cc @" + j + "all"},
		{"group mention", "@security-team/oncall", "@" + j + "security-team/oncall"},
		{"issue", "see #12", "see #" + j + "12"},
		{"cross-project issue", "dup of infra/net#7", "dup of infra/net#" + j + "7"},
		{"merge request", "fixed in !3", "fixed in !" + j + "3"},
		{"label", "~bug and ~\"needs triage\" and ~scope::value and ~5", `~` + j + `bug and ~` + j + `"needs triage" and ~` + j + `scope::value and ~` + j + `5`},
		{"milestone", `%"Sprint 4", %12, %v1.0`, `%` + j + `"Sprint 4", %` + j + `12, %` + j + `v1.0`},
		{"epic", "part of &5", "part of &" + j + "5"},
		{"snippet", "see $10", "see $" + j + "10"},
		{"iteration", "*iteration:5", "*" + j + "iteration:5"},
		{"escaped sigil", `\@all \#12`, `\@` + j + `all \#` + j + `12`},
		{"sigil then escape", `@\_all ~\"x y\"`, `@` + j + `\_all ~` + j + `\"x y\"`},
		{"sigil then comment", "@<!-- -->all", "@" + j + "<!-- -->all"},
		{"entities", "&commat;all &#x40;all &#64;all", "&" + j + "commat;all &" + j + "#x40;all &" + j + "#" + j + "64;all"},

		// Left as written: not references.
		{"e-mail", "mail bob@example.com", "mail bob@example.com"},
		{"home path", "cat ~/.ssh/id_rsa", "cat ~/.ssh/id_rsa"},
		{"percent", "100% sure, 50 %", "100% sure, 50 %"},
		{"ampersand", "AT&T & co", "AT&T & co"},
		{"hash words", "C# and # 5 and #L12", "C# and # 5 and #L12"},
		{"bang", "Done! Really!", "Done! Really!"},
		{"strikethrough stays", "~~done~~", "~~" + j + "done~~"},

		// Quick actions.
		{"quick action", "/close", `\/close`},
		{"quick action line", "text\n/label ~x\n/assign @bob", "text\n\\/label ~" + j + "x\n\\/assign @" + j + "bob"},
		{"indented slash", "  /close", "  /close"},
		{"CRLF", "a\r\n/close\rb", "a\n\\/close\nb"},

		// Code stays readable and exact where GitLab surely treats it as code.
		{"fenced code", "```sh\n/close\ngrep '#12' ~/@all\n```\nafter @all", "```sh\n/close\ngrep '#12' ~/@all\n```\nafter @" + j + "all"},
		{"two fences", "```\n@a\n```\n@b\n```\n@c\n```", "```\n@a\n```\n@" + j + "b\n```\n@c\n```"},
		{"inline code", "run `grep -r '#12' logs` now @all", "run `grep -r '#12' logs` now @" + j + "all"},
		{"double backticks", "``a `@x` b`` @y", "``a `@x` b`` @" + j + "y"},
		{"escaped backtick", "\\`@all`", "\\`@" + j + "all`"},

		// Ambiguous structure: everything is neutralized.
		{"unclosed fence", "```\n/close @all", "```\n\\/close @" + j + "all"},
		{"tilde fence", "~~~\n@all\n~~~", "~~~\n@" + j + "all\n~~~"},
		{"fence in HTML", "<div>\n```\n@all\n```\n</div>", "<div>\n```\n@" + j + "all\n```\n</div>"},
		{"fence in a list", "- ```\n  x\n  ```\n```\ny\n```\n@all\n```", "- ```\n  x\n  ```\n```\ny\n```\n@" + j + "all\n```"},
		{"span across lines", "# x `\n@all `", "# x `\n@" + j + "all `"},
		{"span in a table", "| `x | @all` |", "| `x | @" + j + "all` |"},
		{"backtick in HTML", "<a href=\"`\">@all`</a>", "<a href=\"`\">@" + j + "all`</a>"},

		// URLs stay exact, as autolinks.
		{"url", "see https://gitlab.example.com/~user/p/-/issues/12#note_5.", "see <https://gitlab.example.com/~user/p/-/issues/12#note_5>."},
		{"url with escapes", "(http://x.test/a%20b?q=1&2=3)", "(<http://x.test/a%20b?q=1&2=3>)"},
		{"autolink kept", "<https://x.test/@all>", "<https://x.test/@all>"},
		{"link destination", "[t](https://x.test/%20)", "[t](<https://x.test/%20>)"},
		{"defanged url", "hxxp://evil[.]test/%20", "hxxp://evil[.]test/%" + j + "20"},
		{"not a scheme", "httpſ://x.test/@all HTTPS://X.TEST/%41", "httpſ://x.test/@" + j + "all <HTTPS://X.TEST/%41>"},
		{"url closing parens", "(see http://x.test/a_(b)))", "(see <http://x.test/a_(b)>))"},

		{"empty", "", ""},
		{"unicode", "Été 🔥 @élodie", "Été 🔥 @élodie"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := gitlab.Neutralize(tt.in); got != tt.want {
				t.Errorf("Neutralize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzNeutralize: whatever the input, the visible text is kept: taking away the joiners, the
// backslash before a line's "/" and the brackets around URLs gives the input back (invalid
// UTF-8 becomes U+FFFD, as it would in the JSON sent to GitLab anyway).
func FuzzNeutralize(f *testing.F) {
	for _, s := range []string{"@all #1 !2 ~x %y &3 $4", "/close\n```\n@a\n```", "`@a` @b", "https://x.test/%20 @c", "~~~\n~x", "&amp; &#35;1"} {
		f.Add(s)
	}
	visible := strings.NewReplacer(j, "", "<", "", ">", "")
	slash := regexp.MustCompile(`(?m)^\\/`)
	f.Fuzz(func(t *testing.T, in string) {
		out := gitlab.Neutralize(in)
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q", in)
		}
		if !utf8.ValidString(in) || strings.ContainsAny(in, "<>\\\r"+j) {
			return
		}
		if got := visible.Replace(slash.ReplaceAllString(out, "/")); got != in {
			t.Errorf("Neutralize(%q) = %q: the visible text changed", in, out)
		}
	})
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"héllo wörld", 5, "héll…"},
		{"héllo", 5, "héllo"},
		{"héllo", 9, "héllo"},
		{"héllo", 1, "…"},
		{"héllo", 0, ""},
		{"🔥🔥🔥", 2, "🔥…"},
		{"a\xffbc", 3, "a\xff…"},
	}
	for _, tt := range tests {
		if got := gitlab.Excerpt(tt.in, tt.max); got != tt.want || utf8.RuneCountInString(got) > max(tt.max, 0) {
			t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestNeutralizeExcerpt(t *testing.T) {
	// A cut inside a code fence must not leave code unprotected: the cut comes first.
	in := "```\n/close @all\n```\n" + strings.Repeat("x", 300)
	out := gitlab.NeutralizeExcerpt(in, 20)
	if out != "```\n\\/close @"+j+"all\n`…" || utf8.RuneCountInString(out) > 20 {
		t.Errorf("got %q", out)
	}
	if got := gitlab.NeutralizeExcerpt("short @all", 50); got != "short @"+j+"all" {
		t.Errorf("short: %q", got)
	}
	for n := 1; n < 40; n++ {
		if got := gitlab.NeutralizeExcerpt(strings.Repeat("@a ", 30), n); utf8.RuneCountInString(got) > n {
			t.Fatalf("max %d: %d characters", n, utf8.RuneCountInString(got))
		}
	}
}

func TestStripMarker(t *testing.T) {
	for in, want := range map[string]string{
		"text\n\n<!-- blotter:0195-aa -->":  "text",
		"text <!--b:abcdefgh23-->":          "text",
		"text <!-- blotter:x --> then more": "text <!-- blotter:x --> then more",
		"no marker":                         "no marker",
	} {
		if got := gitlab.StripMarker(in); got != want {
			t.Errorf("StripMarker(%q) = %q, want %q", in, got, want)
		}
	}
}
