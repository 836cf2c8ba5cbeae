package app

import (
	"context"
	"os"
	"sort"

	"github.com/blotterapp/blotter/internal/capture"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/version"
)

// System lets the frontend verify the record and read or change settings.
type System struct{ *core }

// Settings are the user's settings as the app shows them.
type Settings struct {
	Author  string `json:"author"`
	DataDir string `json:"data_dir"`
}

// Verify checks every incident's hash chain and rehashes every evidence file.
func (s *System) Verify() (*recorder.VerifyResult, error) {
	return s.rec.Verify(s.ctx())
}

// Settings returns the current settings.
func (s *System) Settings() (*Settings, error) {
	author, err := s.rec.Author(s.ctx())
	if err != nil {
		return nil, err
	}
	return &Settings{Author: author, DataDir: s.rec.Dir()}, nil
}

// Version returns this build's version, for the About box.
func (s *System) Version() version.Info {
	return version.Get()
}

// Autostart reports whether Blotter starts at login as the side window.
func (s *System) Autostart() (bool, error) {
	return s.rec.Autostart()
}

// SetAutostart makes Blotter start at login as the side window, or stops that.
func (s *System) SetAutostart(on bool) error {
	return s.rec.SetAutostart(on)
}

// HotkeysAdvice says what to do instead of the global hotkeys where they cannot work (a
// Wayland session), or "".
func (s *System) HotkeysAdvice() string {
	if capture.WaylandSession(os.Getenv) {
		return capture.WaylandHotkeys
	}
	return ""
}

// ScreenshotAdvice says how to let Blotter record the screen where the OS has not let it yet
// (macOS's Screen Recording permission), or "".
func (s *System) ScreenshotAdvice() string {
	return capture.ScreenRecordingAdvice(capture.ScreenRecordingAllowed)
}

// SetAuthor sets the name changes are recorded under.
func (s *System) SetAuthor(name string) error {
	return s.rec.SetAuthor(s.ctx(), name)
}

// WatchedFolders returns the folders whose new files become evidence.
func (s *System) WatchedFolders() ([]string, error) {
	return s.rec.WatchedFolders(s.ctx())
}

// AddWatchedFolder starts watching a folder and returns the watched folders.
func (s *System) AddWatchedFolder(dir string) ([]string, error) {
	ctx := s.ctx()
	if _, err := s.rec.AddWatchedFolder(ctx, dir); err != nil {
		return nil, err
	}
	return s.applyFolders(ctx)
}

// RemoveWatchedFolder stops watching a folder and returns the watched folders.
func (s *System) RemoveWatchedFolder(dir string) ([]string, error) {
	ctx := s.ctx()
	if err := s.rec.RemoveWatchedFolder(ctx, dir); err != nil {
		return nil, err
	}
	return s.applyFolders(ctx)
}

// applyFolders hands the stored list to the running watcher.
func (s *System) applyFolders(ctx context.Context) ([]string, error) {
	dirs, err := s.rec.WatchedFolders(ctx)
	if err == nil && s.folders != nil {
		s.folders.SetDirs(dirs)
	}
	return dirs, err
}

// Hotkey is a global hotkey as the settings show it.
type Hotkey struct {
	Action  string `json:"action"`
	Combo   string `json:"combo"`
	Problem string `json:"problem,omitempty"` // why it does not work: another program holds it, no X display
}

// Hotkeys returns every global hotkey, sorted by action, and whether it works.
func (s *System) Hotkeys() ([]Hotkey, error) {
	combos, err := s.rec.Hotkeys(s.ctx())
	if err != nil {
		return nil, err
	}
	s.hotkeysMu.Lock()
	defer s.hotkeysMu.Unlock()
	list := make([]Hotkey, 0, len(combos))
	for action, c := range combos {
		list = append(list, Hotkey{Action: action, Combo: c.String(), Problem: s.conflicts[action]})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Action < list[j].Action })
	return list, nil
}

// SetHotkey changes an action's combo, grabs the hotkeys again, and returns them all: a combo
// another program holds is saved but reported in its Problem.
func (s *System) SetHotkey(action, combo string) ([]Hotkey, error) {
	ctx := s.ctx()
	if _, err := s.rec.SetHotkey(ctx, action, combo); err != nil {
		return nil, err
	}
	_ = s.grabHotkeys(ctx) // the problems are in the list
	return s.Hotkeys()
}
