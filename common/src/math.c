/* SPDX-License-Identifier: MIT */
/* plx_math: implementation of common/include/plx_math.h on cglm (the project's math library, Debian
 * libcglm-dev 0.8): vector operations, quaternion products, rotation, axis-angle, slerp, the quaternion to
 * matrix conversion, the asymmetric-frustum projection and matrix products are cglm's. Kept by hand, because
 * cglm has no equivalent: the quaternion exp/log pair and the integrator built on it (pose prediction), the
 * angle between two rotations (cglm's glm_quat_angle is acosf of one quaternion, too coarse for the pose
 * error's hundredths of a degree), the infinite far plane, the guards against zero or non-finite input and
 * the conversions between plx_* structs and arrays. tests/unit/test_math.c compares every cglm-backed
 * function with the hand-written formula it replaced, on random inputs.
 *
 * cglm's conventions, and how they meet ours: mat4 is float[4][4], column-major (m[column][row]), the same
 * memory layout as our float[16]; versor is float[4] in the order x, y, z, w, the layout of plx_quat and
 * XrQuaternionf; glm_quat_mul(p, q) is the Hamilton product p * q (q applied first). cglm's SIMD paths may
 * load with aligned instructions, so every call works on aligned locals, never on a caller's float[16].
 *
 * Precision: the public types are float (they mirror the OpenXR structs); the hand-kept trigonometry runs in
 * double so that small rotations (a 1 kHz IMU step at a few deg/s is ~1e-4 rad) keep their relative
 * precision and the exp/log pair round-trips. */
#include "plx_math.h"

#include <cglm/cglm.h>
#include <cglm/clipspace/persp_rh_zo.h> /* cglm.h includes only the default (GL) clip space */
#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- plx_* <-> cglm */

static void vec_in(plx_vec3 a, vec3 out)
{
    out[0] = a.x;
    out[1] = a.y;
    out[2] = a.z;
}

static plx_vec3 vec_out(const vec3 v)
{
    return (plx_vec3){v[0], v[1], v[2]};
}

static void quat_in(plx_quat q, versor out)
{
    out[0] = q.x;
    out[1] = q.y;
    out[2] = q.z;
    out[3] = q.w;
}

static plx_quat quat_out(const versor q)
{
    return (plx_quat){q[0], q[1], q[2], q[3]};
}

/* ---------------------------------------------------------------- vec3 */

plx_vec3 plx_vec3_add(plx_vec3 a, plx_vec3 b)
{
    vec3 va, vb, r;
    vec_in(a, va);
    vec_in(b, vb);
    glm_vec3_add(va, vb, r);
    return vec_out(r);
}

plx_vec3 plx_vec3_sub(plx_vec3 a, plx_vec3 b)
{
    vec3 va, vb, r;
    vec_in(a, va);
    vec_in(b, vb);
    glm_vec3_sub(va, vb, r);
    return vec_out(r);
}

plx_vec3 plx_vec3_scale(plx_vec3 a, float s)
{
    vec3 va, r;
    vec_in(a, va);
    glm_vec3_scale(va, s, r);
    return vec_out(r);
}

float plx_vec3_dot(plx_vec3 a, plx_vec3 b)
{
    vec3 va, vb;
    vec_in(a, va);
    vec_in(b, vb);
    return glm_vec3_dot(va, vb);
}

plx_vec3 plx_vec3_cross(plx_vec3 a, plx_vec3 b)
{
    vec3 va, vb, r;
    vec_in(a, va);
    vec_in(b, vb);
    glm_vec3_cross(va, vb, r);
    return vec_out(r);
}

float plx_vec3_length(plx_vec3 a)
{
    /* By hand, in double: squaring large or tiny floats must not overflow or lose the result (cglm's norm
     * squares in float). */
    double x = a.x, y = a.y, z = a.z;
    return (float)sqrt(x * x + y * y + z * z);
}

/* ---------------------------------------------------------------- quaternions */

plx_quat plx_quat_identity(void)
{
    versor q;
    glm_quat_identity(q);
    return quat_out(q);
}

plx_quat plx_quat_mul(plx_quat a, plx_quat b)
{
    versor qa, qb, r;
    quat_in(a, qa);
    quat_in(b, qb);
    glm_quat_mul(qa, qb, r);
    return quat_out(r);
}

plx_quat plx_quat_conj(plx_quat q)
{
    versor v, r;
    quat_in(q, v);
    glm_quat_conjugate(v, r);
    return quat_out(r);
}

