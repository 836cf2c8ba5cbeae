package capture_test

import (
	"testing"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/capture"
)

func TestParseCombo(t *testing.T) {
	for in, want := range map[string]string{
		"ctrl+alt+n": "ctrl+alt+n", "Ctrl + Alt + C": "ctrl+alt+c", "super+shift+5": "shift+super+5", "control+option+s": "ctrl+alt+s",
	} {
		c, err := capture.ParseCombo(in)
		if err != nil || c.String() != want {
			t.Errorf("ParseCombo(%q) = %v, %v; want %s", in, c, err, want)
		}
	}
	for _, bad := range []string{"", "n", "shift+n", "ctrl+alt", "ctrl+alt+nn", "ctrl+hyper+n", "ctrl+alt+é"} {
		if _, err := capture.ParseCombo(bad); blotter.ErrorCode(err) != blotter.EINVALID {
			t.Errorf("ParseCombo(%q) = %v, want EINVALID", bad, err)
		}
	}
}
