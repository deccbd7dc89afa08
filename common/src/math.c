/* plx_math: implementation of common/include/plx_math.h.
 *
 * Precision notes: the public types are float (they mirror the OpenXR structs), but the trigonometry
 * below is done in double so that small rotations (a 1 kHz IMU step at a few deg/s is ~1e-4 rad) keep
 * their relative precision and the exp/log pair round-trips. */
#include "plx_math.h"

#include <math.h>

/* ---------------------------------------------------------------- vec3 */

plx_vec3 plx_vec3_add(plx_vec3 a, plx_vec3 b)
{
    return (plx_vec3){a.x + b.x, a.y + b.y, a.z + b.z};
}

plx_vec3 plx_vec3_sub(plx_vec3 a, plx_vec3 b)
{
    return (plx_vec3){a.x - b.x, a.y - b.y, a.z - b.z};
}

plx_vec3 plx_vec3_scale(plx_vec3 a, float s)
{
    return (plx_vec3){a.x * s, a.y * s, a.z * s};
}

float plx_vec3_dot(plx_vec3 a, plx_vec3 b)
{
    return a.x * b.x + a.y * b.y + a.z * b.z;
}

plx_vec3 plx_vec3_cross(plx_vec3 a, plx_vec3 b)
{
    return (plx_vec3){a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}

float plx_vec3_length(plx_vec3 a)
{
    /* Accumulate in double: squaring large or tiny floats must not overflow or lose the result. */
    double x = a.x, y = a.y, z = a.z;
    return (float)sqrt(x * x + y * y + z * z);
}

/* ---------------------------------------------------------------- quaternions */

plx_quat plx_quat_identity(void)
{
    return (plx_quat){0.0f, 0.0f, 0.0f, 1.0f};
}

plx_quat plx_quat_mul(plx_quat a, plx_quat b)
{
    return (plx_quat){
        a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
        a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
        a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
        a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
    };
}

plx_quat plx_quat_conj(plx_quat q)
{
    return (plx_quat){-q.x, -q.y, -q.z, q.w};
}

plx_quat plx_quat_normalize(plx_quat q)
{
    double x = q.x, y = q.y, z = q.z, w = q.w;
    double n = sqrt(x * x + y * y + z * z + w * w);
    /* A zero or non-finite quaternion has no direction to keep: identity is the only safe answer and
     * keeps NaN from propagating into view matrices. */
    if (!(n > 1e-30) || !isfinite(n)) return plx_quat_identity();
    return (plx_quat){(float)(x / n), (float)(y / n), (float)(z / n), (float)(w / n)};
}

plx_quat plx_quat_from_axis_angle(plx_vec3 axis, float radians)
{
    double len = plx_vec3_length(axis);
    if (!(len > 1e-30) || !isfinite(len)) return plx_quat_identity();
    double h = 0.5 * (double)radians;
    double s = sin(h) / len;
    return plx_quat_normalize(
        (plx_quat){(float)(axis.x * s), (float)(axis.y * s), (float)(axis.z * s), (float)cos(h)});
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
    /* v' = v + 2w (u x v) + 2 u x (u x v), u = vector part; cheaper and better conditioned than q v q*. */
    plx_vec3 u = {q.x, q.y, q.z};
    plx_vec3 t = plx_vec3_scale(plx_vec3_cross(u, v), 2.0f);
    return plx_vec3_add(plx_vec3_add(v, plx_vec3_scale(t, q.w)), plx_vec3_cross(u, t));
}

plx_quat plx_quat_exp(plx_vec3 rotation_vector)
{
    double x = rotation_vector.x, y = rotation_vector.y, z = rotation_vector.z;
    double angle = sqrt(x * x + y * y + z * z);
    double h = 0.5 * angle;
    /* sin(h)/angle, with its Taylor series near zero where the quotient is 0/0. */
    double k = angle < 1e-4 ? 0.5 - angle * angle / 48.0 : sin(h) / angle;
    return plx_quat_normalize((plx_quat){(float)(x * k), (float)(y * k), (float)(z * k), (float)cos(h)});
}

plx_vec3 plx_quat_log(plx_quat q)
{
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
    return plx_quat_normalize((plx_quat){(float)(wa * ax + wb * bx), (float)(wa * ay + wb * by),
                                         (float)(wa * az + wb * bz), (float)(wa * aw + wb * bw)});
}

float plx_quat_angle_between(plx_quat a, plx_quat b)
{
    plx_quat d = plx_quat_mul(plx_quat_conj(plx_quat_normalize(a)), plx_quat_normalize(b));
    double s = sqrt((double)d.x * d.x + (double)d.y * d.y + (double)d.z * d.z);
    /* |w| makes it sign-agnostic; atan2 stays precise for tiny errors (acos(|dot|) would flatten them). */
    return (float)(2.0 * atan2(s, fabs((double)d.w)));
}

plx_quat plx_quat_integrate(plx_quat q, plx_vec3 omega_world, double dt)
{
    /* omega is in the base frame, so the increment multiplies from the left. */
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

void plx_mat4_view_from_pose(float out_m[16], plx_pose eye_pose)
{
    plx_pose inv = plx_pose_inverse(eye_pose);
    plx_vec3 cx = plx_quat_rotate(inv.orientation, (plx_vec3){1, 0, 0});
    plx_vec3 cy = plx_quat_rotate(inv.orientation, (plx_vec3){0, 1, 0});
    plx_vec3 cz = plx_quat_rotate(inv.orientation, (plx_vec3){0, 0, 1});
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

void plx_mat4_mul(float out_m[16], const float a[16], const float b[16])
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
