package blotter

import (
	"context"
	"time"
)

// The use cases (create an incident, add a note, move a task, …) live in internal/recorder, the
// one service layer that the app, the CLI and the sync adapters call; internal/sqlite is its
// store. Only the interfaces that more than one package implements or consumes stay here.

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
