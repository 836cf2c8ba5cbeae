package cli_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/blotterapp/blotter/internal/blotter"
)

func tasks(t *testing.T, dataDir string, args ...string) []blotter.Task {
	t.Helper()
	var list []blotter.Task
	out := ok(t, dataDir, append([]string{"task", "list", "--json"}, args...)...)
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("task list --json: %v\n%s", err, out)
	}
	return list
}

func TestTaskCommands(t *testing.T) {
	dir, _ := newIncident(t)
	ok(t, dir, "config", "set", "author", "Ana")
	finding := ok(t, dir, "note", "Webshell found on web01")
	id := ok(t, dir, "task", "add", "Isolate", "web01", "--assignee", "Bo", "--due", "+2h", "--from", finding)
	if !blotter.ValidID(id) {
		t.Fatalf("task add printed %q, not an id", id)
	}
	other := ok(t, dir, "task", "add", "Rotate the deploy keys")

	list := tasks(t, dir)
	if len(list) != 2 || list[0].ID != id || list[0].Title != "Isolate web01" || list[0].Assignee != "Bo" ||
		list[0].Status != blotter.TaskTodo || len(list[0].Links) != 1 || list[0].Links[0] != finding || list[0].DueAt == "" {
		t.Fatalf("task list = %+v", list)
	}
	if got := tasks(t, dir, "--assignee", "bo"); len(got) != 1 || got[0].ID != id {
		t.Errorf("--assignee bo = %+v", got)
	}

	ok(t, dir, "task", "move", id, "doing")
	if r := run(t, dir, "", "task", "move", id, "blocked"); r.code != 65 || !strings.Contains(r.stderr, "needs what it waits on\nSay what it waits on with --reason.") {
		t.Errorf("blocked without a reason: exit %d %q", r.code, r.stderr)
	}
	ok(t, dir, "task", "move", id, "blocked", "--reason", "the cloud team's approval")
	ok(t, dir, "task", "assign", other, "Ana")
	if got := tasks(t, dir, "--mine"); len(got) != 1 || got[0].ID != other {
		t.Errorf("--mine = %+v", got)
	}
	ok(t, dir, "task", "edit", other, "--title", "Rotate deploy keys", "--due", "none", "--description", "All **three** keys")
	if got := tasks(t, dir, "--status", "blocked"); len(got) != 1 || got[0].BlockedReason != "the cloud team's approval" {
		t.Errorf("--status blocked = %+v", got)
	}

	// Every change is a task entry on the timeline, under the same hash chain.
	var texts []string
	for _, e := range timeline(t, dir) {
		if e.Kind == blotter.KindTask {
			texts = append(texts, e.Text)
		}
	}
	want := []string{
		"Ana added task “Isolate web01” to To do, assigned to Bo",
		"Ana added task “Rotate the deploy keys” to To do",
		"Ana moved “Isolate web01” from To do to In progress",
		"Ana moved “Isolate web01” from In progress to Blocked (waits on: the cloud team's approval)",
		"Ana assigned “Rotate the deploy keys” to Ana",
		"Ana renamed “Rotate the deploy keys” to “Rotate deploy keys”; edited the description of “Rotate deploy keys”",
	}
	if strings.Join(texts, "\n") != strings.Join(want, "\n") {
		t.Errorf("task entries:\n%s\nwant:\n%s", strings.Join(texts, "\n"), strings.Join(want, "\n"))
	}
	if out := ok(t, dir, "verify"); !strings.Contains(out, "the record checks out") {
		t.Errorf("verify: %s", out)
	}

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"task", "move", "01a2049e-85fb-79ac-9d89-5c7acdd89a0c", "done"}, 66, "no task"},
		{[]string{"task", "move", "not-an-id", "done"}, 66, "no task"},
		{[]string{"task", "move", id, "sideways"}, 65, `no column "sideways"`},
		{[]string{"task", "move", id, "blocked", "--reason", "the cloud team's approval"}, 65, "nothing to change"},
		{[]string{"task", "add", "x", "--from", "01a2049e-85fb-79ac-9d89-5c7acdd89a0c"}, 66, "no entry"},
		{[]string{"task", "add", "x", "--due", "someday"}, 65, "cannot read"},
		{[]string{"task", "list", "--status", "later"}, 65, "no column"},
		{[]string{"task", "move", id}, 64, ""},
	} {
		if r := run(t, dir, "", tt.args...); r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("blotter %q: exit %d %q, want %d %q", tt.args, r.code, r.stderr, tt.code, tt.want)
		}
	}
	// Windows hands a program its arguments as UTF-16, where invalid UTF-8 cannot be said.
	if runtime.GOOS != "windows" {
		if r := run(t, dir, "", "task", "add", "bad\xffutf8"); r.code != 65 || !strings.Contains(r.stderr, "UTF-8") {
			t.Errorf("blotter task add with invalid UTF-8: exit %d %q, want 65 and UTF-8", r.code, r.stderr)
		}
	}
}

