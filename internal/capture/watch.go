// Package capture turns what happens on the desktop into timeline entries. This file watches
// folders: a file that appears in a watched folder (a screenshot folder, downloads) is ingested
// as evidence once it is completely written.
//
// fsnotify reports Create and then a Write per chunk, with no usable "closed after writing"
// event on Linux, so "completely written" means: no event for the file during the quiet period,
// and its size and modification time the same at the end of that period as at its start. A
// rename into the folder (how browsers and editors finish a download) is a Create of the final
// name and goes through the same rule. Temporary and partial names are ignored.
package capture

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults for FolderWatcher.
const (
	DefaultQuiet     = 2 * time.Second
	DefaultRecheck   = 2 * time.Second
	maxIngestRetries = 3
)

// partialSuffixes end the names of files still being written by browsers, editors and copy tools.
var partialSuffixes = []string{".part", ".partial", ".crdownload", ".download", ".tmp", ".temp", ".swp", ".swx", "~", ".opdownload", ".!qb"}

// IsPartialName reports whether a file name is a temporary or partial file's, never evidence.
func IsPartialName(name string) bool {
	lower := strings.ToLower(name)
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || strings.HasPrefix(name, "#") {
		return true
	}
	for _, s := range partialSuffixes {
		if strings.HasSuffix(lower, s) {
			return true
		}
	}
	return false
}

// FolderWatcher ingests files that appear in a set of folders, each once it is complete.
// Files present when a folder is first watched are left alone; when a watched folder
// disappears and comes back, the files in it that changed while it was away are ingested.
type FolderWatcher struct {
	// Ingest stores one completed file; an error is reported through Errors and the file is
	// tried again at its next change.
	Ingest func(ctx context.Context, path string) error
	// Errors, if set, is told what could not be watched or ingested.
	Errors func(err error)
	// Quiet is how long a file must stay unchanged to count as complete.
	Quiet time.Duration
	// Recheck is how often a missing folder is looked for.
	Recheck time.Duration

	mu      sync.Mutex
	fsw     *fsnotify.Watcher
	dirs    map[string]*folder // by absolute path
	pending map[string]*pendingFile
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

type folder struct {
	watching bool
	goneAt   time.Time // when it went missing; zero while present
}

type pendingFile struct {
	timer *time.Timer
	size  int64
	mod   time.Time
	tries int
}

// Start begins watching dirs (absolute paths) until Close.
func (w *FolderWatcher) Start(ctx context.Context, dirs []string) error {
	if w.Quiet <= 0 {
		w.Quiet = DefaultQuiet
	}
	if w.Recheck <= 0 {
		w.Recheck = DefaultRecheck
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	ctx, w.cancel = context.WithCancel(ctx)
	w.fsw = fsw
	w.dirs = map[string]*folder{}
	w.pending = map[string]*pendingFile{}
	w.SetDirs(dirs)
	w.wg.Add(2)
	go w.events(ctx)
	go w.recheck(ctx)
	return nil
}

// SetDirs changes the set of watched folders.
func (w *FolderWatcher) SetDirs(dirs []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	want := map[string]bool{}
	for _, d := range dirs {
		want[filepath.Clean(d)] = true
	}
	for d, f := range w.dirs {
		if !want[d] {
			if f.watching {
				w.fsw.Remove(d)
			}
			delete(w.dirs, d)
		}
	}
	for d := range want {
		if _, ok := w.dirs[d]; !ok {
			f := &folder{}
			w.dirs[d] = f
			w.watchLocked(d, f)
		}
	}
}

// watchLocked adds the fsnotify watch for a folder, or marks it missing.
func (w *FolderWatcher) watchLocked(dir string, f *folder) {
	if err := w.fsw.Add(dir); err != nil {
		if f.goneAt.IsZero() {
			f.goneAt = time.Now()
		}
		f.watching = false
		return
	}
	f.watching = true
}

// Close stops watching and waits for the goroutines to end.
func (w *FolderWatcher) Close() {
	if w.cancel == nil {
		return
	}
	w.cancel()
	w.fsw.Close()
	w.wg.Wait()
	w.mu.Lock()
	for _, p := range w.pending {
		p.timer.Stop()
	}
	w.mu.Unlock()
}

func (w *FolderWatcher) events(ctx context.Context) {
	defer w.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.handle(ctx, ev)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			w.report(err)
		}
	}
}

