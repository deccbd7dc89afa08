#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The HUD: a capture of parallax-hello with PARALLAX_HUD=1 shows the panel (border and graph lines) in both
# eyes; the same run without it shows none. Validation layers on.
#   run_hud.sh <parallax-hello> <plx-check-hud> <output dir>
set -uo pipefail
hello=$1 check=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
export PARALLAX_SIM_EYE_SIZE=256x256 PARALLAX_SIM_MOTION=still PARALLAX_SIM_CAPTURE_FRAME=100
unset DISPLAY WAYLAND_DISPLAY
fail=0
for hud in 1 0; do
  PARALLAX_HUD=$hud PARALLAX_SIM_CAPTURE="$out/hud$hud.png" timeout -k 5 120 "$hello" --frames 130 \
    >"$out/hud$hud.log" 2>&1
  rc=$?
  [ $rc -eq 0 ] || { echo "FAIL: parallax-hello (PARALLAX_HUD=$hud) exited with $rc"; tail -20 "$out/hud$hud.log"; fail=1; }
  if grep -nE 'VUID-|Validation Error' "$out/hud$hud.log" | head -5; then echo "FAIL: validation messages"; fail=1; fi
done
"$check" "$out/hud1.png" --expect hud || fail=1
"$check" "$out/hud0.png" --expect none || fail=1
exit $fail
