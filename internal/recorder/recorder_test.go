package recorder_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/capture"
	"github.com/blotterapp/blotter/internal/recorder"
)

// now is the tests' clock: a fixed afternoon in UTC.
var now = time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC)

// mustOpen opens a recorder on a new data dir with the tests' clock and the author Ana.
func mustOpen(t *testing.T, dir string) *recorder.Recorder {
	t.Helper()
	rec, err := recorder.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Close() })
	rec.SetClock(func() time.Time { return now }, time.UTC)
	if err := rec.SetAuthor(context.Background(), "Ana"); err != nil {
		t.Fatal(err)
	}
	return rec
}

// withIncident opens a recorder whose active incident is new.
func withIncident(t *testing.T) (*recorder.Recorder, *blotter.Incident) {
	t.Helper()
	rec := mustOpen(t, filepath.Join(t.TempDir(), "data"))
	inc, err := rec.CreateIncident(context.Background(), "Credential stuffing", "")
	if err != nil {
		t.Fatal(err)
	}
	return rec, inc
}

func mustVerify(t *testing.T, rec *recorder.Recorder) {
	t.Helper()
	res, err := rec.Verify(context.Background())
	if err != nil || !res.OK() {
		t.Fatalf("verify: %+v, %v", res, err)
	}
}

func TestCreateIncidentMakesItActive(t *testing.T) {
	rec, inc := withIncident(t)
	active, err := rec.ActiveIncident(context.Background())
	if err != nil || active.ID != inc.ID || inc.CreatedBy != "Ana" || inc.Severity != blotter.SeverityHigh {
		t.Fatalf("active = %+v, %v; created %+v", active, err, inc)
	}
	if _, err := rec.CreateIncident(context.Background(), " ", ""); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("an empty title: %v, want EINVALID", err)
	}
}

func TestNoActiveIncident(t *testing.T) {
	rec := mustOpen(t, filepath.Join(t.TempDir(), "data"))
	_, err := rec.AddNote(context.Background(), recorder.Note{Text: "first"})
	if blotter.ErrorCode(err) != blotter.ENOTFOUND || blotter.ErrorField(err) != blotter.FieldActiveIncident {
		t.Fatalf("a note with no incident: %v (field %q)", err, blotter.ErrorField(err))
	}
	if strings.Contains(err.Error(), "blotter ") || strings.Contains(err.Error(), "--") {
		t.Errorf("the message names a command or flag: %q", err)
	}
}

func TestAddNoteTags(t *testing.T) {
	long := "#" + strings.Repeat("x", blotter.MaxTagBytes+1)
	many := ""
	for i := range blotter.MaxTags + 8 {
		many += " #t" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	tests := []struct {
		name     string
		text     string
		explicit []string
		want     []string
		code     string
	}{
		{"words become tags", "beacon to c2 #c2 #lateral-movement, see #42", nil, []string{"c2", "lateral-movement"}, ""},
		{"GitLab's spelling", "Pager fired #impact-detected", []string{"start-time"}, []string{"Start time", "Impact detected"}, ""},
		{"explicit first, no duplicates", "#c2 again", []string{"C2"}, []string{"C2"}, ""},
		{"a word too long to be a tag stays text", "see " + long + " #ok", nil, []string{"ok"}, ""},
		{"a word with a control character stays text", "see #bad\x1b[31m #ok", nil, []string{"ok"}, ""},
		{"more words than tags: the note is kept", "many" + many, nil, nil, ""},
		{"an explicit tag must be valid", "x", []string{"bad\x07"}, nil, blotter.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, _ := withIncident(t)
			e, err := rec.AddNote(context.Background(), recorder.Note{Text: tt.text, Tags: tt.explicit})
			if blotter.ErrorCode(err) != tt.code {
				t.Fatalf("AddNote: %v, want code %q", err, tt.code)
			}
			if err != nil {
				return
			}
			if e.Text != tt.text {
				t.Errorf("text = %q, want it kept whole", e.Text)
			}
			if tt.want == nil {
				if len(e.Tags) != blotter.MaxTags {
					t.Errorf("%d tags, want the first %d", len(e.Tags), blotter.MaxTags)
				}
				return
			}
			if got, want := strings.Join(e.Tags, "|"), strings.Join(tt.want, "|"); got != want {
				t.Errorf("tags = %q, want %q", got, want)
			}
		})
	}
}

func TestTimelineTagSpellings(t *testing.T) {
	rec, inc := withIncident(t)
	ctx := context.Background()
	if _, err := rec.AddNote(ctx, recorder.Note{Text: "SSO errors rise #start-time"}); err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"start-time", "#start-time", "Start time", "START TIME"} {
		got, err := rec.Timeline(ctx, blotter.EntryFilter{IncidentID: inc.ID, Tag: tag})
		if err != nil || len(got) != 1 {
			t.Errorf("tag %q: %d entries, %v; want 1", tag, len(got), err)
		}
	}
}

