package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/textsafe"
)

func (r *runner) watchCmd() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:   "watch",
		Short: "Folders whose new files become evidence (screenshots, downloads)",
		Long: `Watched folders: each file that appears in one becomes an evidence entry of the active
incident once it is completely written (no change for 2 s, size and time still). Temporary and
partial files (.part, .crdownload, .tmp, dot-files…) are ignored; files already there when the
watch starts are left alone. The desktop app watches them while it runs; 'blotter watch run'
does the same in a terminal.`,
	})
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the watched folders",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			dirs, err := rec.WatchedFolders(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return r.printJSON(dirs)
			}
			for _, d := range dirs {
				r.printf("%s\n", textsafe.Terminal(d))
			}
			return nil
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(&cobra.Command{
		Use:   "add DIR",
		Short: "Watch a folder",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			abs, err := rec.AddWatchedFolder(cmd.Context(), a[0])
			if err != nil {
				return err
			}
			r.printf("watching %s\n", textsafe.Terminal(abs))
			return nil
		},
	}, list, &cobra.Command{
		Use:   "rm DIR",
		Short: "Stop watching a folder",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			return rec.RemoveWatchedFolder(cmd.Context(), a[0])
		},
	}, &cobra.Command{
		Use:   "run",
		Short: "Watch the folders in the foreground until interrupted, printing each file taken in",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, _, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			dirs, err := rec.WatchedFolders(cmd.Context())
			if err != nil {
				return err
			}
			if len(dirs) == 0 {
				return blotter.Errorf(blotter.EINVALID, "no folder is watched: add one with 'blotter watch add DIR'")
			}
			w := rec.NewFolderWatcher(func(e *blotter.Entry) {
				r.printf("%s  %s%s\n", e.Evidence[0].SHA256, textsafe.Terminal(e.Evidence[0].SourcePath), linkNote(e.Evidence[0]))
			}, func(err error) {
				fmt.Fprintf(r.env.Stderr, "blotter: watch: %s\n", textsafe.Terminal(err.Error()))
			})
			if err := w.Start(cmd.Context(), dirs); err != nil {
				return err
			}
			defer w.Close()
			fmt.Fprintf(r.env.Stderr, "blotter: watching %d folders; Ctrl-C stops\n", len(dirs))
			<-cmd.Context().Done()
			return nil
		},
	})
	return cmd
}
