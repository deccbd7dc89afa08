/* SPDX-License-Identifier: MIT */
/* The per-frame CSV (PARALLAX_SIM_FRAMES) and the summary JSON (PARALLAX_SIM_REPORT): one row per settled
 * frame, bounded statistics for the summary. The compositor owns one per running session.
 * Layer: device (the lower part); calls only base/. Not thread-safe: the caller serializes (the
 * compositor's lock). */
#pragma once

#include <stdbool.h>
#include <openxr/openxr.h>

#include "base/sim_config.h"
#include "device/sim_frame.h"

typedef struct sim_report sim_report;

/* How the app used the OpenXR protocol during the session, as the upper part (openxr/) saw it; written to
 * the summary's "protocol" object. */
typedef struct sim_protocol_facts {
    uint64_t call_order_violations;  /* calls out of the spec's order, process-wide so far */
    uint32_t max_images_acquired;    /* most images of one swapchain the app held acquired at once */
    uint32_t images_acquired_at_end; /* images still acquired when the session stopped running */
    const char *session_end;         /* how it stopped running: "xrEndSession" (clean) or "xrDestroySession"
                                        (destroyed while running); a static string */
} sim_protocol_facts;

/* Opens cfg->frames_path (when set) and writes the CSV header. cfg outlives the report; period is the
 * display's (for the summary when the configured rate is 0). NULL when out of memory. */
sim_report *sim_report_create(const sim_config *cfg, XrDuration period);
/* One settled frame: counts it, streams its CSV row (headline pose figures, then each layer's), adds each
 * projection layer's figures to that layer's statistics and warns, once per layer index and reason, about a
 * projection layer whose poses cannot be eye poses. NULL-safe. */
void sim_report_add(sim_report *r, const sim_frame *f);
/* CPU time of one composition of a displayed frame for the capture or the preview window
 * (composite_ms in the summary). NULL-safe. */
void sim_report_note_composite(sim_report *r, double ms);
/* The compositor's own measurements of the newest SIM_METRICS_FRAMES frames it settled (one second at 90 Hz):
 * what XR_META_performance_metrics' counters report (openxr/metrics.c). Means over the frames that have the
 * figure; NAN when none has. */
#define SIM_METRICS_FRAMES 90
typedef struct sim_report_metrics {
    uint32_t frames; /* frames in the window (up to SIM_METRICS_FRAMES) */
    double cpu_ms;   /* app CPU frame time: xrWaitFrame's return -> xrEndFrame */
    double gpu_ms;   /* app GPU frame time as the compositor sees it: xrEndFrame -> the app's GPU work done */
    double latency_ms; /* motion to photon: the displayed frame's pose sample -> its photons (pose_age_ms) */
    uint32_t missed;   /* frames not on the display at their refresh (shown late or never) */
} sim_report_metrics;
sim_report_metrics sim_report_get_metrics(const sim_report *r);
/* One display refresh; new_frame false when the previous frame stayed on the display. NULL-safe. */
void sim_report_note_refresh(sim_report *r, bool new_frame);
/* The protocol facts the summary reports (copied; before sim_report_write_summary). NULL-safe. */
void sim_report_set_protocol(sim_report *r, const sim_protocol_facts *facts);
/* What the app's haptic output did to one hand's device during the session (the summary's "haptics"). */
typedef struct sim_haptic_facts {
    uint32_t pulses, stops;   /* xrApplyHapticFeedback / xrStopHapticFeedback calls that reached it */
    float peak_amplitude;     /* the strongest pulse asked for, 0..1 */
    float last_amplitude;     /* the newest request's (0 after a stop) */
    float last_frequency_hz;  /* the newest pulse's, XR_FREQUENCY_UNSPECIFIED taken as 160 Hz */
    XrDuration last_duration; /* the newest pulse's, XR_MIN_HAPTIC_DURATION taken as 10 ms */
} sim_haptic_facts;
/* Both hands' haptic facts, [0] left, [1] right (copied; before sim_report_write_summary). NULL-safe. */
void sim_report_set_haptics(sim_report *r, const sim_haptic_facts facts[2]);
/* Flushes the CSV and writes cfg->report_path (tmp + rename) if set. NULL-safe. */
void sim_report_write_summary(sim_report *r, const char *app_name, XrTime session_start, XrTime session_end);
/* NULL-safe; sets *r = NULL. */
void sim_report_destroy(sim_report **r);
