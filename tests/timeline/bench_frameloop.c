/* SPDX-License-Identifier: MIT */
/* plx-bench-frameloop: the real frame loop (simulated headset, lavapipe) with a timeline feature on and off,
 * in the same run, through the public API only.
 *
 *   plx-bench-frameloop --compare mirror|trace [--block N] [--blocks N] [--trace FILE]
 *
 * mirror: one context with the mirror window (needs a display); blocks of N frames alternate between the
 *   mirror off and showing both eyes (plx_set_mirror), so both halves see the same machine load. Prints the
 *   wake-to-end p50/p99 (plx_frame_stats.cpu_ms: from the end of the pacing sleep to xrEndFrame returning)
 *   and the missed frames (a display refresh that got no new frame) for each, and the mirror's own
 *   thread's cost per mirrored frame (upload, blit and present on a device and queue of its own).
 * trace: the same for the trace, which cannot be switched inside a context: alternating contexts without
 *   and with desc.trace_path.
 * Figures for reading beside the target (mirror: no change in p99 or misses; trace: < 50 us per frame); exit
 * status 0 unless setting up fails. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <parallax/parallax.h>

typedef struct series {
    double *ms;
    uint32_t n, cap;
    uint64_t missed, frames;
    struct series *steps; /* 4 step series: wake->begin, begin->record end, record end->submit, submit->end */
    struct series
        *end_call; /* the app's plx_frame_end call, which also runs the trace writing after xrEndFrame */
} series;

static void push(series *s, double v)
{
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 256;
        double *p = realloc(s->ms, cap * sizeof *p);
        if (!p) return;
        s->ms = p;
        s->cap = cap;
    }
    s->ms[s->n++] = v;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(series *s, double p)
{
    if (!s->n) return -1;
    qsort(s->ms, s->n, sizeof s->ms[0], cmp);
    uint32_t rank = (uint32_t)ceil(p / 100.0 * s->n);
    return s->ms[(rank ? rank : 1) - 1];
}

static void build_scene(plx_scene *scene)
{
    for (int i = 0; i < 48; i++) {
        float yaw = ((float)(i % 12) - 5.5f) * 0.27f, dist = 1.8f + 0.7f * (float)(i / 12);
        plx_cube_desc cube = {
            .transform = {.position = {dist * sinf(yaw), -0.8f + 0.5f * (float)(i / 12), -dist * cosf(yaw)},
                          .scale = {0.4f, 0.4f, 0.4f}},
            .color = {0.3f + 0.1f * (float)(i % 6), 0.6f, 0.8f - 0.1f * (float)(i % 6)},
        };
        plx_scene_add_cube(scene, &cube, NULL);
    }
    plx_cube_desc target = {.transform = {.position = {0, 0, -2}, .scale = {0.3f, 0.3f, 0.3f}},
                            .color = {0.9f, 0.05f, 0.04f}};
    plx_scene_add_cube(scene, &target, NULL);
}

/* Runs frames frames; appends each frame's wake-to-end time and misses to s (if not NULL). */
static int run_block(plx_context *ctx, plx_scene *scene, uint32_t frames, series *s)
{
    plx_frame_stats *st = calloc(frames + 1, sizeof *st);
    if (!st) return -1;
    uint32_t done = 0;
    plx_events ev;
    while (done < frames) {
        if (plx_poll(ctx, &ev) < 0 || ev.should_quit) {
            free(st);
            return -1;
        }
        plx_frame frame;
        plx_result r = plx_frame_wait(ctx, &frame);
        if (r == PLX_SESSION_NOT_RUNNING) continue;
        if (r < 0 || (r = plx_frame_begin(ctx, &frame)) < 0) {
            free(st);
            return -1;
        }
        if (r == PLX_SUCCESS) plx_scene_draw(scene, &frame);
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        r = plx_frame_end(ctx, &frame);
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (r < 0) {
            free(st);
            return -1;
        }
        if (s && s->end_call)
            push(s->end_call, (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) * 1e-6);
        done++;
    }
    /* The last frame's miss flag is set by the next wait: read the block's records one frame later. */
    if (s) {
        uint32_t n = plx_get_frame_stats(ctx, st, frames);
        for (uint32_t i = 0; i < n; i++) {
            push(s, st[i].cpu_ms);
            if (s->steps && st[i].rendered) {
                push(&s->steps[0], (double)(st[i].begin - st[i].wake) * 1e-6);
                push(&s->steps[1], (double)(st[i].record_end - st[i].begin) * 1e-6);
                push(&s->steps[2], (double)(st[i].submit - st[i].record_end) * 1e-6);
                push(&s->steps[3], (double)(st[i].end - st[i].submit) * 1e-6);
            }
            s->missed += st[i].missed;
            s->frames++;
        }
    }
    free(st);
    return 0;
}

static int start(plx_context **ctx, plx_scene **scene, const plx_context_desc *desc)
{
    if (plx_context_create(desc, ctx) != PLX_SUCCESS) {
        fprintf(stderr, "plx-bench-frameloop: %s\n", plx_last_error(NULL));
        return -1;
    }
    if (plx_scene_create(*ctx, NULL, scene) != PLX_SUCCESS) {
        fprintf(stderr, "plx-bench-frameloop: %s\n", plx_last_error(*ctx));
        return -1;
    }
    build_scene(*scene);
    return 0;
}

static void stop(plx_context **ctx, plx_scene **scene)
{
    if (*ctx) {
        plx_request_exit(*ctx);
        plx_events ev = {0};
        for (int i = 0; i < 500 && !ev.should_quit; i++) {
            if (plx_poll(*ctx, &ev) < 0) break;
            plx_frame f;
            if (!ev.should_quit && plx_frame_wait(*ctx, &f) == PLX_SUCCESS && plx_frame_begin(*ctx, &f) >= 0)
                plx_frame_end(*ctx, &f);
        }
    }
    plx_scene_destroy(scene);
    plx_context_destroy(ctx);
}

