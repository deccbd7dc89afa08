/* SPDX-License-Identifier: MIT */
/* XR_KHR_vulkan_enable and XR_KHR_vulkan_enable2 for the simulated headset: graphics requirements, the
 * Vulkan instance/device the runtime asks the app to create (or creates on its behalf), the physical device
 * choice, and the graphics binding check at xrCreateSession. The simulated compositor only copies swapchain
 * images to host memory, so it needs no more than Vulkan 1.0 core; multiview is enabled on devices created
 * through xrCreateVulkanDeviceKHR because every stereo app wants it and it costs nothing to enable.
 * Layer: openxr (the upper part), above instance.c; calls handles.c and base/ (it reads the instance's
 * fields, and fills the session's sim_vk table that the swapchains and the compositor use). */
#include "openxr/sim_entry_points.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Vulkan versions the compositor path was written against and tested with (lavapipe reports 1.3). */
#define SIM_VK_MIN_VERSION XR_MAKE_VERSION(1, 0, 0)
#define SIM_VK_MAX_VERSION XR_MAKE_VERSION(1, 3, 0)

#define SIM_MAX_EXTS 128

/* Common checks of the vulkan_enable(2) entry points: live instance, extension enabled, known system. */
static XrResult check_instance(XrInstance instance, XrSystemId system_id, bool check_system, bool enable2,
                               const char *fn, sim_instance **out)
{
    if (!sim_handle_valid((const void *)instance, SIM_HANDLE_INSTANCE))
        return sim_handle_reject(fn, "instance", (const void *)instance, "XrInstance");
    sim_instance *inst = (sim_instance *)instance;
    bool enabled = enable2 ? inst->ext_vulkan_enable2 : inst->ext_vulkan_enable;
    if (!enabled) {
        sim_log(SIM_LOG_ERROR, "%s: %s is not enabled on this instance: XR_ERROR_FUNCTION_UNSUPPORTED", fn,
                enable2 ? XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME : XR_KHR_VULKAN_ENABLE_EXTENSION_NAME);
        return XR_ERROR_FUNCTION_UNSUPPORTED;
    }
    if (check_system && system_id != SIM_SYSTEM_ID) {
        sim_log(SIM_LOG_ERROR, "%s: systemId %llu is not the simulated headset's: XR_ERROR_SYSTEM_INVALID",
                fn, (unsigned long long)system_id);
        return XR_ERROR_SYSTEM_INVALID;
    }
    *out = inst;
    return XR_SUCCESS;
}

