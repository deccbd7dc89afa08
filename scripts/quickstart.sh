#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Quick start: install what is missing, build, and run the hello sample on the Parallax simulated headset.
# Headless when there is no display; with PARALLAX_SIM_WINDOW=1 (or a display present) the simulator may show a window.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
# No GPU? Vulkan falls back to Mesa's lavapipe; pin it when no other driver is present.
if [ -z "${VK_DRIVER_FILES:-}" ] && ! ls /dev/dri/renderD* >/dev/null 2>&1; then
  export VK_DRIVER_FILES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json
fi
export XR_RUNTIME_JSON="$here/build/lib/parallax_simulator.json"
# A small per-eye size keeps 90 Hz on a CPU-only machine.
export PARALLAX_SIM_EYE_SIZE="${PARALLAX_SIM_EYE_SIZE:-512x512}"
exec build/bin/parallax-hello --frames "${FRAMES:-900}"
