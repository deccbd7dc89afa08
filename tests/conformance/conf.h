/* SPDX-License-Identifier: MIT */
/* The conformance harness: what every tests/conformance/test_*.c program shares. A test is one program that
 * checks one rule of the OpenXR specification against whatever runtime the loader selects (XR_RUNTIME_JSON):
 * it creates an instance through the real loader with the OpenXR core validation layer enabled (and
 * VK_LAYER_KHRONOS_validation on the Vulkan instance), a system, a Vulkan device through
 * XR_KHR_vulkan_enable2 and a session, runs a few frames, checks the rule, and exits 0 (pass) or 1 (fail).
 * Any message of either validation layer fails the test. tests/conformance/README.md tells how to add one. */
#pragma once

#define XR_USE_GRAPHICS_API_VULKAN 1
#define XR_USE_TIMESPEC            1
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>
#ifdef PLX_CONF_XR11
/* Built as an OpenXR 1.1 application (tests/openxr11): the functions below are pointers through
 * xr11_loader.c. */
#include "xr11_dispatch.h"
#endif

/** How conf_instance creates the instance. A zeroed desc: OpenXR 1.0, XR_KHR_vulkan_enable2 only, the core
 * validation layer on. */
typedef struct conf_desc {
    /** Extensions beyond XR_KHR_vulkan_enable2 (always enabled). */
    const char *const *extensions;
    uint32_t extension_count;
    /** Leave the core validation layer out. Only for a test of the runtime's own answer to invalid input that
     * the layer would answer first; say why in without_layer_reason (printed). */
    bool without_layer;
    const char *without_layer_reason;
    /** XrInstanceCreateInfo::next (for example an XrDebugUtilsMessengerCreateInfoEXT). */
    const void *instance_next;
    /** XrApplicationInfo::apiVersion; 0 means XR_MAKE_VERSION(1, 0, 0). */
    XrVersion api_version;
} conf_desc;

/** One test's state. conf_start fills name; the create calls fill the handles; conf_finish destroys them. */
typedef struct conf {
    const char *name;
    XrInstance instance;
    XrSystemId system;
    VkInstance vk_instance;
    VkPhysicalDevice vk_physical;
    VkDevice vk_device;
    uint32_t queue_family;
    VkQueue queue;
    VkDebugUtilsMessengerEXT vk_messenger;
    XrSession session;
    XrSpace local;             /* a LOCAL reference space, made by conf_session */
    XrSessionState state;      /* the newest state conf_poll saw */
    XrFrameState last_frame;   /* what the newest xrWaitFrame of conf_frame returned */
    XrSwapchain swapchains[2]; /* conf_swapchains: one color swapchain per eye */
    uint32_t eye_width, eye_height;
    XrViewState view_state; /* what the newest xrLocateViews of conf_frame_projection returned */
    XrView views[2];
    /* Every event conf_poll handed out (conf_frame and conf_drain poll too), oldest first; events beyond
     * the first 256 are counted in event_count but not kept. */
    XrEventDataBuffer event_log[256];
    int event_count;
    int failures;
    int vk_messages; /* Vulkan validation warnings and errors */
    char layer_file[512];
} conf;

/** A Vulkan instance and device made through XR_KHR_vulkan_enable2, as an app makes them. */
typedef struct conf_vulkan {
    VkInstance instance;
    VkDebugUtilsMessengerEXT messenger; /* with validation */
    VkPhysicalDevice physical;
    VkDevice device;
    uint32_t queue_family;
    VkQueue queue;
} conf_vulkan;

/** Creates Vulkan for the system through XR_KHR_vulkan_enable2 (xrGetVulkanGraphicsRequirements2KHR,
 * xrCreateVulkanInstanceKHR, xrGetVulkanGraphicsDevice2KHR, xrCreateVulkanDeviceKHR; one graphics queue).
 * With validation non-NULL, VK_LAYER_KHRONOS_validation is enabled and that messenger chained and created.
 * false with the failing step in err (what was created stays in *out for conf_vulkan_destroy). Also used by
 * tests/integration/test_sim_openxr.c. */
bool conf_vulkan_enable2(XrInstance xr, XrSystemId system,
                         const VkDebugUtilsMessengerCreateInfoEXT *validation, conf_vulkan *out, char *err,
                         size_t err_size);
/** Destroys what conf_vulkan_enable2 created (NULL members are skipped) and zeroes *v. */
void conf_vulkan_destroy(conf_vulkan *v);

/** Starts a test: prints its name and the specification section it checks, and points the core validation
 * layer's text output at a file of the test's own (read back by conf_finish). */
void conf_start(conf *c, const char *name, const char *spec_section);

/** Records a failure (file:line and the message) and returns false; the test goes on so one run shows every
 * broken part. */
