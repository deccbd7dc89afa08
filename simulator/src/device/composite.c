/* SPDX-License-Identifier: MIT */
/* The simulated display's picture of a frame: every layer composited in order (device/sim_composite.h has
 * the geometry, the pixel-centre convention, the filter and the colour rules).
 * Layer: device (the lower part); calls device/optics.c, base/ and plx_math.
 *
 * Cost: per eye pixel and layer, a ray in the layer's frame is three multiply-adds from the pixel's
 * tangents (the rotation is folded into three vectors per eye and layer); quads and cylinders are culled to
 * the bounding box of their projected outline; the reference projection layer at the display's size maps
 * texel for texel, and when it is the only layer, opaque and 8-bit sRGB, its bytes are copied as they are. */
#include "device/sim_composite.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_pose.h"
#include "device/sim_optics.h"

/* Linear values are encoded to 8-bit sRGB through a table indexed by value * (SIM_ENCODE_STEPS - 1): fine
 * enough that decode-then-encode returns every sRGB byte unchanged (adjacent bytes are >= 20 steps apart). */
#define SIM_ENCODE_STEPS 65536

struct sim_composer {
    float srgb_to_linear[256];
    uint8_t linear_to_srgb[SIM_ENCODE_STEPS];
    float *acc; /* one eye's composite, RGBA, then the eye's ray tangents */
    size_t acc_size;
};

/* ---------------------------------------------------------------- formats */

uint32_t sim_composite_texel_size(VkFormat format)
{
    switch (format) {
    case VK_FORMAT_R8G8B8A8_SRGB:
    case VK_FORMAT_B8G8R8A8_SRGB:
    case VK_FORMAT_R8G8B8A8_UNORM:
    case VK_FORMAT_B8G8R8A8_UNORM:
    case VK_FORMAT_A2B10G10R10_UNORM_PACK32:
    case VK_FORMAT_B10G11R11_UFLOAT_PACK32:
        return 4;
    case VK_FORMAT_R16G16B16A16_SFLOAT:
    case VK_FORMAT_R16G16B16A16_UNORM:
        return 8;
    default:
        return 0;
    }
}

static bool format_has_alpha(VkFormat f)
{
    return f != VK_FORMAT_B10G11R11_UFLOAT_PACK32;
}

static float half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h >> 15) & 1u, exp = (uint32_t)(h >> 10) & 31u, man = h & 1023u;
    float v;
    if (exp == 0)
        v = ldexpf((float)man, -24); /* subnormal */
    else if (exp == 31)
        v = man ? NAN : INFINITY;
    else
        v = ldexpf((float)(man | 1024u), (int)exp - 25);
    return sign ? -v : v;
}

/* An unsigned float of the packed B10G11R11 format: 5 exponent bits, `mbits` mantissa bits. */
static float ufloat_to_float(uint32_t bits, int mbits)
{
    uint32_t exp = bits >> mbits, man = bits & ((1u << mbits) - 1u);
    if (exp == 0) return ldexpf((float)man, -14 - mbits);
    if (exp == 31) return man ? NAN : INFINITY;
    return ldexpf((float)(man | (1u << mbits)), (int)exp - 15 - mbits);
}

/* One texel as linear RGBA (alpha 1 when the format has none), before the layer's alpha rules. */
static inline __attribute__((always_inline)) void decode_texel(const sim_composer *cp, VkFormat f,
                                                               const uint8_t *p, float out[4])
{
    switch (f) {
    case VK_FORMAT_R8G8B8A8_SRGB:
    case VK_FORMAT_B8G8R8A8_SRGB:
    case VK_FORMAT_R8G8B8A8_UNORM:
    case VK_FORMAT_B8G8R8A8_UNORM: {
        bool bgra = f == VK_FORMAT_B8G8R8A8_SRGB || f == VK_FORMAT_B8G8R8A8_UNORM;
        uint8_t rgb[3] = {bgra ? p[2] : p[0], p[1], bgra ? p[0] : p[2]};
        bool srgb = f == VK_FORMAT_R8G8B8A8_SRGB || f == VK_FORMAT_B8G8R8A8_SRGB;
        for (int k = 0; k < 3; k++) out[k] = srgb ? cp->srgb_to_linear[rgb[k]] : rgb[k] * (1.0f / 255.0f);
        out[3] = p[3] * (1.0f / 255.0f); /* alpha is linear in every format */
        return;
    }
    case VK_FORMAT_A2B10G10R10_UNORM_PACK32: {
        uint32_t v;
        memcpy(&v, p, 4);
        out[0] = (float)(v & 1023u) * (1.0f / 1023.0f);
        out[1] = (float)((v >> 10) & 1023u) * (1.0f / 1023.0f);
        out[2] = (float)((v >> 20) & 1023u) * (1.0f / 1023.0f);
        out[3] = (float)(v >> 30) * (1.0f / 3.0f);
        return;
    }
    case VK_FORMAT_B10G11R11_UFLOAT_PACK32: {
        uint32_t v;
        memcpy(&v, p, 4);
        out[0] = ufloat_to_float(v & 2047u, 6);
        out[1] = ufloat_to_float((v >> 11) & 2047u, 6);
        out[2] = ufloat_to_float(v >> 22, 5);
        out[3] = 1.0f;
        return;
    }
    case VK_FORMAT_R16G16B16A16_SFLOAT: {
        uint16_t h[4];
        memcpy(h, p, 8);
        for (int k = 0; k < 4; k++) out[k] = half_to_float(h[k]);
        return;
    }
    case VK_FORMAT_R16G16B16A16_UNORM: {
        uint16_t h[4];
        memcpy(h, p, 8);
        for (int k = 0; k < 4; k++) out[k] = (float)h[k] * (1.0f / 65535.0f);
        return;
    }
    default:
        out[0] = out[1] = out[2] = 0.0f;
        out[3] = 1.0f;
        return;
    }
}

