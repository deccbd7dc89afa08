#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bad input (issue 5 §4): each malformed environment value or file gets one clear line naming the variable or
# file and the expected form, then a non-zero exit or the documented fallback; never a crash (a signal gives an
# exit status above 128, a sanitizer report fails the run too).
#   bad_input.sh <plx-fault-run binary> <scratch dir>
set -uo pipefail
run=$1
dir=$2
mkdir -p "$dir"
fails=0

# expect_fail <what the message must contain> VAR=value...: non-zero exit, no signal, one line naming it
expect_fail() {
  local want=$1
  shift
  local out rc
  out=$(env "$@" "$run" --frames 5 --max-seconds 20 2>&1)
  rc=$?
  if [ $rc -eq 0 ] || [ $rc -ge 128 ] || ! grep -q -- "$want" <<<"$out" || grep -q "ERROR: AddressSanitizer\|runtime error" <<<"$out"; then
    echo "FAIL: $* -> exit $rc, expected a failure naming \"$want\":"
    echo "$out" | head -5
    fails=$((fails + 1))
  else
    echo "ok: $* -> exit $rc: $(grep -m1 -- "$want" <<<"$out")"
  fi
}

# expect_fallback <message> VAR=value...: runs to the end (exit 0) after one line naming it
expect_fallback() {
  local want=$1
  shift
  local out rc
  out=$(env "$@" "$run" --frames 5 --max-seconds 20 2>&1)
  rc=$?
  if [ $rc -ne 0 ] || [ "$(grep -c -- "$want" <<<"$out")" -ne 1 ]; then
    echo "FAIL: $* -> exit $rc, expected exit 0 and one line naming \"$want\":"
    echo "$out" | head -5
    fails=$((fails + 1))
  else
    echo "ok: $* -> falls back: $(grep -m1 -- "$want" <<<"$out")"
  fi
}

printf 't_s,qx,qy,qz,qw,px,py,pz\n0,0,0,0,1,0,0,0\n0.5,0,0,zero,1,0,0,0\n' >"$dir/bad.csv"
expect_fail "PARALLAX_SIM_FAULTS" PARALLAX_SIM_FAULTS="wait_stal@frame=50"
expect_fail "PARALLAX_SIM_FAULTS" PARALLAX_SIM_FAULTS="wait_stall@frame=1:duration=200"
expect_fail "PARALLAX_SIM_REFRESH_HZ" PARALLAX_SIM_REFRESH_HZ=fast
expect_fail "PARALLAX_SIM_EYE_SIZE" PARALLAX_SIM_EYE_SIZE=256by256
expect_fail "PARALLAX_SIM_PACING" PARALLAX_SIM_PACING=sometimes
expect_fail "PARALLAX_SIM_HANDLE_VALUES" PARALLAX_SIM_HANDLE_VALUES=sometimes
expect_fail "PARALLAX_SIM_BLEND_MODES" PARALLAX_SIM_BLEND_MODES=passthrough
expect_fail "PARALLAX_SIM_BLEND_MODES" PARALLAX_SIM_BLEND_MODES=opaque,opaque
expect_fail "PARALLAX_SIM_SWAPCHAIN_FORMATS" PARALLAX_SIM_SWAPCHAIN_FORMATS=RGBA8
expect_fail "PARALLAX_SIM_SWAPCHAIN_FORMATS" PARALLAX_SIM_SWAPCHAIN_FORMATS=D32_SFLOAT
expect_fail "PARALLAX_SIM_SWAPCHAIN_FORMATS" PARALLAX_SIM_SWAPCHAIN_FORMATS=R8G8B8A8_UNORM,R8G8B8A8_UNORM
expect_fail "nonexistent.csv" PARALLAX_SIM_MOTION=csv:/nonexistent.csv
expect_fail "bad.csv" PARALLAX_SIM_MOTION=csv:"$dir/bad.csv"
expect_fallback "PARALLAX_MODE" PARALLAX_MODE=turbo
expect_fallback "PARALLAX_LOG" PARALLAX_LOG=loud
expect_fallback "PARALLAX_MULTIVIEW_WORKAROUND=sometimes is not valid: expected auto|on|off" \
  PARALLAX_MULTIVIEW_WORKAROUND=sometimes

[ $fails -eq 0 ] || { echo "$fails bad-input case(s) failed"; exit 1; }
echo "all bad-input cases handled"
