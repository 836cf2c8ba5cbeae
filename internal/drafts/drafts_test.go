package drafts_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/drafts"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var t0 = time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)

// fixture is a worked incident: milestones, a cause, lessons, runbook steps (a note, a
// command, a clipboard snippet), tasks and evidence, and text that must not break the
// document's structure.
func fixture() drafts.Record {
	inc := &blotter.Incident{ID: blotter.NewID(), Title: "Credential stuffing on SSO", Severity: blotter.SeverityCritical,
		Status: blotter.StatusResolved, CreatedAt: t0}
	n := 0
	entry := func(min int, author string, kind blotter.Kind, text string, tags ...string) *blotter.Entry {
		n++
		return &blotter.Entry{ID: blotter.NewID(), IncidentID: inc.ID, Kind: kind, OccurredAt: t0.Add(time.Duration(min) * time.Minute),
			Author: author, Text: text, Tags: tags, Revision: 1}
	}
	evidence := entry(21, "Ana", blotter.KindFile, "edge log")
	evidence.Evidence = []blotter.Evidence{{SHA256: strings.Repeat("ab", 32), Name: "edge.log", Size: 2048, MediaType: "text/plain"}}
	deleted := entry(22, "Ben", blotter.KindNote, "wrong incident #root-cause")
	secret := entry(30, "Ana", blotter.KindNote, "the dropper held AKIAIOSFODNN7EXAMPLE", "root-cause")
	secret.Secrets = []blotter.Secret{{Kind: "aws-access-key", Start: 17, End: 37}}
	started := entry(0, "Ana", blotter.KindNote, "PagerDuty fired for the SSO error rate", "Start time")
	deleted.Deleted = true
	return drafts.Record{
		Incident: inc,
		Entries: []*blotter.Entry{
			started,
			entry(4, "Ana", blotter.KindNote, "Customers cannot log in: 30% of logins fail", "Impact detected", "impact"),
			entry(6, "Ben", blotter.KindNote, "Paged the identity team", "Response initiated"),
			entry(12, "Ana", blotter.KindNote, "# not a heading\nLogins from 203.0.113.7 <script>", "diagnosis"),
			entry(15, "Ben", blotter.KindNote, "Leaked password list reused against SSO", "Cause identified", "root-cause"),
			entry(18, "Ben", blotter.KindCommand, "Ran ` iptables -A INPUT -s 203.0.113.7 -j DROP ` in ` /root `: exit 0 after 104ms.\n\nOutput: none", "runbook"),
			entry(19, "Ana", blotter.KindNote, "Check the edge after a block: **dashboards/edge**", "runbook"),
			entry(20, "Ana", blotter.KindNote, "Blocked at the edge; error rate back to normal", "Impact mitigated"),
			evidence, deleted,
			entry(25, "Ana", blotter.KindClipboard, "curl -s https://sso.example/health | jq .status", "runbook"),
			entry(40, "Ben", blotter.KindNote, "Paging worked within a minute", "went-well"),
			entry(41, "Ben", blotter.KindNote, "We had no alert on login failure ratio", "can-improve"),
			secret,
			entry(60, "Ana", blotter.KindNote, "Closed", "End time"),
			entry(61, "Ana", blotter.KindTask, "Ana moved \"Rotate keys\" to Done"),
		},
		Tasks: []*blotter.Task{
			{ID: blotter.NewID(), IncidentID: inc.ID, Title: "Alert on login failure ratio #follow-up", Assignee: "Ben", DueAt: blotter.FormatTime(t0.Add(72 * time.Hour)), Status: blotter.TaskDone},
			{ID: blotter.NewID(), IncidentID: inc.ID, Title: "Rotate keys", Assignee: "Ana", Status: blotter.TaskDone},
			{ID: blotter.NewID(), IncidentID: inc.ID, Title: "Tell legal", Status: blotter.TaskTodo},
		},
		InGitLab: map[string]bool{started.ID: true},
		HeadSeq:  42, HeadHash: strings.Repeat("0f", 32), GitLabURL: "https://gitlab.example/security/incidents/-/issues/7", Now: t0.Add(2 * time.Hour),
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./internal/drafts -update to accept):\n%s", name, got)
	}
}

func TestRCADraft(t *testing.T) {
	got, err := drafts.Render(blotter.DocumentRCA, "", fixture())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "rca.md", got)
	for _, want := range []string{
		"| Time to detect (start to impact detected) | 4 min |",
		"| Time to mitigate (start to impact mitigated) | 20 min |",
		"| Time to resolve (start to end) | 1 h 0 min |",
		"- 14:15:00 Ben: Leaked password list reused against SSO",
		"| Alert on login failure ratio #follow-up | Ben | 2026-11-26 14:00 UTC | Done |",
		"| Tell legal | unassigned | no due date | To do |",
		"edge.log (2048 bytes), SHA-256 `" + strings.Repeat("ab", 32) + "`",
		"revision 42, whose hash is `" + strings.Repeat("0f", 32) + "`",
		"| PagerDuty fired for the SSO error rate ([in GitLab](https://gitlab.example/security/incidents/-/issues/7)) |",
		`| curl -s https://sso.example/health \| jq .status |`,
		`\# not a heading Logins from 203.0.113.7 &lt;script&gt;`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the draft lacks %q", want)
		}
	}
	for _, never := range []string{"AKIAIOSFODNN7EXAMPLE", "wrong incident", "Rotate keys |", "moved \\\"Rotate"} {
		if strings.Contains(got, never) {
			t.Errorf("the draft holds %q", never)
		}
	}
}

func TestDraftsSayWhatWasNotRecorded(t *testing.T) {
	rec := fixture()
	rec.Entries, rec.Tasks = nil, nil
	got, err := drafts.Render(blotter.DocumentRCA, "", rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Nothing recorded. Tag the entries that establish the cause", "| Time to detect (start to impact detected) | not recorded |", "No evidence files.", "nobody recorded anything yet"} {
		if !strings.Contains(got, want) {
			t.Errorf("the empty draft lacks %q", want)
		}
	}
	rb, err := drafts.Render(blotter.DocumentRunbook, "", rec)
	if err != nil || !strings.Contains(rb, "No entry is tagged `#runbook` yet") {
		t.Fatalf("empty runbook: %v\n%s", err, rb)
	}
}

func TestRunbookDraft(t *testing.T) {
	got, err := drafts.Render(blotter.DocumentRunbook, "", fixture())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "runbook.md", got)
	before, after, ok := strings.Cut(got, "## After mitigation")
	if !ok || !strings.Contains(before, "## Before mitigation") || !strings.Contains(before, "iptables -A INPUT") || !strings.Contains(after, "curl -s https://sso.example/health") {
		t.Fatalf("phases:\n%s", got)
	}
	if !strings.Contains(before, "### 14:18:00 · Ben · command\n\nRan ` iptables -A INPUT") {
		t.Errorf("the command step:\n%s", before)
	}
}

func TestATeamTemplate(t *testing.T) {
	got, err := drafts.Render(blotter.DocumentRCA, "{{.Incident.Title}}: {{len .Actions}} actions, {{dur .TimeToMitigate}}", fixture())
	if err != nil || got != "Credential stuffing on SSO: 2 actions, 20 min" {
		t.Fatalf("%q, %v", got, err)
	}
	if _, err := drafts.Render(blotter.DocumentRCA, "{{.Nope}", fixture()); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Fatalf("a broken template: %v", err)
	}
	if _, err := drafts.Render(blotter.DocumentRCA, "{{.NoSuchField}}", fixture()); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Fatalf("a template naming a missing field: %v", err)
	}
}
