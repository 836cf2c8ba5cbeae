package recorder

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/vault"
)

// Slack settings: the workspace the tokens belong to (the tokens themselves are never stored
// here: the OS keyring or the environment holds them), the reaction that pins a message to
// the timeline, and each incident's posting policy.
const (
	settingSlackWorkspace   = "slack_workspace"
	settingSlackPinReaction = "slack_pin_reaction"
	settingSlackPolicy      = "slack_policy:"
)

// SlackWorkspace is the connected Slack workspace, as auth.test told it.
type SlackWorkspace struct {
	Team    string `json:"team"`
	TeamID  string `json:"team_id"`
	URL     string `json:"url"`
	BotUser string `json:"bot_user"`
	BotID   string `json:"bot_user_id"`
	APIURL  string `json:"api_url,omitempty"` // "" for Slack's own
}

// SlackConnection returns the connected workspace, or nil when Slack is not connected.
func (r *Recorder) SlackConnection(ctx context.Context) (*SlackWorkspace, error) {
	v, err := r.db.Setting(ctx, settingSlackWorkspace)
	if err != nil || v == "" {
		return nil, err
	}
	var w SlackWorkspace
	if err := json.Unmarshal([]byte(v), &w); err != nil || w.TeamID == "" {
		return nil, blotter.Errorf(blotter.EINVALID, "the stored Slack connection is damaged: connect Slack again")
	}
	return &w, nil
}

// SetSlackConnection stores the connected workspace (nil disconnects).
func (r *Recorder) SetSlackConnection(ctx context.Context, w *SlackWorkspace) error {
	v := ""
	if w != nil {
		b, err := json.Marshal(w)
		if err != nil {
			return err
		}
		v = string(b)
	}
	return r.db.SetSetting(ctx, settingSlackWorkspace, v)
}

// SlackPinReaction returns the reaction that puts a Slack message on the timeline ("pushpin").
func (r *Recorder) SlackPinReaction(ctx context.Context) (string, error) {
	v, err := r.db.Setting(ctx, settingSlackPinReaction)
	if v == "" {
		v = "pushpin"
	}
	return v, err
}

// SetSlackPinReaction sets the reaction that puts a Slack message on the timeline: an emoji
// name as Slack spells it, with or without its colons.
func (r *Recorder) SetSlackPinReaction(ctx context.Context, name string) error {
	name = strings.Trim(strings.ToLower(strings.TrimSpace(name)), ":")
	if name == "" || len(name) > 100 || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789-_+'") != "" {
		return blotter.Errorf(blotter.EINVALID, "reaction %q: give an emoji name as Slack spells it, e.g. pushpin", name)
	}
	return r.db.SetSetting(ctx, settingSlackPinReaction, name)
}

// SlackPolicy says which entries of an incident are posted to its Slack channel.
type SlackPolicy string

// Slack policies.
const (
	SlackPostAll    SlackPolicy = "all"    // every entry (not task changes)
	SlackPostTagged SlackPolicy = "tagged" // entries tagged #slack, and the milestones
	SlackPostNone   SlackPolicy = "none"   // nothing: the channel is only read
)

// SlackPolicyOf returns the incident's posting policy (tagged by default: a channel is for
// people, and a responder's every keystroke is noise there).
func (r *Recorder) SlackPolicyOf(ctx context.Context, incidentID string) (SlackPolicy, error) {
	v, err := r.db.Setting(ctx, settingSlackPolicy+incidentID)
	if v == "" {
		v = string(SlackPostTagged)
	}
	return SlackPolicy(v), err
}

// SetSlackPolicy sets the incident's posting policy. It applies to entries changed from now on.
func (r *Recorder) SetSlackPolicy(ctx context.Context, incidentID string, p SlackPolicy) error {
	inc, err := r.Incident(ctx, incidentID)
	if err != nil {
		return err
	}
	switch p {
	case SlackPostAll, SlackPostTagged, SlackPostNone:
	default:
		return blotter.Errorf(blotter.EINVALID, "Slack policy %q is not one of all, tagged, none", p)
	}
	return r.db.SetSetting(ctx, settingSlackPolicy+inc.ID, string(p))
}

// SlackTag marks an entry for the incident's Slack channel under the tagged policy.
const SlackTag = "slack"

// PostsToSlack says whether an entry is posted under a policy: never task changes (the board
// tells that story), nor entries that came from Slack; under "tagged", the entries tagged
// #slack and the milestones (GitLab's timeline tags).
func PostsToSlack(p SlackPolicy, e *blotter.Entry) bool {
	if e.Kind == blotter.KindTask || e.Kind == blotter.KindSlack {
		return false
	}
	switch p {
	case SlackPostAll:
		return true
	case SlackPostTagged:
		for _, t := range e.Tags {
			if strings.EqualFold(t, SlackTag) {
				return true
			}
			for _, m := range blotter.GitLabTimelineTags {
				if t == m {
					return true
				}
			}
		}
	}
	return false
}

// RemoteFile is a file another system holds, kept in the vault with the entry that names it.
type RemoteFile struct {
	Name string
	// Open returns the file's content; Close is called when it is read.
	Open func(ctx context.Context) (io.ReadCloser, error)
}

