/* SPDX-License-Identifier: MIT */
/* The simulated display's compositing (simulator/src/device/composite.c), without a GPU: frames are built by
 * hand, composited, and the pixels measured against where the geometry projects by the convention of
 * simulator/src/device/sim_composite.h (pixel i covers [i, i + 1); a layer covers the pixels whose centres
 * its outline contains), and against the colour rules of the OpenXR specification's "Composition Layer
 * Blending" section. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "device/sim_composite.h"
#include "device/sim_optics.h"

#define W   200
#define H   200
#define IPD 0.064f
#define PI  3.14159265358979323846

typedef struct scene {
    sim_frame frame;
    sim_texels tex[SIM_MAX_LAYERS][SIM_MAX_LAYER_VIEWS];
    uint8_t rgb[2 * W * H * 3];
    sim_display display;
} scene;

static const XrPosef k_identity = {.orientation = {0, 0, 0, 1}};

static XrQuaternionf yaw(double deg)
{
    double h = deg * PI / 360.0;
    return (XrQuaternionf){0.0f, (float)sin(h), 0.0f, (float)cos(h)};
}

/* A solid w x h texture of one RGBA8 texel value (malloc'd, freed with the scene's frame by the test). */
static uint8_t *solid(uint32_t w, uint32_t h, const uint8_t px[4])
{
    uint8_t *t = malloc((size_t)w * h * 4);
    for (size_t i = 0; i < (size_t)w * h; i++) memcpy(t + i * 4, px, 4);
    return t;
}

static scene *new_scene(void)
{
    scene *s = calloc(1, sizeof(*s));
    s->frame.head_pose = k_identity;
    s->frame.head_valid = true;
    s->frame.blend_mode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
    return s;
}

static sim_layer *add_layer(scene *s, sim_layer_type type, sim_layer_alpha alpha)
{
    sim_layer *l = &s->frame.layers[s->frame.layer_count++];
    *l = (sim_layer){.type = type,
                     .alpha = alpha,
                     .space = SIM_LAYER_SPACE_LOCAL,
                     .eye_visibility = XR_EYE_VISIBILITY_BOTH};
    return l;
}

static void set_tex(scene *s, uint32_t layer, uint32_t view, const void *data, uint32_t w, uint32_t h,
                    VkFormat f)
{
    s->tex[layer][view] = (sim_texels){.data = data, .width = w, .height = h, .format = f};
}

/* The display's eyes from the tracker's head (identity): no projection layer. */
static void run(scene *s)
{
    sim_composite_display(&s->frame, IPD, &s->display);
    sim_composer *cp = sim_composer_create();
    assert_non_null(cp);
    assert_true(sim_composer_run(cp, &s->frame, &s->display, (const sim_texels(*)[SIM_MAX_LAYER_VIEWS])s->tex,
                                 W, H, s->rgb));
    sim_composer_destroy(&cp);
    assert_null(cp);
}

static const uint8_t *px(const scene *s, int eye, int x, int y)
{
    return s->rgb + ((size_t)y * 2 * W + (size_t)eye * W + (size_t)x) * 3;
}

/* Bounding box of the pixels of one eye whose colour is near `want` (per channel within tol). false if
 * none. */
static bool find_box(const scene *s, int eye, const uint8_t want[3], int tol, int box[4])
{
    box[0] = box[1] = INT32_MAX;
    box[2] = box[3] = -1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const uint8_t *p = px(s, eye, x, y);
            if (abs(p[0] - want[0]) > tol || abs(p[1] - want[1]) > tol || abs(p[2] - want[2]) > tol) continue;
            if (x < box[0]) box[0] = x;
            if (y < box[1]) box[1] = y;
            if (x > box[2]) box[2] = x;
            if (y > box[3]) box[3] = y;
        }
    return box[2] >= 0;
}

/* The continuous pixel coordinates of a LOCAL point seen from an eye of the display (its fov, W x H). */
static void project(const sim_display *d, int eye, double p[3], double *x, double *y)
{
    /* Eyes in these tests look down -z with identity orientation, from eye[].position. */
    const XrVector3f *e = &d->eye[eye].position;
    double vx = p[0] - e->x, vy = p[1] - e->y, vz = p[2] - e->z;
    double tl = tan(d->fov[eye].angleLeft), tr = tan(d->fov[eye].angleRight), tu = tan(d->fov[eye].angleUp),
           td = tan(d->fov[eye].angleDown);
    *x = (vx / -vz - tl) / (tr - tl) * W;
    *y = (tu - vy / -vz) / (tu - td) * H;
}

