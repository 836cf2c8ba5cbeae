# Blotter's build. `make run` and `make test` install what they need on Debian/Ubuntu (as root,
# or with sudo), so that both work on a fresh machine.

GO        ?= go
GOTAGS    := sqlite_fts5
BIN       := build/bin/blotter
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the build and the tests need: cgo for SQLite, the sqlite3 tool that the tamper
# tests and the import benchmark use as an outside party.
APT_PACKAGES := gcc libc6-dev pkg-config sqlite3

.PHONY: all deps build run test test-go fuzz bench clean

all: build

# deps installs the missing Debian packages and downloads the Go modules.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	$(GO) mod download

build: deps
	$(GO) build -tags $(GOTAGS) -o $(BIN) .

# run starts Blotter. Until the desktop app is built in, it runs a CLI command (ARGS, default help).
run: build
	./$(BIN) $(or $(ARGS),help)

test: deps test-go

test-go:
	$(GO) vet -tags $(GOTAGS) ./...
	$(GO) test -tags $(GOTAGS) -count=1 ./...

# fuzz runs each fuzz target for FUZZTIME (go test runs their seed corpora in `make test`).
FUZZTIME ?= 30s
fuzz:
	$(GO) test -tags $(GOTAGS) -run '^$$' -fuzz '^FuzzParseTime$$' -fuzztime $(FUZZTIME) ./internal/blotter
	$(GO) test -tags $(GOTAGS) -run '^$$' -fuzz '^FuzzExtract$$' -fuzztime $(FUZZTIME) ./internal/ioc

# bench prints the benchmark figures, each beside the baseline it is measured against.
bench: deps
	./scripts/bench.sh

clean:
	rm -rf build/bin
