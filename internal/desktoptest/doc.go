// Package desktoptest tests the real desktop binary in a real WebKitGTK window under Xvfb, as a
// person uses it: typing with xdotool, looking at screenshots, checking the database through
// the CLI. It runs when BLOTTER_GUI_BINARY names a binary built with the desktop tags
// (`make test` builds one and sets it).
package desktoptest
