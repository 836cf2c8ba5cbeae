// Package app is the desktop app's facade: the structs whose methods the frontend calls, one
// per feature area, each method a thin typed call into the recorder's use cases. Only wails.go
// imports the Wails runtime; everything else here is plain Go, tested without a window.
package app

import (
	"context"
	"errors"
	"fmt"
	"log"
	"maps"
	"sync"
	"time"

	"github.com/blotterapp/blotter/internal/capture"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/sqlite"
	"github.com/blotterapp/blotter/internal/syncer"
)

// Emitter sends an event to the frontend.
type Emitter func(event string, data any)

// core is what the bound structs share.
type core struct {
	rec  *recorder.Recorder
	emit Emitter
	// appCtx is the app's lifetime: the bound methods run under it, so that shutting the app
	// down cancels what they are doing.
	appCtx  context.Context
	folders *capture.FolderWatcher // nil until Start
	shots   *capture.Screenshots   // one X connection for every screenshot
	win     *windowModes
	clips   *clipboardWatch
	sync    *syncer.Runner // nil until Start

	hotkeysMu sync.Mutex
	hotkeys   *capture.Hotkeys
	grabbed   map[string]capture.Combo // the combos grabbed last
	conflicts map[string]string        // action -> why its combo could not be grabbed
	settings  string                   // the settings the view was last told of
	pressed   func(action string, at time.Time)
}

// ctx returns the context the bound methods run under.
func (c *core) ctx() context.Context { return c.appCtx }

// Services are the structs bound to the frontend, and the lifecycle around them.
type Services struct {
	Incidents *Incidents
	Timeline  *Timeline
	Evidence  *Evidence
	Capture   *Capture
	System    *System
	Window    *Window
	Tasks     *Tasks
	Sync      *Sync
	Slack     *Slack
	Documents *Documents

	// Raise brings the window to the front (the desktop shell sets it); a quick-note hotkey
	// calls it before the view focuses the note box.
	Raise func()

	core    *core
	watcher *sqlite.Watcher
}

// New returns the services over an open data dir. Until Start they run under
// context.Background() and emit nothing.
func New(rec *recorder.Recorder) *Services {
	c := &core{rec: rec, appCtx: context.Background(), emit: func(string, any) {}, shots: &capture.Screenshots{},
		win: &windowModes{mode: ModeFull}, clips: &clipboardWatch{read: capture.ReadClipboard, interval: time.Second}}
	return &Services{
		Incidents: &Incidents{c}, Timeline: &Timeline{c}, Evidence: &Evidence{c}, Capture: &Capture{c}, System: &System{c},
		Window: &Window{c}, Tasks: &Tasks{c}, Sync: &Sync{c}, Slack: &Slack{c}, Documents: &Documents{c},
		core: c,
	}
}

// Bindings lists the structs the frontend may call.
func (s *Services) Bindings() []any {
	return []any{s.Incidents, s.Timeline, s.Evidence, s.Capture, s.System, s.Window, s.Tasks, s.Sync, s.Slack, s.Documents}
}

// Start runs the services under ctx (the app's lifetime), sends events through emit, starts
// watching the database, so that a change from any process (the CLI included) reaches the
// view, and starts watching the watched folders.
func (s *Services) Start(ctx context.Context, emit Emitter) error {
	s.core.emit, s.core.appCtx = emit, ctx
	s.watcher = s.core.rec.WatchChanges(250*time.Millisecond, func() { s.dataChanged(ctx) })
	if err := s.watcher.Start(ctx); err != nil {
		return err
	}
	dirs, err := s.core.rec.WatchedFolders(ctx)
	if err != nil {
		return err
	}
	folders := s.core.rec.NewFolderWatcher(nil, func(err error) { emit(EventWatchError, err.Error()) })
	if err := folders.Start(ctx, dirs); err != nil {
		return err
	}
	s.core.folders = folders
	s.core.pressed = s.hotkeyPressed
	if err := s.core.grabHotkeys(ctx); err != nil {
		log.Printf("blotter: %v", err)
	}
	s.core.resumeClipboardWatch(ctx)
	// Sync with GitLab in the background: offline is normal, and nothing waits on it.
	s.core.sync = &syncer.Runner{Rec: s.core.rec, Changed: func(st syncer.State) { emit(EventSyncState, st) }}
	s.core.sync.Start(ctx)
	return nil
}

