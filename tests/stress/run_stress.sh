#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The stress sample runs headless with the validation layers on and exits cleanly; with a fixed render scale of
# 0.5 the simulated headset composites the half-size sub-image over the whole eye (its capture is the display,
# each eye PARALLAX_SIM_EYE_SIZE): the scene reaches the eye's far edges, which shows that the projection layer's
# imageRect follows the render scale inside the full-size swapchain (with the whole image's rectangle the scene
# would fill only the top-left quarter); and it still shows the scene.
#   run_stress.sh <parallax-stress> <plx-check-capture> <output dir>
set -uo pipefail
stress=$1 check=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
export PARALLAX_SIM_EYE_SIZE=256x256
export PARALLAX_SIM_MOTION=still
export VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation
export XR_ENABLE_API_LAYERS=XR_APILAYER_LUNARG_core_validation
unset DISPLAY WAYLAND_DISPLAY
fail=0
run() { # name, args...
    local name=$1
    shift
    PARALLAX_SIM_REPORT="$out/$name.json" PARALLAX_SIM_CAPTURE="$out/$name.png" PARALLAX_SIM_CAPTURE_FRAME=150 \
        timeout -k 5 120 "$stress" "$@" --csv "$out/$name.csv" >"$out/$name.log" 2>"$out/$name.err"
    local rc=$?
    tail -3 "$out/$name.log"
    [ $rc -eq 0 ] || { echo "FAIL: $name: parallax-stress exited with $rc"; tail -20 "$out/$name.err"; fail=1; }
    if grep -nE 'VUID-|Validation Error|validation' "$out/$name.err" | head -5; then
        echo "FAIL: $name: validation messages"; fail=1
    fi
}
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{printf "%d %d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'; }

# Fixed half scale, base load given (no calibration), schedule with a CPU and a GPU step.
run half --frames 200 --layers 4 --no-dynamic --scale 0.5 --schedule 0:1:0,1:2:2 --loop 0
if [ -s "$out/half.png" ]; then
    size=$(png_size "$out/half.png")
    echo "capture at scale 0.5: $size (expected 512 256: the display, two 256x256 eyes)"
    [ "$size" = "512 256" ] || { echo "FAIL: the capture is not the 256x256 eyes of the display"; fail=1; }
    "$check" "$out/half.png" --fills || fail=1
else
    echo "FAIL: no capture"; fail=1
fi
if ! awk -F, 'NR > 1 && $3 != "0.5000" { bad = 1 } END { exit bad }' "$out/half.csv"; then
    echo "FAIL: a frame did not render at scale 0.5"; fail=1
fi
# Dynamic resolution with calibration: runs and ends cleanly, every scale within 0.5..1.
run dynamic --frames 300
if ! awk -F, 'NR > 1 && ($3 < 0.5 || $3 > 1) { bad = 1 } END { exit bad }' "$out/dynamic.csv"; then
    echo "FAIL: a scale outside min_render_scale..1"; fail=1
fi
"$stress" --help | grep -q -- '--frames' || { echo "FAIL: --help"; fail=1; }
exit $fail
