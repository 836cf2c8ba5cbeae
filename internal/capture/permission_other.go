//go:build !darwin

package capture

// ScreenRecordingAllowed is true: only macOS asks the user before an app may record the screen.
func ScreenRecordingAllowed() (bool, error) { return true, nil }
