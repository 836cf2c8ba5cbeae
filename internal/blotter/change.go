package blotter

import (
	"strings"
	"unicode/utf8"
)

// Origin says where a change to the record comes from. The write path records it so that a
// change pulled from GitLab or Slack is never sent back out, and so that the record shows
// which changes were made elsewhere.
type Origin string

// Origins.
const (
	OriginLocal  Origin = "local"  // typed, captured or clicked by this responder, here
	OriginImport Origin = "import" // read from an exported record
	OriginGitLab Origin = "gitlab" // pulled from the linked GitLab incident
	OriginSlack  Origin = "slack"  // taken from the incident's Slack channel
)

// Origins lists the valid origins.
var Origins = []Origin{OriginLocal, OriginImport, OriginGitLab, OriginSlack}

// MaxReasonBytes bounds the reason given for a change.
const MaxReasonBytes = 4096

// RemoteRef names the object a subject is in another system: a GitLab timeline event, a Slack
// message. It is sync bookkeeping, kept beside the record and outside its hashed state.
type RemoteRef struct {
	System string `json:"system"` // "gitlab", "slack", …
	ID     string `json:"id"`     // that system's id (a GitLab global id, a Slack channel/ts pair)
	// Version is the remote object's version (its update time there) as last sent or seen.
	Version string `json:"version,omitempty"`
}

// Change says who makes a change, why, and where it comes from. Every write to the record
// carries one.
type Change struct {
	By     string
	Reason string
	Origin Origin // "" is OriginLocal
	// Remote, if set, is recorded as the changed subject's id in that system, in the same
	// transaction as the change: an adapter that applies a pulled change can never store the
	// change without the id that stops it from being pulled again.
	Remote *RemoteRef
}

// ReasonRequired is the one rule for when a change must say why: when it rewrites or hides
// something the timeline recorded (editing, deleting or restoring an entry). A new entry, a
// task moving on the board and an incident changing status are events in their own right,
// recorded as they happen; a reason for them is kept when given.
func ReasonRequired(subject, action string) bool {
	return subject == SubjectEntry && action != ActionCreate
}

// Validate checks the change for a revision of subject with action: the author, the origin,
// the reason (required where ReasonRequired says so) and the remote reference.
func (c Change) Validate(subject, action string) error {
	if err := validateLine("author", c.By, MaxAuthorBytes); err != nil {
		return err
	}
	if c.Origin != "" && !oneOf(c.Origin, Origins) {
		return Errorf(EINVALID, "origin %q is not one of %s", c.Origin, joinStrings(Origins))
	}
	switch {
	case ReasonRequired(subject, action) && strings.TrimSpace(c.Reason) == "":
		return FieldErrorf(EINVALID, FieldReason, "a change to what the timeline recorded needs a reason: the record keeps why it changed")
	case len(c.Reason) > MaxReasonBytes:
		return FieldErrorf(EINVALID, FieldReason, "the reason is %d bytes; the limit is %d", len(c.Reason), MaxReasonBytes)
	case !utf8.ValidString(c.Reason) || strings.IndexByte(c.Reason, 0) >= 0:
		return FieldErrorf(EINVALID, FieldReason, "the reason must be valid UTF-8 text")
	}
	if r := c.Remote; r != nil {
		if err := validateLine("remote system", r.System, 32); err != nil {
			return err
		}
		if err := validateLine("remote id", r.ID, 512); err != nil {
			return err
		}
	}
	return nil
}

// FromElsewhere reports whether the change was made outside this responder's Blotter (pulled or
// imported): such a change is not sent out again.
func (c Change) FromElsewhere() bool {
	return c.Origin != "" && c.Origin != OriginLocal
}

// RecordedOrigin is the origin as a revision's hashed content holds it: omitted for local
// changes, so that the content of every revision made before origins existed is unchanged.
func (c Change) RecordedOrigin() Origin {
	if c.Origin == OriginLocal {
		return ""
	}
	return c.Origin
}
