/* SPDX-License-Identifier: MIT */
#version 450
// Late-latch proof (libparallax latch.c, PARALLAX_LATCH_CHECK=1): copies the view and projection matrices
// exactly as the GPU reads them from the frame's uniform buffer, in the same submission as the frame's
// draws, into a buffer the CPU compares with the poses given to xrEndFrame once the frame's fence signals.
layout(local_size_x = 1) in;

layout(set = 0, binding = 0) uniform Frame {
    mat4 view[2];
    mat4 proj[2];
    vec4 eye_position[2];
    vec4 time_s;
} frame;

layout(set = 0, binding = 1, std430) writeonly buffer Seen {
    mat4 view[2];
    mat4 proj[2];
} seen;

// eye < 0: after the one multiview pass, both views. eye 0 or 1: after that eye's pass of a pass per eye, where
// the eye drawn is view 0 (libparallax gpu/multiview.c): its view 0 goes to that eye's place.
layout(push_constant) uniform Which {
    int eye;
} which;

void main()
{
    if (which.eye < 0) {
        seen.view[0] = frame.view[0];
        seen.view[1] = frame.view[1];
        seen.proj[0] = frame.proj[0];
        seen.proj[1] = frame.proj[1];
    } else {
        seen.view[which.eye] = frame.view[0];
        seen.proj[which.eye] = frame.proj[0];
    }
}
