package syncer

import (
	"context"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/recorder"
)

// System is one connected system that `blotter sync` and the app's background sync drive.
type System struct {
	Name string
	// Pass sends what waits (retrying within maxWait) and takes what others did.
	Pass func(ctx context.Context, maxWait time.Duration) (*Pass, error)
	// Live, if set, takes events as they happen while it runs (Slack's Socket Mode).
	Live *SlackLive
}

// Connected returns the systems this data dir is connected to (GitLab, Slack), none when it
// is local only. A system that is not connected is left out; one that is connected but cannot be used (no token at
// hand) is an error that says so.
func Connected(ctx context.Context, rec *recorder.Recorder) ([]*System, error) {
	return connected(ctx, rec, HeadInterval)
}

// ConnectedOnce is Connected for one explicit pass (`sync --once`): the chain head is posted
// whenever it moved, however recently the last one was.
func ConnectedOnce(ctx context.Context, rec *recorder.Recorder) ([]*System, error) {
	return connected(ctx, rec, 0)
}

func connected(ctx context.Context, rec *recorder.Recorder, headInterval time.Duration) ([]*System, error) {
	var out []*System
	glClient, _, err := GitLabClient(ctx, rec)
	switch {
	case err == nil:
		target := &GitLab{Rec: rec, Client: glClient}
		engine := &Engine{Rec: rec, Target: target}
		out = append(out, &System{Name: GitLabName, Pass: func(ctx context.Context, maxWait time.Duration) (*Pass, error) {
			pass, err := engine.Once(ctx, maxWait)
			if err != nil {
				return pass, err
			}
			if pass.Pulled, err = target.PullAll(ctx); err != nil {
				return pass, err
			}
			// The head is posted again on the next pass: GitLab being busy now is no failure
			// of this one.
			if _, err = target.PostHeads(ctx, headInterval); err != nil {
				if retry, _ := gitlab.IsRetryable(err); retry {
					pass.LastRetry, err = err.Error(), nil
				}
			}
			return pass, err
		}})
	case blotter.ErrorField(err) != fieldNotConnected:
		return nil, err
	}
	slClient, w, err := SlackClient(ctx, rec)
	switch {
	case err == nil:
		engine := &Engine{Rec: rec, Target: &Slack{Rec: rec, Client: slClient}}
		sys := &System{Name: SlackName, Pass: func(ctx context.Context, maxWait time.Duration) (*Pass, error) {
			return engine.Once(ctx, maxWait)
		}}
		if slClient.HasAppToken() {
			sys.Live = &SlackLive{SlackReader: &SlackReader{Rec: rec, Client: slClient, Workspace: w}}
		}
		out = append(out, sys)
	case blotter.ErrorField(err) != fieldSlackNotConnected:
		return nil, err
	}
	return out, nil
}
