/* SPDX-License-Identifier: MIT */
/* Every rejection names its condition and rule: each call below breaks one rule of the specification, and the
 * runtime must answer it with the error code the specification gives, and (with the Parallax simulated
 * headset) one message that names the call, the exact condition (the parameter and its value) and the rule it
 * breaks (the valid-usage ID or the section). The issue (10 §1): "every validation message names the exact
 * condition"; the brief asks the same of every non-layer rejection: NULL pointers and wrong structure types
 * (the implicit valid usage, "VUID-xrFoo-param-parameter", "VUID-XrStruct-type-type"), bad handles, call
 * order and session state, unsupported paths, profiles, names, view configurations, reference spaces, poses,
 * times, swapchain misuse, two-call buffer sizes, action sets and actions; and, when the runtime offers them,
 * misuse of XR_KHR_convert_timespec_time, XR_EXT_debug_utils, XR_KHR_visibility_mask, XR_EXT_hand_tracking
 * and XR_META_performance_metrics (their extension appendices). Calls the loader answers itself
 * (xrCreateInstance's checks, the session label functions) are left out: the runtime never sees them. Spec:
 * OpenXR 1.0 and 1.1, xrspec.html#fundamentals-valid-usage (implicit valid usage), #fundamentals-handles,
 * #fundamentals-buffer-size-parameters, #well-formed-path-strings, #session-lifecycle, #xrBeginFrame,
 * #xrEndFrame, #xrWaitSwapchainImage, #xrReleaseSwapchainImage, #xrCreateSwapchain, #xrCreateReferenceSpace,
 * #xrCreateActionSet, #xrCreateAction, #xrSuggestInteractionProfileBindings, #xrAttachSessionActionSets,
 * #xrSyncActions, #xrGetActionStateBoolean, #xrCreateActionSpace, #xrApplyHapticFeedback, #xrGetSystem,
 * #xrLocateViews, #xrLocateSpace, #xrPathToString, #xrStringToPath. Prints one line per rejection. */
#include "conf_layers.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "rejections_name_the_condition"

static bool g_parallax; /* message checks only with the Parallax simulated headset */
static int g_checked;

/* Ends the stderr capture begun for one call and checks its result and that its message holds every needle.
 */
