package recorder

import (
	"os"
	"strings"
)

// systemFolder returns the operating system's own folder that holds path (Windows' folder,
// compared as Windows compares names, case aside), or "": no evidence arrives there.
func systemFolder(path string) string {
	root := os.Getenv("SystemRoot")
	if root == "" {
		root = `C:\Windows`
	}
	p, r := strings.ToLower(path), strings.ToLower(strings.TrimRight(root, `\`))
	if p == r || strings.HasPrefix(p, r+`\`) {
		return root
	}
	return ""
}
