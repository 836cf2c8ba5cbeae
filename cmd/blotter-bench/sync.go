package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blotterapp/blotter/app"
	"github.com/blotterapp/blotter/internal/gitlab"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/syncer"
)

const benchProject = "security/incidents"

// syncSetup is a data dir linked to a fake GitLab's incident, connected with a token.
type syncSetup struct {
	srv    *gitlabfake.Server
	rec    *recorder.Recorder
	client *gitlab.Client
	iid    int
	incID  string
}

func newSyncSetup(ctx context.Context, dir string) (*syncSetup, error) {
	srv := gitlabfake.New(gitlabfake.Options{NotesPerMinute: -1})
	srv.AddUser("ana", "glpat-bench")
	srv.AddUser("bo", "glpat-bo")
	srv.AddProject(benchProject)
	os.Setenv(syncer.GitLabTokenEnv, "glpat-bench")
	rec, err := recorder.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	if err := rec.SetAuthor(ctx, "Ana"); err != nil {
		return nil, err
	}
	if _, err := syncer.ConnectGitLab(ctx, rec, srv.URL(), benchProject, ""); err != nil {
		return nil, err
	}
	inc, err := rec.CreateIncident(ctx, "Sync benchmark", "")
	if err != nil {
		return nil, err
	}
	client, _, err := syncer.GitLabClient(ctx, rec)
	if err != nil {
		return nil, err
	}
	gi, err := syncer.LinkNewGitLabIncident(ctx, rec, client, benchProject, inc)
	if err != nil {
		return nil, err
	}
	return &syncSetup{srv: srv, rec: rec, client: client, iid: int(gi.IID), incID: inc.ID}, nil
}

func (s *syncSetup) close() { s.rec.Close(); s.srv.Close() }

// benchSync measures GitLab sync against the fake GitLab on loopback: pushing 1,000 entries
// and 100 task moves with 20% of writes faulted (500, 429, a connection dropped after the
// commit) beside the same push without faults, counting duplicates and losses; the time from
// a note to its timeline event with the app's services running; and a pull of 5,000 events.
func benchSync(ctx context.Context, cfg *config) error {
	var clean time.Duration
	for _, rate := range []float64{0, 0.2} {
		took, dup, lost, retried, err := benchPush(ctx, filepath.Join(cfg.dir, fmt.Sprintf("sync-push-%v", rate)), rate)
		if err != nil {
			return err
		}
		if rate == 0 {
			clean = took
			fmt.Printf("sync push: 1000 entries + 100 task moves, no faults      %8.2f s  duplicates %d, lost %d\n", took.Seconds(), dup, lost)
		} else {
			fmt.Printf("sync push: the same with 20%% of writes faulted (%d retries) %8.2f s  duplicates %d, lost %d  (%.2fx the clean run; backoff 10-200 ms, 429s say Retry-After 0)\n",
				retried, took.Seconds(), dup, lost, float64(took)/float64(clean))
		}
	}
	if err := benchNoteToEvent(ctx, filepath.Join(cfg.dir, "sync-latency")); err != nil {
		return err
	}
	return benchPull(ctx, filepath.Join(cfg.dir, "sync-pull"))
}

