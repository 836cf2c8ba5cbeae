package recorder

import (
	"context"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Capture settings.
const (
	// settingClipboardWatchPrefix + incident id is "on" while the clipboard watch records into
	// that incident: the watch is per incident, so switching incidents never carries it along.
	settingClipboardWatchPrefix = "clipboard_watch:"
	// SettingScreenshotAllScreens is "on" when a screenshot takes every monitor, not the one
	// under the pointer.
	SettingScreenshotAllScreens = "screenshot_all_screens"
)

// ClipboardWatch reports whether the clipboard watch is on for the incident.
func (r *Recorder) ClipboardWatch(ctx context.Context, incidentID string) (bool, error) {
	v, err := r.db.Setting(ctx, settingClipboardWatchPrefix+incidentID)
	return v == "on", err
}

// SetClipboardWatch turns the clipboard watch on or off for the incident.
func (r *Recorder) SetClipboardWatch(ctx context.Context, incidentID string, on bool) error {
	return r.db.SetSetting(ctx, settingClipboardWatchPrefix+incidentID, onOff(on))
}

// ScreenshotAllScreens reports whether a screenshot takes every monitor.
func (r *Recorder) ScreenshotAllScreens(ctx context.Context) (bool, error) {
	v, err := r.db.Setting(ctx, SettingScreenshotAllScreens)
	return v == "on", err
}

// SetScreenshotAllScreens chooses every monitor (true) or the one under the pointer.
func (r *Recorder) SetScreenshotAllScreens(ctx context.Context, all bool) error {
	return r.db.SetSetting(ctx, SettingScreenshotAllScreens, onOff(all))
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// GitLab connection settings: where GitLab is and which project holds the incidents. The
// token is never stored here (the OS keyring or the environment holds it).
const (
	settingGitLabURL     = "gitlab_url"
	settingGitLabProject = "gitlab_project"
)

// GitLabConnection returns the GitLab URL and project sync uses, or "" for both when none.
func (r *Recorder) GitLabConnection(ctx context.Context) (url, project string, err error) {
	if url, err = r.db.Setting(ctx, settingGitLabURL); err != nil {
		return "", "", err
	}
	project, err = r.db.Setting(ctx, settingGitLabProject)
	return url, project, err
}

// SetGitLabConnection stores the GitLab URL and project ("" for both disconnects).
func (r *Recorder) SetGitLabConnection(ctx context.Context, url, project string) error {
	if err := r.db.SetSetting(ctx, settingGitLabURL, url); err != nil {
		return err
	}
	return r.db.SetSetting(ctx, settingGitLabProject, project)
}

// settingGitLabComments is "on" when comments on linked GitLab incidents come into the record.
const settingGitLabComments = "gitlab_comments"

// GitLabComments reports whether comments on linked GitLab incidents are pulled in.
func (r *Recorder) GitLabComments(ctx context.Context) (bool, error) {
	v, err := r.db.Setting(ctx, settingGitLabComments)
	return v == "on", err
}

// SetGitLabComments chooses whether comments on linked GitLab incidents are pulled in.
func (r *Recorder) SetGitLabComments(ctx context.Context, on bool) error {
	return r.db.SetSetting(ctx, settingGitLabComments, onOff(on))
}

// settingGitLabLabelPrefix scopes the task columns' labels in GitLab (prefix::doing).
const settingGitLabLabelPrefix = "gitlab_label_prefix"

// GitLabLabelPrefix returns the scoped label prefix of task columns in GitLab ("blotter").
func (r *Recorder) GitLabLabelPrefix(ctx context.Context) (string, error) {
	v, err := r.db.Setting(ctx, settingGitLabLabelPrefix)
	if v == "" {
		v = "blotter"
	}
	return v, err
}

// SetGitLabLabelPrefix sets the scoped label prefix of task columns in GitLab: letters,
// digits, - and _ (GitLab's scoped labels are "prefix::value").
func (r *Recorder) SetGitLabLabelPrefix(ctx context.Context, prefix string) error {
	prefix = strings.TrimSpace(prefix)
	if prefix == "" || len(prefix) > 64 || strings.Trim(strings.ToLower(prefix), "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return blotter.Errorf(blotter.EINVALID, "label prefix %q: use letters, digits, - and _ (GitLab's scoped labels read prefix::doing)", prefix)
	}
	return r.db.SetSetting(ctx, settingGitLabLabelPrefix, prefix)
}
