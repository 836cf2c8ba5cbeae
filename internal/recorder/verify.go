package recorder

import (
	"context"
	"fmt"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// VerifyResult is what a check of the whole data dir found.
type VerifyResult struct {
	Incidents []*blotter.VerifyReport `json:"incidents"`
	Evidence  int                     `json:"evidence_checked"`
	NotHeld   int                     `json:"evidence_not_held"` // named by imported records only
	Problems  []string                `json:"problems"`
}

// OK reports whether everything checked out.
func (r *VerifyResult) OK() bool { return len(r.Problems) == 0 }

// Verify checks every incident's record and rehashes every evidence file this vault stored.
func (r *Recorder) Verify(ctx context.Context) (*VerifyResult, error) {
	res := &VerifyResult{Incidents: []*blotter.VerifyReport{}, Problems: []string{}}
	incidents, err := r.db.ListIncidents(ctx)
	if err != nil {
		return nil, err
	}
	damagedRows, err := r.db.DamagedRows(ctx)
	if err != nil {
		return nil, err
	}
	res.Problems = append(res.Problems, damagedRows...)
	for _, inc := range incidents {
		report, err := r.db.Verify(ctx, inc.ID)
		if err != nil {
			return nil, fmt.Errorf("verify incident %s: %w", inc.ID, err)
		}
		res.Incidents = append(res.Incidents, report)
		if !report.OK() {
			res.Problems = append(res.Problems, fmt.Sprintf("incident %s (%s): %s", inc.ID, inc.Title, report.Problem))
		}
	}
	err = r.db.EachEvidence(ctx, func(ref sqlite.EvidenceRef) error {
		err := r.vault.Check(ref.SHA256, ref.Size)
		switch {
		case err == nil:
			res.Evidence++
		case !ref.Held && blotter.ErrorCode(err) == blotter.ENOTFOUND:
			res.NotHeld++
		case blotter.ErrorCode(err) == blotter.EINVALID || blotter.ErrorCode(err) == blotter.ENOTFOUND:
			res.Problems = append(res.Problems, blotter.ErrorMessage(err))
		default:
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A file in the vault that no record names was added behind Blotter's back, or its
	// record was lost: either way the data dir is not what the record says it is.
	err = r.vault.Each(func(sha string) error {
		named, err := r.db.EvidenceNamed(ctx, sha)
		if err == nil && !named {
			res.Problems = append(res.Problems, fmt.Sprintf("the vault holds a file that no record names: %s", r.vault.Path(sha)))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	problem, err := r.db.CheckSearchIndex(ctx)
	if err != nil {
		return nil, err
	}
	if problem != "" {
		res.Problems = append(res.Problems, problem)
	}
	return res, nil
}

// VerifyIncident checks one incident's record (its chain and its rows, not the vault): what an
// export states about the record it carries. Returns ENOTFOUND.
func (r *Recorder) VerifyIncident(ctx context.Context, incidentID string) (*blotter.VerifyReport, error) {
	return r.db.Verify(ctx, incidentID)
}

// EntriesWithSecrets counts the incident's entries whose text holds marked secrets: what an
// exact (unmasked) export would carry.
func (r *Recorder) EntriesWithSecrets(ctx context.Context, incidentID string) (int, error) {
	return r.db.EntriesWithSecrets(ctx, incidentID)
}
