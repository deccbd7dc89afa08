// SPDX-License-Identifier: MIT
// parallax-engine: the scene's vertex shader, drawn in libparallax's multiview pass. The view and projection
// come from libparallax's per-frame uniforms (set 0), indexed by gl_ViewIndex, so the late latch reaches every
// draw; the model matrices come from the instance buffer the pre-pass compute shader (animate.comp) wrote.
#version 450
#extension GL_EXT_multiview : require

layout(set = 0, binding = 0, std140) uniform Frame {
    mat4 view[2];
    mat4 proj[2];
    vec4 eye_position[2];
    vec4 time_s;
} frame;

struct Instance {
    mat4 model;
    vec4 color;
};

layout(set = 1, binding = 0, std430) readonly buffer Instances {
    Instance inst[];
} instances;

layout(location = 0) in vec3 in_position;
layout(location = 1) in vec3 in_normal;

layout(location = 0) out vec3 out_world;
layout(location = 1) out vec3 out_normal;
layout(location = 2) out vec4 out_color;

void main()
{
    Instance i = instances.inst[gl_InstanceIndex];
    vec4 world = i.model * vec4(in_position, 1.0);
    out_world = world.xyz;
    // Rotation and uniform scale only (animate.comp), so the upper 3x3 turns normals too.
    out_normal = normalize(mat3(i.model) * in_normal);
    out_color = i.color;
    gl_Position = frame.proj[gl_ViewIndex] * frame.view[gl_ViewIndex] * world;
}
