package syncer

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// GitLabName is the GitLab target's name in the outbox and in remote ids.
const GitLabName = "gitlab"

// GitLabIncident is where a Blotter incident is in GitLab: the link's remote JSON.
type GitLabIncident struct {
	Project string `json:"project"` // group/project
	IID     int64  `json:"iid"`
	ID      int64  `json:"id"` // the issue's global id (its GraphQL id is gid://gitlab/Issue/ID)
	WebURL  string `json:"web_url"`
	// LinkedAt is when the incident was linked here (not stored in the link's JSON).
	LinkedAt time.Time `json:"-"`
}

// GitLab delivers incidents and their entries to their linked GitLab incident issues: each
// entry a timeline event with its time and GitLab's milestone tags; a text longer than a
// timeline event holds arrives whole as a comment promoted to an event; evidence up to
// MaxUpload is uploaded and linked, larger files are named with their SHA-256; severity and
// status follow. Text leaves masked (marked secrets) and inert (mentions, references, quick
// actions). Task entries and the incident's own change entries are not sent: GitLab tells
// those stories itself (task issues, its own status and severity events).
type GitLab struct {
	Rec    *recorder.Recorder
	Client *gitlab.Client
	// MaxUpload bounds the evidence files uploaded; larger ones stay local, named by digest.
	MaxUpload int64
	// LabelPrefix scopes the task columns' labels (prefix::doing); "" is "blotter".
	LabelPrefix string
}

// Name implements Target.
func (g *GitLab) Name() string { return GitLabName }

// Classify implements Target: GitLab's retryable answers (5xx, 429 with its Retry-After,
// timeouts, dropped connections) are tried again; a refused token stops the pass.
func (g *GitLab) Classify(err error) (retry bool, after time.Duration, stop bool) {
	if gitlab.IsAuthFailed(err) {
		return false, 0, true
	}
	retry, after = gitlab.IsRetryable(err)
	return retry, after, false
}

// LinkedGitLabIncident returns where the incident is in GitLab. Returns ENOTFOUND when it is
// not linked, EINVALID when the link is damaged.
func LinkedGitLabIncident(ctx context.Context, rec *recorder.Recorder, incidentID string) (*GitLabIncident, error) {
	link, err := rec.SyncLink(ctx, incidentID, GitLabName)
	if err != nil {
		return nil, err
	}
	var gi GitLabIncident
	if err := json.Unmarshal([]byte(link.Remote), &gi); err != nil || gi.IID == 0 || gi.ID == 0 {
		return nil, blotter.Errorf(blotter.EINVALID, "the incident's GitLab link is damaged: %q", link.Remote)
	}
	gi.LinkedAt = link.LinkedAt
	return &gi, nil
}

// Deliver implements Target.
func (g *GitLab) Deliver(ctx context.Context, it *sqlite.OutboxItem) error {
	inc, err := LinkedGitLabIncident(ctx, g.Rec, it.IncidentID)
	if err != nil {
		return err
	}
	switch it.Subject {
	case blotter.SubjectIncident:
		return g.incident(ctx, inc, it.SubjectID)
	case blotter.SubjectEntry:
		return g.entry(ctx, inc, it)
	case blotter.SubjectDocument:
		return nil // the RCA and the runbook are published when a person says so, not on every save
	case blotter.SubjectTask:
		return g.task(ctx, inc, it.SubjectID, it.Attempts)
	}
	return blotter.Errorf(blotter.EINVALID, "GitLab sync does not know %ss", it.Subject)
}

