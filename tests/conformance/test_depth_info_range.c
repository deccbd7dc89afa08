/* SPDX-License-Identifier: MIT */
/* XR_KHR_composition_layer_depth: XrCompositionLayerDepthInfoKHR accepts the whole range the specification
 * gives: "minDepth and maxDepth ... must be in the range [0, 1]", "minDepth must be less than maxDepth",
 * "nearZ and farZ must not be equal", "nearZ and farZ must be in the range (0, +infinity]", and "A reversed
 * mapping of depth ... can be achieved by making nearZ > farZ". So an infinite far plane (farZ = +infinity),
 * reversed Z with an infinite far plane (nearZ = +infinity > farZ) and reversed finite Z are valid; each
 * value outside those ranges is XR_ERROR_VALIDATION_FAILURE. Spec: OpenXR 1.0 and 1.1, 12.x
 * XR_KHR_composition_layer_depth, xrspec.html#XrCompositionLayerDepthInfoKHR. */
#include "conf_layers.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NAME "depth_info_range"

typedef struct depth_case {
    const char *what;
    float min_depth, max_depth, near_z, far_z;
    XrResult want;
    const char *message; /* what the Parallax simulated headset's error names (the exact condition) */
} depth_case;

typedef struct scene {
    conf_swapchain color, depth;
    XrCompositionLayerDepthInfoKHR depth_info[2];
    XrCompositionLayerProjectionView views[2];
    XrCompositionLayerProjection projection;
    const XrCompositionLayerBaseHeader *layers[1];
    uint32_t count;
    const depth_case *dc;
    bool colour_as_depth; /* the depth info names the colour swapchain */
} scene;

static void build(conf *c, const XrView views[2], void *user)
{
    scene *s = user;
    conf_projection_layer(c, views, &s->color, 0, s->views, &s->projection);
    for (int v = 0; v < 2; v++) {
        const conf_swapchain *d = s->colour_as_depth ? &s->color : &s->depth;
        s->depth_info[v] = (XrCompositionLayerDepthInfoKHR){
            .type = XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR,
            .subImage = {.swapchain = d->handle,
                         .imageRect = {{0, 0}, {(int32_t)d->width, (int32_t)d->height}},
                         .imageArrayIndex = (uint32_t)v},
            .minDepth = s->dc->min_depth,
            .maxDepth = s->dc->max_depth,
            .nearZ = s->dc->near_z,
            .farZ = s->dc->far_z};
        s->views[v].next = &s->depth_info[v];
    }
    s->layers[0] = (const XrCompositionLayerBaseHeader *)&s->projection;
    s->count = 1;
}

