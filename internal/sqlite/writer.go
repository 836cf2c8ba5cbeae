package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// writer is the one write path: every change to an incident or an entry (a note typed now, an
// edit, an imported record) goes through its methods inside one transaction, so the rules
// (index rows, revision, hash chain) live here once.
type writer struct {
	ctx     context.Context
	tx      *sql.Tx
	db      *DB
	extract blotter.ObservableExtractor
	stmts   map[string]*sql.Stmt // this transaction's handles on the DB's prepared statements
	// importing is set while an exported record is read in: its evidence files are named but
	// not held in this vault.
	importing bool
}

func (db *DB) newWriter(ctx context.Context, tx *sql.Tx) *writer {
	return &writer{ctx: ctx, tx: tx, db: db, extract: db.Extract, stmts: map[string]*sql.Stmt{}}
}

// exec runs a statement. Statements are prepared once per database on its one write
// connection; tx.StmtContext then reuses that preparation instead of compiling the SQL again
// for every note.
func (w *writer) exec(query string, args ...any) (sql.Result, error) {
	stmt, ok := w.stmts[query]
	if !ok {
		prepared, err := w.db.prepared(w.ctx, query)
		if err != nil {
			return nil, err
		}
		stmt = w.tx.StmtContext(w.ctx, prepared)
		w.stmts[query] = stmt
	}
	return stmt.ExecContext(w.ctx, args...)
}

func (w *writer) close() {
	for _, s := range w.stmts {
		s.Close()
	}
}

// incidentHead is an incident as a writer needs it: its state and the end of its log.
type incidentHead struct {
	blotter.Incident
	headSeq  int64
	headHash string
}

// loadIncident reads an incident inside the transaction. Returns ENOTFOUND.
func (w *writer) loadIncident(id string) (*incidentHead, error) {
	return loadIncidentHead(w.ctx, w.tx, id)
}

// loadIncidentHead reads an incident with the end of its log. Returns ENOTFOUND.
func loadIncidentHead(ctx context.Context, q queryer, id string) (*incidentHead, error) {
	row := q.QueryRowContext(ctx, `SELECT `+incidentColumns+`, head_seq, head_hash FROM incidents WHERE id = ?`, id)
	var h incidentHead
	if err := scanIncident(row, &h.Incident, &h.headSeq, &h.headHash); errors.Is(err, sql.ErrNoRows) {
		return nil, blotter.Errorf(blotter.ENOTFOUND, "no incident %q", id)
	} else if err != nil {
		return nil, err
	}
	return &h, nil
}

