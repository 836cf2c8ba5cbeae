package report_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/report"
)

func TestTimesketch(t *testing.T) {
	db := openDB(t)
	inc, files := evidenceRecord(t, db)
	// A time with sub-microsecond digits: Timesketch keeps microseconds, truncated.
	at := time.Date(2026, 11, 23, 14, 2, 11, 123456789, time.UTC)
	note := &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindNote, Author: "ana", OccurredAt: at, Text: "dump staged on 203.0.113.7", Tags: []string{"exfil"}}
	if err := db.AddEntry(context.Background(), note, blotter.Change{By: "ana"}); err != nil {
		t.Fatal(err)
	}
	hostile := openDB(t) // marks secrets as the recorder does
	hostileInc := hostileRecord(t, hostile)

	var buf bytes.Buffer
	if err := report.WriteTimesketch(context.Background(), &buf, db, inc.ID, report.Options{Now: t0}); err != nil {
		t.Fatal(err)
	}
	entries, _ := db.ListEntries(context.Background(), blotter.EntryFilter{IncidentID: inc.ID, IncludeDeleted: true})
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != len(entries) {
		t.Fatalf("%d lines for %d entries:\n%s", len(lines), len(entries), buf.String())
	}
	byID := map[string]map[string]any{}
	for i, line := range lines {
		var ev map[string]any
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&ev); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		for _, field := range []string{"message", "datetime", "timestamp", "timestamp_desc", "entry_id", "kind", "author", "tags", "evidence_sha256", "incident_id", "incident_title", "deleted"} {
			if _, ok := ev[field]; !ok {
				t.Errorf("line %d lacks %s: %s", i+1, field, line)
			}
		}
		if ev["message"] == "" || ev["timestamp_desc"] != "Occurred" || ev["incident_title"] != "Phishing wave" {
			t.Errorf("line %d: %s", i+1, line)
		}
		// datetime and timestamp name the same microsecond.
		dt, err := time.Parse(time.RFC3339Nano, ev["datetime"].(string))
		ts, _ := ev["timestamp"].(json.Number).Int64()
		if err != nil || dt.UnixMicro() != ts || !strings.HasSuffix(ev["datetime"].(string), "+00:00") {
			t.Errorf("line %d: datetime %v and timestamp %v disagree (%v)", i+1, ev["datetime"], ev["timestamp"], err)
		}
		byID[ev["entry_id"].(string)] = ev
	}
	got := byID[note.ID]
	if got["datetime"] != "2026-11-23T14:02:11.123456+00:00" || got["timestamp"] != json.Number("1795442531123456") {
		t.Errorf("the note's time: datetime %v timestamp %v", got["datetime"], got["timestamp"])
	}
	if got["tags"].([]any)[0] != "exfil" {
		t.Errorf("tags = %v", got["tags"])
	}
	deleted := 0
	for _, e := range entries {
		ev := byID[e.ID]
		if ev["deleted"] != e.Deleted {
			t.Errorf("entry %s: deleted %v, want %v", e.ID, ev["deleted"], e.Deleted)
		}
		if e.Deleted {
			deleted++
		}
		if len(e.Evidence) > 0 {
			if shas := ev["evidence_sha256"].([]any); len(shas) != 1 || shas[0] != e.Evidence[0].SHA256 || files[e.Evidence[0].SHA256] == nil {
				t.Errorf("entry %s: evidence %v", e.ID, ev["evidence_sha256"])
			}
		}
	}
	if deleted != 1 {
		t.Errorf("%d deleted entries exported, want 1", deleted)
	}

	// Secrets: masked unless asked; the message is otherwise the exact text.
	buf.Reset()
	report.WriteTimesketch(context.Background(), &buf, hostile, hostileInc.ID, report.Options{})
	if out := buf.String(); strings.Contains(out, awsKey) || !strings.Contains(out, "REDACTED") || !strings.Contains(out, `"secrets":"masked: `) {
		t.Errorf("the Timesketch export is not masked:\n%s", out)
	}
	buf.Reset()
	report.WriteTimesketch(context.Background(), &buf, hostile, hostileInc.ID, report.Options{Unmasked: true})
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	found := false
	for sc.Scan() {
		var ev struct{ Message, Secrets string }
		json.Unmarshal(sc.Bytes(), &ev)
		if strings.Contains(ev.Message, awsKey) && strings.HasPrefix(ev.Secrets, "NOT MASKED") {
			found = true
		}
	}
	if !found {
		t.Error("--unmasked does not write the secret, or does not say so")
	}
}
