// Package workspace opens a Blotter data dir: the database, the evidence vault and the settings
// in them, wired together. The CLI and the desktop app both start here, so they share one
// database path, one vault and one set of rules.
package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/capture"
	"github.com/blotterapp/blotter/internal/ioc"
	"github.com/blotterapp/blotter/internal/sqlite"
	"github.com/blotterapp/blotter/internal/vault"
)

// Setting keys.
const (
	SettingActiveIncident = "active_incident"
	SettingAuthor         = "author"
)

// DatabaseFile is the database's name inside the data dir.
const DatabaseFile = "blotter.db"

// DataDirEnv names the environment variable that overrides the default data dir.
const DataDirEnv = "BLOTTER_DATA_DIR"

// DefaultDir returns where Blotter keeps its data: $BLOTTER_DATA_DIR if set, else the OS's
// per-user data folder ($XDG_DATA_HOME/blotter or ~/.local/share/blotter on Linux,
// ~/Library/Application Support/Blotter on macOS, %AppData%\Blotter on Windows).
func DefaultDir() (string, error) {
	if dir := os.Getenv(DataDirEnv); dir != "" {
		return dir, nil
	}
	if runtime.GOOS == "linux" || runtime.GOOS == "freebsd" || runtime.GOOS == "openbsd" {
		if xdg := os.Getenv("XDG_DATA_HOME"); xdg != "" {
			return filepath.Join(xdg, "blotter"), nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", blotter.Errorf(blotter.EUNAVAILABLE, "no home folder to keep data in: set %s or --data-dir", DataDirEnv)
		}
		return filepath.Join(home, ".local", "share", "blotter"), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", blotter.Errorf(blotter.EUNAVAILABLE, "no folder to keep data in: set %s or --data-dir", DataDirEnv)
	}
	return filepath.Join(dir, "Blotter"), nil
}

// Workspace is an open data dir.
type Workspace struct {
	Dir   string
	DB    *sqlite.DB
	Vault *vault.Vault
}

// Open opens the data dir, creating it with mode 0700 (it holds evidence) if it is missing.
func Open(ctx context.Context, dir string) (*Workspace, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "cannot create the data dir %s: %v", dir, err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(dir, DatabaseFile))
	if err != nil {
		return nil, err
	}
	db.Extract = ioc.Extract
	db.FindSecrets = ioc.FindSecrets
	v, err := vault.Open(filepath.Join(dir, "vault"))
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Workspace{Dir: dir, DB: db, Vault: v}, nil
}

// Close closes the database.
func (w *Workspace) Close() error { return w.DB.Close() }

// Author returns the name changes are recorded under: the configured author, else the OS
// user's full name, else the login name.
func (w *Workspace) Author(ctx context.Context) (string, error) {
	name, err := w.DB.Setting(ctx, SettingAuthor)
	if err != nil || name != "" {
		return name, err
	}
	if u, err := user.Current(); err == nil {
		if full := strings.TrimSpace(strings.Split(u.Name, ",")[0]); full != "" {
			return full, nil
		}
		if u.Username != "" {
			return u.Username, nil
		}
	}
	return "unknown", nil
}

// SetAuthor sets the name changes are recorded under.
func (w *Workspace) SetAuthor(ctx context.Context, name string) error {
	name = strings.TrimSpace(name)
	if err := blotter.ValidateAuthor(name); err != nil {
		return err
	}
	return w.DB.SetSetting(ctx, SettingAuthor, name)
}

// ActiveIncident returns the incident new entries go to. Returns ENOTFOUND when there is none.
func (w *Workspace) ActiveIncident(ctx context.Context) (*blotter.Incident, error) {
	id, err := w.DB.Setting(ctx, SettingActiveIncident)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, blotter.Errorf(blotter.ENOTFOUND, "no active incident: start one with 'blotter incident new TITLE' or pick one with 'blotter incident use ID'")
	}
	inc, err := w.DB.FindIncident(ctx, id)
	if blotter.ErrorCode(err) == blotter.ENOTFOUND {
		return nil, blotter.Errorf(blotter.ENOTFOUND, "the active incident %s is gone: pick one with 'blotter incident use ID'", id)
	}
	return inc, err
}

// UseIncident makes the incident with the given id the active one. Returns ENOTFOUND.
func (w *Workspace) UseIncident(ctx context.Context, id string) (*blotter.Incident, error) {
	inc, err := w.DB.FindIncident(ctx, id)
	if err != nil {
		return nil, err
	}
	return inc, w.DB.SetSetting(ctx, SettingActiveIncident, inc.ID)
}

