// Blotter keeps a security incident's timeline. With a subcommand it is the CLI; without one it
// opens the desktop app.
package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"github.com/blotterapp/blotter/app"
	"github.com/blotterapp/blotter/internal/cli"
	"github.com/blotterapp/blotter/internal/recorder"
)

//go:embed all:frontend/dist
var frontend embed.FS

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	opts, isApp := cli.AppArgs(args)
	if !isApp {
		os.Exit(cli.Run(ctx, args, cli.OSEnv()))
	}
	if err := runApp(ctx, opts); err != nil {
		fmt.Fprintf(os.Stderr, "blotter: %v\n", err)
		os.Exit(cli.ExitUnavailable)
	}
}

// runApp opens the data dir and the desktop window over it.
func runApp(ctx context.Context, opts cli.AppOptions) error {
	dataDir := opts.DataDir
	if dataDir == "" {
		var err error
		if dataDir, err = recorder.DefaultDir(); err != nil {
			return err
		}
	}
	rec, err := recorder.Open(ctx, dataDir)
	if err != nil {
		return err
	}
	defer rec.Close()
	assets, err := fs.Sub(frontend, "frontend/dist")
	if err != nil {
		return err
	}
	return app.Run(app.New(rec), assets, opts.Side)
}
