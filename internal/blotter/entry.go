package blotter

import (
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kind says where an entry came from.
type Kind string

// Entry kinds.
const (
	KindNote       Kind = "note"       // typed by a responder
	KindClipboard  Kind = "clipboard"  // the clipboard's contents
	KindScreenshot Kind = "screenshot" // a screen capture (its PNG is evidence)
	KindFile       Kind = "file"       // an evidence file
	KindSlack      Kind = "slack"      // a message imported from Slack
	KindGitLab     Kind = "gitlab"     // an event pulled from GitLab
	KindTask       Kind = "task"       // a change on the task board
	KindSystem     Kind = "system"     // an app or sync event worth keeping
	KindCommand    Kind = "command"    // a command run through Blotter (its output is evidence)
)

// Kinds lists every entry kind.
var Kinds = []Kind{KindNote, KindClipboard, KindScreenshot, KindFile, KindSlack, KindGitLab, KindTask, KindSystem, KindCommand}

// ParseKind returns the kind named s, or an EINVALID error.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if !oneOf(k, Kinds) {
		return "", Errorf(EINVALID, "kind %q is not one of %s", s, joinStrings(Kinds))
	}
	return k, nil
}

// Limits on an entry. Text beyond MaxTextBytes belongs in an evidence file, where it is hashed
// and kept whole, not in a timeline line.
const (
	MaxTextBytes   = 256 << 10
	MaxTagBytes    = 64
	MaxTags        = 32
	MaxAuthorBytes = 128
)

// GitLabTimelineTags are GitLab's incident timeline event tags. A tag that matches one of them
// (ignoring case and spaces) is written exactly as GitLab spells it, so it syncs as that tag.
var GitLabTimelineTags = []string{
	"Start time", "End time", "Impact detected", "Response initiated", "Impact mitigated", "Cause identified",
}

// Evidence is a file kept in the vault, as one entry refers to it.
type Evidence struct {
	SHA256     string `json:"sha256"`
	Name       string `json:"name"` // the original file name
	Size       int64  `json:"size"`
	MediaType  string `json:"media_type"`
	SourcePath string `json:"source_path,omitempty"` // the absolute path it was taken from
	LinkTarget string `json:"link_target,omitempty"` // where the source path pointed, if it was a symlink
}

// Entry is one line of an incident's timeline. Its fields are the entry's current state; its
// past states are revisions.
type Entry struct {
	ID         string     `json:"id"`
	IncidentID string     `json:"incident_id"`
	Kind       Kind       `json:"kind"`
	OccurredAt time.Time  `json:"occurred_at"` // when it happened (the key press); editable
	RecordedAt time.Time  `json:"recorded_at"` // when Blotter stored it; never edited
	Author     string     `json:"author"`
	Text       string     `json:"text"`
	Tags       []string   `json:"tags"`
	Evidence   []Evidence `json:"evidence"`
	Secrets    []Secret   `json:"secrets,omitempty"` // where the text holds credentials
	// Source is where an entry taken from another system is there (a Slack message's
	// permalink and thread); nil for what was recorded here.
	Source   *Source `json:"source,omitempty"`
	Revision int     `json:"revision"`
	Deleted  bool    `json:"deleted"`
}

// entryJSON is Entry on the wire: times in TimeLayout, lists never null. Decoding needs no
// counterpart: time.Time reads any RFC 3339 time, and the default decoder is the fastest path
// for a million imported entries.
type entryJSON struct {
	ID         string     `json:"id"`
	IncidentID string     `json:"incident_id"`
	Kind       Kind       `json:"kind"`
	OccurredAt string     `json:"occurred_at"`
	RecordedAt string     `json:"recorded_at"`
	Author     string     `json:"author"`
	Text       string     `json:"text"`
	Tags       []string   `json:"tags"`
	Evidence   []Evidence `json:"evidence"`
	Secrets    []Secret   `json:"secrets,omitempty"`
	Source     *Source    `json:"source,omitempty"`
	Revision   int        `json:"revision"`
	Deleted    bool       `json:"deleted"`
}