static void reject(conf *c, const char *call, XrResult got, XrResult want, const char *const *needles)
{
    char err[8192] = "";
    if (g_parallax) conf_stderr_end(c, err, sizeof(err));
    g_checked++;
    printf("  %s -> %s\n", call, conf_result_name(got));
    conf_xr_expect(c, __FILE__, __LINE__, call, got, want);
    for (int i = 0; g_parallax && needles[i]; i++)
        CONF_CHECK(c, strstr(err, needles[i]) != NULL, "%s: the runtime's message does not name \"%s\"", call,
                   needles[i]);
}
static void begin_capture(conf *c)
{
    if (g_parallax) conf_stderr_begin(c);
}
/* REJECT(c, call, result, "needle", ...): the call returns result and its message holds every needle. */
#define REJECT(c, call, want, ...) \
    reject((c), #call, (begin_capture(c), (call)), (want), (const char *const[]){__VA_ARGS__, NULL})

#define BAD_HANDLE(T) ((T)(uintptr_t)0xdead0)

int main(void)
{
    conf c;
    conf_start(&c, NAME, "every rejection names the call, the condition and the rule");
    /* Info level: xrGetInstanceProcAddr's answers to probes are reported there (an app probes on purpose). */
    setenv("PARALLAX_SIM_LOG", "info", 1);
    /* The extensions whose rejections are checked too, those the runtime offers (the others' cases are left
     * out, so a runtime without them is still checked on the core calls). */
    const char *wanted[] = {XR_KHR_CONVERT_TIMESPEC_TIME_EXTENSION_NAME, XR_EXT_DEBUG_UTILS_EXTENSION_NAME,
                            XR_KHR_VISIBILITY_MASK_EXTENSION_NAME, XR_EXT_HAND_TRACKING_EXTENSION_NAME,
                            XR_META_PERFORMANCE_METRICS_EXTENSION_NAME};
    const char *exts[5];
    uint32_t next = 0;
    for (int i = 0; i < 5; i++)
        if (conf_extension_listed(wanted[i])) exts[next++] = wanted[i];
    const bool all_exts = next == 5;
    printf("  %u of the 5 extensions offered%s\n", next,
           all_exts ? "" : ": their rejections are not checked");
    const conf_desc desc = {
        .extensions = exts,
        .extension_count = next,
        .without_layer = true,
        .without_layer_reason =
            "the core validation layer answers NULL pointers, wrong structure types and bad "
            "handles itself, before the runtime; this test checks the runtime's own answers"};
    if (!conf_instance(&c, &desc)) return conf_finish(&c);
    g_parallax = conf_runtime_is_parallax(&c);
    const XrInstance in = c.instance;
    const XrSystemId sys = c.system;

    /* ---- instance, system, paths */
    XrSystemProperties sp = {.type = XR_TYPE_SYSTEM_PROPERTIES};
    REJECT(&c, xrGetSystemProperties(in, 99, &sp), XR_ERROR_SYSTEM_INVALID, "systemId 99 is not the system",
           "spec xrGetSystem");
    REJECT(&c, xrGetSystemProperties(in, sys, NULL), XR_ERROR_VALIDATION_FAILURE, "properties is NULL",
           "VUID-xrGetSystemProperties-properties-parameter");
    XrSystemProperties sp_bad = {.type = XR_TYPE_INSTANCE_PROPERTIES};
    REJECT(&c, xrGetSystemProperties(in, sys, &sp_bad), XR_ERROR_VALIDATION_FAILURE,
           "properties->type is 32, not XR_TYPE_SYSTEM_PROPERTIES", "VUID-XrSystemProperties-type-type");
    REJECT(&c, xrGetInstanceProperties(in, NULL), XR_ERROR_VALIDATION_FAILURE, "instanceProperties is NULL",
           "VUID-xrGetInstanceProperties-instanceProperties-parameter");
    XrSystemId sid;
    XrSystemGetInfo sgi_bad = {.type = XR_TYPE_SYSTEM_PROPERTIES,
                               .formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY};
    REJECT(&c, xrGetSystem(in, &sgi_bad, &sid), XR_ERROR_VALIDATION_FAILURE,
           "getInfo->type is 5, not XR_TYPE_SYSTEM_GET_INFO", "VUID-XrSystemGetInfo-type-type");
    XrPath path;
    REJECT(&c, xrStringToPath(in, "/user/Hand/left", &path), XR_ERROR_PATH_FORMAT_INVALID,
           "\"/user/Hand/left\" is not a well-formed path", "well-formed-path-strings");
    REJECT(&c, xrStringToPath(in, "/user/hand/left", NULL), XR_ERROR_VALIDATION_FAILURE, "path is NULL",
           "VUID-xrStringToPath-path-parameter");
    char buf[64];
    uint32_t n = 0;
    REJECT(&c, xrPathToString(in, 123456, sizeof(buf), &n, buf), XR_ERROR_PATH_INVALID,
           "path 123456 was not returned by xrStringToPath", "spec xrPathToString");
    XrViewConfigurationView vcv[2] = {{.type = XR_TYPE_VIEW_CONFIGURATION_VIEW},
                                      {.type = XR_TYPE_VIEW_CONFIGURATION_VIEW}};
    REJECT(&c, xrEnumerateViewConfigurationViews(in, sys, (XrViewConfigurationType)7, 2, &n, vcv),
           XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED, "viewConfigurationType 7 is not one",
           "spec xrEnumerateViewConfigurationViews");
    REJECT(&c,
           xrEnumerateViewConfigurationViews(in, sys, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 1, &n, vcv),
           XR_ERROR_SIZE_INSUFFICIENT, "viewCapacityInput is 1, fewer than the 2 elements",
           "fundamentals-buffer-size-parameters");
    REJECT(
        &c,
        xrEnumerateViewConfigurationViews(in, sys, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 0, NULL, NULL),
        XR_ERROR_VALIDATION_FAILURE, "viewCountOutput is NULL", "fundamentals-buffer-size-parameters");
    XrViewConfigurationView vcv_bad[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
    REJECT(
        &c,
        xrEnumerateViewConfigurationViews(in, sys, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 2, &n, vcv_bad),
        XR_ERROR_VALIDATION_FAILURE, "views[0].type is 7, not XR_TYPE_VIEW_CONFIGURATION_VIEW",
        "VUID-XrViewConfigurationView-type-type");
    XrEnvironmentBlendMode modes[4];
    REJECT(&c, xrEnumerateEnvironmentBlendModes(in, sys, (XrViewConfigurationType)7, 4, &n, modes),
           XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED, "viewConfigurationType 7 is not one",
           "spec xrEnumerateEnvironmentBlendModes");
    PFN_xrVoidFunction fn = NULL;
    REJECT(&c, xrGetInstanceProcAddr(in, "xrNoSuchFunctionPLX", &fn), XR_ERROR_FUNCTION_UNSUPPORTED,
           "xrNoSuchFunctionPLX is no function of this runtime", "spec xrGetInstanceProcAddr");

    /* ---- extensions at the instance */
    PFN_xrConvertTimeToTimespecTimeKHR to_ts =
        all_exts ? (PFN_xrConvertTimeToTimespecTimeKHR)conf_proc(&c, "xrConvertTimeToTimespecTimeKHR") : NULL;
    PFN_xrConvertTimespecTimeToTimeKHR to_time =
        all_exts ? (PFN_xrConvertTimespecTimeToTimeKHR)conf_proc(&c, "xrConvertTimespecTimeToTimeKHR") : NULL;
    PFN_xrSubmitDebugUtilsMessageEXT submit =
        all_exts ? (PFN_xrSubmitDebugUtilsMessageEXT)conf_proc(&c, "xrSubmitDebugUtilsMessageEXT") : NULL;
    PFN_xrSetDebugUtilsObjectNameEXT set_name =
        all_exts ? (PFN_xrSetDebugUtilsObjectNameEXT)conf_proc(&c, "xrSetDebugUtilsObjectNameEXT") : NULL;
    struct timespec ts;
    XrTime t;
    if (to_ts && to_time && submit && set_name) {
        REJECT(&c, to_ts(in, 0, &ts), XR_ERROR_TIME_INVALID, "time 0 is not an XrTime (0 or less)",
               "spec xrConvertTimeToTimespecTimeKHR");
        REJECT(&c, to_time(in, NULL, &t), XR_ERROR_VALIDATION_FAILURE, "timespecTime is NULL",
               "VUID-xrConvertTimespecTimeToTimeKHR-timespecTime-parameter");
        REJECT(&c,
               submit(in, XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT,
                      XR_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT, NULL),
               XR_ERROR_VALIDATION_FAILURE, "callbackData is NULL",
               "valid usage of xrSubmitDebugUtilsMessageEXT");
        XrDebugUtilsObjectNameInfoEXT ni = {.type = XR_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT,
                                            .objectType = XR_OBJECT_TYPE_UNKNOWN,
                                            .objectHandle = (uint64_t)(uintptr_t)in,
                                            .objectName = "x"};
        REJECT(&c, set_name(in, &ni), XR_ERROR_VALIDATION_FAILURE,
               "nameInfo->objectType is XR_OBJECT_TYPE_UNKNOWN",
               "valid usage of XrDebugUtilsObjectNameInfoEXT");
    }

    /* ---- action sets, actions, bindings */
    XrActionSetCreateInfo asci = {.type = XR_TYPE_ACTION_SET_CREATE_INFO};
    XrActionSet set = XR_NULL_HANDLE, other = XR_NULL_HANDLE;
    snprintf(asci.actionSetName, sizeof(asci.actionSetName), "Bad Name");
    snprintf(asci.localizedActionSetName, sizeof(asci.localizedActionSetName), "Bad");
    REJECT(&c, xrCreateActionSet(in, &asci, &other), XR_ERROR_PATH_FORMAT_INVALID,
           "createInfo->actionSetName \"Bad Name\" has the character 'B'", "well-formed-path-strings");
    snprintf(asci.actionSetName, sizeof(asci.actionSetName), "gameplay");
    asci.localizedActionSetName[0] = '\0';
    REJECT(&c, xrCreateActionSet(in, &asci, &other), XR_ERROR_LOCALIZED_NAME_INVALID,
           "createInfo->localizedActionSetName is empty", "spec xrCreateActionSet");
    snprintf(asci.localizedActionSetName, sizeof(asci.localizedActionSetName), "Gameplay");
    CONF_XR(&c, xrCreateActionSet(in, &asci, &set));
    snprintf(asci.localizedActionSetName, sizeof(asci.localizedActionSetName), "Gameplay 2");
    REJECT(&c, xrCreateActionSet(in, &asci, &other), XR_ERROR_NAME_DUPLICATED,
           "actionSetName \"gameplay\" is already used", "names must be unique");
    REJECT(&c, xrDestroyActionSet(BAD_HANDLE(XrActionSet)), XR_ERROR_HANDLE_INVALID,
           "actionSet (0xdead0) is not a valid XrActionSet handle", "must be a valid XrActionSet handle");
    XrPath left = conf_path(&c, "/user/hand/left"), left_input = conf_path(&c, "/user/hand/left/input");
    XrActionCreateInfo aci = {.type = XR_TYPE_ACTION_CREATE_INFO, .actionType = (XrActionType)42};
    snprintf(aci.actionName, sizeof(aci.actionName), "fire");
    snprintf(aci.localizedActionName, sizeof(aci.localizedActionName), "Fire");
    XrAction action = XR_NULL_HANDLE, spare = XR_NULL_HANDLE, pose = XR_NULL_HANDLE;
    REJECT(&c, xrCreateAction(set, &aci, &spare), XR_ERROR_VALIDATION_FAILURE,
           "createInfo->actionType 42 is no XrActionType", "VUID-XrActionCreateInfo-actionType-parameter");
    aci.actionType = XR_ACTION_TYPE_BOOLEAN_INPUT;
    aci.countSubactionPaths = 1;
    aci.subactionPaths = &left_input;
    REJECT(&c, xrCreateAction(set, &aci, &spare), XR_ERROR_PATH_UNSUPPORTED,
           "createInfo->subactionPaths[0] \"/user/hand/left/input\" is not a top-level user path",
           "semantic-paths-user");
    const XrPath twice[2] = {left, left};
    aci.countSubactionPaths = 2;
    aci.subactionPaths = twice;
    REJECT(&c, xrCreateAction(set, &aci, &spare), XR_ERROR_PATH_UNSUPPORTED,
           "createInfo->subactionPaths[1] repeats subactionPaths[0] (/user/hand/left)",
           "spec xrCreateAction");
    aci.countSubactionPaths = 0;
    aci.subactionPaths = NULL;
    CONF_XR(&c, xrCreateAction(set, &aci, &action));
    aci.actionType = XR_ACTION_TYPE_POSE_INPUT;
    snprintf(aci.actionName, sizeof(aci.actionName), "aim");
    snprintf(aci.localizedActionName, sizeof(aci.localizedActionName), "Aim");
    CONF_XR(&c, xrCreateAction(set, &aci, &pose));
    XrInteractionProfileSuggestedBinding sb = {
        .type = XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING,
        .interactionProfile = conf_path(&c, "/interaction_profiles/khr/simple_controller")};
    REJECT(&c, xrSuggestInteractionProfileBindings(in, &sb), XR_ERROR_VALIDATION_FAILURE,
           "countSuggestedBindings is 0",
           "VUID-XrInteractionProfileSuggestedBinding-countSuggestedBindings-arraylength");
    XrActionSuggestedBinding b = {action, conf_path(&c, "/user/hand/left/input/trigger/value")};
    sb.countSuggestedBindings = 1;
    sb.suggestedBindings = &b;
    REJECT(&c, xrSuggestInteractionProfileBindings(in, &sb), XR_ERROR_PATH_UNSUPPORTED,
           "/user/hand/left/input/trigger/value is not a binding path of "
           "/interaction_profiles/khr/simple_controller",
           "not in the profile's allowlist");
    sb.interactionProfile = conf_path(&c, "/interaction_profiles/acme/no_controller");
    REJECT(&c, xrSuggestInteractionProfileBindings(in, &sb), XR_ERROR_PATH_UNSUPPORTED,
           "interaction profile /interaction_profiles/acme/no_controller is not supported",
           "semantic-paths-interaction-profiles");
    sb.interactionProfile = conf_path(&c, "/interaction_profiles/khr/simple_controller");
    b.binding = conf_path(&c, "/user/hand/left/input/select/click");
    CONF_XR(&c, xrSuggestInteractionProfileBindings(in, &sb));

    /* ---- the session before xrBeginSession */
    if (conf_session(&c)) {
        const XrSession s = c.session;
        XrGraphicsBindingVulkan2KHR gb = {.type = XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR,
                                          .instance = c.vk_instance,
                                          .physicalDevice = c.vk_physical,
                                          .device = c.vk_device,
                                          .queueFamilyIndex = c.queue_family};
        XrSessionCreateInfo sci = {.type = XR_TYPE_SESSION_CREATE_INFO, .next = &gb, .systemId = sys};
        XrSession s2;
        REJECT(&c, xrCreateSession(in, &sci, &s2), XR_ERROR_LIMIT_REACHED,
               "the instance has a session already", "spec xrCreateSession");
        sci.next = NULL;
        REJECT(&c, xrCreateSession(in, &sci, &s2), XR_ERROR_GRAPHICS_DEVICE_INVALID,
               "no XrGraphicsBindingVulkanKHR (or XrGraphicsBindingVulkan2KHR) in createInfo->next",
               "spec xrCreateSession");
        REJECT(&c, xrCreateSession(in, NULL, &s2), XR_ERROR_VALIDATION_FAILURE, "createInfo is NULL",
               "VUID-xrCreateSession-createInfo-parameter");
        XrFrameState fs = {.type = XR_TYPE_FRAME_STATE};
        REJECT(&c, xrWaitFrame(s, NULL, &fs), XR_ERROR_SESSION_NOT_RUNNING, "the session is not running",
               "spec xrWaitFrame");
        REJECT(&c, xrEndSession(s), XR_ERROR_SESSION_NOT_RUNNING, "the session is not running",
               "spec xrEndSession");
        REJECT(&c, xrRequestExitSession(s), XR_ERROR_SESSION_NOT_RUNNING, "the session is not running",
               "spec xrRequestExitSession");
        REJECT(&c, xrBeginSession(s, NULL), XR_ERROR_VALIDATION_FAILURE, "beginInfo is NULL",
               "VUID-xrBeginSession-beginInfo-parameter");
        XrSessionBeginInfo bi = {.type = XR_TYPE_SESSION_BEGIN_INFO,
                                 .primaryViewConfigurationType = (XrViewConfigurationType)7};
        REJECT(&c, xrBeginSession(s, &bi), XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED,
               "beginInfo->primaryViewConfigurationType 7 is not supported", "spec xrBeginSession");
        REJECT(&c, xrBeginFrame(BAD_HANDLE(XrSession), NULL), XR_ERROR_HANDLE_INVALID,
               "session (0xdead0) is not a valid XrSession handle", "must be a valid XrSession handle");

        /* spaces */
        XrReferenceSpaceCreateInfo rci = {.type = XR_TYPE_REFERENCE_SPACE_CREATE_INFO,
                                          .referenceSpaceType = (XrReferenceSpaceType)99,
                                          .poseInReferenceSpace = {.orientation = {0, 0, 0, 1}}};
        XrSpace space;
        REJECT(&c, xrCreateReferenceSpace(s, &rci, &space), XR_ERROR_REFERENCE_SPACE_UNSUPPORTED,
               "reference space type 99 is not one xrEnumerateReferenceSpaces lists",
               "spec xrCreateReferenceSpace");
        rci.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_LOCAL;
        rci.poseInReferenceSpace.orientation.w = 0;
        REJECT(&c, xrCreateReferenceSpace(s, &rci, &space), XR_ERROR_POSE_INVALID,
               "createInfo->poseInReferenceSpace is not a valid pose", "must be a unit quaternion");
        XrSpaceLocation loc = {.type = XR_TYPE_SPACE_LOCATION};
        REJECT(&c, xrLocateSpace(c.local, c.local, 0, &loc), XR_ERROR_TIME_INVALID,
               "time 0 is not an XrTime (0 or less)", "spec XrTime");
        REJECT(&c, xrLocateSpace(c.local, BAD_HANDLE(XrSpace), 1, &loc), XR_ERROR_HANDLE_INVALID,
               "baseSpace (0xdead0) is not a valid XrSpace handle", "must be a valid XrSpace handle");
        XrViewLocateInfo vli = {.type = XR_TYPE_VIEW_LOCATE_INFO,
                                .viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                .displayTime = 0,
                                .space = c.local};
        XrViewState vs = {.type = XR_TYPE_VIEW_STATE};
        XrView views[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
        REJECT(&c, xrLocateViews(s, &vli, &vs, 2, &n, views), XR_ERROR_TIME_INVALID,
               "viewLocateInfo->displayTime 0 is not an XrTime", "spec XrTime");
        vli.displayTime = 1;
        REJECT(&c, xrLocateViews(s, &vli, NULL, 2, &n, views), XR_ERROR_VALIDATION_FAILURE,
               "viewState is NULL", "VUID-xrLocateViews-viewState-parameter");

        /* swapchains */
        int64_t formats[32];
        uint32_t nf = 0;
        REJECT(&c, xrEnumerateSwapchainFormats(s, 1, &nf, formats), XR_ERROR_SIZE_INSUFFICIENT,
               "formatCapacityInput is 1, fewer than the", "fundamentals-buffer-size-parameters");
        CONF_XR(&c, xrEnumerateSwapchainFormats(s, 32, &nf, formats));
        XrSwapchainCreateInfo swci = {.type = XR_TYPE_SWAPCHAIN_CREATE_INFO,
                                      .usageFlags = XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT,
                                      .format = 12345,
                                      .sampleCount = 1,
                                      .width = 16,
                                      .height = 16,
                                      .faceCount = 1,
                                      .arraySize = 1,
                                      .mipCount = 1};
        XrSwapchain sc = XR_NULL_HANDLE;
        REJECT(&c, xrCreateSwapchain(s, &swci, &sc), XR_ERROR_SWAPCHAIN_FORMAT_UNSUPPORTED,
               "createInfo->format 12345 is not one xrEnumerateSwapchainFormats returned",
               "spec xrCreateSwapchain");
        swci.format = formats[0];
        swci.width = 0;
        REJECT(&c, xrCreateSwapchain(s, &swci, &sc), XR_ERROR_VALIDATION_FAILURE, "createInfo->width is 0",
               "spec XrSwapchainCreateInfo");
        REJECT(&c, xrCreateSwapchain(s, NULL, &sc), XR_ERROR_VALIDATION_FAILURE, "createInfo is NULL",
               "VUID-xrCreateSwapchain-createInfo-parameter");
        swci.width = 16;
        if (CONF_XR(&c, xrCreateSwapchain(s, &swci, &sc))) {
            XrSwapchainImageWaitInfo wi = {.type = XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO, .timeout = 0};
            REJECT(&c, xrWaitSwapchainImage(sc, &wi), XR_ERROR_CALL_ORDER_INVALID, "no image is acquired",
                   "spec xrWaitSwapchainImage");
            REJECT(&c, xrReleaseSwapchainImage(sc, NULL), XR_ERROR_CALL_ORDER_INVALID, "no image is acquired",
                   "spec xrReleaseSwapchainImage");
            XrSwapchainImageVulkan2KHR imgs[8];
            for (int i = 0; i < 8; i++) imgs[i] = (XrSwapchainImageVulkan2KHR){.type = XR_TYPE_VIEW};
            REJECT(&c, xrEnumerateSwapchainImages(sc, 8, &n, (XrSwapchainImageBaseHeader *)imgs),
                   XR_ERROR_VALIDATION_FAILURE, "images[0].type is 7, not XR_TYPE_SWAPCHAIN_IMAGE_VULKAN_KHR",
                   "VUID-XrSwapchainImageVulkanKHR-type-type");
            REJECT(&c, xrAcquireSwapchainImage(sc, NULL, NULL), XR_ERROR_VALIDATION_FAILURE, "index is NULL",
                   "VUID-xrAcquireSwapchainImage-index-parameter");
            xrDestroySwapchain(sc);
        }

        /* extensions of the session */
        /* (A session label call with a NULL labelInfo is answered by the loader, which implements the
         * labels.) */
        PFN_xrGetVisibilityMaskKHR get_mask =
            all_exts ? (PFN_xrGetVisibilityMaskKHR)conf_proc(&c, "xrGetVisibilityMaskKHR") : NULL;
        PFN_xrCreateHandTrackerEXT mk_tracker =
            all_exts ? (PFN_xrCreateHandTrackerEXT)conf_proc(&c, "xrCreateHandTrackerEXT") : NULL;
        PFN_xrLocateHandJointsEXT locate_joints =
            all_exts ? (PFN_xrLocateHandJointsEXT)conf_proc(&c, "xrLocateHandJointsEXT") : NULL;
        PFN_xrDestroyHandTrackerEXT rm_tracker =
            all_exts ? (PFN_xrDestroyHandTrackerEXT)conf_proc(&c, "xrDestroyHandTrackerEXT") : NULL;
        PFN_xrQueryPerformanceMetricsCounterMETA query =
            all_exts ? (PFN_xrQueryPerformanceMetricsCounterMETA)conf_proc(
                           &c, "xrQueryPerformanceMetricsCounterMETA")
                     : NULL;
        if (all_exts && get_mask && mk_tracker && locate_joints && rm_tracker && query) {
            XrVisibilityMaskKHR vm = {.type = XR_TYPE_VISIBILITY_MASK_KHR};
            REJECT(&c,
                   get_mask(s, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 5,
                            XR_VISIBILITY_MASK_TYPE_HIDDEN_TRIANGLE_MESH_KHR, &vm),
                   XR_ERROR_VALIDATION_FAILURE, "viewIndex 5 is out of range: PRIMARY_STEREO has 2 views",
                   "spec xrGetVisibilityMaskKHR");
            XrHandTrackerCreateInfoEXT hci = {.type = XR_TYPE_HAND_TRACKER_CREATE_INFO_EXT,
                                              .hand = (XrHandEXT)7,
                                              .handJointSet = XR_HAND_JOINT_SET_DEFAULT_EXT};
            XrHandTrackerEXT tracker = XR_NULL_HANDLE;
            REJECT(&c, mk_tracker(s, &hci, &tracker), XR_ERROR_VALIDATION_FAILURE,
                   "createInfo->hand 7 is no XrHandEXT", "VUID-XrHandTrackerCreateInfoEXT-hand-parameter");
            hci.hand = XR_HAND_LEFT_EXT;
            if (CONF_XR(&c, mk_tracker(s, &hci, &tracker))) {
                XrHandJointLocationEXT joints[3];
                XrHandJointLocationsEXT jl = {
                    .type = XR_TYPE_HAND_JOINT_LOCATIONS_EXT, .jointCount = 3, .jointLocations = joints};
                XrHandJointsLocateInfoEXT jli = {
                    .type = XR_TYPE_HAND_JOINTS_LOCATE_INFO_EXT, .baseSpace = c.local, .time = 1};
                REJECT(&c, locate_joints(tracker, &jli, &jl), XR_ERROR_VALIDATION_FAILURE,
                       "locations->jointCount is 3", "jointCount must be XR_HAND_JOINT_COUNT_EXT (26)");
                rm_tracker(tracker);
            }
            XrPerformanceMetricsCounterMETA counter = {.type = XR_TYPE_PERFORMANCE_METRICS_COUNTER_META};
            REJECT(&c, query(s, conf_path(&c, "/perfmetrics_meta/app/cpu_frametime"), &counter),
                   XR_ERROR_VALIDATION_FAILURE, "the performance metrics are not enabled",
                   "spec xrQueryPerformanceMetricsCounterMETA");
        }
        /* actions before and after attaching */
        XrInteractionProfileState ips = {.type = XR_TYPE_INTERACTION_PROFILE_STATE};
        REJECT(&c, xrGetCurrentInteractionProfile(s, left, &ips), XR_ERROR_ACTIONSET_NOT_ATTACHED,
               "no action set is attached to the session", "spec xrGetCurrentInteractionProfile");
        XrActiveActionSet active = {set, XR_NULL_PATH};
        XrActionsSyncInfo si = {
            .type = XR_TYPE_ACTIONS_SYNC_INFO, .countActiveActionSets = 1, .activeActionSets = &active};
        REJECT(&c, xrSyncActions(s, &si), XR_ERROR_ACTIONSET_NOT_ATTACHED, "no action set is attached",
               "spec xrSyncActions");
        XrActionStateGetInfo gi = {.type = XR_TYPE_ACTION_STATE_GET_INFO, .action = action};
        XrActionStateBoolean bs = {.type = XR_TYPE_ACTION_STATE_BOOLEAN};
        REJECT(&c, xrGetActionStateBoolean(s, &gi, &bs), XR_ERROR_ACTIONSET_NOT_ATTACHED,
               "action \"fire\"'s set \"gameplay\" is not attached to this session",
               "spec xrGetActionStateBoolean");
        XrSessionActionSetsAttachInfo ai = {
            .type = XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO, .countActionSets = 1, .actionSets = &set};
        CONF_XR(&c, xrAttachSessionActionSets(s, &ai));
        REJECT(&c, xrAttachSessionActionSets(s, &ai), XR_ERROR_ACTIONSETS_ALREADY_ATTACHED,
               "the session has action sets attached already", "spec xrAttachSessionActionSets");
        aci.actionType = XR_ACTION_TYPE_BOOLEAN_INPUT;
        snprintf(aci.actionName, sizeof(aci.actionName), "late");
        snprintf(aci.localizedActionName, sizeof(aci.localizedActionName), "Late");
        REJECT(&c, xrCreateAction(set, &aci, &spare), XR_ERROR_ACTIONSETS_ALREADY_ATTACHED,
               "action set \"gameplay\" is attached to a session already", "spec xrCreateAction");
        XrActionStateFloat fls = {.type = XR_TYPE_ACTION_STATE_FLOAT};
        REJECT(&c, xrGetActionStateFloat(s, &gi, &fls), XR_ERROR_ACTION_TYPE_MISMATCH,
               "action \"fire\" is of type XR_ACTION_TYPE_BOOLEAN_INPUT; xrGetActionStateFloat reads "
               "XR_ACTION_TYPE_FLOAT_INPUT",
               "spec xrGetActionStateFloat");
        gi.subactionPath = left;
        REJECT(&c, xrGetActionStateBoolean(s, &gi, &bs), XR_ERROR_PATH_UNSUPPORTED,
               "getInfo->subactionPath /user/hand/left is not one of action \"fire\"'s subaction paths",
               "spec xrGetActionStateBoolean");
        gi.subactionPath = XR_NULL_PATH;
        REJECT(&c, xrGetActionStateBoolean(s, &gi, NULL), XR_ERROR_VALIDATION_FAILURE, "state is NULL",
               "VUID-xrGetActionStateBoolean-state-parameter");
        XrActionSpaceCreateInfo asp = {.type = XR_TYPE_ACTION_SPACE_CREATE_INFO,
                                       .action = action,
                                       .poseInActionSpace = {.orientation = {0, 0, 0, 1}}};
        REJECT(&c, xrCreateActionSpace(s, &asp, &space), XR_ERROR_ACTION_TYPE_MISMATCH,
               "createInfo->action \"fire\" is of type XR_ACTION_TYPE_BOOLEAN_INPUT, not "
               "XR_ACTION_TYPE_POSE_INPUT",
               "spec xrCreateActionSpace");
        asp.action = pose;
        asp.poseInActionSpace.orientation.w = 2;
        REJECT(&c, xrCreateActionSpace(s, &asp, &space), XR_ERROR_POSE_INVALID,
               "createInfo->poseInActionSpace is not a valid pose", "must be a unit quaternion");

        /* ---- the running session */
        if (conf_begin(&c)) {
            REJECT(&c,
                   xrBeginSession(s, &(XrSessionBeginInfo){.type = XR_TYPE_SESSION_BEGIN_INFO,
                                                           .primaryViewConfigurationType =
                                                               XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO}),
                   XR_ERROR_SESSION_RUNNING, "the session is already running", "spec xrBeginSession");
            REJECT(&c, xrBeginFrame(s, NULL), XR_ERROR_CALL_ORDER_INVALID, "no xrWaitFrame precedes it",
                   "spec xrBeginFrame");
            XrFrameEndInfo ei = {.type = XR_TYPE_FRAME_END_INFO,
                                 .displayTime = 1,
                                 .environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE};
            REJECT(&c, xrEndFrame(s, &ei), XR_ERROR_CALL_ORDER_INVALID, "no xrBeginFrame precedes it",
                   "spec xrEndFrame");
            REJECT(&c, xrWaitFrame(s, NULL, NULL), XR_ERROR_VALIDATION_FAILURE, "frameState is NULL",
                   "VUID-xrWaitFrame-frameState-parameter");
            REJECT(&c, xrEndFrame(s, NULL), XR_ERROR_VALIDATION_FAILURE, "frameEndInfo is NULL",
                   "VUID-xrEndFrame-frameEndInfo-parameter");
            REJECT(&c, xrEndSession(s), XR_ERROR_SESSION_NOT_STOPPING, "not STOPPING", "spec xrEndSession");
            conf_frames(&c, 3);
            XrHapticVibration vib = {.type = XR_TYPE_HAPTIC_VIBRATION, .amplitude = 2.0f};
            XrHapticActionInfo hai = {.type = XR_TYPE_HAPTIC_ACTION_INFO, .action = action};
            REJECT(&c, xrApplyHapticFeedback(s, &hai, (const XrHapticBaseHeader *)&vib),
                   XR_ERROR_ACTION_TYPE_MISMATCH, "action \"fire\" is of type XR_ACTION_TYPE_BOOLEAN_INPUT",
                   "spec xrApplyHapticFeedback");
            conf_end(&c);
        }
    }
    printf("  %d rejections checked%s\n", g_checked,
           g_parallax ? ", each message naming its condition and rule" : " (results only: not Parallax)");
    return conf_finish(&c);
}
