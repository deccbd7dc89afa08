#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite: install what is missing, build with -Werror, check formatting, run every test (unit,
# integration on the simulated headset with the validation layers on), then the same suite built with
# AddressSanitizer + UndefinedBehaviorSanitizer (leak checking on), then the unit tests and the XR and fault
# tests where threads meet, built with ThreadSanitizer.
# Set PARALLAX_SKIP_SANITIZE=1 to skip both sanitizer passes while iterating (PARALLAX_SKIP_TSAN=1: only the
# ThreadSanitizer one).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash scripts/install-deps.sh
jobs=$(nproc)

echo "== format check (clang-format, root .clang-format)"
mapfile -t srcs < <(git ls-files '*.c' '*.h' | grep -v '^third_party/')
clang-format --dry-run --Werror "${srcs[@]}"

echo "== build (RelWithDebInfo, -Werror)"
# Each pass starts from an empty test home (HOME, XDG folders, Mesa's shader cache: tests/CMakeLists.txt), so a
# tenth run behaves as the first run on a fresh machine does.
rm -rf build/test-home build-asan/test-home build-tsan/test-home
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARALLAX_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
echo "== API reference (Doxygen; any undocumented public declaration fails: docs/api-reference.md)"
cmake --build build --target docs
echo "== tests"
# Integration tests keep real-time pacing at 90 Hz, so they run one at a time on a 2-core machine.
(cd build && ctest --output-on-failure -L unit -j"$jobs" && ctest --output-on-failure -LE 'unit|long' -j1)

if [ "${PARALLAX_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== build (ASan + UBSan)"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPARALLAX_WERROR=ON -DPARALLAX_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  echo "== tests under ASan + UBSan"
  # Leak checking on (LSan; tests/lsan.supp lists the loader leaks it may ignore, each justified); any UB report
  # stops the program with a stack. Every program of the sanitizer build keeps the Vulkan driver and the OpenXR
  # runtime loaded (cmake/sanitize_keep.c), so their process-lifetime caches are not reported as anonymous leaks.
  # Unit tests two at a time, the rest one at a time (real-time pacing). Left out here: benchmarks (label bench:
  # their figures mean nothing under ASan; the first pass prints them) and the static checks of the sources
  # (label nosan: the layer and licence checks read the same sources in both builds).
  (cd build-asan && export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 &&
    ctest --output-on-failure -L unit -LE 'long|nosan' -j"$jobs" &&
    ctest --output-on-failure -LE 'unit|long|nosan|bench' -j1)
fi

if [ "${PARALLAX_SKIP_SANITIZE:-0}" != 1 ] && [ "${PARALLAX_SKIP_TSAN:-0}" != 1 ]; then
  echo "== build (ThreadSanitizer)"
  cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARALLAX_WERROR=ON -DPARALLAX_TSAN=ON >/dev/null
  cmake --build build-tsan -j"$jobs"
  echo "== tests under ThreadSanitizer"
  # The threads of libparallax (frame loop, wait-ahead waiter, mirror) and of the simulated headset (compositor,
  # watcher) under ThreadSanitizer; the first report fails the test (TSAN_OPTIONS in tests/CMakeLists.txt:
  # halt_on_error=1). tests/tsan.supp lists the uninstrumented system libraries whose own synchronisation
  # ThreadSanitizer cannot see, each justified; nothing of the project is suppressed.
  # Not the whole suite (CI must stay well under 25 minutes): the unit tests, and the XR and fault tests where
  # those threads meet: session and instance loss with and without the waiter thread inside xrWaitFrame, a
  # failure on the waiter's calls, a session stopping mid-frame, input through a session loss (both
  # PARALLAX_SIM_HANDLE_VALUES modes), the engine-facing handles through both losses, waiting ahead, the
  # mirror window's thread, and the app's threads recording pass secondaries (engine_threads). About 130 s of
  # tests on top of the build (fresh run at load 9), plus about 9 s for engine_threads.
  tsan_tests='^(fault_session_loss|fault_instance_loss|fault_session_loss_wait_ahead|fault_instance_loss_wait_ahead'
  tsan_tests+='|fault_fail_xrWaitFrame_wait_ahead|fault_fail_xrBeginFrame_wait_ahead|fault_idle_mid_frame'
  tsan_tests+='|input_scripted_controllers|openxr_info|integration_wait_ahead|mirror_window_both|engine_threads)$'
  (cd build-tsan && ctest --output-on-failure -L unit -j"$jobs" &&
    ctest --output-on-failure -R "$tsan_tests" -j1)
fi
echo "test.sh: all passed"
