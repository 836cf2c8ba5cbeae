package capture

import (
	"os"
	"strings"

	"github.com/godbus/dbus/v5"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Forward hands args to the running desktop app, as a second launch of it would: the client
// side of Wails' single-instance protocol on the D-Bus session bus. It is how `blotter capture`
// drives the app where global hotkeys are not available (Wayland): bind it to a desktop
// shortcut. Returns EUNAVAILABLE when there is no session bus or no app running.
func Forward(args []string) error {
	id := "wails_app_" + strings.NewReplacer("-", "_", ".", "_").Replace(SingleInstanceID)
	name, path := "org."+id+".SingleInstance", dbus.ObjectPath("/org/"+id+"/SingleInstance")
	// With no session bus set, connecting would autolaunch one (that nothing stops): there is
	// no app to reach through it anyway.
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return blotter.Errorf(blotter.EUNAVAILABLE, "no D-Bus session bus to reach the Blotter app through: run it in a desktop session")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "no D-Bus session bus to reach the Blotter app through (%v): run it in a desktop session", err)
	}
	defer conn.Close()
	var running bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&running); err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "asking D-Bus for the Blotter app: %v", err)
	}
	if !running {
		return errNoApp()
	}
	msg, err := secondInstanceMessage(args)
	if err != nil {
		return err
	}
	if err := conn.Object(name, path).Call(name+".SendMessage", 0, string(msg)).Store(); err != nil {
		return blotter.Errorf(blotter.EUNAVAILABLE, "the Blotter app did not take the request: %v", err)
	}
	return nil
}
