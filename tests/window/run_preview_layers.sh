#!/bin/sh
# SPDX-License-Identifier: MIT
# The preview window shows the composited frame, every layer (issue 10 §1: "Capture, preview window and report
# show the composited result"): composite_capture_layers (tests/composite) submits a projection layer (dark
# blue with white markers), a quad of four colours (red, green, blue, yellow quadrants) and a cyan cylinder for
# 600 frames with PARALLAX_SIM_WINDOW=1 under a private Xvfb (tests/xvfb.sh). A screenshot of the window must
# show the scene in both halves and every layer's colours; the app then ends on its own and its checks of the
# capture and report pass.
# usage: run_preview_layers.sh COMPOSITE_CAPTURE_LAYERS PLX_WINDOW_SHOT OUTDIR
set -u
app=$1 shot=$2 out=$3
. "$(dirname "$0")/window_test.sh"
window_test_start "$out"

# The harness (tests/conformance/conf.c) turns the OpenXR and Vulkan validation layers on itself.
PARALLAX_SIM_WINDOW=1 timeout -k 5 120 "$app" - 128 600 >"$out/app.log" 2>&1 &
app_pid=$!

# Frames reach the window once the session runs; give the first ones 1.5 s to arrive.
window_test_preview "$out" 1.5

fail=0
# The projection layer's dark blue over most of the window, the quad's four quadrants and the cylinder's cyan:
# each colour on at least 50 pixels (each quadrant covers about 70 per eye at 128x128). (The scene is flat, so
# --scene's test for a lit 3D scene does not apply.)
"$shot" "$out/layers.png" "$X" "$Y" "$WIDTH" "$HEIGHT" --color 0,255,255,50 --color 255,0,0,50 \
    --color 0,255,0,50 --color 0,0,255,50 --color 255,255,0,50 --color 20,30,90,2000 ||
    { echo "FAIL: the window does not show every layer"; fail=1; }

# The app ends by itself after its 600 frames.
window_test_wait_exit 90 "after its 600 frames"
cat "$out/app.log"
grep -q "^PASS composite_capture_layers" "$out/app.log" || { echo "FAIL: the app's own checks"; fail=1; }
[ $fail = 0 ] && echo "PASS: the preview window shows the projection layer, the quad and the cylinder"
exit $fail
