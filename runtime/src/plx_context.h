/* SPDX-License-Identifier: MIT */
/* The root object of libparallax, struct plx_context, and the frame loop's functions: frame.c (layer 6, the
 * one orchestrator) and the public entry points (api/, layer 7) include this; the layers below see only the
 * parts they are given, never the whole context.
 *
 * The context holds one state struct per part; a file touches another part's state only through that
 * part's functions (its handles excepted: plx_vk, the slots, the swapchains' images and plx_xr's handles
 * are made once and then only read). */
#pragma once
#include <pthread.h>

#include "overlay/plx_overlay.h"
#include "timing/plx_timing.h"

/* What the desc (and the environment) asked for, resolved: read by the frame loop and the entry points. */
typedef struct plx_config {
    plx_mode mode;
    plx_pass_mode pass; /* resolved: never PLX_PASS_DEFAULT */
    plx_space space_kind;
    float near_z, far_z;
    float clear_color[4];
    uint32_t frames_in_flight;
    bool validation;
    uint32_t samples;      /* 1, 2 or 4 */
    uint32_t pass_threads; /* 0 .. PLX_MAX_PASS_THREADS */
} plx_config;

typedef enum plx_frame_phase {
    PLX_PHASE_IDLE = 0, /* ready for plx_frame_wait */
    PLX_PHASE_WAITED,   /* xrWaitFrame returned: plx_frame_begin next */
    PLX_PHASE_BEGUN,    /* xrBeginFrame returned: plx_frame_end next */
} plx_frame_phase;

/* One swapchain's image in the frame in progress: what giving it back takes. */
typedef struct plx_held_image {
    bool acquired; /* xrAcquireSwapchainImage succeeded: the app holds the image until it is released */
    bool waited;   /* xrWaitSwapchainImage succeeded: it may be written and released */
    uint32_t index;
} plx_held_image;

/* How much of the frame in progress settling after a failure or a session change does (frame.c). */
typedef enum plx_settle {
    PLX_SETTLE_CONTINUE = 0, /* everything: the next xrWaitFrame may be called */
    PLX_SETTLE_STOPPING,     /* STOPPING: images back, a begun frame ended; xrEndSession resets the rest */
    PLX_SETTLE_LOST,         /* a lost session: forgotten without OpenXR calls */
} plx_settle;

/* The frame loop's own state (frame.c). */
typedef struct plx_loop {
    plx_frame_phase phase;
    uint64_t frames_waited;
    bool should_render;
    /* The runtime's side of the frame in progress, which settling after a failure undoes. */
    bool xr_waited;              /* xrWaitFrame returned a frame not yet begun (the next wait waits for it) */
    bool xr_begun;               /* xrBeginFrame succeeded and xrEndFrame was not called for that frame */
    plx_held_image color, depth; /* plx_frame_end (or settling) gives them back */
    bool recording;              /* the frame's command buffers are recording */
    bool in_pass;                /* ... and the main one is inside libparallax's render pass */
    bool post_phase;             /* plx_frame_post_pass handed the eye images over */
    bool latched_per_eye;        /* a pass per eye recorded each eye's latch check after its pass */
    uint32_t slot;               /* the frame slot of the frame in progress */
    uint32_t frame_tag;          /* plx_frame.internal_state of the frame in progress */
    uint32_t tag_seed;           /* per context: a frame of another context does not match */
    /* The library dropped frame dropped_index (session stopping or lost): plx_frame_begin / plx_frame_end
     * for it answer PLX_SESSION_NOT_RUNNING. */
    bool dropped;
    uint64_t dropped_index;
    bool views_valid; /* the located views have valid poses: submit a projection layer */
    uint32_t color_index, depth_index;
    XrView views[2]; /* the views written to the uniforms last: what the layer submits */
    XrTime display_time;
    plx_frame_stats current;                           /* the frame in progress */
    uint64_t slot_stats_pos[PLX_MAX_FRAMES_IN_FLIGHT]; /* where each slot's frame is committed */
} plx_loop;

/* An object made from a context (a scene, the input): plx_context_destroy releases what it holds of the
 * context (its Vulkan and OpenXR objects) and forgets the context, leaving the struct to the app's own
 * _destroy, which then only frees it (parallax.h "Ownership"). */
typedef struct plx_child {
    struct plx_child *prev, *next;
    void (*release)(struct plx_child *self);
} plx_child;

struct plx_context {
    plx_report report; /* base/ */
    plx_time time;     /* base/: the one XrTime <-> CLOCK_MONOTONIC conversion, bound to the instance */
    plx_config config;
    plx_gpu gpu;               /* gpu/ */
    plx_swapchains swapchains; /* gpu/ */
    plx_xr xr;                 /* xr/ */
    plx_recover recover;       /* xr/ */
    plx_layers layers;         /* xr/: quads and the app's raw layers */
    plx_actions actions;       /* xr/: the app's and plx_input's action sets, synced by the frame loop */
    plx_pacing pacing;         /* timing/ */
    plx_timing_guard guard;    /* timing/ */
    plx_predict predict;       /* timing/ */
    plx_latch latch;           /* timing/ */
    plx_resolution resolution; /* timing/ */
    plx_stats stats;           /* telemetry/ */
    plx_trace *trace;          /* telemetry/: NULL unless PARALLAX_TRACE or desc.trace_path */
    plx_pose_error pose_error; /* telemetry/ */
    plx_hud *hud;              /* overlay/: created on first use */
    bool hud_on;
    plx_hud_values hud_values; /* the app's HUD values, kept while the HUD is off */
    plx_mirror *mirror;        /* overlay/: NULL unless asked for on a display */
    plx_loop loop;             /* frame.c */
    pthread_t loop_thread;     /* the frame-loop thread: the one that created the context */
    plx_child *children;       /* api/: scenes and input made from the context, newest first */
};

