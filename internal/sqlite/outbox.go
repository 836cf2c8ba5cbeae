package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// SyncLink is an incident linked to a system: where it is there (the target's own JSON).
type SyncLink struct {
	IncidentID string    `json:"incident_id"`
	Target     string    `json:"target"`
	Remote     string    `json:"remote"`
	LinkedAt   time.Time `json:"linked_at"`
}

// OutboxItem is a subject whose latest state a target has not received yet.
type OutboxItem struct {
	ID         int64     `json:"id"`
	IncidentID string    `json:"incident_id"`
	Target     string    `json:"target"`
	Subject    string    `json:"subject"` // blotter.SubjectIncident, SubjectEntry, SubjectTask
	SubjectID  string    `json:"subject_id"`
	Seq        int64     `json:"seq"` // deliver at least the state of this revision
	State      string    `json:"state"`
	Attempts   int       `json:"attempts"`
	NextAt     time.Time `json:"next_at"`
	LastError  string    `json:"last_error,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Outbox states.
const (
	OutboxPending = "pending"
	OutboxFailed  = "failed" // will not succeed by retrying: waits for a person (sync retry)
)

// LinkIncident links the incident to a target, and queues the incident and every entry and
// task it has so far for that target, in one transaction: what was recorded before the link is
// shared too. Returns ENOTFOUND, ECONFLICT (linked to that target already).
func (db *DB) LinkIncident(ctx context.Context, incidentID, target, remote string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		inc, err := w.loadIncident(incidentID)
		if err != nil {
			return err
		}
		now := nanos(db.now())
		if _, err := w.exec(`INSERT INTO sync_links (incident_id, target, remote, linked_at) VALUES (?, ?, ?, ?)`,
			incidentID, target, remote, now); err != nil {
			if isUnique(err) {
				return blotter.Errorf(blotter.ECONFLICT, "the incident is linked to %s already", target)
			}
			return err
		}
		// The whole record so far, in the order it was made (the log's order).
		_, err = w.exec(`INSERT INTO outbox (incident_id, target, subject, subject_id, seq, state, next_at, created_at)
			SELECT incident_id, ?, subject, subject_id, max(seq), 'pending', ?, ? FROM revisions
			WHERE incident_id = ? GROUP BY subject, subject_id ORDER BY min(seq)
			ON CONFLICT (target, subject_id) DO UPDATE SET seq = excluded.seq, state = 'pending'`,
			target, now, now, inc.ID)
		return err
	})
}

// UpdateLink replaces what a link says about the incident's place in the target (for example
// once the target has given it an id).
func (db *DB) UpdateLink(ctx context.Context, incidentID, target, remote string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sync_links SET remote = ? WHERE incident_id = ? AND target = ?`, remote, incidentID, target)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return blotter.Errorf(blotter.ENOTFOUND, "the incident is not linked to %s", target)
		}
		return nil
	})
}

// Link returns the incident's link to target. Returns ENOTFOUND.
func (db *DB) Link(ctx context.Context, incidentID, target string) (*SyncLink, error) {
	var l SyncLink
	var at int64
	err := db.read.QueryRowContext(ctx, `SELECT incident_id, target, remote, linked_at FROM sync_links
		WHERE incident_id = ? AND target = ?`, incidentID, target).Scan(&l.IncidentID, &l.Target, &l.Remote, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, blotter.Errorf(blotter.ENOTFOUND, "the incident is not linked to %s", target)
	}
	l.LinkedAt = fromNanos(at)
	return &l, err
}

// Links returns every incident's link to target.
func (db *DB) Links(ctx context.Context, target string) ([]*SyncLink, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT incident_id, target, remote, linked_at FROM sync_links
		WHERE target = ? ORDER BY linked_at`, target)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []*SyncLink{}
	for rows.Next() {
		var l SyncLink
		var at int64
		if err := rows.Scan(&l.IncidentID, &l.Target, &l.Remote, &at); err != nil {
			return nil, err
		}
		l.LinkedAt = fromNanos(at)
		list = append(list, &l)
	}
	return list, rows.Err()
}

const outboxColumns = `id, incident_id, target, subject, subject_id, seq, state, attempts, next_at, last_error, created_at`

func scanOutbox(row scanner) (*OutboxItem, error) {
	var it OutboxItem
	var next, created int64
	err := row.Scan(&it.ID, &it.IncidentID, &it.Target, &it.Subject, &it.SubjectID, &it.Seq, &it.State,
		&it.Attempts, &next, &it.LastError, &created)
	it.NextAt, it.CreatedAt = fromNanos(next), fromNanos(created)
	return &it, err
}

// Outbox returns the target's items in the order they were queued: pending ones due at now
// (all pending ones for a zero now), or, with failed, the failed ones.
func (db *DB) Outbox(ctx context.Context, target string, now time.Time, failed bool, limit int) ([]*OutboxItem, error) {
	query, args := `SELECT `+outboxColumns+` FROM outbox WHERE target = ? AND state = 'pending'`, []any{target}
	if failed {
		query = `SELECT ` + outboxColumns + ` FROM outbox WHERE target = ? AND state = 'failed'`
	} else if !now.IsZero() {
		query, args = query+` AND next_at <= ?`, append(args, nanos(now))
	}
	query += ` ORDER BY id LIMIT ?`
	rows, err := db.read.QueryContext(ctx, query, append(args, max(limit, 1))...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []*OutboxItem{}
	for rows.Next() {
		it, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, it)
	}
	return list, rows.Err()
}

// OutboxCounts returns how many items wait for target, and how many failed.
func (db *DB) OutboxCounts(ctx context.Context, target string) (pending, failed int, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'failed')
		FROM outbox WHERE target = ?`, target).Scan(&pending, &failed)
	return
}

// Delivered removes an item the target received, unless its subject changed again since (its
// seq moved on): then it stays, for the newer state.
func (db *DB) Delivered(ctx context.Context, it *OutboxItem) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ? AND seq = ?`, it.ID, it.Seq)
		return err
	})
}

// Attempting records, before the item is sent, that an attempt starts: if the process dies
// while the target holds the change but before Delivered, the next attempt knows an earlier
// one may have got through, and looks for it instead of creating it twice.
func (db *DB) Attempting(ctx context.Context, it *OutboxItem) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1 WHERE id = ?`, it.ID)
		return err
	})
}

// RetryLater records that the attempt under way failed and may succeed later: not before next.
func (db *DB) RetryLater(ctx context.Context, it *OutboxItem, next time.Time, why string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET next_at = ?, last_error = ? WHERE id = ?`,
			nanos(next), why, it.ID)
		return err
	})
}

// Failed marks an item the target refused for good (a validation error, a missing object):
// it waits for a person, and the items behind it go on.
func (db *DB) Failed(ctx context.Context, it *OutboxItem, why string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', last_error = ? WHERE id = ? AND seq = ?`,
			why, it.ID, it.Seq)
		return err
	})
}

// RetryFailed puts the target's failed items (one, or all for id 0) back in the queue, due now.
// It returns how many.
func (db *DB) RetryFailed(ctx context.Context, target string, id int64) (int, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', attempts = 0, next_at = ?
			WHERE target = ? AND state = 'failed' AND (? = 0 OR id = ?)`, nanos(db.now()), target, id, id)
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return int(n), err
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY constraint failure.
func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
