/* SPDX-License-Identifier: MIT */
/* The conformance harness (conf.h): instance, system, Vulkan through XR_KHR_vulkan_enable2, session, frames,
 * checks, and the validation layers' verdict. It knows no runtime: everything goes through the loader. */
#include "conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openxr/openxr_reflection.h>

#define CONF_LAYER "XR_APILAYER_LUNARG_core_validation"
#define VK_LAYER   "VK_LAYER_KHRONOS_validation"

int64_t conf_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

const char *conf_result_name(XrResult r)
{
    switch (r) {
#define CONF_RESULT_CASE(n, v) \
    case n:                    \
        return #n;
        XR_LIST_ENUM_XrResult(CONF_RESULT_CASE)
#undef CONF_RESULT_CASE
            default : return "XR_UNKNOWN_RESULT";
    }
}

void conf_start(conf *c, const char *name, const char *spec_section)
{
    *c = (conf){.name = name, .state = XR_SESSION_STATE_UNKNOWN};
    /* Unbuffered, so a crash (the failure some tests look for) still shows what ran before it. */
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("conformance %s: %s\n", name, spec_section);
    const char *tmp = getenv("TMPDIR");
    snprintf(c->layer_file, sizeof(c->layer_file), "%s/conf-%s-%d.xr_validation.txt",
             tmp && tmp[0] ? tmp : "/tmp", name, (int)getpid());
    remove(c->layer_file);
    /* The core validation layer writes its messages as text to this file (read back by conf_finish). */
    setenv("XR_CORE_VALIDATION_EXPORT_TYPE", "text", 1);
    setenv("XR_CORE_VALIDATION_FILE_NAME", c->layer_file, 1);
}

bool conf_fail_at(conf *c, const char *file, int line, const char *fmt, ...)
{
    const char *base = strrchr(file, '/');
    printf("  FAIL %s:%d: ", base ? base + 1 : file, line);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    c->failures++;
    return false;
}

bool conf_xr_expect(conf *c, const char *file, int line, const char *call, XrResult got, XrResult want)
{
    if (got == want) return true;
    return conf_fail_at(c, file, line, "%s returned %s (%d), expected %s", call, conf_result_name(got),
                        (int)got, conf_result_name(want));
}

bool conf_xr_ok(conf *c, const char *file, int line, const char *call, XrResult got)
{
    if (XR_SUCCEEDED(got)) return true;
    return conf_fail_at(c, file, line, "%s failed: %s (%d)", call, conf_result_name(got), (int)got);
}

bool conf_extension_listed(const char *name)
{
    uint32_t n = 0;
    if (XR_FAILED(xrEnumerateInstanceExtensionProperties(NULL, 0, &n, NULL)) || n == 0) return false;
    XrExtensionProperties *props = calloc(n, sizeof(*props));
    if (!props) return false;
    for (uint32_t i = 0; i < n; i++) props[i].type = XR_TYPE_EXTENSION_PROPERTIES;
    bool found = false;
    if (XR_SUCCEEDED(xrEnumerateInstanceExtensionProperties(NULL, n, &n, props)))
        for (uint32_t i = 0; i < n && !found; i++) found = strcmp(props[i].extensionName, name) == 0;
    free(props);
    return found;
}

bool conf_create_instance(conf *c, const conf_desc *desc, XrInstance *out)
{
    static const conf_desc zero = {0};
    if (!desc) desc = &zero;
    const char *exts[32] = {XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME};
    uint32_t n = 1;
    for (uint32_t i = 0; i < desc->extension_count && n < 32; i++) exts[n++] = desc->extensions[i];
    const char *layers[] = {CONF_LAYER};
    if (desc->without_layer)
        printf("  (without the core validation layer: %s)\n",
               desc->without_layer_reason ? desc->without_layer_reason : "no reason given");
    XrInstanceCreateInfo ci = {
        .type = XR_TYPE_INSTANCE_CREATE_INFO,
        .next = desc->instance_next,
        .applicationInfo = {.applicationVersion = 1,
                            .engineVersion = 1,
                            .apiVersion = desc->api_version ? desc->api_version : XR_MAKE_VERSION(1, 0, 0)},
        .enabledApiLayerCount = desc->without_layer ? 0 : 1,
        .enabledApiLayerNames = layers,
        .enabledExtensionCount = n,
        .enabledExtensionNames = exts};
    snprintf(ci.applicationInfo.applicationName, sizeof(ci.applicationInfo.applicationName), "conf_%s",
             c->name);
    snprintf(ci.applicationInfo.engineName, sizeof(ci.applicationInfo.engineName), "parallax-conformance");
    *out = XR_NULL_HANDLE;
    if (CONF_XR(c, xrCreateInstance(&ci, out))) return true;
    *out = XR_NULL_HANDLE;
    return false;
}

