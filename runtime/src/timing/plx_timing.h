/* SPDX-License-Identifier: MIT */
/* Layer 3, timing: just-in-time pacing (pacing.c over the clock-free pacer.c), app-side pose prediction
 * (predict.c), the late-latch proof (latch.c) and dynamic resolution (resolution.c over the clock-free
 * resolution_controller.c). May call xr/, gpu/ and base/. */
#pragma once
#include "xr/plx_xr.h"
#include "timing/plx_pacer.h"
#include "timing/plx_resolution.h"
#include "plx_predict.h"

typedef struct plx_latch_slot {
    VkBuffer buffer; /* what the GPU read from the frame's uniforms (latch_check.comp writes it) */
    VkDeviceMemory memory;
    float *mapped;       /* 2 view + 2 proj matrices, column-major */
    VkDescriptorSet set; /* binding 0: the slot's uniforms, binding 1: buffer */
    bool recorded;       /* the check's dispatch is in the slot's submitted commands */
    bool expected_valid; /* the frame was ended with a projection layer: expected holds its poses */
    XrPosef expected_pose[2];
    XrFovf expected_fov[2];
} plx_latch_slot;

typedef struct plx_latency {
    /* pacing.c */
    plx_pacer pacer;
    int64_t wait_call; /* when plx_frame_wait called xrWaitFrame */
    plx_pacer_plan plan;
    /* Wait-ahead (pacing.c): on a fixed-pacing runtime, the frame is begun right after its xrWaitFrame and
     * a thread of its own calls the next frame's xrWaitFrame while this frame sleeps and renders, so the
     * loop no longer has to get back to xrWaitFrame within one period and the sleep can run up to the
     * latency limit. */
    int wait_ahead_setting; /* PLX_WAIT_AHEAD_* of pacing.c (PARALLAX_WAIT_AHEAD) */
    bool wait_ahead_active; /* the last rendered frame waited ahead (with hysteresis on the cost) */
    bool ahead_pending;     /* the waiter thread has (or is getting) the next frame's xrWaitFrame */
    bool begun_early;       /* xrBeginFrame of the current frame was called by the wait-ahead */
    uint64_t frames_waited_ahead;
    struct plx_waiter *waiter; /* the thread that calls xrWaitFrame ahead; NULL until first needed */

    /* predict.c */
    plx_prediction prediction; /* the setting in effect (desc, PARALLAX_PREDICTION) */
    XrSpace view_space;        /* VIEW reference space: the head, for xrLocateSpace with velocity */
    plx_predictor predictor;
    plx_prediction_detector detector;
    plx_runtime_prediction runtime_prediction; /* the detector's verdict so far */
    uint32_t detect_checks;                    /* checks made (auto mode stops after a verdict) */
    bool predicting;                           /* app-side prediction applied to the last located views */
    uint64_t frames_predicted;

    /* latch.c */
    bool latch_check;
    VkDescriptorSetLayout latch_set_layout;
    VkPipelineLayout latch_layout;
    VkPipeline latch_pipeline;
    VkDescriptorPool latch_pool;
    plx_latch_slot latch[PLX_MAX_FRAMES_IN_FLIGHT];
    uint64_t latch_frames_checked, latch_failures;
    uint32_t latch_corrupt_pending; /* test hook: frames whose uniforms are corrupted after the latch */
} plx_latency;

/* ---------------------------------------------------------------- pacing.c */

/* Sets up pacing, prediction and the latch check (after the session, reference space and frame resources
 * exist). */
plx_result plx_latency_init(plx_context *ctx, const plx_context_desc *desc);
/* After the GPU is idle, before the session and device go. Safe on a half-created context. */
void plx_latency_fini(plx_context *ctx);

/* xrWaitFrame for the next frame, or the result a wait-ahead already got for it: fills *fs and the time
 * that xrWaitFrame returned. */
plx_result plx_pacing_wait(plx_context *ctx, XrFrameState *fs, int64_t *out_returned);
/* After xrWaitFrame returned at `returned` (ctx->lat.wait_call set before calling it), for a frame that
 * should be rendered: plans the frame, waits ahead when that pays (xrBeginFrame of this frame, then
 * xrWaitFrame of the next; ctx->lat.begun_early says so) and, in PLX_MODE_JIT_LATCH, sleeps until the
 * planned wake time. *out_wake: when the frame starts (now without a sleep). Fails only when the early
 * xrBeginFrame does. */
