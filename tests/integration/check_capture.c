/* SPDX-License-Identifier: MIT */
/* plx-check-capture: checks a PNG written by the simulated headset's capture (both eyes side by side).
 *
 *   plx-check-capture FILE.png [--eyes-differ] [--fills] [--disparity PX --tol PX] [--red-balance RATIO]
 *                     [--like REF.png --levels N]
 *   plx-check-capture FILE.png --eye-colors
 *
 * Always: the image is 2 eyes wide, and each eye shows a scene (enough lit pixels and distinct colours), not
 * a clear colour. --eyes-differ: the two eyes are not identical (stereo, not one image twice).
 * --fills: in each eye the scene reaches past three quarters of the eye's width and height (a sub-image drawn
 * into part of a larger swapchain image but submitted with the whole image's rectangle fills only a corner).
 * --disparity: the red target (r > 2g, r > 2b) appears in both eyes and its centroid in the left eye lies PX
 * pixels to the right of its centroid in the right eye, within --tol. This checks geometry, not bytes.
 * --red-balance: the red target shows in both eyes, neither eye with fewer than RATIO times the other's red
 * pixels: a target cut by the frame's edge must still be drawn, cut the same way, in each eye.
 * --eye-colors (instead of the scene checks): the left eye is red and the right eye green at their centres,
 * as plx-app-eye paints them by the eye each view says it draws.
 * --like: the same size as REF.png, and in each eye the clear colour (the top-left pixel) and the mean colour
 * are REF's within N levels of 255 per channel: the same picture however the app's swapchain format encoded
 * it (a linear format written with sRGB values, or the reverse, is off by 60 levels or more in mid-tones).
 *
 * For parallax-engine (tests/engine/run_engine_sample.sh):
 * --panel-box EYE,L,T,R,B (EYE left or right; repeat per eye) with --panel-color R,G,B: the pixels of that
 * colour (within 40 levels) in the box grown by 6 px have a bounding box within --panel-tol PX (default 2) of
 * L..R x T..B on every edge: a quad layer is where its projection says.
 * --vignette RATIO: in each eye the mean level of the two top corners (8% squares, the sky) is at most RATIO
 * times that of the sky above the centre (x 47..53%, y 26..34%): a post-process darkened the corners.
 * --edges-over REF.png: in the lower half of each eye (the scene) count the pixels on a strong edge (a
 * channel ranging over >= 48 levels in the 3x3 around) whose value sits between the extremes (not within 20%
 * of either): partly covered pixels that multisampling blends. Each eye of this image must have more than 3x
 * that eye's count in REF plus 15: MSAA smoothed the edges REF (the same scene without MSAA) shows hard.
 * --color-at EYE,X,Y,R,G,B (repeatable): the pixel covering (X, Y) of that eye is R,G,B within 40 levels. */
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct image {
    int w, h;
    unsigned char *rgba;
} image;

static int load_png(const char *path, image *out)
{
    png_image img;
    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) {
        fprintf(stderr, "check-capture: %s: cannot read PNG: %s\n", path, img.message);
        return 0;
    }
    img.format = PNG_FORMAT_RGBA;
    out->w = (int)img.width;
    out->h = (int)img.height;
    out->rgba = malloc(PNG_IMAGE_SIZE(img));
    if (!out->rgba || !png_image_finish_read(&img, NULL, out->rgba, 0, NULL)) {
        fprintf(stderr, "check-capture: %s: cannot decode PNG: %s\n", path, img.message);
        png_image_free(&img);
        free(out->rgba);
        return 0;
    }
    return 1;
}

static const unsigned char *px(const image *im, int x, int y)
{
    return im->rgba + ((size_t)y * (size_t)im->w + (size_t)x) * 4;
}

/* Scene content in one eye: share of pixels away from the corner (clear) colour, and a count of distinct
 * quantised colours (lighting gives many shades; a clear colour gives one). */
