//go:build !windows

package recorder

import "strings"

// systemFolder returns the operating system's own folder that holds path, or "": no evidence
// arrives there.
func systemFolder(path string) string {
	for _, system := range []string{"/proc", "/sys", "/dev", "/run"} {
		if path == system || strings.HasPrefix(path, system+"/") {
			return system
		}
	}
	return ""
}
