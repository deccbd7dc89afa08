/* SPDX-License-Identifier: MIT */
/* The simulated headset's capture (PARALLAX_SIM_CAPTURE: both eyes side by side) read into memory, for the
 * tests that check what was composited. cmocka's fail_msg on a file that cannot be read. */
#pragma once

typedef struct image {
    int w, h;
    unsigned char *rgba; /* w x h RGBA8 rows, top row first; free() it */
} image;

/* Reads a PNG as RGBA8; fails the running cmocka test when it cannot. */
void load_png(const char *path, image *out);
