#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Rewrites the ABI baseline abi/libparallax.abi from a RelWithDebInfo build (with debug info) of libparallax,
# for an intended change of the public ABI (README "ABI policy"): the abi_baseline test compares every build
# against this file and fails on any difference. Commit the new file with the change that made it, and say in
# the commit what changed in the ABI (an addition is a minor release; anything else a new SONAME).
#   bash scripts/update-abi.sh [BUILD_DIR]     (default build, configured as scripts/test.sh does)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
build=${1:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARALLAX_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target parallax
lib=$(readlink -f "$build/lib/libparallax.so")
# Only what the public headers declare (private types dropped), no paths, no imported symbols, type ids from
# hashes: the same library gives the same file from any checkout and any rebuild.
abidw --headers-dir runtime/include/parallax --headers-dir "$build/include/parallax" --drop-private-types \
    --drop-undefined-syms --no-corpus-path --no-comp-dir-path --no-show-locs --no-elf-needed --type-id-style hash \
    --out-file abi/libparallax.abi "$lib"
echo "update-abi: abi/libparallax.abi written from $lib"
git --no-pager diff --stat -- abi/libparallax.abi || true
