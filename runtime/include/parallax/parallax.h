/* libparallax: a VR rendering runtime. Drives an OpenXR session through the system loader and renders both
 * eyes in one Vulkan multiview pass, with late latching of the head pose and just-in-time frame pacing.
 *
 * Threads: every function runs on the thread that created the context (the frame-loop thread) unless its
 * comment says otherwise. Results: functions return a plx_result; on failure plx_last_error() tells which
 * call failed, with its XrResult/VkResult name and the file:line.
 *
 * The minimal app:
 *     plx_context *ctx;
 *     if (plx_context_create(&(plx_context_desc){ .app_name = "hello" }, &ctx) != PLX_SUCCESS)
 *         fail(plx_last_error(NULL));
 *     for (;;) {
 *         plx_events ev;
 *         plx_poll(ctx, &ev);
 *         if (ev.should_quit) break;
 *         plx_frame frame;
 *         if (plx_frame_wait(ctx, &frame) != PLX_SUCCESS) continue;   // not running yet: try again
 *         if (plx_frame_begin(ctx, &frame) == PLX_SUCCESS) draw(frame.cmd, ...);
 *         plx_frame_end(ctx, &frame);
 *     }
 *     plx_context_destroy(&ctx);
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vulkan/vulkan.h>

#include "parallax/parallax_version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PLX_BUILDING_LIBRARY)
#define PLX_API __attribute__((visibility("default")))
#else
#define PLX_API
#endif

/* ---------------------------------------------------------------- results */

/* 0 is success, > 0 a status that is not an error, < 0 an error (plx_last_error() has the details). */
typedef enum plx_result {
    PLX_SUCCESS = 0,
    PLX_FRAME_SKIPPED = 1, /* the runtime asked not to render this frame (shouldRender false); still end it */
    PLX_NOT_FOCUSED = 2,   /* the session is visible but another app has input focus */
    PLX_SESSION_NOT_RUNNING = 3, /* no frame may be started: the session is not between begin and end */
    PLX_SHOULD_QUIT = 4, /* the session is exiting or lost: stop the frame loop and destroy the context */

    PLX_ERROR_NO_RUNTIME = -1,       /* no OpenXR runtime (set XR_RUNTIME_JSON) */
    PLX_ERROR_XR = -2,               /* an OpenXR call failed */
    PLX_ERROR_VULKAN = -3,           /* a Vulkan call failed */
    PLX_ERROR_INVALID_ARGUMENT = -4, /* a NULL pointer, a bad desc field */
    PLX_ERROR_CALL_ORDER = -5,       /* e.g. plx_frame_begin without plx_frame_wait */
    PLX_ERROR_OUT_OF_MEMORY = -6,    /* malloc failed */
    PLX_ERROR_UNSUPPORTED = -7,  /* the runtime or device lacks something required (multiview, a format) */
    PLX_ERROR_SESSION_LOST = -8, /* the runtime lost the session (XR_ERROR_SESSION_LOST) */
} plx_result;

/* Static name of a result, e.g. "PLX_ERROR_NO_RUNTIME". Never NULL. Any thread. */
PLX_API const char *plx_result_string(plx_result result);

/* The version of the library the app runs with, as PLX_VERSION encodes it (major * 10000 + minor * 100 +
 * patch). An app built with these headers runs on a library with the same major version and a version not
 * below PLX_VERSION. Any thread, any time (no context needed). */
PLX_API uint32_t plx_version(void);

/* ---------------------------------------------------------------- logging */

typedef enum plx_log_level {
    PLX_LOG_ERROR = 0,
    PLX_LOG_WARN = 1,
    PLX_LOG_INFO = 2,
    PLX_LOG_DEBUG = 3,
} plx_log_level;

/* Receives every log line of one context (one line, no trailing newline), including the Vulkan validation
 * and OpenXR debug messages. May be called from a driver or runtime thread for debug messages. */
typedef void (*plx_log_fn)(void *user, plx_log_level level, const char *message);

/* ---------------------------------------------------------------- context */

/* Frame-timing mode. PARALLAX_MODE=off|latch|jit+latch overrides the desc. */
typedef enum plx_mode {
    PLX_MODE_DEFAULT = 0,   /* = PLX_MODE_JIT_LATCH */
    PLX_MODE_OFF = 1,       /* poses located once at plx_frame_begin, no pacing sleep */
    PLX_MODE_LATCH = 2,     /* poses located again just before vkQueueSubmit (late latch) */
    PLX_MODE_JIT_LATCH = 3, /* late latch + sleep after xrWaitFrame until just in time */
} plx_mode;

typedef enum plx_space {
    PLX_SPACE_DEFAULT = 0, /* = PLX_SPACE_LOCAL */
    PLX_SPACE_LOCAL = 1,   /* origin at the head's start position, gravity aligned */
    PLX_SPACE_STAGE = 2,   /* origin on the floor at the play area centre */
} plx_space;

