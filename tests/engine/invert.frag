// SPDX-License-Identifier: MIT
// Post-process: the eye's rendered colour (libparallax's intermediate image, one layer per eye), inverted.
#version 450
#extension GL_EXT_multiview : require

layout(set = 0, binding = 0) uniform sampler2DArray rendered;

layout(location = 0) out vec4 out_color;

void main()
{
    vec3 c = texelFetch(rendered, ivec3(gl_FragCoord.xy, gl_ViewIndex), 0).rgb;
    out_color = vec4(vec3(1.0) - c, 1.0);
}