static inline float clamp01(float x)
{
    /* NaN (a float texel can hold one) becomes 0. */
    return x > 0.0f ? (x < 1.0f ? x : 1.0f) : 0.0f;
}

/* ---------------------------------------------------------------- one layer image as a texture */

/* A layer image as the sampler reads it: texels decoded as they are fetched (decoding a whole image first
 * costs more than sampling when the image has more texels than the eye pixels it covers, as UI panels
 * usually do). */
typedef struct texture {
    const sim_composer *cp;
    const uint8_t *data;
    int w, h;
    uint32_t texel; /* bytes */
    VkFormat format;
    sim_layer_alpha alpha;
    bool clamp;  /* a float format: clamp decoded values to [0, 1] */
    bool wrap_x; /* a full equirect circle: the left and right edges meet */
} texture;

/* The layer colour of texel (x, y): decoded, the alpha rules of "Composition Layer Blending" applied,
 * clamped. */
static inline __attribute__((always_inline)) void texel_at(const texture *t, int x, int y, float c[4])
{
    const uint8_t *p = t->data + ((size_t)y * (size_t)t->w + (size_t)x) * t->texel;
    if (t->format == VK_FORMAT_R8G8B8A8_SRGB) { /* the common case first, without the switch */
        const float *lut = t->cp->srgb_to_linear;
        c[0] = lut[p[0]];
        c[1] = lut[p[1]];
        c[2] = lut[p[2]];
        c[3] = p[3] * (1.0f / 255.0f);
    } else {
        decode_texel(t->cp, t->format, p, c);
    }
    if (t->clamp) { /* float formats may hold anything; normalized ones are in [0, 1] already */
        for (int k = 0; k < 4; k++) c[k] = clamp01(c[k]);
    }
    if (t->alpha == SIM_ALPHA_OPAQUE) {
        c[3] = 1.0f;
    } else if (t->alpha == SIM_ALPHA_UNPREMULTIPLIED) {
        c[0] *= c[3];
        c[1] *= c[3];
        c[2] *= c[3];
    }
}

/* floor for the coordinates sampling sees (> -65536): a cast, no libm call. */
static inline int fast_floor(float x)
{
    return (int)(x + 65536.0f) - 65536;
}

/* Bilinear sample at texture coordinates (u, v) in [0, 1], clamp-to-edge (or wrapping in x). */
static inline __attribute__((always_inline)) void sample(const texture *t, float u, float v, float out[4])
{
    float px = u * (float)t->w - 0.5f, py = v * (float)t->h - 0.5f;
    int x0 = fast_floor(px), y0 = fast_floor(py);
    float fx = px - (float)x0, fy = py - (float)y0;
    int x1 = x0 + 1, y1 = y0 + 1;
    if (t->wrap_x) {
        x0 = x0 < 0 ? x0 + t->w : (x0 >= t->w ? x0 - t->w : x0);
        x1 = x1 < 0 ? x1 + t->w : (x1 >= t->w ? x1 - t->w : x1);
    } else {
        x0 = x0 < 0 ? 0 : (x0 >= t->w ? t->w - 1 : x0);
        x1 = x1 >= t->w ? t->w - 1 : x1;
    }
    y0 = y0 < 0 ? 0 : (y0 >= t->h ? t->h - 1 : y0);
    y1 = y1 >= t->h ? t->h - 1 : y1;
    float a[4], b[4], c[4], d[4];
    texel_at(t, x0, y0, a);
    texel_at(t, x1, y0, b);
    texel_at(t, x0, y1, c);
    texel_at(t, x1, y1, d);
    for (int k = 0; k < 4; k++) {
        float top = a[k] + (b[k] - a[k]) * fx, bottom = c[k] + (d[k] - c[k]) * fx;
        out[k] = top + (bottom - top) * fy;
    }
}

