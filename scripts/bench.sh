#!/usr/bin/env bash
# Prints Blotter's benchmark figures beside their baselines. ENTRIES and VAULT_GIB scale the core
# benchmarks down for a quick look: ENTRIES=100000 VAULT_GIB=0.5 make bench. ONLY=import|search|
# note|vault|run|folder|sync|slack|rca|ui|desktop|screenshot|hotkeys runs one part.
set -euo pipefail
cd "$(dirname "$0")/.."
tags=sqlite_fts5
go build -tags $tags -o build/bin/blotter-cli .
go build -tags $tags -o build/bin/blotter-bench ./cmd/blotter-bench
go build -tags $tags -o build/bin/blotter-harness ./cmd/blotter-harness

only=${ONLY:-}
case "$only" in ""|import|search|note|vault|run|folder|sync|slack|rca)
  ./build/bin/blotter-bench -blotter build/bin/blotter-cli -entries "${ENTRIES:-1000000}" -vault-gib "${VAULT_GIB:-2}" ${only:+-only "$only"}
  go test -tags $tags -run '^$' -bench . -benchtime 3s ./internal/sqlite
esac

case "$only" in ""|ui)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  ./build/bin/blotter-bench -entries 100000 -export-only "$work/large.json"
  ./build/bin/blotter-bench -entries 100 -export-only "$work/small.json"
  (cd frontend && BLOTTER_CLI="$PWD/../build/bin/blotter-cli" node e2e/bench-ui.mjs "$work/large.json" "$work/small.json")
  ./build/bin/blotter-bench -tasks-only "$work/board-large" -tasks 2000
  ./build/bin/blotter-bench -tasks-only "$work/board-small" -tasks 20
  (cd frontend && node e2e/bench-board.mjs "$work/board-large" "$work/board-small")
esac

case "$only" in ""|screenshot)
  for size in 1600x900 3840x2160; do
    Xvfb :76 -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
    xvfb=$!
    sleep 1
    DISPLAY=:76 ./build/bin/blotter-bench -only screenshot
    kill $xvfb; wait $xvfb 2>/dev/null || true
  done
esac

case "$only" in ""|desktop|hotkeys)
  go build -tags desktop,production,webkit2_41,$tags -ldflags "-w -s" -o build/bin/blotter .
esac

case "$only" in ""|hotkeys)
  Xvfb :77 -screen 0 1600x900x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  sleep 1
  DISPLAY=:77 ./build/bin/blotter-bench -only hotkeys -gui build/bin/blotter
  kill $xvfb; wait $xvfb 2>/dev/null || true
esac

case "$only" in ""|desktop)
  ./scripts/bench-desktop.sh build/bin/blotter 3
esac
