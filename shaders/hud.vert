/* SPDX-License-Identifier: MIT */
#version 450
// Frame-timing HUD: a head-locked panel drawn in the multiview pass after the app's draws. The quad is placed
// in head space (lower middle of the view, about a metre ahead) and projected with each eye's projection from
// the per-frame uniforms; each eye sees it shifted by half the IPD so both eyes agree on its distance.
#extension GL_EXT_multiview : require

layout(set = 0, binding = 0) uniform Frame {
    mat4 view[2];
    mat4 proj[2];
    vec4 eye_position[2];
    vec4 time_s;
} frame;

layout(push_constant) uniform Panel {
    vec4 rect; // head space: centre x, centre y, half width, half height (metres)
    vec4 depth; // x: distance ahead (metres)
} panel;

layout(location = 0) out vec2 out_uv;

void main()
{
    // Two triangles from the vertex index: no vertex buffer.
    const vec2 corners[6] = vec2[](vec2(0, 0), vec2(1, 0), vec2(1, 1), vec2(0, 0), vec2(1, 1), vec2(0, 1));
    vec2 uv = corners[gl_VertexIndex];
    float ipd = distance(frame.eye_position[0].xyz, frame.eye_position[1].xyz);
    // The eye drawn: gl_ViewIndex, plus time_s.y when libparallax draws the right eye as view 0 of a pass of
    // its own (a pass per eye, parallax_vulkan.h).
    int eye = gl_ViewIndex + int(frame.time_s.y + 0.5);
    float eye_shift = eye == 0 ? 0.5 * ipd : -0.5 * ipd; // head centre seen from this eye
    vec3 p = vec3(panel.rect.x + (uv.x * 2.0 - 1.0) * panel.rect.z + eye_shift,
                  panel.rect.y + (uv.y * 2.0 - 1.0) * panel.rect.w, -panel.depth.x);
    out_uv = vec2(uv.x, 1.0 - uv.y); // v = 0 at the top of the panel
    gl_Position = frame.proj[gl_ViewIndex] * vec4(p, 1.0);
}
