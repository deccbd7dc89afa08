#!/bin/sh
# SPDX-License-Identifier: MIT
# The simulated headset's preview window under a private Xvfb (tests/xvfb.sh picks a free display), driven
# like a user with xdotool:
#   - the window appears and shows the app's frames: both halves hold a lit scene (screenshot check);
#   - holding the left mouse button presses the right controller's trigger: the app (parallax-input) sees
#     the press and pulses haptics, and the window shows the trigger bar and the haptic strip;
#   - the title names the profile the hands present, and ] moves them to the next one the app suggested;
#   - holding the Left arrow and W turns and moves the head (the simulator logs the offset at the end);
#   - Escape asks the app to exit: it ends its session cleanly well before its frame count.
# usage: run_preview.sh PARALLAX_INPUT PLX_WINDOW_SHOT OUTDIR
set -u
app=$1 shot=$2 out=$3
. "$(dirname "$0")/window_test.sh"
window_test_start "$out"

# Long enough to outlast the interaction: Escape ends it much earlier. Validation layers on, as everywhere.
VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation XR_ENABLE_API_LAYERS=XR_APILAYER_LUNARG_core_validation \
PARALLAX_SIM_WINDOW=1 PARALLAX_SIM_MOTION=still PARALLAX_SIM_EYE_SIZE=256x256 PARALLAX_SIM_LOG=info \
    "$app" --frames 5000 >"$out/app.log" 2>&1 &
app_pid=$!

# Frames reach the window once the session runs; give the first ones 2 s to arrive.
window_test_preview "$out" 2
xdotool windowfocus --sync "$wid" 2>/dev/null || xdotool windowfocus "$wid"
xdotool mousemove --window "$wid" $((WIDTH / 2)) $((HEIGHT / 2))

fail=0
# 1. The window shows the scene in both eyes.
window_test_scene "$out/preview.png" preview

# 2. Trigger: hold the left mouse button. The trigger bar (green) shows while it is held; the app's haptic
# pulse (orange strip) shows for a moment, so look for it in a few screenshots.
xdotool mousedown 1
found_haptic=0
n=0
while [ $n -lt 20 ] && [ $found_haptic = 0 ]; do
    sleep 0.1
    "$shot" "$out/trigger.png" "$X" "$Y" "$WIDTH" "$HEIGHT" --color 255,140,0,200 >/dev/null 2>&1 && found_haptic=1
    n=$((n + 1))
done
"$shot" "$out/trigger_held.png" "$X" "$Y" "$WIDTH" "$HEIGHT" --color 40,220,60,20 || { echo "FAIL: no trigger bar while the button is held"; fail=1; }
xdotool mouseup 1
[ $found_haptic = 1 ] || { echo "FAIL: the haptic pulse never showed in the window"; fail=1; }

# 3. Profiles: the title names what the hands present; ] moves them to the next profile the app suggested.
title=$(xdotool getwindowname "$wid")
echo "title: $title"
xdotool key bracketright
sleep 0.5
title2=$(xdotool getwindowname "$wid")
echo "title after ]: $title2"
case $title in *"hands: "*) ;; *) echo "FAIL: the title does not name the hands' profile"; fail=1 ;; esac
[ "$title2" != "$title" ] || { echo "FAIL: ] did not change the hands' profile"; fail=1; }
xdotool key bracketright; xdotool key bracketright; sleep 0.3 # (none, then the runtime's pick again)

# 4. Head: turn left (Left arrow) and walk forward (W), about half a second each.
xdotool keydown Left; sleep 0.5; xdotool keyup Left
xdotool keydown w; sleep 0.5; xdotool keyup w
sleep 0.3

# 5. Escape: the app is asked to exit and ends cleanly.
window_test_escape "$out" 30
grep -q "right trigger pressed" "$out/app.log" || { echo "FAIL: the app did not see the trigger press"; fail=1; }
line=$(grep "preview window: closed; head offset" "$out/app.log" | tail -n 1)
[ -n "$line" ] || { echo "FAIL: no head offset line from the simulator"; fail=1; }
yaw=$(echo "$line" | sed -n 's/.*yaw \([-0-9.]*\) deg.*/\1/p')
z=$(echo "$line" | sed -n 's/.*position [-0-9.]* [-0-9.]* \([-0-9.]*\) m.*/\1/p')
x=$(echo "$line" | sed -n 's/.*position \([-0-9.]*\) .*/\1/p')
# 0.5 s at 90 deg/s is 45 deg; xdotool's timing on a loaded machine is loose, so only the direction and
# a plausible size are checked. Walking forward after turning left moves the head to -x and -z.
awk -v y="$yaw" 'BEGIN { exit !(y > 10 && y < 120) }' || { echo "FAIL: head yaw $yaw deg after holding Left"; fail=1; }
awk -v x="$x" -v z="$z" 'BEGIN { exit !(x < -0.05 && z < -0.05) }' || { echo "FAIL: head position $x, $z after W"; fail=1; }
[ $fail = 0 ] && echo "PASS: preview window content, trigger + haptics, profile key, head control, Escape"
exit $fail
