#!/usr/bin/env bash
# The mirror window under Xvfb: parallax-hello runs with PARALLAX_MIRROR=both (or left) on display :92 with the
# validation layers on; plx-mirror-shot screenshots the display while it runs and checks the window shows the
# scene in both eyes (stereo); the app must end cleanly. Xvfb is killed on every exit path.
#   run_mirror.sh <parallax-hello> <plx-mirror-shot> <output dir> <both|left>
set -uo pipefail
hello=$1 shot=$2 out=$3 mode=${4:-both}
rm -rf "$out" && mkdir -p "$out"
display=:92
xvfb_pid= app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT
# Another ctest run (another build directory) may hold :92 right now: wait for it to finish.
for _ in $(seq 1 300); do
  [ -e /tmp/.X${display#:}-lock ] || break
  sleep 0.2
done
Xvfb $display -screen 0 1280x720x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 50); do
  [ -e /tmp/.X11-unix/X${display#:} ] && break
  sleep 0.1
done
sleep 0.3
kill -0 "$xvfb_pid" 2>/dev/null || { echo "FAIL: Xvfb $display did not start (display in use?)"; exit 1; }
[ -e /tmp/.X11-unix/X${display#:} ] || { echo "FAIL: Xvfb $display did not start"; cat "$out/xvfb.log"; exit 1; }
export DISPLAY=$display PARALLAX_MIRROR=$mode PARALLAX_SIM_WINDOW=0
export PARALLAX_SIM_EYE_SIZE=256x256 PARALLAX_SIM_MOTION=still PARALLAX_SIM_REPORT="$out/report.json"
timeout -k 5 150 "$hello" --frames 900 >"$out/stdout.log" 2>"$out/stderr.log" &
app_pid=$!
fail=0
"$shot" "$display" "$out/mirror.png" --expect "$mode" --timeout 60 || fail=1
wait "$app_pid"
rc=$?
app_pid=
[ $rc -eq 0 ] || { echo "FAIL: parallax-hello exited with $rc"; fail=1; }
if grep -nE 'VUID-|Validation Error' "$out/stderr.log" | head -5; then echo "FAIL: validation messages"; fail=1; fi
if grep -n "mirror stays off\|mirror is off" "$out/stderr.log"; then echo "FAIL: the mirror turned itself off"; fail=1; fi
[ $fail -eq 0 ] || { echo "--- stderr"; tail -20 "$out/stderr.log"; }
exit $fail
