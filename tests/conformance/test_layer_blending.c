/* SPDX-License-Identifier: MIT */
/* Composition layer blending: "If a submitted swapchain's texture format does not include an alpha channel or
 * if the XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT is unset, then the layer alpha is initialized to
 * one." "If the texture color channels are encoded without premultiplying by alpha, the
 * XR_COMPOSITION_LAYER_UNPREMULTIPLIED_ALPHA_BIT should be set. ... LayerColor.RGB *= LayerColor.A.
 * LayerColor is then clamped to a range of [0.0, 1.0]." "CompositeColor = LayerColor + CompositeColor * (1 -
 * LayerColor.A)". "Before the first layer is composited, all components of CompositeColor are initialized to
 * zero." With XR_ENVIRONMENT_BLEND_MODE_OPAQUE "The composited image will be interpreted as an RGB image,
 * ignoring the composited alpha channel." Composition runs in linear colour; UNORM formats are linear ("All
 * other formats will be treated as linear values"). XR_COMPOSITION_LAYER_CORRECT_CHROMATIC_ABERRATION_BIT is
 * a valid flag. Spec: OpenXR 1.0 and 1.1, 10.5.2 "Composition Layer Blending"
 * (xrspec.html#rendering-composition-layer-blending), "Environment Blend Mode", "Swapchain Image Management".
 *
 * Frame: the first layer, a projection layer with source alpha, linear (0.25, 0.25, 0.25, 0.5) premultiplied,
 * over the zero composite (the display shows 0.25); then five quads side by side over it: (0.5, 0, 0, 0.5)
 * premultiplied, (1, 0, 0, 0.5) unpremultiplied (the same colour), (1, 0, 0, 0.5) without source alpha
 * (opaque red), (1, 0, 0, 0.5) taken as premultiplied (red clamps at 1), and an opaque quad with the
 * chromatic aberration bit. With the Parallax simulated headset the capture's pixel at each quad's centre,
 * in both eyes, is the sRGB encoding of the formula's result within 2 of 255. */
#include "conf_layers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define NAME "layer_blending"

enum { NQUAD = 5 };

typedef struct quad_case {
    const char *what;
    unsigned char texel[4]; /* R8G8B8A8_UNORM: linear */
    XrCompositionLayerFlags flags;
    XrVector3f at;
} quad_case;

static const quad_case k_quads[NQUAD] = {
    {"premultiplied (0.5, 0, 0, 0.5)",
     {128, 0, 0, 128},
     XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT,
     {-0.5f, 0.15f, -1.5f}},
    {"unpremultiplied (1, 0, 0, 0.5)",
     {255, 0, 0, 128},
     XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT | XR_COMPOSITION_LAYER_UNPREMULTIPLIED_ALPHA_BIT,
     {-0.25f, 0.15f, -1.5f}},
    {"no source alpha (1, 0, 0, 0.5)", {255, 0, 0, 128}, 0, {0.0f, 0.15f, -1.5f}},
    {"(1, 0, 0, 0.5) as premultiplied",
     {255, 0, 0, 128},
     XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT,
     {0.25f, 0.15f, -1.5f}},
    {"opaque, CORRECT_CHROMATIC_ABERRATION",
     {0, 0, 255, 255},
     XR_COMPOSITION_LAYER_CORRECT_CHROMATIC_ABERRATION_BIT,
     {0.5f, 0.15f, -1.5f}},
};

typedef struct scene {
    conf_swapchain bg, tex[NQUAD];
    XrCompositionLayerProjectionView views[2];
    XrCompositionLayerProjection projection;
    XrCompositionLayerQuad quads[NQUAD];
    const XrCompositionLayerBaseHeader *layers[1 + NQUAD];
    uint32_t count;
} scene;

static void build(conf *c, const XrView views[2], void *user)
{
    scene *s = user;
    conf_projection_layer(c, views, &s->bg, XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT, s->views,
                          &s->projection);
    s->layers[0] = (const XrCompositionLayerBaseHeader *)&s->projection;
    for (int i = 0; i < NQUAD; i++) {
        s->quads[i] = (XrCompositionLayerQuad){
            .type = XR_TYPE_COMPOSITION_LAYER_QUAD,
            .layerFlags = k_quads[i].flags,
            .space = c->local,
            .eyeVisibility = XR_EYE_VISIBILITY_BOTH,
            .subImage = {.swapchain = s->tex[i].handle, .imageRect = {{0, 0}, {8, 8}}},
            .pose = {.orientation = {0, 0, 0, 1}, .position = k_quads[i].at},
            .size = {0.2f, 0.2f}};
        s->layers[1 + i] = (const XrCompositionLayerBaseHeader *)&s->quads[i];
    }
    s->count = 1 + NQUAD;
}

