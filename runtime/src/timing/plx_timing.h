/* SPDX-License-Identifier: MIT */
/* Layer 3, timing: just-in-time pacing (pacing.c over the clock-free pacer.c) and the guard against
 * implausible display times (guard.c), app-side pose prediction (predict.c), the late-latch proof (latch.c)
 * and dynamic resolution (resolution.c over the clock-free resolution_controller.c). May call xr/, gpu/ and
 * base/. Each part is told what happened (a frame waited, a slot completed, a session reset) by the frame
 * loop; none calls another part of its own layer. */
#pragma once
#include "xr/plx_xr.h"
#include "timing/plx_pacer.h"
#include "timing/plx_resolution.h"
#include "plx_predict.h"

/* ---------------------------------------------------------------- pacing.c */

/* Just-in-time pacing. Wait-ahead: on a fixed-pacing runtime, the frame is begun right after its
 * xrWaitFrame and a thread of its own calls the next frame's xrWaitFrame while this frame sleeps and renders,
 * so the loop no longer has to get back to xrWaitFrame within one period and the sleep can run up to the
 * latency limit. */
typedef struct plx_pacing {
    plx_report *report;
    const plx_time *time; /* every time is loop time (base/plx_time.h) */
    plx_mode mode;        /* sleeps only in PLX_MODE_JIT_LATCH */
    plx_pacer pacer;
    plx_pacer_plan plan;
    int wait_ahead_setting; /* PLX_WAIT_AHEAD_* of pacing.c (PARALLAX_WAIT_AHEAD) */
    bool wait_ahead_active; /* the last rendered frame waited ahead (with hysteresis on the cost) */
    bool ahead_pending;     /* the waiter thread has (or is getting) the next frame's xrWaitFrame */
    bool begun_early;       /* xrBeginFrame of the current frame was called by the wait-ahead */
    uint64_t frames_waited_ahead;
    struct plx_waiter *waiter; /* the thread that calls xrWaitFrame ahead; NULL until first needed */
} plx_pacing;

/* Reads PARALLAX_WAIT_AHEAD. time: the context's XrTime conversion (read only; refreshed by the frame loop).
 */
void plx_pacing_init(plx_pacing *p, plx_report *r, const plx_time *time, plx_mode mode);
/* Ends an outstanding wait and the waiter thread. Before the session goes. */
void plx_pacing_fini(plx_pacing *p);
/* xrWaitFrame for the next frame, or the result a wait-ahead already got for it: fills *fs and the time
 * that xrWaitFrame returned. */
plx_result plx_pacing_wait(plx_pacing *p, XrSession session, XrFrameState *fs, int64_t *out_returned);
/* After xrWaitFrame (called at wait_call) returned at `returned`, for a frame that should be rendered:
 * plans the frame, waits ahead when that pays (xrBeginFrame of this frame, then xrWaitFrame of the next;
 * *io_begin is then when xrBeginFrame returned) and, in PLX_MODE_JIT_LATCH, sleeps until the planned wake
 * time. *out_wake: when the frame starts (now without a sleep). Fails only when the early xrBeginFrame
 * does. */
plx_result plx_pacing_after_wait(plx_pacing *p, XrSession session, int64_t wait_call, int64_t returned,
                                 int64_t display_time, int64_t period, int64_t *out_wake, int64_t *io_begin);
/* Whether the wait-ahead already called xrBeginFrame for the frame being begun; forgets it. */
bool plx_pacing_take_begun_early(plx_pacing *p);
/* The session ended, was lost or re-created: drops a waited-ahead frame and the early begin. */
void plx_pacing_session_reset(plx_pacing *p);
/* A finished frame for the pacer: its record and when its GPU work was complete (loop time: the calibrated
 * GPU end, else when the fence was seen signalled; 0 unknown). */
void plx_pacing_frame_done(plx_pacing *p, const plx_frame_stats *st, int64_t done);
/* Latency estimate in ns (wake -> GPU done at a high percentile), 0 with too few frames. */
int64_t plx_pacing_estimate_ns(const plx_pacing *p);
/* The pacing fields of plx_latency_info. */
void plx_pacing_info(const plx_pacing *p, plx_latency_info *out);

