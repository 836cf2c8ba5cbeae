package recorder

import (
	"context"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// The use cases of the sync adapters (GitLab, Slack): they change the record through the same
// write path as a responder here, with a blotter.Change that says where the change was made
// (Origin), by whom there (By), and which object it is there (Remote). A change that came from
// elsewhere is never sent back out.

// AddRemoteEntry stores an entry that another system holds (a GitLab timeline event, a Slack
// message), with its id there, in one transaction. ch.Origin must not be local and ch.Remote
// is required. Returns ECONFLICT when that remote object is on the record already (a pull
// seen twice adds nothing), EINVALID, ENOTFOUND.
func (r *Recorder) AddRemoteEntry(ctx context.Context, e *blotter.Entry, ch blotter.Change) (*blotter.Entry, error) {
	if err := checkRemote(ch); err != nil {
		return nil, err
	}
	if id, err := r.db.SubjectOfRemote(ctx, ch.Remote.System, ch.Remote.ID); err != nil {
		return nil, err
	} else if id != "" {
		return nil, blotter.Errorf(blotter.ECONFLICT, "the %s object %s is on the record already, as entry %s", ch.Remote.System, ch.Remote.ID, id)
	}
	if err := r.db.AddEntry(ctx, e, ch); err != nil {
		return nil, err
	}
	return e, nil
}

// AddRemoteEntries stores entries made elsewhere, each with its change (its origin and
// remote object), in one transaction, in order; those whose remote object is on the record
// already are left out. It returns how many it stored.
func (r *Recorder) AddRemoteEntries(ctx context.Context, items []sqlite.NewEntry) (int, error) {
	for _, it := range items {
		if err := checkRemote(it.Change); err != nil {
			return 0, err
		}
	}
	added, err := r.db.AddEntries(ctx, items)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ok := range added {
		if ok {
			n++
		}
	}
	return n, nil
}

// EditRemoteEntry applies a change made elsewhere to the entry that is that remote object
// there, as a revision. Returns ENOTFOUND (no entry is that object), EINVALID (including a
// change that changes nothing).
func (r *Recorder) EditRemoteEntry(ctx context.Context, upd blotter.EntryUpdate, ch blotter.Change) (*blotter.Entry, error) {
	if err := checkRemote(ch); err != nil {
		return nil, err
	}
	id, err := r.db.SubjectOfRemote(ctx, ch.Remote.System, ch.Remote.ID)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, blotter.Errorf(blotter.ENOTFOUND, "no entry is the %s object %s", ch.Remote.System, ch.Remote.ID)
	}
	return r.db.EditEntry(ctx, id, upd, ch)
}

// UpdateRemoteIncident applies a change made elsewhere to the incident (its status or severity
// changed in GitLab), as a revision and an entry on its timeline; ch.Remote records the
// incident's id and version there. Returns ENOTFOUND, EINVALID (including nothing to change).
func (r *Recorder) UpdateRemoteIncident(ctx context.Context, id string, upd blotter.IncidentUpdate, ch blotter.Change) (*blotter.Incident, error) {
	if err := checkRemote(ch); err != nil {
		return nil, err
	}
	return r.db.UpdateIncident(ctx, id, upd, ch)
}

// UpdateRemoteTask applies a change made elsewhere to a task (its issue moved, closed or was
// reassigned in GitLab), as a revision and a task entry. Returns ENOTFOUND, EINVALID.
func (r *Recorder) UpdateRemoteTask(ctx context.Context, id string, ch blotter.Change, change func(*blotter.Task) error) (*blotter.Task, error) {
	if err := checkRemote(ch); err != nil {
		return nil, err
	}
	return r.db.UpdateTask(ctx, id, ch, change)
}

// AddRemoteTask puts a task that another system holds (a task issue another responder's
// Blotter made) on the board, with its id there, in one transaction. Returns ECONFLICT when
// that remote object is on the record already, EINVALID, ENOTFOUND.
func (r *Recorder) AddRemoteTask(ctx context.Context, t *blotter.Task, ch blotter.Change) (*blotter.Task, error) {
	if err := checkRemote(ch); err != nil {
		return nil, err
	}
	if id, err := r.db.SubjectOfRemote(ctx, ch.Remote.System, ch.Remote.ID); err != nil {
		return nil, err
	} else if id != "" {
		return nil, blotter.Errorf(blotter.ECONFLICT, "the %s object %s is on the board already, as task %s", ch.Remote.System, ch.Remote.ID, id)
	}
	return t, r.db.AddTask(ctx, t, ch)
}

// RemoteTasks returns the incident's tasks that have an id in system: task id → its reference.
func (r *Recorder) RemoteTasks(ctx context.Context, incidentID, system string) (map[string]blotter.RemoteRef, error) {
	return r.db.RemoteTasks(ctx, incidentID, system)
}

// DeleteRemoteEntry hides the entry that is a remote object which was deleted there, as a
// revision (the record keeps it). Returns ENOTFOUND, ECONFLICT (deleted already).
func (r *Recorder) DeleteRemoteEntry(ctx context.Context, ch blotter.Change) (*blotter.Entry, error) {
	if err := checkRemote(ch); err != nil {
		return nil, err
	}
	id, err := r.db.SubjectOfRemote(ctx, ch.Remote.System, ch.Remote.ID)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, blotter.Errorf(blotter.ENOTFOUND, "no entry is the %s object %s", ch.Remote.System, ch.Remote.ID)
	}
	ch.Remote = nil // the id stays recorded; the change is the deletion
	return r.db.DeleteEntry(ctx, id, ch)
}

// RemoteEntries returns the incident's entries that have an id in system: entry id → its id.
func (r *Recorder) RemoteEntries(ctx context.Context, incidentID, system string) (map[string]blotter.RemoteRef, error) {
	return r.db.RemoteEntries(ctx, incidentID, system)
}

// RemoteID returns the id a subject (incident, entry, task) has in system, or "" for none.
func (r *Recorder) RemoteID(ctx context.Context, subjectID, system string) (string, error) {
	return r.db.RemoteID(ctx, subjectID, system)
}

// RemoteVersion returns the version a subject's remote object had when last sent or seen.
func (r *Recorder) RemoteVersion(ctx context.Context, subjectID, system string) (string, error) {
	return r.db.RemoteVersion(ctx, subjectID, system)
}

// SubjectOfRemote returns the local subject that is the remote object id of system, or "".
func (r *Recorder) SubjectOfRemote(ctx context.Context, system, remoteID string) (string, error) {
	return r.db.SubjectOfRemote(ctx, system, remoteID)
}

// checkRemote insists that a change applied by an adapter says where it came from.
func checkRemote(ch blotter.Change) error {
	if !ch.FromElsewhere() || ch.Remote == nil {
		return blotter.Errorf(blotter.EINVALID, "a change from another system needs its origin and its id there")
	}
	return nil
}
