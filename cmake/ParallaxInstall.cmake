# SPDX-License-Identifier: MIT
# Install rules (PARALLAX_INSTALL) and the Debian package (cpack -G DEB). The layout integrators rely on
# (docs/packaging.md; /work/shared/DESIGN.md "Install layout"):
#   include/parallax/*.h                          the public headers, parallax_version.h included
#   <libdir>/libparallax.so.0.<minor>.<patch>     SONAME libparallax.so.0, with the .so.0 and .so links
#   <libdir>/cmake/Parallax/                      find_package(Parallax 0.2 CONFIG) -> Parallax::parallax
#   <libdir>/pkgconfig/parallax.pc                pkg-config parallax
#   <libdir>/parallax/libparallax_simulator.so    the simulated headset (a runtime the loader dlopens)
#   share/openxr/1/parallax_simulator.json        its manifest, library_path relative to the manifest
#   bin/parallax-<sample>                         the samples (PARALLAX_INSTALL_SAMPLES)
#   share/doc/parallax/                           LICENSE, CHANGELOG.md, README.md
include(CMakePackageConfigHelpers)

set(PARALLAX_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Parallax)
set(PARALLAX_INSTALL_SIMDIR ${CMAKE_INSTALL_LIBDIR}/parallax)
set(PARALLAX_INSTALL_MANIFESTDIR ${CMAKE_INSTALL_DATADIR}/openxr/1)

# Installed executables find libparallax through $ORIGIN/../<libdir> unless that is a folder the dynamic
# linker searches anyway (/usr/lib/<triplet> for the Debian package, which must carry no RPATH).
list(FIND CMAKE_C_IMPLICIT_LINK_DIRECTORIES "${CMAKE_INSTALL_FULL_LIBDIR}" plx_libdir_is_system)
if(plx_libdir_is_system EQUAL -1)
  file(RELATIVE_PATH plx_bin_to_lib ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
  set(PARALLAX_INSTALL_RPATH "$ORIGIN/${plx_bin_to_lib}")
else()
  set(PARALLAX_INSTALL_RPATH "")
endif()

# ---------------------------------------------------------------- libparallax and its headers
install(TARGETS parallax EXPORT ParallaxTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
file(GLOB plx_public_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/runtime/include/parallax/*.h)
install(FILES ${plx_public_headers} ${PROJECT_BINARY_DIR}/include/parallax/parallax_version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/parallax)

# ---------------------------------------------------------------- CMake package
install(EXPORT ParallaxTargets NAMESPACE Parallax:: FILE ParallaxTargets.cmake
        DESTINATION ${PARALLAX_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/ParallaxConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/ParallaxConfig.cmake
                              INSTALL_DESTINATION ${PARALLAX_INSTALL_CMAKEDIR}
                              PATH_VARS PARALLAX_INSTALL_MANIFESTDIR)
# SameMajorVersion: any 0.y.z with y.z at or above the requested version satisfies find_package(Parallax 0.2),
# which is exactly what the SONAME promises (minor releases only add; README "ABI policy").
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ParallaxConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ParallaxConfig.cmake ${PROJECT_BINARY_DIR}/ParallaxConfigVersion.cmake
        DESTINATION ${PARALLAX_INSTALL_CMAKEDIR})

# ---------------------------------------------------------------- pkg-config
# Written at install time, so the prefix is the one installed into (cmake --install --prefix P, or /usr for
# the Debian package), not the one configured.
foreach(dir LIBDIR INCLUDEDIR DATADIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(PARALLAX_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(PARALLAX_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
set(PARALLAX_PC_PREFIX "@PARALLAX_PC_PREFIX@") # filled in at install time
configure_file(${PROJECT_SOURCE_DIR}/cmake/parallax.pc.in ${PROJECT_BINARY_DIR}/parallax.pc.in @ONLY)
install(CODE "set(PARALLAX_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
configure_file(\"${PROJECT_BINARY_DIR}/parallax.pc.in\" \"${PROJECT_BINARY_DIR}/parallax.pc\" @ONLY)")
install(FILES ${PROJECT_BINARY_DIR}/parallax.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# ---------------------------------------------------------------- the simulated headset
install(TARGETS parallax_simulator LIBRARY DESTINATION ${PARALLAX_INSTALL_SIMDIR})
# library_path relative to the manifest (the OpenXR loader resolves it from the manifest's folder), so the
# installed tree can be moved or installed under any prefix.
file(RELATIVE_PATH plx_manifest_to_sim ${CMAKE_INSTALL_FULL_DATADIR}/openxr/1 ${CMAKE_INSTALL_FULL_LIBDIR}/parallax)
set(plx_installed_manifest ${PROJECT_BINARY_DIR}/install/parallax_simulator.json)
file(GENERATE OUTPUT ${plx_installed_manifest} CONTENT
"{
    \"file_format_version\": \"1.0.0\",
    \"runtime\": {
        \"name\": \"Parallax simulated headset\",
        \"library_path\": \"${plx_manifest_to_sim}/$<TARGET_FILE_NAME:parallax_simulator>\"
    }
}
")
install(FILES ${plx_installed_manifest} DESTINATION ${PARALLAX_INSTALL_MANIFESTDIR})

# ---------------------------------------------------------------- samples
if(PARALLAX_BUILD_SAMPLES AND PARALLAX_INSTALL_SAMPLES)
  get_property(plx_samples GLOBAL PROPERTY PARALLAX_SAMPLE_TARGETS)
  set_target_properties(${plx_samples} PROPERTIES INSTALL_RPATH "${PARALLAX_INSTALL_RPATH}")
  install(TARGETS ${plx_samples} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# ---------------------------------------------------------------- documents
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/CHANGELOG.md ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# ---------------------------------------------------------------- Debian package: cpack -G DEB
include(${PROJECT_SOURCE_DIR}/cmake/ParallaxPackage.cmake)
