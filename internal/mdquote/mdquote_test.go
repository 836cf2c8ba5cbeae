package mdquote_test

import (
	"testing"

	"github.com/blotterapp/blotter/internal/mdquote"
)

func TestFenceOutlastsTheText(t *testing.T) {
	for in, want := range map[string]string{
		"ls -la\n":          "```\nls -la\n```",
		"a ```` b":          "`````\na ```` b\n`````",
		"``":                "```\n``\n```",
		"x\n```\nclosed?\n": "````\nx\n```\nclosed?\n````",
	} {
		if got := mdquote.Fence(in, ""); got != want {
			t.Errorf("Fence(%q) = %q, want %q", in, got, want)
		}
	}
	if got := mdquote.Fence("x", "text"); got != "```text\nx\n```" {
		t.Errorf("info string: %q", got)
	}
	if n := mdquote.LongestRun("a``b```c`", '`'); n != 3 {
		t.Errorf("LongestRun = %d", n)
	}
}