// dataChanged tells the view that the database changed (by any process), and takes up settings
// that another process (the CLI, Settings in another window) changed: the hotkeys are grabbed
// again when theirs changed, and the view re-reads the settings.
func (s *Services) dataChanged(ctx context.Context) {
	s.core.emit(EventDataChanged, nil)
	if s.core.sync != nil {
		s.core.sync.Notify() // a change was committed: it may be GitLab's to have
	}
	combos, err := s.core.rec.Hotkeys(ctx)
	if err != nil {
		return
	}
	author, err := s.core.rec.Author(ctx)
	if err != nil {
		return
	}
	s.core.hotkeysMu.Lock()
	same := maps.Equal(combos, s.core.grabbed)
	settings := fmt.Sprint(author, combos)
	fresh := settings != s.core.settings
	s.core.settings = settings
	s.core.hotkeysMu.Unlock()
	if !same {
		if err := s.core.grabHotkeys(ctx); err != nil {
			log.Printf("blotter: %v", err)
		}
	}
	if fresh {
		s.core.emit(EventSettingsChanged, nil)
	}
}

// grabHotkeys grabs the global hotkeys, letting go of the ones held before. Without an X
// display, or for a combo another program holds, it says so (standard error, and
// System.Hotkeys) and carries on: capture still works from the window and 'blotter capture'.
func (c *core) grabHotkeys(ctx context.Context) error {
	c.hotkeysMu.Lock()
	defer c.hotkeysMu.Unlock()
	if c.hotkeys != nil {
		c.hotkeys.Close()
		c.hotkeys = nil
	}
	c.conflicts = map[string]string{}
	combos, err := c.rec.Hotkeys(ctx)
	if err != nil {
		return err
	}
	c.grabbed = combos
	hk, conflicts, err := capture.StartHotkeys(combos, c.pressed)
	if err != nil {
		for action := range combos {
			c.conflicts[action] = err.Error()
		}
		return err
	}
	for _, err := range conflicts {
		log.Printf("blotter: %v", err)
		var conflict *capture.HotkeyConflictError
		if errors.As(err, &conflict) {
			c.conflicts[conflict.Action] = err.Error()
		}
	}
	c.hotkeys = hk
	return nil
}

// hotkeyPressed acts on a global hotkey, timed at the press.
func (s *Services) hotkeyPressed(action string, at time.Time) {
	var err error
	switch action {
	case capture.HotkeyNote:
		err = s.quickNote(at)
	case capture.HotkeySide:
		err = s.Window.Toggle()
	case capture.HotkeyClipboard:
		_, err = s.Capture.clipboard(at)
	case capture.HotkeyScreenshot:
		_, err = s.Capture.screenshot(at)
	}
	if err != nil {
		log.Printf("blotter: the %s hotkey: %v", action, err)
		s.core.emit(EventCaptureError, err.Error())
	}
}

// quickNote opens the quick-note box on top, with the note's time already taken (the key press,
// or when 'blotter capture note' ran).
func (s *Services) quickNote(at time.Time) error {
	// Who has the keyboard is noted before the window is raised (it would be us after), so
	// that closing the box gives it back. A minimised window is shown first (placing needs it
	// on the screen); a shown one is placed and activated through the window manager, since
	// the shell's show, which runs later on its own thread, would move it again.
	if s.Window.saveFocus() && s.Raise != nil {
		s.Raise()
	}
	err := s.Window.quickNote()
	s.core.emit(EventQuickNote, at.UTC().Format(time.RFC3339Nano))
	return err
}

// Dropped handles files dropped on the window: each becomes an evidence entry, and the view
// is told what became of every file (EventAttachDone), refusals included.
func (s *Services) Dropped(paths []string) {
	results, err := s.Evidence.Attach(paths)
	if err != nil {
		results = []AttachResult{{Error: err.Error()}}
	}
	s.core.emit(EventAttachDone, results)
}

// Close stops the watchers.
func (s *Services) Close() {
	if s.core.sync != nil {
		s.core.sync.Close()
	}
	if s.watcher != nil {
		s.watcher.Close()
	}
	if s.core.folders != nil {
		s.core.folders.Close()
	}
	s.core.shots.Close()
	s.core.clips.close()
	s.core.hotkeysMu.Lock()
	if s.core.hotkeys != nil {
		s.core.hotkeys.Close()
	}
	s.core.hotkeysMu.Unlock()
}

// parseTime reads a time the frontend sends: RFC 3339, or anything the CLI accepts.
func (c *core) parseTime(s string) (time.Time, error) {
	return c.rec.ParseTime(s)
}
