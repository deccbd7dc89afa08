# SPDX-License-Identifier: MIT
# `cmake --build build --target docs`: the API reference of runtime/include/parallax/ in build/docs/html, built
# with Doxygen (Debian package doxygen). Fails on any warning, so an undocumented public declaration, parameter
# or result breaks the build (scripts/test.sh builds this target; tests/docs shows it fails).
find_program(PARALLAX_DOXYGEN doxygen)
set(PARALLAX_DOCS_DIR ${PROJECT_BINARY_DIR}/docs)
configure_file(${PROJECT_SOURCE_DIR}/docs/Doxyfile.in ${PROJECT_BINARY_DIR}/Doxyfile @ONLY)
if(PARALLAX_DOXYGEN)
  file(GLOB plx_doc_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/runtime/include/parallax/*.h)
  add_custom_target(docs
    COMMAND sh ${PROJECT_SOURCE_DIR}/cmake/run-doxygen.sh ${PARALLAX_DOXYGEN} ${PROJECT_BINARY_DIR}/Doxyfile
            ${PARALLAX_DOCS_DIR}
    DEPENDS ${plx_doc_headers} ${PROJECT_BINARY_DIR}/include/parallax/parallax_version.h
    COMMENT "Doxygen: API reference of runtime/include/parallax"
    VERBATIM)
else()
  add_custom_target(docs
    COMMAND ${CMAKE_COMMAND} -E echo "docs: doxygen not found; install the Debian package doxygen (scripts/install-deps.sh)"
    COMMAND ${CMAKE_COMMAND} -E false
    VERBATIM)
endif()