/* ---------------------------------------------------------------- guard.c */

/* What the guard remembers: the last plausible period, answers in the past in a row, how many frames it
 * clamped as the runtime's bug. */
typedef struct plx_timing_guard {
    int64_t last_period;
    uint32_t past_in_a_row;
    int64_t clamped;
    bool logged;
} plx_timing_guard;

/* Clamps an implausible predictedDisplayTime or period for pacing (timing/guard.c says which: a time more
 * than a period past when xrWaitFrame returned at answered_at on three frames in a row or by over a second,
 * far ahead of now, in XrTime; only when the conversion is known), logging the first time; returns how many
 * frames the runtime's answer was clamped so far. A time past now from one late wake-up, or a waited-ahead
 * answer picked up late, is moved to one period ahead of now without counting. */
int64_t plx_timing_guard_apply(plx_timing_guard *g, const plx_report *r, const plx_time *time,
                               int64_t answered_at, int64_t *io_display_time, int64_t *io_period);

/* ---------------------------------------------------------------- predict.c */

typedef struct plx_predict {
    plx_report *report;
    const plx_time *time;      /* samples are taken "now" in XrTime; none without the conversion */
    plx_prediction prediction; /* the setting in effect (desc, PARALLAX_PREDICTION) */
    plx_predictor predictor;
    plx_prediction_detector detector;
    plx_runtime_prediction runtime_prediction; /* the detector's verdict so far */
    uint32_t detect_checks;                    /* checks made (auto mode stops after a verdict) */
    bool predicting;                           /* app-side prediction applied to the last located views */
    uint64_t frames_predicted;
} plx_predict;

/* Reads the prediction setting (the desc's, PARALLAX_PREDICTION); a bad desc value fails. time: the
 * context's XrTime conversion; without it (safe mode) the runtime's poses are used as they are. */
plx_result plx_predict_init(plx_predict *p, plx_report *r, const plx_time *time, plx_prediction setting);
/* A new session: poses of the old one say nothing certain about its tracking, start over. */
void plx_predict_session_new(plx_predict *p);
/* Called with freshly located valid views for display_time (at begin and at the late latch): runs the
 * runtime-prediction detector (auto) and, when app-side prediction applies, replaces the views' poses with
 * the predicted head pose times each eye's offset from the runtime's views. Locates xr's VIEW space. */
plx_result plx_predict_views(plx_predict *p, const plx_xr *xr, XrTime display_time, XrView views[2]);
/* plx_predict_head's work on a running session: the head at time, extrapolated past where the runtime's
 * answer ends (now for a raw runtime, else frame_display_time, the newest display time it gave). */
plx_result plx_predict_head_at(plx_predict *p, const plx_xr *xr, int64_t frame_display_time, int64_t time,
                               plx_head_pose *out);
/* The frame is being ended (xrEndFrame), with a projection layer or without: counts predicted frames. */
void plx_predict_note_submitted(plx_predict *p, bool layer_submitted);
/* The prediction fields of plx_latency_info. */
void plx_predict_info(const plx_predict *p, plx_latency_info *out);

/* ---------------------------------------------------------------- latch.c */

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

typedef struct plx_latch {
    plx_report *report;
    VkDevice device;
    float near_z, far_z; /* the matrices are rebuilt with the frame loop's planes */
    bool check;
    VkDescriptorSetLayout set_layout;
    VkPipelineLayout layout;
    VkPipeline pipeline;
    VkDescriptorPool pool;
    plx_latch_slot slots[PLX_MAX_FRAMES_IN_FLIGHT];
    uint64_t frames_checked, failures;
    uint32_t corrupt_pending; /* test hook: frames whose uniforms are corrupted after the latch */
} plx_latch;

/* Reads the setting (the desc's, PARALLAX_LATCH_CHECK) and creates the check's pipeline and buffers on the
 * gpu's frame slots (after the frame resources exist). */
plx_result plx_latch_init(plx_latch *l, plx_report *r, const plx_gpu *gpu, float near_z, float far_z,
                          bool setting);