int main(void)
{
    conf c;
    conf_start(&c, NAME, "depth info: minDepth < maxDepth in [0, 1], nearZ != farZ in (0, +inf], reversed Z");
    const char *exts[] = {XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME};
    const float inf = INFINITY;
    const depth_case cases[] = {
        {"near 0.05, far 100", 0.0f, 1.0f, 0.05f, 100.0f, XR_SUCCESS, NULL},
        {"infinite far plane: near 0.1, far +inf", 0.0f, 1.0f, 0.1f, inf, XR_SUCCESS, NULL},
        {"reversed Z with an infinite far plane: near +inf, far 0.1", 0.0f, 1.0f, inf, 0.1f, XR_SUCCESS,
         NULL},
        {"reversed finite Z: near 100, far 0.05", 0.0f, 1.0f, 100.0f, 0.05f, XR_SUCCESS, NULL},
        {"a depth sub-range: minDepth 0.25, maxDepth 0.75", 0.25f, 0.75f, 0.1f, 50.0f, XR_SUCCESS, NULL},
        {"minDepth -0.1", -0.1f, 1.0f, 0.1f, 100.0f, XR_ERROR_VALIDATION_FAILURE,
         "minDepth -0.1 is not in [0, 1]"},
        {"maxDepth 1.5", 0.0f, 1.5f, 0.1f, 100.0f, XR_ERROR_VALIDATION_FAILURE,
         "maxDepth 1.5 is not in [0, 1]"},
        {"minDepth 0.6 > maxDepth 0.4", 0.6f, 0.4f, 0.1f, 100.0f, XR_ERROR_VALIDATION_FAILURE,
         "minDepth 0.6 is not less than maxDepth 0.4"},
        {"minDepth == maxDepth", 0.5f, 0.5f, 0.1f, 100.0f, XR_ERROR_VALIDATION_FAILURE,
         "minDepth 0.5 is not less than maxDepth 0.5"},
        {"nearZ 0", 0.0f, 1.0f, 0.0f, 100.0f, XR_ERROR_VALIDATION_FAILURE,
         "nearZ 0 is not in (0, +infinity]"},
        {"nearZ -1", 0.0f, 1.0f, -1.0f, 100.0f, XR_ERROR_VALIDATION_FAILURE,
         "nearZ -1 is not in (0, +infinity]"},
        {"farZ NaN", 0.0f, 1.0f, 0.1f, NAN, XR_ERROR_VALIDATION_FAILURE, "farZ nan is not in (0, +infinity]"},
        {"nearZ == farZ == +inf", 0.0f, 1.0f, inf, inf, XR_ERROR_VALIDATION_FAILURE,
         "nearZ and farZ are both inf (they must differ)"},
        {"nearZ == farZ == 1", 0.0f, 1.0f, 1.0f, 1.0f, XR_ERROR_VALIDATION_FAILURE,
         "nearZ and farZ are both 1 (they must differ)"},
    };
    scene s = {0};
    if (conf_instance(&c, &(conf_desc){.extensions = exts, .extension_count = 1}) && conf_session(&c) &&
        conf_begin(&c)) {
        const unsigned char grey[4] = {128, 128, 128, 255};
        if (conf_background(&c, grey, &s.color) &&
            CONF_CHECK(&c,
                       conf_format_offered(&c, VK_FORMAT_D32_SFLOAT) ||
                           conf_format_offered(&c, VK_FORMAT_D16_UNORM),
                       "the runtime offers neither D32_SFLOAT nor D16_UNORM") &&
            conf_swapchain_create(&c,
                                  conf_format_offered(&c, VK_FORMAT_D32_SFLOAT) ? VK_FORMAT_D32_SFLOAT
                                                                                : VK_FORMAT_D16_UNORM,
                                  s.color.width, s.color.height, 2, true, &s.depth) &&
            conf_swapchain_cycle(&c, &s.depth)) {
            /* With the Parallax simulated headset, each error also names the one condition that failed. */
            bool parallax = conf_runtime_is_parallax(&c);
            const depth_case colour = {"depth info naming a colour swapchain",
                                       0.0f,
                                       1.0f,
                                       0.1f,
                                       100.0f,
                                       XR_ERROR_VALIDATION_FAILURE,
                                       "not a depth format"};
            for (size_t i = 0; i <= sizeof(cases) / sizeof(cases[0]); i++) {
                s.dc = i < sizeof(cases) / sizeof(cases[0]) ? &cases[i] : &colour;
                s.colour_as_depth = s.dc == &colour; /* the depth sub-image must be a depth swapchain */
                printf("  %s: expect %s\n", s.dc->what, conf_result_name(s.dc->want));
                char err[2048];
                bool redirected = parallax && s.dc->message && conf_stderr_begin(&c);
                conf_frame_with_layers(&c, build, &s, s.layers, &s.count, s.dc->want, NULL);
                if (!redirected) continue;
                conf_stderr_end(&c, err, sizeof(err));
                CONF_CHECK(&c, strstr(err, s.dc->message) != NULL,
                           "%s: the runtime's error does not name the condition \"%s\"", s.dc->what,
                           s.dc->message);
            }
        }
        conf_end(&c);
    }
    conf_swapchain_destroy(&s.depth);
    conf_swapchain_destroy(&s.color);
    return conf_finish(&c);
}
