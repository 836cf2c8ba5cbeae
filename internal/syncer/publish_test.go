package syncer_test

import (
	"strings"
	"testing"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/syncer"
)

// TestPublishRCAAndRunbook: the saved RCA becomes an incident review issue linked to the
// GitLab incident (updated, not duplicated, on a second publish); the runbook a wiki page.
func TestPublishRCAAndRunbook(t *testing.T) {
	f := newFixture(t)
	t.Setenv(syncer.GitLabTokenEnv, "glpat-ana")
	if err := f.rec.SetGitLabConnection(f.ctx, f.srv.URL(), project); err != nil {
		t.Fatal(err)
	}
	if _, err := syncer.Publish(f.ctx, f.rec, f.inc.ID, blotter.DocumentRCA); blotter.ErrorCode(err) != blotter.ENOTFOUND {
		t.Fatalf("publishing an unsaved RCA: %v", err)
	}
	f.rec.AddNote(f.ctx, recorder.Note{Text: "Leaked list reused #root-cause"})
	f.rec.AddNote(f.ctx, recorder.Note{Text: "Block the IPs at the edge first #runbook"})
	draft, err := f.rec.Draft(f.ctx, f.inc.ID, blotter.DocumentRCA, "")
	if err != nil {
		t.Fatal(err)
	}
	// A quick action typed into the RCA must not act on GitLab.
	if _, err := f.rec.SaveDocument(f.ctx, f.inc.ID, blotter.DocumentRCA, draft+"\n/close\n@all see above\n", 0, ""); err != nil {
		t.Fatal(err)
	}
	p, err := syncer.Publish(f.ctx, f.rec, f.inc.ID, blotter.DocumentRCA)
	if err != nil || p.GitLabURL == "" || p.Updated {
		t.Fatalf("publish: %+v, %v", p, err)
	}
	var review []int
	for _, is := range f.srv.Issues(project) {
		if strings.HasPrefix(is.Title, "Incident review: ") {
			review = append(review, is.IID)
			if !strings.Contains(is.Description, "Leaked list reused") || strings.Contains(is.Description, "\n/close") || strings.Contains(is.Description, "@all") {
				t.Fatalf("review description:\n%s", is.Description)
			}
		}
	}
	if len(review) != 1 {
		t.Fatalf("%d review issues", len(review))
	}
	links := f.srv.IssueLinks(project, review[0])
	if len(links) != 1 || links[0].LinkType != "relates_to" {
		t.Fatalf("links of the review: %+v", links)
	}
	if inc, _ := f.srv.Issue(project, f.iid); inc.State != "opened" {
		t.Fatalf("the incident was closed by the RCA's text: %s", inc.State)
	}
	// A new revision, published again: the same issue, updated.
	if _, err := f.rec.SaveDocument(f.ctx, f.inc.ID, blotter.DocumentRCA, draft+"\nRevised.\n", 1, "revised"); err != nil {
		t.Fatal(err)
	}
	p, err = syncer.Publish(f.ctx, f.rec, f.inc.ID, blotter.DocumentRCA)
	if err != nil || !p.Updated {
		t.Fatalf("second publish: %+v, %v", p, err)
	}
	if is, _ := f.srv.Issue(project, review[0]); !strings.Contains(is.Description, "Revised.") {
		t.Fatalf("the review was not updated:\n%s", is.Description)
	}
	n := 0
	for _, is := range f.srv.Issues(project) {
		if strings.HasPrefix(is.Title, "Incident review: ") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d review issues after the second publish", n)
	}

	// The runbook goes to the wiki.
	rb, err := f.rec.Draft(f.ctx, f.inc.ID, blotter.DocumentRunbook, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.rec.SaveDocument(f.ctx, f.inc.ID, blotter.DocumentRunbook, rb, 0, ""); err != nil {
		t.Fatal(err)
	}
	p, err = syncer.Publish(f.ctx, f.rec, f.inc.ID, blotter.DocumentRunbook)
	if err != nil || !strings.Contains(p.GitLabURL, "/-/wikis/Runbooks/") {
		t.Fatalf("runbook publish: %+v, %v", p, err)
	}
	pages := f.srv.WikiPages(project)
	if len(pages) != 1 || !strings.Contains(pages[0].Content, "Block the IPs at the edge first") {
		t.Fatalf("wiki: %+v", pages)
	}
}
