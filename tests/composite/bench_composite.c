/* SPDX-License-Identifier: MIT */
/* parallax-bench-composite: what compositing a displayed frame costs the simulated headset's compositor
 * thread (simulator/src/device/composite.c), per frame, for the capture and the preview window: one
 * projection layer (the reference, copied as it is or, at another size, re-sampled) against a projection
 * layer with a quad and a cylinder, at 256x256 and 1024x1024 per eye. Prints the median and 95th percentile
 * (and the minimum, the figure a loaded machine disturbs least) of N runs beside the target: one refresh
 * period at 90 Hz (11.1 ms), the time the compositor thread has before the next frame is due. Figures only:
 * it never fails on a time.
 *
 *   parallax-bench-composite [--runs N] [--max-eye PX]   (ctest runs 256x256 only: --max-eye 256) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "device/sim_composite.h"
#include "device/sim_optics.h"

#define TARGET_MS (1000.0 / 90.0)

/* The thread's CPU time: the cost itself, which a loaded machine (other builds and tests sharing the cores)
 * does not inflate the way it does wall time. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static uint8_t *pattern(uint32_t w, uint32_t h, uint32_t seed)
{
    uint8_t *t = malloc((size_t)w * h * 4);
    if (!t) return NULL;
    for (size_t i = 0; i < (size_t)w * h * 4; i++) {
        seed = seed * 1103515245u + 12345u;
        t[i] = (uint8_t)(seed >> 16);
    }
    return t;
}

typedef enum { CASE_PROJECTION, CASE_PROJECTION_RESAMPLED, CASE_PROJECTION_QUAD_CYLINDER } bench_case;

static const char *const k_case_names[] = {"1 projection layer (reference, copied)",
                                           "1 projection layer (half-size rect, re-sampled)",
                                           "projection + quad + cylinder"};

/* Median and p95 of `runs` compositions of one case; false when out of memory. */
static int run_case(bench_case which, uint32_t eye, int runs, double *out_min, double *out_p50,
                    double *out_p95)
{
    sim_frame *f = calloc(1, sizeof(*f));
    sim_texels(*tex)[SIM_MAX_LAYER_VIEWS] = calloc(SIM_MAX_LAYERS, sizeof(*tex));
    uint8_t *rgb = malloc((size_t)eye * eye * 2 * 3);
    uint32_t pw = which == CASE_PROJECTION_RESAMPLED ? eye / 2 : eye;
    uint8_t *proj = pattern(pw, pw, 1), *quad = pattern(512, 512, 2), *cyl = pattern(1024, 512, 3);
    double *ms = calloc((size_t)runs, sizeof(double));
    sim_composer *cp = sim_composer_create();
    int ok = f && tex && rgb && proj && quad && cyl && ms && cp;
    if (ok) {
        XrPosef head = {.orientation = {0, 0, 0, 1}};
        XrView v[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
        sim_eye_views(0.063f, &head, v);
        f->head_pose = head;
        f->head_valid = true;
        f->blend_mode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
        sim_layer *p = &f->layers[f->layer_count++];
        *p = (sim_layer){.type = SIM_LAYER_PROJECTION, .eye_visibility = XR_EYE_VISIBILITY_BOTH};
        p->projection.view_count = 2;
        for (int e = 0; e < 2; e++) {
            p->projection.views[e].pose = v[e].pose;
            p->projection.views[e].fov = v[e].fov;
            tex[0][e] =
                (sim_texels){.data = proj, .width = pw, .height = pw, .format = VK_FORMAT_R8G8B8A8_SRGB};
        }
        if (which == CASE_PROJECTION_QUAD_CYLINDER) {
            /* A 1 m x 1 m panel 1.5 m ahead (about a third of the view across) and a 90 degree cylinder
             * of radius 2 m below it, both blended with alpha. */
            sim_layer *q = &f->layers[f->layer_count++];
            *q = (sim_layer){.type = SIM_LAYER_QUAD,
                             .alpha = SIM_ALPHA_PREMULTIPLIED,
                             .eye_visibility = XR_EYE_VISIBILITY_BOTH};
            q->quad.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {0.3f, 0.2f, -1.5f}};
            q->quad.size = (XrExtent2Df){1.0f, 1.0f};
            tex[1][0] =
                (sim_texels){.data = quad, .width = 512, .height = 512, .format = VK_FORMAT_R8G8B8A8_SRGB};
            sim_layer *c = &f->layers[f->layer_count++];
            *c = (sim_layer){.type = SIM_LAYER_CYLINDER,
                             .alpha = SIM_ALPHA_UNPREMULTIPLIED,
                             .eye_visibility = XR_EYE_VISIBILITY_BOTH};
            c->cylinder.pose = (XrPosef){.orientation = {0, 0, 0, 1}, .position = {0.0f, -0.6f, 0.0f}};
            c->cylinder.radius = 2.0f;
            c->cylinder.central_angle = 1.5708f;
            c->cylinder.aspect_ratio = 4.0f;
            tex[2][0] =
                (sim_texels){.data = cyl, .width = 1024, .height = 512, .format = VK_FORMAT_R8G8B8A8_SRGB};
        }
        sim_display d;
        sim_composite_display(f, 0.063f, &d);
        /* One run to warm the caches and grow the composer's scratch memory, as the first frame does. */
        ok = sim_composer_run(cp, f, &d, (const sim_texels(*)[SIM_MAX_LAYER_VIEWS])tex, eye, eye, rgb);
        for (int i = 0; i < runs && ok; i++) {
            double t0 = now_ms();
            ok = sim_composer_run(cp, f, &d, (const sim_texels(*)[SIM_MAX_LAYER_VIEWS])tex, eye, eye, rgb);
            ms[i] = now_ms() - t0;
        }
        if (ok) {
            qsort(ms, (size_t)runs, sizeof(double), cmp);
            *out_min = ms[0];
            *out_p50 = ms[runs / 2];
            *out_p95 = ms[(int)ceil(0.95 * runs) - 1];
        }
    }
    sim_composer_destroy(&cp);
    free(ms);
    free(cyl);
    free(quad);
    free(proj);
    free(rgb);
    free(tex);
    free(f);
    return ok;
}

