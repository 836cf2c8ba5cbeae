package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
)

const entryColumns = `seq, id, incident_id, kind, occurred_at, recorded_at, author, text, tags, evidence, secrets, source, revision, deleted`

func scanEntry(row scanner) (int64, *blotter.Entry, error) {
	return scanEntryWith(row)
}

// scanEntryWith scans an entry followed by extra columns.
func scanEntryWith(row scanner, extra ...any) (int64, *blotter.Entry, error) {
	var (
		e                  blotter.Entry
		seq                int64
		occurred, recorded int64
		tags, evidence     string
		secrets, source    string
	)
	dest := []any{&seq, &e.ID, &e.IncidentID, &e.Kind, &occurred, &recorded, &e.Author, &e.Text,
		&tags, &evidence, &secrets, &source, &e.Revision, &e.Deleted}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return 0, nil, err
	}
	e.OccurredAt, e.RecordedAt = fromNanos(occurred), fromNanos(recorded)
	if err := json.Unmarshal([]byte(tags), &e.Tags); err != nil {
		return seq, nil, damaged("entry", e.ID, "tags", err)
	}
	if err := json.Unmarshal([]byte(evidence), &e.Evidence); err != nil {
		return seq, nil, damaged("entry", e.ID, "evidence", err)
	}
	if err := json.Unmarshal([]byte(secrets), &e.Secrets); err != nil {
		return seq, nil, damaged("entry", e.ID, "secret marks", err)
	}
	if len(e.Secrets) == 0 {
		e.Secrets = nil // as the revision holds it: omitted when there are none
	}
	if source != "" {
		if err := json.Unmarshal([]byte(source), &e.Source); err != nil {
			return seq, nil, damaged("entry", e.ID, "source", err)
		}
	}
	return seq, &e, nil
}

// AddEntry stores a new entry of the incident e.IncidentID, recorded as made by ch.By: it
// fills in the id (when empty), the recorded time, the first revision and the secret marks,
// normalizes the tags, and stores the entry with its first revision. An entry without an
// occurred time happened now. Returns EINVALID, ENOTFOUND (no such incident), ECONFLICT (the
// id exists, or ch.Remote names another subject's remote object).
func (db *DB) AddEntry(ctx context.Context, e *blotter.Entry, ch blotter.Change) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		inc, err := w.loadIncident(e.IncidentID)
		if err != nil {
			return err
		}
		return w.createEntry(inc, e, ch, db.now())
	})
}

// NewEntry is one entry for AddEntries, with the change it is recorded as.
type NewEntry struct {
	Entry  *blotter.Entry
	Change blotter.Change
}

