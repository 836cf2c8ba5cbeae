package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"time"

	"github.com/kbinani/screenshot"

	"github.com/blotterapp/blotter/internal/capture"
)

// benchScreenshot times Blotter's screenshot (kept X connection, fastest PNG) against
// kbinani/screenshot's capture plus standard PNG encoding, on the display in $DISPLAY.
func benchScreenshot(ctx context.Context, cfg *config) error {
	if os.Getenv("DISPLAY") == "" {
		return fmt.Errorf("set DISPLAY (scripts/bench.sh starts Xvfb)")
	}
	const shots = 20
	shooter := &capture.Screenshots{}
	defer shooter.Close()
	var ours, theirs []time.Duration
	var w, h int
	for i := 0; i < shots+2; i++ { // the first two warm up
		start := time.Now()
		shot, err := shooter.Take(true)
		if err != nil {
			return err
		}
		d := time.Since(start)
		w, h = shot.Width, shot.Height

		start = time.Now()
		img, err := screenshot.CaptureRect(screenshot.GetDisplayBounds(0))
		if err != nil {
			return fmt.Errorf("kbinani: %w", err)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return err
		}
		if i >= 2 {
			ours, theirs = append(ours, d), append(theirs, time.Since(start))
		}
	}
	p50, _, p99 := percentiles(ours)
	b50, _, b99 := percentiles(theirs)
	fmt.Printf("screenshot %dx%d: blotter p50 %s p99 %s | kbinani + png.Encode p50 %s p99 %s | ratio p50 %.2fx (goal <= 0.5x)\n",
		w, h, ms(p50), ms(p99), ms(b50), ms(b99), float64(p50)/float64(b50))
	return nil
}
