package capture

import (
	"fmt"
	"image"
)

// Shot is a screenshot as PNG.
type Shot struct {
	PNG           []byte
	Width, Height int
}

// displayUnder returns the display that holds at, else the primary one (Windows and
// macOS put its corner at the origin), else the first.
func displayUnder(at image.Point, displays []image.Rectangle) image.Rectangle {
	for _, d := range displays {
		if at.In(d) {
			return d
		}
	}
	for _, d := range displays {
		if image.Pt(0, 0).In(d) {
			return d
		}
	}
	return displays[0]
}

// screencaptureArgs is the command line of macOS's screencapture tool that writes the area
// (global coordinates in points, origin at the top left of the main display) to path as PNG,
// silently (no shutter sound), whichever displays the area spans. The path must be absolute,
// so that it cannot read as an option.
func screencaptureArgs(area image.Rectangle, path string) []string {
	return []string{"-x", "-t", "png",
		"-R", fmt.Sprintf("%d,%d,%d,%d", area.Min.X, area.Min.Y, area.Dx(), area.Dy()), path}
}

// ScreenRecordingRefused says how to let Blotter record the screen where macOS has not let it:
// without the permission macOS hands back the wallpaper, not an error.
const ScreenRecordingRefused = "macOS does not let Blotter record the screen yet, so a screenshot would show only the desktop: allow it in System Settings > Privacy & Security > Screen Recording, then quit and reopen Blotter."

// ScreenRecordingAdvice returns ScreenRecordingRefused when allowed (ScreenRecordingAllowed,
// or a test's) says the screen may not be recorded, else "".
func ScreenRecordingAdvice(allowed func() (bool, error)) string {
	if ok, err := allowed(); err == nil && !ok {
		return ScreenRecordingRefused
	}
	return ""
}
