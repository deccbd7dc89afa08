/* SPDX-License-Identifier: MIT */
/* The function pointers of xr11_dispatch.h, resolved through xr11_loader.c. */
#include "xr11_dispatch.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xr11_loader.h"

#define CORE_VALIDATION "XR_APILAYER_LUNARG_core_validation"

static XRAPI_ATTR XrResult XRAPI_CALL boot_create_instance(const XrInstanceCreateInfo *, XrInstance *);
static XRAPI_ATTR XrResult XRAPI_CALL boot_enumerate_extensions(const char *, uint32_t, uint32_t *,
                                                                XrExtensionProperties *);
static XRAPI_ATTR XrResult XRAPI_CALL boot_gipa(XrInstance, const char *, PFN_xrVoidFunction *);

#define XR11_DISPATCH_DEFINE(name) PFN_##name name;
XR11_DISPATCH_FUNCTIONS(XR11_DISPATCH_DEFINE)
#undef XR11_DISPATCH_DEFINE
PFN_xrCreateInstance xrCreateInstance = boot_create_instance;
PFN_xrEnumerateInstanceExtensionProperties xrEnumerateInstanceExtensionProperties = boot_enumerate_extensions;
PFN_xrGetInstanceProcAddr xrGetInstanceProcAddr = boot_gipa;

static PFN_xrGetInstanceProcAddr g_gipa;

/* The core validation layer's manifest in dir (a file whose text names the layer), written into out. */
static bool find_layer_in(const char *dir, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d) return false;
    bool found = false;
    for (struct dirent *e; !found && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0) continue;
        char path[1024], text[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t len = fread(text, 1, sizeof(text) - 1, f);
        fclose(f);
        text[len] = '\0';
        if (strstr(text, "\"" CORE_VALIDATION "\"")) {
            snprintf(out, cap, "%s", path);
            found = true;
        }
    }
    closedir(d);
    return found;
}

/* Loads the runtime once; with the core validation layer when the first instance asks for it. */
static bool load(const XrInstanceCreateInfo *info)
{
    if (g_gipa) return true;
    bool want_layer = false;
    for (uint32_t i = 0; info && i < info->enabledApiLayerCount; i++)
        want_layer |= strcmp(info->enabledApiLayerNames[i], CORE_VALIDATION) == 0;
    const char *set = getenv("XR11_API_LAYER");
    if (want_layer && !(set && set[0])) {
        char manifest[1024] = "";
        const char *env = getenv("XR_API_LAYER_PATH");
        char dirs[2048];
        snprintf(dirs, sizeof(dirs),
                 "%s:/usr/share/openxr/1/api_layers/explicit.d:"
                 "/usr/local/share/openxr/1/api_layers/explicit.d",
                 env ? env : "");
        for (char *save = NULL, *dir = strtok_r(dirs, ":", &save); dir && !manifest[0];
             dir = strtok_r(NULL, ":", &save))
            find_layer_in(dir, manifest, sizeof(manifest));
        if (!manifest[0]) {
            fprintf(stderr, "xr11_dispatch: the application asks for %s, which is not installed\n",
                    CORE_VALIDATION);
            return false;
        }
        setenv("XR11_API_LAYER", manifest, 1);
    }
    g_gipa = xr11_load();
    return g_gipa != NULL;
}

static XRAPI_ATTR XrResult XRAPI_CALL boot_gipa(XrInstance instance, const char *name,
                                                PFN_xrVoidFunction *function)
{
    if (!load(NULL)) return XR_ERROR_RUNTIME_UNAVAILABLE;
    return g_gipa(instance, name, function);
}

static XRAPI_ATTR XrResult XRAPI_CALL boot_enumerate_extensions(const char *layer, uint32_t capacity,
                                                                uint32_t *count, XrExtensionProperties *props)
{
    PFN_xrEnumerateInstanceExtensionProperties fn = NULL;
    if (!load(NULL) || XR_FAILED(g_gipa(XR_NULL_HANDLE, "xrEnumerateInstanceExtensionProperties",
                                        (PFN_xrVoidFunction *)&fn)))
        return XR_ERROR_RUNTIME_UNAVAILABLE;
    return fn(layer, capacity, count, props);
}

static XRAPI_ATTR XrResult XRAPI_CALL boot_create_instance(const XrInstanceCreateInfo *info,
                                                           XrInstance *instance)
{
    PFN_xrCreateInstance create = NULL;
    if (!load(info) || XR_FAILED(g_gipa(XR_NULL_HANDLE, "xrCreateInstance", (PFN_xrVoidFunction *)&create)))
        return XR_ERROR_RUNTIME_UNAVAILABLE;
    XrResult r = create(info, instance);
    if (XR_FAILED(r)) return r;
        /* Everything else, through whatever the loader put first (the layer, or the runtime). */
#define XR11_DISPATCH_RESOLVE(name)                                                  \
    if (XR_FAILED(g_gipa(*instance, #name, (PFN_xrVoidFunction *)&name)) || !name) { \
        fprintf(stderr, "xr11_dispatch: xrGetInstanceProcAddr(%s) failed\n", #name); \
        return XR_ERROR_FUNCTION_UNSUPPORTED;                                        \
    }
    XR11_DISPATCH_FUNCTIONS(XR11_DISPATCH_RESOLVE)
#undef XR11_DISPATCH_RESOLVE
    return r;
}
