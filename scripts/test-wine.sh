#!/usr/bin/env bash
# Runs the Windows build of Blotter's tests under Wine (Debian's wine64), cross-compiled with
# mingw-w64: what runs here is tested as Windows runs it, not only compiled. The capture and
# screen tests draw windows, press hotkeys and read the clipboard on a Wine desktop shown on
# an Xvfb display of their own.
#
# Debian 12's Wine 8.0 lacks two things Go 1.26 needs:
#  - bcryptprimitives.dll (ProcessPrng): a stand-in is built into the prefix (scripts/wine/prefix.sh);
#  - deleting files with POSIX semantics (NtSetInformationFile FileDispositionInformationEx),
#    which os.RemoveAll tries first: Wine answers STATUS_NOT_IMPLEMENTED, where Go falls back
#    to the classic delete (as on FAT32 and Windows before 10 1607) only for three other
#    answers, so every test with a temp dir failed at its cleanup. The test build gets a
#    copy of Go's internal/syscall/windows/at_windows.go (-overlay) that falls back for that
#    answer too; the programs shipped are built without it.
set -euo pipefail
cd "$(dirname "$0")/.."
export CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc
work=$(mktemp -d)
source scripts/wine/prefix.sh
xvfb=
trap '"${wine%64}server64" -k 2>/dev/null || true; [ -z "$xvfb" ] || kill "$xvfb" 2>/dev/null || true; rm -rf "$work"' EXIT

at=$(go env GOROOT)/src/internal/syscall/windows/at_windows.go
sed 's|^\(\t*\)STATUS_NOT_SUPPORTED: *// the file system|\1NTStatus(0xC0000002), // STATUS_NOT_IMPLEMENTED: Wine 8.0 (scripts/test-wine.sh)\n&|' "$at" >"$work/at_windows.go"
grep -q 'STATUS_NOT_IMPLEMENTED: Wine' "$work/at_windows.go" ||
	{ echo "test-wine: $at has changed: the overlay for Wine's delete needs a look" >&2; exit 1; }
printf '{"Replace":{"%s":"%s"}}\n' "$at" "$work/at_windows.go" >"$work/overlay.json"

command -v Xvfb >/dev/null || { echo "test-wine: Xvfb is missing (make deps installs xvfb)" >&2; exit 1; }
# A free display number: Xvfb writes the one it took to fd 3.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || { echo "test-wine: Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(cat "$work/display")"
wine_prefix "$work"

# internal/vault runs its holds' tests here (LockFileEx between two vaults, as between the app
# and the CLI); the rest of its tests are of Unix things (FIFOs, /dev/null, permissions). The
# CLI's run with the Windows CLI built by `make cross` (scripts/test-wine.sh runs after it).
# WINE_PACKAGES picks others (WINE_PACKAGES= runs the CLI's tests alone).
packages=${WINE_PACKAGES-"blotter ioc textsafe mdquote drafts slack gitlab screen capture autostart sqlite report recorder vault"}
for p in $packages; do
	go test -c -overlay "$work/overlay.json" -tags sqlite_fts5 -o "$work/$p.test.exe" "./internal/$p"
	# From the package's folder, as go test runs a test (testdata/ is found there).
	if ! (cd "internal/$p" && timeout 600 "$wine" "$work/$p.test.exe" -test.count=1 >"$work/$p.log" 2>&1); then
		cat "$work/$p.log" >&2
		echo "test-wine: internal/$p failed under Wine" >&2
		exit 1
	fi
	echo "test-wine: internal/$p passes on Windows (Wine $("$wine" --version))"
done

# The CLI's tests against the Windows CLI that `make cross` built; those of Unix things skip
# and say why (internal/cli/os_other_test.go).
cli=$(pwd)/build/cross/blotter-cli.exe
[ -f "$cli" ] || { echo "test-wine: no $cli: run 'make cross' first" >&2; exit 1; }
go test -c -overlay "$work/overlay.json" -tags sqlite_fts5 -o "$work/cli.test.exe" ./internal/cli
if ! (cd internal/cli && BLOTTER_CLI_BINARY="Z:${cli//\//\\}" timeout 1800 "$wine" "$work/cli.test.exe" -test.count=1 -test.v >"$work/cli.log" 2>&1); then
	grep -E -- '^(--- FAIL|FAIL|panic)|_test.go:' "$work/cli.log" >&2 || tail -50 "$work/cli.log" >&2
	echo "test-wine: internal/cli failed under Wine" >&2
	exit 1
fi
echo "test-wine: internal/cli passes on Windows: $(grep -c -- '^--- PASS' "$work/cli.log") tests; $(grep -c -- '^--- SKIP' "$work/cli.log") skipped, saying:"
grep -B1 -- '^--- SKIP' "$work/cli.log" | grep -v -e '^--- SKIP' -e '^--$' | sed 's/^ */  /'

