/* SPDX-License-Identifier: MIT */
/* The preview window (PARALLAX_SIM_WINDOW): its own thread owns every SDL call. The compositor creates it at
 * xrBeginSession and posts each displayed frame; the person in front of it drives the user (device/user.c).
 * Layer: device (the lower part); calls device/user.c, device/clock.c and base/. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "device/sim_user.h"

typedef struct sim_window sim_window;

typedef struct sim_window_desc {
    sim_user *user;  /* driven by the mouse and keys; outlives the window. NULL: the window only shows */
    uint32_t width;  /* the frames' size, both eyes side by side: the window's size, scaled down to */
    uint32_t height; /* fit 1600x900 */
    int mode;        /* PARALLAX_SIM_WINDOW: 1 on, 0 off, -1 auto (when a display is available) */
} sim_window_desc;

/* NULL when no window is wanted (mode, no display) or it cannot start (a warning then). Returns once the
 * window thread has set SDL up (or given up), so the caller's thread may use SDL again. */
sim_window *sim_window_create(const sim_window_desc *desc);
/* false once the window has given up (no display): the compositor then stops copying pixels. Any thread. */
bool sim_window_active(sim_window *w);
/* Hands the window the newest displayed frame (RGB, both eyes side by side; copied). Any thread. */
void sim_window_post(sim_window *w, const uint8_t *rgb, uint32_t width, uint32_t height);
/* Stops and joins the window thread. NULL-safe; sets *w = NULL. Caller holds no lock the window thread may
 * take (the user's lock is a leaf, so any compositor or session lock is fine). */
void sim_window_destroy(sim_window **w);
