# SPDX-License-Identifier: MIT
# The Debian package: one package, parallax_<version>_amd64.deb, with the library, the headers and CMake and
# pkg-config files, the simulated headset and its manifest, and the samples. scripts/package-deb.sh builds it
# from a tree configured with CMAKE_INSTALL_PREFIX=/usr (so GNUInstallDirs picks lib/<multiarch triplet>).
set(CPACK_PACKAGE_NAME parallax)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The Parallax authors")
set(PARALLAX_PACKAGE_CONTACT "The Parallax authors <maintainers@users.noreply.r-seed-1dad11d6.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT "${PARALLAX_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "VR headset rendering runtime for OpenXR and Vulkan")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # parallax_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Dependencies of the binaries come from dpkg-shlibdeps (libopenxr-loader1, libvulkan1, libsdl2, ...); what
# it cannot see: the headers include vulkan/vulkan.h, and the simulated headset needs a Vulkan driver (Mesa's
# lavapipe works without a GPU).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "mesa-vulkan-drivers, libvulkan-dev, pkg-config")
# The extended description (CPack puts the summary above it and indents it).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "libparallax drives an OpenXR session through the system OpenXR loader, renders
both eyes in one Vulkan multiview pass, re-samples the head pose right before
GPU submission (late latching), paces frames just in time and reports every
frame. The package also ships the Parallax simulated headset, an OpenXR 1.1
runtime (manifest /usr/share/openxr/1/parallax_simulator.json) that runs apps
with no headset and no GPU, and the samples as parallax-<sample>.")
# shlibs: packages built against libparallax.so.0 depend on parallax (>= this version).
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# ldconfig through dpkg's trigger instead of CPack's postinst/postrm calling it (Debian policy 8.1.1); CPack
# writes its own scripts only when none are given, so the given ones do nothing.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/cmake/debian/triggers
    ${PROJECT_SOURCE_DIR}/cmake/debian/postinst ${PROJECT_SOURCE_DIR}/cmake/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# /usr/share/doc/parallax/copyright (the MIT licence in Debian's machine-readable format) and changelog.gz, which
# Debian requires of every package: installed with the prefix /usr, i.e. by scripts/package-deb.sh.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  file(READ ${PROJECT_SOURCE_DIR}/LICENSE plx_license)
  string(REGEX REPLACE "\n$" "" plx_license "${plx_license}")
  string(REGEX REPLACE "\n\n" "\n.\n" plx_license "${plx_license}")
  string(REGEX REPLACE "\n" "\n " plx_license "${plx_license}")
  file(WRITE ${PROJECT_BINARY_DIR}/debian/copyright
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: parallax

Files: *
Copyright: 2026 The Parallax authors
License: Expat
 ${plx_license}
")
  # A native package's changelog.gz is a Debian changelog; the release notes themselves are CHANGELOG.md beside it.
  string(TIMESTAMP plx_deb_date "%a, %d %b %Y %H:%M:%S +0000" UTC) # SOURCE_DATE_EPOCH, when set
  file(WRITE ${PROJECT_BINARY_DIR}/debian/changelog
"parallax (${PROJECT_VERSION}) unstable; urgency=medium

  * Parallax ${PROJECT_VERSION}: see /usr/share/doc/parallax/CHANGELOG.md.

 -- ${PARALLAX_PACKAGE_CONTACT}  ${plx_deb_date}
")
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/debian/changelog.gz
                     COMMAND gzip -9nc ${PROJECT_BINARY_DIR}/debian/changelog > ${PROJECT_BINARY_DIR}/debian/changelog.gz
                     DEPENDS ${PROJECT_BINARY_DIR}/debian/changelog VERBATIM)
  add_custom_target(parallax_debian_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/debian/changelog.gz)
  install(FILES ${PROJECT_BINARY_DIR}/debian/copyright ${PROJECT_BINARY_DIR}/debian/changelog.gz
          DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()
include(CPack)
