/* SPDX-License-Identifier: MIT */
/* XrCompositionLayerQuad::size is "the width and height of the quad in meters" and the specification puts no
 * lower bound on it: a quad of size {0, 0} (or of zero width or height) is a valid layer that covers nothing.
 * xrEndFrame must accept it (XR_SUCCESS) and the compositor draws nothing for it. Spec: OpenXR 1.0 and 1.1,
 * 10.5 "Compositing", "Quad Layer Composition", xrspec.html#XrCompositionLayerQuad. With the Parallax
 * simulated headset the capture also shows that nothing was drawn (only the projection layer below). */
#include "conf_layers.h"

#include <stdio.h>

#define NAME "quad_zero_size"

typedef struct scene {
    conf_swapchain bg, red;
    XrCompositionLayerProjectionView views[2];
    XrCompositionLayerProjection projection;
    XrCompositionLayerQuad quad;
    const XrCompositionLayerBaseHeader *layers[2];
    uint32_t count;
    XrExtent2Df size;
} scene;

static void build(conf *c, const XrView views[2], void *user)
{
    scene *s = user;
    conf_projection_layer(c, views, &s->bg, 0, s->views, &s->projection);
    s->quad =
        (XrCompositionLayerQuad){.type = XR_TYPE_COMPOSITION_LAYER_QUAD,
                                 .space = c->local,
                                 .eyeVisibility = XR_EYE_VISIBILITY_BOTH,
                                 .subImage = {.swapchain = s->red.handle, .imageRect = {{0, 0}, {16, 16}}},
                                 .pose = {.orientation = {0, 0, 0, 1}, .position = {0.0f, 0.0f, -1.0f}},
                                 .size = s->size};
    s->layers[0] = (const XrCompositionLayerBaseHeader *)&s->projection;
    s->layers[1] = (const XrCompositionLayerBaseHeader *)&s->quad;
    s->count = 2;
}

int main(void)
{
    conf c;
    conf_start(&c, NAME, "XrCompositionLayerQuad of size {0, 0} is valid and draws nothing");
    const char *capture = conf_capture_setup(NAME, 4, 64, 64);
    scene s = {0};
    bool parallax = false;
    if (conf_instance(&c, NULL) && conf_session(&c) && conf_begin(&c)) {
        parallax = conf_runtime_is_parallax(&c);
        const unsigned char grey[4] = {128, 128, 128, 255}, red[4] = {255, 0, 0, 255};
        if (conf_background(&c, grey, &s.bg) &&
            conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, 16, 16, 1, true, &s.red) &&
            conf_swapchain_fill_solid(&c, &s.red, red)) {
            const XrExtent2Df sizes[3] = {{0.0f, 0.0f}, {0.5f, 0.0f}, {0.0f, 0.5f}};
            for (int i = 0; i < 12; i++) {
                s.size = sizes[i % 3];
                conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_SUCCESS, NULL);
            }
        }
        conf_end(&c);
    }
    conf_swapchain_destroy(&s.red);
    conf_swapchain_destroy(&s.bg);
    conf_image im = {0};
    if (parallax && c.failures == 0 && conf_capture_read(&c, capture, &im)) {
        const unsigned char red3[3] = {255, 0, 0}, grey3[3] = {128, 128, 128};
        int box[4];
        for (int eye = 0; eye < 2; eye++) {
            CONF_CHECK(&c, !conf_find_box(&im, eye, red3, 40, box),
                       "eye %d shows the zero-size quad's red at x %d..%d y %d..%d", eye, box[0], box[2],
                       box[1], box[3]);
            CONF_CHECK(&c, conf_find_box(&im, eye, grey3, 2, box) && box[0] == 0 && box[2] == im.eye_w - 1,
                       "eye %d does not show the grey projection layer across its width", eye);
        }
        conf_image_free(&im);
        remove(capture);
    }
    return conf_finish(&c);
}
