package blotter

import (
	"context"
	"time"
)

// Observable is an indicator found in entry text: an IP, domain, URL, hash, e-mail address or
// CVE id. Value is normalized (lower-case domains, canonical IPs).
type Observable struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// Observable kinds.
const (
	ObservableIPv4   = "ipv4"
	ObservableIPv6   = "ipv6"
	ObservableDomain = "domain"
	ObservableURL    = "url"
	ObservableMD5    = "md5"
	ObservableSHA1   = "sha1"
	ObservableSHA256 = "sha256"
	ObservableEmail  = "email"
	ObservableCVE    = "cve"
)

// ObservableExtractor finds the observables in a text, each once.
type ObservableExtractor func(text string) []Observable

// SecretFinder marks where a text holds credentials.
type SecretFinder func(text string) []Secret

// ObservableUse is an observable with the entries of an incident that mention it.
type ObservableUse struct {
	Observable
	EntryIDs []string `json:"entry_ids"`
}

// SearchOptions pages a search, newest first.
type SearchOptions struct {
	Limit int // at most this many results; 0 means 50
	// Before continues a previous page: only entries recorded before this entry id.
	Before string
}

// IncidentService keeps incidents.
type IncidentService interface {
	// CreateIncident fills in the id, time, status and revision of inc and stores it.
	// Returns EINVALID.
	CreateIncident(ctx context.Context, inc *Incident) error
	// FindIncident returns the incident with the given id. Returns ENOTFOUND.
	FindIncident(ctx context.Context, id string) (*Incident, error)
	// ListIncidents returns every incident, newest first.
	ListIncidents(ctx context.Context) ([]*Incident, error)
	// UpdateIncident applies upd as a new revision. Returns ENOTFOUND, EINVALID.
	UpdateIncident(ctx context.Context, id string, upd IncidentUpdate, by, reason string) (*Incident, error)
}

// EntryService keeps timeline entries and their history.
type EntryService interface {
	// AddEntry fills in the id (if empty), recorded time and revision of e and stores it with
	// its first revision. Returns EINVALID, ENOTFOUND (no such incident).
	AddEntry(ctx context.Context, e *Entry) error
	// FindEntry returns the entry with the given id. Returns ENOTFOUND.
	FindEntry(ctx context.Context, id string) (*Entry, error)
	// ListEntries returns the entries the filter selects, oldest first.
	ListEntries(ctx context.Context, f EntryFilter) ([]*Entry, error)
	// EditEntry applies upd as a new revision; reason is required. Returns ENOTFOUND, EINVALID.
	EditEntry(ctx context.Context, id string, upd EntryUpdate, by, reason string) (*Entry, error)
	// DeleteEntry hides the entry with a new revision; reason is required. Returns ENOTFOUND,
	// EINVALID, ECONFLICT (already deleted).
	DeleteEntry(ctx context.Context, id string, by, reason string) (*Entry, error)
	// RestoreEntry shows a deleted entry again, as a new revision. Returns ENOTFOUND, EINVALID,
	// ECONFLICT (not deleted).
	RestoreEntry(ctx context.Context, id string, by, reason string) (*Entry, error)
	// History returns every revision of the entry, oldest first. Returns ENOTFOUND.
	History(ctx context.Context, id string) ([]*Revision, error)
	// Search returns the incident's entries whose text, tags or evidence names match query,
	// newest first. Returns EINVALID for a query with nothing to search for.
	Search(ctx context.Context, incidentID, query string, opts SearchOptions) ([]*Entry, error)
	// Observables returns the observables found in the incident's visible entries.
	Observables(ctx context.Context, incidentID string) ([]*ObservableUse, error)
}

// Clock returns the current time. Services take one so that tests can fix it.
type Clock func() time.Time

// RecordVisitor receives an incident's whole record: the incident with the end of its log,
// then every revision in order, then every entry (deleted ones too) oldest first; or the
// entries before the revisions, if EntriesFirst.
type RecordVisitor struct {
	Incident     func(inc *Incident, headSeq int64, headHash string) error
	Revision     func(*Revision) error
	Entry        func(*Entry) error
	EntriesFirst bool
}

// RecordReader reads an incident's record in one consistent snapshot, streaming it so that a
// million entries never sit in memory at once.
type RecordReader interface {
	// ReadRecord visits the record of the incident. Returns ENOTFOUND.
	ReadRecord(ctx context.Context, incidentID string, v RecordVisitor) error
}
