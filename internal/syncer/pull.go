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

// Pull brings into the record what others did on the incident's GitLab timeline (in GitLab's
// UI, or from another responder's Blotter): a new event becomes a `gitlab` entry by its GitLab
// author at its own time, with its tags; an event edited there since this machine last wrote
// or saw it edits its entry; an event deleted there deletes its entry. All through the same
// write path, with origin gitlab, so nothing comes back as a second copy or is sent back. When
// both sides changed an entry, the later change wins (the history keeps both). GitLab's own
// events (status, severity) are not taken. It returns how many entries it added or changed.
func (g *GitLab) Pull(ctx context.Context, incidentID string) (int, error) {
	gi, err := LinkedGitLabIncident(ctx, g.Rec, incidentID)
	if err != nil {
		return 0, err
	}
	changed, err := g.pullIncident(ctx, incidentID, gi)
	if err != nil {
		return 0, err
	}
	tasks, err := g.pullTasks(ctx, incidentID, gi)
	changed += tasks
	if err != nil {
		return changed, err
	}
	events, err := g.Client.TimelineEvents(ctx, gi.Project, gitlab.IssueGID(gi.ID))
	if err != nil {
		return changed, err
	}
	known, err := g.Rec.RemoteEntries(ctx, incidentID, GitLabName)
	if err != nil {
		return 0, err
	}
	byEvent := map[string]string{}
	for entryID, ref := range known {
		byEvent[ref.ID] = entryID
	}
	// Entries of ours still on their way: an event GitLab made for one of them, whose answer
	// was lost, is ours to find by its marker when the push is retried, not a new entry.
	waiting, err := g.Rec.Outbox(ctx, GitLabName, time.Time{}, false, 1<<20)
	if err != nil {
		return 0, err
	}
	seen := map[string]bool{}
	// New events are stored in batches, each one transaction: one durable commit per event
	// made joining a long incident slow. A batch is kept short, as a responder's note waits
	// for the write lock meanwhile.
	var batch []sqlite.NewEntry
	flush := func() error {
		n, err := g.Rec.AddRemoteEntries(ctx, batch)
		changed += n
		batch = batch[:0]
		return err
	}
	for i := range events {
		ev := &events[i]
		if ev.Action != "comment" {
			continue
		}
		seen[ev.GID] = true
		if entryID, ok := byEvent[ev.GID]; ok {
			edited, err := g.pullEdit(ctx, entryID, known[entryID], eventRef(ev), ev.UpdatedAt, ev.UpdatedBy, func(e *blotter.Entry) blotter.EntryUpdate {
				text := pulledText(ev.Note, e.Author)
				tags, _ := blotter.NormalizeTags(ev.Tags)
				return blotter.EntryUpdate{Text: &text, OccurredAt: &ev.OccurredAt, Tags: &tags}
			})
			if err != nil {
				return changed, err
			}
			if edited {
				changed++
			}
			continue
		}
		if ours(ev, waiting, incidentID) {
			continue
		}
		tags, _ := blotter.NormalizeTags(ev.Tags)
		e := &blotter.Entry{IncidentID: incidentID, Kind: blotter.KindGitLab, OccurredAt: ev.OccurredAt,
			Text: pulledText(ev.Note, ""), Tags: tags}
		ref := eventRef(ev)
		batch = append(batch, sqlite.NewEntry{Entry: e, Change: blotter.Change{By: gitlabAuthor(ev.Author), Origin: blotter.OriginGitLab, Remote: &ref}})
		if len(batch) == pullBatch {
			if err := flush(); err != nil {
				return changed, err
			}
		}
	}
	if err := flush(); err != nil {
		return changed, err
	}
	// Comments on the incident, when the responder wants them: each a gitlab entry, once.
	if on, err := g.Rec.GitLabComments(ctx); err != nil {
		return changed, err
	} else if on {
		n, err := g.pullComments(ctx, incidentID, gi, events, known)
		changed += n
		if err != nil {
			return changed, err
		}
	}
	// Events this machine knows that GitLab no longer has were deleted there.
	deleted, err := g.pullDeletes(ctx, known, "gid://gitlab/IncidentManagement::TimelineEvent/", seen, "the timeline event was deleted in GitLab")
	return changed + deleted, err
}

// pullDeletes deletes the entries that are GitLab objects of one kind (their remote ids start
// with prefix) which GitLab no longer has (not in present): deleted there. It returns how many
// it deleted.
func (g *GitLab) pullDeletes(ctx context.Context, known map[string]blotter.RemoteRef, prefix string, present map[string]bool, reason string) (int, error) {
	deleted := 0
	for entryID, ref := range known {
		if present[ref.ID] || !strings.HasPrefix(ref.ID, prefix) {
			continue
		}
		if e, err := g.Rec.Entry(ctx, entryID); err != nil || e.Deleted {
			continue
		}
		r := ref
		ch := blotter.Change{By: "GitLab", Reason: reason, Origin: blotter.OriginGitLab, Remote: &r}
		if _, err := g.Rec.DeleteRemoteEntry(ctx, ch); err != nil && blotter.ErrorCode(err) != blotter.ECONFLICT {
			return deleted, err
		}
		deleted++
	}
	return deleted, nil
}