bool conf_instance(conf *c, const conf_desc *desc)
{
    if (!conf_create_instance(c, desc, &c->instance)) return false;
    XrSystemGetInfo sgi = {.type = XR_TYPE_SYSTEM_GET_INFO,
                           .formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY};
    return CONF_XR(c, xrGetSystem(c->instance, &sgi, &c->system));
}

PFN_xrVoidFunction conf_proc(conf *c, const char *name)
{
    PFN_xrVoidFunction fn = NULL;
    XrResult r = xrGetInstanceProcAddr(c->instance, name, &fn);
    if (XR_FAILED(r) || !fn) {
        CONF_FAIL(c, "xrGetInstanceProcAddr(%s) returned %s and %s", name, conf_result_name(r),
                  fn ? "a function" : "no function");
        return NULL;
    }
    return fn;
}

XrPath conf_path(conf *c, const char *path)
{
    XrPath p = XR_NULL_PATH;
    if (!CONF_XR(c, xrStringToPath(c->instance, path, &p))) return XR_NULL_PATH;
    return p;
}

XrActionSet conf_action_set(conf *c, const char *name)
{
    XrActionSetCreateInfo ci = {.type = XR_TYPE_ACTION_SET_CREATE_INFO};
    snprintf(ci.actionSetName, sizeof(ci.actionSetName), "%s", name);
    snprintf(ci.localizedActionSetName, sizeof(ci.localizedActionSetName), "%s", name);
    XrActionSet set = XR_NULL_HANDLE;
    CONF_XR(c, xrCreateActionSet(c->instance, &ci, &set));
    return set;
}

XrAction conf_action(conf *c, XrActionSet set, const char *name, XrActionType type, uint32_t count,
                     const XrPath *subaction_paths)
{
    XrActionCreateInfo ci = {.type = XR_TYPE_ACTION_CREATE_INFO,
                             .actionType = type,
                             .countSubactionPaths = count,
                             .subactionPaths = count ? subaction_paths : NULL};
    snprintf(ci.actionName, sizeof(ci.actionName), "%s", name);
    snprintf(ci.localizedActionName, sizeof(ci.localizedActionName), "%s", name);
    XrAction a = XR_NULL_HANDLE;
    CONF_XR(c, xrCreateAction(set, &ci, &a));
    return a;
}

XrResult conf_suggest(conf *c, const char *profile, const XrActionSuggestedBinding *bindings, uint32_t n)
{
    XrInteractionProfileSuggestedBinding sb = {.type = XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING,
                                               .interactionProfile = conf_path(c, profile),
                                               .countSuggestedBindings = n,
                                               .suggestedBindings = bindings};
    return xrSuggestInteractionProfileBindings(c->instance, &sb);
}

bool conf_locate_hand(conf *c, PFN_xrLocateHandJointsEXT fn, XrHandTrackerEXT tracker, XrTime t,
                      XrHandJointLocationEXT loc[XR_HAND_JOINT_COUNT_EXT],
                      XrHandJointVelocityEXT vel[XR_HAND_JOINT_COUNT_EXT], bool *out_active)
{
    XrHandJointVelocitiesEXT vels = {.type = XR_TYPE_HAND_JOINT_VELOCITIES_EXT,
                                     .jointCount = XR_HAND_JOINT_COUNT_EXT,
                                     .jointVelocities = vel};
    XrHandJointLocationsEXT locs = {.type = XR_TYPE_HAND_JOINT_LOCATIONS_EXT,
                                    .next = vel ? &vels : NULL,
                                    .jointCount = XR_HAND_JOINT_COUNT_EXT,
                                    .jointLocations = loc};
    XrHandJointsLocateInfoEXT li = {
        .type = XR_TYPE_HAND_JOINTS_LOCATE_INFO_EXT, .baseSpace = c->local, .time = t};
    *out_active = false;
    if (!CONF_XR(c, fn(tracker, &li, &locs))) return false;
    *out_active = locs.isActive;
    return true;
}