/* First and last pixel whose centre lies inside [a, b] (continuous coordinates). */
static int first_px(double a)
{
    return (int)ceil(a - 0.5);
}
static int last_px(double b)
{
    return (int)floor(b - 0.5);
}

static void quad_covers_the_pixels_its_corners_project_to_in_both_eyes(void **state)
{
    (void)state;
    scene *s = new_scene();
    const uint8_t red[4] = {255, 0, 0, 255};
    uint8_t *t = solid(8, 4, red);
    sim_layer *q = add_layer(s, SIM_LAYER_QUAD, SIM_ALPHA_OPAQUE);
    q->quad.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {0.3f, 0.2f, -2.0f}};
    q->quad.size = (XrExtent2Df){0.8f, 0.4f};
    set_tex(s, 0, 0, t, 8, 4, VK_FORMAT_R8G8B8A8_SRGB);
    run(s);
    assert_int_equal(s->display.reference, -1);
    for (int eye = 0; eye < 2; eye++) {
        double tl[3] = {-0.1, 0.4, -2.0}, br[3] = {0.7, 0.0, -2.0};
        double x0, y0, x1, y1;
        project(&s->display, eye, tl, &x0, &y0);
        project(&s->display, eye, br, &x1, &y1);
        int box[4];
        const uint8_t want[3] = {255, 0, 0};
        assert_true(find_box(s, eye, want, 0, box));
        printf("eye %d: quad expected x %.3f..%.3f y %.3f..%.3f, pixels %d..%d x %d..%d\n", eye, x0, x1, y0,
               y1, box[0], box[2], box[1], box[3]);
        assert_int_equal(box[0], first_px(x0));
        assert_int_equal(box[2], last_px(x1));
        assert_int_equal(box[1], first_px(y0));
        assert_int_equal(box[3], last_px(y1));
    }
    free(t);
    free(s);
}

static void quad_of_zero_size_or_seen_from_behind_draws_nothing(void **state)
{
    (void)state;
    const uint8_t red[4] = {255, 0, 0, 255}, black[3] = {0, 0, 0};
    uint8_t *t = solid(4, 4, red);
    for (int c = 0; c < 3; c++) {
        scene *s = new_scene();
        sim_layer *q = add_layer(s, SIM_LAYER_QUAD, SIM_ALPHA_OPAQUE);
        q->quad.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {0.0f, 0.0f, -1.0f}};
        q->quad.size = c == 0   ? (XrExtent2Df){0.0f, 0.0f}
                       : c == 1 ? (XrExtent2Df){0.5f, 0.0f}
                                : (XrExtent2Df){1, 1};
        if (c == 2) q->quad.pose.orientation = yaw(180.0); /* front face away from the viewer */
        set_tex(s, 0, 0, t, 4, 4, VK_FORMAT_R8G8B8A8_SRGB);
        run(s);
        int box[4];
        for (int eye = 0; eye < 2; eye++) {
            assert_true(find_box(s, eye, black, 0, box));
            assert_int_equal(box[0], 0);
            assert_int_equal(box[2], W - 1);
            const uint8_t red3[3] = {255, 0, 0};
            assert_false(find_box(s, eye, red3, 0, box));
        }
        free(s);
    }
    free(t);
}

static void eye_visibility_limits_a_quad_to_one_eye(void **state)
{
    (void)state;
    scene *s = new_scene();
    const uint8_t red[4] = {255, 0, 0, 255}, red3[3] = {255, 0, 0};
    uint8_t *t = solid(4, 4, red);
    sim_layer *q = add_layer(s, SIM_LAYER_QUAD, SIM_ALPHA_OPAQUE);
    q->quad.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {0.0f, 0.0f, -1.0f}};
    q->quad.size = (XrExtent2Df){0.5f, 0.5f};
    q->eye_visibility = XR_EYE_VISIBILITY_RIGHT;
    set_tex(s, 0, 0, t, 4, 4, VK_FORMAT_R8G8B8A8_SRGB);
    run(s);
    int box[4];
    assert_false(find_box(s, 0, red3, 0, box));
    assert_true(find_box(s, 1, red3, 0, box));
    free(t);
    free(s);
}

