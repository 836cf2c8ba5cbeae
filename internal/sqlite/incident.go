package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
)

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

// SettingActiveIncident is the setting that names the incident new entries go to.
const SettingActiveIncident = "active_incident"

// CreateIncident fills in the id, creation time, status and revision of inc and stores it with
// its first revision, as made by ch.By; with activate, it becomes the active incident in the
// same transaction. Returns EINVALID.
func (db *DB) CreateIncident(ctx context.Context, inc *blotter.Incident, ch blotter.Change, activate bool) error {
	inc.ID = blotter.NewID()
	inc.Title = strings.TrimSpace(inc.Title)
	inc.CreatedAt, inc.CreatedBy = db.now(), ch.By
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
		if _, err := w.appendChange(&incidentHead{Incident: *inc}, blotter.RevisionContent{
			Subject: blotter.SubjectIncident, SubjectID: inc.ID, Revision: 1, Action: blotter.ActionCreate, Incident: inc,
		}, ch, inc.CreatedAt); err != nil {
			return err
		}
		if activate {
			return w.putSetting(SettingActiveIncident, inc.ID)
		}
		return nil
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

// UpdateIncident applies upd to the incident as a new revision, and puts an entry on the
// timeline that says what changed (so the record tells when it was mitigated), in one
// transaction. Returns ENOTFOUND, EINVALID (including a change that changes nothing).
func (db *DB) UpdateIncident(ctx context.Context, id string, upd blotter.IncidentUpdate, ch blotter.Change) (*blotter.Incident, error) {
	if err := ch.Validate(blotter.SubjectIncident, blotter.ActionEdit); err != nil {
		return nil, err
	}
	var out *blotter.Incident
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		w := db.newWriter(ctx, tx)
		defer w.close()
		head, err := w.loadIncident(id)
		if err != nil {
			return err
		}
		old := head.Incident
		inc := old
		upd.Apply(&inc)
		if unchanged(&old, &inc) {
			return nothingToChange("incident", id)
		}
		inc.Revision++
		if err := inc.Validate(); err != nil {
			return err
		}
		if err := w.putIncident(&inc); err != nil {
			return err
		}
		now := db.now()
		if _, err := w.appendChange(head, blotter.RevisionContent{
			Subject: blotter.SubjectIncident, SubjectID: inc.ID, Revision: inc.Revision, Action: blotter.ActionEdit, Incident: &inc,
		}, ch, now); err != nil {
			return err
		}
		head.Incident = inc
		text := blotter.DescribeIncidentChange(ch.By, &old, &inc)
		if ch.Reason != "" {
			text += " (" + ch.Reason + ")"
		}
		entryChange := ch
		entryChange.Remote, entryChange.Reason = nil, ""
		if err := w.createEntry(head, &blotter.Entry{Kind: blotter.KindSystem, Text: text}, entryChange, now); err != nil {
			return err
		}
		out = &inc
		return nil
	})
	return out, err
}
