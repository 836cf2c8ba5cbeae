//go:build !unix

package cli_test

import (
	"os/exec"
	"testing"
)

// mkfifo: this OS has no named pipes in the file system; the rest of the test needs one.
func mkfifo(t *testing.T, path string) { t.Skip("no FIFOs on this OS") }

// peakRSS is not measured on this OS: 0 passes the memory bound.
func peakRSS(cmd *exec.Cmd) int64 { return 0 }
