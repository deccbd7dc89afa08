/* SPDX-License-Identifier: MIT */
/* The capture of the simulated headset: one displayed frame to a PNG (device/sim_capture.h).
 * Layer: device (the lower part); calls only base/. */
#include "device/sim_capture.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_log.h"

struct sim_capture {
    char path[1024];
    int64_t frame_index;
    bool pending; /* no frame kept yet */
    uint8_t *rgb;
    uint32_t width, height;
    int64_t frame_id;
};

sim_capture *sim_capture_create(const char *path, int64_t frame_index)
{
    if (!path || !path[0]) return NULL;
    sim_capture *cap = calloc(1, sizeof(*cap));
    if (!cap || strlen(path) >= sizeof(cap->path)) {
        sim_log(SIM_LOG_ERROR, "PARALLAX_SIM_CAPTURE: %s", cap ? "path too long" : "out of memory");
        free(cap);
        return NULL;
    }
    memcpy(cap->path, path, strlen(path) + 1);
    cap->frame_index = frame_index;
    cap->pending = true;
    cap->frame_id = -1;
    return cap;
}

bool sim_capture_pending(const sim_capture *cap)
{
    return cap && cap->pending;
}

bool sim_capture_wants(const sim_capture *cap, int64_t displayed_index)
{
    return cap && cap->pending && displayed_index >= cap->frame_index;
}

void sim_capture_take(sim_capture *cap, const uint8_t *rgb, uint32_t width, uint32_t height, int64_t frame_id)
{
    if (!cap) return;
    size_t size = (size_t)width * height * 3;
    if (!cap->rgb || cap->width != width || cap->height != height) {
        uint8_t *grown = realloc(cap->rgb, size);
        if (!grown) {
            sim_log(SIM_LOG_ERROR, "PARALLAX_SIM_CAPTURE: out of memory for a %ux%u image", width, height);
            return;
        }
        cap->rgb = grown;
        cap->width = width;
        cap->height = height;
    }
    memcpy(cap->rgb, rgb, size);
    cap->frame_id = frame_id;
    cap->pending = false;
}

void sim_capture_write(sim_capture *cap)
{
    if (!cap) return;
    const char *path = cap->path;
    if (!cap->rgb) {
        sim_log(SIM_LOG_WARN, "PARALLAX_SIM_CAPTURE: no frame with pixels was displayed, %s not written",
                path);
        return;
    }
    char tmp[1100];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    png_image img;
    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    img.width = cap->width;
    img.height = cap->height;
    img.format = PNG_FORMAT_RGB;
    if (!png_image_write_to_file(&img, tmp, 0, cap->rgb, (png_int_32)(cap->width * 3), NULL)) {
        sim_log(SIM_LOG_ERROR, "PARALLAX_SIM_CAPTURE: writing %s failed: %s", tmp, img.message);
        remove(tmp);
        return;
    }
    if (rename(tmp, path) != 0) {
        sim_log(SIM_LOG_ERROR, "PARALLAX_SIM_CAPTURE: rename %s -> %s failed: %s", tmp, path,
                strerror(errno));
        remove(tmp);
        return;
    }
    sim_log(SIM_LOG_INFO, "captured frame %lld (%ux%u) to %s", (long long)cap->frame_id, cap->width,
            cap->height, path);
}

void sim_capture_destroy(sim_capture **pcap)
{
    sim_capture *cap = pcap ? *pcap : NULL;
    if (!cap) return;
    *pcap = NULL;
    free(cap->rgb);
    free(cap);
}
