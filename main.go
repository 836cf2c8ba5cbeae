// Blotter keeps a security incident's timeline. With a subcommand it is the CLI; without one it
// opens the desktop app.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/blotterapp/blotter/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "blotter: the desktop app is not built into this binary yet; see 'blotter help' for the CLI")
		os.Exit(cli.ExitUsage)
	}
	os.Exit(cli.Run(ctx, args, cli.OSEnv()))
}
