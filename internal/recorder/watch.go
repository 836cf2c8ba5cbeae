package recorder

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/capture"
)

// SettingWatchedFolders holds the watched folders, a JSON list of absolute paths.
const SettingWatchedFolders = "watched_folders"

// WatchedFolders returns the folders whose new files become evidence.
func (r *Recorder) WatchedFolders(ctx context.Context) ([]string, error) {
	v, err := r.db.Setting(ctx, SettingWatchedFolders)
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
func (r *Recorder) AddWatchedFolder(ctx context.Context, dir string) (string, error) {
	if strings.TrimSpace(dir) == "" {
		return "", blotter.Errorf(blotter.EINVALID, "no folder given to watch")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", blotter.Errorf(blotter.EINVALID, "cannot resolve %s: %v", dir, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	fi, err := os.Stat(abs)
	switch {
	case err != nil:
		return "", blotter.Errorf(blotter.EINVALID, "cannot watch %s: %v", dir, err)
	case !fi.IsDir():
		return "", blotter.Errorf(blotter.EINVALID, "%s is not a folder", dir)
	case abs == filepath.VolumeName(abs)+string(filepath.Separator):
		return "", blotter.Errorf(blotter.EINVALID, "%s is the root of the file system: watch the folder your files arrive in (screenshots, downloads)", dir)
	}
	if system := systemFolder(abs); system != "" {
		return "", blotter.Errorf(blotter.EINVALID, "%s is a folder of the operating system (%s), not one where evidence files arrive", dir, system)
	}
	data, _ := realPath(r.dir)
	if rel, err := filepath.Rel(data, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return "", blotter.Errorf(blotter.EINVALID, "%s is Blotter's own data folder", dir)
	}
	dirs, err := r.WatchedFolders(ctx)
	if err != nil {
		return "", err
	}
	for _, d := range dirs {
		if d == abs {
			return "", blotter.Errorf(blotter.ECONFLICT, "%s is watched already", abs)
		}
	}
	return abs, r.saveWatchedFolders(ctx, append(dirs, abs))
}

// RemoveWatchedFolder stops watching a folder. Returns ENOTFOUND if it was not watched.
func (r *Recorder) RemoveWatchedFolder(ctx context.Context, dir string) error {
	abs, _ := filepath.Abs(dir)
	dirs, err := r.WatchedFolders(ctx)
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
	return r.saveWatchedFolders(ctx, kept)
}

func (r *Recorder) saveWatchedFolders(ctx context.Context, dirs []string) error {
	b, err := json.Marshal(dirs)
	if err != nil {
		return err
	}
	return r.db.SetSetting(ctx, SettingWatchedFolders, string(b))
}

// NewFolderWatcher returns a watcher that attaches each completed file to the incident active
// at that moment, timed by the file's last modification (when it was written, not when it was
// noticed). onEntry, if set, is told of each entry.
func (r *Recorder) NewFolderWatcher(onEntry func(*blotter.Entry), onError func(error)) *capture.FolderWatcher {
	return &capture.FolderWatcher{
		Ingest: func(ctx context.Context, path string) error {
			inc, err := r.ActiveIncident(ctx)
			if err != nil {
				return err
			}
			fi, err := os.Lstat(path)
			if err != nil {
				return err
			}
			// Only regular files: a link dropped in a watched folder could name any file the
			// user can read (ln -s /etc/shadow innocent.png), and nobody chose to take it in.
			if fi.Mode()&os.ModeSymlink != 0 {
				target, _ := os.Readlink(path)
				return blotter.Errorf(blotter.EINVALID, "%s is a symlink (to %s): a watched folder takes in regular files only; attach the file itself if it is evidence", path, target)
			}
			e, err := r.Attach(ctx, inc.ID, path, "", fi.ModTime(), nil)
			if err == nil && onEntry != nil {
				onEntry(e)
			}
			return err
		},
		Errors: onError,
	}
}
