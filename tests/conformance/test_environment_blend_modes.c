/* SPDX-License-Identifier: MIT */
/* Environment blend modes: xrEndFrame accepts the modes xrEnumerateEnvironmentBlendModes lists and answers
 * XR_ERROR_ENVIRONMENT_BLEND_MODE_UNSUPPORTED for any other; "After the compositor has blended and flattened
 * all layers ... The composited image will then blend with the environment": OPAQUE "ignoring the composited
 * alpha channel", ADDITIVE "additively blended with the real world ... This will cause black composited
 * pixels to appear transparent", ALPHA_BLEND "the composited alpha channel determining each pixel's level of
 * blending with the real world". Spec: OpenXR 1.0 and 1.1, "Environment Blend Mode" (1.0
 * xrspec.html#environment_blend_mode, 1.1 xrspec.html#rendering-environment-blend-mode),
 * #XrEnvironmentBlendMode, #xrEndFrame.
 *
 * Run 1, the runtime as configured by default (the Parallax simulated headset offers OPAQUE only, as a VR
 * headset): a mode it does not list is refused. Run 2, with
 * PARALLAX_SIM_BLEND_MODES=alpha_blend,additive,opaque (a passthrough headset): every listed mode is
 * accepted, and the capture of an ALPHA_BLEND frame shows the simulated world (linear 0.18 grey) through a
 * transparent first layer and under a half-transparent quad: 0.5 + 0.18 x 0.5 red, 0.18 x 0.5 green. */
#include "conf_layers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define NAME "environment_blend_modes"

typedef struct scene {
    conf_swapchain clear, quad_tex;
    XrCompositionLayerProjectionView views[2];
    XrCompositionLayerProjection projection;
    XrCompositionLayerQuad quad;
    const XrCompositionLayerBaseHeader *layers[2];
    uint32_t count;
} scene;

static void build(conf *c, const XrView views[2], void *user)
{
    scene *s = user;
    conf_projection_layer(c, views, &s->clear, XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT, s->views,
                          &s->projection);
    s->quad =
        (XrCompositionLayerQuad){.type = XR_TYPE_COMPOSITION_LAYER_QUAD,
                                 .layerFlags = XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT,
                                 .space = c->local,
                                 .eyeVisibility = XR_EYE_VISIBILITY_BOTH,
                                 .subImage = {.swapchain = s->quad_tex.handle, .imageRect = {{0, 0}, {8, 8}}},
                                 .pose = {.orientation = {0, 0, 0, 1}, .position = {0.0f, 0.0f, -1.0f}},
                                 .size = {0.4f, 0.4f}};
    s->layers[0] = (const XrCompositionLayerBaseHeader *)&s->projection;
    s->layers[1] = (const XrCompositionLayerBaseHeader *)&s->quad;
    s->count = 2;
}

/* The modes the runtime lists; false (failure recorded) when the call fails. */
static bool listed_modes(conf *c, XrEnvironmentBlendMode out[8], uint32_t *out_n)
{
    *out_n = 0;
    return CONF_XR(c, xrEnumerateEnvironmentBlendModes(
                          c->instance, c->system, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 8, out_n, out));
}

static bool has(const XrEnvironmentBlendMode *m, uint32_t n, XrEnvironmentBlendMode want)
{
    for (uint32_t i = 0; i < n; i++)
        if (m[i] == want) return true;
    return false;
}

/* One frame with the layers and environment blend mode `mode`, expecting `want`. */
static void frame_in_mode(conf *c, scene *s, XrEnvironmentBlendMode mode, XrResult want)
{
    XrFrameState fs = {.type = XR_TYPE_FRAME_STATE};
    XrView views[2];
    if (!CONF_XR(c, xrWaitFrame(c->session, NULL, &fs)) || !CONF_XR(c, xrBeginFrame(c->session, NULL)))
        return;
    c->last_frame = fs; /* the capture's views are located at it (the head is still: conf_capture_setup) */
    if (!conf_locate_views(c, fs.predictedDisplayTime, views)) return;
    build(c, views, s);
    XrFrameEndInfo ei = {.type = XR_TYPE_FRAME_END_INFO,
                         .displayTime = fs.predictedDisplayTime,
                         .environmentBlendMode = mode,
                         .layerCount = s->count,
                         .layers = s->layers};
    CONF_XR_EXPECT(c, xrEndFrame(c->session, &ei), want);
    if (XR_FAILED(want)) { /* the frame is still open: end it as the runtime prefers */
        ei.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
        ei.layerCount = 0;
        CONF_XR(c, xrEndFrame(c->session, &ei));
    }
    conf_drain(c);
}

static bool make_scene(conf *c, scene *s)
{
    const unsigned char clear[4] = {0, 0, 0, 0}, half_red[4] = {128, 0, 0, 128}; /* premultiplied, linear */
    uint32_t w = 0, h = 0;
    return conf_eye_size(c, &w, &h) &&
           conf_swapchain_create(c, VK_FORMAT_R8G8B8A8_UNORM, w, h, 2, true, &s->clear) &&
           conf_swapchain_fill_solid(c, &s->clear, clear) &&
           conf_swapchain_create(c, VK_FORMAT_R8G8B8A8_UNORM, 8, 8, 1, true, &s->quad_tex) &&
           conf_swapchain_fill_solid(c, &s->quad_tex, half_red);
}

static int srgb8(double l)
{
    l = l < 0 ? 0 : l > 1 ? 1 : l;
    return (int)floor((l <= 0.0031308 ? l * 12.92 : 1.055 * pow(l, 1.0 / 2.4) - 0.055) * 255.0 + 0.5);
}

