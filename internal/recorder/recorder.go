// Package recorder is Blotter's service layer: every use case that reads or changes the record
// (create an incident, add a note, attach a file, move a task, verify, import) lives here once,
// for the desktop app, the CLI and the sync adapters alike. It opens a data dir (the database,
// the evidence vault and the settings in them) and keeps them private, so that no caller can
// change the record except through a use case and its rules.
package recorder

import (
	"context"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/ioc"
	"github.com/blotterapp/blotter/internal/sqlite"
	"github.com/blotterapp/blotter/internal/vault"
)

// SettingAuthor is the setting that holds the name changes are recorded under.
const SettingAuthor = "author"

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
	return userDataDir()
}

// userDataDir is the OS's per-user data folder for Blotter: the data dir when neither
// --data-dir nor $BLOTTER_DATA_DIR says otherwise.
func userDataDir() (string, error) {
	if runtime.GOOS == "linux" || runtime.GOOS == "freebsd" || runtime.GOOS == "openbsd" {
		if xdg := os.Getenv("XDG_DATA_HOME"); xdg != "" {
			return filepath.Join(xdg, "blotter"), nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", blotter.Errorf(blotter.EUNAVAILABLE, "no home folder to keep data in: set %s or choose a data folder", DataDirEnv)
		}
		return filepath.Join(home, ".local", "share", "blotter"), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", blotter.Errorf(blotter.EUNAVAILABLE, "no folder to keep data in: set %s or choose a data folder", DataDirEnv)
	}
	return filepath.Join(dir, "Blotter"), nil
}

// Recorder is an open data dir and the use cases over it.
type Recorder struct {
	dir   string
	db    *sqlite.DB
	vault *vault.Vault
	// now is the clock for times typed relative to now (-15m, 17:00); local is the zone of
	// times typed without one. Tests fix both with SetClock.
	now   blotter.Clock
	local *time.Location
}

// Open opens the data dir, creating it with mode 0700 (it holds evidence) if it is missing.
// A data dir that others can read is tightened to 0700, and the database and its -wal and
// -shm files to 0600. A data dir whose database is gone (or emptied) while its vault still
// holds evidence is refused: starting afresh there would hide that the record was lost.
func Open(ctx context.Context, dir string) (*Recorder, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, blotter.Errorf(blotter.EUNAVAILABLE, "cannot create the data dir %s: %v", dir, err)
	}
	v, err := vault.Open(filepath.Join(dir, "vault"))
	if err != nil {
		return nil, err
	}
	if err := guardDataDir(dir, v); err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, filepath.Join(dir, DatabaseFile))
	if why := ""; err != nil && fileExists(filepath.Join(dir, DatabaseFile)) {
		if why = sqlite.WhyNotWritable(err); why != "" {
			// A full or read-only disk must never stop a responder from reading or exporting.
			db, err = sqlite.OpenReadOnly(ctx, filepath.Join(dir, DatabaseFile), why)
		}
	}
	if err != nil {
		return nil, err
	}
	db.Extract = ioc.Extract
	db.FindSecrets = ioc.FindSecrets
	return &Recorder{dir: dir, db: db, vault: v, now: time.Now, local: time.Local}, nil
}

// ReadOnly returns why the record is open for reading only (a full disk), or "".
func (r *Recorder) ReadOnly() string { return r.db.ReadOnly() }

// Close closes the database.
func (r *Recorder) Close() error { return r.db.Close() }

// Dir returns the data dir.
func (r *Recorder) Dir() string { return r.dir }

// SetClock makes the recorder and its store read the time from now, and read times typed
// without a zone in local. For tests and for the CLI's own clock.
func (r *Recorder) SetClock(now blotter.Clock, local *time.Location) {
	r.now, r.local = now, local
	r.db.Now = now
}

// ParseTime reads a time a person typed: RFC 3339, a clock time, a date and time, or relative.
func (r *Recorder) ParseTime(s string) (time.Time, error) {
	return blotter.ParseTime(s, r.now(), r.local)
}

// Author returns the name changes are recorded under: the configured author, else the OS
// user's full name, else the login name. It is read at every change, so a new name in the
// settings (the app's or the CLI's) applies to the next change everywhere.
func (r *Recorder) Author(ctx context.Context) (string, error) {
	name, err := r.db.Setting(ctx, SettingAuthor)
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
func (r *Recorder) SetAuthor(ctx context.Context, name string) error {
	name = strings.TrimSpace(name)
	if err := blotter.ValidateAuthor(name); err != nil {
		return err
	}
	return r.db.SetSetting(ctx, SettingAuthor, name)
}

// localChange returns the change a responder makes here now, with a reason (may be empty).
func (r *Recorder) localChange(ctx context.Context, reason string) (blotter.Change, error) {
	by, err := r.Author(ctx)
	return blotter.Change{By: by, Reason: strings.TrimSpace(reason), Origin: blotter.OriginLocal}, err
}

// ActiveIncident returns the incident new entries go to. Returns ENOTFOUND (with the field
// FieldActiveIncident) when there is none.
func (r *Recorder) ActiveIncident(ctx context.Context) (*blotter.Incident, error) {
	id, err := r.db.Setting(ctx, sqlite.SettingActiveIncident)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, blotter.FieldErrorf(blotter.ENOTFOUND, blotter.FieldActiveIncident, "no active incident: start one, or pick one to work on")
	}
	inc, err := r.db.FindIncident(ctx, id)
	if blotter.ErrorCode(err) == blotter.ENOTFOUND {
		return nil, blotter.FieldErrorf(blotter.ENOTFOUND, blotter.FieldActiveIncident, "the active incident %s is gone: pick another one", id)
	}
	return inc, err
}

