package syncer

import (
	"context"
	"fmt"
	"time"
)

// HeadInterval spaces the chain-head notes the background sync posts: the head moves with
// every note during an incident, and a comment every five seconds would drown the incident.
const HeadInterval = 10 * time.Minute

// PostHeads posts, for every linked incident whose record moved on since its last post, the
// current end of its log (revision number, hash, time) as a comment on the GitLab incident, no
// more often than every interval (0: whenever it moved). GitLab dates the comment, so a third
// party can later see that the record existed in that state by then: the copy of the head
// outside this machine that tamper evidence needs. The comments carry a marker, so a pull of
// comments never takes them in. Returns how many were posted.
func (g *GitLab) PostHeads(ctx context.Context, interval time.Duration) (int, error) {
	links, err := g.Rec.SyncLinks(ctx, GitLabName)
	if err != nil {
		return 0, err
	}
	posted := 0
	for _, l := range links {
		seq, hash, err := g.Rec.Head(ctx, l.IncidentID)
		if err != nil {
			return posted, err
		}
		last, at, err := g.Rec.PostedHead(ctx, l.IncidentID)
		if err != nil {
			return posted, err
		}
		if last == hash || (interval > 0 && !at.IsZero() && time.Since(at) < interval) {
			continue
		}
		gi, err := LinkedGitLabIncident(ctx, g.Rec, l.IncidentID)
		if err != nil {
			return posted, err
		}
		now := time.Now().UTC()
		body := fmt.Sprintf("Blotter's record of this incident: revision %d, head hash `%s`, as of %s. "+
			"An export of the record whose log reaches this revision with this hash is the record as it stood then (`blotter verify`).",
			seq, hash, now.Format("2006-01-02 15:04:05 UTC"))
		if _, err := g.Client.CreateNote(ctx, gi.Project, gi.IID, body, "blotter-head:"+hash[:16]); err != nil {
			return posted, err
		}
		if err := g.Rec.SetPostedHead(ctx, l.IncidentID, hash, now); err != nil {
			return posted, err
		}
		posted++
	}
	return posted, nil
}
