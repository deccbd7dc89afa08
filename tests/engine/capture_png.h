/* SPDX-License-Identifier: MIT */
/* The simulated headset's capture (PARALLAX_SIM_CAPTURE), read for the engine tests: both eyes side by side,
 * RGBA. */
#pragma once

typedef struct image {
    int w, h;
    unsigned char *rgba; /* w * h * 4 bytes, free() it */
} image;

/* Reads the PNG at path into out; fails the running cmocka test naming the file if it cannot. */
void load_png(const char *path, image *out);
