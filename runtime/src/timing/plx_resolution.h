/* SPDX-License-Identifier: MIT */
/* Layer 3, timing (resolution_controller.c): the dynamic resolution controller of libparallax, free of
 * OpenXR, Vulkan and the clock: each GPU time is passed in with the time of its frame (ns of one monotonic
 * clock, the frame's predicted display time), so the unit tests drive it with synthetic GPU times on a fake
 * clock. resolution.c feeds it from the frame loop and applies the scale to the rendered viewport. Every rate
 * is per second, so it behaves the same at any refresh rate. */
#pragma once
#include <stdint.h>

/* Recent GPU times kept: the controller looks at 0.3 s of them, all of them up to 210 Hz. */
#define PLX_RESOLUTION_WINDOW 64

typedef struct plx_resolution_controller {
    float scale;      /* the scale the next frame renders at, min_scale..1 */
    float min_scale;  /* lowest scale the controller chooses */
    double target;    /* GPU time aimed at, as a fraction of the display period */
    uint64_t samples; /* GPU times fed so far; 0 forgets the recent ones (the scale is kept) */
    /* The last GPU times, the scales they were rendered at and their frames' times. */
    double gpu_ms[PLX_RESOLUTION_WINDOW];
    float rendered[PLX_RESOLUTION_WINDOW];
    int64_t time_ns[PLX_RESOLUTION_WINDOW];
} plx_resolution_controller;

/* Starts at scale 1 with no GPU times. */
void plx_resolution_controller_init(plx_resolution_controller *c, float min_scale);
/* Feeds the GPU time of one frame rendered at rendered_scale, with the time of that frame (its predicted
 * display time: non-decreasing from one call to the next) and the display period it had to fit; returns
 * the scale for the next frame. Invalid inputs (negative or non-finite) leave the scale unchanged. */
float plx_resolution_controller_update(plx_resolution_controller *c, int64_t time_ns, double gpu_ms,
                                       float rendered_scale, double period_ms);