static int eye_has_scene(const image *im, int x0, int ew, const char *name)
{
    const unsigned char *bg = px(im, x0, 0);
    long differing = 0, total = (long)ew * im->h;
    static unsigned char seen[4096];
    memset(seen, 0, sizeof(seen));
    int distinct = 0;
    for (int y = 0; y < im->h; y++)
        for (int x = x0; x < x0 + ew; x++) {
            const unsigned char *p = px(im, x, y);
            int d = abs(p[0] - bg[0]) + abs(p[1] - bg[1]) + abs(p[2] - bg[2]);
            if (d > 24) differing++;
            int q = (p[0] >> 4) << 8 | (p[1] >> 4) << 4 | (p[2] >> 4);
            if (!seen[q]) {
                seen[q] = 1;
                distinct++;
            }
        }
    double share = (double)differing / (double)total;
    printf("%s eye: %.1f%% of pixels differ from the background, %d distinct colours\n", name, share * 100.0,
           distinct);
    if (share < 0.05 || distinct < 16) {
        fprintf(stderr,
                "check-capture: %s eye shows no scene (need >= 5%% non-background and >= 16 colours)\n",
                name);
        return 0;
    }
    return 1;
}

/* The bounding box of one eye's non-background pixels reaches past 3/4 of the eye in x and in y. */
static int eye_fills(const image *im, int x0, int ew, const char *name)
{
    const unsigned char *bg = px(im, x0, 0);
    int max_x = -1, max_y = -1;
    for (int y = 0; y < im->h; y++)
        for (int x = x0; x < x0 + ew; x++) {
            const unsigned char *p = px(im, x, y);
            if (abs(p[0] - bg[0]) + abs(p[1] - bg[1]) + abs(p[2] - bg[2]) <= 24) continue;
            if (x - x0 > max_x) max_x = x - x0;
            if (y > max_y) max_y = y;
        }
    printf("%s eye: scene reaches x %d of %d, y %d of %d\n", name, max_x + 1, ew, max_y + 1, im->h);
    if (4 * (max_x + 1) <= 3 * ew || 4 * (max_y + 1) <= 3 * im->h) {
        fprintf(
            stderr,
            "check-capture: %s eye's scene fills only part of the eye (need past 3/4 in x and y): was the "
            "sub-image rectangle submitted?\n",
            name);
        return 0;
    }
    return 1;
}

static int red_centroid(const image *im, int x0, int ew, double *out_cx, long *out_n)
{
    double sx = 0;
    long n = 0;
    for (int y = 0; y < im->h; y++)
        for (int x = x0; x < x0 + ew; x++) {
            const unsigned char *p = px(im, x, y);
            if (p[0] > 60 && p[0] > 2 * p[1] && p[0] > 2 * p[2]) {
                sx += x - x0 + 0.5;
                n++;
            }
        }
    *out_n = n;
    if (n < 20) return 0;
    *out_cx = sx / (double)n;
    return 1;
}

/* The eye's mean colour (r, g, b). */
static void eye_mean(const image *im, int x0, int ew, double out[3])
{
    double sum[3] = {0, 0, 0};
    for (int y = 0; y < im->h; y++)
        for (int x = x0; x < x0 + ew; x++)
            for (int c = 0; c < 3; c++) sum[c] += px(im, x, y)[c];
    for (int c = 0; c < 3; c++) out[c] = sum[c] / ((double)ew * im->h);
}

