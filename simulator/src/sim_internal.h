/* Internal header of the Parallax simulated headset (an OpenXR 1.0 runtime).
 * Split by concern (one file each):
 *   dispatch.c    loader negotiation, xrGetInstanceProcAddr table for every core + extension function
 *   instance.c    instance, system, properties, paths, strings, events queue, debug utils, timespec convert
 *   config.c      PARALLAX_SIM_* environment variables -> sim_config (one clear error line per bad value)
 *   session.c     session lifecycle + state events, view configurations, handle validation helpers
 *   space.c       reference/action spaces, xrLocateSpace, xrLocateViews
 *   action.c      action sets, actions, bindings, sync, states, haptics
 *   vulkan.c      XR_KHR_vulkan_enable(2): requirements, instance/device creation, physical device
 *   swapchain.c   Vulkan swapchains: formats, images, acquire/wait/release
 *   frame.c       xrWaitFrame / xrBeginFrame / xrEndFrame, the display clock and pacing
 *   compositor.c  compositor thread: GPU completion, display decisions, misses, capture PNG
 *   window.c      preview window (SDL2), the user's head offset and controller presses, PARALLAX_SIM_INPUT
 *   report.c      per-frame CSV and summary JSON
 *   motion.c      head motion profiles (sim_motion.h), imu.c the modelled IMU and runtime-side prediction
 * Every entry point validates its handles with sim_handle_check() before touching them. */
#pragma once

#define XR_USE_GRAPHICS_API_VULKAN 1
#define XR_USE_TIMESPEC            1
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <pthread.h>
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>
#include "sim_loader.h" /* loader negotiation structs: Debian 1.0.20 ships no header for them */

#include "plx_math.h"
#include "sim_motion.h"

#define SIM_EXPORT __attribute__((visibility("default")))

/* ---------------------------------------------------------------- configuration (config.c) */

typedef enum sim_pacing { SIM_PACING_FIXED = 0, SIM_PACING_ADAPTIVE = 1 } sim_pacing;
typedef enum sim_prediction { SIM_PREDICTION_PREDICT = 0, SIM_PREDICTION_RAW = 1 } sim_prediction;

typedef struct sim_config {
    uint32_t eye_width, eye_height; /* PARALLAX_SIM_EYE_SIZE=WxH, default 1024x1024 (recommended size) */
    double refresh_hz;              /* PARALLAX_SIM_REFRESH_HZ, default 90 */
    double display_offset_ms;       /* PARALLAX_SIM_DISPLAY_OFFSET_MS: vsync -> photons, default 2.0 */
    double compositor_lead_ms;      /* PARALLAX_SIM_COMPOSITOR_LEAD_MS: composition starts this long before
                                       vsync; a frame must be GPU-complete by then. default 2.0 */
    float ipd_m;                    /* PARALLAX_SIM_IPD_MM, default 63 */
    char motion[512];  /* PARALLAX_SIM_MOTION: still|look|turns|walk|stress|csv:<path>, default look */
    uint64_t seed;     /* PARALLAX_SIM_SEED, default 1 */
    sim_pacing pacing; /* PARALLAX_SIM_PACING fixed|adaptive, default fixed */
    sim_prediction prediction; /* PARALLAX_SIM_PREDICTION predict|raw, default predict */
    char report_path[1024];    /* PARALLAX_SIM_REPORT: summary JSON at session end ("" = off) */
    char frames_path[1024];    /* PARALLAX_SIM_FRAMES: per-frame CSV ("" = off) */
    char capture_path[1024];   /* PARALLAX_SIM_CAPTURE: PNG of one composited frame ("" = off) */
    int64_t capture_frame;     /* PARALLAX_SIM_CAPTURE_FRAME: displayed-frame index, default 60 */
    int window;                /* PARALLAX_SIM_WINDOW: 0 off, 1 on, -1 auto (default: off) */
    char faults[1024];         /* PARALLAX_SIM_FAULTS: raw text, parsed by faults code */
    int log_level;             /* PARALLAX_SIM_LOG: error|warn|info|debug, default warn */
    char input[1024];          /* PARALLAX_SIM_INPUT: scripted controller/head input, parsed by window.c */
} sim_config;

/* Reads every PARALLAX_SIM_* variable. On a malformed value writes ONE line to stderr naming the variable,
 * the value and the expected form, and returns false (xrCreateInstance then fails with
 * XR_ERROR_INITIALIZATION_FAILED). Unknown PARALLAX_SIM_* names are reported as a warning. */
bool sim_config_load(sim_config *out_cfg);

/* ---------------------------------------------------------------- logging, time */

enum { SIM_LOG_ERROR = 0, SIM_LOG_WARN = 1, SIM_LOG_INFO = 2, SIM_LOG_DEBUG = 3 };
void sim_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* XrTime is nanoseconds of CLOCK_MONOTONIC. */
static inline XrTime sim_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (XrTime)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
void sim_sleep_until(XrTime t);
/* Overrides the PARALLAX_SIM_LOG level (config.c, once the value has been parsed). */
void sim_log_set_level(int level);
/* The two-call idiom of every xrEnumerate* function (util.c): sets *count_output to n and returns
 * XR_SUCCESS when the caller only asked for the count (capacity 0) or the buffer fits, so the caller then
 * fills min(capacity, n) elements when capacity != 0; XR_ERROR_SIZE_INSUFFICIENT when 0 < capacity < n;
 * XR_ERROR_VALIDATION_FAILURE for a NULL count_output or a NULL buffer with capacity != 0. */
