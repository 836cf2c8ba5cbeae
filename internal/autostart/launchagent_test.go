package autostart

import (
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestLaunchAgentRoundTrip(t *testing.T) {
	program := "/Applications/Blotter & Co.app/Contents/MacOS/Blotter"
	args := []string{"--side", `<b>"quoted" 'single' ]]> $HOME %d`, "", "naïve ✓"}
	plist, err := LaunchAgent(program, args)
	if err != nil {
		t.Fatal(err)
	}
	// Well-formed XML all through (launchd refuses a malformed plist silently).
	dec := xml.NewDecoder(strings.NewReader(plist))
	dec.Strict = true
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, plist)
		}
	}
	for _, want := range []string{"<key>Label</key>\n\t<string>app.blotter.desktop</string>", "<key>RunAtLoad</key>\n\t<true/>",
		"<string>Aqua</string>", "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\""} {
		if !strings.Contains(plist, want) {
			t.Errorf("the plist lacks %q:\n%s", want, plist)
		}
	}
	got, err := launchAgentArgs([]byte(plist))
	if err != nil {
		t.Fatal(err)
	}
	if want := append([]string{program}, args...); !slices.Equal(got, want) {
		t.Errorf("read back %q, want %q", got, want)
	}
}

func TestLaunchAgentRefusesControlCharacters(t *testing.T) {
	for _, bad := range []string{"a\x00b", "line\nbreak", "bell\x07", "\x7f"} {
		if _, err := LaunchAgent("/bin/blotter", []string{bad}); err == nil {
			t.Errorf("%q was written into the plist", bad)
		}
	}
	if _, err := LaunchAgent("/bin/blotter", []string{"tab\tok"}); err != nil {
		t.Errorf("a tab is valid XML: %v", err)
	}
}

func TestLaunchAgentArgsOfOtherFiles(t *testing.T) {
	for name, plist := range map[string]string{
		"not XML":           "Exec=/usr/bin/blotter",
		"no arguments":      `<plist version="1.0"><dict><key>Label</key><string>x</string></dict></plist>`,
		"a key at the end":  `<plist version="1.0"><dict><key>ProgramArguments</key></dict></plist>`,
		"unclosed elements": `<plist version="1.0"><dict><key>ProgramArguments</key><array><string>/x`,
	} {
		if args, err := launchAgentArgs([]byte(plist)); err == nil {
			t.Errorf("%s: read %q, want an error", name, args)
		}
	}
	// A minimal plist, as another tool may write one.
	args, err := launchAgentArgs([]byte(`<plist version="1.0"><dict><key>Label</key><string>x</string><key>ProgramArguments</key><array><string>/opt/b</string></array></dict></plist>`))
	if err != nil || !slices.Equal(args, []string{"/opt/b"}) {
		t.Errorf("read %q, %v; want [/opt/b]", args, err)
	}
}
