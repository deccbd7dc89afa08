// SPDX-License-Identifier: MIT
// A square facing +z in the reference space (push constant: centre xyz, half size w), seen through the
// frame's uniforms (set 0, binding 0: plx_frame_uniforms) by gl_ViewIndex, as an engine's shader would read
// them: so the late latch and the pass per eye's swapped uniforms reach it.
#version 450
#extension GL_EXT_multiview : require

layout(set = 0, binding = 0) uniform Frame {
    mat4 view[2];
    mat4 proj[2];
    vec4 eye_position[2];
    vec4 time_s;
} frame;

layout(push_constant) uniform Push {
    vec4 center_half;
    vec4 color;
} push;

void main()
{
    const vec2 corners[6] = vec2[](vec2(-1, -1), vec2(1, -1), vec2(1, 1), vec2(-1, -1), vec2(1, 1), vec2(-1, 1));
    vec3 p = push.center_half.xyz + vec3(corners[gl_VertexIndex] * push.center_half.w, 0.0);
    gl_Position = frame.proj[gl_ViewIndex] * frame.view[gl_ViewIndex] * vec4(p, 1.0);
}
