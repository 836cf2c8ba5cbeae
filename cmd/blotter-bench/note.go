package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/ioc"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// benchNote times durable interactive note appends in process (entry, revision, hash, indexes,
// one fsynced commit each) beside the floor: one row inserted and committed with the same
// durability settings.
func benchNote(ctx context.Context, cfg *config) error {
	db, err := sqlite.Open(ctx, filepath.Join(cfg.dir, "notes.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	db.Extract = ioc.Extract
	inc := &blotter.Incident{Title: "note bench", CreatedBy: "bench"}
	if err := db.CreateIncident(ctx, inc, blotter.Change{By: inc.CreatedBy}, false); err != nil {
		return err
	}
	// Warm up, then time.
	var lat []time.Duration
	for i := 0; i < cfg.notes+100; i++ {
		e := &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindNote, Author: "bench",
			Text: fmt.Sprintf("host 10.0.%d.%d beaconing to c2.example.com every 60s, isolating it", i%256, i/256)}
		start := time.Now()
		if err := db.AddEntry(ctx, e, blotter.Change{By: e.Author}); err != nil {
			return err
		}
		if i >= 100 {
			lat = append(lat, time.Since(start))
		}
	}

	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(cfg.dir, "floor.db")+"?_journal_mode=WAL&_synchronous=FULL")
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	if _, err := raw.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT)`); err != nil {
		return err
	}
	var floor []time.Duration
	for i := 0; i < cfg.notes+100; i++ {
		start := time.Now()
		if _, err := raw.Exec(`INSERT INTO t (text) VALUES (?)`, "host beaconing to c2.example.com"); err != nil {
			return err
		}
		if i >= 100 {
			floor = append(floor, time.Since(start))
		}
	}
	p50, _, p99 := percentiles(lat)
	f50, _, f99 := percentiles(floor)
	fmt.Printf("note: blotter append            p50 %s  p99 %s  (%d notes)\n", ms(p50), ms(p99), cfg.notes)
	fmt.Printf("note: floor (1 row, fsync)      p50 %s  p99 %s\n", ms(f50), ms(f99))
	fmt.Printf("note: ratio p99 blotter/floor = %.2fx (goal p99 < 2 ms)\n", float64(p99)/float64(f99))
	return nil
}
