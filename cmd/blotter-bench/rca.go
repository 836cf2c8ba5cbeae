package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/report"
)

// benchRCA times the RCA and runbook drafts of an incident of 100,000 entries (goal under 1 s),
// beside the floor of reading the same timeline alone (what any draft must do first).
func benchRCA(ctx context.Context, cfg *config) error {
	const n = 100000
	export := filepath.Join(cfg.dir, "rca-export.json")
	id, err := generate(n, export, export+".csv")
	if err != nil {
		return err
	}
	os.Remove(export + ".csv")
	rec, err := recorder.Open(ctx, filepath.Join(cfg.dir, "rca-data"))
	if err != nil {
		return err
	}
	defer rec.Close()
	f, err := os.Open(export)
	if err != nil {
		return err
	}
	rd, err := report.NewReader(f)
	if err != nil {
		f.Close()
		return err
	}
	_, err = rec.ImportIncident(ctx, rd.Next)
	f.Close()
	if err != nil {
		return err
	}
	best := func(run func() error) (time.Duration, error) {
		var min time.Duration
		for i := 0; i < 3; i++ {
			start := time.Now()
			if err := run(); err != nil {
				return 0, err
			}
			if d := time.Since(start); min == 0 || d < min {
				min = d
			}
		}
		return min, nil
	}
	floor, err := best(func() error {
		_, err := rec.Timeline(ctx, blotter.EntryFilter{IncidentID: id})
		return err
	})
	if err != nil {
		return err
	}
	for _, kind := range []blotter.DocumentKind{blotter.DocumentRCA, blotter.DocumentRunbook} {
		var size int
		took, err := best(func() error {
			text, err := rec.Draft(ctx, id, kind, "")
			size = len(text)
			return err
		})
		if err != nil {
			return err
		}
		fmt.Printf("rca: %s draft of %d entries %8s (%d KiB; goal < 1 s; %.2fx reading the timeline alone, %s)\n",
			kind, n, took.Round(time.Millisecond), size>>10, float64(took)/float64(floor), floor.Round(time.Millisecond))
	}
	return nil
}
