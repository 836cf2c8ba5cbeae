package gitlab

// Comments on incidents and task issues. https://docs.gitlab.com/api/notes/

import (
	"context"
	"sort"
	"strings"
	"time"

	glapi "gitlab.com/gitlab-org/api/client-go"

	"github.com/blotterapp/blotter/internal/blotter"
)

// CreateNote comments on issue iid carrying marker (see marker.go). The body is sent as given:
// pass it through blotter.MaskSecrets and Neutralize first (GitLab runs quick actions in notes).
// When the call fails with Uncertain, FindNoteByMarker says whether GitLab made it. Errors:
// EINVALID for an empty body, and GitLab's 429 when its notes rate limit is reached.
func (c *Client) CreateNote(ctx context.Context, project string, iid int64, body, marker string) (*Note, error) {
	const op = "create note"
	if err := checkProject(op, project); err != nil {
		return nil, err
	}
	if err := checkMarker(op, marker); err != nil {
		return nil, err
	}
	if strings.TrimSpace(body) == "" {
		// With the marker GitLab would accept it, as a note that shows nothing.
		return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: "the note is empty"}
	}
	opt := &glapi.CreateIssueNoteOptions{Body: glapi.Ptr(withMarker(body, marker))}
	var n *glapi.Note
	err := c.rest(ctx, op, true, func(o glapi.RequestOptionFunc) (err error) {
		n, _, err = c.gl.Notes.CreateIssueNote(project, iid, opt, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := noteFrom(n)
	return &out, nil
}

// Notes returns the notes of issue iid updated at or after since (zero: all), system notes
// included (Note.System), reading every page of 100, in the order they were written. Pages are
// read most recently updated first and stop at the first page older than since; a note edited
// while they are read is seen twice (and returned once) rather than skipped.
func (c *Client) Notes(ctx context.Context, project string, iid int64, since time.Time) ([]Note, error) {
	const op = "list notes"
	if err := checkProject(op, project); err != nil {
		return nil, err
	}
	out, err := c.listNotes(ctx, op, project, iid, "updated_at", func(n *Note) time.Time { return n.UpdatedAt }, since)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FindNoteByMarker returns the oldest note of issue iid whose body carries marker, or nil if
// there is none. since (zero: no bound) skips notes GitLab created before it: pass a time
// comfortably before the first attempt to create, since GitLab's clock is not this machine's.
func (c *Client) FindNoteByMarker(ctx context.Context, project string, iid int64, marker string, since time.Time) (*Note, error) {
	const op = "find note"
	if err := checkProject(op, project); err != nil {
		return nil, err
	}
	if err := checkMarker(op, marker); err != nil {
		return nil, err
	}
	notes, err := c.listNotes(ctx, op, project, iid, "created_at", func(n *Note) time.Time { return n.CreatedAt }, since)
	if err != nil {
		return nil, err
	}
	for i := range notes {
		if !notes[i].System && notes[i].HasMarker(marker) {
			return &notes[i], nil
		}
	}
	return nil, nil
}

// listNotes pages through an issue's notes ordered by orderBy, newest first, until a page ends
// before since; it returns those at or after since, deduplicated, oldest written first.
func (c *Client) listNotes(ctx context.Context, op, project string, iid int64, orderBy string, at func(*Note) time.Time, since time.Time) ([]Note, error) {
	opt := &glapi.ListIssueNotesOptions{
		ListOptions: glapi.ListOptions{PerPage: perPage},
		OrderBy:     glapi.Ptr(orderBy),
		Sort:        glapi.Ptr("desc"),
	}
	seen := map[int64]bool{}
	var out []Note
	err := c.pages(ctx, op, func(page int64, o glapi.RequestOptionFunc) (int64, bool, error) {
		opt.Page = page
		list, resp, err := c.gl.Notes.ListIssueNotes(project, iid, opt, o)
		if err != nil {
			return 0, false, err
		}
		older := false
		for _, gn := range list {
			n := noteFrom(gn)
			if !since.IsZero() && at(&n).Before(since) {
				older = true
				continue
			}
			if !seen[n.ID] {
				seen[n.ID] = true
				out = append(out, n)
			}
		}
		return resp.NextPage, older, nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}