static XrResult fill_requirements(XrInstance instance, XrSystemId system_id,
                                  XrGraphicsRequirementsVulkanKHR *req, bool enable2, const char *fn)
{
    sim_instance *inst = NULL;
    XrResult r = check_instance(instance, system_id, true, enable2, fn, &inst);
    if (r != XR_SUCCESS) return r;
    /* XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR has the same value as the enable(1) type. */
    if (!req || req->type != XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN_KHR) {
        sim_log(SIM_LOG_ERROR,
                "%s: graphicsRequirements is NULL or has the wrong type: XR_ERROR_VALIDATION_FAILURE", fn);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    req->minApiVersionSupported = SIM_VK_MIN_VERSION;
    req->maxApiVersionSupported = SIM_VK_MAX_VERSION;
    pthread_mutex_lock(&inst->lock);
    inst->graphics_requirements_queried = true;
    pthread_mutex_unlock(&inst->lock);
    return XR_SUCCESS;
}

SIM_FN(xrGetVulkanGraphicsRequirementsKHR)
(XrInstance instance, XrSystemId systemId, XrGraphicsRequirementsVulkanKHR *graphicsRequirements)
{
    return fill_requirements(instance, systemId, graphicsRequirements, false,
                             "xrGetVulkanGraphicsRequirementsKHR");
}

SIM_FN(xrGetVulkanGraphicsRequirements2KHR)
(XrInstance instance, XrSystemId systemId, XrGraphicsRequirementsVulkanKHR *graphicsRequirements)
{
    return fill_requirements(instance, systemId, graphicsRequirements, true,
                             "xrGetVulkanGraphicsRequirements2KHR");
}

/* ---------------------------------------------------------------- extension lists */

/* Instance extensions the runtime wants: physical-device-properties2 lets it query the multiview feature on
 * a Vulkan 1.0 instance. Only listed when the Vulkan loader offers it. */
static const char *const k_instance_exts[] = {VK_KHR_GET_PHYSICAL_DEVICE_PROPERTIES_2_EXTENSION_NAME};
/* Device extensions: multiview for a single-pass stereo app on a 1.0 device. */
static const char *const k_device_exts[] = {VK_KHR_MULTIVIEW_EXTENSION_NAME};

static bool instance_ext_available(PFN_vkGetInstanceProcAddr gipa, const char *name)
{
    PFN_vkEnumerateInstanceExtensionProperties enumerate = (PFN_vkEnumerateInstanceExtensionProperties)gipa(
        VK_NULL_HANDLE, "vkEnumerateInstanceExtensionProperties");
    if (!enumerate) return false;
    uint32_t n = 0;
    if (enumerate(NULL, &n, NULL) != VK_SUCCESS || n == 0) return false;
    VkExtensionProperties *props = calloc(n, sizeof(*props));
    if (!props) return false;
    bool found = false;
    if (enumerate(NULL, &n, props) == VK_SUCCESS)
        for (uint32_t i = 0; i < n && !found; i++) found = strcmp(props[i].extensionName, name) == 0;
    free(props);
    return found;
}

static bool device_ext_available(PFN_vkGetInstanceProcAddr gipa, VkInstance vki, VkPhysicalDevice pd,
                                 const char *name)
{
    PFN_vkEnumerateDeviceExtensionProperties enumerate =
        (PFN_vkEnumerateDeviceExtensionProperties)gipa(vki, "vkEnumerateDeviceExtensionProperties");
    if (!enumerate) return false;
    uint32_t n = 0;
    if (enumerate(pd, NULL, &n, NULL) != VK_SUCCESS || n == 0) return false;
    VkExtensionProperties *props = calloc(n, sizeof(*props));
    if (!props) return false;
    bool found = false;
    if (enumerate(pd, NULL, &n, props) == VK_SUCCESS)
        for (uint32_t i = 0; i < n && !found; i++) found = strcmp(props[i].extensionName, name) == 0;
    free(props);
    return found;
}

/* Two-call idiom for a space-separated, NUL-terminated list. */
static XrResult write_ext_string(const char *list, uint32_t capacity, uint32_t *out_count, char *buffer,
                                 const char *fn)
{
    uint32_t needed = (uint32_t)strlen(list) + 1;
    XrResult r = sim_two_call_in(fn, "bufferCapacityInput\0bufferCountOutput\0buffer", capacity, out_count,
                                 buffer, needed);
    if (r != XR_SUCCESS || capacity == 0) return r;
    memcpy(buffer, list, needed);
    return XR_SUCCESS;
}

static void join_exts(char *out, size_t cap, const char *const *names, size_t count, const bool *use)
{
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        if (!use[i]) continue;
        if (out[0]) strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, names[i], cap - strlen(out) - 1);
    }
}

SIM_FN(xrGetVulkanInstanceExtensionsKHR)
(XrInstance instance, XrSystemId systemId, uint32_t bufferCapacityInput, uint32_t *bufferCountOutput,
 char *buffer)
{
    sim_instance *inst = NULL;
    XrResult r = check_instance(instance, systemId, true, false, "xrGetVulkanInstanceExtensionsKHR", &inst);
    if (r != XR_SUCCESS) return r;
    bool use[sizeof(k_instance_exts) / sizeof(k_instance_exts[0])];
    for (size_t i = 0; i < sizeof(use); i++)
        use[i] = instance_ext_available(vkGetInstanceProcAddr, k_instance_exts[i]);
    char list[512];
    join_exts(list, sizeof(list), k_instance_exts, sizeof(use), use);
    return write_ext_string(list, bufferCapacityInput, bufferCountOutput, buffer,
                            "xrGetVulkanInstanceExtensionsKHR");
}

