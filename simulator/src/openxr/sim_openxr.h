/* SPDX-License-Identifier: MIT */
/* The upper part of the simulated headset: the OpenXR objects and their rules (the state tracker, as Monado
 * calls it). This header holds the objects and the helpers the upper part's files call in each other; the
 * entry points are in sim_entry_points.h.
 * Layer: openxr (the upper part). Its files call each other only downward, in this order (ranks of
 * simulator/src/layers.txt, lowest first), and call the lower part (device/) and base/ freely:
 *   handles.c config.c  <  instance.c  <  session.c vulkan.c  <  faults_apply.c action.c headset.c metrics.c
 *   <  space.c swapchain.c  <  frame.c  <  lifecycle.c  <  dispatch.c
 * Every entry point validates its handles (sim_handle_valid, sim_instance_check, sim_session_check) before
 * touching them. */
#pragma once

#define XR_USE_GRAPHICS_API_VULKAN 1
#define XR_USE_TIMESPEC            1
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <pthread.h>
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include "base/sim_config.h"
#include "base/sim_log.h"
#include "base/sim_vk.h"
#include "device/sim_clock.h"
#include "device/sim_compositor.h"
#include "device/sim_user.h"
#include "sim_faults.h"
#include "sim_motion.h"

/* The one system of the simulated headset (xrGetSystem, HEAD_MOUNTED_DISPLAY). */
#define SIM_SYSTEM_ID ((XrSystemId)1)

/* ---------------------------------------------------------------- handles and the two-call idiom (handles.c)
 */

