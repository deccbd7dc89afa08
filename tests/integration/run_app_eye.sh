#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An app's own pipeline through libparallax (plx-app-eye, validation layers on) on the simulated headset; the
# captured frame must show the left eye red and the right eye green (plx-check-capture --eye-colors).
#   run_app_eye.sh <plx-app-eye> <plx-check-capture> <output dir>
set -uo pipefail
app=$1 check=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
export PARALLAX_SIM_CAPTURE="$out/capture.png" PARALLAX_SIM_CAPTURE_FRAME=20
export PARALLAX_SIM_EYE_SIZE=128x128 PARALLAX_SIM_MOTION=still
export VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation XR_ENABLE_API_LAYERS=XR_APILAYER_LUNARG_core_validation
unset DISPLAY WAYLAND_DISPLAY
timeout -k 5 120 "$app" --frames 40 >"$out/stdout.log" 2>"$out/stderr.log"
rc=$?
cat "$out/stdout.log"
fail=0
[ $rc -eq 0 ] || { echo "FAIL: plx-app-eye exited with $rc"; tail -20 "$out/stderr.log"; fail=1; }
if grep -nE 'VUID-|Validation Error' "$out/stderr.log" | head -5; then echo "FAIL: validation messages"; fail=1; fi
"$check" "$out/capture.png" --eye-colors || fail=1
exit $fail
