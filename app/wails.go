package app

import (
	"context"
	"io/fs"
	"log"
	"strconv"
	"strings"

	"github.com/wailsapp/wails/v2"

	"github.com/blotterapp/blotter/internal/capture"
	"github.com/blotterapp/blotter/internal/recorder"
	"github.com/blotterapp/blotter/internal/screen"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Window geometry settings, remembered between runs.
const (
	defaultWidth  = 1180
	defaultHeight = 820
)

// Run opens the desktop window over the services and blocks until it closes. assets is the
// built frontend (frontend/dist); side starts it as the side window.
func Run(s *Services, assets fs.FS, side bool) error {
	if err := checkDisplay(); err != nil {
		return err
	}
	if d, err := screen.Open(); err == nil {
		s.core.win.display = d // closed by the process's end; the window needs it until then
	} else {
		log.Printf("blotter: the side window and the quick-note box cannot be placed: %v", err)
	}
	rec := s.core.rec
	geometry := loadGeometry(rec)
	if geometry.placed {
		s.core.win.full, s.core.win.hasFull = screen.Rect{X: geometry.x, Y: geometry.y, W: geometry.w, H: geometry.h}, true
	}
	width := geometry.w
	if side {
		width = sideWidth // start narrow, so the switch after the window maps is a small one
	}
	var wailsCtx context.Context
	return wails.Run(&options.App{
		Title:     "Blotter",
		Width:     width,
		Height:    geometry.h,
		MinWidth:  360,
		MinHeight: 120, // the quick-note box; the full window is restored to its own size
		AssetServer: &assetserver.Options{
			Assets:  assets,
			Handler: s.EvidenceHandler(),
		},
		BackgroundColour: &options.RGBA{R: 24, G: 26, B: 31, A: 255},
		Bind:             s.Bindings(),
		ErrorFormatter:   func(err error) any { return FormatError(err) },
		DragAndDrop:      &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId: capture.SingleInstanceID,
			OnSecondInstanceLaunch: func(data options.SecondInstanceData) {
				// A second launch focuses this window and hands over its arguments.
				if wailsCtx == nil {
					return
				}
				log.Printf("blotter: another launch handed over its arguments %q", data.Args)
				runtime.WindowUnminimise(wailsCtx)
				runtime.WindowShow(wailsCtx)
				runtime.EventsEmit(wailsCtx, EventSecondLaunch, data.Args)
				go s.HandleLaunch(data.Args)
			},
		},
		Linux: &linux.Options{ProgramName: "blotter", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
		OnStartup: func(ctx context.Context) {
			wailsCtx = ctx
			if geometry.placed {
				runtime.WindowSetPosition(ctx, geometry.x, geometry.y)
			}
			emit := func(event string, data any) { runtime.EventsEmit(ctx, event, data) }
			s.Raise = func() {
				runtime.WindowUnminimise(ctx)
				runtime.WindowShow(ctx)
			}
			if err := s.Start(ctx, emit); err != nil {
				runtime.LogErrorf(ctx, "watching the database: %v", err)
			}
			runtime.OnFileDrop(ctx, func(_, _ int, paths []string) { s.Dropped(paths) })
		},
		OnDomReady: func(ctx context.Context) {
			// Again here: Wails centres the window on a queue that races OnStartup's move, and
			// under load the centring came last (the window came back mid-screen). The page is
			// ready only after both ran, so this move is the last word. (The side window is placed
			// by startIn.)
			if geometry.placed && !side {
				runtime.WindowSetPosition(ctx, geometry.x, geometry.y)
			}
			if side {
				go s.Window.startIn(ModeSide)
			}
		},
		OnBeforeClose: func(ctx context.Context) bool {
			// Only the full window's geometry is remembered; the side window has its own place.
			if full, known, inFull := s.Window.fullFrame(); inFull {
				x, y := runtime.WindowGetPosition(ctx)
				w, h := runtime.WindowGetSize(ctx)
				saveGeometry(rec, x, y, w, h)
			} else if known {
				saveGeometry(rec, full.X, full.Y, full.W, full.H)
			}
			return false
		},
		OnShutdown: func(context.Context) { s.Close() },
	})
}

type geometry struct {
	x, y, w, h int
	placed     bool
}

func loadGeometry(rec *recorder.Recorder) geometry {
	g := geometry{w: defaultWidth, h: defaultHeight}
	v, err := rec.Preference(context.Background(), recorder.PrefWindowGeometry)
	if err != nil {
		return g
	}
	f := strings.Fields(v)
	if len(f) != 4 {
		return g
	}
	var n [4]int
	for i := range f {
		if n[i], err = strconv.Atoi(f[i]); err != nil {
			return g
		}
	}
	if n[2] >= 360 && n[3] >= 400 {
		g = geometry{x: n[0], y: n[1], w: n[2], h: n[3], placed: true}
	}
	return g
}

func saveGeometry(rec *recorder.Recorder, x, y, w, h int) {
	_ = rec.SetPreference(context.Background(), recorder.PrefWindowGeometry, strconv.Itoa(x)+" "+strconv.Itoa(y)+" "+strconv.Itoa(w)+" "+strconv.Itoa(h))
}