func TestReasonRule(t *testing.T) {
	rec, inc := withIncident(t)
	ctx := context.Background()
	e, err := rec.AddNote(ctx, recorder.Note{Text: "web01 isolated"})
	if err != nil {
		t.Fatal(err)
	}
	text := "web02 isolated"
	if _, err := rec.EditEntry(ctx, e.ID, blotter.EntryUpdate{Text: &text}, " "); blotter.ErrorField(err) != blotter.FieldReason {
		t.Errorf("an edit without a reason: %v", err)
	}
	if _, err := rec.DeleteEntry(ctx, e.ID, ""); blotter.ErrorField(err) != blotter.FieldReason {
		t.Errorf("a delete without a reason: %v", err)
	}
	if _, err := rec.EditEntry(ctx, e.ID, blotter.EntryUpdate{Text: &e.Text}, "no-op"); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("an edit that changes nothing: %v", err)
	}
	// The incident and tasks change as events; a reason is optional and kept when given.
	status := blotter.StatusMitigated
	if _, err := rec.UpdateIncident(ctx, inc.ID, blotter.IncidentUpdate{Status: &status}, ""); err != nil {
		t.Errorf("a status change without a reason: %v", err)
	}
	if _, err := rec.UpdateIncident(ctx, inc.ID, blotter.IncidentUpdate{Status: &status}, "again"); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("an incident change that changes nothing: %v", err)
	}
	mustVerify(t, rec)
}

func TestIncidentChangeIsOnTheTimeline(t *testing.T) {
	rec, inc := withIncident(t)
	ctx := context.Background()
	status, sev := blotter.StatusMitigated, blotter.SeverityCritical
	if _, err := rec.UpdateIncident(ctx, inc.ID, blotter.IncidentUpdate{Status: &status, Severity: &sev}, "WAF rule holds"); err != nil {
		t.Fatal(err)
	}
	got, err := rec.Timeline(ctx, blotter.EntryFilter{IncidentID: inc.ID})
	if err != nil || len(got) != 1 {
		t.Fatalf("timeline = %v, %v", got, err)
	}
	want := "Ana set the status to mitigated (was open); set the severity to critical (was high) (WAF rule holds)"
	if got[0].Text != want || got[0].Kind != blotter.KindSystem || !got[0].OccurredAt.Equal(now) {
		t.Errorf("entry = %q (%s at %s), want %q", got[0].Text, got[0].Kind, got[0].OccurredAt, want)
	}
	mustVerify(t, rec)
}

