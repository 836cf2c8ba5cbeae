package childproc

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// pollEvery is how often the child's high-water mark is read. The mark only grows, so a
// reading misses only what the child took in its last few milliseconds.
const pollEvery = 5 * time.Millisecond

// run reads VmHWM, the high-water mark of the child's own memory (set anew at exec), from
// /proc while the child runs.
func run(cmd *exec.Cmd) (int64, error) {
	if err := cmd.Start(); err != nil {
		return -1, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	peak := int64(-1)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		select {
		case err := <-done: // reaped: its pid may be another process's by now
			return peak, err
		default:
		}
		if hwm, ok := readHWM(status); ok {
			peak = max(peak, hwm)
		}
		select {
		case err := <-done:
			return peak, err
		case <-tick.C:
		}
	}
}

// readHWM returns the VmHWM line of a /proc/PID/status file in bytes; false once the process
// has ended (a zombie has no memory to report) or before its exec.
func readHWM(status string) (int64, bool) {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		rest, found := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:"))
		if !found {
			continue
		}
		kb, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte("kB")))), 10, 64)
		if err != nil {
			return 0, false
		}
		return kb << 10, true
	}
	return 0, false
}
