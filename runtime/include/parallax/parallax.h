/* SPDX-License-Identifier: MIT */
/**
 * @file parallax.h
 * @brief libparallax, a VR rendering runtime: the whole public API (apps with their own Vulkan renderer also
 * include parallax_vulkan.h).
 *
 * libparallax drives an OpenXR session through the system loader and renders both eyes in one Vulkan
 * multiview pass, with late latching of the head pose and just-in-time frame pacing.
 *
 * **Threads.** Every function runs on the thread that created the context (the frame-loop thread) unless its
 * comment says otherwise ("Any thread"). The exceptions: plx_result_string, plx_version, plx_last_error,
 * plx_validation_message_count and plx_frame_end_pass_secondary; and other threads may record Vulkan commands
 * into the pass secondaries plx_frame_pass_secondary hands out (see "Recording the pass on several threads"
 * at plx_frame_pass_secondary). A function that returns a ::plx_result and is called from another thread
 * does nothing and returns PLX_ERROR_WRONG_THREAD (its message in that thread's plx_last_error(NULL)).
 *
 * **Results.** Functions return a ::plx_result: 0 success, > 0 a status that is not an error, < 0 an error;
 * on an error plx_last_error() tells which call failed, with its XrResult/VkResult name and the file:line.
 * Where it lands: the error of a call on a live context, or on a scene or input of a live context, is in
 * plx_last_error(ctx); an error with no live context to hold it is in the calling thread's
 * plx_last_error(NULL): plx_context_create's, a NULL ctx (or NULL scene / input), a call from a thread other
 * than the frame-loop thread, a call on a scene or input whose context was destroyed.
 *
 * **Ownership.** Objects the library allocates (::plx_context, ::plx_scene, ::plx_input) are created by a
 * `_create` function and freed by its `_destroy`, which accepts NULL and sets the caller's pointer to NULL.
 * Scenes and input are best destroyed before their context; one still alive when plx_context_destroy runs is
 * released by it (its Vulkan and OpenXR objects are destroyed with the context's), and its handle stays valid
 * for its own `_destroy`, which then only frees it; any other call on it returns PLX_ERROR_CALL_ORDER.
 * Structs the app passes (descs, ::plx_frame, the out-structs) are the app's; the library keeps no pointer
 * into them after the call returns, except where a field's comment says so.
 *
 * **Defaults.** Every desc struct may be zero-initialized: a zero field means "the default" given next to it.
 *
 * **After a failure (the frame loop's one rule).** Call plx_frame_end only for a frame whose plx_frame_begin
 * returned PLX_SUCCESS or PLX_FRAME_SKIPPED. A misused call (PLX_ERROR_INVALID_ARGUMENT,
 * PLX_ERROR_CALL_ORDER, PLX_ERROR_WRONG_THREAD) is refused and changes nothing. After any other result of
 * plx_frame_wait, plx_frame_begin or plx_frame_end (another error, PLX_SESSION_NOT_RUNNING, PLX_SHOULD_QUIT),
 * carry on with plx_poll and plx_frame_wait: the library has already ended or discarded that frame with the
 * runtime, given its swapchain images back and closed its command buffers, so there is nothing to undo and
 * nothing more to record into it. The same holds for a frame in progress when plx_poll (called between
 * plx_frame_begin and plx_frame_end) finds the session stopping or lost: the frame is dropped, and
 * plx_frame_end for it answers PLX_SESSION_NOT_RUNNING.
 */
/**
 * @mainpage Parallax API reference
 *
 * The public API of libparallax: parallax.h (everything), parallax_vulkan.h (the Vulkan objects, for apps
 * with a renderer of their own) and parallax_version.h (the version macros). The README of the repository
 * explains the runtime; docs/packaging.md how to build against it.
 *
 * The minimal app:
 * @code
 * plx_context *ctx;
 * if (plx_context_create(&(plx_context_desc){.app_name = "hello"}, &ctx) != PLX_SUCCESS)
 *     fail(plx_last_error(NULL));
 * for (;;) {
 *     plx_events ev;
 *     plx_poll(ctx, &ev);
 *     if (ev.should_quit) break;
 *     plx_frame frame;
 *     if (plx_frame_wait(ctx, &frame) != PLX_SUCCESS) continue; // not running yet: try again
 *     plx_result r = plx_frame_begin(ctx, &frame);
 *     if (r == PLX_SUCCESS) draw(frame.cmd);                      // PLX_FRAME_SKIPPED: draw nothing
 *     if (r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED) plx_frame_end(ctx, &frame); // else: the next wait
 * }
 * plx_context_destroy(&ctx);
 * @endcode
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

/** Marks the functions libparallax exports (every other symbol of the library is hidden). */
#if defined(PLX_BUILDING_LIBRARY)
#define PLX_API __attribute__((visibility("default")))
#else
#define PLX_API
#endif

/* ---------------------------------------------------------------- results */

/** What a function did: 0 is success, > 0 a status that is not an error, < 0 an error (plx_last_error() has
 * the details). */
typedef enum plx_result {
    PLX_SUCCESS = 0,       /**< done */
    PLX_FRAME_SKIPPED = 1, /**< the runtime asked not to render (shouldRender false); still end the frame */
    PLX_NOT_FOCUSED = 2,   /**< the session is visible but another app has input focus */
    PLX_SESSION_NOT_RUNNING = 3, /**< no frame may be started: the session is not between begin and end */
    PLX_SHOULD_QUIT = 4, /**< the session is exiting or lost: stop the frame loop, destroy the context */

    PLX_ERROR_NO_RUNTIME = -1,       /**< no OpenXR runtime (set XR_RUNTIME_JSON) */
    PLX_ERROR_XR = -2,               /**< an OpenXR call failed */
    PLX_ERROR_VULKAN = -3,           /**< a Vulkan call failed */
    PLX_ERROR_INVALID_ARGUMENT = -4, /**< a NULL pointer, a bad desc field */
    PLX_ERROR_CALL_ORDER = -5,       /**< e.g. plx_frame_begin without plx_frame_wait */
    PLX_ERROR_OUT_OF_MEMORY = -6,    /**< malloc failed */
    PLX_ERROR_UNSUPPORTED = -7,  /**< the runtime or device lacks something required (multiview, a format) */
    PLX_ERROR_SESSION_LOST = -8, /**< the runtime lost the session (XR_ERROR_SESSION_LOST) */
    PLX_ERROR_WRONG_THREAD = -9, /**< a frame-loop function was called from a thread other than the
                                      context's frame-loop thread (its message is in plx_last_error(NULL) of
                                      the calling thread) */
} plx_result;

/** The name of a result, e.g. "PLX_ERROR_NO_RUNTIME". Any thread.
 * @param result any value; one that is not a ::plx_result gives "PLX_RESULT_UNKNOWN".
 * @return a static string, never NULL; it lives as long as the library is loaded. */
PLX_API const char *plx_result_string(plx_result result);

/** The version of the library the app runs with, as PLX_VERSION encodes it (major * 10000 + minor * 100 +
 * patch). An app built with these headers runs on a library with the same major version and a version not
 * below PLX_VERSION. Any thread, any time (no context needed).
 * @return the library's version, e.g. 200 for 0.2.0. */
PLX_API uint32_t plx_version(void);

/* ---------------------------------------------------------------- logging */

/** Severity of a log line; PARALLAX_LOG=error|warn|info|debug sets the lowest one reported (default warn). */
typedef enum plx_log_level {
    PLX_LOG_ERROR = 0, /**< a failure: the call that reported it returned an error */
    PLX_LOG_WARN = 1,  /**< something odd that libparallax worked around (a clamped time, a fallback) */
    PLX_LOG_INFO = 2,  /**< what was chosen (runtime, device, formats, modes) */
    PLX_LOG_DEBUG = 3, /**< per-frame detail and loader chatter */
} plx_log_level;

/** Receives every log line of one context, including the Vulkan validation and OpenXR debug messages. Called
 * on the frame-loop thread, or on a driver or runtime thread for debug messages, so it must be thread-safe.
 * @param user the desc's log_user.
 * @param level the line's severity.
 * @param message one line without a trailing newline; valid only during the call. */
typedef void (*plx_log_fn)(void *user, plx_log_level level, const char *message);

/* ---------------------------------------------------------------- context */

/** Frame-timing mode. PARALLAX_MODE=off|latch|jit+latch overrides the desc. */
typedef enum plx_mode {
    PLX_MODE_DEFAULT = 0,   /**< = PLX_MODE_JIT_LATCH */
    PLX_MODE_OFF = 1,       /**< poses located once at plx_frame_begin, no pacing sleep */
    PLX_MODE_LATCH = 2,     /**< poses located again just before vkQueueSubmit (late latch) */
    PLX_MODE_JIT_LATCH = 3, /**< late latch + sleep after xrWaitFrame until just in time */
} plx_mode;

/** The reference space poses and views are given in. */
typedef enum plx_space {
    PLX_SPACE_DEFAULT = 0, /**< = PLX_SPACE_LOCAL */
    PLX_SPACE_LOCAL = 1,   /**< origin at the head's start position, gravity aligned */
    PLX_SPACE_STAGE = 2,   /**< origin on the floor at the play area centre */
} plx_space;

/** App-side head pose prediction, for runtimes that return unpredicted poses. PARALLAX_PREDICTION=auto|on|off
 * overrides the desc. */
typedef enum plx_prediction {
    PLX_PREDICTION_DEFAULT = 0, /**< = PLX_PREDICTION_AUTO */
    PLX_PREDICTION_AUTO = 1,    /**< detect whether the runtime predicts (head must move); predict if not */
    PLX_PREDICTION_ON = 2,      /**< the app says the runtime returns unpredicted poses: always predict */
    PLX_PREDICTION_OFF = 3,     /**< use the runtime's poses as they are */
} plx_prediction;

/** Desktop mirror window of the headset's images (see plx_set_mirror). */
typedef enum plx_mirror_mode {
    PLX_MIRROR_DEFAULT = 0, /**< = PLX_MIRROR_OFF */
    PLX_MIRROR_OFF = 1,     /**< no window */
    PLX_MIRROR_LEFT = 2,    /**< the left eye */
    PLX_MIRROR_BOTH = 3,    /**< both eyes side by side */
} plx_mirror_mode;

/** The most pass secondaries (recording threads) a context may have: plx_context_desc.pass_threads. */
#define PLX_MAX_PASS_THREADS 16

/** Who renders the eyes, and into what (plx_context_desc.pass). The frame's phases are the same in every mode
 * (see "Frame phases" at plx_frame_begin); the mode says what the pass phase records into and which images
 * the post phase hands over. Fixed for the context's life. */
typedef enum plx_pass_mode {
    PLX_PASS_DEFAULT = 0, /**< = PLX_PASS_LIBRARY */
    PLX_PASS_LIBRARY = 1, /**< libparallax's multiview pass renders into the swapchain images (plx_frame.cmd
                               records inside it); the post phase may draw over them in place */
    PLX_PASS_POST_PROCESS = 2, /**< libparallax's pass renders into an intermediate colour image; in the post
                                    phase the app reads it (sampled) and writes the final colour into the
                                    swapchain image (plx_frame_get_images: color -> target) */
    PLX_PASS_APP = 3,          /**< no libparallax pass: plx_frame.cmd records outside any render pass and the
                                    app renders into the swapchain images (plx_frame_get_images) with render passes
                                    of its own */
} plx_pass_mode;

/** How to create a context (plx_context_create). Zero-initialize it and set what differs from the defaults;
 * the library reads it during the call only. */
typedef struct plx_context_desc {
    const char *app_name;      /**< application name given to OpenXR; default "parallax" */
    uint32_t app_version;      /**< application version given to OpenXR; default 0 */
    plx_mode mode;             /**< default PLX_MODE_JIT_LATCH (env PARALLAX_MODE overrides) */
    plx_prediction prediction; /**< default PLX_PREDICTION_AUTO (env PARALLAX_PREDICTION overrides) */
    bool latch_check;          /**< debug: check every frame that the GPU drew with exactly the poses given to
                                    xrEndFrame (plx_latch_check_failures); default off, also on when the
                                    environment has PARALLAX_LATCH_CHECK=1 */
    plx_space reference_space; /**< default PLX_SPACE_LOCAL */
    uint32_t eye_width;        /**< per-eye image width in pixels; default the runtime's recommendation; give
                                    both eye_width and eye_height or neither */
    uint32_t eye_height;       /**< per-eye image height; default the runtime's recommendation */
    float near_z;              /**< near plane in metres, finite; default 0.05 */
    float far_z;               /**< far plane in metres, finite, above near_z; default 100 */
    float clear_color[4];      /**< linear RGBA the pass clears to; all zero = default dark blue-grey
                                    (0.02, 0.02, 0.03, 1); give alpha 1 for pure black */
    uint32_t frames_in_flight; /**< frames the CPU may run ahead of the GPU, 1..3; default 2 */
    bool validation;           /**< Vulkan validation layer + debug messenger; default off, also on when the
                                    environment has PARALLAX_VALIDATION=1 */
    plx_log_fn log_fn;         /**< log sink; default stderr. The level comes from PARALLAX_LOG
                                    (error|warn|info|debug, default warn). Kept for the context's life */
    void *log_user;            /**< passed to log_fn */
    const char *trace_path;  /**< write a Chrome trace-event JSON of every frame (opens in Perfetto); default
                                  NULL = none; the environment's PARALLAX_TRACE=path overrides */
    bool hud;                /**< draw the frame-timing HUD in the headset; default off, also on when the
                                  environment has PARALLAX_HUD=1 (plx_set_hud switches it later) */
    plx_mirror_mode mirror;  /**< desktop mirror window; default off; PARALLAX_MIRROR=off|left|both
                                  overrides. With no display it logs once and stays off */
    bool dynamic_resolution; /**< scale the rendered viewport to hold the frame rate (see
                                  plx_set_dynamic_resolution); default off, also on when the environment has
                                  PARALLAX_DYNAMIC_RESOLUTION=1 */
    float min_render_scale;  /**< lowest scale dynamic resolution may choose, 0.1..1; default 0.5 */
    plx_pass_mode pass;      /**< who renders the eyes into what; default PLX_PASS_LIBRARY (see
                                  ::plx_pass_mode and "Frame phases" at plx_frame_begin) */
    const char *const *xr_extensions; /**< OpenXR instance extensions the app needs, besides libparallax's
                                           own: plx_context_create fails with PLX_ERROR_UNSUPPORTED naming
                                           the first one the runtime does not offer. Default NULL = none;
                                           the names are copied (recovery asks for them again) */
    uint32_t xr_extension_count;      /**< how many names xr_extensions has; default 0 */
    const char *const *xr_optional_extensions; /**< OpenXR instance extensions enabled when the runtime offers
                                                    them; plx_openxr_extension_enabled (parallax.h) and
                                                    plx_get_openxr_info (parallax_openxr.h) tell which were.
                                                    Default NULL = none; copied */
    uint32_t xr_optional_extension_count;      /**< how many names xr_optional_extensions has; default 0 */
    const struct plx_vulkan_desc *vulkan; /**< extra Vulkan instance and device extensions, device features
                                               and the highest Vulkan version (parallax_vulkan.h); NULL =
                                             none, the highest version allowed. Read during the call only */
    uint32_t samples; /**< MSAA samples per pixel of libparallax's pass: 1, 2 or 4; default 0 = 1. The pass
                           renders into multisampled images of libparallax's and resolves them into the eye
                           images in the same pass (colour averaged; depth: sample 0, so the depth layer
                           stays single-sampled); with a render pass per eye (the multiview workaround,
                           PARALLAX_MULTIVIEW_WORKAROUND, on Mesa lavapipe by default) the right eye's resolve
                           is copied into its layer after its pass. Pipelines drawing into plx_frame.cmd (and
                           the pass secondaries) use plx_vulkan_info.samples. Another value is refused
                           (PLX_ERROR_INVALID_ARGUMENT); a count the device cannot render, or more than 1
                           below Vulkan 1.2 (the resolve uses render pass 2 with a depth resolve), with
                           PLX_ERROR_UNSUPPORTED naming the limit; with PLX_PASS_APP there is no library pass
                           to multisample (multisample in your own pass), so more than 1 is refused */
    uint32_t pass_threads; /**< how many threads record the pass phase besides the frame-loop thread: each
                                gets a secondary command buffer per frame (plx_frame_pass_secondary), with a
                                command pool of its own; 0 .. PLX_MAX_PASS_THREADS, default 0 = none (the pass
                                is recorded into plx_frame.cmd only). Above 0, plx_frame.cmd is a secondary
                                command buffer too (Vulkan runs a subpass's commands inline or from
                                secondaries, not both). Refused with PLX_PASS_APP (no library pass) */
} plx_context_desc;

