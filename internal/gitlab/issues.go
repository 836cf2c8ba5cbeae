package gitlab

// Task issues: created, changed and listed over REST, linked to their incident.
// https://docs.gitlab.com/api/issues/, https://docs.gitlab.com/api/issue_links/

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	glapi "gitlab.com/gitlab-org/api/client-go"

	"github.com/blotterapp/blotter/internal/blotter"
)

// CreateIssue creates an issue carrying marker (see marker.go). Title and description are sent
// as given: pass them through blotter.MaskSecrets and Neutralize first. When the call fails
// with Uncertain, FindIssueByMarker says whether GitLab made it.
func (c *Client) CreateIssue(ctx context.Context, project string, in NewIssue, marker string) (*Issue, error) {
	return c.createIssue(ctx, "create issue", project, in, marker)
}

func (c *Client) createIssue(ctx context.Context, op, project string, in NewIssue, marker string) (*Issue, error) {
	if err := checkProject(op, project); err != nil {
		return nil, err
	}
	if err := checkMarker(op, marker); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Title) == "" {
		return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: "the title is empty"}
	}
	opt := &glapi.CreateIssueOptions{
		Title:       glapi.Ptr(in.Title),
		Description: glapi.Ptr(withMarker(in.Description, marker)),
	}
	if in.Type != "" {
		opt.IssueType = glapi.Ptr(in.Type)
	}
	if len(in.Labels) > 0 {
		opt.Labels = (*glapi.LabelOptions)(&in.Labels)
	}
	if len(in.AssigneeIDs) > 0 {
		opt.AssigneeIDs = &in.AssigneeIDs
	}
	if in.DueDate != "" {
		d, err := glapi.ParseISOTime(in.DueDate)
		if err != nil {
			return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: fmt.Sprintf("due date %q is not YYYY-MM-DD", in.DueDate)}
		}
		opt.DueDate = &d
	}
	var is *glapi.Issue
	err := c.rest(ctx, op, true, func(o glapi.RequestOptionFunc) (err error) {
		is, _, err = c.gl.Issues.CreateIssue(project, opt, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	return issueFrom(is), nil
}

// UpdateIssue changes an issue: title, description (keeping its marker when Marker is set),
// labels added and removed (a board column is a scoped label), state, assignees and due date.
// Repeating the same update is harmless. Errors: EINVALID for an empty update.
func (c *Client) UpdateIssue(ctx context.Context, project string, iid int64, u IssueUpdate) (*Issue, error) {
	return c.updateIssue(ctx, "update issue", project, iid, u)
}

func (c *Client) updateIssue(ctx context.Context, op, project string, iid int64, u IssueUpdate) (*Issue, error) {
	if err := checkProject(op, project); err != nil {
		return nil, err
	}
	opt := &glapi.UpdateIssueOptions{}
	changed := false
	if u.Title != nil {
		if strings.TrimSpace(*u.Title) == "" {
			return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: "the title is empty"}
		}
		opt.Title, changed = u.Title, true
	}
	if u.Description != nil {
		d := *u.Description
		if u.Marker != "" {
			if err := checkMarker(op, u.Marker); err != nil {
				return nil, err
			}
			d = withMarker(d, u.Marker)
		}
		opt.Description, changed = &d, true
	}
	if len(u.AddLabels) > 0 {
		opt.AddLabels, changed = (*glapi.LabelOptions)(&u.AddLabels), true
	}
	if len(u.RemoveLabels) > 0 {
		opt.RemoveLabels, changed = (*glapi.LabelOptions)(&u.RemoveLabels), true
	}
	switch u.State {
	case "":
	case StateClose, StateReopen:
		opt.StateEvent, changed = glapi.Ptr(string(u.State)), true
	default:
		return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: fmt.Sprintf("state %q is not close or reopen", u.State)}
	}
	if u.AssigneeIDs != nil {
		ids := append([]int64{}, (*u.AssigneeIDs)...)
		opt.AssigneeIDs, changed = &ids, true
	}
	if u.DueDate != nil {
		if *u.DueDate == "" {
			opt.ResetDueDate = true
		} else {
			d, err := glapi.ParseISOTime(*u.DueDate)
			if err != nil {
				return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: fmt.Sprintf("due date %q is not YYYY-MM-DD", *u.DueDate)}
			}
			opt.DueDate = &d
		}
		changed = true
	}
	if !changed {
		return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: "nothing to change"}
	}
	var is *glapi.Issue
	err := c.rest(ctx, op, true, func(o glapi.RequestOptionFunc) (err error) {
		is, _, err = c.gl.Issues.UpdateIssue(project, iid, opt, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	return issueFrom(is), nil
}

// LinkIssues links issue iid of project to targetIID of targetProject (the same project or
// another), as typ says from the source's side (relates_to when empty). Errors: ECONFLICT
// (IsConflict) when the two are already linked, which after a lost answer means it worked;
// ENOTFOUND when either issue does not exist.
func (c *Client) LinkIssues(ctx context.Context, project string, iid int64, targetProject string, targetIID int64, typ LinkType) error {
	const op = "link issues"
	if err := checkProject(op, project); err != nil {
		return err
	}
	if err := checkProject(op, targetProject); err != nil {
		return err
	}
	if typ == "" {
		typ = LinkRelatesTo
	}
	opt := &glapi.CreateIssueLinkOptions{
		TargetProjectID: glapi.Ptr(targetProject),
		TargetIssueIID:  glapi.Ptr(strconv.FormatInt(targetIID, 10)),
		LinkType:        glapi.Ptr(string(typ)),
	}
	return c.rest(ctx, op, true, func(o glapi.RequestOptionFunc) error {
		_, _, err := c.gl.IssueLinks.CreateIssueLink(project, iid, opt, o)
		return err
	})
}

// LinkedIssues returns the issues linked to issue iid of project (GitLab's "Linked items"),
// in the order they were linked; issues the token's user cannot see are left out by GitLab.
func (c *Client) LinkedIssues(ctx context.Context, project string, iid int64) ([]Issue, error) {
	const op = "list linked issues"
	if err := checkProject(op, project); err != nil {
		return nil, err
	}
	var out []Issue
	err := c.rest(ctx, op, false, func(o glapi.RequestOptionFunc) error {
		// client-go's IssueRelation leaves out issue_type, which tells the incidents linked to
		// an incident from its tasks: the same request, read into a struct that has it.
		req, err := c.gl.NewRequest(http.MethodGet, fmt.Sprintf("projects/%s/issues/%d/links", glapi.PathEscape(project), iid), nil, []glapi.RequestOptionFunc{o})
		if err != nil {
			return err
		}
		var list []struct {
			glapi.IssueRelation
			IssueType string `json:"issue_type"`
		}
		if _, err := c.gl.Do(req, &list); err != nil {
			return err
		}
		out = out[:0]
		for i := range list {
			out = append(out, *relatedIssueFrom(&list[i].IssueRelation, list[i].IssueType))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Issues returns the project's issues (incidents included, open and closed) that carry every
// label in labels and were updated at or after updatedAfter (zero: all), reading every page,
// oldest update first. Pages are read newest first, so an issue updated while they are read is
// seen twice (and returned once) rather than skipped.
func (c *Client) Issues(ctx context.Context, project string, labels []string, updatedAfter time.Time) ([]Issue, error) {
	const op = "list issues"
	if err := checkProject(op, project); err != nil {
		return nil, err
	}
	opt := &glapi.ListProjectIssuesOptions{
		ListOptions: glapi.ListOptions{PerPage: perPage},
		OrderBy:     glapi.Ptr("updated_at"),
		Sort:        glapi.Ptr("desc"),
	}
	if len(labels) > 0 {
		opt.Labels = (*glapi.LabelOptions)(&labels)
	}
	if !updatedAfter.IsZero() {
		opt.UpdatedAfter = glapi.Ptr(updatedAfter.UTC())
	}
	seen := map[int64]bool{}
	var out []Issue
	err := c.pages(ctx, op, func(page int64, o glapi.RequestOptionFunc) (int64, bool, error) {
		opt.Page = page
		list, resp, err := c.gl.Issues.ListProjectIssues(project, opt, o)
		if err != nil {
			return 0, false, err
		}
		for _, is := range list {
			if !seen[is.ID] {
				seen[is.ID] = true
				out = append(out, *issueFrom(is))
			}
		}
		return resp.NextPage, false, nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].UpdatedAt.Equal(out[j].UpdatedAt) {
			return out[i].UpdatedAt.Before(out[j].UpdatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// FindIssueByMarker returns the oldest issue of the project whose description carries marker,
// or nil if there is none. createdAfter (zero: no bound) limits the search to issues GitLab
// created after it: pass a time comfortably before the first attempt to create, since GitLab's
// clock is not this machine's.
func (c *Client) FindIssueByMarker(ctx context.Context, project, marker string, createdAfter time.Time) (*Issue, error) {
	const op = "find issue"
	if err := checkProject(op, project); err != nil {
		return nil, err
	}
	if err := checkMarker(op, marker); err != nil {
		return nil, err
	}
	opt := &glapi.ListProjectIssuesOptions{
		ListOptions: glapi.ListOptions{PerPage: perPage},
		OrderBy:     glapi.Ptr("created_at"),
		Sort:        glapi.Ptr("asc"),
	}
	if !createdAfter.IsZero() {
		opt.CreatedAfter = glapi.Ptr(createdAfter.UTC())
	}
	var found *Issue
	err := c.pages(ctx, op, func(page int64, o glapi.RequestOptionFunc) (int64, bool, error) {
		opt.Page = page
		list, resp, err := c.gl.Issues.ListProjectIssues(project, opt, o)
		if err != nil {
			return 0, false, err
		}
		for _, is := range list {
			if containsMarker(is.Description, marker) {
				found = issueFrom(is)
				return 0, true, nil
			}
		}
		return resp.NextPage, false, nil
	})
	if err != nil {
		return nil, err
	}
	return found, nil
}
