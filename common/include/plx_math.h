/* SPDX-License-Identifier: MIT */
/* plx_math: the small internal math library shared by libparallax and the simulated headset.
 * Pure functions, no allocation, no OpenXR or Vulkan types. The structs have the same memory layout as
 * XrVector3f / XrQuaternionf / XrPosef so callers may convert with a plain copy (they static_assert it).
 *
 * Conventions: right-handed, +Y up, -Z forward (OpenXR). Quaternions are unit, Hamilton product,
 * q = (x, y, z, w). Angular velocity is a vector in the *base* (world) frame, radians per second, as in
 * XrSpaceVelocity; integrating it for dt gives q(t+dt) = exp(omega * dt / 2) * q(t).
 *
 * Implemented on cglm (src/math.c says which parts cglm does and which stay by hand, and why); cglm is not
 * part of this interface, so callers need not include it. Matrices are column-major float[16], the layout of
 * cglm's mat4 and of GLSL's mat4. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct plx_vec3 {
    float x, y, z;
} plx_vec3;

typedef struct plx_quat {
    float x, y, z, w;
} plx_quat;

typedef struct plx_pose {
    plx_quat orientation;
    plx_vec3 position;
} plx_pose;

#define PLX_PI 3.14159265358979323846

/* vec3 */
plx_vec3 plx_vec3_add(plx_vec3 a, plx_vec3 b);
plx_vec3 plx_vec3_sub(plx_vec3 a, plx_vec3 b);
plx_vec3 plx_vec3_scale(plx_vec3 a, float s);
float plx_vec3_dot(plx_vec3 a, plx_vec3 b);
plx_vec3 plx_vec3_cross(plx_vec3 a, plx_vec3 b);
float plx_vec3_length(plx_vec3 a);

/* quaternions */
plx_quat plx_quat_identity(void);
plx_quat plx_quat_mul(plx_quat a, plx_quat b); /* a then... : returns a*b (apply b first, then a) */
plx_quat plx_quat_conj(plx_quat q);
plx_quat plx_quat_normalize(plx_quat q);
plx_quat plx_quat_from_axis_angle(plx_vec3 axis, float radians);
plx_quat plx_quat_from_euler_yxz(float yaw, float pitch,
                                 float roll); /* yaw about +Y, pitch about +X, roll +Z */
plx_vec3 plx_quat_rotate(plx_quat q, plx_vec3 v);
plx_quat plx_quat_exp(plx_vec3 rotation_vector); /* rotation vector (axis * angle) -> unit quaternion */
plx_vec3 plx_quat_log(plx_quat q);               /* inverse of exp, angle in [0, pi] */
plx_quat plx_quat_slerp(plx_quat a, plx_quat b, float t);
float plx_quat_angle_between(plx_quat a, plx_quat b); /* radians in [0, pi], sign-agnostic */
/* Rotate q by a world-frame angular velocity for dt seconds (exact for constant omega). */
plx_quat plx_quat_integrate(plx_quat q, plx_vec3 omega_world, double dt);

/* poses */
plx_pose plx_pose_identity(void);
plx_pose plx_pose_mul(plx_pose a, plx_pose b); /* a * b: transform from b's space through a */
plx_pose plx_pose_inverse(plx_pose p);
plx_vec3 plx_pose_transform_point(plx_pose p, plx_vec3 v);
/* A pose into float arrays (position x, y, z; orientation x, y, z, w), as the public APIs carry them. */
void plx_pose_to_arrays(plx_pose pose, float position[3], float orientation[4]);

/* Column-major 4x4 matrices as used by Vulkan shaders (float m[16]). */
/* Projection from OpenXR fov angles (radians, left/down negative), Vulkan clip space: y down, depth 0..1,
 * reversed = false: near maps to 0. far <= near means an infinite far plane. */
void plx_mat4_projection_fov(float out_m[16], float angle_left, float angle_right, float angle_up,
                             float angle_down, float near_z, float far_z);
/* View matrix = inverse of the eye pose (world-from-eye). */
void plx_mat4_view_from_pose(float out_m[16], plx_pose eye_pose);
void plx_mat4_mul(float out_m[16], const float a[16], const float b[16]);

#ifdef __cplusplus
}
#endif
