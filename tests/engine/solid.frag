// SPDX-License-Identifier: MIT
// The push constant's colour.
#version 450

layout(push_constant) uniform Push {
    vec4 rect;
    vec4 color;
} push;

layout(location = 0) out vec4 out_color;

void main()
{
    out_color = push.color;
}
