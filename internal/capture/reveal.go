package capture

// What Reveal did, for the view to say.
const (
	RevealShown  = "shown in the file manager" // the file selected in its folder
	RevealOpened = "opened the folder"         // its folder opened, the file not selected
)
