#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Acceptance: Debian's hello_xr (libopenxr-utils) runs on the simulated headset with no display, through the
# OpenXR core validation layer and the Vulkan validation layer, for at least MIN_FRAMES displayed frames, and
# quits cleanly when its standard input ends.
#   run_hello_xr.sh <Vulkan|Vulkan2> <output dir> [seconds]
set -uo pipefail
gfx=$1 out=$2 secs=${3:-8}
min_frames=${MIN_FRAMES:-300}
rm -rf "$out" && mkdir -p "$out"
command -v hello_xr >/dev/null || { echo "hello_xr not found: install libopenxr-utils"; exit 1; }
export PARALLAX_SIM_REPORT="$out/report.json"
export PARALLAX_SIM_EYE_SIZE=${PARALLAX_SIM_EYE_SIZE:-256x256}
export XR_ENABLE_API_LAYERS=XR_APILAYER_LUNARG_core_validation
export XR_CORE_VALIDATION_EXPORT_TYPE=text
export XR_CORE_VALIDATION_FILE_NAME="$out/xr_validation.txt"
export VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation
unset DISPLAY WAYLAND_DISPLAY
# hello_xr quits as soon as its standard input ends: hold it open for $secs seconds.
sleep "$secs" | timeout -k 5 $((secs + 60)) hello_xr -g "$gfx" >"$out/hello_xr.log" 2>&1
rc=$?
fail=0
if [ $rc -ne 0 ]; then echo "FAIL: hello_xr -g $gfx exited with $rc"; fail=1; fi
if grep -nE 'VUID-|Validation Error|\[Error' "$out/hello_xr.log" | head -20; then
  echo "FAIL: validation or hello_xr errors in $out/hello_xr.log"; fail=1
fi
if [ -s "$out/xr_validation.txt" ] && grep -nE 'VUID|Error' "$out/xr_validation.txt" | head -20; then
  echo "FAIL: OpenXR core validation layer reported errors ($out/xr_validation.txt)"; fail=1
fi
if [ ! -s "$out/report.json" ]; then
  echo "FAIL: the simulated headset wrote no report ($PARALLAX_SIM_REPORT): the session did not end cleanly"; fail=1
else
  displayed=$(sed -n 's/.*"frames_displayed"[^0-9]*\([0-9]*\).*/\1/p' "$out/report.json" | head -1)
  echo "hello_xr -g $gfx: frames_displayed=${displayed:-?} (need >= $min_frames)"
  if [ -z "$displayed" ] || [ "$displayed" -lt "$min_frames" ]; then echo "FAIL: too few frames displayed"; fail=1; fi
fi
[ $fail -eq 0 ] || { echo "--- tail of hello_xr.log"; tail -30 "$out/hello_xr.log"; }
exit $fail
