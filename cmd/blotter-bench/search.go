package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// benchSearch times Blotter's newest-first search over the imported entries for a rare word,
// a phrase and a very common prefix, beside a naive ranked FTS5 query on the same index.
func benchSearch(ctx context.Context, cfg *config) error {
	db, err := sqlite.Open(ctx, filepath.Join(cfg.importedDir, "blotter.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(cfg.importedDir, "blotter.db")+"?mode=ro")
	if err != nil {
		return err
	}
	defer raw.Close()

	queries := []struct{ name, query, naive string }{
		{"rare word", rareWord, `"` + rareWord + `"`},
		{"phrase", `"malware beacon"`, `"malware beacon"`},
		{"common prefix", "se*", `"se"*`},
		{"prefix 3", "ser*", `"ser"*`},
		{"prefix 1", "s*", `"s"*`},
		{"ip address", "198.51.7", `"198.51.7"`},
	}
	const runs = 200
	for _, q := range queries {
		var lat []time.Duration
		var n int
		for i := 0; i < runs; i++ {
			start := time.Now()
			got, err := db.Search(ctx, cfg.incidentID, q.query, blotter.SearchOptions{Limit: 50})
			if err != nil {
				return err
			}
			lat = append(lat, time.Since(start))
			n = len(got)
		}
		p50, p95, p99 := percentiles(lat)

		// The naive query: rank every match, then take the best 50.
		var naive []time.Duration
		for i := 0; i < 5; i++ {
			start := time.Now()
			rows, err := raw.QueryContext(ctx, `SELECT e.id, e.text FROM entry_fts JOIN entries e ON e.seq = entry_fts.rowid
				WHERE entry_fts MATCH ? ORDER BY rank LIMIT 50`, q.naive)
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			rows.Close()
			naive = append(naive, time.Since(start))
		}
		np50, _, _ := percentiles(naive)
		fmt.Printf("search %-14s %2d hits  p50 %s  p95 %s  p99 %s  | naive ranked p50 %s  ratio p99/naive %.3fx (goal p99 < 50 ms)\n",
			q.name, n, ms(p50), ms(p95), ms(p99), ms(np50), float64(p99)/float64(np50))
	}
	return nil
}
