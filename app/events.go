package app

import "github.com/blotterapp/blotter/internal/blotter"

// Event names sent to the frontend. frontend/src/lib/api/events.ts mirrors them.
const (
	// EventDataChanged: something in the database changed (any process); fetch Timeline.Changes.
	EventDataChanged = "data:changed"
	// EventAttachProgress: AttachProgress of a file being copied into the vault.
	EventAttachProgress = "attach:progress"
	// EventAttachDone: []AttachResult of files dropped on the window.
	EventAttachDone = "attach:done"
	// EventWatchError: a message about a watched folder or a file in it that could not be taken in.
	EventWatchError = "watch:error"
	// EventCaptureError: a message about a capture (clipboard, screenshot) that did not happen.
	EventCaptureError = "capture:error"
	// EventQuickNote: the quick-note hotkey was pressed at the given time (RFC 3339); the view
	// focuses the note box with that time.
	EventQuickNote = "capture:quick-note"
	// EventClipboardWatch: the clipboard watch of the active incident was turned on or off (bool).
	EventClipboardWatch = "capture:clipboard-watch"
	// EventWindowMode: the window switched mode (ModeFull, ModeSide, ModeBox); the view lays
	// itself out for it.
	EventWindowMode = "window:mode"
	// EventSecondLaunch: another launch handed over its arguments; the window was focused.
	EventSecondLaunch = "app:second-launch"
	// EventSyncState: syncer.State after each background sync pass (the header and the panel).
	EventSyncState = "sync:state"
	// EventRecordDamaged: some of the record cannot be read (altered outside Blotter); the
	// message says what; the view shows the rest and points to Verify.
	EventRecordDamaged = "record:damaged"
	// EventSettingsChanged: the settings may have changed (here, or in another process such
	// as the CLI); the view re-reads the ones it shows (the author, for "only mine").
	EventSettingsChanged = "settings:changed"
)

// AttachProgress is the payload of EventAttachProgress.
type AttachProgress struct {
	Path  string `json:"path"`
	Done  int64  `json:"done"`
	Total int64  `json:"total"`
}

// FormatError is how an error of a bound method reaches the frontend: its code (what the view
// does about it: a conflict reloads), its message (what the user reads) and the field it is
// about (what the view focuses). The Wails shell and the browser bridge both send this.
func FormatError(err error) *blotter.Error {
	if err == nil {
		return nil
	}
	msg := blotter.ErrorMessage(err)
	if blotter.ErrorCode(err) == blotter.EINTERNAL {
		msg = err.Error() // nobody else will read it: the whole chain
	}
	return &blotter.Error{Code: blotter.ErrorCode(err), Message: msg, Field: blotter.ErrorField(err)}
}
