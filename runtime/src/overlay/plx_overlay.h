/* SPDX-License-Identifier: MIT */
/* Layer 5, overlay: the in-headset HUD (hud.c), the desktop mirror window (mirror.c) and the hooks that
 * configure and drive them with the trace (overlay.c). May call telemetry/, timing/, xr/, gpu/ and base/. */
#pragma once
#include "telemetry/plx_telemetry.h"

typedef struct plx_hud plx_hud;
typedef struct plx_mirror plx_mirror;

/* The app's values (plx_hud_set_value), kept in the context so they survive the HUD being destroyed or not
 * yet created. */
typedef struct plx_hud_app_value {
    bool set;
    char label[PLX_HUD_LABEL_MAX + 1]; /* upper case */
    double value;
} plx_hud_app_value;

typedef struct plx_timeline {
    /* GPU clock -> CLOCK_MONOTONIC: monotonic_ns = ticks * timestamp_period_ns + gpu_offset_ns. */
    bool calibrated_ext; /* VK_EXT_calibrated_timestamps enabled and it offers CLOCK_MONOTONIC */
    PFN_vkGetCalibratedTimestampsEXT get_calibrated;
    double gpu_offset_ns;
    bool gpu_offset_valid;
    uint32_t harvests_since_calibration;

    /* missed frames: from the predicted display times of consecutive frames */
    bool have_prev;
    uint64_t prev_index;
    int64_t prev_display_time;
    uint64_t frames_missed;

    plx_trace *trace;
    plx_hud *hud;
    bool hud_on;
    plx_mirror *mirror;
    plx_mirror_mode mirror_want; /* from the desc / PARALLAX_MIRROR before the window exists */

    plx_pose_error pose_error;
    plx_hud_app_value hud_values[PLX_HUD_VALUE_COUNT];
} plx_timeline;

/* ---------------------------------------------------------------- hooks (context.c, vulkan.c, frame.c) */

/* After the desc is applied: opens the trace, reads PARALLAX_HUD and PARALLAX_MIRROR, and (mirror asked,
 * display present) opens the mirror window so its instance extensions are known. Fails only on a trace file
 * that cannot be created. */
plx_result plx_timeline_init(plx_context *ctx, const plx_context_desc *desc);
/* Instance extensions the mirror needs (VK_KHR_surface + the window system's); appends up to max names to
 * names and returns how many. */
uint32_t plx_timeline_instance_extensions(plx_context *ctx, const char **names, uint32_t max);
/* Device extensions to enable (calibrated timestamps when offered; VK_KHR_swapchain for the mirror);
 * appends up to max names and returns how many. */
uint32_t plx_timeline_device_extensions(plx_context *ctx, VkPhysicalDevice pd, const char **names,
                                        uint32_t max);
/* After the device exists (and its queue): loads the extension functions, makes the first calibration. */
void plx_timeline_device_ready(plx_context *ctx);
/* After the frame resources exist: the HUD pipeline, the mirror surface and swapchain. A failure here turns
 * the HUD or mirror off with a log line; the frame loop does not depend on them. */
void plx_timeline_create_gpu(plx_context *ctx);
/* After plx_vk_wait_idle in plx_context_destroy: frees the HUD and mirror, flushes and closes the trace. */
void plx_timeline_destroy(plx_context *ctx);

/* plx_frame_wait, before xrWaitFrame: hands finished copies to the mirror thread. */
void plx_timeline_before_wait(plx_context *ctx);
/* plx_frame_wait, right after ctx->current has been started: missed-frame detection. */
void plx_timeline_frame_waited(plx_context *ctx);
/* In the frame's command buffer, inside the render pass after the app's draws: the HUD. */
void plx_timeline_record_in_pass(plx_context *ctx, const plx_frame *frame, plx_frame_slot *slot);
/* After the render pass ended, before the end timestamp: the copy of the eye image for the mirror. */
void plx_timeline_record_after_pass(plx_context *ctx, const plx_frame *frame, plx_frame_slot *slot);
/* plx_frame_end, after the frame's statistics were committed: trace events, the mirror window's events. */
void plx_timeline_frame_ended(plx_context *ctx);

/* ---------------------------------------------------------------- hud.c */

plx_result plx_hud_create(plx_context *ctx, plx_hud **out_hud);
void plx_hud_record(plx_context *ctx, plx_hud *hud, const plx_frame *frame, plx_frame_slot *slot);
void plx_hud_destroy(plx_context *ctx, plx_hud **hud);
/* The HUD's text, rows of PLX_HUD_COLUMNS characters (' ' padded, no terminator): AGE, ERR, P99 and MISS
 * from the statistics, then the app's values; returns the rows written (at most PLX_HUD_ROWS). Exposed for
 * the unit tests. */
#define PLX_HUD_COLUMNS 13
#define PLX_HUD_ROWS    (4 + PLX_HUD_VALUE_COUNT)
uint32_t plx_hud_format(plx_context *ctx, char out[PLX_HUD_ROWS][PLX_HUD_COLUMNS]);
/* value right-aligned in width characters (out holds width + 1): with `decimals` decimals if that fits,
 * fewer otherwise, "OVER" when even no decimals do not fit. */
void plx_hud_format_value(double value, int decimals, int width, char *out);
/* The glyph index of a HUD character: 0-9 digits, 10-35 A-Z, then . - / : (see hud.frag); -1 for a character
 * the font lacks. Space is 255 (blank). */
int plx_hud_glyph(char c);

/* ---------------------------------------------------------------- mirror.c */

/* Opens the SDL window (no Vulkan yet); NULL when there is no display (logged once). */
plx_mirror *plx_mirror_open(plx_context *ctx, plx_mirror_mode mode);
uint32_t plx_mirror_instance_extensions(plx_mirror *m, const char **names, uint32_t max);
/* Surface, the mirror's own device and swapchain, readback buffers, the mirror thread. */
plx_result plx_mirror_create_gpu(plx_context *ctx, plx_mirror *m);
void plx_mirror_record_copy(plx_context *ctx, plx_mirror *m, const plx_frame *frame, plx_frame_slot *slot);
/* Hands the newest copy whose frame the GPU has finished (fence polled, never waited) to the mirror thread.
 */
void plx_mirror_present(plx_context *ctx, plx_mirror *m);
/* Drains SDL's events (close button); marks the copy of the frame just ended as submitted. */
void plx_mirror_events(plx_context *ctx, plx_mirror *m);
plx_result plx_mirror_set_mode(plx_context *ctx, plx_mirror *m, plx_mirror_mode mode);
void plx_mirror_status_get(plx_mirror *m, plx_mirror_status *out);
void plx_mirror_destroy(plx_context *ctx, plx_mirror **m);
