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
	cmd.AddCommand(&cobra.Command{
		Use:   "clipboard",
		Short: "Put the clipboard on the timeline, timed when this command ran",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			at := r.env.Now().UTC().Format(time.RFC3339Nano)
			return capture.Forward([]string{"capture", "clipboard", "--at", at})
		},
	})
	return cmd
}
