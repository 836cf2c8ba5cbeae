package app_test

import (
	"strings"
	"testing"
)

// The settings say how to get the hotkeys' work done in a Wayland session, and nothing in X11.
func TestHotkeysAdviceInWayland(t *testing.T) {
	s, _ := newServices(t)
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("XDG_SESSION_TYPE", "x11")
	if got := s.System.HotkeysAdvice(); got != "" {
		t.Errorf("in X11: HotkeysAdvice() = %q, want none", got)
	}
	t.Setenv("XDG_SESSION_TYPE", "wayland")
	if got := s.System.HotkeysAdvice(); !strings.Contains(got, "blotter capture note") || !strings.Contains(got, "Custom Shortcuts") {
		t.Errorf("in Wayland: HotkeysAdvice() = %q", got)
	}
}

func TestVersion(t *testing.T) {
	s, _ := newServices(t)
	if got := s.System.Version(); got.Version != "dev" || got.Text != "Blotter dev (commit unknown)" {
		t.Errorf("Version() = %+v", got)
	}
}

// Only macOS asks before an app may record the screen: elsewhere the settings have no advice.
func TestScreenshotAdviceWhereNoPermissionIsAsked(t *testing.T) {
	s, _ := newServices(t)
	if got := s.System.ScreenshotAdvice(); got != "" {
		t.Errorf("ScreenshotAdvice() = %q, want none on this OS", got)
	}
}