/* App-side head pose prediction, for runtimes that return unpredicted poses. PARALLAX_PREDICTION=auto|on|off
 * overrides the desc. */
typedef enum plx_prediction {
    PLX_PREDICTION_DEFAULT = 0, /* = PLX_PREDICTION_AUTO */
    PLX_PREDICTION_AUTO =
        1,                  /* detect whether the runtime predicts (head must move); predict if it does not */
    PLX_PREDICTION_ON = 2,  /* the app says the runtime returns unpredicted poses: always predict */
    PLX_PREDICTION_OFF = 3, /* use the runtime's poses as they are */
} plx_prediction;

/* Desktop mirror window of the headset's images (see plx_set_mirror). */
typedef enum plx_mirror_mode {
    PLX_MIRROR_DEFAULT = 0, /* = PLX_MIRROR_OFF */
    PLX_MIRROR_OFF = 1,     /* no window */
    PLX_MIRROR_LEFT = 2,    /* the left eye */
    PLX_MIRROR_BOTH = 3,    /* both eyes side by side */
} plx_mirror_mode;

typedef struct plx_context_desc {
    const char *app_name;      /* application name given to OpenXR; default "parallax" */
    uint32_t app_version;      /* default 0 */
    plx_mode mode;             /* default PLX_MODE_JIT_LATCH (env PARALLAX_MODE overrides) */
    plx_prediction prediction; /* default PLX_PREDICTION_AUTO (env PARALLAX_PREDICTION overrides) */
    bool latch_check;          /* debug: check every frame that the GPU drew with exactly the poses given to
                                  xrEndFrame (plx_latch_check_failures); default off, also on when the
                                  environment has PARALLAX_LATCH_CHECK=1 */
    plx_space reference_space; /* default PLX_SPACE_LOCAL */
    uint32_t eye_width;        /* per-eye image width in pixels; default the runtime's recommendation */
    uint32_t eye_height;       /* per-eye image height; default the runtime's recommendation */
    float near_z;              /* near plane in metres; default 0.05 */
    float far_z;               /* far plane in metres; default 100 */
    float clear_color[4];      /* linear RGBA the pass clears to; all zero = default dark blue-grey
                                  (0.02, 0.02, 0.03, 1); give alpha 1 for pure black */
    uint32_t frames_in_flight; /* frames the CPU may run ahead of the GPU, 1..3; default 2 */
    bool validation;           /* Vulkan validation layer + debug messenger; default off, also on when the
                                  environment has PARALLAX_VALIDATION=1 */
    plx_log_fn log_fn;         /* log sink; default stderr. The level comes from PARALLAX_LOG
                                  (error|warn|info|debug, default warn) */
    void *log_user;            /* passed to log_fn */
    const char *trace_path;    /* write a Chrome trace-event JSON of every frame (opens in Perfetto); default
                                  NULL = none; the environment's PARALLAX_TRACE=path overrides */
    bool hud;                  /* draw the frame-timing HUD in the headset; default off, also on when the
                                  environment has PARALLAX_HUD=1 (plx_set_hud switches it later) */
    plx_mirror_mode mirror;    /* desktop mirror window; default off; PARALLAX_MIRROR=off|left|both
                                  overrides. With no display it logs once and stays off */
    bool dynamic_resolution;   /* scale the rendered viewport to hold the frame rate (see
                                  plx_set_dynamic_resolution); default off, also on when the environment has
                                  PARALLAX_DYNAMIC_RESOLUTION=1 */
    float min_render_scale;    /* lowest scale dynamic resolution may choose, 0.1..1; default 0.5 */
} plx_context_desc;

typedef struct plx_context plx_context;

/* Creates the OpenXR instance (through the system loader), the system, the Vulkan instance and device
 * (through XR_KHR_vulkan_enable2, multiview on), the session, the reference space and the swapchains.
 * desc may be NULL (all defaults). On failure *out_ctx is NULL and plx_last_error(NULL) explains, e.g.
 * PLX_ERROR_NO_RUNTIME when no OpenXR runtime is installed or selected. */
PLX_API plx_result plx_context_create(const plx_context_desc *desc, plx_context **out_ctx);

/* Waits for the GPU, ends the session if it is running and destroys everything. Accepts NULL or *ctx ==
 * NULL; sets *ctx to NULL. */
PLX_API void plx_context_destroy(plx_context **ctx);

/* The last error of ctx (which call failed, its result name, file:line), or "" if none. With ctx == NULL:
 * the last plx_context_create failure on the calling thread. The string lives until the next failure. */
PLX_API const char *plx_last_error(const plx_context *ctx);

/* Number of Vulkan validation and OpenXR debug messages of warning or error severity seen so far (tests
 * fail on any). Any thread. */
