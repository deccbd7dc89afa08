#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# parallax-hello runs with PARALLAX_TRACE; the trace is parsed back (plx-check-trace, json-c) and its
# events' structure and order checked. Then a run killed part-way (SIGKILL, no plx_context_destroy) must
# still leave a valid trace of the frames flushed before the kill.
#   run_trace.sh <parallax-hello> <plx-check-trace> <output dir>
set -uo pipefail
hello=$1 check=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
export PARALLAX_SIM_EYE_SIZE=256x256 PARALLAX_SIM_MOTION=${PARALLAX_SIM_MOTION:-look}
unset DISPLAY WAYLAND_DISPLAY
fail=0
PARALLAX_TRACE="$out/trace.json" timeout -k 5 120 "$hello" --frames 200 >"$out/stdout.log" 2>"$out/stderr.log"
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: parallax-hello exited with $rc"; tail -20 "$out/stderr.log"; fail=1; }
if grep -nE 'VUID-|Validation Error' "$out/stderr.log" | head -5; then echo "FAIL: validation messages"; fail=1; fi
"$check" "$out/trace.json" --min-frames 200 --gpu || fail=1

# Killed mid-run: the file holds the frames of the last flush (about once a second) and is valid JSON.
PARALLAX_TRACE="$out/killed.json" "$hello" --frames 100000 >"$out/killed.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  sleep 0.2
  # wait until at least one flush carried frames (the file grows past its header)
  [ -f "$out/killed.json" ] && [ "$(stat -c %s "$out/killed.json")" -gt 20000 ] && break
done
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
"$check" "$out/killed.json" --min-frames 10 || { echo "FAIL: the trace of a killed run is not valid"; fail=1; }
exit $fail
