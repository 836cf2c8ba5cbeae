package app

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
)

// AttachProgress is the payload of EventAttachProgress.
type AttachProgress struct {
	Path  string `json:"path"`
	Done  int64  `json:"done"`
	Total int64  `json:"total"`
}