/* After the GPU is idle. Safe on a half-made l. */
void plx_latch_fini(plx_latch *l);
/* Records the check's dispatch into the slot's commands, outside the render pass: eye -1 after the one
 * multiview pass (both views), or eye 0 / 1 right after that eye's pass of a pass per eye (its view 0, where
 * the eye drawn sits then: gpu/multiview.c). */
void plx_latch_record(plx_latch *l, uint32_t slot, VkCommandBuffer cmd, int eye);
/* Right before vkQueueSubmit, after the late latch wrote the slot's uniforms u: clears the result buffer,
 * applies the test corruption if armed. */
void plx_latch_before_submit(plx_latch *l, uint32_t slot, plx_frame_uniforms *u);
/* The views given to xrEndFrame (layer_submitted false: no projection layer, nothing to compare). */
void plx_latch_note_submitted(plx_latch *l, uint32_t slot, const XrCompositionLayerProjectionView pv[2],
                              bool layer_submitted);
/* The slot's fence has signalled: compares what the GPU read with what was submitted. */
void plx_latch_frame_complete(plx_latch *l, uint32_t slot);
/* The latch fields of plx_latency_info. */
void plx_latch_info(const plx_latch *l, plx_latency_info *out);
uint64_t plx_latch_failures(const plx_latch *l);
/* Test hook: the next frames draws the left eye 1 cm off the pose that will be submitted. */
void plx_latch_corrupt(plx_latch *l, uint32_t frames);

/* ---------------------------------------------------------------- resolution.c */

typedef struct plx_resolution {
    plx_report *report;
    bool dynamic;                                  /* the controller picks the scale */
    float scale;                                   /* scale of the frames begun from now on */
    plx_resolution_controller controller;          /* used when dynamic */
    float slot_scale[PLX_MAX_FRAMES_IN_FLIGHT];    /* scale each slot's last frame was rendered at */
    uint64_t slot_frame[PLX_MAX_FRAMES_IN_FLIGHT]; /* that frame's index */
    bool slot_pending[PLX_MAX_FRAMES_IN_FLIGHT];   /* its GPU time is not yet fed to the controller */
    /* what the frame loop said about the slot's frame once it completed */
    bool slot_done[PLX_MAX_FRAMES_IN_FLIGHT];
    double slot_gpu_ms[PLX_MAX_FRAMES_IN_FLIGHT]; /* < 0: unknown (no record, no timestamps) */
    int64_t slot_display_time[PLX_MAX_FRAMES_IN_FLIGHT];
    int64_t slot_period[PLX_MAX_FRAMES_IN_FLIGHT];
    uint32_t width, height; /* render extent of the frame in progress */
    bool warned_no_timestamps;
} plx_resolution;

/* Reads the desc's dynamic_resolution / min_render_scale and PARALLAX_DYNAMIC_RESOLUTION. */
plx_result plx_resolution_init(plx_resolution *r, plx_report *rep, const plx_context_desc *desc);
/* The slot's frame frame_index completed: its GPU time (< 0 unknown), display time and period. */
void plx_resolution_slot_complete(plx_resolution *r, uint32_t slot, uint64_t frame_index, double gpu_ms,
                                  int64_t display_time, int64_t period);
/* At plx_frame_begin, once the slot's previous frame completed: feeds every GPU time that has arrived to
 * the controller (oldest first), then fixes this frame's render extent and remembers its scale. timestamps:
 * the device measures GPU time (else the scale stays). */
void plx_resolution_begin_frame(plx_resolution *r, uint32_t slot, uint64_t frame_index,
                                uint32_t frames_in_flight, bool timestamps, uint32_t eye_width,
                                uint32_t eye_height);
/* The render extent of the frame in progress. */
void plx_resolution_extent(const plx_resolution *r, uint32_t *out_width, uint32_t *out_height);
/* A fixed scale (dynamic off). */
void plx_resolution_set_scale(plx_resolution *r, float scale);
/* Dynamic on (continuing from the scale in use) or off. */
void plx_resolution_set_dynamic(plx_resolution *r, bool enabled);
float plx_resolution_scale(const plx_resolution *r);
bool plx_resolution_dynamic(const plx_resolution *r);