// incident makes the GitLab incident's severity and state follow the Blotter incident.
func (g *GitLab) incident(ctx context.Context, gi *GitLabIncident, id string) error {
	inc, err := g.Rec.Incident(ctx, id)
	if err != nil {
		return err
	}
	if err := g.Client.SetSeverity(ctx, gi.Project, gi.IID, inc.Severity); err != nil {
		return err
	}
	// GitLab's escalation status tells the same story as Blotter's status.
	escalation := map[blotter.Status]gitlab.EscalationStatus{
		blotter.StatusOpen: gitlab.EscalationTriggered, blotter.StatusMitigated: gitlab.EscalationAcknowledged,
		blotter.StatusResolved: gitlab.EscalationResolved, blotter.StatusClosed: gitlab.EscalationResolved,
	}[inc.Status]
	if err := g.Client.SetEscalationStatus(ctx, gi.Project, gi.IID, escalation); err != nil {
		return err
	}
	current, err := g.Client.Incident(ctx, gi.Project, gi.IID)
	if err != nil {
		return err
	}
	ended := inc.Status == blotter.StatusResolved || inc.Status == blotter.StatusClosed
	switch {
	case ended && current.State != "closed":
		_, err = g.Client.CloseIncident(ctx, gi.Project, gi.IID)
	case !ended && current.State == "closed":
		_, err = g.Client.ReopenIncident(ctx, gi.Project, gi.IID)
	}
	if err == nil && current.Title != inc.Title {
		title := inc.Title
		_, err = g.Client.UpdateIssue(ctx, gi.Project, gi.IID, gitlab.IssueUpdate{Title: &title})
	}
	if err != nil {
		return err
	}
	// The version GitLab has now is this machine's doing: a pull must not take it for news.
	after, err := g.Client.Incident(ctx, gi.Project, gi.IID)
	if err != nil {
		return err
	}
	return g.Rec.SetRemoteID(ctx, inc.ID, issueRef(after))
}

// issueRef is the remote reference of an incident issue as this machine last wrote or saw it.
func issueRef(is *gitlab.Incident) blotter.RemoteRef {
	return blotter.RemoteRef{System: GitLabName, ID: gitlab.IssueGID(is.ID), Version: is.UpdatedAt.UTC().Format(time.RFC3339Nano)}
}

// entry makes the entry's timeline event what the entry is now: created once (found again by
// its marker after an answer that was lost), updated after an edit, removed after a delete.
func (g *GitLab) entry(ctx context.Context, gi *GitLabIncident, it *sqlite.OutboxItem) error {
	e, err := g.Rec.Entry(ctx, it.SubjectID)
	if err != nil {
		return err
	}
	if e.Kind == blotter.KindTask || e.Kind == blotter.KindSystem {
		return nil
	}
	eventID, err := g.Rec.RemoteID(ctx, e.ID, GitLabName)
	if err != nil {
		return err
	}
	marker := "blotter:" + e.ID
	incidentGID := gitlab.IssueGID(gi.ID)
	if e.Deleted {
		if eventID == "" {
			return nil
		}
		if err := g.Client.DestroyTimelineEvent(ctx, eventID); err != nil && !gitlab.IsNotFound(err) {
			return err
		}
		return nil
	}
	tags := gitlabTags(e.Tags)
	text, err := g.text(ctx, gi, e)
	if err != nil {
		return err
	}
	// A previous attempt may have been made by GitLab although its answer was lost.
	if eventID == "" && it.Attempts > 0 {
		found, err := g.Client.FindTimelineEventByMarker(ctx, gi.Project, incidentGID, marker)
		if err != nil {
			return err
		}
		if found != nil {
			eventID = found.GID
			if err := g.Rec.SetRemoteID(ctx, e.ID, eventRef(found)); err != nil {
				return err
			}
		}
	}
	short := utf8.RuneCountInString(text) <= gitlab.TimelineTextBudget
	if eventID == "" {
		var ev *gitlab.TimelineEvent
		if short {
			ev, err = g.Client.CreateTimelineEvent(ctx, incidentGID, text, e.OccurredAt, tags, marker)
		} else {
			ev, err = g.longEvent(ctx, gi, e, text, tags, marker, it.Attempts > 0)
		}
		if err != nil {
			return err
		}
		return g.Rec.SetRemoteID(ctx, e.ID, eventRef(ev))
	}
	// An edit: the event takes the new text (or, for a long one, its start), time and tags.
	note := text
	if !short {
		note = longExcerpt(text)
	}
	updated, err := g.Client.UpdateTimelineEvent(ctx, eventID, gitlab.TimelineEventUpdate{
		Note: &note, Marker: marker, OccurredAt: &e.OccurredAt, Tags: &tags,
	})
	if gitlab.IsNotFound(err) {
		return nil // removed in GitLab meanwhile: the pull brings that news
	} else if err != nil {
		return err
	}
	return g.Rec.SetRemoteID(ctx, e.ID, eventRef(updated))
}

