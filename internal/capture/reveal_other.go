//go:build !linux

package capture

import (
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Reveal shows the file at path in the system's file manager: selected in Finder or Explorer,
// elsewhere its folder opened with xdg-open. It returns what it did.
func Reveal(path string) (string, error) {
	did := RevealShown
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", "-R", path)
	case "windows":
		// Explorer exits 1 even when it showed the file: its status says nothing.
		cmd = exec.Command("explorer", "/select,", path)
	default:
		cmd, did = exec.Command("xdg-open", filepath.Dir(path)), RevealOpened
	}
	if err := cmd.Start(); err != nil {
		return "", blotter.Errorf(blotter.EUNAVAILABLE, "cannot open the file manager: %v", err)
	}
	go cmd.Wait()
	return did, nil
}
