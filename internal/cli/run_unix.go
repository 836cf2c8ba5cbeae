// TIOCGPGRP and process groups: the Unix systems Blotter builds for. The rest use run_other.go.
//go:build unix && !aix && !solaris

package cli

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

// forwardedSignals are the signals run passes on to its command instead of dying of them.
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// fromTerminal reports whether sig is one a terminal sends to its whole foreground process
// group (Ctrl+C, Ctrl+\) and the command with process id pid is in that group: the terminal
// has then sent it the same signal. A SIGINT sent to Blotter alone (kill -INT) while the
// command is in the foreground is taken for the terminal's too: kill the command instead.
func fromTerminal(sig syscall.Signal, pid int) bool {
	if sig != syscall.SIGINT && sig != syscall.SIGQUIT {
		return false
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDONLY|syscall.O_NOCTTY, 0)
	if err != nil {
		return false // no controlling terminal: the signal came from a process, to Blotter alone
	}
	defer tty.Close()
	var foreground int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, tty.Fd(), uintptr(syscall.TIOCGPGRP), uintptr(unsafe.Pointer(&foreground))); errno != 0 {
		return false
	}
	group, err := syscall.Getpgid(pid)
	return err == nil && group == int(foreground)
}

// killedBy returns the signal that ended the process, if one did.
func killedBy(ps *os.ProcessState) (syscall.Signal, bool) {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return 0, false
	}
	return ws.Signal(), true
}

// signalName names a signal as kill -l does, with the SIG prefix.
func signalName(sig syscall.Signal) string {
	if name, ok := signalNames[sig]; ok {
		return name
	}
	return fmt.Sprintf("signal %d (%s)", int(sig), sig)
}

var signalNames = map[syscall.Signal]string{
	syscall.SIGHUP: "SIGHUP", syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT", syscall.SIGILL: "SIGILL",
	syscall.SIGTRAP: "SIGTRAP", syscall.SIGABRT: "SIGABRT", syscall.SIGBUS: "SIGBUS", syscall.SIGFPE: "SIGFPE",
	syscall.SIGKILL: "SIGKILL", syscall.SIGUSR1: "SIGUSR1", syscall.SIGSEGV: "SIGSEGV", syscall.SIGUSR2: "SIGUSR2",
	syscall.SIGPIPE: "SIGPIPE", syscall.SIGALRM: "SIGALRM", syscall.SIGTERM: "SIGTERM", syscall.SIGXCPU: "SIGXCPU",
	syscall.SIGXFSZ: "SIGXFSZ", syscall.SIGSYS: "SIGSYS",
}
