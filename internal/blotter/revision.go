package blotter

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Subjects a revision can be about.
const (
	SubjectIncident = "incident"
	SubjectEntry    = "entry"
)

// Revision actions.
const (
	ActionCreate  = "create"
	ActionEdit    = "edit"
	ActionDelete  = "delete"
	ActionRestore = "restore"
)

// RevisionFormat is the version of RevisionContent written by this build.
const RevisionFormat = 1

// Revision is one link of an incident's tamper-evident log: a change to the incident or one of
// its entries. Content is the exact text that was hashed; the other fields are read from it.
//
// Hash = hex(SHA-256(PrevHash + "\n" + Content)), and PrevHash is the Hash of the revision with
// the previous Seq in the same incident ("" for the first). Anyone can check a chain with
// sha256sum alone, from an export.
type Revision struct {
	Seq        int64  `json:"seq"` // the position in the incident's log, from 1
	IncidentID string `json:"incident_id"`
	Subject    string `json:"subject"`
	SubjectID  string `json:"subject_id"`
	Number     int    `json:"revision"` // the subject's own revision number, from 1
	Action     string `json:"action"`
	By         string `json:"by"`
	At         string `json:"at"`
	Reason     string `json:"reason,omitempty"`
	Content    string `json:"content"`
	PrevHash   string `json:"prev_hash"`
	Hash       string `json:"hash"`
}

// RevisionContent is what a revision's Content holds: who changed what, when and why, and the
// whole state of the subject after the change.
type RevisionContent struct {
	Format     int    `json:"format"`
	IncidentID string `json:"incident_id"`
	Seq        int64  `json:"seq"`
	Subject    string `json:"subject"`
	SubjectID  string `json:"subject_id"`
	Revision   int    `json:"revision"`
	Action     string `json:"action"`
	By         string `json:"by"`
	At         string `json:"at"`
	Reason     string `json:"reason,omitempty"`
	// Origin is where the change was made when not here ("gitlab", "slack"); omitted for local
	// changes, so revisions written before origins existed hash as they did.
	Origin   Origin    `json:"origin,omitempty"`
	Incident *Incident `json:"incident,omitempty"`
	Entry    *Entry    `json:"entry,omitempty"`
	Task     *Task     `json:"task,omitempty"`
	Document *Document `json:"document,omitempty"`
}

// NewRevision builds the next link of a chain whose last hash is prevHash.
func NewRevision(c RevisionContent, prevHash string) (*Revision, error) {
	c.Format = RevisionFormat
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	r := &Revision{
		Seq: c.Seq, IncidentID: c.IncidentID, Subject: c.Subject, SubjectID: c.SubjectID,
		Number: c.Revision, Action: c.Action, By: c.By, At: c.At, Reason: c.Reason,
		Content: string(b), PrevHash: prevHash,
	}
	r.Hash = ChainHash(prevHash, r.Content)
	return r, nil
}

// ChainHash is the hash of a revision whose content is content, following prevHash.
func ChainHash(prevHash, content string) string {
	h := sha256.New()
	h.Write([]byte(prevHash))
	h.Write([]byte{'\n'})
	h.Write([]byte(content))
	return hex.EncodeToString(h.Sum(nil))
}

// Decode parses the revision's Content and checks that the revision's fields agree with it, so
// that a field changed behind Blotter's back does not go unnoticed.
func (r *Revision) Decode() (*RevisionContent, error) {
	var c RevisionContent
	if err := json.Unmarshal([]byte(r.Content), &c); err != nil {
		return nil, Errorf(EINVALID, "revision %d: content is not valid: %v", r.Seq, err)
	}
	if c.Seq != r.Seq || c.IncidentID != r.IncidentID || c.Subject != r.Subject || c.SubjectID != r.SubjectID ||
		c.Revision != r.Number || c.Action != r.Action || c.By != r.By || c.At != r.At || c.Reason != r.Reason {
		return nil, Errorf(EINVALID, "revision %d: its fields do not match its hashed content", r.Seq)
	}
	switch {
	case c.Subject == SubjectEntry && c.Entry == nil, c.Subject == SubjectIncident && c.Incident == nil,
		c.Subject == SubjectTask && c.Task == nil, c.Subject == SubjectDocument && c.Document == nil:
		return nil, Errorf(EINVALID, "revision %d: content has no %s state", r.Seq, c.Subject)
	}
	return &c, nil
}

// ChainVerifier checks an incident's revisions one by one, in Seq order: the hash links, and
// that each subject's revisions count up from a first "create" with no gap.
type ChainVerifier struct {
	IncidentID string
	prevHash   string
	nextSeq    int64
	latest     map[[16]byte]int32 // subject id -> its last revision number; compact for a million entries
}

// NewChainVerifier returns a verifier for the log of incident id.
func NewChainVerifier(incidentID string) *ChainVerifier {
	return &ChainVerifier{IncidentID: incidentID, nextSeq: 1, latest: map[[16]byte]int32{}}
}

// Latest returns the last revision number checked for the subject, 0 if none.
func (v *ChainVerifier) Latest(subjectID string) int {
	key, _ := uuidKey(subjectID)
	return int(v.latest[key])
}