PLX_API uint32_t plx_validation_message_count(const plx_context *ctx);

/* The mode in effect after the PARALLAX_MODE override. */
PLX_API plx_mode plx_get_mode(const plx_context *ctx);

/* Per-eye image size of the swapchains. */
PLX_API void plx_get_eye_size(const plx_context *ctx, uint32_t *out_width, uint32_t *out_height);

/* ---------------------------------------------------------------- session events */

typedef enum plx_session_state {
    PLX_STATE_UNKNOWN = 0,
    PLX_STATE_IDLE = 1,
    PLX_STATE_READY = 2,
    PLX_STATE_SYNCHRONIZED = 3,
    PLX_STATE_VISIBLE = 4,
    PLX_STATE_FOCUSED = 5,
    PLX_STATE_STOPPING = 6,
    PLX_STATE_LOSS_PENDING = 7,
    PLX_STATE_EXITING = 8,
} plx_session_state; /* same order as XrSessionState */

typedef struct plx_events {
    plx_session_state state; /* newest session state */
    bool state_changed;      /* the state changed during this poll */
    bool running;            /* between xrBeginSession and xrEndSession: frames may be run */
    bool visible;            /* the frames are shown (VISIBLE or FOCUSED) */
    bool focused;            /* the app has input focus */
    bool should_quit;        /* EXITING, or a loss that could not be recovered: leave the loop, destroy the
                                context */
    bool session_restarted;  /* this poll re-created the OpenXR session after a loss (also set with
                                instance_restarted); the app's objects, the scene and the device are kept */
    bool instance_restarted; /* this poll re-created the OpenXR instance (the runtime restarted) */
} plx_events;

/* Drains the OpenXR event queue and runs the session state machine: READY -> xrBeginSession, STOPPING ->
 * xrEndSession, EXITING / LOSS_PENDING -> should_quit. Call once per loop iteration. out_events may be NULL.
 * Returns a status (frames may be run in all but the last): PLX_SUCCESS (running and focused),
 * PLX_NOT_FOCUSED (running, no input focus), PLX_SESSION_NOT_RUNNING, PLX_SHOULD_QUIT (should_quit is set);
 * or an error. */
PLX_API plx_result plx_poll(plx_context *ctx, plx_events *out_events);

/* Asks the runtime to end the session (xrRequestExitSession); keep calling plx_poll until should_quit.
 * Returns PLX_SESSION_NOT_RUNNING (harmlessly) if the session is not running. */
PLX_API plx_result plx_request_exit(plx_context *ctx);

/* ---------------------------------------------------------------- frame loop */

typedef struct plx_fov {
    float angle_left, angle_right, angle_up, angle_down; /* radians, left and down negative */
} plx_fov;

typedef struct plx_view {
    float position[3];    /* eye position in the reference space, metres */
    float orientation[4]; /* eye orientation, unit quaternion x, y, z, w */
    plx_fov fov;
    float view[16]; /* column-major view matrix (inverse of the eye pose) */
    float proj[16]; /* column-major Vulkan projection (y down, depth 0..1) */
} plx_view;

/* One frame, filled by plx_frame_wait and plx_frame_begin, consumed by plx_frame_end. Caller-owned. */
typedef struct plx_frame {
    uint64_t index;                   /* frames waited since the context was created, from 0 */
    int64_t predicted_display_time;   /* XrTime (ns of CLOCK_MONOTONIC) the frame will be displayed */
    int64_t predicted_display_period; /* ns between displayed frames */
    bool should_render;               /* false: plx_frame_begin returns PLX_FRAME_SKIPPED */
    /* Set by plx_frame_begin when it returns PLX_SUCCESS: */
    plx_view views[2];         /* left, right; plx_frame_end updates them with the late-latched poses */
    uint32_t width, height;    /* per-eye size of the render area: the eye size times the render scale */
    VkCommandBuffer cmd;       /* recording, inside the multiview render pass (both eyes, view mask 0b11),
                                  viewport and scissor set to the full eye. With a pass per eye
                                  (parallax_vulkan.h) a secondary command buffer that plx_frame_end runs in
                                  each eye's pass: record the same commands as for one pass */
    VkDescriptorSet frame_set; /* set 0, binding 0: the plx_frame_uniforms buffer (see parallax_vulkan.h) */
    VkBuffer uniform_buffer;   /* that buffer (per slot; the late latch rewrites it before submission) */
    uint32_t slot;             /* frame-in-flight slot, 0 .. frames_in_flight-1 */
    uint32_t internal_state;   /* private: which calls have been made */
} plx_frame;

/* xrWaitFrame, then (in PLX_MODE_JIT_LATCH) the pacing sleep. Fills the timing fields of out_frame.
 * Returns PLX_SESSION_NOT_RUNNING (after a short sleep, so a polling loop does not spin) if the session has
 * not begun; PLX_SUCCESS otherwise, including when should_render is false. */
