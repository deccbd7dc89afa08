// SPDX-License-Identifier: MIT
// The colour the pre-pass computed (fill.comp), read from a storage buffer.
#version 450

layout(set = 0, binding = 0, std430) readonly buffer Color {
    vec4 color;
} buf;

layout(location = 0) out vec4 out_color;

void main()
{
    out_color = buf.color;
}
