package autostart

import (
	"bytes"
	"encoding/xml"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
)

// LaunchAgentLabel names the macOS launch agent: the app's single-instance id, reversed-DNS
// as launchd labels are.
const LaunchAgentLabel = "app.blotter.desktop"

// LaunchAgent returns the property list of a launch agent that runs program with args when
// the user logs in to the desktop (the Aqua session, not an ssh one), as an interactive app.
func LaunchAgent(program string, args []string) (string, error) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + LaunchAgentLabel + `</string>
	<key>ProgramArguments</key>
	<array>
`)
	for _, a := range append([]string{program}, args...) {
		// XML 1.0 cannot hold most control characters, even escaped.
		if strings.ContainsFunc(a, func(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f || r == 0xfffe || r == 0xffff }) {
			return "", blotter.Errorf(blotter.EINVALID, "%q cannot be started at login: it holds a control character", a)
		}
		b.WriteString("\t\t<string>")
		xml.EscapeText(&b, []byte(a))
		b.WriteString("</string>\n")
	}
	b.WriteString(`	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>LimitLoadToSessionType</key>
	<string>Aqua</string>
	<key>ProcessType</key>
	<string>Interactive</string>
</dict>
</plist>
`)
	return b.String(), nil
}

// launchAgentArgs reads the command line (ProgramArguments) back from a launch agent's
// property list in the XML form.
func launchAgentArgs(plist []byte) ([]string, error) {
	var doc struct {
		Dict struct {
			Items []struct {
				XMLName xml.Name
				Text    string   `xml:",chardata"`
				Strings []string `xml:"string"`
			} `xml:",any"`
		} `xml:"dict"`
	}
	dec := xml.NewDecoder(bytes.NewReader(plist))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		return nil, blotter.Errorf(blotter.EINVALID, "not a property list: %v", err)
	}
	items := doc.Dict.Items
	for i := 0; i+1 < len(items); i++ {
		if items[i].XMLName.Local == "key" && items[i].Text == "ProgramArguments" && items[i+1].XMLName.Local == "array" {
			return items[i+1].Strings, nil
		}
	}
	return nil, blotter.Errorf(blotter.EINVALID, "the property list has no ProgramArguments")
}
