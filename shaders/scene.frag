/* SPDX-License-Identifier: MIT */
#version 450
// Directional light + ambient on per-face normals; the colour target is sRGB, so this works in linear light.

layout(push_constant) uniform Object {
    mat4 model;
    vec4 color;
    vec4 light_dir;
    vec4 light_color;
    vec4 ambient;
} obj;

layout(location = 0) in vec3 in_normal;

layout(location = 0) out vec4 out_color;

void main()
{
    vec3 c = obj.color.rgb;
    if (obj.light_dir.w > 0.5) {
        vec3 n = normalize(in_normal);
        float diffuse = max(dot(n, -normalize(obj.light_dir.xyz)), 0.0);
        c *= obj.ambient.rgb + diffuse * obj.light_color.rgb;
    }
    out_color = vec4(c, 1.0);
}
