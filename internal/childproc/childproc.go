// Package childproc helps the tests and benchmarks that start Blotter as a child process: its
// peak memory (attaching 3 GiB must stream, not read the file into memory) and its output
// while it runs.
package childproc

import (
	"bytes"
	"os/exec"
	"sync"
)

// PeakMemory runs cmd to its end and returns its peak resident memory in bytes, or -1 where that is
// not measured (another OS, or a process that ended before the first reading).
//
// Not rusage's Maxrss: Linux counts in it the memory of the process that started the child
// (Go starts a child with vfork, and exec records the replaced memory's high-water mark), so a
// 200 MiB test binary saw /bin/true peak at 202 MiB.
func PeakMemory(cmd *exec.Cmd) (int64, error) { return run(cmd) }

// Output collects a child's output; the test may read it while the child still writes.
type Output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}
