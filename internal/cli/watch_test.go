package cli_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWatchFolders(t *testing.T) {
	dir, _ := newIncident(t)
	shots := filepath.Join(t.TempDir(), "Screenshots")
	os.Mkdir(shots, 0o700)
	file := filepath.Join(shots, "not-a-folder.txt")
	os.WriteFile(file, []byte("x"), 0o600)

	if out := ok(t, dir, "watch", "add", shots); out != "watching "+shots {
		t.Errorf("watch add printed %q", out)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"watch", "add", shots}, 65, "watched already"},
		{[]string{"watch", "add", file}, 65, "is not a folder"},
		{[]string{"watch", "add", filepath.Join(shots, "missing")}, 65, "cannot watch"},
		{[]string{"watch", "add", dir}, 65, "Blotter's own data folder"},
		{[]string{"watch", "add", filepath.Join(dir, "vault")}, 65, "Blotter's own data folder"},
		{[]string{"watch", "rm", "/nowhere"}, 66, "is not watched"},
	} {
		r := run(t, dir, "", tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("blotter %v: exit %d %q, want %d %q", tt.args, r.code, r.stderr, tt.code, tt.want)
		}
	}
	if got := ok(t, dir, "watch", "list"); got != shots {
		t.Errorf("watch list = %q", got)
	}

	// Run the watcher; write a file slowly into the folder: exactly one entry, the right digest.
	cmd := blotterCmd(dir, "watch", "run")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stop(cmd); cmd.Wait() }()
	if line, err := bufio.NewReader(stderr).ReadString('\n'); err != nil || !strings.Contains(line, "watching 1 folders") {
		t.Fatalf("watch run said %q, %v", line, err)
	}
	path := filepath.Join(shots, "slow.bin")
	f, _ := os.Create(path)
	for i := 0; i < 8; i++ {
		f.Write([]byte(strings.Repeat("chunk ", 20000)))
		time.Sleep(200 * time.Millisecond)
	}
	f.Close()
	want := fileSHA256(t, path)
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case line := <-lines:
		if line != want+"  "+path {
			t.Errorf("watch run printed %q, want %q", line, want+"  "+path)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the slowly written file was not taken in")
	}
	time.Sleep(2500 * time.Millisecond) // past another quiet period: nothing more may come
	entries := timeline(t, dir, "--kind", "file")
	if len(entries) != 1 || entries[0].Evidence[0].SHA256 != want {
		t.Fatalf("file entries = %+v, want exactly one with digest %s", entries, want)
	}
	ok(t, dir, "watch", "rm", shots)
	if got := ok(t, dir, "watch", "list"); got != "" {
		t.Errorf("after rm: %q", got)
	}
}

func TestHotkeysCommand(t *testing.T) {
	dir, _ := newIncident(t)
	if got := ok(t, dir, "hotkeys"); got != "clipboard  ctrl+alt+c\nnote       ctrl+alt+n\nscreenshot ctrl+alt+s\nside       ctrl+alt+w" {
		t.Errorf("hotkeys = %q", got)
	}
	if got := ok(t, dir, "hotkeys", "set", "note", "Ctrl+Shift+J"); got != "note ctrl+shift+j" {
		t.Errorf("hotkeys set printed %q", got)
	}
	if got := ok(t, dir, "hotkeys"); !strings.Contains(got, "note       ctrl+shift+j") {
		t.Errorf("after set: %q", got)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"hotkeys", "set", "timer", "ctrl+alt+t"}, `no hotkey action "timer"`},
		{[]string{"hotkeys", "set", "note", "shift+q"}, "needs ctrl, alt or super"},
		{[]string{"hotkeys", "set", "clipboard", "ctrl+shift+j"}, "is the note hotkey already"},
	} {
		if r := run(t, dir, "", tt.args...); r.code != 65 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("blotter %v: exit %d %q, want 65 %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}