// AddEntries stores new entries as AddEntry does, in order, in one transaction: one durable
// commit for all of them (a pull of thousands of events took one each). An entry whose change
// names a remote object the record holds already, or one earlier in the batch holds, is left
// out (added[i] false); any other refusal stores none of them.
func (db *DB) AddEntries(ctx context.Context, items []NewEntry) (added []bool, err error) {
	if len(items) == 0 {
		return nil, nil // no write transaction: a pull pass with nothing new is the common case
	}
	added = make([]bool, len(items))
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		heads := map[string]*incidentHead{}
		now := db.now()
		for i, it := range items {
			if r := it.Change.Remote; r != nil {
				var id string
				err := tx.QueryRowContext(ctx, `SELECT subject_id FROM remote_ids WHERE system = ? AND remote_id = ?`, r.System, r.ID).Scan(&id)
				if err == nil {
					continue
				} else if !errors.Is(err, sql.ErrNoRows) {
					return err
				}
			}
			inc := heads[it.Entry.IncidentID]
			if inc == nil {
				if inc, err = w.loadIncident(it.Entry.IncidentID); err != nil {
					return err
				}
				heads[it.Entry.IncidentID] = inc
			}
			if err := w.createEntry(inc, it.Entry, it.Change, now); err != nil {
				return err
			}
			added[i] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return added, nil
}

// FindEntry returns the entry with the given id. Returns ENOTFOUND.
func (db *DB) FindEntry(ctx context.Context, id string) (*blotter.Entry, error) {
	_, e, err := scanEntry(db.read.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM entries WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, blotter.Errorf(blotter.ENOTFOUND, "no entry %q", id)
	}
	return e, err
}

// ListEntries returns the entries the filter selects, oldest first.
func (db *DB) ListEntries(ctx context.Context, f blotter.EntryFilter) ([]*blotter.Entry, error) {
	var (
		where []string
		args  []any
	)
	if f.IncidentID != "" {
		where, args = append(where, "incident_id = ?"), append(args, f.IncidentID)
	}
	if len(f.Kinds) > 0 {
		where, args = append(where, "kind IN (SELECT value FROM json_each(?))"), append(args, mustJSON(f.Kinds))
	}
	if f.Tag != "" {
		where = append(where, "seq IN (SELECT entry_seq FROM entry_tags WHERE tag = ?)")
		args = append(args, strings.TrimPrefix(strings.TrimSpace(f.Tag), "#"))
	}
	if f.Author != "" {
		where, args = append(where, "author = ?"), append(args, f.Author)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "occurred_at >= ?"), append(args, nanos(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "occurred_at < ?"), append(args, nanos(f.Until))
	}
	if !f.IncludeDeleted {
		where = append(where, "deleted = 0")
	}
	query := `SELECT ` + entryColumns + ` FROM entries`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	order := " ORDER BY occurred_at, seq"
	if f.Last {
		order = " ORDER BY occurred_at DESC, seq DESC"
	}
	query += order
	if f.Limit > 0 || f.Offset > 0 {
		limit := f.Limit
		if limit <= 0 {
			limit = -1
		}
		query += " LIMIT ? OFFSET ?"
		args = append(args, limit, f.Offset)
	}
	entries, err := db.queryEntries(ctx, query, args...)
	if f.Last {
		slices.Reverse(entries)
	}
	return entries, err
}

// queryEntries returns the entries a query selects. Rows that cannot be read (altered outside
// Blotter) are left out and counted in a FieldDamaged error returned with the rest, so that a
// damaged row never hides the whole timeline.
func (db *DB) queryEntries(ctx context.Context, query string, args ...any) ([]*blotter.Entry, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []*blotter.Entry{}
	var bad []error
	for rows.Next() {
		_, e, err := scanEntry(rows)
		if blotter.ErrorField(err) == blotter.FieldDamaged {
			bad = append(bad, err)
			continue
		} else if err != nil {
			return nil, err
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return list, blotter.FieldErrorf(blotter.EUNAVAILABLE, blotter.FieldDamaged,
			"%d entries are damaged and not shown (the first: %s)", len(bad), blotter.ErrorMessage(bad[0]))
	}
	return list, nil
}

// damaged is the error for a row whose column cannot be read: it was altered outside Blotter.
func damaged(subject, id, column string, err error) error {
	return blotter.FieldErrorf(blotter.EUNAVAILABLE, blotter.FieldDamaged,
		"the record is damaged: %s %s: its %s cannot be read (%v)", subject, id, column, err)
}

// EditEntry applies upd to the entry as a new revision. Returns ENOTFOUND, EINVALID
// (including a change that changes nothing, and no reason).
func (db *DB) EditEntry(ctx context.Context, id string, upd blotter.EntryUpdate, ch blotter.Change) (*blotter.Entry, error) {
	return db.reviseEntry(ctx, id, ch, blotter.ActionEdit, func(e *blotter.Entry) error {
		if upd.Text != nil {
			e.Text = *upd.Text
		}
		if upd.OccurredAt != nil {
			e.OccurredAt = upd.OccurredAt.UTC()
		}
		if upd.Tags != nil {
			tags, err := blotter.NormalizeTags(*upd.Tags)
			if err != nil {
				return err
			}
			e.Tags = tags
		}
		return nil
	})
}

// DeleteEntry hides the entry as a new revision; it stays in the record and the export.
// Returns ENOTFOUND, EINVALID, ECONFLICT (already deleted).
func (db *DB) DeleteEntry(ctx context.Context, id string, ch blotter.Change) (*blotter.Entry, error) {
	return db.reviseEntry(ctx, id, ch, blotter.ActionDelete, func(e *blotter.Entry) error {
		if e.Deleted {
			return blotter.Errorf(blotter.ECONFLICT, "the entry is deleted already")
		}
		e.Deleted = true
		return nil
	})
}

// RestoreEntry shows a deleted entry again, as a new revision. Returns ENOTFOUND, EINVALID,
// ECONFLICT (not deleted).
func (db *DB) RestoreEntry(ctx context.Context, id string, ch blotter.Change) (*blotter.Entry, error) {
	return db.reviseEntry(ctx, id, ch, blotter.ActionRestore, func(e *blotter.Entry) error {
		if !e.Deleted {
			return blotter.Errorf(blotter.ECONFLICT, "the entry is not deleted")
		}
		e.Deleted = false
		return nil
	})
}

// reviseEntry is the one path for every change to an existing entry: it loads the entry in the
// write transaction, lets change alter a copy, and stores the copy with a new revision.
func (db *DB) reviseEntry(ctx context.Context, id string, ch blotter.Change, action string, change func(*blotter.Entry) error) (*blotter.Entry, error) {
	if err := ch.Validate(blotter.SubjectEntry, action); err != nil {
		return nil, err
	}
	var out *blotter.Entry
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		seq, old, err := scanEntry(tx.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM entries WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return blotter.Errorf(blotter.ENOTFOUND, "no entry %q", id)
		} else if err != nil {
			return err
		}
		e := *old
		e.Tags = append([]string(nil), old.Tags...)
		if err := change(&e); err != nil {
			return err
		}
		if e.Text != old.Text {
			e.Secrets = db.markSecrets(e.Text)
		}
		if unchanged(old, &e) {
			return nothingToChange("entry", id)
		}
		e.Revision++
		if err := e.Validate(); err != nil {
			return err
		}
		inc, err := w.loadIncident(e.IncidentID)
		if err != nil {
			return err
		}
		if err := w.updateEntry(seq, old, &e); err != nil {
			return err
		}
		if _, err := w.appendChange(inc, blotter.RevisionContent{
			Subject: blotter.SubjectEntry, SubjectID: e.ID, Revision: e.Revision, Action: action, Entry: &e,
		}, ch, db.now()); err != nil {
			return err
		}
		out = &e
		return nil
	})
	return out, err
}

// markSecrets marks the credentials in text, if the database was given a finder.
func (db *DB) markSecrets(text string) []blotter.Secret {
	if db.FindSecrets == nil {
		return nil
	}
	return db.FindSecrets(text)
}

// History returns every revision of the entry, oldest first. Returns ENOTFOUND.
func (db *DB) History(ctx context.Context, id string) ([]*blotter.Revision, error) {
	revs, err := db.queryRevisions(ctx, `WHERE subject_id = ? ORDER BY number`, id)
	if err != nil {
		return nil, err
	}
	if len(revs) == 0 {
		return nil, blotter.Errorf(blotter.ENOTFOUND, "no entry %q", id)
	}
	return revs, nil
}
