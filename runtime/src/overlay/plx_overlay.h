/* SPDX-License-Identifier: MIT */
/* Layer 5, overlay: what is drawn over or beside the app's frames: the in-headset HUD (hud.c) and the
 * desktop mirror window (mirror.c). May call telemetry/ (the HUD reads the statistics), gpu/ and base/.
 * The frame loop calls them at fixed points of a frame; each is off (and costs one branch) unless asked
 * for. */
#pragma once
#include "telemetry/plx_telemetry.h"

/* ---------------------------------------------------------------- hud.c */

typedef struct plx_hud plx_hud;

/* The app's values (plx_hud_set_value), kept in the context so they survive the HUD being destroyed or
 * not yet created. */
typedef struct plx_hud_app_value {
    bool set;
    char label[PLX_HUD_LABEL_MAX + 1]; /* upper case */
    double value;
} plx_hud_app_value;

typedef struct plx_hud_values {
    plx_hud_app_value v[PLX_HUD_VALUE_COUNT];
} plx_hud_values;

/* plx_hud_set_value's work: checks the label against the font; NULL clears the slot. */
plx_result plx_hud_values_set(plx_hud_values *v, plx_report *r, uint32_t index, const char *label,
                              double value);

/* The pipeline (for render_pass: the frame's pass or the gpu's overlay pass) and per-slot buffers, on the
 * gpu's frame set layout. */
plx_result plx_hud_create(plx_report *r, const plx_gpu *gpu, VkRenderPass render_pass, plx_hud **out_hud);
/* In the frame's command buffer (cmd, with the slot's frame set), inside the render pass it was made for,
 * after the app's draws: the graph of the last frames of s and the readouts. */
void plx_hud_record(plx_hud *hud, const plx_stats *s, const plx_hud_values *values, const plx_frame *frame,
                    VkCommandBuffer cmd, VkDescriptorSet frame_set);
/* Accepts NULL, sets *hud to NULL. */
void plx_hud_destroy(plx_hud **hud);
/* The HUD's text, rows of PLX_HUD_COLUMNS characters (' ' padded, no terminator): AGE, ERR, P99 and MISS
 * from the statistics, then the app's values; returns the rows written (at most PLX_HUD_ROWS). Exposed for
 * the unit tests. */
#define PLX_HUD_COLUMNS 13
#define PLX_HUD_ROWS    (4 + PLX_HUD_VALUE_COUNT)
uint32_t plx_hud_format(const plx_stats *s, const plx_hud_values *values,
                        char out[PLX_HUD_ROWS][PLX_HUD_COLUMNS]);
/* value right-aligned in width characters (out holds width + 1): with `decimals` decimals if that fits,
 * fewer otherwise, "OVER" when even no decimals do not fit. */
void plx_hud_format_value(double value, int decimals, int width, char *out);
/* The glyph index of a HUD character: 0-9 digits, 10-35 A-Z, then . - / : (see hud.frag); -1 for a character
 * the font lacks. Space is 255 (blank). */
int plx_hud_glyph(char c);

/* ---------------------------------------------------------------- mirror.c */

typedef struct plx_mirror plx_mirror;

/* Opens the SDL window (no Vulkan yet); NULL when there is no display (logged once). r is kept for log
 * lines, also from the mirror thread. */
plx_mirror *plx_mirror_open(const plx_report *r, plx_mirror_mode mode);
/* Instance extensions the window needs (VK_KHR_surface + the window system's); up to max names. */
uint32_t plx_mirror_instance_extensions(const plx_mirror *m, const char **names, uint32_t max);
/* Surface, the mirror's own device and swapchain, readback buffers on the gpu's device, the mirror thread;
 * the eye images are of color_format, eye_width x eye_height. */
plx_result plx_mirror_create_gpu(plx_mirror *m, plx_report *r, const plx_gpu *gpu, VkFormat color_format,
                                 uint32_t eye_width, uint32_t eye_height);
/* After the render pass ended, before the end timestamp: copies the rendered area of eye_image (the
 * acquired colour image) for the window. */
void plx_mirror_record_copy(plx_mirror *m, const plx_frame *frame, VkCommandBuffer cmd, VkImage eye_image);
/* Hands the newest copy whose frame the GPU has finished (the gpu's slot fence polled, never waited) to the
 * mirror thread. */
void plx_mirror_present(plx_mirror *m, const plx_gpu *gpu);
/* Drains SDL's events (close button); marks the copy of the frame just ended as submitted when the gpu's
 * slot holds it. */
void plx_mirror_events(plx_mirror *m, const plx_gpu *gpu);
void plx_mirror_set_mode(plx_mirror *m, plx_mirror_mode mode);
void plx_mirror_status_get(plx_mirror *m, plx_mirror_status *out);
/* After every frame that copied for it has completed. Accepts NULL, sets *m to NULL. */
void plx_mirror_destroy(plx_mirror **m, const plx_gpu *gpu);
