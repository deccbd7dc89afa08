/* SPDX-License-Identifier: MIT */
#version 450
// Frame-timing HUD panel: a graph of the last 128 frames' CPU, GPU and total time against the frame budget,
// missed frames marked in red, and beside it text readouts (pose age, pose error, misses, the app's values)
// in a 3x5 bitmap font. Everything is computed from the uniform buffer per fragment, so the panel needs no
// texture: the text arrives as glyph indices (hud.c formats it) and the font is the table below.

layout(set = 1, binding = 0) uniform Samples {
    vec4 info;         // x: budget ms (display period), y: full-scale ms, z: missed frames, w: samples used
    vec4 value[128];   // per frame, oldest first: cpu ms, gpu ms (-1 unknown), total ms (-1 unknown), missed
    uvec4 text[8];     // rows of 16 glyph indices, a byte each, low byte first (13 used; 255 = blank)
    vec4 text_info;    // x: rows used
} hud;

layout(location = 0) in vec2 in_uv;
layout(location = 0) out vec4 out_color;

const vec4 BORDER = vec4(1.0, 0.8, 0.1, 1.0);
const vec4 BACKGROUND = vec4(0.03, 0.03, 0.05, 0.92);
const vec4 LABEL = vec4(0.55, 0.6, 0.7, 1.0);
const vec4 VALUE = vec4(1.0, 0.3, 0.8, 1.0);
const vec4 ALERT = vec4(1.0, 0.2, 0.2, 1.0);

// 3x5 glyphs: 0-9, A-Z, '.', '-', '/', ':' (the order of plx_hud_glyph in hud.c). 15 bits per glyph, the top
// row in bits 14..12 (left to right), the bottom row in bits 2..0.
const int GLYPHS[40] = int[](
    0x7B6F, 0x2C97, 0x73E7, 0x73CF, 0x5BC9, 0x79CF, 0x79EF, 0x7249, 0x7BEF, 0x7BCF,
    0x2BED, 0x6BAE, 0x3923, 0x6B6E, 0x79A7, 0x79A4, 0x396B, 0x5BED, 0x7497, 0x126A,
    0x5BAD, 0x4927, 0x5FED, 0x6B6D, 0x2B6A, 0x6BA4, 0x2B73, 0x6BAD, 0x388E, 0x7492,
    0x5B6F, 0x5B6A, 0x5BFD, 0x5AAD, 0x5A92, 0x72A7, 0x0002, 0x01C0, 0x12A4, 0x0410);

const int COLUMNS = 13;      // characters per row
const int LABEL_COLUMNS = 5; // the label part of an app's row; the rest is its value
const int ROWS = 8;

// Text area: the right part of the panel. Cells of 4x6 font pixels (3x5 glyph + spacing), square on the panel.
const vec2 TEXT_ORIGIN = vec2(0.58, 0.08);
const vec2 TEXT_SIZE = vec2(0.395, 0.84);

// Whether uv lies on a lit font pixel of the text, and in which row and column.
bool text_lit(vec2 uv, out int row, out int col)
{
    row = 0;
    col = 0;
    vec2 t = (uv - TEXT_ORIGIN) / TEXT_SIZE;
    if (t.x < 0.0 || t.x >= 1.0 || t.y < 0.0 || t.y >= 1.0) return false;
    ivec2 cell = ivec2(t * vec2(float(COLUMNS * 4), float(ROWS * 6)));
    col = cell.x / 4;
    row = cell.y / 6;
    int gx = cell.x % 4, gy = cell.y % 6;
    if (gx > 2 || gy > 4 || row >= int(hud.text_info.x)) return false;
    uint code = (hud.text[row][col / 4] >> (8u * uint(col % 4))) & 0xFFu;
    if (code >= 40u) return false;
    int bit = 14 - (gy * 3 + gx);
    return ((GLYPHS[code] >> bit) & 1) != 0;
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
    // Graph area: the left 52% of the panel.
    vec2 g = vec2((uv.x - 0.03) / 0.52, (0.92 - uv.y) / 0.84); // y up, 0..1
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
    // Readouts: labels and units grey, values pink; the miss count (row 3) red once a frame has missed. Rows
    // 0-3 (hud.c): label in columns 0-3, value 4-8, unit 10-12; the app's rows: label 0-4, value 6-12.
    int row, col;
    if (text_lit(uv, row, col)) {
        bool label = row < 4 ? (col < 4 || col >= 10) : col < LABEL_COLUMNS;
        color = label ? LABEL : (row == 3 && hud.info.z > 0.5) ? ALERT : VALUE;
    }
    out_color = color;
}