static VKAPI_ATTR VkBool32 VKAPI_CALL vk_message(VkDebugUtilsMessageSeverityFlagBitsEXT sev,
                                                 VkDebugUtilsMessageTypeFlagsEXT types,
                                                 const VkDebugUtilsMessengerCallbackDataEXT *data, void *user)
{
    (void)types;
    conf *c = user;
    if (sev &
        (VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT)) {
        c->vk_messages++;
        printf("  Vulkan validation: %s\n", data->pMessage);
    }
    return VK_FALSE;
}

static bool vk_layer_present(void)
{
    uint32_t n = 0;
    if (vkEnumerateInstanceLayerProperties(&n, NULL) != VK_SUCCESS || n == 0) return false;
    VkLayerProperties *props = calloc(n, sizeof(*props));
    if (!props) return false;
    bool found = false;
    if (vkEnumerateInstanceLayerProperties(&n, props) == VK_SUCCESS)
        for (uint32_t i = 0; i < n && !found; i++) found = strcmp(props[i].layerName, VK_LAYER) == 0;
    free(props);
    return found;
}

/* Writes the failed step into err; returns false. */
static bool vk_fail(char *err, size_t err_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool vk_fail(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return false;
}

bool conf_vulkan_enable2(XrInstance xr, XrSystemId system,
                         const VkDebugUtilsMessengerCreateInfoEXT *validation, conf_vulkan *out, char *err,
                         size_t err_size)
{
    *out = (conf_vulkan){.queue_family = UINT32_MAX};
    PFN_xrGetVulkanGraphicsRequirements2KHR req2 = NULL;
    PFN_xrCreateVulkanInstanceKHR mk_inst = NULL;
    PFN_xrGetVulkanGraphicsDevice2KHR get_dev = NULL;
    PFN_xrCreateVulkanDeviceKHR mk_dev = NULL;
    const char *names[4] = {"xrGetVulkanGraphicsRequirements2KHR", "xrCreateVulkanInstanceKHR",
                            "xrGetVulkanGraphicsDevice2KHR", "xrCreateVulkanDeviceKHR"};
    PFN_xrVoidFunction *slots[4] = {(PFN_xrVoidFunction *)&req2, (PFN_xrVoidFunction *)&mk_inst,
                                    (PFN_xrVoidFunction *)&get_dev, (PFN_xrVoidFunction *)&mk_dev};
    for (int i = 0; i < 4; i++) {
        XrResult r = xrGetInstanceProcAddr(xr, names[i], slots[i]);
        if (XR_FAILED(r) || !*slots[i])
            return vk_fail(err, err_size, "xrGetInstanceProcAddr(%s) returned %s", names[i],
                           conf_result_name(r));
    }
    XrGraphicsRequirementsVulkan2KHR req = {.type = XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
    XrResult r = req2(xr, system, &req);
    if (XR_FAILED(r))
        return vk_fail(err, err_size, "xrGetVulkanGraphicsRequirements2KHR failed: %s", conf_result_name(r));

    if (validation && !vk_layer_present())
        return vk_fail(err, err_size, "the Vulkan validation layer %s is not installed", VK_LAYER);
    const char *layers[] = {VK_LAYER};
    const char *exts[] = {VK_EXT_DEBUG_UTILS_EXTENSION_NAME};
    VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
                             .pApplicationName = "parallax-conformance",
                             .apiVersion = VK_API_VERSION_1_1};
    VkInstanceCreateInfo vici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
                                 .pNext = validation,
                                 .pApplicationInfo = &app,
                                 .enabledLayerCount = validation ? 1 : 0,
                                 .ppEnabledLayerNames = layers,
                                 .enabledExtensionCount = validation ? 1 : 0,
                                 .ppEnabledExtensionNames = exts};
    XrVulkanInstanceCreateInfoKHR xci = {.type = XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR,
                                         .systemId = system,
                                         .pfnGetInstanceProcAddr = vkGetInstanceProcAddr,
                                         .vulkanCreateInfo = &vici};
    VkResult vr = VK_ERROR_UNKNOWN;
    r = mk_inst(xr, &xci, &out->instance, &vr);
    if (XR_FAILED(r) || vr != VK_SUCCESS)
        return vk_fail(err, err_size, "xrCreateVulkanInstanceKHR returned %s, vkCreateInstance %d",
                       conf_result_name(r), (int)vr);
    if (validation) {
        PFN_vkCreateDebugUtilsMessengerEXT mk_msg = (PFN_vkCreateDebugUtilsMessengerEXT)vkGetInstanceProcAddr(
            out->instance, "vkCreateDebugUtilsMessengerEXT");
        if (mk_msg) mk_msg(out->instance, validation, NULL, &out->messenger);
    }

    XrVulkanGraphicsDeviceGetInfoKHR gi = {.type = XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR,
                                           .systemId = system,
                                           .vulkanInstance = out->instance};
    r = get_dev(xr, &gi, &out->physical);
    if (XR_FAILED(r) || !out->physical)
        return vk_fail(err, err_size, "xrGetVulkanGraphicsDevice2KHR returned %s", conf_result_name(r));

    uint32_t n = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(out->physical, &n, NULL);
    VkQueueFamilyProperties props[16];
    n = n > 16 ? 16 : n;
    vkGetPhysicalDeviceQueueFamilyProperties(out->physical, &n, props);
    for (uint32_t i = 0; i < n && out->queue_family == UINT32_MAX; i++)
        if (props[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) out->queue_family = i;
    if (out->queue_family == UINT32_MAX)
        return vk_fail(err, err_size, "the Vulkan device has no graphics queue");
    float prio = 1.0f;
    VkDeviceQueueCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
                                   .queueFamilyIndex = out->queue_family,
                                   .queueCount = 1,
                                   .pQueuePriorities = &prio};
    VkDeviceCreateInfo devci = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, .queueCreateInfoCount = 1, .pQueueCreateInfos = &qci};
    XrVulkanDeviceCreateInfoKHR xdci = {.type = XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR,
                                        .systemId = system,
                                        .pfnGetInstanceProcAddr = vkGetInstanceProcAddr,
                                        .vulkanPhysicalDevice = out->physical,
                                        .vulkanCreateInfo = &devci};
    r = mk_dev(xr, &xdci, &out->device, &vr);
    if (XR_FAILED(r) || vr != VK_SUCCESS)
        return vk_fail(err, err_size, "xrCreateVulkanDeviceKHR returned %s, vkCreateDevice %d",
                       conf_result_name(r), (int)vr);
    vkGetDeviceQueue(out->device, out->queue_family, 0, &out->queue);
    return true;
}