static void cylinder_spans_its_central_angle_and_height_from_its_centre(void **state)
{
    (void)state;
    scene *s = new_scene();
    const uint8_t green[4] = {0, 255, 0, 255}, green3[3] = {0, 255, 0};
    uint8_t *t = solid(16, 8, green);
    sim_layer *c = add_layer(s, SIM_LAYER_CYLINDER, SIM_ALPHA_OPAQUE);
    /* Centred on the left eye: that eye sees the arc at +-30 degrees, the top edge straight ahead at
     * height / 2 over the radius. */
    c->cylinder.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {-IPD / 2, 0.0f, 0.0f}};
    c->cylinder.radius = 2.0f;
    c->cylinder.central_angle = (float)(PI / 3.0);
    c->cylinder.aspect_ratio = 2.0f;
    c->eye_visibility = XR_EYE_VISIBILITY_LEFT;
    set_tex(s, 0, 0, t, 16, 8, VK_FORMAT_R8G8B8A8_SRGB);
    run(s);
    int box[4];
    assert_true(find_box(s, 0, green3, 0, box));
    double t30 = tan(PI / 6.0);
    double x0 = (-t30 + 1.0) / 2.0 * W, x1 = (t30 + 1.0) / 2.0 * W;
    double height = 2.0 * (PI / 3.0) / 2.0;
    /* The top edge is lowest on screen straight ahead (farthest in depth there: r); at the sides it is at
     * depth r cos 30, higher on screen. */
    double ty_mid = (height / 2.0) / 2.0, ty_side = (height / 2.0) / (2.0 * cos(PI / 6.0));
    printf("cylinder: expected x %.3f..%.3f, top from row %.3f; pixels %d..%d x %d..%d\n", x0, x1,
           (1.0 - ty_side) / 2.0 * H, box[0], box[2], box[1], box[3]);
    assert_int_equal(box[0], first_px(x0));
    assert_int_equal(box[2], last_px(x1));
    assert_int_equal(box[1], first_px((1.0 - ty_side) / 2.0 * H));
    assert_int_equal(box[3], last_px((1.0 + ty_side) / 2.0 * H));
    /* Straight ahead the section's top edge is at ty_mid. */
    int top = -1;
    for (int y = 0; y < H && top < 0; y++)
        if (px(s, 0, W / 2, y)[1] == 255) top = y;
    assert_int_equal(top, first_px((1.0 - ty_mid) / 2.0 * H));
    assert_false(find_box(s, 1, green3, 0, box)); /* LEFT only */
    free(t);
    free(s);
}

static void infinite_cylinder_and_exterior_view(void **state)
{
    (void)state;
    const uint8_t green[4] = {0, 255, 0, 255}, green3[3] = {0, 255, 0};
    uint8_t *t = solid(16, 8, green);
    /* Radius 0 (infinite): the arc's columns depend on direction only. */
    scene *s = new_scene();
    sim_layer *c = add_layer(s, SIM_LAYER_CYLINDER, SIM_ALPHA_OPAQUE);
    c->cylinder.pose = k_identity;
    c->cylinder.radius = 0.0f;
    c->cylinder.central_angle = (float)(PI / 3.0);
    c->cylinder.aspect_ratio = 1.0f;
    set_tex(s, 0, 0, t, 16, 8, VK_FORMAT_R8G8B8A8_SRGB);
    run(s);
    int box[4];
    assert_true(find_box(s, 0, green3, 0, box));
    double t30 = tan(PI / 6.0);
    assert_int_equal(box[0], first_px((-t30 + 1.0) / 2.0 * W));
    assert_int_equal(box[2], last_px((t30 + 1.0) / 2.0 * W));
    /* height / radius = angle / aspect: straight ahead the top is at tan y = (pi/3) / 2. */
    int top = -1;
    for (int y = 0; y < H && top < 0; y++)
        if (px(s, 0, W / 2, y)[1] == 255) top = y;
    assert_int_equal(top, first_px((1.0 - PI / 6.0) / 2.0 * H));
    free(s);
    /* Seen from outside, in front of its visible arc: the outside is not drawn, and the inside of that arc
     * faces away. */
    s = new_scene();
    c = add_layer(s, SIM_LAYER_CYLINDER, SIM_ALPHA_OPAQUE);
    c->cylinder.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {0.0f, 0.0f, 3.0f}};
    c->cylinder.radius = 1.0f;
    c->cylinder.central_angle = (float)(PI / 2.0);
    c->cylinder.aspect_ratio = 1.0f;
    set_tex(s, 0, 0, t, 16, 8, VK_FORMAT_R8G8B8A8_SRGB);
    run(s);
    assert_false(find_box(s, 0, green3, 0, box));
    assert_false(find_box(s, 1, green3, 0, box));
    free(s);
    free(t);
}

