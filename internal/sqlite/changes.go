package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// LastRevisionID returns the id of the newest revision in the database (0 if none): a cursor
// for EntriesChangedSince.
func (db *DB) LastRevisionID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT max(id) FROM revisions`).Scan(&id)
	return id.Int64, err
}

// EntriesChangedSince returns the incident's entries (deleted ones included) that gained a
// revision after the cursor, and the new cursor. A view that holds the timeline refreshes with
// it instead of reloading a hundred thousand entries.
func (db *DB) EntriesChangedSince(ctx context.Context, incidentID string, cursor int64) ([]*blotter.Entry, int64, error) {
	last, err := db.LastRevisionID(ctx)
	if err != nil || last <= cursor {
		return []*blotter.Entry{}, max(last, cursor), err
	}
	entries, err := db.queryEntries(ctx, `SELECT `+entryColumns+` FROM entries WHERE id IN (
			SELECT subject_id FROM revisions WHERE id > ? AND id <= ? AND incident_id = ? AND subject = 'entry')
		ORDER BY occurred_at, seq`, cursor, last, incidentID)
	return entries, last, err
}

// Watcher notices commits to the database by any connection of any process (the CLI, another
// window, this process's own writes) by polling SQLite's data_version on a connection of its
// own, and calls Changed after each. It is how the app's view stays live.
type Watcher struct {
	db       *DB
	interval time.Duration
	changed  func()
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// NewWatcher returns a watcher that polls every interval.
func (db *DB) NewWatcher(interval time.Duration, changed func()) *Watcher {
	return &Watcher{db: db, interval: interval, changed: changed}
}

// Start reads the current version, then polls until Close: any commit after Start returns is
// reported.
func (w *Watcher) Start(ctx context.Context) error {
	conn, err := w.db.read.Conn(ctx)
	if err != nil {
		return err
	}
	var last int64
	if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&last); err != nil {
		conn.Close()
		return err
	}
	ctx, w.cancel = context.WithCancel(ctx)
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer conn.Close()
		ticker := time.NewTicker(w.interval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
			var version int64
			err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&version)
			switch {
			case errors.Is(err, context.Canceled) || ctx.Err() != nil:
				return
			case err != nil:
				// A transient error (the file busy): try again on the next tick.
			case version != last:
				last = version
				w.changed()
			}
		}
	}()
	return nil
}

// Close stops polling and waits for the poller to end.
func (w *Watcher) Close() {
	if w.cancel != nil {
		w.cancel()
	}
	w.wg.Wait()
}