void conf_vulkan_destroy(conf_vulkan *v)
{
    if (v->device) vkDestroyDevice(v->device, NULL);
    if (v->messenger) {
        PFN_vkDestroyDebugUtilsMessengerEXT rm = (PFN_vkDestroyDebugUtilsMessengerEXT)vkGetInstanceProcAddr(
            v->instance, "vkDestroyDebugUtilsMessengerEXT");
        if (rm) rm(v->instance, v->messenger, NULL);
    }
    if (v->instance) vkDestroyInstance(v->instance, NULL);
    *v = (conf_vulkan){0};
}

static bool create_vulkan(conf *c)
{
    VkDebugUtilsMessengerCreateInfoEXT dci = {
        .sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
        .messageSeverity =
            VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
        .messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                       VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                       VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
        .pfnUserCallback = vk_message,
        .pUserData = c};
    char err[256];
    conf_vulkan v;
    bool ok = conf_vulkan_enable2(c->instance, c->system, &dci, &v, err, sizeof(err));
    c->vk_instance = v.instance;
    c->vk_messenger = v.messenger;
    c->vk_physical = v.physical;
    c->vk_device = v.device;
    c->queue_family = v.queue_family;
    c->queue = v.queue;
    return ok ? true : CONF_FAIL(c, "%s", err);
}

bool conf_session(conf *c)
{
    if (!c->instance || !create_vulkan(c)) return false;
    XrGraphicsBindingVulkan2KHR binding = {.type = XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR,
                                           .instance = c->vk_instance,
                                           .physicalDevice = c->vk_physical,
                                           .device = c->vk_device,
                                           .queueFamilyIndex = c->queue_family,
                                           .queueIndex = 0};
    XrSessionCreateInfo sci = {.type = XR_TYPE_SESSION_CREATE_INFO, .next = &binding, .systemId = c->system};
    if (!CONF_XR(c, xrCreateSession(c->instance, &sci, &c->session))) {
        c->session = XR_NULL_HANDLE;
        return false;
    }
    XrReferenceSpaceCreateInfo rci = {.type = XR_TYPE_REFERENCE_SPACE_CREATE_INFO,
                                      .referenceSpaceType = XR_REFERENCE_SPACE_TYPE_LOCAL,
                                      .poseInReferenceSpace = {.orientation = {0, 0, 0, 1}}};
    return CONF_XR(c, xrCreateReferenceSpace(c->session, &rci, &c->local));
}

