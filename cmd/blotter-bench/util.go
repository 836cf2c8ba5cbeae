package main

import (
	"io"
	"os/exec"
	"strings"
	"syscall"
)

func stringReader(s string) io.Reader { return strings.NewReader(s) }

// peakRSS returns the finished command's peak resident memory in MiB.
func peakRSS(cmd *exec.Cmd) float64 {
	if cmd.ProcessState == nil {
		return 0
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024 // KiB on Linux
	}
	return 0
}