static void equirect2_maps_longitude_and_latitude(void **state)
{
    (void)state;
    scene *s = new_scene();
    /* 64 x 8: left half red, right half blue. */
    uint8_t *t = malloc(64 * 8 * 4);
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 64; x++) {
            uint8_t *p = t + (y * 64 + x) * 4;
            p[0] = x < 32 ? 255 : 0;
            p[1] = 0;
            p[2] = x < 32 ? 0 : 255;
            p[3] = 255;
        }
    sim_layer *e = add_layer(s, SIM_LAYER_EQUIRECT2, SIM_ALPHA_OPAQUE);
    e->equirect2.pose = k_identity;
    e->equirect2.radius = INFINITY;
    e->equirect2.central_horizontal_angle = (float)(PI / 2.0);
    e->equirect2.upper_vertical_angle = (float)(PI / 8.0);
    e->equirect2.lower_vertical_angle = (float)(-PI / 8.0);
    set_tex(s, 0, 0, t, 64, 8, VK_FORMAT_R8G8B8A8_SRGB);
    run(s);
    for (int eye = 0; eye < 2; eye++) {
        /* longitude 0 (the pose's -z) is the seam between the halves: the centre column */
        assert_int_equal(px(s, eye, W / 2 - 4, H / 2)[0], 255);
        assert_int_equal(px(s, eye, W / 2 + 3, H / 2)[2], 255);
        /* +-45 degrees of longitude is the whole 90 degree fov */
        assert_int_equal(px(s, eye, 0, H / 2)[0], 255);
        assert_int_equal(px(s, eye, W - 1, H / 2)[2], 255);
        /* latitude pi/8 at the centre column: the first row whose centre is below tan(pi/8) */
        int top = -1;
        for (int y = 0; y < H && top < 0; y++)
            if (px(s, eye, W / 2 - 4, y)[0] > 0) top = y;
        assert_int_equal(top, first_px((1.0 - tan(PI / 8.0)) / 2.0 * H));
    }
    free(t);
    free(s);
}

/* One pixel of a composite: a grey opaque layer below, then a quad filling the view with texel `q` of
 * format f and alpha mode a. */
static void blend_over_grey(const uint8_t q[4], VkFormat f, sim_layer_alpha a, uint8_t out[3])
{
    scene *s = new_scene();
    const uint8_t grey[4] = {128, 128, 128, 255};
    uint8_t *bg = solid(4, 4, grey), *fg = solid(4, 4, q);
    sim_layer *b = add_layer(s, SIM_LAYER_QUAD, SIM_ALPHA_OPAQUE);
    b->quad.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {0, 0, -1}};
    b->quad.size = (XrExtent2Df){10, 10};
    set_tex(s, 0, 0, bg, 4, 4, VK_FORMAT_R8G8B8A8_SRGB);
    sim_layer *l = add_layer(s, SIM_LAYER_QUAD, a);
    l->quad.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {0, 0, -0.5f}};
    l->quad.size = (XrExtent2Df){10, 10};
    set_tex(s, 1, 0, fg, 4, 4, f);
    run(s);
    memcpy(out, px(s, 0, W / 2, H / 2), 3);
    free(bg);
    free(fg);
    free(s);
}

static double srgb_to_linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}
static int linear_to_srgb8(double l)
{
    l = l < 0 ? 0 : l > 1 ? 1 : l;
    double e = l <= 0.0031308 ? l * 12.92 : 1.055 * pow(l, 1.0 / 2.4) - 0.055;
    return (int)floor(e * 255.0 + 0.5);
}

