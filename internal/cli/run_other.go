//go:build !unix || aix || solaris

package cli

import (
	"fmt"
	"os"
	"syscall"
)

// forwardedSignals are the signals run passes on to its command instead of dying of them.
var forwardedSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// fromTerminal reports whether the console sent sig to the command as well: on Windows Ctrl+C
// reaches every process attached to the console, and cannot be sent to one.
func fromTerminal(sig syscall.Signal, _ int) bool { return sig == syscall.SIGINT }

// killedBy reports no signal: without Unix signals, a process ends with an exit status.
func killedBy(*os.ProcessState) (syscall.Signal, bool) { return 0, false }

func signalName(sig syscall.Signal) string {
	if sig == syscall.SIGTERM {
		return "SIGTERM"
	}
	return fmt.Sprintf("signal %d (%s)", int(sig), sig)
}
