#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every source file, shader, script, CMake file and document of the project (not third_party/, not test data)
# names its licence with an SPDX-License-Identifier line in its first three lines (issue 9: "an
# SPDX-License-Identifier line at the top of every source file, shader and script").
#   check-spdx.sh [repository root]   exit 0: all have one; 1: the files without one are listed; 77: not a git checkout
set -uo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "check-spdx: $root is not a git checkout (the file list comes from git ls-files): skipped"
    exit 77
fi
missing=0
while IFS= read -r f; do
    [ -f "$f" ] || continue
    if ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier:'; then
        echo "check-spdx: $f: no SPDX-License-Identifier line in its first 3 lines (add '/* SPDX-License-Identifier: MIT */', '# ...' or '<!-- ... -->')"
        missing=$((missing + 1))
    fi
done < <(git ls-files -- '*.c' '*.h' '*.vert' '*.frag' '*.comp' '*.glsl' '*.sh' '*.cmake' '*CMakeLists.txt' \
    '*.md' '*.supp' '*.dict' '.ci/run' '*.py' | grep -v -e '^third_party/' -e '^README.md$')
if [ "$missing" -gt 0 ]; then
    echo "check-spdx: $missing file(s) without a licence line"
    exit 1
fi
echo "check-spdx: every source file, shader, script, CMake file and document has an SPDX-License-Identifier line"