static void report(const char *label, series *s)
{
    printf("  %-12s wake-to-end p50 %6.3f ms  p99 %6.3f ms   missed %llu / %llu frames (%.2f%%)\n", label,
           pct(s, 50), pct(s, 99), (unsigned long long)s->missed, (unsigned long long)s->frames,
           s->frames ? 100.0 * (double)s->missed / (double)s->frames : 0.0);
    if (s->end_call)
        printf("  %-12s   plx_frame_end call p50 %.3f ms  p99 %.3f ms\n", "", pct(s->end_call, 50),
               pct(s->end_call, 99));
    if (s->steps)
        printf("  %-12s   steps p50/p99 ms: xrBeginFrame %.2f/%.2f, acquire+record %.2f/%.2f, latch+submit "
               "%.2f/%.2f, xrEndFrame %.2f/%.2f\n",
               "", pct(&s->steps[0], 50), pct(&s->steps[0], 99), pct(&s->steps[1], 50), pct(&s->steps[1], 99),
               pct(&s->steps[2], 50), pct(&s->steps[2], 99), pct(&s->steps[3], 50), pct(&s->steps[3], 99));
}

int main(int argc, char **argv)
{
    const char *compare = NULL, *trace_path = "plx-bench-frameloop-trace.json";
    uint32_t block = 60, blocks = 4;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--compare") && i + 1 < argc)
            compare = argv[++i];
        else if (!strcmp(argv[i], "--block") && i + 1 < argc)
            block = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--blocks") && i + 1 < argc)
            blocks = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--trace") && i + 1 < argc)
            trace_path = argv[++i];
        else {
            printf("usage: plx-bench-frameloop --compare mirror|trace [--block N] [--blocks N] [--trace "
                   "FILE]\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    if (!compare || (strcmp(compare, "mirror") && strcmp(compare, "trace"))) {
        fprintf(stderr, "plx-bench-frameloop: --compare mirror|trace is required\n");
        return 2;
    }
    if (block < 10 || block > 250) block = 60;
    series off_steps[4] = {{0}}, on_steps[4] = {{0}};
    series off_end = {0}, on_end = {0};
    series off = {.steps = off_steps, .end_call = &off_end}, on = {.steps = on_steps, .end_call = &on_end};
    plx_context *ctx = NULL;
    plx_scene *scene = NULL;
    int status = 0;
    if (!strcmp(compare, "mirror")) {
        if (start(&ctx, &scene, &(plx_context_desc){.app_name = "bench-mirror", .mirror = PLX_MIRROR_BOTH}) <
            0)
            return 1;
        plx_mirror_status ms;
        plx_get_mirror_status(ctx, &ms);
        if (!ms.available) {
            fprintf(stderr, "plx-bench-frameloop: no mirror window (no display?)\n");
            stop(&ctx, &scene);
            return 1;
        }
        /* Warm-up: pipelines, the first presents, the runtime's pacing settling. */
        status = run_block(ctx, scene, block, NULL);
        for (uint32_t b = 0; b < 2 * blocks && status == 0; b++) {
            bool mirror_on = b % 2 == 1;
            plx_set_mirror(ctx, mirror_on ? PLX_MIRROR_BOTH : PLX_MIRROR_OFF);
            status = run_block(ctx, scene, block, mirror_on ? &on : &off);
        }
        plx_get_mirror_status(ctx, &ms);
        if (status == 0) {
            printf("mirror window (%ux%u, both eyes), %u blocks of %u frames each way:\n", ms.width,
                   ms.height, blocks, block);
            report("mirror off", &off);
            report("mirror on", &on);
            printf(
                "  mirror: %llu presented, %llu skipped (window busy); its thread's upload + blit + present "
                "p99 %.3f ms (own device and queue, off the frame thread)\n",
                (unsigned long long)ms.presented, (unsigned long long)ms.skipped, ms.present_p99_ms);
            printf("  target: mirror on adds nothing to wake-to-end p99 or misses beyond run-to-run noise\n");
        }
        stop(&ctx, &scene);
    } else {
        for (uint32_t b = 0; b < 2 * blocks && status == 0; b++) {
            bool trace_on = b % 2 == 1;
            plx_context_desc d = {.app_name = "bench-trace", .trace_path = trace_on ? trace_path : NULL};
            if (start(&ctx, &scene, &d) < 0) return 1;
            status = run_block(ctx, scene, 30, NULL); /* warm-up */
            if (status == 0) status = run_block(ctx, scene, block, trace_on ? &on : &off);
            stop(&ctx, &scene);
        }
        remove(trace_path);
        if (status == 0) {
            printf("trace, %u contexts of %u frames each way:\n", blocks, block);
            report("trace off", &off);
            report("trace on", &on);
            /* The trace is written in plx_frame_end after xrEndFrame (outside wake-to-end): compare the
             * calls. */
            printf("  trace cost (plx_frame_end call, p50 on - off): %+.1f us/frame   target < 50 us\n",
                   (pct(&on_end, 50) - pct(&off_end, 50)) * 1e3);
        }
    }
    for (int i = 0; i < 4; i++) {
        free(off_steps[i].ms);
        free(on_steps[i].ms);
    }
    free(off.ms);
    free(on.ms);
    free(off_end.ms);
    free(on_end.ms);
    if (status != 0) fprintf(stderr, "plx-bench-frameloop: the frame loop failed\n");
    return status ? 1 : 0;
}
