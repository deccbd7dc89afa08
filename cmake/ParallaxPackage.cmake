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
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "VR headset rendering runtime for OpenXR and Vulkan
 libparallax drives an OpenXR session through the system OpenXR loader, renders
 both eyes in one Vulkan multiview pass, re-samples the head pose right before
 GPU submission (late latching), paces frames just in time and reports every
 frame. The package also ships the Parallax simulated headset, an OpenXR 1.0
 runtime (manifest /usr/share/openxr/1/parallax_simulator.json) that runs apps
 with no headset and no GPU, and the samples as parallax-<sample>.")
include(CPack)
