#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates the README's screenshots, docs/images/<sample>.png: each sample runs headless on the simulated
# headset, which saves one composited frame (both eyes side by side) with its own capture
# (PARALLAX_SIM_CAPTURE). The head is still, so the pictures are repeatable. A sample that is not built is
# skipped with a message.
#   bash scripts/screenshots.sh [build dir]     (default: build; configured and built when missing)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
if [ ! -x "$build/bin/parallax-hello" ]; then
    cmake -S "$root" -B "$build" && cmake --build "$build" -j2 || exit 1
fi
export XR_RUNTIME_JSON=$build/lib/parallax_simulator.json
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/share/vulkan/icd.d/lvp_icd.x86_64.json}
export PARALLAX_SIM_EYE_SIZE=384x384 PARALLAX_SIM_MOTION=still PARALLAX_SIM_WINDOW=0
unset DISPLAY WAYLAND_DISPLAY
out=$root/docs/images
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# shot <sample> [sample arguments...]: frame 90 of 120 (past pipeline warm-up and any calibration start).
shot() {
    local name=$1
    shift
    local bin=$build/bin/parallax-$name
    if [ ! -x "$bin" ]; then
        echo "skip $name: $bin is not built"
        return
    fi
    if PARALLAX_SIM_CAPTURE="$tmp/$name.png" PARALLAX_SIM_CAPTURE_FRAME=90 timeout -k 5 120 "$bin" --frames 120 "$@" \
        >"$tmp/$name.log" 2>&1 && [ -s "$tmp/$name.png" ]; then
        mv "$tmp/$name.png" "$out/$name.png"
        echo "docs/images/$name.png: $(($(stat -c %s "$out/$name.png") / 1024)) KiB"
    else
        echo "FAIL $name: no capture; its output:"
        tail -15 "$tmp/$name.log"
        status=1
    fi
}

shot hello
# Full resolution and a fixed, light overdraw load, so the picture shows the scene, not the controller.
shot stress --no-dynamic --layers 2 --quiet
shot latency
# Head pitched down so both controllers are in view; the right trigger held (green box, the first haptic pulse).
PARALLAX_SIM_INPUT="head.pitch=-35@0; right.trigger=1@0.3" shot input --profile touch
# The engine sample: its own pipelines, MSAA 4x, the vignette and the stats panel (a quad layer).
shot engine
exit $status