func benchPush(ctx context.Context, dir string, rate float64) (took time.Duration, dup, lost, retried int, err error) {
	s, err := newSyncSetup(ctx, dir)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	defer s.close()
	for i := range 1000 {
		if _, err := s.rec.AddNote(ctx, recorder.Note{Text: fmt.Sprintf("entry %04d: host 10.0.%d.%d beaconing", i, i/256, i%256)}); err != nil {
			return 0, 0, 0, 0, err
		}
	}
	for i := range 50 {
		t, err := s.rec.AddTask(ctx, recorder.NewTask{Title: fmt.Sprintf("task %02d", i)})
		if err != nil {
			return 0, 0, 0, 0, err
		}
		for _, col := range []string{"doing", "done"} { // 100 moves
			if _, err := s.rec.MoveTask(ctx, t.ID, col, nil, ""); err != nil {
				return 0, 0, 0, 0, err
			}
		}
	}
	if rate > 0 {
		s.srv.SetChaos(gitlabfake.Chaos{Seed: 2026, Rate: rate, Faults: []gitlabfake.Fault{
			gitlabfake.Error500(), gitlabfake.RateLimit(0), gitlabfake.DropAfterCommit()}})
	}
	engine := &syncer.Engine{Rec: s.rec, Target: &syncer.GitLab{Rec: s.rec, Client: s.client},
		BaseBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}
	start := time.Now()
	pass, err := engine.Once(ctx, time.Hour)
	took = time.Since(start)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	s.srv.StopChaos()
	counts := map[string]int{}
	for _, e := range s.srv.TimelineEvents(benchProject, s.iid) {
		if e.Action == "comment" {
			counts[gitlab.StripMarker(e.Note)]++
		}
	}
	for i := range 1000 {
		switch c := counts[fmt.Sprintf("Ana: entry %04d: host 10.0.%d.%d beaconing", i, i/256, i%256)]; {
		case c == 0:
			lost++
		case c > 1:
			dup += c - 1
		}
	}
	issues := map[string]int{}
	for _, is := range s.srv.Issues(benchProject) {
		if is.IssueType != "incident" {
			issues[is.Title]++
			if is.State != "closed" {
				lost++ // its last move (Done) did not arrive
			}
		}
	}
	for i := range 50 {
		switch c := issues[fmt.Sprintf("task %02d", i)]; {
		case c == 0:
			lost++
		case c > 1:
			dup += c - 1
		}
	}
	return took, dup, lost, pass.Retried, nil
}

// benchNoteToEvent times a note to its timeline event in GitLab with the app's services
// running (their data watcher sees the commit and wakes the background sync).
func benchNoteToEvent(ctx context.Context, dir string) error {
	s, err := newSyncSetup(ctx, dir)
	if err != nil {
		return err
	}
	defer s.close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	services := app.New(s.rec)
	if err := services.Start(ctx, func(string, any) {}); err != nil {
		return err
	}
	defer services.Close()
	const notes = 100
	var lat []time.Duration
	for i := range notes + 5 {
		text := fmt.Sprintf("latency note %03d", i)
		start := time.Now()
		if _, err := s.rec.AddNote(ctx, recorder.Note{Text: text}); err != nil {
			return err
		}
		for {
			found := false
			for _, e := range s.srv.TimelineEvents(benchProject, s.iid) {
				if strings.Contains(e.Note, text) {
					found = true
				}
			}
			if found {
				break
			}
			if time.Since(start) > 30*time.Second {
				return fmt.Errorf("note %d did not reach GitLab in 30 s", i)
			}
			time.Sleep(2 * time.Millisecond)
		}
		if i >= 5 {
			lat = append(lat, time.Since(start))
		}
		time.Sleep(100 * time.Millisecond)
	}
	p50, _, p99 := percentiles(lat)
	fmt.Printf("sync latency: note committed to its GitLab timeline event, app services running  p50 %s  p99 %s  (%d notes; goal p99 < 2 s)\n", ms(p50), ms(p99), notes)
	return nil
}

// benchPull times a pull of 5,000 timeline events someone else made.
func benchPull(ctx context.Context, dir string) error {
	s, err := newSyncSetup(ctx, dir)
	if err != nil {
		return err
	}
	defer s.close()
	bo := s.srv.As("bo")
	at := time.Now().Add(-2 * time.Hour)
	const events = 5000
	for i := range events {
		if _, err := bo.CreateTimelineEvent(benchProject, s.iid, fmt.Sprintf("event %04d from the bridge call", i), at.Add(time.Duration(i)*time.Second)); err != nil {
			return err
		}
	}
	target := &syncer.GitLab{Rec: s.rec, Client: s.client}
	start := time.Now()
	n, err := target.Pull(ctx, s.incID)
	took := time.Since(start)
	if err != nil {
		return err
	}
	if n != events {
		return fmt.Errorf("pulled %d of %d events", n, events)
	}
	fmt.Printf("sync pull: %d events made by someone else   %6.2f s  %6.0f entries/s\n", events, took.Seconds(), float64(events)/took.Seconds())
	return nil
}
