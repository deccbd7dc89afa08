/* SPDX-License-Identifier: MIT */
/* plx_math on cglm against the hand-written formulas it replaced (issue 11 §2): every function of
 * common/src/math.c that now calls cglm (vector operations, quaternion product, conjugate, normalize,
 * axis-angle, rotation, slerp, pose product and inverse, projection from an asymmetric fov in Vulkan's clip
 * space, view matrix, matrix product) is compared on random inputs with the formula the library had before,
 * kept below as the reference, and with the angle between rotations, now computed fully in double. The
 * largest difference of each is printed beside its bound; the bounds are a few float roundings of the
 * values compared. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plx_math.h"

#define TRIALS 20000

/* ================================================================ the reference: common/src/math.c before
 * cglm (git show 3ac818b:common/src/math.c), renamed ref_* */

static plx_vec3 ref_vec3_add(plx_vec3 a, plx_vec3 b)
{
    return (plx_vec3){a.x + b.x, a.y + b.y, a.z + b.z};
}

static plx_vec3 ref_vec3_sub(plx_vec3 a, plx_vec3 b)
{
    return (plx_vec3){a.x - b.x, a.y - b.y, a.z - b.z};
}

static plx_vec3 ref_vec3_scale(plx_vec3 a, float s)
{
    return (plx_vec3){a.x * s, a.y * s, a.z * s};
}

static float ref_vec3_dot(plx_vec3 a, plx_vec3 b)
{
    return a.x * b.x + a.y * b.y + a.z * b.z;
}

