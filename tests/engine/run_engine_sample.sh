#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# parallax-engine (samples/engine) on the simulated headset, validation layers on, the head still, 192x192 per
# eye, 45 frames, latch check on (PARALLAX_LATCH_CHECK=1); its capture of frame 30 is checked:
#   - the stats panel (a quad layer) lies where its projection through the submitted views says, in each eye
#     (the sample prints that projection), within 2 px;
#   - the vignette darkened the corners against the sky above the centre (ratio at most 0.8);
#   - with MSAA 4x the scene's edges are blended, against a second run with --samples 1;
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
        timeout -k 5 120 "$engine" --frames 45 "$@" >"$out/$name.log" 2>"$out/$name.err"
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

# 1x on libparallax's default path (on Mesa lavapipe: a render pass per eye); 4x in one multiview pass, since
# libparallax refuses MSAA with a pass per eye (plx_context_desc.samples). The scene is cut by no edge of the
# view, so lavapipe's multiview clipping bug (runtime/README.md) does not touch it.
run msaa1 --samples 1
PARALLAX_MULTIVIEW_WORKAROUND=off run msaa4 --samples 4
grep -q '^MSAA: 4x' "$out/msaa4.log" || { echo "FAIL: the MSAA run did not run at 4x"; fail=1; }
# "panel: drawn N times; projects to left eye x L..R y T..B, right eye x L..R y T..B"
boxes=$(sed -n 's/^panel: drawn [0-9]* times; projects to left eye x \([-0-9.]*\)\.\.\([-0-9.]*\) y \([-0-9.]*\)\.\.\([-0-9.]*\), right eye x \([-0-9.]*\)\.\.\([-0-9.]*\) y \([-0-9.]*\)\.\.\([-0-9.]*\)$/\1 \3 \2 \4 \5 \7 \6 \8/p' "$out/msaa4.log")
set -- $boxes
if [ $# -ne 8 ]; then
    echo "FAIL: the sample did not print the panel's projection"
    exit 1
fi
# The panel's background, linear (0.015, 0.02, 0.06) in an sRGB swapchain: 33, 39, 69.
"$check" "$out/msaa4.png" --eyes-differ --panel-color 33,39,69 --panel-box "left,$1,$2,$3,$4" \
    --panel-box "right,$5,$6,$7,$8" --vignette 0.8 --edges-over "$out/msaa1.png" || fail=1
exit $fail
