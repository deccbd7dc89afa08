/* SPDX-License-Identifier: MIT */
/* Swapchain formats and colour encoding: "Rendering operations involving composition of submitted layers are
 * assumed to be internally performed by the runtime in linear color space. Images intended to be interpreted
 * as being non-linear-encoded ("sRGB") must be created using an API-specific "sRGB" format (e.g.
 * VK_FORMAT_R8G8B8A8_SRGB) to signal the need for sRGB-to-linear conversion ... when sampled by the runtime.
 * All other formats will be treated as linear values." Spec: OpenXR 1.0 and 1.1, 10.1 "Swapchain Image
 * Management", xrspec.html#rendering-swapchain-image-management.
 *
 * Frame: a projection layer from an R8G8B8A8_UNORM swapchain holding linear 0.5, then quads holding the same
 * colour in every other colour format the runtime offers: 0.5 encoded in the sRGB formats (188), linear 0.5
 * in the UNORM, 10-bit and float formats. With the Parallax simulated headset (whose display is sRGB-encoded)
 * every one of them shows as 188 within 2, in both eyes. */
#include "conf_layers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "swapchain_formats_linear_srgb"

typedef struct format_case {
    VkFormat format;
    const char *name;
    unsigned char texel[8]; /* linear 0.5 grey, opaque, in that format */
} format_case;

/* 0.5 as a half float is 0x3800, 1.0 is 0x3C00 (little-endian bytes). */
static const format_case k_formats[] = {
    {VK_FORMAT_R8G8B8A8_SRGB, "R8G8B8A8_SRGB", {188, 188, 188, 255}},
    {VK_FORMAT_B8G8R8A8_SRGB, "B8G8R8A8_SRGB", {188, 188, 188, 255}},
    {VK_FORMAT_B8G8R8A8_UNORM, "B8G8R8A8_UNORM", {128, 128, 128, 255}},
    {VK_FORMAT_R16G16B16A16_SFLOAT, "R16G16B16A16_SFLOAT", {0x00, 0x38, 0x00, 0x38, 0x00, 0x38, 0x00, 0x3C}},
    {VK_FORMAT_R16G16B16A16_UNORM, "R16G16B16A16_UNORM", {0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0xFF, 0xFF}},
    /* 512 of 1023 in R, G and B, alpha 3 of 3 */
    {VK_FORMAT_A2B10G10R10_UNORM_PACK32, "A2B10G10R10_UNORM_PACK32", {0x00, 0x02, 0x08, 0xE0}},
};
#define NFORMATS ((int)(sizeof(k_formats) / sizeof(k_formats[0])))

typedef struct scene {
    conf_swapchain bg, tex[NFORMATS];
    bool offered[NFORMATS];
    XrCompositionLayerProjectionView views[2];
    XrCompositionLayerProjection projection;
    XrCompositionLayerQuad quads[NFORMATS];
    const XrCompositionLayerBaseHeader *layers[1 + NFORMATS];
    uint32_t count;
} scene;

static XrVector3f quad_at(int i)
{
    return (XrVector3f){-0.5f + 0.2f * (float)i, 0.1f, -1.5f};
}

static void build(conf *c, const XrView views[2], void *user)
{
    scene *s = user;
    conf_projection_layer(c, views, &s->bg, 0, s->views, &s->projection);
    s->layers[0] = (const XrCompositionLayerBaseHeader *)&s->projection;
    s->count = 1;
    for (int i = 0; i < NFORMATS; i++) {
        if (!s->offered[i]) continue;
        s->quads[i] = (XrCompositionLayerQuad){
            .type = XR_TYPE_COMPOSITION_LAYER_QUAD,
            .space = c->local,
            .eyeVisibility = XR_EYE_VISIBILITY_BOTH,
            .subImage = {.swapchain = s->tex[i].handle, .imageRect = {{0, 0}, {8, 8}}},
            .pose = {.orientation = {0, 0, 0, 1}, .position = quad_at(i)},
            .size = {0.15f, 0.15f}};
        s->layers[s->count++] = (const XrCompositionLayerBaseHeader *)&s->quads[i];
    }
}