static int like(const image *im, const char *ref_path, double levels)
{
    image ref = {0};
    if (!load_png(ref_path, &ref)) return 0;
    int ok = 1;
    if (ref.w != im->w || ref.h != im->h) {
        fprintf(stderr, "check-capture: %dx%d, the reference %s is %dx%d\n", im->w, im->h, ref_path, ref.w,
                ref.h);
        ok = 0;
    }
    int ew = im->w / 2;
    for (int e = 0; e < 2 && ok; e++) {
        const unsigned char *a = px(im, e * ew, 0), *b = px(&ref, e * ew, 0);
        double ma[3], mb[3], worst = 0;
        eye_mean(im, e * ew, ew, ma);
        eye_mean(&ref, e * ew, ew, mb);
        for (int c = 0; c < 3; c++) {
            worst = fmax(worst, fabs((double)a[c] - (double)b[c]));
            worst = fmax(worst, fabs(ma[c] - mb[c]));
        }
        printf("%s eye: clear colour %d %d %d (reference %d %d %d), mean %.1f %.1f %.1f (reference %.1f %.1f "
               "%.1f): off by %.1f levels (at most %.1f)\n",
               e ? "right" : "left", a[0], a[1], a[2], b[0], b[1], b[2], ma[0], ma[1], ma[2], mb[0], mb[1],
               mb[2], worst, levels);
        if (worst > levels) {
            fprintf(stderr, "check-capture: the %s eye is off the reference %s by %.1f levels\n",
                    e ? "right" : "left", ref_path, worst);
            ok = 0;
        }
    }
    free(ref.rgba);
    return ok;
}

/* ---------------------------------------------------------------- parallax-engine's checks */

/* The bounding box of pixels within 40 levels of c inside one eye's region [x0, x1) x [y0, y1). */
static long colour_box(const image *im, int ex0, int ew, const int c[3], int x0, int y0, int x1, int y1,
                       double box[4])
{
    long n = 0;
    box[0] = box[1] = 1e9, box[2] = box[3] = -1e9;
    x0 = x0 < 0 ? 0 : x0, y0 = y0 < 0 ? 0 : y0, x1 = x1 > ew ? ew : x1, y1 = y1 > im->h ? im->h : y1;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            const unsigned char *p = px(im, ex0 + x, y);
            if (abs(p[0] - c[0]) > 40 || abs(p[1] - c[1]) > 40 || abs(p[2] - c[2]) > 40) continue;
            n++;
            box[0] = fmin(box[0], x), box[1] = fmin(box[1], y);
            box[2] = fmax(box[2], x + 1), box[3] = fmax(box[3], y + 1);
        }
    return n;
}

static int panel_at(const image *im, int eye, const double want[4], const int c[3], double tol)
{
    int ew = im->w / 2;
    double got[4];
    long n = colour_box(im, eye * ew, ew, c, (int)floor(want[0]) - 6, (int)floor(want[1]) - 6,
                        (int)ceil(want[2]) + 6, (int)ceil(want[3]) + 6, got);
    const char *name = eye ? "right" : "left";
    if (n == 0) {
        fprintf(stderr,
                "check-capture: no pixel of the panel's colour %d,%d,%d near its projection in the %s eye\n",
                c[0], c[1], c[2], name);
        return 0;
    }
    double err = 0;
    for (int k = 0; k < 4; k++) err = fmax(err, fabs(got[k] - want[k]));
    printf("%s eye panel: projected x %.2f..%.2f y %.2f..%.2f, captured x %.0f..%.0f y %.0f..%.0f (%ld px): "
           "largest edge error %.2f px (at most %.2f)\n",
           name, want[0], want[2], want[1], want[3], got[0], got[2], got[1], got[3], n, err, tol);
    if (err > tol) {
        fprintf(stderr, "check-capture: the panel is %.2f px off its projection in the %s eye\n", err, name);
        return 0;
    }
    return 1;
}

/* Mean level (of r, g, b) over a block of one eye given in fractions of the eye. */
static double block_level(const image *im, int ex0, int ew, double fx0, double fy0, double fx1, double fy1)
{
    double sum = 0;
    long n = 0;
    for (int y = (int)(fy0 * im->h); y < (int)(fy1 * im->h); y++)
        for (int x = (int)(fx0 * ew); x < (int)(fx1 * ew); x++, n++) {
            const unsigned char *p = px(im, ex0 + x, y);
            sum += (p[0] + p[1] + p[2]) / 3.0;
        }
    return n ? sum / (double)n : 0;
}

