/* SPDX-License-Identifier: MIT */
/* plx-check-hud: checks that a simulated-headset capture (both eyes side by side) shows the HUD panel, or
 * does not, and its text readouts.
 *
 *   plx-check-hud FILE.png --expect hud|readouts|none
 *
 * The panel has a yellow border (linear 1.0, 0.8, 0.1: sRGB about 255, 231, 89) and, inside it, a graph
 * with cyan (CPU), green (GPU) and white (budget) lines. For each eye: the longest horizontal run of border
 * pixels in the lower half of the eye must be at least 15% of the eye's width (the panel's top or bottom
 * edge), and the box below that edge must hold graph-line pixels. With --expect none neither may hold.
 * --expect readouts also wants the readouts' values: pixels of their pink (linear 1.0, 0.3, 0.8: sRGB about
 * 255, 149, 231) in the right part of the panel (its text column) and none in the graph's part. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int near(const unsigned char *p, int r, int g, int b, int tol)
{
    return abs(p[0] - r) <= tol && abs(p[1] - g) <= tol && abs(p[2] - b) <= tol;
}

int main(int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[2], "--expect") ||
        (strcmp(argv[3], "hud") && strcmp(argv[3], "readouts") && strcmp(argv[3], "none"))) {
        fprintf(stderr, "usage: plx-check-hud FILE.png --expect hud|readouts|none\n");
        return 2;
    }
    int expect = strcmp(argv[3], "none") != 0, readouts = !strcmp(argv[3], "readouts");
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, argv[1])) {
        fprintf(stderr, "check-hud: %s: %s\n", argv[1], img.message);
        return 1;
    }
    img.format = PNG_FORMAT_RGB;
    unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
    if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
        fprintf(stderr, "check-hud: %s: %s\n", argv[1], img.message);
        free(px);
        return 1;
    }
    int w = (int)img.width, h = (int)img.height, eye_w = w / 2, ok = 1;
    for (int eye = 0; eye < 2; eye++) {
        int best = 0, best_y = -1, best_x0 = 0;
        for (int y = h / 2; y < h; y++) {
            int run = 0;
            for (int x = eye * eye_w; x < (eye + 1) * eye_w; x++) {
                run = near(px + 3 * (y * w + x), 255, 231, 89, 24) ? run + 1 : 0;
                if (run > best) {
                    best = run;
                    best_y = y;
                    best_x0 = x - run + 1;
                }
            }
        }
        /* Graph lines inside the panel: below the top edge, within the edge's columns. */
        int lines = 0;
        if (best_y >= 0) {
            for (int y = best_y + 1; y < h && y < best_y + best * 2 / 5 + 2; y++) {
                for (int x = best_x0; x < best_x0 + best; x++) {
                    const unsigned char *p = px + 3 * (y * w + x);
                    if (near(p, 124, 243, 255, 40) || near(p, 124, 255, 149, 40) ||
                        near(p, 255, 255, 255, 10))
                        lines++;
                }
            }
        }
        int has = best >= eye_w * 15 / 100 && lines >= 5;
        /* Value glyph pixels: in the panel's text column (right of 55% of its width), not in the graph. */
        int text_px = 0, graph_px = 0;
        if (best_y >= 0) {
            for (int y = best_y + 1; y < h && y < best_y + best * 9 / 20 + 2; y++) {
                for (int x = best_x0; x < best_x0 + best; x++) {
                    if (!near(px + 3 * (y * w + x), 255, 149, 231, 30)) continue;
                    if (x >= best_x0 + best * 55 / 100)
                        text_px++;
                    else
                        graph_px++;
                }
            }
        }
        printf(
            "check-hud: eye %d: border run %d px (eye %d px) at y %d, %d graph-line pixels, %d readout value "
            "pixels (%d in the graph's part) -> %s\n",
            eye, best, eye_w, best_y, lines, text_px, graph_px, has ? "HUD" : "no HUD");
        if (has != expect) ok = 0;
        if (readouts && (text_px < 10 || graph_px > 0)) ok = 0;
    }
    free(px);
    printf("check-hud: %s\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
