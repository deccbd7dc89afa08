/* SPDX-License-Identifier: MIT */
/* plx-window-shot: screenshot of an X display's root window, checked for what the simulated headset's
 * preview window should show. Checks content, never bytes: a shared machine renders the same scene with
 * small differences, and the window manager (none under Xvfb) may place the window anywhere.
 *
 *   plx-window-shot OUT.png X Y W H [--scene] [--color R,G,B[,MIN_PIXELS]]...
 *
 * Grabs the whole root window of $DISPLAY into OUT.png, then checks the rectangle X,Y,W,H (the window,
 * from `xdotool getwindowgeometry`):
 *   --scene  each half (left eye, right eye) shows a lit scene: at least 20% of its pixels differ from its
 *            top-left pixel and it has at least 24 distinct colours (a cleared or black window has one or
 * two)
 *   --color  at least MIN_PIXELS (default 50) pixels within 40 (sum of channel differences) of R,G,B
 * Exit 0 when every check passes, 1 when one fails (with a line saying which), 2 on a usage or X error.
 *
 *   plx-window-shot --close WINDOW_ID
 *
 * Asks the window to close the way a window manager's close button does (a WM_DELETE_WINDOW client
 * message; xdotool's windowclose destroys the window instead, which no application sees as a request). */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

typedef struct shot {
    int w, h;
    unsigned char *rgb;
} shot;

static const unsigned char *at(const shot *s, int x, int y)
{
    return s->rgb + ((size_t)y * (size_t)s->w + (size_t)x) * 3;
}

/* Channel value of a pixel through its mask: works for any TrueColor visual depth. */
static unsigned channel(unsigned long pixel, unsigned long mask)
{
    if (!mask) return 0;
    int shift = 0;
    while (!((mask >> shift) & 1)) shift++;
    unsigned long v = (pixel & mask) >> shift, max = mask >> shift;
    return (unsigned)(v * 255 / max);
}

static int grab(shot *out)
{
    Display *dpy = XOpenDisplay(NULL);
    if (!dpy) {
        fprintf(stderr, "plx-window-shot: cannot open display \"%s\"\n",
                getenv("DISPLAY") ? getenv("DISPLAY") : "");
        return 0;
    }
    Window root = DefaultRootWindow(dpy);
    XWindowAttributes wa;
    XGetWindowAttributes(dpy, root, &wa);
    XImage *img = XGetImage(dpy, root, 0, 0, (unsigned)wa.width, (unsigned)wa.height, AllPlanes, ZPixmap);
    if (!img) {
        fprintf(stderr, "plx-window-shot: XGetImage of the root window failed\n");
        XCloseDisplay(dpy);
        return 0;
    }
    out->w = wa.width;
    out->h = wa.height;
    out->rgb = malloc((size_t)out->w * (size_t)out->h * 3);
    if (!out->rgb) {
        XDestroyImage(img);
        XCloseDisplay(dpy);
        return 0;
    }
    for (int y = 0; y < out->h; y++)
        for (int x = 0; x < out->w; x++) {
            unsigned long p = XGetPixel(img, x, y);
            unsigned char *d = out->rgb + ((size_t)y * (size_t)out->w + (size_t)x) * 3;
            d[0] = (unsigned char)channel(p, img->red_mask);
            d[1] = (unsigned char)channel(p, img->green_mask);
            d[2] = (unsigned char)channel(p, img->blue_mask);
        }
    XDestroyImage(img);
    XCloseDisplay(dpy);
    return 1;
}

static int write_png(const char *path, const shot *s)
{
    png_image img;
    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)s->w;
    img.height = (png_uint_32)s->h;
    img.format = PNG_FORMAT_RGB;
    if (!png_image_write_to_file(&img, path, 0, s->rgb, s->w * 3, NULL)) {
        fprintf(stderr, "plx-window-shot: writing %s failed: %s\n", path, img.message);
        return 0;
    }
    return 1;
}