static int vignette(const image *im, double ratio)
{
    int ew = im->w / 2, ok = 1;
    for (int e = 0; e < 2; e++) {
        double corners = (block_level(im, e * ew, ew, 0, 0, 0.08, 0.08) +
                          block_level(im, e * ew, ew, 0.92, 0, 1, 0.08)) /
                         2,
               centre = block_level(im, e * ew, ew, 0.47, 0.26, 0.53, 0.34);
        double r = centre > 0 ? corners / centre : 1;
        printf("%s eye vignette: top corners %.1f, above the centre %.1f: ratio %.3f (at most %.3f)\n",
               e ? "right" : "left", corners, centre, r, ratio);
        if (r > ratio) {
            fprintf(stderr, "check-capture: the %s eye's corners are not darkened (ratio %.3f > %.3f)\n",
                    e ? "right" : "left", r, ratio);
            ok = 0;
        }
    }
    return ok;
}

/* Partly covered pixels on strong edges in the lower half of one eye (see --edges-over). */
static long blended_edge_pixels(const image *im, int e)
{
    int ew = im->w / 2;
    long n = 0;
    for (int y = im->h / 2; y < im->h - 1; y++)
        for (int x = 1; x < ew - 1; x++) {
            int best = -1, lo = 0, hi = 0;
            for (int c = 0; c < 3; c++) {
                int mn = 255, mx = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        int v = px(im, e * ew + x + dx, y + dy)[c];
                        mn = v < mn ? v : mn, mx = v > mx ? v : mx;
                    }
                if (mx - mn >= 48 && (best < 0 || mx - mn > hi - lo)) best = c, lo = mn, hi = mx;
            }
            if (best < 0) continue;
            int v = px(im, e * ew + x, y)[best];
            double t = (double)(v - lo) / (double)(hi - lo);
            n += t > 0.2 && t < 0.8;
        }
    return n;
}