func TestTasks(t *testing.T) {
	rec, inc := withIncident(t)
	ctx := context.Background()
	e, err := rec.AddNote(ctx, recorder.Note{Text: strings.Repeat("Rotate the SSO signing keys ", 10) + "\nsecond line"})
	if err != nil {
		t.Fatal(err)
	}
	task, err := rec.TaskFromEntry(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(task.Title) > 120 || !strings.HasSuffix(task.Title, "…") || !strings.HasPrefix(task.Title, "Rotate the SSO") || task.Links[0] != e.ID {
		t.Errorf("task from entry = %q, links %v", task.Title, task.Links)
	}
	if _, err := rec.MoveTask(ctx, task.ID, "blocked", nil, " "); blotter.ErrorField(err) != blotter.FieldWaitsOn {
		t.Errorf("blocked without what it waits on: %v", err)
	}
	blocked, err := rec.MoveTask(ctx, task.ID, "blocked", nil, "the IdP vendor")
	if err != nil || blocked.BlockedReason != "the IdP vendor" {
		t.Fatalf("blocked = %+v, %v", blocked, err)
	}
	done, err := rec.MoveTask(ctx, task.ID, "done", nil, "vendor rotated them")
	if err != nil || done.Status != blotter.TaskDone || done.BlockedReason != "" {
		t.Fatalf("done = %+v, %v", done, err)
	}
	due := "+2h"
	edited, err := rec.EditTask(ctx, task.ID, recorder.TaskEdit{Due: &due})
	if err != nil || edited.DueAt != blotter.FormatTime(now.Add(2*time.Hour)) {
		t.Fatalf("due +2h = %+v, %v", edited, err)
	}
	none := "none"
	if edited, err = rec.EditTask(ctx, task.ID, recorder.TaskEdit{Due: &none}); err != nil || edited.DueAt != "" {
		t.Fatalf("due none = %+v, %v", edited, err)
	}
	if _, err := rec.AssignTask(ctx, task.ID, "Ana"); err != nil {
		t.Fatal(err)
	}
	mine, err := rec.Tasks(ctx, recorder.TaskFilter{Mine: true})
	if err != nil || len(mine) != 1 {
		t.Fatalf("mine = %v, %v", mine, err)
	}
	if err := rec.SetAuthor(ctx, "Bo"); err != nil {
		t.Fatal(err)
	}
	if mine, _ = rec.Tasks(ctx, recorder.TaskFilter{Mine: true}); len(mine) != 0 {
		t.Errorf("after the author became Bo, Ana's task is still 'mine'")
	}
	entries, _ := rec.Timeline(ctx, blotter.EntryFilter{IncidentID: inc.ID, Kinds: []blotter.Kind{blotter.KindTask}})
	if len(entries) != 6 || !strings.Contains(entries[len(entries)-1].Text, "assigned") {
		t.Errorf("task entries = %d, want one per change (6)", len(entries))
	}
	mustVerify(t, rec)
}

func TestCaptureClip(t *testing.T) {
	at := time.Date(2026, 11, 22, 14, 3, 7, 123456789, time.UTC)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 100)...)
	tests := []struct {
		name      string
		clip      capture.Clip
		text      string // the entry's text
		evidence  string // the evidence file name's suffix, "" for none
		mediaType string
	}{
		{"text", capture.Clip{Text: []byte("ssh root@10.0.0.5 -i stolen.pem")}, "ssh root@10.0.0.5 -i stolen.pem", "", ""},
		{"image", capture.Clip{Image: png}, "", ".png", "image/png"},
		{"text over the limit", capture.Clip{Text: bytes.Repeat([]byte("x"), blotter.MaxTextBytes+1)}, "Clipboard content (262145 bytes) kept as a file: it is over the 256 KiB text limit.", ".txt", "text/plain"},
		{"binary", capture.Clip{Text: []byte{0xff, 0xfe, 0x00, 0x41}}, "Clipboard content (4 bytes) kept as a file: it is not UTF-8 text.", ".bin", ""},
		{"NUL bytes", capture.Clip{Text: []byte("a\x00b")}, "Clipboard content (3 bytes) kept as a file: it holds NUL bytes.", ".txt", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, _ := withIncident(t)
			e, err := rec.CaptureClip(context.Background(), &tt.clip, at)
			if err != nil {
				t.Fatal(err)
			}
			if e.Kind != blotter.KindClipboard || !e.OccurredAt.Equal(at) || e.Text != tt.text {
				t.Errorf("entry = %+v", e)
			}
			if tt.evidence == "" {
				if len(e.Evidence) != 0 {
					t.Errorf("evidence %+v, want none", e.Evidence)
				}
				return
			}
			if len(e.Evidence) != 1 || !strings.HasSuffix(e.Evidence[0].Name, tt.evidence) || !strings.HasPrefix(e.Evidence[0].MediaType, tt.mediaType) {
				t.Fatalf("evidence = %+v, want a %s file of %s", e.Evidence, tt.evidence, tt.mediaType)
			}
			mustVerify(t, rec)
		})
	}
}

func TestCaptureClipTooLarge(t *testing.T) {
	rec, inc := withIncident(t)
	_, err := rec.CaptureClip(context.Background(), &capture.Clip{Text: make([]byte, recorder.MaxClipboardBytes+1)}, now)
	if blotter.ErrorCode(err) != blotter.EINVALID || !strings.Contains(err.Error(), "the limit is 64 MiB") {
		t.Fatalf("a 64 MiB+ clipboard: %v", err)
	}
	if got, _ := rec.Timeline(context.Background(), blotter.EntryFilter{IncidentID: inc.ID}); len(got) != 0 {
		t.Errorf("a refused capture left %d entries", len(got))
	}
}

func TestWatchedClipRemembersAcrossRestarts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	rec := mustOpen(t, dir)
	ctx := context.Background()
	inc, err := rec.CreateIncident(ctx, "Clipboard", "")
	if err != nil {
		t.Fatal(err)
	}
	clip := &capture.Clip{Text: []byte("whoami /priv")}
	if e, err := rec.WatchedClip(ctx, clip, now); err != nil || e == nil {
		t.Fatalf("first sight: %v, %v", e, err)
	}
	if e, err := rec.WatchedClip(ctx, clip, now); err != nil || e != nil {
		t.Fatalf("second sight: %v, %v; want nothing recorded", e, err)
	}
	rec.Close()
	rec = mustOpen(t, dir) // the app restarted
	if e, err := rec.WatchedClip(ctx, clip, now); err != nil || e != nil {
		t.Fatalf("after a restart: %v, %v; want nothing recorded", e, err)
	}
	other, err := rec.CreateIncident(ctx, "Another", "")
	if err != nil {
		t.Fatal(err)
	}
	if e, err := rec.WatchedClip(ctx, clip, now); err != nil || e == nil || e.IncidentID != other.ID {
		t.Fatalf("on another incident: %v, %v; want it recorded there", e, err)
	}
	got, _ := rec.Timeline(ctx, blotter.EntryFilter{IncidentID: inc.ID})
	if len(got) != 1 {
		t.Errorf("%d entries on the first incident, want 1", len(got))
	}
}

