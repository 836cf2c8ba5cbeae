package app

import (
	"time"

	"github.com/blotterapp/blotter/internal/capture"
)

// SetClipboardReader makes the clipboard watch read from read instead of the desktop's
// clipboard, every interval.
func SetClipboardReader(s *Services, read func() (*capture.Clip, error), interval time.Duration) {
	s.core.clips.read, s.core.clips.interval = read, interval
}