static void alpha_rules_follow_the_specification(void **state)
{
    (void)state;
    double grey = srgb_to_linear(128.0 / 255.0);
    uint8_t o[3];
    /* Premultiplied: (0.5, 0, 0, 0.5) linear (UNORM is linear): 0.502 + grey * 0.498. */
    const uint8_t pre[4] = {128, 0, 0, 128}, unpre[4] = {255, 0, 0, 128};
    double a = 128.0 / 255.0;
    int want_r = linear_to_srgb8(a + grey * (1 - a)), want_g = linear_to_srgb8(grey * (1 - a));
    blend_over_grey(pre, VK_FORMAT_R8G8B8A8_UNORM, SIM_ALPHA_PREMULTIPLIED, o);
    printf("premultiplied (128,0,0,128) over grey: %d %d %d, expected %d %d\n", o[0], o[1], o[2], want_r,
           want_g);
    assert_true(abs(o[0] - want_r) <= 1 && abs(o[1] - want_g) <= 1 && abs(o[2] - want_g) <= 1);
    /* Unpremultiplied: (1, 0, 0) times alpha first, the same result. */
    blend_over_grey(unpre, VK_FORMAT_R8G8B8A8_UNORM, SIM_ALPHA_UNPREMULTIPLIED, o);
    printf("unpremultiplied (255,0,0,128) over grey: %d %d %d\n", o[0], o[1], o[2]);
    assert_true(abs(o[0] - want_r) <= 1 && abs(o[1] - want_g) <= 1);
    /* The same texel taken as premultiplied: 1 + grey * 0.498, clamped to 1. */
    blend_over_grey(unpre, VK_FORMAT_R8G8B8A8_UNORM, SIM_ALPHA_PREMULTIPLIED, o);
    assert_int_equal(o[0], 255);
    assert_true(abs(o[1] - want_g) <= 1);
    /* Without BLEND_TEXTURE_SOURCE_ALPHA the alpha is 1: the quad's colour as it is. */
    blend_over_grey(pre, VK_FORMAT_R8G8B8A8_UNORM, SIM_ALPHA_OPAQUE, o);
    assert_int_equal(o[0], linear_to_srgb8(128.0 / 255.0));
    assert_int_equal(o[1], 0);
    /* An sRGB texel's colour is decoded before blending (alpha is linear). */
    const uint8_t pre_srgb[4] = {188, 0, 0, 128};
    blend_over_grey(pre_srgb, VK_FORMAT_R8G8B8A8_SRGB, SIM_ALPHA_PREMULTIPLIED, o);
    assert_true(abs(o[0] - linear_to_srgb8(srgb_to_linear(188.0 / 255.0) + grey * (1 - a))) <= 1);
}

static uint16_t float_to_half(float f)
{
    /* Normal numbers in range only: what the test uses. */
    uint32_t b;
    memcpy(&b, &f, 4);
    uint32_t sign = b >> 31, exp = ((b >> 23) & 255) - 127 + 15, man = (b >> 13) & 1023;
    return (uint16_t)(sign << 15 | exp << 10 | man);
}

static void formats_decode_to_the_same_colour(void **state)
{
    (void)state;
    /* Linear 0.5 in each linear format and its sRGB encoding in an sRGB one, opaque: the display shows
     * the sRGB encoding of 0.5 (188). */
    int want = linear_to_srgb8(0.5);
    uint8_t o[3];
    struct {
        VkFormat f;
        uint8_t texel[4]; /* 4-byte formats */
    } cases[] = {
        {VK_FORMAT_R8G8B8A8_SRGB, {188, 188, 188, 255}},
        {VK_FORMAT_B8G8R8A8_SRGB, {188, 188, 188, 255}},
        {VK_FORMAT_R8G8B8A8_UNORM, {128, 128, 128, 255}},
        {VK_FORMAT_B8G8R8A8_UNORM, {128, 128, 128, 255}},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        blend_over_grey(cases[i].texel, cases[i].f, SIM_ALPHA_OPAQUE, o);
        printf("format %d: %d %d %d (want %d)\n", (int)cases[i].f, o[0], o[1], o[2], want);
        assert_true(abs(o[0] - want) <= 1 && abs(o[1] - want) <= 1 && abs(o[2] - want) <= 1);
    }
    /* 10-bit packed: 512 / 1023 in each channel, alpha 3. */
    uint32_t a2b10 = 512u | 512u << 10 | 512u << 20 | 3u << 30;
    uint8_t t4[4];
    memcpy(t4, &a2b10, 4);
    blend_over_grey(t4, VK_FORMAT_A2B10G10R10_UNORM_PACK32, SIM_ALPHA_OPAQUE, o);
    assert_true(abs(o[0] - linear_to_srgb8(512.0 / 1023.0)) <= 1);
    /* B10G11R11 unsigned floats: 0.5 is exponent 14, mantissa 0. */
    uint32_t b10 = (14u << 6) | (14u << 6) << 11 | (14u << 5) << 22;
    memcpy(t4, &b10, 4);
    blend_over_grey(t4, VK_FORMAT_B10G11R11_UFLOAT_PACK32, SIM_ALPHA_PREMULTIPLIED, o); /* no alpha: opaque */
    assert_true(abs(o[0] - want) <= 1 && abs(o[2] - want) <= 1);
    /* 8-byte formats through a direct layer. */
    scene *s = new_scene();
    uint16_t half[4] = {float_to_half(0.5f), float_to_half(0.25f), float_to_half(2.0f), float_to_half(1.0f)};
    uint16_t *t = malloc(4 * 4 * 8);
    for (int i = 0; i < 16; i++) memcpy(t + i * 4, half, 8);
    sim_layer *q = add_layer(s, SIM_LAYER_QUAD, SIM_ALPHA_OPAQUE);
    q->quad.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {0, 0, -1}};
    q->quad.size = (XrExtent2Df){10, 10};
    set_tex(s, 0, 0, t, 4, 4, VK_FORMAT_R16G16B16A16_SFLOAT);
    run(s);
    const uint8_t *p = px(s, 0, W / 2, H / 2);
    printf("16F (0.5, 0.25, 2.0): %d %d %d\n", p[0], p[1], p[2]);
    assert_int_equal(p[0], want);
    assert_int_equal(p[1], linear_to_srgb8(0.25));
    assert_int_equal(p[2], 255); /* clamped */
    free(t);
    free(s);
}