func TestRefusedAttachLeavesNothing(t *testing.T) {
	rec, inc := withIncident(t)
	ctx := context.Background()
	dir := t.TempDir()
	// The database refuses the entry (its text is not one an entry may have) after the vault
	// stored the file: the file must not stay behind.
	path := filepath.Join(dir, "nginx.log")
	if err := os.WriteFile(path, []byte("203.0.113.7 - - GET /login 401\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := rec.Attach(ctx, inc.ID, path, "", time.Unix(0, 0).AddDate(-10, 0, 0), nil); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Fatalf("an entry dated 1960: %v, want EINVALID", err)
	}
	vaultFiles := func() int {
		n := 0
		filepath.WalkDir(filepath.Join(rec.Dir(), "vault"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Base(filepath.Dir(p)) != "tmp" {
				n++
			}
			return nil
		})
		return n
	}
	if n := vaultFiles(); n != 0 {
		t.Errorf("%d files left in the vault by a refused attach", n)
	}
	// A second entry for content the vault holds already keeps that file when it is refused.
	if _, err := rec.Attach(ctx, inc.ID, path, "edge log", time.Time{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := rec.Attach(ctx, inc.ID, path, "", time.Unix(0, 0).AddDate(-10, 0, 0), nil); err == nil {
		t.Fatal("the 1960 entry was stored")
	}
	if n := vaultFiles(); n != 1 {
		t.Errorf("%d files in the vault, want the one a record names", n)
	}
	mustVerify(t, rec)
}

func TestRemoteChanges(t *testing.T) {
	rec, inc := withIncident(t)
	ctx := context.Background()
	ref := &blotter.RemoteRef{System: "gitlab", ID: "gid://gitlab/IncidentManagement::TimelineEvent/12"}
	pulled := blotter.Change{By: "bo.gitlab", Origin: blotter.OriginGitLab, Remote: ref}
	at := now.Add(-time.Hour)
	e, err := rec.AddRemoteEntry(ctx, &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindGitLab, OccurredAt: at, Text: "WAF rule deployed"}, pulled)
	if err != nil {
		t.Fatal(err)
	}
	if e.Author != "bo.gitlab" || !e.OccurredAt.Equal(at) {
		t.Errorf("pulled entry = %+v, want GitLab's author and time", e)
	}
	if id, _ := rec.SubjectOfRemote(ctx, "gitlab", ref.ID); id != e.ID {
		t.Errorf("the remote id leads to %q, want %s", id, e.ID)
	}
	if rid, _ := rec.RemoteID(ctx, e.ID, "gitlab"); rid != ref.ID {
		t.Errorf("RemoteID = %q", rid)
	}
	// The same event pulled again adds nothing.
	if _, err := rec.AddRemoteEntry(ctx, &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindGitLab, Text: "WAF rule deployed"}, pulled); blotter.ErrorCode(err) != blotter.ECONFLICT {
		t.Errorf("a second pull of the event: %v, want ECONFLICT", err)
	}
	text := "WAF rule deployed to all regions"
	pulled.Reason = "edited in GitLab"
	edited, err := rec.EditRemoteEntry(ctx, blotter.EntryUpdate{Text: &text}, pulled)
	if err != nil || edited.Text != text || edited.Revision != 2 {
		t.Fatalf("remote edit = %+v, %v", edited, err)
	}
	hist, _ := rec.History(ctx, e.ID)
	c, err := hist[1].Decode()
	if err != nil || c.Origin != blotter.OriginGitLab || c.By != "bo.gitlab" {
		t.Errorf("the revision records origin %q by %q (%v), want gitlab by bo.gitlab", c.Origin, c.By, err)
	}
	// A local change records no origin: revisions made before origins existed hash the same.
	local, _ := rec.AddNote(ctx, recorder.Note{Text: "local"})
	hist, _ = rec.History(ctx, local.ID)
	if strings.Contains(hist[0].Content, `"origin"`) {
		t.Errorf("a local revision holds an origin: %s", hist[0].Content)
	}
	// An adapter must say where a change comes from.
	if _, err := rec.AddRemoteEntry(ctx, &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindGitLab, Text: "x"}, blotter.Change{By: "x", Remote: ref}); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Errorf("a remote entry with no origin: %v", err)
	}
	mustVerify(t, rec)
}
