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
    conf_start(&c, NAME, "XR_KHR_composition_layer_cylinder: offered, validated, drawn inside the cylinder");
    const char *capture = conf_capture_setup(NAME, 4, 128, 128);
    const char *exts[] = {XR_KHR_COMPOSITION_LAYER_CYLINDER_EXTENSION_NAME};
    scene s = {.radius = 1.5f, .angle = (float)(PI / 3.0)};
    XrView views[2];
    XrCompositionLayerCylinderKHR drawn = {0};
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
            } bad[] = {{-1.0f, (float)(PI / 3.0)}, {1.5f, (float)(2.0 * PI)}, {1.5f, 7.0f}, {1.5f, -0.1f}};
            for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                s.radius = bad[i].radius;
                s.angle = bad[i].angle;
                printf("  radius %g, centralAngle %g: expect XR_ERROR_VALIDATION_FAILURE\n", (double)s.radius,
                       (double)s.angle);
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
            conf_check_quadrants(&c, "cylinder", &im, eye, &views[eye], conf_cylinder_point, &drawn, 2);
        conf_image_free(&im);
        remove(capture);
    }
    return conf_finish(&c);
}
