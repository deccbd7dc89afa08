#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks that a library's files call each other only downward, with no cycle, from the object files the build
# made (real references, not #includes): for every undefined symbol of one object that another object of the
# same target defines, there is an edge "caller file -> callee file".
#
# usage: check_layers.sh OBJECT_DIR LAYER_MAP [SOURCE_DIR]
#   OBJECT_DIR  the target's object folder, e.g. build/runtime/CMakeFiles/parallax.dir/src
#   LAYER_MAP   lines "RANK PATH-PREFIX" (paths relative to OBJECT_DIR's sources, longest prefix wins; '#' comments).
#               A file may call files of its own rank or lower ranks only.
#   SOURCE_DIR  when given, each source file's opening comment (its first 12 lines) must name its layer
#               (the word "layer"), so a reader sees where a file stands without the map.
# Prints the layers and who calls whom; exits 1 naming every upward call, cycle, unmapped file or unnamed layer.
set -euo pipefail
objdir=${1:?object dir}
map=${2:?layer map}
srcdir=${3:-}
[ -d "$objdir" ] || { echo "check_layers: no object folder $objdir (build the target first)" >&2; exit 2; }
[ -f "$map" ] || { echo "check_layers: no layer map $map" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$objdir" && find . -name '*.o' | sed 's|^\./||' | sort) >"$tmp/objs"
[ -s "$tmp/objs" ] || { echo "check_layers: no object files under $objdir" >&2; exit 2; }
# With the sources known, an object whose source is gone is a leftover of an older layout in a reused build
# folder (the build never deletes it): not part of the library, so it is skipped, and said so.
if [ -n "$srcdir" ]; then
  while read -r o; do
    if [ -e "$srcdir/${o%.o}" ]; then echo "$o"; else echo "check_layers: skipping $o (no source ${o%.o}: left from an older build)" >&2; fi
  done <"$tmp/objs" >"$tmp/objs.kept"
  mv "$tmp/objs.kept" "$tmp/objs"
  [ -s "$tmp/objs" ] || { echo "check_layers: no object file under $objdir has a source in $srcdir" >&2; exit 2; }
fi

# symbol -> defining file; file -> undefined symbols
while read -r o; do
  f=${o%.o}
  nm --defined-only -g "$objdir/$o" | awk -v f="$f" 'NF == 3 { print $3, f }' >>"$tmp/defs"
  nm -u "$objdir/$o" | awk -v f="$f" '{ print f, $NF }' >>"$tmp/uses"
done <"$tmp/objs"
touch "$tmp/defs" "$tmp/uses"

# file -> rank (longest matching prefix of the map)
awk 'NR == FNR { if ($0 !~ /^[[:space:]]*(#|$)/) rank[$2] = $1; next }
     { best = ""; for (p in rank) if (index($0, p) == 1 && length(p) > length(best)) best = p
       print $0, (best == "" ? "?" : rank[best]) }' "$map" <(sed 's/\.o$//' "$tmp/objs") >"$tmp/ranks"

fail=0
if grep -q ' ?$' "$tmp/ranks"; then
  while read -r f _; do echo "check_layers: $f has no layer in $(basename "$map")"; done < <(grep ' ?$' "$tmp/ranks")
  fail=1
fi

# edges caller callee symbol (deduplicated per pair, first symbol kept as the example)
awk 'NR == FNR { def[$1] = $2; next } ($2 in def) && def[$2] != $1 { print $1, def[$2], $2 }' \
  "$tmp/defs" "$tmp/uses" | sort -u -k1,2 >"$tmp/edges"

awk 'NR == FNR { r[$1] = $2; next }
     r[$2] != "?" && r[$1] != "?" && r[$2] + 0 > r[$1] + 0 {
       printf "check_layers: upward call: %s (rank %s) -> %s (rank %s), e.g. %s\n", $1, r[$1], $2, r[$2], $3; bad = 1 }
     END { exit bad }' "$tmp/ranks" "$tmp/edges" || fail=1

if ! awk '{ print $1, $2 }' "$tmp/edges" | tsort >/dev/null 2>"$tmp/tsort"; then
  echo "check_layers: call cycle between files:"
  grep -v 'input contains a loop' "$tmp/tsort" | sed 's/^tsort: /  /'
  fail=1
fi

if [ -n "$srcdir" ]; then
  while read -r f _; do
    src=$(ls "$srcdir/$f" 2>/dev/null || true)
    [ -n "$src" ] || continue
    head -n 12 "$src" | grep -qi 'layer' || { echo "check_layers: $f: its opening comment does not name its layer"; fail=1; }
  done <"$tmp/ranks"
fi

echo "layers (rank: files):"
sort -k2,2n -k1,1 "$tmp/ranks" | awk '{ if (NR == 1 || $2 != last) { printf "%s  %s:", (NR > 1 ? "\n" : ""), $2; last = $2 } printf " %s", $1 } END { print "" }'
echo "who calls whom (caller -> callees):"
awk '{ c[$1] = c[$1] " " $2 } END { for (k in c) print "  " k " ->" c[k] }' "$tmp/edges" | sort
[ "$fail" = 0 ] && echo "check_layers: $(wc -l <"$tmp/edges") calls between $(wc -l <"$tmp/ranks") files, all downward, no cycle"
exit "$fail"