typedef enum sim_handle_type {
    SIM_HANDLE_INSTANCE = 1,
    SIM_HANDLE_SESSION,
    SIM_HANDLE_SPACE,
    SIM_HANDLE_SWAPCHAIN,
    SIM_HANDLE_ACTION_SET,
    SIM_HANDLE_ACTION,
    SIM_HANDLE_DEBUG_MESSENGER,
    SIM_HANDLE_HAND_TRACKER,
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
/* The memory of a handle struct (zeroed) and its release: a handle's value is its struct's address, so these
 * decide whether a destroyed handle's value comes back (sim_handle_set_values). Used for sessions, spaces,
 * swapchains, action sets, actions and hand trackers. */
void *sim_handle_new(size_t size);
void sim_handle_delete(void *h, size_t size);
/* PARALLAX_SIM_HANDLE_VALUES of the newest instance: applies to the process's handles from then on. */
void sim_handle_set_values(sim_handle_values values);

/* The two-call idiom of every xrEnumerate* function: sets *count_output to n and returns XR_SUCCESS when the
 * caller only asked for the count (capacity 0) or the buffer fits, so the caller then fills
 * min(capacity, n) elements when capacity != 0; XR_ERROR_SIZE_INSUFFICIENT when 0 < capacity < n;
 * XR_ERROR_VALIDATION_FAILURE for a NULL count_output or a NULL buffer with capacity != 0. */
XrResult sim_two_call_in(const char *fn, const char *names, uint32_t capacity, uint32_t *count_output,
                         const void *buffer, uint32_t n);
/* Every rejection names the call and its parameters (sim_reject's form): the entry point's name is taken from
 * the function it is called in (sim_xrFoo -> xrFoo), the parameters' from the arguments as written. */
#define sim_two_call(capacity, count_output, buffer, n)                                         \
    sim_two_call_in(sim_fn_name(__func__), #capacity "\0" #count_output "\0" #buffer, capacity, \
                    count_output, buffer, n)
/* "xrFoo" for the name of the C function sim_xrFoo, else the name itself. */
const char *sim_fn_name(const char *c_function);
/* A handle check's rejection: "fn: expr (0x...) is not a valid TYPE handle ...: XR_ERROR_HANDLE_INVALID" on
 * stderr (a handle that is not valid belongs to no instance, so no messenger hears it). Returns
 * XR_ERROR_HANDLE_INVALID. */
XrResult sim_handle_reject(const char *fn, const char *expr, const void *h, const char *type_name);

/* ---------------------------------------------------------------- configuration (config.c) */

/* Reads every PARALLAX_SIM_* variable. On a malformed value writes ONE line to stderr naming the variable,
 * the value and the expected form, and returns false (xrCreateInstance then fails with
 * XR_ERROR_INITIALIZATION_FAILED). Unknown PARALLAX_SIM_* names are reported as a warning. */
bool sim_config_load(sim_config *out_cfg);
/* The one line for a bad value ("parallax-sim: NAME=\"VALUE\": expected EXPECTED"); returns false. For
 * checks made outside config.c (the hidden extensions against the runtime's list, instance.c). */
bool sim_config_bad_value(const char *name, const char *value, const char *expected);
/* Whether PARALLAX_SIM_HIDE_EXTENSIONS (read now: xrEnumerateInstanceExtensionProperties runs before any
 * instance) names the extension. */
bool sim_config_extension_hidden(const char *name);
/* The next name of a ','-separated list (spaces around names ignored) into out; returns where the rest
 * starts, NULL at the end. A name longer than cap - 1 is cut. */
const char *sim_config_list_next(const char *list, char *out, size_t cap);

/* ---------------------------------------------------------------- instance (instance.c) */

#define SIM_MAX_EVENTS 64
#define SIM_MAX_PATHS  1024

typedef struct sim_instance {
    sim_handle h;
    sim_config cfg;
    XrInstanceCreateInfo info_copy; /* only scalars valid */
    char app_name[XR_MAX_APPLICATION_NAME_SIZE];
    bool ext_vulkan_enable, ext_vulkan_enable2, ext_depth, ext_timespec, ext_debug_utils;
    bool ext_cylinder, ext_equirect2; /* XR_KHR_composition_layer_cylinder / _equirect2 */
    /* XrApplicationInfo::apiVersion: 1.0.x or 1.1.x (sim_instance_is_1_1) */
    XrVersion api_version;
    /* extensions OpenXR 1.1 promoted, enabled by a 1.0 (or 1.1) application */
    bool ext_locate_spaces, ext_local_floor, ext_palm_pose;
    bool ext_visibility_mask, ext_user_presence, ext_performance_metrics; /* headset.c, metrics.c */
    /* XR_EXT_hand_tracking, XR_EXT_hand_interaction (openxr/hand.c, action.c) */
    bool ext_hand_tracking, ext_hand_interaction;
    bool system_queried;                /* xrGetSystem called: needed before session creation */
    XrTime created_at;                  /* xrCreateInstance: PARALLAX_SIM_CONNECT_DELAY_MS counts from here */
    bool graphics_requirements_queried; /* xrGetVulkanGraphicsRequirements(2)KHR called */
    pthread_mutex_t lock;
    /* event queue (FIFO, instance.c): SIM_MAX_EVENTS entries, more only for events never dropped */
    XrEventDataBuffer *events;
    int event_count, event_capacity;
    /* path table: index+1 is the XrPath */
    char *paths[SIM_MAX_PATHS];
    uint32_t path_count;
    struct sim_session *session; /* at most one session at a time: the slot (see sim_session_get) */
    /* with lock: a sim_session_get reference was given back */
    pthread_cond_t session_released;
    struct sim_debug_messenger *messengers;
    /* Vulkan objects known through the graphics binding queries (vulkan.c) */
    VkInstance vk_instance;
    VkPhysicalDevice vk_physical_device;
    PFN_vkGetInstanceProcAddr vk_gipa;
    /* owned by instance.c / action.c */
    struct sim_debug_state *debug;      /* XR_EXT_debug_utils: object names, session labels */
    struct sim_action_set *action_sets; /* every action set of the instance */
    struct sim_binding *bindings;       /* suggested interaction profile bindings */
    struct sim_fault_state *faults;     /* faults_apply.c: the PARALLAX_SIM_FAULTS plan in force */
    _Atomic XrTime lost_at;             /* faults_apply.c: lost from this time on (instance_loss); 0 never */
} sim_instance;

/* XR_SUCCESS and the instance; XR_ERROR_HANDLE_INVALID; XR_ERROR_INSTANCE_LOST once the instance is lost
 * (*out is set then too: xrDestroyInstance and xrPollEvent still work). */
XrResult sim_instance_check_in(const char *fn, const char *expr, XrInstance instance, sim_instance **out);
#define sim_instance_check(instance, out) \
    sim_instance_check_in(sim_fn_name(__func__), #instance, instance, out)
/* true when the application asked for OpenXR 1.1 (XrApplicationInfo::apiVersion 1.1.x): the 1.1 core
 * (xrLocateSpaces, LOCAL_FLOOR, the 1.1 interaction profiles and paths) is there. */
bool sim_instance_is_1_1(const sim_instance *inst);
/* true once the instance is lost (lost_at has passed). */
bool sim_instance_lost(sim_instance *inst);
/* Queue an event (copied). Thread-safe. Session state changes and instance loss are never dropped (an app
 * that misses READY or STOPPING is stuck: there is no state query): the queue grows for them. Another event
 * arriving when SIM_MAX_EVENTS are queued drops one, and an XrEventDataEventsLost takes the dropped event's
 * place (merged with one next to it): the oldest event it or a newer one of the same kind supersedes, else
 * the oldest event that may be lost, else (only critical events queued) the new one. */
void sim_event_push(sim_instance *inst, const void *event, size_t size);
/* Hands out the oldest event (an XrEventDataEventsLost where events were dropped): XR_SUCCESS, or
 * XR_EVENT_UNAVAILABLE when the queue is empty. */
XrResult sim_event_pop(sim_instance *inst, XrEventDataBuffer *out);
/* Drops queued events that refer to a session being destroyed. */
/* Frees the queue (xrDestroyInstance). */
void sim_events_free(sim_instance *inst);
void sim_events_purge_session(sim_instance *inst, XrSession session);
/* Debug-utils messenger output (no-op without messengers); also used for validation-style errors. */
void sim_debug_message(sim_instance *inst, XrDebugUtilsMessageSeverityFlagsEXT sev, const char *fn,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The one way a call rejects its input: one line naming the call, the exact condition that failed with the
 * values involved, and the specification's rule it breaks (a valid-usage ID, "VUID-xrBeginFrame-session-
 * parameter", or the section, "xrspec.html#xrBeginFrame"), ending in the result's name; it goes to stderr
 * and, as a validation message, to the debug-utils messengers of inst (may be NULL). Returns result, so a
 * check is "return sim_reject(inst, "xrFoo", XR_ERROR_..., "...")". sim_reject_quiet: the same at info level,
 * for answers an application may provoke on purpose (xrGetInstanceProcAddr of a function it probes for). */
XrResult sim_reject(sim_instance *inst, const char *fn, XrResult result, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
XrResult sim_reject_quiet(sim_instance *inst, const char *fn, XrResult result, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "XR_ERROR_VALIDATION_FAILURE" for a result. */
const char *sim_result_name(XrResult r);
/* The implicit valid usage every entry point shares, rejected through sim_reject with the valid-usage ID: an
 * input structure pointer that is NULL or whose type is not its XrStructureType, and an output pointer that
 * is NULL. In an entry point sim_xrFoo: SIM_REQUIRE_IN(inst, createInfo, XR_TYPE_SESSION_CREATE_INFO,
 * XrSessionCreateInfo) returns XR_ERROR_VALIDATION_FAILURE naming "createInfo is NULL
 * (VUID-xrFoo-createInfo-parameter ...)" or "createInfo->type is 7, not XR_TYPE_SESSION_CREATE_INFO
 * (VUID-XrSessionCreateInfo-type-type)". */
#define SIM_REQUIRE_IN(inst, ptr, TYPE, Struct)                                                            \
    do {                                                                                                   \
        if (!(ptr))                                                                                        \
            return sim_reject((inst), sim_fn_name(__func__), XR_ERROR_VALIDATION_FAILURE,                  \
                              "%s is NULL (VUID-%s-%s-parameter: %s must be a pointer to a valid " #Struct \
                              " structure)",                                                               \
                              #ptr, sim_fn_name(__func__), #ptr, #ptr);                                    \
        if ((ptr)->type != (TYPE))                                                                         \
            return sim_reject((inst), sim_fn_name(__func__), XR_ERROR_VALIDATION_FAILURE,                  \
                              "%s->type is %d, not " #TYPE " (VUID-" #Struct                               \
                              "-type-type: type must be " #TYPE ")",                                       \
                              #ptr, (int)(ptr)->type);                                                     \
    } while (0)
#define SIM_REQUIRE_OUT(inst, ptr, what)                                                             \
    do {                                                                                             \
        if (!(ptr))                                                                                  \
            return sim_reject((inst), sim_fn_name(__func__), XR_ERROR_VALIDATION_FAILURE,            \
                              "%s is NULL (VUID-%s-%s-parameter: %s must be a pointer to %s)", #ptr, \
                              sim_fn_name(__func__), #ptr, #ptr, what);                              \
    } while (0)
/* XR_EXT_debug_utils session labels (one stack per instance; one session at a time). push: a region begins
 * (insert false) or one label is inserted (insert true, replaced by the next begin/insert/end). */
XrResult sim_debug_label_push(sim_instance *inst, const char *name, bool insert);
/* Ends the newest region; false when none was begun. */
bool sim_debug_label_end(sim_instance *inst);
XrPath sim_path_get(sim_instance *inst, const char *str);  /* interns; XR_NULL_PATH on failure */
const char *sim_path_string(sim_instance *inst, XrPath p); /* NULL if invalid */
/* After an instance loss the runtime "restarts": xrCreateInstance fails with XR_ERROR_RUNTIME_FAILURE until
 * this time (faults_apply.c). Process-wide: it outlives the lost instance. */
void sim_instance_restart_until(XrTime until);
/* xrDestroyInstance's first and last steps (lifecycle.c destroys the children in between): the messenger of
 * XrInstanceCreateInfo::next hears the destruction; then messengers, names, paths and the instance go. */
void sim_instance_begin_destroy(sim_instance *inst);
void sim_instance_free(sim_instance *inst);

/* ---------------------------------------------------------------- session (session.c) */

#define SIM_MAX_SWAPCHAIN_IMAGES 3

typedef struct sim_session {
    sim_handle h;
    sim_instance *inst;
    sim_vk vk;
    pthread_mutex_t lock;
    XrSessionState state;
    bool running;        /* between xrBeginSession and xrEndSession */
    bool exit_requested; /* xrRequestExitSession called */
    XrViewConfigurationType view_config;
    _Atomic XrTime lost_at; /* faults_apply.c: lost from this time on (session_loss); 0 never */
    /* The display clock (device/clock.c): created at xrCreateSession, whose time is its epoch and time 0 of
     * the head motion and the IMU, so the compositor's truth and the tracker share one origin. */
    sim_clock *clock;
    /* frame loop state (frame.c) */
    int64_t frames_waited;    /* successful xrWaitFrame calls */
    int64_t frames_begun;     /* successful xrBeginFrame calls */
    int64_t frames_ended;     /* successful xrEndFrame calls */
    bool frame_in_progress;   /* between xrBeginFrame and xrEndFrame */
    bool wait_pending_begin;  /* an xrWaitFrame whose frame has not begun */
    int64_t last_vsync_index; /* vsync index targeted by the newest xrWaitFrame */
    XrTime last_predicted_display_time;
    pthread_cond_t frame_cond; /* timed with sim_cond_wait_until */
    /* motion truth + tracker */
    sim_motion *motion;
    struct sim_imu *imu;
    sim_compositor *compositor;  /* while running (frame.c) */
    struct sim_space *spaces;    /* list of live spaces (for destroy) */
    struct sim_located *located; /* space.c: what xrLocateViews returned lately; created on first use */
    struct sim_swapchain *swapchains;
    struct sim_hand_tracker *hand_trackers; /* hand.c, under s->lock */
    struct sim_action_state *actions;       /* action.c */
    bool actions_attached;
    sim_user *user; /* device/user.c: head offset, controllers, scripted input; from xrCreateSession */
    bool ramp_done; /* session.c: READY -> FOCUSED after xrBeginSession is over; later moves are explicit */
    struct sim_frame_state *frame_state; /* frame.c: wait history; created on first use */
    struct sim_headset_state *headset;   /* headset.c: presence and lens as last reported; first use */
    bool metrics_enabled;                /* metrics.c: xrSetPerformanceMetricsStateMETA */
    /* swapchain.c, for the report: the most images of one swapchain acquired at once since xrBeginSession */
    uint32_t max_images_acquired;
    /* Under inst->lock: the session is fully created and not being destroyed (live), and how many calls
     * that reached it through the instance use it now (refs; xrDestroySession waits for them). */
    bool live;
    int refs;
} sim_session;

/* The instance's session, for a call that reaches it through the instance rather than its handle
 * (xrPollEvent): NULL when there is none, or it is still being created or already being destroyed;
 * otherwise it stays alive (xrDestroySession waits) until sim_session_put. Caller holds no locks. */
sim_session *sim_session_get(sim_instance *inst);
void sim_session_put(sim_session *s);

/* The app called a session or frame function out of the order the spec sets (xrEndFrame without a begun
 * frame, a second concurrent xrWaitFrame, xrReleaseSwapchainImage without an acquired and waited image,
 * xrEndSession outside STOPPING, ...): logs one error line naming fn and what was wrong, and counts it. The
 * count is process-wide (every instance and session since the runtime was loaded), so a test reads in the
 * last report whether any session ever saw one. Thread-safe. */
void sim_protocol_violation(const char *fn, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint64_t sim_protocol_violations(void);

/* Handle helper: XR_SUCCESS, XR_ERROR_HANDLE_INVALID, or XR_ERROR_SESSION_LOST / XR_ERROR_INSTANCE_LOST once
 * the session or its instance is lost (only xrDestroySession, which checks the handle alone, works then). */
XrResult sim_session_check_in(const char *fn, const char *expr, XrSession session, sim_session **out);
#define sim_session_check(session, out) sim_session_check_in(sim_fn_name(__func__), #session, session, out)
/* The loss part of sim_session_check, for calls that reach the session through another handle. */
XrResult sim_session_status(sim_session *s);
/* "XR_SESSION_STATE_FOCUSED" -> "FOCUSED", for messages. */
const char *sim_session_state_name(XrSessionState st);
/* Move the session to a new state and queue XrEventDataSessionStateChanged. Caller holds no locks. */
void sim_session_set_state(sim_session *s, XrSessionState state);
/* The same with s->lock held by the caller (lock order: session, then instance). */
void sim_session_set_state_locked(sim_session *s, XrSessionState state);
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
/* xrRequestExitSession, also when the user asks (the preview window): walks down to STOPPING once.
 * XR_ERROR_SESSION_NOT_RUNNING when not running. Caller holds no locks. */
XrResult sim_session_request_exit(sim_session *s);

/* ---------------------------------------------------------------- Vulkan binding (vulkan.c) */

/* Fill s->vk from the XrGraphicsBindingVulkanKHR in info->next (validates it; returns
 * XR_ERROR_GRAPHICS_DEVICE_INVALID / XR_ERROR_VALIDATION_FAILURE /
 * XR_ERROR_GRAPHICS_REQUIREMENTS_CALL_MISSING as the spec says). */
XrResult sim_vk_session_init(sim_session *s, const XrSessionCreateInfo *info);
void sim_vk_session_fini(sim_session *s);

/* ---------------------------------------------------------------- faults (faults_apply.c)
 * Applies the PARALLAX_SIM_FAULTS plan (simulator/faults/README.md): decides what is due and applies it to
 * the objects below it (session state, instance and session loss, events) and to the display clock (period,
 * jitter, late compositor wake-ups). Each hook is a no-op without faults. Callers: frame.c (xrWaitFrame),
 * swapchain.c (acquire and wait), lifecycle.c (session begin and destroy, xrPollEvent, xrDestroyInstance).
 * Thread-safe; the fault lock is a leaf (taken under s->lock, never around it). */
struct sim_fault_state;
void sim_faults_instance_fini(sim_instance *inst);
void sim_faults_session_begin(sim_session *s);
void sim_faults_session_destroyed(sim_session *s);
/* Fault windows that end while no frames run (idle -> READY): at xrPollEvent. */
void sim_faults_poll_events(sim_instance *inst);
/* At xrWaitFrame: applies what is due and returns the extra stall; *out_status is XR_SESSION_LOSS_PENDING
 * between a session_loss and the loss, or the error of a fail fault for this xrWaitFrame (then nothing else
 * due at this frame is applied yet, and the call must do nothing but return it). */
XrDuration sim_faults_wait_frame(sim_session *s, XrResult *out_status);
XrDuration sim_faults_acquire_delay(sim_session *s);
/* A fail fault (simulator/faults/README.md) due for this call of `call`: its XrResult (the caller returns it
 * and does nothing else), else XR_SUCCESS. frame= counts from the newest xrWaitFrame called (xrWaitFrame's
 * own failures are decided in sim_faults_wait_frame); nothing fires before the instance's first
 * xrBeginSession. May be called with s->lock held (the fault lock is a leaf, taken after the instance's). */
XrResult sim_faults_fail(sim_instance *inst, sim_fault_call call);
/* true when this xrWaitSwapchainImage must block *out_block ns and return XR_TIMEOUT_EXPIRED. */
bool sim_faults_wait_timeout(sim_session *s, XrDuration app_timeout, XrDuration *out_block);

/* ---------------------------------------------------------------- the lens and the wearer (headset.c)
 * XR_KHR_visibility_mask and XR_EXT_user_presence. Caller holds no locks. */

/* xrBeginSession succeeded: presence events go out from now on, starting with the current presence. */
void sim_headset_session_begin(sim_session *s);
/* xrEndSession: no presence events any more. */
void sim_headset_session_end(sim_session *s);
/* xrDestroySession. */
void sim_headset_session_destroy(sim_session *s);
/* xrPollEvent and xrWaitFrame: queues the events for a change of presence or lens since the last look, and
 * walks the session state when the presence setting couples them. */
void sim_headset_poll(sim_session *s);

/* ---------------------------------------------------------------- actions (action.c) */

struct sim_action;
/* Validates an XrActionSpaceCreateInfo's action and subaction path for xrCreateActionSpace. */
XrResult sim_action_space_check(sim_session *s, const XrActionSpaceCreateInfo *info, struct sim_action **out);
/* An action space keeps its action's data alive after xrDestroyAction (delta +1 / -1). */
void sim_action_space_ref(struct sim_action *a, int delta);
/* Which pose of a hand a pose action is bound to (its identifier): grip, aim, grip_surface (and
 * XR_EXT_palm_pose's palm_ext), XR_EXT_hand_interaction's pinch_ext and poke_ext. */
typedef enum sim_pose_kind {
    SIM_POSE_GRIP,
    SIM_POSE_AIM,
    SIM_POSE_GRIP_SURFACE,
    SIM_POSE_PINCH,
    SIM_POSE_POKE
} sim_pose_kind;
/* Which hand drives a pose action for subaction path sub (XR_NULL_PATH = any) as of the last xrSyncActions,
 * and which of its poses; false when the action is inactive. */
bool sim_action_pose_source(sim_session *s, struct sim_action *a, XrPath sub, int *out_hand,
                            sim_pose_kind *out_kind);
/* Sets up the session's action state (xrCreateSession). */
XrResult sim_actions_session_init(sim_session *s);
/* Frees the session's action state (xrDestroySession). */
void sim_actions_session_destroy(sim_session *s);
/* Frees every action set, action and binding of the instance (xrDestroyInstance). */
void sim_actions_instance_destroy(sim_instance *inst);

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

/* Offset of STAGE relative to LOCAL: LOCAL origin is 1.6 m above the STAGE floor. */
#define SIM_LOCAL_HEIGHT_M 1.6f
/* Head pose (VIEW space in LOCAL) that the runtime reports for display time t: from the IMU per
 * cfg.prediction, with velocities. out_sample_time = measurement time of the IMU sample it came from. */
void sim_tracker_head(sim_session *s, XrTime t, XrPosef *out_pose, XrVector3f *out_lin_vel,
                      XrVector3f *out_ang_vel, XrTime *out_sample_time);
/* Pose of a space's origin in LOCAL at time t (e.g. to bring layer poses into LOCAL in xrEndFrame).
 * false when the space is not tracked at t (an action space whose action is inactive). */
bool sim_space_pose_in_local(sim_space *sp, XrTime t, XrPosef *out_pose);
/* When were these eye poses (in LOCAL) sampled? Looks them up among what xrLocateViews returned lately (the
 * newest match): the measurement time of the IMU sample behind them and when they were located. false when
 * none matches (poses made up or re-predicted by the app). */
bool sim_space_find_located(sim_session *s, const XrPosef poses[2], XrTime *out_sample, XrTime *out_locate);
/* The pose and velocities (LOCAL) of a hand's grip, the simulated controller the hand holds, at time t. */
void sim_hand_grip(sim_session *s, int hand, XrTime t, plx_pose *out_pose, plx_vec3 *out_lin,
                   plx_vec3 *out_ang);
/* A frame given in LOCAL at time t (pose, world linear and angular velocity) located in base space at t, as
 * xrLocateSpace would locate a space with that origin. false (and nothing valid) when base is not tracked
 * then. */
bool sim_space_locate_local(sim_space *base, XrTime t, plx_pose pose, plx_vec3 lin, plx_vec3 ang,
                            XrPosef *out_pose, XrSpaceVelocityData *out_vel);
/* XrSpace -> sim_space: XR_ERROR_HANDLE_INVALID for a destroyed or made-up handle. */
XrResult sim_space_check_in(const char *fn, const char *expr, XrSpace space, sim_space **out);
#define sim_space_check(space, out) sim_space_check_in(sim_fn_name(__func__), #space, space, out)
/* Destroys every space of the session and what xrLocateViews remembered (xrDestroySession). */
void sim_spaces_destroy_all(sim_session *s);

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

/* Destroys every swapchain of the session (xrDestroySession). */
void sim_swapchains_destroy_all(sim_session *s);

/* ---------------------------------------------------------------- hand tracking (hand.c) */

/* Destroys every hand tracker of the session (xrDestroySession). */
void sim_hand_trackers_destroy_all(sim_session *s);

/* ---------------------------------------------------------------- frame loop (frame.c) */

/* xrBeginSession starts the display clock and the compositor; xrEndSession stops them (which writes the
 * report/CSV; how: "xrEndSession", or "xrDestroySession" for a session destroyed while running, for the
 * report). xrDestroySession calls sim_frame_session_destroy (safe if never begun). */
XrResult sim_frame_session_begin(sim_session *s);
void sim_frame_session_end(sim_session *s, const char *how);
void sim_frame_session_destroy(sim_session *s);