XrResult sim_two_call(uint32_t capacity, uint32_t *count_output, const void *buffer, uint32_t n);
/* The one system of the simulated headset (xrGetSystem, HEAD_MOUNTED_DISPLAY). */
#define SIM_SYSTEM_ID ((XrSystemId)1)

/* ---------------------------------------------------------------- handles */

typedef enum sim_handle_type {
    SIM_HANDLE_INSTANCE = 1,
    SIM_HANDLE_SESSION,
    SIM_HANDLE_SPACE,
    SIM_HANDLE_SWAPCHAIN,
    SIM_HANDLE_ACTION_SET,
    SIM_HANDLE_ACTION,
    SIM_HANDLE_DEBUG_MESSENGER,
} sim_handle_type;

/* First member of every handle struct. Live handles are kept in a registry so a stale or garbage handle is
 * answered with XR_ERROR_HANDLE_INVALID instead of being dereferenced. */
typedef struct sim_handle {
    sim_handle_type type;
    struct sim_instance *instance;
} sim_handle;

void sim_handle_register(void *h, sim_handle_type type, struct sim_instance *inst);
void sim_handle_unregister(void *h);
/* true if h is a live handle of that type */
bool sim_handle_valid(const void *h, sim_handle_type type);

/* ---------------------------------------------------------------- instance (instance.c) */

#define SIM_MAX_EVENTS 64
#define SIM_MAX_PATHS  1024

typedef struct sim_instance {
    sim_handle h;
    sim_config cfg;
    XrInstanceCreateInfo info_copy; /* only scalars valid */
    char app_name[XR_MAX_APPLICATION_NAME_SIZE];
    bool ext_vulkan_enable, ext_vulkan_enable2, ext_depth, ext_timespec, ext_debug_utils;
    bool system_queried;                /* xrGetSystem called: needed before session creation */
    bool graphics_requirements_queried; /* xrGetVulkanGraphicsRequirements(2)KHR called */
    pthread_mutex_t lock;
    /* event queue (FIFO) */
    XrEventDataBuffer events[SIM_MAX_EVENTS];
    int event_head, event_count;
    /* path table: index+1 is the XrPath */
    char *paths[SIM_MAX_PATHS];
    uint32_t path_count;
    struct sim_session *session; /* at most one session at a time */
    struct sim_debug_messenger *messengers;
    /* Vulkan objects known through the graphics binding queries (vulkan.c) */
    VkInstance vk_instance;
    VkPhysicalDevice vk_physical_device;
    PFN_vkGetInstanceProcAddr vk_gipa;
    /* owned by instance.c / action.c */
    uint32_t events_lost;               /* events dropped since the last XrEventDataEventsLost */
    struct sim_debug_state *debug;      /* XR_EXT_debug_utils: object names, session labels */
    struct sim_action_set *action_sets; /* every action set of the instance */
    struct sim_binding *bindings;       /* suggested interaction profile bindings */
    struct sim_fault_state *faults;     /* faults_apply.c: the PARALLAX_SIM_FAULTS plan in force */
} sim_instance;

