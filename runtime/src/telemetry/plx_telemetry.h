/* SPDX-License-Identifier: MIT */
/* Layer 4, telemetry: the per-frame statistics ring and missed-frame detection (stats.c), the Chrome trace
 * writer (trace.c) and the live pose error (pose_error.c). May call timing/, xr/, gpu/ and base/. */
#pragma once
#include <stdio.h>

#include "timing/plx_timing.h"
#include "plx_math.h"

#define PLX_STATS_RING 256 /* power of two */

typedef struct plx_trace plx_trace;

/* Live pose error (pose_error.c): frames ended with a projection layer whose display time has not yet
 * passed long enough to be located after the fact. */
#define PLX_POSE_ERROR_PENDING 32
typedef struct plx_pose_error_pending {
    uint64_t frame_index;
    uint64_t stats_pos;   /* position of its record in the statistics ring */
    int64_t display_time; /* its predicted display time */
    plx_pose head;        /* the head pose it submitted */
} plx_pose_error_pending;

/* Locates the head (VIEW) in the reference space at time t; false when the runtime cannot say. */
typedef bool (*plx_pose_locate_fn)(plx_context *ctx, int64_t t, XrPosef *out_pose, bool *out_position_valid);

typedef struct plx_pose_error {
    plx_pose_error_pending pending[PLX_POSE_ERROR_PENDING]; /* a FIFO: display times only grow */
    uint32_t first, count;
    plx_pose_locate_fn locate; /* NULL = xrLocateSpace of ctx->lat.view_space (the benchmark stubs it) */
    bool warned;               /* a failed locate was logged */
    uint64_t checked, failed, dropped;
    uint64_t frames; /* frames that went through plx_pose_error_frame_ending */
    int64_t cost_ns; /* time spent there, locates included (logged at context destruction) */
} plx_pose_error;

/* ---------------------------------------------------------------- stats.c */

/* Converts a GPU timestamp (ticks) to CLOCK_MONOTONIC ns, or 0 when no calibration exists yet. */
int64_t plx_timeline_gpu_to_ns(const plx_context *ctx, uint64_t ticks);
/* Measures the GPU clock offset with vkGetCalibratedTimestampsEXT. */
void plx_timeline_calibrate(plx_context *ctx);
/* Nearest-rank percentiles of the ring's metric over the last window frames (exposed for the HUD). */
void plx_stats_metric_values(const plx_context *ctx, plx_stat_metric metric, uint32_t window, double *out,
                             uint32_t *out_n);

/* ---------------------------------------------------------------- trace.c */

/* Opens path and writes the header; NULL on failure (logged). */
plx_trace *plx_trace_open(plx_context *ctx, const char *path);
/* Appends the CPU slices and the predicted-display marker of a committed frame. */
void plx_trace_frame(plx_trace *t, const plx_frame_stats *st);
/* Appends a GPU slice (known later than the CPU slices, when the frame's fence signalled). */
void plx_trace_gpu(plx_trace *t, const plx_frame_stats *st);
/* Appends a "missed" marker at each display time that got no new frame after frame st. */
void plx_trace_missed(plx_trace *t, const plx_frame_stats *st);
/* Writes what is buffered and the closing brackets, so the file is valid JSON from here on. */
void plx_trace_flush(plx_trace *t);
/* Flushes and closes; accepts NULL, sets *t to NULL. */
void plx_trace_close(plx_trace **t);

/* ---------------------------------------------------------------- pose_error.c */

/* plx_frame_end, after xrEndFrame and before the frame's statistics are committed: sets ctx->current's
 * photon_age_ms (pose errors to -1, unknown yet), locates the queued frames whose display time has passed
 * (their records are patched in the ring) and queues this frame when it submitted a projection layer. */
void plx_pose_error_frame_ending(plx_context *ctx, bool layer_submitted);
/* Drops the queued frames (their errors stay unknown): the session is gone. */
void plx_pose_error_reset(plx_context *ctx);
/* Logs (info) frames located, failures and the cost per frame. */
void plx_pose_error_report(plx_context *ctx);

/* Stores ctx->current as the statistics of a finished frame. */
void plx_stats_commit(plx_context *ctx);
/* Reads the GPU timestamps of a slot whose fence has signalled into its frame's record. */
void plx_stats_harvest_slot(plx_context *ctx, plx_frame_slot *slot);
/* Harvests every slot whose fence has signalled, without waiting. */
void plx_stats_harvest_ready(plx_context *ctx);
