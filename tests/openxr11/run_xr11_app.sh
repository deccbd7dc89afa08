#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The OpenXR 1.1 app against the simulated headset (issue 10 section 2):
#  1. as a 1.1 app (XR_API_VERSION_1_1) through its own minimal loader with the Vulkan validation layer: 300
#     frames at 64x64 per eye; the simulator's report must count all 300 (frames_submitted 300, each displayed
#     or dropped);
#  2. asking for 1.1.61 (a newer patch than the headers'): accepted, the patch is ignored;
#  3. asking for 1.2.0: refused with XR_ERROR_API_VERSION_UNSUPPORTED (-4);
#  4. as a 1.0 app through the system loader (Debian's 1.0.20), using what 1.1 promoted as extensions
#     (XR_KHR_locate_spaces, XR_EXT_local_floor);
# and prints what the system loader does with a 1.1 app (Debian's 1.0.20 refuses it before the runtime).
# The OpenXR core validation layer Debian ships is 1.0.20 too: it predates LOCAL_FLOOR and refuses the enum
# itself ("XrReferenceSpaceCreateInfo contains invalid XrReferenceSpaceType ... 0x3ba14a10", and the call fails
# with XR_ERROR_VALIDATION_FAILURE before the runtime sees it), so these runs go without it; xr11_loader.c can
# stack it (XR11_API_LAYER=<its manifest>) for an app that uses nothing newer than 1.0.20.
#   run_xr11_app.sh <parallax-xr11-app> <output dir>
set -uo pipefail
app=$1 out=$2
rm -rf "$out" && mkdir -p "$out"
export PARALLAX_SIM_EYE_SIZE=64x64
export PARALLAX_SIM_MOTION=${PARALLAX_SIM_MOTION:-look}
export VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation
unset DISPLAY WAYLAND_DISPLAY
fail=0

validation_clean() { # file...
  if grep -nE 'VUID-|Validation Error|XR_ERROR_VALIDATION_FAILURE|\[core_validation\]' "$@" | head -10; then
    echo "FAIL: validation messages ($*)"; return 1
  fi
  return 0
}

echo "== 1. OpenXR 1.1 app, 300 frames (xr11_loader)"
PARALLAX_SIM_REPORT="$out/report.json" timeout -k 5 120 "$app" --frames 300 >"$out/app.log" 2>"$out/app.err"
rc=$?
cat "$out/app.log"
[ $rc -eq 0 ] || { echo "FAIL: the 1.1 app exited with $rc"; tail -20 "$out/app.err"; fail=1; }
validation_clean "$out/app.log" "$out/app.err" || fail=1
num() { sed -n "s/.*\"$1\"[^0-9]*\([0-9]*\).*/\1/p" "$out/report.json" | head -1; }
if [ -s "$out/report.json" ]; then
  sub=$(num frames_submitted) disp=$(num frames_displayed) miss=$(num frames_missed) drop=$(num frames_dropped)
  echo "report: frames_submitted=$sub frames_displayed=$disp (of which missed their vsync: $miss) frames_dropped=$drop"
  [ "$sub" = 300 ] || { echo "FAIL: expected frames_submitted 300"; fail=1; }
  [ $((disp + drop)) = 300 ] || { echo "FAIL: displayed + dropped is $((disp + drop)), expected 300"; fail=1; }
else
  echo "FAIL: no report"; fail=1
fi

echo "== 2. apiVersion 1.1.61 (a newer patch than the 1.1.53 headers): the patch is ignored"
timeout -k 5 60 "$app" --frames 10 --api-version 1.1.61 >"$out/patch.log" 2>"$out/patch.err"
rc=$?
grep -E 'xrCreateInstance|frames ended' "$out/patch.log"
[ $rc -eq 0 ] || { echo "FAIL: a 1.1.61 app was refused or failed ($rc)"; tail -5 "$out/patch.err"; fail=1; }

echo "== 3. apiVersion 1.2.0: XR_ERROR_API_VERSION_UNSUPPORTED"
timeout -k 5 60 "$app" --frames 1 --api-version 1.2.0 >"$out/v12.log" 2>"$out/v12.err"
grep -E 'xrCreateInstance' "$out/v12.log"
grep -q 'xrCreateInstance(apiVersion 1.2.0) = -4$' "$out/v12.log" ||
  { echo "FAIL: a 1.2 app was not refused with XR_ERROR_API_VERSION_UNSUPPORTED (-4)"; fail=1; }

echo "== 4. the same app as OpenXR 1.0 through the system loader: XR_KHR_locate_spaces, XR_EXT_local_floor"
timeout -k 5 60 "$app" --system-loader --api-version 1.0.0 --frames 30 >"$out/v10.log" 2>"$out/v10.err"
rc=$?
cat "$out/v10.log"
[ $rc -eq 0 ] || { echo "FAIL: the 1.0 app exited with $rc"; tail -10 "$out/v10.err"; fail=1; }
validation_clean "$out/v10.log" "$out/v10.err" || fail=1

echo "== the system loader and a 1.1 app (information)"
timeout -k 5 60 "$app" --system-loader --frames 1 >"$out/sys11.log" 2>"$out/sys11.err"
grep -E 'xrCreateInstance' "$out/sys11.log"
grep -m1 -i 'api version' "$out/sys11.err" || true
exit $fail
