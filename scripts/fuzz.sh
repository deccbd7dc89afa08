#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fuzzes the PARALLAX_SIM_FAULTS parser and the motion CSV trace parser with libFuzzer.
#
#   scripts/fuzz.sh [seconds]      # default 60 seconds per target
#
# Configures a clang build with -DPARALLAX_FUZZ=ON in build-fuzz, builds the fuzz targets only, and runs each
# one in turn (one core: the machine is shared) for the given time, starting from the seed corpus in
# tests/fuzz/corpus/<name> plus whatever earlier runs found (kept in build-fuzz/fuzz-corpus/<name>). Prints
# libFuzzer's execution count per target and whether anything was found; a crash, leak, timeout or
# out-of-memory input is saved in build-fuzz/fuzz-artifacts/<name>/ and the script exits 1.
# Reproduce one with: build-fuzz/tests/fuzz/<name> <artifact>
set -euo pipefail
secs=${1:-60}
if ! [[ "$secs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [seconds per target, a positive whole number; default 60]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build-fuzz"
if ! command -v clang >/dev/null; then
  echo "fuzz.sh: clang not found; install clang and libclang-rt-14-dev (scripts/install-deps.sh)" >&2
  exit 1
fi

mkdir -p "$build"
echo "== configure (clang, PARALLAX_FUZZ=ON) in $build"
if ! cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARALLAX_FUZZ=ON \
  >"$build/configure.log" 2>&1; then
  cat "$build/configure.log" >&2
  echo "fuzz.sh: configure failed (log above, also in $build/configure.log)" >&2
  exit 1
fi
echo "== build fuzz_faults fuzz_motion_csv"
cmake --build "$build" --target fuzz_faults fuzz_motion_csv -j2

# target  max input length  extra libFuzzer flags
targets=(
  "fuzz_faults 1100 -dict=$here/tests/fuzz/faults.dict"
  # the motion parser reports every malformed trace on stderr: keep libFuzzer's own output only
  "fuzz_motion_csv 4096 -dict=$here/tests/fuzz/motion_csv.dict -close_fd_mask=2"
)
status=0
summary=()
for spec in "${targets[@]}"; do
  read -r name max_len extra <<<"$spec"
  bin="$build/tests/fuzz/$name"
  seeds="$here/tests/fuzz/corpus/${name#fuzz_}"
  work="$build/fuzz-corpus/$name"
  art="$build/fuzz-artifacts/$name"
  log="$build/$name.log"
  mkdir -p "$work" "$art"
  touch "$art/.started"
  echo "== $name for ${secs}s (log: $log)"
  common=(-max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art/")
  t0=$(date +%s)
  set +e
  # shellcheck disable=SC2086 # extra holds several flags
  "$bin" -max_total_time="$secs" "${common[@]}" $extra "$work" "$seeds" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n1)
  execs=${execs:-0}
  # coverage as the plain run counts it (fork mode counts differently, so it is not added in)
  cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -n1)
  # libFuzzer stops at its first finding. Spend the rest of the time in fork mode, which keeps going past
  # crashes (each one saved), so one known bug does not hide the next; its total comes from its last
  # "#<executions>: ... oom/timeout/crash: a/b/c" status line.
  left=$((secs - ($(date +%s) - t0)))
  if [ "$rc" -ne 0 ] && [ "$left" -gt 2 ]; then
    echo "   stopped on a finding after $((secs - left))s; going on for ${left}s in fork mode (-ignore_crashes=1)"
    set +e
    # shellcheck disable=SC2086
    "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$left" "${common[@]}" \
      $extra "$work" "$seeds" >>"$log" 2>&1
    set -e
    more=$(sed -n 's/^#\([0-9]*\): cov: .*/\1/p' "$log" | tail -n1)
    execs=$((execs + ${more:-0}))
  fi
  # Only what this run found: artifacts newer than the marker touched before it started.
  mapfile -t found < <(find "$art" -maxdepth 1 -type f -newer "$art/.started" \( -name 'crash-*' -o -name 'leak-*' \
    -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
  if [ "$rc" -eq 0 ] && [ "${#found[@]}" -eq 0 ]; then
    line="$name: $execs executions in ${secs}s (coverage ${cov:-?} edges), nothing found"
  elif [ "${#found[@]}" -eq 0 ]; then
    line="$name: libFuzzer exited with status $rc without saving an input; see $log"
    status=1
  else
    line="$name: $execs executions in ${secs}s (coverage ${cov:-?} edges), FOUND ${#found[@]} problem input(s):"
    status=1
    for f in "${found[@]}"; do
      why=$("$bin" -timeout=10 "$f" 2>&1 | grep -m1 -E 'property failed|runtime error|ERROR: AddressSanitizer|ERROR: libFuzzer|ERROR: LeakSanitizer' || true)
      line+=$'\n'"    $f"$'\n'"      ${why:-see $log}"
    done
  fi
  echo "$line"
  summary+=("$line")
done
echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
exit "$status"