/** The root object: the OpenXR instance and session, the Vulkan device, the swapchains and the frame loop.
 * Opaque; created by plx_context_create, freed by plx_context_destroy. */
typedef struct plx_context plx_context;

/** ABI entry point of plx_context_create(), the static inline wrapper apps call, which passes the size of the
 * plx_context_desc the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param desc as for plx_context_create().
 * @param desc_size sizeof *desc as the app was compiled (ignored when desc is NULL), at least the 0.2.0 size.
 * @param out_ctx as for plx_context_create().
 * @return as for plx_context_create(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_context_create_sized(const plx_context_desc *desc, size_t desc_size,
                                            plx_context **out_ctx);

/** Creates the OpenXR instance (through the system loader), the system, the Vulkan instance and device
 * (through XR_KHR_vulkan_enable2, multiview on), the session, the reference space and the swapchains. The
 * calling thread becomes the context's frame-loop thread.
 * @param desc what to create; NULL for all defaults. Read during the call only.
 * @param out_ctx receives the context (the caller owns it: plx_context_destroy), or NULL on failure.
 * @return PLX_SUCCESS; PLX_ERROR_NO_RUNTIME when no OpenXR runtime is installed or selected;
 * PLX_ERROR_INVALID_ARGUMENT for a NULL out_ctx or a bad desc field; PLX_ERROR_UNSUPPORTED when the runtime
 * or the device lacks something required; PLX_ERROR_XR, PLX_ERROR_VULKAN or PLX_ERROR_OUT_OF_MEMORY when a
 * call fails. On failure plx_last_error(NULL) explains on the calling thread. */
static inline plx_result plx_context_create(const plx_context_desc *desc, plx_context **out_ctx)
{
    return plx_context_create_sized(desc, sizeof *desc, out_ctx);
}

/** Waits for the GPU (the context's own fences) and destroys everything the context owns. It does not end a
 * running session: xrEndSession needs the STOPPING state, which only the runtime starts, so a session still
 * running is destroyed as it is (xrDestroySession is valid in any state). To end the session cleanly first,
 * call plx_request_exit() and plx_poll() until should_quit, as the samples do. Scenes and input still alive
 * are released (their Vulkan and OpenXR objects destroyed); their handles stay valid for their own _destroy
 * (see "Ownership" above). Destroy the app's own Vulkan objects before, after plx_wait_gpu_idle()
 * (parallax_vulkan.h). Frame-loop thread, or any thread once no other call of the context can run.
 * @param ctx the context to destroy; NULL or *ctx == NULL is accepted. *ctx is set to NULL. */
PLX_API void plx_context_destroy(plx_context **ctx);

/** The last error of a context. Any thread, but the text changes with the next failure.
 * @param ctx the context, or NULL for the calling thread's last error without a live context (a failed
 * plx_context_create, a NULL argument, a call from the wrong thread; see "Results" above).
 * @return which call failed, its result name and file:line; "" if none. Owned by the library; valid until
 * the next failure on ctx (or on the thread) or until the context is destroyed. */
PLX_API const char *plx_last_error(const plx_context *ctx);

/** Number of Vulkan validation and OpenXR debug messages of warning or error severity seen so far (tests
 * fail on any). Any thread.
 * @param ctx the context; NULL gives 0.
 * @return the count since the context was created. */
PLX_API uint32_t plx_validation_message_count(const plx_context *ctx);

/** The frame-timing mode in effect after the PARALLAX_MODE override.
 * @param ctx the context; NULL gives PLX_MODE_DEFAULT.
 * @return PLX_MODE_OFF, PLX_MODE_LATCH or PLX_MODE_JIT_LATCH. */
PLX_API plx_mode plx_get_mode(const plx_context *ctx);

/** Per-eye image size of the swapchains (fixed for the context's life).
 * @param ctx the context; NULL gives 0 x 0.
 * @param out_width receives the width in pixels; may be NULL.
 * @param out_height receives the height in pixels; may be NULL. */
PLX_API void plx_get_eye_size(const plx_context *ctx, uint32_t *out_width, uint32_t *out_height);

/** Whether the context's OpenXR instance was created with an extension: libparallax's own
 * (XR_KHR_vulkan_enable2, and XR_KHR_composition_layer_depth, XR_KHR_convert_timespec_time and
 * XR_EXT_debug_utils when offered), the desc's xr_extensions, and those of xr_optional_extensions the runtime
 * offers. Frame-loop thread.
 * @param ctx the context; NULL gives false.
 * @param name an OpenXR extension name, e.g. "XR_EXT_hand_tracking"; NULL gives false.
 * @return true when it is enabled on the current instance (after a recovery, on the new one). */
PLX_API bool plx_openxr_extension_enabled(const plx_context *ctx, const char *name);

/* ---------------------------------------------------------------- session events */

/** The OpenXR session state, same order and values as XrSessionState. */
typedef enum plx_session_state {
    PLX_STATE_UNKNOWN = 0,      /**< no state yet */
    PLX_STATE_IDLE = 1,         /**< created, the runtime is not ready for frames */
    PLX_STATE_READY = 2,        /**< libparallax begins the session */
    PLX_STATE_SYNCHRONIZED = 3, /**< frames run, nothing is shown */
    PLX_STATE_VISIBLE = 4,      /**< frames are shown, another app has input focus */
    PLX_STATE_FOCUSED = 5,      /**< frames are shown and the app has input focus */
    PLX_STATE_STOPPING = 6,     /**< libparallax ends the session */
    PLX_STATE_LOSS_PENDING = 7, /**< the runtime is going away; libparallax recovers when it can */
    PLX_STATE_EXITING = 8,      /**< the session is over: leave the loop */
} plx_session_state;

/** What plx_poll saw. */
typedef struct plx_events {
    plx_session_state state; /**< newest session state */
    bool state_changed;      /**< the state changed during this poll */
    bool running;            /**< between xrBeginSession and xrEndSession: frames may be run */
    bool visible;            /**< the frames are shown (VISIBLE or FOCUSED) */
    bool focused;            /**< the app has input focus */
    bool should_quit;        /**< EXITING, or a loss that could not be recovered: leave the loop, destroy the
                                  context */
    bool session_restarted;  /**< this poll re-created the OpenXR session after a loss (also set with
                                  instance_restarted); the app's objects, the scene and the device are kept */
    bool instance_restarted; /**< this poll re-created the OpenXR instance (the runtime restarted) */
} plx_events;

/** ABI entry point of plx_poll(), the static inline wrapper apps call, which passes the size of the
 * plx_events the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_poll().
 * @param out_events as for plx_poll().
 * @param events_size sizeof *out_events as the app was compiled (ignored when out_events is NULL), at least
 * the 0.2.0 size.
 * @return as for plx_poll(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a size below
 * the 0.2.0 size. */
PLX_API plx_result plx_poll_sized(plx_context *ctx, plx_events *out_events, size_t events_size);

/** Drains the OpenXR event queue and runs the session state machine: READY -> xrBeginSession, STOPPING ->
 * xrEndSession, EXITING -> should_quit; a lost session or instance (LOSS_PENDING, XR_ERROR_*_LOST) is
 * re-created here. A re-creation that fails is tried again by later polls with back-off (the first at once,
 * then after 100 ms doubling to 5 s; PLX_SESSION_NOT_RUNNING meanwhile, with a warning line per failed
 * attempt); after 12 failed attempts (about 31 s) recovery gives up: should_quit is set and the error names
 * what could not be re-created and the last failure. Call once per loop iteration, on the frame-loop thread.
 * @param ctx the context.
 * @param out_events receives what happened; may be NULL.
 * @return a status (frames may be run in all but the last): PLX_SUCCESS (running and focused),
 * PLX_NOT_FOCUSED (running, no input focus), PLX_SESSION_NOT_RUNNING, PLX_SHOULD_QUIT (should_quit is set);
 * or an error: PLX_ERROR_INVALID_ARGUMENT for a NULL ctx, PLX_ERROR_XR when an OpenXR call fails (also when
 * recovery gave up, with should_quit set), PLX_ERROR_UNSUPPORTED when a re-created session or instance cannot
 * keep the context's formats or GPU (should_quit set). */
static inline plx_result plx_poll(plx_context *ctx, plx_events *out_events)
{
    return plx_poll_sized(ctx, out_events, sizeof *out_events);
}

/** Asks the runtime to end the session (xrRequestExitSession); keep calling plx_poll until should_quit.
 * @param ctx the context.
 * @return PLX_SUCCESS; PLX_SESSION_NOT_RUNNING (harmlessly) if the session is not running;
 * PLX_ERROR_INVALID_ARGUMENT for a NULL ctx; PLX_ERROR_XR when the call fails. */
PLX_API plx_result plx_request_exit(plx_context *ctx);

/* ---------------------------------------------------------------- frame loop */

/** A field of view, as angles from the view direction. */
typedef struct plx_fov {
    float angle_left;  /**< radians, negative */
    float angle_right; /**< radians */
    float angle_up;    /**< radians */
    float angle_down;  /**< radians, negative */
} plx_fov;

/** One eye's view for a frame. */
typedef struct plx_view {
    float position[3];    /**< eye position in the reference space, metres */
    float orientation[4]; /**< eye orientation, unit quaternion x, y, z, w */
    plx_fov fov;          /**< the eye's field of view */
    float view[16];       /**< column-major view matrix (inverse of the eye pose) */
    float proj[16];       /**< column-major Vulkan projection (y down, depth 0..1) */
} plx_view;

/** One frame, filled by plx_frame_wait and plx_frame_begin, consumed by plx_frame_end. Caller-owned; pass the
 * same struct to every call of the frame. The Vulkan handles belong to the context and are valid until the
 * frame is ended. A copy of an ended frame, or any other value, is refused by the calls that take a frame
 * (PLX_ERROR_CALL_ORDER): index and internal_state identify the frame in progress. */
typedef struct plx_frame {
    uint64_t index;                   /**< frames waited since the context was created, from 0 */
    int64_t predicted_display_time;   /**< XrTime the frame will be displayed (the runtime's clock; see
                                           plx_frame_stats for how libparallax relates it to the host's) */
    int64_t predicted_display_period; /**< ns between displayed frames */
    bool should_render;               /**< false: plx_frame_begin returns PLX_FRAME_SKIPPED */
    /* Set by plx_frame_begin when it returns PLX_SUCCESS: */
    plx_view views[2];         /**< left, right; plx_frame_end updates them with the late-latched poses */
    uint32_t width;            /**< per-eye width of the render area: the eye width times the render scale */
    uint32_t height;           /**< per-eye height of the render area */
    VkCommandBuffer cmd;       /**< the pass phase's commands. PLX_PASS_LIBRARY and PLX_PASS_POST_PROCESS:
                                    recording inside libparallax's multiview render pass (both eyes, view mask
                                    0b11), viewport and scissor set to the render area; with a pass per eye
                                    (parallax_vulkan.h) or pass_threads above 0 a secondary command buffer
                                    that libparallax runs in the pass (in each eye's pass): record the same
                                    commands. PLX_PASS_APP: a primary command buffer outside any render pass.
                                    plx_frame_post_pass sets it to the post phase's command buffer (outside
                                    any render pass) */
    VkDescriptorSet frame_set; /**< set 0, binding 0: the plx_frame_uniforms buffer (see parallax_vulkan.h) */
    VkBuffer uniform_buffer;   /**< that buffer (per slot; the late latch rewrites it before submission) */
    uint32_t slot;             /**< frame-in-flight slot, 0 .. frames_in_flight-1 */
    uint32_t internal_state;   /**< private: identifies the frame in progress */
    VkCommandBuffer pre_cmd; /**< the pre-pass phase's commands: a primary command buffer, recording, outside
                                  any render pass, executed before cmd (see "Frame phases") */
} plx_frame;

/** ABI entry point of plx_frame_wait(), the static inline wrapper apps call, which passes the size of the
 * plx_frame the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_frame_wait().
 * @param frame as for plx_frame_wait().
 * @param frame_size sizeof *frame as the app was compiled (ignored when frame is NULL), at least the 0.2.0
 * size.
 * @return as for plx_frame_wait(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a size
 * below the 0.2.0 size (the frame's content is not read: bytes beyond the size this library knows are
 * zeroed). */
PLX_API plx_result plx_frame_wait_sized(plx_context *ctx, plx_frame *frame, size_t frame_size);

/** xrWaitFrame, then (in PLX_MODE_JIT_LATCH) the pacing sleep. Fills the timing fields of the frame.
 * First finishes what an earlier failure left with the runtime (see "After a failure" at the top), since
 * xrWaitFrame cannot return while a waited frame is not begun. Frame-loop thread; blocks up to about a
 * display period (plus the sleep).
 * @param ctx the context.
 * @param frame the app's frame struct; cleared and filled.
 * @return PLX_SUCCESS, including when should_render is false; PLX_SESSION_NOT_RUNNING (after a short sleep,
 * so a polling loop does not spin) if the session has not begun or is being re-created; PLX_SHOULD_QUIT when
 * the session is over; PLX_ERROR_INVALID_ARGUMENT for NULL; PLX_ERROR_CALL_ORDER when the previous frame was
 * not ended; PLX_ERROR_WRONG_THREAD; PLX_ERROR_XR when xrWaitFrame (or finishing an earlier frame) fails. */
