/* SPDX-License-Identifier: MIT */
#include "plx_test_capture.h"

#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

void load_png(const char *path, image *out)
{
    png_image img = {.version = PNG_IMAGE_VERSION};
    if (!png_image_begin_read_from_file(&img, path)) fail_msg("%s: cannot read: %s", path, img.message);
    img.format = PNG_FORMAT_RGBA;
    out->w = (int)img.width;
    out->h = (int)img.height;
    out->rgba = malloc(PNG_IMAGE_SIZE(img));
    assert_non_null(out->rgba);
    assert_true(png_image_finish_read(&img, NULL, out->rgba, 0, NULL));
}