int main(void)
{
    /* Run 1: the default configuration. */
    conf c1;
    conf_start(&c1, NAME "_default", "a mode xrEnumerateEnvironmentBlendModes does not list is refused");
    unsetenv("PARALLAX_SIM_BLEND_MODES");
    scene s1 = {0};
    if (conf_instance(&c1, NULL) && conf_session(&c1) && conf_begin(&c1) && make_scene(&c1, &s1)) {
        XrEnvironmentBlendMode m[8];
        uint32_t n = 0;
        if (listed_modes(&c1, m, &n)) {
            CONF_CHECK(&c1, n >= 1, "no environment blend mode listed");
            for (uint32_t i = 0; i < n; i++) frame_in_mode(&c1, &s1, m[i], XR_SUCCESS);
            const XrEnvironmentBlendMode all[3] = {XR_ENVIRONMENT_BLEND_MODE_OPAQUE,
                                                   XR_ENVIRONMENT_BLEND_MODE_ADDITIVE,
                                                   XR_ENVIRONMENT_BLEND_MODE_ALPHA_BLEND};
            for (int k = 0; k < 3; k++)
                if (!has(m, n, all[k])) {
                    printf("  mode %d is not listed: expect XR_ERROR_ENVIRONMENT_BLEND_MODE_UNSUPPORTED\n",
                           (int)all[k]);
                    frame_in_mode(&c1, &s1, all[k], XR_ERROR_ENVIRONMENT_BLEND_MODE_UNSUPPORTED);
                }
        }
        conf_end(&c1);
    }
    conf_swapchain_destroy(&s1.quad_tex);
    conf_swapchain_destroy(&s1.clear);
    int rc1 = conf_finish(&c1);

    /* Run 2: a passthrough headset offering all three, ALPHA_BLEND first. */
    conf c2;
    conf_start(&c2, NAME "_passthrough",
               "every listed mode is accepted; ALPHA_BLEND shows the world by alpha");
    const char *capture = conf_capture_setup(NAME, 3, 64, 64);
    setenv("PARALLAX_SIM_BLEND_MODES", "alpha_blend,additive,opaque", 1);
    scene s2 = {0};
    bool parallax = false;
    XrView views[2];
    if (conf_instance(&c2, NULL) && conf_session(&c2) && conf_begin(&c2) && make_scene(&c2, &s2)) {
        parallax = conf_runtime_is_parallax(&c2);
        XrEnvironmentBlendMode m[8];
        uint32_t n = 0;
        if (listed_modes(&c2, m, &n)) {
            if (parallax)
                CONF_CHECK(
                    &c2,
                    n == 3 && m[0] == XR_ENVIRONMENT_BLEND_MODE_ALPHA_BLEND &&
                        m[1] == XR_ENVIRONMENT_BLEND_MODE_ADDITIVE &&
                        m[2] == XR_ENVIRONMENT_BLEND_MODE_OPAQUE,
                    "PARALLAX_SIM_BLEND_MODES=alpha_blend,additive,opaque: %u modes listed, the first %d", n,
                    n ? (int)m[0] : -1);
            /* Frames 0-5 in the first mode listed (the capture takes displayed frame 3), then each mode. */
            for (int i = 0; i < 6 && n; i++) frame_in_mode(&c2, &s2, m[0], XR_SUCCESS);
            for (uint32_t i = 0; i < n; i++) frame_in_mode(&c2, &s2, m[i], XR_SUCCESS);
            if (n) conf_locate_views(&c2, c2.last_frame.predictedDisplayTime, views);
        }
        conf_end(&c2);
    }
    conf_swapchain_destroy(&s2.quad_tex);
    conf_swapchain_destroy(&s2.clear);
    conf_image im = {0};
    if (parallax && c2.failures == 0 && conf_capture_read(&c2, capture, &im)) {
        const double world = 0.18, a = 128.0 / 255.0;
        for (int eye = 0; eye < 2; eye++) {
            const unsigned char *bg = conf_pixel(&im, eye, 1, 1);
            double x, y;
            conf_project(&views[eye], im.eye_w, im.h, (XrVector3f){0.0f, 0.0f, -1.0f}, &x, &y);
            const unsigned char *q = conf_pixel(&im, eye, (int)x, (int)y);
            int want_bg = srgb8(world), want_r = srgb8(a + world * (1 - a)), want_g = srgb8(world * (1 - a));
            printf("  ALPHA_BLEND, eye %d: world through the clear layer (%d, %d, %d), expected %d; under "
                   "the quad "
                   "(%d, %d, %d), expected (%d, %d, %d)\n",
                   eye, bg[0], bg[1], bg[2], want_bg, q[0], q[1], q[2], want_r, want_g, want_g);
            CONF_CHECK(&c2, abs(bg[0] - want_bg) <= 2 && abs(bg[2] - want_bg) <= 2,
                       "eye %d: (%d, %d, %d) where the world (%d) should show through", eye, bg[0], bg[1],
                       bg[2], want_bg);
            CONF_CHECK(&c2, abs(q[0] - want_r) <= 2 && abs(q[1] - want_g) <= 2,
                       "eye %d: (%d, %d, %d) under the quad, expected (%d, %d, %d)", eye, q[0], q[1], q[2],
                       want_r, want_g, want_g);
        }
        conf_image_free(&im);
        remove(capture);
    }
    int rc2 = conf_finish(&c2);
    return rc1 || rc2;
}