static inline plx_result plx_frame_wait(plx_context *ctx, plx_frame *frame)
{
    return plx_frame_wait_sized(ctx, frame, sizeof *frame);
}

/** ABI entry point of plx_frame_begin(), the static inline wrapper apps call, which passes the size of the
 * plx_frame the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_frame_begin().
 * @param frame as for plx_frame_begin().
 * @param frame_size sizeof *frame as the app was compiled (ignored when frame is NULL), at least the 0.2.0
 * size.
 * @return as for plx_frame_begin(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a size
 * below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_frame_begin_sized(plx_context *ctx, plx_frame *frame, size_t frame_size);

/** xrBeginFrame; when the frame should be rendered: acquires and waits the colour and depth images, locates
 * the views at the predicted display time and begins the frame's phases. Frame-loop thread.
 *
 * **Frame phases.** A rendered frame has three phases. The app records them on the frame-loop thread in
 * any order until plx_frame_post_pass (the pre-pass until plx_frame_end); the GPU runs them in this order,
 * all in the one vkQueueSubmit that plx_frame_end makes right after the late latch, so every phase reads
 * the late-latched plx_frame_uniforms:
 *
 * 1. **Pre-pass** (frame.pre_cmd): a primary command buffer outside any render pass, for uploads
 *    (vkCmdCopyBuffer, vkCmdFillBuffer), compute dispatches and render passes of the app's own (shadow
 *    maps). It is submitted before the pass's command buffer. plx_frame_end ends it with a global memory
 *    barrier, srcStageMask VK_PIPELINE_STAGE_ALL_COMMANDS_BIT / srcAccessMask VK_ACCESS_MEMORY_WRITE_BIT ->
 *    dstStageMask VK_PIPELINE_STAGE_ALL_COMMANDS_BIT / dstAccessMask VK_ACCESS_MEMORY_READ_BIT |
 *    VK_ACCESS_MEMORY_WRITE_BIT, so whatever it writes is visible to the pass and the post phase. Image
 *    layouts are the app's: leave an image the pass reads in the layout its descriptor names.
 * 2. **Pass** (frame.cmd): PLX_PASS_LIBRARY and PLX_PASS_POST_PROCESS: libparallax's multiview render pass
 *    (plx_vulkan_info.render_pass), begun with a clear, viewport and scissor set to the render area; draw
 *    with pipelines made for that render pass. PLX_PASS_APP: no render pass is begun; frame.cmd is a primary
 *    command buffer outside any render pass and the app renders into the images plx_frame_get_images gives
 *    (target: the colour swapchain image, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, contents undefined;
 *    depth: VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL, contents undefined) with passes of its own,
 *    leaving them in those layouts.
 * 3. **Post phase** (frame.cmd after plx_frame_post_pass): libparallax ends its pass and hands over the eye
 *    images (plx_frame_get_images): `color`, what the pass rendered; `depth`; `target`, the swapchain
 *    image the compositor shows. PLX_PASS_POST_PROCESS: color is an intermediate image in
 *    VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL (sampled usage) and target is in
 *    VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL with undefined contents: the app writes every pixel of the
 *    render area of both layers (e.g. a full-screen pass that samples color). PLX_PASS_LIBRARY: color and
 *    target are the same swapchain image in VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, holding the pass's
 *    result, to draw over in place (load op LOAD). depth is in
 *    VK_IMAGE_LAYOUT_DEPTH_STENCIL_READ_ONLY_OPTIMAL (sampled usage with PLX_PASS_POST_PROCESS). Before
 *    handing over, libparallax records a barrier that makes the pass's attachment writes (srcStageMask
 *    VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT) visible to
 *    every later command (VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_ACCESS_MEMORY_READ_BIT |
 *    VK_ACCESS_MEMORY_WRITE_BIT). The app may change layouts during the phase but returns each image in the
 *    layout it was handed over in; plx_frame_end follows the phase with the same global barrier as the
 *    pre-pass's. Skipping plx_frame_post_pass is fine: plx_frame_end ends the pass itself (with
 *    PLX_PASS_POST_PROCESS it then copies the intermediate image into the target as it is).
 *
 * Then plx_frame_end records libparallax's own work (the HUD, the latch check, the mirror window's copy),
 * late-latches and submits. With PLX_PASS_LIBRARY the HUD is drawn at the end of the pass (before the post
 * phase, if any); with the other modes in a render pass of its own over the target after the post phase.
 *
 * When the runtime reports the views without valid poses (tracking lost), the frame's views stay zero (the
 * runtime's undefined poses are never used) and, unless the late latch then locates valid ones, plx_frame_end
 * submits the frame without a projection layer.
 *
 * @param ctx the context.
 * @param frame the frame plx_frame_wait filled; its views, size and Vulkan handles are set on success.
 * @return PLX_SUCCESS (record the phases now, then call plx_frame_end), PLX_FRAME_SKIPPED (record nothing,
 * call plx_frame_end), PLX_SESSION_NOT_RUNNING (the session stopped or was lost: the frame is dropped); or
 * an error: PLX_ERROR_INVALID_ARGUMENT, PLX_ERROR_CALL_ORDER (no plx_frame_wait before, or a frame value
 * that is not the frame in progress), PLX_ERROR_WRONG_THREAD, PLX_ERROR_XR, PLX_ERROR_VULKAN. What comes
 * next after each: "After a failure" at the top. */
static inline plx_result plx_frame_begin(plx_context *ctx, plx_frame *frame)
{
    return plx_frame_begin_sized(ctx, frame, sizeof *frame);
}

/** ABI entry point of plx_frame_pass_secondary(), the static inline wrapper apps call, which passes the size
 * of the plx_frame the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_frame_pass_secondary().
 * @param frame as for plx_frame_pass_secondary().
 * @param frame_size sizeof *frame as the app was compiled (ignored when frame is NULL), at least the 0.2.0
 * size.
 * @param index as for plx_frame_pass_secondary().
 * @param out_cmd as for plx_frame_pass_secondary().
 * @return as for plx_frame_pass_secondary(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct)
 * for a size below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_frame_pass_secondary_sized(plx_context *ctx, const plx_frame *frame, size_t frame_size,
                                                  uint32_t index, VkCommandBuffer *out_cmd);

/** Hands out the pass secondary of one recording thread for the frame in progress.
 *
 * **Recording the pass on several threads.** With plx_context_desc.pass_threads = N, each frame's pass phase
 * can be recorded by N threads of the app besides the frame-loop thread, each into a secondary command buffer
 * of its own:
 * @code
 * // frame-loop thread, after plx_frame_begin returned PLX_SUCCESS:
 * for (uint32_t i = 0; i < N; i++) plx_frame_pass_secondary(ctx, &frame, i, &job[i].cmd);
 * start_jobs(job);            // thread i: vkCmdBindPipeline(job[i].cmd, ...); vkCmdDraw(...);
 *                             //           plx_frame_end_pass_secondary(ctx, job[i].cmd);
 * record_more(frame.cmd);     // the frame-loop thread may record frame.cmd meanwhile
 * wait_for_jobs(job);         // every handed-out secondary ended
 * plx_frame_end(ctx, &frame); // or plx_frame_post_pass: the pass runs them
 * @endcode
 * Thread index i's secondary (index 0 .. N-1) comes from a command pool of its own per frame slot (Vulkan
 * command pools are externally synchronized), so the N threads record at the same time without locks. It is
 * handed out begun for libparallax's render pass (plx_vulkan_info.render_pass, subpass 0, the frame's
 * framebuffer; VK_COMMAND_BUFFER_USAGE_RENDER_PASS_CONTINUE_BIT) with the viewport and scissor set to the
 * render area (a secondary inherits no dynamic state). Draw with pipelines made for that render pass and its
 * sample count, and read the view and projection from plx_frame.frame_set by gl_ViewIndex, as in
 * plx_frame.cmd: with a render pass per eye each secondary runs in both eyes' passes, with the eyes' uniforms
 * swapped between them, so the same commands draw each eye (parallax_vulkan.h). The pass runs plx_frame.cmd's
 * commands first, then the secondaries in index order, then libparallax's HUD.
 *
 * What other threads may do, and until when: record Vulkan commands into the secondary they were given, from
 * plx_frame_pass_secondary's return until they call plx_frame_end_pass_secondary for it (Any thread; not
 * vkEndCommandBuffer). After that the buffer is libparallax's again: do not touch it; the next frame hands
 * out another (or the same handle, begun anew). The Vulkan objects the commands use must stay valid until the
 * frame's GPU work is done (as for plx_frame.cmd). Every other plx_ call keeps the one-thread rule. The app
 * makes the threads' work happen before plx_frame_post_pass / plx_frame_end (join them, or wait on a
 * barrier): those calls refuse, with PLX_ERROR_CALL_ORDER and nothing changed, while a secondary handed out
 * in the frame is not ended yet.
 *
 * plx_frame_pass_secondary itself: frame-loop thread, in the pass phase (after plx_frame_begin returned
 * PLX_SUCCESS, before plx_frame_post_pass / plx_frame_end).
 * @param ctx the context, made with pass_threads above 0.
 * @param frame the frame in progress, begun with PLX_SUCCESS.
 * @param index the recording thread, 0 .. pass_threads - 1. Asked again in the same frame while recording:
 * the same buffer.
 * @param out_cmd receives the secondary command buffer, recording (VK_NULL_HANDLE on failure).
 * @return PLX_SUCCESS; PLX_SESSION_NOT_RUNNING when the library dropped the frame; PLX_ERROR_INVALID_ARGUMENT
 * for NULL, a context without pass_threads or an index beyond them; PLX_ERROR_CALL_ORDER when the frame is
 * not the frame in progress (a copy of an earlier frame), is not in libparallax's pass (PLX_PASS_APP, or
 * after plx_frame_post_pass), the index was ended already in this frame, or its secondary of a dropped frame
 * is still recording; PLX_ERROR_WRONG_THREAD; PLX_ERROR_VULKAN. */
static inline plx_result plx_frame_pass_secondary(plx_context *ctx, const plx_frame *frame, uint32_t index,
                                                  VkCommandBuffer *out_cmd)
{
    return plx_frame_pass_secondary_sized(ctx, frame, sizeof *frame, index, out_cmd);
}

/** Ends a secondary plx_frame_pass_secondary handed out (vkEndCommandBuffer) and gives it back for the pass
 * to run. Any thread: call it on the thread that recorded it, once it has recorded everything. Its errors are
 * in the calling thread's plx_last_error(NULL), not the context's.
 * @param ctx the context.
 * @param cmd the secondary.
 * @return PLX_SUCCESS; PLX_SESSION_NOT_RUNNING when its frame was dropped meanwhile (the buffer is ended, its
 * commands never run); PLX_ERROR_INVALID_ARGUMENT for a NULL ctx or a command buffer that is not one of the
 * context's pass secondaries; PLX_ERROR_CALL_ORDER for one never handed out or ended already (a secondary of
 * an earlier frame: ask plx_frame_pass_secondary for this frame's); PLX_ERROR_VULKAN when vkEndCommandBuffer
 * fails (plx_frame_end then fails the frame). */
PLX_API plx_result plx_frame_end_pass_secondary(plx_context *ctx, VkCommandBuffer cmd);

/** One eye image handed over by plx_frame_get_images: a 2D image with one array layer per eye (layer 0 left,
 * 1 right), owned by the context. */
typedef struct plx_eye_image {
    VkImage image;           /**< the image; VK_NULL_HANDLE when there is none (see plx_frame_get_images) */
    VkImageView view;        /**< a VK_IMAGE_VIEW_TYPE_2D_ARRAY view of both layers (the format's
                                  every aspect) */
    VkFormat format;         /**< its format */
    VkImageLayout layout;    /**< the layout it is in at the hand-over, and must be in again at the
                                  end of the phase */
    VkImageUsageFlags usage; /**< what it may be used for (e.g. VK_IMAGE_USAGE_SAMPLED_BIT) */
    VkSampleCountFlagBits samples; /**< samples per pixel */
    VkExtent2D extent;             /**< full size of one layer (the eye size); the frame renders its
                                        plx_frame.width x height at the top-left */
    uint32_t layer_count;          /**< 2 */
} plx_eye_image;

/** The eye images of the frame in progress, for the phase it is in (see "Frame phases" at
 * plx_frame_begin). */
typedef struct plx_frame_images {
    plx_eye_image color;  /**< what the pass rendered: read it in the post phase (with PLX_PASS_LIBRARY and
                               PLX_PASS_APP the same image as target) */
    plx_eye_image depth;  /**< the pass's depth (the depth swapchain's image, or libparallax's own when the
                               runtime offers no depth format) */
    plx_eye_image target; /**< the colour swapchain image the compositor shows: the post phase writes the
                               final colour here */
} plx_frame_images;

/** ABI entry point of plx_frame_post_pass(), the static inline wrapper apps call, which passes the size of
 * the plx_frame and the plx_frame_images the app was compiled with (README "ABI policy"; call the wrapper,
 * not this).
 * @param ctx as for plx_frame_post_pass().
 * @param frame as for plx_frame_post_pass().
 * @param frame_size sizeof *frame as the app was compiled (ignored when frame is NULL), at least the 0.2.0
 * size.
 * @param out_images as for plx_frame_post_pass().
 * @param images_size sizeof *out_images as the app was compiled (ignored when out_images is NULL), at least
 * the 0.2.0 size.
 * @return as for plx_frame_post_pass(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_frame_post_pass_sized(plx_context *ctx, plx_frame *frame, size_t frame_size,
                                             plx_frame_images *out_images, size_t images_size);

/** Ends the pass phase: ends libparallax's render pass (drawing the HUD into it first with PLX_PASS_LIBRARY),
 * makes its writes visible, puts the eye images into the post phase's layouts and points frame->cmd at the
 * post phase's command buffer (a primary outside any render pass). With PLX_PASS_APP only frame->cmd's
 * meaning changes (the same command buffer). Optional: plx_frame_end ends a pass that is still open. Call
 * after the pass's draws, at most once per frame. Frame-loop thread.
 * @param ctx the context.
 * @param frame the frame in progress, begun with PLX_SUCCESS.
 * @param out_images receives the eye images in the post phase's layouts; may be NULL (plx_frame_get_images
 * gives them later).
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL; PLX_ERROR_CALL_ORDER when the frame is not the
 * frame in progress, was not begun with PLX_SUCCESS or is already in its post phase;
 * PLX_ERROR_WRONG_THREAD. */
