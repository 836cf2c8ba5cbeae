package blotter

import (
	"strings"
	"time"
)

// ParseTime reads a time as a responder types it:
//   - "now";
//   - RFC 3339, with or without fractional seconds ("2026-11-22T14:03:00Z", "…+01:00");
//   - "YYYY-MM-DD HH:MM[:SS]" in loc;
//   - "HH:MM[:SS]" in loc: the most recent such time at or before now (today's, or yesterday's
//     when today's is still ahead: "23:50" typed just after midnight means last night);
//   - a relative "-DURATION" before now, in Go's duration syntax ("-15m", "-1h30m", "-90s").
//
// The result is in UTC. An unparseable string gets an EINVALID error that lists the forms.
func ParseTime(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, timeSyntaxError(s)
	}
	if strings.EqualFold(s, "now") {
		return now.UTC(), nil
	}
	if s[0] == '-' {
		d, err := time.ParseDuration(s[1:])
		if err != nil || d < 0 || strings.HasPrefix(s[1:], "-") || strings.HasPrefix(s[1:], "+") {
			return time.Time{}, timeSyntaxError(s)
		}
		return checkTimeRange(s, now.Add(-d).UTC())
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return checkTimeRange(s, t.UTC())
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return checkTimeRange(s, t.UTC())
		}
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		clock, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		local := now.In(loc)
		t := time.Date(local.Year(), local.Month(), local.Day(), clock.Hour(), clock.Minute(), clock.Second(), 0, loc)
		if t.After(now) {
			t = time.Date(local.Year(), local.Month(), local.Day()-1, clock.Hour(), clock.Minute(), clock.Second(), 0, loc)
		}
		return checkTimeRange(s, t.UTC())
	}
	return time.Time{}, timeSyntaxError(s)
}

func checkTimeRange(s string, t time.Time) (time.Time, error) {
	if !validTime(t) {
		return time.Time{}, Errorf(EINVALID, "time %q is out of range (1970 to 2199)", s)
	}
	return t, nil
}

func timeSyntaxError(s string) error {
	return Errorf(EINVALID, "cannot read time %q: use RFC 3339 (2026-11-22T14:03:00Z), "+
		"YYYY-MM-DD HH:MM[:SS], HH:MM[:SS] (local, most recent), -DURATION (-15m, -1h30m) or now", s)
}

// ParseDueTime reads a due time, which lies ahead: "+DURATION" (+2h) from now, a bare clock
// time (HH:MM[:SS], local) as its next occurrence, or any time ParseTime reads.
func ParseDueTime(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "+") {
		d, err := time.ParseDuration(s[1:])
		if err != nil || d < 0 {
			return time.Time{}, Errorf(EINVALID, "cannot read due time %q: write +2h, 17:00, or a date and time", s)
		}
		return checkTimeRange(s, now.Add(d).UTC())
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		if _, err := time.Parse(layout, s); err == nil {
			t, err := ParseTime(s, now, loc) // the most recent such time …
			if err == nil && t.Before(now) {
				t = t.AddDate(0, 0, 1) // … and a due time is the next one
			}
			return t, err
		}
	}
	return ParseTime(s, now, loc)
}
