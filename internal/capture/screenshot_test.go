package capture

import (
	"errors"
	"image"
	"runtime"
	"strings"
	"testing"
)

func TestDisplayUnder(t *testing.T) {
	left := image.Rect(-1920, 0, 0, 1080)
	primary := image.Rect(0, 0, 2560, 1440)
	above := image.Rect(0, -1080, 1920, 0)
	displays := []image.Rectangle{left, primary, above}
	for _, c := range []struct {
		at   image.Point
		want image.Rectangle
	}{
		{image.Pt(-5, 500), left},
		{image.Pt(100, -1), above},
		{image.Pt(0, 0), primary},
		{image.Pt(2559, 1439), primary},
		{image.Pt(5000, 5000), primary}, // nowhere: the primary display
	} {
		if got := displayUnder(c.at, displays); got != c.want {
			t.Errorf("displayUnder(%v) = %v, want %v", c.at, got, c.want)
		}
	}
	if got := displayUnder(image.Pt(5000, 5000), []image.Rectangle{above, left}); got != above {
		t.Errorf("without a display at the origin: %v, want the first, %v", got, above)
	}
}

func TestScreencaptureArgs(t *testing.T) {
	// A display left of the main one and higher: negative coordinates.
	got := screencaptureArgs(image.Rect(-1440, -20, 0, 880), "/tmp/blotter-shot/shot.png")
	want := []string{"-x", "-t", "png", "-R", "-1440,-20,1440,900", "/tmp/blotter-shot/shot.png"}
	if len(got) != len(want) {
		t.Fatalf("args %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("args %q, want %q", got, want)
		}
	}
}

func TestScreenRecordingAdvice(t *testing.T) {
	refused := func() (bool, error) { return false, nil }
	allowed := func() (bool, error) { return true, nil }
	unknown := func() (bool, error) { return false, errors.New("CoreGraphics is not as expected") }
	if got := ScreenRecordingAdvice(refused); !strings.Contains(got, "Privacy & Security > Screen Recording") {
		t.Errorf("refused: advice %q, want where to allow it", got)
	}
	if got := ScreenRecordingAdvice(allowed); got != "" {
		t.Errorf("allowed: advice %q, want none", got)
	}
	if got := ScreenRecordingAdvice(unknown); got != "" {
		t.Errorf("unknown (the screenshot says why when taken): advice %q, want none", got)
	}
	if ok, err := ScreenRecordingAllowed(); runtime.GOOS != "darwin" && (!ok || err != nil) {
		t.Errorf("on %s the screen needs no permission, got %v, %v", runtime.GOOS, ok, err)
	}
}