// Attach copies the file at path into the vault and adds a file entry for it to the incident.
// text may be empty (the entry then shows the file); occurredAt zero means now.
func (w *Workspace) Attach(ctx context.Context, incidentID, path, text string, occurredAt time.Time, progress vault.Progress) (*blotter.Entry, error) {
	author, err := w.Author(ctx)
	if err != nil {
		return nil, err
	}
	if err := blotter.ValidateText(text); err != nil {
		return nil, err
	}
	ev, err := w.Vault.Ingest(ctx, path, progress)
	if err != nil {
		return nil, err
	}
	e := &blotter.Entry{
		IncidentID: incidentID, Kind: blotter.KindFile, OccurredAt: occurredAt, Author: author,
		Text: text, Evidence: []blotter.Evidence{*ev},
	}
	if err := w.DB.AddEntry(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// VerifyResult is what a check of the whole data dir found.
type VerifyResult struct {
	Incidents []*blotter.VerifyReport `json:"incidents"`
	Evidence  int                     `json:"evidence_checked"`
	NotHeld   int                     `json:"evidence_not_held"` // named by imported records only
	Problems  []string                `json:"problems"`
}

// OK reports whether everything checked out.
func (r *VerifyResult) OK() bool { return len(r.Problems) == 0 }

// Verify checks every incident's record and rehashes every evidence file this vault stored.
func (w *Workspace) Verify(ctx context.Context) (*VerifyResult, error) {
	res := &VerifyResult{Incidents: []*blotter.VerifyReport{}, Problems: []string{}}
	incidents, err := w.DB.ListIncidents(ctx)
	if err != nil {
		return nil, err
	}
	for _, inc := range incidents {
		report, err := w.DB.Verify(ctx, inc.ID)
		if err != nil {
			return nil, fmt.Errorf("verify incident %s: %w", inc.ID, err)
		}
		res.Incidents = append(res.Incidents, report)
		if !report.OK() {
			res.Problems = append(res.Problems, fmt.Sprintf("incident %s (%s): %s", inc.ID, inc.Title, report.Problem))
		}
	}
	err = w.DB.EachEvidence(ctx, func(ref sqlite.EvidenceRef) error {
		err := w.Vault.Check(ref.SHA256, ref.Size)
		switch {
		case err == nil:
			res.Evidence++
		case !ref.Held && blotter.ErrorCode(err) == blotter.ENOTFOUND:
			res.NotHeld++
		case blotter.ErrorCode(err) == blotter.EINVALID || blotter.ErrorCode(err) == blotter.ENOTFOUND:
			res.Problems = append(res.Problems, blotter.ErrorMessage(err))
		default:
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// SettingWatchedFolders holds the watched folders, a JSON list of absolute paths.
const SettingWatchedFolders = "watched_folders"

// WatchedFolders returns the folders whose new files become evidence.
func (w *Workspace) WatchedFolders(ctx context.Context) ([]string, error) {
	v, err := w.DB.Setting(ctx, SettingWatchedFolders)
	if err != nil || v == "" {
		return []string{}, err
	}
	var dirs []string
	if err := json.Unmarshal([]byte(v), &dirs); err != nil {
		return nil, fmt.Errorf("watched folders setting: %w", err)
	}
	return dirs, nil
}

// AddWatchedFolder adds a folder to watch and returns its absolute path. Returns EINVALID for
// what is not a folder, or is the data dir or inside it (Blotter would ingest its own vault),
// ECONFLICT when it is watched already.
func (w *Workspace) AddWatchedFolder(ctx context.Context, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", blotter.Errorf(blotter.EINVALID, "cannot resolve %s: %v", dir, err)
	}
	fi, err := os.Stat(abs)
	switch {
	case err != nil:
		return "", blotter.Errorf(blotter.EINVALID, "cannot watch %s: %v", dir, err)
	case !fi.IsDir():
		return "", blotter.Errorf(blotter.EINVALID, "%s is not a folder", dir)
	}
	data, _ := filepath.Abs(w.Dir)
	if rel, err := filepath.Rel(data, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return "", blotter.Errorf(blotter.EINVALID, "%s is Blotter's own data folder", dir)
	}
	dirs, err := w.WatchedFolders(ctx)
	if err != nil {
		return "", err
	}
	for _, d := range dirs {
		if d == abs {
			return "", blotter.Errorf(blotter.ECONFLICT, "%s is watched already", abs)
		}
	}
	return abs, w.saveWatchedFolders(ctx, append(dirs, abs))
}

// RemoveWatchedFolder stops watching a folder. Returns ENOTFOUND if it was not watched.
func (w *Workspace) RemoveWatchedFolder(ctx context.Context, dir string) error {
	abs, _ := filepath.Abs(dir)
	dirs, err := w.WatchedFolders(ctx)
	if err != nil {
		return err
	}
	kept := dirs[:0]
	for _, d := range dirs {
		if d != abs && d != dir {
			kept = append(kept, d)
		}
	}
	if len(kept) == len(dirs) {
		return blotter.Errorf(blotter.ENOTFOUND, "%s is not watched", dir)
	}
	return w.saveWatchedFolders(ctx, kept)
}

func (w *Workspace) saveWatchedFolders(ctx context.Context, dirs []string) error {
	b, err := json.Marshal(dirs)
	if err != nil {
		return err
	}
	return w.DB.SetSetting(ctx, SettingWatchedFolders, string(b))
}

// NewFolderWatcher returns a watcher that attaches each completed file to the incident active
// at that moment, timed by the file's last modification (when it was written, not when it was
// noticed). onEntry, if set, is told of each entry.
func (w *Workspace) NewFolderWatcher(onEntry func(*blotter.Entry), onError func(error)) *capture.FolderWatcher {
	return &capture.FolderWatcher{
		Ingest: func(ctx context.Context, path string) error {
			inc, err := w.ActiveIncident(ctx)
			if err != nil {
				return err
			}
			fi, err := os.Stat(path)
			if err != nil {
				return err
			}
			e, err := w.Attach(ctx, inc.ID, path, "", fi.ModTime(), nil)
			if err == nil && onEntry != nil {
				onEntry(e)
			}
			return err
		},
		Errors: onError,
	}
}

// MaxClipboardBytes bounds what one clipboard capture stores.
const MaxClipboardBytes = 64 << 20

// CaptureClip puts clipboard content on the active incident's timeline as a clipboard entry,
// timed at, which is when the user asked for it. An image becomes evidence. Text that cannot be
// an entry's text (over the text limit, not UTF-8, holding NUL bytes) is kept whole as an
// evidence file instead, with a line saying why: nothing is lost or cut.
func (w *Workspace) CaptureClip(ctx context.Context, clip *capture.Clip, at time.Time) (*blotter.Entry, error) {
	inc, err := w.ActiveIncident(ctx)
	if err != nil {
		return nil, err
	}
	author, err := w.Author(ctx)
	if err != nil {
		return nil, err
	}
	e := &blotter.Entry{IncidentID: inc.ID, Kind: blotter.KindClipboard, OccurredAt: at, Author: author}
	stamp := at.UTC().Format("20060102-150405")
	switch {
	case len(clip.Image) > 0:
		if len(clip.Image) > MaxClipboardBytes {
			return nil, blotter.Errorf(blotter.EINVALID, "the clipboard image is %d MiB; the limit is %d MiB", len(clip.Image)>>20, MaxClipboardBytes>>20)
		}
		ev, err := w.Vault.IngestReader(ctx, "clipboard-"+stamp+".png", bytes.NewReader(clip.Image), MaxClipboardBytes)
		if err != nil {
			return nil, err
		}
		e.Evidence = []blotter.Evidence{*ev}
	default:
		if len(clip.Text) > MaxClipboardBytes {
			return nil, blotter.Errorf(blotter.EINVALID, "the clipboard holds %d MiB of text; the limit is %d MiB", len(clip.Text)>>20, MaxClipboardBytes>>20)
		}
		text := string(clip.Text)
		if why := unfitText(clip.Text); why != "" {
			name := "clipboard-" + stamp + ".txt"
			if !utf8.Valid(clip.Text) {
				name = "clipboard-" + stamp + ".bin"
			}
			ev, err := w.Vault.IngestReader(ctx, name, bytes.NewReader(clip.Text), MaxClipboardBytes)
			if err != nil {
				return nil, err
			}
			e.Evidence = []blotter.Evidence{*ev}
			e.Text = fmt.Sprintf("Clipboard content (%d bytes) kept as a file: %s.", len(clip.Text), why)
		} else {
			e.Text = text
		}
	}
	if err := w.DB.AddEntry(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// unfitText says why clipboard bytes cannot be an entry's text, or "" if they can.
func unfitText(b []byte) string {
	switch {
	case !utf8.Valid(b):
		return "it is not UTF-8 text"
	case bytes.IndexByte(b, 0) >= 0:
		return "it holds NUL bytes"
	case len(b) > blotter.MaxTextBytes:
		return fmt.Sprintf("it is over the %d KiB text limit", blotter.MaxTextBytes>>10)
	}
	return ""
}
