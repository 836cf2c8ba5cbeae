// Package version holds what this build of Blotter is: set at link time by the Makefile
// (go build -ldflags "-X github.com/blotterapp/blotter/internal/version.Version=…"), so that a
// report, a bug or a package names the exact code it came from.
package version

import "fmt"

// Set by -ldflags -X; a plain `go build` or `go test` keeps these.
var (
	// Version is `git describe --tags --always --dirty` without a leading "v".
	Version = "dev"
	// Commit is `git rev-parse --short HEAD`.
	Commit = "unknown"
	// Built is the build's date, YYYY-MM-DD (UTC), or "" when not known.
	Built = ""
)

// Info is the build as the app's About box and `blotter --version` show it.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Built   string `json:"built"`
	Text    string `json:"text"` // "Blotter 0.9.0 (commit abc1234, built 2026-11-23)"
}

// Get returns this build's version.
func Get() Info {
	return Info{Version: Version, Commit: Commit, Built: Built, Text: "Blotter " + describe(Version, Commit, Built)}
}

// String is the line `blotter --version` prints: "blotter 0.9.0 (commit abc1234, built 2026-11-23)".
func String() string {
	return "blotter " + describe(Version, Commit, Built)
}

func describe(version, commit, built string) string {
	if built == "" {
		return fmt.Sprintf("%s (commit %s)", version, commit)
	}
	return fmt.Sprintf("%s (commit %s, built %s)", version, commit, built)
}
