package syncer

import (
	"context"
	"errors"
	gosync "sync"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/recorder"
)

// State is the sync state as the app's header and sync panel show it.
type State struct {
	// Status: "local" (GitLab not connected), "synced", "pending", "offline" (GitLab cannot
	// be reached: normal, nothing is lost), "failing" (items GitLab refused), "stopped" (the
	// token was refused or is missing: sync waits for a person).
	Status      string    `json:"status"`
	Pending     int       `json:"pending"`
	Failed      int       `json:"failed"`
	LastSuccess time.Time `json:"last_success"` // zero: never
	Message     string    `json:"message,omitempty"`
}

// Runner syncs in the background while the app runs: a pass (push, then pull) every Interval,
// and one soon after Notify (a change was committed).
type Runner struct {
	Rec      *recorder.Recorder
	Interval time.Duration
	// Changed is told the state after every pass.
	Changed func(State)

	notify chan struct{}
	cancel context.CancelFunc
	wg     gosync.WaitGroup

	mu    gosync.Mutex
	state State
}

// Start begins syncing in the background until Close.
func (r *Runner) Start(ctx context.Context) {
	if r.Interval == 0 {
		r.Interval = 5 * time.Second
	}
	r.notify = make(chan struct{}, 1)
	ctx, r.cancel = context.WithCancel(ctx)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		ticker := time.NewTicker(r.Interval)
		defer ticker.Stop()
		for {
			r.pass(ctx)
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			case <-r.notify:
			}
		}
	}()
}

// Notify asks for a pass soon: something was committed.
func (r *Runner) Notify() {
	if r.notify == nil {
		return
	}
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

// Close stops syncing and waits for the pass under way.
func (r *Runner) Close() {
	if r.cancel != nil {
		r.cancel()
	}
	r.wg.Wait()
}

// State returns the state after the last pass.
func (r *Runner) State() State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

// pass pushes what waits and pulls what others did, once, and publishes the state.
func (r *Runner) pass(ctx context.Context) {
	st := r.State()
	st.Message = ""
	client, _, err := GitLabClient(ctx, r.Rec)
	switch {
	case blotter.ErrorField(err) == fieldNotConnected:
		st.Status = "local"
	case err != nil:
		st.Status, st.Message = "stopped", err.Error()
	default:
		st = r.sync(ctx, client, st)
	}
	if ctx.Err() != nil {
		return
	}
	st.Pending, st.Failed, _ = r.Rec.OutboxCounts(ctx, GitLabName)
	if st.Status == "synced" && st.Pending > 0 {
		st.Status = "pending"
	}
	if st.Status == "synced" && st.Failed > 0 {
		st.Status = "failing"
	}
	r.mu.Lock()
	r.state = st
	r.mu.Unlock()
	if r.Changed != nil {
		r.Changed(st)
	}
}

func (r *Runner) sync(ctx context.Context, client *gitlab.Client, st State) State {
	target := &GitLab{Rec: r.Rec, Client: client}
	pass, err := (&Engine{Rec: r.Rec, Target: target}).Once(ctx, 0)
	if err == nil && pass.Retried > 0 && pass.Delivered == 0 {
		// Nothing got through and everything will be tried again: GitLab is out of reach.
		st.Status, st.Message = "offline", pass.LastRetry
		return st
	}
	if err == nil {
		_, err = target.PullAll(ctx)
	}
	switch {
	case err == nil:
		st.Status, st.LastSuccess = "synced", time.Now().UTC()
	case gitlab.IsAuthFailed(err):
		st.Status, st.Message = "stopped", err.Error()
	case errors.Is(err, context.Canceled):
	default:
		if retry, _ := gitlab.IsRetryable(err); retry {
			st.Status, st.Message = "offline", err.Error()
		} else {
			st.Status, st.Message = "failing", err.Error()
		}
	}
	return st
}
