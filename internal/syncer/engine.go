// Package syncer delivers the outbox to the systems an incident is shared through (GitLab now,
// Slack next). Local first: a change and its outbox row commit together (internal/sqlite), and
// this engine sends what waits, in order per incident, with capped exponential backoff and
// jitter, honouring the system's own Retry-After. A delivery that fails with a refusal that
// retrying cannot cure marks its item failed, and the items behind it go on; a refused token
// stops the pass and says so. Retries are this engine's, not the API client's: it knows,
// through each target's idempotency markers, that repeating a write cannot duplicate it.
package syncer

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/sqlite"
)

// Target is a system the outbox is delivered to.
type Target interface {
	// Name is the target's name in the outbox ("gitlab").
	Name() string
	// Deliver sends the item's subject as it is now, so that the system holds that state.
	// Delivering the same item twice must not create anything twice.
	Deliver(ctx context.Context, it *sqlite.OutboxItem) error
	// Classify says what a failed delivery means: try again (not before after, if set), stop
	// the whole pass (the token was refused), or neither: the item failed for good.
	Classify(err error) (retry bool, after time.Duration, stop bool)
}

// Engine drains the outbox of one target.
type Engine struct {
	Rec    *recorder.Recorder
	Target Target
	// Now and Sleep are the clock; tests replace them.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// Backoff after the nth failed attempt: min(MaxBackoff, BaseBackoff·2ⁿ), less up to half
	// of it at random, so that many items (and responders) do not retry in step.
	BaseBackoff, MaxBackoff time.Duration
	Rand                    *rand.Rand
}

// Pass is what one pass did.
type Pass struct {
	Delivered int `json:"delivered"`
	Pulled    int `json:"pulled"`     // changes taken from the system (GitLab's pull)
	Retried   int `json:"retried"`    // attempts that failed and will be tried again
	Failed    int `json:"failed"`     // items refused for good in this pass
	Pending   int `json:"pending"`    // left waiting at the end
	FailedAll int `json:"failed_all"` // failed items in the outbox at the end, this pass's included
	// LastRetry is why the last attempt that will be tried again failed ("" for none).
	LastRetry string `json:"last_retry,omitempty"`
}

func (e *Engine) defaults() {
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Sleep == nil {
		e.Sleep = sleepCtx
	}
	if e.BaseBackoff == 0 {
		e.BaseBackoff = time.Second
	}
	if e.MaxBackoff == 0 {
		e.MaxBackoff = 5 * time.Minute
	}
	if e.Rand == nil {
		e.Rand = rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0))
	}
}

// Once delivers every due item, retrying within the pass as the backoff allows, until nothing
// waits or the next retry is further away than maxWait. A refused token ends the pass with its
// error.
func (e *Engine) Once(ctx context.Context, maxWait time.Duration) (*Pass, error) {
	e.defaults()
	p := &Pass{}
	deadline := e.Now().Add(maxWait)
	for {
		if err := e.sweep(ctx, p); err != nil {
			return p, err
		}
		pending, err := e.Rec.Outbox(ctx, e.Target.Name(), time.Time{}, false, 1<<20)
		if err != nil {
			return p, err
		}
		p.Pending = len(pending)
		if _, p.FailedAll, err = e.Rec.OutboxCounts(ctx, e.Target.Name()); err != nil {
			return p, err
		}
		if len(pending) == 0 {
			if p.FailedAll == 0 {
				_ = e.Rec.SyncSucceeded(ctx, e.Target.Name(), e.Now())
			}
			return p, nil
		}
		// The next sweep is due when the first waiting item of some incident is: the items
		// behind it wait for it, whatever their own time.
		next := pending[0].NextAt
		head := map[string]bool{}
		for _, it := range pending {
			if !head[it.IncidentID] {
				head[it.IncidentID] = true
				if it.NextAt.Before(next) {
					next = it.NextAt
				}
			}
		}
		if next.After(deadline) {
			return p, nil
		}
		if err := e.Sleep(ctx, next.Sub(e.Now())); err != nil {
			return p, err
		}
	}
}

// sweep tries every item due now once, in the order they were queued. When an item of an
// incident must wait, the incident's later items wait too: a GitLab timeline follows its
// order, and an edit must not overtake the entry it edits.
func (e *Engine) sweep(ctx context.Context, p *Pass) error {
	// Every pending item, due or not: an item waiting for its retry holds back the items
	// queued after it in its incident, in this sweep and the next ones, until it goes through.
	items, err := e.Rec.Outbox(ctx, e.Target.Name(), time.Time{}, false, 500)
	if err != nil {
		return err
	}
	now := e.Now()
	waiting := map[string]bool{}
	for _, it := range items {
		if waiting[it.IncidentID] {
			continue
		}
		if it.NextAt.After(now) {
			waiting[it.IncidentID] = true
			continue
		}
		// Recorded first: should this process die while the system holds the change but
		// before Delivered, the next attempt sees Attempts > 0 and looks before creating.
		if err := e.Rec.Attempting(ctx, it); err != nil {
			return err
		}
		err := e.Target.Deliver(ctx, it)
		if err == nil {
			if err := e.Rec.Delivered(ctx, it); err != nil {
				return err
			}
			p.Delivered++
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		retry, after, stop := e.Target.Classify(err)
		switch {
		case stop:
			_ = e.Rec.RetryLater(ctx, it, e.Now(), err.Error())
			return err
		case retry:
			waiting[it.IncidentID] = true
			p.Retried++
			p.LastRetry = err.Error()
			if err := e.Rec.RetryLater(ctx, it, e.Now().Add(max(after, e.backoff(it.Attempts))), err.Error()); err != nil {
				return err
			}
		default:
			p.Failed++
			if err := e.Rec.Failed(ctx, it, err.Error()); err != nil {
				return err
			}
		}
	}
	return nil
}

// backoff is the wait after the attempt-th failure (from 0), with jitter.
func (e *Engine) backoff(attempt int) time.Duration {
	d := e.BaseBackoff << min(attempt, 20)
	if d <= 0 || d > e.MaxBackoff {
		d = e.MaxBackoff
	}
	return d/2 + time.Duration(e.Rand.Int64N(int64(d/2)+1))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