SIM_FN(xrGetVulkanDeviceExtensionsKHR)
(XrInstance instance, XrSystemId systemId, uint32_t bufferCapacityInput, uint32_t *bufferCountOutput,
 char *buffer)
{
    sim_instance *inst = NULL;
    XrResult r = check_instance(instance, systemId, true, false, "xrGetVulkanDeviceExtensionsKHR", &inst);
    if (r != XR_SUCCESS) return r;
    /* The device is not known yet in the XR_KHR_vulkan_enable order of calls (extensions are asked before the
     * instance exists), so multiview is only listed once a physical device was chosen and offers it. */
    bool use[sizeof(k_device_exts) / sizeof(k_device_exts[0])];
    pthread_mutex_lock(&inst->lock);
    VkInstance vki = inst->vk_instance;
    VkPhysicalDevice pd = inst->vk_physical_device;
    PFN_vkGetInstanceProcAddr gipa = inst->vk_gipa ? inst->vk_gipa : vkGetInstanceProcAddr;
    pthread_mutex_unlock(&inst->lock);
    for (size_t i = 0; i < sizeof(use); i++)
        use[i] = vki && pd && device_ext_available(gipa, vki, pd, k_device_exts[i]);
    char list[512];
    join_exts(list, sizeof(list), k_device_exts, sizeof(use), use);
    return write_ext_string(list, bufferCapacityInput, bufferCountOutput, buffer,
                            "xrGetVulkanDeviceExtensionsKHR");
}

/* ---------------------------------------------------------------- physical device */

static int device_type_rank(VkPhysicalDeviceType t)
{
    switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
        return 4;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
        return 3;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
        return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
        return 1;
    default:
        return 0;
    }
}

/* Picks the device the headset is "attached to": the most capable type that has a graphics queue. */
static XrResult pick_physical_device(sim_instance *inst, PFN_vkGetInstanceProcAddr gipa, VkInstance vki,
                                     const char *fn, VkPhysicalDevice *out)
{
    PFN_vkEnumeratePhysicalDevices enumerate =
        (PFN_vkEnumeratePhysicalDevices)gipa(vki, "vkEnumeratePhysicalDevices");
    PFN_vkGetPhysicalDeviceProperties get_props =
        (PFN_vkGetPhysicalDeviceProperties)gipa(vki, "vkGetPhysicalDeviceProperties");
    PFN_vkGetPhysicalDeviceQueueFamilyProperties get_queues =
        (PFN_vkGetPhysicalDeviceQueueFamilyProperties)gipa(vki, "vkGetPhysicalDeviceQueueFamilyProperties");
    if (!enumerate || !get_props || !get_queues) {
        sim_log(SIM_LOG_ERROR,
                "%s: vkGetInstanceProcAddr found no physical-device functions: XR_ERROR_RUNTIME_FAILURE", fn);
        return XR_ERROR_RUNTIME_FAILURE;
    }
    uint32_t n = 0;
    VkResult vr = enumerate(vki, &n, NULL);
    if (vr != VK_SUCCESS || n == 0) {
        sim_log(SIM_LOG_ERROR,
                "%s: vkEnumeratePhysicalDevices failed (%s, %u devices): XR_ERROR_RUNTIME_FAILURE", fn,
                sim_vk_result_string(vr), n);
        return XR_ERROR_RUNTIME_FAILURE;
    }
    VkPhysicalDevice *devs = calloc(n, sizeof(*devs));
    if (!devs) return XR_ERROR_OUT_OF_MEMORY;
    vr = enumerate(vki, &n, devs);
    if (vr != VK_SUCCESS && vr != VK_INCOMPLETE) {
        sim_log(SIM_LOG_ERROR, "%s: vkEnumeratePhysicalDevices failed (%s): XR_ERROR_RUNTIME_FAILURE", fn,
                sim_vk_result_string(vr));
        free(devs);
        return XR_ERROR_RUNTIME_FAILURE;
    }
    VkPhysicalDevice best = VK_NULL_HANDLE;
    int best_rank = -1;
    char best_name[VK_MAX_PHYSICAL_DEVICE_NAME_SIZE] = "";
    for (uint32_t i = 0; i < n; i++) {
        VkPhysicalDeviceProperties p;
        get_props(devs[i], &p);
        uint32_t qn = 0;
        get_queues(devs[i], &qn, NULL);
        VkQueueFamilyProperties q[32];
        if (qn > 32) qn = 32;
        get_queues(devs[i], &qn, q);
        bool graphics = false;
        for (uint32_t k = 0; k < qn; k++) graphics |= (q[k].queueFlags & VK_QUEUE_GRAPHICS_BIT) != 0;
        int rank = device_type_rank(p.deviceType);
        if (graphics && rank > best_rank) {
            best = devs[i];
            best_rank = rank;
            snprintf(best_name, sizeof(best_name), "%s", p.deviceName);
        }
    }
    free(devs);
    if (!best) {
        sim_log(SIM_LOG_ERROR, "%s: no Vulkan device with a graphics queue: XR_ERROR_RUNTIME_FAILURE", fn);
        return XR_ERROR_RUNTIME_FAILURE;
    }
    sim_log(SIM_LOG_INFO, "%s: using Vulkan device \"%s\"", fn, best_name);
    pthread_mutex_lock(&inst->lock);
    inst->vk_instance = vki;
    inst->vk_physical_device = best;
    if (!inst->vk_gipa || gipa != inst->vk_gipa) inst->vk_gipa = gipa;
    pthread_mutex_unlock(&inst->lock);
    *out = best;
    return XR_SUCCESS;
}

