#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# PARALLAX_MIRROR=both with no display: one log line saying the mirror stays off, and the app runs normally.
#   run_no_display.sh <parallax-hello> <output dir>
set -uo pipefail
hello=$1 out=$2
rm -rf "$out" && mkdir -p "$out"
unset DISPLAY WAYLAND_DISPLAY
export PARALLAX_MIRROR=both PARALLAX_SIM_EYE_SIZE=128x128
timeout -k 5 60 "$hello" --frames 60 >"$out/stdout.log" 2>"$out/stderr.log"
rc=$?
fail=0
[ $rc -eq 0 ] || { echo "FAIL: parallax-hello exited with $rc"; tail -20 "$out/stderr.log"; fail=1; }
n=$(grep -c "PARALLAX_MIRROR: no display" "$out/stderr.log")
echo "no-display log lines: $n"
[ "$n" -eq 1 ] || { echo "FAIL: expected exactly one 'PARALLAX_MIRROR: no display' line"; cat "$out/stderr.log"; fail=1; }
exit $fail
