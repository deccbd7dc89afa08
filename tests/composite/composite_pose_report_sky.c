/* SPDX-License-Identifier: MIT */
/* composite_pose_report_sky: an app whose first projection layer is a sky submitted with the identity pose,
 * and whose second is the world from xrLocateViews, with the head turned 30 degrees (PARALLAX_SIM_INPUT). The
 * simulated headset measures each projection layer (report "layers", per-frame CSV), names the sky in one
 * warning (stderr and the report's "warnings") and keeps it out of the headline: the headline pose error is
 * the world layer's (under 1 degree), not the sky's (about 30 degrees, what the headline showed when it was
 * the first projection layer's). */
#include "conf_layers.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME   "composite_pose_report_sky"
#define FRAMES 40

typedef struct scene {
    conf_swapchain sky, world;
    XrCompositionLayerProjectionView sky_views[2], world_views[2];
    XrCompositionLayerProjection sky_layer, world_layer;
    const XrCompositionLayerBaseHeader *layers[2];
    uint32_t count;
} scene;

static void build(conf *c, const XrView views[2], void *user)
{
    scene *s = user;
    conf_projection_layer(c, views, &s->sky, 0, s->sky_views, &s->sky_layer);
    /* The sky's views: the identity pose, as an engine submits a backdrop it renders without a camera. */
    for (int v = 0; v < 2; v++) s->sky_views[v].pose = (XrPosef){.orientation = {0, 0, 0, 1}};
    conf_projection_layer(c, views, &s->world, XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT,
                          s->world_views, &s->world_layer);
    s->layers[0] = (const XrCompositionLayerBaseHeader *)&s->sky_layer;
    s->layers[1] = (const XrCompositionLayerBaseHeader *)&s->world_layer;
    s->count = 2;
}

static json_object *get(json_object *o, const char *a, const char *b)
{
    json_object *x = json_object_object_get(o, a);
    return b ? json_object_object_get(x, b) : x;
}

static double num(json_object *o, const char *a, const char *b)
{
    json_object *x = get(o, a, b);
    return x ? json_object_get_double(x) : NAN;
}

/* composite_pose_report_sky [KEEP.json]: keeps the report there (for docs). */
int main(int argc, char **argv)
{
    conf c;
    conf_start(&c, NAME, "a sky layer with an identity pose is named in a warning, not in the headline");
    const char *capture = conf_capture_setup(NAME, 10, 64, 64);
    char report[600];
    snprintf(report, sizeof(report), "%s.report.json", capture);
    setenv("PARALLAX_SIM_REPORT", report, 1);
    setenv("PARALLAX_SIM_INPUT", "head.yaw=30@0", 1);
    setenv("PARALLAX_SIM_LOG", "warn", 1);
    scene s = {0};
    char err[16384] = "";
    if (conf_instance(&c, NULL) && conf_session(&c) && conf_begin(&c)) {
        uint32_t w = 0, h = 0;
        const unsigned char sky[4] = {90, 140, 220, 255}, world[4] = {40, 120, 40, 255};
        if (conf_eye_size(&c, &w, &h) &&
            conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, w, h, 2, true, &s.sky) &&
            conf_swapchain_create(&c, VK_FORMAT_R8G8B8A8_SRGB, w, h, 2, true, &s.world) &&
            conf_swapchain_fill_solid(&c, &s.sky, sky) && conf_swapchain_fill_solid(&c, &s.world, world)) {
            bool redirected = conf_stderr_begin(&c);
            for (int i = 0; i < FRAMES; i++)
                conf_frame_with_layers(&c, build, &s, s.layers, &s.count, XR_SUCCESS, NULL);
            conf_end(&c); /* the report is written at xrEndSession */
            if (redirected) conf_stderr_end(&c, err, sizeof(err));
        } else {
            conf_end(&c);
        }
    }
    conf_swapchain_destroy(&s.world);
    conf_swapchain_destroy(&s.sky);
    remove(capture);

    /* One warning on stderr, naming the layer and why. */
    const char *needle = "layers[0] (projection): views[0].pose is the identity pose";
    const char *first = strstr(err, needle);
    CONF_CHECK(&c, first != NULL, "no warning naming the sky layer (\"%s\") on stderr", needle);
    CONF_CHECK(&c, !first || !strstr(first + 1, needle), "the sky layer's warning was repeated");

    json_object *r = json_object_from_file(report);
    if (CONF_CHECK(&c, r != NULL, "no report at %s", report)) {
        json_object *layers = get(r, "layers", NULL), *warnings = get(r, "warnings", NULL);
        double headline = num(r, "error_deg", "p50");
        CONF_CHECK(&c, headline < 1.0, "the headline pose error is %.2f deg: the sky layer is averaged in",
                   headline);
        if (!CONF_CHECK(&c,
                        json_object_is_type(layers, json_type_array) &&
                            json_object_array_length(layers) == 2 &&
                            json_object_is_type(warnings, json_type_array),
                        "the report has no per-layer \"layers\" (2 entries) and \"warnings\"")) {
            json_object_put(r);
            remove(report);
            return conf_finish(&c);
        }
        json_object *sky = json_object_array_get_idx(layers, 0),
                    *world = json_object_array_get_idx(layers, 1);
        double sky_err = num(sky, "error_deg", "p50"), world_err = num(world, "error_deg", "p50");
        printf("  headline error_deg p50 %.3f; layers[0] (sky) %.3f deg, implausible in %g of %g frames, "
               "headline "
               "in %g; layers[1] (world) %.3f deg, headline in %g of %g\n",
               headline, sky_err, num(sky, "implausible_frames", NULL), num(sky, "frames", NULL),
               num(sky, "headline_frames", NULL), world_err, num(world, "headline_frames", NULL),
               num(world, "frames", NULL));
        CONF_CHECK(&c, fabs(headline - world_err) < 1e-6,
                   "the headline (%.3f) is not the world layer's (%.3f)", headline, world_err);
        CONF_CHECK(&c, sky_err > 20.0,
                   "the sky layer's own error is %.2f deg, expected about 30 (the head's turn)", sky_err);
        CONF_CHECK(&c,
                   num(sky, "headline_frames", NULL) == 0 &&
                       num(sky, "implausible_frames", NULL) == num(sky, "frames", NULL),
                   "layers[0] should be implausible in every frame and never the headline");
        CONF_CHECK(&c,
                   num(world, "headline_frames", NULL) == num(world, "frames", NULL) &&
                       num(world, "frames", NULL) >= FRAMES,
                   "layers[1] should be the headline of its %g frames", num(world, "frames", NULL));
        const char *w0 = json_object_get_string(json_object_array_get_idx(warnings, 0));
        printf("  report warnings[0]: %s\n", w0 ? w0 : "(none)");
        CONF_CHECK(&c,
                   json_object_array_length(warnings) == 1 && w0 && strstr(w0, "layers[0]") &&
                       strstr(w0, "identity pose"),
                   "the report's \"warnings\" does not name layers[0] and its identity pose");
        if (argc > 1 && json_object_to_file_ext(argv[1], r, JSON_C_TO_STRING_PRETTY) == 0)
            printf("  report kept at %s\n", argv[1]);
        json_object_put(r);
    }
    remove(report);
    return conf_finish(&c);
}
