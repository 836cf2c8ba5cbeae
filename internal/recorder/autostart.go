package recorder

import (
	"path/filepath"

	"github.com/blotterapp/blotter/internal/autostart"
	"github.com/blotterapp/blotter/internal/blotter"
)

// Autostart reports whether Blotter starts at login (as the side window).
func (r *Recorder) Autostart() (bool, error) {
	return autostart.Enabled()
}

// SetAutostart makes Blotter start at login as the side window over this data dir, or stops
// that. The entry names the data dir unless it is the OS's default one: $BLOTTER_DATA_DIR or
// a --data-dir given now is not there at login.
func (r *Recorder) SetAutostart(on bool) error {
	if !on {
		return autostart.Disable()
	}
	dir, err := filepath.Abs(r.dir)
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot tell where the data dir %s is: %v", r.dir, err)
	}
	args := []string{"--side"}
	if def, err := userDataDir(); err != nil || filepath.Clean(def) != dir {
		args = append(args, "--data-dir", dir)
	}
	return autostart.Enable(args)
}
