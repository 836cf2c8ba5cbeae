# Blotter's build. `make run` and `make test` install what they need on Debian/Ubuntu (as root,
# or with sudo), so that both work on a fresh machine.

GO        ?= go
GOTAGS    := sqlite_fts5
# The desktop build: Wails' production tags, WebKitGTK 4.1 (Debian 12, Ubuntu 22.04 and later).
GUITAGS   := desktop,production,webkit2_41,$(GOTAGS)
BIN       := build/bin/blotter
# The version stamped into the binary (`blotter --version`, the About box): the nearest tag,
# commits since and -dirty for uncommitted changes; "dev"/"unknown" outside a git checkout.
VERSION   := $(shell git describe --tags --always --dirty 2>/dev/null | sed 's/^v//')
COMMIT    := $(shell git rev-parse --short HEAD 2>/dev/null)
BUILT     := $(shell date -u -d "@$${SOURCE_DATE_EPOCH:-$$(date +%s)}" +%Y-%m-%d)
VERSION_PKG := github.com/blotterapp/blotter/internal/version
VERSION_FLAGS := -X $(VERSION_PKG).Version=$(or $(VERSION),dev) -X $(VERSION_PKG).Commit=$(or $(COMMIT),unknown) \
	-X $(VERSION_PKG).Built=$(BUILT)
LDFLAGS   := -w -s $(VERSION_FLAGS)
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: cgo and SQLite's outside view (sqlite3, for the tamper tests and the import
# benchmark); GTK and WebKitGTK for the window; Xvfb, xdotool, ImageMagick and Chromium for the
# tests that use the app as a person does; openbox, a window manager for the side-window test;
# tesseract-ocr, to read the window's text from its pixels; gnome-keyring and libsecret-tools,
# the OS keyring (Secret Service) the GitLab token is kept in; desktop-file-utils, to check
# the packaged desktop entry (`make dist`); mingw-w64, wine64 and nsis, to build for Windows,
# run tests there and make the installer; npm for the frontend.
APT_PACKAGES := gcc libc6-dev pkg-config sqlite3 libgtk-3-dev libwebkit2gtk-4.1-dev \
	libx11-dev xvfb xdotool xclip imagemagick dbus-x11 x11-utils openbox chromium tesseract-ocr \
	gnome-keyring libsecret-tools desktop-file-utils gcc-mingw-w64-x86-64 file wine64 nsis

.PHONY: all deps frontend build cli harness run test test-go test-frontend test-e2e test-desktop cross test-cross dist dist-windows dist-macos fuzz bench bindings clean

all: build

# deps installs the missing Debian packages, the Go modules and the frontend's npm packages.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }
	$(GO) mod download
	cd frontend && npm ci --no-audit --no-fund

frontend:
	cd frontend && npm run build

# build is the desktop app with the CLI in it: build/bin/blotter.
build: deps frontend
	$(GO) build -tags $(GUITAGS) -ldflags "$(LDFLAGS)" -o $(BIN) .

# cli and harness build without GTK: the CLI-only binary and the browser test harness.
cli:
	$(GO) build -tags $(GOTAGS) -ldflags "$(VERSION_FLAGS)" -o build/bin/blotter-cli .
harness:
	$(GO) build -tags $(GOTAGS) -ldflags "$(VERSION_FLAGS)" -o build/bin/blotter-harness ./cmd/blotter-harness

run: build
	./$(BIN) $(ARGS)

test: deps frontend test-go test-frontend test-e2e test-desktop test-cross

# test-go also vets every package for macOS and Windows (without cgo: SQLite's driver is then a
# stub), so that the per-OS files compile there, and links the macOS CLI for both Mac
# architectures (the macOS capture and window code calls the frameworks through purego, without
# cgo); running them needs those systems. The tests run under the race detector: the sync
# engine, Socket Mode and the capture services are goroutines sharing the record.
test-go:
	$(GO) vet -tags $(GOTAGS) ./...
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 $(GO) vet -tags $(GOTAGS) ./...
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags $(GOTAGS) -o /dev/null .
	GOOS=darwin GOARCH=amd64 CGO_ENABLED=0 $(GO) build -tags $(GOTAGS) -o /dev/null .
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) vet -tags $(GOTAGS) ./...
	$(GO) test -race -tags $(GOTAGS) -count=1 ./...

test-frontend:
	cd frontend && npm run check && npm test

test-e2e: cli harness
	cd frontend && BLOTTER_CLI=$(CURDIR)/build/bin/blotter-cli npm run e2e

