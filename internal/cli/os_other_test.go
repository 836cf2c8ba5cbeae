//go:build !unix

package cli_test

import (
	"os/exec"
	"testing"
)

// mkfifo: this OS has no named pipes in the file system; the rest of the test needs one.
func mkfifo(t *testing.T, path string) { t.Skip("no FIFOs on this OS") }

// unixOnly skips a test of something only Unix has (POSIX permissions, signals, ulimit,
// /proc, the Secret Service keyring); what Windows has instead is tested where it lives.
func unixOnly(t *testing.T, what string) {
	t.Helper()
	t.Skip("Unix only: " + what)
}

// symlinksWork: on Windows a symlink needs Developer Mode or an administrator, and Wine 8.0's
// do not resolve for the program that follows them.
const symlinksWork = false

// deviceFile is a device every process can name: attaching it must be refused.
const deviceFile = "NUL"

// stop ends a long-running command; Windows has no SIGINT to send another process.
func stop(cmd *exec.Cmd) { cmd.Process.Kill() }
