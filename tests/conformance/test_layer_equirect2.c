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
    if (CONF_CHECK(&c, conf_extension_offered(&c, exts[0]), "%s is not among the instance extensions",
                   exts[0]) &&
        conf_instance(&c, &(conf_desc){.extensions = exts, .extension_count = 1}) && conf_session(&c) &&
        conf_begin(&c)) {
        parallax = conf_runtime_is_parallax(&c);
        const unsigned char grey[4] = {128, 128, 128, 255};
        if (conf_background(&c, grey, &s.bg) && conf_quadrant_swapchain(&c, 64, 32, &s.tex)) {
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
            /* What the simulated headset's error must name for each. */
            const char *const names[] = {"radius -1 is not >= 0",
                                         "centralHorizontalAngle 6.3 is not in [0, 2*pi]",
                                         "centralHorizontalAngle -0.1 is not in [0, 2*pi]",
                                         "upperVerticalAngle 1.6 is not in [-pi/2, pi/2]",
                                         "lowerVerticalAngle -1.6 is not in [-pi/2, pi/2]"};
            for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                s.radius = bad[i].radius;
                s.horizontal = bad[i].horizontal;
                s.upper = bad[i].upper;
                s.lower = bad[i].lower;
                printf("  radius %g, centralHorizontalAngle %g, upper %g, lower %g: expect "
                       "XR_ERROR_VALIDATION_FAILURE\n",
                       (double)s.radius, (double)s.horizontal, (double)s.upper, (double)s.lower);
                char err[2048];
                bool redirected = parallax && conf_stderr_begin(&c);
                conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_ERROR_VALIDATION_FAILURE, NULL);
                if (!redirected) continue;
                conf_stderr_end(&c, err, sizeof(err));
                CONF_CHECK(&c, strstr(err, names[i]) != NULL, "the runtime's error does not name \"%s\": %s",
                           names[i], err);
            }
        }
        conf_end(&c);
    }
    conf_swapchain_destroy(&s.tex);
    conf_swapchain_destroy(&s.bg);
    conf_capture_check_quadrants(&c, parallax, capture, "equirect2", views, conf_equirect2_point, &drawn);
    return conf_finish(&c);
}
