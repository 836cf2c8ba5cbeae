//go:build !windows

package vault

import "os"

// namedAt reports whether the open file f is the file at path.
func namedAt(f *os.File, path string) bool {
	named, err := os.Lstat(path)
	if err != nil {
		return false
	}
	held, err := f.Stat()
	return err == nil && os.SameFile(named, held)
}
