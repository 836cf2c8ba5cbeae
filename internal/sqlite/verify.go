package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Verify checks an incident's record, in one consistent snapshot: every link of its revision
// log, that the log ends where the incident says it ends, and that the incident and each of its
// entries are exactly the state their last revision holds. A report with a Problem means the
// record does not check out; an error means the check itself could not run.
func (db *DB) Verify(ctx context.Context, incidentID string) (*blotter.VerifyReport, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	var (
		report   = &blotter.VerifyReport{IncidentID: incidentID}
		verifier = blotter.NewChainVerifier(incidentID)
		incState *blotter.Incident
	)
	head, err := loadIncidentHead(ctx, tx, incidentID)
	if err != nil {
		return nil, err
	}
	report.Title = head.Title

	// Walk the log.
	err = eachRevision(ctx, tx, `WHERE incident_id = ? ORDER BY seq`, []any{incidentID}, func(r *blotter.Revision) error {
		c, err := verifier.Check(r)
		if err != nil {
			return err
		}
		if c.Incident != nil {
			incState = c.Incident
		}
		return nil
	})
	report.Revisions, report.Head = verifier.Count(), verifier.Head()
	if problem, err := asProblem(err); problem != "" || err != nil {
		report.Problem = problem
		return report, err
	}

	// The log must end where the incident says, and the incident must be its last state.
	switch {
	case verifier.Count() != head.headSeq || verifier.Head() != head.headHash:
		report.Problem = fmt.Sprintf("the log ends at revision %d, but the incident records %d revisions: revisions were removed or added", verifier.Count(), head.headSeq)
		return report, nil
	case incState == nil || !sameJSON(incState, &head.Incident):
		report.Problem = fmt.Sprintf("incident %s differs from its last revision: it was changed outside Blotter", incidentID)
		return report, nil
	}

	// Each entry must be the state its last revision holds.
	rows, err := tx.QueryContext(ctx, `SELECT `+prefixed("e.", entryColumns)+`, r.content FROM entries e
		LEFT JOIN revisions r ON r.subject_id = e.id AND r.number = e.revision AND r.incident_id = e.incident_id
		WHERE e.incident_id = ? ORDER BY e.seq`, incidentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var content sql.NullString
		_, e, err := scanEntryWith(rows, &content)
		if problem, err := asProblem(err); problem != "" || err != nil {
			report.Problem = problem // a damaged row is a finding, never the end of the check
			return report, err
		}
		report.Entries++
		if problem := checkEntry(e, content.String, verifier); problem != "" {
			report.Problem = problem
			return report, nil
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if problem, err := verifyTasks(ctx, tx, incidentID, verifier, report); problem != "" || err != nil {
		report.Problem = problem
		return report, err
	}
	if problem, err := verifyDocuments(ctx, tx, incidentID, verifier, report); problem != "" || err != nil {
		report.Problem = problem
		return report, err
	}
	if subjects, held := int64(verifier.Subjects()-1), report.Entries+report.Tasks+report.Documents; held != subjects {
		report.Problem = fmt.Sprintf("the log has %d entries, tasks and documents but the timeline, the board and the documents hold %d: some were removed or added outside Blotter", subjects, held)
	}
	return report, nil
}

// verifyTasks checks that each task on the board is the state its last revision holds.
func verifyTasks(ctx context.Context, tx *sql.Tx, incidentID string, verifier *blotter.ChainVerifier, report *blotter.VerifyReport) (string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+prefixed("t.", taskColumns)+`, r.content FROM tasks t
		LEFT JOIN revisions r ON r.subject_id = t.id AND r.number = t.revision AND r.incident_id = t.incident_id
		WHERE t.incident_id = ? ORDER BY t.seq`, incidentID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var content sql.NullString
		t, err := scanTaskWith(rows, &content)
		if err != nil {
			return "", err
		}
		report.Tasks++
		var c blotter.RevisionContent
		if verifier.Latest(t.ID) != t.Revision || content.String == "" || json.Unmarshal([]byte(content.String), &c) != nil || c.Task == nil {
			return fmt.Sprintf("task %s is at revision %d, which its log does not have: it was changed outside Blotter", t.ID, t.Revision), nil
		}
		if !sameJSON(c.Task, t) {
			return fmt.Sprintf("task %s differs from its last revision: it was changed outside Blotter", t.ID), nil
		}
	}
	return "", rows.Err()
}

// checkEntry compares an entry row with the state in its last revision's content.
func checkEntry(e *blotter.Entry, content string, verifier *blotter.ChainVerifier) string {
	if verifier.Latest(e.ID) != e.Revision || content == "" {
		return fmt.Sprintf("entry %s is at revision %d, which its log does not have (last: %d): it was changed outside Blotter",
			e.ID, e.Revision, verifier.Latest(e.ID))
	}
	var c blotter.RevisionContent
	if err := json.Unmarshal([]byte(content), &c); err != nil || c.Entry == nil {
		return fmt.Sprintf("entry %s: its revision cannot be read", e.ID)
	}
	if !sameJSON(c.Entry, e) {
		return fmt.Sprintf("entry %s differs from its last revision: it was changed outside Blotter", e.ID)
	}
	return ""
}

// asProblem separates a record that does not check out (an EINVALID from the verifier) from a
// failure to read it.
// asProblem turns what verify found (an invalid revision, a damaged row) into a finding; any
// other error means the check itself could not run.
func asProblem(err error) (string, error) {
	if blotter.ErrorCode(err) == blotter.EINVALID || blotter.ErrorField(err) == blotter.FieldDamaged {
		return blotter.ErrorMessage(err), nil
	}
	return "", err
}

// DamagedRows reads every incident, entry and task row as Blotter reads them and returns a
// finding for each one that cannot be read: verify lists them all, where the other commands
// stop at the first or leave it out.
func (db *DB) DamagedRows(ctx context.Context) ([]string, error) {
	var found []string
	rows, err := db.read.QueryContext(ctx, `SELECT `+entryColumns+` FROM entries ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		if _, _, err := scanEntry(rows); blotter.ErrorField(err) == blotter.FieldDamaged {
			found = append(found, blotter.ErrorMessage(err))
		} else if err != nil {
			rows.Close()
			return nil, err
		}
	}
	rows.Close()
	rows, err = db.read.QueryContext(ctx, `SELECT `+taskColumns+` FROM tasks ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		if _, err := scanTask(rows); blotter.ErrorField(err) == blotter.FieldDamaged {
			found = append(found, blotter.ErrorMessage(err))
		} else if err != nil {
			return nil, err
		}
	}
	return found, rows.Err()
}

func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// EvidenceRef is an evidence file the record names.
type EvidenceRef struct {
	SHA256 string
	Size   int64
	Held   bool // this machine's vault stored it
}

// EachEvidence calls fn with every evidence file the database names.
func (db *DB) EachEvidence(ctx context.Context, fn func(EvidenceRef) error) error {
	rows, err := db.read.QueryContext(ctx, `SELECT sha256, size, held FROM evidence ORDER BY sha256`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ref EvidenceRef
		if err := rows.Scan(&ref.SHA256, &ref.Size, &ref.Held); err != nil {
			return err
		}
		if err := fn(ref); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EvidenceNamed reports whether any record names the evidence file with the given digest.
func (db *DB) EvidenceNamed(ctx context.Context, sha256 string) (bool, error) {
	var named bool
	err := db.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM evidence WHERE sha256 = ?)`, sha256).Scan(&named)
	return named, err
}

// CheckSearchIndex runs FTS5's integrity check on the full-text index and returns what is
// wrong with it, or "" when it is sound. The index is not part of the hashed record (it is
// rebuilt from it), but a damaged one makes search fail, so verify must say so.
func (db *DB) CheckSearchIndex(ctx context.Context) (string, error) {
	if db.readOnly != "" {
		return "", nil // FTS5 checks through a write statement; a read-only record is not checked
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO entry_fts (entry_fts) VALUES ('integrity-check')`)
		return err
	})
	if err == nil {
		return "", nil
	}
	// FTS5 reports damage as SQLITE_CORRUPT_VTAB, or as "fts5: corruption found …".
	if sqliteCode(err) == codeCorrupt || strings.Contains(err.Error(), "corrupt") {
		return "the full-text search index is damaged (" + err.Error() + "): search may fail or miss entries", nil
	}
	return "", err
}
