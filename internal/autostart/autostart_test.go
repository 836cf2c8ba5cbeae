package autostart

import (
	"strings"
	"testing"
)

// parseExec reads an Exec value back as a desktop does (Desktop Entry Specification, "The Exec
// key"): string escapes first, then quoting, then %% as %.
func parseExec(t *testing.T, value string) []string {
	t.Helper()
	unescaped := strings.NewReplacer(`\\`, `\`, `\s`, " ", `\n`, "\n", `\t`, "\t", `\r`, "\r").Replace(value)
	var argv []string
	var cur strings.Builder
	inQuotes, inArg := false, false
	for i := 0; i < len(unescaped); i++ {
		c := unescaped[i]
		switch {
		case inQuotes && c == '\\':
			i++
			if i == len(unescaped) || !strings.ContainsRune("\"`$\\", rune(unescaped[i])) {
				t.Fatalf("Exec=%s: a backslash in quotes before %q", value, unescaped[i:])
			}
			cur.WriteByte(unescaped[i])
		case c == '"':
			inQuotes, inArg = !inQuotes, true
		case c == ' ' && !inQuotes:
			if inArg {
				argv = append(argv, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			if !inQuotes && strings.ContainsRune("\t'\\><~|&;$*?#()`", rune(c)) {
				t.Fatalf("Exec=%s: reserved %q outside quotes", value, c)
			}
			cur.WriteByte(c)
			inArg = true
		}
	}
	if inQuotes {
		t.Fatalf("Exec=%s: a quote left open", value)
	}
	if inArg {
		argv = append(argv, cur.String())
	}
	for i, a := range argv {
		if strings.Contains(strings.ReplaceAll(a, "%%", ""), "%") {
			t.Fatalf("Exec=%s: a field code in %q", value, a)
		}
		argv[i] = strings.ReplaceAll(a, "%%", "%")
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
