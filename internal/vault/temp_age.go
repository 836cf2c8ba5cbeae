//go:build !unix || aix || solaris

package vault

import (
	"os"
	"time"
)

// abandonedAfter is the age at which a temporary file is taken for a leftover where temporary
// files are not locked: an ingest writes its file far more often than that.
const abandonedAfter = 24 * time.Hour

// lockTemp does nothing: Open tells leftovers by their age.
func lockTemp(*os.File) error { return nil }

// removeAbandoned removes the temporary file at path if it was last written a day ago or more.
func removeAbandoned(path string) {
	if fi, err := os.Lstat(path); err == nil && time.Since(fi.ModTime()) >= abandonedAfter {
		os.Remove(path)
	}
}
