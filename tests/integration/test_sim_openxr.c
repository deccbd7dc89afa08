/* SPDX-License-Identifier: MIT */
/* The simulated headset as an OpenXR 1.0 runtime, checked against the spec's rules through the system loader
 * (XR_RUNTIME_JSON) and, for the proc-address table, by loading the runtime library directly the way the
 * loader does. Needs no GPU: Vulkan runs on lavapipe. */
#define XR_USE_GRAPHICS_API_VULKAN 1
#define XR_USE_TIMESPEC            1
#include <dlfcn.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <openxr/openxr_loader_negotiation.h>
#include "conf.h"

#define XR_OK(call)                                                   \
    do {                                                              \
        XrResult r_ = (call);                                         \
        if (XR_FAILED(r_)) fail_msg("%s failed: %d", #call, (int)r_); \
    } while (0)

typedef struct fixture {
    XrInstance instance;
    XrSystemId system;
    VkInstance vk_instance;
    VkPhysicalDevice vk_physical;
    VkDevice vk_device;
    uint32_t queue_family;
    XrSession session;
    XrSpace local;
} fixture;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static PFN_xrVoidFunction get_fn(XrInstance inst, const char *name)
{
    PFN_xrVoidFunction fn = NULL;
    XrResult r = xrGetInstanceProcAddr(inst, name, &fn);
    if (XR_FAILED(r) || !fn) fail_msg("xrGetInstanceProcAddr(%s) = %d", name, (int)r);
    return fn;
}

static XrInstance create_instance(void)
{
    const char *exts[] = {XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME, XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME,
                          XR_KHR_CONVERT_TIMESPEC_TIME_EXTENSION_NAME};
    XrInstanceCreateInfo ci = {
        .type = XR_TYPE_INSTANCE_CREATE_INFO,
        .applicationInfo = {.applicationName = "test_sim_openxr", .apiVersion = XR_MAKE_VERSION(1, 0, 0)},
        .enabledExtensionCount = 3,
        .enabledExtensionNames = exts};
    XrInstance inst = XR_NULL_HANDLE;
    XR_OK(xrCreateInstance(&ci, &inst));
    return inst;
}

/* Vulkan through XR_KHR_vulkan_enable2, as an app does it (the conformance harness's helper). */
static void create_vulkan(fixture *f)
{
    conf_vulkan v;
    char err[256];
    bool ok = conf_vulkan_enable2(f->instance, f->system, NULL, &v, err, sizeof(err));
    f->vk_instance = v.instance;
    f->vk_physical = v.physical;
    f->vk_device = v.device;
    f->queue_family = v.queue_family;
    if (!ok) fail_msg("%s", err);
}

static XrSession create_session(fixture *f)
{
    XrGraphicsBindingVulkan2KHR binding = {.type = XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR,
                                           .instance = f->vk_instance,
                                           .physicalDevice = f->vk_physical,
                                           .device = f->vk_device,
                                           .queueFamilyIndex = f->queue_family,
                                           .queueIndex = 0};
    XrSessionCreateInfo sci = {.type = XR_TYPE_SESSION_CREATE_INFO, .next = &binding, .systemId = f->system};
    XrSession s = XR_NULL_HANDLE;
    XR_OK(xrCreateSession(f->instance, &sci, &s));
    return s;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    f->instance = create_instance();
    XrSystemGetInfo sgi = {.type = XR_TYPE_SYSTEM_GET_INFO,
                           .formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY};
    XR_OK(xrGetSystem(f->instance, &sgi, &f->system));
    create_vulkan(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->session) xrDestroySession(f->session);
    if (f->instance) xrDestroyInstance(f->instance);
    if (f->vk_device) vkDestroyDevice(f->vk_device, NULL);
    if (f->vk_instance) vkDestroyInstance(f->vk_instance, NULL);
    free(f);
    return 0;
}

/* Pops events until a session state change arrives (or none is left): returns the state or -1. */
static int next_state(XrInstance inst)
{
    for (int i = 0; i < 64; i++) {
        XrEventDataBuffer ev = {.type = XR_TYPE_EVENT_DATA_BUFFER};
        XrResult r = xrPollEvent(inst, &ev);
        if (r == XR_EVENT_UNAVAILABLE) return -1;
        if (XR_FAILED(r)) fail_msg("xrPollEvent = %d", (int)r);
        if (ev.type == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED)
            return (int)((XrEventDataSessionStateChanged *)&ev)->state;
    }
    return -1;
}

static void run_empty_frame(XrSession s, XrFrameState *out)
{
    XrFrameState fs = {.type = XR_TYPE_FRAME_STATE};
    XR_OK(xrWaitFrame(s, NULL, &fs));
    XR_OK(xrBeginFrame(s, NULL));
    XrFrameEndInfo ei = {.type = XR_TYPE_FRAME_END_INFO,
                         .displayTime = fs.predictedDisplayTime,
                         .environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE};
    XR_OK(xrEndFrame(s, &ei));
    if (out) *out = fs;
}

/* Every core 1.0 function and every function of an advertised extension resolves to a non-NULL pointer. */
static void test_every_function_resolves(void **state)
{
    (void)state;
    static const char *core[] = {"xrGetInstanceProcAddr",
                                 "xrEnumerateApiLayerProperties",
                                 "xrEnumerateInstanceExtensionProperties",
                                 "xrCreateInstance",
                                 "xrDestroyInstance",
                                 "xrGetInstanceProperties",
                                 "xrPollEvent",
                                 "xrResultToString",
                                 "xrStructureTypeToString",
                                 "xrGetSystem",
                                 "xrGetSystemProperties",
                                 "xrEnumerateEnvironmentBlendModes",
                                 "xrCreateSession",
                                 "xrDestroySession",
                                 "xrEnumerateReferenceSpaces",
                                 "xrCreateReferenceSpace",
                                 "xrGetReferenceSpaceBoundsRect",
                                 "xrCreateActionSpace",
                                 "xrLocateSpace",
                                 "xrDestroySpace",
                                 "xrEnumerateViewConfigurations",
                                 "xrGetViewConfigurationProperties",
                                 "xrEnumerateViewConfigurationViews",
                                 "xrEnumerateSwapchainFormats",
                                 "xrCreateSwapchain",
                                 "xrDestroySwapchain",
                                 "xrEnumerateSwapchainImages",
                                 "xrAcquireSwapchainImage",
                                 "xrWaitSwapchainImage",
                                 "xrReleaseSwapchainImage",
                                 "xrBeginSession",
                                 "xrEndSession",
                                 "xrRequestExitSession",
                                 "xrWaitFrame",
                                 "xrBeginFrame",
                                 "xrEndFrame",
                                 "xrLocateViews",
                                 "xrStringToPath",
                                 "xrPathToString",
                                 "xrCreateActionSet",
                                 "xrDestroyActionSet",
                                 "xrCreateAction",
                                 "xrDestroyAction",
                                 "xrSuggestInteractionProfileBindings",
                                 "xrAttachSessionActionSets",
                                 "xrGetCurrentInteractionProfile",
                                 "xrGetActionStateBoolean",
                                 "xrGetActionStateFloat",
                                 "xrGetActionStateVector2f",
                                 "xrGetActionStatePose",
                                 "xrSyncActions",
                                 "xrEnumerateBoundSourcesForAction",
                                 "xrGetInputSourceLocalizedName",
                                 "xrApplyHapticFeedback",
                                 "xrStopHapticFeedback"};
    static const char *ext_fns[] = {"xrSetDebugUtilsObjectNameEXT",
                                    "xrCreateDebugUtilsMessengerEXT",
                                    "xrDestroyDebugUtilsMessengerEXT",
                                    "xrSubmitDebugUtilsMessageEXT",
                                    "xrSessionBeginDebugUtilsLabelRegionEXT",
                                    "xrSessionEndDebugUtilsLabelRegionEXT",
                                    "xrSessionInsertDebugUtilsLabelEXT",
                                    "xrGetVulkanInstanceExtensionsKHR",
                                    "xrGetVulkanDeviceExtensionsKHR",
                                    "xrGetVulkanGraphicsDeviceKHR",
                                    "xrGetVulkanGraphicsRequirementsKHR",
                                    "xrConvertTimespecTimeToTimeKHR",
                                    "xrConvertTimeToTimespecTimeKHR",
                                    "xrCreateVulkanInstanceKHR",
                                    "xrCreateVulkanDeviceKHR",
                                    "xrGetVulkanGraphicsDevice2KHR",
                                    "xrGetVulkanGraphicsRequirements2KHR"};

    void *lib = dlopen(PLX_SIM_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    assert_non_null(lib);
    PFN_xrNegotiateLoaderRuntimeInterface negotiate =
        (PFN_xrNegotiateLoaderRuntimeInterface)dlsym(lib, "xrNegotiateLoaderRuntimeInterface");
    assert_non_null(negotiate);

    /* A malformed loader info is refused. */
    XrNegotiateLoaderInfo bad = {0};
    XrNegotiateRuntimeRequest req = {.structType = XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST,
                                     .structVersion = XR_RUNTIME_INFO_STRUCT_VERSION,
                                     .structSize = sizeof(XrNegotiateRuntimeRequest)};
    assert_true(XR_FAILED(negotiate(&bad, &req)));

    XrNegotiateLoaderInfo info = {.structType = XR_LOADER_INTERFACE_STRUCT_LOADER_INFO,
                                  .structVersion = XR_LOADER_INFO_STRUCT_VERSION,
                                  .structSize = sizeof(XrNegotiateLoaderInfo),
                                  .minInterfaceVersion = 1,
                                  .maxInterfaceVersion = XR_CURRENT_LOADER_RUNTIME_VERSION,
                                  .minApiVersion = XR_MAKE_VERSION(1, 0, 0),
                                  .maxApiVersion = XR_MAKE_VERSION(1, 0xff, 0xfff)};
    assert_int_equal(negotiate(&info, &req), XR_SUCCESS);
    assert_non_null(req.getInstanceProcAddr);
    assert_int_equal(req.runtimeInterfaceVersion, 1);

    PFN_xrGetInstanceProcAddr gipa = req.getInstanceProcAddr;
    PFN_xrCreateInstance create = NULL;
    assert_int_equal(gipa(XR_NULL_HANDLE, "xrCreateInstance", (PFN_xrVoidFunction *)&create), XR_SUCCESS);
    /* Only the three pre-instance functions may be had without an instance. */
    PFN_xrVoidFunction fn = (PFN_xrVoidFunction)1;
    assert_int_equal(gipa(XR_NULL_HANDLE, "xrPollEvent", &fn), XR_ERROR_HANDLE_INVALID);

    const char *exts[] = {"XR_KHR_vulkan_enable", "XR_KHR_vulkan_enable2", "XR_KHR_composition_layer_depth",
                          "XR_KHR_convert_timespec_time", "XR_EXT_debug_utils"};
    XrInstanceCreateInfo ci = {
        .type = XR_TYPE_INSTANCE_CREATE_INFO,
        .applicationInfo = {.applicationName = "proc-table", .apiVersion = XR_MAKE_VERSION(1, 0, 0)},
        .enabledExtensionCount = 5,
        .enabledExtensionNames = exts};
    XrInstance inst = XR_NULL_HANDLE;
    assert_int_equal(create(&ci, &inst), XR_SUCCESS);
    for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
        fn = NULL;
        XrResult r = gipa(inst, core[i], &fn);
        if (r != XR_SUCCESS || !fn) fail_msg("%s did not resolve (%d)", core[i], (int)r);
    }
    for (size_t i = 0; i < sizeof(ext_fns) / sizeof(ext_fns[0]); i++) {
        fn = NULL;
        XrResult r = gipa(inst, ext_fns[i], &fn);
        if (r != XR_SUCCESS || !fn) fail_msg("%s did not resolve (%d)", ext_fns[i], (int)r);
    }
    fn = (PFN_xrVoidFunction)1;
    assert_int_equal(gipa(inst, "xrNoSuchFunctionKHR", &fn), XR_ERROR_FUNCTION_UNSUPPORTED);
    assert_null(fn);
    PFN_xrDestroyInstance destroy = NULL;
    gipa(inst, "xrDestroyInstance", (PFN_xrVoidFunction *)&destroy);
    assert_int_equal(destroy(inst), XR_SUCCESS);
    dlclose(lib);
}

static void test_instance_and_system(void **state)
{
    fixture *f = *state;
    XrInstanceProperties ip = {.type = XR_TYPE_INSTANCE_PROPERTIES};
    XR_OK(xrGetInstanceProperties(f->instance, &ip));
    assert_non_null(strstr(ip.runtimeName, "Parallax"));

    XrSystemGetInfo hand = {.type = XR_TYPE_SYSTEM_GET_INFO, .formFactor = XR_FORM_FACTOR_HANDHELD_DISPLAY};
    XrSystemId sid = 0;
    assert_int_equal(xrGetSystem(f->instance, &hand, &sid), XR_ERROR_FORM_FACTOR_UNSUPPORTED);

    XrSystemProperties sp = {.type = XR_TYPE_SYSTEM_PROPERTIES};
    XR_OK(xrGetSystemProperties(f->instance, f->system, &sp));
    assert_true(sp.graphicsProperties.maxLayerCount >= XR_MIN_COMPOSITION_LAYERS_SUPPORTED);
    assert_true(sp.trackingProperties.orientationTracking);

    uint32_t n = 0;
    XrViewConfigurationView views[2] = {{.type = XR_TYPE_VIEW_CONFIGURATION_VIEW},
                                        {.type = XR_TYPE_VIEW_CONFIGURATION_VIEW}};
    XR_OK(xrEnumerateViewConfigurationViews(f->instance, f->system, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                            0, &n, NULL));
    assert_int_equal(n, 2);
    /* Two-call idiom: too small a buffer is an error. */
    assert_int_equal(xrEnumerateViewConfigurationViews(
                         f->instance, f->system, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 1, &n, views),
                     XR_ERROR_SIZE_INSUFFICIENT);
    XR_OK(xrEnumerateViewConfigurationViews(f->instance, f->system, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                            2, &n, views));
    /* The test environment sets PARALLAX_SIM_EYE_SIZE=320x240. */
    assert_int_equal(views[0].recommendedImageRectWidth, 320);
    assert_int_equal(views[0].recommendedImageRectHeight, 240);

    XrEnvironmentBlendMode modes[4];
    XR_OK(xrEnumerateEnvironmentBlendModes(f->instance, f->system, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                           4, &n, modes));
    assert_int_equal(n, 1);
    assert_int_equal(modes[0], XR_ENVIRONMENT_BLEND_MODE_OPAQUE);

    XrPath p = XR_NULL_PATH;
    assert_int_equal(xrStringToPath(f->instance, "not a path", &p), XR_ERROR_PATH_FORMAT_INVALID);
    XR_OK(xrStringToPath(f->instance, "/user/hand/left", &p));
    char buf[64];
    XR_OK(xrPathToString(f->instance, p, sizeof(buf), &n, buf));
    assert_string_equal(buf, "/user/hand/left");

    PFN_xrConvertTimespecTimeToTimeKHR to_time =
        (PFN_xrConvertTimespecTimeToTimeKHR)get_fn(f->instance, "xrConvertTimespecTimeToTimeKHR");
    struct timespec ts = {.tv_sec = 12, .tv_nsec = 345};
    XrTime t = 0;
    XR_OK(to_time(f->instance, &ts, &t));
    assert_int_equal(t, 12000000345LL);
}

/* The session lifecycle with its events, and call-order errors, exactly as the spec orders them. */
static void test_session_lifecycle(void **state)
{
    fixture *f = *state;
    f->session = create_session(f);
    XrSession s = f->session;
    assert_int_equal(next_state(f->instance), XR_SESSION_STATE_IDLE);
    assert_int_equal(next_state(f->instance), XR_SESSION_STATE_READY);

    /* Frame calls before xrBeginSession. */
    XrFrameState fs = {.type = XR_TYPE_FRAME_STATE};
    assert_int_equal(xrWaitFrame(s, NULL, &fs), XR_ERROR_SESSION_NOT_RUNNING);
    assert_int_equal(xrEndSession(s), XR_ERROR_SESSION_NOT_RUNNING);
    assert_int_equal(xrRequestExitSession(s), XR_ERROR_SESSION_NOT_RUNNING);

    XrSessionBeginInfo bi = {.type = XR_TYPE_SESSION_BEGIN_INFO,
                             .primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_MONO};
    assert_int_equal(xrBeginSession(s, &bi), XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED);
    bi.primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
    XR_OK(xrBeginSession(s, &bi));
    assert_int_equal(xrBeginSession(s, &bi), XR_ERROR_SESSION_RUNNING);
    assert_int_equal(xrEndSession(s), XR_ERROR_SESSION_NOT_STOPPING);

    /* xrBeginFrame needs a prior xrWaitFrame; xrEndFrame needs xrBeginFrame. */
    assert_int_equal(xrBeginFrame(s, NULL), XR_ERROR_CALL_ORDER_INVALID);
    XrFrameEndInfo ei = {.type = XR_TYPE_FRAME_END_INFO,
                         .environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE};
    ei.displayTime = now_ns();
    assert_int_equal(xrEndFrame(s, &ei), XR_ERROR_CALL_ORDER_INVALID);

    /* Beginning a frame twice discards the first. */
    XR_OK(xrWaitFrame(s, NULL, &fs));
    XR_OK(xrBeginFrame(s, NULL));
    XR_OK(xrWaitFrame(s, NULL, &fs));
    assert_int_equal(xrBeginFrame(s, NULL), XR_FRAME_DISCARDED);
    ei.displayTime = fs.predictedDisplayTime;
    ei.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_ADDITIVE;
    assert_int_equal(xrEndFrame(s, &ei), XR_ERROR_ENVIRONMENT_BLEND_MODE_UNSUPPORTED);
    ei.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
    ei.displayTime = 0;
    assert_int_equal(xrEndFrame(s, &ei), XR_ERROR_TIME_INVALID);
    ei.displayTime = fs.predictedDisplayTime;
    XR_OK(xrEndFrame(s, &ei));

    /* Frames flowing: SYNCHRONIZED, VISIBLE, FOCUSED, in that order. */
    int want[] = {XR_SESSION_STATE_SYNCHRONIZED, XR_SESSION_STATE_VISIBLE, XR_SESSION_STATE_FOCUSED};
    int got = 0;
    for (int i = 0; i < 30 && got < 3; i++) {
        run_empty_frame(s, NULL);
        int st;
        while (got < 3 && (st = next_state(f->instance)) >= 0) {
            assert_int_equal(st, want[got]);
            got++;
        }
    }
    assert_int_equal(got, 3);

    XR_OK(xrRequestExitSession(s));
    int stopping = 0;
    for (int i = 0; i < 30 && !stopping; i++) {
        run_empty_frame(s, NULL);
        int st;
        while ((st = next_state(f->instance)) >= 0) {
            assert_true(st == XR_SESSION_STATE_VISIBLE || st == XR_SESSION_STATE_SYNCHRONIZED ||
                        st == XR_SESSION_STATE_STOPPING);
            if (st == XR_SESSION_STATE_STOPPING) stopping = 1;
        }
    }
    assert_true(stopping);
    XR_OK(xrEndSession(s));
    assert_int_equal(next_state(f->instance), XR_SESSION_STATE_IDLE);
    assert_int_equal(next_state(f->instance), XR_SESSION_STATE_EXITING);
    XR_OK(xrDestroySession(s));
    f->session = XR_NULL_HANDLE;
}

/* xrWaitFrame paces on a vsync grid at the configured refresh rate (PARALLAX_SIM_REFRESH_HZ=90 here). */
static void test_wait_frame_vsync_grid(void **state)
{
    fixture *f = *state;
    f->session = create_session(f);
    XrSessionBeginInfo bi = {.type = XR_TYPE_SESSION_BEGIN_INFO,
                             .primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO};
    XR_OK(xrBeginSession(f->session, &bi));
    XrFrameState prev = {0}, fs = {0};
    const int64_t period = 1000000000LL / 90;
    for (int i = 0; i < 20; i++) {
        int64_t before = now_ns();
        run_empty_frame(f->session, &fs);
        assert_true(llabs(fs.predictedDisplayPeriod - period) < 1000);
        assert_true(fs.predictedDisplayTime > before);
        if (i > 0) {
            int64_t d = fs.predictedDisplayTime - prev.predictedDisplayTime;
            assert_true(d > 0);
            /* Consecutive display times lie on the same grid. */
            double k = (double)d / (double)fs.predictedDisplayPeriod;
            assert_true(fabs(k - round(k)) < 0.01);
        }
        prev = fs;
    }
    XR_OK(xrRequestExitSession(f->session));
    XR_OK(xrDestroySession(f->session));
    f->session = XR_NULL_HANDLE;
    while (next_state(f->instance) >= 0) {
    }
}

/* With PARALLAX_SIM_MOTION=still the two eyes sit IPD apart along the head's x axis. */
static void test_locate_views_ipd(void **state)
{
    fixture *f = *state;
    f->session = create_session(f);
    XrReferenceSpaceCreateInfo rci = {.type = XR_TYPE_REFERENCE_SPACE_CREATE_INFO,
                                      .referenceSpaceType = XR_REFERENCE_SPACE_TYPE_LOCAL,
                                      .poseInReferenceSpace = {.orientation = {0, 0, 0, 1}}};
    XrSpace local = XR_NULL_HANDLE;
    XR_OK(xrCreateReferenceSpace(f->session, &rci, &local));
    rci.poseInReferenceSpace.orientation.w = 2.0f; /* not unit */
    XrSpace bad = XR_NULL_HANDLE;
    assert_int_equal(xrCreateReferenceSpace(f->session, &rci, &bad), XR_ERROR_POSE_INVALID);

    XrViewLocateInfo li = {.type = XR_TYPE_VIEW_LOCATE_INFO,
                           .viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                           .displayTime = now_ns() + 20000000,
                           .space = local};
    XrViewState vs = {.type = XR_TYPE_VIEW_STATE};
    XrView views[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
    uint32_t n = 0;
    XR_OK(xrLocateViews(f->session, &li, &vs, 2, &n, views));
    assert_int_equal(n, 2);
    assert_true(vs.viewStateFlags & XR_VIEW_STATE_ORIENTATION_VALID_BIT);
    float dx = views[1].pose.position.x - views[0].pose.position.x;
    float dy = views[1].pose.position.y - views[0].pose.position.y;
    float dz = views[1].pose.position.z - views[0].pose.position.z;
    assert_true(fabsf(sqrtf(dx * dx + dy * dy + dz * dz) - 0.063f) < 1e-4f);
    assert_true(dx > 0.06f); /* right eye to the right when looking down -Z */
    assert_true(views[0].fov.angleLeft < 0 && views[0].fov.angleRight > 0);

    /* VIEW space located in LOCAL carries velocities when asked. */
    rci.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_VIEW;
    rci.poseInReferenceSpace.orientation.w = 1.0f;
    XrSpace view = XR_NULL_HANDLE;
    XR_OK(xrCreateReferenceSpace(f->session, &rci, &view));
    XrSpaceVelocity vel = {.type = XR_TYPE_SPACE_VELOCITY};
    XrSpaceLocation loc = {.type = XR_TYPE_SPACE_LOCATION, .next = &vel};
    XR_OK(xrLocateSpace(view, local, li.displayTime, &loc));
    assert_true(loc.locationFlags & XR_SPACE_LOCATION_ORIENTATION_VALID_BIT);
    assert_true(vel.velocityFlags & XR_SPACE_VELOCITY_ANGULAR_VALID_BIT);
    assert_true(fabsf(vel.angularVelocity.y) < 0.05f); /* still head: gyro noise only */

    XR_OK(xrDestroySpace(view));
    XR_OK(xrDestroySpace(local));
    assert_int_equal(xrDestroySpace(local), XR_ERROR_HANDLE_INVALID);
    XR_OK(xrDestroySession(f->session));
    f->session = XR_NULL_HANDLE;
    while (next_state(f->instance) >= 0) {
    }
}

/* Array swapchains with 2 layers: image enumeration and the acquire/wait/release order rules. */
static void test_swapchain_rules(void **state)
{
    fixture *f = *state;
    f->session = create_session(f);
    uint32_t n = 0;
    int64_t formats[32];
    XR_OK(xrEnumerateSwapchainFormats(f->session, 32, &n, formats));
    assert_true(n >= 3);
    int has_srgb = 0, has_depth = 0;
    for (uint32_t i = 0; i < n; i++) {
        has_srgb |= formats[i] == VK_FORMAT_R8G8B8A8_SRGB || formats[i] == VK_FORMAT_B8G8R8A8_SRGB;
        has_depth |= formats[i] == VK_FORMAT_D32_SFLOAT || formats[i] == VK_FORMAT_D16_UNORM;
    }
    assert_true(has_srgb && has_depth);

    XrSwapchainCreateInfo ci = {.type = XR_TYPE_SWAPCHAIN_CREATE_INFO,
                                .usageFlags = XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT,
                                .format = 12345,
                                .sampleCount = 1,
                                .width = 320,
                                .height = 240,
                                .faceCount = 1,
                                .arraySize = 2,
                                .mipCount = 1};
    XrSwapchain sc = XR_NULL_HANDLE;
    assert_int_equal(xrCreateSwapchain(f->session, &ci, &sc), XR_ERROR_SWAPCHAIN_FORMAT_UNSUPPORTED);
    ci.format = VK_FORMAT_R8G8B8A8_SRGB;
    XR_OK(xrCreateSwapchain(f->session, &ci, &sc));
    XR_OK(xrEnumerateSwapchainImages(sc, 0, &n, NULL));
    assert_true(n >= 2 && n <= 8);
    XrSwapchainImageVulkanKHR imgs[8];
    for (int i = 0; i < 8; i++)
        imgs[i] = (XrSwapchainImageVulkanKHR){.type = XR_TYPE_SWAPCHAIN_IMAGE_VULKAN_KHR};
    XR_OK(xrEnumerateSwapchainImages(sc, n, &n, (XrSwapchainImageBaseHeader *)imgs));
    for (uint32_t i = 0; i < n; i++) assert_non_null(imgs[i].image);

    XrSwapchainImageWaitInfo wi = {.type = XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO,
                                   .timeout = XR_INFINITE_DURATION};
    assert_int_equal(xrWaitSwapchainImage(sc, &wi), XR_ERROR_CALL_ORDER_INVALID);
    assert_int_equal(xrReleaseSwapchainImage(sc, NULL), XR_ERROR_CALL_ORDER_INVALID);
    uint32_t idx = 99;
    XR_OK(xrAcquireSwapchainImage(sc, NULL, &idx));
    assert_true(idx < n);
    assert_int_equal(xrReleaseSwapchainImage(sc, NULL), XR_ERROR_CALL_ORDER_INVALID);
    XR_OK(xrWaitSwapchainImage(sc, &wi));
    XR_OK(xrReleaseSwapchainImage(sc, NULL));
    /* Images come round in order. */
    uint32_t idx2 = 99;
    XR_OK(xrAcquireSwapchainImage(sc, NULL, &idx2));
    assert_int_equal(idx2, (idx + 1) % n);
    XR_OK(xrWaitSwapchainImage(sc, &wi));
    XR_OK(xrReleaseSwapchainImage(sc, NULL));

    XR_OK(xrDestroySwapchain(sc));
    assert_int_equal(xrAcquireSwapchainImage(sc, NULL, &idx), XR_ERROR_HANDLE_INVALID);
    XR_OK(xrDestroySession(f->session));
    f->session = XR_NULL_HANDLE;
    while (next_state(f->instance) >= 0) {
    }
}

int main(void)
{
    setenv("PARALLAX_SIM_EYE_SIZE", "320x240", 1);
    setenv("PARALLAX_SIM_REFRESH_HZ", "90", 1);
    setenv("PARALLAX_SIM_MOTION", "still", 1);
    const struct CMUnitTest direct[] = {cmocka_unit_test(test_every_function_resolves)};
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instance_and_system),   cmocka_unit_test(test_session_lifecycle),
        cmocka_unit_test(test_wait_frame_vsync_grid), cmocka_unit_test(test_locate_views_ipd),
        cmocka_unit_test(test_swapchain_rules),
    };
    int failed = cmocka_run_group_tests_name("sim_negotiation", direct, NULL, NULL);
    failed += cmocka_run_group_tests_name("sim_openxr", tests, setup, teardown);
    return failed ? 1 : 0;
}
