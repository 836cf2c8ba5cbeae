package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/blotterapp/blotter/internal/blotter"
)

// ImportIncident stores an incident from its revision log, as another Blotter exported it. The
// log is checked link by link while it is read, stored verbatim (so its hashes stay the ones
// the original machine made) and replayed through the same write path as live changes, in one
// transaction: a log that does not verify leaves nothing behind. next returns io.EOF at the end.
// Returns ECONFLICT (the incident is here already), EINVALID (the log does not verify).
func (db *DB) ImportIncident(ctx context.Context, next func() (*blotter.Revision, error)) (*blotter.Incident, error) {
	var inc *incidentHead
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		w := newWriter(ctx, tx, db.Extract)
		w.importing = true
		defer w.close()
		var verifier *blotter.ChainVerifier
		for {
			r, err := next()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return err
			}
			if verifier == nil {
				if inc, err = startImport(ctx, tx, r); err != nil {
					return err
				}
				verifier = blotter.NewChainVerifier(r.IncidentID)
			}
			c, err := verifier.Check(r)
			if err != nil {
				return blotter.Errorf(blotter.EINVALID, "the record does not verify: %s", blotter.ErrorMessage(err))
			}
			// The state first: the first revision's incident row is what the log refers to.
			if err := w.replay(r, c); err != nil {
				return fmt.Errorf("revision %d: %w", r.Seq, err)
			}
			if err := w.insertRevision(r); err != nil {
				return err
			}
		}
		if verifier == nil {
			return blotter.Errorf(blotter.EINVALID, "the record holds no revisions")
		}
		inc.headSeq, inc.headHash = verifier.Count(), verifier.Head()
		return w.saveHead(inc)
	})
	if err != nil {
		return nil, err
	}
	return db.FindIncident(ctx, inc.ID)
}

func startImport(ctx context.Context, tx *sql.Tx, first *blotter.Revision) (*incidentHead, error) {
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM incidents WHERE id = ?)`, first.IncidentID).Scan(&exists); err != nil {
		return nil, err
	}
	if exists {
		return nil, blotter.Errorf(blotter.ECONFLICT, "incident %s is in this data dir already", first.IncidentID)
	}
	return &incidentHead{Incident: blotter.Incident{ID: first.IncidentID}}, nil
}

// replay applies the state a verified revision carries.
func (w *writer) replay(r *blotter.Revision, c *blotter.RevisionContent) error {
	if c.Incident != nil {
		if err := c.Incident.Validate(); err != nil {
			return err
		}
		return w.putIncident(c.Incident)
	}
	e := c.Entry
	if err := e.Validate(); err != nil {
		return err
	}
	if r.Action == blotter.ActionCreate {
		return w.insertEntry(e)
	}
	seq, old, err := scanEntry(w.tx.QueryRowContext(w.ctx, `SELECT `+entryColumns+` FROM entries WHERE id = ?`, e.ID))
	if err != nil {
		return err
	}
	return w.updateEntry(seq, old, e)
}
