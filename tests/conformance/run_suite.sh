#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every built conformance program against one OpenXR runtime and prints PASS/FAIL per test.
#   run_suite.sh MANIFEST [BUILD_DIR] [TEST_NAME_REGEX]
# MANIFEST is the runtime's JSON (for example an older build's parallax_simulator.json); BUILD_DIR (default
# build) holds the built suite in tests/conformance/. Each program's output goes to $OUT (default
# BUILD_DIR/conformance-runs/<manifest's folder name>/<test>.log). Lavapipe is pinned as in ctest. Exit 1 when any
# test failed.
set -uo pipefail
manifest=${1:?usage: run_suite.sh MANIFEST [BUILD_DIR] [TEST_NAME_REGEX]}
build=${2:-build}
filter=${3:-.}
[ -f "$manifest" ] || { echo "run_suite.sh: no runtime manifest at $manifest"; exit 2; }
manifest=$(cd "$(dirname "$manifest")" && pwd)/$(basename "$manifest")
dir="$build/tests/conformance"
ls "$dir"/conf_* >/dev/null 2>&1 || { echo "run_suite.sh: no conf_* programs in $dir (build first)"; exit 2; }
out=${OUT:-$build/conformance-runs/$(dirname "$manifest" | sed "s%^/%%; s%/%_%g")}
mkdir -p "$out"
export XR_RUNTIME_JSON=$manifest
export VK_DRIVER_FILES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json
export PARALLAX_SIM_EYE_SIZE=${PARALLAX_SIM_EYE_SIZE:-64x64}
unset DISPLAY WAYLAND_DISPLAY
pass=0 fail=0
echo "runtime: $manifest"
for prog in "$dir"/conf_*; do
  [ -x "$prog" ] || continue
  name=${prog##*/conf_}
  [[ $name =~ $filter ]] || continue
  timeout -k 5 120 "$prog" >"$out/$name.log" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    pass=$((pass + 1)); printf 'PASS  %s\n' "$name"
  else
    fail=$((fail + 1))
    why=$(grep -m1 -E '^  FAIL ' "$out/$name.log" | sed 's/^  FAIL //')
    [ -n "$why" ] || why="exit status $rc$( [ $rc -ge 128 ] && echo " (signal $((rc - 128)))")"
    printf 'FAIL  %s: %s\n' "$name" "$why"
  fi
done
echo "$pass passed, $fail failed (logs in $out)"
[ $fail -eq 0 ]