PLX_API plx_result plx_frame_wait(plx_context *ctx, plx_frame *frame);

/* xrBeginFrame; when the frame should be rendered: acquires and waits the colour and depth images, locates
 * the views at the predicted display time, and begins the command buffer and the multiview render pass
 * (cleared). Returns PLX_SUCCESS (record into frame->cmd now), PLX_FRAME_SKIPPED (record nothing) or an
 * error. Either way unless it failed, call plx_frame_end next. */
PLX_API plx_result plx_frame_begin(plx_context *ctx, plx_frame *frame);

/* Ends the render pass, late-latches the views (modes LATCH and JIT_LATCH), submits, releases the images and
 * calls xrEndFrame with a projection layer (and depth info) carrying exactly the poses the GPU used. A
 * skipped frame is ended with no layers. */
PLX_API plx_result plx_frame_end(plx_context *ctx, plx_frame *frame);

/* ---------------------------------------------------------------- dynamic resolution */

/* The render scale shrinks the rendered area inside the fixed-size swapchain images (they are never
 * re-created): a frame renders width = round(eye_width * scale) by height = round(eye_height * scale)
 * pixels at the top-left of each eye's image, plx_frame.width/height and the viewport and scissor say so,
 * and the projection layer's imageRect covers exactly that area, so the compositor stretches it over the
 * full field of view. GPU fill cost falls with scale squared. */

/* Renders the frames begun from now on at scale (0 < scale <= 1, e.g. 0.75) and turns the automatic
 * controller off, so the scale stays as set. PLX_ERROR_INVALID_ARGUMENT for a scale outside (0, 1]. */
PLX_API plx_result plx_set_render_scale(plx_context *ctx, float scale);

/* Turns the automatic controller on or off (the desc's dynamic_resolution sets it at creation). On, it
 * reads each frame's GPU time (timestamp queries) and picks the scale so the GPU time stays near half the
 * display period: it drops the scale at once when the cost rises and raises it gradually when the cost
 * falls, never below the desc's min_render_scale. Off, the scale stays where it is. Returns
 * PLX_ERROR_UNSUPPORTED when turning it on on a device without timestamps. */
PLX_API plx_result plx_set_dynamic_resolution(plx_context *ctx, bool enabled);

/* The scale the next frame begun will render at (1 = the full eye size); 1 for NULL. */
PLX_API float plx_get_render_scale(const plx_context *ctx);

/* Whether the automatic controller is on. */
PLX_API bool plx_get_dynamic_resolution(const plx_context *ctx);

/* ---------------------------------------------------------------- statistics */

/* Timestamps are XrTime: nanoseconds of CLOCK_MONOTONIC. */
typedef struct plx_frame_stats {
    uint64_t index;                   /* plx_frame.index */
    int64_t predicted_display_time;   /* from xrWaitFrame */
    int64_t predicted_display_period; /* from xrWaitFrame */
    int64_t wait_return;              /* xrWaitFrame returned */
    int64_t wake;                     /* pacing sleep ended (= wait_return when there was none) */
    int64_t begin;                    /* xrBeginFrame returned */
    int64_t record_end;               /* plx_frame_end entered: the app finished recording */
    int64_t latch;                    /* views located for the last time (0 if the frame was skipped) */
    int64_t submit;                   /* vkQueueSubmit returned (0 if skipped) */
    int64_t end;                      /* xrEndFrame returned */
    double cpu_ms;                    /* wake -> end: CPU cost of the frame, without waiting and sleeping */
    double gpu_ms;      /* GPU begin -> end of the frame's commands, -1 until known/unsupported */
    double pose_age_ms; /* submit - latch: how old the submitted poses were at submission */
    bool rendered;      /* false for a skipped frame (shouldRender false) */
    int64_t wait_call;  /* plx_frame_wait entered (before xrWaitFrame) */
    int64_t gpu_start;  /* the GPU began the frame's commands (timestamp query on CLOCK_MONOTONIC), 0 until
                           known or without timestamps */
    int64_t gpu_end;    /* the GPU finished them, 0 until known */
    bool missed;        /* the display refresh after this frame's got no new frame: the next frame's predicted
                           display time came more than 1.5 periods later (set when the next frame is waited) */
    uint32_t skipped_displays; /* refreshes skipped after this frame (0 unless missed) */
    /* Pose age and pose error at photon time, measured on any runtime. Some 20 ms after a rendered frame's
     * predicted display time has passed, libparallax locates the VIEW space (the head) in the reference
     * space at exactly that past time (xrLocateSpace: runtimes answer past times from their pose history)
     * and compares it with the head pose submitted for the frame: the midpoint of the two submitted eye
     * positions and the halfway rotation of their orientations. The runtime's after-the-fact pose stands in
     * for the truth, so its own tracking error is not seen; and the frame is judged at its predicted
     * display time even if it was shown later (missed). */
    double photon_age_ms;  /* predicted_display_time - latch: the age of the submitted pose at photon time
                              (0 for a frame not rendered) */
    double pose_error_deg; /* angle between the submitted head orientation and the after-the-fact one, -1
                              until known, for a frame not rendered, or when the runtime could not locate
                              the head at that time */
    double pose_error_mm;  /* distance between the submitted and after-the-fact head positions, -1 likewise */
} plx_frame_stats;

