package gitlab

// Idempotency markers.
//
// The sync engine must never create a duplicate when an answer was lost after GitLab committed
// the change (a dropped connection, a timeout, a 5xx). So every create carries a marker, a short
// unique string the engine derives from the local subject id ("blotter:0195…"), which the
// client embeds where GitLab keeps it verbatim and shows it to nobody, and the Find…ByMarker
// helpers page through what exists to find the one object that carries it.
//
//   - Issues (incidents and tasks) and notes: an HTML comment on its own line at the end of the
//     description or body, "\n\n<!-- blotter:… -->". GitLab stores Markdown as sent and strips
//     comments when it renders, so nobody sees it; the edit box shows it, and it survives edits
//     made around it. Lookups match the whole comment anywhere in the text (an edit may add text
//     after it) and take the oldest match, since a quote of the marker can only come later.
//
//   - Timeline events: their note is limited to 280 characters (GitLab counts characters, that
//     is code points), and a 45-character marker would take a sixth of that. The event instead
//     carries a 20-character token at the end of its note, " <!--b:xxxxxxxxxx-->": an HTML
//     comment again, so the rendered timeline stays clean, holding the first 50 bits of the
//     marker's SHA-256 in base32. Lookups are within one incident's timeline, so a collision
//     between two of its events is about n²/2⁵¹ (under 10⁻⁸ for 2,000 events). A visible
//     trailing token would survive just as well but would clutter every event people read
//     during the incident and in its review; a zero-width encoding would be cheaper but is
//     stripped by editors and copy-paste. An event promoted from a note quotes the note's body,
//     so it also carries the note's whole marker, which the lookup accepts as well.
//
// Uploads carry no marker: a lost answer leaves an unreferenced file in the project's uploads,
// which nobody sees until a note or event links it; the engine links the one whose answer it got.

import (
	"crypto/sha256"
	"encoding/base32"
	"regexp"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
)

// MaxTimelineNote is GitLab's limit on a timeline event's note, in characters (code points).
const MaxTimelineNote = 280

// TimelineMarkerLen is how many characters the marker token adds to a timeline event's note.
const TimelineMarkerLen = 20

// TimelineTextBudget is how many characters of text fit in a timeline event beside its marker.
const TimelineTextBudget = MaxTimelineNote - TimelineMarkerLen

// MaxMarkerLen bounds a marker.
const MaxMarkerLen = 128

var (
	markerRe        = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9:._-]*$`)
	trailingIssueRe = regexp.MustCompile(`\s*<!-- [A-Za-z0-9][A-Za-z0-9:._-]* -->\s*$`)
	trailingEventRe = regexp.MustCompile(`\s*<!--b:[a-z2-7]{10}-->\s*$`)
	tokenEncoding   = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)
)

// checkMarker returns an EINVALID error unless marker can be embedded in an HTML comment and
// found again: letters, digits and : . _ - (no "--"), at most MaxMarkerLen characters.
func checkMarker(op, marker string) error {
	if marker == "" || len(marker) > MaxMarkerLen || !markerRe.MatchString(marker) || strings.Contains(marker, "--") {
		return &APIError{Op: op, Code: blotter.EINVALID,
			Message: "the marker must be 1 to 128 letters, digits and : . _ - (no \"--\"), such as blotter:<subject id>"}
	}
	return nil
}

// commentMarker is the marker as issues and notes carry it.
func commentMarker(marker string) string { return "<!-- " + marker + " -->" }

// eventToken is the marker as timeline events carry it.
func eventToken(marker string) string {
	sum := sha256.Sum256([]byte(marker))
	return "<!--b:" + tokenEncoding.EncodeToString(sum[:])[:10] + "-->"
}

// withMarker appends the marker comment to a description or note body.
func withMarker(text, marker string) string {
	text = strings.TrimRight(text, " \t\r\n")
	if text == "" {
		return commentMarker(marker)
	}
	return text + "\n\n" + commentMarker(marker)
}

// withEventMarker appends the marker token to a timeline event's note.
func withEventMarker(note, marker string) string {
	return strings.TrimRight(note, " \t\r\n") + " " + eventToken(marker)
}

func containsMarker(text, marker string) bool {
	return marker != "" && strings.Contains(text, commentMarker(marker))
}

func eventHasMarker(note, marker string) bool {
	return marker != "" && (strings.Contains(note, eventToken(marker)) || containsMarker(note, marker))
}

// StripMarker returns text without a Blotter marker at its end (either form), for showing or
// comparing what people wrote.
func StripMarker(text string) string {
	if loc := trailingEventRe.FindStringIndex(text); loc != nil {
		return text[:loc[0]]
	}
	if loc := trailingIssueRe.FindStringIndex(text); loc != nil {
		return text[:loc[0]]
	}
	return text
}
