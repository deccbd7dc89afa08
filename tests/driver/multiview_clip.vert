// SPDX-License-Identifier: MIT
#version 450
// One triangle, placed per view: view v draws it offset by shift[v].xy, with vertex 0 at depth shift[v].z and
// the others at 0.5, so a case can push it across a side of the view volume (x or y beyond +-1) or through the
// near plane (z < 0) in one view only. In a multiview pass the view is gl_ViewIndex; a pass without multiview
// (gl_ViewIndex is 0 there) names its view in view_base, so both kinds of pass draw the same triangles.
#extension GL_EXT_multiview : require

layout(push_constant) uniform Place {
    vec4 shift[2];
    int view_base;
} place;

const vec2 corners[3] = vec2[3](vec2(-0.5, 0.5), vec2(0.5, 0.5), vec2(0.0, -0.5));

void main()
{
    int view = gl_ViewIndex + place.view_base;
    vec4 s = place.shift[view];
    gl_Position = vec4(corners[gl_VertexIndex] + s.xy, gl_VertexIndex == 0 ? s.z : 0.5, 1.0);
}