/* composite = layer + composite * (1 - layer.alpha) */
static inline void blend(float *acc, const float *l)
{
    float k = 1.0f - l[3];
    acc[0] = l[0] + acc[0] * k;
    acc[1] = l[1] + acc[1] * k;
    acc[2] = l[2] + acc[2] * k;
    acc[3] = l[3] + acc[3] * k;
}

/* ---------------------------------------------------------------- plausibility, reference, display */

static bool pose_is_identity(const XrPosef *p)
{
    const XrQuaternionf *q = &p->orientation;
    return q->x == 0.0f && q->y == 0.0f && q->z == 0.0f && fabsf(q->w) == 1.0f && p->position.x == 0.0f &&
           p->position.y == 0.0f && p->position.z == 0.0f;
}

/* An fov the display can be drawn from: finite, each angle within 90 degrees of the axis, some width and
 * height. */
static bool fov_drawable(const XrFovf *f)
{
    const float lim = (float)(PLX_PI / 2.0) * 0.999f;
    float a[4] = {f->angleLeft, f->angleRight, f->angleUp, f->angleDown};
    for (int k = 0; k < 4; k++)
        if (!(fabsf(a[k]) < lim)) return false;
    return fabsf(tanf(f->angleRight) - tanf(f->angleLeft)) > 1e-6f &&
           fabsf(tanf(f->angleUp) - tanf(f->angleDown)) > 1e-6f;
}

const char *sim_composite_implausible(const sim_layer *l)
{
    static const char *const identity[SIM_MAX_LAYER_VIEWS] = {
        "views[0].pose is the identity pose (no eye is at the space's origin)",
        "views[1].pose is the identity pose (no eye is at the space's origin)"};
    static const char *const no_fov[SIM_MAX_LAYER_VIEWS] = {
        "views[0].fov has no width or height (or reaches 90 degrees)",
        "views[1].fov has no width or height (or reaches 90 degrees)"};
    if (l->type != SIM_LAYER_PROJECTION) return NULL;
    uint32_t n =
        l->projection.view_count < SIM_MAX_LAYER_VIEWS ? l->projection.view_count : SIM_MAX_LAYER_VIEWS;
    for (uint32_t v = 0; v < n; v++) {
        if (pose_is_identity(&l->projection.views[v].pose)) return identity[v];
        if (!fov_drawable(&l->projection.views[v].fov)) return no_fov[v];
    }
    return NULL;
}

/* Share of the display's fov (in tangent space, the image plane) that a view's fov covers, looking the
 * same way. */
static double fov_coverage(const XrFovf *layer, const XrFovf *display)
{
    double l0 = tan(layer->angleLeft), r0 = tan(layer->angleRight), d0 = tan(layer->angleDown),
           u0 = tan(layer->angleUp);
    if (l0 > r0) { /* a mirrored fov covers the same area */
        double t = l0;
        l0 = r0;
        r0 = t;
    }
    if (d0 > u0) {
        double t = d0;
        d0 = u0;
        u0 = t;
    }
    double l1 = tan(display->angleLeft), r1 = tan(display->angleRight), d1 = tan(display->angleDown),
           u1 = tan(display->angleUp);
    double w = fmin(r0, r1) - fmax(l0, l1), h = fmin(u0, u1) - fmax(d0, d1);
    if (w <= 0 || h <= 0) return 0.0;
    return (w * h) / ((r1 - l1) * (u1 - d1));
}

int32_t sim_composite_reference(const sim_frame *f)
{
    int32_t best = -1;
    double best_cov = 0.0;
    for (uint32_t i = 0; i < f->layer_count && i < SIM_MAX_LAYERS; i++) {
        const sim_layer *l = &f->layers[i];
        if (l->type != SIM_LAYER_PROJECTION || l->space == SIM_LAYER_SPACE_UNTRACKED ||
            sim_composite_implausible(l))
            continue;
        double cov = 0.0;
        uint32_t n = l->projection.view_count < 2 ? l->projection.view_count : 2;
        for (uint32_t v = 0; v < n; v++) {
            XrFovf display = sim_eye_fov((int)v);
            cov += fov_coverage(&l->projection.views[v].fov, &display) / (double)n;
        }
        if (cov > 0.0 && (best < 0 || cov > best_cov + 0.01)) {
            best = (int32_t)i;
            best_cov = cov;
        }
    }
    return best;
}

