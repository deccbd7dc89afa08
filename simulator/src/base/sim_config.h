/* SPDX-License-Identifier: MIT */
/* The settings of the simulated headset (PARALLAX_SIM_*): a plain struct that every part reads. It is filled
 * once per instance by sim_config_load (openxr/config.c, at xrCreateInstance) and read-only afterwards.
 * Layer: base (the bottom of simulator/src); a header of data only. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef enum sim_pacing { SIM_PACING_FIXED = 0, SIM_PACING_ADAPTIVE = 1 } sim_pacing;
typedef enum sim_prediction { SIM_PREDICTION_PREDICT = 0, SIM_PREDICTION_RAW = 1 } sim_prediction;
/* Whether a destroyed handle's value may come back (PARALLAX_SIM_HANDLE_VALUES, handles.c). */
typedef enum sim_handle_values {
    SIM_HANDLE_VALUES_UNIQUE = 0,
    SIM_HANDLE_VALUES_REUSE = 1
} sim_handle_values;
/* PARALLAX_SIM_USER_PRESENCE: a presence sensor whose events leave the session state alone (sensor), one that
 * also takes the session out of FOCUSED while the headset is off (focus), or no sensor at all (none). */
typedef enum sim_user_presence {
    SIM_USER_PRESENCE_SENSOR = 0,
    SIM_USER_PRESENCE_FOCUS = 1,
    SIM_USER_PRESENCE_NONE = 2,
} sim_user_presence;

typedef struct sim_config {
    uint32_t eye_width, eye_height; /* PARALLAX_SIM_EYE_SIZE=WxH, default 1024x1024 (recommended size) */
    double refresh_hz;              /* PARALLAX_SIM_REFRESH_HZ, default 90 */
    double display_offset_ms;       /* PARALLAX_SIM_DISPLAY_OFFSET_MS: vsync -> photons, default 2.0 */
    double compositor_lead_ms;      /* PARALLAX_SIM_COMPOSITOR_LEAD_MS: composition starts this long before
                                       vsync; a frame must be GPU-complete by then. default 2.0 */
    float ipd_m;                    /* PARALLAX_SIM_IPD_MM, default 63 */
    char motion[512];  /* PARALLAX_SIM_MOTION: still|look|turns|walk|stress|csv:<path>, default look */
    uint64_t seed;     /* PARALLAX_SIM_SEED, default 1 */
    sim_pacing pacing; /* PARALLAX_SIM_PACING fixed|adaptive, default fixed */
    sim_prediction prediction; /* PARALLAX_SIM_PREDICTION predict|raw, default predict */
    char report_path[1024];    /* PARALLAX_SIM_REPORT: summary JSON at session end ("" = off) */
    char frames_path[1024];    /* PARALLAX_SIM_FRAMES: per-frame CSV ("" = off) */
    char capture_path[1024];   /* PARALLAX_SIM_CAPTURE: PNG of one composited frame ("" = off) */
    int64_t capture_frame;     /* PARALLAX_SIM_CAPTURE_FRAME: displayed-frame index, default 60 */
    int window;                /* PARALLAX_SIM_WINDOW: 0 off, 1 on, -1 auto (default: off) */
    char faults[1024];         /* PARALLAX_SIM_FAULTS: raw text, parsed by faults code */
    int log_level;             /* PARALLAX_SIM_LOG: error|warn|info|debug, default warn */
    /* PARALLAX_SIM_INPUT: scripted controller/head input (device/user.c); long enough to press and release
     * every input of every interaction profile in one session (tests/openxr11 profiles_scripted.c: about
     * 15000) */
    char input[32768];
    sim_user_presence user_presence; /* PARALLAX_SIM_USER_PRESENCE sensor|focus|none, default sensor */
    double connect_delay_ms; /* PARALLAX_SIM_CONNECT_DELAY_MS: the headset is plugged in this long after
                                xrCreateInstance; until then xrGetSystem is FORM_FACTOR_UNAVAILABLE. 0 */
    /* PARALLAX_SIM_TIME_OFFSET: XrTime = CLOCK_MONOTONIC + time_offset_ns (signed seconds), or with
     * time_offset_start XrTime counts from 1 s at xrCreateInstance; default 0 (XrTime is CLOCK_MONOTONIC) */
    int64_t time_offset_ns;
    bool time_offset_start;
    char hide_extensions[1024]; /* PARALLAX_SIM_HIDE_EXTENSIONS: names not offered, separated by ',' */
    double wait_jitter_ms; /* PARALLAX_SIM_WAIT_JITTER_MS: xrWaitFrame returns up to this late, default 0 */
    /* PARALLAX_SIM_BLEND_MODES: the environment blend modes offered, most preferred first, as
     * XrEnvironmentBlendMode values (1 OPAQUE, 2 ADDITIVE, 3 ALPHA_BLEND); default OPAQUE only */
    uint32_t blend_modes[3];
    uint32_t blend_mode_count;
    /* PARALLAX_SIM_HANDLE_VALUES unique|reuse, default unique: a destroyed session's, space's, swapchain's,
     * action set's, action's or hand tracker's value is never handed out again; reuse: the next handle of
     * the same kind gets it at once (as a runtime whose handles are its objects' addresses may do) */
    sim_handle_values handle_values;
    /* PARALLAX_SIM_SWAPCHAIN_FORMATS: the swapchain formats offered (VkFormat values), in this order, as
     * another runtime's list would be (e.g. no 8-bit sRGB first, or none, or no depth); 0 entries: the
     * default list (openxr/swapchain.c). Formats the device cannot render to are still left out. */
    int64_t swapchain_formats[16];
    uint32_t swapchain_format_count;
} sim_config;
