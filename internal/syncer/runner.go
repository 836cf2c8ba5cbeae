package syncer

import (
	"context"
	"errors"
	"log"
	gosync "sync"
	"time"

	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/slack"
)

// State is the sync state as the app's header and sync panel show it.
type State struct {
	// Status: "local" (nothing connected), "synced", "pending", "offline" (GitLab or Slack
	// cannot be reached: normal, nothing is lost), "failing" (items GitLab refused), "stopped" (the
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

	mu        gosync.Mutex
	state     State
	live      map[string]bool      // systems whose live events run
	liveRetry map[string]time.Time // not before: the last run failed
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

// pass pushes what waits and pulls what others did, once, with every connected system, and
// publishes the state: the worst of theirs (stopped, failing, offline, pending, synced).
func (r *Runner) pass(ctx context.Context) {
	st := State{Status: "local", LastSuccess: r.State().LastSuccess}
	systems, err := Connected(ctx, r.Rec)
	if err != nil {
		st.Status, st.Message = "stopped", err.Error()
	}
	allSynced := len(systems) > 0 && err == nil
	for _, sys := range systems {
		r.startLive(ctx, sys)
		one := r.syncOne(ctx, sys)
		if ctx.Err() != nil {
			return
		}
		pending, failed, _ := r.Rec.OutboxCounts(ctx, sys.Name)
		st.Pending += pending
		st.Failed += failed
		if one.Status == "synced" && pending > 0 {
			one.Status = "pending"
		}
		if one.Status == "synced" && failed > 0 {
			one.Status = "failing"
		}
		allSynced = allSynced && one.Status == "synced"
		if statusRank[one.Status] > statusRank[st.Status] {
			st.Status, st.Message = one.Status, one.Message
		}
	}
	if allSynced {
		st.LastSuccess = time.Now().UTC()
	}
	r.mu.Lock()
	r.state = st
	r.mu.Unlock()
	if r.Changed != nil {
		r.Changed(st)
	}
}

// statusRank orders the states from the best news to the worst.
var statusRank = map[string]int{"local": 0, "synced": 1, "pending": 2, "offline": 3, "failing": 4, "stopped": 5}

// syncOne runs one system's pass and says how it went.
func (r *Runner) syncOne(ctx context.Context, sys *System) State {
	var st State
	pass, err := sys.Pass(ctx, 0)
	if err == nil && pass.Retried > 0 && pass.Delivered == 0 {
		// Nothing got through and everything will be tried again: the system is out of reach.
		st.Status, st.Message = "offline", pass.LastRetry
		return st
	}
	auth, retry := classify(sys.Name, err)
	switch {
	case err == nil:
		st.Status = "synced"
	case auth:
		st.Status, st.Message = "stopped", err.Error()
	case errors.Is(err, context.Canceled):
	case retry:
		st.Status, st.Message = "offline", err.Error()
	default:
		st.Status, st.Message = "failing", err.Error()
	}
	return st
}

// classify says whether a system's error is a refused token, or may pass by retrying.
func classify(system string, err error) (auth, retry bool) {
	if err == nil {
		return false, false
	}
	if system == SlackName {
		return slack.IsAuthFailed(err), slack.IsRetryable(err)
	}
	retry, _ = gitlab.IsRetryable(err)
	return gitlab.IsAuthFailed(err), retry
}

// startLive starts a system's live events (Slack's Socket Mode) unless they run already; when
// they stop (a refused token, Slack disconnected), the next pass starts them again.
func (r *Runner) startLive(ctx context.Context, sys *System) {
	if sys.Live == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.live == nil {
		r.live, r.liveRetry = map[string]bool{}, map[string]time.Time{}
	}
	if r.live[sys.Name] || time.Now().Before(r.liveRetry[sys.Name]) {
		return
	}
	r.live[sys.Name] = true
	sys.Live.Log = func(msg string, err error) {
		if err != nil {
			log.Printf("%s: %s: %v", sys.Name, msg, err)
		} else {
			log.Printf("%s: %s", sys.Name, msg)
		}
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		err := sys.Live.Run(ctx)
		if err != nil {
			log.Printf("%s live events stopped: %v", sys.Name, err)
		}
		r.mu.Lock()
		r.live[sys.Name] = false
		if err != nil {
			// A refused app token fails at once: try again in a minute, not on every pass.
			r.liveRetry[sys.Name] = time.Now().Add(time.Minute)
		}
		r.mu.Unlock()
	}()
}
