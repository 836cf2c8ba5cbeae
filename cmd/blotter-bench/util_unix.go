//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

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