/* Each eye on its own, so an eye left without MSAA (a pass per eye resolving only one) fails. */
static int edges_over(const image *im, const char *ref_path)
{
    image ref = {0};
    if (!load_png(ref_path, &ref)) return 0;
    int ok = 1;
    for (int e = 0; e < 2; e++) {
        long here = blended_edge_pixels(im, e), there = blended_edge_pixels(&ref, e);
        printf("%s eye blended edge pixels: %ld here, %ld in %s (need more than 3 x %ld + 15 = %ld)\n",
               e ? "right" : "left", here, there, ref_path, there, 3 * there + 15);
        if (here <= 3 * there + 15) {
            fprintf(stderr, "check-capture: the %s eye's edges are not smoother than %s's (%ld vs %ld)\n",
                    e ? "right" : "left", ref_path, here, there);
            ok = 0;
        }
    }
    free(ref.rgba);
    return ok;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    int eyes_differ = 0, fills = 0;
    double want_disparity = NAN, tol = 1.0, red_balance = NAN, levels = 2.0;
    int eye_colors = 0;
    const char *like_path = NULL, *edges_ref = NULL;
    double panel_box[2][4], panel_tol = 2.0, vignette_ratio = NAN;
    struct {
        int eye, rgb[3];
        double x, y;
    } color_at[8];
    int color_at_n = 0;
    int panel_eyes[2] = {0, 0}, panel_color[3] = {-1, -1, -1};
    for (int i = 1; i < argc; i++) {
        char eye_name[8];
        double b[4];
        if (!strcmp(argv[i], "--eyes-differ"))
            eyes_differ = 1;
        else if (!strcmp(argv[i], "--fills"))
            fills = 1;
        else if (!strcmp(argv[i], "--disparity") && i + 1 < argc)
            want_disparity = atof(argv[++i]);
        else if (!strcmp(argv[i], "--tol") && i + 1 < argc)
            tol = atof(argv[++i]);
        else if (!strcmp(argv[i], "--red-balance") && i + 1 < argc)
            red_balance = atof(argv[++i]);
        else if (!strcmp(argv[i], "--eye-colors"))
            eye_colors = 1;
        else if (!strcmp(argv[i], "--like") && i + 1 < argc)
            like_path = argv[++i];
        else if (!strcmp(argv[i], "--levels") && i + 1 < argc)
            levels = atof(argv[++i]);
        else if (!strcmp(argv[i], "--panel-box") && i + 1 < argc &&
                 sscanf(argv[++i], "%7[a-z],%lf,%lf,%lf,%lf", eye_name, &b[0], &b[1], &b[2], &b[3]) == 5 &&
                 (!strcmp(eye_name, "left") || !strcmp(eye_name, "right"))) {
            int e = !strcmp(eye_name, "right");
            memcpy(panel_box[e], b, sizeof b);
            panel_eyes[e] = 1;
        } else if (!strcmp(argv[i], "--panel-color") && i + 1 < argc &&
                   sscanf(argv[++i], "%d,%d,%d", &panel_color[0], &panel_color[1], &panel_color[2]) == 3)
            ;
        else if (!strcmp(argv[i], "--panel-tol") && i + 1 < argc)
            panel_tol = atof(argv[++i]);
        else if (!strcmp(argv[i], "--vignette") && i + 1 < argc)
            vignette_ratio = atof(argv[++i]);
        else if (!strcmp(argv[i], "--edges-over") && i + 1 < argc)
            edges_ref = argv[++i];
        else if (!strcmp(argv[i], "--color-at") && i + 1 < argc && color_at_n < 8 &&
                 sscanf(argv[++i], "%7[a-z],%lf,%lf,%d,%d,%d", eye_name, &color_at[color_at_n].x,
                        &color_at[color_at_n].y, &color_at[color_at_n].rgb[0], &color_at[color_at_n].rgb[1],
                        &color_at[color_at_n].rgb[2]) == 6 &&
                 (!strcmp(eye_name, "left") || !strcmp(eye_name, "right")))
            color_at[color_at_n++].eye = !strcmp(eye_name, "right");
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else {
            fprintf(stderr,
                    "usage: %s FILE.png [--eyes-differ] [--fills] [--disparity PX --tol PX] "
                    "[--red-balance RATIO] [--eye-colors] [--like REF.png --levels N] [--panel-box "
                    "EYE,L,T,R,B ... --panel-color R,G,B [--panel-tol PX]] [--vignette RATIO] "
                    "[--edges-over REF.png] [--color-at EYE,X,Y,R,G,B ...]\n",
                    argv[0]);
            return 2;
        }
    }
    if ((panel_eyes[0] || panel_eyes[1]) && panel_color[0] < 0) {
        fprintf(stderr, "%s: --panel-box needs --panel-color R,G,B\n", argv[0]);
        return 2;
    }
    if (!path) {
        fprintf(
            stderr,
            "usage: %s FILE.png [--eyes-differ] [--fills] [--disparity PX --tol PX] [--red-balance RATIO] "
            "[--eye-colors] [--like REF.png --levels N]\n",
            argv[0]);
        return 2;
    }
    image im = {0};
    if (!load_png(path, &im)) return 1;
    int ok = 1;
    if (im.w < 2 || im.w % 2) {
        fprintf(stderr, "check-capture: %s is %dx%d, expected two eyes side by side (even width)\n", path,
                im.w, im.h);
        free(im.rgba);
        return 1;
    }
    int ew = im.w / 2;
    printf("%s: %dx%d, eye %dx%d\n", path, im.w, im.h, ew, im.h);
    if (eye_colors) {
        const unsigned char *l = px(&im, ew / 2, im.h / 2), *r = px(&im, ew + ew / 2, im.h / 2);
        printf("eye centres: left %d,%d,%d  right %d,%d,%d (want red, green)\n", l[0], l[1], l[2], r[0], r[1],
               r[2]);
        if (!(l[0] > 150 && l[1] < 60 && l[2] < 60) || !(r[1] > 150 && r[0] < 60 && r[2] < 60)) {
            fprintf(stderr,
                    "check-capture: the eyes are not red (left) and green (right): the app's commands did "
                    "not draw each eye as that eye\n");
            ok = 0;
        }
        free(im.rgba);
        return ok ? 0 : 1;
    }
    ok &= eye_has_scene(&im, 0, ew, "left");
    ok &= eye_has_scene(&im, ew, ew, "right");
    if (fills) {
        ok &= eye_fills(&im, 0, ew, "left");
        ok &= eye_fills(&im, ew, ew, "right");
    }

    if (eyes_differ) {
        long diff = 0;
        for (int y = 0; y < im.h; y++)
            for (int x = 0; x < ew; x++) diff += memcmp(px(&im, x, y), px(&im, x + ew, y), 3) != 0;
        printf("eyes differ in %ld pixels\n", diff);
        if (diff < (long)ew * im.h / 200) {
            fprintf(stderr, "check-capture: the two eyes are (nearly) identical: no stereo\n");
            ok = 0;
        }
    }
    if (!isnan(want_disparity)) {
        double cl = 0, cr = 0;
        long nl = 0, nr = 0;
        if (!red_centroid(&im, 0, ew, &cl, &nl) || !red_centroid(&im, ew, ew, &cr, &nr)) {
            fprintf(stderr, "check-capture: red target not found in both eyes (%ld / %ld pixels)\n", nl, nr);
            ok = 0;
        } else {
            double d = cl - cr;
            printf("target centroid x: left %.2f, right %.2f -> disparity %.2f px (expected %.2f +/- %.2f)\n",
                   cl, cr, d, want_disparity, tol);
            if (fabs(d - want_disparity) > tol) {
                fprintf(stderr, "check-capture: disparity %.2f px, expected %.2f +/- %.2f\n", d,
                        want_disparity, tol);
                ok = 0;
            }
        }
    }
    if (!isnan(red_balance)) {
        double cl = 0, cr = 0;
        long nl = 0, nr = 0;
        red_centroid(&im, 0, ew, &cl, &nl);
        red_centroid(&im, ew, ew, &cr, &nr);
        long lo = nl < nr ? nl : nr, hi = nl < nr ? nr : nl;
        printf("red target pixels: left %ld, right %ld (the smaller must be >= %.2f of the larger)\n", nl, nr,
               red_balance);
        if (hi < 20 || (double)lo < red_balance * (double)hi) {
            fprintf(stderr,
                    "check-capture: the red target shows %ld pixels in the left eye and %ld in the right: an "
                    "object cut by the frame's edge is missing from one eye\n",
                    nl, nr);
            ok = 0;
        }
    }
    if (like_path) ok &= like(&im, like_path, levels);
    for (int e = 0; e < 2; e++)
        if (panel_eyes[e]) ok &= panel_at(&im, e, panel_box[e], panel_color, panel_tol);
    if (!isnan(vignette_ratio)) ok &= vignette(&im, vignette_ratio);
    if (edges_ref) ok &= edges_over(&im, edges_ref);
    for (int k = 0; k < color_at_n; k++) {
        int x = (int)floor(color_at[k].x), y = (int)floor(color_at[k].y);
        const char *name = color_at[k].eye ? "right" : "left";
        if (x < 0 || x >= ew || y < 0 || y >= im.h) {
            fprintf(stderr, "check-capture: --color-at %s %d,%d is outside the eye\n", name, x, y);
            ok = 0;
            continue;
        }
        const unsigned char *p = px(&im, color_at[k].eye * ew + x, y);
        const int *c = color_at[k].rgb;
        printf("%s eye at %d,%d: %d %d %d (want %d %d %d within 40)\n", name, x, y, p[0], p[1], p[2], c[0],
               c[1], c[2]);
        if (abs(p[0] - c[0]) > 40 || abs(p[1] - c[1]) > 40 || abs(p[2] - c[2]) > 40) {
            fprintf(stderr, "check-capture: the %s eye's pixel %d,%d is %d %d %d, not %d %d %d\n", name, x, y,
                    p[0], p[1], p[2], c[0], c[1], c[2]);
            ok = 0;
        }
    }
    free(im.rgba);
    return ok ? 0 : 1;
}
