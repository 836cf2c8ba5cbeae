package autostart

import (
	"strings"
	"testing"
)

// parseExec reads an Exec value back as a desktop does, failing the test on a malformed one.
func parseExec(t *testing.T, value string) []string {
	t.Helper()
	argv, err := ParseExec(value)
	if err != nil {
		t.Fatalf("Exec=%s: %v", value, err)
	}
	return argv
}

func TestExecLine(t *testing.T) {
	for _, c := range []struct {
		name string
		argv []string
		want string // the Exec value, when it is worth pinning
	}{
		{"plain", []string{"blotter", "--side"}, "blotter --side"},
		{"a data dir with a space", []string{"/opt/blotter/blotter", "--side", "--data-dir", "/home/ana/My Incidents"},
			`/opt/blotter/blotter --side --data-dir "/home/ana/My Incidents"`},
		{"a backslash is four", []string{"blotter", `a\b`}, `blotter "a\\\\b"`},
		{"a percent is not a field code", []string{"blotter", "--data-dir", "/srv/100%"}, "blotter --data-dir /srv/100%%"},
		{"shell characters", []string{"blotter", "--data-dir", "/tmp/$HOME `id` \"q\" 'a' ; & | * ? # ( ) < > ~"}, ""},
		{"empty", []string{"blotter", ""}, `blotter ""`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ExecLine(c.argv)
			if err != nil {
				t.Fatal(err)
			}
			if c.want != "" && got != c.want {
				t.Errorf("ExecLine(%q) = %s, want %s", c.argv, got, c.want)
			}
			if back := parseExec(t, got); strings.Join(back, "\x00") != strings.Join(c.argv, "\x00") {
				t.Errorf("Exec=%s reads back as %q, want %q", got, back, c.argv)
			}
		})
	}
	if _, err := ExecLine([]string{"blotter", "--data-dir", "/tmp/a\nb"}); err == nil {
		t.Error("a newline in an argument was written into the entry")
	}
}

func TestEntry(t *testing.T) {
	text, err := Entry("blotter", []string{"--side"})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"[Desktop Entry]\n", "\nType=Application\n", "\nName=Blotter\n", "\nExec=blotter --side\n", "\nIcon=blotter\n"} {
		if !strings.Contains(text, line) {
			t.Errorf("the entry has no line %q:\n%s", strings.TrimSpace(line), text)
		}
	}
}

func TestEntryEnabled(t *testing.T) {
	entry, err := Entry("/opt/blotter/blotter", []string{"--side"})
	if err != nil {
		t.Fatal(err)
	}
	isThis := func(program string) bool { return program == "/opt/blotter/blotter" }
	for _, c := range []struct {
		name, text string
		want       bool
	}{
		{"as written", entry, true},
		{"turned off in GNOME", entry + "X-GNOME-Autostart-enabled=false\n", false},
		{"GNOME's switch before the key written again", strings.Replace(entry, "X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false", 1), false},
		{"hidden by KDE", entry + "Hidden=true\n", false},
		{"Hidden=false", entry + "Hidden=false\n", true},
		{"a switch in another group", entry + "[Desktop Action side]\nHidden=true\nX-GNOME-Autostart-enabled=false\n", true},
		{"another program", strings.Replace(entry, "Exec=/opt/blotter/blotter", "Exec=/usr/bin/other", 1), false},
		{"no Exec", "[Desktop Entry]\nType=Application\nName=Blotter\n", false},
		{"an Exec no desktop can read", strings.Replace(entry, "Exec=/opt/blotter/blotter --side", `Exec="/opt/blotter/blotter --side`, 1), false},
		{"spaces around =", strings.Replace(entry, "Exec=", "Exec = ", 1), true},
	} {
		if got := EntryEnabled(c.text, isThis); got != c.want {
			t.Errorf("%s: EntryEnabled = %v, want %v:\n%s", c.name, got, c.want, c.text)
		}
	}
}