plx_quat plx_quat_normalize(plx_quat q)
{
    double x = q.x, y = q.y, z = q.z, w = q.w;
    double n = sqrt(x * x + y * y + z * z + w * w);
    /* A zero or non-finite quaternion has no direction to keep: identity is the only safe answer and
     * keeps NaN from propagating into view matrices (cglm would pass it on). */
    if (!(n > 1e-30) || !isfinite(n)) return plx_quat_identity();
    versor v, r;
    quat_in(q, v);
    glm_quat_normalize_to(v, r);
    return quat_out(r);
}

plx_quat plx_quat_from_axis_angle(plx_vec3 axis, float radians)
{
    double len = plx_vec3_length(axis);
    if (!(len > 1e-30) || !isfinite(len)) return plx_quat_identity();
    versor q;
    vec3 a;
    vec_in(axis, a);
    glm_quatv(q, radians, a); /* normalizes the axis */
    return plx_quat_normalize(quat_out(q));
}
plx_quat plx_quat_from_euler_yxz(float yaw, float pitch, float roll)
{
    plx_quat qy = plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, yaw);
    plx_quat qx = plx_quat_from_axis_angle((plx_vec3){1, 0, 0}, pitch);
    plx_quat qz = plx_quat_from_axis_angle((plx_vec3){0, 0, 1}, roll);
    /* Intrinsic yaw, then pitch about the yawed x axis, then roll: q = qy * qx * qz. */
    return plx_quat_normalize(plx_quat_mul(plx_quat_mul(qy, qx), qz));
}

plx_vec3 plx_quat_rotate(plx_quat q, plx_vec3 v)
{
    versor qv;
    vec3 vv, r;
    quat_in(q, qv);
    vec_in(v, vv);
    glm_quat_rotatev(qv, vv, r);
    return vec_out(r);
}

plx_quat plx_quat_exp(plx_vec3 rotation_vector)
{
    /* By hand: cglm has no quaternion exponential. */
    double x = rotation_vector.x, y = rotation_vector.y, z = rotation_vector.z;
    double angle = sqrt(x * x + y * y + z * z);
    double h = 0.5 * angle;
    /* sin(h)/angle, with its Taylor series near zero where the quotient is 0/0. */
    double k = angle < 1e-4 ? 0.5 - angle * angle / 48.0 : sin(h) / angle;
    return plx_quat_normalize((plx_quat){(float)(x * k), (float)(y * k), (float)(z * k), (float)cos(h)});
}

plx_vec3 plx_quat_log(plx_quat q)
{
    /* By hand: cglm has no quaternion logarithm. */
    q = plx_quat_normalize(q);
    /* q and -q are the same rotation; choose w >= 0 so the angle is the short way round, in [0, pi]. */
    double x = q.x, y = q.y, z = q.z, w = q.w;
    if (w < 0.0) {
        x = -x;
        y = -y;
        z = -z;
        w = -w;
    }
    double s = sqrt(x * x + y * y + z * z);
    /* atan2 keeps full precision at both small and near-pi angles, unlike acos(w). */
    double angle = 2.0 * atan2(s, w);
    double k = s < 1e-6 ? 2.0 / w : angle / s;
    return (plx_vec3){(float)(x * k), (float)(y * k), (float)(z * k)};
}

plx_quat plx_quat_slerp(plx_quat a, plx_quat b, float t)
{
    versor qa, qb, r;
    quat_in(a, qa);
    quat_in(b, qb);
    /* Shortest path: q and -q are the same rotation, take the one in a's hemisphere (cglm flips, but not in
     * its nearly-equal branch). */
    double d = (double)a.x * b.x + (double)a.y * b.y + (double)a.z * b.z + (double)a.w * b.w;
    if (d < 0.0) {
        glm_vec4_negate(qb);
        d = -d;
    }
    if (d > 0.9999) {
        /* Nearly equal (less than 1.6 degrees apart), by hand: a normalized lerp, exact to second order. cglm
         * returns `from` unchanged once the float dot rounds to 1 (rotations under about 0.04 degrees, the
         * size of one 1 kHz IMU step), which would stop an interpolation dead. */
        glm_vec4_lerp(qa, qb, t, r);
    } else {
        glm_quat_slerp(qa, qb, t, r);
    }
    return plx_quat_normalize(quat_out(r));
}

float plx_quat_angle_between(plx_quat a, plx_quat b)
{
    /* By hand, in double: the angle of conj(a) * b. |w| makes it sign-agnostic; atan2 stays precise for tiny
     * errors (acos(|dot|), as in cglm's glm_quat_angle, would flatten them). */
    a = plx_quat_normalize(a);
    b = plx_quat_normalize(b);
    double ax = -(double)a.x, ay = -(double)a.y, az = -(double)a.z, aw = a.w;
    double bx = b.x, by = b.y, bz = b.z, bw = b.w;
    double x = aw * bx + ax * bw + ay * bz - az * by;
    double y = aw * by - ax * bz + ay * bw + az * bx;
    double z = aw * bz + ax * by - ay * bx + az * bw;
    double w = aw * bw - ax * bx - ay * by - az * bz;
    return (float)(2.0 * atan2(sqrt(x * x + y * y + z * z), fabs(w)));
}