/* Copies up to max of the most recent frames' statistics (oldest first) into out; returns how many.
 * The library keeps the last 256. */
PLX_API uint32_t plx_get_frame_stats(plx_context *ctx, plx_frame_stats *out, uint32_t max);

typedef struct plx_summary {
    uint64_t frames;        /* frames ended since the context was created */
    uint64_t frames_window; /* frames the percentiles below are taken over (the last up to 256) */
    double cpu_mean_ms, cpu_p50_ms, cpu_p99_ms;
    double gpu_mean_ms, gpu_p50_ms, gpu_p99_ms; /* -1 when the device has no timestamps */
    double pose_age_mean_ms;
    uint64_t frames_missed;            /* frames since creation followed by a skipped display refresh */
    double total_p50_ms, total_p99_ms; /* wake -> GPU end (-1 without timestamps) */
} plx_summary;

/* Summary of the recent frames (see plx_summary fields). */
PLX_API plx_result plx_stats_summary(plx_context *ctx, plx_summary *out_summary);

/* What plx_stats_percentiles ranks, per frame. */
typedef enum plx_stat_metric {
    PLX_STAT_CPU_MS = 0,         /* wake -> end (plx_frame_stats.cpu_ms) */
    PLX_STAT_GPU_MS = 1,         /* gpu_start -> gpu_end */
    PLX_STAT_TOTAL_MS = 2,       /* wake -> gpu_end: the frame's whole cost, CPU then GPU */
    PLX_STAT_WAIT_MS = 3,        /* wait_call -> wake: blocked in xrWaitFrame plus the pacing sleep */
    PLX_STAT_POSE_AGE_MS = 4,    /* latch -> submit (rendered frames) */
    PLX_STAT_POSE_ERROR_DEG = 5, /* plx_frame_stats.pose_error_deg (frames whose error is known) */
    PLX_STAT_PHOTON_AGE_MS = 6,  /* latch -> predicted display time (rendered frames) */
    PLX_STAT_POSE_ERROR_MM = 7,  /* plx_frame_stats.pose_error_mm (frames whose error is known) */
} plx_stat_metric;

/* Rolling percentiles of one metric over the last window frames (0 or above 256: the last 256). For each
 * percents[i] (0..100, nearest rank) writes out_values[i], or -1 when no frame in the window has the metric
 * (e.g. GPU times without timestamps). Returns PLX_ERROR_INVALID_ARGUMENT for a bad metric or NULL arrays. */
PLX_API plx_result plx_stats_percentiles(plx_context *ctx, plx_stat_metric metric, uint32_t window,
                                         const double *percents, uint32_t count, double *out_values);

/* ---------------------------------------------------------------- HUD and mirror window */

/* Shows or hides the HUD: a head-locked panel in the lower part of both eyes with a graph of the last 128
 * frames' CPU (wake -> end), GPU and total time against the frame budget (the display period) and, beside
 * it, text readouts updated every 9 frames (ten times a second at 90 Hz): the pose age at photon (AGE, p50 of
 * the last 90 frames, ms), the pose error (ERR p50 and P99 of the same frames, degrees; see
 * plx_frame_stats.pose_error_deg), the count of missed frames (MISS) and the app's own values
 * (plx_hud_set_value). Drawn by plx_frame_end after the app's draws, inside the same multiview pass. */
PLX_API plx_result plx_set_hud(plx_context *ctx, bool on);

#define PLX_HUD_VALUE_COUNT 4 /* app values the HUD shows, below its own readouts */
#define PLX_HUD_LABEL_MAX   5 /* characters of an app value's label */

/* Shows one of the app's own numbers on the HUD as "LABEL value": slot index 0 .. PLX_HUD_VALUE_COUNT-1
 * (rows in slot order, below MISS). label: 1 to PLX_HUD_LABEL_MAX characters of A-Z, 0-9, space, '.', '-',
 * '/', ':' (a-z are shown as capitals); copied. value must be finite; it is printed in at most 7 characters,
 * with two decimals when they fit, fewer otherwise ("OVER" beyond +-9999999). label NULL clears the slot.
 * May be called at any time, with the HUD on or off (it shows from the next frame the HUD draws).
 * PLX_ERROR_INVALID_ARGUMENT (plx_last_error says which) for a bad index, label or value. */
