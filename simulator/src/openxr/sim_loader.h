/* Loader <-> runtime negotiation interface of the OpenXR loader (the "OpenXR Loader - Design and Operation"
 * specification, section "Runtime interface negotiation"). Debian's OpenXR 1.0.20 packages ship no
 * loader_interfaces.h / openxr_loader_negotiation.h, so the structures are written here from that
 * specification. Layout and values must match the loader exactly: the loader passes these structs by
 * pointer across the shared-library boundary.
 * Layer: openxr (the upper part): types only, read by dispatch.c. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <openxr/openxr.h>

/* Interface version between the loader and runtimes (not the OpenXR API version). */
#define XR_CURRENT_LOADER_RUNTIME_VERSION   1
#define XR_CURRENT_LOADER_API_LAYER_VERSION 1

/* structVersion values of the negotiation structs. */
#define XR_LOADER_INFO_STRUCT_VERSION           1
#define XR_RUNTIME_INFO_STRUCT_VERSION          1
#define XR_API_LAYER_INFO_STRUCT_VERSION        1
#define XR_API_LAYER_NEXT_INFO_STRUCT_VERSION   1
#define XR_API_LAYER_CREATE_INFO_STRUCT_VERSION 1
#define XR_API_LAYER_MAX_SETTINGS_PATH_SIZE     512

/* structType tags of the negotiation structs (the loader's own enum, separate from XrStructureType). The
 * misspelled first name is the one the specification uses. */
typedef enum XrLoaderInterfaceStructs {
    XR_LOADER_INTERFACE_STRUCT_UNINTIALIZED = 0,
    XR_LOADER_INTERFACE_STRUCT_LOADER_INFO = 1,
    XR_LOADER_INTERFACE_STRUCT_API_LAYER_REQUEST = 2,
    XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST = 3,
    XR_LOADER_INTERFACE_STRUCT_API_LAYER_CREATE_INFO = 4,
    XR_LOADER_INTERFACE_STRUCT_API_LAYER_NEXT_INFO = 5,
    XR_LOADER_INTERFACE_STRUCT_MAX_ENUM = 0x7FFFFFFF
} XrLoaderInterfaceStructs;

/* What the loader supports: filled by the loader, read by the runtime. */
typedef struct XrNegotiateLoaderInfo {
    XrLoaderInterfaceStructs structType; /* XR_LOADER_INTERFACE_STRUCT_LOADER_INFO */
    uint32_t structVersion;              /* XR_LOADER_INFO_STRUCT_VERSION */
    size_t structSize;                   /* sizeof(XrNegotiateLoaderInfo) */
    uint32_t minInterfaceVersion;
    uint32_t maxInterfaceVersion;
    XrVersion minApiVersion;
    XrVersion maxApiVersion;
} XrNegotiateLoaderInfo;

/* What the runtime chose: header filled by the loader, the rest by the runtime. */
typedef struct XrNegotiateRuntimeRequest {
    XrLoaderInterfaceStructs structType;           /* XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST */
    uint32_t structVersion;                        /* XR_RUNTIME_INFO_STRUCT_VERSION */
    size_t structSize;                             /* sizeof(XrNegotiateRuntimeRequest) */
    uint32_t runtimeInterfaceVersion;              /* out: XR_CURRENT_LOADER_RUNTIME_VERSION */
    XrVersion runtimeApiVersion;                   /* out: the OpenXR API version the runtime implements */
    PFN_xrGetInstanceProcAddr getInstanceProcAddr; /* out */
} XrNegotiateRuntimeRequest;

/* The one symbol a runtime library exports; the loader finds it with dlsym. */
typedef XrResult(XRAPI_PTR *PFN_xrNegotiateLoaderRuntimeInterface)(const XrNegotiateLoaderInfo *loaderInfo,
                                                                   XrNegotiateRuntimeRequest *runtimeRequest);
