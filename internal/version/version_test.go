package version

import "testing"

func TestString(t *testing.T) {
	for _, c := range []struct {
		version, commit, built, want string
	}{
		{"dev", "unknown", "", "dev (commit unknown)"},
		{"0.9.0", "abc1234", "2026-11-23", "0.9.0 (commit abc1234, built 2026-11-23)"},
		{"0.9.0-3-gabc1234-dirty", "abc1234", "2026-11-23", "0.9.0-3-gabc1234-dirty (commit abc1234, built 2026-11-23)"},
	} {
		Version, Commit, Built = c.version, c.commit, c.built
		if got := String(); got != "blotter "+c.want {
			t.Errorf("String() = %q, want %q", got, "blotter "+c.want)
		}
		if got := Get(); got.Text != "Blotter "+c.want || got.Version != c.version || got.Commit != c.commit || got.Built != c.built {
			t.Errorf("Get() = %+v, want Text %q", got, "Blotter "+c.want)
		}
	}
	Version, Commit, Built = "dev", "unknown", ""
}