func (w *FolderWatcher) handle(ctx context.Context, ev fsnotify.Event) {
	w.mu.Lock()
	defer w.mu.Unlock()
	path := filepath.Clean(ev.Name)
	// The watched folder itself went away (removed, renamed, unmounted).
	if f, ok := w.dirs[path]; ok && ev.Has(fsnotify.Remove|fsnotify.Rename) {
		f.watching, f.goneAt = false, time.Now()
		return
	}
	if _, watched := w.dirs[filepath.Dir(path)]; !watched || IsPartialName(filepath.Base(path)) {
		return
	}
	if ev.Has(fsnotify.Create) || ev.Has(fsnotify.Write) {
		w.touchLocked(ctx, path)
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		if p, ok := w.pending[path]; ok {
			p.timer.Stop()
			delete(w.pending, path)
		}
	}
}

// touchLocked (re)starts the quiet period of a file that changed.
func (w *FolderWatcher) touchLocked(ctx context.Context, path string) {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return
	}
	p, ok := w.pending[path]
	if !ok {
		p = &pendingFile{}
		w.pending[path] = p
		p.timer = time.AfterFunc(w.Quiet, func() { w.settle(ctx, path) })
	} else {
		p.timer.Reset(w.Quiet)
	}
	p.size, p.mod = fi.Size(), fi.ModTime()
}

// settle runs when a file had no event for the quiet period: if its size and time held still
// it is complete and ingested; otherwise it waits another period.
func (w *FolderWatcher) settle(ctx context.Context, path string) {
	w.mu.Lock()
	p, ok := w.pending[path]
	if !ok || ctx.Err() != nil {
		w.mu.Unlock()
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		delete(w.pending, path) // vanished before it was complete: nothing to keep
		w.mu.Unlock()
		return
	}
	if fi.Size() != p.size || !fi.ModTime().Equal(p.mod) {
		p.size, p.mod = fi.Size(), fi.ModTime()
		p.timer.Reset(w.Quiet)
		w.mu.Unlock()
		return
	}
	delete(w.pending, path)
	w.mu.Unlock()

	err = w.Ingest(ctx, path)
	if err != nil && ctx.Err() == nil {
		w.report(err)
		// A file that changed while it was read is tried again once it is still.
		if p.tries < maxIngestRetries && !errors.Is(err, fs.ErrNotExist) {
			w.mu.Lock()
			p.tries++
			w.pending[path] = p
			p.timer = time.AfterFunc(w.Quiet, func() { w.settle(ctx, path) })
			p.size, p.mod = fi.Size(), fi.ModTime()
			w.mu.Unlock()
		}
	}
}

// recheck looks for missing folders; one that is back is watched again, and its files that
// changed while it was away are taken in.
func (w *FolderWatcher) recheck(ctx context.Context) {
	defer w.wg.Done()
	t := time.NewTicker(w.Recheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		w.mu.Lock()
		for dir, f := range w.dirs {
			if f.watching {
				continue
			}
			since := f.goneAt
			w.watchLocked(dir, f)
			if !f.watching {
				continue
			}
			f.goneAt = time.Time{}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				info, err := e.Info()
				if err != nil || !info.Mode().IsRegular() || IsPartialName(e.Name()) || info.ModTime().Before(since) {
					continue
				}
				w.touchLocked(ctx, filepath.Join(dir, e.Name()))
			}
		}
		w.mu.Unlock()
	}
}

func (w *FolderWatcher) report(err error) {
	if w.Errors != nil {
		w.Errors(err)
	}
}
