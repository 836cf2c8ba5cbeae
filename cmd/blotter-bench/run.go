package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/childproc"
)

// runOutputBytes is the output `blotter run` passes through and keeps in the bench: large
// enough that memory held per byte would show in the peak RSS.
const runOutputBytes = 1 << 30

// benchRun times `blotter run -- cat FILE > /dev/null` (the output teed to the terminal and
// streamed into the vault, hashed and fsynced) against `cat FILE > /dev/null`, both reading a
// 1 GiB file from the page cache, and reports blotter's peak RSS. The ratio against plain cat
// is the one asked of it; the second baseline does the same work blotter must (a copy on disk,
// its SHA-256, an fsync) with coreutils, to show what of the cost is the work itself.
func benchRun(ctx context.Context, cfg *config) error {
	src := filepath.Join(cfg.dir, "run-output.bin")
	if err := writeRandom(src, runOutputBytes); err != nil {
		return err
	}
	defer os.Remove(src)
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer devNull.Close()
	data := filepath.Join(cfg.dir, "run-data")
	defer os.RemoveAll(data)
	if out, err := exec.CommandContext(ctx, cfg.binary, "--data-dir", data, "incident", "new", "run bench").CombinedOutput(); err != nil {
		return fmt.Errorf("incident new: %v %s", err, out)
	}
	copyPath := filepath.Join(cfg.dir, "run-copy.bin")
	defer os.Remove(copyPath)

	// timed runs name with its stdout on /dev/null, and returns the command that ran.
	// timed runs a command and returns how long it took and its peak memory in MiB.
	timed := func(name string, args ...string) (time.Duration, float64, error) {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Stdout = devNull // an *os.File: the process writes to it directly, as a shell's > does
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		peak, err := childproc.PeakMemory(cmd)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %v %s", name, err, stderr.Bytes())
		}
		return time.Since(start), mib(peak), nil
	}
	// The best of two runs of each, taken in turn, so that neither pays alone for a cold cache
	// or for the other engineers' builds.
	best := func(d *time.Duration, took time.Duration) {
		if *d == 0 || took < *d {
			*d = took
		}
	}
	var cat, floor, run time.Duration
	var rss float64
	if _, _, err := timed("cat", src); err != nil { // warms the page cache
		return err
	}
	for range 2 {
		took, _, err := timed("cat", src)
		if err != nil {
			return err
		}
		best(&cat, took)
		os.Remove(copyPath)
		if took, _, err = timed("sh", "-c", `cat "$1" | tee "$2" | sha256sum >/dev/null && sync "$2"`, "sh", src, copyPath); err != nil {
			return err
		}
		best(&floor, took)
		os.Remove(copyPath)
		took, peak, err := timed(cfg.binary, "--data-dir", data, "run", "--", "cat", src)
		if err != nil {
			return err
		}
		best(&run, took)
		rss = max(rss, peak)
	}

	// The output file must be the whole output, or the figures measure nothing.
	out, err := exec.CommandContext(ctx, cfg.binary, "--data-dir", data, "timeline", "--json", "--kind", "command").Output()
	if err != nil {
		return fmt.Errorf("timeline: %v", err)
	}
	var entries []blotter.Entry
	if err := json.Unmarshal(out, &entries); err != nil || len(entries) != 2 || len(entries[1].Evidence) != 1 || entries[1].Evidence[0].Size != runOutputBytes {
		return fmt.Errorf("the runs were not recorded with their whole output (%v): %s", err, out)
	}

	mib := float64(runOutputBytes) / (1 << 20)
	fmt.Printf("run: cat FILE > /dev/null                  %7.0f MiB/s  (%s)\n", mib/cat.Seconds(), cat.Round(time.Millisecond))
	fmt.Printf("run: cat | tee COPY | sha256sum; sync COPY %7.0f MiB/s  (%s)\n", mib/floor.Seconds(), floor.Round(time.Millisecond))
	fmt.Printf("run: blotter run -- cat FILE > /dev/null   %7.0f MiB/s  (%s, peak RSS %.1f MiB, goal < 64 MiB)\n", mib/run.Seconds(), run.Round(time.Millisecond), rss)
	fmt.Printf("run: ratio blotter/cat time = %.2fx (goal < 1.3x); blotter/tee+sha256sum+sync = %.2fx\n", run.Seconds()/cat.Seconds(), run.Seconds()/floor.Seconds())
	return nil
}
