package capture

import "testing"

func TestWaylandSession(t *testing.T) {
	for _, c := range []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"X11", map[string]string{"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, false},
		{"no session type", map[string]string{"DISPLAY": ":0"}, false},
		{"WAYLAND_DISPLAY", map[string]string{"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, true},
		{"XDG_SESSION_TYPE", map[string]string{"XDG_SESSION_TYPE": "wayland"}, true},
		{"XDG_SESSION_TYPE in capitals", map[string]string{"XDG_SESSION_TYPE": "Wayland"}, true},
		{"tty", map[string]string{"XDG_SESSION_TYPE": "tty"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := WaylandSession(func(k string) string { return c.env[k] }); got != c.want {
				t.Errorf("WaylandSession(%v) = %v, want %v", c.env, got, c.want)
			}
		})
	}
}