static inline plx_result plx_frame_post_pass(plx_context *ctx, plx_frame *frame, plx_frame_images *out_images)
{
    return plx_frame_post_pass_sized(ctx, frame, sizeof *frame, out_images, sizeof *out_images);
}

/** ABI entry point of plx_frame_get_images(), the static inline wrapper apps call, which passes the size of
 * the plx_frame and the plx_frame_images the app was compiled with (README "ABI policy"; call the wrapper,
 * not this).
 * @param ctx as for plx_frame_get_images().
 * @param frame as for plx_frame_get_images().
 * @param frame_size sizeof *frame as the app was compiled (ignored when frame is NULL), at least the 0.2.0
 * size.
 * @param out_images as for plx_frame_get_images().
 * @param images_size sizeof *out_images as the app was compiled (ignored when out_images is NULL), at least
 * the 0.2.0 size.
 * @return as for plx_frame_get_images(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_frame_get_images_sized(plx_context *ctx, const plx_frame *frame, size_t frame_size,
                                              plx_frame_images *out_images, size_t images_size);

/** The eye images of the frame in progress as the current phase hands them over: in the pass phase with
 * PLX_PASS_APP (the images to render into), and in the post phase (after plx_frame_post_pass) in every mode.
 * Frame-loop thread.
 * @param ctx the context.
 * @param frame the frame in progress, begun with PLX_SUCCESS.
 * @param out_images receives the images; all zero on failure.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL; PLX_ERROR_CALL_ORDER when the frame is not the
 * frame in progress or not begun with PLX_SUCCESS, or in the pass phase of libparallax's own pass (the images
 * are its attachments then); PLX_ERROR_WRONG_THREAD. */
static inline plx_result plx_frame_get_images(plx_context *ctx, const plx_frame *frame,
                                              plx_frame_images *out_images)
{
    return plx_frame_get_images_sized(ctx, frame, sizeof *frame, out_images, sizeof *out_images);
}

/** ABI entry point of plx_frame_end(), the static inline wrapper apps call, which passes the size of the
 * plx_frame the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_frame_end().
 * @param frame as for plx_frame_end().
 * @param frame_size sizeof *frame as the app was compiled (ignored when frame is NULL), at least the 0.2.0
 * size.
 * @return as for plx_frame_end(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a size
 * below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_frame_end_sized(plx_context *ctx, plx_frame *frame, size_t frame_size);

/** Ends the frame: ends the pass if it is still open, records libparallax's own work (HUD, latch check,
 * mirror copy), late-latches the views (modes LATCH and JIT_LATCH), submits the pre-pass and the frame's
 * commands, releases the images and calls xrEndFrame with a projection layer (and depth info) carrying
 * exactly the poses the GPU used. A skipped frame is ended with no layers. Frame-loop thread.
 * @param ctx the context.
 * @param frame the frame plx_frame_begin returned PLX_SUCCESS or PLX_FRAME_SKIPPED for; its views are
 * updated to the late-latched poses.
 * @return PLX_SUCCESS; PLX_SESSION_NOT_RUNNING when the session stopped or was lost meanwhile (the frame was
 * dropped); or an error: PLX_ERROR_INVALID_ARGUMENT, PLX_ERROR_CALL_ORDER (no plx_frame_begin before, or not
 * the frame in progress), PLX_ERROR_WRONG_THREAD, PLX_ERROR_XR, PLX_ERROR_VULKAN. What comes next after
 * each: "After a failure" at the top. */
static inline plx_result plx_frame_end(plx_context *ctx, plx_frame *frame)
{
    return plx_frame_end_sized(ctx, frame, sizeof *frame);
}

/* ---------------------------------------------------------------- quad layers
 *
 * A quad layer is a flat panel the compositor draws after the projection layer (a UI panel, a video): an
 * image of its own (an OpenXR swapchain libparallax makes), placed in the world or fixed to the head, with a
 * size in metres. The app draws into it in the frame's pre-pass phase, or leaves it at its clear colour:
 *
 *     plx_quad *panel;
 *     plx_quad_create(ctx, &(plx_quad_desc){.width = 512, .height = 256, .size_m = {1.0f, 0.5f},
 *                                           .position = {0, 0, -2}}, &panel);
 *     ... in a frame, after plx_frame_begin returned PLX_SUCCESS:
 *     plx_quad_image im;
 *     if (plx_quad_acquire(panel, &frame, &im) == PLX_SUCCESS)
 *         draw_panel(frame.pre_cmd, im.view);   // a render pass of the app's own on im (2D, one layer)
 *
 * A quad shows the image it was last drawn in until it is drawn again: acquire it only in frames that change
 * it. Quads are submitted in every rendered frame while visible, after the projection layer, by their order
 * (quads of the same order in the order they were made; the app's raw layers, parallax_openxr.h, go by the
 * same orders). One projection layer + the visible quads + the raw layers may not exceed the runtime's
 * maxLayerCount (plx_openxr_info.max_layer_count; at least 16). */

/** Where a quad is fixed. */
typedef enum plx_quad_lock {
    PLX_QUAD_WORLD = 0, /**< default: in the context's reference space (it stays where it is put) */
    PLX_QUAD_HEAD = 1,  /**< in the VIEW space: it moves with the head (position -Z is straight ahead) */
} plx_quad_lock;

/** Which eyes see a quad. */
typedef enum plx_quad_eyes {
    PLX_QUAD_EYES_BOTH = 0, /**< default */
    PLX_QUAD_EYE_LEFT = 1,  /**< the left eye only */
    PLX_QUAD_EYE_RIGHT = 2, /**< the right eye only */
} plx_quad_eyes;

/** How to create a quad layer (plx_quad_create). Zero-initialize it; read during the call only. */
typedef struct plx_quad_desc {
    uint32_t width;       /**< image width in pixels, up to the runtime's maxSwapchainImageWidth; default
                               512 */
    uint32_t height;      /**< image height in pixels; default 512 */
    float size_m[2];      /**< width and height in metres; default {1, height / width} */
    float position[3];    /**< centre, in the space lock names, metres; default the origin */
    float orientation[4]; /**< unit quaternion x, y, z, w; all zero = identity: the quad lies in the XY
                               plane and shows its front to +Z, so an identity quad at z = -2 faces a
                               viewer at the origin */
    plx_quad_lock lock;   /**< default PLX_QUAD_WORLD */
    plx_quad_eyes eyes;   /**< default PLX_QUAD_EYES_BOTH */
    int32_t order;        /**< lower first (behind); default 0 */
    bool hidden;          /**< default false: submitted from the first rendered frame */
    float clear_color[4]; /**< linear RGBA the image is cleared to when acquired, and shown until the app
                               first draws; default transparent black (0, 0, 0, 0) */
    bool blend_alpha; /**< blend by the image's alpha (XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT);
                           default off: opaque */
    bool unpremultiplied; /**< the colours are not premultiplied by alpha
                               (XR_COMPOSITION_LAYER_UNPREMULTIPLIED_ALPHA_BIT); default off */
} plx_quad_desc;

/** A quad layer. Opaque; created by plx_quad_create, freed by plx_quad_destroy. */
typedef struct plx_quad plx_quad;

/** ABI entry point of plx_quad_create(), the static inline wrapper apps call, which passes the size of the
 * plx_quad_desc the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_quad_create().
 * @param desc as for plx_quad_create().
 * @param desc_size sizeof *desc as the app was compiled (ignored when desc is NULL), at least the 0.2.0 size.
 * @param out_quad as for plx_quad_create().
 * @return as for plx_quad_create(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a size
 * below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_quad_create_sized(plx_context *ctx, const plx_quad_desc *desc, size_t desc_size,
                                         plx_quad **out_quad);

/** Creates a quad layer. Its swapchain (the context's colour format, sRGB when offered; colour attachment,
 * transfer destination and sampled usage) is made when first needed, and made again after a recovery
 * re-created the session (it then shows its clear colour until drawn again). Frame-loop thread.
 * @param ctx the context; it must outlive the quad, or plx_context_destroy releases the quad's swapchain and
 * leaves only plx_quad_destroy to call.
 * @param desc the quad; NULL for the defaults. Read during the call only.
 * @param out_quad receives the quad (the caller owns it: plx_quad_destroy), or NULL on failure.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL, a size beyond the runtime's limits, non-finite
 * or non-positive sizes, a zero or non-finite orientation, a bad enum, or a visible quad that would take the
 * frame beyond maxLayerCount; PLX_ERROR_UNSUPPORTED beyond 32 quads; PLX_ERROR_OUT_OF_MEMORY;
 * PLX_ERROR_WRONG_THREAD. */
static inline plx_result plx_quad_create(plx_context *ctx, const plx_quad_desc *desc, plx_quad **out_quad)
{
    return plx_quad_create_sized(ctx, desc, sizeof *desc, out_quad);
}

/** Destroys a quad (waiting for the GPU first). Not between plx_frame_begin and plx_frame_end of a frame that
 * acquired it. Frame-loop thread.
 * @param quad the quad; NULL or *quad == NULL is accepted. *quad is set to NULL. */
PLX_API void plx_quad_destroy(plx_quad **quad);

/** Moves a quad; from the next frame ended. Frame-loop thread.
 * @param quad the quad.
 * @param position centre in metres, in the space of its lock.
 * @param orientation unit quaternion x, y, z, w (normalized here); NULL keeps the current one.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL, non-finite values or a zero quaternion;
 * PLX_ERROR_CALL_ORDER after plx_context_destroy; PLX_ERROR_WRONG_THREAD. */
PLX_API plx_result plx_quad_set_pose(plx_quad *quad, const float position[3], const float orientation[4]);

/** Resizes a quad in the world (its image keeps its pixels); from the next frame ended. Frame-loop thread.
 * @param quad the quad.
 * @param width_m width in metres, > 0 and finite.
 * @param height_m height in metres, > 0 and finite.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL or a bad size; PLX_ERROR_CALL_ORDER after
 * plx_context_destroy; PLX_ERROR_WRONG_THREAD. */
PLX_API plx_result plx_quad_set_size(plx_quad *quad, float width_m, float height_m);

/** Shows or hides a quad from the next frame ended. Frame-loop thread.
 * @param quad the quad.
 * @param visible true to submit it.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL, or when showing it would take the frame in
 * progress beyond maxLayerCount; PLX_ERROR_CALL_ORDER after plx_context_destroy; PLX_ERROR_WRONG_THREAD. */
PLX_API plx_result plx_quad_set_visible(plx_quad *quad, bool visible);

/** A quad's image for this frame (plx_quad_acquire). */
typedef struct plx_quad_image {
    VkImage image;        /**< the swapchain image: one layer, one mip, one sample */
    VkImageView view;     /**< a 2D view of it */
    VkFormat format;      /**< its format */
    VkImageLayout layout; /**< VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, cleared to the clear colour; leave it
                               in this layout */
    VkImageUsageFlags usage; /**< colour attachment, transfer destination, sampled */
    uint32_t width;          /**< pixels */
    uint32_t height;         /**< pixels */
} plx_quad_image;

/** ABI entry point of plx_quad_acquire(), the static inline wrapper apps call, which passes the sizes of the
 * plx_frame and the plx_quad_image the app was compiled with (README "ABI policy"; call the wrapper, not
 * this).
 * @param quad as for plx_quad_acquire().
 * @param frame as for plx_quad_acquire().
 * @param frame_size sizeof *frame as the app was compiled (ignored when frame is NULL), at least the 0.2.0
 * size.
 * @param out_image as for plx_quad_acquire().
 * @param image_size sizeof *out_image as the app was compiled (ignored when out_image is NULL), at least the
 * 0.2.0 size.
 * @return as for plx_quad_acquire(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a size
 * below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_quad_acquire_sized(plx_quad *quad, const plx_frame *frame, size_t frame_size,
                                          plx_quad_image *out_image, size_t image_size);

/** Takes the quad's next image for the frame in progress and records, into frame->pre_cmd, its clear to the
 * quad's clear colour, leaving it in VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL with the clear visible to
 * colour-attachment and fragment/compute-shader access. Record the app's drawing into frame->pre_cmd after
 * this call (a render pass of the app's own with initialLayout and finalLayout COLOR_ATTACHMENT_OPTIMAL);
 * plx_frame_end gives the image back after submitting, and the quad shows it from this frame on. A second
 * call in the same frame gives the same image and records nothing. Frame-loop thread.
 * @param quad the quad.
 * @param frame the frame in progress, begun with PLX_SUCCESS, not yet ended.
 * @param out_image receives the image; all zero on failure. Valid until plx_frame_end.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL; PLX_ERROR_CALL_ORDER when the frame is not the
 * frame in progress or not begun with PLX_SUCCESS, or after plx_context_destroy; PLX_ERROR_WRONG_THREAD;
 * PLX_ERROR_XR when making, acquiring or waiting its swapchain fails (the frame carries on without it). */
static inline plx_result plx_quad_acquire(plx_quad *quad, const plx_frame *frame, plx_quad_image *out_image)
{
    return plx_quad_acquire_sized(quad, frame, sizeof *frame, out_image, sizeof *out_image);
}

/* ---------------------------------------------------------------- dynamic resolution
 *
 * The render scale shrinks the rendered area inside the fixed-size swapchain images (they are never
 * re-created): a frame renders width = round(eye_width * scale) by height = round(eye_height * scale)
 * pixels at the top-left of each eye's image, plx_frame.width/height and the viewport and scissor say so,
 * and the projection layer's imageRect covers exactly that area, so the compositor stretches it over the
 * full field of view. GPU fill cost falls with scale squared. */

/** Renders the frames begun from now on at a fixed scale and turns the automatic controller off, so the
 * scale stays as set. Frame-loop thread.
 * @param ctx the context.
 * @param scale 0 < scale <= 1, e.g. 0.75.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for a NULL ctx or a scale outside (0, 1]. */
PLX_API plx_result plx_set_render_scale(plx_context *ctx, float scale);

/** Turns the automatic controller on or off (the desc's dynamic_resolution sets it at creation). On, it reads
 * each frame's GPU time (timestamp queries) and picks the scale so the GPU time stays near half the display
 * period: it drops the scale at once when the cost rises and raises it gradually when the cost falls, never
 * below the desc's min_render_scale. Off, the scale stays where it is. Frame-loop thread.
 * @param ctx the context.
 * @param enabled true to turn the controller on.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for a NULL ctx; PLX_ERROR_UNSUPPORTED when turning it on on
 * a device without timestamps. */
PLX_API plx_result plx_set_dynamic_resolution(plx_context *ctx, bool enabled);

/** The scale the next frame begun will render at.
 * @param ctx the context; NULL gives 1.
 * @return the scale, 0 < scale <= 1 (1 = the full eye size). */
PLX_API float plx_get_render_scale(const plx_context *ctx);

/** Whether the automatic resolution controller is on.
 * @param ctx the context; NULL gives false.
 * @return true when the controller picks the scale. */
PLX_API bool plx_get_dynamic_resolution(const plx_context *ctx);

