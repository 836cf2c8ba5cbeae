package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/blotterapp/blotter/internal/capture"
)

func (r *runner) captureCmd() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:   "capture",
		Short: "Ask the running app to capture, as its hotkeys do (bind it to a desktop shortcut)",
	})
	for _, what := range []struct{ name, short string }{
		{"note", "Open the running app's quick-note box, the note timed when this command ran"},
		{"clipboard", "Put the clipboard on the timeline, timed when this command ran"},
		{"screenshot", "Put a screenshot of the screen under the pointer on the timeline, timed when this command ran"},
	} {
		cmd.AddCommand(&cobra.Command{
			Use:   what.name,
			Short: what.short,
			Args:  args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				at := r.env.Now().UTC().Format(time.RFC3339Nano)
				return capture.Forward([]string{"capture", what.name, "--at", at})
			},
		})
	}
	cmd.AddCommand(&cobra.Command{
		Use:       "clipboard-watch on|off",
		Short:     "Turn the clipboard watch of the active incident on or off: each new clipboard content lands on its timeline",
		Args:      args(cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs)),
		ValidArgs: []string{"on", "off"},
		RunE: func(cmd *cobra.Command, a []string) error {
			return capture.Forward([]string{"capture", "clipboard-watch", a[0]})
		},
	})
	return cmd
}
