/* SPDX-License-Identifier: MIT */
/* XR_KHR_composition_layer_cylinder: the runtime offers the extension, accepts XrCompositionLayerCylinderKHR
 * and "must map a texture stemming from a swapchain onto the inside of a cylinder section"; "radius is the
 * non-negative radius of the cylinder. Values of zero or floating point positive infinity are treated as an
 * infinite cylinder", "centralAngle is the angle of the visible section of the cylinder, based at 0 radians,
 * in the range of [0, 2pi). It grows symmetrically around the 0 radian angle", "The height of the cylinder is
 * given by: (cylinder radius x cylinder angle) / aspectRatio". Values outside those ranges are
 * XR_ERROR_VALIDATION_FAILURE. Spec: OpenXR 1.0 and 1.1, XR_KHR_composition_layer_cylinder,
 * xrspec.html#XrCompositionLayerCylinderKHR. With the Parallax simulated headset the capture shows each
 * quadrant of the texture where its part of the section projects in each eye, within 2 pixels (u grows
 * towards +x from -centralAngle/2, v downwards from the top). */
#include "conf_layers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "layer_cylinder"
#define PI   3.14159265358979323846

typedef struct scene {
    conf_swapchain bg, tex;
    XrCompositionLayerProjectionView views[2];
    XrCompositionLayerProjection projection;
    XrCompositionLayerCylinderKHR cylinder;
    const XrCompositionLayerBaseHeader *layers[2];
    uint32_t count;
    float radius, angle;
} scene;

static void build(conf *c, const XrView views[2], void *user)
{
    scene *s = user;
    conf_projection_layer(c, views, &s->bg, 0, s->views, &s->projection);
    s->cylinder = (XrCompositionLayerCylinderKHR){
        .type = XR_TYPE_COMPOSITION_LAYER_CYLINDER_KHR,
        .space = c->local,
        .eyeVisibility = XR_EYE_VISIBILITY_BOTH,
        .subImage = {.swapchain = s->tex.handle, .imageRect = {{0, 0}, {64, 32}}},
        .pose = {.orientation = {0, 0, 0, 1}, .position = {0.0f, 0.0f, 0.0f}},
        .radius = s->radius,
        .centralAngle = s->angle,
        .aspectRatio = 2.0f};
    s->layers[0] = (const XrCompositionLayerBaseHeader *)&s->projection;
    s->layers[1] = (const XrCompositionLayerBaseHeader *)&s->cylinder;
    s->count = 2;
}

int main(void)
{
    conf c;
    conf_start(&c, NAME, "XR_KHR_composition_layer_cylinder: offered, validated, drawn inside the cylinder");
    const char *capture = conf_capture_setup(NAME, 4, 128, 128);
    const char *exts[] = {XR_KHR_COMPOSITION_LAYER_CYLINDER_EXTENSION_NAME};
    scene s = {.radius = 1.5f, .angle = (float)(PI / 3.0)};
    XrView views[2];
    XrCompositionLayerCylinderKHR drawn = {0};
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
                if (i == 4) drawn = s.cylinder; /* the captured frame */
            }
            /* Radius 0 and +infinity are infinite cylinders: valid. */
            const float infinite[2] = {0.0f, INFINITY};
            for (int i = 0; i < 2; i++) {
                s.radius = infinite[i];
                conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_SUCCESS, NULL);
            }
            /* Out of range: a negative radius, a central angle of 2 pi or more or below 0. */
            const struct {
                float radius, angle;
                const char *names; /* what the simulated headset's error must name */
            } bad[] = {{-1.0f, (float)(PI / 3.0), "radius -1 is not >= 0"},
                       {1.5f, (float)(2.0 * PI), "centralAngle 6.28319 is not in [0, 2*pi)"},
                       {1.5f, 7.0f, "centralAngle 7 is not in [0, 2*pi)"},
                       {1.5f, -0.1f, "centralAngle -0.1 is not in [0, 2*pi)"}};
            for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                s.radius = bad[i].radius;
                s.angle = bad[i].angle;
                printf("  radius %g, centralAngle %g: expect XR_ERROR_VALIDATION_FAILURE\n", (double)s.radius,
                       (double)s.angle);
                char err[2048];
                bool redirected = parallax && conf_stderr_begin(&c);
                conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_ERROR_VALIDATION_FAILURE, NULL);
                if (!redirected) continue;
                conf_stderr_end(&c, err, sizeof(err));
                CONF_CHECK(&c, strstr(err, bad[i].names) != NULL,
                           "radius %g, centralAngle %g: the runtime's error does not name \"%s\": %s",
                           (double)s.radius, (double)s.angle, bad[i].names, err);
            }
        }
        conf_end(&c);
    }
    conf_swapchain_destroy(&s.tex);
    conf_swapchain_destroy(&s.bg);
    conf_capture_check_quadrants(&c, parallax, capture, "cylinder", views, conf_cylinder_point, &drawn);
    return conf_finish(&c);
}