int main(int argc, char **argv)
{
    int runs = 30;
    uint32_t max_eye = 1024;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--max-eye") == 0 && i + 1 < argc) {
            max_eye = (uint32_t)atoi(argv[++i]);
        } else {
            fprintf(stderr,
                    "usage: parallax-bench-composite [--runs N] [--max-eye PX]   (N >= 1, default 30; "
                    "eye sizes 256 and 1024 up to PX, default 1024)\n");
            return 2;
        }
    }
    if (runs < 1) {
        fprintf(stderr, "parallax-bench-composite: --runs must be >= 1\n");
        return 2;
    }
    printf(
        "composition cost per displayed frame (both eyes, CPU time of one thread), %d runs; target < %.1f ms "
        "(one 90 Hz period)\n",
        runs, TARGET_MS);
    const uint32_t sizes[] = {256, 1024};
    for (size_t s = 0; s < 2 && sizes[s] <= max_eye; s++)
        for (int c = 0; c < 3; c++) {
            double lo = 0, p50 = 0, p95 = 0;
            if (!run_case((bench_case)c, sizes[s], runs, &lo, &p50, &p95)) {
                fprintf(stderr, "parallax-bench-composite: out of memory\n");
                return 1;
            }
            printf("  %4ux%-4u per eye  %-48s min %7.2f  p50 %7.2f  p95 %7.2f ms  %s\n", sizes[s], sizes[s],
                   k_case_names[c], lo, p50, p95, p50 < TARGET_MS ? "within target" : "over target");
        }
    return 0;
}