static plx_vec3 ref_vec3_cross(plx_vec3 a, plx_vec3 b)
{
    return (plx_vec3){a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}

static float ref_vec3_length(plx_vec3 a)
{
    /* Accumulate in double: squaring large or tiny floats must not overflow or lose the result. */
    double x = a.x, y = a.y, z = a.z;
    return (float)sqrt(x * x + y * y + z * z);
}

/* ---------------------------------------------------------------- quaternions */

static plx_quat ref_quat_identity(void)
{
    return (plx_quat){0.0f, 0.0f, 0.0f, 1.0f};
}

static plx_quat ref_quat_mul(plx_quat a, plx_quat b)
{
    return (plx_quat){
        a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
        a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
        a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
        a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
    };
}

static plx_quat ref_quat_conj(plx_quat q)
{
    return (plx_quat){-q.x, -q.y, -q.z, q.w};
}

static plx_quat ref_quat_normalize(plx_quat q)
{
    double x = q.x, y = q.y, z = q.z, w = q.w;
    double n = sqrt(x * x + y * y + z * z + w * w);
    /* A zero or non-finite quaternion has no direction to keep: identity is the only safe answer and
     * keeps NaN from propagating into view matrices. */
    if (!(n > 1e-30) || !isfinite(n)) return ref_quat_identity();
    return (plx_quat){(float)(x / n), (float)(y / n), (float)(z / n), (float)(w / n)};
}

static plx_quat ref_quat_from_axis_angle(plx_vec3 axis, float radians)
{
    double len = ref_vec3_length(axis);
    if (!(len > 1e-30) || !isfinite(len)) return ref_quat_identity();
    double h = 0.5 * (double)radians;
    double s = sin(h) / len;
    return ref_quat_normalize(
        (plx_quat){(float)(axis.x * s), (float)(axis.y * s), (float)(axis.z * s), (float)cos(h)});
}

static plx_vec3 ref_quat_rotate(plx_quat q, plx_vec3 v)
{
    /* v' = v + 2w (u x v) + 2 u x (u x v), u = vector part; cheaper and better conditioned than q v q*. */
    plx_vec3 u = {q.x, q.y, q.z};
    plx_vec3 t = ref_vec3_scale(ref_vec3_cross(u, v), 2.0f);
    return ref_vec3_add(ref_vec3_add(v, ref_vec3_scale(t, q.w)), ref_vec3_cross(u, t));
}

static plx_quat ref_quat_slerp(plx_quat a, plx_quat b, float t)
{
    double ax = a.x, ay = a.y, az = a.z, aw = a.w;
    double bx = b.x, by = b.y, bz = b.z, bw = b.w;
    double d = ax * bx + ay * by + az * bz + aw * bw;
    /* Shortest path: q and -q are the same rotation, take the one in a's hemisphere. */
    if (d < 0.0) {
        bx = -bx;
        by = -by;
        bz = -bz;
        bw = -bw;
        d = -d;
    }
    double wa, wb;
    if (d > 0.9999) {
        /* Nearly equal: sin(theta) -> 0, linear interpolation is exact to second order. */
        wa = 1.0 - t;
        wb = t;
    } else {
        double theta = acos(d);
        double st = sin(theta);
        wa = sin((1.0 - t) * theta) / st;
        wb = sin(t * theta) / st;
    }
    return ref_quat_normalize((plx_quat){(float)(wa * ax + wb * bx), (float)(wa * ay + wb * by),
                                         (float)(wa * az + wb * bz), (float)(wa * aw + wb * bw)});
}

static float ref_quat_angle_between(plx_quat a, plx_quat b)
{
    plx_quat d = ref_quat_mul(ref_quat_conj(ref_quat_normalize(a)), ref_quat_normalize(b));
    double s = sqrt((double)d.x * d.x + (double)d.y * d.y + (double)d.z * d.z);
    /* |w| makes it sign-agnostic; atan2 stays precise for tiny errors (acos(|dot|) would flatten them). */
    return (float)(2.0 * atan2(s, fabs((double)d.w)));
}

/* ---------------------------------------------------------------- poses */

static plx_pose ref_pose_mul(plx_pose a, plx_pose b)
{
    plx_pose r;
    r.orientation = ref_quat_normalize(ref_quat_mul(a.orientation, b.orientation));
    r.position = ref_vec3_add(a.position, ref_quat_rotate(a.orientation, b.position));
    return r;
}

static plx_pose ref_pose_inverse(plx_pose p)
{
    plx_pose r;
    r.orientation = ref_quat_conj(ref_quat_normalize(p.orientation));
    r.position = ref_vec3_scale(ref_quat_rotate(r.orientation, p.position), -1.0f);
    return r;
}

static plx_vec3 ref_pose_transform_point(plx_pose p, plx_vec3 v)
{
    return ref_vec3_add(p.position, ref_quat_rotate(p.orientation, v));
}

/* ---------------------------------------------------------------- matrices */

static void ref_mat4_projection_fov(float out_m[16], float angle_left, float angle_right, float angle_up,
                                    float angle_down, float near_z, float far_z)
{
    double tan_l = tan((double)angle_left), tan_r = tan((double)angle_right);
    double tan_u = tan((double)angle_up), tan_d = tan((double)angle_down);
    double width = tan_r - tan_l;
    /* Vulkan's clip y points down: dividing by (down - up), a negative number, flips y so that the
     * fov's upper edge lands on clip y = -1 (the top of the framebuffer). */
    double height = tan_d - tan_u;
    double n = near_z, f = far_z;

    for (int i = 0; i < 16; i++) out_m[i] = 0.0f;
    out_m[0] = (float)(2.0 / width);
    out_m[8] = (float)((tan_r + tan_l) / width);
    out_m[5] = (float)(2.0 / height);
    out_m[9] = (float)((tan_u + tan_d) / height);
    out_m[11] = -1.0f; /* w = -z: the eye looks down -Z */
    if (f <= n) {
        /* Infinite far plane: the limit f -> inf of the finite case; z_ndc = 1 - n / -z_eye. */
        out_m[10] = -1.0f;
        out_m[14] = (float)-n;
    } else {
        /* Depth 0 at the near plane, 1 at the far plane. */
        out_m[10] = (float)(-f / (f - n));
        out_m[14] = (float)(-(f * n) / (f - n));
    }
}

static void ref_mat4_view_from_pose(float out_m[16], plx_pose eye_pose)
{
    plx_pose inv = ref_pose_inverse(eye_pose);
    plx_vec3 cx = ref_quat_rotate(inv.orientation, (plx_vec3){1, 0, 0});
    plx_vec3 cy = ref_quat_rotate(inv.orientation, (plx_vec3){0, 1, 0});
    plx_vec3 cz = ref_quat_rotate(inv.orientation, (plx_vec3){0, 0, 1});
    out_m[0] = cx.x;
    out_m[1] = cx.y;
    out_m[2] = cx.z;
    out_m[3] = 0.0f;
    out_m[4] = cy.x;
    out_m[5] = cy.y;
    out_m[6] = cy.z;
    out_m[7] = 0.0f;
    out_m[8] = cz.x;
    out_m[9] = cz.y;
    out_m[10] = cz.z;
    out_m[11] = 0.0f;
    out_m[12] = inv.position.x;
    out_m[13] = inv.position.y;
    out_m[14] = inv.position.z;
    out_m[15] = 1.0f;
}

static void ref_mat4_mul(float out_m[16], const float a[16], const float b[16])
{
    /* Through a temporary so out_m may alias a or b. */
    float r[16];
    for (int c = 0; c < 4; c++) {
        for (int row = 0; row < 4; row++) {
            float s = 0.0f;
            for (int k = 0; k < 4; k++) s += a[k * 4 + row] * b[c * 4 + k];
            r[c * 4 + row] = s;
        }
    }
    for (int i = 0; i < 16; i++) out_m[i] = r[i];
}

/* ================================================================ random inputs */

static uint64_t rng_state = 0x5eed;
/* Uniform in [-1, 1). */
static double urand(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(rng_state >> 11) / (double)(1ull << 52) - 1.0;
}

static float frange(double lo, double hi)
{
    return (float)(lo + (hi - lo) * (urand() + 1.0) * 0.5);
}

static plx_vec3 rvec(float scale)
{
    return (plx_vec3){(float)urand() * scale, (float)urand() * scale, (float)urand() * scale};
}

static plx_quat rquat(void)
{
    return ref_quat_normalize((plx_quat){(float)urand(), (float)urand(), (float)urand(), (float)urand()});
}

static plx_pose rpose(void)
{
    return (plx_pose){rquat(), rvec(5.0f)};
}

/* ================================================================ differences */

static double vdiff(plx_vec3 a, plx_vec3 b)
{
    return fmax(fabs(a.x - b.x), fmax(fabs(a.y - b.y), fabs(a.z - b.z)));
}

static double qdiff(plx_quat a, plx_quat b)
{
    return fmax(fmax(fabs(a.x - b.x), fabs(a.y - b.y)), fmax(fabs(a.z - b.z), fabs(a.w - b.w)));
}

/* q and -q are the same rotation. */
static double qdiff_rot(plx_quat a, plx_quat b)
{
    return fmin(qdiff(a, b), qdiff(a, (plx_quat){-b.x, -b.y, -b.z, -b.w}));
}

/* Largest element difference relative to the element's size (at least 1). */
static double mdiff(const float *a, const float *b)
{
    double worst = 0;
    for (int i = 0; i < 16; i++) worst = fmax(worst, fabs(a[i] - b[i]) / fmax(1.0, fabs(b[i])));
    return worst;
}

static void check(const char *what, double worst, double bound)
{
    print_message("%-34s max difference %.3g (bound %.3g)\n", what, worst, bound);
    if (!(worst <= bound)) fail_msg("%s: cglm and the reference differ by %.3g > %.3g", what, worst, bound);
}

/* ================================================================ the comparisons */

static void vectors_match(void **state)
{
    (void)state;
    double add = 0, sub = 0, scale = 0, dot = 0, cross = 0;
    for (int i = 0; i < TRIALS; i++) {
        plx_vec3 a = rvec(100.0f), b = rvec(100.0f);
        float s = (float)urand() * 10.0f;
        add = fmax(add, vdiff(plx_vec3_add(a, b), ref_vec3_add(a, b)));
        sub = fmax(sub, vdiff(plx_vec3_sub(a, b), ref_vec3_sub(a, b)));
        scale = fmax(scale, vdiff(plx_vec3_scale(a, s), ref_vec3_scale(a, s)));
        dot = fmax(dot, fabs(plx_vec3_dot(a, b) - ref_vec3_dot(a, b)) / 1e4);
        cross = fmax(cross, vdiff(plx_vec3_cross(a, b), ref_vec3_cross(a, b)) / 1e4);
    }
    /* Same float operations: equal, or one rounding apart where the order of the sum differs. */
    check("vec3_add", add, 0);
    check("vec3_sub", sub, 0);
    check("vec3_scale", scale, 0);
    check("vec3_dot (relative to 1e4)", dot, 1e-6);
    check("vec3_cross (relative to 1e4)", cross, 1e-6);
}

static void quaternion_products_match(void **state)
{
    (void)state;
    double mul = 0, conj = 0, norm = 0, rot = 0;
    for (int i = 0; i < TRIALS; i++) {
        plx_quat a = rquat(), b = rquat();
        mul = fmax(mul, qdiff(plx_quat_mul(a, b), ref_quat_mul(a, b)));
        conj = fmax(conj, qdiff(plx_quat_conj(a), ref_quat_conj(a)));
        float k = frange(1e-3, 1e3);
        plx_quat big = {a.x * k, a.y * k, a.z * k, a.w * k};
        norm = fmax(norm, qdiff(plx_quat_normalize(big), ref_quat_normalize(big)));
        plx_vec3 v = rvec(10.0f);
        rot = fmax(rot, vdiff(plx_quat_rotate(a, v), ref_quat_rotate(a, v)) / 10.0);
    }
    check("quat_mul", mul, 1e-6);
    check("quat_conj", conj, 0);
    check("quat_normalize", norm, 1e-6);
    check("quat_rotate (relative to |v|)", rot, 2e-6);
    /* Degenerate input stays the identity (cglm alone would pass a NaN on). */
    plx_quat id = plx_quat_normalize((plx_quat){NAN, 0, 0, 1});
    assert_true(id.x == 0 && id.y == 0 && id.z == 0 && id.w == 1);
}

static void axis_angle_and_slerp_match(void **state)
{
    (void)state;
    double aa = 0, slerp = 0, near = 0, angle = 0;
    for (int i = 0; i < TRIALS; i++) {
        plx_vec3 axis = rvec(3.0f);
        float rad = frange(-2.0 * PLX_PI, 2.0 * PLX_PI);
        aa = fmax(aa, qdiff(plx_quat_from_axis_angle(axis, rad), ref_quat_from_axis_angle(axis, rad)));
        plx_quat a = rquat(), b = rquat();
        float t = frange(0.0, 1.0);
        /* Any pair: half of them in opposite hemispheres, where the shortest path flips one. */
        slerp = fmax(slerp, qdiff_rot(plx_quat_slerp(a, b, t), ref_quat_slerp(a, b, t)));
        /* Nearly equal pairs (up to a few degrees apart, either sign): the lerp branches. */
        plx_quat c = ref_quat_mul(ref_quat_from_axis_angle(rvec(1.0f), frange(0.0, 0.05)), a);
        if (i % 2) c = (plx_quat){-c.x, -c.y, -c.z, -c.w};
        near = fmax(near, qdiff_rot(plx_quat_slerp(a, c, t), ref_quat_slerp(a, c, t)));
        angle = fmax(angle, fabs(plx_quat_angle_between(a, c) - ref_quat_angle_between(a, c)));
    }
    /* One 1 kHz IMU step at 6 deg/s (1e-4 rad): halfway is half the step. cglm's slerp alone returns the
     * start once the float dot of the two rounds to 1, which is why math.c lerps nearly equal pairs. */
    plx_quat s0 = rquat(), s1 = plx_quat_mul(plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, 1e-4f), s0);
    double half = plx_quat_angle_between(plx_quat_slerp(s0, s1, 0.5f), s0);
    print_message("%-34s %.3g rad (expected 5e-05)\n", "quat_slerp halfway over 1e-4 rad", half);
    assert_true(fabs(half - 5e-5) < 2e-6);
    check("quat_from_axis_angle", aa, 1e-6);
    check("quat_slerp", slerp, 2e-6);
    check("quat_slerp, nearly equal", near, 1e-6);
    check("quat_angle_between (radians)", angle, 1e-6);
}