static plx_pose head_from_eyes(const XrPosef eyes[2])
{
    plx_quat a = sim_plx_quat(eyes[0].orientation), b = sim_plx_quat(eyes[1].orientation);
    if (a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w < 0.0f) b = (plx_quat){-b.x, -b.y, -b.z, -b.w};
    plx_quat mid = plx_quat_normalize((plx_quat){a.x + b.x, a.y + b.y, a.z + b.z, a.w + b.w});
    plx_vec3 pa = sim_plx_vec(eyes[0].position), pb = sim_plx_vec(eyes[1].position);
    return (plx_pose){.orientation = mid, .position = plx_vec3_scale(plx_vec3_add(pa, pb), 0.5f)};
}

void sim_composite_display(const sim_frame *f, float ipd_m, sim_display *out)
{
    XrPosef tracked = f->head_valid ? f->head_pose : sim_xr_pose(plx_pose_identity());
    out->reference = sim_composite_reference(f);
    out->fov[0] = sim_eye_fov(0);
    out->fov[1] = sim_eye_fov(1);
    if (out->reference < 0) {
        XrView views[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
        sim_eye_views(ipd_m, &tracked, views);
        out->head = tracked;
        out->eye[0] = views[0].pose;
        out->eye[1] = views[1].pose;
        return;
    }
    const sim_layer *l = &f->layers[out->reference];
    for (int e = 0; e < 2; e++) out->eye[e] = l->projection.views[e].pose;
    if (l->space == SIM_LAYER_SPACE_VIEW) {
        /* Head-locked views: the eyes hang from the tracked head like the layer does. */
        for (int e = 0; e < 2; e++)
            out->eye[e] = sim_xr_pose(plx_pose_mul(sim_plx_pose(tracked), sim_plx_pose(out->eye[e])));
        out->head = tracked;
    } else {
        /* The head between the layer's eyes, so a head-locked layer sits where the app's own views put it. */
        out->head = sim_xr_pose(head_from_eyes(out->eye));
    }
}

/* ---------------------------------------------------------------- per eye and layer geometry */

/* An eye's view rays in some frame F: direction(tx, ty) = tx * c0 + ty * c1 - c2, from origin o. */
typedef struct rays {
    plx_vec3 c0, c1, c2, o;
} rays;

/* The eye's rays in the frame of `frame` (a pose in LOCAL). */
static rays rays_in(const XrPosef *eye, const plx_pose *frame)
{
    plx_quat inv = plx_quat_conj(frame->orientation);
    plx_quat m = plx_quat_mul(inv, sim_plx_quat(eye->orientation));
    rays r;
    r.c0 = plx_quat_rotate(m, (plx_vec3){1.0f, 0.0f, 0.0f});
    r.c1 = plx_quat_rotate(m, (plx_vec3){0.0f, 1.0f, 0.0f});
    r.c2 = plx_quat_rotate(m, (plx_vec3){0.0f, 0.0f, 1.0f});
    r.o = plx_quat_rotate(inv, plx_vec3_sub(sim_plx_vec(eye->position), frame->position));
    return r;
}

/* A layer pose in LOCAL: head-locked layers hang from the display's head. */
static plx_pose layer_pose_local(const sim_layer *l, const sim_display *d, XrPosef pose)
{
    if (l->space == SIM_LAYER_SPACE_VIEW) return plx_pose_mul(sim_plx_pose(d->head), sim_plx_pose(pose));
    return sim_plx_pose(pose);
}

/* Pixel ranges of an eye a layer may touch: [x0, x1) x [y0, y1). */
typedef struct box {
    int x0, y0, x1, y1;
} box;

typedef struct eye_grid {
    int w, h;
    float tan_l, tan_r, tan_u, tan_d;
    float *tx; /* per column */
    float *ty; /* per row */
} eye_grid;

/* Where a LOCAL point lands in the eye, in continuous pixel coordinates; false when it is not in front. */
static bool project(const eye_grid *g, const XrPosef *eye, plx_vec3 p, float *out_x, float *out_y)
{
    plx_vec3 v = plx_quat_rotate(plx_quat_conj(sim_plx_quat(eye->orientation)),
                                 plx_vec3_sub(p, sim_plx_vec(eye->position)));
    if (!(v.z < -1e-4f)) return false;
    float tx = v.x / -v.z, ty = v.y / -v.z;
    *out_x = (tx - g->tan_l) / (g->tan_r - g->tan_l) * (float)g->w;
    *out_y = (g->tan_u - ty) / (g->tan_u - g->tan_d) * (float)g->h;
    return true;
}

/* The pixel box around projected outline points (with a margin for curved outlines between samples); the
 * whole eye when any point is behind it. */
static box outline_box(const eye_grid *g, const XrPosef *eye, const plx_vec3 *pts, int n, float margin)
{
    box full = {0, 0, g->w, g->h};
    float x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int k = 0; k < n; k++) {
        float x, y;
        if (!project(g, eye, pts[k], &x, &y)) return full;
        x0 = fminf(x0, x);
        x1 = fmaxf(x1, x);
        y0 = fminf(y0, y);
        y1 = fmaxf(y1, y);
    }
    float mx = margin * (x1 - x0) + 2.0f, my = margin * (y1 - y0) + 2.0f;
    box b = {(int)floorf(x0 - mx), (int)floorf(y0 - my), (int)ceilf(x1 + mx), (int)ceilf(y1 + my)};
    if (b.x0 < 0) b.x0 = 0;
    if (b.y0 < 0) b.y0 = 0;
    if (b.x1 > g->w) b.x1 = g->w;
    if (b.y1 > g->h) b.y1 = g->h;
    return b;
}

