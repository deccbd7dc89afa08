/* SPDX-License-Identifier: MIT */
/* Creates and destroys a Vulkan instance (enumerating its devices, so the driver is loaded) and an OpenXR
 * instance through the system loaders and checks, after each, that the library it used is still mapped: the
 * sanitizer build's keep-loaded object (cmake/sanitize_keep.c) must have pinned the driver and the runtime
 * that VK_DRIVER_FILES and XR_RUNTIME_JSON select. Exit 0 when both are, 1 otherwise. */
#include <stdio.h>
#include <string.h>
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>

static int vulkan_cycle(void)
{
    VkInstance instance = VK_NULL_HANDLE;
    VkInstanceCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
        .pApplicationInfo = &(VkApplicationInfo){.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
                                                 .apiVersion = VK_API_VERSION_1_1},
    };
    VkResult r = vkCreateInstance(&info, NULL, &instance);
    if (r != VK_SUCCESS) {
        fprintf(stderr, "FAIL: vkCreateInstance: VkResult %d\n", (int)r);
        return 1;
    }
    uint32_t count = 0;
    r = vkEnumeratePhysicalDevices(instance, &count, NULL);
    vkDestroyInstance(instance, NULL);
    if (r != VK_SUCCESS || count == 0) {
        fprintf(stderr, "FAIL: vkEnumeratePhysicalDevices: VkResult %d, %u devices\n", (int)r, count);
        return 1;
    }
    return 0;
}

static int openxr_cycle(void)
{
    XrInstanceCreateInfo info = {.type = XR_TYPE_INSTANCE_CREATE_INFO};
    snprintf(info.applicationInfo.applicationName, sizeof info.applicationInfo.applicationName,
             "keep_loaded");
    info.applicationInfo.apiVersion = XR_MAKE_VERSION(1, 0, 0);
    XrInstance instance = XR_NULL_HANDLE;
    XrResult r = xrCreateInstance(&info, &instance);
    if (XR_FAILED(r)) {
        fprintf(stderr, "FAIL: xrCreateInstance: XrResult %d\n", (int)r);
        return 1;
    }
    xrDestroyInstance(instance);
    return 0;
}

/* Whether a mapping of a file whose name ends in `name` is in /proc/self/maps. */
static int mapped(const char *name)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) return 0;
    char line[4096];
    int found = 0;
    size_t n = strlen(name);
    while (!found && fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "\n");
        line[len] = 0;
        found = len >= n && strcmp(line + len - n, name) == 0 && (len == n || line[len - n - 1] == '/');
    }
    fclose(f);
    return found;
}

static int check(const char *name, const char *after)
{
    int ok = mapped(name);
    printf("%s: %s after %s\n", name, ok ? "still loaded" : "UNLOADED", after);
    if (!ok)
        fprintf(stderr,
                "FAIL: the sanitizer build must keep %s loaded (cmake/sanitize_keep.c, linked into every "
                "target by link_libraries)\n",
                name);
    return !ok;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s VULKAN_DRIVER_FILE_NAME OPENXR_RUNTIME_FILE_NAME\n", argv[0]);
        return 2;
    }
    /* Each library is checked right after its own instance is gone, before anything else could load it
     * again (the simulated headset's own copy of the keep object would pin lavapipe once it is loaded). */
    if (vulkan_cycle() || check(argv[1], "vkDestroyInstance")) return 1;
    if (openxr_cycle() || check(argv[2], "xrDestroyInstance")) return 1;
    return 0;
}