// Incident returns the incident with the given id, or the active one for "". Returns ENOTFOUND.
func (r *Recorder) Incident(ctx context.Context, id string) (*blotter.Incident, error) {
	if id == "" {
		return r.ActiveIncident(ctx)
	}
	return r.db.FindIncident(ctx, id)
}

// UseIncident makes the incident with the given id the active one. Returns ENOTFOUND.
func (r *Recorder) UseIncident(ctx context.Context, id string) (*blotter.Incident, error) {
	inc, err := r.db.FindIncident(ctx, id)
	if err != nil {
		return nil, err
	}
	return inc, r.db.SetSetting(ctx, sqlite.SettingActiveIncident, inc.ID)
}

// Preferences of the app's own, which no rule of the record depends on.
const (
	PrefWindowGeometry = "window_geometry" // "x y width height" of the full window
	PrefSideWindow     = "side_window"     // JSON: the side window's screen and edge
)

// Preference returns one of the app's own preferences (Pref…), or "" when unset.
func (r *Recorder) Preference(ctx context.Context, name string) (string, error) {
	if err := checkPreference(name); err != nil {
		return "", err
	}
	return r.db.Setting(ctx, name)
}

// SetPreference stores one of the app's own preferences (Pref…).
func (r *Recorder) SetPreference(ctx context.Context, name, value string) error {
	if err := checkPreference(name); err != nil {
		return err
	}
	return r.db.SetSetting(ctx, name, value)
}

func checkPreference(name string) error {
	if name != PrefWindowGeometry && name != PrefSideWindow {
		return blotter.Errorf(blotter.EINVALID, "no preference %q", name)
	}
	return nil
}

// WatchChanges returns a watcher that calls changed after every commit to the database by any
// process (this one, a CLI, another window), polling every interval.
func (r *Recorder) WatchChanges(interval time.Duration, changed func()) *sqlite.Watcher {
	return r.db.NewWatcher(interval, changed)
}

// CheckOutputPath refuses a file to write (an export) that lies in the data dir: the database,
// its -wal and -shm, the vault. Written over, they would lose every incident. Symlinks are
// resolved, so a link out of the data dir's sight is caught too.
func (r *Recorder) CheckOutputPath(path string) error {
	dir, err := realPath(r.dir)
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot resolve the data dir %s: %v", r.dir, err)
	}
	target, err := realPath(path)
	if err != nil {
		return blotter.Errorf(blotter.EINVALID, "cannot write %s: %v", path, err)
	}
	if rel, err := filepath.Rel(dir, target); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return blotter.Errorf(blotter.EINVALID, "%s is inside Blotter's data dir (%s): writing there could destroy the record; choose a file outside it", path, r.dir)
	}
	return nil
}

// realPath resolves path to an absolute path without symlinks; a file that does not exist yet
// is resolved through its folder.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real, nil
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}

// guardDataDir keeps the data dir private and refuses to start afresh over a lost database.
func guardDataDir(dir string, v *vault.Vault) error {
	if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return blotter.Errorf(blotter.EUNAVAILABLE, "the data dir %s can be read by other users (mode %o) and cannot be made private: %v", dir, fi.Mode().Perm(), err)
		}
	}
	dbPath := filepath.Join(dir, DatabaseFile)
	fi, err := os.Stat(dbPath)
	if (err != nil && os.IsNotExist(err)) || (err == nil && fi.Size() == 0) {
		n := 0
		_ = v.Each(func(string) error { n++; return nil })
		if n > 0 {
			state := "is missing"
			if err == nil {
				state = "is empty (0 bytes)"
			}
			return blotter.Errorf(blotter.EUNAVAILABLE, "the database %s %s, but the vault beside it holds %d evidence files: the record was lost or moved. Restore %s from a backup; or, to start afresh, move the vault folder away first", dbPath, state, n, DatabaseFile)
		}
	}
	if err != nil && os.IsNotExist(err) {
		// Created here with mode 0600: SQLite gives its -wal and -shm files the database's mode.
		f, err := os.OpenFile(dbPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			f.Close()
		}
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if fi, err := os.Stat(dbPath + suffix); err == nil && fi.Mode().Perm()&0o077 != 0 {
			_ = os.Chmod(dbPath+suffix, 0o600)
		}
	}
	return nil
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