/* The image a layer samples for an eye. false: nothing to draw (no pixels). */
static bool layer_texture(const sim_composer *cp, const sim_layer *l, const sim_texels *tx, texture *out)
{
    if (!tx->data || tx->width == 0 || tx->height == 0 || sim_composite_texel_size(tx->format) == 0)
        return false;
    *out = (texture){.cp = cp,
                     .data = tx->data,
                     .w = (int)tx->width,
                     .h = (int)tx->height,
                     .texel = sim_composite_texel_size(tx->format),
                     .format = tx->format,
                     .alpha = format_has_alpha(tx->format) ? l->alpha : SIM_ALPHA_OPAQUE,
                     .clamp = tx->format == VK_FORMAT_R16G16B16A16_SFLOAT ||
                              tx->format == VK_FORMAT_B10G11R11_UFLOAT_PACK32};
    return true;
}

static void draw_projection(const sim_layer *l, int eye, const sim_display *d, const eye_grid *g,
                            const texture *t, float *acc)
{
    const sim_projection_view *view = &l->projection.views[eye];
    if (!fov_drawable(&view->fov)) return;
    plx_pose frame = layer_pose_local(l, d, view->pose);
    rays r = rays_in(&d->eye[eye], &frame);
    float tl = tanf(view->fov.angleLeft), tr = tanf(view->fov.angleRight), tu = tanf(view->fov.angleUp),
          td = tanf(view->fov.angleDown);
    float inv_w = 1.0f / (tr - tl), inv_h = 1.0f / (tu - td);
    /* The reference layer at the display's size: texel for texel. */
    bool same_fov = memcmp(&view->fov, &d->fov[eye], sizeof(XrFovf)) == 0;
    bool same_pose = memcmp(&frame.orientation, &d->eye[eye].orientation, sizeof(XrQuaternionf)) == 0;
    if (same_fov && same_pose && t->w == g->w && t->h == g->h) {
        float c[4];
        for (int y = 0; y < g->h; y++)
            for (int x = 0; x < g->w; x++) {
                texel_at(t, x, y, c);
                blend(acc + ((size_t)y * (size_t)g->w + (size_t)x) * 4, c);
            }
        return;
    }
    for (int y = 0; y < g->h; y++) {
        float ty = g->ty[y];
        plx_vec3 row = plx_vec3_sub(plx_vec3_scale(r.c1, ty), r.c2);
        float *a = acc + (size_t)y * (size_t)g->w * 4;
        for (int x = 0; x < g->w; x++) {
            float tx = g->tx[x];
            float dx = row.x + tx * r.c0.x, dy = row.y + tx * r.c0.y, dz = row.z + tx * r.c0.z;
            if (!(dz < 0.0f)) continue;
            float lx = dx / -dz, ly = dy / -dz;
            float u = (lx - tl) * inv_w, v = (tu - ly) * inv_h;
            if (!(u >= 0.0f && u <= 1.0f && v >= 0.0f && v <= 1.0f)) continue;
            float c[4];
            sample(t, u, v, c);
            blend(a + (size_t)x * 4, c);
        }
    }
}

static void draw_quad(const sim_layer *l, int eye, const sim_display *d, const eye_grid *g, const texture *t,
                      float *acc)
{
    float w = l->quad.size.width, h = l->quad.size.height;
    if (!(w > 0.0f && h > 0.0f)) return; /* a zero size draws nothing */
    plx_pose frame = layer_pose_local(l, d, l->quad.pose);
    rays r = rays_in(&d->eye[eye], &frame);
    if (!(r.o.z > 0.0f)) return; /* the eye is behind the quad: only the front face is drawn */
    plx_vec3 corners[4];
    for (int k = 0; k < 4; k++) {
        plx_vec3 c = {(k & 1) ? w * 0.5f : -w * 0.5f, (k & 2) ? h * 0.5f : -h * 0.5f, 0.0f};
        corners[k] = plx_pose_transform_point(frame, c);
    }
    box b = outline_box(g, &d->eye[eye], corners, 4, 0.0f);
    for (int y = b.y0; y < b.y1; y++) {
        plx_vec3 row = plx_vec3_sub(plx_vec3_scale(r.c1, g->ty[y]), r.c2);
        float *a = acc + (size_t)y * (size_t)g->w * 4;
        for (int x = b.x0; x < b.x1; x++) {
            float tx = g->tx[x];
            float dx = row.x + tx * r.c0.x, dy = row.y + tx * r.c0.y, dz = row.z + tx * r.c0.z;
            if (!(dz < 0.0f)) continue;
            float s = -r.o.z / dz;
            float px = r.o.x + s * dx, py = r.o.y + s * dy;
            float u = px / w + 0.5f, v = 0.5f - py / h;
            if (!(u >= 0.0f && u <= 1.0f && v >= 0.0f && v <= 1.0f)) continue;
            float c[4];
            sample(t, u, v, c);
            blend(a + (size_t)x * 4, c);
        }
    }
}

