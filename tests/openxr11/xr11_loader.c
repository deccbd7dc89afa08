/* SPDX-License-Identifier: MIT */
/* The minimal loader of xr11_loader.h: manifest -> dlopen -> negotiate -> xrGetInstanceProcAddr. */
#include "xr11_loader.h"

#include <dlfcn.h>
#include <json-c/json.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openxr/openxr_loader_negotiation.h>

static XrVersion g_runtime_api;
static PFN_xrGetInstanceProcAddr g_runtime_gipa;
static PFN_xrGetInstanceProcAddr g_layer_gipa;
static PFN_xrCreateApiLayerInstance g_layer_create;
static char g_layer_name[XR_MAX_API_LAYER_NAME_SIZE];

XrVersion xr11_runtime_api_version(void)
{
    return g_runtime_api;
}

/* The library a manifest names, opened; its path is relative to the manifest's folder unless absolute. */
static void *open_manifest_library(const char *manifest, const char *section, char *out_name, size_t name_cap)
{
    json_object *root = json_object_from_file(manifest);
    json_object *sec = NULL, *lib = NULL, *name = NULL;
    if (!root || !json_object_object_get_ex(root, section, &sec) ||
        !json_object_object_get_ex(sec, "library_path", &lib)) {
        fprintf(stderr, "xr11_loader: %s: not an OpenXR %s manifest (no %s.library_path)\n", manifest,
                section, section);
        json_object_put(root);
        return NULL;
    }
    if (out_name && json_object_object_get_ex(sec, "name", &name))
        snprintf(out_name, name_cap, "%s", json_object_get_string(name));
    const char *rel = json_object_get_string(lib);
    char path[4096];
    if (rel[0] == '/') {
        snprintf(path, sizeof(path), "%s", rel);
    } else {
        char dir_buf[4096];
        snprintf(dir_buf, sizeof(dir_buf), "%s", manifest);
        snprintf(path, sizeof(path), "%s/%s", dirname(dir_buf), rel);
    }
    json_object_put(root);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) fprintf(stderr, "xr11_loader: dlopen(%s) failed: %s\n", path, dlerror());
    return h;
}

static XrNegotiateLoaderInfo loader_info(void)
{
    return (XrNegotiateLoaderInfo){.structType = XR_LOADER_INTERFACE_STRUCT_LOADER_INFO,
                                   .structVersion = XR_LOADER_INFO_STRUCT_VERSION,
                                   .structSize = sizeof(XrNegotiateLoaderInfo),
                                   .minInterfaceVersion = 1,
                                   .maxInterfaceVersion = XR_CURRENT_LOADER_RUNTIME_VERSION,
                                   .minApiVersion = XR_MAKE_VERSION(1, 0, 0),
                                   .maxApiVersion = XR_MAKE_VERSION(1, 0x3ff, 0xfff)};
}

/* The end of the layer chain: the runtime's own xrCreateInstance (the layer info is the loader's business).
 */
static XRAPI_ATTR XrResult XRAPI_CALL terminator_create(const XrInstanceCreateInfo *info,
                                                        const XrApiLayerCreateInfo *layer_info,
                                                        XrInstance *instance)
{
    (void)layer_info;
    PFN_xrCreateInstance create = NULL;
    XrResult r = g_runtime_gipa(XR_NULL_HANDLE, "xrCreateInstance", (PFN_xrVoidFunction *)&create);
    if (XR_FAILED(r)) return r;
    return create(info, instance);
}

/* xrCreateInstance through the layer: the layer gets the chain (runtime next) and calls down itself. */
static XRAPI_ATTR XrResult XRAPI_CALL layered_create(const XrInstanceCreateInfo *info, XrInstance *instance)
{
    XrApiLayerNextInfo next = {.structType = XR_LOADER_INTERFACE_STRUCT_API_LAYER_NEXT_INFO,
                               .structVersion = XR_API_LAYER_NEXT_INFO_STRUCT_VERSION,
                               .structSize = sizeof(XrApiLayerNextInfo),
                               .nextGetInstanceProcAddr = g_runtime_gipa,
                               .nextCreateApiLayerInstance = terminator_create};
    snprintf(next.layerName, sizeof(next.layerName), "%s", g_layer_name);
    XrApiLayerCreateInfo li = {.structType = XR_LOADER_INTERFACE_STRUCT_API_LAYER_CREATE_INFO,
                               .structVersion = XR_API_LAYER_CREATE_INFO_STRUCT_VERSION,
                               .structSize = sizeof(XrApiLayerCreateInfo),
                               .loaderInstance = NULL,
                               .nextInfo = &next};
    return g_layer_create(info, &li, instance);
}

