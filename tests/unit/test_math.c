/* SPDX-License-Identifier: MIT */
/* plx_math: quaternion identities, exp/log, slerp, integration, projection and view matrices. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plx_math.h"

#define DEG ((float)(PLX_PI / 180.0))

static void assert_quat_near(plx_quat a, plx_quat b, float tol)
{
    /* q and -q are the same rotation */
    float d = fabsf(a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w);
    if (!(d >= 1.0f - tol))
        fail_msg("quaternions differ: (%f %f %f %f) vs (%f %f %f %f)", a.x, a.y, a.z, a.w, b.x, b.y, b.z,
                 b.w);
}

static void assert_vec_near(plx_vec3 a, plx_vec3 b, float tol)
{
    if (!(fabsf(a.x - b.x) <= tol && fabsf(a.y - b.y) <= tol && fabsf(a.z - b.z) <= tol))
        fail_msg("vectors differ: (%g %g %g) vs (%g %g %g)", a.x, a.y, a.z, b.x, b.y, b.z);
}

static void assert_float_near(double a, double b, double tol)
{
    if (!(fabs(a - b) <= tol)) fail_msg("%.9g != %.9g (tol %g)", a, b, tol);
}

/* Deterministic pseudo-random unit quaternions for property checks. */
static uint64_t rng_state = 12345;
static float frand(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (float)((rng_state >> 40) / (double)(1ull << 24)) * 2.0f - 1.0f;
}
static plx_quat random_quat(void)
{
    return plx_quat_normalize((plx_quat){frand(), frand(), frand(), frand()});
}

static void quat_mul_identity_and_inverse(void **state)
{
    (void)state;
    for (int i = 0; i < 100; i++) {
        plx_quat q = random_quat();
        assert_quat_near(plx_quat_mul(q, plx_quat_identity()), q, 1e-6f);
        assert_quat_near(plx_quat_mul(plx_quat_identity(), q), q, 1e-6f);
        assert_quat_near(plx_quat_mul(q, plx_quat_conj(q)), plx_quat_identity(), 1e-6f);
    }
}

static void quat_mul_applies_right_operand_first(void **state)
{
    (void)state;
    plx_quat yaw90 = plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, 90 * DEG);
    plx_quat pitch90 = plx_quat_from_axis_angle((plx_vec3){1, 0, 0}, 90 * DEG);
    plx_vec3 fwd = {0, 0, -1};
    /* pitch first: forward -> up; then yaw about world Y keeps up */
    assert_vec_near(plx_quat_rotate(plx_quat_mul(yaw90, pitch90), fwd), (plx_vec3){0, 1, 0}, 1e-6f);
    /* yaw first: forward -> -X (left), pitch about X leaves it */
    assert_vec_near(plx_quat_rotate(plx_quat_mul(pitch90, yaw90), fwd), (plx_vec3){-1, 0, 0}, 1e-6f);
}

static void quat_rotate_matches_axis_angle(void **state)
{
    (void)state;
    plx_quat q = plx_quat_from_axis_angle((plx_vec3){0, 0, 2}, 90 * DEG); /* axis need not be unit */
    assert_vec_near(plx_quat_rotate(q, (plx_vec3){1, 0, 0}), (plx_vec3){0, 1, 0}, 1e-6f);
    assert_float_near(plx_vec3_length(plx_quat_rotate(random_quat(), (plx_vec3){3, 4, 0})), 5.0, 1e-5);
}

static void quat_normalize_degenerate_is_identity(void **state)
{
    (void)state;
    assert_quat_near(plx_quat_normalize((plx_quat){0, 0, 0, 0}), plx_quat_identity(), 0);
    assert_quat_near(plx_quat_normalize((plx_quat){NAN, 0, 0, 1}), plx_quat_identity(), 0);
    plx_quat n = plx_quat_normalize((plx_quat){0, 0, 3, 4});
    assert_float_near(n.z, 0.6, 1e-7);
    assert_float_near(n.w, 0.8, 1e-7);
}

static void euler_yxz_order(void **state)
{
    (void)state;
    plx_quat q = plx_quat_from_euler_yxz(90 * DEG, 45 * DEG, 0);
    plx_quat expect = plx_quat_mul(plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, 90 * DEG),
                                   plx_quat_from_axis_angle((plx_vec3){1, 0, 0}, 45 * DEG));
    assert_quat_near(q, expect, 1e-6f);
    /* pitch up 45 after yaw left 90: forward goes to -X, tilted up */
    plx_vec3 f = plx_quat_rotate(q, (plx_vec3){0, 0, -1});
    assert_vec_near(f, (plx_vec3){-0.70710678f, 0.70710678f, 0}, 1e-6f);
}

static void exp_log_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < 200; i++) {
        float scale = (i % 4 == 0) ? 1e-6f : (i % 4 == 1) ? 1e-3f : (i % 4 == 2) ? 1.0f : 3.1f;
        plx_vec3 v = {frand(), frand(), frand()};
        float len = plx_vec3_length(v);
        v = plx_vec3_scale(v, scale / len); /* angle = scale < pi */
        plx_vec3 r = plx_quat_log(plx_quat_exp(v));
        assert_vec_near(r, v, 2e-6f * (scale > 1 ? 4 : 1) + scale * 1e-6f);
    }
    /* exp of zero is identity, log of identity is zero */
    assert_quat_near(plx_quat_exp((plx_vec3){0, 0, 0}), plx_quat_identity(), 0);
    assert_vec_near(plx_quat_log(plx_quat_identity()), (plx_vec3){0, 0, 0}, 0);
}

