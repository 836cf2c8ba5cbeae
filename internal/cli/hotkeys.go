package cli

import (
	"fmt"
	"os"
	"sort"

	"github.com/spf13/cobra"

	"github.com/blotterapp/blotter/internal/capture"
)

func (r *runner) hotkeysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hotkeys",
		Short: "List the app's global hotkeys; 'hotkeys set ACTION COMBO' changes one",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			combos, err := rec.Hotkeys(cmd.Context())
			if err != nil {
				return err
			}
			actions := make([]string, 0, len(combos))
			for a := range combos {
				actions = append(actions, a)
			}
			sort.Strings(actions)
			for _, a := range actions {
				r.printf("%-10s %s\n", a, combos[a])
			}
			// To stderr: the list on stdout stays the same for scripts in any session.
			if capture.WaylandSession(os.Getenv) {
				fmt.Fprintf(r.env.Stderr, "\n%s\n", capture.WaylandHotkeys)
			}
			return nil
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "set ACTION COMBO",
		Short: "Change a hotkey, e.g. 'blotter hotkeys set note ctrl+alt+j' (the app takes it at its next start)",
		Args:  args(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			c, err := rec.SetHotkey(cmd.Context(), a[0], a[1])
			if err != nil {
				return err
			}
			r.printf("%s %s\n", a[0], c)
			return nil
		},
	})
	return cmd
}
