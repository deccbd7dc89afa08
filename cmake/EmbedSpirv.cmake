# SPDX-License-Identifier: MIT
# cmake -DSPV=in.spv -DHDR=out.h -DSYM=name -P EmbedSpirv.cmake : SPIR-V binary -> C array of uint32_t words.
file(READ ${SPV} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR rem "${n} % 8")
if(NOT rem EQUAL 0)
  message(FATAL_ERROR "${SPV}: size is not a multiple of 4 bytes")
endif()
# Each word is 4 little-endian bytes: reverse byte order into a 0x######## literal.
string(REGEX REPLACE "([0-9a-f][0-9a-f])([0-9a-f][0-9a-f])([0-9a-f][0-9a-f])([0-9a-f][0-9a-f])" "0x\\4\\3\\2\\1u," words "${hex}")
string(REGEX REPLACE "((0x[0-9a-f]+u,){8})" "\\1\n  " words "${words}")
file(WRITE ${HDR} "/* Generated from ${SPV}; do not edit. */\n#pragma once\n#include <stdint.h>\nstatic const uint32_t ${SYM}[] = {\n  ${words}\n};\n")
