/* SPDX-License-Identifier: MIT */
/* XrSwapchainSubImage: "imageRect is an XrRect2Di representing the valid portion of the image to use, in
 * pixels. It also implicitly defines the transform from normalized image coordinates into pixel coordinates."
 * "imageArrayIndex is the image array index, with 0 meaning the first or only array element." Spec:
 * OpenXR 1.0 and 1.1, 10.5.3 "Composition Layer Types", xrspec.html#XrSwapchainSubImage (and
 * XR_KHR_vulkan_enable: the top-left corner of the image is the coordinate origin).
 *
 * Frame: a projection layer whose two views are the left and right halves of one image (imageRect offsets),
 * dark grey and light grey; a quad that shows array layer 1 of a 32 x 32 atlas, only its 16 x 16 rectangle at
 * (8, 8), which holds four coloured quadrants; everything else in the atlas (the border of layer 1, all of
 * layer 0) is magenta. With the Parallax simulated headset each eye shows its own half as background, each
 * quadrant lies where its quarter of the quad projects (within 2 pixels), and no magenta shows anywhere: the
 * sampler never reads outside the rectangle or from the other array layer. */
#include "conf_layers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "swapchain_sub_image"

typedef struct scene {
    conf_swapchain side_by_side, atlas;
    uint32_t eye_w, eye_h;
    XrCompositionLayerProjectionView views[2];
    XrCompositionLayerProjection projection;
    XrCompositionLayerQuad quad;
    const XrCompositionLayerBaseHeader *layers[2];
    uint32_t count;
} scene;

static void build(conf *c, const XrView views[2], void *user)
{
    scene *s = user;
    conf_projection_layer(c, views, &s->side_by_side, 0, s->views, &s->projection);
    for (int v = 0; v < 2; v++)
        s->views[v].subImage.imageRect =
            (XrRect2Di){{v * (int32_t)s->eye_w, 0}, {(int32_t)s->eye_w, (int32_t)s->eye_h}};
    s->quad = (XrCompositionLayerQuad){
        .type = XR_TYPE_COMPOSITION_LAYER_QUAD,
        .space = c->local,
        .eyeVisibility = XR_EYE_VISIBILITY_BOTH,
        .subImage = {.swapchain = s->atlas.handle, .imageRect = {{8, 8}, {16, 16}}, .imageArrayIndex = 1},
        .pose = {.orientation = {0, 0, 0, 1}, .position = {0.1f, -0.05f, -1.2f}},
        .size = {0.5f, 0.4f}};
    s->layers[0] = (const XrCompositionLayerBaseHeader *)&s->projection;
    s->layers[1] = (const XrCompositionLayerBaseHeader *)&s->quad;
    s->count = 2;
}

int main(void)
{
    conf c;
    conf_start(&c, NAME, "a layer shows exactly its imageRect of its imageArrayIndex");
    const char *capture = conf_capture_setup(NAME, 4, 128, 128);
    scene s = {0};
    XrView views[2];
    bool parallax = false;
    const unsigned char dark[4] = {60, 60, 60, 255}, light[4] = {170, 170, 170, 255},
                        magenta[4] = {255, 0, 255, 255};
    if (conf_instance(&c, NULL) && conf_session(&c) && conf_begin(&c)) {
        parallax = conf_runtime_is_parallax(&c);
        unsigned char *sbs = NULL, *atlas1 = NULL, *atlas0 = NULL, *quads = conf_quadrant_texels(16, 16);
        if (quads && conf_eye_size(&c, &s.eye_w, &s.eye_h)) {
            sbs = malloc((size_t)s.eye_w * 2 * s.eye_h * 4);
            atlas0 = malloc(32 * 32 * 4);
            atlas1 = malloc(32 * 32 * 4);
        }
        if (sbs && atlas0 && atlas1) {
            for (uint32_t y = 0; y < s.eye_h; y++)
                for (uint32_t x = 0; x < 2 * s.eye_w; x++)
                    memcpy(sbs + ((size_t)y * 2 * s.eye_w + x) * 4, x < s.eye_w ? dark : light, 4);
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++) {
                    bool inside = x >= 8 && x < 24 && y >= 8 && y < 24;
                    memcpy(atlas0 + (y * 32 + x) * 4, magenta, 4);
                    memcpy(atlas1 + (y * 32 + x) * 4, inside ? quads + ((y - 8) * 16 + (x - 8)) * 4 : magenta,
                           4);
                }
            const void *sbs_layers[1] = {sbs}, *atlas_layers[2] = {atlas0, atlas1};
            if (conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, 2 * s.eye_w, s.eye_h, 1, true,
                                      &s.side_by_side) &&
                conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, 32, 32, 2, true, &s.atlas) &&
                conf_swapchain_fill(&c, &s.side_by_side, sbs_layers) &&
                conf_swapchain_fill(&c, &s.atlas, atlas_layers))
                for (int i = 0; i < 8; i++)
                    conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_SUCCESS, views);
        }
        free(quads);
        free(sbs);
        free(atlas0);
        free(atlas1);
        conf_end(&c);
    }
    conf_swapchain_destroy(&s.atlas);
    conf_swapchain_destroy(&s.side_by_side);
    conf_image im = {0};
    if (parallax && c.failures == 0 && conf_capture_read(&c, capture, &im)) {
        for (int eye = 0; eye < 2; eye++) {
            const unsigned char *bg = eye ? light : dark, *p = conf_pixel(&im, eye, 1, 1);
            printf("  eye %d background (%d, %d, %d), its half of the image is %d\n", eye, p[0], p[1], p[2],
                   bg[0]);
            CONF_CHECK(&c, abs(p[0] - bg[0]) <= 2 && abs(p[2] - bg[2]) <= 2,
                       "eye %d shows (%d, %d, %d), not its half of the side-by-side image (%d)", eye, p[0],
                       p[1], p[2], bg[0]);
            int box[4];
            CONF_CHECK(&c, !conf_find_box(&im, eye, magenta, 60, box),
                       "eye %d shows magenta (outside the rectangle or array layer 0) at x %d..%d y %d..%d",
                       eye, box[0], box[2], box[1], box[3]);
            conf_check_quadrants(&c, "atlas quad", &im, eye, &views[eye], conf_quad_point, &s.quad, 2);
        }
        conf_image_free(&im);
        remove(capture);
    }
    return conf_finish(&c);
}
