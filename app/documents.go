package app

import (
	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/syncer"
)

// Documents lets the frontend draft, edit, save and publish the active incident's RCA and
// runbook.
type Documents struct{ *core }

// Draft makes a draft of the document ("rca" or "runbook") from the record as it is now.
func (d *Documents) Draft(kind string) (string, error) {
	k, err := blotter.ParseDocumentKind(kind)
	if err != nil {
		return "", err
	}
	inc, err := d.rec.ActiveIncident(d.ctx())
	if err != nil {
		return "", err
	}
	return d.rec.Draft(d.ctx(), inc.ID, k, "")
}

// Get returns the saved document, or nil when it was never saved.
func (d *Documents) Get(kind string) (*blotter.Document, error) {
	k, err := blotter.ParseDocumentKind(kind)
	if err != nil {
		return nil, err
	}
	inc, err := d.rec.ActiveIncident(d.ctx())
	if err != nil {
		return nil, err
	}
	doc, err := d.rec.Document(d.ctx(), inc.ID, k)
	if blotter.ErrorCode(err) == blotter.ENOTFOUND {
		return nil, nil
	}
	return doc, err
}

// Save saves the edited document as its next revision; base is the revision it was edited
// from (0 for a first save). A save over someone else's newer one is refused (a conflict).
func (d *Documents) Save(kind, body string, base int, reason string) (*blotter.Document, error) {
	k, err := blotter.ParseDocumentKind(kind)
	if err != nil {
		return nil, err
	}
	inc, err := d.rec.ActiveIncident(d.ctx())
	if err != nil {
		return nil, err
	}
	return d.rec.SaveDocument(d.ctx(), inc.ID, k, body, base, reason)
}

// Publish sends the saved document to GitLab (review issue, wiki page) and its link to Slack.
func (d *Documents) Publish(kind string) (*syncer.Published, error) {
	k, err := blotter.ParseDocumentKind(kind)
	if err != nil {
		return nil, err
	}
	inc, err := d.rec.ActiveIncident(d.ctx())
	if err != nil {
		return nil, err
	}
	return syncer.Publish(d.ctx(), d.rec, inc.ID, k)
}
