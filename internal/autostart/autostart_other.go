//go:build !linux

package autostart

import "github.com/blotterapp/blotter/internal/blotter"

// errUnsupported is what every call says until Windows (a Run registry value) and macOS (a
// login item) have their own file.
var errUnsupported error = blotter.Errorf(blotter.EUNAVAILABLE, "starting Blotter at login is not supported on this OS yet (only on Linux)")

// Path returns errUnsupported.
func Path() (string, error) { return "", errUnsupported }

// Enabled returns errUnsupported.
func Enabled() (bool, error) { return false, errUnsupported }

// Enable returns errUnsupported.
func Enable([]string) error { return errUnsupported }

// Disable returns errUnsupported.
func Disable() error { return errUnsupported }
