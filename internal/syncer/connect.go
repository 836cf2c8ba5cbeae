package syncer

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/recorder"
)

// GitLabTokenEnv names the environment variable that holds the GitLab token. The token is
// never written to the database, logs or exports.
const GitLabTokenEnv = "BLOTTER_GITLAB_TOKEN"

// GitLabToken returns the token sync uses. Returns EUNAVAILABLE, saying where to put it.
func GitLabToken() (string, error) {
	if tok := strings.TrimSpace(os.Getenv(GitLabTokenEnv)); tok != "" {
		return tok, nil
	}
	return "", blotter.Errorf(blotter.EUNAVAILABLE, "no GitLab token: set %s to a personal access token with the api scope (keeping it in the OS keyring comes next)", GitLabTokenEnv)
}

// ConnectGitLab checks the token against GitLab (the user it acts as, the project and its
// scope) and stores the URL and project. It says plainly what is wrong: a bad URL, a refused
// token, no such project, a missing scope.
func ConnectGitLab(ctx context.Context, rec *recorder.Recorder, url, project string) (*gitlab.Connection, error) {
	token, err := GitLabToken()
	if err != nil {
		return nil, err
	}
	client, err := gitlab.New(url, token)
	if err != nil {
		return nil, err
	}
	conn, err := client.Check(ctx, project)
	if err != nil {
		return nil, err
	}
	return conn, rec.SetGitLabConnection(ctx, client.BaseURL(), conn.Project.Path)
}

// GitLabClient returns a client for the stored connection. Returns EUNAVAILABLE when GitLab
// is not connected or no token is at hand.
func GitLabClient(ctx context.Context, rec *recorder.Recorder) (*gitlab.Client, string, error) {
	url, project, err := rec.GitLabConnection(ctx)
	if err != nil {
		return nil, "", err
	}
	if url == "" || project == "" {
		return nil, "", blotter.Errorf(blotter.EUNAVAILABLE, "GitLab is not connected: connect it first (URL and project)")
	}
	token, err := GitLabToken()
	if err != nil {
		return nil, "", err
	}
	client, err := gitlab.New(url, token)
	return client, project, err
}

// LinkNewGitLabIncident creates the GitLab incident issue for a Blotter incident (its title,
// severity, a description saying Blotter keeps it) and links the two, queueing the record so
// far. A create whose answer was lost is found again by its marker, never made twice.
func LinkNewGitLabIncident(ctx context.Context, rec *recorder.Recorder, client *gitlab.Client, project string, inc *blotter.Incident) (*GitLabIncident, error) {
	if _, err := rec.SyncLink(ctx, inc.ID, GitLabName); err == nil {
		return nil, blotter.Errorf(blotter.ECONFLICT, "the incident is linked to GitLab already")
	}
	marker := "blotter:" + inc.ID
	started := time.Now().Add(-time.Hour)
	description := "This incident is kept with Blotter: its timeline is the responders' record, synced here as timeline events."
	issue, err := client.CreateIncident(ctx, project, inc.Title, description, marker)
	if err != nil && gitlab.IsUncertain(err) {
		if found, ferr := client.FindIssueByMarker(ctx, project, marker, started); ferr == nil && found != nil {
			issue, err = found, nil
		}
	}
	if err != nil {
		return nil, err
	}
	gi := &GitLabIncident{Project: project, IID: issue.IID, ID: issue.ID, WebURL: issue.WebURL}
	remote, _ := json.Marshal(gi)
	if err := rec.LinkIncident(ctx, inc.ID, GitLabName, string(remote)); err != nil {
		return nil, err
	}
	return gi, nil
}
