package recorder_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The entry names the data dir unless it is the one the app opens with no flag and no
// $BLOTTER_DATA_DIR, as neither is there at login.
func TestSetAutostartNamesTheDataDir(t *testing.T) {
	data, config := t.TempDir(), t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("PATH", t.TempDir()) // no blotter on $PATH: the entry names the test binary
	other := filepath.Join(t.TempDir(), "incidents")
	for _, c := range []struct {
		name, dir, env string
		dataDirFlag    bool
	}{
		{"the default data dir", filepath.Join(data, "blotter"), "", false},
		{"another data dir", other, "", true},
		{"$BLOTTER_DATA_DIR", other, other, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("BLOTTER_DATA_DIR", c.env)
			rec := mustOpen(t, c.dir)
			if err := rec.SetAutostart(true); err != nil {
				t.Fatal(err)
			}
			if on, err := rec.Autostart(); err != nil || !on {
				t.Fatalf("Autostart() = %v, %v after SetAutostart(true)", on, err)
			}
			text, err := os.ReadFile(filepath.Join(config, "autostart", "blotter.desktop"))
			if err != nil {
				t.Fatal(err)
			}
			exec := ""
			for _, line := range strings.Split(string(text), "\n") {
				if v, ok := strings.CutPrefix(line, "Exec="); ok {
					exec = v
				}
			}
			want := " --side"
			if c.dataDirFlag {
				want += " --data-dir " + c.dir
			}
			if !strings.HasSuffix(exec, want) || !strings.HasPrefix(exec, "/") {
				t.Errorf("Exec=%s, want the test binary's path then%s", exec, want)
			}
			if err := rec.SetAutostart(false); err != nil {
				t.Fatal(err)
			}
			if on, err := rec.Autostart(); err != nil || on {
				t.Errorf("Autostart() = %v, %v after SetAutostart(false)", on, err)
			}
		})
	}
}
