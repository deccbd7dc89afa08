# SPDX-License-Identifier: MIT
# parallax_add_shaders(<target> <glsl files...>)
# Compiles each GLSL file with glslc into SPIR-V at build time and embeds the words in a generated header
# <build>/shaders/<name>_<stage>.spv.h declaring `static const uint32_t <name>_<stage>_spv[]`.
# <target> becomes an INTERFACE library that carries the include directory and the build dependency.
set(PARALLAX_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedSpirv.cmake)
function(parallax_add_shaders target)
  set(headers)
  set(outdir ${PROJECT_BINARY_DIR}/shaders)
  foreach(src ${ARGN})
    get_filename_component(abs ${src} ABSOLUTE)
    get_filename_component(fname ${src} NAME)
    string(REPLACE "." "_" sym ${fname})
    set(spv ${outdir}/${fname}.spv)
    set(hdr ${outdir}/${fname}.spv.h)
    add_custom_command(
      OUTPUT ${hdr}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
      COMMAND ${GLSLC} --target-env=vulkan1.1 -O -Werror -o ${spv} ${abs}
      COMMAND ${CMAKE_COMMAND} -DSPV=${spv} -DHDR=${hdr} -DSYM=${sym}_spv -P ${PARALLAX_EMBED_SCRIPT}
      DEPENDS ${abs} ${PARALLAX_EMBED_SCRIPT}
      COMMENT "glslc ${fname}"
      VERBATIM)
    list(APPEND headers ${hdr})
  endforeach()
  add_custom_target(${target}_spv DEPENDS ${headers})
  add_library(${target} INTERFACE)
  target_include_directories(${target} INTERFACE ${outdir})
  add_dependencies(${target} ${target}_spv)
endfunction()