static XRAPI_ATTR XrResult XRAPI_CALL layered_gipa(XrInstance instance, const char *name,
                                                   PFN_xrVoidFunction *function)
{
    if (name && strcmp(name, "xrCreateInstance") == 0) {
        *function = (PFN_xrVoidFunction)layered_create;
        return XR_SUCCESS;
    }
    return g_layer_gipa(instance, name, function);
}

static bool load_layer(const char *manifest)
{
    void *h = open_manifest_library(manifest, "api_layer", g_layer_name, sizeof(g_layer_name));
    if (!h) return false;
    PFN_xrNegotiateLoaderApiLayerInterface negotiate =
        (PFN_xrNegotiateLoaderApiLayerInterface)dlsym(h, "xrNegotiateLoaderApiLayerInterface");
    if (!negotiate) {
        fprintf(stderr, "xr11_loader: %s exports no xrNegotiateLoaderApiLayerInterface\n", manifest);
        return false;
    }
    XrNegotiateLoaderInfo info = loader_info();
    info.maxInterfaceVersion = XR_CURRENT_LOADER_API_LAYER_VERSION;
    XrNegotiateApiLayerRequest req = {.structType = XR_LOADER_INTERFACE_STRUCT_API_LAYER_REQUEST,
                                      .structVersion = XR_API_LAYER_INFO_STRUCT_VERSION,
                                      .structSize = sizeof(XrNegotiateApiLayerRequest)};
    XrResult r = negotiate(&info, g_layer_name, &req);
    if (XR_FAILED(r) || !req.getInstanceProcAddr || !req.createApiLayerInstance) {
        fprintf(stderr, "xr11_loader: layer %s: xrNegotiateLoaderApiLayerInterface failed (%d)\n",
                g_layer_name, (int)r);
        return false;
    }
    g_layer_gipa = req.getInstanceProcAddr;
    g_layer_create = req.createApiLayerInstance;
    return true;
}

PFN_xrGetInstanceProcAddr xr11_load(void)
{
    const char *manifest = getenv("XR_RUNTIME_JSON");
    if (!manifest || !manifest[0]) {
        fprintf(stderr, "xr11_loader: XR_RUNTIME_JSON is not set (the runtime's manifest, e.g. "
                        "build/lib/parallax_simulator.json)\n");
        return NULL;
    }
    void *h = open_manifest_library(manifest, "runtime", NULL, 0);
    if (!h) return NULL;
    PFN_xrNegotiateLoaderRuntimeInterface negotiate =
        (PFN_xrNegotiateLoaderRuntimeInterface)dlsym(h, "xrNegotiateLoaderRuntimeInterface");
    if (!negotiate) {
        fprintf(stderr, "xr11_loader: %s exports no xrNegotiateLoaderRuntimeInterface\n", manifest);
        return NULL;
    }
    XrNegotiateLoaderInfo info = loader_info();
    XrNegotiateRuntimeRequest req = {.structType = XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST,
                                     .structVersion = XR_RUNTIME_INFO_STRUCT_VERSION,
                                     .structSize = sizeof(XrNegotiateRuntimeRequest)};
    XrResult r = negotiate(&info, &req);
    if (XR_FAILED(r) || !req.getInstanceProcAddr || XR_VERSION_MAJOR(req.runtimeApiVersion) != 1) {
        fprintf(stderr, "xr11_loader: xrNegotiateLoaderRuntimeInterface failed (%d, API %u.%u)\n", (int)r,
                XR_VERSION_MAJOR(req.runtimeApiVersion), XR_VERSION_MINOR(req.runtimeApiVersion));
        return NULL;
    }
    g_runtime_api = req.runtimeApiVersion;
    g_runtime_gipa = req.getInstanceProcAddr;
    const char *layer = getenv("XR11_API_LAYER");
    if (layer && layer[0]) {
        if (!load_layer(layer)) return NULL;
        return layered_gipa;
    }
    return g_runtime_gipa;
}
