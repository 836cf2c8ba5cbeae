package macos

import (
	"fmt"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/ebitengine/purego/objc"

	"github.com/blotterapp/blotter/internal/blotter"
)

// Framework handles, for packages that bind their own functions with purego.RegisterLibFunc.
var (
	CoreGraphics uintptr
	Carbon       uintptr
)

var (
	loadOnce sync.Once
	loadErr  error

	autoreleasePoolPush  func() uintptr
	autoreleasePoolPop   func(uintptr)
	pthreadMainNP        func() int32
	dispatchAsyncF       func(queue, context, work uintptr)
	cfRelease            func(uintptr)
	nsTemporaryDirectory func() objc.ID
	mainQueue            uintptr // libdispatch's _dispatch_main_q: dispatch_get_main_queue() is a macro for it
	mainWork             uintptr // the C function main-queue work runs through
)

// Load opens the frameworks and binds the runtime functions, once. A failure (a framework
// missing, a symbol renamed) is returned, never raised.
func Load() error {
	loadOnce.Do(func() { loadErr = load() })
	return loadErr
}

func load() (err error) {
	// purego.RegisterLibFunc panics on a missing symbol.
	defer func() {
		if r := recover(); r != nil {
			err = blotter.Errorf(blotter.EUNAVAILABLE, "the macOS frameworks are not as expected: %v", r)
		}
	}()
	open := func(path string) uintptr {
		h, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			panic(fmt.Sprintf("opening %s: %v", path, err))
		}
		return h
	}
	// AppKit and Foundation register their Objective-C classes when loaded.
	foundation := open("/System/Library/Frameworks/Foundation.framework/Foundation")
	open("/System/Library/Frameworks/AppKit.framework/AppKit")
	CoreGraphics = open("/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics")
	Carbon = open("/System/Library/Frameworks/Carbon.framework/Carbon")
	libobjc := open("/usr/lib/libobjc.A.dylib")
	libSystem := open("/usr/lib/libSystem.B.dylib")
	coreFoundation := open("/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation")

	purego.RegisterLibFunc(&autoreleasePoolPush, libobjc, "objc_autoreleasePoolPush")
	purego.RegisterLibFunc(&autoreleasePoolPop, libobjc, "objc_autoreleasePoolPop")
	purego.RegisterLibFunc(&pthreadMainNP, libSystem, "pthread_main_np")
	purego.RegisterLibFunc(&dispatchAsyncF, libSystem, "dispatch_async_f")
	purego.RegisterLibFunc(&cfRelease, coreFoundation, "CFRelease")
	purego.RegisterLibFunc(&nsTemporaryDirectory, foundation, "NSTemporaryDirectory")
	if mainQueue, err = purego.Dlsym(libSystem, "_dispatch_main_q"); err != nil {
		panic(err)
	}
	mainWork = purego.NewCallback(runMainWork)
	return nil
}

// Main-thread work waits in mainFuncs under the number passed to dispatch_async_f as its
// context: a C function cannot carry a Go closure.
var (
	mainMu    sync.Mutex
	mainFuncs = map[uintptr]func(){}
	mainNext  uintptr
)

func runMainWork(context uintptr) {
	mainMu.Lock()
	f := mainFuncs[context]
	delete(mainFuncs, context)
	mainMu.Unlock()
	if f != nil {
		f()
	}
}

// OnMain runs f on the main thread, where AppKit windows and Carbon hotkeys must be touched,
// inside an autorelease pool, and waits for it up to wait. The main thread runs queued work
// only while the app's event loop runs: a CLI has none, so the wait ends with EUNAVAILABLE
// (f may still run later, if a loop starts).
func OnMain(wait time.Duration, f func()) error {
	if err := Load(); err != nil {
		return err
	}
	runtime.LockOSThread()
	onMain := pthreadMainNP() != 0
	runtime.UnlockOSThread()
	if onMain {
		WithPool(f)
		return nil
	}
	done := make(chan struct{})
	mainMu.Lock()
	mainNext++
	id := mainNext
	mainFuncs[id] = func() {
		defer close(done)
		WithPool(f)
	}
	mainMu.Unlock()
	dispatchAsyncF(mainQueue, id, mainWork)
	select {
	case <-done:
		return nil
	case <-time.After(wait):
		return blotter.Errorf(blotter.EUNAVAILABLE, "the app's main thread did not answer within %v", wait)
	}
}

