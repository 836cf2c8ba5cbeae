package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/recorder"
)

// GitLabTokenEnv names the environment variable that holds the GitLab token (CI, headless
// machines): when set it is used and nothing is stored.
const GitLabTokenEnv = "BLOTTER_GITLAB_TOKEN"

// keyringService is the name Blotter's secrets have in the OS keyring (Secret Service on
// Linux, Keychain on macOS, Credential Manager on Windows).
const keyringService = "blotter"

func keyringUser(url string) string { return "gitlab " + url }

// errNoSession is why there is no keyring where no D-Bus session is: the Secret Service is a
// D-Bus service, and asking for it there would autolaunch a session bus (and a keyring daemon)
// that nothing ever stops.
var errNoSession = errors.New("no D-Bus session, so no Secret Service")

// keyringGet, keyringSet and keyringDelete reach the OS keyring, or fail at once without a
// D-Bus session on Linux.
func keyringGet(user string) (string, error) {
	if noSession() {
		return "", errNoSession
	}
	return keyring.Get(keyringService, user)
}

func keyringSet(user, secret string) error {
	if noSession() {
		return errNoSession
	}
	return keyring.Set(keyringService, user, secret)
}

func keyringDelete(user string) error {
	if noSession() {
		return keyring.ErrNotFound // nothing can be stored where there is no keyring
	}
	return keyring.Delete(keyringService, user)
}

func noSession() bool {
	return runtime.GOOS == "linux" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == ""
}

// GitLabToken returns the token for the GitLab at url and where it came from ("environment"
// or "keyring"). The token is never written to the database, logs, exports or arguments.
// Returns EUNAVAILABLE, saying how to give one.
func GitLabToken(url string) (token, source string, err error) {
	if tok := strings.TrimSpace(os.Getenv(GitLabTokenEnv)); tok != "" {
		return tok, "environment", nil
	}
	tok, err := keyringGet(keyringUser(url))
	switch {
	case err == nil && tok != "":
		return tok, "keyring", nil
	case err == nil || errors.Is(err, keyring.ErrNotFound):
		return "", "", blotter.Errorf(blotter.EUNAVAILABLE, "no GitLab token for %s: connect again with the token on standard input, or set %s", url, GitLabTokenEnv)
	}
	return "", "", blotter.Errorf(blotter.EUNAVAILABLE, "the OS keyring cannot be reached (%v): set %s to the token instead", err, GitLabTokenEnv)
}

// ConnectGitLab checks a token against GitLab (the user it acts as, the project and its
// scope) and stores the URL and project; a token given here (not from the environment) is
// kept in the OS keyring, and never in a file. It says plainly what is wrong: a bad URL, a
// refused token, no such project, a missing scope, no keyring.
func ConnectGitLab(ctx context.Context, rec *recorder.Recorder, url, project, token string) (*gitlab.Connection, error) {
	fromEnv := false
	if token = strings.TrimSpace(token); token == "" {
		if token = strings.TrimSpace(os.Getenv(GitLabTokenEnv)); token == "" {
			return nil, blotter.Errorf(blotter.EUNAVAILABLE, "no GitLab token: give it on standard input (it goes to the OS keyring), or set %s", GitLabTokenEnv)
		}
		fromEnv = true
	}
	client, err := gitlab.New(url, token)
	if err != nil {
		return nil, err
	}
	conn, err := client.Check(ctx, project)
	if err != nil {
		return nil, err
	}
	if !fromEnv {
		if err := keyringSet(keyringUser(client.BaseURL()), token); err != nil {
			return nil, blotter.Errorf(blotter.EUNAVAILABLE, "the token is good, but the OS keyring cannot keep it (%v): set %s instead; Blotter never writes it to a file", err, GitLabTokenEnv)
		}
	}
	return conn, rec.SetGitLabConnection(ctx, client.BaseURL(), conn.Project.Path)
}

// DisconnectGitLab forgets the GitLab connection and the token kept in the keyring.
func DisconnectGitLab(ctx context.Context, rec *recorder.Recorder) error {
	url, _, err := rec.GitLabConnection(ctx)
	if err != nil {
		return err
	}
	if url != "" {
		if err := keyringDelete(keyringUser(url)); err != nil && !errors.Is(err, keyring.ErrNotFound) && os.Getenv(GitLabTokenEnv) == "" {
			return blotter.Errorf(blotter.EUNAVAILABLE, "the token could not be removed from the OS keyring: %v", err)
		}
	}
	return rec.SetGitLabConnection(ctx, "", "")
}

// fieldNotConnected marks the error of a data dir that has no GitLab connection: local only,
// which is normal, not a failure.
const fieldNotConnected = "gitlab_connection"

// GitLabClient returns a client for the stored connection. Returns EUNAVAILABLE when GitLab
// is not connected or no token is at hand.
func GitLabClient(ctx context.Context, rec *recorder.Recorder) (*gitlab.Client, string, error) {
	url, project, err := rec.GitLabConnection(ctx)
	if err != nil {
		return nil, "", err
	}
	if url == "" || project == "" {
		return nil, "", blotter.FieldErrorf(blotter.EUNAVAILABLE, fieldNotConnected, "GitLab is not connected: connect it first (URL and project)")
	}
	token, _, err := GitLabToken(url)
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

// IssueNumber reads an issue's number from "12", "#12" or its URL (…/-/issues/12,
// …/-/issues/incident/12).
func IssueNumber(s string) (int64, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if i := strings.LastIndexAny(s, "/#"); i >= 0 {
		s = s[i+1:]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, blotter.Errorf(blotter.EINVALID, "%q is not a GitLab issue number or URL", s)
	}
	return n, nil
}