/* ---------------------------------------------------------------- statistics */

/** What happened to one frame.
 *
 * Clocks. Every timestamp below is XrTime: nanoseconds on the OpenXR runtime's clock, whose epoch the runtime
 * chooses (it need not be CLOCK_MONOTONIC's), the clock of predicted_display_time and of plx_predict_head.
 * libparallax takes its own timestamps on CLOCK_MONOTONIC and converts them with ONE offset, XrTime =
 * CLOCK_MONOTONIC + offset, measured with XR_KHR_convert_timespec_time at instance creation and again at
 * every plx_frame_wait (plx_latency_info.xr_time_offset_s; re-measured for a new instance after recovery,
 * which may bring a new epoch: records from before an instance_restarted are on the old instance's clock).
 * The error of a converted timestamp is at most plx_latency_info.xr_time_error_us (the largest change of the
 * offset from one frame to the next; 0 on a runtime whose XrTime is CLOCK_MONOTONIC shifted). GPU times are
 * calibrated against CLOCK_MONOTONIC (VK_EXT_calibrated_timestamps, else bounded by the submission times)
 * and converted the same way.
 *
 * Safe mode: a runtime that offers no XR_KHR_convert_timespec_time (plx_latency_info.xr_time_converted false;
 * one warning line) has no relation between the two clocks. Then the timestamps libparallax takes (all but
 * predicted_display_time) are 0 (unknown), the durations (cpu_ms, gpu_ms, pose_age_ms) stay right,
 * photon_age_ms is -1, just-in-time pacing does not sleep and app-side prediction is off; the pose error is
 * still measured (it needs only XrTime). */
typedef struct plx_frame_stats {
    uint64_t index;                   /**< plx_frame.index */
    int64_t predicted_display_time;   /**< from xrWaitFrame */
    int64_t predicted_display_period; /**< from xrWaitFrame */
    int64_t wait_return;              /**< xrWaitFrame returned */
    int64_t wake;                     /**< pacing sleep ended (= wait_return when there was none) */
    int64_t begin;                    /**< xrBeginFrame returned */
    int64_t record_end;               /**< plx_frame_end entered: the app finished recording */
    int64_t latch;                    /**< views located for the last time (0 if the frame was skipped) */
    int64_t submit;                   /**< vkQueueSubmit returned (0 if skipped) */
    int64_t end;                      /**< xrEndFrame returned */
    double cpu_ms;                    /**< wake -> end: CPU cost of the frame, without waiting and sleeping */
    double gpu_ms;      /**< GPU begin -> end of the frame's commands, -1 until known/unsupported */
    double pose_age_ms; /**< submit - latch: how old the submitted poses were at submission */
    bool rendered;      /**< false for a skipped frame (shouldRender false) */
    int64_t wait_call;  /**< plx_frame_wait entered (before xrWaitFrame) */
    int64_t gpu_start;  /**< the GPU began the frame's commands (timestamp query), 0 until known or without
                             timestamps (none on the device, or PARALLAX_GPU_TIMESTAMPS=0) */
    int64_t gpu_end;    /**< the GPU finished them, 0 until known */
    bool missed; /**< the display refresh after this frame's got no new frame: the next frame's predicted
                      display time came more than 1.5 periods later (set when the next frame is waited) */
    uint32_t skipped_displays; /**< refreshes skipped after this frame (0 unless missed) */
    /* Pose age and pose error at photon time, measured on any runtime. Some 20 ms after a rendered frame's
     * predicted display time has passed, libparallax locates the VIEW space (the head) in the reference
     * space at exactly that past time (xrLocateSpace: runtimes answer past times from their pose history)
     * and compares it with the head pose submitted for the frame: the midpoint of the two submitted eye
     * positions and the halfway rotation of their orientations. The runtime's after-the-fact pose stands in
     * for the truth, so its own tracking error is not seen; and the frame is judged at its predicted
     * display time even if it was shown later (missed). */
    double photon_age_ms;  /**< predicted_display_time - latch: the age of the submitted pose at photon time
                                (0 for a frame not rendered, -1 in safe mode) */
    double pose_error_deg; /**< angle between the submitted head orientation and the after-the-fact one (see
                                above), -1 until known, for a frame not rendered, or when the runtime could
                              not locate the head at that time */
    double
        pose_error_mm; /**< distance between the submitted and after-the-fact head positions, -1 likewise */
} plx_frame_stats;

/** ABI entry point of plx_get_frame_stats(), the static inline wrapper apps call, which passes the size of
 * the plx_frame_stats the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_get_frame_stats().
 * @param out as for plx_get_frame_stats().
 * @param max as for plx_get_frame_stats().
 * @param stats_size sizeof(plx_frame_stats) as the app was compiled: the stride of out, at least the 0.2.0
 * size.
 * @return as for plx_get_frame_stats(); 0 (plx_last_error says why) for a stride below the 0.2.0 size. */
PLX_API uint32_t plx_get_frame_stats_sized(plx_context *ctx, plx_frame_stats *out, uint32_t max,
                                           size_t stats_size);

/** Copies the most recent frames' statistics (oldest first). The library keeps the last 256.
 * @param ctx the context; NULL gives 0.
 * @param out the app's array of at least max records; may be NULL when max is 0.
 * @param max how many records out has room for.
 * @return how many records were written (0 for bad arguments). */
static inline uint32_t plx_get_frame_stats(plx_context *ctx, plx_frame_stats *out, uint32_t max)
{
    return plx_get_frame_stats_sized(ctx, out, max, sizeof *out);
}

/** Summary of the recent frames. */
typedef struct plx_summary {
    uint64_t frames;         /**< frames ended since the context was created */
    uint64_t frames_window;  /**< frames the percentiles below are taken over (the last up to 256) */
    double cpu_mean_ms;      /**< CPU cost (wake -> end), mean */
    double cpu_p50_ms;       /**< CPU cost, median */
    double cpu_p99_ms;       /**< CPU cost, 99th percentile */
    double gpu_mean_ms;      /**< GPU time, mean; -1 when the device has no timestamps */
    double gpu_p50_ms;       /**< GPU time, median; -1 without timestamps */
    double gpu_p99_ms;       /**< GPU time, 99th percentile; -1 without timestamps */
    double pose_age_mean_ms; /**< pose age at submission (latch -> submit), mean */
    uint64_t frames_missed;  /**< frames since creation followed by a skipped display refresh */
    double total_p50_ms;     /**< wake -> GPU end, median (-1 without timestamps) */
    double total_p99_ms;     /**< wake -> GPU end, 99th percentile (-1 without timestamps) */
} plx_summary;

/** ABI entry point of plx_stats_summary(), the static inline wrapper apps call, which passes the size of the
 * plx_summary the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_stats_summary().
 * @param out_summary as for plx_stats_summary().
 * @param summary_size sizeof *out_summary as the app was compiled (ignored when out_summary is NULL), at
 * least the 0.2.0 size.
 * @return as for plx_stats_summary(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a size
 * below the 0.2.0 size. */
PLX_API plx_result plx_stats_summary_sized(plx_context *ctx, plx_summary *out_summary, size_t summary_size);

/** Summarizes the recent frames.
 * @param ctx the context.
 * @param out_summary receives the summary.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL. */
static inline plx_result plx_stats_summary(plx_context *ctx, plx_summary *out_summary)
{
    return plx_stats_summary_sized(ctx, out_summary, sizeof *out_summary);
}

/** What plx_stats_percentiles ranks, per frame. */
typedef enum plx_stat_metric {
    PLX_STAT_CPU_MS = 0,         /**< wake -> end (plx_frame_stats.cpu_ms) */
    PLX_STAT_GPU_MS = 1,         /**< gpu_start -> gpu_end */
    PLX_STAT_TOTAL_MS = 2,       /**< wake -> gpu_end: the frame's whole cost, CPU then GPU */
    PLX_STAT_WAIT_MS = 3,        /**< wait_call -> wake: blocked in xrWaitFrame plus the pacing sleep */
    PLX_STAT_POSE_AGE_MS = 4,    /**< latch -> submit (rendered frames) */
    PLX_STAT_POSE_ERROR_DEG = 5, /**< plx_frame_stats.pose_error_deg (frames whose error is known) */
    PLX_STAT_PHOTON_AGE_MS = 6,  /**< latch -> predicted display time (rendered frames) */
    PLX_STAT_POSE_ERROR_MM = 7,  /**< plx_frame_stats.pose_error_mm (frames whose error is known) */
} plx_stat_metric;

/** Rolling percentiles of one metric over the last frames (nearest rank).
 * @param ctx the context.
 * @param metric what to rank.
 * @param window how many of the most recent frames; 0 or above 256: the last 256.
 * @param percents count percentages, each 0..100; may be NULL when count is 0.
 * @param count how many percentiles.
 * @param out_values the app's array of count values: the percentile of percents[i], or -1 when no frame in
 * the window has the metric (e.g. GPU times without timestamps).
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for a bad metric, a percentage outside 0..100 or NULL
 * arrays. */
PLX_API plx_result plx_stats_percentiles(plx_context *ctx, plx_stat_metric metric, uint32_t window,
                                         const double *percents, uint32_t count, double *out_values);

/* ---------------------------------------------------------------- HUD and mirror window */

/** Shows or hides the HUD: a head-locked panel in the lower part of both eyes with a graph of the last 128
 * frames' CPU (wake -> end), GPU and total time against the frame budget (the display period) and, beside it,
 * text readouts updated every 9 frames (ten times a second at 90 Hz): the pose age at photon (AGE, p50 of the
 * last 90 frames, ms), the pose error (ERR p50 and P99 of the same frames, degrees; see
 * plx_frame_stats.pose_error_deg), the count of missed frames (MISS) and the app's own values
 * (plx_hud_set_value). Drawn by plx_frame_end after the app's draws, inside the same multiview pass.
 * Frame-loop thread.
 * @param ctx the context.
 * @param on true to show it (its pipeline is created the first time).
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for a NULL ctx; PLX_ERROR_VULKAN or PLX_ERROR_OUT_OF_MEMORY
 * when creating it fails. */
PLX_API plx_result plx_set_hud(plx_context *ctx, bool on);

#define PLX_HUD_VALUE_COUNT 4 /**< app values the HUD shows, below its own readouts */
#define PLX_HUD_LABEL_MAX   5 /**< characters of an app value's label */

/** Shows one of the app's own numbers on the HUD as "LABEL value", in rows in slot order below MISS. May be
 * called at any time, with the HUD on or off (it shows from the next frame the HUD draws). Frame-loop thread.
 * @param ctx the context.
 * @param index slot 0 .. PLX_HUD_VALUE_COUNT-1.
 * @param label 1 to PLX_HUD_LABEL_MAX characters of A-Z, 0-9, space, '.', '-', '/', ':' (a-z are shown as
 * capitals); copied. NULL clears the slot.
 * @param value must be finite; printed in at most 7 characters, with two decimals when they fit, fewer
 * otherwise ("OVER" beyond +-9999999).
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT (plx_last_error says which) for a NULL ctx or a bad index,
 * label or value. */
PLX_API plx_result plx_hud_set_value(plx_context *ctx, uint32_t index, const char *label, double value);

/** Switches the mirror window between PLX_MIRROR_LEFT, PLX_MIRROR_BOTH and PLX_MIRROR_OFF (the window stays
 * open with its last image; nothing is copied or presented). Only a context created with a mirror
 * (desc.mirror or PARALLAX_MIRROR) on a display has the window. The window presents a copy of the eye images
 * from a thread, a VkDevice and a queue of its own, so the XR frame never waits for it: a frame is not
 * mirrored when both readback buffers are busy or the thread has not taken the previous copy yet. Closing the
 * window turns the mirror off for good; the XR session carries on. Frame-loop thread.
 * @param ctx the context.
 * @param mode what to show; PLX_MIRROR_DEFAULT means off.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for a NULL ctx or a mode that is not a ::plx_mirror_mode;
 * PLX_ERROR_UNSUPPORTED when the context has no mirror window. */
PLX_API plx_result plx_set_mirror(plx_context *ctx, plx_mirror_mode mode);

/** The mirror window's state. */
typedef struct plx_mirror_status {
    bool available;        /**< the window exists */
    plx_mirror_mode mode;  /**< what it shows now */
    uint32_t width;        /**< its swapchain width */
    uint32_t height;       /**< its swapchain height */
    uint64_t presented;    /**< frames presented */
    uint64_t skipped;      /**< frames not mirrored because the window was busy */
    double present_p99_ms; /**< the mirror thread's time per frame (upload, blit, present), p99 of the last
                                256 */
} plx_mirror_status;

/** ABI entry point of plx_get_mirror_status(), the static inline wrapper apps call, which passes the size of
 * the plx_mirror_status the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_get_mirror_status().
 * @param out_status as for plx_get_mirror_status().
 * @param status_size sizeof *out_status as the app was compiled (ignored when out_status is NULL), at least
 * the 0.2.0 size.
 * @return as for plx_get_mirror_status(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size. */
PLX_API plx_result plx_get_mirror_status_sized(plx_context *ctx, plx_mirror_status *out_status,
                                               size_t status_size);

/** The mirror window's state.
 * @param ctx the context.
 * @param out_status receives it (all zero when there is no window).
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL. */
static inline plx_result plx_get_mirror_status(plx_context *ctx, plx_mirror_status *out_status)
{
    return plx_get_mirror_status_sized(ctx, out_status, sizeof *out_status);
}

/* ---------------------------------------------------------------- latency: pacing, prediction, latch check
 */

/** The state of pacing, prediction and the latch check. */
typedef struct plx_latency_info {
    plx_prediction prediction;   /**< the setting in effect (after PARALLAX_PREDICTION) */
    bool runtime_predicts_known; /**< the runtime's prediction has been judged (auto mode, head moving) */
    bool runtime_predicts;       /**< ... and the verdict: true = it predicts, false = it returns raw poses */
    bool predicting;             /**< app-side prediction is applied to the views now */
    uint64_t frames_predicted;   /**< frames whose submitted views came from the app-side predictor */
    bool runtime_paces_adaptively; /**< just-in-time pacing judged the runtime adaptive, so it does not sleep
                                    */
    uint64_t pacing_misses;        /**< late frames seen from the app side (display time skipped a period, or
                                        GPU done after the pacing deadline) */
    uint64_t pacing_frames_slept;  /**< frames the pacing slept before (never in safe mode) */
    double pacing_margin_ms;       /**< the pacing safety margin now (grows after a miss, shrinks slowly) */
    double pacing_frame_cost_ms;   /**< estimate wake -> GPU done at the 95th percentile, 0 while unknown;
                                        GPU done is the frame's calibrated end timestamp or, without
                                        timestamps, when its fence was seen signalled (a thread of
                                        libparallax waits on it) */
    bool latch_check;              /**< the late-latch check runs */
    uint64_t
        latch_frames_checked; /**< frames whose GPU-read matrices were compared with the submitted poses */
    uint64_t latch_failures;  /**< ... that differed */
    bool waiting_ahead;       /**< the last rendered frame waited ahead: on a runtime that paces at fixed
                                   times, plx_frame_wait begins the frame at once and calls xrWaitFrame
                                   for the next frame before its pacing sleep, so the sleep can run up to
                                   the frame's deadline instead of ending in time for the next
                                   xrWaitFrame (PLX_MODE_JIT_LATCH only; PARALLAX_WAIT_AHEAD=auto|on|off,
                                   default auto) */
    uint64_t frames_waited_ahead; /**< frames for which the next frame's xrWaitFrame was called early */
    bool xr_time_converted;       /**< timestamps are put on XrTime through XR_KHR_convert_timespec_time (see
                                       plx_frame_stats); false: the runtime offers no conversion (safe mode) */
    double xr_time_offset_s;      /**< XrTime - CLOCK_MONOTONIC, seconds (0 in safe mode) */
    double xr_time_error_us;   /**< bound on a converted timestamp's error: the largest change of the offset
                                    between two frames on this instance */
    double xr_time_convert_us; /**< what one xrConvertTimespecTimeToTimeKHR call costs (measured at instance
                                    creation; it is made once per frame, not per timestamp) */
} plx_latency_info;