// WithPool runs f on one OS thread inside an autorelease pool, so that the objects AppKit
// hands back autoreleased are freed when f returns. Call Load first.
func WithPool(f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pool := autoreleasePoolPush()
	defer autoreleasePoolPop(pool)
	f()
}

// CFRelease releases a CoreFoundation object the caller created or copied.
func CFRelease(ref uintptr) {
	if ref != 0 {
		cfRelease(ref)
	}
}

// selectors caches sel_registerName, which takes the runtime's global lock.
var selectors sync.Map

// Sel returns the selector called name.
func Sel(name string) objc.SEL {
	if s, ok := selectors.Load(name); ok {
		return s.(objc.SEL)
	}
	s := objc.RegisterName(name)
	selectors.Store(name, s)
	return s
}

// Class returns the class called name as a receiver of messages; 0 when there is none.
func Class(name string) objc.ID { return objc.ID(objc.GetClass(name)) }

// Send sends the message called sel to id and returns the object it answers.
func Send(id objc.ID, sel string, args ...any) objc.ID { return id.Send(Sel(sel), args...) }

// nsUTF8StringEncoding is NSUTF8StringEncoding.
const nsUTF8StringEncoding = 4

// String returns an autoreleased NSString holding s (which may hold NUL characters). Call it
// inside WithPool or OnMain.
func String(s string) objc.ID {
	if s == "" {
		return Send(Class("NSString"), "string")
	}
	b := []byte(s)
	id := Send(Send(Class("NSString"), "alloc"), "initWithBytes:length:encoding:",
		unsafe.Pointer(&b[0]), uintptr(len(b)), uintptr(nsUTF8StringEncoding))
	runtime.KeepAlive(b)
	return Send(id, "autorelease")
}

// GoString returns an NSString's text ("" for nil).
func GoString(id objc.ID) string {
	if id == 0 {
		return ""
	}
	p := objc.Send[*byte](id, Sel("UTF8String"))
	if p == nil {
		return ""
	}
	n := objc.Send[uintptr](id, Sel("lengthOfBytesUsingEncoding:"), uintptr(nsUTF8StringEncoding))
	return string(unsafe.Slice(p, n))
}

// Bytes copies an NSData's bytes (nil for nil or empty data).
func Bytes(data objc.ID) []byte {
	if data == 0 {
		return nil
	}
	n := objc.Send[uintptr](data, Sel("length"))
	if n == 0 {
		return nil
	}
	p := objc.Send[*byte](data, Sel("bytes"))
	return append([]byte(nil), unsafe.Slice(p, n)...)
}

// Length returns an NSData's length without copying it.
func Length(data objc.ID) int {
	if data == 0 {
		return 0
	}
	return int(objc.Send[uintptr](data, Sel("length")))
}

// Bool sends a message whose answer is a BOOL.
func Bool(id objc.ID, sel string, args ...any) bool { return objc.Send[bool](id, Sel(sel), args...) }

// TempDir returns the user's temporary folder as Cocoa knows it (NSTemporaryDirectory), which
// is where Wails keeps its single-instance lock: $TMPDIR may be unset for a program a
// shortcut starts.
func TempDir() (dir string, err error) {
	if err := Load(); err != nil {
		return "", err
	}
	WithPool(func() { dir = GoString(nsTemporaryDirectory()) })
	if dir == "" {
		return "", blotter.Errorf(blotter.EUNAVAILABLE, "macOS names no temporary folder")
	}
	return dir, nil
}
