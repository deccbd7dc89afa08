// SPDX-License-Identifier: MIT
// parallax-engine: flat faces lit by one directional light, an ambient term and a small highlight seen from the
// eye being drawn (eye_position[gl_ViewIndex] of libparallax's uniforms).
#version 450
#extension GL_EXT_multiview : require

layout(set = 0, binding = 0, std140) uniform Frame {
    mat4 view[2];
    mat4 proj[2];
    vec4 eye_position[2];
    vec4 time_s;
} frame;

layout(location = 0) in vec3 in_world;
layout(location = 1) in vec3 in_normal;
layout(location = 2) in vec4 in_color;

layout(location = 0) out vec4 out_color;

void main()
{
    const vec3 to_light = normalize(vec3(0.35, 1.0, 0.45));
    vec3 n = normalize(in_normal);
    float diffuse = max(dot(n, to_light), 0.0);
    vec3 to_eye = normalize(frame.eye_position[gl_ViewIndex].xyz - in_world);
    float spec = pow(max(dot(n, normalize(to_light + to_eye)), 0.0), 32.0) * 0.25;
    vec3 c = in_color.rgb * (0.22 + 0.78 * diffuse) + vec3(spec);
    out_color = vec4(c, 1.0);
}
