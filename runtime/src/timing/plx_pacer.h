/* SPDX-License-Identifier: MIT */
/* Layer 3, timing (pacer.c): the just-in-time pacing logic of libparallax, free of OpenXR, Vulkan and the
 * clock: every time is passed in, ns of one clock (the frame loop's: XrTime, see base/plx_time.h), so the
 * unit tests drive it with a fake clock. pacing.c feeds it from the frame loop and does the actual sleeping.
 *
 * Per frame: plx_pacer_plan() right after xrWaitFrame says when to wake; plx_pacer_frame_done() later (once
 * the frame's GPU time is known) feeds the frame's measured costs back and detects a miss. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define PLX_PACER_WINDOW 32 /* recent frames the cost estimate and the detectors look at */

/* Every field: 0 = the default beside it. */
typedef struct plx_pacer_desc {
    int64_t
        display_allowance_ns; /* 0 = 5 ms: how long before the predicted display time the frame must be
                                 done on the GPU (compositor lead + vsync-to-photons). OpenXR tells neither,
                                 so this is a typical figure; misses grow the margin when it is short */
    int64_t margin_min_ns;    /* 0 = 1 ms: the safety margin never shrinks below this */
    int64_t margin_max_ns;    /* 0 = 8 ms: ... nor grows above this */
    int64_t margin_step_ns;   /* 0 = 1 ms: a miss doubles the margin and adds this */
    double margin_decay;      /* 0 = 0.003: share of (margin - min) given back per frame without a miss,
                                 so the margin shrinks slowly (about 230 frames, 2.6 s at 90 Hz, to halve;
                                 0.01 missed 2-3x as often waiting ahead on a loaded 2-core machine) */
    uint32_t min_samples;     /* 0 = 8: frames measured before the pacer sleeps at all */
    uint32_t percentile;      /* 0 = 95: cost percentile the estimate takes */
} plx_pacer_desc;

/* What happened to one frame, reported once its GPU time is known. */
typedef struct plx_pacer_frame {
    int64_t display_time; /* predictedDisplayTime */
    int64_t period;       /* predictedDisplayPeriod */
    int64_t wake;         /* pacing sleep ended (= xrWaitFrame's return without a sleep) */
    int64_t submit;       /* vkQueueSubmit returned */
    int64_t end;          /* xrEndFrame returned */
    int64_t done;         /* the frame's GPU work was complete: its calibrated end timestamp, else when its
                             fence was seen signalled (gpu/watch.c); 0 unknown (the frame is not counted) */
    bool rendered;        /* false: skipped frame, nothing measured */
} plx_pacer_frame;

typedef struct plx_pacer_plan {
    int64_t wake;          /* sleep until this (== now: do not sleep); never after deadline - estimate */
    int64_t deadline;      /* the latest GPU-done time aimed at: display time - display allowance */
    int64_t frame_cost;    /* estimate wake -> GPU done at the percentile, 0 while unknown */
    int64_t loop_cost;     /* estimate wake -> the next xrWaitFrame call, 0 while unknown */
    int64_t margin;        /* safety margin of the latency limit in effect */
    int64_t loop_margin;   /* safety margin of the throughput limit in effect */
    bool runtime_adaptive; /* the runtime is judged to pace adaptively: no sleep */
} plx_pacer_plan;

typedef struct plx_pacer {
    plx_pacer_desc desc;                  /* defaults resolved */
    int64_t frame_cost[PLX_PACER_WINDOW]; /* wake -> GPU done */
    uint32_t frame_count, frame_next;
    int64_t loop_cost[PLX_PACER_WINDOW]; /* wake -> next xrWaitFrame call */
    uint32_t loop_count, loop_next;
    /* Time from xrWaitFrame's return to the display time, recent frames: its maximum (returns are only
     * ever late, never early) locates the runtime's own wake-up point, its typical size tells adaptive
     * from fixed pacing. */
    int64_t wait_lead[PLX_PACER_WINDOW];
    uint32_t lead_count, lead_next;
    bool adaptive_vote[PLX_PACER_WINDOW];
    uint32_t vote_count, vote_next;
    bool runtime_adaptive;
    int64_t margin;            /* latency limit: grows when a frame's GPU work ends after the deadline */
    int64_t loop_margin;       /* throughput limit: grows when a display period is skipped */
    int64_t last_display_time; /* of the previous plan, to see display times skipping a period */
    int64_t last_wake;         /* wake planned for the previous frame, 0 = none: start of its loop */
    uint64_t misses;           /* misses detected (skipped display periods + GPU done after deadline) */
    uint64_t frames_planned, frames_slept;
    int64_t period;     /* the latest display period planned with */
    bool ever_off_grid; /* a whole window of xrWaitFrame returns off the vsync grid was seen:
                           the runtime paces adaptively (wait-ahead never starts then) */
    /* Set by the caller before plx_pacer_plan_frame: 1 when the frame loop has called xrWaitFrame for the
     * next frame before this one's sleep (wait-ahead, pacing.c), 0 for a serial loop. It moves the
     * throughput limit one period later: the loop's next xrWaitFrame is then for the frame after next. */
    uint32_t waits_ahead;
    /* Set by the caller: the frame times are on a clock that cannot be related to display times (the
     * runtime offers no XrTime conversion, base/plx_time.h). Then the pacer never sleeps and judges no
     * deadline; it still measures costs and skipped display periods (each on one clock). */
    bool display_unrelated;
} plx_pacer;

/* Initialises p; desc may be NULL (all defaults). */
void plx_pacer_init(plx_pacer *p, const plx_pacer_desc *desc);

/* Right after xrWaitFrame (called at wait_call) returned at now with this display time and period. Returns
 * when to wake and why. The loop cost is measured here: previous wake -> this wait_call. A display time more
 * than 1.5 periods after the previous one counts as a miss (the runtime skipped a refresh because the loop
 * came late), which grows the throughput margin; a period without one shrinks it slowly. */
plx_pacer_plan plx_pacer_plan_frame(plx_pacer *p, int64_t wait_call, int64_t now, int64_t display_time,
                                    int64_t period);

/* Whether the runtime has looked like a fixed-pacing runtime for long enough to wait ahead: at least
 * min_frames planned and, over a full window, at least 90% of xrWaitFrame returns on one phase of the vsync
 * grid (display time - return equal modulo the period, within 1 ms of lateness), at least half the frames
 * given clearly more time than they need, and never a window mostly off the grid (which marks the runtime
 * adaptive for good). Adaptive runtimes measure the app from xrBeginFrame, which wait-ahead moves early,
 * so it must not start on one. */
bool plx_pacer_steady_fixed(plx_pacer *p, uint64_t min_frames);

/* Feeds one finished frame's costs back (wake -> done); returns true when it was late for its deadline (done
 * after display time - allowance), which grows the latency margin; a frame that is not late shrinks it
 * slowly. A frame whose completion is unknown is not counted. Any order. */
bool plx_pacer_frame_done(plx_pacer *p, const plx_pacer_frame *f);