// appendChange adds the revision a change makes to the incident's log: c holds the subject and
// its new state; ch says who, why and from where. The one rule for reasons is checked here, and
// a remote id the change carries is recorded in the same transaction.
func (w *writer) appendChange(inc *incidentHead, c blotter.RevisionContent, ch blotter.Change, at time.Time) (*blotter.Revision, error) {
	if err := ch.Validate(c.Subject, c.Action); err != nil {
		return nil, err
	}
	c.By, c.Reason, c.Origin, c.At = ch.By, ch.Reason, ch.RecordedOrigin(), blotter.FormatTime(at)
	r, err := w.appendRevision(inc, c)
	if err != nil {
		return nil, err
	}
	if err := w.enqueue(inc.ID, c.Subject, c.SubjectID, r.Seq, ch.Origin, at); err != nil {
		return nil, err
	}
	if ch.Remote != nil {
		if err := w.putRemoteID(c.SubjectID, *ch.Remote); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// appendRevision adds the next link to the incident's log and moves the incident's head to it.
func (w *writer) appendRevision(inc *incidentHead, c blotter.RevisionContent) (*blotter.Revision, error) {
	c.IncidentID = inc.ID
	c.Seq = inc.headSeq + 1
	r, err := blotter.NewRevision(c, inc.headHash)
	if err != nil {
		return nil, err
	}
	if err := w.insertRevision(r); err != nil {
		return nil, err
	}
	inc.headSeq, inc.headHash = r.Seq, r.Hash
	return r, w.saveHead(inc)
}

// createEntry is the one way an entry comes to be: it completes e (id, times, first revision,
// tags, secret marks), checks it, stores and indexes it, and appends its first revision. A
// note, a capture, a task change's entry and a pulled event all come through here.
func (w *writer) createEntry(inc *incidentHead, e *blotter.Entry, ch blotter.Change, now time.Time) error {
	if e.ID == "" {
		e.ID = blotter.NewID()
	}
	e.IncidentID, e.Author = inc.ID, ch.By
	e.RecordedAt = now
	if e.OccurredAt.IsZero() {
		e.OccurredAt = now
	}
	e.OccurredAt = e.OccurredAt.UTC()
	e.Revision, e.Deleted = 1, false
	tags, err := blotter.NormalizeTags(e.Tags)
	if err != nil {
		return err
	}
	e.Tags = tags
	if e.Evidence == nil {
		e.Evidence = []blotter.Evidence{}
	}
	e.Secrets = w.db.markSecrets(e.Text)
	if err := e.Validate(); err != nil {
		return err
	}
	if err := w.insertEntry(e); err != nil {
		return err
	}
	_, err = w.appendChange(inc, blotter.RevisionContent{
		Subject: blotter.SubjectEntry, SubjectID: e.ID, Revision: 1, Action: blotter.ActionCreate, Entry: e,
	}, ch, now)
	return err
}

// unchanged is the one test of "nothing changed": the subject's state after the change is the
// state before it, field for field, as the record would hold it.
func unchanged(before, after any) bool { return sameJSON(before, after) }

// nothingToChange is the error for a change that leaves its subject as it was.
func nothingToChange(subject, id string) error {
	return blotter.Errorf(blotter.EINVALID, "nothing to change: the %s %s is like that already", subject, id)
}

// putRemoteID records the id a subject has in another system. An id already recorded for
// another subject is a conflict: two local subjects can never be one remote object.
func (w *writer) putRemoteID(subjectID string, ref blotter.RemoteRef) error {
	_, err := w.exec(`INSERT INTO remote_ids (subject_id, system, remote_id, version) VALUES (?, ?, ?, ?)
		ON CONFLICT (subject_id, system) DO UPDATE SET remote_id = excluded.remote_id, version = excluded.version`,
		subjectID, ref.System, ref.ID, ref.Version)
	if isUnique(err) {
		return blotter.Errorf(blotter.ECONFLICT, "the %s object %s is recorded for another subject already", ref.System, ref.ID)
	}
	return err
}

// enqueue puts a changed subject in the outbox of every system its incident is linked to,
// except the one the change came from: a change pulled from GitLab is not sent back to it. A
// subject already waiting is not queued twice; it waits for its latest revision.
func (w *writer) enqueue(incidentID, subject, subjectID string, seq int64, origin blotter.Origin, now time.Time) error {
	if w.importing {
		return nil // an imported record is linked to nothing here yet
	}
	targets, err := w.linkedTargets(incidentID)
	if err != nil {
		return err
	}
	for _, target := range targets {
		if blotter.Origin(target) == origin {
			continue
		}
		if _, err := w.exec(`INSERT INTO outbox (incident_id, target, subject, subject_id, seq, state, next_at, created_at)
				VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
				ON CONFLICT (target, subject_id) DO UPDATE SET seq = excluded.seq, state = 'pending',
					attempts = 0, next_at = excluded.next_at, last_error = ''`,
			incidentID, target, subject, subjectID, seq, nanos(now), nanos(now)); err != nil {
			return fmt.Errorf("queue for %s: %w", target, err)
		}
	}
	return nil
}

// linkedTargets returns the systems the incident is linked to.
func (w *writer) linkedTargets(incidentID string) ([]string, error) {
	stmt, err := w.db.prepared(w.ctx, `SELECT target FROM sync_links WHERE incident_id = ? ORDER BY target`)
	if err != nil {
		return nil, err
	}
	rows, err := w.tx.StmtContext(w.ctx, stmt).QueryContext(w.ctx, incidentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var targets []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		targets = append(targets, t)
	}
	return targets, rows.Err()
}

// insertRevision stores r as it is; the caller has checked that it follows the head.
func (w *writer) insertRevision(r *blotter.Revision) error {
	if _, err := w.exec(`INSERT INTO revisions (incident_id, seq, subject, subject_id, number, action,
			by_author, at, reason, content, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.IncidentID, r.Seq, r.Subject, r.SubjectID, r.Number, r.Action, r.By, r.At, r.Reason,
		r.Content, r.PrevHash, r.Hash); err != nil {
		return fmt.Errorf("insert revision: %w", err)
	}
	return nil
}

// saveHead records the end of the incident's log.
func (w *writer) saveHead(inc *incidentHead) error {
	_, err := w.exec(`UPDATE incidents SET head_seq = ?, head_hash = ? WHERE id = ?`, inc.headSeq, inc.headHash, inc.ID)
	return err
}

// putIncident writes the incident's state, inserting it if it is new.
func (w *writer) putIncident(inc *blotter.Incident) error {
	_, err := w.exec(`INSERT INTO incidents (id, title, severity, status, created_at, created_by, revision)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, severity = excluded.severity,
			status = excluded.status, revision = excluded.revision`,
		inc.ID, inc.Title, string(inc.Severity), string(inc.Status), nanos(inc.CreatedAt), inc.CreatedBy, inc.Revision)
	return err
}

// insertEntry stores a new entry and indexes it.
func (w *writer) insertEntry(e *blotter.Entry) error {
	tags, evidence, secrets, err := entryJSONColumns(e)
	if err != nil {
		return err
	}
	res, err := w.exec(`INSERT INTO entries (id, incident_id, kind, occurred_at, recorded_at, author, text,
			tags, evidence, secrets, source, revision, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.IncidentID, string(e.Kind), nanos(e.OccurredAt), nanos(e.RecordedAt), e.Author, e.Text,
		tags, evidence, secrets, sourceColumn(e), e.Revision, e.Deleted)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed: entries.id") {
			return blotter.Errorf(blotter.ECONFLICT, "an entry with id %s exists already", e.ID)
		}
		return fmt.Errorf("insert entry: %w", err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return err
	}
	for _, ev := range e.Evidence {
		if _, err := w.exec(`INSERT INTO evidence (sha256, size, media_type, held) VALUES (?, ?, ?, ?)
				ON CONFLICT (sha256) DO UPDATE SET held = max(held, excluded.held)`,
			ev.SHA256, ev.Size, ev.MediaType, !w.importing); err != nil {
			return fmt.Errorf("insert evidence: %w", err)
		}
	}
	return w.index(seq, e)
}

// updateEntry replaces the state of an existing entry (old) with e and re-indexes it.
func (w *writer) updateEntry(seq int64, old, e *blotter.Entry) error {
	if err := w.unindex(seq, old); err != nil {
		return err
	}
	tags, evidence, secrets, err := entryJSONColumns(e)
	if err != nil {
		return err
	}
	if _, err := w.exec(`UPDATE entries SET occurred_at = ?, text = ?, tags = ?, evidence = ?, secrets = ?,
			source = ?, revision = ?, deleted = ? WHERE seq = ?`,
		nanos(e.OccurredAt), e.Text, tags, evidence, secrets, sourceColumn(e), e.Revision, e.Deleted, seq); err != nil {
		return fmt.Errorf("update entry: %w", err)
	}
	return w.index(seq, e)
}

// index adds the rows that make a visible entry findable: tags, full text, observables.
// A deleted entry is kept but not indexed, so search and observables show only what the
// timeline shows.
func (w *writer) index(seq int64, e *blotter.Entry) error {
	if e.Deleted {
		return nil
	}
	for _, t := range e.Tags {
		if _, err := w.exec(`INSERT INTO entry_tags (tag, entry_seq) VALUES (?, ?) ON CONFLICT DO NOTHING`, t, seq); err != nil {
			return fmt.Errorf("index tags: %w", err)
		}
	}
	if _, err := w.exec(`INSERT INTO entry_fts (rowid, text, tags, files) VALUES (?, ?, ?, ?)`,
		seq, e.Text, strings.Join(e.Tags, " "), evidenceNames(e)); err != nil {
		return fmt.Errorf("index text: %w", err)
	}
	if w.extract == nil {
		return nil
	}
	for _, o := range w.extract(e.Text) {
		if _, err := w.exec(`INSERT INTO observables (incident_id, kind, value, entry_seq) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, e.IncidentID, o.Kind, o.Value, seq); err != nil {
			return fmt.Errorf("index observables: %w", err)
		}
	}
	return nil
}

// unindex removes what index added for the entry's old state.
func (w *writer) unindex(seq int64, old *blotter.Entry) error {
	if old.Deleted {
		return nil
	}
	if _, err := w.exec(`DELETE FROM entry_tags WHERE entry_seq = ? AND tag IN (SELECT value FROM json_each(?))`,
		seq, mustJSON(old.Tags)); err != nil {
		return fmt.Errorf("unindex tags: %w", err)
	}
	if _, err := w.exec(`DELETE FROM entry_fts WHERE rowid = ?`, seq); err != nil {
		return fmt.Errorf("unindex text: %w", err)
	}
	if _, err := w.exec(`DELETE FROM observables WHERE entry_seq = ?`, seq); err != nil {
		return fmt.Errorf("unindex observables: %w", err)
	}
	return nil
}

func evidenceNames(e *blotter.Entry) string {
	names := make([]string, len(e.Evidence))
	for i, ev := range e.Evidence {
		names[i] = ev.Name
	}
	return strings.Join(names, " ")
}

func entryJSONColumns(e *blotter.Entry) (tags, evidence, secrets string, err error) {
	t, ev, sec := e.Tags, e.Evidence, e.Secrets
	if t == nil {
		t = []string{}
	}
	if ev == nil {
		ev = []blotter.Evidence{}
	}
	if sec == nil {
		sec = []blotter.Secret{}
	}
	tb, err := json.Marshal(t)
	if err != nil {
		return "", "", "", err
	}
	eb, err := json.Marshal(ev)
	if err != nil {
		return "", "", "", err
	}
	sb, err := json.Marshal(sec)
	return string(tb), string(eb), string(sb), err
}

// sourceColumn is the entry's source as stored: its JSON, or "" for none.
func sourceColumn(e *blotter.Entry) string {
	if e.Source == nil {
		return ""
	}
	return mustJSON(e.Source)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
