//go:build unix

package capture

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

func TestAppHoldsLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), SingleInstanceID+".lock")
	if held, err := appHoldsLock(path); held || err != nil {
		t.Fatalf("no lock file: held %v, %v; want no app", held, err)
	}
	// The app's side, as Wails does it: create, then an exclusive lock.
	app, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if held, err := appHoldsLock(path); held || err != nil {
		t.Fatalf("a lock file left by an app that quit: held %v, %v; want no app", held, err)
	}
	if err := unix.Flock(int(app.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	if held, err := appHoldsLock(path); !held || err != nil {
		t.Fatalf("with the app running: held %v, %v; want held", held, err)
	}
	// The probe must not keep a lock that would stop the app from starting again.
	app.Close()
	again, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if err := unix.Flock(int(again.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatalf("after probing, the app cannot take its lock: %v", err)
	}
}