// MaxRemoteFileBytes bounds one file taken from another system (Slack's own limit is 1 GB).
const MaxRemoteFileBytes = 1 << 30

// AddRemoteEntryWithFiles is AddRemoteEntry for an object that carries files (a Slack
// message with attachments): each file is kept in the vault first, and taken out again if the
// entry is refused. A file that cannot be fetched fails the whole entry, so that a retry
// brings it whole.
func (r *Recorder) AddRemoteEntryWithFiles(ctx context.Context, e *blotter.Entry, ch blotter.Change, files []RemoteFile) (*blotter.Entry, error) {
	if err := checkRemote(ch); err != nil {
		return nil, err
	}
	if id, err := r.db.SubjectOfRemote(ctx, ch.Remote.System, ch.Remote.ID); err != nil {
		return nil, err
	} else if id != "" {
		return nil, blotter.Errorf(blotter.ECONFLICT, "the %s object %s is on the record already, as entry %s", ch.Remote.System, ch.Remote.ID, id)
	}
	var held []*vault.Held
	undo := func() {
		for _, h := range held {
			r.discardUnnamed(h)
		}
	}
	for _, f := range files {
		rc, err := f.Open(ctx)
		if err != nil {
			undo()
			return nil, err
		}
		ev, h, err := r.vault.IngestReader(ctx, safeFileName(f.Name), rc, MaxRemoteFileBytes)
		rc.Close()
		if err != nil {
			undo()
			return nil, err
		}
		held = append(held, h)
		e.Evidence = append(e.Evidence, *ev)
	}
	if err := r.db.AddEntry(ctx, e, ch); err != nil {
		undo()
		return nil, err
	}
	for _, h := range held {
		h.Release()
	}
	return e, nil
}

// safeFileName keeps a remote file's base name, or "file" when nothing usable is left: a name
// chosen elsewhere must not carry a path.
func safeFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == utf8.RuneError {
			return '\uFFFD'
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, "\uFFFD")))
	for len(name) > 255 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}

// StatusUpdateTag marks a status update on the timeline.
const StatusUpdateTag = "status-update"

// PostStatusUpdate records a status update on the incident's timeline, tagged #slack, so that
// the sync engine posts it to the incident's channel (now, or when Slack can be reached): the
// responder's words, then the severity, the status, the time since the incident opened and
// the open tasks by assignee. Returns EINVALID when the incident posts nothing to Slack.
func (r *Recorder) PostStatusUpdate(ctx context.Context, incidentID, text string) (*blotter.Entry, error) {
	inc, err := r.Incident(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	if _, err := r.db.Link(ctx, inc.ID, "slack"); err != nil {
		return nil, blotter.Errorf(blotter.EINVALID, "the incident is not linked to a Slack channel: link one first")
	}
	if p, err := r.SlackPolicyOf(ctx, inc.ID); err != nil {
		return nil, err
	} else if p == SlackPostNone {
		return nil, blotter.Errorf(blotter.EINVALID, "the incident's Slack policy is none, so nothing reaches the channel: set it to tagged or all first")
	}
	tasks, err := r.Tasks(ctx, TaskFilter{IncidentID: inc.ID})
	if err != nil {
		return nil, err
	}
	summary := StatusSummary(inc, tasks, r.now())
	if text = strings.TrimSpace(text); text != "" {
		summary = "Status update: " + text + "\n\n" + summary
	} else {
		summary = "Status update\n\n" + summary
	}
	return r.addEntry(ctx, &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindNote, Text: summary, Tags: []string{SlackTag, StatusUpdateTag}})
}

// StatusSummary says where the incident stands: severity, status, time since it opened, and
// the open tasks by assignee (unassigned last).
func StatusSummary(inc *blotter.Incident, tasks []*blotter.Task, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Severity %s · status %s · %s since it opened", inc.Severity, inc.Status, Elapsed(now.Sub(inc.CreatedAt)))
	byAssignee := map[string][]string{}
	var names []string
	for _, t := range tasks {
		if t.Status == blotter.TaskDone {
			continue
		}
		who := strings.TrimSpace(t.Assignee)
		if _, ok := byAssignee[who]; !ok {
			names = append(names, who)
		}
		byAssignee[who] = append(byAssignee[who], fmt.Sprintf("%s (%s)", t.Title, t.Status.Label()))
	}
	sort.SliceStable(names, func(i, j int) bool {
		if (names[i] == "") != (names[j] == "") {
			return names[j] == ""
		}
		return strings.ToLower(names[i]) < strings.ToLower(names[j])
	})
	if len(names) == 0 {
		b.WriteString("\nNo open tasks.")
	} else {
		b.WriteString("\nOpen tasks:")
	}
	for _, who := range names {
		label := who
		if label == "" {
			label = "unassigned"
		}
		fmt.Fprintf(&b, "\n- %s: %s", label, strings.Join(byAssignee[who], "; "))
	}
	return b.String()
}

// Elapsed is a duration as a person says it: "45 min", "2 h 5 min", "3 d 4 h".
func Elapsed(d time.Duration) string {
	d = max(d, 0).Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0:
		return fmt.Sprintf("%d d %d h", days, hours)
	case hours > 0:
		return fmt.Sprintf("%d h %d min", hours, mins)
	}
	return fmt.Sprintf("%d min", mins)
}