static int srgb8(double linear)
{
    double l = linear < 0 ? 0 : linear > 1 ? 1 : linear;
    double e = l <= 0.0031308 ? l * 12.92 : 1.055 * pow(l, 1.0 / 2.4) - 0.055;
    return (int)floor(e * 255.0 + 0.5);
}

int main(void)
{
    conf c;
    conf_start(&c, NAME, "layers blend by their alpha flags onto a composite that starts at zero");
    const char *capture = conf_capture_setup(NAME, 4, 128, 128);
    scene s = {0};
    XrView views[2];
    bool parallax = false;
    if (conf_instance(&c, NULL) && conf_session(&c) && conf_begin(&c)) {
        parallax = conf_runtime_is_parallax(&c);
        uint32_t w = 0, h = 0;
        const unsigned char bg[4] = {64, 64, 64, 128};
        bool ok = CONF_CHECK(&c, conf_format_offered(&c, VK_FORMAT_R8G8B8A8_UNORM),
                             "R8G8B8A8_UNORM is not offered") &&
                  conf_eye_size(&c, &w, &h) &&
                  conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_UNORM, w, h, 2, true, &s.bg) &&
                  conf_swapchain_fill_solid(&c, &s.bg, bg);
        for (int i = 0; i < NQUAD && ok; i++)
            ok = conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_UNORM, 8, 8, 1, true, &s.tex[i]) &&
                 conf_swapchain_fill_solid(&c, &s.tex[i], k_quads[i].texel);
        for (int i = 0; i < 8 && ok; i++)
            conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_SUCCESS, views);
        conf_end(&c);
    }
    for (int i = 0; i < NQUAD; i++) conf_swapchain_destroy(&s.tex[i]);
    conf_swapchain_destroy(&s.bg);
    conf_image im = {0};
    if (parallax && c.failures == 0 && conf_capture_read(&c, capture, &im)) {
        double base = 64.0 / 255.0; /* the first layer over zero: 0.25 + 0 * (1 - 0.5) */
        for (int eye = 0; eye < 2; eye++) {
            const unsigned char *p = conf_pixel(&im, eye, 2, 2);
            int want = srgb8(base);
            printf("  first layer over the zero composite, eye %d: (%d, %d, %d), expected %d\n", eye, p[0],
                   p[1], p[2], want);
            CONF_CHECK(&c, abs(p[0] - want) <= 2 && abs(p[1] - want) <= 2 && abs(p[2] - want) <= 2,
                       "eye %d background (%d, %d, %d), expected %d (0.25 linear)", eye, p[0], p[1], p[2],
                       want);
            for (int i = 0; i < NQUAD; i++) {
                const quad_case *q = &k_quads[i];
                double lc[4];
                for (int k = 0; k < 4; k++) lc[k] = q->texel[k] / 255.0;
                if (!(q->flags & XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT)) lc[3] = 1.0;
                if (q->flags & XR_COMPOSITION_LAYER_UNPREMULTIPLIED_ALPHA_BIT)
                    for (int k = 0; k < 3; k++) lc[k] *= lc[3];
                int exp[3];
                for (int k = 0; k < 3; k++) exp[k] = srgb8(lc[k] + base * (1.0 - lc[3]));
                double x, y;
                conf_project(&views[eye], im.eye_w, im.h, q->at, &x, &y);
                const unsigned char *m = conf_pixel(&im, eye, (int)x, (int)y);
                printf("  %s, eye %d: (%d, %d, %d), expected (%d, %d, %d)\n", q->what, eye, m[0], m[1], m[2],
                       exp[0], exp[1], exp[2]);
                CONF_CHECK(&c, abs(m[0] - exp[0]) <= 2 && abs(m[1] - exp[1]) <= 2 && abs(m[2] - exp[2]) <= 2,
                           "%s, eye %d: (%d, %d, %d), expected (%d, %d, %d)", q->what, eye, m[0], m[1], m[2],
                           exp[0], exp[1], exp[2]);
            }
        }
        conf_image_free(&im);
        remove(capture);
    }
    return conf_finish(&c);
}
