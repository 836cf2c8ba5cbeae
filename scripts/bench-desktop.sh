#!/usr/bin/env bash
# Desktop benchmark: time from launch to the window mapped, and the resident memory of the
# app's processes (the Go process plus WebKit's helpers) after 10 s idle, for Blotter and for a
# bare Wails v2 app built from the stock svelte-ts template in the same run, under Xvfb.
#   scripts/bench-desktop.sh BLOTTER_BINARY [RUNS]
set -euo pipefail
blotter=$(realpath "$1")
runs=${2:-3}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
wails="go run github.com/wailsapp/wails/v2/cmd/wails@v2.11.0"

# The baseline: the stock template, built once and kept under build/bench.
bare=build/bench/bare/build/bin/bare
if [ ! -x "$bare" ]; then
  rm -rf build/bench/bare && mkdir -p build/bench
  (cd build/bench && $wails init -n bare -t svelte-ts -d bare >/dev/null)
  (cd build/bench/bare && $wails build -tags webkit2_41 >/dev/null)
fi
bare=$(realpath "$bare")

Xvfb :77 -screen 0 1600x900x24 -nolisten tcp >/dev/null 2>&1 &
export DISPLAY=:77
sleep 1

data="$work/data"
"$blotter" --data-dir "$data" incident new "Benchmark incident" >/dev/null
for i in $(seq 1 50); do echo "note $i: host 10.0.0.$i beaconing to c2.example.com"; done | "$blotter" --data-dir "$data" note --stdin >/dev/null

# tree_rss PID prints the summed VmRSS (KiB) of PID and all its descendants.
tree_rss() {
  local pids=("$1") all=() p
  while [ ${#pids[@]} -gt 0 ]; do
    p=${pids[0]}; pids=("${pids[@]:1}"); all+=("$p")
    for c in $(pgrep -P "$p" || true); do pids+=("$c"); done
  done
  for p in "${all[@]}"; do awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || true; done | awk '{s+=$1} END {print s+0}'
}

# measure TITLE CMD... prints "startup_ms rss_kib".
measure() {
  local title=$1; shift
  local start end pid
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 &
  pid=$!
  until xdotool search --onlyvisible --name "^$title\$" >/dev/null 2>&1; do sleep 0.01; done
  end=$(date +%s%N)
  sleep 10
  echo "$(( (end - start) / 1000000 )) $(tree_rss $pid)"
  kill $pid; wait $pid 2>/dev/null || true
  sleep 1
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: >"$work/ours"; : >"$work/base"
for i in $(seq 1 "$runs"); do
  measure bare "$bare" >>"$work/base"
  measure Blotter "$blotter" --data-dir "$data" >>"$work/ours"
done
bs=$(cut -d' ' -f1 "$work/base" | median); bm=$(cut -d' ' -f2 "$work/base" | median)
os=$(cut -d' ' -f1 "$work/ours" | median); om=$(cut -d' ' -f2 "$work/ours" | median)
echo "desktop: launch to window mapped, median of $runs: bare template ${bs} ms, Blotter ${os} ms, ratio $(awk "BEGIN {printf \"%.2f\", $os/$bs}")x (goal <= 1.2x)"
echo "desktop: resident memory after 10 s idle (all processes): bare template $((bm / 1024)) MiB, Blotter $((om / 1024)) MiB, ratio $(awk "BEGIN {printf \"%.2f\", $om/$bm}")x (goal <= 1.15x)"