SIM_FN(xrGetVulkanGraphicsDeviceKHR)
(XrInstance instance, XrSystemId systemId, VkInstance vkInstance, VkPhysicalDevice *vkPhysicalDevice)
{
    sim_instance *inst = NULL;
    XrResult r = check_instance(instance, systemId, true, false, "xrGetVulkanGraphicsDeviceKHR", &inst);
    if (r != XR_SUCCESS) return r;
    if (!vkInstance || !vkPhysicalDevice) {
        sim_log(SIM_LOG_ERROR, "xrGetVulkanGraphicsDeviceKHR: vkInstance or vkPhysicalDevice is NULL: "
                               "XR_ERROR_VALIDATION_FAILURE");
        return XR_ERROR_VALIDATION_FAILURE;
    }
    /* XR_KHR_vulkan_enable apps create the instance themselves with the system Vulkan loader. */
    return pick_physical_device(inst, vkGetInstanceProcAddr, vkInstance, "xrGetVulkanGraphicsDeviceKHR",
                                vkPhysicalDevice);
}

SIM_FN(xrGetVulkanGraphicsDevice2KHR)
(XrInstance instance, const XrVulkanGraphicsDeviceGetInfoKHR *getInfo, VkPhysicalDevice *vulkanPhysicalDevice)
{
    const char *fn = "xrGetVulkanGraphicsDevice2KHR";
    if (!sim_handle_valid((const void *)instance, SIM_HANDLE_INSTANCE))
        return sim_handle_reject(sim_fn_name(__func__), "instance", (const void *)instance, "XrInstance");
    if (!getInfo || getInfo->type != XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR || !vulkanPhysicalDevice) {
        sim_log(SIM_LOG_ERROR, "%s: getInfo is NULL or has the wrong type: XR_ERROR_VALIDATION_FAILURE", fn);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    sim_instance *inst = NULL;
    XrResult r = check_instance(instance, getInfo->systemId, true, true, fn, &inst);
    if (r != XR_SUCCESS) return r;
    if (!getInfo->vulkanInstance) {
        sim_log(SIM_LOG_ERROR, "%s: vulkanInstance is VK_NULL_HANDLE: XR_ERROR_VALIDATION_FAILURE", fn);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    pthread_mutex_lock(&inst->lock);
    PFN_vkGetInstanceProcAddr gipa = (inst->vk_gipa && inst->vk_instance == getInfo->vulkanInstance)
                                         ? inst->vk_gipa
                                         : vkGetInstanceProcAddr;
    pthread_mutex_unlock(&inst->lock);
    return pick_physical_device(inst, gipa, getInfo->vulkanInstance, fn, vulkanPhysicalDevice);
}

/* ---------------------------------------------------------------- instance/device creation (enable2) */

static bool has_name(const char *const *names, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], name) == 0) return true;
    return false;
}

