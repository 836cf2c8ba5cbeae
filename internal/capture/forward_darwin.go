package capture

import (
	"path/filepath"

	"github.com/ebitengine/purego/objc"

	"github.com/blotterapp/blotter/internal/blotter"
	"github.com/blotterapp/blotter/internal/macos"
)

// Forward hands args to the running desktop app, as a second launch of it would: the client
// side of Wails' macOS single-instance protocol. The app holds a lock on
// <temp dir>/<id>.lock while it runs, and takes a distributed notification named by its id
// whose object is the message (Wails passes it there, not in userInfo, because a sandbox
// strips userInfo).
func Forward(args []string) error {
	tmp, err := macos.TempDir()
	if err != nil {
		return err
	}
	running, err := appHoldsLock(filepath.Join(tmp, SingleInstanceID+".lock"))
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "cannot tell whether the Blotter app runs: %v", err)
	}
	if !running {
		return errNoApp()
	}
	msg, err := secondInstanceMessage(args)
	if err != nil {
		return err
	}
	macos.WithPool(func() {
		center := macos.Send(macos.Class("NSDistributedNotificationCenter"), "defaultCenter")
		macos.Send(center, "postNotificationName:object:userInfo:deliverImmediately:",
			macos.String(SingleInstanceID), macos.String(string(msg)), objc.ID(0), true)
	})
	return nil
}
