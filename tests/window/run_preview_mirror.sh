#!/bin/sh
# SPDX-License-Identifier: MIT
# The simulated headset's preview window (PARALLAX_SIM_WINDOW=1) and libparallax's mirror window
# (PARALLAX_MIRROR=both) open together in one process, under a private Xvfb (tests/xvfb.sh), driven with
# xdotool. Both windows share SDL's one event queue; each must get every event of its own window:
#   - both windows show the scene in both eyes (screenshots);
#   - 8 presses of Space (the right trigger) reach the app as 8 trigger presses: a key event taken by the
#     mirror's side loses or sticks a press;
#   - a right-button drag of 100 px upwards pitches the head up by exactly 20 deg (0.2 deg per pixel): each
#     motion event taken by the other side loses its pixels;
#   - holding Left turns the head left (the simulator logs the offset at the end);
#   - closing the mirror window (WM_DELETE_WINDOW, as a window manager's close button) turns the mirror off
#     and leaves the preview and the app running;
#   - Escape in the preview asks the app to exit: it ends cleanly, long before its frame count.
# usage: run_preview_mirror.sh PARALLAX_INPUT PLX_WINDOW_SHOT OUTDIR
set -u
app=$1 shot=$2 out=$3
. "$(dirname "$0")/window_test.sh"
window_test_start "$out"

# 6000 frames (over a minute) outlast the interaction: Escape ends the run much earlier. timeout is the
# backstop for a run whose Escape got lost. Validation layers on, as everywhere.
VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation XR_ENABLE_API_LAYERS=XR_APILAYER_LUNARG_core_validation \
PARALLAX_SIM_WINDOW=1 PARALLAX_MIRROR=both PARALLAX_LOG=info PARALLAX_SIM_MOTION=still \
PARALLAX_SIM_EYE_SIZE=256x256 PARALLAX_SIM_LOG=info \
    timeout -k 5 150 "$app" --frames 6000 >"$out/app.log" 2>&1 &
app_pid=$!

# Both windows, by title.
preview= mirror=
i=0
while [ -z "$preview" ] || [ -z "$mirror" ]; do
    preview=$(xdotool search --name "Parallax simulated headset" 2>/dev/null | head -n 1)
    mirror=$(xdotool search --name "Parallax mirror" 2>/dev/null | head -n 1)
    i=$((i + 1))
    [ $i -gt 300 ] && { echo "FAIL: no preview ($preview) and mirror ($mirror) windows after 30 s"; cat "$out/app.log"; exit 1; }
    kill -0 "$app_pid" 2>/dev/null || { echo "FAIL: the app exited before both windows appeared"; cat "$out/app.log"; exit 1; }
    sleep 0.1
done
# Side by side, apart (with no window manager the X server places both at the top left or centred).
xdotool windowmove --sync "$mirror" 0 0 2>/dev/null || xdotool windowmove "$mirror" 0 0
xdotool windowmove --sync "$preview" 640 300 2>/dev/null || xdotool windowmove "$preview" 640 300
# Frames reach both windows once the session runs; give the first ones time to arrive.
sleep 2
kill -0 "$app_pid" 2>/dev/null || { wait "$app_pid"; echo "FAIL: the app exited (status $?) with its windows open"; cat "$out/app.log"; exit 1; }
geometry() { # window name-for-messages: sets X Y WIDTH HEIGHT
    _g=$(xdotool getwindowgeometry --shell "$1" 2>&1) || {
        echo "FAIL: the $2 window $1 vanished while the app runs: $_g"; cat "$out/app.log"; exit 1
    }
    eval "$_g"
}
fail=0

# 1. Both windows show the scene in both eyes.
geometry "$mirror" mirror
echo "mirror window $mirror at $X,$Y size ${WIDTH}x$HEIGHT"
window_test_scene "$out/mirror.png" mirror
geometry "$preview" preview
echo "preview window $preview at $X,$Y size ${WIDTH}x$HEIGHT"
window_test_scene "$out/preview.png" preview