bool conf_fail_at(conf *c, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define CONF_FAIL(c, ...) conf_fail_at((c), __FILE__, __LINE__, __VA_ARGS__)
/** Checks a condition; on failure records the message. Evaluates to the condition. */
#define CONF_CHECK(c, cond, ...) ((cond) ? true : conf_fail_at((c), __FILE__, __LINE__, __VA_ARGS__))
/** Checks that an OpenXR call returns exactly `want`; evaluates to true when it does. */
#define CONF_XR_EXPECT(c, call, want) conf_xr_expect((c), __FILE__, __LINE__, #call, (call), (want))
/** Checks that an OpenXR call succeeds (XR_SUCCESS or another success code). */
#define CONF_XR(c, call) conf_xr_ok((c), __FILE__, __LINE__, #call, (call))
bool conf_xr_expect(conf *c, const char *file, int line, const char *call, XrResult got, XrResult want);
bool conf_xr_ok(conf *c, const char *file, int line, const char *call, XrResult got);

/** "XR_ERROR_VALIDATION_FAILURE" for a result (no instance needed). */
const char *conf_result_name(XrResult r);

/** Whether xrEnumerateInstanceExtensionProperties (of the runtime, no layer named) lists the extension. */
bool conf_extension_listed(const char *name);
/** Creates an instance as conf_instance does, without getting a system, into *out (the caller destroys it).
 */
bool conf_create_instance(conf *c, const conf_desc *desc, XrInstance *out);
/** Creates the instance (through the loader, layer per desc; desc may be NULL) and gets the
 * HEAD_MOUNTED_DISPLAY system. false (with a failure recorded) when either fails. */
bool conf_instance(conf *c, const conf_desc *desc);
/** An instance function through xrGetInstanceProcAddr; NULL (failure recorded) when it does not resolve. */
PFN_xrVoidFunction conf_proc(conf *c, const char *name);

/** The XrPath of a path string on c->instance (XR_NULL_PATH, failure recorded, when xrStringToPath fails). */
XrPath conf_path(conf *c, const char *path);
/** An action set on c->instance whose name and localized name are both `name` (XR_NULL_HANDLE on failure). */
XrActionSet conf_action_set(conf *c, const char *name);
/** An action of the set, its name and localized name `name`, with count subaction paths (0: none). */
XrAction conf_action(conf *c, XrActionSet set, const char *name, XrActionType type, uint32_t count,
                     const XrPath *subaction_paths);
/** xrSuggestInteractionProfileBindings of n bindings for one profile on c->instance; returns its result. */
XrResult conf_suggest(conf *c, const char *profile, const XrActionSuggestedBinding *bindings, uint32_t n);
/** xrLocateHandJointsEXT (fn, XR_EXT_hand_tracking) of all 26 joints in c->local at time t, with velocities
 * (vel may be NULL); *out_active gets isActive. false (failure recorded) when the call fails. */
bool conf_locate_hand(conf *c, PFN_xrLocateHandJointsEXT fn, XrHandTrackerEXT tracker, XrTime t,
                      XrHandJointLocationEXT loc[XR_HAND_JOINT_COUNT_EXT],
                      XrHandJointVelocityEXT vel[XR_HAND_JOINT_COUNT_EXT], bool *out_active);
/** Vulkan through XR_KHR_vulkan_enable2, then the session and a LOCAL reference space. */
bool conf_session(conf *c);
/** Polls one event: XR_SUCCESS with *out filled (session state changes also update c->state; every event is
 * also kept in c->event_log), XR_EVENT_UNAVAILABLE, or the failure. out may be NULL. */
XrResult conf_poll(conf *c, XrEventDataBuffer *out);
/** Polls every queued event (tracking the session state). */
void conf_drain(conf *c);
/** Polls until the session reaches READY, then xrBeginSession. */
bool conf_begin(conf *c);
/** One frame with no layers: xrWaitFrame, xrBeginFrame, xrEndFrame at the predicted display time; polls
 * events after it. */
bool conf_frame(conf *c);
/** Creates one color swapchain per eye at the recommended size (the first format the runtime lists). */
bool conf_swapchains(conf *c);
/** One frame with a projection layer in the LOCAL space: xrWaitFrame, xrBeginFrame, xrLocateViews at the
 * predicted display time (kept in c->view_state and c->views), each eye's image acquired, waited and released
 * (not drawn), xrEndFrame; polls events after it. Needs conf_swapchains. When the views are not valid
 * (tracking lost) the frame has no layers. */
bool conf_frame_projection(conf *c);
/** n frames of conf_frame. */
bool conf_frames(conf *c, int n);
/** xrRequestExitSession, frames until STOPPING, xrEndSession. */
bool conf_end(conf *c);
/** Destroys what the test created (swapchains, space, session, instance, Vulkan) and forgets the events seen,
 * so a test can start over with another instance (the loader runs one at a time); failures are kept. */
void conf_teardown(conf *c);
/** Destroys what the test created (session, instance, Vulkan), fails the test on any validation layer
 * message, prints PASS or FAIL, and returns the exit code (0 pass, 1 fail). */
int conf_finish(conf *c);

/** CLOCK_MONOTONIC in nanoseconds, for the harness's own timeouts (never compared with an XrTime: a runtime's
 * XrTime may have any epoch). */
int64_t conf_monotonic_ns(void);
