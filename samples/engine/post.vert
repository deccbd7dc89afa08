// SPDX-License-Identifier: MIT
// parallax-engine: the post phase's full-view rectangle. Its corners lie exactly on the view volume's sides, so
// no driver clips it (Mesa lavapipe loses clipped primitives of the second view of a multiview pass).
#version 450

layout(location = 0) out vec2 out_uv;

void main()
{
    const vec2 corners[6] = vec2[](vec2(0, 0), vec2(1, 0), vec2(1, 1), vec2(0, 0), vec2(1, 1), vec2(0, 1));
    vec2 c = corners[gl_VertexIndex];
    out_uv = c;
    gl_Position = vec4(c * 2.0 - 1.0, 0.0, 1.0);
}