XrResult conf_poll(conf *c, XrEventDataBuffer *out)
{
    XrEventDataBuffer ev = {.type = XR_TYPE_EVENT_DATA_BUFFER};
    XrResult r = xrPollEvent(c->instance, &ev);
    if (r == XR_SUCCESS && ev.type == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED)
        c->state = ((const XrEventDataSessionStateChanged *)&ev)->state;
    if (r == XR_SUCCESS && c->event_count++ < (int)(sizeof(c->event_log) / sizeof(c->event_log[0])))
        c->event_log[c->event_count - 1] = ev;
    if (out) *out = ev;
    return r;
}

void conf_drain(conf *c)
{
    for (int i = 0; i < 1000 && conf_poll(c, NULL) == XR_SUCCESS; i++) {
    }
}

bool conf_begin(conf *c)
{
    if (!c->session) return false;
    int64_t deadline = conf_monotonic_ns() + 5000000000LL;
    while (c->state != XR_SESSION_STATE_READY && conf_monotonic_ns() < deadline) {
        XrResult r = conf_poll(c, NULL);
        if (XR_FAILED(r)) return CONF_FAIL(c, "xrPollEvent failed: %s", conf_result_name(r));
        if (r == XR_EVENT_UNAVAILABLE) nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
    if (!CONF_CHECK(c, c->state == XR_SESSION_STATE_READY, "the session did not reach READY within 5 s"))
        return false;
    XrSessionBeginInfo bi = {.type = XR_TYPE_SESSION_BEGIN_INFO,
                             .primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO};
    return CONF_XR(c, xrBeginSession(c->session, &bi));
}

bool conf_frame(conf *c)
{
    XrFrameState fs = {.type = XR_TYPE_FRAME_STATE};
    if (!CONF_XR(c, xrWaitFrame(c->session, NULL, &fs))) return false;
    c->last_frame = fs;
    if (!CONF_XR(c, xrBeginFrame(c->session, NULL))) return false;
    XrFrameEndInfo ei = {.type = XR_TYPE_FRAME_END_INFO,
                         .displayTime = fs.predictedDisplayTime,
                         .environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE};
    if (!CONF_XR(c, xrEndFrame(c->session, &ei))) return false;
    conf_drain(c);
    return true;
}

bool conf_swapchains(conf *c)
{
    XrViewConfigurationView vcv[2] = {{.type = XR_TYPE_VIEW_CONFIGURATION_VIEW},
                                      {.type = XR_TYPE_VIEW_CONFIGURATION_VIEW}};
    uint32_t n = 0;
    if (!CONF_XR(c, xrEnumerateViewConfigurationViews(c->instance, c->system,
                                                      XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 2, &n, vcv)))
        return false;
    c->eye_width = vcv[0].recommendedImageRectWidth;
    c->eye_height = vcv[0].recommendedImageRectHeight;
    int64_t formats[64];
    uint32_t nf = 0;
    if (!CONF_XR(c, xrEnumerateSwapchainFormats(c->session, 64, &nf, formats)) ||
        !CONF_CHECK(c, nf > 0, "xrEnumerateSwapchainFormats listed no format"))
        return false;
    for (int i = 0; i < 2; i++) {
        XrSwapchainCreateInfo sci = {.type = XR_TYPE_SWAPCHAIN_CREATE_INFO,
                                     .usageFlags = XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT,
                                     .format = formats[0],
                                     .sampleCount = 1,
                                     .width = c->eye_width,
                                     .height = c->eye_height,
                                     .faceCount = 1,
                                     .arraySize = 1,
                                     .mipCount = 1};
        if (!CONF_XR(c, xrCreateSwapchain(c->session, &sci, &c->swapchains[i]))) return false;
    }
    return true;
}

bool conf_frame_projection(conf *c)
{
    XrFrameState fs = {.type = XR_TYPE_FRAME_STATE};
    if (!CONF_XR(c, xrWaitFrame(c->session, NULL, &fs))) return false;
    c->last_frame = fs;
    if (!CONF_XR(c, xrBeginFrame(c->session, NULL))) return false;
    XrViewLocateInfo li = {.type = XR_TYPE_VIEW_LOCATE_INFO,
                           .viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                           .displayTime = fs.predictedDisplayTime,
                           .space = c->local};
    c->view_state = (XrViewState){.type = XR_TYPE_VIEW_STATE};
    c->views[0] = c->views[1] = (XrView){.type = XR_TYPE_VIEW};
    uint32_t nv = 0;
    if (!CONF_XR(c, xrLocateViews(c->session, &li, &c->view_state, 2, &nv, c->views))) return false;
    const XrViewStateFlags need = XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT;
    bool located = (c->view_state.viewStateFlags & need) == need;
    XrCompositionLayerProjectionView pv[2];
    for (int i = 0; i < 2; i++) {
        uint32_t index = 0;
        if (!CONF_XR(c, xrAcquireSwapchainImage(c->swapchains[i], NULL, &index))) return false;
        XrSwapchainImageWaitInfo wi = {.type = XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO,
                                       .timeout = XR_INFINITE_DURATION};
        if (!CONF_XR(c, xrWaitSwapchainImage(c->swapchains[i], &wi))) return false;
        if (!CONF_XR(c, xrReleaseSwapchainImage(c->swapchains[i], NULL))) return false;
        pv[i] = (XrCompositionLayerProjectionView){
            .type = XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW,
            .pose = c->views[i].pose,
            .fov = c->views[i].fov,
            .subImage = {.swapchain = c->swapchains[i],
                         .imageRect = {.extent = {(int32_t)c->eye_width, (int32_t)c->eye_height}}}};
    }
    XrCompositionLayerProjection layer = {
        .type = XR_TYPE_COMPOSITION_LAYER_PROJECTION, .space = c->local, .viewCount = 2, .views = pv};
    const XrCompositionLayerBaseHeader *layers[] = {(const XrCompositionLayerBaseHeader *)&layer};
    XrFrameEndInfo ei = {.type = XR_TYPE_FRAME_END_INFO,
                         .displayTime = fs.predictedDisplayTime,
                         .environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE,
                         .layerCount = located && fs.shouldRender ? 1 : 0,
                         .layers = layers};
    if (!CONF_XR(c, xrEndFrame(c->session, &ei))) return false;
    conf_drain(c);
    return true;
}

bool conf_frames(conf *c, int n)
{
    for (int i = 0; i < n; i++)
        if (!conf_frame(c)) return false;
    return true;
}

bool conf_end(conf *c)
{
    if (!c->session) return false;
    if (!CONF_XR(c, xrRequestExitSession(c->session))) return false;
    for (int i = 0; i < 200 && c->state != XR_SESSION_STATE_STOPPING; i++) {
        conf_drain(c);
        if (c->state == XR_SESSION_STATE_STOPPING) break;
        if (!conf_frame(c)) return false;
    }
    if (!CONF_CHECK(c, c->state == XR_SESSION_STATE_STOPPING,
                    "the session did not reach STOPPING after xrRequestExitSession (state %d)",
                    (int)c->state))
        return false;
    if (!CONF_XR(c, xrEndSession(c->session))) return false;
    conf_drain(c);
    return true;
}

/* Fails the test on anything the core validation layer wrote. */
static void check_layer_file(conf *c)
{
    FILE *f = fopen(c->layer_file, "r");
    if (!f) return;
    char line[1024];
    int lines = 0;
    while (fgets(line, sizeof(line), f)) {
        if (lines++ < 20) printf("  core validation: %s", line);
    }
    fclose(f);
    remove(c->layer_file);
    if (lines) CONF_FAIL(c, "the OpenXR core validation layer reported %d line(s) (above)", lines);
}

void conf_teardown(conf *c)
{
    for (int i = 0; i < 2; i++)
        if (c->swapchains[i]) xrDestroySwapchain(c->swapchains[i]);
    if (c->local) xrDestroySpace(c->local);
    if (c->session) xrDestroySession(c->session);
    if (c->instance) xrDestroyInstance(c->instance);
    conf_vulkan v = {.instance = c->vk_instance, .messenger = c->vk_messenger, .device = c->vk_device};
    conf_vulkan_destroy(&v);
    c->local = XR_NULL_HANDLE;
    c->session = XR_NULL_HANDLE;
    c->instance = XR_NULL_HANDLE;
    c->vk_device = VK_NULL_HANDLE;
    c->vk_instance = VK_NULL_HANDLE;
    c->vk_messenger = VK_NULL_HANDLE;
    c->swapchains[0] = c->swapchains[1] = XR_NULL_HANDLE;
    c->state = XR_SESSION_STATE_UNKNOWN;
    c->event_count = 0;
}

int conf_finish(conf *c)
{
    conf_teardown(c);
    check_layer_file(c);
    if (c->vk_messages)
        CONF_FAIL(c, "the Vulkan validation layer reported %d message(s) (above)", c->vk_messages);
    printf("%s %s\n", c->failures ? "FAIL" : "PASS", c->name);
    return c->failures ? 1 : 0;
}
