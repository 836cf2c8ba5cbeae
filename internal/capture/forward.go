package capture

import (
	"encoding/json"
	"os"

	"github.com/blotterapp/blotter/internal/blotter"
)

// SingleInstanceID names the desktop app's single-instance lock.
const SingleInstanceID = "app.blotter.desktop"

// errNoApp is Forward's answer when no desktop app runs to hand the arguments to.
func errNoApp() error {
	return blotter.Errorf(blotter.EUNAVAILABLE, "no Blotter app is running: start it with 'blotter' (or use 'blotter note' in the terminal)")
}

// secondInstanceMessage is what a second launch of the app hands the first: Wails'
// options.SecondInstanceData as JSON (its fields, without importing Wails into the CLI).
func secondInstanceMessage(args []string) ([]byte, error) {
	wd, _ := os.Getwd()
	return json.Marshal(struct {
		Args             []string `json:"Args"`
		WorkingDirectory string   `json:"WorkingDirectory"`
	}{args, wd})
}
