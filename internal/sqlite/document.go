package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/blotterapp/blotter/internal/blotter"
)

const documentColumns = `id, incident_id, kind, body, updated_at, updated_by, revision`

func scanDocument(row scanner, extra ...any) (*blotter.Document, error) {
	var d blotter.Document
	if err := row.Scan(append([]any{&d.ID, &d.IncidentID, &d.Kind, &d.Body, &d.UpdatedAt, &d.UpdatedBy, &d.Revision}, extra...)...); err != nil {
		return nil, err
	}
	return &d, nil
}

// Document returns the incident's document of a kind. Returns ENOTFOUND when none was saved.
func (db *DB) Document(ctx context.Context, incidentID string, kind blotter.DocumentKind) (*blotter.Document, error) {
	d, err := scanDocument(db.read.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents WHERE incident_id = ? AND kind = ?`, incidentID, string(kind)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, blotter.Errorf(blotter.ENOTFOUND, "the incident has no %s saved yet", kind)
	}
	return d, err
}

// SaveDocument saves the incident's document of a kind as its next revision (its first, when
// there is none): the state and its revision in one transaction. baseRevision is the revision
// the writer started from (0 for a new document): if someone saved in between, the save is
// refused with ECONFLICT instead of silently overwriting their words. Returns EINVALID
// (including a body that changes nothing), ENOTFOUND.
func (db *DB) SaveDocument(ctx context.Context, incidentID string, kind blotter.DocumentKind, body string, baseRevision int, ch blotter.Change) (*blotter.Document, error) {
	var out *blotter.Document
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		inc, err := w.loadIncident(incidentID)
		if err != nil {
			return err
		}
		old, err := scanDocument(tx.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents WHERE incident_id = ? AND kind = ?`, inc.ID, string(kind)))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now := db.now()
		d := &blotter.Document{ID: blotter.NewID(), IncidentID: inc.ID, Kind: kind, Body: body, UpdatedAt: blotter.FormatTime(now), UpdatedBy: ch.By, Revision: 1}
		action := blotter.ActionCreate
		current := 0
		if old != nil {
			current = old.Revision
			if old.Body == body {
				return nothingToChange("document", old.ID)
			}
			d.ID, d.Revision, action = old.ID, old.Revision+1, blotter.ActionEdit
		}
		if baseRevision != current {
			return blotter.Errorf(blotter.ECONFLICT, "the %s was saved by someone else meanwhile (revision %d, you started from %d): reload it and apply your changes again", kind, current, baseRevision)
		}
		if err := d.Validate(); err != nil {
			return err
		}
		if err := w.putDocument(d); err != nil {
			return err
		}
		if _, err := w.appendChange(inc, blotter.RevisionContent{
			Subject: blotter.SubjectDocument, SubjectID: d.ID, Revision: d.Revision, Action: action, Document: d,
		}, ch, now); err != nil {
			return err
		}
		out = d
		return nil
	})
	return out, err
}

// putDocument writes the document's state, inserting it if it is new.
func (w *writer) putDocument(d *blotter.Document) error {
	_, err := w.exec(`INSERT INTO documents (id, incident_id, kind, body, updated_at, updated_by, revision)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at,
			updated_by = excluded.updated_by, revision = excluded.revision`,
		d.ID, d.IncidentID, string(d.Kind), d.Body, d.UpdatedAt, d.UpdatedBy, d.Revision)
	if err != nil {
		return fmt.Errorf("write document: %w", err)
	}
	return nil
}

// verifyDocuments checks that each document is the state its last revision holds.
func verifyDocuments(ctx context.Context, tx *sql.Tx, incidentID string, verifier *blotter.ChainVerifier, report *blotter.VerifyReport) (string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+prefixed("d.", documentColumns)+`, r.content FROM documents d
		LEFT JOIN revisions r ON r.subject_id = d.id AND r.number = d.revision AND r.incident_id = d.incident_id
		WHERE d.incident_id = ? ORDER BY d.seq`, incidentID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var content sql.NullString
		d, err := scanDocument(rows, &content)
		if err != nil {
			return "", err
		}
		report.Documents++
		var c blotter.RevisionContent
		if verifier.Latest(d.ID) != d.Revision || content.String == "" || json.Unmarshal([]byte(content.String), &c) != nil || c.Document == nil {
			return fmt.Sprintf("document %s (%s) is at revision %d, which its log does not have: it was changed outside Blotter", d.ID, d.Kind, d.Revision), nil
		}
		if !sameJSON(c.Document, d) {
			return fmt.Sprintf("document %s (%s) differs from its last revision: it was changed outside Blotter", d.ID, d.Kind), nil
		}
	}
	return "", rows.Err()
}

// Head returns where the incident's log ends: the last revision's number and hash.
func (db *DB) Head(ctx context.Context, incidentID string) (seq int64, hash string, err error) {
	h, err := loadIncidentHead(ctx, db.read, incidentID)
	if err != nil {
		return 0, "", err
	}
	return h.headSeq, h.headHash, nil
}
