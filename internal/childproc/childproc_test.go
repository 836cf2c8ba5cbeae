package childproc

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// TestMain lets the test binary serve as the measured child: PROCMEM_CHILD_MIB=N touches N MiB,
// keeps them a moment and exits.
func TestMain(m *testing.M) {
	if n, err := strconv.Atoi(os.Getenv("PROCMEM_CHILD_MIB")); err == nil {
		mem := make([]byte, n<<20)
		for i := 0; i < len(mem); i += 4096 {
			mem[i] = 1
		}
		time.Sleep(100 * time.Millisecond)
		runtime.KeepAlive(mem)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func child(mib int) *exec.Cmd {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "PROCMEM_CHILD_MIB="+strconv.Itoa(mib))
	return cmd
}

func TestPeakMemoryMeasuresTheChildNotItsParent(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("measured on Linux only")
	}
	// The parent holds 200 MiB while a child that touches 8 MiB runs: rusage would say over
	// 200 MiB for the child.
	parent := make([]byte, 200<<20)
	for i := 0; i < len(parent); i += 4096 {
		parent[i] = 1
	}
	small, err := PeakMemory(child(8))
	runtime.KeepAlive(parent)
	if err != nil {
		t.Fatal(err)
	}
	if small < 8<<20 || small > 100<<20 { // a child under -race takes more than it touches
		t.Errorf("a child touching 8 MiB beside a 200 MiB parent peaked at %d MiB", small>>20)
	}
	big, err := PeakMemory(child(128))
	if err != nil {
		t.Fatal(err)
	}
	if big < 128<<20 {
		t.Errorf("a child touching 128 MiB peaked at %d MiB", big>>20)
	}
}

func TestPeakMemorySaysWhyACommandFailed(t *testing.T) {
	if _, err := PeakMemory(exec.Command("/nonexistent/blotter")); err == nil {
		t.Error("a command that cannot start gave no error")
	}
	peak, err := PeakMemory(exec.Command(os.Args[0], "-test.run", "^$", "-no-such-flag"))
	if err == nil {
		t.Errorf("a command that exits 2 gave no error (peak %d)", peak)
	}
}
