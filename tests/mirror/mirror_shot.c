/* SPDX-License-Identifier: MIT */
/* plx-mirror-shot: screenshots the X display (XGetImage on the root window), waits until the Parallax
 * mirror window shows a scene, writes the PNG and checks its content (not byte-exact).
 *
 *   plx-mirror-shot DISPLAY OUT.png --expect both|left [--timeout SECONDS]
 *
 * The display is otherwise empty (a fresh Xvfb with a black root), so the mirror is the bounding box of the
 * non-black pixels. Checks: that box is at least 100x100 pixels and, for "both", about twice as wide as
 * tall (two square eyes), for "left" about square; it shows a scene, not a clear colour (enough distinct
 * colours); the red target cube (r > 2g, r > 2b) is visible, once per eye; for "both" the two halves
 * differ (stereo). */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct shot {
    int w, h;
    unsigned char *rgb;
} shot;

static int grab(Display *dpy, shot *out)
{
    Window root = DefaultRootWindow(dpy);
    XWindowAttributes wa;
    XGetWindowAttributes(dpy, root, &wa);
    XImage *img = XGetImage(dpy, root, 0, 0, (unsigned)wa.width, (unsigned)wa.height, AllPlanes, ZPixmap);
    if (!img) return 0;
    out->w = wa.width;
    out->h = wa.height;
    out->rgb = malloc((size_t)out->w * out->h * 3);
    if (!out->rgb) {
        XDestroyImage(img);
        return 0;
    }
    for (int y = 0; y < out->h; y++) {
        for (int x = 0; x < out->w; x++) {
            unsigned long p = XGetPixel(img, x, y);
            unsigned char *d = out->rgb + 3 * ((size_t)y * out->w + x);
            d[0] = (unsigned char)((p & img->red_mask) >> __builtin_ctzl(img->red_mask));
            d[1] = (unsigned char)((p & img->green_mask) >> __builtin_ctzl(img->green_mask));
            d[2] = (unsigned char)((p & img->blue_mask) >> __builtin_ctzl(img->blue_mask));
        }
    }
    XDestroyImage(img);
    return 1;
}

/* Bounding box of the non-black pixels. */
static int content_box(const shot *s, int *x0, int *y0, int *x1, int *y1)
{
    *x0 = s->w, *y0 = s->h, *x1 = -1, *y1 = -1;
    for (int y = 0; y < s->h; y++) {
        for (int x = 0; x < s->w; x++) {
            const unsigned char *p = s->rgb + 3 * ((size_t)y * s->w + x);
            if (p[0] + p[1] + p[2] > 12) {
                if (x < *x0) *x0 = x;
                if (y < *y0) *y0 = y;
                if (x > *x1) *x1 = x;
                if (y > *y1) *y1 = y;
            }
        }
    }
    return *x1 >= *x0 + 99 && *y1 >= *y0 + 99;
}

typedef struct half_stats {
    int colours;  /* distinct colours (5 bits per channel) */
    long red;     /* target pixels */
    double red_x; /* their centroid, relative to the half */
} half_stats;

static half_stats analyse(const shot *s, int x0, int y0, int w, int h)
{
    static unsigned char seen[32 * 32 * 32];
    memset(seen, 0, sizeof seen);
    half_stats r = {0, 0, 0};
    double sx = 0;
    for (int y = y0; y < y0 + h; y++) {
        for (int x = x0; x < x0 + w; x++) {
            const unsigned char *p = s->rgb + 3 * ((size_t)y * s->w + x);
            int k = (p[0] >> 3) << 10 | (p[1] >> 3) << 5 | (p[2] >> 3);
            if (!seen[k]) r.colours++, seen[k] = 1;
            if (p[0] > 80 && p[0] > 2 * p[1] && p[0] > 2 * p[2]) r.red++, sx += x - x0;
        }
    }
    r.red_x = r.red ? sx / r.red : -1;
    return r;
}

static int write_png(const char *path, const shot *s)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)s->w;
    img.height = (png_uint_32)s->h;
    img.format = PNG_FORMAT_RGB;
    return png_image_write_to_file(&img, path, 0, s->rgb, 0, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 5 || strcmp(argv[3], "--expect") || (strcmp(argv[4], "both") && strcmp(argv[4], "left"))) {
        fprintf(stderr, "usage: plx-mirror-shot DISPLAY OUT.png --expect both|left [--timeout SECONDS]\n");
        return 2;
    }
    int both = !strcmp(argv[4], "both");
    double timeout = argc >= 7 && !strcmp(argv[5], "--timeout") ? atof(argv[6]) : 30.0;
    Display *dpy = XOpenDisplay(argv[1]);
    if (!dpy) {
        fprintf(stderr, "mirror-shot: cannot open display %s\n", argv[1]);
        return 1;
    }
    struct timespec t0, now, nap = {0, 250 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    shot s = {0, 0, NULL};
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0, ready = 0;
    /* Wait for the window to appear and show a scene (the app needs a moment to start). */
    for (;;) {
        free(s.rgb);
        s.rgb = NULL;
        if (grab(dpy, &s) && content_box(&s, &x0, &y0, &x1, &y1)) {
            half_stats a = analyse(&s, x0, y0, x1 - x0 + 1, y1 - y0 + 1);
            if (a.colours >= 20 && a.red > 0) {
                ready = 1;
                break;
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((double)(now.tv_sec - t0.tv_sec) + 1e-9 * (double)(now.tv_nsec - t0.tv_nsec) > timeout) break;
        nanosleep(&nap, NULL);
    }
    XCloseDisplay(dpy);
    if (s.rgb && !write_png(argv[2], &s)) fprintf(stderr, "mirror-shot: cannot write %s\n", argv[2]);
    if (!ready) {
        fprintf(stderr, "mirror-shot: FAIL: no mirror window with a scene appeared within %.0f s\n", timeout);
        free(s.rgb);
        return 1;
    }
    int w = x1 - x0 + 1, h = y1 - y0 + 1, ok = 1;
    double aspect = (double)w / h;
    printf("mirror-shot: window content %dx%d at (%d,%d), aspect %.2f\n", w, h, x0, y0, aspect);
    if (both ? (aspect < 1.7 || aspect > 2.3) : (aspect < 0.8 || aspect > 1.25)) {
        fprintf(stderr, "mirror-shot: FAIL: aspect %.2f does not fit %s\n", aspect,
                both ? "two eyes" : "one eye");
        ok = 0;
    }
    int halves = both ? 2 : 1, hw = w / halves;
    half_stats hs[2];
    for (int i = 0; i < halves; i++) {
        hs[i] = analyse(&s, x0 + i * hw, y0, hw, h);
        printf("mirror-shot: %s: %d colours, %ld target pixels, target centre x %.1f\n",
               i == 0 ? "left eye" : "right eye", hs[i].colours, hs[i].red, hs[i].red_x);
        if (hs[i].colours < 20 || hs[i].red < 20) {
            fprintf(stderr, "mirror-shot: FAIL: eye %d shows no scene with the target\n", i);
            ok = 0;
        }
    }
    if (both && ok && hs[0].red_x - hs[1].red_x < 0.5) {
        /* A near object sits further right in the left eye than in the right eye. */
        fprintf(stderr, "mirror-shot: FAIL: the eyes show no stereo disparity (%.1f vs %.1f)\n", hs[0].red_x,
                hs[1].red_x);
        ok = 0;
    }
    printf("mirror-shot: %s\n", ok ? "ok" : "FAIL");
    free(s.rgb);
    return ok ? 0 : 1;
}