// pullBatch is how many new events one transaction stores: about 20 ms of writing here.
const pullBatch = 200

// pullIncident makes the incident follow what was done to its GitLab incident since this
// machine last wrote or saw it: closed there resolves it here, reopened reopens it, and the
// severity follows. It returns 1 when it changed the incident.
func (g *GitLab) pullIncident(ctx context.Context, incidentID string, gi *GitLabIncident) (int, error) {
	remote, err := g.Client.Incident(ctx, gi.Project, gi.IID)
	if err != nil {
		return 0, err
	}
	seen := issueRef(remote)
	last, err := g.Rec.RemoteID(ctx, incidentID, GitLabName)
	if err != nil {
		return 0, err
	}
	if version, _ := g.Rec.RemoteVersion(ctx, incidentID, GitLabName); last != "" && version == seen.Version {
		return 0, nil
	}
	inc, err := g.Rec.Incident(ctx, incidentID)
	if err != nil {
		return 0, err
	}
	var upd blotter.IncidentUpdate
	ended := inc.Status == blotter.StatusResolved || inc.Status == blotter.StatusClosed
	switch {
	case remote.State == "closed" && !ended:
		s := blotter.StatusResolved
		upd.Status = &s
	case remote.State != "closed" && ended:
		s := blotter.StatusOpen
		upd.Status = &s
	}
	if sev, ok := gitlab.BlotterSeverity(remote.Severity); ok && sev != inc.Severity {
		upd.Severity = &sev
	}
	if upd.Status == nil && upd.Severity == nil {
		return 0, g.Rec.SetRemoteID(ctx, incidentID, seen)
	}
	ch := blotter.Change{By: "GitLab", Reason: "changed in GitLab", Origin: blotter.OriginGitLab, Remote: &seen}
	if _, err := g.Rec.UpdateRemoteIncident(ctx, incidentID, upd, ch); err != nil {
		return 0, err
	}
	return 1, nil
}

// pullEdit applies an edit made in GitLab (by by, at updatedAt) to the entry that is an event
// or a comment there, if it changed since this machine last wrote or saw it (known, against
// seen), and the change there is later than the last one here; edit says what it changes. It
// records the version it saw either way.
func (g *GitLab) pullEdit(ctx context.Context, entryID string, known, seen blotter.RemoteRef, updatedAt time.Time, by string,
	edit func(*blotter.Entry) blotter.EntryUpdate) (bool, error) {
	if seen.Version == known.Version {
		return false, nil
	}
	e, err := g.Rec.Entry(ctx, entryID)
	if err != nil {
		return false, err
	}
	if e.Deleted {
		return false, g.Rec.SetRemoteID(ctx, entryID, seen)
	}
	hist, err := g.Rec.History(ctx, entryID)
	if err != nil {
		return false, err
	}
	localAt, _ := time.Parse(time.RFC3339Nano, hist[len(hist)-1].At)
	if !updatedAt.After(localAt) {
		// Changed here later: this machine's change wins, and its push overwrites GitLab's.
		return false, g.Rec.SetRemoteID(ctx, entryID, seen)
	}
	by = gitlabAuthor(by)
	ch := blotter.Change{By: by, Reason: "edited in GitLab by " + by, Origin: blotter.OriginGitLab, Remote: &seen}
	_, err = g.Rec.EditRemoteEntry(ctx, edit(e), ch)
	if blotter.ErrorCode(err) == blotter.EINVALID && strings.Contains(err.Error(), "nothing to change") {
		return false, g.Rec.SetRemoteID(ctx, entryID, seen)
	}
	return err == nil, err
}

func gitlabAuthor(username string) string {
	if username == "" {
		return "GitLab"
	}
	return username
}