/** ABI entry point of plx_get_latency_info(), the static inline wrapper apps call, which passes the size of
 * the plx_latency_info the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_get_latency_info().
 * @param out_info as for plx_get_latency_info().
 * @param info_size sizeof *out_info as the app was compiled (ignored when out_info is NULL), at least the
 * 0.2.0 size.
 * @return as for plx_get_latency_info(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size. */
PLX_API plx_result plx_get_latency_info_sized(plx_context *ctx, plx_latency_info *out_info, size_t info_size);

/** The state of pacing, prediction and the latch check.
 * @param ctx the context.
 * @param out_info receives it.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL. */
static inline plx_result plx_get_latency_info(plx_context *ctx, plx_latency_info *out_info)
{
    return plx_get_latency_info_sized(ctx, out_info, sizeof *out_info);
}

/** The head (VIEW space: between the eyes, looking down -z) in the reference space at some time. */
typedef struct plx_head_pose {
    bool valid;           /**< false when the runtime has lost tracking (the pose is then the identity) */
    bool extrapolated;    /**< part of the horizon came from libparallax's predictor (see plx_predict_head) */
    float position[3];    /**< metres */
    float orientation[4]; /**< unit quaternion x, y, z, w */
} plx_head_pose;

/** ABI entry point of plx_predict_head(), the static inline wrapper apps call, which passes the size of the
 * plx_head_pose the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_predict_head().
 * @param time as for plx_predict_head().
 * @param out_pose as for plx_predict_head().
 * @param pose_size sizeof *out_pose as the app was compiled (ignored when out_pose is NULL), at least the
 * 0.2.0 size.
 * @return as for plx_predict_head(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a size
 * below the 0.2.0 size. */
PLX_API plx_result plx_predict_head_sized(plx_context *ctx, int64_t time, plx_head_pose *out_pose,
                                          size_t pose_size);

/** Head pose at a time, for work that runs ahead of the frame loop: a simulation, culling or animation step
 * preparing a frame after the current one, e.g. at plx_frame.predicted_display_time plus a period or two. Up
 * to the newest display time the runtime predicted for (the last plx_frame_wait's), the runtime's own pose
 * (xrLocateSpace); beyond it, extrapolated by libparallax's predictor from that pose and its velocities
 * (orientation integrated on the quaternion manifold, position linearly; damped past 50 ms and held past 100
 * ms of horizon, so a far or stale request stays bounded). When libparallax predicts for a runtime that
 * returns raw poses (plx_latency_info.predicting), the predictor covers the whole horizon from the newest
 * sample. A time in the past is answered by the runtime's pose history. Frame-loop thread.
 * @param ctx the context.
 * @param time the XrTime (the runtime's clock, as plx_frame.predicted_display_time) to predict for, > 0.
 * @param out_pose receives the pose (identity and not valid on failure).
 * @return PLX_SUCCESS; PLX_SESSION_NOT_RUNNING before the session runs; PLX_ERROR_INVALID_ARGUMENT for NULL
 * or time <= 0; PLX_ERROR_XR when locating fails. */
static inline plx_result plx_predict_head(plx_context *ctx, int64_t time, plx_head_pose *out_pose)
{
    return plx_predict_head_sized(ctx, time, out_pose, sizeof *out_pose);
}

/** Frames so far whose view/projection matrices, as the GPU read them from the uniforms, differed from the
 * poses and fovs given to xrEndFrame. Counted once the frame's GPU work is done.
 * @param ctx the context; NULL gives 0.
 * @return the count; 0 without latch_check. */
PLX_API uint64_t plx_latch_check_failures(plx_context *ctx);

/** Test hook: after the late latch of each of the next rendered frames, moves the left eye's view matrix in
 * the uniforms by 1 cm, so the GPU draws a pose other than the one submitted. A working latch check counts
 * every one of them.
 * @param ctx the context; NULL does nothing.
 * @param frames how many frames to corrupt. */
PLX_API void plx_debug_corrupt_latch(plx_context *ctx, uint32_t frames);

/* ---------------------------------------------------------------- built-in scene renderer */

/** How to create a scene (plx_scene_create). Zero-initialize it; read during the call only. */
typedef struct plx_scene_desc {
    float light_direction[3]; /**< direction the light travels, world space; default (-0.3, -1, -0.5) */
    float light_color[3];     /**< linear RGB; default (0.9, 0.88, 0.8) */
    float ambient[3];         /**< linear RGB; default (0.18, 0.2, 0.24) */
    bool no_grid;             /**< default false: draw a floor grid */
    float floor_y;            /**< floor height in the reference space; 0 = default: -1.6 in LOCAL (standing
                                   eye height), 0 in STAGE */
    float grid_extent;        /**< grid half-size in metres; default 10 */
    float grid_spacing;       /**< metres between lines; default 0.5 */
    float grid_color[3];      /**< linear RGB; default (0.25, 0.3, 0.35) */
} plx_scene_desc;

/** Position, rotation and scale of an object. Zero = identity (zero orientation = no rotation, zero scale =
 * 1). */
typedef struct plx_transform {
    float position[3];    /**< metres, reference space */
    float orientation[4]; /**< unit quaternion x, y, z, w; all zero = no rotation */
    float scale[3];       /**< per axis; all zero = 1 */
} plx_transform;

/** A cube for plx_scene_add_cube. */
typedef struct plx_cube_desc {
    plx_transform transform; /**< centre, rotation, edge lengths (scale; default 1 m) */
    float color[3];          /**< linear RGB; all zero = default mid grey */
} plx_cube_desc;

/** A triangle mesh for plx_scene_add_mesh. The arrays are read (and uploaded) during the call only. */
typedef struct plx_mesh_desc {
    const float *positions;  /**< vertex_count * 3 floats */
    const float *normals;    /**< vertex_count * 3 floats, or NULL: flat normals from the triangles */
    uint32_t vertex_count;   /**< number of vertices */
    const uint32_t *indices; /**< index_count indices, triangles */
    uint32_t index_count;    /**< number of indices, a multiple of 3 */
    plx_transform transform; /**< where the mesh is */
    float color[3];          /**< linear RGB; all zero = default mid grey */
} plx_mesh_desc;

/** The built-in scene renderer: lit meshes over a floor grid. Opaque; created by plx_scene_create, freed by
 * plx_scene_destroy. */
typedef struct plx_scene plx_scene;

/** ABI entry point of plx_scene_create(), the static inline wrapper apps call, which passes the size of the
 * plx_scene_desc the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_scene_create().
 * @param desc as for plx_scene_create().
 * @param desc_size sizeof *desc as the app was compiled (ignored when desc is NULL), at least the 0.2.0 size.
 * @param out_scene as for plx_scene_create().
 * @return as for plx_scene_create(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a size
 * below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_scene_create_sized(plx_context *ctx, const plx_scene_desc *desc, size_t desc_size,
                                          plx_scene **out_scene);

/** Creates a scene of lit meshes over a floor grid, drawn into the context's multiview pass. Frame-loop
 * thread.
 * @param ctx the context (destroying it first releases the scene: see "Ownership" above).
 * @param desc lighting and grid; NULL for all defaults. Read during the call only.
 * @param out_scene receives the scene (the caller owns it: plx_scene_destroy), or NULL on failure.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL or a non-finite or negative grid setting;
 * PLX_ERROR_VULKAN or PLX_ERROR_OUT_OF_MEMORY when creating its pipelines or buffers fails. */
static inline plx_result plx_scene_create(plx_context *ctx, const plx_scene_desc *desc, plx_scene **out_scene)
{
    return plx_scene_create_sized(ctx, desc, sizeof *desc, out_scene);
}

/** Waits for the GPU to finish with the scene's buffers, then frees them. Best called before
 * plx_context_destroy; after it (which released the scene's buffers) it only frees the scene.
 * Frame-loop thread.
 * @param scene the scene; NULL or *scene == NULL is accepted. *scene is set to NULL. */
PLX_API void plx_scene_destroy(plx_scene **scene);

/** ABI entry point of plx_scene_add_cube(), the static inline wrapper apps call, which passes the size of the
 * plx_cube_desc the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param scene as for plx_scene_add_cube().
 * @param desc as for plx_scene_add_cube().
 * @param desc_size sizeof *desc as the app was compiled (ignored when desc is NULL), at least the 0.2.0 size.
 * @param out_id as for plx_scene_add_cube().
 * @return as for plx_scene_add_cube(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_scene_add_cube_sized(plx_scene *scene, const plx_cube_desc *desc, size_t desc_size,
                                            uint32_t *out_id);

/** Adds a cube (all cubes share one uploaded mesh). Frame-loop thread.
 * @param scene the scene.
 * @param desc the cube; read during the call only.
 * @param out_id receives its id for plx_scene_set_transform; may be NULL.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL or a non-finite transform;
 * PLX_ERROR_OUT_OF_MEMORY. */
static inline plx_result plx_scene_add_cube(plx_scene *scene, const plx_cube_desc *desc, uint32_t *out_id)
{
    return plx_scene_add_cube_sized(scene, desc, sizeof *desc, out_id);
}

/** ABI entry point of plx_scene_add_mesh(), the static inline wrapper apps call, which passes the size of the
 * plx_mesh_desc the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param scene as for plx_scene_add_mesh().
 * @param desc as for plx_scene_add_mesh().
 * @param desc_size sizeof *desc as the app was compiled (ignored when desc is NULL), at least the 0.2.0 size.
 * @param out_id as for plx_scene_add_mesh().
 * @return as for plx_scene_add_mesh(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_scene_add_mesh_sized(plx_scene *scene, const plx_mesh_desc *desc, size_t desc_size,
                                            uint32_t *out_id);

/** Adds a triangle mesh; its vertices and indices are uploaded once, now. Normals NULL: per-face normals (the
 * vertices are split so each triangle is flat). Frame-loop thread.
 * @param scene the scene.
 * @param desc the mesh; its arrays are read during the call only.
 * @param out_id receives its id for plx_scene_set_transform; may be NULL.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL, missing arrays, an index count that is not a
 * multiple of 3, an index beyond the vertices or a non-finite transform; PLX_ERROR_VULKAN or
 * PLX_ERROR_OUT_OF_MEMORY when the upload fails. */
static inline plx_result plx_scene_add_mesh(plx_scene *scene, const plx_mesh_desc *desc, uint32_t *out_id)
{
    return plx_scene_add_mesh_sized(scene, desc, sizeof *desc, out_id);
}

/** ABI entry point of plx_scene_set_transform(), the static inline wrapper apps call, which passes the size
 * of the plx_transform the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param scene as for plx_scene_set_transform().
 * @param id as for plx_scene_set_transform().
 * @param transform as for plx_scene_set_transform().
 * @param transform_size sizeof *transform as the app was compiled (ignored when transform is NULL), at least
 * the 0.2.0 size.
 * @return as for plx_scene_set_transform(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for
 * a size below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_scene_set_transform_sized(plx_scene *scene, uint32_t id,
                                                 const plx_transform *transform, size_t transform_size);

/** Moves an object; takes effect in the next frame recorded. Frame-loop thread.
 * @param scene the scene.
 * @param id the id plx_scene_add_cube or plx_scene_add_mesh gave.
 * @param transform the new transform; copied.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL, an unknown id or a non-finite transform. */
static inline plx_result plx_scene_set_transform(plx_scene *scene, uint32_t id,
                                                 const plx_transform *transform)
{
    return plx_scene_set_transform_sized(scene, id, transform, sizeof *transform);
}

/** ABI entry point of plx_scene_draw(), the static inline wrapper apps call, which passes the size of the
 * plx_frame the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param scene as for plx_scene_draw().
 * @param frame as for plx_scene_draw().
 * @param frame_size sizeof *frame as the app was compiled (ignored when frame is NULL), at least the 0.2.0
 * size.
 * @return as for plx_scene_draw(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a size
 * below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_scene_draw_sized(plx_scene *scene, const plx_frame *frame, size_t frame_size);

/** Records the scene into the frame's command buffer. Frame-loop thread.
 * @param scene the scene.
 * @param frame a frame plx_frame_begin returned PLX_SUCCESS for, not yet ended.
 * @return PLX_SUCCESS; PLX_SESSION_NOT_RUNNING when the library dropped the frame (a plx_poll between
 * plx_frame_begin and here found the session stopping or lost); PLX_ERROR_INVALID_ARGUMENT for NULL;
 * PLX_ERROR_CALL_ORDER when the frame is not being recorded. */
static inline plx_result plx_scene_draw(plx_scene *scene, const plx_frame *frame)
{
    return plx_scene_draw_sized(scene, frame, sizeof *frame);
}

/* ---------------------------------------------------------------- input (controllers)
 *
 * Actions for both hands, bound for /interaction_profiles/khr/simple_controller and
 * /interaction_profiles/oculus/touch_controller (the runtime picks the profile of the controllers in the
 * user's hands): grip pose, aim pose, trigger, grip (squeeze), thumbstick, menu, haptics. It is one action
 * set made with the same plumbing as the app's own actions (see "actions" below), and works alone or beside
 * them: create it before the action sets are attached (at the first plx_frame_wait that returns a frame).
 *
 *     plx_input *input;
 *     plx_input_create(ctx, NULL, &input);              // after plx_context_create
 *     ... each frame, after plx_frame_wait:
 *     plx_input_sync(input, frame.predicted_display_time);
 *     plx_hand_state right;
 *     plx_input_get_hand(input, PLX_HAND_RIGHT, &right);
 *     if (right.trigger_pressed_now) plx_input_haptic(input, PLX_HAND_RIGHT, 0.8f, 0, 50000000);
 */