/* Two eye views at the display's fov, at the eyes a head at the identity pose has. */
static void eye_views(sim_layer *l)
{
    XrView v[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
    sim_eye_views(IPD, &k_identity, v);
    l->projection.view_count = 2;
    for (int e = 0; e < 2; e++) {
        l->projection.views[e].pose = v[e].pose;
        l->projection.views[e].fov = v[e].fov;
    }
}

static void reference_layer_maps_byte_for_byte(void **state)
{
    (void)state;
    scene *s = new_scene();
    uint8_t *t[2];
    sim_layer *l = add_layer(s, SIM_LAYER_PROJECTION, SIM_ALPHA_OPAQUE);
    eye_views(l);
    uint32_t seed = 7;
    for (int e = 0; e < 2; e++) {
        t[e] = malloc(W * H * 4);
        for (int i = 0; i < W * H * 4; i++) {
            seed = seed * 1103515245u + 12345u;
            t[e][i] = (uint8_t)(seed >> 16);
        }
        set_tex(s, 0, (uint32_t)e, t[e], W, H, e ? VK_FORMAT_B8G8R8A8_SRGB : VK_FORMAT_R8G8B8A8_SRGB);
    }
    run(s);
    assert_int_equal(s->display.reference, 0);
    for (int e = 0; e < 2; e++)
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                const uint8_t *p = px(s, e, x, y), *q = t[e] + ((size_t)y * W + (size_t)x) * 4;
                assert_int_equal(p[0], e ? q[2] : q[0]);
                assert_int_equal(p[1], q[1]);
                assert_int_equal(p[2], e ? q[0] : q[2]);
            }
    /* The same through the general path (a second, empty-looking layer above): still exact. */
    const uint8_t clear[4] = {0, 0, 0, 0};
    uint8_t *c = solid(4, 4, clear);
    sim_layer *q = add_layer(s, SIM_LAYER_QUAD, SIM_ALPHA_PREMULTIPLIED);
    q->quad.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {0, 0, -1}};
    q->quad.size = (XrExtent2Df){10, 10};
    set_tex(s, 1, 0, c, 4, 4, VK_FORMAT_R8G8B8A8_SRGB);
    run(s);
    for (int e = 0; e < 2; e++)
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                const uint8_t *p = px(s, e, x, y), *o = t[e] + ((size_t)y * W + (size_t)x) * 4;
                assert_int_equal(p[1], o[1]);
            }
    free(c);
    free(t[0]);
    free(t[1]);
    free(s);
}