SIM_FN(xrCreateVulkanInstanceKHR)
(XrInstance instance, const XrVulkanInstanceCreateInfoKHR *createInfo, VkInstance *vulkanInstance,
 VkResult *vulkanResult)
{
    const char *fn = "xrCreateVulkanInstanceKHR";
    if (!sim_handle_valid((const void *)instance, SIM_HANDLE_INSTANCE))
        return sim_handle_reject(sim_fn_name(__func__), "instance", (const void *)instance, "XrInstance");
    if (!createInfo || createInfo->type != XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR || !vulkanInstance ||
        !vulkanResult || !createInfo->pfnGetInstanceProcAddr || !createInfo->vulkanCreateInfo ||
        createInfo->createFlags != 0) {
        sim_log(SIM_LOG_ERROR,
                "%s: createInfo (type, pfnGetInstanceProcAddr, vulkanCreateInfo, createFlags) or an "
                "output pointer is invalid: XR_ERROR_VALIDATION_FAILURE",
                fn);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    sim_instance *inst = NULL;
    XrResult r = check_instance(instance, createInfo->systemId, true, true, fn, &inst);
    if (r != XR_SUCCESS) return r;

    PFN_vkGetInstanceProcAddr gipa = createInfo->pfnGetInstanceProcAddr;
    PFN_vkCreateInstance create = (PFN_vkCreateInstance)gipa(VK_NULL_HANDLE, "vkCreateInstance");
    if (!create) {
        sim_log(SIM_LOG_ERROR,
                "%s: pfnGetInstanceProcAddr(NULL, \"vkCreateInstance\") returned NULL: "
                "XR_ERROR_RUNTIME_FAILURE",
                fn);
        return XR_ERROR_RUNTIME_FAILURE;
    }
    const VkInstanceCreateInfo *app = createInfo->vulkanCreateInfo;
    uint32_t count = app->enabledExtensionCount;
    if (count + 4 > SIM_MAX_EXTS) {
        sim_log(SIM_LOG_ERROR,
                "%s: %u instance extensions is more than this runtime can merge: XR_ERROR_LIMIT_REACHED", fn,
                count);
        return XR_ERROR_LIMIT_REACHED;
    }
    const char *names[SIM_MAX_EXTS];
    for (uint32_t i = 0; i < count; i++) names[i] = app->ppEnabledExtensionNames[i];
    for (size_t i = 0; i < sizeof(k_instance_exts) / sizeof(k_instance_exts[0]); i++)
        if (!has_name(names, count, k_instance_exts[i]) && instance_ext_available(gipa, k_instance_exts[i]))
            names[count++] = k_instance_exts[i];
    VkInstanceCreateInfo ci = *app;
    ci.enabledExtensionCount = count;
    ci.ppEnabledExtensionNames = count ? names : NULL;
    VkInstance vki = VK_NULL_HANDLE;
    VkResult vr = create(&ci, createInfo->vulkanAllocator, &vki);
    *vulkanResult = vr;
    /* A Vulkan failure is reported through vulkanResult: the OpenXR call itself did its job. */
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_WARN, "%s: vkCreateInstance failed: %s", fn, sim_vk_result_string(vr));
        *vulkanInstance = VK_NULL_HANDLE;
        return XR_SUCCESS;
    }
    *vulkanInstance = vki;
    pthread_mutex_lock(&inst->lock);
    inst->vk_instance = vki;
    inst->vk_gipa = gipa;
    inst->vk_physical_device = VK_NULL_HANDLE;
    pthread_mutex_unlock(&inst->lock);
    return XR_SUCCESS;
}

/* True if the app's pNext chain already says something about multiview (then its choice stands). */
static bool chain_has_multiview(const void *next)
{
    for (const VkBaseInStructure *b = next; b; b = b->pNext)
        if (b->sType == VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES ||
            b->sType == VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES)
            return true;
    return false;
}