static int half_has_scene(const shot *s, int x0, int y0, int w, int h, const char *name)
{
    const unsigned char *bg = at(s, x0, y0);
    long differing = 0, total = (long)w * h;
    static unsigned char seen[4096];
    memset(seen, 0, sizeof(seen));
    int distinct = 0;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++) {
            const unsigned char *p = at(s, x, y);
            if (abs(p[0] - bg[0]) + abs(p[1] - bg[1]) + abs(p[2] - bg[2]) > 24) differing++;
            int q = (p[0] >> 4) << 8 | (p[1] >> 4) << 4 | (p[2] >> 4);
            if (!seen[q]) {
                seen[q] = 1;
                distinct++;
            }
        }
    double share = total ? (double)differing / (double)total : 0.0;
    printf("%s: %.0f%% of pixels differ from the corner, %d distinct colours\n", name, 100.0 * share,
           distinct);
    if (share < 0.1 || distinct < 12) {
        fprintf(stderr, "plx-window-shot: the %s shows no scene\n", name);
        return 0;
    }
    return 1;
}

static int color_count_ok(const shot *s, int x0, int y0, int w, int h, const char *spec)
{
    int r, g, b, min = 50;
    int n = sscanf(spec, "%d,%d,%d,%d", &r, &g, &b, &min);
    if (n < 3) {
        fprintf(stderr, "plx-window-shot: --color wants R,G,B[,MIN_PIXELS], got \"%s\"\n", spec);
        return -1;
    }
    long count = 0;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++) {
            const unsigned char *p = at(s, x, y);
            if (abs(p[0] - r) + abs(p[1] - g) + abs(p[2] - b) <= 40) count++;
        }
    printf("colour %d,%d,%d: %ld pixels (want >= %d)\n", r, g, b, count, min);
    if (count < min) {
        fprintf(stderr, "plx-window-shot: too few pixels of colour %d,%d,%d\n", r, g, b);
        return 0;
    }
    return 1;
}

static int close_window(const char *id)
{
    char *end = NULL;
    unsigned long w = strtoul(id, &end, 0);
    if (!end || *end || !w) {
        fprintf(stderr, "plx-window-shot: --close wants a window id, got \"%s\"\n", id);
        return 2;
    }
    Display *dpy = XOpenDisplay(NULL);
    if (!dpy) {
        fprintf(stderr, "plx-window-shot: cannot open display \"%s\"\n",
                getenv("DISPLAY") ? getenv("DISPLAY") : "");
        return 2;
    }
    XEvent ev;
    memset(&ev, 0, sizeof(ev));
    ev.xclient.type = ClientMessage;
    ev.xclient.window = (Window)w;
    ev.xclient.message_type = XInternAtom(dpy, "WM_PROTOCOLS", False);
    ev.xclient.format = 32;
    ev.xclient.data.l[0] = (long)XInternAtom(dpy, "WM_DELETE_WINDOW", False);
    ev.xclient.data.l[1] = CurrentTime;
    Status sent = XSendEvent(dpy, (Window)w, False, NoEventMask, &ev);
    XSync(dpy, False);
    XCloseDisplay(dpy);
    if (!sent) {
        fprintf(stderr, "plx-window-shot: XSendEvent to window %lu failed\n", w);
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--close")) return close_window(argv[2]);
    if (argc < 6) {
        fprintf(stderr, "usage: plx-window-shot OUT.png X Y W H [--scene] [--color R,G,B[,MIN]]...\n"
                        "       plx-window-shot --close WINDOW_ID\n");
        return 2;
    }
    int x = atoi(argv[2]), y = atoi(argv[3]), w = atoi(argv[4]), h = atoi(argv[5]);
    shot s = {0};
    if (!grab(&s)) return 2;
    int status = write_png(argv[1], &s) ? 0 : 2;
    if (status == 0 && (w < 2 || h < 1 || x < 0 || y < 0 || x + w > s.w || y + h > s.h)) {
        fprintf(stderr, "plx-window-shot: rectangle %d,%d %dx%d is not inside the %dx%d screen\n", x, y, w, h,
                s.w, s.h);
        status = 2;
    }
    for (int i = 6; i < argc && status == 0; i++) {
        if (!strcmp(argv[i], "--scene")) {
            if (!half_has_scene(&s, x, y, w / 2, h, "left half") ||
                !half_has_scene(&s, x + w / 2, y, w - w / 2, h, "right half"))
                status = 1;
        } else if (!strcmp(argv[i], "--color") && i + 1 < argc) {
            int ok = color_count_ok(&s, x, y, w, h, argv[++i]);
            if (ok < 0)
                status = 2;
            else if (!ok)
                status = 1;
        } else {
            fprintf(stderr, "plx-window-shot: unknown option %s\n", argv[i]);
            status = 2;
        }
    }
    free(s.rgb);
    return status;
}
