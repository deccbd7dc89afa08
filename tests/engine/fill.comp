// SPDX-License-Identifier: MIT
// Pre-pass compute: turns what vkCmdFillBuffer wrote (0.25 in every channel) into pure green, so the pass's
// colour proves both the fill and the dispatch ran, in order, before the pass read it.
#version 450
layout(local_size_x = 1) in;

layout(set = 0, binding = 0, std430) buffer Color {
    vec4 color;
} buf;

void main()
{
    buf.color = vec4(0.0, buf.color.g * 4.0, 0.0, buf.color.a * 4.0);
}
