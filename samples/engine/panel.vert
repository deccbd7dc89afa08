// SPDX-License-Identifier: MIT
// parallax-engine: the stats panel's rectangles (bar segments and the pixels of a 3x5 bitmap font), one instance
// each, given in the panel image's pixels; drawn into the quad layer's own image in the pre-pass.
#version 450

layout(push_constant) uniform Params {
    vec2 size; // the panel image in pixels
} p;

layout(location = 0) in vec4 in_rect; // x0, y0, x1, y1 in pixels, y down
layout(location = 1) in vec4 in_color;

layout(location = 0) out vec4 out_color;

void main()
{
    const vec2 corners[6] = vec2[](vec2(0, 0), vec2(1, 0), vec2(1, 1), vec2(0, 0), vec2(1, 1), vec2(0, 1));
    vec2 px = mix(in_rect.xy, in_rect.zw, corners[gl_VertexIndex]);
    out_color = in_color;
    gl_Position = vec4(px / p.size * 2.0 - 1.0, 0.0, 1.0);
}