int main(void)
{
    conf c;
    conf_start(&c, NAME, "sRGB formats are decoded, every other format is linear");
    const char *capture = conf_capture_setup(NAME, 4, 128, 128);
    scene s = {0};
    XrView views[2];
    bool parallax = false;
    const unsigned char mid_unorm[4] = {0, 0, 0, 255}; /* the background: black, so the quads stand out */
    if (conf_instance(&c, NULL) && conf_session(&c) && conf_begin(&c)) {
        parallax = conf_runtime_is_parallax(&c);
        uint32_t w = 0, h = 0;
        bool ok = CONF_CHECK(&c, conf_format_offered(&c, VK_FORMAT_R8G8B8A8_UNORM),
                             "R8G8B8A8_UNORM is not offered") &&
                  conf_eye_size(&c, &w, &h) &&
                  conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_UNORM, w, h, 2, true, &s.bg);
        /* The projection layer: linear 0.5 in its upper half, black below (the quads sit there). */
        unsigned char *bg = ok ? malloc((size_t)w * h * 4) : NULL;
        if (bg) {
            for (uint32_t y = 0; y < h; y++)
                for (uint32_t x = 0; x < w; x++) {
                    unsigned char *p = bg + ((size_t)y * w + x) * 4;
                    memcpy(p, mid_unorm, 4);
                    if (y < h / 4) p[0] = p[1] = p[2] = 128;
                }
            const void *layers[2] = {bg, bg};
            ok = conf_swapchain_fill(&c, &s.bg, layers);
        }
        free(bg);
        for (int i = 0; i < NFORMATS && ok; i++) {
            s.offered[i] = conf_format_offered(&c, k_formats[i].format);
            printf("  %s: %s\n", k_formats[i].name, s.offered[i] ? "offered" : "not offered (skipped)");
            if (s.offered[i])
                ok = conf_swapchain_create(&c, k_formats[i].format, 8, 8, 1, true, &s.tex[i]) &&
                     conf_swapchain_fill_solid(&c, &s.tex[i], k_formats[i].texel);
        }
        for (int i = 0; i < 8 && ok; i++)
            conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_SUCCESS, views);
        conf_end(&c);
    }
    for (int i = 0; i < NFORMATS; i++) conf_swapchain_destroy(&s.tex[i]);
    conf_swapchain_destroy(&s.bg);
    conf_image im = {0};
    if (parallax && c.failures == 0 && conf_capture_read(&c, capture, &im)) {
        const int want = 188; /* linear 0.5, sRGB-encoded */
        /* The Parallax simulated headset offers every format above. */
        for (int i = 0; i < NFORMATS; i++)
            CONF_CHECK(&c, s.offered[i], "%s is not offered", k_formats[i].name);
        for (int eye = 0; eye < 2; eye++) {
            const unsigned char *p = conf_pixel(&im, eye, im.eye_w / 2, 2);
            printf("  projection layer, R8G8B8A8_UNORM 128 (linear 0.5), eye %d: %d %d %d, expected %d\n",
                   eye, p[0], p[1], p[2], want);
            CONF_CHECK(&c, abs(p[0] - want) <= 2 && abs(p[1] - want) <= 2 && abs(p[2] - want) <= 2,
                       "projection layer (R8G8B8A8_UNORM, linear 0.5), eye %d: %d %d %d, expected %d", eye,
                       p[0], p[1], p[2], want);
            for (int i = 0; i < NFORMATS; i++) {
                if (!s.offered[i]) continue;
                double x, y;
                conf_project(&views[eye], im.eye_w, im.h, quad_at(i), &x, &y);
                const unsigned char *m = conf_pixel(&im, eye, (int)x, (int)y);
                printf("  quad %s, eye %d: %d %d %d, expected %d\n", k_formats[i].name, eye, m[0], m[1], m[2],
                       want);
                CONF_CHECK(&c, abs(m[0] - want) <= 2 && abs(m[1] - want) <= 2 && abs(m[2] - want) <= 2,
                           "quad %s, eye %d: %d %d %d, expected %d", k_formats[i].name, eye, m[0], m[1], m[2],
                           want);
            }
        }
        conf_image_free(&im);
        remove(capture);
    }
    return conf_finish(&c);
}
