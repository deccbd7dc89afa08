// SPDX-License-Identifier: MIT
#version 450
// An app's own pipeline (tests/integration/app_eye.c): a quad per view, no vertex buffer.
#extension GL_EXT_multiview : require

layout(set = 0, binding = 0) uniform Frame {
    mat4 view[2];
    mat4 proj[2];
    vec4 eye_position[2];
    vec4 time_s;
} frame;

layout(location = 0) flat out int out_eye;

void main()
{
    // A quad inside the view volume: nothing to clip, so one multiview pass on lavapipe draws it too.
    const vec2 corners[6] = vec2[](vec2(-0.9, -0.9), vec2(0.9, -0.9), vec2(0.9, 0.9), vec2(-0.9, -0.9),
                                   vec2(0.9, 0.9), vec2(-0.9, 0.9));
    gl_Position = vec4(corners[gl_VertexIndex], 0.5, 1.0);
    // The eye this view draws, as parallax_vulkan.h documents: gl_ViewIndex plus time_s[1] (1 in the right
    // eye's pass when libparallax renders a pass per eye, else 0).
    out_eye = gl_ViewIndex + int(frame.time_s.y + 0.5);
}
