//go:build unix

package cli_test

import (
	"os/exec"
	"syscall"
	"testing"
)

// mkfifo makes a named pipe: attaching one must be refused, not hang.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
}

// peakRSS is the finished command's peak resident memory in bytes.
func peakRSS(cmd *exec.Cmd) int64 {
	return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
}
