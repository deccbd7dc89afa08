// SPDX-License-Identifier: MIT
// A rectangle in normalized device coordinates (push constant rect: x0, y0, x1, y1), drawn without clipping
// (its corners lie inside or on the view volume, so no driver clips it), at depth 0.5.
#version 450

layout(push_constant) uniform Push {
    vec4 rect;
    vec4 color;
} push;

void main()
{
    const vec2 corners[6] = vec2[](vec2(0, 0), vec2(1, 0), vec2(1, 1), vec2(0, 0), vec2(1, 1), vec2(0, 1));
    vec2 c = corners[gl_VertexIndex];
    gl_Position = vec4(mix(push.rect.xy, push.rect.zw, c), 0.5, 1.0);
}
