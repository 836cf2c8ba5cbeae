package workspace

import "context"

// Capture settings.
const (
	// settingClipboardWatchPrefix + incident id is "on" while the clipboard watch records into
	// that incident: the watch is per incident, so switching incidents never carries it along.
	settingClipboardWatchPrefix = "clipboard_watch:"
	// SettingScreenshotAllScreens is "on" when a screenshot takes every monitor, not the one
	// under the pointer.
	SettingScreenshotAllScreens = "screenshot_all_screens"
)

// ClipboardWatch reports whether the clipboard watch is on for the incident.
func (w *Workspace) ClipboardWatch(ctx context.Context, incidentID string) (bool, error) {
	v, err := w.DB.Setting(ctx, settingClipboardWatchPrefix+incidentID)
	return v == "on", err
}

// SetClipboardWatch turns the clipboard watch on or off for the incident.
func (w *Workspace) SetClipboardWatch(ctx context.Context, incidentID string, on bool) error {
	return w.DB.SetSetting(ctx, settingClipboardWatchPrefix+incidentID, onOff(on))
}

// ScreenshotAllScreens reports whether a screenshot takes every monitor.
func (w *Workspace) ScreenshotAllScreens(ctx context.Context) (bool, error) {
	v, err := w.DB.Setting(ctx, SettingScreenshotAllScreens)
	return v == "on", err
}

// SetScreenshotAllScreens chooses every monitor (true) or the one under the pointer.
func (w *Workspace) SetScreenshotAllScreens(ctx context.Context, all bool) error {
	return w.DB.SetSetting(ctx, SettingScreenshotAllScreens, onOff(all))
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
