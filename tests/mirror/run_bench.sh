#!/usr/bin/env bash
# Mirror benchmark under Xvfb :92: plx-bench-frameloop --compare mirror (wake-to-end p99 and missed frames with
# the mirror on and off, alternating blocks in one run). Xvfb is killed on every exit path.
#   run_bench.sh <plx-bench-frameloop> [bench args...]
set -uo pipefail
bench=$1
shift
display=:92
xvfb_pid=
trap '[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; wait 2>/dev/null' EXIT
# Another ctest run (another build directory) may hold :92 right now: wait for it to finish.
for _ in $(seq 1 300); do
  [ -e /tmp/.X${display#:}-lock ] || break
  sleep 0.2
done
Xvfb $display -screen 0 1280x720x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 50); do
  [ -e /tmp/.X11-unix/X${display#:} ] && break
  sleep 0.1
done
sleep 0.3
kill -0 "$xvfb_pid" 2>/dev/null || { echo "FAIL: Xvfb $display did not start (display in use?)"; exit 1; }
[ -e /tmp/.X11-unix/X${display#:} ] || { echo "FAIL: Xvfb $display did not start"; exit 1; }
export DISPLAY=$display PARALLAX_SIM_WINDOW=0
"$bench" --compare mirror "$@"
