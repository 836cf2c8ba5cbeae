//go:build !linux && !windows

package autostart

import "github.com/blotterapp/blotter/internal/blotter"

// errUnsupported is what every call says until macOS (a login item) has its own file.
var errUnsupported error = blotter.Errorf(blotter.EUNAVAILABLE, "starting Blotter at login is not supported on this OS yet (only on Linux and Windows)")

// Path returns errUnsupported.
func Path() (string, error) { return "", errUnsupported }

// Enabled returns errUnsupported.
func Enabled() (bool, error) { return false, errUnsupported }

// Enable returns errUnsupported.
func Enable([]string) error { return errUnsupported }

// Disable returns errUnsupported.
func Disable() error { return errUnsupported }
