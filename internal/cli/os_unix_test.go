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

// unixOnly: the test runs here (see os_other_test.go).
func unixOnly(*testing.T, string) {}

const symlinksWork = true

// deviceFile is a device every process can name: attaching it must be refused.
const deviceFile = "/dev/zero"

// stop interrupts a long-running command as Ctrl+C would.
func stop(cmd *exec.Cmd) { cmd.Process.Signal(syscall.SIGINT) }
