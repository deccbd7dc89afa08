/* SPDX-License-Identifier: MIT */
/* composite_capture_layers: a frame with a projection layer, a cylinder and a quad through the simulated
 * headset, captured (PARALLAX_SIM_CAPTURE) and measured: the projection layer's marker texels land on the
 * same pixels (the reference layer maps 1:1), the cylinder (solid cyan) and each quadrant of the quad lie
 * where their geometry projects from the submitted views, within 2 pixels, in both eyes. Then the report: a
 * "layers" entry per layer with its type, the projection layer as the headline, per-layer CSV columns, and
 * the composition cost (composite_ms).
 *
 *   composite_capture_layers [KEEP.png [EYE_PX [FRAMES]]]
 *     KEEP.png: keeps the capture there (for docs) instead of removing it ("-": not kept); EYE_PX per eye
 *     (default 128, 64 to 1024); FRAMES submitted (default 10, 10 to 5000: tests/window shows them in the
 *     preview window) */
#include "conf_layers.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "composite_capture_layers"
#define PI   3.14159265358979323846

typedef struct scene {
    conf_swapchain proj, cyl, quad;
    XrCompositionLayerProjectionView views[2];
    XrCompositionLayerProjection projection;
    XrCompositionLayerCylinderKHR cylinder;
    XrCompositionLayerQuad panel;
    const XrCompositionLayerBaseHeader *layers[3];
    uint32_t count;
} scene;

static const unsigned char k_back[4] = {20, 30, 90, 255}, k_white[4] = {255, 255, 255, 255},
                           k_cyan[4] = {0, 255, 255, 255};

/* Markers of the projection layer: 2 x 2 white squares at these fractions of the eye's size (clear of the
 * quad and the cylinder), different per view. */
static const double k_markers[2][2][2] = {{{0.08, 0.09}, {0.45, 0.9}}, {{0.16, 0.09}, {0.40, 0.9}}};

static int marker_px(int view, int m, int axis, uint32_t size)
{
    return (int)(k_markers[view][m][axis] * size);
}

static void build(conf *c, const XrView views[2], void *user)
{
    scene *s = user;
    conf_projection_layer(c, views, &s->proj, 0, s->views, &s->projection);
    double yaw = -22.0 * PI / 180.0; /* the arc's centre 22 degrees to the right, below the eyes */
    s->cylinder = (XrCompositionLayerCylinderKHR){
        .type = XR_TYPE_COMPOSITION_LAYER_CYLINDER_KHR,
        .space = c->local,
        .eyeVisibility = XR_EYE_VISIBILITY_BOTH,
        .subImage = {.swapchain = s->cyl.handle, .imageRect = {{0, 0}, {32, 16}}},
        .pose = {.orientation = {0.0f, (float)sin(yaw / 2), 0.0f, (float)cos(yaw / 2)},
                 .position = {0.0f, -0.35f, 0.0f}},
        .radius = 2.0f,
        .centralAngle = (float)(30.0 * PI / 180.0),
        .aspectRatio = 3.0f};
    s->panel =
        (XrCompositionLayerQuad){.type = XR_TYPE_COMPOSITION_LAYER_QUAD,
                                 .space = c->local,
                                 .eyeVisibility = XR_EYE_VISIBILITY_BOTH,
                                 .subImage = {.swapchain = s->quad.handle, .imageRect = {{0, 0}, {64, 48}}},
                                 .pose = {.orientation = {0, 0, 0, 1}, .position = {-0.35f, 0.25f, -1.5f}},
                                 .size = {0.5f, 0.35f}};
    s->layers[0] = (const XrCompositionLayerBaseHeader *)&s->projection;
    s->layers[1] = (const XrCompositionLayerBaseHeader *)&s->cylinder;
    s->layers[2] = (const XrCompositionLayerBaseHeader *)&s->panel;
    s->count = 3;
}

static double jnum(json_object *o, const char *a, const char *b)
{
    json_object *x = json_object_object_get(o, a);
    if (b) x = json_object_object_get(x, b);
    return x ? json_object_get_double(x) : NAN;
}

