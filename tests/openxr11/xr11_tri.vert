// SPDX-License-Identifier: MIT
// A triangle in clip space from gl_VertexIndex, moved sideways by a push constant (the eye's offset), so each
// eye's image differs and the picture moves with the head.
#version 450
layout(push_constant) uniform Push {
    vec4 color;
    vec2 offset;
} pc;
void main()
{
    const vec2 p[3] = vec2[](vec2(0.0, -0.6), vec2(0.6, 0.5), vec2(-0.6, 0.5));
    gl_Position = vec4(p[gl_VertexIndex] + pc.offset, 0.0, 1.0);
}