plx_result plx_pacing_after_wait(plx_context *ctx, int64_t returned, int64_t display_time, int64_t period,
                                 int64_t *out_wake);
/* The session ended, was lost or re-created: drops a waited-ahead frame and the early begin. */
void plx_pacing_session_reset(plx_context *ctx);
/* Feeds a finished frame (GPU time known) to the pacer. */
void plx_pacing_frame_done(plx_context *ctx, const plx_frame_stats *st);
/* Latency estimate in ns (wake -> GPU done at a high percentile), 0 with too few frames. */
int64_t plx_pacing_estimate_ns(const plx_context *ctx);

/* ---------------------------------------------------------------- predict.c */

/* Reads the prediction setting (desc, PARALLAX_PREDICTION) and creates the VIEW space. After the session
 * and reference space exist. */
plx_result plx_predict_init(plx_context *ctx, const plx_context_desc *desc);
void plx_predict_fini(plx_context *ctx);
/* (Re-)creates the VIEW space prediction locates with, on ctx->session; plx_predict_fini drops it. Called at
 * context creation and again when recovery has re-created a lost session. */
plx_result plx_predict_session_created(plx_context *ctx);
/* Called with freshly located valid views for display_time (at begin and at the late latch): runs the
 * runtime-prediction detector (auto) and, when app-side prediction applies, replaces the views' poses with
 * the predicted head pose times each eye's offset from the runtime's views. */
plx_result plx_predict_views(plx_context *ctx, XrTime display_time, XrView views[2]);

/* ---------------------------------------------------------------- latch.c */

/* Reads the setting (desc, PARALLAX_LATCH_CHECK) and creates the check's pipeline and buffers. After the
 * frame resources exist. */
plx_result plx_latch_init(plx_context *ctx, const plx_context_desc *desc);
/* After the GPU is idle. */
void plx_latch_fini(plx_context *ctx);
/* Records the check's dispatch into the slot's commands, outside the render pass. */
void plx_latch_record(plx_context *ctx, uint32_t slot, VkCommandBuffer cmd);
/* Right before vkQueueSubmit, after the late latch wrote the uniforms: clears the result buffer, applies
 * the test corruption if armed. */
void plx_latch_before_submit(plx_context *ctx, uint32_t slot);
/* The views given to xrEndFrame (layer_submitted false: no projection layer, nothing to compare). */
void plx_latch_note_submitted(plx_context *ctx, uint32_t slot, const XrCompositionLayerProjectionView pv[2],
                              bool layer_submitted);
/* The slot's fence has signalled: compares what the GPU read with what was submitted. */
void plx_latch_frame_complete(plx_context *ctx, uint32_t slot);

/* ---------------------------------------------------------------- dynamic resolution (resolution.c) */

typedef struct plx_resolution {
    bool dynamic;                                  /* the controller picks the scale */
    float scale;                                   /* scale of the frames begun from now on */
    plx_resolution_controller controller;          /* used when dynamic */
    float slot_scale[PLX_MAX_FRAMES_IN_FLIGHT];    /* scale each slot's last frame was rendered at */
    uint64_t slot_frame[PLX_MAX_FRAMES_IN_FLIGHT]; /* that frame's index */
    bool slot_pending[PLX_MAX_FRAMES_IN_FLIGHT];   /* its GPU time is not yet fed to the controller */
    uint32_t width, height;                        /* render extent of the frame in progress */
    bool warned_no_timestamps;
} plx_resolution;

/* Reads the desc's dynamic_resolution / min_render_scale and PARALLAX_DYNAMIC_RESOLUTION. */
plx_result plx_resolution_init(plx_context *ctx, const plx_context_desc *desc);
/* At plx_frame_begin, once the slot's fence has signalled: feeds every GPU time that has arrived to the
 * controller, then fixes this frame's render extent (ctx->resolution.width/height) and remembers its
 * scale. */
void plx_resolution_begin_frame(plx_context *ctx, const plx_frame *frame);
