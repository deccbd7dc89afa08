/* SPDX-License-Identifier: MIT */
/* XR_KHR_composition_layer_equirect2: the runtime offers the extension, accepts
 * XrCompositionLayerEquirect2KHR and must "map an equirectangular coded image stemming from a swapchain onto
 * the inside of a sphere"; "radius is the non-negative radius of the sphere ... Values of zero or floating
 * point positive infinity are treated as an infinite sphere", "centralHorizontalAngle defines the visible
 * horizontal angle of the sphere, based at 0 radians, in the range of [0, 2pi]. It grows symmetrically around
 * the 0 radian angle", "upperVerticalAngle defines the upper vertical angle of the visible portion of the
 * sphere, in the range of
 * [-pi/2, pi/2]", lowerVerticalAngle likewise. Values outside those ranges are XR_ERROR_VALIDATION_FAILURE.
 * Spec: OpenXR 1.0 and 1.1, XR_KHR_composition_layer_equirect2, xrspec.html#XrCompositionLayerEquirect2KHR.
 * With the Parallax simulated headset the capture shows each quadrant of the texture where its part of the
 * sphere projects in each eye, within 2 pixels (longitude 0 on the pose's -z, u growing towards +x; v = 0
 * at upperVerticalAngle). */
#include "conf_layers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "layer_equirect2"
#define PI   3.14159265358979323846

typedef struct scene {
    conf_swapchain bg, tex;
    XrCompositionLayerProjectionView views[2];
    XrCompositionLayerProjection projection;
    XrCompositionLayerEquirect2KHR equirect;
    const XrCompositionLayerBaseHeader *layers[2];
    uint32_t count;
    float radius, horizontal, upper, lower;
} scene;

static void build(conf *c, const XrView views[2], void *user)
{
    scene *s = user;
    conf_projection_layer(c, views, &s->bg, 0, s->views, &s->projection);
    /* Turned 10 degrees to the left, so the image's centre is off the view's axis. */
    s->equirect = (XrCompositionLayerEquirect2KHR){
        .type = XR_TYPE_COMPOSITION_LAYER_EQUIRECT2_KHR,
        .space = c->local,
        .eyeVisibility = XR_EYE_VISIBILITY_BOTH,
        .subImage = {.swapchain = s->tex.handle, .imageRect = {{0, 0}, {64, 32}}},
        .pose = {.orientation = {0.0f, (float)sin(5.0 * PI / 180.0), 0.0f, (float)cos(5.0 * PI / 180.0)}},
        .radius = s->radius,
        .centralHorizontalAngle = s->horizontal,
        .upperVerticalAngle = s->upper,
        .lowerVerticalAngle = s->lower};
    s->layers[0] = (const XrCompositionLayerBaseHeader *)&s->projection;
    s->layers[1] = (const XrCompositionLayerBaseHeader *)&s->equirect;
    s->count = 2;
}

static bool advertised(conf *c, const char *name)
{
    uint32_t n = 0;
    XrExtensionProperties props[128];
    for (int i = 0; i < 128; i++) props[i] = (XrExtensionProperties){.type = XR_TYPE_EXTENSION_PROPERTIES};
    if (!CONF_XR(c, xrEnumerateInstanceExtensionProperties(NULL, 128, &n, props))) return false;
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(props[i].extensionName, name) == 0) return true;
    return false;
}

int main(void)
{
    conf c;
    conf_start(&c, NAME, "XR_KHR_composition_layer_equirect2: offered, validated, drawn inside the sphere");
    const char *capture = conf_capture_setup(NAME, 4, 128, 128);
    const char *exts[] = {XR_KHR_COMPOSITION_LAYER_EQUIRECT2_EXTENSION_NAME};
    scene s = {.radius = INFINITY,
               .horizontal = (float)(PI / 3.0),
               .upper = (float)(25.0 * PI / 180.0),
               .lower = (float)(-15.0 * PI / 180.0)};
    XrView views[2];
    XrCompositionLayerEquirect2KHR drawn = {0};
    bool parallax = false;
    if (CONF_CHECK(&c, advertised(&c, exts[0]), "%s is not among the instance extensions", exts[0]) &&
        conf_instance(&c, &(conf_desc){.extensions = exts, .extension_count = 1}) && conf_session(&c) &&
        conf_begin(&c)) {
        parallax = conf_runtime_is_parallax(&c);
        uint32_t w = 0, h = 0;
        const unsigned char grey[4] = {128, 128, 128, 255};
        unsigned char *quadrants = conf_quadrant_texels(64, 32);
        const void *tex_layers[1] = {quadrants};
        if (quadrants && conf_eye_size(&c, &w, &h) &&
            conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, w, h, 2, true, &s.bg) &&
            conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, 64, 32, 1, true, &s.tex) &&
            conf_swapchain_fill_solid(&c, &s.bg, grey) && conf_swapchain_fill(&c, &s.tex, tex_layers)) {
            for (int i = 0; i < 8; i++) {
                conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_SUCCESS, views);
                if (i == 4) drawn = s.equirect; /* the captured frame */
            }
            /* Valid corners: radius 0 and a finite radius, the full circle and the poles. */
            const scene good[] = {{.radius = 0.0f,
                                   .horizontal = (float)(2.0 * PI),
                                   .upper = (float)(PI / 2.0),
                                   .lower = (float)(-PI / 2.0)},
                                  {.radius = 3.0f, .horizontal = 0.0f, .upper = 0.0f, .lower = 0.0f}};
            for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
                s.radius = good[i].radius;
                s.horizontal = good[i].horizontal;
                s.upper = good[i].upper;
                s.lower = good[i].lower;
                conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_SUCCESS, NULL);
            }
            /* Out of range: a negative radius, a horizontal angle beyond 2 pi, vertical angles beyond pi/2.
             */
            const scene bad[] = {{.radius = -1.0f, .horizontal = 1.0f, .upper = 0.5f, .lower = -0.5f},
                                 {.radius = 1.0f, .horizontal = 6.3f, .upper = 0.5f, .lower = -0.5f},
                                 {.radius = 1.0f, .horizontal = -0.1f, .upper = 0.5f, .lower = -0.5f},
                                 {.radius = 1.0f, .horizontal = 1.0f, .upper = 1.6f, .lower = -0.5f},
                                 {.radius = 1.0f, .horizontal = 1.0f, .upper = 0.5f, .lower = -1.6f}};
            for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                s.radius = bad[i].radius;
                s.horizontal = bad[i].horizontal;
                s.upper = bad[i].upper;
                s.lower = bad[i].lower;
                printf("  radius %g, centralHorizontalAngle %g, upper %g, lower %g: expect "
                       "XR_ERROR_VALIDATION_FAILURE\n",
                       (double)s.radius, (double)s.horizontal, (double)s.upper, (double)s.lower);
                conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_ERROR_VALIDATION_FAILURE, NULL);
            }
        }
        free(quadrants);
        conf_end(&c);
    }
    conf_swapchain_destroy(&s.tex);
    conf_swapchain_destroy(&s.bg);
    conf_image im = {0};
    if (parallax && c.failures == 0 && conf_capture_read(&c, capture, &im)) {
        for (int eye = 0; eye < 2; eye++)
            conf_check_quadrants(&c, "equirect2", &im, eye, &views[eye], conf_equirect2_point, &drawn, 2);
        conf_image_free(&im);
        remove(capture);
    }
    return conf_finish(&c);
}