static void projection_layer_is_reprojected_by_its_rotation(void **state)
{
    (void)state;
    scene *s = new_scene();
    const uint8_t black[4] = {0, 0, 0, 255};
    uint8_t *bg = solid(W, H, black);
    sim_layer *ref = add_layer(s, SIM_LAYER_PROJECTION, SIM_ALPHA_OPAQUE);
    eye_views(ref);
    set_tex(s, 0, 0, bg, W, H, VK_FORMAT_R8G8B8A8_SRGB);
    set_tex(s, 0, 1, bg, W, H, VK_FORMAT_R8G8B8A8_SRGB);
    /* A second layer looking 10 degrees to the left, transparent but for a white vertical line through its
     * centre (columns 99 and 100 of 200). */
    uint8_t *line = calloc(W * H, 4);
    for (int y = 0; y < H; y++)
        for (int x = W / 2 - 1; x <= W / 2; x++) memset(line + ((size_t)y * W + (size_t)x) * 4, 255, 4);
    sim_layer *l = add_layer(s, SIM_LAYER_PROJECTION, SIM_ALPHA_PREMULTIPLIED);
    eye_views(l);
    for (int e = 0; e < 2; e++) {
        l->projection.views[e].pose.orientation = yaw(10.0);
        set_tex(s, 1, (uint32_t)e, line, W, H, VK_FORMAT_R8G8B8A8_SRGB);
    }
    run(s);
    assert_int_equal(s->display.reference, 0);
    /* The line (the centre of that view) lies at tan x = -tan 10 in the display. */
    double want = (1.0 - tan(10.0 * PI / 180.0)) / 2.0 * W;
    for (int e = 0; e < 2; e++) {
        double sum = 0, wsum = 0;
        for (int x = 0; x < W; x++) {
            double v = px(s, e, x, H / 2)[0];
            sum += v * (x + 0.5);
            wsum += v;
        }
        printf("eye %d: line at %.2f, expected %.2f\n", e, sum / wsum, want);
        assert_true(fabs(sum / wsum - want) < 0.5);
    }
    free(bg);
    free(line);
    free(s);
}

static void a_sky_layer_with_an_identity_pose_is_not_the_reference(void **state)
{
    (void)state;
    scene *s = new_scene();
    sim_layer *sky = add_layer(s, SIM_LAYER_PROJECTION, SIM_ALPHA_OPAQUE);
    eye_views(sky);
    sky->projection.views[0].pose = k_identity;
    sky->projection.views[1].pose = k_identity;
    sim_layer *main_layer = add_layer(s, SIM_LAYER_PROJECTION, SIM_ALPHA_PREMULTIPLIED);
    eye_views(main_layer);
    assert_non_null(sim_composite_implausible(sky));
    assert_non_null(strstr(sim_composite_implausible(sky), "identity pose"));
    assert_null(sim_composite_implausible(main_layer));
    assert_int_equal(sim_composite_reference(&s->frame), 1);
    /* A zero fov is no eye's either. */
    main_layer->projection.views[1].fov.angleRight = main_layer->projection.views[1].fov.angleLeft;
    assert_non_null(strstr(sim_composite_implausible(main_layer), "views[1].fov"));
    assert_int_equal(sim_composite_reference(&s->frame), -1);
    /* Of two plausible layers, the one covering more of the view; the first of equals. */
    eye_views(main_layer);
    sim_layer *inset = add_layer(s, SIM_LAYER_PROJECTION, SIM_ALPHA_OPAQUE);
    eye_views(inset);
    for (int e = 0; e < 2; e++) inset->projection.views[e].fov = (XrFovf){-0.2f, 0.2f, 0.2f, -0.2f};
    s->frame.layers[0] = *inset; /* an inset first: the full-fov layer wins */
    assert_int_equal(sim_composite_reference(&s->frame), 1);
    eye_views(&s->frame.layers[0]);
    assert_int_equal(sim_composite_reference(&s->frame), 0);
    free(s);
}