// MarshalJSON writes times in TimeLayout and empty lists as [].
func (e Entry) MarshalJSON() ([]byte, error) {
	w := entryJSON{
		ID: e.ID, IncidentID: e.IncidentID, Kind: e.Kind,
		OccurredAt: FormatTime(e.OccurredAt), RecordedAt: FormatTime(e.RecordedAt),
		Author: e.Author, Text: e.Text, Tags: e.Tags, Evidence: e.Evidence, Secrets: e.Secrets,
		Source: e.Source, Revision: e.Revision, Deleted: e.Deleted,
	}
	if w.Tags == nil {
		w.Tags = []string{}
	}
	if w.Evidence == nil {
		w.Evidence = []Evidence{}
	}
	return json.Marshal(w)
}

// Validate returns an EINVALID error if the entry breaks a rule. Tags must be normalized first
// (NormalizeTags).
func (e *Entry) Validate() error {
	if !ValidID(e.ID) {
		return Errorf(EINVALID, "entry id %q is not a UUID", e.ID)
	}
	if !ValidID(e.IncidentID) {
		return Errorf(EINVALID, "incident id %q is not a UUID", e.IncidentID)
	}
	if !oneOf(e.Kind, Kinds) {
		return Errorf(EINVALID, "kind %q is not one of %s", e.Kind, joinStrings(Kinds))
	}
	if !validTime(e.OccurredAt) {
		return Errorf(EINVALID, "time %s is out of range (1970 to 2199)", e.OccurredAt.UTC().Format(time.RFC3339))
	}
	if !validTime(e.RecordedAt) {
		return Errorf(EINVALID, "recorded time %s is out of range", e.RecordedAt.UTC().Format(time.RFC3339))
	}
	if err := validateLine("author", e.Author, MaxAuthorBytes); err != nil {
		return err
	}
	if err := ValidateText(e.Text); err != nil {
		return err
	}
	if strings.TrimSpace(e.Text) == "" && len(e.Evidence) == 0 {
		return Errorf(EINVALID, "the entry is empty: give it text or evidence")
	}
	if len(e.Tags) > MaxTags {
		return Errorf(EINVALID, "an entry may have at most %d tags, not %d", MaxTags, len(e.Tags))
	}
	for _, ev := range e.Evidence {
		if err := ev.Validate(); err != nil {
			return err
		}
	}
	if e.Source != nil {
		if err := e.Source.Validate(); err != nil {
			return err
		}
	}
	for _, sec := range e.Secrets {
		if sec.Start < 0 || sec.End <= sec.Start || sec.End > len(e.Text) {
			return Errorf(EINVALID, "a secret mark (%d-%d) lies outside the text", sec.Start, sec.End)
		}
	}
	return nil
}

// Source is where an entry taken from another system is there. It is part of the entry's
// hashed state (omitted when nil, so entries recorded here hash as they always did).
type Source struct {
	URL    string `json:"url"`              // the object's permalink (a Slack message)
	Thread string `json:"thread,omitempty"` // the permalink of the thread it replies in, if any
}

// MaxSourceURLBytes bounds a source link.
const MaxSourceURLBytes = 2048

// Validate checks that the source's links are https or http URLs a view can open safely.
func (s *Source) Validate() error {
	for _, u := range []string{s.URL, s.Thread} {
		if u == "" && u == s.Thread {
			continue
		}
		if err := validateLine("source link", u, MaxSourceURLBytes); err != nil {
			return err
		}
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			return Errorf(EINVALID, "source link %q is not an http(s) URL", u)
		}
	}
	return nil
}