static void poses_match(void **state)
{
    (void)state;
    double mul = 0, inv = 0, pt = 0;
    for (int i = 0; i < TRIALS; i++) {
        plx_pose a = rpose(), b = rpose();
        plx_pose m = plx_pose_mul(a, b), rm = ref_pose_mul(a, b);
        mul = fmax(mul, fmax(qdiff(m.orientation, rm.orientation), vdiff(m.position, rm.position) / 10.0));
        plx_pose n = plx_pose_inverse(a), rn = ref_pose_inverse(a);
        inv = fmax(inv, fmax(qdiff(n.orientation, rn.orientation), vdiff(n.position, rn.position) / 5.0));
        plx_vec3 v = rvec(5.0f);
        pt = fmax(pt, vdiff(plx_pose_transform_point(a, v), ref_pose_transform_point(a, v)) / 10.0);
    }
    check("pose_mul (positions relative to 10 m)", mul, 2e-6);
    check("pose_inverse (positions relative to 5 m)", inv, 2e-6);
    check("pose_transform_point (relative to 10 m)", pt, 2e-6);
}

static void matrices_match(void **state)
{
    (void)state;
    double proj = 0, inf = 0, view = 0, mul = 0;
    float m[16], r[16];
    for (int i = 0; i < TRIALS; i++) {
        /* Asymmetric fovs as headsets report them: each edge 10..70 degrees from the axis. */
        float l = -frange(0.17, 1.22), rt = frange(0.17, 1.22), u = frange(0.17, 1.22),
              d = -frange(0.17, 1.22);
        float n = frange(0.01, 1.0), f = n * frange(2.0, 1e4);
        plx_mat4_projection_fov(m, l, rt, u, d, n, f);
        ref_mat4_projection_fov(r, l, rt, u, d, n, f);
        proj = fmax(proj, mdiff(m, r));
        plx_mat4_projection_fov(m, l, rt, u, d, n, 0.0f);
        ref_mat4_projection_fov(r, l, rt, u, d, n, 0.0f);
        inf = fmax(inf, mdiff(m, r));
        plx_pose eye = rpose();
        plx_mat4_view_from_pose(m, eye);
        ref_mat4_view_from_pose(r, eye);
        view = fmax(view, mdiff(m, r));
        float a[16], b[16];
        for (int k = 0; k < 16; k++) {
            a[k] = (float)urand() * 4.0f;
            b[k] = (float)urand() * 4.0f;
        }
        plx_mat4_mul(m, a, b);
        ref_mat4_mul(r, a, b);
        mul = fmax(mul, mdiff(m, r) / 64.0); /* sums of 4 products of up to 16 */
    }
    check("mat4_projection_fov", proj, 2e-6);
    check("mat4_projection_fov, infinite far", inf, 2e-6);
    check("mat4_view_from_pose", view, 1e-5);
    check("mat4_mul (relative to 64)", mul, 1e-6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vectors_match),
        cmocka_unit_test(quaternion_products_match),
        cmocka_unit_test(axis_angle_and_slerp_match),
        cmocka_unit_test(poses_match),
        cmocka_unit_test(matrices_match),
    };
    return cmocka_run_group_tests_name("plx_math on cglm vs the hand-written formulas", tests, NULL, NULL);
}