/* Radius 0 or +infinity: a cylinder or sphere at infinity. */
static bool infinite_radius(float r)
{
    return r == 0.0f || isinf(r);
}

/* Where the ray o + s d leaves a cylinder about the y axis (or a sphere) of the radius around the origin: the
 * larger root of |o + s d| = radius (in the x-z plane for the cylinder), so the inside face. false when the
 * ray does not meet it ahead of the eye. */
static bool exit_point(plx_vec3 o, float dx, float dy, float dz, float radius, bool cylinder, float out[3])
{
    double ey = cylinder ? 0.0 : 1.0; /* the cylinder ignores y */
    double qa = (double)dx * dx + ey * dy * dy + (double)dz * dz;
    if (!(qa > 0.0)) return false;
    double qb = 2.0 * ((double)o.x * dx + ey * o.y * dy + (double)o.z * dz);
    double qc = (double)o.x * o.x + ey * o.y * o.y + (double)o.z * o.z - (double)radius * radius;
    double disc = qb * qb - 4.0 * qa * qc;
    if (disc < 0.0) return false;
    double s = (-qb + sqrt(disc)) / (2.0 * qa);
    if (!(s > 0.0)) return false;
    out[0] = (float)(o.x + s * dx);
    out[1] = (float)(o.y + s * dy);
    out[2] = (float)(o.z + s * dz);
    return true;
}

static void draw_cylinder(const sim_layer *l, int eye, const sim_display *d, const eye_grid *g,
                          const texture *t, float *acc)
{
    float radius = l->cylinder.radius, angle = l->cylinder.central_angle, aspect = l->cylinder.aspect_ratio;
    if (!(angle > 0.0f) || !(aspect > 0.0f) || !isfinite(aspect)) return; /* no visible section */
    bool infinite = infinite_radius(radius);
    plx_pose frame = layer_pose_local(l, d, l->cylinder.pose);
    rays r = rays_in(&d->eye[eye], &frame);
    float half = angle * 0.5f, inv_angle = 1.0f / angle;
    box b = {0, 0, g->w, g->h};
    float height = 0.0f;
    if (!infinite) {
        height = radius * angle / aspect;
        /* The outline: the top and bottom arcs (the section's projection lies inside their hull). */
        enum { ARC = 48 };
        plx_vec3 pts[2 * ARC];
        for (int k = 0; k < ARC; k++) {
            float th = -half + angle * (float)k / (float)(ARC - 1);
            for (int s = 0; s < 2; s++) {
                plx_vec3 p = {radius * sinf(th), s ? height * 0.5f : -height * 0.5f, -radius * cosf(th)};
                pts[s * ARC + k] = plx_pose_transform_point(frame, p);
            }
        }
        b = outline_box(g, &d->eye[eye], pts, 2 * ARC, 0.02f);
    }
    for (int y = b.y0; y < b.y1; y++) {
        plx_vec3 row = plx_vec3_sub(plx_vec3_scale(r.c1, g->ty[y]), r.c2);
        float *a = acc + (size_t)y * (size_t)g->w * 4;
        for (int x = b.x0; x < b.x1; x++) {
            float tx = g->tx[x];
            float dx = row.x + tx * r.c0.x, dy = row.y + tx * r.c0.y, dz = row.z + tx * r.c0.z;
            float hx, hz, v;
            if (infinite) {
                float horiz = sqrtf(dx * dx + dz * dz);
                if (!(horiz > 0.0f)) continue;
                hx = dx;
                hz = dz;
                v = 0.5f - (dy / horiz) * aspect * inv_angle;
            } else {
                float h[3];
                if (!exit_point(r.o, dx, dy, dz, radius, true, h)) continue;
                hx = h[0];
                hz = h[2];
                v = 0.5f - h[1] / height;
            }
            float th = atan2f(hx, -hz);
            if (!(th >= -half && th <= half)) continue;
            float u = th * inv_angle + 0.5f;
            if (!(v >= 0.0f && v <= 1.0f)) continue;
            float c[4];
            sample(t, u, v, c);
            blend(a + (size_t)x * 4, c);
        }
    }
}

