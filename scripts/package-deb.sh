#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Debian package parallax_<version>_amd64.deb in build-deb/ (docs/packaging.md): a Release build
# configured for /usr (GNUInstallDirs then installs into lib/<multiarch triplet>, with no RPATH), packaged by
# cpack with dependencies from dpkg-shlibdeps. Install it with `apt install ./build-deb/parallax_*.deb`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
cmake -S . -B build-deb -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr -DPARALLAX_BUILD_TESTS=OFF \
    >/dev/null
cmake --build build-deb -j"$(nproc)"
(cd build-deb && cpack -G DEB)
ls -l build-deb/parallax_*.deb
