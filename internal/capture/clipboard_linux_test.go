package capture

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/blotterapp/blotter/internal/blotter"
)

// xvfb starts a virtual X server for the test and points DISPLAY at it.
func xvfb(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"Xvfb", "xclip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make deps installs it)", tool)
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "640x480x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	display := ":" + strings.TrimSpace(line)
	t.Setenv("DISPLAY", display)
	return display
}

// copyToClipboard makes xclip the clipboard's owner, serving data as mime.
func copyToClipboard(t *testing.T, mime string, data []byte) {
	t.Helper()
	cmd := exec.Command("xclip", "-selection", "clipboard", "-t", mime, "-i")
	cmd.Stdin = bytes.NewReader(data)
	if err := cmd.Run(); err != nil {
		t.Fatalf("xclip: %v", err)
	}
	t.Cleanup(func() { exec.Command("pkill", "-f", "xclip -selection clipboard -t "+mime).Run() })
	// xclip owns the selection from its background child, a moment after the command returns.
	for range 100 {
		out, _ := exec.Command("xclip", "-selection", "clipboard", "-o", "-t", "TARGETS").Output()
		if strings.Contains(string(out), mime) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("xclip did not take the clipboard")
}

func TestClipboardOverX(t *testing.T) {
	xvfb(t)
	c := &Clipboard{}
	defer c.Close()
	if _, err := c.Read(); blotter.ErrorCode(err) != blotter.EINVALID {
		t.Fatalf("an empty clipboard: %v, want EINVALID", err)
	}

	copyToClipboard(t, "UTF8_STRING", []byte("kubectl get pods -A # from a terminal ✓"))
	clip, err := c.Read()
	if err != nil || string(clip.Text) != "kubectl get pods -A # from a terminal ✓" || clip.Image != nil {
		t.Fatalf("text: %+v, %v", clip, err)
	}

	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 5000)...)
	copyToClipboard(t, "image/png", png)
	if clip, err = c.Read(); err != nil || !bytes.Equal(clip.Image, png) {
		t.Fatalf("image: %d bytes, %v", len(clip.Image), err)
	}

	// Large contents come in chunks (INCR): 3 MiB, exactly.
	big := bytes.Repeat([]byte("0123456789abcdef"), 3<<16)
	copyToClipboard(t, "UTF8_STRING", big)
	if clip, err = c.Read(); err != nil || !bytes.Equal(clip.Text, big) {
		t.Fatalf("3 MiB text: %d bytes, %v", len(clip.Text), err)
	}
}

func TestClipboardWithoutDisplay(t *testing.T) {
	t.Setenv("DISPLAY", "")
	if _, err := (&Clipboard{}).Read(); blotter.ErrorCode(err) != blotter.EUNAVAILABLE {
		t.Fatalf("no display: %v, want EUNAVAILABLE", err)
	}
}