PLX_API plx_result plx_hud_set_value(plx_context *ctx, uint32_t index, const char *label, double value);

/* Switches the mirror window between PLX_MIRROR_LEFT, PLX_MIRROR_BOTH and PLX_MIRROR_OFF (the window stays
 * open with its last image; nothing is copied or presented). Only a context created with a mirror
 * (desc.mirror or PARALLAX_MIRROR) on a display has the window; otherwise PLX_ERROR_UNSUPPORTED. The window
 * presents a copy of the eye images from a thread, a VkDevice and a queue of its own, so the XR frame never
 * waits for it: a frame is not mirrored when both readback buffers are busy or the thread has not taken the
 * previous copy yet. Closing the window turns the mirror off for good; the XR session carries on. */
PLX_API plx_result plx_set_mirror(plx_context *ctx, plx_mirror_mode mode);

typedef struct plx_mirror_status {
    bool available;         /* the window exists */
    plx_mirror_mode mode;   /* what it shows now */
    uint32_t width, height; /* its swapchain extent */
    uint64_t presented;     /* frames presented */
    uint64_t skipped;       /* frames not mirrored because the window was busy */
    double present_p99_ms;  /* the mirror thread's time per frame (upload, blit, present), p99 of the last
                               256 */
} plx_mirror_status;

/* Fills out_status (all zero when there is no window). */
PLX_API plx_result plx_get_mirror_status(plx_context *ctx, plx_mirror_status *out_status);

/* ---------------------------------------------------------------- latency: pacing, prediction, latch check
 */

typedef struct plx_latency_info {
    plx_prediction prediction;     /* the setting in effect (after PARALLAX_PREDICTION) */
    bool runtime_predicts_known;   /* the runtime's prediction has been judged (auto mode, head moving) */
    bool runtime_predicts;         /* ... and the verdict: true = it predicts, false = it returns raw poses */
    bool predicting;               /* app-side prediction is applied to the views now */
    uint64_t frames_predicted;     /* frames whose submitted views came from the app-side predictor */
    bool runtime_paces_adaptively; /* just-in-time pacing judged the runtime adaptive, so it does not sleep */
    uint64_t pacing_misses;        /* late frames seen from the app side (display time skipped a period, or
                                      GPU done after the pacing deadline) */
    uint64_t pacing_frames_slept;  /* frames the pacing slept before */
    double pacing_margin_ms;       /* the pacing safety margin now (grows after a miss, shrinks slowly) */
    double pacing_frame_cost_ms;   /* estimate wake -> GPU done at the 95th percentile, 0 while unknown */
    bool latch_check;              /* the late-latch check runs */
    uint64_t latch_frames_checked; /* frames whose GPU-read matrices were compared with the submitted poses */
    uint64_t latch_failures;       /* ... that differed */
    bool waiting_ahead;            /* the last rendered frame waited ahead: on a runtime that paces at fixed
                                      times, plx_frame_wait begins the frame at once and calls xrWaitFrame for
                                      the next frame before its pacing sleep, so the sleep can run up to the
                                      frame's deadline instead of ending in time for the next xrWaitFrame
                                      (PLX_MODE_JIT_LATCH only; PARALLAX_WAIT_AHEAD=auto|on|off, default auto) */
    uint64_t frames_waited_ahead;  /* frames for which the next frame's xrWaitFrame was called early */
} plx_latency_info;

/* Fills out_info with the state of pacing, prediction and the latch check. */
PLX_API plx_result plx_get_latency_info(plx_context *ctx, plx_latency_info *out_info);

/* The head (VIEW space: between the eyes, looking down -z) in the reference space at some time. */
typedef struct plx_head_pose {
    bool valid;           /* false when the runtime has lost tracking (the pose is then the identity) */
    bool extrapolated;    /* part of the horizon came from libparallax's predictor (see plx_predict_head) */
    float position[3];    /* metres */
    float orientation[4]; /* unit quaternion x, y, z, w */
} plx_head_pose;

/* Head pose at `time` (XrTime), for work that runs ahead of the frame loop: a simulation, culling or
 * animation step preparing a frame after the current one, e.g. at plx_frame.predicted_display_time plus a
 * period or two. Up to the newest display time the runtime predicted for (the last plx_frame_wait's), the
 * runtime's own pose (xrLocateSpace); beyond it, extrapolated by libparallax's predictor from that pose and
 * its velocities (orientation integrated on the quaternion manifold, position linearly; damped past 50 ms
 * and held past 100 ms of horizon, so a far or stale request stays bounded). When libparallax predicts for
 * a runtime that returns raw poses (plx_latency_info.predicting), the predictor covers the whole horizon
 * from the newest sample. A time in the past is answered by the runtime's pose history. Frame-loop thread;
 * PLX_SESSION_NOT_RUNNING before the session runs, PLX_ERROR_INVALID_ARGUMENT for NULL or time <= 0. */
