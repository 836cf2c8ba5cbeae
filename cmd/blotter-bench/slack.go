package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/slack"
	"github.com/blotterapp/blotter/internal/slack/slackfake"
	"github.com/blotterapp/blotter/internal/syncer"
)

// slackSetup is a data dir connected to a fake Slack, its incident linked to a new channel.
type slackSetup struct {
	srv    *slackfake.Server
	rec    *recorder.Recorder
	client *slack.Client
	reader *syncer.SlackReader
	incID  string
	ch     *syncer.SlackChannel
}

func newSlackSetup(ctx context.Context, dir string) (*slackSetup, error) {
	srv := slackfake.New()
	srv.AddUser("U0ANA", "ana", "Ana Lima")
	srv.AddUser("U0BEN", "ben", "Ben")
	client, err := slack.New(slackfake.BotToken, slackfake.AppToken, slack.Options{APIURL: srv.APIURL()})
	if err != nil {
		return nil, err
	}
	rec, err := recorder.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	ws, err := client.Check(ctx)
	if err != nil {
		return nil, err
	}
	w := &recorder.SlackWorkspace{Team: ws.Team, TeamID: ws.TeamID, URL: ws.URL, BotUser: ws.BotUser, BotID: ws.BotID}
	if err := rec.SetSlackConnection(ctx, w); err != nil {
		return nil, err
	}
	inc, err := rec.CreateIncident(ctx, "Slack benchmark", "")
	if err != nil {
		return nil, err
	}
	ch, err := syncer.LinkNewSlackChannel(ctx, rec, client, inc)
	if err != nil {
		return nil, err
	}
	return &slackSetup{srv: srv, rec: rec, client: client, incID: inc.ID, ch: ch,
		reader: &syncer.SlackReader{Rec: rec, Client: client, Workspace: w}}, nil
}

func (s *slackSetup) close() { s.rec.Close(); s.srv.Close() }

// Slack's Tier 3 rate limit (conversations.history, .replies) for an app built in its own
// workspace: about 50 calls a minute.
const tier3PerMinute = 50

// benchSlack measures the Slack side against the fake Slack on loopback: importing a channel
// of 10,000 messages (7,000 in the channel, 1,000 of them starting a thread of 3 replies)
// beside the store's own floor (the same messages taken from memory, no Slack calls), and the
// time from a reaction in Slack to its entry committed, through Socket Mode, beside the floor
// of taking the same message in process.
func benchSlack(ctx context.Context, cfg *config) error {
	s, err := newSlackSetup(ctx, filepath.Join(cfg.dir, "slack-import"))
	if err != nil {
		return err
	}
	defer s.close()
	const top, threads, replies = 7000, 1000, 3
	for i := range top {
		ts := s.srv.Post(s.ch.ID, "U0ANA", fmt.Sprintf("message %d from <@U0BEN>: login failures from 203.0.113.%d", i, i%250))
		if i%(top/threads) == 0 {
			for j := range replies {
				s.srv.Reply(s.ch.ID, ts, "U0BEN", fmt.Sprintf("reply %d: seen on host-%d", j, i))
			}
		}
	}
	calls := func() int { return s.srv.Calls("conversations.history") + s.srv.Calls("conversations.replies") }
	before := calls()
	start := time.Now()
	res, err := s.reader.Import(ctx, s.incID, s.ch.ID, time.Time{}, nil)
	if err != nil {
		return err
	}
	took := time.Since(start)
	n := calls() - before
	bound := time.Duration(float64(n) / tier3PerMinute * float64(time.Minute))

	// The floor: the same 10,000 messages stored through the same use case, read from memory.
	floorSetup, err := newSlackSetup(ctx, filepath.Join(cfg.dir, "slack-floor"))
	if err != nil {
		return err
	}
	defer floorSetup.close()
	msgs := s.srv.Messages(s.ch.ID)
	start = time.Now()
	var floorN int
	for _, m := range msgs {
		if m.User == slackfake.BotUserID {
			continue
		}
		at, _ := syncer.TSTime(m.TS)
		e := &blotter.Entry{IncidentID: floorSetup.incID, Kind: blotter.KindSlack, OccurredAt: at, Author: "Ana Lima", Text: m.Text}
		ch := blotter.Change{By: "Ana Lima", Origin: blotter.OriginSlack, Remote: &blotter.RemoteRef{System: syncer.SlackName, ID: s.ch.ID + "/" + m.TS, Version: m.TS}}
		if _, err := floorSetup.rec.AddRemoteEntry(ctx, e, ch); err != nil {
			return err
		}
		floorN++
	}
	floor := time.Since(start)
	fmt.Printf("slack import: %d messages (%d threads), %d added     %8.2f s  %6.0f msg/s  (%.2fx the store's floor of %.2f s for %d entries)\n",
		res.Messages, threads, res.Added, took.Seconds(), float64(res.Messages)/took.Seconds(), float64(took)/float64(floor), floor.Seconds(), floorN)
	fmt.Printf("slack import: %d history and replies calls; at Tier 3's %d a minute that is %.1f min: the rate limit, not Blotter, bounds a real import (%.0fx)\n",
		n, tier3PerMinute, bound.Minutes(), float64(bound)/float64(took))

	return benchSlackReaction(ctx, cfg)
}

// benchSlackReaction times a reaction to its entry committed, through Socket Mode.
func benchSlackReaction(ctx context.Context, cfg *config) error {
	s, err := newSlackSetup(ctx, filepath.Join(cfg.dir, "slack-live"))
	if err != nil {
		return err
	}
	defer s.close()
	live := &syncer.SlackLive{SlackReader: s.reader}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- live.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(10 * time.Second); s.srv.OpenSockets() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			return fmt.Errorf("the Socket Mode connection did not open")
		}
	}
	const n = 200
	var lat, floor []time.Duration
	for i := range n {
		ts := s.srv.Post(s.ch.ID, "U0BEN", fmt.Sprintf("worth keeping %d", i))
		remote := s.ch.ID + "/" + ts
		start := time.Now()
		s.srv.React(s.ch.ID, ts, "U0ANA", "pushpin")
		for {
			if id, _ := s.rec.SubjectOfRemote(ctx, syncer.SlackName, remote); id != "" {
				break
			}
			if time.Since(start) > 10*time.Second {
				return fmt.Errorf("reaction %d never became an entry", i)
			}
			time.Sleep(200 * time.Microsecond)
		}
		lat = append(lat, time.Since(start))
		// The floor: the same message fetched and taken in process, without the socket.
		ts2 := s.srv.Post(s.ch.ID, "U0BEN", fmt.Sprintf("floor %d", i))
		start = time.Now()
		m, err := s.client.Message(ctx, s.ch.ID, ts2)
		if err != nil {
			return err
		}
		if _, _, err := s.reader.Take(ctx, s.incID, s.ch.ID, m); err != nil {
			return err
		}
		floor = append(floor, time.Since(start))
		time.Sleep(20 * time.Millisecond)
	}
	p50, _, p99 := percentiles(lat)
	f50, _, f99 := percentiles(floor)
	fmt.Printf("slack reaction to entry committed (Socket Mode, %d reactions): p50 %s p99 %s  (floor, the same message taken in process: p50 %s p99 %s; p99 %.2fx)\n",
		n, ms(p50), ms(p99), ms(f50), ms(f99), float64(p99)/float64(f99))
	return nil
}
