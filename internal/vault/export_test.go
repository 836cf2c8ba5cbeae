//go:build (unix && !aix && !solaris) || windows

package vault

// OnHoldWait has f called as an ingest starts to wait for another ingest's hold, so that a test
// knows the wait began; nil stops it.
func OnHoldWait(f func()) { holdWaiting = f }