PLX_API plx_result plx_predict_head(plx_context *ctx, int64_t time, plx_head_pose *out_pose);

/* Frames so far whose view/projection matrices, as the GPU read them from the uniforms, differed from the
 * poses and fovs given to xrEndFrame. Counted once the frame's GPU work is done; 0 without latch_check. */
PLX_API uint64_t plx_latch_check_failures(plx_context *ctx);

/* Test hook: after the late latch of each of the next `frames` rendered frames, move the left eye's view
 * matrix in the uniforms by 1 cm, so the GPU draws a pose other than the one submitted. A working latch
 * check counts every one of them. */
PLX_API void plx_debug_corrupt_latch(plx_context *ctx, uint32_t frames);

/* ---------------------------------------------------------------- built-in scene renderer */

typedef struct plx_scene_desc {
    float light_direction[3]; /* direction the light travels, world space; default (-0.3, -1, -0.5) */
    float light_color[3];     /* linear RGB; default (0.9, 0.88, 0.8) */
    float ambient[3];         /* linear RGB; default (0.18, 0.2, 0.24) */
    bool no_grid;             /* default false: draw a floor grid */
    float floor_y;            /* floor height in the reference space; 0 = default: -1.6 in LOCAL (standing
                                 eye height), 0 in STAGE */
    float grid_extent;        /* grid half-size in metres; default 10 */
    float grid_spacing;       /* metres between lines; default 0.5 */
    float grid_color[3];      /* linear RGB; default (0.25, 0.3, 0.35) */
} plx_scene_desc;

/* Position, rotation and scale of an object. Zero = identity (zero orientation = no rotation, zero scale =
 * 1). */
typedef struct plx_transform {
    float position[3];
    float orientation[4]; /* x, y, z, w */
    float scale[3];
} plx_transform;

typedef struct plx_cube_desc {
    plx_transform transform; /* centre, rotation, edge lengths (scale; default 1 m) */
    float color[3];          /* linear RGB; all zero = default mid grey */
} plx_cube_desc;

typedef struct plx_mesh_desc {
    const float *positions; /* vertex_count * 3 floats */
    const float *normals;   /* vertex_count * 3 floats, or NULL: flat normals from the triangles */
    uint32_t vertex_count;
    const uint32_t *indices; /* index_count indices, triangles */
    uint32_t index_count;
    plx_transform transform;
    float color[3]; /* linear RGB; all zero = default mid grey */
} plx_mesh_desc;

typedef struct plx_scene plx_scene;

/* A scene of lit meshes over a floor grid, drawn into the context's multiview pass. desc may be NULL. */
PLX_API plx_result plx_scene_create(plx_context *ctx, const plx_scene_desc *desc, plx_scene **out_scene);
/* Waits for the GPU to finish with the scene's buffers, then frees them. Accepts NULL; sets *scene to NULL.
 */
PLX_API void plx_scene_destroy(plx_scene **scene);
/* Adds a cube (shares one uploaded mesh). *out_id (may be NULL) identifies it for plx_scene_set_transform. */
PLX_API plx_result plx_scene_add_cube(plx_scene *scene, const plx_cube_desc *desc, uint32_t *out_id);
/* Adds a triangle mesh; its vertices and indices are uploaded once, now. Normals NULL -> per-face normals
 * (the vertices are split so each triangle is flat). */
PLX_API plx_result plx_scene_add_mesh(plx_scene *scene, const plx_mesh_desc *desc, uint32_t *out_id);
/* Moves an object; takes effect in the next frame recorded. */
PLX_API plx_result plx_scene_set_transform(plx_scene *scene, uint32_t id, const plx_transform *transform);
/* Records the scene into frame->cmd (after a plx_frame_begin that returned PLX_SUCCESS). */
PLX_API plx_result plx_scene_draw(plx_scene *scene, const plx_frame *frame);

/* ---------------------------------------------------------------- input (controllers)
 *
 * Actions for both hands, bound for /interaction_profiles/khr/simple_controller and
 * /interaction_profiles/oculus/touch_controller (the runtime picks the profile of the controllers in the
 * user's hands): grip pose, aim pose, trigger, grip (squeeze), thumbstick, menu, haptics. One plx_input per
 * context: OpenXR lets a session attach its action sets only once.
 *
 *     plx_input *input;
 *     plx_input_create(ctx, NULL, &input);              // after plx_context_create
 *     ... each frame, after plx_frame_wait:
 *     plx_input_sync(input, frame.predicted_display_time);
 *     plx_hand_state right;
 *     plx_input_get_hand(input, PLX_HAND_RIGHT, &right);
 *     if (right.trigger_pressed_now) plx_input_haptic(input, PLX_HAND_RIGHT, 0.8f, 0, 50000000);
 */

