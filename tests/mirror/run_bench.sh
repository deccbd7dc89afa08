#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Mirror benchmark under a private Xvfb: plx-bench-frameloop --compare mirror (wake-to-end p99 and missed frames with
# the mirror on and off, alternating blocks in one run). Xvfb is killed on every exit path.
#   run_bench.sh <plx-bench-frameloop> [bench args...]
set -uo pipefail
bench=$1
shift
. "$(dirname "$0")/../xvfb.sh"
tmp=$(mktemp -d)
trap '[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
xvfb_start "$tmp/xvfb.log" || exit 1
export PARALLAX_SIM_WINDOW=0
"$bench" --compare mirror "$@"
