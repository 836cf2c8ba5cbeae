// Package blotter is the domain of Blotter: incidents, timeline entries, their revisions and
// evidence, the rules that keep them valid, and the service interfaces the adapters implement.
// It imports only the standard library.
package blotter

import "time"

// TimeLayout is how Blotter writes times everywhere (JSON, exports, revision content): RFC 3339
// in UTC with all nine fractional digits, so that the strings sort like the times they name.
const TimeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// FormatTime formats t in TimeLayout, in UTC.
func FormatTime(t time.Time) string {
	return t.UTC().Format(TimeLayout)
}

// Times before 1970 or after 2200 are refused: they are typos, and they would not fit the
// nanosecond integers the store keeps.
var (
	minTime = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

func validTime(t time.Time) bool {
	return !t.Before(minTime) && t.Before(maxTime)
}
