/* SPDX-License-Identifier: MIT */
/* The simulated headset's optics: eye positions and fov (device/sim_optics.h).
 * Layer: device (the lower part); calls only base/ (inline pose conversions) and plx_math. */
#include "device/sim_optics.h"

#include "base/sim_pose.h"

#include <math.h>
#include <stdlib.h>

XrFovf sim_eye_fov(int eye)
{
    (void)eye;
    /* A symmetric 90 degree display, the same for both eyes. */
    const float a = (float)(PLX_PI / 4.0);
    return (XrFovf){.angleLeft = -a, .angleRight = a, .angleUp = a, .angleDown = -a};
}

void sim_eye_views(float ipd_m, const XrPosef *head, XrView out_views[2])
{
    plx_pose h = sim_plx_pose(*head);
    float half_ipd = ipd_m * 0.5f;
    for (int i = 0; i < 2; i++) {
        /* Left eye (0) at -x, right eye (1) at +x of the head frame. */
        plx_vec3 offset =
            plx_quat_rotate(h.orientation, (plx_vec3){i == 0 ? -half_ipd : half_ipd, 0.0f, 0.0f});
        plx_pose eye = {.orientation = h.orientation, .position = plx_vec3_add(h.position, offset)};
        out_views[i].pose = sim_xr_pose(eye);
        out_views[i].fov = sim_eye_fov(i);
    }
}

bool sim_optics_visible(float lens_radius, float x, float y)
{
    return x * x + y * y <= lens_radius * lens_radius;
}

typedef struct rect {
    double l, r, d, u; /* tangents of the fov: the view in the z = -1 plane */
} rect;

/* Distance from the view axis to the rectangle's border in direction a (the axis is inside the rectangle). */
static double rect_reach(const rect *b, double a)
{
    double c = cos(a), s = sin(a), t = INFINITY;
    if (c > 1e-12) t = fmin(t, b->r / c);
    if (c < -1e-12) t = fmin(t, b->l / c);
    if (s > 1e-12) t = fmin(t, b->u / s);
    if (s < -1e-12) t = fmin(t, b->d / s);
    return t;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define UNIFORM_STEPS 64

/* The directions the border is sampled in, counter-clockwise from 0: a uniform fan, the rectangle's corners
 * and where the lens circle crosses the rectangle's edges (so both are exact). Returns the count. */
static int border_angles(const rect *b, double radius, double *out)
{
    int n = 0;
    for (int i = 0; i < UNIFORM_STEPS; i++) out[n++] = 2.0 * PLX_PI * i / UNIFORM_STEPS;
    const double cx[4] = {b->r, b->l, b->l, b->r}, cy[4] = {b->u, b->u, b->d, b->d};
    for (int i = 0; i < 4; i++) out[n++] = atan2(cy[i], cx[i]);
    /* The circle crosses x = e where |y| = sqrt(r^2 - e^2) (inside the edge's span), likewise y = e. */
    const double xe[2] = {b->r, b->l}, ye[2] = {b->u, b->d};
    for (int i = 0; i < 2; i++) {
        double h2 = radius * radius - xe[i] * xe[i];
        if (h2 <= 0) continue;
        double h = sqrt(h2);
        if (h < b->u) out[n++] = atan2(h, xe[i]);
        if (-h > b->d) out[n++] = atan2(-h, xe[i]);
        h2 = radius * radius - ye[i] * ye[i];
        if (h2 <= 0) continue;
        h = sqrt(h2);
        if (h < b->r) out[n++] = atan2(ye[i], h);
        if (-h > b->l) out[n++] = atan2(ye[i], -h);
    }
    for (int i = 0; i < n; i++)
        if (out[i] < 0) out[i] += 2.0 * PLX_PI;
    qsort(out, (size_t)n, sizeof(double), cmp_double);
    /* Drop directions closer than a micro-radian to the previous one (a corner on a uniform step). */
    int m = 0;
    for (int i = 0; i < n; i++)
        if (m == 0 || out[i] - out[m - 1] > 1e-6) out[m++] = out[i];
    if (m > 1 && out[0] + 2.0 * PLX_PI - out[m - 1] <= 1e-6) m--;
    return m;
}

static XrVector2f at(double a, double dist)
{
    return (XrVector2f){(float)(cos(a) * dist), (float)(sin(a) * dist)};
}

static double tri_area(XrVector2f a, XrVector2f b, XrVector2f c)
{
    return 0.5 * ((double)(b.x - a.x) * (c.y - a.y) - (double)(c.x - a.x) * (b.y - a.y));
}

void sim_optics_mask(const XrFovf *fov, float lens_radius, sim_mask_type type, sim_mask *out)
{
    out->vertex_count = out->index_count = 0;
    rect b = {tan(fov->angleLeft), tan(fov->angleRight), tan(fov->angleDown), tan(fov->angleUp)};
    double angles[UNIFORM_STEPS + 16];
    int n = border_angles(&b, lens_radius, angles);
    /* The border between seen and hidden, and the rectangle, in each direction. */
    XrVector2f inner[UNIFORM_STEPS + 16], outer[UNIFORM_STEPS + 16];
    bool hidden_any = false;
    for (int i = 0; i < n; i++) {
        double reach = rect_reach(&b, angles[i]);
        inner[i] = at(angles[i], fmin(reach, (double)lens_radius));
        outer[i] = at(angles[i], reach);
        hidden_any |= lens_radius < reach - 1e-6;
    }
    switch (type) {
    case SIM_MASK_LINE_LOOP:
        for (int i = 0; i < n; i++) {
            out->vertices[i] = inner[i];
            out->indices[i] = (uint32_t)i;
        }
        out->vertex_count = out->index_count = (uint32_t)n;
        break;
    case SIM_MASK_VISIBLE:
        /* A fan from the view axis: the seen region is star-shaped around it. */
        out->vertices[0] = (XrVector2f){0.0f, 0.0f};
        for (int i = 0; i < n; i++) out->vertices[1 + i] = inner[i];
        out->vertex_count = (uint32_t)n + 1;
        for (int i = 0; i < n; i++) {
            uint32_t *t = &out->indices[out->index_count];
            t[0] = 0;
            t[1] = 1 + (uint32_t)i;
            t[2] = 1 + (uint32_t)((i + 1) % n);
            out->index_count += 3;
        }
        break;
    case SIM_MASK_HIDDEN:
        if (!hidden_any) break;
        /* Between the border and the rectangle: two triangles per direction, those with no area left out. */
        for (int i = 0; i < n; i++) {
            out->vertices[2 * i] = inner[i];
            out->vertices[2 * i + 1] = outer[i];
        }
        out->vertex_count = 2 * (uint32_t)n;
        for (int i = 0; i < n; i++) {
            uint32_t bi = 2 * (uint32_t)i, si = bi + 1, bj = 2 * (uint32_t)((i + 1) % n), sj = bj + 1;
            const uint32_t tris[2][3] = {{bi, si, sj}, {bi, sj, bj}};
            for (int k = 0; k < 2; k++) {
                if (tri_area(out->vertices[tris[k][0]], out->vertices[tris[k][1]],
                             out->vertices[tris[k][2]]) < 1e-9)
                    continue;
                for (int v = 0; v < 3; v++) out->indices[out->index_count++] = tris[k][v];
            }
        }
        break;
    }
}