/** A hand (a controller). */
typedef enum plx_hand {
    PLX_HAND_LEFT = 0,  /**< /user/hand/left */
    PLX_HAND_RIGHT = 1, /**< /user/hand/right */
} plx_hand;

/** A tracked pose in the context's reference space. */
typedef struct plx_tracked_pose {
    bool valid;                /**< position and orientation are known (else the rest is identity/zero) */
    bool tracked;              /**< actively tracked, not inferred */
    float position[3];         /**< metres */
    float orientation[4];      /**< unit quaternion x, y, z, w */
    bool velocity_valid;       /**< the two velocities below are known */
    float linear_velocity[3];  /**< m/s, reference space */
    float angular_velocity[3]; /**< rad/s, reference space */
} plx_tracked_pose;

/** One hand as of the last plx_input_sync. An inactive hand (no controller bound, or the app has no input
 * focus) reads all zero and false. */
typedef struct plx_hand_state {
    bool active;                /**< the hand's actions are bound and the app has input focus */
    float trigger;              /**< 0..1 (the simple controller's select click reads 0 or 1) */
    bool trigger_pressed;       /**< trigger past the half-way point */
    bool trigger_pressed_now;   /**< went down at this sync (an edge, for one-shot actions) */
    bool trigger_released_now;  /**< went up at this sync */
    float grip;                 /**< squeeze 0..1 (0 on the simple controller, which has none) */
    bool grip_pressed;          /**< grip past the half-way point */
    float thumbstick[2];        /**< x right, y up, -1..1 */
    bool menu;                  /**< the menu button is held (touch: left hand only) */
    bool menu_pressed_now;      /**< the menu button went down at this sync */
    plx_tracked_pose grip_pose; /**< where the hand holds the controller, at the synced display time */
    plx_tracked_pose aim_pose;  /**< pointing ray: origin and -Z forward, at the synced display time */
} plx_hand_state;

/** Interaction profiles plx_input suggests bindings for (a runtime presents its controllers as one of those
 * the app suggested). */
typedef enum plx_input_profiles {
    PLX_INPUT_PROFILES_DEFAULT = 0, /**< = SIMPLE | TOUCH */
    PLX_INPUT_PROFILE_SIMPLE = 1,   /**< /interaction_profiles/khr/simple_controller: trigger = select */
    PLX_INPUT_PROFILE_TOUCH = 2,    /**< /interaction_profiles/oculus/touch_controller: everything */
} plx_input_profiles;

/** How to create the input (plx_input_create). Zero-initialize it; read during the call only. */
typedef struct plx_input_desc {
    const char *action_set_name; /**< OpenXR name of the action set; default "parallax_input" */
    const char *localized_name;  /**< shown by the runtime; default "Parallax input" */
    uint32_t profiles;           /**< ::plx_input_profiles bits; default both */
} plx_input_desc;

/** The controllers' actions and spaces. Opaque; created by plx_input_create, freed by plx_input_destroy. */
typedef struct plx_input plx_input;

/** ABI entry point of plx_input_create(), the static inline wrapper apps call, which passes the size of the
 * plx_input_desc the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_input_create().
 * @param desc as for plx_input_create().
 * @param desc_size sizeof *desc as the app was compiled (ignored when desc is NULL), at least the 0.2.0 size.
 * @param out_input as for plx_input_create().
 * @return as for plx_input_create(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a size
 * below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_input_create_sized(plx_context *ctx, const plx_input_desc *desc, size_t desc_size,
                                          plx_input **out_input);

/** Creates the action set and actions and suggests bindings for the profiles (added to the app's own bindings
 * for the same profiles, see "Bindings" under "actions" below). The set is attached with the app's sets at
 * the first plx_frame_wait that returns a frame. Frame-loop thread.
 * @param ctx the context (destroying it first releases the input: see "Ownership" above).
 * @param desc names and profiles; NULL for the defaults. Read during the call only.
 * @param out_input receives the input (the caller owns it: plx_input_destroy), or NULL on failure.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL, a name too long for OpenXR, a name another set
 * has (a second plx_input needs its own action_set_name) or unknown profile bits; PLX_ERROR_CALL_ORDER after
 * the action sets were attached (see "Attach" under "actions" below); PLX_SESSION_NOT_RUNNING while a lost
 * session is being re-created; PLX_ERROR_XR or PLX_ERROR_OUT_OF_MEMORY. */
static inline plx_result plx_input_create(plx_context *ctx, const plx_input_desc *desc, plx_input **out_input)
{
    return plx_input_create_sized(ctx, desc, sizeof *desc, out_input);
}

/** Destroys the spaces and the action set. Best called before plx_context_destroy; after it (which
 * released them) it only frees the input. Frame-loop thread.
 * @param input the input; NULL or *input == NULL is accepted. *input is set to NULL. */
PLX_API void plx_input_destroy(plx_input **input);

/** Reads every action of both hands as the frame's sync saw them (plx_frame_wait calls xrSyncActions once per
 * frame; this syncs itself only when no frame was waited since the last sync, attaching the action sets
 * first if need be) and locates their poses at the display time. When
 * the runtime does not predict poses itself (detected over a few frames, as for the head), the poses are
 * extrapolated to display_time by libparallax's predictor. Frame-loop thread, once per frame after
 * plx_frame_wait.
 * @param input the input.
 * @param display_time the XrTime to locate the poses at, normally frame.predicted_display_time (so
 * controllers are drawn where they will be when the frame is shown).
 * @return PLX_SUCCESS; PLX_NOT_FOCUSED (every hand reads inactive); PLX_SESSION_NOT_RUNNING (while a lost
 * session is being re-created; the actions are made again and attached to the new session after it);
 * PLX_ERROR_INVALID_ARGUMENT for NULL or display_time <= 0; PLX_ERROR_XR. */
PLX_API plx_result plx_input_sync(plx_input *input, int64_t display_time);

/** ABI entry point of plx_input_get_hand(), the static inline wrapper apps call, which passes the size of the
 * plx_hand_state the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param input as for plx_input_get_hand().
 * @param hand as for plx_input_get_hand().
 * @param out_state as for plx_input_get_hand().
 * @param state_size sizeof *out_state as the app was compiled (ignored when out_state is NULL), at least the
 * 0.2.0 size.
 * @return as for plx_input_get_hand(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size. */
PLX_API plx_result plx_input_get_hand_sized(const plx_input *input, plx_hand hand, plx_hand_state *out_state,
                                            size_t state_size);

/** The state of one hand as of the last plx_input_sync. Frame-loop thread.
 * @param input the input.
 * @param hand which hand.
 * @param out_state receives the state.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL or a hand that is not a ::plx_hand. */
static inline plx_result plx_input_get_hand(const plx_input *input, plx_hand hand, plx_hand_state *out_state)
{
    return plx_input_get_hand_sized(input, hand, out_state, sizeof *out_state);
}

/** Starts a vibration on one hand. Frame-loop thread.
 * @param input the input.
 * @param hand which hand.
 * @param amplitude 0..1.
 * @param frequency_hz vibration frequency in Hz, >= 0; 0 = the runtime's choice.
 * @param duration_ns >= 0; 0 = the shortest pulse the runtime supports.
 * @return PLX_SUCCESS; PLX_NOT_FOCUSED (the runtime ignores haptics without focus);
 * PLX_ERROR_INVALID_ARGUMENT for NULL or a value out of range; PLX_ERROR_XR. */
PLX_API plx_result plx_input_haptic(plx_input *input, plx_hand hand, float amplitude, float frequency_hz,
                                    int64_t duration_ns);

/** Stops a vibration early. Frame-loop thread.
 * @param input the input.
 * @param hand which hand.
 * @return PLX_SUCCESS; PLX_NOT_FOCUSED; PLX_ERROR_INVALID_ARGUMENT for NULL or a bad hand; PLX_ERROR_XR. */
PLX_API plx_result plx_input_haptic_stop(plx_input *input, plx_hand hand);

/** The interaction profile the runtime reports for a hand. Frame-loop thread.
 * @param input the input.
 * @param hand which hand.
 * @return e.g. "/interaction_profiles/oculus/touch_controller"; "" before the runtime has chosen one or for
 * bad arguments. Owned by the input; valid until the next call for that hand or until the input is
 * destroyed. */
PLX_API const char *plx_input_profile(plx_input *input, plx_hand hand);

/* ---------------------------------------------------------------- actions (app-defined input)
 *
 * OpenXR actions of the app's own: action sets, actions of every type (boolean, float, vector2, pose, haptic
 * output) with optional subaction paths, and suggested bindings for any interaction profile the app names.
 * libparallax calls xrSyncActions once per frame inside plx_frame_wait (after xrWaitFrame and the pacing
 * sleep, so the input is as fresh as the frame's poses) and locates pose actions at the frame's predicted
 * display time; the app then reads the states. plx_input above is the ready-made set for two controllers; it
 * is built on these same calls and works alone or beside the app's sets.
 *
 *     plx_action_set game;
 *     plx_action_set_create(ctx, &(plx_action_set_desc){.name = "game", .localized_name = "Game"}, &game);
 *     static const char *const hands[] = {"/user/hand/left", "/user/hand/right"};
 *     plx_action jump, hand;
 *     plx_action_create(ctx, game, &(plx_action_desc){.name = "jump", .type = PLX_ACTION_BOOLEAN}, &jump);
 *     plx_action_create(ctx, game, &(plx_action_desc){.name = "hand", .type = PLX_ACTION_POSE,
 *                                                     .subaction_paths = hands, .subaction_path_count = 2},
 * &hand); plx_action_suggest_bindings(ctx, "/interaction_profiles/valve/index_controller",
 *         (plx_action_binding[]){{jump, "/user/hand/right/input/a/click"},
 *                                {hand, "/user/hand/left/input/grip/pose"},
 *                                {hand, "/user/hand/right/input/grip/pose"}}, 3);
 *     ... (the same for every other profile the app supports)
 *     each frame, after plx_frame_wait returned PLX_SUCCESS:
 *     plx_action_state st;
 *     if (plx_action_get_boolean(ctx, jump, NULL, &st) == PLX_SUCCESS && st.changed && st.boolean) ...
 *     plx_action_pose p;
 *     plx_action_get_pose(ctx, hand, "/user/hand/left", &p);   // at frame.predicted_display_time
 *
 * **Attach.** OpenXR lets a session attach action sets only once (xrAttachSessionActionSets), so every set,
 * action and binding, plx_input's included, must exist before it. libparallax attaches all of them together
 * at the first plx_frame_wait that returns a frame while any set exists (or at plx_actions_attach, or at a
 * plx_input_sync before any frame, whichever comes first). From then on plx_action_set_create,
 * plx_action_create, plx_action_suggest_bindings and plx_input_create return PLX_ERROR_CALL_ORDER, naming the
 * rule. (An app that makes and attaches action sets of its own through parallax_openxr.h cannot also use
 * these calls or plx_input: the second attach fails.)
 *
 * **Bindings** accumulate per interaction profile: each plx_action_suggest_bindings call adds its bindings to
 * the profile's list, and libparallax gives OpenXR the profile's whole list (every set's, plx_input's
 * included), because xrSuggestInteractionProfileBindings replaces what was suggested before for a profile.
 *
 * **Sync and focus.** Input belongs to the app with focus: while the session is not FOCUSED no sync is made
 * and every action reads inactive (active false, values zero), as OpenXR's XR_SESSION_NOT_FOCUSED says; this
 * is not an error. A state read is what the frame's sync saw, the same for every read in the frame.
 *
 * **Recovery.** When libparallax re-creates a lost session or instance (plx_poll), it re-creates the sets,
 * actions, action spaces and bindings from what the app declared and attaches them to the new session. The
 * plx_action_set and plx_action handles stay valid; nothing is to be done by the app.
 *
 * **Handles** are small values, not pointers: a zero, made-up or stale handle, or one of another context, is
 * refused with PLX_ERROR_INVALID_ARGUMENT (never followed). They are valid until plx_context_destroy. */

/** An action set of the app's (plx_action_set_create). A value; {0} is no set. */
typedef struct plx_action_set {
    uint32_t id; /**< libparallax's identifier; 0 = none */
} plx_action_set;

/** An action of the app's (plx_action_create). A value; {0} is no action. */
typedef struct plx_action {
    uint32_t id; /**< libparallax's identifier; 0 = none */
} plx_action;

/** What an action reads or does (XrActionType). */
typedef enum plx_action_type {
    PLX_ACTION_BOOLEAN = 1, /**< a button: plx_action_get_boolean */
    PLX_ACTION_FLOAT = 2,   /**< a trigger or squeeze 0..1 (a button binds as 0 or 1): plx_action_get_float */
    PLX_ACTION_VECTOR2 = 3, /**< a thumbstick or trackpad, -1..1 each: plx_action_get_vector2 */
    PLX_ACTION_POSE = 4,    /**< a tracked pose (grip, aim, ...): plx_action_get_pose */
    PLX_ACTION_HAPTIC = 5,  /**< a vibration output: plx_action_haptic, plx_action_haptic_stop */
} plx_action_type;

/** At most this many subaction paths per action. */
#define PLX_ACTION_MAX_SUBACTION_PATHS 8

/** How to create an action set (plx_action_set_create). Zero-initialize it; read during the call only. */
typedef struct plx_action_set_desc {
    const char *name;           /**< required: the OpenXR name, unique in the context: lower-case letters,
                                     digits, '-', '_' and '.', at most 63 characters (e.g. "gameplay") */
    const char *localized_name; /**< shown to the user by the runtime, at most 127 bytes; default name */
    uint32_t priority; /**< default 0: when two active sets bind the same input, the higher priority's actions
                            get it (XrActionSetCreateInfo.priority) */
} plx_action_set_desc;

/** How to create an action (plx_action_create). Zero-initialize it; read during the call only. */
typedef struct plx_action_desc {
    const char *name;           /**< required: the OpenXR name, unique in its set (same rules as the set's) */
    const char *localized_name; /**< shown to the user by the runtime, at most 127 bytes; default name */
    plx_action_type type;       /**< required */
    const char *const *subaction_paths; /**< top-level user paths the app tells apart when it reads, e.g.
                                             {"/user/hand/left", "/user/hand/right"}; default NULL = none (the
                                             action reads all its bindings as one). Copied */
    uint32_t subaction_path_count;      /**< how many; 0..PLX_ACTION_MAX_SUBACTION_PATHS */
} plx_action_desc;

/** One suggested binding: an action and an input or output path of an interaction profile. */
typedef struct plx_action_binding {
    plx_action action; /**< the action */
    const char *path;  /**< e.g. "/user/hand/right/input/trigger/value" or "/user/hand/left/output/haptic" */
} plx_action_binding;

