#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# With no OpenXR runtime to load, a sample fails with a message that says how to select one, and a non-zero
# exit status (never a crash: a signal gives an exit status above 128).
#   run_no_runtime.sh <sample binary>
set -uo pipefail
export XR_RUNTIME_JSON=/nonexistent/parallax/runtime.json
out=$("$1" --frames 5 2>&1)
rc=$?
echo "$out"
[ $rc -ne 0 ] || { echo "FAIL: exit status 0 without a runtime"; exit 1; }
[ $rc -lt 128 ] || { echo "FAIL: killed by a signal ($rc)"; exit 1; }
echo "$out" | grep -q 'XR_RUNTIME_JSON' || { echo "FAIL: message does not mention XR_RUNTIME_JSON"; exit 1; }
echo "$out" | grep -q 'parallax_simulator.json' || { echo "FAIL: message does not name the simulator manifest"; exit 1; }
echo "ok: exit $rc with a clear message"