int main(int argc, char **argv)
{
    conf c;
    conf_start(&c, NAME, "projection + cylinder + quad composited where their geometry projects, both eyes");
    int eye_px = argc > 2 ? atoi(argv[2]) : 128;
    if (eye_px < 64 || eye_px > 1024) {
        fprintf(stderr, "composite_capture_layers: EYE_PX %s is not 64 to 1024\n", argv[2]);
        return 2;
    }
    int frame_count = argc > 3 ? atoi(argv[3]) : 10;
    if (frame_count < 10 || frame_count > 5000) {
        fprintf(stderr, "composite_capture_layers: FRAMES %s is not 10 to 5000\n", argv[3]);
        return 2;
    }
    const char *capture = conf_capture_setup(NAME, 4, eye_px, eye_px);
    char report[600], frames[600];
    snprintf(report, sizeof(report), "%s.report.json", capture);
    snprintf(frames, sizeof(frames), "%s.frames.csv", capture);
    setenv("PARALLAX_SIM_REPORT", report, 1);
    setenv("PARALLAX_SIM_FRAMES", frames, 1);
    const char *exts[] = {XR_KHR_COMPOSITION_LAYER_CYLINDER_EXTENSION_NAME};
    scene s = {0};
    XrView views[2];
    uint32_t w = 0, h = 0;
    if (conf_instance(&c, &(conf_desc){.extensions = exts, .extension_count = 1}) && conf_session(&c) &&
        conf_begin(&c)) {
        CONF_CHECK(&c, conf_runtime_is_parallax(&c),
                   "this test reads the Parallax simulated headset's capture");
        unsigned char *quadrants = conf_quadrant_texels(64, 48), *back = NULL;
        if (quadrants && conf_eye_size(&c, &w, &h)) back = malloc((size_t)w * h * 4 * 2);
        if (back) {
            for (int v = 0; v < 2; v++) {
                unsigned char *img = back + (size_t)v * w * h * 4;
                for (size_t i = 0; i < (size_t)w * h; i++) memcpy(img + i * 4, k_back, 4);
                for (int m = 0; m < 2; m++)
                    for (int dy = 0; dy < 2; dy++)
                        for (int dx = 0; dx < 2; dx++)
                            memcpy(img + ((size_t)(marker_px(v, m, 1, h) + dy) * w +
                                          (size_t)(marker_px(v, m, 0, w) + dx)) *
                                             4,
                                   k_white, 4);
            }
            const void *proj_layers[2] = {back, back + (size_t)w * h * 4}, *quad_layers[1] = {quadrants};
            if (conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, w, h, 2, true, &s.proj) &&
                conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, 32, 16, 1, true, &s.cyl) &&
                conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, 64, 48, 1, true, &s.quad) &&
                conf_swapchain_fill(&c, &s.proj, proj_layers) &&
                conf_swapchain_fill_solid(&c, &s.cyl, k_cyan) &&
                conf_swapchain_fill(&c, &s.quad, quad_layers))
                for (int i = 0; i < frame_count; i++)
                    conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_SUCCESS, views);
        }
        free(back);
        free(quadrants);
        conf_end(&c);
    }
    conf_swapchain_destroy(&s.quad);
    conf_swapchain_destroy(&s.cyl);
    conf_swapchain_destroy(&s.proj);

    conf_image im = {0};
    if (c.failures == 0 && conf_capture_read(&c, capture, &im)) {
        CONF_CHECK(&c, im.eye_w == (int)w && im.h == (int)h, "the capture is %dx%d, not 2 eyes of %ux%u",
                   im.w, im.h, w, h);
        for (int eye = 0; eye < 2; eye++) {
            for (int m = 0; m < 2; m++) {
                int mx = marker_px(eye, m, 0, w), my = marker_px(eye, m, 1, h);
                const unsigned char *p = conf_pixel(&im, eye, mx, my);
                CONF_CHECK(
                    &c, p[0] == 255 && p[1] == 255 && p[2] == 255,
                    "eye %d: the projection layer's marker texel (%d, %d) shows (%d, %d, %d), not white", eye,
                    mx, my, p[0], p[1], p[2]);
            }
            int want[4], got[4];
            char what[64];
            snprintf(what, sizeof(what), "cylinder, %s eye", eye ? "right" : "left");
            conf_surface_box(&views[eye], im.eye_w, im.h, conf_cylinder_point, &s.cylinder, 0, 1, 0, 1, want);
            if (CONF_CHECK(&c, conf_find_box(&im, eye, k_cyan, 8, got), "%s: not drawn", what))
                conf_check_box(&c, what, got, want, 2);
            conf_check_quadrants(&c, "quad", &im, eye, &views[eye], conf_quad_point, &s.panel, 2);
        }
        conf_image_free(&im);
        if (argc > 1 && strcmp(argv[1], "-") != 0 && c.failures == 0) {
            /* Kept for the docs: copy, as the capture may be on another file system. */
            FILE *in = fopen(capture, "rb"), *out = fopen(argv[1], "wb");
            char buf[65536];
            size_t n;
            while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0) fwrite(buf, 1, n, out);
            if (in) fclose(in);
            if (out) fclose(out);
            printf("  capture kept at %s\n", argv[1]);
        }
        remove(capture);
    }

    /* The report: one entry per layer, the projection layer the headline, the composition timed. */
    json_object *r = json_object_from_file(report);
    if (CONF_CHECK(&c, r != NULL, "no report at %s", report)) {
        json_object *layers = json_object_object_get(r, "layers");
        static const char *const types[3] = {"projection", "cylinder", "quad"};
        if (CONF_CHECK(&c, layers && json_object_array_length(layers) == 3,
                       "report: \"layers\" has not 3 entries"))
            for (int i = 0; i < 3; i++) {
                json_object *l = json_object_array_get_idx(layers, (size_t)i);
                const char *type = json_object_get_string(json_object_object_get(l, "type"));
                printf("  report layers[%d]: %s, %g frames, headline in %g\n", i, type,
                       jnum(l, "frames", NULL), jnum(l, "headline_frames", NULL));
                CONF_CHECK(&c, type && strcmp(type, types[i]) == 0, "report layers[%d] is \"%s\", not %s", i,
                           type ? type : "?", types[i]);
            }
        json_object *l0 = json_object_array_get_idx(layers, 0);
        CONF_CHECK(&c,
                   jnum(l0, "headline_frames", NULL) == jnum(l0, "frames", NULL) &&
                       jnum(l0, "frames", NULL) >= 10,
                   "report: the projection layer is the headline in %g of its %g frames",
                   jnum(l0, "headline_frames", NULL), jnum(l0, "frames", NULL));
        CONF_CHECK(&c, jnum(l0, "error_deg", "count") > 0, "report: layers[0] has no pose error");
        double cms = jnum(r, "composite_ms", "p50");
        printf("  report: composite_ms p50 %.3f ms over %g compositions\n", cms,
               jnum(r, "composite_ms", "count"));
        CONF_CHECK(&c, jnum(r, "composite_ms", "count") >= 1, "report: no composition timed (composite_ms)");
        json_object_put(r);
    }
    FILE *f = fopen(frames, "r");
    char header[1024] = "", row[1024] = "";
    if (CONF_CHECK(&c, f != NULL, "no per-frame CSV at %s", frames)) {
        if (!fgets(header, sizeof(header), f)) header[0] = '\0';
        while (fgets(row, sizeof(row), f) && !strstr(row, "projection;cylinder;quad")) {
        }
        fclose(f);
        CONF_CHECK(&c,
                   strstr(header, "headline_layer,layer_types,layer_error_deg,layer_error_mm,layer_age_ms") !=
                       NULL,
                   "CSV header lacks the per-layer columns: %s", header);
        CONF_CHECK(&c, strstr(row, "projection;cylinder;quad") != NULL, "no CSV row lists the three layers");
        printf("  CSV row: %s", row);
    }
    remove(report);
    remove(frames);
    return conf_finish(&c);
}