static void log_takes_short_way(void **state)
{
    (void)state;
    /* 270 degrees about +Y is -90 degrees: log must return angle <= pi */
    plx_quat q = plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, 270 * DEG);
    plx_vec3 r = plx_quat_log(q);
    assert_vec_near(r, (plx_vec3){0, -90 * DEG, 0}, 1e-5f);
    /* -q gives the same answer */
    plx_vec3 r2 = plx_quat_log((plx_quat){-q.x, -q.y, -q.z, -q.w});
    assert_vec_near(r2, r, 1e-6f);
}

static void slerp_endpoints_midpoint_and_shortest_path(void **state)
{
    (void)state;
    plx_quat a = plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, 10 * DEG);
    plx_quat b = plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, 70 * DEG);
    assert_quat_near(plx_quat_slerp(a, b, 0), a, 1e-7f);
    assert_quat_near(plx_quat_slerp(a, b, 1), b, 1e-7f);
    assert_quat_near(plx_quat_slerp(a, b, 0.25f), plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, 25 * DEG),
                     1e-7f);
    /* b given with opposite sign: still the 60 degree arc, not the 300 degree one */
    plx_quat nb = {-b.x, -b.y, -b.z, -b.w};
    assert_quat_near(plx_quat_slerp(a, nb, 0.5f), plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, 40 * DEG),
                     1e-7f);
    /* nearly equal quaternions do not blow up */
    plx_quat c = plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, 10.0001f * DEG);
    plx_quat m = plx_quat_slerp(a, c, 0.5f);
    assert_float_near(plx_quat_angle_between(m, a), 0.00005 * DEG, 1e-6);
}

static void angle_between_is_sign_agnostic_and_precise(void **state)
{
    (void)state;
    plx_quat a = random_quat();
    plx_quat d = plx_quat_from_axis_angle((plx_vec3){1, 2, 3}, 0.001f * DEG);
    plx_quat b = plx_quat_mul(d, a);
    assert_float_near(plx_quat_angle_between(a, b), 0.001 * DEG, 2e-7);
    assert_float_near(plx_quat_angle_between(a, (plx_quat){-b.x, -b.y, -b.z, -b.w}), 0.001 * DEG, 2e-7);
    plx_quat c = plx_quat_mul(plx_quat_from_axis_angle((plx_vec3){0, 0, 1}, 180 * DEG), a);
    assert_float_near(plx_quat_angle_between(a, c), PLX_PI, 1e-5);
}

static void integrate_matches_constant_yaw(void **state)
{
    (void)state;
    /* 90 deg/s about world Y, from a pitched start, in 1 ms steps for 1 s */
    plx_quat start = plx_quat_from_axis_angle((plx_vec3){1, 0, 0}, 20 * DEG);
    plx_vec3 omega = {0, 90 * DEG, 0};
    plx_quat q = start;
    for (int i = 0; i < 1000; i++) q = plx_quat_integrate(q, omega, 0.001);
    plx_quat expect = plx_quat_mul(plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, 90 * DEG), start);
    assert_float_near(plx_quat_angle_between(q, expect), 0, 1e-3 * DEG);
    /* one big step is exact too (constant omega) */
    assert_float_near(plx_quat_angle_between(plx_quat_integrate(start, omega, 1.0), expect), 0, 1e-4 * DEG);
    /* negative dt goes back */
    assert_float_near(plx_quat_angle_between(plx_quat_integrate(expect, omega, -1.0), start), 0, 1e-4 * DEG);
}

static void pose_mul_inverse_and_transform(void **state)
{
    (void)state;
    plx_pose p = {random_quat(), {1, 2, 3}};
    plx_pose id = plx_pose_mul(p, plx_pose_inverse(p));
    assert_quat_near(id.orientation, plx_quat_identity(), 1e-6f);
    assert_vec_near(id.position, (plx_vec3){0, 0, 0}, 1e-5f);
    plx_vec3 v = {0.5f, -1, 2};
    plx_vec3 w = plx_pose_transform_point(p, v);
    assert_vec_near(plx_pose_transform_point(plx_pose_inverse(p), w), v, 1e-5f);
    plx_pose q = {random_quat(), {-1, 0, 4}};
    assert_vec_near(plx_pose_transform_point(plx_pose_mul(p, q), v),
                    plx_pose_transform_point(p, plx_pose_transform_point(q, v)), 1e-5f);
}

/* clip = M * (x, y, z, 1); returns NDC */
static void project(const float m[16], plx_vec3 v, float ndc[3])
{
    float c[4];
    for (int r = 0; r < 4; r++) c[r] = m[r] * v.x + m[4 + r] * v.y + m[8 + r] * v.z + m[12 + r];
    for (int r = 0; r < 3; r++) ndc[r] = c[r] / c[3];
}

