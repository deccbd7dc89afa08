/* SPDX-License-Identifier: MIT */
/* Layer 4, telemetry: the per-frame statistics ring and missed-frame detection (stats.c), the Chrome trace
 * writer (trace.c) and the live pose error (pose_error.c). May call timing/, xr/, gpu/ and base/ (it uses
 * only xr/'s VIEW space and base/). The frame loop hands it each frame's record and the facts that patch it
 * later (GPU times, a miss seen at the next wait). */
#pragma once
#include <stdio.h>

#include "xr/plx_xr.h"
#include "plx_math.h"

#define PLX_STATS_RING 256 /* power of two */

/* ---------------------------------------------------------------- stats.c */

typedef struct plx_stats {
    plx_frame_stats ring[PLX_STATS_RING];
    uint64_t frames_ended; /* records committed so far; the next goes to ring[frames_ended % RING] */
    /* missed frames: from the predicted display times of consecutive frames */
    bool have_prev;
    uint64_t prev_index;
    int64_t prev_display_time;
    uint64_t frames_missed;
    /* The records' timestamps are XrTime (the conversion is known, base/plx_time.h); in safe mode they are
     * CLOCK_MONOTONIC, handed out as 0 (unknown) and the photon age is not ranked. */
    bool xr_time;
} plx_stats;

/* Whether the records' timestamps are XrTime from now on (the frame loop says so at every wait). */
void plx_stats_set_xr_time(plx_stats *s, bool xr_time);
/* Stores st as the statistics of a finished frame. */
void plx_stats_commit(plx_stats *s, const plx_frame_stats *st);
/* Records committed so far (where the next one goes). */
uint64_t plx_stats_frames_ended(const plx_stats *s);
uint64_t plx_stats_frames_missed(const plx_stats *s);
/* The record committed at position pos for frame frame_index, to patch late facts into; NULL when it was
 * never committed (xrEndFrame failed) or the ring has moved past it. */
plx_frame_stats *plx_stats_record(plx_stats *s, uint64_t pos, uint64_t frame_index);
/* The k-th newest committed record (0 = newest); k < min(frames_ended, PLX_STATS_RING). */
const plx_frame_stats *plx_stats_newest(const plx_stats *s, uint32_t k);
/* A frame was waited (cur: its record so far): missed-frame detection against the previous frame's display
 * time. Returns the previous frame's record when it was just marked missed (for the trace), else NULL. */
const plx_frame_stats *plx_stats_frame_waited(plx_stats *s, const plx_frame_stats *cur);
/* The last min(max, committed, PLX_STATS_RING) records, oldest first, as the public API gives them (in safe
 * mode with their timestamps 0); returns how many. */
uint32_t plx_stats_copy(const plx_stats *s, plx_frame_stats *out, uint32_t max);
/* The metric's values over the last window frames (0 or more than kept: all kept), in ring order. */
void plx_stats_metric_values(const plx_stats *s, plx_stat_metric metric, uint32_t window, double *out,
                             uint32_t *out_n);
/* Nearest-rank percentiles of the metric over the last window frames (-1 with no values); arguments are
 * checked by the caller. */
void plx_stats_percentiles_of(const plx_stats *s, plx_stat_metric metric, uint32_t window,
                              const double *percents, uint32_t count, double *out_values);
void plx_stats_summarize(const plx_stats *s, plx_summary *out);

/* ---------------------------------------------------------------- trace.c */

typedef struct plx_trace plx_trace;

/* Opens path and writes the header; NULL on failure (logged). r is kept for log lines. */
plx_trace *plx_trace_open(const plx_report *r, const char *path);
/* Appends the CPU slices and the predicted-display marker of a committed frame; xr_time: its timestamps are
 * XrTime like the display time (else, in safe mode, the display markers are left out: they would sit on
 * another clock). */
void plx_trace_frame(plx_trace *t, const plx_frame_stats *st, bool xr_time);
/* Appends a GPU slice (known later than the CPU slices, when the frame's fence signalled). */
void plx_trace_gpu(plx_trace *t, const plx_frame_stats *st);
/* Appends a "missed" marker at each display time that got no new frame after frame st (xr_time as for
 * plx_trace_frame). */
void plx_trace_missed(plx_trace *t, const plx_frame_stats *st, bool xr_time);
/* Writes what is buffered and the closing brackets, so the file is valid JSON from here on. */
void plx_trace_flush(plx_trace *t);
/* Flushes and closes; accepts NULL, sets *t to NULL. */
void plx_trace_close(plx_trace **t);

/* ---------------------------------------------------------------- pose_error.c */

/* Live pose error: frames ended with a projection layer whose display time has not yet passed long enough
 * to be located after the fact. */
#define PLX_POSE_ERROR_PENDING 32
typedef struct plx_pose_error_pending {
    uint64_t frame_index;
    uint64_t stats_pos;   /* position of its record in the statistics ring */
    int64_t display_time; /* its predicted display time */
    plx_pose head;        /* the head pose it submitted */
} plx_pose_error_pending;

/* Locates the head (VIEW) in the reference space at time t; false when the runtime cannot say. */
typedef bool (*plx_pose_locate_fn)(void *user, int64_t t, XrPosef *out_pose, bool *out_position_valid);

typedef struct plx_pose_error {
    plx_report *report;
    const plx_time *time; /* a display time is due once it lies in the past: now in XrTime */
    plx_pose_error_pending pending[PLX_POSE_ERROR_PENDING]; /* a FIFO: display times only grow */
    uint32_t first, count;
    plx_pose_locate_fn locate; /* NULL = xrLocateSpace of xr's VIEW space (the benchmark stubs it) */
    void *locate_user;
    bool warned; /* a failed locate was logged */
    uint64_t checked, failed, dropped;
    uint64_t frames; /* frames that went through plx_pose_error_frame_ending */
    int64_t cost_ns; /* time spent there, locates included (logged at context destruction) */
} plx_pose_error;

void plx_pose_error_init(plx_pose_error *pe, plx_report *r, const plx_time *time);
/* plx_frame_end, after xrEndFrame and before st is committed to s: sets st's photon_age_ms (-1 in safe mode;
 * pose errors to -1, unknown yet), locates the queued frames whose display time has passed (their records
 * in s are patched) and queues this frame when it submitted a projection layer with the eye poses eyes. */
void plx_pose_error_frame_ending(plx_pose_error *pe, plx_stats *s, const plx_xr *xr, plx_frame_stats *st,
                                 const XrPosef eyes[2], bool layer_submitted);
/* Drops the queued frames (their errors stay unknown): the session is gone. */
void plx_pose_error_reset(plx_pose_error *pe);
/* Logs (info) frames located, failures and the cost per frame. */
void plx_pose_error_report(const plx_pose_error *pe);