/* The context's report for a failure, NULL (the thread's) without a context. */
#define PLX_REPORT(ctx) ((ctx) ? &(ctx)->report : NULL)

/* api/context.c: PLX_SUCCESS on the context's frame-loop thread; else PLX_ERROR_WRONG_THREAD naming fn and
 * the rule, in the calling thread's last-error slot (the context's slot belongs to the frame-loop thread). */
plx_result plx_api_check_thread(const plx_context *ctx, const char *fn);
/* For a function of an object made from a context: PLX_ERROR_INVALID_ARGUMENT when obj is NULL, an error
 * naming the rule when its context was destroyed (ctx NULL: only its _destroy may be called then), else
 * plx_api_check_thread. what: "scene", "input". Errors without a live context go to the thread's slot. */
plx_result plx_api_check_child(const void *obj, const plx_context *ctx, const char *what, const char *fn);
/* Registers child with ctx (released by plx_context_destroy) and takes it off again (its own _destroy). */
void plx_context_adopt(plx_context *ctx, plx_child *child, void (*release)(plx_child *));
void plx_context_disown(plx_context *ctx, plx_child *child);

/* ---------------------------------------------------------------- frame.c: the frame loop */

/* The work of plx_frame_wait / plx_frame_begin / plx_frame_end (the public functions in api/frame.c add
 * the loss handling). */
plx_result plx_loop_wait(plx_context *ctx, plx_frame *frame);
plx_result plx_loop_begin(plx_context *ctx, plx_frame *frame);
plx_result plx_loop_end(plx_context *ctx, plx_frame *frame);
/* Every slot whose fence has signalled is done: its frame's GPU times, the latch check, the pacer, the
 * dynamic resolution and the trace learn of it. Never waits. */
void plx_loop_harvest_ready(plx_context *ctx);
/* Waits for every submitted slot and completes it: nothing of the frame loop is in flight afterwards. */
void plx_loop_wait_idle(plx_context *ctx);
/* A frame call met a loss, or recovery is pending: the frame in progress is dropped and forgotten (no call on
 * the lost session); plx_frame_begin / plx_frame_end for it answer PLX_SESSION_NOT_RUNNING. */
void plx_loop_drop_frame(plx_context *ctx);
/* The session began (READY): a frame waited ahead is forgotten. */
void plx_loop_session_began(plx_context *ctx);
/* The session is stopping (STOPPING, before xrEndSession): the frame in progress is dropped, its images given
 * back and a begun frame ended; plx_frame_begin / plx_frame_end for it answer PLX_SESSION_NOT_RUNNING. */
void plx_loop_session_stopping(plx_context *ctx);
/* plx_poll's recovery: when recovery has work now, lets go of the session (GPU idle, a half-recorded
 * command buffer closed, images forgotten, no xrWaitFrame outstanding), runs it, and starts prediction and
 * the pose error over on the new session. PLX_SUCCESS, PLX_SESSION_NOT_RUNNING while waiting to retry, or
 * an error. */
plx_result plx_loop_recover(plx_context *ctx);
/* The frame in progress, begun with PLX_SUCCESS and still recording; PLX_ERROR_CALL_ORDER naming fn else. */
plx_result plx_loop_check_recording(plx_context *ctx, const plx_frame *frame, const char *fn);
/* plx_frame_post_pass's work. */
plx_result plx_loop_post_pass(plx_context *ctx, plx_frame *frame, plx_frame_images *out_images);
/* plx_frame_get_images's work. */
plx_result plx_loop_images(plx_context *ctx, const plx_frame *frame, plx_frame_images *out_images);
/* Whether frame is the frame in progress (its index and tag, compared without following any of its
 * pointers); fails with PLX_ERROR_CALL_ORDER naming fn otherwise. */
plx_result plx_loop_check_frame(plx_context *ctx, const plx_frame *frame, const char *fn);
/* The command buffer inside libparallax's render pass of the frame in progress (plx_scene_draw draws into
 * it); PLX_ERROR_CALL_ORDER naming fn when frame is not the frame in progress or it is not in its pass. */
plx_result plx_loop_pass_cmd(plx_context *ctx, const plx_frame *frame, const char *fn, VkCommandBuffer *out);
/* plx_frame_pass_secondary's work: the app's recording thread index's secondary for the frame in progress,
 * in its pass (gpu/secondaries.c). */
plx_result plx_loop_pass_secondary(plx_context *ctx, const plx_frame *frame, uint32_t index,
                                   VkCommandBuffer *out);
/* plx_frame_end_pass_secondary's work; any thread (errors in the calling thread's last error). */
plx_result plx_loop_end_pass_secondary(plx_context *ctx, VkCommandBuffer cmd);
/* The render pass libparallax's HUD draws in: the frame's pass, or the overlay pass when the app renders or
 * post-processes the final colour itself. */
VkRenderPass plx_loop_hud_pass(const plx_context *ctx);
/* The library dropped this frame (the session stopped or was lost while it was in progress): plx_frame_begin,
 * plx_frame_end and plx_scene_draw answer PLX_SESSION_NOT_RUNNING for it (its index and tag compared). */
bool plx_loop_frame_dropped(const plx_context *ctx, const plx_frame *frame);
/* The display time of the frame in progress (0 before the first). */
XrTime plx_loop_display_time(const plx_context *ctx);
