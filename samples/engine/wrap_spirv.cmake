# SPDX-License-Identifier: MIT
# cmake -DIN=<glslc -mfmt=c output> -DOUT=<header> -DSYM=<name> -P wrap_spirv.cmake
# glslc's C format is the initializer list of the SPIR-V words; this names it as a static array.
file(READ ${IN} words)
file(WRITE ${OUT} "/* Generated from ${IN}; do not edit. */\n#pragma once\n#include <stdint.h>\n"
                  "static const uint32_t ${SYM}[] = ${words};\n")