// ValidateText checks entry text: valid UTF-8, no NUL bytes, at most MaxTextBytes.
func ValidateText(s string) error {
	if len(s) > MaxTextBytes {
		return Errorf(EINVALID, "the text is %d bytes; the limit is %d bytes (%d KiB): attach it as a file instead",
			len(s), MaxTextBytes, MaxTextBytes>>10)
	}
	if !utf8.ValidString(s) {
		at := 0
		for at < len(s) {
			r, size := utf8.DecodeRuneInString(s[at:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			at += size
		}
		return Errorf(EINVALID, "the text is not valid UTF-8 (bad byte at offset %d): attach it as a file instead", at)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return Errorf(EINVALID, "the text contains a NUL byte: attach it as a file instead")
	}
	return nil
}

// Validate checks the evidence reference.
func (ev *Evidence) Validate() error {
	if len(ev.SHA256) != 64 || strings.Trim(ev.SHA256, "0123456789abcdef") != "" {
		return Errorf(EINVALID, "evidence digest %q is not a lower-case SHA-256", ev.SHA256)
	}
	if ev.Size < 0 {
		return Errorf(EINVALID, "evidence size %d is negative", ev.Size)
	}
	return validateLine("evidence name", ev.Name, 1024)
}

// NormalizeTags trims each tag, drops a leading '#', folds inner white space, spells GitLab's
// timeline tags as GitLab does, and removes duplicates (ignoring case), keeping the first order.
// It returns an EINVALID error for a tag that is too long or holds control characters.
func NormalizeTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	seen := make(map[string]bool, len(tags))
	for _, raw := range tags {
		t := strings.Join(strings.Fields(strings.TrimPrefix(strings.TrimSpace(raw), "#")), " ")
		if t == "" {
			continue
		}
		if !utf8.ValidString(t) || strings.IndexFunc(t, unicode.IsControl) >= 0 {
			return nil, Errorf(EINVALID, "tag %q holds invalid or control characters", raw)
		}
		if len(t) > MaxTagBytes {
			return nil, Errorf(EINVALID, "tag %q is %d bytes; the limit is %d", t, len(t), MaxTagBytes)
		}
		for _, g := range GitLabTimelineTags {
			if strings.EqualFold(t, g) || strings.EqualFold(t, strings.ReplaceAll(g, " ", "-")) {
				t = g
			}
		}
		key := strings.ToLower(t)
		if !seen[key] {
			seen[key] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// EntryUpdate names the entry fields an edit changes; nil fields stay as they are.
type EntryUpdate struct {
	Text       *string    `json:"text,omitempty"`
	OccurredAt *time.Time `json:"occurred_at,omitempty"`
	Tags       *[]string  `json:"tags,omitempty"`
}

// EntryFilter selects timeline entries. Zero fields select everything.
type EntryFilter struct {
	IncidentID     string
	Kinds          []Kind
	Tag            string
	Author         string
	Since, Until   time.Time // occurred_at in [Since, Until)
	IncludeDeleted bool
	Limit          int  // 0: no limit
	Offset         int  // skip this many first
	Last           bool // with Limit: the last Limit entries (still oldest first), not the first
}

// HashTags returns the #tag words of a note's text ("#c2 seen" -> "c2"), so that typing a tag
// inline is enough. A '#' inside a word or before a digit-only word (an issue number) is not a
// tag, and neither is a word that could not be a tag (over MaxTagBytes, control characters):
// it stays text, and the note is kept.
func HashTags(text string) []string {
	var tags []string
	for _, word := range strings.Fields(text) {
		if len(word) < 2 || word[0] != '#' {
			continue
		}
		tag := strings.TrimRight(word[1:], ".,;:!?)]}\"'")
		if tag == "" || strings.Trim(tag, "0123456789") == "" || strings.ContainsRune(tag, '#') {
			continue
		}
		if _, err := NormalizeTags([]string{tag}); err != nil {
			continue
		}
		tags = append(tags, tag)
	}
	return tags
}

// NoteTags returns the tags of a note: the tags given explicitly, which must each be valid,
// then the #words of its text, as many as fit in MaxTags. Text with more #words than an entry
// can hold keeps them all as text and is never refused for it.
func NoteTags(explicit []string, text string) ([]string, error) {
	tags, err := NormalizeTags(explicit)
	if err != nil {
		return nil, err
	}
	if len(tags) > MaxTags {
		return nil, Errorf(EINVALID, "an entry may have at most %d tags, not %d", MaxTags, len(tags))
	}
	inline, _ := NormalizeTags(HashTags(text)) // HashTags keeps only valid tags
	all, _ := NormalizeTags(append(tags, inline...))
	return all[:min(len(all), MaxTags)], nil
}

// Secret marks where an entry's text holds something that looks like a credential. The text
// keeps it (it is evidence); the mark is what keeps it from leaving the machine unmasked.
type Secret struct {
	Kind  string `json:"kind"`
	Start int    `json:"start"` // byte offsets into the text
	End   int    `json:"end"`
}

// MaskSecrets returns text with each marked secret replaced by [REDACTED kind]. Marks that do
// not fit the text (stale or damaged) mask from their start to the end, never less.
func MaskSecrets(text string, secrets []Secret) string {
	var b strings.Builder
	at := 0
	for _, s := range secrets {
		start, end := max(s.Start, at), min(s.End, len(text))
		if start >= len(text) {
			break
		}
		if end <= start {
			end = len(text)
		}
		b.WriteString(text[at:start])
		b.WriteString("[REDACTED " + s.Kind + "]")
		at = end
	}
	b.WriteString(text[at:])
	return b.String()
}
