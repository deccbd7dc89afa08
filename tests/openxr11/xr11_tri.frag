// SPDX-License-Identifier: MIT
// The triangle's colour comes from the push constant (per frame).
#version 450
layout(push_constant) uniform Push {
    vec4 color;
    vec2 offset;
} pc;
layout(location = 0) out vec4 out_color;
void main()
{
    out_color = pc.color;
}
