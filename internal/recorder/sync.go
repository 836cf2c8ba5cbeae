package recorder

import (
	"context"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// The use cases of the sync engine: links between incidents and systems, the outbox of what
// a system has not received, and the ids subjects have there.

// LinkIncident links the incident to a system (remote is the system's own JSON: where the
// incident is there) and queues its whole record so far for it. Returns ECONFLICT when it is
// linked there already, ENOTFOUND.
func (r *Recorder) LinkIncident(ctx context.Context, incidentID, target, remote string) error {
	return r.db.LinkIncident(ctx, incidentID, target, remote)
}

// UpdateLink replaces what the incident's link says about its place in a system (the id the
// system gave it once created). Returns ENOTFOUND.
func (r *Recorder) UpdateLink(ctx context.Context, incidentID, target, remote string) error {
	return r.db.UpdateLink(ctx, incidentID, target, remote)
}

// SyncLink returns the incident's link to a system. Returns ENOTFOUND.
func (r *Recorder) SyncLink(ctx context.Context, incidentID, target string) (*sqlite.SyncLink, error) {
	return r.db.Link(ctx, incidentID, target)
}

// SyncLinks returns every incident's link to a system.
func (r *Recorder) SyncLinks(ctx context.Context, target string) ([]*sqlite.SyncLink, error) {
	return r.db.Links(ctx, target)
}

// Outbox returns a system's pending items due at now (all pending for zero now), oldest first,
// or its failed ones.
func (r *Recorder) Outbox(ctx context.Context, target string, now time.Time, failed bool, limit int) ([]*sqlite.OutboxItem, error) {
	return r.db.Outbox(ctx, target, now, failed, limit)
}

// OutboxCounts returns how many items wait for a system, and how many failed.
func (r *Recorder) OutboxCounts(ctx context.Context, target string) (pending, failed int, err error) {
	return r.db.OutboxCounts(ctx, target)
}

// Delivered records that a system received the item's state.
func (r *Recorder) Delivered(ctx context.Context, it *sqlite.OutboxItem) error {
	return r.db.Delivered(ctx, it)
}

// Attempting records that an attempt to send the item starts (before it is sent), so that a
// crash during the attempt leaves a trace the next one heeds.
func (r *Recorder) Attempting(ctx context.Context, it *sqlite.OutboxItem) error {
	return r.db.Attempting(ctx, it)
}

// RetryLater records a failed attempt that may succeed later, not before next.
func (r *Recorder) RetryLater(ctx context.Context, it *sqlite.OutboxItem, next time.Time, why string) error {
	return r.db.RetryLater(ctx, it, next, why)
}

// Failed records that a system refused an item for good; it waits for RetryFailed.
func (r *Recorder) Failed(ctx context.Context, it *sqlite.OutboxItem, why string) error {
	return r.db.Failed(ctx, it, why)
}

// RetryFailed queues a system's failed items again (one by id, or all for 0).
func (r *Recorder) RetryFailed(ctx context.Context, target string, id int64) (int, error) {
	return r.db.RetryFailed(ctx, target, id)
}

// SetRemoteID records the id a subject made here has in a system, once sent there.
func (r *Recorder) SetRemoteID(ctx context.Context, subjectID string, ref blotter.RemoteRef) error {
	return r.db.SetRemoteID(ctx, subjectID, ref)
}

// Task returns the task with the given id. Returns ENOTFOUND.
func (r *Recorder) Task(ctx context.Context, id string) (*blotter.Task, error) {
	return r.db.FindTask(ctx, id)
}

// SyncSucceeded records when a pass with a system last went through with nothing left.
func (r *Recorder) SyncSucceeded(ctx context.Context, target string, at time.Time) error {
	return r.db.SetSetting(ctx, "sync_last_success:"+target, blotter.FormatTime(at))
}

// SyncLastSuccess returns when a pass with a system last went through, or zero for never.
func (r *Recorder) SyncLastSuccess(ctx context.Context, target string) (time.Time, error) {
	v, err := r.db.Setting(ctx, "sync_last_success:"+target)
	if err != nil || v == "" {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339Nano, v)
}

// Head returns where the incident's log ends: the last revision's number and hash.
func (r *Recorder) Head(ctx context.Context, incidentID string) (seq int64, hash string, err error) {
	return r.db.Head(ctx, incidentID)
}

// PostedHead returns the head last posted to GitLab for the incident, and when ("" if never).
func (r *Recorder) PostedHead(ctx context.Context, incidentID string) (hash string, at time.Time, err error) {
	v, err := r.db.Setting(ctx, "gitlab_head_posted:"+incidentID)
	if err != nil || v == "" {
		return "", time.Time{}, err
	}
	hash, when, _ := strings.Cut(v, " ")
	at, _ = time.Parse(time.RFC3339Nano, when)
	return hash, at, nil
}

// SetPostedHead records the head posted to GitLab for the incident.
func (r *Recorder) SetPostedHead(ctx context.Context, incidentID, hash string, at time.Time) error {
	return r.db.SetSetting(ctx, "gitlab_head_posted:"+incidentID, hash+" "+at.UTC().Format(time.RFC3339Nano))
}
