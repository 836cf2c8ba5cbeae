// Package workspace opens a Blotter data dir: the database, the evidence vault and the settings
// in them, wired together. The CLI and the desktop app both start here, so they share one
// database path, one vault and one set of rules.
package workspace

import (
	"context"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
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
