#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The mirror window under Xvfb: parallax-hello runs with PARALLAX_MIRROR=both (or left) on a private Xvfb
# display (tests/xvfb.sh) with the validation layers on; plx-mirror-shot screenshots the display while it runs and checks the window shows the
# scene in both eyes (stereo); the app must end cleanly. Xvfb is killed on every exit path.
#   run_mirror.sh <parallax-hello> <plx-mirror-shot> <output dir> <both|left>
set -uo pipefail
hello=$1 shot=$2 out=$3 mode=${4:-both}
rm -rf "$out" && mkdir -p "$out"
. "$(dirname "$0")/../xvfb.sh"
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT
xvfb_start "$out/xvfb.log" || exit 1
export PARALLAX_MIRROR=$mode PARALLAX_SIM_WINDOW=0
export PARALLAX_SIM_EYE_SIZE=256x256 PARALLAX_SIM_MOTION=still PARALLAX_SIM_REPORT="$out/report.json"
timeout -k 5 150 "$hello" --frames 900 >"$out/stdout.log" 2>"$out/stderr.log" &
app_pid=$!
fail=0
"$shot" "$DISPLAY" "$out/mirror.png" --expect "$mode" --timeout 60 || fail=1
wait "$app_pid"
rc=$?
app_pid=
[ $rc -eq 0 ] || { echo "FAIL: parallax-hello exited with $rc"; fail=1; }
if grep -nE 'VUID-|Validation Error' "$out/stderr.log" | head -5; then echo "FAIL: validation messages"; fail=1; fi
if grep -n "mirror stays off\|mirror is off" "$out/stderr.log"; then echo "FAIL: the mirror turned itself off"; fail=1; fi
[ $fail -eq 0 ] || { echo "--- stderr"; tail -20 "$out/stderr.log"; }
exit $fail
