#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: check_abi.sh LIBRARY BASELINE [--expect-change]
# Compares the built libparallax with the committed ABI baseline (abidiff, Debian package abigail-tools) and
# fails on any difference, printing abidiff's report and how to update the baseline for an intended change.
# --expect-change inverts the verdict (the fixture test: a baseline missing a function must be reported).
set -u
lib=$1 baseline=$2 expect=${3:-}
command -v abidiff >/dev/null || { echo "FAIL: abidiff not found: install the Debian package abigail-tools (scripts/install-deps.sh)"; exit 1; }
# The baseline holds only the public types (scripts/update-abi.sh: abidw --headers-dir --drop-private-types),
# so the plain comparison sees exactly the public ABI: libparallax's own types are opaque there.
out=$(abidiff --no-show-locs "$baseline" "$lib" 2>&1)
rc=$?
# abidiff reads a damaged baseline in part and may then see no change: that is a failure, not a pass.
if printf '%s\n' "$out" | grep -q -i 'parser error'; then
    printf '%s\n' "$out"
    echo "FAIL: abidiff could not read $baseline (regenerate it with bash scripts/update-abi.sh)"
    exit 1
fi
if [ -n "$expect" ]; then
    printf '%s\n' "$out"
    [ $rc -ne 0 ] && [ $((rc & 1)) -eq 0 ] && { echo "abidiff reported the change (exit $rc), as it must"; exit 0; }
    echo "FAIL: abidiff did not report a change it must see (exit $rc)"
    exit 1
fi
if [ $rc -eq 0 ]; then
    echo "abidiff: $(basename "$lib") has the ABI of $baseline (no change)"
    exit 0
fi
printf '%s\n' "$out"
if [ $((rc & 1)) -ne 0 ]; then
    echo "FAIL: abidiff could not compare (exit $rc)"
    exit 1
fi
[ $((rc & 8)) -ne 0 ] && kind="an INCOMPATIBLE change (removed or changed functions or types: a new SONAME, README \"ABI policy\")" ||
    kind="a change abidiff does not call incompatible (an added function, a field appended to a struct)"
cat <<MSG
FAIL: libparallax's ABI differs from the committed baseline abi/libparallax.abi: $kind (abidiff exit $rc).
If the change is intended, update the baseline and commit it with the change:
    bash scripts/update-abi.sh
A minor release may only add (functions, enum values, fields at the end of structs that cross the boundary by
size); anything else breaks apps built against libparallax.so.0.
MSG
exit 1
