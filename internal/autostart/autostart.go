// Package autostart starts Blotter when the user logs in, as the side window: on Linux an XDG
// autostart entry (~/.config/autostart/blotter.desktop), which GNOME, KDE, Xfce and the
// other XDG desktops read; on Windows a value under HKCU\...\CurrentVersion\Run; on macOS a
// launch agent (~/Library/LaunchAgents/app.blotter.desktop.plist), which launchd starts at
// login and System Settings lists under Login Items. That is the setting: there is no copy of
// it in a data dir, as logging in is the user's, not an incident's.
package autostart

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
)

// FileName is the entry's name in the autostart folder; the package installs the app's own
// entry under the same name in /usr/share/applications.
const FileName = "blotter.desktop"

// Program returns how the entry names this binary: "blotter" when that is what $PATH finds
// (an installed package), else the binary's absolute path (a tarball, a build tree), so that
// the entry starts this binary and not another one.
func Program() (string, error) {
	self, err := executable()
	if err != nil {
		return "", err
	}
	if found, err := exec.LookPath("blotter"); err == nil {
		if found, err = filepath.EvalSymlinks(found); err == nil && sameFile(found, self) {
			return "blotter", nil
		}
	}
	return self, nil
}

// executable returns this binary's absolute path, symbolic links resolved.
func executable() (string, error) {
	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	if err != nil {
		return "", blotter.Errorf(blotter.EUNAVAILABLE, "cannot tell where this program is: %v", err)
	}
	return self, nil
}

func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// Entry returns the autostart desktop entry that runs program with args.
func Entry(program string, args []string) (string, error) {
	line, err := ExecLine(append([]string{program}, args...))
	if err != nil {
		return "", err
	}
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=Blotter\n" +
		"Comment=Incident timeline, started at login as the side window\n" +
		"Exec=" + line + "\n" +
		"Icon=blotter\n" +
		"Terminal=false\n" +
		"X-GNOME-Autostart-enabled=true\n", nil
}

// ExecLine writes a command line as a desktop entry's Exec value: arguments with reserved
// characters are quoted, `"`, "`", `$` and `\` escaped inside the quotes, `%` doubled (it
// starts a field code), then every `\` doubled again by the string escaping that the
// Desktop Entry Specification applies before the quoting rule.
func ExecLine(argv []string) (string, error) {
	quoted := make([]string, len(argv))
	for i, a := range argv {
		if strings.ContainsFunc(a, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return "", blotter.Errorf(blotter.EINVALID, "%q cannot be started at login: it holds a control character", a)
		}
		if a == "" || strings.ContainsAny(a, " \t\"'\\><~|&;$*?#()`") {
			a = `"` + strings.NewReplacer(`"`, `\"`, "`", "\\`", `$`, `\$`, `\`, `\\`).Replace(a) + `"`
		}
		quoted[i] = strings.ReplaceAll(a, "%", "%%")
	}
	return strings.ReplaceAll(strings.Join(quoted, " "), `\`, `\\`), nil
}

// ParseExec reads an Exec value back into its arguments as a desktop does (Desktop Entry
// Specification, "The Exec key"): the string escapes first, then the quoting, then %% as %.
// A field code, an open quote or a reserved character outside quotes is an error.
func ParseExec(value string) ([]string, error) {
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
				return nil, fmt.Errorf("a backslash in quotes before %q", unescaped[i:])
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
				return nil, fmt.Errorf("reserved %q outside quotes", c)
			}
			cur.WriteByte(c)
			inArg = true
		}
	}
	if inQuotes {
		return nil, fmt.Errorf("a quote left open")
	}
	if inArg {
		argv = append(argv, cur.String())
	}
	for i, a := range argv {
		if strings.Contains(strings.ReplaceAll(a, "%%", ""), "%") {
			return nil, fmt.Errorf("a field code in %q", a)
		}
		argv[i] = strings.ReplaceAll(a, "%%", "%")
	}
	return argv, nil
}

// EntryEnabled reports whether an autostart entry's text starts a program at login that
// isThis says is this binary: not when the desktop turned it off (GNOME's Startup
// Applications writes X-GNOME-Autostart-enabled=false, KDE's settings Hidden=true, which the
// specification reads as deleted), nor when its Exec starts another program or cannot be read.
func EntryEnabled(text string, isThis func(program string) bool) bool {
	group := ""
	var execValue string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			group = line
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || group != "[Desktop Entry]" {
			continue
		}
		switch key, value = strings.TrimSpace(key), strings.TrimSpace(value); key {
		case "Hidden":
			if value == "true" {
				return false
			}
		case "X-GNOME-Autostart-enabled":
			if value == "false" {
				return false
			}
		case "Exec":
			execValue = value
		}
	}
	argv, err := ParseExec(execValue)
	return err == nil && len(argv) > 0 && isThis(argv[0])
}
