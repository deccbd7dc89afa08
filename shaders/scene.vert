/* SPDX-License-Identifier: MIT */
#version 450
// Built-in scene renderer: both eyes in one multiview pass. The view and projection come from the per-frame
// uniform buffer (indexed by gl_ViewIndex), never from push constants, so the late latch can replace them
// after the commands are recorded.
#extension GL_EXT_multiview : require

layout(set = 0, binding = 0) uniform Frame {
    mat4 view[2];
    mat4 proj[2];
    vec4 eye_position[2];
    vec4 time_s;
} frame;

layout(push_constant) uniform Object {
    mat4 model;
    vec4 color;       // rgb linear
    vec4 light_dir;   // xyz: direction the light travels (world); w: 1 lit, 0 unlit
    vec4 light_color; // rgb
    vec4 ambient;     // rgb
} obj;

layout(location = 0) in vec3 in_position;
layout(location = 1) in vec3 in_normal;

layout(location = 0) out vec3 out_normal;

void main()
{
    vec4 world = obj.model * vec4(in_position, 1.0);
    // Inverse transpose keeps normals perpendicular under non-uniform scale (boxes of any proportions).
    out_normal = transpose(inverse(mat3(obj.model))) * in_normal;
    gl_Position = frame.proj[gl_ViewIndex] * frame.view[gl_ViewIndex] * world;
}
