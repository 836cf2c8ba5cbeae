#!/usr/bin/env bash
# Prints Blotter's benchmark figures beside their baselines. ENTRIES and VAULT_GIB scale it down
# for a quick look: ENTRIES=100000 VAULT_GIB=0.5 make bench
set -euo pipefail
cd "$(dirname "$0")/.."
go build -tags sqlite_fts5 -o build/bin/blotter-cli .
go build -tags sqlite_fts5 -o build/bin/blotter-bench ./cmd/blotter-bench
./build/bin/blotter-bench -blotter build/bin/blotter-cli -entries "${ENTRIES:-1000000}" -vault-gib "${VAULT_GIB:-2}" ${ONLY:+-only "$ONLY"}
go test -tags sqlite_fts5 -run '^$' -bench . -benchtime 3s ./internal/sqlite
