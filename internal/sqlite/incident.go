package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Ensure DB implements the service.
var _ blotter.IncidentService = (*DB)(nil)

const incidentColumns = `id, title, severity, status, created_at, created_by, revision`

type scanner interface{ Scan(dest ...any) error }

func scanIncident(row scanner, inc *blotter.Incident, extra ...any) error {
	var created int64
	dest := append([]any{&inc.ID, &inc.Title, &inc.Severity, &inc.Status, &created, &inc.CreatedBy, &inc.Revision}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	inc.CreatedAt = fromNanos(created)
	return nil
}

// CreateIncident fills in the id, creation time, status and revision of inc and stores it with
// its first revision. Returns EINVALID.
func (db *DB) CreateIncident(ctx context.Context, inc *blotter.Incident) error {
	inc.ID = blotter.NewID()
	inc.Title = strings.TrimSpace(inc.Title)
	inc.CreatedAt = db.now()
	inc.Revision = 1
	if inc.Severity == "" {
		inc.Severity = blotter.SeverityHigh
	}
	if inc.Status == "" {
		inc.Status = blotter.StatusOpen
	}
	if err := inc.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		if err := w.putIncident(inc); err != nil {
			return err
		}
		_, err := w.appendRevision(&incidentHead{Incident: *inc}, blotter.RevisionContent{
			Subject: blotter.SubjectIncident, SubjectID: inc.ID, Revision: 1, Action: blotter.ActionCreate,
			By: inc.CreatedBy, At: blotter.FormatTime(inc.CreatedAt), Incident: inc,
		})
		return err
	})
}

// FindIncident returns the incident with the given id. Returns ENOTFOUND.
func (db *DB) FindIncident(ctx context.Context, id string) (*blotter.Incident, error) {
	var inc blotter.Incident
	err := scanIncident(db.read.QueryRowContext(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE id = ?`, id), &inc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, blotter.Errorf(blotter.ENOTFOUND, "no incident %q", id)
	}
	return &inc, err
}

// ListIncidents returns every incident, newest first.
func (db *DB) ListIncidents(ctx context.Context) ([]*blotter.Incident, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+incidentColumns+` FROM incidents ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []*blotter.Incident{}
	for rows.Next() {
		var inc blotter.Incident
		if err := scanIncident(rows, &inc); err != nil {
			return nil, err
		}
		list = append(list, &inc)
	}
	return list, rows.Err()
}

// UpdateIncident applies upd to the incident as a new revision. Returns ENOTFOUND, EINVALID.
func (db *DB) UpdateIncident(ctx context.Context, id string, upd blotter.IncidentUpdate, by, reason string) (*blotter.Incident, error) {
	if strings.TrimSpace(by) == "" {
		return nil, blotter.Errorf(blotter.EINVALID, "the author of a change is empty")
	}
	var out *blotter.Incident
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		head, err := w.loadIncident(id)
		if err != nil {
			return err
		}
		inc := head.Incident
		upd.Apply(&inc)
		if inc == head.Incident {
			return blotter.Errorf(blotter.EINVALID, "nothing to change")
		}
		inc.Revision++
		if err := inc.Validate(); err != nil {
			return err
		}
		if err := w.putIncident(&inc); err != nil {
			return err
		}
		if _, err := w.appendRevision(head, blotter.RevisionContent{
			Subject: blotter.SubjectIncident, SubjectID: inc.ID, Revision: inc.Revision, Action: blotter.ActionEdit,
			By: by, At: blotter.FormatTime(db.now()), Reason: reason, Incident: &inc,
		}); err != nil {
			return err
		}
		out = &inc
		return nil
	})
	return out, err
}
