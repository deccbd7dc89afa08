/* SPDX-License-Identifier: MIT */
/* The compositor of the simulated headset, and the judge of every frame: one per running session, created at
 * xrBeginSession and destroyed at xrEndSession. It takes submitted frames (device/sim_frame.h), decides which
 * frame each refresh of the display clock shows, composites its layers, measures each frame against the true
 * head pose at its photon time, and hands what it found to the report, the capture and the preview window.
 * Layer: device (the lower part), its top file; calls device/ (clock, optics, user, report, capture, window),
 * base/ and the motion library, never the upper part (openxr/). */
#pragma once

#include <stdbool.h>
#include <openxr/openxr.h>

#include "base/sim_config.h"
#include "base/sim_vk.h"
#include "device/sim_clock.h"
#include "device/sim_frame.h"
#include "device/sim_report.h"
#include "device/sim_user.h"
#include "sim_motion.h"

typedef struct sim_compositor sim_compositor;

/* What a compositor works with. Everything must outlive the compositor. */
typedef struct sim_compositor_desc {
    const sim_vk *vk;         /* the session's device and the app's queue (graphics binding) */
    sim_clock *clock;         /* the display clock: refreshes, deadlines, photon times */
    const sim_motion *motion; /* the true head motion; its time 0 is the clock's epoch. NULL: no truth, no
                                 pose error */
    sim_user *user;           /* the user's head offset (truth) and the preview window's input */
    const sim_config *cfg;    /* ipd, capture, report and window settings */
    const char *app_name;     /* for the report */
} sim_compositor_desc;

/* Starts the GPU watcher and compositor threads and, when configured, the preview window (which blocks until
 * the window thread has set SDL up). Errors name the failing Vulkan call. */
XrResult sim_compositor_create(const sim_compositor_desc *desc, sim_compositor **out_c);
/* Stops the threads, waits (bounded) for submitted GPU work, settles every frame (displayed or dropped),
 * writes the capture if it is still pending and the report/CSV, then frees everything. NULL-safe; sets
 * *c = NULL. */
void sim_compositor_destroy(sim_compositor **c);
/* xrEndFrame, on the app's thread (the app's queue may be used there): takes a copy of the frame and its
 * layer list, submits a fence that signals when the app's work for it is done and, while pixels are wanted
 * (capture pending, preview window), a copy of the layer images. The compositor fills the frame's "filled by
 * the compositor" fields itself. XR_ERROR_SESSION_LOST when the device is lost. */
XrResult sim_compositor_submit(sim_compositor *c, const sim_frame *frame);
/* Median and 95th percentile of the app's recent xrBeginFrame -> GPU-done costs in ns; false (outputs
 * untouched) until enough frames are measured for the percentiles to mean something. Any thread. */
bool sim_compositor_frame_cost(sim_compositor *c, XrDuration *out_p50, XrDuration *out_p95);
/* What the report says of the app's use of the OpenXR protocol (device/sim_report.h); set before
 * sim_compositor_destroy, which writes the report. Any thread. */
void sim_compositor_set_protocol(sim_compositor *c, const sim_protocol_facts *facts);
/* The performance metrics of the frames settled so far (device/sim_report.h). Any thread. */
sim_report_metrics sim_compositor_metrics(sim_compositor *c);
/* Blocks (at most 5 s) until the compositor's GPU copies are complete, before swapchain images it may read
 * are destroyed. Any thread. */
void sim_compositor_wait_idle(sim_compositor *c);