// eventRef is the remote reference of an event as this machine last wrote or saw it.
func eventRef(ev *gitlab.TimelineEvent) blotter.RemoteRef {
	return blotter.RemoteRef{System: GitLabName, ID: ev.GID, Version: ev.UpdatedAt.UTC().Format(time.RFC3339Nano)}
}

// longEvent puts a text longer than a timeline event holds on the incident whole, as a
// comment, and promotes the comment to a timeline event with the entry's time and tags.
func (g *GitLab) longEvent(ctx context.Context, gi *GitLabIncident, e *blotter.Entry, text string, tags []string, marker string, retry bool) (*gitlab.TimelineEvent, error) {
	var note *gitlab.Note
	var err error
	if retry {
		if note, err = g.Client.FindNoteByMarker(ctx, gi.Project, gi.IID, marker, e.RecordedAt.Add(-24*time.Hour)); err != nil {
			return nil, err
		}
	}
	if note == nil {
		if note, err = g.Client.CreateNote(ctx, gi.Project, gi.IID, text, marker); err != nil {
			return nil, err
		}
	}
	ev, err := g.Client.PromoteNoteToTimelineEvent(ctx, note.GID())
	if err != nil {
		return nil, err
	}
	// The event shows the start of the text (an event holds 280 characters) at the entry's
	// time, with its tags; the comment it came from holds the whole.
	excerpt := longExcerpt(text)
	return g.Client.UpdateTimelineEvent(ctx, ev.GID, gitlab.TimelineEventUpdate{
		Note: &excerpt, Marker: marker, OccurredAt: &e.OccurredAt, Tags: &tags,
	})
}

// longExcerpt is what the timeline event of a text too long for it says.
func longExcerpt(text string) string {
	return gitlab.Excerpt(text, gitlab.TimelineTextBudget-40) + " (in full in the comments)"
}

// text is what the entry says in GitLab: who wrote it (the event's author is the token's
// user), its text masked and inert, and its evidence, uploaded or named by digest.
func (g *GitLab) text(ctx context.Context, gi *GitLabIncident, e *blotter.Entry) (string, error) {
	var b strings.Builder
	b.WriteString(gitlab.Neutralize(e.Author + ": " + blotter.MaskSecrets(e.Text, e.Secrets)))
	for _, ev := range e.Evidence {
		b.WriteString("\n")
		if ev.Size > g.maxUpload() {
			fmt.Fprintf(&b, "%s (%d bytes, kept local; SHA-256 %s)", gitlab.Neutralize(ev.Name), ev.Size, ev.SHA256)
			continue
		}
		path, err := g.Rec.EvidencePath(ev.SHA256)
		if err != nil {
			fmt.Fprintf(&b, "%s (not held on this machine; SHA-256 %s)", gitlab.Neutralize(ev.Name), ev.SHA256)
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			return "", blotter.Errorf(blotter.EUNAVAILABLE, "cannot read evidence %s: %v", ev.SHA256, err)
		}
		markdown, _, err := g.Client.Upload(ctx, gi.Project, ev.Name, f)
		f.Close()
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s SHA-256 %s", markdown, ev.SHA256)
	}
	return b.String(), nil
}

func (g *GitLab) maxUpload() int64 {
	if g.MaxUpload > 0 {
		return g.MaxUpload
	}
	return 25 << 20
}

// gitlabTags returns the entry's tags that are GitLab's timeline tags, as GitLab spells them.
func gitlabTags(tags []string) []string {
	out := []string{}
	for _, t := range tags {
		for _, g := range blotter.GitLabTimelineTags {
			if t == g {
				out = append(out, g)
			}
		}
	}
	return out
}
