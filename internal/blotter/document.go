package blotter

import (
	"strings"
	"unicode/utf8"
)

// SubjectDocument is the revision subject of a document written about the incident: the RCA,
// the runbook. Its edits are revisions in the incident's log like everything else, so what the
// RCA said, and when, is part of the record.
const SubjectDocument = "document"

// DocumentKind names the documents an incident has, one of each.
type DocumentKind string

// Document kinds.
const (
	DocumentRCA     DocumentKind = "rca"
	DocumentRunbook DocumentKind = "runbook"
)

// DocumentKinds lists the document kinds.
var DocumentKinds = []DocumentKind{DocumentRCA, DocumentRunbook}

// MaxDocumentBytes bounds a document's Markdown.
const MaxDocumentBytes = 1 << 20

// Document is a Markdown document about the incident, as last saved.
type Document struct {
	ID         string       `json:"id"`
	IncidentID string       `json:"incident_id"`
	Kind       DocumentKind `json:"kind"`
	Body       string       `json:"body"` // Markdown
	UpdatedAt  string       `json:"updated_at"`
	UpdatedBy  string       `json:"updated_by"`
	Revision   int          `json:"revision"`
}

// ParseDocumentKind returns the kind named s, or an EINVALID error.
func ParseDocumentKind(s string) (DocumentKind, error) {
	k := DocumentKind(strings.ToLower(strings.TrimSpace(s)))
	if !oneOf(k, DocumentKinds) {
		return "", Errorf(EINVALID, "document %q is not one of %s", s, joinStrings(DocumentKinds))
	}
	return k, nil
}

// Validate returns an EINVALID error if the document breaks a rule.
func (d *Document) Validate() error {
	if !ValidID(d.ID) {
		return Errorf(EINVALID, "document id %q is not a UUID", d.ID)
	}
	if !ValidID(d.IncidentID) {
		return Errorf(EINVALID, "incident id %q is not a UUID", d.IncidentID)
	}
	if !oneOf(d.Kind, DocumentKinds) {
		return Errorf(EINVALID, "document %q is not one of %s", d.Kind, joinStrings(DocumentKinds))
	}
	if len(d.Body) > MaxDocumentBytes {
		return Errorf(EINVALID, "the document is %d bytes; the limit is %d", len(d.Body), MaxDocumentBytes)
	}
	if strings.TrimSpace(d.Body) == "" {
		return Errorf(EINVALID, "the document is empty")
	}
	if !utf8.ValidString(d.Body) || strings.IndexByte(d.Body, 0) >= 0 {
		return Errorf(EINVALID, "the document is not valid UTF-8 text")
	}
	return validateLine("author", d.UpdatedBy, MaxAuthorBytes)
}
