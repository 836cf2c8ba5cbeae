package syncer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/slack"
)

// Published says where a document went.
type Published struct {
	Kind      blotter.DocumentKind `json:"kind"`
	Revision  int                  `json:"revision"`
	GitLabURL string               `json:"gitlab_url,omitempty"`
	Updated   bool                 `json:"updated"` // GitLab held an earlier publication, now replaced
	Slack     string               `json:"slack_channel,omitempty"`
	Skipped   []string             `json:"skipped,omitempty"` // why a system was left out
}

// Lines says it for a person.
func (p *Published) Lines() []string {
	var out []string
	if p.GitLabURL != "" {
		verb := "published"
		if p.Updated {
			verb = "updated"
		}
		out = append(out, fmt.Sprintf("%s revision %d of the %s in GitLab: %s", verb, p.Revision, p.Kind, p.GitLabURL))
	}
	if p.Slack != "" {
		out = append(out, "its link is in #"+p.Slack)
	}
	for _, s := range p.Skipped {
		out = append(out, "not in "+s)
	}
	return out
}

// Publish sends the incident's saved document where the team reads it: the RCA as an
// incident review issue linked to the GitLab incident, the runbook as a page of the GitLab
// project's wiki (each updated when published before), and a short message with its link in
// the Slack channel. The text is sent inert (mentions, references and quick actions). Returns
// ENOTFOUND when the document was never saved, EUNAVAILABLE when no system is at hand.
func Publish(ctx context.Context, rec *recorder.Recorder, incidentID string, kind blotter.DocumentKind) (*Published, error) {
	inc, err := rec.Incident(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	doc, err := rec.Document(ctx, inc.ID, kind)
	if err != nil {
		return nil, blotter.Errorf(blotter.ENOTFOUND, "the %s was never saved: draft it, edit it and save it first", kind)
	}
	p := &Published{Kind: kind, Revision: doc.Revision}
	gi, gerr := LinkedGitLabIncident(ctx, rec, inc.ID)
	client, project, cerr := GitLabClient(ctx, rec)
	switch {
	case gerr != nil:
		p.Skipped = append(p.Skipped, "GitLab: the incident is not linked to a GitLab incident")
	case cerr != nil:
		return p, cerr
	default:
		if err := publishGitLab(ctx, rec, client, project, gi, inc, doc, p); err != nil {
			return p, err
		}
	}
	if err := publishSlack(ctx, rec, inc, doc, p); err != nil {
		return p, err
	}
	if p.GitLabURL == "" && p.Slack == "" {
		return p, blotter.Errorf(blotter.EUNAVAILABLE, "nowhere to publish: link the incident to GitLab or to a Slack channel first")
	}
	return p, nil
}

func publishGitLab(ctx context.Context, rec *recorder.Recorder, client *gitlab.Client, project string, gi *GitLabIncident, inc *blotter.Incident, doc *blotter.Document, p *Published) error {
	body := gitlab.Neutralize(doc.Body)
	remote, err := rec.RemoteID(ctx, doc.ID, GitLabName)
	if err != nil {
		return err
	}
	if doc.Kind == blotter.DocumentRunbook {
		page, err := client.PutWikiPage(ctx, project, "Runbooks/"+wikiTitle(inc.Title), body)
		if err != nil {
			return err
		}
		p.GitLabURL, p.Updated = page.WebURL, remote != ""
		return rec.SetRemoteID(ctx, doc.ID, blotter.RemoteRef{System: GitLabName, ID: "wiki:" + project + "/" + page.Slug, Version: doc.UpdatedAt})
	}
	title := "Incident review: " + inc.Title
	marker := "blotter-review:" + doc.ID
	if strings.HasPrefix(remote, project+"#") {
		var iid int64
		if _, err := fmt.Sscanf(strings.TrimPrefix(remote, project+"#"), "%d", &iid); err == nil {
			is, err := client.UpdateIssue(ctx, project, iid, gitlab.IssueUpdate{Title: &title, Description: &body, Marker: marker})
			if err == nil {
				p.GitLabURL, p.Updated = is.WebURL, true
				return nil
			}
			if !gitlab.IsNotFound(err) {
				return err
			}
		}
	}
	is, err := client.CreateIssue(ctx, project, gitlab.NewIssue{Title: title, Description: body}, marker)
	if err != nil && gitlab.IsUncertain(err) {
		if found, ferr := client.FindIssueByMarker(ctx, project, marker, time.Now().Add(-time.Hour)); ferr == nil && found != nil {
			is, err = found, nil
		}
	}
	if err != nil {
		return err
	}
	if err := client.LinkIssues(ctx, project, is.IID, gi.Project, gi.IID, gitlab.LinkRelatesTo); err != nil {
		return err
	}
	p.GitLabURL = is.WebURL
	return rec.SetRemoteID(ctx, doc.ID, blotter.RemoteRef{System: GitLabName, ID: fmt.Sprintf("%s#%d", project, is.IID), Version: doc.UpdatedAt})
}

// wikiTitle is a title GitLab's wiki takes as one page name: no slashes of its own.
func wikiTitle(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("/", "-", "\\", "-").Replace(s)), " ")
}

func publishSlack(ctx context.Context, rec *recorder.Recorder, inc *blotter.Incident, doc *blotter.Document, p *Published) error {
	ch, err := LinkedSlackChannel(ctx, rec, inc.ID)
	if err != nil {
		p.Skipped = append(p.Skipped, "Slack: the incident is not linked to a channel")
		return nil
	}
	client, _, err := SlackClient(ctx, rec)
	if err != nil {
		return err
	}
	what := map[blotter.DocumentKind]string{blotter.DocumentRCA: "The incident review", blotter.DocumentRunbook: "The runbook"}[doc.Kind]
	text := fmt.Sprintf("%s (revision %d) is published", what, doc.Revision)
	if p.GitLabURL != "" {
		text = fmt.Sprintf("%s (revision %d) is published: <%s|%s>", what, doc.Revision, slack.EscapeURL(p.GitLabURL), slack.EscapeText(inc.Title))
	} else {
		text += " in Blotter; ask the responders for the document"
	}
	if _, err := client.Post(ctx, ch.ID, "", text, "published:"+doc.ID); err != nil {
		return err
	}
	p.Slack = ch.Name
	return nil
}
