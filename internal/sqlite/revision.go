package sqlite

import (
	"context"
	"database/sql"

	"github.com/blotterapp/blotter/internal/blotter"
)

const revisionColumns = `seq, incident_id, subject, subject_id, number, action, by_author, at, reason, content, prev_hash, hash`

// queryer is what *sql.DB and *sql.Tx share for reading.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func scanRevision(row scanner) (*blotter.Revision, error) {
	var r blotter.Revision
	err := row.Scan(&r.Seq, &r.IncidentID, &r.Subject, &r.SubjectID, &r.Number, &r.Action, &r.By, &r.At,
		&r.Reason, &r.Content, &r.PrevHash, &r.Hash)
	return &r, err
}

func (db *DB) queryRevisions(ctx context.Context, where string, args ...any) ([]*blotter.Revision, error) {
	var list []*blotter.Revision
	err := eachRevision(ctx, db.read, where, args, func(r *blotter.Revision) error {
		list = append(list, r)
		return nil
	})
	return list, err
}

func eachRevision(ctx context.Context, q queryer, where string, args []any, fn func(*blotter.Revision) error) error {
	rows, err := q.QueryContext(ctx, `SELECT `+revisionColumns+` FROM revisions `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ReadRecord visits the incident's whole record in one read transaction, so that the log and
// the entries agree even while another process writes. Returns ENOTFOUND.
func (db *DB) ReadRecord(ctx context.Context, incidentID string, v blotter.RecordVisitor) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	head, err := loadIncidentHead(ctx, tx, incidentID)
	if err != nil {
		return err
	}
	if err := v.Incident(&head.Incident, head.headSeq, head.headHash); err != nil {
		return err
	}
	revisions := func() error {
		return eachRevision(ctx, tx, `WHERE incident_id = ? ORDER BY seq`, []any{incidentID}, v.Revision)
	}
	entries := func() error {
		rows, err := tx.QueryContext(ctx, `SELECT `+entryColumns+` FROM entries WHERE incident_id = ? ORDER BY occurred_at, seq`, incidentID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			_, e, err := scanEntry(rows)
			if err != nil {
				return err
			}
			if err := v.Entry(e); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	if v.EntriesFirst {
		revisions, entries = entries, revisions
	}
	if err := revisions(); err != nil {
		return err
	}
	return entries()
}
