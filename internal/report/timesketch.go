package report

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/blotterapp/blotter/internal/blotter"
)

// timesketchLayout is ISO 8601 with microseconds and a numeric offset, as Timesketch's own
// examples write it (2015-07-24T19:01:01+00:00): its index keeps microseconds.
const timesketchLayout = "2006-01-02T15:04:05.000000-07:00"

// timesketchEvent is one line of a Timesketch JSONL import. message, datetime and
// timestamp_desc are the fields Timesketch requires; timestamp (microseconds since the epoch)
// is what it sorts by. The rest are Blotter's, named so that several incidents' timelines can
// sit side by side in one sketch.
type timesketchEvent struct {
	Message       string   `json:"message"`
	Datetime      string   `json:"datetime"`
	Timestamp     int64    `json:"timestamp"`
	TimestampDesc string   `json:"timestamp_desc"`
	EntryID       string   `json:"entry_id"`
	IncidentID    string   `json:"incident_id"`
	IncidentTitle string   `json:"incident_title"`
	Kind          string   `json:"kind"`
	Author        string   `json:"author"`
	Tags          []string `json:"tags"`
	Evidence      []string `json:"evidence_sha256"`
	EvidenceNames []string `json:"evidence_names"`
	RecordedAt    string   `json:"recorded_at"`
	Revision      int      `json:"revision"`
	Deleted       bool     `json:"deleted"`
	Secrets       string   `json:"secrets,omitempty"` // which kinds, and whether masked
	Source        string   `json:"source_url,omitempty"`
}

// errEnough ends a read of the record once an export has what it needs.
var errEnough = errors.New("enough of the record")

// WriteTimesketch writes the incident's timeline as Timesketch JSON Lines: one event per entry
// in its current state, deleted entries included (deleted: true), timed at occurred_at
// ("Occurred"). The message is the entry's text with its marked secrets masked unless
// opts.Unmasked; it is otherwise exact, since analysts search it for indicators, and JSON
// escapes what could act on a terminal. It streams.
func WriteTimesketch(ctx context.Context, out io.Writer, src blotter.RecordReader, incidentID string, opts Options) error {
	w := bufio.NewWriterSize(out, 1<<16)
	enc := json.NewEncoder(w) // one object per line: Encode ends each with "\n"
	enc.SetEscapeHTML(false)
	var title string
	err := src.ReadRecord(ctx, incidentID, blotter.RecordVisitor{
		EntriesFirst: true,
		Incident: func(inc *blotter.Incident, _ int64, _ string) error {
			title = inc.Title
			return nil
		},
		Entry: func(e *blotter.Entry) error {
			at := e.OccurredAt.UTC()
			ev := timesketchEvent{
				Message: opts.text(e), Datetime: at.Format(timesketchLayout), Timestamp: at.UnixMicro(), TimestampDesc: "Occurred",
				EntryID: e.ID, IncidentID: e.IncidentID, IncidentTitle: title, Kind: string(e.Kind), Author: e.Author,
				Tags: e.Tags, Evidence: []string{}, EvidenceNames: []string{}, RecordedAt: blotter.FormatTime(e.RecordedAt),
				Revision: e.Revision, Deleted: e.Deleted, Secrets: secretsCell(e.Secrets, opts),
			}
			if ev.Tags == nil {
				ev.Tags = []string{}
			}
			for _, x := range e.Evidence {
				ev.Evidence = append(ev.Evidence, x.SHA256)
				ev.EvidenceNames = append(ev.EvidenceNames, x.Name)
			}
			if e.Source != nil {
				ev.Source = e.Source.URL
			}
			if ev.Message == "" {
				// Timesketch needs a message; an evidence entry may have no text.
				ev.Message = "(" + string(e.Kind) + ")"
				if len(e.Evidence) > 0 {
					ev.Message = "(" + string(e.Kind) + ") " + e.Evidence[0].Name
				}
			}
			return enc.Encode(ev)
		},
		// The log follows the entries and is not part of this export: stop before it.
		Revision: func(*blotter.Revision) error { return errEnough },
	})
	if err != nil && !errors.Is(err, errEnough) {
		return err
	}
	return w.Flush()
}