// uuidKey packs a canonical UUID into 16 bytes.
func uuidKey(id string) ([16]byte, bool) {
	var key [16]byte
	if !ValidID(id) {
		return key, false
	}
	hex.Decode(key[:4], []byte(id[0:8]))
	hex.Decode(key[4:6], []byte(id[9:13]))
	hex.Decode(key[6:8], []byte(id[14:18]))
	hex.Decode(key[8:10], []byte(id[19:23]))
	hex.Decode(key[10:], []byte(id[24:]))
	return key, true
}

// Subjects returns how many distinct subjects the checked revisions were about.
func (v *ChainVerifier) Subjects() int { return len(v.latest) }

// Head returns the hash of the last revision checked.
func (v *ChainVerifier) Head() string { return v.prevHash }

// Count returns how many revisions were checked.
func (v *ChainVerifier) Count() int64 { return v.nextSeq - 1 }

// Check verifies r as the next link and returns its decoded content. The error names the
// revision and what is wrong with it.
func (v *ChainVerifier) Check(r *Revision) (*RevisionContent, error) {
	switch {
	case r.IncidentID != v.IncidentID:
		return nil, Errorf(EINVALID, "revision %d belongs to incident %s, not %s", r.Seq, r.IncidentID, v.IncidentID)
	case r.Seq != v.nextSeq:
		return nil, Errorf(EINVALID, "revision %d is missing from the log (found %d next)", v.nextSeq, r.Seq)
	case r.PrevHash != v.prevHash:
		return nil, Errorf(EINVALID, "revision %d (%s %s) does not follow the previous hash", r.Seq, r.Subject, r.SubjectID)
	case ChainHash(r.PrevHash, r.Content) != r.Hash:
		return nil, Errorf(EINVALID, "revision %d (%s %s) has been altered: its hash does not match its content", r.Seq, r.Subject, r.SubjectID)
	}
	c, err := r.Decode()
	if err != nil {
		return nil, err
	}
	key, ok := uuidKey(r.SubjectID)
	if !ok {
		return nil, Errorf(EINVALID, "revision %d: subject id %q is not a UUID", r.Seq, r.SubjectID)
	}
	if err := v.checkSubject(r, c, int(v.latest[key])); err != nil {
		return nil, err
	}
	v.prevHash = r.Hash
	v.nextSeq++
	v.latest[key] = int32(r.Number)
	return c, nil
}

// checkSubject checks that the revision continues its subject's own history and that the state
// it carries is the subject it names.
func (v *ChainVerifier) checkSubject(r *Revision, c *RevisionContent, latest int) error {
	switch {
	case r.Number != latest+1:
		return Errorf(EINVALID, "revision %d: %s %s jumps from revision %d to %d", r.Seq, r.Subject, r.SubjectID, latest, r.Number)
	case (r.Number == 1) != (r.Action == ActionCreate):
		return Errorf(EINVALID, "revision %d: %s %s has action %q at revision %d", r.Seq, r.Subject, r.SubjectID, r.Action, r.Number)
	case r.Seq == 1 && r.Subject != SubjectIncident:
		return Errorf(EINVALID, "revision 1 must create the incident, not %s %s", r.Subject, r.SubjectID)
	case r.Subject == SubjectIncident && (c.Incident.ID != r.SubjectID || r.SubjectID != v.IncidentID || c.Incident.Revision != r.Number):
		return Errorf(EINVALID, "revision %d: the incident state does not match the revision", r.Seq)
	case r.Subject == SubjectEntry && (c.Entry.ID != r.SubjectID || c.Entry.IncidentID != v.IncidentID || c.Entry.Revision != r.Number):
		return Errorf(EINVALID, "revision %d: the entry state does not match the revision", r.Seq)
	case r.Subject == SubjectTask && (c.Task.ID != r.SubjectID || c.Task.IncidentID != v.IncidentID || c.Task.Revision != r.Number):
		return Errorf(EINVALID, "revision %d: the task state does not match the revision", r.Seq)
	case r.Subject == SubjectDocument && (c.Document.ID != r.SubjectID || c.Document.IncidentID != v.IncidentID || c.Document.Revision != r.Number):
		return Errorf(EINVALID, "revision %d: the document state does not match the revision", r.Seq)
	case r.Subject != SubjectEntry && r.Subject != SubjectIncident && r.Subject != SubjectTask && r.Subject != SubjectDocument:
		return Errorf(EINVALID, "revision %d: unknown subject %q", r.Seq, r.Subject)
	}
	return nil
}

// VerifyReport says what a check of an incident's record found.
type VerifyReport struct {
	IncidentID string `json:"incident_id"`
	Title      string `json:"title"`
	Revisions  int64  `json:"revisions"`
	Entries    int64  `json:"entries"`
	Tasks      int64  `json:"tasks"`
	Documents  int64  `json:"documents,omitempty"`
	Head       string `json:"head"`              // the hash of the last revision
	Problem    string `json:"problem,omitempty"` // the first thing that does not check out
}

// OK reports whether the record checked out.
func (r *VerifyReport) OK() bool { return r.Problem == "" }
