#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# parallax-engine (samples/engine) on the simulated headset, validation layers on, the head still, 192x192 per
# eye, 45 frames, latch check on (PARALLAX_LATCH_CHECK=1); its capture of frame 30 is checked:
#   - the stats panel (a quad layer) lies where its projection through the submitted views says, in each eye
#     (the sample prints that projection), within 2 px, and shows the sample's drawing (its swatch's colour);
#   - the vignette darkened the corners against the sky above the centre (ratio at most 0.8);
#   - with MSAA 4x the scene's edges are blended, against a second run with --samples 1;
#   - the sample's actions: a scripted trigger press through each of its two profiles tints the cubes and the
#     panel's swatch (checked in the capture) and plays a haptic pulse; the Touch thumbstick moves the panel;
# and each run exits 0 with zero validation messages and zero latch-check failures.
#   run_engine_sample.sh <parallax-engine> <plx-check-capture> <output dir>
set -uo pipefail
engine=$1 check=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
export PARALLAX_SIM_EYE_SIZE=192x192 PARALLAX_SIM_MOTION=still PARALLAX_SIM_CAPTURE_FRAME=30
export PARALLAX_LATCH_CHECK=1 PARALLAX_VALIDATION=1
export VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation XR_ENABLE_API_LAYERS=XR_APILAYER_LUNARG_core_validation
unset DISPLAY WAYLAND_DISPLAY
fail=0

# run NAME [sample arguments...]: one run; its capture is $out/NAME.png, its output $out/NAME.log.
run() {
    local name=$1
    shift
    PARALLAX_SIM_CAPTURE="$out/$name.png" PARALLAX_SIM_REPORT="$out/$name.json" \
        timeout -k 5 120 "$engine" --frames "${FRAMES:-45}" "$@" >"$out/$name.log" 2>"$out/$name.err"
    local rc=$?
    echo "--- parallax-engine $* ($name)"
    cat "$out/$name.log"
    [ $rc -eq 0 ] || { echo "FAIL: parallax-engine exited with $rc"; tail -20 "$out/$name.err"; fail=1; }
    if grep -nE 'VUID-|Validation Error|validation layer' "$out/$name.err" | head -10; then
        echo "FAIL: validation messages on stderr"; fail=1
    fi
    grep -q '^validation messages: 0$' "$out/$name.log" || { echo "FAIL: validation messages counted"; fail=1; }
    local latch
    latch=$(sed -n 's/^latch check: \([0-9]*\) frames checked, \([0-9]*\) failures$/\1 \2/p' "$out/$name.log")
    set -- $latch
    [ "${1:-0}" -ge 30 ] && [ "${2:-1}" -eq 0 ] ||
        { echo "FAIL: expected >= 30 frames latch-checked with 0 failures, got '${latch}'"; fail=1; }
    [ -s "$out/$name.png" ] || { echo "FAIL: no capture $out/$name.png"; fail=1; }
}

# Both runs on libparallax's default path (on Mesa lavapipe: a render pass per eye, which multisamples too).
# The sample's actions, bound for two interaction profiles, each run pressing through one of them: the simple
# controller (the runtime's default pick: the first profile suggested) in the 1x run, the Touch controller in
# the 4x run, which also holds the left thumbstick full left from 0.2 s on: at 1 m/s the panel reaches the end
# of its reach, 0.2 m left of its start, by about 0.4 s (later only if frames are late: the sample times the
# stick by the runtime's change times), well before the capture at frame 50 of 60.
PARALLAX_SIM_INPUT="right.select=1@0.1" run msaa1 --samples 1
PARALLAX_SIM_INPUT="left.profile=oculus/touch_controller@0; right.profile=oculus/touch_controller@0; right.trigger=1@0.1; left.thumbstick=-1,0@0.2" \
    PARALLAX_SIM_CAPTURE_FRAME=50 FRAMES=60 run msaa4 --samples 4
grep -q '^MSAA: 4x' "$out/msaa4.log" || { echo "FAIL: the MSAA run did not run at 4x"; fail=1; }
# actions: profiles left '...' right '...'; trigger presses left L right R; haptic pulses P; panel moved by X Y m
for run in msaa1:khr/simple_controller msaa4:oculus/touch_controller; do
    name=${run%%:*} profile=/interaction_profiles/${run#*:}
    grep -q "^actions: profiles left '$profile' right '$profile'; trigger presses left 0 right 1; haptic pulses 1;" \
        "$out/$name.log" || { echo "FAIL: $name: the right trigger's press through $profile did not reach the actions (one press, one haptic pulse)"; fail=1; }
    grep -q "right trigger 1.00 ($profile) -> tint, haptic pulse: PLX_SUCCESS" "$out/$name.log" ||
        { echo "FAIL: $name: no haptic pulse on the press"; fail=1; }
done
grep -q "panel moved by -0\.200 0\.000 m$" "$out/msaa4.log" ||
    { echo "FAIL: the thumbstick did not take the panel to the end of its reach, 0.2 m left"; fail=1; }
grep -q "panel moved by 0\.000 0\.000 m$" "$out/msaa1.log" ||
    { echo "FAIL: the panel moved without a thumbstick (the simple controller has none)"; fail=1; }
# "panel: drawn N times; projects to left eye x L..R y T..B, right eye x L..R y T..B"
boxes=$(sed -n 's/^panel: drawn [0-9]* times; projects to left eye x \([-0-9.]*\)\.\.\([-0-9.]*\) y \([-0-9.]*\)\.\.\([-0-9.]*\), right eye x \([-0-9.]*\)\.\.\([-0-9.]*\) y \([-0-9.]*\)\.\.\([-0-9.]*\)$/\1 \3 \2 \4 \5 \7 \6 \8/p' "$out/msaa4.log")
set -- $boxes
if [ $# -ne 8 ]; then
    echo "FAIL: the sample did not print the panel's projection"
    exit 1
fi
panel=(--panel-box "left,$1,$2,$3,$4" --panel-box "right,$5,$6,$7,$8")
# "panel swatch R,G,B: left eye at X,Y, right eye at X,Y": the action colour the sample drew into the panel: the
# right hand's orange (255,160,63) after the press.
swatch=$(sed -n 's/^panel swatch \([0-9,]*\): left eye at \([-0-9.,]*\), right eye at \([-0-9.,]*\)$/\1 \2 \3/p' "$out/msaa4.log")
set -- $swatch
[ $# -eq 3 ] || { echo "FAIL: the sample did not print the panel's swatch"; exit 1; }
[ "$1" = 255,160,63 ] || { echo "FAIL: the panel's swatch is $1, not the right hand's orange 255,160,63"; fail=1; }
# The panel's background, linear (0.015, 0.02, 0.06) in an sRGB swapchain: 33, 39, 69.
"$check" "$out/msaa4.png" --eyes-differ --panel-color 33,39,69 "${panel[@]}" --color-at "left,$2,$1" \
    --color-at "right,$3,$1" --vignette 0.8 --edges-over "$out/msaa1.png" || fail=1
exit $fail
