/* SPDX-License-Identifier: MIT */
/* The capture (PARALLAX_SIM_CAPTURE + PARALLAX_SIM_CAPTURE_FRAME): a PNG of one displayed frame, as the
 * display showed it. The compositor owns one per running session and offers it each displayed frame.
 * Layer: device (the lower part); calls only base/. Not thread-safe: the caller serializes (the
 * compositor's lock). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct sim_capture sim_capture;

/* A capture of displayed frame frame_index (counted from 0) into path; NULL (no capture) when path is NULL or
 * empty, or out of memory (an error then). */
sim_capture *sim_capture_create(const char *path, int64_t frame_index);
/* true while the capture still waits for a frame: the compositor copies pixels only then. NULL-safe. */
bool sim_capture_pending(const sim_capture *cap);
/* true when displayed frame `displayed_index` is the one to keep (or a later one, if earlier ones had no
 * pixels). NULL-safe. */
bool sim_capture_wants(const sim_capture *cap, int64_t displayed_index);
/* Keeps a copy of an RGB image (width x height, 3 bytes a pixel) of frame frame_id; no longer pending. A
 * later call replaces it. */
void sim_capture_take(sim_capture *cap, const uint8_t *rgb, uint32_t width, uint32_t height,
                      int64_t frame_id);
/* Writes the kept image to the path (tmp + rename), or warns that no frame with pixels was displayed.
 * NULL-safe. */
void sim_capture_write(sim_capture *cap);
/* NULL-safe; sets *cap = NULL. */
void sim_capture_destroy(sim_capture **cap);
