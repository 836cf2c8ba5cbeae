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
// With activate, the incident becomes the active one in the same transaction.
// Returns ECONFLICT (the incident is here already), EINVALID (the log does not verify).
func (db *DB) ImportIncident(ctx context.Context, next func() (*blotter.Revision, error), activate bool) (*blotter.Incident, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	checked := verifyAhead(ctx, next)

	var inc *incidentHead
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		w.importing = true
		defer w.close()
		for v := range checked {
			if v.err != nil {
				return v.err
			}
			if inc == nil {
				var err error
				if inc, err = startImport(ctx, tx, v.rev); err != nil {
					return err
				}
			}
			// The state first: the first revision's incident row is what the log refers to.
			if err := w.replay(v.rev, v.content); err != nil {
				return fmt.Errorf("revision %d: %w", v.rev.Seq, err)
			}
			if err := w.insertRevision(v.rev); err != nil {
				return err
			}
			inc.headSeq, inc.headHash = v.rev.Seq, v.rev.Hash
		}
		if inc == nil {
			return blotter.Errorf(blotter.EINVALID, "the record holds no revisions")
		}
		if activate {
			if err := w.putSetting(SettingActiveIncident, inc.ID); err != nil {
				return err
			}
		}
		return w.saveHead(inc)
	})
	if err != nil {
		return nil, err
	}
	return db.FindIncident(ctx, inc.ID)
}

// checkedRevision is a revision whose link in the chain has been verified, or the error that
// ended the reading.
type checkedRevision struct {
	rev     *blotter.Revision
	content *blotter.RevisionContent
	err     error
}

// verifyAhead reads and verifies revisions on another goroutine, so that decoding and hashing
// the next revisions overlaps with SQLite storing the last ones. The channel ends after the
// last revision or the first error.
func verifyAhead(ctx context.Context, next func() (*blotter.Revision, error)) <-chan checkedRevision {
	out := make(chan checkedRevision, 512)
	go func() {
		defer close(out)
		var verifier *blotter.ChainVerifier
		send := func(v checkedRevision) bool {
			select {
			case out <- v:
				return true
			case <-ctx.Done():
				return false
			}
		}
		for {
			r, err := next()
			if errors.Is(err, io.EOF) {
				return
			} else if err != nil {
				send(checkedRevision{err: err})
				return
			}
			if verifier == nil {
				verifier = blotter.NewChainVerifier(r.IncidentID)
			}
			c, err := verifier.Check(r)
			if err != nil {
				send(checkedRevision{err: blotter.Errorf(blotter.EINVALID, "the record does not verify: %s", blotter.ErrorMessage(err))})
				return
			}
			if !send(checkedRevision{rev: r, content: c}) {
				return
			}
		}
	}()
	return out
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
	if c.Task != nil {
		if err := c.Task.Validate(); err != nil {
			return err
		}
		return w.putTask(c.Task)
	}
	if c.Document != nil {
		if err := c.Document.Validate(); err != nil {
			return err
		}
		return w.putDocument(c.Document)
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