static void head_locked_quad_hangs_from_the_reference_eyes(void **state)
{
    (void)state;
    /* The reference layer's eyes turned 20 degrees: a head-locked quad straight ahead of the head stays
     * centred in the display (up to the eye offset), a world-locked one moves. */
    scene *s = new_scene();
    const uint8_t black[4] = {0, 0, 0, 255}, red[4] = {255, 0, 0, 255}, red3[3] = {255, 0, 0};
    uint8_t *bg = solid(4, 4, black), *fg = solid(4, 4, red);
    sim_layer *ref = add_layer(s, SIM_LAYER_PROJECTION, SIM_ALPHA_OPAQUE);
    XrPosef head = {.orientation = yaw(20.0), .position = {0.1f, 0.0f, 0.0f}};
    XrView v[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
    sim_eye_views(IPD, &head, v);
    ref->projection.view_count = 2;
    for (int e = 0; e < 2; e++) {
        ref->projection.views[e].pose = v[e].pose;
        ref->projection.views[e].fov = v[e].fov;
        set_tex(s, 0, (uint32_t)e, bg, 4, 4, VK_FORMAT_R8G8B8A8_SRGB);
    }
    sim_layer *q = add_layer(s, SIM_LAYER_QUAD, SIM_ALPHA_OPAQUE);
    q->space = SIM_LAYER_SPACE_VIEW;
    q->quad.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {0.0f, 0.0f, -1.0f}};
    q->quad.size = (XrExtent2Df){0.2f, 0.2f};
    set_tex(s, 1, 0, fg, 4, 4, VK_FORMAT_R8G8B8A8_SRGB);
    run(s);
    for (int e = 0; e < 2; e++) {
        int box[4];
        assert_true(find_box(s, e, red3, 0, box));
        /* In the eye's frame the quad spans x from -0.1 -+ ipd/2 to 0.1 -+ ipd/2 at depth 1. */
        double off = e ? -IPD / 2.0 : IPD / 2.0;
        double x0 = (-0.1 + off + 1.0) / 2.0 * W, x1 = (0.1 + off + 1.0) / 2.0 * W;
        assert_int_equal(box[0], first_px(x0));
        assert_int_equal(box[2], last_px(x1));
    }
    free(bg);
    free(fg);
    free(s);
}

static void environment_blend_modes_meet_the_world_behind(void **state)
{
    (void)state;
    /* A premultiplied (0.5, 0, 0, 0.5) quad over nothing: the composite is (0.5, 0, 0, 0.5). */
    const uint8_t half_red[4] = {128, 0, 0, 128};
    uint8_t *t = solid(4, 4, half_red);
    const XrEnvironmentBlendMode modes[3] = {XR_ENVIRONMENT_BLEND_MODE_OPAQUE,
                                             XR_ENVIRONMENT_BLEND_MODE_ADDITIVE,
                                             XR_ENVIRONMENT_BLEND_MODE_ALPHA_BLEND};
    double a = 128.0 / 255.0, world = SIM_ENVIRONMENT_LINEAR;
    /* inside the quad (red, green), outside it (grey) */
    double want[3][3] = {
        {a, 0.0, 0.0}, {a + world, world, world}, {a + world * (1 - a), world * (1 - a), world}};
    for (int m = 0; m < 3; m++) {
        scene *s = new_scene();
        s->frame.blend_mode = modes[m];
        sim_layer *q = add_layer(s, SIM_LAYER_QUAD, SIM_ALPHA_PREMULTIPLIED);
        q->quad.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {0, 0, -1}};
        q->quad.size = (XrExtent2Df){0.5f, 0.5f};
        set_tex(s, 0, 0, t, 4, 4, VK_FORMAT_R8G8B8A8_UNORM);
        run(s);
        const uint8_t *in = px(s, 0, W / 2, H / 2), *out = px(s, 0, 2, 2);
        printf("blend mode %d: inside (%d, %d, %d), outside (%d, %d, %d)\n", (int)modes[m], in[0], in[1],
               in[2], out[0], out[1], out[2]);
        assert_true(abs(in[0] - linear_to_srgb8(want[m][0])) <= 1);
        assert_true(abs(in[1] - linear_to_srgb8(want[m][1])) <= 1);
        assert_true(abs(out[0] - linear_to_srgb8(want[m][2])) <= 1);
        free(s);
    }
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quad_covers_the_pixels_its_corners_project_to_in_both_eyes),
        cmocka_unit_test(quad_of_zero_size_or_seen_from_behind_draws_nothing),
        cmocka_unit_test(eye_visibility_limits_a_quad_to_one_eye),
        cmocka_unit_test(cylinder_spans_its_central_angle_and_height_from_its_centre),
        cmocka_unit_test(infinite_cylinder_and_exterior_view),
        cmocka_unit_test(equirect2_maps_longitude_and_latitude),
        cmocka_unit_test(alpha_rules_follow_the_specification),
        cmocka_unit_test(formats_decode_to_the_same_colour),
        cmocka_unit_test(reference_layer_maps_byte_for_byte),
        cmocka_unit_test(projection_layer_is_reprojected_by_its_rotation),
        cmocka_unit_test(a_sky_layer_with_an_identity_pose_is_not_the_reference),
        cmocka_unit_test(head_locked_quad_hangs_from_the_reference_eyes),
        cmocka_unit_test(environment_blend_modes_meet_the_world_behind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
