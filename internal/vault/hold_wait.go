//go:build (unix && !aix && !solaris) || windows

package vault

import (
	"context"
	"path/filepath"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// holdWait bounds how long an ingest waits for another ingest of the same content to settle
// its record: milliseconds, unless that process is stuck.
const holdWait = 30 * time.Second

// holdWaiting, when set (by tests), is called as an ingest starts to wait for another's hold.
var holdWaiting func()

// waitWhileHeld calls try every few milliseconds while it reports the stored file final busy
// (another ingest holds it exclusively), until it is not, try fails, ctx ends or holdWait passes.
func waitWhileHeld(ctx context.Context, final string, try func() (busy bool, err error)) error {
	deadline := time.Now().Add(holdWait)
	for waited := false; ; waited = true {
		busy, err := try()
		if err != nil || !busy {
			return err
		}
		if !waited && holdWaiting != nil {
			holdWaiting()
		}
		if time.Now().After(deadline) {
			return blotter.Errorf(blotter.EUNAVAILABLE, "another ingest of the same content has held %s for over %v: try again", filepath.Base(final), holdWait)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}
