#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: check_docs.sh DOXYGEN DOXYFILE WORK_DIR
# The documentation check must fail on what it exists for: the real headers plus a fixture with an undocumented
# declaration, and plus one with an undocumented parameter, must each fail with the symbol named and the
# instructions printed; the real headers alone must pass.
set -u
here=$(cd "$(dirname "$0")" && pwd)
run=$here/../../cmake/run-doxygen.sh
doxygen=$1 doxyfile=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
status=0
for case in undocumented:plx_fixture_undocumented missing_param:plx_fixture_missing_param; do
    name=${case%%:*} symbol=${case#*:}
    out=$(sh "$run" "$doxygen" "$doxyfile" "$work/$name" "$here/fixture/$name.h" 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "FAIL: the docs check passed with fixture/$name.h"; status=1
    elif ! printf '%s\n' "$out" | grep -q "$name.h:.*warning:.*$symbol"; then
        printf '%s\n' "$out"; echo "FAIL: the warning for fixture/$name.h does not name '$symbol'"; status=1
    elif ! printf '%s\n' "$out" | grep -q 'docs: FAILED' || ! printf '%s\n' "$out" | grep -q 'docs/api-reference.md'; then
        printf '%s\n' "$out"; echo "FAIL: no instructions after the warnings"; status=1
    else
        echo "fixture/$name.h: failed as it must:"
        printf '%s\n' "$out" | grep -E "warning:|docs: FAILED" | sed 's/^/  /'
    fi
done
if sh "$run" "$doxygen" "$doxyfile" "$work/clean" >"$work/clean.log" 2>&1; then
    echo "the public headers alone: no warnings"
else
    cat "$work/clean.log"; echo "FAIL: the public headers have Doxygen warnings"; status=1
fi
exit $status
