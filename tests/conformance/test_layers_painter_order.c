/* SPDX-License-Identifier: MIT */
/* Every submitted layer is drawn, in order: "Composition layers must be drawn in the same order as they are
 * specified in via XrFrameEndInfo, with the 0th layer drawn first. Layers must be drawn with a 'painter's
 * algorithm,' with each successive layer potentially overwriting the destination layers whether or not the
 * new layers are virtually closer to the viewer." Quads: "The position of a quad refers to the center of the
 * quad within the given XrSpace", size in meters in the x-y plane, front face along +z; a quad in a VIEW
 * reference space is head-locked. Spec: OpenXR 1.0 and 1.1, 10.5 "Compositing"
 * (xrspec.html#rendering-compositing) and "Quad Layer Composition" (xrspec.html#XrCompositionLayerQuad).
 *
 * Frame: a grey projection layer, a red quad 2 m ahead, then a green quad 3 m ahead that overlaps the red
 * one's right part (farther, but later: it covers the red), then a blue quad in a VIEW space (head-locked), 1
 * m ahead low on the left. With the Parallax simulated headset the capture shows each quad in each eye where
 * its corners project from the views the frame submitted, within 2 pixels, and the red quad cut where the
 * green one begins. */
#include "conf_layers.h"

#include <stdio.h>

#define NAME "layers_painter_order"

typedef struct scene {
    conf_swapchain bg, red, green, blue;
    XrSpace view_space;
    XrCompositionLayerProjectionView views[2];
    XrCompositionLayerProjection projection;
    XrCompositionLayerQuad quads[3];
    const XrCompositionLayerBaseHeader *layers[4];
    uint32_t count;
} scene;

static XrCompositionLayerQuad quad(XrSpace space, const conf_swapchain *sc, XrVector3f at, XrExtent2Df size)
{
    return (XrCompositionLayerQuad){.type = XR_TYPE_COMPOSITION_LAYER_QUAD,
                                    .space = space,
                                    .eyeVisibility = XR_EYE_VISIBILITY_BOTH,
                                    .subImage = {.swapchain = sc->handle, .imageRect = {{0, 0}, {8, 8}}},
                                    .pose = {.orientation = {0, 0, 0, 1}, .position = at},
                                    .size = size};
}

static void build(conf *c, const XrView views[2], void *user)
{
    scene *s = user;
    conf_projection_layer(c, views, &s->bg, 0, s->views, &s->projection);
    s->quads[0] = quad(c->local, &s->red, (XrVector3f){0.0f, 0.1f, -2.0f}, (XrExtent2Df){0.8f, 0.4f});
    s->quads[1] = quad(c->local, &s->green, (XrVector3f){0.45f, 0.15f, -3.0f}, (XrExtent2Df){0.6f, 0.7f});
    s->quads[2] =
        quad(s->view_space, &s->blue, (XrVector3f){-0.25f, -0.25f, -1.0f}, (XrExtent2Df){0.2f, 0.16f});
    s->layers[0] = (const XrCompositionLayerBaseHeader *)&s->projection;
    for (int i = 0; i < 3; i++) s->layers[1 + i] = (const XrCompositionLayerBaseHeader *)&s->quads[i];
    s->count = 4;
}

int main(void)
{
    conf c;
    conf_start(&c, NAME,
               "every layer is drawn, in submission order (painter's algorithm), quads where they are");
    const char *capture = conf_capture_setup(NAME, 4, 128, 128);
    scene s = {0};
    XrView views[2];
    XrPosef head = {.orientation = {0, 0, 0, 1}};
    bool parallax = false;
    if (conf_instance(&c, NULL) && conf_session(&c) && conf_begin(&c)) {
        parallax = conf_runtime_is_parallax(&c);
        const unsigned char grey[4] = {128, 128, 128, 255}, red[4] = {255, 0, 0, 255},
                            green[4] = {0, 255, 0, 255}, blue[4] = {0, 0, 255, 255};
        XrReferenceSpaceCreateInfo rci = {.type = XR_TYPE_REFERENCE_SPACE_CREATE_INFO,
                                          .referenceSpaceType = XR_REFERENCE_SPACE_TYPE_VIEW,
                                          .poseInReferenceSpace = {.orientation = {0, 0, 0, 1}}};
        if (CONF_XR(&c, xrCreateReferenceSpace(c.session, &rci, &s.view_space)) &&
            conf_background(&c, grey, &s.bg) &&
            conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, 8, 8, 1, true, &s.red) &&
            conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, 8, 8, 1, true, &s.green) &&
            conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, 8, 8, 1, true, &s.blue) &&
            conf_swapchain_fill_solid(&c, &s.red, red) && conf_swapchain_fill_solid(&c, &s.green, green) &&
            conf_swapchain_fill_solid(&c, &s.blue, blue)) {
            for (int i = 0; i < 8; i++)
                conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_SUCCESS, views);
            /* Where the head-locked quad hangs: the head at the last frame's display time. */
            XrSpaceLocation loc = {.type = XR_TYPE_SPACE_LOCATION};
            if (CONF_XR(&c, xrLocateSpace(s.view_space, c.local, c.last_frame.predictedDisplayTime, &loc)))
                head = loc.pose;
        }
        conf_end(&c);
    }
    if (s.view_space) xrDestroySpace(s.view_space);
    conf_swapchain_destroy(&s.blue);
    conf_swapchain_destroy(&s.green);
    conf_swapchain_destroy(&s.red);
    conf_swapchain_destroy(&s.bg);
    conf_image im = {0};
    if (parallax && c.failures == 0 && conf_capture_read(&c, capture, &im)) {
        XrCompositionLayerQuad hl = s.quads[2];
        /* The head-locked quad in the views' space. */
        XrVector3f centre = conf_pose_point(&head, hl.pose.position);
        hl.pose = (XrPosef){.orientation = head.orientation, .position = centre};
        const unsigned char red3[3] = {255, 0, 0}, green3[3] = {0, 255, 0}, blue3[3] = {0, 0, 255};
        for (int eye = 0; eye < 2; eye++) {
            const char *e = eye ? "right eye" : "left eye";
            int want[4], got[4];
            char what[64];
            conf_surface_box(&views[eye], im.eye_w, im.h, conf_quad_point, &s.quads[1], 0, 1, 0, 1, want);
            snprintf(what, sizeof(what), "green quad (3 m, drawn after red), %s", e);
            if (CONF_CHECK(&c, conf_find_box(&im, eye, green3, 8, got), "%s: not drawn", what))
                conf_check_box(&c, what, got, want, 2);
            int green_x0 = want[0];
            conf_surface_box(&views[eye], im.eye_w, im.h, conf_quad_point, &s.quads[0], 0, 1, 0, 1, want);
            want[2] = green_x0 - 1; /* its right part lies under the green quad, drawn later */
            snprintf(what, sizeof(what), "red quad (2 m, under green), %s", e);
            if (CONF_CHECK(&c, conf_find_box(&im, eye, red3, 8, got), "%s: not drawn", what))
                conf_check_box(&c, what, got, want, 2);
            conf_surface_box(&views[eye], im.eye_w, im.h, conf_quad_point, &hl, 0, 1, 0, 1, want);
            snprintf(what, sizeof(what), "head-locked blue quad, %s", e);
            if (CONF_CHECK(&c, conf_find_box(&im, eye, blue3, 8, got), "%s: not drawn", what))
                conf_check_box(&c, what, got, want, 2);
        }
        conf_image_free(&im);
        remove(capture);
    }
    return conf_finish(&c);
}
