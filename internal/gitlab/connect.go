package gitlab

// Users, projects, and the check `blotter gitlab connect` runs.
// https://docs.gitlab.com/api/users/, https://docs.gitlab.com/api/projects/,
// https://docs.gitlab.com/api/personal_access_tokens/#get-single-personal-access-token

import (
	"context"
	"fmt"
	"slices"
	"strings"

	glapi "gitlab.com/gitlab-org/api/client-go"

	"github.com/blotterapp/blotter/internal/blotter"
)

// CurrentUser returns the user the token acts as. Errors: AuthFailed (401), NotGitLab, and the
// transport errors of any call.
func (c *Client) CurrentUser(ctx context.Context) (*User, error) {
	var u *glapi.User
	err := c.rest(ctx, "current user", false, func(o glapi.RequestOptionFunc) (err error) {
		u, _, err = c.gl.Users.CurrentUser(o)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := userFrom(u)
	return &out, nil
}

// Project returns a project by full path ("group/project") or numeric id. Errors: ENOTFOUND when
// it does not exist or the token's user cannot see it; a 403 naming the scope for a token that
// may not read projects.
func (c *Client) Project(ctx context.Context, pathOrID string) (*Project, error) {
	const op = "get project"
	if err := checkProject(op, pathOrID); err != nil {
		return nil, err
	}
	var p *glapi.Project
	err := c.rest(ctx, op, false, func(o glapi.RequestOptionFunc) (err error) {
		p, _, err = c.gl.Projects.GetProject(pathOrID, nil, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Project{ID: p.ID, Path: p.PathWithNamespace, Name: p.Name, WebURL: p.WebURL}, nil
}

// UserByUsername returns the user with that username (for assigning task issues). Errors:
// ENOTFOUND when there is none.
func (c *Client) UserByUsername(ctx context.Context, username string) (*User, error) {
	const op = "find user"
	username = strings.TrimPrefix(strings.TrimSpace(username), "@")
	if username == "" {
		return nil, &APIError{Op: op, Code: blotter.EINVALID, Message: "no username given"}
	}
	var list []*glapi.User
	err := c.rest(ctx, op, false, func(o glapi.RequestOptionFunc) (err error) {
		list, _, err = c.gl.Users.ListUsers(&glapi.ListUsersOptions{Username: &username}, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, u := range list {
		if strings.EqualFold(u.Username, username) {
			out := userFrom(u)
			return &out, nil
		}
	}
	return nil, &APIError{Op: op, Code: blotter.ENOTFOUND, Message: fmt.Sprintf("no GitLab user %q", username)}
}

// Check tries the connection as `blotter gitlab connect` does and says plainly what is wrong,
// each in its own error: the address is not a GitLab (an HTML page, a redirect, refused or
// unknown host), the token is refused (AuthFailed), the project does not exist or cannot be
// seen (ENOTFOUND), or the token lacks a scope (AuthFailed with Scope). Blotter writes, so a
// token GitLab says has only read scopes is refused here, before any sync.
func (c *Client) Check(ctx context.Context, projectPath string) (*Connection, error) {
	const op = "connect"
	if err := checkProject(op, projectPath); err != nil {
		return nil, err
	}
	u, err := c.CurrentUser(ctx)
	if err != nil {
		return nil, c.checkError(err, projectPath)
	}
	p, err := c.Project(ctx, projectPath)
	if err != nil {
		return nil, c.checkError(err, projectPath)
	}
	conn := &Connection{URL: c.base, User: *u, Project: *p}

	// A personal access token can tell its scopes (GitLab 15.5 and later); other tokens and
	// older GitLabs cannot, and that is not an error.
	var tok *glapi.PersonalAccessToken
	if err := c.rest(ctx, "token scopes", false, func(o glapi.RequestOptionFunc) (err error) {
		tok, _, err = c.gl.PersonalAccessTokens.GetSinglePersonalAccessToken(o)
		return err
	}); err == nil && tok != nil {
		conn.Scopes = tok.Scopes
		if len(tok.Scopes) > 0 && !slices.Contains(tok.Scopes, "api") {
			return nil, &APIError{Op: op, Code: blotter.EUNAVAILABLE, AuthFailed: true, Scope: "api",
				Message: fmt.Sprintf("the token has the scopes %s but Blotter needs api to write incidents; create a token with the api scope",
					strings.Join(tok.Scopes, ", "))}
		}
	}
	return conn, nil
}

// checkError rewords an error of Check for the person connecting.
func (c *Client) checkError(err error, projectPath string) error {
	e, ok := errorsAs[*APIError](err)
	if !ok {
		return err
	}
	out := *e
	out.Op = "connect"
	switch {
	case e.Status == 0 && e.Code == blotter.EUNAVAILABLE && !e.Uncertain && e.Retryable:
		out.Message = e.Message + ": check the GitLab address and the network"
	case e.AuthFailed && e.Scope != "":
		out.Message = fmt.Sprintf("the token lacks the scope GitLab requires (%s); create a token with the api scope",
			strings.Join(strings.Fields(e.Scope), " or "))
	case e.AuthFailed:
		out.Message = strings.Replace(e.Message, "GitLab refused", "GitLab at "+c.base+" refused", 1) + "; connect again with a new token"
	case e.Code == blotter.ENOTFOUND && e.Op == "get project":
		out.Message = fmt.Sprintf("no project %q at %s, or the token's user cannot see it", projectPath, c.base)
	}
	return &out
}
