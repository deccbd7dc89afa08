#!/bin/sh
# SPDX-License-Identifier: MIT
# usage: run-doxygen.sh DOXYGEN DOXYFILE OUTPUT_DIR [EXTRA_HEADER...]
# Builds the API reference into OUTPUT_DIR/html and fails on any Doxygen warning, printing each one and what to
# do. EXTRA_HEADER files are added to the input (tests/docs adds an undocumented declaration to prove it fails).
set -eu
doxygen=$1 doxyfile=$2 out=$3
shift 3
mkdir -p "$out"
rm -f "$out/warnings.log"
{
    cat "$doxyfile"
    echo "OUTPUT_DIRECTORY = $out"
    echo "WARN_LOGFILE = $out/warnings.log"
    for extra in "$@"; do echo "INPUT += $extra"; done
} | "$doxygen" - || { echo "docs: doxygen failed (exit $?)"; exit 1; }
if [ -s "$out/warnings.log" ]; then
    cat "$out/warnings.log"
    n=$(grep -c ': warning: ' "$out/warnings.log" || true)
    cat <<MSG
docs: FAILED: $n Doxygen warning(s) above. Every declaration in runtime/include/parallax/ is public API and
needs a /** ... */ comment (or a /**< ... */ after a struct field or enum value): what it does, @param for every
parameter, @return with the plx_result codes it can return, who owns what, which thread may call it and how long
what it returns stays valid. docs/api-reference.md has the rules and an example.
MSG
    exit 1
fi
echo "docs: API reference in $out/html/index.html (no warnings)"
