// SPDX-License-Identifier: MIT
// parallax-engine: the pre-pass compute step. Writes every instance's model matrix and colour for this frame
// into the frame slot's instance buffer, which the scene's vertex shader reads in the pass (libparallax's
// pre-pass barrier makes these writes visible there).
#version 450
layout(local_size_x = 32) in;

struct Instance {
    mat4 model;
    vec4 color;
};

layout(set = 0, binding = 0, std430) writeonly buffer Instances {
    Instance inst[];
} instances;

layout(push_constant) uniform Params {
    vec4 tint;       // rgb: the colour the trigger blends the orbiting cubes towards; a: how far (0..1)
    float time;      // seconds of animation
    uint count;      // instances to write
    uint orbiters;   // instances 2 .. 2 + orbiters - 1 orbit the centre; the two after them are the hands
    float pad;
    vec4 hand_position[2];    // the controllers' grip poses (actions.c): xyz, w = 1 when valid
    vec4 hand_orientation[2]; // unit quaternions x, y, z, w
} p;

// Rotation about a unit axis by angle a, then uniform scale s, then translation t.
mat4 place(vec3 axis, float a, float s, vec3 t)
{
    float c = cos(a), si = sin(a), k = 1.0 - c;
    vec3 u = axis;
    mat3 r = mat3(c + u.x * u.x * k, u.y * u.x * k + u.z * si, u.z * u.x * k - u.y * si,
                  u.x * u.y * k - u.z * si, c + u.y * u.y * k, u.z * u.y * k + u.x * si,
                  u.x * u.z * k + u.y * si, u.y * u.z * k - u.x * si, c + u.z * u.z * k);
    return mat4(vec4(r[0] * s, 0.0), vec4(r[1] * s, 0.0), vec4(r[2] * s, 0.0), vec4(t, 1.0));
}

vec3 hue(float h)
{
    return clamp(abs(mod(h * 6.0 + vec3(0.0, 4.0, 2.0), 6.0) - 3.0) - 1.0, 0.0, 1.0);
}

void main()
{
    uint i = gl_GlobalInvocationID.x;
    if (i >= p.count) return;
    const vec3 centre = vec3(0.0, -0.5, -1.8);
    Instance o;
    if (i == 0u) {
        // The platform: a flat slab under everything (its model is built by scaling a unit cube per axis).
        o.model = mat4(vec4(1.9, 0, 0, 0), vec4(0, 0.08, 0, 0), vec4(0, 0, 1.3, 0), vec4(centre + vec3(0, -0.2, 0), 1));
        o.color = vec4(0.32, 0.34, 0.38, 1.0);
    } else if (i == 1u) {
        // The centre piece: a cube spinning about a tilted axis.
        o.model = place(normalize(vec3(0.4, 1.0, 0.3)), 0.6 * p.time + 0.7, 0.32, centre + vec3(0, 0.1, 0));
        o.color = vec4(0.95, 0.55, 0.18, 1.0);
    } else if (i >= 2u + p.orbiters) {
        // A controller: a small cube at its grip pose (scale 0 while the pose is unknown), in its hand's colour
        // (left cyan, right orange, as actions.c tints).
        uint h = i - 2u - p.orbiters;
        vec4 q = p.hand_orientation[h];
        mat3 r = mat3(1.0 - 2.0 * (q.y * q.y + q.z * q.z), 2.0 * (q.x * q.y + q.w * q.z), 2.0 * (q.x * q.z - q.w * q.y),
                      2.0 * (q.x * q.y - q.w * q.z), 1.0 - 2.0 * (q.x * q.x + q.z * q.z), 2.0 * (q.y * q.z + q.w * q.x),
                      2.0 * (q.x * q.z + q.w * q.y), 2.0 * (q.y * q.z - q.w * q.x), 1.0 - 2.0 * (q.x * q.x + q.y * q.y));
        float s = 0.035 * p.hand_position[h].w;
        o.model = mat4(vec4(r[0] * s, 0.0), vec4(r[1] * s, 0.0), vec4(r[2] * s, 0.0), vec4(p.hand_position[h].xyz, 1.0));
        o.color = h == 0u ? vec4(0.05, 0.55, 1.0, 1.0) : vec4(1.0, 0.35, 0.05, 1.0);
    } else {
        float k = float(i - 2u) / float(max(p.orbiters, 1u));
        float a = 6.2831853 * k + 0.35 * p.time;
        vec3 at = centre + vec3(0.68 * sin(a), 0.02 + 0.05 * sin(2.0 * p.time + 9.0 * k), 0.45 * cos(a));
        o.model = place(normalize(vec3(sin(7.0 * k), 1.0, cos(5.0 * k))), 1.3 * p.time + 4.0 * k, 0.17, at);
        o.color = vec4(mix(hue(k) * 0.8 + 0.1, p.tint.rgb, p.tint.a), 1.0);
    }
    instances.inst[i] = o;
}