// Two processes move the same task at once: every move lands, one after the other, and the
// record still verifies.
func TestConcurrentTaskMoves(t *testing.T) {
	dir, _ := newIncident(t)
	id := ok(t, dir, "task", "add", "Contain the blast radius")
	columns := []string{"doing", "todo", "done", "doing"}
	var wg sync.WaitGroup
	errs := make(chan string, 2*len(columns))
	for p := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, c := range columns {
				r := run(t, dir, "", "task", "move", id, c, "--reason", fmt.Sprintf("process %d move %d", p, i))
				if r.code != 0 && !strings.Contains(r.stderr, "nothing to change") {
					errs <- fmt.Sprintf("process %d move %s: exit %d %s", p, c, r.code, r.stderr)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	list := tasks(t, dir)
	moves := 0
	var texts []string
	for _, e := range timeline(t, dir) {
		if e.Kind == blotter.KindTask && strings.Contains(e.Text, "moved") {
			moves++
		}
		texts = append(texts, e.Text)
	}
	if list[0].Revision != moves+1 {
		t.Errorf("task at revision %d after %d recorded moves:\n%s", list[0].Revision, moves, strings.Join(texts, "\n"))
	}
	if moves < len(columns) {
		t.Errorf("only %d moves recorded", moves)
	}
	if out := ok(t, dir, "verify"); !strings.Contains(out, "the record checks out") {
		t.Errorf("verify: %s", out)
	}
}

// Tasks travel in the exported record and verify on another machine; a task changed behind
// Blotter's back fails verification.
func TestTasksExportImportAndTamper(t *testing.T) {
	dir, _ := newIncident(t)
	id := ok(t, dir, "task", "add", "Preserve the disk image", "--assignee", "Bo")
	ok(t, dir, "task", "move", id, "blocked", "--reason", "legal hold")
	export := filepath.Join(t.TempDir(), "record.json")
	ok(t, dir, "export", "--format", "json", "-o", export)
	if csv := ok(t, dir, "export", "--format", "csv"); !strings.Contains(csv, "Preserve the disk image [blocked: legal hold]") {
		t.Errorf("the CSV export lacks the task's state:\n%s", csv)
	}

	other := filepath.Join(t.TempDir(), "other")
	ok(t, other, "import", export)
	if got := tasks(t, other); len(got) != 1 || got[0].ID != id || got[0].BlockedReason != "legal hold" || got[0].Revision != 2 {
		t.Fatalf("imported tasks = %+v", got)
	}
	if out := ok(t, other, "verify"); !strings.Contains(out, "the record checks out") {
		t.Errorf("verify after import: %s", out)
	}

	sqlite3(t, filepath.Join(dir, "blotter.db"), "UPDATE tasks SET assignee = 'Mallory'")
	if r := run(t, dir, "", "verify"); r.code != 1 || !strings.Contains(r.stdout+r.stderr, "differs from its last revision") {
		t.Errorf("verify after tampering with a task: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}
