#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The layer checker must catch what it exists for: an upward call and a cycle between two files.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
objdir=${1:?object dir of plx_layers_fixture}
out=$(bash "$here/check_layers.sh" "$objdir" "$here/fixture/layers.txt" 2>&1); rc=$?
echo "$out"
[ $rc -ne 0 ] || { echo "FAIL: the checker passed a tree with an upward call"; exit 1; }
grep -q 'upward call: low.c (rank 0) -> high.c (rank 1)' <<<"$out" || { echo "FAIL: upward call not named"; exit 1; }
out=$(bash "$here/check_layers.sh" "$objdir" "$here/fixture/layers_ok.txt" 2>&1); rc=$?
echo "$out"
[ $rc -ne 0 ] && grep -q 'call cycle' <<<"$out" || { echo "FAIL: a cycle within one layer was not caught"; exit 1; }
echo "check_fixture: upward call and cycle both caught"