static void draw_equirect2(const sim_layer *l, int eye, const sim_display *d, const eye_grid *g,
                           const texture *t_in, float *acc)
{
    float radius = l->equirect2.radius, hor = l->equirect2.central_horizontal_angle,
          up = l->equirect2.upper_vertical_angle, lo = l->equirect2.lower_vertical_angle;
    if (!(hor > 0.0f) || !(up > lo)) return; /* no visible part */
    texture t = *t_in;
    t.wrap_x = hor >= (float)(2.0 * PLX_PI);
    bool infinite = infinite_radius(radius);
    plx_pose frame = layer_pose_local(l, d, l->equirect2.pose);
    rays r = rays_in(&d->eye[eye], &frame);
    float half = hor * 0.5f, inv_hor = 1.0f / hor, inv_vert = 1.0f / (up - lo);
    for (int y = 0; y < g->h; y++) {
        plx_vec3 row = plx_vec3_sub(plx_vec3_scale(r.c1, g->ty[y]), r.c2);
        float *a = acc + (size_t)y * (size_t)g->w * 4;
        for (int x = 0; x < g->w; x++) {
            float tx = g->tx[x];
            float dx = row.x + tx * r.c0.x, dy = row.y + tx * r.c0.y, dz = row.z + tx * r.c0.z;
            float h[3] = {dx, dy, dz};
            if (!infinite && !exit_point(r.o, dx, dy, dz, radius, false, h)) continue;
            float hx = h[0], hy = h[1], hz = h[2];
            float lon = atan2f(hx, -hz), lat = atan2f(hy, sqrtf(hx * hx + hz * hz));
            if (!(lon >= -half && lon <= half && lat >= lo && lat <= up)) continue;
            float u = lon * inv_hor + 0.5f, v = (up - lat) * inv_vert;
            float c[4];
            sample(&t, u, v, c);
            blend(a + (size_t)x * 4, c);
        }
    }
}

/* ---------------------------------------------------------------- the composer */

static float srgb_decode(float c)
{
    return c <= 0.04045f ? c / 12.92f : powf((c + 0.055f) / 1.055f, 2.4f);
}

static float srgb_encode(float l)
{
    return l <= 0.0031308f ? l * 12.92f : 1.055f * powf(l, 1.0f / 2.4f) - 0.055f;
}

sim_composer *sim_composer_create(void)
{
    sim_composer *cp = calloc(1, sizeof(*cp));
    if (!cp) return NULL;
    for (int i = 0; i < 256; i++) cp->srgb_to_linear[i] = srgb_decode((float)i / 255.0f);
    for (int i = 0; i < SIM_ENCODE_STEPS; i++) {
        float e = srgb_encode((float)i / (float)(SIM_ENCODE_STEPS - 1)) * 255.0f + 0.5f;
        cp->linear_to_srgb[i] = (uint8_t)(e < 0.0f ? 0.0f : (e > 255.0f ? 255.0f : e));
    }
    return cp;
}

void sim_composer_destroy(sim_composer **pcp)
{
    sim_composer *cp = pcp ? *pcp : NULL;
    if (!cp) return;
    *pcp = NULL;
    free(cp->acc);
    free(cp);
}

static bool eye_sees(const sim_layer *l, int eye)
{
    if (l->type == SIM_LAYER_PROJECTION || l->eye_visibility == XR_EYE_VISIBILITY_BOTH) return true;
    return (eye == 0 && l->eye_visibility == XR_EYE_VISIBILITY_LEFT) ||
           (eye == 1 && l->eye_visibility == XR_EYE_VISIBILITY_RIGHT);
}

/* The common case, byte for byte: the only drawn layer is the reference at the display's size, opaque,
 * 8-bit sRGB. Writes the eye and returns true; false when the case does not apply. */
static bool copy_reference(const sim_frame *f, const sim_display *d,
                           const sim_texels (*texels)[SIM_MAX_LAYER_VIEWS], int eye, uint32_t eye_w,
                           uint32_t eye_h, uint8_t *rgb, size_t stride)
{
    if (d->reference < 0 || f->blend_mode != XR_ENVIRONMENT_BLEND_MODE_OPAQUE) return false;
    for (uint32_t i = 0; i < f->layer_count; i++)
        if ((int32_t)i != d->reference && f->layers[i].space != SIM_LAYER_SPACE_UNTRACKED &&
            eye_sees(&f->layers[i], eye) &&
            texels[i][f->layers[i].type == SIM_LAYER_PROJECTION ? eye : 0].data)
            return false;
    const sim_layer *l = &f->layers[d->reference];
    const sim_texels *tx = &texels[d->reference][eye];
    const sim_projection_view *view = &l->projection.views[eye];
    bool bgra = tx->format == VK_FORMAT_B8G8R8A8_SRGB;
    if (!tx->data || (tx->format != VK_FORMAT_R8G8B8A8_SRGB && !bgra) || tx->width != eye_w ||
        tx->height != eye_h || memcmp(&view->fov, &d->fov[eye], sizeof(XrFovf)) != 0)
        return false;
    const uint8_t *src = tx->data;
    for (uint32_t y = 0; y < eye_h; y++) {
        uint8_t *o = rgb + (size_t)y * stride;
        const uint8_t *s = src + (size_t)y * eye_w * 4;
        for (uint32_t x = 0; x < eye_w; x++, o += 3, s += 4) {
            o[0] = bgra ? s[2] : s[0];
            o[1] = s[1];
            o[2] = bgra ? s[0] : s[2];
        }
    }
    return true;
}

