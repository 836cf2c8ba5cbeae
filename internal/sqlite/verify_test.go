package sqlite_test

import (
	"context"
	"testing"

	"github.com/blotterapp/blotter/internal/blotter"
)

func TestVerifyDetectsTampering(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  string
	}{
		{"entry text changed", `UPDATE entries SET text = 'nothing happened' WHERE id = ?1`, "differs from its last revision"},
		{"entry time changed", `UPDATE entries SET occurred_at = occurred_at + 1 WHERE id = ?1`, "differs from its last revision"},
		{"entry undeleted", `UPDATE entries SET deleted = 0 WHERE deleted = 1 AND ?1 != ''`, "differs from its last revision"},
		{"entry removed", `DELETE FROM entries WHERE id = ?1`, "removed or added outside Blotter"},
		{"entry moved to a revision it lacks", `UPDATE entries SET revision = 7 WHERE id = ?1`, "which its log does not have"},
		{"revision content changed", `UPDATE revisions SET content = replace(content, 'malware', 'nothing') WHERE subject_id = ?1`, "has been altered"},
		{"revision removed", `DELETE FROM revisions WHERE subject_id = ?1 AND number = 2`, "is missing from the log"},
		{"last revision removed", `DELETE FROM revisions WHERE seq = (SELECT max(seq) FROM revisions) AND ?1 != ''`, "revisions were removed or added"},
		{"incident renamed", `UPDATE incidents SET title = 'Drill' WHERE ?1 != ''`, "differs from its last revision"},
		{"revision reattributed", `UPDATE revisions SET by_author = 'eve' WHERE subject_id = ?1`, "do not match its hashed content"},
		{"RCA rewritten", `UPDATE documents SET body = 'all fine' WHERE ?1 != ''`, "document"},
		{"RCA removed", `DELETE FROM documents WHERE ?1 != ''`, "removed or added outside Blotter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := MustOpenDB(t)
			inc := mustIncident(t, db)
			mustNote(t, db, inc, "before")
			e := mustNote(t, db, inc, "found malware on host")
			text := "found malware on host-7"
			if _, err := db.EditEntry(ctx, e.ID, blotter.EntryUpdate{Text: &text}, blotter.Change{By: "ana", Reason: "which host"}); err != nil {
				t.Fatal(err)
			}
			gone := mustNote(t, db, inc, "noise")
			if _, err := db.DeleteEntry(ctx, gone.ID, blotter.Change{By: "ana", Reason: "noise"}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SaveDocument(ctx, inc.ID, blotter.DocumentRCA, "# RCA\nmalware on host-7", 0, blotter.Change{By: "ana"}); err != nil {
				t.Fatal(err)
			}
			mustVerify(t, db, inc)

			rawExec(t, db, tt.query, e.ID)
			rep, err := db.Verify(ctx, inc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || !contains(rep.Problem, tt.want) {
				t.Errorf("Verify() problem = %q, want one containing %q", rep.Problem, tt.want)
			}
		})
	}
}

func TestVerifyUnknownIncident(t *testing.T) {
	db := MustOpenDB(t)
	if _, err := db.Verify(context.Background(), blotter.NewID()); blotter.ErrorCode(err) != blotter.ENOTFOUND {
		t.Fatalf("Verify(unknown) = %v, want ENOTFOUND", err)
	}
}
