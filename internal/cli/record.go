package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/report"
	"github.com/blotterapp/blotter/internal/textsafe"
)

func (r *runner) verifyCmd() *cobra.Command {
	var (
		asJSON bool
		bundle string
	)
	cmd := &cobra.Command{
		Use:   "verify [--bundle FILE]",
		Short: "Check every incident's hash chain and every evidence file's digest, or a bundle",
		Long: `Check every incident's revision log (each hash, and that entries are what their last revision
says) and rehash every evidence file in the vault. Exits 0 only if all of it checks out;
otherwise exits 1 and names what does not.

With --bundle FILE, check a bundle (export --format bundle) instead, on any machine: no data
dir is opened or created, and nothing is unpacked to disk.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if bundle != "" {
				return r.verifyBundle(cmd.Context(), bundle, asJSON)
			}
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			res, err := rec.Verify(cmd.Context())
			if err != nil {
				return err
			}
			if !res.OK() {
				r.exit = ExitVerifyFail
			}
			if asJSON {
				return r.printJSON(res)
			}
			for _, rep := range res.Incidents {
				status := "ok"
				if !rep.OK() {
					status = "FAILED: " + rep.Problem
				}
				r.printf("incident %s  %d revisions, %d entries, %d tasks, head %.16s  %s\n", rep.IncidentID, rep.Revisions, rep.Entries, rep.Tasks, rep.Head, status)
			}
			r.printf("evidence: %d files rehashed", res.Evidence)
			if res.NotHeld > 0 {
				r.printf(", %d named by imported records and not held here", res.NotHeld)
			}
			r.printf("\n")
			if why := rec.ReadOnly(); why != "" {
				r.printf("search index: not checked: the record is open for reading only (%s)\n", why)
			}
			for _, p := range res.Problems {
				fmt.Fprintf(r.env.Stderr, "blotter: verify: %s\n", textsafe.Terminal(p))
			}
			if res.OK() {
				r.printf("verified: the record checks out\n")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&bundle, "bundle", "", "check this bundle (.tar.gz) instead of the data dir")
	return cmd
}

// verifyBundle checks a bundle without opening a data dir: the recipient of a bundle may have
// no Blotter data at all, and checking must not make any.
func (r *runner) verifyBundle(ctx context.Context, path string, asJSON bool) error {
	f, err := os.Open(path)
	if err != nil {
		return blotter.Errorf(blotter.ENOTFOUND, "cannot open %s: %v", path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return blotter.Errorf(blotter.EINVALID, "%s is not a file", path)
	}
	rep, err := report.VerifyBundle(ctx, f)
	if err != nil {
		return err
	}
	if !rep.OK() {
		r.exit = ExitVerifyFail
	}
	if asJSON {
		return r.printJSON(rep)
	}
	if !rep.OK() {
		fmt.Fprintf(r.env.Stderr, "blotter: verify: %s: %s\n", textsafe.Terminal(path), textsafe.Terminal(rep.Problem))
		return nil
	}
	r.printf("the bundle checks out: %d revisions, head %s, %d evidence files\n", rep.Revisions, rep.Head, rep.Evidence)
	return nil
}

func (r *runner) exportCmd() *cobra.Command {
	var (
		format, output string
		unmasked       bool
	)
	cmd := &cobra.Command{
		Use:   "export --format json|md|csv|bundle|timesketch|html [-o FILE] [--unmasked]",
		Short: "Write the incident's whole record: entries, revisions, evidence digests",
		Long: `Write the incident's record.

  json        the exact, verifiable record (what import reads); not masked
  bundle      one .tar.gz: record.json (the json export), every evidence file held here, and
              manifest.json (each member's size and SHA-256, the chain head); needs -o FILE;
              check it anywhere with 'blotter verify --bundle FILE'
  md, csv     for people: recorded text quoted, secrets masked
  timesketch  JSON Lines for Timesketch, one event per entry; secrets masked
  html        a self-contained printable report, nothing live or remote; secrets masked`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rec, inc, err := r.target(cmd.Context())
			if err != nil {
				return err
			}
			author, err := rec.Author(cmd.Context())
			if err != nil {
				return err
			}
			opts := report.Options{Unmasked: unmasked, Now: r.env.Now()}
			var write func(context.Context, io.Writer) error
			switch format {
			case "json", "bundle":
				// The export says whether the record verified: a recipient must not learn it
				// only when their import fails.
				check, err := rec.VerifyIncident(cmd.Context(), inc.ID)
				if err != nil {
					return err
				}
				if !check.OK() {
					r.exit = ExitVerifyFail
					fmt.Fprintf(r.env.Stderr, "blotter: export: the record does not verify (%s); the export is written and says so\n", textsafe.Terminal(check.Problem))
				}
				// The JSON export is the exact record (masking would break its hashes): say
				// plainly when it carries secrets, and where a masked copy comes from.
				if n, err := rec.EntriesWithSecrets(cmd.Context(), inc.ID); err == nil && n > 0 {
					fmt.Fprintf(r.env.Stderr, "blotter: export: %d entries hold marked secrets, unmasked in this exact, verifiable record; share --format md or csv for a masked copy\n", n)
				}
				jsonOpts := report.JSONOptions{By: author, Now: r.env.Now(), DoesNotVerify: check.Problem}
				if format == "bundle" {
					return r.exportBundle(cmd.Context(), rec, inc.ID, output, jsonOpts)
				}
				write = func(ctx context.Context, w io.Writer) error {
					return report.WriteJSON(ctx, w, rec, inc.ID, jsonOpts)
				}
			case "md", "markdown":
				write = func(ctx context.Context, w io.Writer) error {
					return report.WriteMarkdown(ctx, w, rec, inc.ID, opts)
				}
			case "csv":
				write = func(ctx context.Context, w io.Writer) error {
					return report.WriteCSV(ctx, w, rec, inc.ID, opts)
				}
			case "timesketch":
				write = func(ctx context.Context, w io.Writer) error {
					return report.WriteTimesketch(ctx, w, rec, inc.ID, opts)
				}
			case "html":
				write = func(ctx context.Context, w io.Writer) error {
					return report.WriteHTML(ctx, w, rec, inc.ID, rec.OpenEvidence, opts)
				}
			default:
				return blotter.Errorf(blotter.EINVALID, "format %q is not json, bundle, md, csv, timesketch or html", format)
			}
			if output == "" || output == "-" {
				return write(cmd.Context(), r.env.Stdout)
			}
			if err := rec.CheckOutputPath(output); err != nil {
				return err
			}
			return writeFileAtomic(output, func(w io.Writer) error { return write(cmd.Context(), w) })
		},
	}
	cmd.Flags().StringVar(&format, "format", "json", "json (verifiable, importable), bundle (json + evidence + manifest, .tar.gz), md, csv, timesketch (JSONL) or html")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE instead of standard output (bundle: required)")
	cmd.Flags().BoolVar(&unmasked, "unmasked", false, "md, csv, timesketch and html: include the secrets marked in entries instead of masking them (the file says so)")
	return cmd
}

// exportBundle writes the incident's bundle to output. Evidence the record names but the vault
// does not hold is listed as missing in the manifest: the bundle is written (it is what there
// is), the missing files are named here, and the exit is 1, as for a record that does not verify.
func (r *runner) exportBundle(ctx context.Context, rec *recorder.Recorder, incidentID, output string, opts report.JSONOptions) error {
	if output == "" || output == "-" {
		return blotter.Errorf(blotter.EINVALID, "a bundle is an archive: give the file to write with -o FILE.tar.gz")
	}
	if err := rec.CheckOutputPath(output); err != nil {
		return err
	}
	var res *report.BundleResult
	err := writeFileAtomic(output, func(w io.Writer) error {
		var err error
		// record.json is spooled beside the output: outside the data dir (checked above),
		// and on the disk that has to hold the bundle anyway.
		res, err = report.WriteBundle(ctx, w, rec, incidentID, rec.OpenEvidence, report.BundleOptions{JSON: opts, SpoolDir: filepath.Dir(output)})
		return err
	})
	if err != nil {
		return err
	}
	for _, ev := range res.Missing {
		fmt.Fprintf(r.env.Stderr, "blotter: export: evidence %s (%s) is named by the record but not held here: the manifest lists it as missing\n", ev.SHA256, textsafe.Terminal(ev.Name))
	}
	for _, sha := range res.Altered {
		fmt.Fprintf(r.env.Stderr, "blotter: export: evidence %s in the vault no longer hashes to its name: it is in the bundle as it is, and the bundle will not verify (run blotter verify)\n", sha)
	}
	if len(res.Missing) > 0 || len(res.Altered) > 0 {
		r.exit = ExitVerifyFail
	}
	r.printf("%s: %d revisions, head %s, %d evidence files", output, res.HeadSeq, res.Head, res.Evidence)
	if len(res.Missing) > 0 {
		r.printf(", %d missing", len(res.Missing))
	}
	r.printf("\n")
	return nil
}

// writeFileAtomic writes a file through a temporary file beside it, so that a failed export
// never leaves a half-written file under the name asked for.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot write %s: %v", path, err)
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot write %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot write %s: %v", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot write %s: %v", path, err)
	}
	return nil
}

func (r *runner) importCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Read a JSON export into this data dir, checking its hash chain, and make it active",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			f, err := os.Open(a[0])
			if err != nil {
				return blotter.Errorf(blotter.ENOTFOUND, "cannot open %s: %v", a[0], err)
			}
			defer f.Close()
			rd, err := report.NewReader(interruptible(cmd.Context(), f))
			if err := cmd.Context().Err(); err != nil {
				return err // interrupted while waiting for the header
			}
			if err != nil {
				return err
			}
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			inc, err := rec.ImportIncident(cmd.Context(), rd.Next)
			if err != nil {
				return fmt.Errorf("%s: %w", a[0], err)
			}
			if why := rd.Header.DoesNotVerify; why != "" {
				fmt.Fprintf(r.env.Stderr, "blotter: import: the export says the record did not verify where it was exported (%s); its log verified here and was imported\n", textsafe.Terminal(why))
			}
			r.printf("%s\n", inc.ID)
			return nil
		},
	}
}

func (r *runner) configCmd() *cobra.Command {
	cmd := group(&cobra.Command{Use: "config", Short: "Read or change settings (author, screenshots, autostart)"})
	cmd.AddCommand(&cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Set a setting: author NAME, screenshots pointer|all, autostart on|off (start at login as the side window)",
		Args:  args(cobra.MinimumNArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			switch a[0] {
			case "author":
				return rec.SetAuthor(cmd.Context(), strings.Join(a[1:], " "))
			case "screenshots":
				if len(a) != 2 || (a[1] != "pointer" && a[1] != "all") {
					return blotter.Errorf(blotter.EINVALID, "screenshots is pointer (the screen under the pointer) or all (every screen)")
				}
				return rec.SetScreenshotAllScreens(cmd.Context(), a[1] == "all")
			case "autostart":
				if len(a) != 2 || (a[1] != "on" && a[1] != "off") {
					return blotter.Errorf(blotter.EINVALID, "autostart is on (start at login as the side window) or off")
				}
				return rec.SetAutostart(a[1] == "on")
			}
			return blotter.Errorf(blotter.EINVALID, "unknown setting %q (known: author, screenshots, autostart)", a[0])
		},
	}, &cobra.Command{
		Use:   "get KEY",
		Short: "Print a setting: author, screenshots, autostart, data-dir",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			rec, err := r.open(cmd.Context())
			if err != nil {
				return err
			}
			switch a[0] {
			case "author":
				name, err := rec.Author(cmd.Context())
				if err != nil {
					return err
				}
				r.printf("%s\n", textsafe.Terminal(name))
			case "screenshots":
				all, err := rec.ScreenshotAllScreens(cmd.Context())
				if err != nil {
					return err
				}
				r.printf("%s\n", map[bool]string{true: "all", false: "pointer"}[all])
			case "autostart":
				on, err := rec.Autostart()
				if err != nil {
					return err
				}
				r.printf("%s\n", map[bool]string{true: "on", false: "off"}[on])
			case "data-dir":
				r.printf("%s\n", rec.Dir())
			default:
				return blotter.Errorf(blotter.EINVALID, "unknown setting %q (known: author, screenshots, autostart, data-dir)", a[0])
			}
			return nil
		},
	})
	return cmd
}