# The preview gets the keyboard, the pointer rests in its middle.
xdotool windowfocus --sync "$preview" 2>/dev/null || xdotool windowfocus "$preview"
cx=$((WIDTH / 2)) cy=$((HEIGHT / 2))
xdotool mousemove --window "$preview" $cx $cy
sleep 0.3

# 2. Eight trigger presses (Space), each held long enough for the app to sample it at 90 Hz.
n=0
while [ $n -lt 8 ]; do
    xdotool keydown space; sleep 0.15; xdotool keyup space; sleep 0.15
    n=$((n + 1))
done

# 3. Mouse-look: 10 motion events of 10 px upwards with the right button held: +20 deg of pitch.
xdotool mousedown 3
sleep 0.1
n=0
while [ $n -lt 10 ]; do
    xdotool mousemove_relative -- 0 -10; sleep 0.05
    n=$((n + 1))
done
sleep 0.1
xdotool mouseup 3

# 4. Hold Left for a second: about 90 deg of yaw.
xdotool keydown Left; sleep 1; xdotool keyup Left
sleep 0.3

# 5. Close the mirror: the mirror turns off, the app and the preview carry on.
"$shot" --close "$mirror" || { echo "FAIL: could not ask the mirror window to close"; fail=1; }
i=0
until grep -q "mirror window closed; the mirror is off" "$out/app.log"; do
    i=$((i + 1))
    [ $i -gt 50 ] && { echo "FAIL: the mirror did not turn off within 5 s of its close request"; fail=1; break; }
    sleep 0.1
done
sleep 0.5
kill -0 "$app_pid" 2>/dev/null || { echo "FAIL: the app ended when the mirror window was closed"; fail=1; }

# 6. Escape in the preview: the app is asked to exit and ends cleanly. As in step 2, the focus change is
# given time to reach SDL first: with no window manager, a key sent at once may still carry the window that
# had the focus (the hidden mirror), whose events the mirror takes.
xdotool windowfocus --sync "$preview" 2>/dev/null || xdotool windowfocus "$preview"
sleep 0.3
window_test_escape "$out" 15
grep -q "mirror window: .*own device and thread" "$out/app.log" || { echo "FAIL: the mirror window did not start"; fail=1; }
if grep -n "mirror stays off\|presenting failed" "$out/app.log"; then echo "FAIL: the mirror turned itself off"; fail=1; fi
presses=$(sed -n 's/^trigger presses: left [0-9]*, right \([0-9]*\);.*/\1/p' "$out/app.log")
[ "$presses" = 8 ] || { echo "FAIL: the app saw ${presses:-no} right trigger presses for 8 presses of Space"; fail=1; }
line=$(grep "preview window: closed; head offset" "$out/app.log" | tail -n 1)
[ -n "$line" ] || { echo "FAIL: no head offset line from the simulator"; fail=1; }
yaw=$(echo "$line" | sed -n 's/.*yaw \([-0-9.]*\) deg.*/\1/p')
pitch=$(echo "$line" | sed -n 's/.*pitch \([-0-9.]*\) deg.*/\1/p')
# The drag is exact (10 events of 10 px at 0.2 deg/px); the held key depends on xdotool's timing, so only
# its direction and a plausible size are checked.
awk -v p="${pitch:-x}" 'BEGIN { exit !(p >= 19 && p <= 21) }' || { echo "FAIL: head pitch ${pitch:-?} deg after a 100 px drag (want 20)"; fail=1; }
awk -v y="${yaw:-x}" 'BEGIN { exit !(y > 30 && y < 200) }' || { echo "FAIL: head yaw ${yaw:-?} deg after holding Left for 1 s"; fail=1; }
echo "right trigger presses ${presses:-?}/8, head pitch ${pitch:-?} deg (want 20), yaw ${yaw:-?} deg"
[ $fail = 0 ] && echo "PASS: preview and mirror together: both show the scene, every preview event reaches the preview, closing the mirror leaves the preview running, Escape ends the app"
exit $fail
