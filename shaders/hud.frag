#version 450
// Frame-timing HUD panel: a graph of the last 128 frames' CPU, GPU and total time against the frame budget,
// missed frames marked in red, and the miss count in seven-segment digits. Everything is computed from the
// samples buffer per fragment, so the panel needs no texture or font.

layout(set = 1, binding = 0) uniform Samples {
    vec4 info;         // x: budget ms (display period), y: full-scale ms, z: missed frames, w: samples used
    vec4 value[128];   // per frame, oldest first: cpu ms, gpu ms (-1 unknown), total ms (-1 unknown), missed
} hud;

layout(location = 0) in vec2 in_uv;
layout(location = 0) out vec4 out_color;

const vec4 BORDER = vec4(1.0, 0.8, 0.1, 1.0);
const vec4 BACKGROUND = vec4(0.03, 0.03, 0.05, 0.92);

// Segment bits a..g (top, upper right, lower right, bottom, lower left, upper left, middle) of 0..9.
const int DIGITS[10] = int[](0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F);

// Whether p (0..1 in a digit cell, y down) lies on a lit segment of digit d.
bool segment_lit(int d, vec2 p)
{
    int bits = DIGITS[d];
    const float t = 0.12; // stroke
    bool top = p.y < t, mid = abs(p.y - 0.5) < t * 0.5, bottom = p.y > 1.0 - t;
    bool left = p.x < t, right = p.x > 1.0 - t;
    bool upper = p.y < 0.5, lower = p.y >= 0.5;
    bool on = false;
    on = on || ((bits & 0x01) != 0 && top);
    on = on || ((bits & 0x02) != 0 && right && upper);
    on = on || ((bits & 0x04) != 0 && right && lower);
    on = on || ((bits & 0x08) != 0 && bottom);
    on = on || ((bits & 0x10) != 0 && left && lower);
    on = on || ((bits & 0x20) != 0 && left && upper);
    on = on || ((bits & 0x40) != 0 && mid);
    return on;
}

void main()
{
    vec2 uv = in_uv;
    // Border, roughly 1.2% of the panel.
    if (uv.x < 0.012 || uv.x > 0.988 || uv.y < 0.03 || uv.y > 0.97) {
        out_color = BORDER;
        return;
    }
    vec4 color = BACKGROUND;
    // Graph area: left 78% of the panel.
    vec2 g = vec2((uv.x - 0.03) / 0.75, (0.92 - uv.y) / 0.84); // y up, 0..1
    float full = max(hud.info.y, 0.001);
    if (g.x >= 0.0 && g.x < 1.0 && g.y >= 0.0 && g.y <= 1.0) {
        int used = int(hud.info.w);
        int i = int(g.x * 128.0);
        int first = 128 - used; // samples are right-aligned: the newest frame at the right edge
        float ms = g.y * full;
        float px = 1.5 * full / 100.0; // line half thickness in ms
        if (i >= first) {
            vec4 s = hud.value[i];
            if (s.w > 0.5) color = vec4(0.55, 0.05, 0.05, 0.9); // missed: red column
            if (s.z >= 0.0 && ms <= s.z) color = mix(color, vec4(0.25, 0.35, 0.75, 1.0), 0.8); // total
            if (s.y >= 0.0 && abs(ms - s.y) < px) color = vec4(0.2, 1.0, 0.3, 1.0);             // GPU
            if (abs(ms - s.x) < px) color = vec4(0.2, 0.9, 1.0, 1.0);                           // CPU
        }
        if (abs(ms - hud.info.x) < px) color = vec4(1.0, 1.0, 1.0, 1.0); // budget
    }
    // Miss count: up to 5 digits on the right, red.
    vec2 d = vec2((uv.x - 0.81) / 0.17, (uv.y - 0.35) / 0.30);
    if (d.x >= 0.0 && d.x < 1.0 && d.y >= 0.0 && d.y < 1.0) {
        int misses = int(hud.info.z);
        float cell = d.x * 5.0;
        int k = 4 - int(cell); // digit position from the right
        int value = misses;
        for (int j = 0; j < k; j++) value /= 10;
        if (k == 0 || value > 0) {
            vec2 p = vec2(fract(cell) * 1.3 - 0.15, d.y);
            if (p.x >= 0.0 && p.x <= 1.0 && segment_lit(value % 10, p)) color = vec4(1.0, 0.2, 0.2, 1.0);
        }
    }
    out_color = color;
}