/* Queue an event (copied). Thread-safe. Drops the oldest and queues XrEventDataEventsLost when full. */
void sim_event_push(sim_instance *inst, const void *event, size_t size);
/* Debug-utils messenger output (no-op without messengers); also used for validation-style errors. */
void sim_debug_message(sim_instance *inst, XrDebugUtilsMessageSeverityFlagsEXT sev, const char *fn,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* XR_SUCCESS and the instance, or XR_ERROR_HANDLE_INVALID. */
XrResult sim_instance_check(XrInstance instance, sim_instance **out);
/* Drops queued events that refer to a session being destroyed. */
void sim_events_purge_session(sim_instance *inst, XrSession session);
XrPath sim_path_get(sim_instance *inst, const char *str);  /* interns; XR_NULL_PATH on failure */
const char *sim_path_string(sim_instance *inst, XrPath p); /* NULL if invalid */

/* ---------------------------------------------------------------- session (session.c) */

#define SIM_MAX_SWAPCHAIN_IMAGES 3

typedef struct sim_vk {
    VkInstance instance;
    VkPhysicalDevice physical_device;
    VkDevice device;
    uint32_t queue_family_index, queue_index;
    VkQueue queue;
    PFN_vkGetInstanceProcAddr gipa;
    PFN_vkGetDeviceProcAddr gdpa;
    /* device functions the simulator uses, loaded in vulkan.c */
    PFN_vkCreateImage CreateImage;
    PFN_vkDestroyImage DestroyImage;
    PFN_vkGetImageMemoryRequirements GetImageMemoryRequirements;
    PFN_vkAllocateMemory AllocateMemory;
    PFN_vkFreeMemory FreeMemory;
    PFN_vkBindImageMemory BindImageMemory;
    PFN_vkMapMemory MapMemory;
    PFN_vkUnmapMemory UnmapMemory;
    PFN_vkCreateBuffer CreateBuffer;
    PFN_vkDestroyBuffer DestroyBuffer;
    PFN_vkGetBufferMemoryRequirements GetBufferMemoryRequirements;
    PFN_vkBindBufferMemory BindBufferMemory;
    PFN_vkCreateCommandPool CreateCommandPool;
    PFN_vkDestroyCommandPool DestroyCommandPool;
    PFN_vkAllocateCommandBuffers AllocateCommandBuffers;
    PFN_vkFreeCommandBuffers FreeCommandBuffers;
    PFN_vkBeginCommandBuffer BeginCommandBuffer;
    PFN_vkEndCommandBuffer EndCommandBuffer;
    PFN_vkResetCommandBuffer ResetCommandBuffer;
    PFN_vkCmdPipelineBarrier CmdPipelineBarrier;
    PFN_vkCmdCopyImageToBuffer CmdCopyImageToBuffer;
    PFN_vkQueueSubmit QueueSubmit;
    PFN_vkCreateFence CreateFence;
    PFN_vkDestroyFence DestroyFence;
    PFN_vkWaitForFences WaitForFences;
    PFN_vkResetFences ResetFences;
    PFN_vkGetFenceStatus GetFenceStatus;
    PFN_vkDeviceWaitIdle DeviceWaitIdle;
    PFN_vkQueueWaitIdle QueueWaitIdle;
    PFN_vkGetPhysicalDeviceMemoryProperties GetPhysicalDeviceMemoryProperties;
    PFN_vkGetPhysicalDeviceFormatProperties GetPhysicalDeviceFormatProperties;
} sim_vk;

struct sim_compositor; /* compositor.c */
struct sim_imu;        /* imu.c, see sim_motion.h */

/* Inputs of one simulated controller. action.c reads them at xrSyncActions; a preview window may change them
 * under the session lock. Idle by default: tracked and bound, nothing pressed. */
typedef struct sim_controller_state {
    bool select, menu, system; /* .../select/click, .../menu/click, .../system/click */
    bool a, b;                 /* a|x, b|y buttons */
    bool trigger_click, squeeze_click, thumbstick_click;
    float trigger, squeeze; /* 0..1 */
    XrVector2f thumbstick;  /* also reported for trackpads */
    /* the last haptic request; amplitude 0 after xrStopHapticFeedback */
    float haptic_amplitude, haptic_frequency;
    XrDuration haptic_duration;
    XrTime haptic_time;
} sim_controller_state;

typedef struct sim_session {
    sim_handle h;
    sim_instance *inst;
    sim_vk vk;
    pthread_mutex_t lock;
    XrSessionState state;
    bool running;        /* between xrBeginSession and xrEndSession */
    bool exit_requested; /* xrRequestExitSession called */
    XrViewConfigurationType view_config;
    /* display clock: vsync n happens at epoch + n * period. epoch is also time 0 of the head motion and
     * of the IMU: session.c sets it once at xrCreateSession and creates the IMU with t0_ns = epoch, so
     * the compositor's truth (sim_motion_sample at (t - epoch) / 1e9) and the tracker share one origin.
     * frame.c only sets it when it is still 0. */
    XrTime epoch;
    XrDuration period;
    XrDuration display_offset; /* vsync -> photon */
    XrDuration compositor_lead;
    /* frame loop state (frame.c) */
    int64_t frames_waited;    /* successful xrWaitFrame calls */
    int64_t frames_begun;     /* successful xrBeginFrame calls */
    int64_t frames_ended;     /* successful xrEndFrame calls */
    bool frame_in_progress;   /* between xrBeginFrame and xrEndFrame */
    bool wait_pending_begin;  /* an xrWaitFrame whose frame has not begun */
    int64_t last_vsync_index; /* vsync index targeted by the newest xrWaitFrame */
    XrTime last_predicted_display_time;
    pthread_cond_t frame_cond;
    /* motion truth + tracker */
    sim_motion *motion;
    struct sim_imu *imu;
    struct sim_compositor *compositor;
    struct sim_space *spaces; /* list of live spaces (for destroy) */
    struct sim_swapchain *swapchains;
    struct sim_action_state *actions; /* action.c */
    bool actions_attached;
    XrPath active_profile[2];            /* per hand */
    sim_controller_state controllers[2]; /* [0] left hand, [1] right hand; guarded by lock */
    struct sim_user *user;               /* window.c: head offset + scripted input; set at xrCreateSession */
    bool ramp_done; /* session.c: READY -> FOCUSED after xrBeginSession is over; later moves are explicit */
    struct sim_frame_state *frame_state; /* frame.c: wait/locate history; created on first use */
} sim_session;

/* Move the session to a new state and queue XrEventDataSessionStateChanged. Caller holds no locks. */
void sim_session_set_state(sim_session *s, XrSessionState state);
/* Handle helpers: XR_SUCCESS or the spec's error. */
XrResult sim_session_check(XrSession session, sim_session **out);

/* frame.c calls this after every successful xrBeginFrame: frames flow, so the session moves READY ->
 * SYNCHRONIZED on the first frame, then VISIBLE and FOCUSED on the next (no-op once that ramp is done, so
 * later state changes stay as sim_session_walk_to left them, and after xrRequestExitSession). Caller holds
 * no locks. */
void sim_session_frame_progress(sim_session *s);
/* Runtime-initiated state changes of a running session (fault injection): moves along SYNCHRONIZED <->
 * VISIBLE <-> FOCUSED one transition (and event) at a time, or down to STOPPING, after which xrEndSession
 * leaves the session IDLE (the caller later sets READY when it may run again). No-op when not running.
 * Caller holds no locks. */
void sim_session_walk_to(sim_session *s, XrSessionState target);
/* Destroys a session and everything it owns (xrDestroySession, and xrDestroyInstance for a live session). */
void sim_session_destroy(sim_session *s);

/* ---------------------------------------------------------------- spaces (space.c) */

typedef struct sim_space {
    sim_handle h;
    sim_session *session;
    struct sim_space *next;
    XrReferenceSpaceType ref_type; /* when action == NULL */
    struct sim_action *action;     /* action space when non-NULL */
    XrPath subaction_path;
    XrPosef pose_in_space;
} sim_space;

/* Head pose (VIEW space in LOCAL) that the runtime reports for display time t: from the IMU per
 * cfg.prediction, with velocities. out_sample_time = measurement time of the IMU sample it came from. */
void sim_tracker_head(sim_session *s, XrTime t, XrPosef *out_pose, XrVector3f *out_lin_vel,
                      XrVector3f *out_ang_vel, XrTime *out_sample_time);
/* Per-eye poses (in LOCAL) and fov for a head pose: eyes at -/+ ipd/2 along the head's x axis. */
void sim_eye_views(const sim_session *s, const XrPosef *head, XrView out_views[2]);
/* The display's fov (symmetric, 90 degrees each axis by default). */
XrFovf sim_eye_fov(const sim_session *s, int eye);
/* Offset of STAGE relative to LOCAL: LOCAL origin is 1.6 m above the STAGE floor. */
#define SIM_LOCAL_HEIGHT_M 1.6f
/* Pose of a space's origin in LOCAL at time t (e.g. to bring layer poses into LOCAL in xrEndFrame).
 * false when the space is not tracked at t (an action space whose action is inactive). */
bool sim_space_pose_in_local(sim_space *sp, XrTime t, XrPosef *out_pose);
/* Destroys every space of the session (xrDestroySession). */
void sim_spaces_destroy_all(sim_session *s);

/* ---------------------------------------------------------------- actions (action.c) */

struct sim_action;
/* Validates an XrActionSpaceCreateInfo's action and subaction path for xrCreateActionSpace. */
XrResult sim_action_space_check(sim_session *s, const XrActionSpaceCreateInfo *info, struct sim_action **out);
/* An action space keeps its action's data alive after xrDestroyAction (delta +1 / -1). */
void sim_action_space_ref(struct sim_action *a, int delta);
/* Which hand drives a pose action for subaction path sub (XR_NULL_PATH = any) as of the last
 * xrSyncActions; false when the action is inactive. */
bool sim_action_pose_hand(sim_session *s, struct sim_action *a, XrPath sub, int *out_hand);
/* Sets up the session's action state (xrCreateSession). */
XrResult sim_actions_session_init(sim_session *s);
/* Frees the session's action state (xrDestroySession). */
void sim_actions_session_destroy(sim_session *s);
/* Frees every action set, action and binding of the instance (xrDestroyInstance). */
void sim_actions_instance_destroy(sim_instance *inst);

/* ---------------------------------------------------------------- swapchains (swapchain.c) */

typedef struct sim_swapchain {
    sim_handle h;
    sim_session *session;
    struct sim_swapchain *next;
    XrSwapchainCreateInfo info;
    uint32_t image_count;
    VkImage images[SIM_MAX_SWAPCHAIN_IMAGES];
    VkDeviceMemory memory[SIM_MAX_SWAPCHAIN_IMAGES];
    bool layout_initialized[SIM_MAX_SWAPCHAIN_IMAGES];
    /* acquire/wait/release state: FIFO of acquired indices */
    uint32_t acquired[SIM_MAX_SWAPCHAIN_IMAGES];
    uint32_t acquired_count;
    bool waited;           /* the oldest acquired image has been waited */
    uint32_t next_index;   /* next image to hand out */
    int64_t last_released; /* index of the most recently released image, -1 none */
    bool is_depth;
} sim_swapchain;

/* ---------------------------------------------------------------- frame + compositor */

/* What xrEndFrame hands the compositor for one frame. */
typedef struct sim_submitted_view {
    XrPosef pose; /* as submitted in the projection layer, in LOCAL */
    XrFovf fov;
    sim_swapchain *swapchain;
    uint32_t image_index; /* the released image the layer refers to */
    XrRect2Di rect;
    uint32_t array_index;
} sim_submitted_view;

typedef struct sim_frame_record {
    int64_t frame_id;              /* frames_ended at submit, from 0 */
    XrTime predicted_display_time; /* from xrWaitFrame, the app's displayTime in xrEndFrame */
    XrTime wait_return_time;       /* when xrWaitFrame returned for this frame */
    XrTime begin_time, end_time;   /* xrBeginFrame / xrEndFrame call times */
    XrTime pose_sample_time;       /* measurement time of the IMU sample behind the submitted poses */
    XrTime pose_locate_time;       /* when xrLocateViews returned those poses */
    XrTime gpu_done_time;          /* when the app's GPU work for the frame completed (fence) */
    XrTime photon_time;            /* vsync + display offset of the refresh that showed it (0 = never) */
    int64_t target_vsync, shown_vsync;
    double error_deg, error_mm; /* submitted pose vs true pose at photon time (mean of both eyes) */
    double pose_age_ms;         /* photon_time - pose_sample_time */
    double slack_ms;            /* composition start of target vsync - gpu_done_time (negative = late) */
    bool has_layers;
    bool pose_in_local; /* views[].pose converted to LOCAL: the error can be measured */
    bool missed;        /* not displayed at its target vsync */
    bool dropped;       /* never displayed */
    sim_submitted_view views[2];
} sim_frame_record;

/* ---------------------------------------------------------------- hooks between files */

/* vulkan.c: fill s->vk from the XrGraphicsBindingVulkanKHR in info->next (validates it; returns
 * XR_ERROR_GRAPHICS_DEVICE_INVALID / XR_ERROR_VALIDATION_FAILURE /
 * XR_ERROR_GRAPHICS_REQUIREMENTS_CALL_MISSING as the spec says). */
XrResult sim_vk_session_init(sim_session *s, const XrSessionCreateInfo *info);
void sim_vk_session_fini(sim_session *s);

/* frame.c: xrBeginSession starts the display clock and the compositor; xrEndSession stops them and writes
 * the report/CSV. xrDestroySession calls sim_frame_session_destroy (safe if never begun). */
XrResult sim_frame_session_begin(sim_session *s);
void sim_frame_session_end(sim_session *s);
void sim_frame_session_destroy(sim_session *s);
/* swapchain.c: destroy every swapchain of the session (at xrDestroySession). */
void sim_swapchains_destroy_all(sim_session *s);

/* Remember what xrLocateViews returned (space.c -> frame.c) so xrEndFrame can tell when the submitted
 * poses were sampled. views are the eye poses in LOCAL (whatever space the app asked for), locate_time when
 * they were computed, sample_time the measurement time of the IMU sample behind them. */
void sim_frame_note_located(sim_session *s, const XrView views[2], XrTime locate_time, XrTime sample_time);

/* ---------------------------------------------------------------- OpenXR entry points
 * Every entry point is implemented as sim_<xrName> in the file of its concern; dispatch.c maps names. */
#define SIM_FN(name) XRAPI_ATTR XrResult XRAPI_CALL sim_##name
/* vulkan.c */
SIM_FN(xrGetVulkanInstanceExtensionsKHR)(XrInstance, XrSystemId, uint32_t, uint32_t *, char *);
SIM_FN(xrGetVulkanDeviceExtensionsKHR)(XrInstance, XrSystemId, uint32_t, uint32_t *, char *);
SIM_FN(xrGetVulkanGraphicsDeviceKHR)(XrInstance, XrSystemId, VkInstance, VkPhysicalDevice *);
SIM_FN(xrGetVulkanGraphicsRequirementsKHR)(XrInstance, XrSystemId, XrGraphicsRequirementsVulkanKHR *);
SIM_FN(xrCreateVulkanInstanceKHR)
(XrInstance, const XrVulkanInstanceCreateInfoKHR *, VkInstance *, VkResult *);
SIM_FN(xrCreateVulkanDeviceKHR)(XrInstance, const XrVulkanDeviceCreateInfoKHR *, VkDevice *, VkResult *);
SIM_FN(xrGetVulkanGraphicsDevice2KHR)
(XrInstance, const XrVulkanGraphicsDeviceGetInfoKHR *, VkPhysicalDevice *);
SIM_FN(xrGetVulkanGraphicsRequirements2KHR)(XrInstance, XrSystemId, XrGraphicsRequirementsVulkanKHR *);
/* swapchain.c */
SIM_FN(xrEnumerateSwapchainFormats)(XrSession, uint32_t, uint32_t *, int64_t *);
SIM_FN(xrCreateSwapchain)(XrSession, const XrSwapchainCreateInfo *, XrSwapchain *);
SIM_FN(xrDestroySwapchain)(XrSwapchain);
SIM_FN(xrEnumerateSwapchainImages)(XrSwapchain, uint32_t, uint32_t *, XrSwapchainImageBaseHeader *);
SIM_FN(xrAcquireSwapchainImage)(XrSwapchain, const XrSwapchainImageAcquireInfo *, uint32_t *);
SIM_FN(xrWaitSwapchainImage)(XrSwapchain, const XrSwapchainImageWaitInfo *);
SIM_FN(xrReleaseSwapchainImage)(XrSwapchain, const XrSwapchainImageReleaseInfo *);
/* frame.c */
SIM_FN(xrWaitFrame)(XrSession, const XrFrameWaitInfo *, XrFrameState *);
SIM_FN(xrBeginFrame)(XrSession, const XrFrameBeginInfo *);
SIM_FN(xrEndFrame)(XrSession, const XrFrameEndInfo *);
/* One prototype per entry point, as written: clang-format cannot lay out the SIM_FN macro. */
/* clang-format off */
/* dispatch.c */
SIM_FN(xrGetInstanceProcAddr)(XrInstance, const char *, PFN_xrVoidFunction *);
/* instance.c */
SIM_FN(xrEnumerateApiLayerProperties)(uint32_t, uint32_t *, XrApiLayerProperties *);
SIM_FN(xrEnumerateInstanceExtensionProperties)(const char *, uint32_t, uint32_t *, XrExtensionProperties *);
SIM_FN(xrCreateInstance)(const XrInstanceCreateInfo *, XrInstance *);
SIM_FN(xrDestroyInstance)(XrInstance);
SIM_FN(xrGetInstanceProperties)(XrInstance, XrInstanceProperties *);
SIM_FN(xrPollEvent)(XrInstance, XrEventDataBuffer *);
SIM_FN(xrResultToString)(XrInstance, XrResult, char[XR_MAX_RESULT_STRING_SIZE]);
SIM_FN(xrStructureTypeToString)(XrInstance, XrStructureType, char[XR_MAX_STRUCTURE_NAME_SIZE]);
SIM_FN(xrGetSystem)(XrInstance, const XrSystemGetInfo *, XrSystemId *);
SIM_FN(xrGetSystemProperties)(XrInstance, XrSystemId, XrSystemProperties *);
SIM_FN(xrEnumerateEnvironmentBlendModes)(XrInstance, XrSystemId, XrViewConfigurationType, uint32_t, uint32_t *,
                                         XrEnvironmentBlendMode *);
SIM_FN(xrStringToPath)(XrInstance, const char *, XrPath *);
SIM_FN(xrPathToString)(XrInstance, XrPath, uint32_t, uint32_t *, char *);
SIM_FN(xrConvertTimespecTimeToTimeKHR)(XrInstance, const struct timespec *, XrTime *);
SIM_FN(xrConvertTimeToTimespecTimeKHR)(XrInstance, XrTime, struct timespec *);
SIM_FN(xrSetDebugUtilsObjectNameEXT)(XrInstance, const XrDebugUtilsObjectNameInfoEXT *);
SIM_FN(xrCreateDebugUtilsMessengerEXT)(XrInstance, const XrDebugUtilsMessengerCreateInfoEXT *,
                                       XrDebugUtilsMessengerEXT *);
SIM_FN(xrDestroyDebugUtilsMessengerEXT)(XrDebugUtilsMessengerEXT);
SIM_FN(xrSubmitDebugUtilsMessageEXT)(XrInstance, XrDebugUtilsMessageSeverityFlagsEXT, XrDebugUtilsMessageTypeFlagsEXT,
                                     const XrDebugUtilsMessengerCallbackDataEXT *);
SIM_FN(xrSessionBeginDebugUtilsLabelRegionEXT)(XrSession, const XrDebugUtilsLabelEXT *);
SIM_FN(xrSessionEndDebugUtilsLabelRegionEXT)(XrSession);
SIM_FN(xrSessionInsertDebugUtilsLabelEXT)(XrSession, const XrDebugUtilsLabelEXT *);
/* session.c */
SIM_FN(xrEnumerateViewConfigurations)(XrInstance, XrSystemId, uint32_t, uint32_t *, XrViewConfigurationType *);
SIM_FN(xrGetViewConfigurationProperties)(XrInstance, XrSystemId, XrViewConfigurationType,
                                         XrViewConfigurationProperties *);
SIM_FN(xrEnumerateViewConfigurationViews)(XrInstance, XrSystemId, XrViewConfigurationType, uint32_t, uint32_t *,
                                          XrViewConfigurationView *);
SIM_FN(xrCreateSession)(XrInstance, const XrSessionCreateInfo *, XrSession *);
SIM_FN(xrDestroySession)(XrSession);
SIM_FN(xrBeginSession)(XrSession, const XrSessionBeginInfo *);
SIM_FN(xrEndSession)(XrSession);
SIM_FN(xrRequestExitSession)(XrSession);
/* space.c */
SIM_FN(xrEnumerateReferenceSpaces)(XrSession, uint32_t, uint32_t *, XrReferenceSpaceType *);
SIM_FN(xrCreateReferenceSpace)(XrSession, const XrReferenceSpaceCreateInfo *, XrSpace *);
SIM_FN(xrGetReferenceSpaceBoundsRect)(XrSession, XrReferenceSpaceType, XrExtent2Df *);
SIM_FN(xrCreateActionSpace)(XrSession, const XrActionSpaceCreateInfo *, XrSpace *);
SIM_FN(xrLocateSpace)(XrSpace, XrSpace, XrTime, XrSpaceLocation *);
SIM_FN(xrDestroySpace)(XrSpace);
SIM_FN(xrLocateViews)(XrSession, const XrViewLocateInfo *, XrViewState *, uint32_t, uint32_t *, XrView *);
/* action.c */
SIM_FN(xrCreateActionSet)(XrInstance, const XrActionSetCreateInfo *, XrActionSet *);
SIM_FN(xrDestroyActionSet)(XrActionSet);
SIM_FN(xrCreateAction)(XrActionSet, const XrActionCreateInfo *, XrAction *);
SIM_FN(xrDestroyAction)(XrAction);
SIM_FN(xrSuggestInteractionProfileBindings)(XrInstance, const XrInteractionProfileSuggestedBinding *);
SIM_FN(xrAttachSessionActionSets)(XrSession, const XrSessionActionSetsAttachInfo *);
SIM_FN(xrGetCurrentInteractionProfile)(XrSession, XrPath, XrInteractionProfileState *);
SIM_FN(xrGetActionStateBoolean)(XrSession, const XrActionStateGetInfo *, XrActionStateBoolean *);
SIM_FN(xrGetActionStateFloat)(XrSession, const XrActionStateGetInfo *, XrActionStateFloat *);
SIM_FN(xrGetActionStateVector2f)(XrSession, const XrActionStateGetInfo *, XrActionStateVector2f *);
SIM_FN(xrGetActionStatePose)(XrSession, const XrActionStateGetInfo *, XrActionStatePose *);
SIM_FN(xrSyncActions)(XrSession, const XrActionsSyncInfo *);
SIM_FN(xrEnumerateBoundSourcesForAction)(XrSession, const XrBoundSourcesForActionEnumerateInfo *, uint32_t,
                                         uint32_t *, XrPath *);
SIM_FN(xrGetInputSourceLocalizedName)(XrSession, const XrInputSourceLocalizedNameGetInfo *, uint32_t, uint32_t *,
                                      char *);
SIM_FN(xrApplyHapticFeedback)(XrSession, const XrHapticActionInfo *, const XrHapticBaseHeader *);
SIM_FN(xrStopHapticFeedback)(XrSession, const XrHapticActionInfo *);
/* clang-format on */

/* ---------------------------------------------------------------- graphics and frame path helpers
 * (vulkan.c, swapchain.c, frame.c, compositor.c, report.c). Added by the frame-path engineer. */

/* Name of a VkResult for error messages ("VK_ERROR_DEVICE_LOST"); never NULL. */
const char *sim_vk_result_string(VkResult r);
/* Index of a memory type allowed by type_bits that has all `want` flags (and preferably `prefer` too);
 * UINT32_MAX if none. */
uint32_t sim_vk_memory_type(const sim_session *s, uint32_t type_bits, VkMemoryPropertyFlags want,
                            VkMemoryPropertyFlags prefer);
/* Layout the runtime hands swapchain images over in (XR_KHR_vulkan_enable: colour attachment optimal, or
 * depth-stencil attachment optimal for depth formats) and the matching aspect. */
bool sim_vk_format_is_depth(VkFormat f);

/* compositor.c. One compositor per running session, created by sim_frame_session_begin. Apart from
 * sim_compositor_frame_cost, every call comes from the thread that calls the OpenXR frame functions. */
typedef struct sim_compositor sim_compositor;
XrResult sim_compositor_create(sim_session *s, sim_compositor **out_c);
/* Stops the compositor thread, waits (bounded) for submitted GPU work, settles every frame (displayed or
 * dropped), writes the capture if it is still pending and the report/CSV, then frees everything. NULL-safe;
 * sets *c = NULL. */
void sim_compositor_destroy(sim_compositor **c);
/* Called inside xrEndFrame (the app's queue may be used there): submits the GPU-completion fence and, when
 * pixels may be shown (capture pending, preview window), a copy of the layer images. Takes a copy of rec. */
XrResult sim_compositor_submit(sim_compositor *c, const sim_frame_record *rec);
/* Median and 95th percentile of the app's recent xrBeginFrame -> GPU-done costs in ns; false (outputs
 * untouched) until enough frames are measured for the percentiles to mean something. Thread-safe. */
bool sim_compositor_frame_cost(sim_compositor *c, XrDuration *out_p50, XrDuration *out_p95);
/* Blocks until the compositor's GPU copies are complete (before a swapchain's images are destroyed). */
void sim_compositor_wait_idle(sim_compositor *c);

/* report.c: streams one CSV row per settled frame and keeps bounded statistics for the summary JSON. */
typedef struct sim_report sim_report;
sim_report *sim_report_create(const sim_config *cfg, XrDuration period);
void sim_report_add(sim_report *r, const sim_frame_record *rec);
/* One display refresh; new_frame false when the previous frame stayed on the display. NULL-safe. */
void sim_report_note_refresh(sim_report *r, bool new_frame);
/* Writes cfg.report_path (tmp + rename) if set. NULL-safe. */
void sim_report_write_summary(sim_report *r, const char *app_name, XrTime session_start, XrTime session_end);
void sim_report_destroy(sim_report **r);

/* frame.c: the display clock. vsync n is at epoch + n * period; motion truth and the IMU use t0 = epoch. */
XrTime sim_vsync_time(const sim_session *s, int64_t n);

/* faults_apply.c: applies the PARALLAX_SIM_FAULTS plan (simulator/faults/README.md). Hooks, each a no-op
 * without faults:
 *   instance.c   sim_faults_instance_status in sim_instance_check (XR_ERROR_INSTANCE_LOST after an
 *                instance_loss), sim_faults_poll_events in xrPollEvent (windows that end while no frames
 *                run), sim_faults_instance_fini in xrDestroyInstance
 *   session.c    sim_faults_session_status in sim_session_check, sim_faults_session_begin after
 *                xrBeginSession, sim_faults_session_destroyed in sim_session_destroy
 *   frame.c      sim_faults_wait_frame at xrWaitFrame (returns the extra stall; sets
 * XR_SESSION_LOSS_PENDING), sim_faults_vsync_time / sim_faults_vsync_index for the (re-anchored, jittered)
 * vsync grid compositor.c sim_faults_compositor_delay per wake-up; swapchain.c the acquire and wait faults.
 * Thread-safe; the fault lock is a leaf (taken under s->lock or the compositor's lock, never around them). */
struct sim_fault_state;
void sim_faults_instance_fini(sim_instance *inst);
XrResult sim_faults_instance_status(sim_instance *inst);
XrResult sim_faults_session_status(sim_session *s);
void sim_faults_session_begin(sim_session *s);
void sim_faults_session_destroyed(sim_session *s);
void sim_faults_poll_events(sim_instance *inst);
XrDuration sim_faults_wait_frame(sim_session *s, XrResult *out_status);
XrTime sim_faults_vsync_time(const sim_session *s, int64_t n);
/* Index of the first vsync at or after t (0 at the earliest). */
int64_t sim_faults_vsync_index(const sim_session *s, XrTime t);
XrDuration sim_faults_compositor_delay(sim_session *s);
XrDuration sim_faults_acquire_delay(sim_session *s);
/* true when this xrWaitSwapchainImage must block *out_block ns and return XR_TIMEOUT_EXPIRED. */
bool sim_faults_wait_timeout(sim_session *s, XrDuration app_timeout, XrDuration *out_block);
/* xrCreateInstance: XR_ERROR_RUNTIME_FAILURE while the runtime "restarts" (300 ms after an instance loss). */
XrResult sim_faults_create_instance_allowed(void);

/* ---------------------------------------------------------------- user input and preview window (window.c)
 * A user (the preview window's mouse and keys, or the PARALLAX_SIM_INPUT script) moves the head on top of
 * the motion profile and presses the controllers' buttons. The head offset is applied by the tracker
 * (sim_tracker_head) and by the compositor's truth alike, so the measured errors stay honest. */
typedef struct sim_user sim_user;
/* Checks a PARALLAX_SIM_INPUT value (config.c); on error writes one line naming the problem into err. */
bool sim_input_check(const char *text, char *err, size_t err_size);
/* xrCreateSession: the user state with the parsed script. NULL only when out of memory. */
sim_user *sim_user_create(const sim_config *cfg);
/* NULL-safe; sets *u = NULL. */
void sim_user_destroy(sim_user **u);
/* xrBeginSession (compositor start): time 0 of the script. */
void sim_user_session_begin(sim_user *u, XrTime now);
/* The head offset in effect at time t (identity with u == NULL): what the compositor's truth applies at
 * photon time. Thread-safe. */
plx_pose sim_user_head_offset(sim_user *u, XrTime t);
/* What the tracker reports of that offset at wall time now for display time t: the offset known now, its
 * rates now (world-frame angular velocity, linear velocity; scripted steps have none), extrapolated
 * to t when predict is set. Identity and zero rates with u == NULL. Thread-safe. */
void sim_user_tracked_offset(sim_user *u, XrTime now, XrTime t, bool predict, plx_pose *out_off,
                             plx_vec3 *out_ang_vel, plx_vec3 *out_lin_vel);
/* xrSyncActions: applies the script's controller events due by now to s->controllers. Caller holds
 * s->lock. */
void sim_user_apply_script(sim_session *s, XrTime now);

/* The preview window (PARALLAX_SIM_WINDOW): its own thread owns every SDL call. The compositor creates it
 * at xrBeginSession and posts each displayed frame. */
typedef struct sim_window sim_window;
/* NULL when no window is wanted (config, no display) or it cannot start (a warning then). */
sim_window *sim_window_create(sim_session *s);
/* false once the window has given up (no display): the compositor then stops copying pixels. Any thread. */
bool sim_window_active(sim_window *w);
/* Hands the window the newest displayed frame (RGB, both eyes side by side; copied). Any thread. */
void sim_window_post(sim_window *w, const uint8_t *rgb, uint32_t width, uint32_t height);
/* Stops and joins the window thread. NULL-safe; sets *w = NULL. Caller holds no session or compositor
 * lock (the window thread may take s->lock). */
void sim_window_destroy(sim_window **w);