SIM_FN(xrCreateVulkanDeviceKHR)
(XrInstance instance, const XrVulkanDeviceCreateInfoKHR *createInfo, VkDevice *vulkanDevice,
 VkResult *vulkanResult)
{
    const char *fn = "xrCreateVulkanDeviceKHR";
    if (!sim_handle_valid((const void *)instance, SIM_HANDLE_INSTANCE))
        return sim_handle_reject(sim_fn_name(__func__), "instance", (const void *)instance, "XrInstance");
    if (!createInfo || createInfo->type != XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR || !vulkanDevice ||
        !vulkanResult || !createInfo->pfnGetInstanceProcAddr || !createInfo->vulkanCreateInfo ||
        !createInfo->vulkanPhysicalDevice || createInfo->createFlags != 0) {
        sim_log(SIM_LOG_ERROR,
                "%s: createInfo (type, pfnGetInstanceProcAddr, vulkanPhysicalDevice, "
                "vulkanCreateInfo, createFlags) or an output pointer is invalid: "
                "XR_ERROR_VALIDATION_FAILURE",
                fn);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    sim_instance *inst = NULL;
    XrResult r = check_instance(instance, createInfo->systemId, true, true, fn, &inst);
    if (r != XR_SUCCESS) return r;
    pthread_mutex_lock(&inst->lock);
    VkInstance vki = inst->vk_instance;
    VkPhysicalDevice chosen = inst->vk_physical_device;
    pthread_mutex_unlock(&inst->lock);
    if (!chosen || chosen != createInfo->vulkanPhysicalDevice) {
        sim_log(SIM_LOG_ERROR,
                "%s: vulkanPhysicalDevice is not the device xrGetVulkanGraphicsDevice2KHR returned: "
                "XR_ERROR_VALIDATION_FAILURE",
                fn);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    PFN_vkGetInstanceProcAddr gipa = createInfo->pfnGetInstanceProcAddr;
    PFN_vkCreateDevice create = (PFN_vkCreateDevice)gipa(vki, "vkCreateDevice");
    if (!create) {
        sim_log(SIM_LOG_ERROR,
                "%s: pfnGetInstanceProcAddr(instance, \"vkCreateDevice\") returned NULL: "
                "XR_ERROR_RUNTIME_FAILURE",
                fn);
        return XR_ERROR_RUNTIME_FAILURE;
    }
    VkPhysicalDevice pd = createInfo->vulkanPhysicalDevice;
    const VkDeviceCreateInfo *app = createInfo->vulkanCreateInfo;
    uint32_t count = app->enabledExtensionCount;
    if (count + 4 > SIM_MAX_EXTS) {
        sim_log(SIM_LOG_ERROR,
                "%s: %u device extensions is more than this runtime can merge: XR_ERROR_LIMIT_REACHED", fn,
                count);
        return XR_ERROR_LIMIT_REACHED;
    }
    const char *names[SIM_MAX_EXTS];
    for (uint32_t i = 0; i < count; i++) names[i] = app->ppEnabledExtensionNames[i];
    bool multiview_ext = device_ext_available(gipa, vki, pd, VK_KHR_MULTIVIEW_EXTENSION_NAME);
    if (multiview_ext && !has_name(names, count, VK_KHR_MULTIVIEW_EXTENSION_NAME))
        names[count++] = VK_KHR_MULTIVIEW_EXTENSION_NAME;

    /* Ask whether the device can do multiview; through the KHR entry point so a 1.0 instance works too (the
     * instance was created with VK_KHR_get_physical_device_properties2 by xrCreateVulkanInstanceKHR). */
    VkPhysicalDeviceMultiviewFeatures mv = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES};
    PFN_vkGetPhysicalDeviceFeatures2 features2 =
        (PFN_vkGetPhysicalDeviceFeatures2)gipa(vki, "vkGetPhysicalDeviceFeatures2KHR");
    if (!features2) features2 = (PFN_vkGetPhysicalDeviceFeatures2)gipa(vki, "vkGetPhysicalDeviceFeatures2");
    if (multiview_ext && features2) {
        VkPhysicalDeviceFeatures2 f2 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, .pNext = &mv};
        features2(pd, &f2);
    }
    VkPhysicalDeviceMultiviewFeatures enable_mv = {.sType =
                                                       VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES,
                                                   .pNext = (void *)app->pNext,
                                                   .multiview = VK_TRUE};
    VkDeviceCreateInfo ci = *app;
    ci.enabledExtensionCount = count;
    ci.ppEnabledExtensionNames = count ? names : NULL;
    if (mv.multiview && !chain_has_multiview(app->pNext)) ci.pNext = &enable_mv;

    VkDevice dev = VK_NULL_HANDLE;
    VkResult vr = create(pd, &ci, createInfo->vulkanAllocator, &dev);
    *vulkanResult = vr;
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_WARN, "%s: vkCreateDevice failed: %s", fn, sim_vk_result_string(vr));
        *vulkanDevice = VK_NULL_HANDLE;
        return XR_SUCCESS;
    }
    *vulkanDevice = dev;
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- session binding */

