package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/blotterapp/blotter/internal/capture"
)

func (r *runner) captureCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "capture",
		Short: "Ask the running app to capture, as its hotkeys do (bind it to a desktop shortcut)",
	}
	for _, what := range []struct{ name, short string }{
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
	return cmd
}
