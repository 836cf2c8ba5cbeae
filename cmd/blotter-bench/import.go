package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/childproc"
)

// benchImport times `blotter import` of the generated export against the sqlite3 tool loading
// the same rows into a plain table and an FTS5 index.
func benchImport(ctx context.Context, cfg *config) error {
	export := filepath.Join(cfg.dir, "export.json")
	rows := filepath.Join(cfg.dir, "rows.csv")
	t0 := time.Now()
	id, err := generate(cfg.entries, export, rows)
	if err != nil {
		return err
	}
	cfg.incidentID = id
	fi, _ := os.Stat(export)
	fmt.Printf("import: generated %d entries (%.0f MiB of JSON) in %s\n", cfg.entries, float64(fi.Size())/(1<<20), time.Since(t0).Round(time.Millisecond))

	// Baseline: the sqlite3 tool, one transaction, a plain table plus an FTS5 index.
	script := fmt.Sprintf(`CREATE TABLE entries (id TEXT, incident_id TEXT, kind TEXT, occurred_at INTEGER, author TEXT, text TEXT);
CREATE VIRTUAL TABLE entries_fts USING fts5 (text, content = 'entries');
CREATE TRIGGER entries_ai AFTER INSERT ON entries BEGIN INSERT INTO entries_fts (rowid, text) VALUES (new.rowid, new.text); END;
.import --csv %s entries
`, rows)
	baseDB := filepath.Join(cfg.dir, "baseline.db")
	start := time.Now()
	cmd := exec.CommandContext(ctx, "sqlite3", baseDB)
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("sqlite3: %v: %s", err, out)
	}
	base := time.Since(start)

	cfg.importedDir = filepath.Join(cfg.dir, "data")
	start = time.Now()
	cmd = exec.CommandContext(ctx, cfg.binary, "--data-dir", cfg.importedDir, "import", export)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	peakBytes, err := childproc.PeakMemory(cmd)
	if err != nil {
		return fmt.Errorf("blotter import: %v: %s", err, out.Bytes())
	}
	took := time.Since(start)
	peak := mib(peakBytes)

	baseRate := float64(cfg.entries) / base.Seconds()
	rate := float64(cfg.entries) / took.Seconds()
	fmt.Printf("import: sqlite3 tool (table + FTS5)   %8.0f rows/s  (%s)\n", baseRate, base.Round(time.Millisecond))
	fmt.Printf("import: blotter import (verified)     %8.0f rows/s  (%s, peak RSS %.0f MiB)\n", rate, took.Round(time.Millisecond), peak)
	fmt.Printf("import: ratio blotter/sqlite3 = %.2fx (goal >= 0.5x)\n", rate/baseRate)
	return nil
}
