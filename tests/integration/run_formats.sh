#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Swapchain formats and depth as other runtimes offer them (issue 11): parallax-hello on the simulated headset
# (validation layers on, head still) with
#   default     the simulated headset's own list (8-bit sRGB first, depth formats, the depth extension);
#   srgb_later  PARALLAX_SIM_SWAPCHAIN_FORMATS with 8-bit sRGB after two linear formats (libparallax still
#               takes sRGB, B8G8R8A8 here) and D16 the only depth format;
#   no_srgb     only linear formats, float first, and no depth format (libparallax renders RGBA16F, linear,
#               and keeps its depth private);
#   no_depth    no XR_KHR_composition_layer_depth (PARALLAX_SIM_HIDE_EXTENSIONS): no depth swapchain at all,
#               though the runtime lists depth formats.
# Each run ends cleanly, libparallax's swapchain line names the format it took, and its capture is the default
# run's picture (plx-check-capture --like: clear and mean colour within 1 level), so colours are right
# whatever the format.
#   run_formats.sh <parallax-hello> <plx-check-capture> <output dir>
set -uo pipefail
hello=$1 check=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
export PARALLAX_SIM_CAPTURE_FRAME=30 PARALLAX_SIM_EYE_SIZE=256x256 PARALLAX_SIM_MOTION=still PARALLAX_LOG=info
export VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation XR_ENABLE_API_LAYERS=XR_APILAYER_LUNARG_core_validation
unset DISPLAY WAYLAND_DISPLAY PARALLAX_SIM_SWAPCHAIN_FORMATS PARALLAX_SIM_HIDE_EXTENSIONS
fail=0

# name | expected swapchain line (grep -E) | environment
run() {
  local name=$1 want=$2
  shift 2
  env "$@" PARALLAX_SIM_CAPTURE="$out/$name.png" PARALLAX_SIM_REPORT="$out/$name.json" \
    timeout -k 5 120 "$hello" --frames 60 >"$out/$name.log" 2>&1
  local rc=$?
  echo "--- $name ($*): exit $rc"
  grep -E "swapchains:|sRGB|depth stays private" "$out/$name.log"
  [ $rc -eq 0 ] || { echo "FAIL: $name: parallax-hello exited with $rc"; tail -20 "$out/$name.log"; fail=1; }
  if grep -nE 'VUID-|Validation Error' "$out/$name.log" | head -5; then echo "FAIL: $name: validation messages"; fail=1; fi
  grep -qE "$want" "$out/$name.log" || { echo "FAIL: $name: no swapchain line matching \"$want\""; fail=1; }
  tr -d ' \n' <"$out/$name.json" | grep -q '"call_order_violations":0,' ||
    { echo "FAIL: $name: the simulated headset saw calls out of order (or wrote no report)"; fail=1; }
}

# VkFormat 43 R8G8B8A8_SRGB, 50 B8G8R8A8_SRGB, 97 R16G16B16A16_SFLOAT, 124 D16_UNORM, 126 D32_SFLOAT.
run default "colour VkFormat 43 x[0-9]+, depth VkFormat 126 x[1-9]"
run srgb_later "colour VkFormat 50 x[0-9]+, depth VkFormat 124 x[1-9]" \
  PARALLAX_SIM_SWAPCHAIN_FORMATS=R16G16B16A16_SFLOAT,R8G8B8A8_UNORM,B8G8R8A8_SRGB,D16_UNORM
run no_srgb "colour VkFormat 97 x[0-9]+, depth VkFormat 1(24|26) x0" \
  PARALLAX_SIM_SWAPCHAIN_FORMATS=R16G16B16A16_SFLOAT,R8G8B8A8_UNORM
run no_depth "colour VkFormat 43 x[0-9]+, depth VkFormat 1(24|26) x0" \
  PARALLAX_SIM_HIDE_EXTENSIONS=XR_KHR_composition_layer_depth
grep -q "no XR_KHR_composition_layer_depth: depth stays private" "$out/no_depth.log" ||
  { echo "FAIL: no_depth: libparallax did not say why its depth stays private"; fail=1; }
for name in srgb_later no_srgb no_depth; do
  "$check" "$out/$name.png" --like "$out/default.png" --levels 1 || { echo "FAIL: $name: not the default picture"; fail=1; }
done
[ $fail -eq 0 ] && echo PASSED || echo FAILED
exit $fail
