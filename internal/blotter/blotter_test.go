package blotter_test

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

func TestNewIDIsSortedUUIDv7(t *testing.T) {
	ids := make([]string, 10000)
	for i := range ids {
		ids[i] = blotter.NewID()
		if !blotter.ValidID(ids[i]) {
			t.Fatalf("NewID() = %q, not a canonical UUID", ids[i])
		}
		if ids[i][14] != '7' || !strings.ContainsRune("89ab", rune(ids[i][19])) {
			t.Fatalf("NewID() = %q: version or variant is not v7/RFC", ids[i])
		}
	}
	if !sort.StringsAreSorted(ids) {
		t.Error("ids made one after another do not sort in the order they were made")
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("duplicate id %s", id)
		}
		seen[id] = true
	}
}

func TestValidID(t *testing.T) {
	for _, s := range []string{"", "01a2041d-23bc-7c13-abbd-83fdc663f23", "01A2041D-23BC-7C13-ABBD-83FDC663F233",
		"01a2041d023bc-7c13-abbd-83fdc663f233", "01a2041d-23bc-7c13-abbd-83fdc663f23g", "../../etc/passwd"} {
		if blotter.ValidID(s) {
			t.Errorf("ValidID(%q) = true, want false", s)
		}
	}
}

func TestNormalizeTags(t *testing.T) {
	got, err := blotter.NormalizeTags([]string{" #sso ", "impact-detected", "SSO", "", "  start   time ", "Cause identified"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"sso", "Impact detected", "Start time", "Cause identified"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NormalizeTags = %q, want %q", got, want)
	}
	for _, bad := range []string{strings.Repeat("x", blotter.MaxTagBytes+1), "a\x07b", "\xff"} {
		if _, err := blotter.NormalizeTags([]string{bad}); blotter.ErrorCode(err) != blotter.EINVALID {
			t.Errorf("NormalizeTags(%q) error = %v, want EINVALID", bad, err)
		}
	}
}

func validEntry() *blotter.Entry {
	now := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	return &blotter.Entry{ID: blotter.NewID(), IncidentID: blotter.NewID(), Kind: blotter.KindNote,
		OccurredAt: now, RecordedAt: now, Author: "ana", Text: "hello", Revision: 1}
}

func TestEntryValidate(t *testing.T) {
	if err := validEntry().Validate(); err != nil {
		t.Fatalf("valid entry: %v", err)
	}
	tests := []struct {
		name   string
		change func(*blotter.Entry)
		want   string
	}{
		{"invalid utf-8", func(e *blotter.Entry) { e.Text = "ok \xc3\x28 bad" }, "not valid UTF-8 (bad byte at offset 3)"},
		{"too long", func(e *blotter.Entry) { e.Text = strings.Repeat("a", blotter.MaxTextBytes+1) }, "the limit is 262144 bytes (256 KiB)"},
		{"nul byte", func(e *blotter.Entry) { e.Text = "a\x00b" }, "NUL"},
		{"empty", func(e *blotter.Entry) { e.Text = "  " }, "empty"},
		{"unknown kind", func(e *blotter.Entry) { e.Kind = "memo" }, `kind "memo"`},
		{"year 1900", func(e *blotter.Entry) { e.OccurredAt = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC) }, "out of range"},
		{"bad id", func(e *blotter.Entry) { e.ID = "x" }, "not a UUID"},
		{"no author", func(e *blotter.Entry) { e.Author = "" }, "author is empty"},
		{"bad evidence digest", func(e *blotter.Entry) { e.Evidence = []blotter.Evidence{{SHA256: "abc", Name: "f"}} }, "SHA-256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEntry()
			tt.change(e)
			err := e.Validate()
			if blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

func TestEntryJSONRoundTrip(t *testing.T) {
	e := validEntry()
	e.OccurredAt = time.Date(2026, 11, 22, 14, 0, 0, 5, time.UTC)
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"occurred_at":"2026-11-22T14:00:00.000000005Z"`) || !strings.Contains(string(b), `"tags":[]`) {
		t.Errorf("JSON = %s: want fixed nanosecond times and [] for no tags", b)
	}
	var back blotter.Entry
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(&back)
	if string(b) != string(b2) {
		t.Errorf("round trip changed the entry:\n got %s\nwant %s", b2, b)
	}
}

// chain builds a valid log of an incident and n entries.
func chain(t *testing.T, n int) []*blotter.Revision {
	t.Helper()
	at := "2026-11-22T14:00:00.000000000Z"
	inc := &blotter.Incident{ID: blotter.NewID(), Title: "t", Severity: blotter.SeverityLow, Status: blotter.StatusOpen,
		CreatedAt: time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC), CreatedBy: "ana", Revision: 1}
	var revs []*blotter.Revision
	prev := ""
	add := func(c blotter.RevisionContent) {
		c.IncidentID, c.Seq, c.By, c.At = inc.ID, int64(len(revs)+1), "ana", at
		r, err := blotter.NewRevision(c, prev)
		if err != nil {
			t.Fatal(err)
		}
		revs, prev = append(revs, r), r.Hash
	}
	add(blotter.RevisionContent{Subject: blotter.SubjectIncident, SubjectID: inc.ID, Revision: 1, Action: blotter.ActionCreate, Incident: inc})
	for i := 0; i < n; i++ {
		e := validEntry()
		e.IncidentID = inc.ID
		add(blotter.RevisionContent{Subject: blotter.SubjectEntry, SubjectID: e.ID, Revision: 1, Action: blotter.ActionCreate, Entry: e})
	}
	return revs
}

func checkAll(revs []*blotter.Revision) error {
	v := blotter.NewChainVerifier(revs[0].IncidentID)
	for _, r := range revs {
		if _, err := v.Check(r); err != nil {
			return err
		}
	}
	return nil
}

func TestChainVerifier(t *testing.T) {
	if err := checkAll(chain(t, 3)); err != nil {
		t.Fatalf("valid chain: %v", err)
	}
	tests := []struct {
		name   string
		tamper func([]*blotter.Revision) []*blotter.Revision
		want   string
	}{
		{"content edited", func(r []*blotter.Revision) []*blotter.Revision {
			r[2].Content = strings.Replace(r[2].Content, "hello", "HELLO", 1)
			return r
		}, "revision 3 (entry"},
		{"content and hash rewritten", func(r []*blotter.Revision) []*blotter.Revision {
			r[2].Content = strings.Replace(r[2].Content, "hello", "HELLO", 1)
			r[2].Hash = blotter.ChainHash(r[2].PrevHash, r[2].Content)
			return r
		}, "revision 4 (entry"},
		{"revision removed", func(r []*blotter.Revision) []*blotter.Revision { return append(r[:2], r[3:]...) }, "revision 3 is missing"},
		{"field disagrees with content", func(r []*blotter.Revision) []*blotter.Revision { r[1].By = "eve"; return r }, "do not match"},
		{"swapped", func(r []*blotter.Revision) []*blotter.Revision { r[1], r[2] = r[2], r[1]; return r }, "revision 2 is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkAll(tt.tamper(chain(t, 3)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
