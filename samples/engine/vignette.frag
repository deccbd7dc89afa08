// SPDX-License-Identifier: MIT
// parallax-engine: the post-process. Reads what libparallax's pass rendered (its intermediate image, one array
// layer per eye, resolved from MSAA) and writes the final colour into the swapchain image: a vignette that darkens
// towards the corners of each eye's rendered area.
#version 450
#extension GL_EXT_multiview : require

layout(set = 0, binding = 0) uniform sampler2DArray rendered;

layout(push_constant) uniform Params {
    float strength; // how dark the corners get: 0 none, 1 black
    float inner;    // distance from the centre (1 = a corner) where the darkening starts
} p;

layout(location = 0) in vec2 in_uv;
layout(location = 0) out vec4 out_color;

void main()
{
    vec3 c = texelFetch(rendered, ivec3(gl_FragCoord.xy, gl_ViewIndex), 0).rgb;
    float d = length(in_uv - 0.5) / 0.70710678;
    out_color = vec4(c * (1.0 - p.strength * smoothstep(p.inner, 1.0, d)), 1.0);
}
