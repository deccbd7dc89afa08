#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# parallax-hands-app on the simulated headset, the hands scripted: the right hand pinches at 0.5 s and opens at
# 1.0 s, makes a fist at 1.3 s and points at 1.7 s; the left hand's tracking is lost from 0.8 s to 1.4 s. Checks
# that the app saw it: a pinch detected at 0.5-0.8 s (the 150 ms blend), released after 1.0 s, the left hand
# not tracked then tracked again, grasp 1.00 in the fist, joints with radii and speeds.
#   run_hands.sh <parallax-hands-app> <output dir>
set -uo pipefail
app=$1 out=$2
rm -rf "$out" && mkdir -p "$out"
export PARALLAX_SIM_MOTION=${PARALLAX_SIM_MOTION:-look}
export PARALLAX_SIM_INPUT="right.gesture=pinch@0.5; right.gesture=open@1.0; right.gesture=grab@1.3;
  right.gesture=point@1.7; left.hand_tracked=0@0.8; left.hand_tracked=1@1.4"
unset DISPLAY WAYLAND_DISPLAY
timeout -k 5 60 "$app" --frames 200 >"$out/app.log" 2>&1
rc=$?
cat "$out/app.log"
fail=0
[ $rc -eq 0 ] || { echo "FAIL: parallax-hands-app exited with $rc"; fail=1; }
# Seconds counted from the app's first frame, which is a little after xrBeginSession: allow 0.2 s.
pinch_t=$(sed -n 's/^t=\([0-9.]*\)s right hand: pinch detected.*/\1/p' "$out/app.log" | head -1)
echo "right pinch detected at: ${pinch_t:-never}"
awk -v t="${pinch_t:-99}" 'BEGIN { exit !(t >= 0.3 && t <= 0.8) }' || { echo "FAIL: no pinch detected at 0.3-0.8 s"; fail=1; }
grep -q "right hand: pinch released" "$out/app.log" || { echo "FAIL: the pinch was not released"; fail=1; }
grep -q "left hand: not tracked" "$out/app.log" || { echo "FAIL: the left hand's tracking loss was not seen"; fail=1; }
grep -q "left hand: tracked again" "$out/app.log" || { echo "FAIL: the left hand did not come back"; fail=1; }
grep -qE "right .* grasp 1\.00" "$out/app.log" || { echo "FAIL: no full grasp in the right fist"; fail=1; }
grep -qE "r 22\.0 mm \| index tip .* r 7\.0 mm" "$out/app.log" || { echo "FAIL: joint radii missing"; fail=1; }
exit $fail
