package capture

import "strings"

// WaylandSession reports whether the desktop session is Wayland ($WAYLAND_DISPLAY set, or
// $XDG_SESSION_TYPE=wayland), where no program may grab keys for the whole desktop: the X11
// grabs Blotter makes then only see keys typed into X programs (XWayland), so the global
// hotkeys do not work from other windows. getenv is os.Getenv, or a test's.
func WaylandSession(getenv func(string) string) bool {
	return getenv("WAYLAND_DISPLAY") != "" || strings.EqualFold(strings.TrimSpace(getenv("XDG_SESSION_TYPE")), "wayland")
}

// WaylandHotkeys says what to do instead of the global hotkeys in a Wayland session.
const WaylandHotkeys = `This is a Wayland session: Blotter's global hotkeys do not work from other programs here
(Wayland lets no program take the keyboard's keys for itself). Bind desktop shortcuts to these
commands instead, each runs in the open app as its hotkey would:
  blotter capture note         quick note, timed when the keys were pressed
  blotter capture clipboard    the clipboard to the timeline
  blotter capture screenshot   a screenshot as evidence
GNOME: Settings → Keyboard → View and Customize Shortcuts → Custom Shortcuts → +: a name,
  the command, then press the keys.
KDE Plasma: System Settings → Shortcuts → Custom Shortcuts → Edit → New → Global Shortcut →
  Command/URL: the keys under Trigger, the command under Action (Plasma 6: System Settings →
  Keyboard → Shortcuts → Add New → Command or Script).`