static void check_fov_edges(float l, float r, float u, float d, float n, float f)
{
    float m[16], ndc[3];
    plx_mat4_projection_fov(m, l, r, u, d, n, f);
    float z = 2.0f;
    project(m, (plx_vec3){tanf(l) * z, 0, -z}, ndc);
    assert_float_near(ndc[0], -1, 1e-5);
    project(m, (plx_vec3){tanf(r) * z, 0, -z}, ndc);
    assert_float_near(ndc[0], 1, 1e-5);
    /* Vulkan: y down, so the upper edge is -1 */
    project(m, (plx_vec3){0, tanf(u) * z, -z}, ndc);
    assert_float_near(ndc[1], -1, 1e-5);
    project(m, (plx_vec3){0, tanf(d) * z, -z}, ndc);
    assert_float_near(ndc[1], 1, 1e-5);
    project(m, (plx_vec3){0, 0, -n}, ndc);
    assert_float_near(ndc[2], 0, 1e-6);
    if (f > n) {
        project(m, (plx_vec3){0, 0, -f}, ndc);
        assert_float_near(ndc[2], 1, 1e-5);
    } else {
        /* infinite far: depth = 1 - near / distance, approaching but never reaching 1 */
        project(m, (plx_vec3){0, 0, -1000.0f}, ndc);
        assert_float_near(ndc[2], 1.0 - n / 1000.0, 1e-6);
        assert_true(ndc[2] < 1.0f);
    }
}

static void projection_symmetric_fov(void **state)
{
    (void)state;
    check_fov_edges(-45 * DEG, 45 * DEG, 45 * DEG, -45 * DEG, 0.05f, 100.0f);
}

static void projection_asymmetric_fov(void **state)
{
    (void)state;
    check_fov_edges(-52 * DEG, 41 * DEG, 38 * DEG, -49 * DEG, 0.1f, 50.0f);
}

static void projection_infinite_far(void **state)
{
    (void)state;
    check_fov_edges(-40 * DEG, 45 * DEG, 44 * DEG, -47 * DEG, 0.1f, 0.0f);
    check_fov_edges(-40 * DEG, 45 * DEG, 44 * DEG, -47 * DEG, 0.1f, 0.1f);
}

static void view_matrix_is_inverse_of_pose(void **state)
{
    (void)state;
    plx_pose eye = {plx_quat_from_euler_yxz(30 * DEG, -10 * DEG, 5 * DEG), {0.03f, 1.6f, -0.2f}};
    float view[16];
    plx_mat4_view_from_pose(view, eye);
    /* a point given in eye space, placed in the world by the pose, comes back to eye space */
    plx_vec3 in_eye = {0.3f, -0.2f, -2.0f};
    plx_vec3 world = plx_pose_transform_point(eye, in_eye);
    float c[4];
    for (int r = 0; r < 4; r++)
        c[r] = view[r] * world.x + view[4 + r] * world.y + view[8 + r] * world.z + view[12 + r];
    assert_vec_near((plx_vec3){c[0], c[1], c[2]}, in_eye, 1e-5f);
    assert_float_near(c[3], 1, 1e-7);
}

static void mat4_mul_composes_and_allows_aliasing(void **state)
{
    (void)state;
    float a[16], b[16], ab[16];
    for (int i = 0; i < 16; i++) {
        a[i] = (float)(i + 1);
        b[i] = (float)((i * 7) % 5 - 2);
    }
    plx_mat4_mul(ab, a, b);
    /* element (row 1, col 2) = sum_k a[k*4+1] * b[2*4+k] */
    float e = 0;
    for (int k = 0; k < 4; k++) e += a[k * 4 + 1] * b[2 * 4 + k];
    assert_float_near(ab[2 * 4 + 1], e, 1e-5);
    plx_mat4_mul(a, a, b); /* out aliases a */
    for (int i = 0; i < 16; i++) assert_float_near(a[i], ab[i], 1e-5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quat_mul_identity_and_inverse),
        cmocka_unit_test(quat_mul_applies_right_operand_first),
        cmocka_unit_test(quat_rotate_matches_axis_angle),
        cmocka_unit_test(quat_normalize_degenerate_is_identity),
        cmocka_unit_test(euler_yxz_order),
        cmocka_unit_test(exp_log_round_trip),
        cmocka_unit_test(log_takes_short_way),
        cmocka_unit_test(slerp_endpoints_midpoint_and_shortest_path),
        cmocka_unit_test(angle_between_is_sign_agnostic_and_precise),
        cmocka_unit_test(integrate_matches_constant_yaw),
        cmocka_unit_test(pose_mul_inverse_and_transform),
        cmocka_unit_test(projection_symmetric_fov),
        cmocka_unit_test(projection_asymmetric_fov),
        cmocka_unit_test(projection_infinite_far),
        cmocka_unit_test(view_matrix_is_inverse_of_pose),
        cmocka_unit_test(mat4_mul_composes_and_allows_aliasing),
    };
    return cmocka_run_group_tests_name("plx_math", tests, NULL, NULL);
}