// PullAll pulls what others did in GitLab into every linked incident, and returns how many
// entries and tasks it added or changed.
func (g *GitLab) PullAll(ctx context.Context) (int, error) {
	links, err := g.Rec.SyncLinks(ctx, GitLabName)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, l := range links {
		n, err := g.Pull(ctx, l.IncidentID)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
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
// the invisible word joiners that kept its references inert in GitLab, and the "author: "
// a Blotter wrote before the text of an entry of author.
func pulledText(note, author string) string {
	text := strings.ReplaceAll(gitlab.StripMarker(note), "\u2060", "")
	if author != "" {
		text = strings.TrimPrefix(text, gitlab.Neutralize(author+": "))
		text = strings.TrimPrefix(text, author+": ")
	}
	if strings.TrimSpace(text) == "" {
		return "(an empty timeline event in GitLab)"
	}
	return text
}

// JoinGitLabIncident is how a second responder joins: it makes a local incident of the GitLab
// incident (its title and severity), makes it active, links the two and pulls its timeline.
func JoinGitLabIncident(ctx context.Context, rec *recorder.Recorder, client *gitlab.Client, project string, iid int64) (*blotter.Incident, *GitLabIncident, int, error) {
	if err := notLinkedHere(ctx, rec, project, iid); err != nil {
		return nil, nil, 0, err
	}
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

// LinkGitLabIncident links a Blotter incident to an existing GitLab incident: the record so far
// is queued for it, and what it holds already is pulled in.
func LinkGitLabIncident(ctx context.Context, rec *recorder.Recorder, client *gitlab.Client, project string, inc *blotter.Incident, iid int64) (*GitLabIncident, int, error) {
	if err := notLinkedHere(ctx, rec, project, iid); err != nil {
		return nil, 0, err
	}
	remote, err := client.Incident(ctx, project, iid)
	if err != nil {
		return nil, 0, err
	}
	if remote.Type != "" && !strings.EqualFold(remote.Type, "incident") {
		return nil, 0, blotter.Errorf(blotter.EINVALID, "%s#%d is a GitLab %s, not an incident", project, iid, strings.ToLower(remote.Type))
	}
	gi := &GitLabIncident{Project: project, IID: remote.IID, ID: remote.ID, WebURL: remote.WebURL}
	b, _ := json.Marshal(gi)
	if err := rec.LinkIncident(ctx, inc.ID, GitLabName, string(b)); err != nil {
		return nil, 0, err
	}
	pulled, err := (&GitLab{Rec: rec, Client: client}).Pull(ctx, inc.ID)
	return gi, pulled, err
}

// pullComments brings in the comments people wrote on the GitLab incident: each a gitlab entry
// by its author at its time, once; a comment edited there since edits its entry, one deleted
// there deletes it. GitLab's own notes, comments a Blotter wrote (a long entry's text) and
// comments promoted to timeline events (they arrive as events) are left out.
func (g *GitLab) pullComments(ctx context.Context, incidentID string, gi *GitLabIncident, events []gitlab.TimelineEvent, known map[string]blotter.RemoteRef) (int, error) {
	notes, err := g.Client.Notes(ctx, gi.Project, gi.IID, time.Time{})
	if err != nil {
		return 0, err
	}
	promoted := map[string]bool{}
	for _, ev := range events {
		promoted[ev.PromotedFromNote] = true
	}
	byNote := map[string]string{}
	for entryID, ref := range known {
		if strings.HasPrefix(ref.ID, noteGIDPrefix) {
			byNote[ref.ID] = entryID
		}
	}
	changed := 0
	present := map[string]bool{}
	for i := len(notes) - 1; i >= 0; i-- { // oldest first
		n := &notes[i]
		present[n.GID()] = true
		ref := blotter.RemoteRef{System: GitLabName, ID: n.GID(), Version: n.UpdatedAt.UTC().Format(time.RFC3339Nano)}
		if entryID, ok := byNote[n.GID()]; ok {
			// Edited there since (only its author can): the entry follows, the later change winning.
			edited, err := g.pullEdit(ctx, entryID, known[entryID], ref, n.UpdatedAt, n.Author, func(*blotter.Entry) blotter.EntryUpdate {
				text := pulledText(n.Body, "")
				return blotter.EntryUpdate{Text: &text}
			})
			if err != nil {
				return changed, err
			}
			if edited {
				changed++
			}
			continue
		}
		if n.System || promoted[n.GID()] || gitlab.StripMarker(n.Body) != n.Body {
			continue
		}
		e := &blotter.Entry{IncidentID: incidentID, Kind: blotter.KindGitLab, OccurredAt: n.CreatedAt,
			Text: pulledText(n.Body, ""), Tags: []string{"comment"}}
		ch := blotter.Change{By: gitlabAuthor(n.Author), Origin: blotter.OriginGitLab, Remote: &ref}
		if _, err := g.Rec.AddRemoteEntry(ctx, e, ch); blotter.ErrorCode(err) == blotter.ECONFLICT {
			continue
		} else if err != nil {
			return changed, err
		}
		changed++
	}
	// Comments taken in before that GitLab no longer has were deleted there.
	deleted, err := g.pullDeletes(ctx, known, noteGIDPrefix, present, "the comment was deleted in GitLab")
	return changed + deleted, err
}

// noteGIDPrefix starts the GraphQL id of every GitLab note (gitlab.NoteGID).
const noteGIDPrefix = "gid://gitlab/Note/"

// notLinkedHere refuses a GitLab incident that an incident of this data dir is linked to
// already: one GitLab incident is one incident here.
func notLinkedHere(ctx context.Context, rec *recorder.Recorder, project string, iid int64) error {
	links, err := rec.SyncLinks(ctx, GitLabName)
	if err != nil {
		return err
	}
	for _, l := range links {
		var gi GitLabIncident
		if json.Unmarshal([]byte(l.Remote), &gi) == nil && gi.Project == project && gi.IID == iid {
			return blotter.Errorf(blotter.ECONFLICT, "%s#%d is linked to incident %s here already: switch to it", project, iid, l.IncidentID)
		}
	}
	return nil
}
