#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The hello sample runs FRAMES (default 300) frames headless on the simulated headset with the validation layers
# on, ends its session cleanly, and the captured frame shows the scene in both eyes, as two different (stereo)
# images. Further plx-check-capture arguments (e.g. --disparity PX --tol PX) come after the output dir.
#   run_hello.sh <parallax-hello> <plx-check-capture> <output dir> [check args...]
set -uo pipefail
hello=$1 check=$2 out=$3
shift 3
frames=${FRAMES:-300}
rm -rf "$out" && mkdir -p "$out"
export PARALLAX_SIM_REPORT="$out/report.json"
export PARALLAX_SIM_CAPTURE="$out/capture.png"
export PARALLAX_SIM_CAPTURE_FRAME=${CAPTURE_FRAME:-200}
export PARALLAX_SIM_EYE_SIZE=${PARALLAX_SIM_EYE_SIZE:-256x256}
export PARALLAX_SIM_MOTION=${PARALLAX_SIM_MOTION:-look}
export VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation
export XR_ENABLE_API_LAYERS=XR_APILAYER_LUNARG_core_validation
unset DISPLAY WAYLAND_DISPLAY
timeout -k 5 120 "$hello" --frames "$frames" >"$out/stdout.log" 2>"$out/stderr.log"
rc=$?
cat "$out/stdout.log"
fail=0
[ $rc -eq 0 ] || { echo "FAIL: parallax-hello exited with $rc"; fail=1; }
if grep -nE 'VUID-|Validation Error|validation' "$out/stderr.log" "$out/stdout.log" | head -20; then
  echo "FAIL: validation messages"; fail=1
fi
if [ -s "$out/report.json" ]; then
  sub=$(sed -n 's/.*"frames_submitted"[^0-9]*\([0-9]*\).*/\1/p' "$out/report.json" | head -1)
  echo "report: frames_submitted=${sub:-?}"
  [ "${sub:-0}" -ge "$frames" ] || { echo "FAIL: expected >= $frames frames submitted"; fail=1; }
else
  echo "FAIL: no report at $PARALLAX_SIM_REPORT"; fail=1
fi
"$check" "$out/capture.png" --eyes-differ "$@" || fail=1
[ $fail -eq 0 ] || { echo "--- stderr"; tail -30 "$out/stderr.log"; }
exit $fail