XrResult sim_vk_session_init(sim_session *s, const XrSessionCreateInfo *info)
{
    const char *fn = "xrCreateSession";
    const XrGraphicsBindingVulkanKHR *b = NULL;
    for (const XrBaseInStructure *n = info ? info->next : NULL; n; n = n->next)
        if (n->type == XR_TYPE_GRAPHICS_BINDING_VULKAN_KHR) {
            b = (const XrGraphicsBindingVulkanKHR *)n;
            break;
        }
    sim_instance *inst = s->inst;
    if (!b) {
        sim_log(SIM_LOG_ERROR,
                "%s: no XrGraphicsBindingVulkanKHR in the next chain (the simulated headset needs "
                "Vulkan): XR_ERROR_GRAPHICS_DEVICE_INVALID",
                fn);
        return XR_ERROR_GRAPHICS_DEVICE_INVALID;
    }
    pthread_mutex_lock(&inst->lock);
    bool queried = inst->graphics_requirements_queried;
    VkPhysicalDevice chosen = inst->vk_physical_device;
    PFN_vkGetInstanceProcAddr gipa =
        (inst->vk_gipa && inst->vk_instance == b->instance) ? inst->vk_gipa : vkGetInstanceProcAddr;
    pthread_mutex_unlock(&inst->lock);
    if (!queried) {
        sim_log(SIM_LOG_ERROR,
                "%s: xrGetVulkanGraphicsRequirements(2)KHR was not called first: "
                "XR_ERROR_GRAPHICS_REQUIREMENTS_CALL_MISSING",
                fn);
        return XR_ERROR_GRAPHICS_REQUIREMENTS_CALL_MISSING;
    }
    if (!b->instance || !b->physicalDevice || !b->device) {
        sim_log(SIM_LOG_ERROR,
                "%s: the Vulkan binding has a null instance, physical device or device: "
                "XR_ERROR_GRAPHICS_DEVICE_INVALID",
                fn);
        return XR_ERROR_GRAPHICS_DEVICE_INVALID;
    }
    if (b->physicalDevice != chosen) {
        sim_log(SIM_LOG_ERROR,
                "%s: the binding's physical device is not the one xrGetVulkanGraphicsDevice(2)KHR "
                "returned: XR_ERROR_GRAPHICS_DEVICE_INVALID",
                fn);
        return XR_ERROR_GRAPHICS_DEVICE_INVALID;
    }
    PFN_vkGetPhysicalDeviceQueueFamilyProperties get_queues =
        (PFN_vkGetPhysicalDeviceQueueFamilyProperties)gipa(b->instance,
                                                           "vkGetPhysicalDeviceQueueFamilyProperties");
    PFN_vkGetDeviceProcAddr gdpa = (PFN_vkGetDeviceProcAddr)gipa(b->instance, "vkGetDeviceProcAddr");
    if (!get_queues || !gdpa) {
        sim_log(SIM_LOG_ERROR,
                "%s: vkGetInstanceProcAddr found no vkGetDeviceProcAddr: XR_ERROR_RUNTIME_FAILURE", fn);
        return XR_ERROR_RUNTIME_FAILURE;
    }
    uint32_t qn = 0;
    get_queues(b->physicalDevice, &qn, NULL);
    VkQueueFamilyProperties q[32];
    if (qn > 32) qn = 32;
    get_queues(b->physicalDevice, &qn, q);
    if (b->queueFamilyIndex >= qn || b->queueIndex >= q[b->queueFamilyIndex].queueCount) {
        sim_log(SIM_LOG_ERROR,
                "%s: queue family %u / queue %u does not exist on the device: "
                "XR_ERROR_GRAPHICS_DEVICE_INVALID",
                fn, b->queueFamilyIndex, b->queueIndex);
        return XR_ERROR_GRAPHICS_DEVICE_INVALID;
    }

    sim_vk *vk = &s->vk;
    memset(vk, 0, sizeof(*vk));
    vk->instance = b->instance;
    vk->physical_device = b->physicalDevice;
    vk->device = b->device;
    vk->queue_family_index = b->queueFamilyIndex;
    vk->queue_index = b->queueIndex;
    vk->gipa = gipa;
    vk->gdpa = gdpa;
    bool ok = true;
#define SIM_LOAD_DEV(field, name)                                                               \
    do {                                                                                        \
        vk->field = (PFN_##name)gdpa(b->device, #name);                                         \
        if (!vk->field) {                                                                       \
            sim_log(SIM_LOG_ERROR, "%s: vkGetDeviceProcAddr(\"%s\") returned NULL", fn, #name); \
            ok = false;                                                                         \
        }                                                                                       \
    } while (0)
#define SIM_LOAD_INST(field, name)                                                                \
    do {                                                                                          \
        vk->field = (PFN_##name)gipa(b->instance, #name);                                         \
        if (!vk->field) {                                                                         \
            sim_log(SIM_LOG_ERROR, "%s: vkGetInstanceProcAddr(\"%s\") returned NULL", fn, #name); \
            ok = false;                                                                           \
        }                                                                                         \
    } while (0)
    SIM_LOAD_DEV(CreateImage, vkCreateImage);
    SIM_LOAD_DEV(DestroyImage, vkDestroyImage);
    SIM_LOAD_DEV(GetImageMemoryRequirements, vkGetImageMemoryRequirements);
    SIM_LOAD_DEV(AllocateMemory, vkAllocateMemory);
    SIM_LOAD_DEV(FreeMemory, vkFreeMemory);
    SIM_LOAD_DEV(BindImageMemory, vkBindImageMemory);
    SIM_LOAD_DEV(MapMemory, vkMapMemory);
    SIM_LOAD_DEV(UnmapMemory, vkUnmapMemory);
    SIM_LOAD_DEV(CreateBuffer, vkCreateBuffer);
    SIM_LOAD_DEV(DestroyBuffer, vkDestroyBuffer);
    SIM_LOAD_DEV(GetBufferMemoryRequirements, vkGetBufferMemoryRequirements);
    SIM_LOAD_DEV(BindBufferMemory, vkBindBufferMemory);
    SIM_LOAD_DEV(CreateCommandPool, vkCreateCommandPool);
    SIM_LOAD_DEV(DestroyCommandPool, vkDestroyCommandPool);
    SIM_LOAD_DEV(AllocateCommandBuffers, vkAllocateCommandBuffers);
    SIM_LOAD_DEV(FreeCommandBuffers, vkFreeCommandBuffers);
    SIM_LOAD_DEV(BeginCommandBuffer, vkBeginCommandBuffer);
    SIM_LOAD_DEV(EndCommandBuffer, vkEndCommandBuffer);
    SIM_LOAD_DEV(ResetCommandBuffer, vkResetCommandBuffer);
    SIM_LOAD_DEV(CmdPipelineBarrier, vkCmdPipelineBarrier);
    SIM_LOAD_DEV(CmdCopyImageToBuffer, vkCmdCopyImageToBuffer);
    SIM_LOAD_DEV(QueueSubmit, vkQueueSubmit);
    SIM_LOAD_DEV(CreateFence, vkCreateFence);
    SIM_LOAD_DEV(DestroyFence, vkDestroyFence);
    SIM_LOAD_DEV(WaitForFences, vkWaitForFences);
    SIM_LOAD_DEV(ResetFences, vkResetFences);
    SIM_LOAD_DEV(GetFenceStatus, vkGetFenceStatus);
    SIM_LOAD_DEV(DeviceWaitIdle, vkDeviceWaitIdle);
    SIM_LOAD_DEV(QueueWaitIdle, vkQueueWaitIdle);
    SIM_LOAD_INST(GetPhysicalDeviceMemoryProperties, vkGetPhysicalDeviceMemoryProperties);
    SIM_LOAD_INST(GetPhysicalDeviceFormatProperties, vkGetPhysicalDeviceFormatProperties);
#undef SIM_LOAD_DEV
#undef SIM_LOAD_INST
    PFN_vkGetDeviceQueue get_queue = (PFN_vkGetDeviceQueue)gdpa(b->device, "vkGetDeviceQueue");
    if (!ok || !get_queue) {
        sim_log(SIM_LOG_ERROR,
                "%s: the Vulkan device lacks functions the compositor needs: "
                "XR_ERROR_GRAPHICS_DEVICE_INVALID",
                fn);
        memset(vk, 0, sizeof(*vk));
        return XR_ERROR_GRAPHICS_DEVICE_INVALID;
    }
    get_queue(b->device, b->queueFamilyIndex, b->queueIndex, &vk->queue);
    return XR_SUCCESS;
}

void sim_vk_session_fini(sim_session *s)
{
    /* The Vulkan objects in s->vk belong to the app; the simulator's own objects are released by
     * sim_swapchains_destroy_all and sim_compositor_destroy before this runs. */
    memset(&s->vk, 0, sizeof(s->vk));
}
