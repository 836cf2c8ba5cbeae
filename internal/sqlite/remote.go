package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/blotterapp/blotter/internal/blotter"
)

// RemoteID returns the id the subject (an incident, entry or task) has in system, or "" when it
// has none yet. The write path records it (blotter.Change.Remote) with the change it belongs to.
func (db *DB) RemoteID(ctx context.Context, subjectID, system string) (string, error) {
	var id string
	err := db.read.QueryRowContext(ctx, `SELECT remote_id FROM remote_ids WHERE subject_id = ? AND system = ?`,
		subjectID, system).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// SubjectOfRemote returns the local subject that is the remote object id of system, or "" when
// none is: how a pulled change finds what it changes, and how a retried push finds that its
// object exists already.
func (db *DB) SubjectOfRemote(ctx context.Context, system, remoteID string) (string, error) {
	var id string
	err := db.read.QueryRowContext(ctx, `SELECT subject_id FROM remote_ids WHERE system = ? AND remote_id = ?`,
		system, remoteID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// ClipboardSeen reports whether the clipboard watch recorded a content with this digest on the
// incident before.
func (db *DB) ClipboardSeen(ctx context.Context, incidentID, sha256 string) (bool, error) {
	var seen bool
	err := db.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM clipboard_seen WHERE incident_id = ? AND sha256 = ?)`,
		incidentID, sha256).Scan(&seen)
	return seen, err
}

// MarkClipboardSeen remembers that the clipboard watch recorded a content on the incident.
func (db *DB) MarkClipboardSeen(ctx context.Context, incidentID, sha256 string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		_, err := w.exec(`INSERT INTO clipboard_seen (incident_id, sha256) VALUES (?, ?) ON CONFLICT DO NOTHING`, incidentID, sha256)
		return err
	})
}

// EntriesWithSecrets counts the incident's entries whose text holds marked secrets.
func (db *DB) EntriesWithSecrets(ctx context.Context, incidentID string) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM entries WHERE incident_id = ? AND secrets != '[]'`, incidentID).Scan(&n)
	return n, err
}

// SetRemoteID records the id a subject this machine made has in system, once it was sent
// there: sync bookkeeping, outside the record's chain. Returns ECONFLICT when that remote
// object is recorded for another subject.
func (db *DB) SetRemoteID(ctx context.Context, subjectID string, ref blotter.RemoteRef) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		return w.putRemoteID(subjectID, ref)
	})
}

// RemoteEntries returns the incident's entries that have an id in system: entry id → its
// remote reference (id and version).
func (db *DB) RemoteEntries(ctx context.Context, incidentID, system string) (map[string]blotter.RemoteRef, error) {
	return db.remoteRefs(ctx, "entries", incidentID, system)
}

// remoteRefs returns the remote references in system of the incident's subjects in table
// (entries or tasks): subject id → reference.
func (db *DB) remoteRefs(ctx context.Context, table, incidentID, system string) (map[string]blotter.RemoteRef, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT r.subject_id, r.remote_id, r.version FROM remote_ids r
		JOIN `+table+` s ON s.id = r.subject_id WHERE s.incident_id = ? AND r.system = ?`, incidentID, system)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]blotter.RemoteRef{}
	for rows.Next() {
		var id string
		ref := blotter.RemoteRef{System: system}
		if err := rows.Scan(&id, &ref.ID, &ref.Version); err != nil {
			return nil, err
		}
		out[id] = ref
	}
	return out, rows.Err()
}

// RemoteVersion returns the version a subject's remote object had when last sent or seen, or "".
func (db *DB) RemoteVersion(ctx context.Context, subjectID, system string) (string, error) {
	var v string
	err := db.read.QueryRowContext(ctx, `SELECT version FROM remote_ids WHERE subject_id = ? AND system = ?`,
		subjectID, system).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// RemoteTasks returns the incident's tasks that have an id in system: task id → its remote
// reference (id and version).
func (db *DB) RemoteTasks(ctx context.Context, incidentID, system string) (map[string]blotter.RemoteRef, error) {
	return db.remoteRefs(ctx, "tasks", incidentID, system)
}
