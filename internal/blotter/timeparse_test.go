package blotter_test

import (
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

func TestParseTime(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	now := time.Date(2026, 11, 22, 14, 30, 0, 0, time.UTC) // 15:30 in berlin
	tests := []struct {
		name, in string
		want     time.Time
	}{
		{"now", "now", now},
		{"rfc3339 utc", "2026-11-22T14:03:00Z", time.Date(2026, 11, 22, 14, 3, 0, 0, time.UTC)},
		{"rfc3339 offset", "2026-11-22T14:03:00+01:00", time.Date(2026, 11, 22, 13, 3, 0, 0, time.UTC)},
		{"rfc3339 nanos", "2026-11-22T14:03:00.123456789Z", time.Date(2026, 11, 22, 14, 3, 0, 123456789, time.UTC)},
		{"local date time", "2026-11-20 09:15", time.Date(2026, 11, 20, 8, 15, 0, 0, time.UTC)},
		{"clock today", "15:10", time.Date(2026, 11, 22, 14, 10, 0, 0, time.UTC)},
		{"clock with seconds", "15:10:42", time.Date(2026, 11, 22, 14, 10, 42, 0, time.UTC)},
		{"clock later today means yesterday", "23:50", time.Date(2026, 11, 21, 22, 50, 0, 0, time.UTC)},
		{"relative minutes", "-15m", now.Add(-15 * time.Minute)},
		{"relative compound", "-1h30m", now.Add(-90 * time.Minute)},
		{"spaces trimmed", "  -90s ", now.Add(-90 * time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := blotter.ParseTime(tt.in, now, berlin)
			if err != nil {
				t.Fatalf("ParseTime(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("ParseTime(%q) = %v, want %v in UTC", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseTimeRejects(t *testing.T) {
	now := time.Date(2026, 11, 22, 14, 30, 0, 0, time.UTC)
	for _, in := range []string{"", "yesterday", "25:00", "14:61", "-15", "--15m", "-+15m", "1969-12-31T23:59:59Z",
		"2300-01-01T00:00:00Z", "-1000000h", "2026-13-01 10:00", "\xff\xfe"} {
		t.Run(in, func(t *testing.T) {
			_, err := blotter.ParseTime(in, now, time.UTC)
			if blotter.ErrorCode(err) != blotter.EINVALID {
				t.Fatalf("ParseTime(%q) error = %v, want EINVALID", in, err)
			}
			if !strings.Contains(err.Error(), "time") {
				t.Errorf("message %q does not say what was wrong", err)
			}
		})
	}
}

// FuzzParseTime checks that no input panics, that every accepted time is in range and UTC,
// and that its RFC 3339 form reads back as the same instant.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"now", "2026-11-22T14:03:00Z", "14:03", "14:03:09", "-15m", "-1h30m", "2026-11-22 14:03", "", "-", "99:99"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 22, 14, 30, 0, 0, time.UTC)
	loc := time.FixedZone("X", -7*3600)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := blotter.ParseTime(s, now, loc)
		if err != nil {
			if blotter.ErrorCode(err) != blotter.EINVALID {
				t.Fatalf("ParseTime(%q): error code %q, want EINVALID", s, blotter.ErrorCode(err))
			}
			return
		}
		if got.Location() != time.UTC || got.Year() < 1970 || got.Year() >= 2200 {
			t.Fatalf("ParseTime(%q) = %v: out of range or not UTC", s, got)
		}
		again, err := blotter.ParseTime(blotter.FormatTime(got), now, loc)
		if err != nil || !again.Equal(got) {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
	})
}

func TestParseDueTime(t *testing.T) {
	now := time.Date(2026, 11, 22, 14, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{"+2h", now.Add(2 * time.Hour)},
		{"17:00", time.Date(2026, 11, 22, 17, 0, 0, 0, time.UTC)}, // later today
		{"09:00", time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)},  // passed today: tomorrow
		{"2026-11-24 08:00", time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)},
		{"2026-11-22T10:00:00Z", time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}, // a date may be past: overdue
	} {
		got, err := blotter.ParseDueTime(tt.in, now, time.UTC)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseDueTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"+soon", "+-2h", "someday", ""} {
		if _, err := blotter.ParseDueTime(bad, now, time.UTC); blotter.ErrorCode(err) != blotter.EINVALID {
			t.Errorf("ParseDueTime(%q): %v, want EINVALID", bad, err)
		}
	}
}
