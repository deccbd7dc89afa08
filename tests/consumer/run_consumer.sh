#!/bin/sh
# SPDX-License-Identifier: MIT
# The install and the out-of-tree consumers (tests/consumer/app, tests/consumer/subproject). One step per call:
#   run_consumer.sh install      WORK BUILD_DIR VERSION LIBDIR  install BUILD_DIR into WORK/prefix, check the layout
#   run_consumer.sh find_package WORK                            configure (find_package) + build + run 120 frames
#   run_consumer.sh pkg_config   WORK                            plain Makefile with pkg-config + run 120 frames
#   run_consumer.sh subproject   WORK SOURCE_DIR VIA              add_subdirectory / FetchContent: configure (+ build)
#   run_consumer.sh engine       WORK SOURCE_DIR                  samples/engine built on its own with find_package
#                                                                 (shaders with glslc), then its --help
# The consumers run on the INSTALLED simulated headset (WORK/prefix/share/openxr/1/parallax_simulator.json); the
# dynamic linker's log (LD_DEBUG=files) shows which runtime library was loaded, and it must be the installed one.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
step=$1
work=$2
prefix=$work/prefix
fail() { echo "FAIL: $*"; exit 1; }

run_on_installed_headset() { # $1: the consumer executable
    manifest=$prefix/share/openxr/1/parallax_simulator.json
    [ -f "$manifest" ] || fail "no installed manifest $manifest (run the install step first)"
    rm -f "$1".ld.*
    # LD_DEBUG=files: the dynamic linker names every library it loads, the runtime the OpenXR loader dlopens too.
    XR_RUNTIME_JSON=$manifest LD_DEBUG=files LD_DEBUG_OUTPUT=$1.ld PARALLAX_VALIDATION=1 \
        PARALLAX_SIM_EYE_SIZE=256x256 "$1" 120 >"$1.log" 2>&1 || { cat "$1.log"; fail "$1 exited $?"; }
    cat "$1.log"
    for lib in libparallax.so.0 libparallax_simulator.so; do
        # "calling init: PATH" names the file each library was loaded from.
        loaded=$(cat "$1".ld.* | sed -n "s/.*calling init: \([^ ]*\/$lib\)\$/\1/p" | head -n 1)
        case $loaded in
        "$prefix"/*) echo "$lib loaded from $loaded" ;;
        *) fail "$lib was loaded from '$loaded', not from the installed tree under $prefix" ;;
        esac
    done
}

case $step in
install)
    build=$3 version=$4 libdir=$5
    major=${version%%.*}
    rm -rf "$prefix"
    cmake --install "$build" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log"; fail "cmake --install"; }
    for f in include/parallax/parallax.h include/parallax/parallax_vulkan.h include/parallax/parallax_version.h \
        "$libdir/libparallax.so.$version" "$libdir/libparallax.so.$major" "$libdir/libparallax.so" \
        "$libdir/cmake/Parallax/ParallaxConfig.cmake" "$libdir/cmake/Parallax/ParallaxConfigVersion.cmake" \
        "$libdir/cmake/Parallax/ParallaxTargets.cmake" "$libdir/pkgconfig/parallax.pc" \
        "$libdir/parallax/libparallax_simulator.so" share/openxr/1/parallax_simulator.json \
        bin/parallax-hello bin/parallax-engine share/doc/parallax/LICENSE; do
        [ -e "$prefix/$f" ] || fail "not installed: $f"
    done
    [ -L "$prefix/$libdir/libparallax.so.$major" ] && [ -L "$prefix/$libdir/libparallax.so" ] ||
        fail "libparallax.so and libparallax.so.$major must be symlinks"
    soname=$(readelf -d "$prefix/$libdir/libparallax.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    [ "$soname" = "libparallax.so.$major" ] || fail "SONAME is '$soname', expected libparallax.so.$major"
    # The manifest's library_path must resolve from the manifest's folder.
    lib=$(sed -n 's/.*"library_path": *"\([^"]*\)".*/\1/p' "$prefix/share/openxr/1/parallax_simulator.json")
    [ -f "$prefix/share/openxr/1/$lib" ] || fail "the installed manifest's library_path '$lib' does not resolve"
    (cd "$prefix" && find . -type f -o -type l | sort)
    echo "SONAME $soname; manifest library_path $lib"
    ;;
find_package)
    rm -rf "$work/find_package"
    cmake -S "$here/app" -B "$work/find_package" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
        >"$work/find_package.configure.log" 2>&1 || { cat "$work/find_package.configure.log"; fail "configure"; }
    cmake --build "$work/find_package" >"$work/find_package.build.log" 2>&1 ||
        { cat "$work/find_package.build.log"; fail "build"; }
    run_on_installed_headset "$work/find_package/consumer"
    ;;
pkg_config)
    rm -rf "$work/pkg_config" && mkdir -p "$work/pkg_config"
    pcdir=$(dirname "$(find "$prefix" -name parallax.pc | head -n 1)")
    PKG_CONFIG_PATH=$pcdir make -s -C "$work/pkg_config" -f "$here/app/Makefile" VPATH="$here/app" >"$work/pkg_config.log" 2>&1 ||
        { cat "$work/pkg_config.log"; fail "make"; }
    echo "pkg-config: $(PKG_CONFIG_PATH=$pcdir pkg-config --modversion parallax) $(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs parallax)"
    run_on_installed_headset "$work/pkg_config/consumer"
    ;;
subproject)
    source=$3 via=$4
    rm -rf "$work/$via"
    cmake -S "$here/subproject" -B "$work/$via" -DPLX_SOURCE="$source" -DPLX_VIA="$via" \
        >"$work/$via.configure.log" 2>&1 || { cat "$work/$via.configure.log"; fail "configure ($via)"; }
    echo "configured with $via"
    if [ "$via" = subdirectory ]; then
        cmake --build "$work/$via" --target consumer -j2 >"$work/$via.build.log" 2>&1 ||
            { cat "$work/$via.build.log"; fail "build ($via)"; }
        echo "built the consumer against Parallax::parallax from add_subdirectory"
    fi
    ;;
engine)
    source=$3
    rm -rf "$work/engine"
    cmake -S "$source/samples/engine" -B "$work/engine" -DCMAKE_PREFIX_PATH="$prefix" \
        >"$work/engine.configure.log" 2>&1 || { cat "$work/engine.configure.log"; fail "configure (engine sample)"; }
    cmake --build "$work/engine" -j2 >"$work/engine.build.log" 2>&1 ||
        { cat "$work/engine.build.log"; fail "build (engine sample)"; }
    "$work/engine/parallax-engine" --help >"$work/engine.help.log" 2>&1 ||
        { cat "$work/engine.help.log"; fail "parallax-engine --help"; }
    head -n 1 "$work/engine.help.log"
    echo "built samples/engine out of the tree against $prefix"
    ;;
*)
    fail "unknown step $step"
    ;;
esac