bool sim_composer_run(sim_composer *cp, const sim_frame *f, const sim_display *d,
                      const sim_texels (*texels)[SIM_MAX_LAYER_VIEWS], uint32_t eye_w, uint32_t eye_h,
                      uint8_t *rgb)
{
    size_t pixels = (size_t)eye_w * eye_h;
    size_t need = pixels * 4 * sizeof(float) + ((size_t)eye_w + eye_h) * sizeof(float);
    if (cp->acc_size < need) {
        float *grown = realloc(cp->acc, need);
        if (!grown) return false;
        cp->acc = grown;
        cp->acc_size = need;
    }
    size_t stride = (size_t)eye_w * 2 * 3;
    for (int eye = 0; eye < 2; eye++) {
        uint8_t *out = rgb + (size_t)eye * eye_w * 3;
        if (copy_reference(f, d, texels, eye, eye_w, eye_h, out, stride)) continue;
        float *acc = cp->acc;
        eye_grid g = {.w = (int)eye_w,
                      .h = (int)eye_h,
                      .tan_l = tanf(d->fov[eye].angleLeft),
                      .tan_r = tanf(d->fov[eye].angleRight),
                      .tan_u = tanf(d->fov[eye].angleUp),
                      .tan_d = tanf(d->fov[eye].angleDown),
                      .tx = acc + pixels * 4,
                      .ty = acc + pixels * 4 + eye_w};
        for (uint32_t x = 0; x < eye_w; x++)
            g.tx[x] = g.tan_l + ((float)x + 0.5f) / (float)eye_w * (g.tan_r - g.tan_l);
        for (uint32_t y = 0; y < eye_h; y++)
            g.ty[y] = g.tan_u - ((float)y + 0.5f) / (float)eye_h * (g.tan_u - g.tan_d);
        memset(acc, 0, pixels * 4 * sizeof(float)); /* the composite starts at zero */
        for (uint32_t i = 0; i < f->layer_count && i < SIM_MAX_LAYERS; i++) {
            const sim_layer *l = &f->layers[i];
            if (l->space == SIM_LAYER_SPACE_UNTRACKED || !eye_sees(l, eye)) continue;
            texture t;
            if (!layer_texture(cp, l, &texels[i][l->type == SIM_LAYER_PROJECTION ? eye : 0], &t)) continue;
            switch (l->type) {
            case SIM_LAYER_PROJECTION:
                draw_projection(l, eye, d, &g, &t, acc);
                break;
            case SIM_LAYER_QUAD:
                draw_quad(l, eye, d, &g, &t, acc);
                break;
            case SIM_LAYER_CYLINDER:
                draw_cylinder(l, eye, d, &g, &t, acc);
                break;
            case SIM_LAYER_EQUIRECT2:
                draw_equirect2(l, eye, d, &g, &t, acc);
                break;
            }
        }
        /* The environment blend mode: OPAQUE shows the composite's colour, alpha ignored; ADDITIVE adds it to
         * the world behind, alpha ignored; ALPHA_BLEND lays it over the world by its alpha. */
        float env_add = f->blend_mode == XR_ENVIRONMENT_BLEND_MODE_ADDITIVE ? SIM_ENVIRONMENT_LINEAR : 0.0f;
        bool env_alpha = f->blend_mode == XR_ENVIRONMENT_BLEND_MODE_ALPHA_BLEND;
        for (uint32_t y = 0; y < eye_h; y++) {
            uint8_t *o = out + (size_t)y * stride;
            const float *a = acc + (size_t)y * eye_w * 4;
            for (uint32_t x = 0; x < eye_w; x++, o += 3, a += 4) {
                float behind = env_alpha ? SIM_ENVIRONMENT_LINEAR * (1.0f - clamp01(a[3])) : env_add;
                for (int k = 0; k < 3; k++)
                    o[k] = cp->linear_to_srgb[(int)(clamp01(a[k] + behind) * (float)(SIM_ENCODE_STEPS - 1) +
                                                    0.5f)];
            }
        }
    }
    return true;
}
