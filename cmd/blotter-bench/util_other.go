//go:build !unix

package main

import "os/exec"

// peakRSS is not measured on this OS (Windows has no rusage); the bench reports 0.
func peakRSS(cmd *exec.Cmd) float64 { return 0 }
