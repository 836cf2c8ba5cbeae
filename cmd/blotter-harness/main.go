// Command blotter-harness serves the real frontend with the real Go services bound, for a
// browser: the end-to-end tests and the UI benchmark drive it with Chromium. It listens on
// loopback only.
//
//	blotter-harness -data-dir DIR -frontend frontend/dist -addr 127.0.0.1:0
//
// It prints "listening on http://ADDR" once it accepts connections. With -fake-gitlab it also
// runs the fake GitLab in-process (user ana, token in BLOTTER_GITLAB_TOKEN for the app, the
// project security/incidents) and prints "gitlab on http://ADDR" first. With -fake-slack it runs
// a fake Slack (its tokens in BLOTTER_SLACK_BOT_TOKEN and BLOTTER_SLACK_APP_TOKEN, a user
// U0ANA "Ana Lima") and prints "slack on http://ADDR/" first.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/blotterapp/blotter/app"
	"github.com/blotterapp/blotter/internal/bridge"
	"github.com/blotterapp/blotter/internal/gitlab/gitlabfake"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/slack/slackfake"
	"github.com/blotterapp/blotter/internal/syncer"
)

func main() {
	dataDir := flag.String("data-dir", "", "the data dir")
	dist := flag.String("frontend", "frontend/dist", "the built frontend")
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	fakeGitLab := flag.Bool("fake-gitlab", false, "run a fake GitLab for the app to sync with")
	fakeSlack := flag.Bool("fake-slack", false, "run a fake Slack for the app to sync with")
	flag.Parse()
	if *fakeSlack {
		srv := slackfake.New()
		defer srv.Close()
		srv.AddUser("U0ANA", "ana", "Ana Lima")
		os.Setenv(syncer.SlackBotTokenEnv, slackfake.BotToken)
		os.Setenv(syncer.SlackAppTokenEnv, slackfake.AppToken)
		os.Setenv(syncer.SlackAPIURLEnv, srv.APIURL())
		fmt.Printf("slack on %s\n", srv.APIURL())
	}
	if *fakeGitLab {
		srv := gitlabfake.New(gitlabfake.Options{})
		defer srv.Close()
		srv.AddUser("ana", "glpat-harness")
		srv.AddProject("security/incidents")
		os.Setenv(syncer.GitLabTokenEnv, "glpat-harness")
		fmt.Printf("gitlab on %s\n", srv.URL())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *dataDir, *dist, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "blotter-harness:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dataDir, dist, addr string) error {
	rec, err := recorder.Open(ctx, dataDir)
	if err != nil {
		return err
	}
	defer rec.Close()
	services := app.New(rec)
	srv := bridge.New(services.Bindings(), os.DirFS(dist), services.EvidenceHandler())
	srv.FormatError = func(err error) any { return app.FormatError(err) }
	srv.Drop = services.Dropped
	srv.Launch = services.HandleLaunch
	if err := services.Start(ctx, srv.Emit); err != nil {
		return err
	}
	defer services.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	hs := &http.Server{Handler: srv}
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	if err := hs.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
