package syncer

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// Pull brings into the record the timeline events others made on the incident's GitLab
// incident (in GitLab's UI, or from another responder's Blotter): each a `gitlab` entry by its
// GitLab author at its own time, with its tags, recorded with the event's id in the same
// transaction, so that it arrives once and is never sent back. GitLab's own events (status,
// severity) are not taken: the incident's state follows through its own fields. It returns
// how many entries it added.
func (g *GitLab) Pull(ctx context.Context, incidentID string) (int, error) {
	link, err := g.Rec.SyncLink(ctx, incidentID, GitLabName)
	if err != nil {
		return 0, err
	}
	var gi GitLabIncident
	if err := json.Unmarshal([]byte(link.Remote), &gi); err != nil || gi.ID == 0 {
		return 0, blotter.Errorf(blotter.EINVALID, "the incident's GitLab link is damaged: %q", link.Remote)
	}
	events, err := g.Client.TimelineEvents(ctx, gi.Project, gitlab.IssueGID(gi.ID))
	if err != nil {
		return 0, err
	}
	// Entries of ours still on their way: an event GitLab made for one of them, whose answer
	// was lost, is ours to find by its marker when the push is retried, not a new entry.
	waiting, err := g.Rec.Outbox(ctx, GitLabName, time.Time{}, false, 1<<20)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, ev := range events {
		if ev.Action != "comment" {
			continue
		}
		if id, err := g.Rec.SubjectOfRemote(ctx, GitLabName, ev.GID); err != nil {
			return added, err
		} else if id != "" {
			continue
		}
		if ours(&ev, waiting, incidentID) {
			continue
		}
		tags, _ := blotter.NormalizeTags(ev.Tags)
		e := &blotter.Entry{IncidentID: incidentID, Kind: blotter.KindGitLab, OccurredAt: ev.OccurredAt,
			Text: pulledText(ev.Note), Tags: tags}
		author := ev.Author
		if author == "" {
			author = "GitLab"
		}
		ch := blotter.Change{By: author, Origin: blotter.OriginGitLab, Remote: &blotter.RemoteRef{System: GitLabName, ID: ev.GID}}
		if _, err := g.Rec.AddRemoteEntry(ctx, e, ch); blotter.ErrorCode(err) == blotter.ECONFLICT {
			continue
		} else if err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}

// ours reports whether the event carries the marker of an entry of ours waiting to be sent.
func ours(ev *gitlab.TimelineEvent, waiting []*sqlite.OutboxItem, incidentID string) bool {
	for _, it := range waiting {
		if it.IncidentID == incidentID && it.Subject == blotter.SubjectEntry && ev.HasMarker("blotter:"+it.SubjectID) {
			return true
		}
	}
	return false
}

// pulledText is an event's note as an entry's text: without the marker a Blotter put on it,
// and without the invisible word joiners that kept its references inert in GitLab.
func pulledText(note string) string {
	text := strings.ReplaceAll(gitlab.StripMarker(note), "\u2060", "")
	if strings.TrimSpace(text) == "" {
		return "(an empty timeline event in GitLab)"
	}
	return text
}

// JoinGitLabIncident is how a second responder joins: it makes a local incident of the GitLab
// incident (its title and severity), makes it active, links the two and pulls its timeline.
func JoinGitLabIncident(ctx context.Context, rec *recorder.Recorder, client *gitlab.Client, project string, iid int64) (*blotter.Incident, *GitLabIncident, int, error) {
	remote, err := client.Incident(ctx, project, iid)
	if err != nil {
		return nil, nil, 0, err
	}
	if remote.Type != "" && !strings.EqualFold(remote.Type, "incident") {
		return nil, nil, 0, blotter.Errorf(blotter.EINVALID, "%s#%d is a GitLab %s, not an incident", project, iid, strings.ToLower(remote.Type))
	}
	severity, ok := gitlab.BlotterSeverity(remote.Severity)
	if !ok {
		severity = blotter.SeverityHigh
	}
	inc, err := rec.CreateIncident(ctx, remote.Title, severity)
	if err != nil {
		return nil, nil, 0, err
	}
	gi := &GitLabIncident{Project: project, IID: remote.IID, ID: remote.ID, WebURL: remote.WebURL}
	b, _ := json.Marshal(gi)
	if err := rec.LinkIncident(ctx, inc.ID, GitLabName, string(b)); err != nil {
		return nil, nil, 0, err
	}
	added, err := (&GitLab{Rec: rec, Client: client}).Pull(ctx, inc.ID)
	return inc, gi, added, err
}
