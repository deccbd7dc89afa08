/* SPDX-License-Identifier: MIT */
/* A minimal OpenXR loader for the tests of OpenXR 1.1 apps. Debian 12's loader (1.0.20) refuses any
 * application that asks for OpenXR 1.1 before the runtime is even reached ("xrCreateInstance called with
 * invalid API version 1.1. Max supported version is 1.0", XR_ERROR_API_VERSION_UNSUPPORTED, its
 * loader_core.cpp), so an app built against the 1.1 headers brings a newer loader with it, as apps on other
 * platforms do. This one does what the Khronos loader does on the way to the runtime, and nothing more: reads
 * the manifest named by XR_RUNTIME_JSON, opens its library, negotiates the loader-runtime interface
 * (openxr_loader_negotiation.h) for API versions 1.0 to 1.x, and hands out the runtime's
 * xrGetInstanceProcAddr. With XR11_API_LAYER=<manifest path> it also puts that API layer (e.g. the core
 * validation layer) between the app and the runtime through the layer negotiation interface. */
#pragma once

#include <openxr/openxr.h>

/** Loads the runtime (and the optional layer); on failure prints one line naming what failed and returns
 * NULL. The result is the function every other OpenXR function is looked up with. */
PFN_xrGetInstanceProcAddr xr11_load(void);

/** The runtime's negotiated OpenXR API version (XrNegotiateRuntimeRequest::runtimeApiVersion), after
 * xr11_load. */
XrVersion xr11_runtime_api_version(void);