typedef enum plx_hand { PLX_HAND_LEFT = 0, PLX_HAND_RIGHT = 1 } plx_hand;

/* A tracked pose in the context's reference space. */
typedef struct plx_tracked_pose {
    bool valid;                /* position and orientation are known (else the rest is identity/zero) */
    bool tracked;              /* actively tracked, not inferred */
    float position[3];         /* metres */
    float orientation[4];      /* unit quaternion x, y, z, w */
    bool velocity_valid;       /* the two velocities below are known */
    float linear_velocity[3];  /* m/s, reference space */
    float angular_velocity[3]; /* rad/s, reference space */
} plx_tracked_pose;

/* One hand as of the last plx_input_sync. An inactive hand (no controller bound, or the app has no input
 * focus) reads all zero and false. */
typedef struct plx_hand_state {
    bool active;              /* the hand's actions are bound and the app has input focus */
    float trigger;            /* 0..1 (the simple controller's select click reads 0 or 1) */
    bool trigger_pressed;     /* trigger past the half-way point */
    bool trigger_pressed_now; /* went down at this sync (an edge, for one-shot actions) */
    bool trigger_released_now;
    float grip;          /* squeeze 0..1 (0 on the simple controller, which has none) */
    bool grip_pressed;   /* grip past the half-way point */
    float thumbstick[2]; /* x right, y up, -1..1 */
    bool menu;           /* the menu button is held (touch: left hand only) */
    bool menu_pressed_now;
    plx_tracked_pose grip_pose; /* where the hand holds the controller, at the synced display time */
    plx_tracked_pose aim_pose;  /* pointing ray: origin and -Z forward, at the synced display time */
} plx_hand_state;

/* Interaction profiles plx_input suggests bindings for (a runtime presents its controllers as one of those
 * the app suggested). */
typedef enum plx_input_profiles {
    PLX_INPUT_PROFILES_DEFAULT = 0, /* = SIMPLE | TOUCH */
    PLX_INPUT_PROFILE_SIMPLE = 1,   /* /interaction_profiles/khr/simple_controller: trigger = select */
    PLX_INPUT_PROFILE_TOUCH = 2,    /* /interaction_profiles/oculus/touch_controller: everything */
} plx_input_profiles;

typedef struct plx_input_desc {
    const char *action_set_name; /* OpenXR name of the action set; default "parallax_input" */
    const char *localized_name;  /* shown by the runtime; default "Parallax input" */
    uint32_t profiles;           /* plx_input_profiles bits; default both */
} plx_input_desc;

typedef struct plx_input plx_input;

/* Creates the action set and actions, suggests bindings for both profiles, creates the hands' grip and aim
 * spaces and attaches the set to the session. desc may be NULL. Fails with PLX_ERROR_CALL_ORDER when the
 * session already has action sets attached (a second plx_input). Destroy it before the context. */
PLX_API plx_result plx_input_create(plx_context *ctx, const plx_input_desc *desc, plx_input **out_input);
/* Destroys the spaces and the action set. Accepts NULL or *input == NULL; sets *input to NULL. */
PLX_API void plx_input_destroy(plx_input **input);
/* xrSyncActions, then reads every action of both hands and locates their poses at display_time (normally
 * frame.predicted_display_time, so controllers are drawn where they will be when the frame is shown).
 * When the runtime does not predict poses itself (detected over a few frames, as for the head), the poses
 * are extrapolated to display_time by libparallax's predictor. Returns PLX_SUCCESS, PLX_NOT_FOCUSED (every
 * hand reads inactive), PLX_SESSION_NOT_RUNNING (while a lost session is being re-created; the actions are
 * attached to the new session by the first sync after it) or an error. */
PLX_API plx_result plx_input_sync(plx_input *input, int64_t display_time);
/* The state of one hand as of the last plx_input_sync. */
PLX_API plx_result plx_input_get_hand(const plx_input *input, plx_hand hand, plx_hand_state *out_state);
/* Starts a vibration on one hand: amplitude 0..1, frequency in Hz (0 = the runtime's choice), duration in
 * ns (0 = the shortest pulse the runtime supports). */
PLX_API plx_result plx_input_haptic(plx_input *input, plx_hand hand, float amplitude, float frequency_hz,
                                    int64_t duration_ns);
/* Stops a vibration early. */
PLX_API plx_result plx_input_haptic_stop(plx_input *input, plx_hand hand);
/* The interaction profile the runtime reports for a hand ("/interaction_profiles/oculus/touch_controller"),
 * "" before it has chosen one. The string lives until the next call. */
PLX_API const char *plx_input_profile(plx_input *input, plx_hand hand);

#ifdef __cplusplus
}
#endif
