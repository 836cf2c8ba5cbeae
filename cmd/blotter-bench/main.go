// Command blotter-bench measures Blotter against baselines run side by side on the same machine
// and the same data, and prints each figure with its ratio. `make bench` runs it.
//
//	blotter-bench -blotter build/bin/blotter -entries 1000000 -vault-gib 2
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"time"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.binary, "blotter", "build/bin/blotter", "the blotter binary to measure")
	flag.IntVar(&cfg.entries, "entries", 1_000_000, "entries for the import and search benchmarks")
	flag.IntVar(&cfg.notes, "notes", 2000, "interactive note appends to time")
	flag.Float64Var(&cfg.vaultGiB, "vault-gib", 2, "size of the vault ingest file in GiB")
	flag.StringVar(&cfg.only, "only", "", "run one benchmark: import, note, search, vault, run, folder, sync, slack, screenshot, hotkeys")
	flag.StringVar(&cfg.gui, "gui", "build/bin/blotter", "the desktop binary, for the hotkeys benchmark")
	flag.StringVar(&cfg.dir, "dir", "", "work folder (default: a temp dir, removed afterwards)")
	exportOnly := flag.String("export-only", "", "only write a JSON export of -entries entries to this path (for the UI benchmark)")
	tasksOnly := flag.String("tasks-only", "", "only fill this data dir with an incident of -tasks tasks (for the board benchmark)")
	tasks := flag.Int("tasks", 2000, "tasks for -tasks-only")
	flag.Parse()

	if *tasksOnly != "" {
		if err := seedTasks(context.Background(), *tasksOnly, *tasks); err != nil {
			fail(err)
		}
		return
	}

	if *exportOnly != "" {
		if _, err := generate(cfg.entries, *exportOnly, *exportOnly+".csv"); err != nil {
			fail(err)
		}
		os.Remove(*exportOnly + ".csv")
		return
	}

	if cfg.dir == "" {
		dir, err := os.MkdirTemp("", "blotter-bench")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
		cfg.dir = dir
	}
	abs, err := filepath.Abs(cfg.binary)
	if err != nil {
		fail(err)
	}
	cfg.binary = abs
	ctx := context.Background()
	fmt.Printf("blotter-bench: %d entries, %d notes, %.1f GiB vault file, in %s\n\n", cfg.entries, cfg.notes, cfg.vaultGiB, cfg.dir)

	steps := []struct {
		name string
		run  func(context.Context, *config) error
	}{
		{"note", benchNote},     // first, before the import's gigabytes are being written back
		{"import", benchImport}, // also builds the database the search benchmark reads
		{"search", benchSearch},
		{"vault", benchVault},
		{"run", benchRun},
		{"folder", benchFolder},
		{"sync", benchSync},
		{"slack", benchSlack},
		{"rca", benchRCA},
		{"screenshot", benchScreenshot}, // only with -only screenshot: it needs a display
		{"hotkeys", benchHotkeys},       // only with -only hotkeys: it needs a display and the app
	}
	for _, s := range steps {
		if cfg.only != "" && cfg.only != s.name && !(cfg.only == "search" && s.name == "import") ||
			cfg.only == "" && (s.name == "screenshot" || s.name == "hotkeys") {
			continue
		}
		if err := s.run(ctx, &cfg); err != nil {
			fail(fmt.Errorf("%s: %w", s.name, err))
		}
		fmt.Println()
	}
}

type config struct {
	binary   string
	entries  int
	notes    int
	vaultGiB float64
	only     string
	dir      string
	gui      string
	// importedDir is the data dir the import benchmark filled, for the search benchmark.
	importedDir string
	incidentID  string
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "blotter-bench:", err)
	os.Exit(1)
}

// percentiles returns p50, p95 and p99 of the durations.
func percentiles(d []time.Duration) (p50, p95, p99 time.Duration) {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	at := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	return at(0.50), at(0.95), at(0.99)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }

// mib is a byte count in MiB; NaN (printed so) for a peak not measured on this OS.
func mib(bytes int64) float64 {
	if bytes < 0 {
		return math.NaN()
	}
	return float64(bytes) / (1 << 20)
}
