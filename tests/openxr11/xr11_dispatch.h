/* SPDX-License-Identifier: MIT */
/* The OpenXR functions an application calls by name, as pointers resolved through xr11_loader.c, so code
 * written against the loader's exported functions (the conformance harness, tests/conformance/conf.c) runs
 * as an OpenXR 1.1 application: Debian's loader (1.0.20) refuses 1.1 applications before the runtime is
 * reached. Compile with XR_NO_PROTOTYPES (openxr.h then declares only the PFN_ types) and PLX_CONF_XR11,
 * which makes conf.h include this header; link xr11_dispatch.c and xr11_loader.c instead of the system
 * loader.
 *
 * xrCreateInstance, xrEnumerateInstanceExtensionProperties and xrGetInstanceProcAddr work from the start (the
 * first call loads the runtime); every other function resolves when xrCreateInstance succeeds. An instance
 * that names XR_APILAYER_LUNARG_core_validation in enabledApiLayerNames gets that layer between it and the
 * runtime, as the real loader does (its manifest from XR_API_LAYER_PATH or the system's explicit.d). */
#pragma once

#ifndef XR_NO_PROTOTYPES
#error "xr11_dispatch.h: compile with XR_NO_PROTOTYPES (the functions below are pointers of these names)"
#endif
#include <openxr/openxr.h>

/* Every function conf.c, conf_layers.c and the tests built on them call directly. */
#define XR11_DISPATCH_FUNCTIONS(_)         \
    _(xrAcquireSwapchainImage)             \
    _(xrAttachSessionActionSets)           \
    _(xrBeginFrame)                        \
    _(xrBeginSession)                      \
    _(xrCreateAction)                      \
    _(xrCreateActionSet)                   \
    _(xrCreateReferenceSpace)              \
    _(xrCreateSession)                     \
    _(xrCreateSwapchain)                   \
    _(xrDestroyInstance)                   \
    _(xrDestroySession)                    \
    _(xrDestroySpace)                      \
    _(xrDestroySwapchain)                  \
    _(xrEndFrame)                          \
    _(xrEndSession)                        \
    _(xrEnumerateSwapchainFormats)         \
    _(xrEnumerateSwapchainImages)          \
    _(xrEnumerateViewConfigurationViews)   \
    _(xrGetActionStateBoolean)             \
    _(xrGetActionStateFloat)               \
    _(xrGetActionStateVector2f)            \
    _(xrGetCurrentInteractionProfile)      \
    _(xrGetInstanceProperties)             \
    _(xrGetSystem)                         \
    _(xrLocateViews)                       \
    _(xrPathToString)                      \
    _(xrPollEvent)                         \
    _(xrReleaseSwapchainImage)             \
    _(xrRequestExitSession)                \
    _(xrStringToPath)                      \
    _(xrSuggestInteractionProfileBindings) \
    _(xrSyncActions)                       \
    _(xrWaitFrame)                         \
    _(xrWaitSwapchainImage)

#define XR11_DISPATCH_DECLARE(name) extern PFN_##name name;
XR11_DISPATCH_FUNCTIONS(XR11_DISPATCH_DECLARE)
XR11_DISPATCH_DECLARE(xrCreateInstance)
XR11_DISPATCH_DECLARE(xrEnumerateInstanceExtensionProperties)
XR11_DISPATCH_DECLARE(xrGetInstanceProcAddr)
#undef XR11_DISPATCH_DECLARE