plx_quat plx_quat_integrate(plx_quat q, plx_vec3 omega_world, double dt)
{
    /* By hand (on exp): omega is in the base frame, so the increment multiplies from the left. */
    plx_vec3 rv = {(float)(omega_world.x * dt), (float)(omega_world.y * dt), (float)(omega_world.z * dt)};
    return plx_quat_normalize(plx_quat_mul(plx_quat_exp(rv), q));
}

/* ---------------------------------------------------------------- poses */

plx_pose plx_pose_identity(void)
{
    return (plx_pose){plx_quat_identity(), {0.0f, 0.0f, 0.0f}};
}

plx_pose plx_pose_mul(plx_pose a, plx_pose b)
{
    plx_pose r;
    r.orientation = plx_quat_normalize(plx_quat_mul(a.orientation, b.orientation));
    r.position = plx_vec3_add(a.position, plx_quat_rotate(a.orientation, b.position));
    return r;
}

plx_pose plx_pose_inverse(plx_pose p)
{
    plx_pose r;
    r.orientation = plx_quat_conj(plx_quat_normalize(p.orientation));
    r.position = plx_vec3_scale(plx_quat_rotate(r.orientation, p.position), -1.0f);
    return r;
}

plx_vec3 plx_pose_transform_point(plx_pose p, plx_vec3 v)
{
    return plx_vec3_add(p.position, plx_quat_rotate(p.orientation, v));
}

/* ---------------------------------------------------------------- matrices */

void plx_pose_to_arrays(plx_pose pose, float position[3], float orientation[4])
{
    position[0] = pose.position.x;
    position[1] = pose.position.y;
    position[2] = pose.position.z;
    orientation[0] = pose.orientation.x;
    orientation[1] = pose.orientation.y;
    orientation[2] = pose.orientation.z;
    orientation[3] = pose.orientation.w;
}

void plx_mat4_projection_fov(float out_m[16], float angle_left, float angle_right, float angle_up,
                             float angle_down, float near_z, float far_z)
{
    /* cglm's right-handed frustum with depth 0..1 (glm_frustum_rh_zo) is OpenGL's y-up clip space. Vulkan's
     * clip y points down: giving the frustum the fov's lower edge as its "top" and the upper edge as its
     * "bottom" flips y, so that the fov's upper edge lands on clip y = -1 (the top of the framebuffer). The
     * edges are the tangents at the near plane, computed in double. */
    double n = near_z;
    float l = (float)(n * tan((double)angle_left)), r = (float)(n * tan((double)angle_right));
    float u = (float)(n * tan((double)angle_up)), d = (float)(n * tan((double)angle_down));
    bool infinite = far_z <= near_z;
    CGLM_ALIGN_MAT mat4 m;
    glm_frustum_rh_zo(l, r, u, d, near_z, infinite ? 2.0f * near_z : far_z, m);
    if (infinite) {
        /* By hand (cglm 0.8 has no infinite asymmetric frustum): the limit f -> inf of the finite case,
         * z_ndc = 1 - n / -z_eye. */
        m[2][2] = -1.0f;
        m[3][2] = -near_z;
    }
    memcpy(out_m, m, sizeof m);
}

void plx_mat4_view_from_pose(float out_m[16], plx_pose eye_pose)
{
    /* The inverse of the eye pose (world-from-eye): its rotation as a matrix, its position as the
     * translation column. */
    plx_pose inv = plx_pose_inverse(eye_pose);
    versor q;
    quat_in(inv.orientation, q);
    CGLM_ALIGN_MAT mat4 m;
    glm_quat_mat4(q, m);
    m[3][0] = inv.position.x;
    m[3][1] = inv.position.y;
    m[3][2] = inv.position.z;
    memcpy(out_m, m, sizeof m);
}

void plx_mat4_mul(float out_m[16], const float a[16], const float b[16])
{
    /* Through aligned copies: out_m may alias a or b, and none of them need be 16-byte aligned. */
    CGLM_ALIGN_MAT mat4 ma, mb, r;
    memcpy(ma, a, sizeof ma);
    memcpy(mb, b, sizeof mb);
    glm_mat4_mul(ma, mb, r);
    memcpy(out_m, r, sizeof r);
}