test-desktop:
	$(GO) build -tags $(GUITAGS) -ldflags "$(LDFLAGS)" -o $(BIN) .
	BLOTTER_GUI_BINARY=$(CURDIR)/$(BIN) $(GO) test -tags $(GOTAGS) -count=1 -v ./internal/desktoptest

# cross builds Blotter for Windows with mingw-w64 (cgo SQLite included): the desktop app (a GUI
# executable, -H windowsgui), with its icon, per-monitor DPI-aware manifest and version
# information (a .syso beside main.go for that build only: scripts/windows-resources.sh), and
# the CLI alone (a console one, to print to the terminal). The CLI carries no resources: two of
# four CI runs under Wine failed to start it ("Internal error") once it had them.
WINRES := rsrc_windows_amd64.syso
cross:
	./scripts/windows-resources.sh $(or $(VERSION),dev) $(WINRES)
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc $(GO) build -tags desktop,production,$(GOTAGS) \
		-ldflags "-H windowsgui $(LDFLAGS)" -o build/cross/blotter.exe . || { rm -f $(WINRES); exit 1; }
	rm -f $(WINRES)
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc $(GO) build -tags $(GOTAGS) \
		-ldflags "$(VERSION_FLAGS)" -o build/cross/blotter-cli.exe .
	file build/cross/blotter.exe | grep -q 'PE32+ executable (GUI) x86-64'
	file build/cross/blotter-cli.exe | grep -q 'PE32+ executable (console) x86-64'
	grep -q 'permonitorv2' build/cross/blotter.exe || { echo "blotter.exe has no DPI-aware manifest" >&2; exit 1; }
	strings -el build/cross/blotter.exe | grep -qx '$(or $(VERSION),dev)' || { echo "blotter.exe has no version information" >&2; exit 1; }

# dist-windows makes the Windows installer (NSIS): build/dist/blotter_VERSION_windows_amd64_setup.exe.
dist-windows: cross
	./scripts/dist-windows.sh $(or $(VERSION),dev)

# dist-macos makes build/dist/Blotter.app (universal) and a zip of it: on a Mac only, with
# Xcode's command line tools (scripts/dist-macos.sh; Wails' macOS window needs Apple's SDK).
dist-macos:
	./scripts/dist-macos.sh $(or $(VERSION),dev)

# test-cross runs the Windows build of the tests that Wine can run (scripts/test-wine.sh says
# which), then installs, upgrades and uninstalls the installer under Wine.
test-cross: dist-windows
	./scripts/test-wine.sh
	./scripts/test-installer.sh build/dist/blotter_$(or $(VERSION),dev)_windows_amd64_setup.exe

# dist packages the desktop build for Linux into build/dist/: blotter_VERSION_ARCH.deb and
# blotter_VERSION_linux_ARCH.tar.gz (scripts/dist.sh; scripts/test-deb.sh checks the package).
dist: build
	./scripts/dist.sh $(BIN)

# fuzz runs each fuzz target for FUZZTIME (go test runs their seed corpora in `make test`).
FUZZTIME ?= 30s
fuzz:
	$(GO) test -tags $(GOTAGS) -run '^$$' -fuzz '^FuzzParseTime$$' -fuzztime $(FUZZTIME) ./internal/blotter
	$(GO) test -tags $(GOTAGS) -run '^$$' -fuzz '^FuzzExtract$$' -fuzztime $(FUZZTIME) ./internal/ioc
	$(GO) test -tags $(GOTAGS) -run '^$$' -fuzz '^FuzzFindSecrets$$' -fuzztime $(FUZZTIME) ./internal/ioc
	$(GO) test -tags $(GOTAGS) -run '^$$' -fuzz '^FuzzTerminal$$' -fuzztime $(FUZZTIME) ./internal/textsafe
	$(GO) test -tags $(GOTAGS) -run '^$$' -fuzz '^FuzzNeutralize$$' -fuzztime $(FUZZTIME) ./internal/gitlab

# bench prints the benchmark figures, each beside the baseline it is measured against.
bench: deps frontend
	./scripts/bench.sh

# bindings regenerates frontend/src/lib/api/wailsjs after a change to a bound method.
bindings:
	$(GO) run github.com/wailsapp/wails/v2/cmd/wails@v2.11.0 generate module -tags $(GOTAGS)

clean:
	rm -rf build/bin build/dist build/cross frontend/dist/assets frontend/dist/index.html
