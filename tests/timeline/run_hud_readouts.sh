#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The HUD's readouts: parallax-latency in scene mode turns the HUD on by default, and a capture shows the
# panel with the pink value glyphs of its text readouts (pose age, pose error, misses, the frame number the
# sample puts up with plx_hud_set_value) in its text column; with --no-hud, no panel. Validation layers on.
#   run_hud_readouts.sh <parallax-latency> <plx-check-hud> <output dir>
set -uo pipefail
latency=$1 check=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
export PARALLAX_SIM_EYE_SIZE=256x256 PARALLAX_SIM_MOTION=look PARALLAX_SIM_CAPTURE_FRAME=120
unset DISPLAY WAYLAND_DISPLAY PARALLAX_HUD
fail=0
for run in hud nohud; do
  flag=; [ $run = nohud ] && flag=--no-hud
  PARALLAX_SIM_CAPTURE="$out/$run.png" timeout -k 5 120 "$latency" --frames 150 $flag >"$out/$run.log" 2>&1
  rc=$?
  [ $rc -eq 0 ] || { echo "FAIL: parallax-latency $flag exited with $rc"; tail -20 "$out/$run.log"; fail=1; }
  if grep -nE 'VUID-|Validation Error' "$out/$run.log" | head -5; then echo "FAIL: validation messages"; fail=1; fi
  grep -E '^pose age at photon' "$out/$run.log" || { echo "FAIL: no pose age/error line at exit"; fail=1; }
done
"$check" "$out/hud.png" --expect readouts || fail=1
"$check" "$out/nohud.png" --expect none || fail=1
exit $fail
