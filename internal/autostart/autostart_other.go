//go:build !linux && !windows && !darwin

package autostart

import "github.com/blotterapp/blotter/internal/blotter"

// errUnsupported is what every call says on an OS without a file of its own.
var errUnsupported error = blotter.Errorf(blotter.EUNAVAILABLE, "starting Blotter at login is not supported on this OS (only on Linux, Windows and macOS)")

// Path returns errUnsupported.
func Path() (string, error) { return "", errUnsupported }

// Enabled returns errUnsupported.
func Enabled() (bool, error) { return false, errUnsupported }

// Enable returns errUnsupported.
func Enable([]string) error { return errUnsupported }

// Disable returns errUnsupported.
func Disable() error { return errUnsupported }