/** The state of a boolean, float or vector2 action as of the frame's sync (xrGetActionState*). */
typedef struct plx_action_state {
    bool active;              /**< bound to an input the runtime reads now, and the session focused; when
                                   false every value below is zero */
    bool changed;             /**< the value changed at this frame's sync (changedSinceLastSync) */
    int64_t last_change_time; /**< XrTime of the last change (the runtime's clock, as
                                   plx_frame.predicted_display_time); 0 when inactive */
    bool boolean;             /**< PLX_ACTION_BOOLEAN: pressed */
    float value;              /**< PLX_ACTION_FLOAT: the value */
    float vector[2];          /**< PLX_ACTION_VECTOR2: x (right), y (up) */
} plx_action_state;

/** A pose action located in the context's reference space at the frame's predicted display time. */
typedef struct plx_action_pose {
    bool active;            /**< bound and focused (xrGetActionStatePose); when false the pose is identity */
    int64_t time;           /**< the XrTime it was located at: the display time of the frame's sync */
    plx_tracked_pose pose;  /**< the pose: valid when position and orientation are both valid, tracked when
                                 both are tracked; velocities when the runtime gives them */
    bool position_valid;    /**< XR_SPACE_LOCATION_POSITION_VALID_BIT */
    bool orientation_valid; /**< XR_SPACE_LOCATION_ORIENTATION_VALID_BIT */
    bool position_tracked;  /**< XR_SPACE_LOCATION_POSITION_TRACKED_BIT */
    bool orientation_tracked; /**< XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT */
} plx_action_pose;

/** ABI entry point of plx_action_set_create(), the static inline wrapper apps call, which passes the size of
 * the plx_action_set_desc the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_action_set_create().
 * @param desc as for plx_action_set_create().
 * @param desc_size sizeof *desc as the app was compiled (ignored when desc is NULL), at least the 0.2.0
 * size.
 * @param out_set as for plx_action_set_create().
 * @return as for plx_action_set_create(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_action_set_create_sized(plx_context *ctx, const plx_action_set_desc *desc,
                                               size_t desc_size, plx_action_set *out_set);

/** Creates an action set (xrCreateActionSet), active from the first sync on. Before the attach only (see
 * "Attach" above). Frame-loop thread.
 * @param ctx the context; the set lives as long as it (there is no destroy: OpenXR cannot detach a set).
 * @param desc the name, localized name and priority. Read during the call only.
 * @param out_set receives the handle; {0} on failure.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL, a missing, malformed, too long or duplicated name
 * (plx_last_error names it and the OpenXR rule); PLX_ERROR_CALL_ORDER after the attach;
 * PLX_SESSION_NOT_RUNNING while a lost session or instance is being re-created (nothing made: call again
 * after plx_poll); PLX_ERROR_UNSUPPORTED beyond 16 sets; PLX_ERROR_WRONG_THREAD; PLX_ERROR_XR. */
static inline plx_result plx_action_set_create(plx_context *ctx, const plx_action_set_desc *desc,
                                               plx_action_set *out_set)
{
    return plx_action_set_create_sized(ctx, desc, sizeof *desc, out_set);
}

/** ABI entry point of plx_action_create(), the static inline wrapper apps call, which passes the size of the
 * plx_action_desc the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_action_create().
 * @param set as for plx_action_create().
 * @param desc as for plx_action_create().
 * @param desc_size sizeof *desc as the app was compiled (ignored when desc is NULL), at least the 0.2.0
 * size.
 * @param out_action as for plx_action_create().
 * @return as for plx_action_create(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_action_create_sized(plx_context *ctx, plx_action_set set, const plx_action_desc *desc,
                                           size_t desc_size, plx_action *out_action);

/** Creates an action in a set (xrCreateAction). Before the attach only. Frame-loop thread.
 * @param ctx the context.
 * @param set the set it belongs to.
 * @param desc name, type and subaction paths. Read during the call only.
 * @param out_action receives the handle; {0} on failure.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL, a bad set handle, a bad type, a missing,
 * malformed, too long or duplicated name, or a subaction path OpenXR refuses (each named);
 * PLX_ERROR_CALL_ORDER after the attach; PLX_SESSION_NOT_RUNNING while a lost session or instance is being
 * re-created (nothing made); PLX_ERROR_UNSUPPORTED beyond 128 actions or PLX_ACTION_MAX_SUBACTION_PATHS
 * paths; PLX_ERROR_WRONG_THREAD; PLX_ERROR_XR. */
static inline plx_result plx_action_create(plx_context *ctx, plx_action_set set, const plx_action_desc *desc,
                                           plx_action *out_action)
{
    return plx_action_create_sized(ctx, set, desc, sizeof *desc, out_action);
}

/** ABI entry point of plx_action_suggest_bindings(), the static inline wrapper apps call, which passes the
 * size of the plx_action_binding the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_action_suggest_bindings().
 * @param profile as for plx_action_suggest_bindings().
 * @param bindings as for plx_action_suggest_bindings().
 * @param count as for plx_action_suggest_bindings().
 * @param binding_size sizeof(plx_action_binding) as the app was compiled: the stride of bindings, at least
 * the 0.2.0 size.
 * @return as for plx_action_suggest_bindings(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct)
 * for a stride below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_action_suggest_bindings_sized(plx_context *ctx, const char *profile,
                                                     const plx_action_binding *bindings, uint32_t count,
                                                     size_t binding_size);

/** Suggests bindings for one interaction profile (xrSuggestInteractionProfileBindings): they are added to
 * what was suggested for that profile before (see "Bindings" above), all or none. Before the attach only.
 * Frame-loop thread.
 * @param ctx the context.
 * @param profile the interaction profile's path, e.g. "/interaction_profiles/oculus/touch_controller".
 * @param bindings the actions and their paths; read during the call only.
 * @param count how many, at least 1.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL, count 0, a bad action handle, or a profile or a
 * path the runtime refuses (XR_ERROR_PATH_UNSUPPORTED, XR_ERROR_PATH_FORMAT_INVALID): plx_last_error names
 * the profile and the path (libparallax finds the one at fault) and nothing of the call is kept;
 * PLX_ERROR_CALL_ORDER after the attach; PLX_SESSION_NOT_RUNNING while a lost session or instance is being
 * re-created (nothing kept); PLX_ERROR_UNSUPPORTED beyond 512 bindings or 32 profiles;
 * PLX_ERROR_WRONG_THREAD; PLX_ERROR_XR. */
static inline plx_result plx_action_suggest_bindings(plx_context *ctx, const char *profile,
                                                     const plx_action_binding *bindings, uint32_t count)
{
    return plx_action_suggest_bindings_sized(ctx, profile, bindings, count, sizeof *bindings);
}

/** Attaches every action set (the app's and plx_input's) to the session now, instead of at the first
 * plx_frame_wait that returns a frame (see "Attach" above); nothing may be created or bound afterwards. A
 * second call does nothing. Frame-loop thread.
 * @param ctx the context.
 * @return PLX_SUCCESS; PLX_SESSION_NOT_RUNNING while a lost session is being re-created (the attach is made
 * on the new session); PLX_ERROR_INVALID_ARGUMENT for NULL; PLX_ERROR_CALL_ORDER when the app attached action
 * sets of its own through parallax_openxr.h (XR_ERROR_ACTIONSETS_ALREADY_ATTACHED);
 * PLX_ERROR_WRONG_THREAD; PLX_ERROR_XR. */
PLX_API plx_result plx_actions_attach(plx_context *ctx);

/** Whether a set's actions are synced (XrActiveActionSet) from the next frame on; every set is active from
 * its creation. An inactive set's actions read inactive. Frame-loop thread.
 * @param ctx the context.
 * @param set the set.
 * @param active false to stop syncing it, true to sync it again.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL or a bad handle; PLX_ERROR_WRONG_THREAD. */
PLX_API plx_result plx_action_set_activate(plx_context *ctx, plx_action_set set, bool active);

/** ABI entry point of plx_action_get_boolean(), plx_action_get_float() and plx_action_get_vector2(), the
 * static inline wrappers apps call, which pass the type they read and the size of the plx_action_state the
 * app was compiled with (README "ABI policy"; call the wrappers, not this).
 * @param ctx as for plx_action_get_boolean().
 * @param action as for plx_action_get_boolean().
 * @param subaction_path as for plx_action_get_boolean().
 * @param type the type the wrapper reads: PLX_ACTION_BOOLEAN, PLX_ACTION_FLOAT or PLX_ACTION_VECTOR2.
 * @param out_state as for plx_action_get_boolean().
 * @param state_size sizeof *out_state as the app was compiled (ignored when out_state is NULL), at least the
 * 0.2.0 size.
 * @return as for plx_action_get_boolean(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for
 * a size below the 0.2.0 size. */
PLX_API plx_result plx_action_get_state_sized(plx_context *ctx, plx_action action, const char *subaction_path,
                                              plx_action_type type, plx_action_state *out_state,
                                              size_t state_size);

/** A boolean action's state as of this frame's sync. Frame-loop thread.
 * @param ctx the context.
 * @param action a PLX_ACTION_BOOLEAN action.
 * @param subaction_path one of the action's subaction paths, or NULL for all its bindings together.
 * @param out_state receives the state (all zero, inactive, on failure or before the first sync).
 * @return PLX_SUCCESS (also while not focused: the state reads inactive); PLX_ERROR_INVALID_ARGUMENT for
 * NULL, a bad handle, an action of another type (plx_last_error names both types) or a subaction path the
 * action was not created with; PLX_ERROR_WRONG_THREAD; PLX_ERROR_XR. Errors land in plx_last_error(ctx), or
 * plx_last_error(NULL) for a NULL ctx or the wrong thread. */
static inline plx_result plx_action_get_boolean(plx_context *ctx, plx_action action,
                                                const char *subaction_path, plx_action_state *out_state)
{
    return plx_action_get_state_sized(ctx, action, subaction_path, PLX_ACTION_BOOLEAN, out_state,
                                      sizeof *out_state);
}

/** A float action's state as of this frame's sync. Frame-loop thread.
 * @param ctx the context.
 * @param action a PLX_ACTION_FLOAT action.
 * @param subaction_path one of the action's subaction paths, or NULL for all its bindings together.
 * @param out_state receives the state in value.
 * @return as for plx_action_get_boolean(). */
static inline plx_result plx_action_get_float(plx_context *ctx, plx_action action, const char *subaction_path,
                                              plx_action_state *out_state)
{
    return plx_action_get_state_sized(ctx, action, subaction_path, PLX_ACTION_FLOAT, out_state,
                                      sizeof *out_state);
}

/** A vector2 action's state as of this frame's sync. Frame-loop thread.
 * @param ctx the context.
 * @param action a PLX_ACTION_VECTOR2 action.
 * @param subaction_path one of the action's subaction paths, or NULL for all its bindings together.
 * @param out_state receives the state in vector.
 * @return as for plx_action_get_boolean(). */
static inline plx_result plx_action_get_vector2(plx_context *ctx, plx_action action,
                                                const char *subaction_path, plx_action_state *out_state)
{
    return plx_action_get_state_sized(ctx, action, subaction_path, PLX_ACTION_VECTOR2, out_state,
                                      sizeof *out_state);
}

/** ABI entry point of plx_action_get_pose(), the static inline wrapper apps call, which passes the size of
 * the plx_action_pose the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_action_get_pose().
 * @param action as for plx_action_get_pose().
 * @param subaction_path as for plx_action_get_pose().
 * @param out_pose as for plx_action_get_pose().
 * @param pose_size sizeof *out_pose as the app was compiled (ignored when out_pose is NULL), at least the
 * 0.2.0 size.
 * @return as for plx_action_get_pose(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size. */
PLX_API plx_result plx_action_get_pose_sized(plx_context *ctx, plx_action action, const char *subaction_path,
                                             plx_action_pose *out_pose, size_t pose_size);

/** A pose action located (xrLocateSpace of its action space, with velocities) in the context's reference
 * space at the predicted display time of the frame whose plx_frame_wait synced it. The runtime predicts it
 * to that time. Frame-loop thread.
 * @param ctx the context.
 * @param action a PLX_ACTION_POSE action.
 * @param subaction_path one of the action's subaction paths (e.g. "/user/hand/left"), or NULL for the
 * action's one pose when it has no subaction paths (with several bound, the runtime picks one).
 * @param out_pose receives the pose (inactive, identity, on failure or before the first sync).
 * @return as for plx_action_get_boolean(). */
static inline plx_result plx_action_get_pose(plx_context *ctx, plx_action action, const char *subaction_path,
                                             plx_action_pose *out_pose)
{
    return plx_action_get_pose_sized(ctx, action, subaction_path, out_pose, sizeof *out_pose);
}

/** Starts a vibration on a haptic action's outputs (xrApplyHapticFeedback). Frame-loop thread.
 * @param ctx the context.
 * @param action a PLX_ACTION_HAPTIC action.
 * @param subaction_path one of its subaction paths, or NULL for all its outputs.
 * @param amplitude 0..1.
 * @param frequency_hz >= 0; 0 = the runtime's choice.
 * @param duration_ns >= 0; 0 = the shortest pulse the runtime supports.
 * @return PLX_SUCCESS; PLX_NOT_FOCUSED (the runtime ignores haptics without focus), also before the attach;
 * PLX_ERROR_INVALID_ARGUMENT for NULL, a bad handle, an action of another type, an unknown subaction path or
 * a value out of range; PLX_ERROR_WRONG_THREAD; PLX_ERROR_XR. */
PLX_API plx_result plx_action_haptic(plx_context *ctx, plx_action action, const char *subaction_path,
                                     float amplitude, float frequency_hz, int64_t duration_ns);

/** Stops a vibration early (xrStopHapticFeedback). Frame-loop thread.
 * @param ctx the context.
 * @param action a PLX_ACTION_HAPTIC action.
 * @param subaction_path one of its subaction paths, or NULL for all its outputs.
 * @return as for plx_action_haptic(). */
PLX_API plx_result plx_action_haptic_stop(plx_context *ctx, plx_action action, const char *subaction_path);

/** The interaction profile the runtime presents for a top-level user path (xrGetCurrentInteractionProfile),
 * e.g. "/interaction_profiles/valve/index_controller" for "/user/hand/right"; it may change at any frame's
 * sync (the user picks up another controller). Frame-loop thread.
 * @param ctx the context.
 * @param top_level_path "/user/hand/left", "/user/hand/right", "/user/head", "/user/gamepad", ...
 * @param out_profile receives the path, NUL-terminated; "" when the runtime presents none, or before the
 * attach.
 * @param size bytes out_profile has room for; 256 always suffices (XR_MAX_PATH_LENGTH).
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL, size 0, a path OpenXR refuses, or a profile
 * longer than size (out_profile is "" then); PLX_ERROR_WRONG_THREAD; PLX_ERROR_XR. */
PLX_API plx_result plx_actions_get_profile(plx_context *ctx, const char *top_level_path, char *out_profile,
                                           uint32_t size);

#ifdef __cplusplus
}
#endif
