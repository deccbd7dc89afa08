/* SPDX-License-Identifier: MIT */
/* parallax-stress: CPU and GPU load that steps up and down on a schedule, with dynamic resolution holding the
 * frame rate. GPU load is overdraw: nested boxes around the viewer, each covering the whole view, drawn back
 * to front so every one of them is shaded; CPU load is busy work inside each frame. The dynamic resolution
 * controller of libparallax shrinks the rendered viewport inside the fixed swapchain when the GPU time rises
 * and lets it grow back when it falls. Prints one line per second: scale, GPU time, missed frames. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <parallax/parallax.h>

static const char usage[] =
    "usage: parallax-stress [options]\n"
    "  --frames N         run N frames, then end the session cleanly and exit\n"
    "  --schedule LIST    load steps T:G:C[,T:G:C...]: from T seconds on, GPU load G times the base and C "
    "ms\n"
    "                     of CPU busy work per frame (default 0:1:0,4:2:0,8:1:0,12:1:6,16:1:0)\n"
    "  --loop S           repeat the schedule every S seconds (default 20; 0 = hold the last step)\n"
    "  --layers N         base GPU load in overdraw layers (default: calibrate so the base load takes 40%\n"
    "                     the frame budget at full resolution)\n"
    "  --no-dynamic       keep the render scale fixed (see --scale) instead of dynamic resolution\n"
    "  --scale S          render scale with --no-dynamic, 0 < S <= 1 (default 1)\n"
    "  --csv PATH         write one line per frame: "
    "frame,predicted_display_ns,scale,gpu_ms,gpu_load,cpu_ms,\n"
    "                     layers\n"
    "  --quiet            no per-second lines\n"
    "  --help             this text\n";

#define MAX_LAYERS 160
#define MAX_STEPS  16
#define CAL_FRAMES 24 /* frames per calibration phase */
#define CAL_PHASES 5  /* no layers, then four steps towards the base load */

typedef struct step {
    double t, gpu, cpu_ms;
} step;

typedef struct record {
    int64_t display_ns;
    float scale;
    double gpu_ms; /* -1 until known */
    double gpu_load, cpu_ms;
    int layers;
    int skipped_vsyncs; /* display periods skipped before this frame: frames the display repeated */
} record;

typedef struct app {
    step steps[MAX_STEPS];
    int nsteps;
    double loop_s;
    int base_layers;                /* 0 = calibrate */
    double layer_ms, fixed_ms;      /* calibrated GPU cost of one layer and of the rest, at scale 1 */
    int cal_layers;                 /* layers of the calibration phase running */
    uint32_t layer_ids[MAX_LAYERS]; /* scene objects of the overdraw layers, outermost first */
    record *rec;
    size_t cap;
} app;

static int parse_schedule(app *a, const char *s)
{
    a->nsteps = 0;
    while (*s && a->nsteps < MAX_STEPS) {
        step *st = &a->steps[a->nsteps];
        int used = 0;
        if (sscanf(s, "%lf:%lf:%lf%n", &st->t, &st->gpu, &st->cpu_ms, &used) != 3 || st->t < 0 ||
            st->gpu < 0 || st->gpu > 8 || st->cpu_ms < 0 || st->cpu_ms > 100 ||
            (a->nsteps && st->t <= a->steps[a->nsteps - 1].t))
            return -1;
        a->nsteps++;
        s += used;
        if (*s == ',')
            s++;
        else if (*s)
            return -1;
    }
    return *s || !a->nsteps ? -1 : 0;
}

static const step *step_at(const app *a, double t)
{
    if (a->loop_s > 0) t = fmod(t, a->loop_s);
    const step *cur = &a->steps[0];
    for (int i = 1; i < a->nsteps; i++)
        if (a->steps[i].t <= t) cur = &a->steps[i];
    return cur;
}

/* Layers for a GPU load factor: the whole frame's GPU cost (fixed part included) scales by the factor. */
static int layers_for(const app *a, double gpu)
{
    double n = a->layer_ms > 0
                   ? (gpu * (a->fixed_ms + a->base_layers * a->layer_ms) - a->fixed_ms) / a->layer_ms
                   : gpu * a->base_layers;
    return n < 0 ? 0 : n > MAX_LAYERS ? MAX_LAYERS : (int)lround(n);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* CPU load: real arithmetic until the time is up, so it costs what a game's simulation would. */
static void busy(double ms)
{
    volatile double sink = 0;
    for (double end = now_ms() + ms; now_ms() < end;)
        for (int i = 1; i < 2000; i++) sink += sqrt((double)i);
}

/* The overdraw layers are boxes around the viewer seen from inside (negative x scale turns them inside
 * out, so back-face culling keeps the inner faces), outermost first. Inactive ones wait beyond the far
 * plane. Near black, so the load does not change the picture. */
static void set_layers(plx_scene *scene, const uint32_t *ids, int active)
{
    for (int i = 0; i < MAX_LAYERS; i++) {
        float h = 12.0f + 0.1f * (float)(MAX_LAYERS - i);
        plx_transform t = {.position = {0, 0, i < active ? 0.0f : 1e4f}, .scale = {-2 * h, 2 * h, 2 * h}};
        plx_scene_set_transform(scene, ids[i], &t);
    }
}

static plx_result build_scene(plx_scene *scene, uint32_t *layer_ids)
{
    plx_result r = PLX_SUCCESS;
    for (int i = 0; i < MAX_LAYERS && r == PLX_SUCCESS; i++)
        r = plx_scene_add_cube(scene, &(plx_cube_desc){.color = {0.08f, 0.08f, 0.12f}}, &layer_ids[i]);
    /* Two rings of turned pillars and blocks to look at, so the resolution change is visible. */
    for (int i = 0; i < 32 && r == PLX_SUCCESS; i++) {
        float a = (float)(i % 16) * 0.3927f + (float)(i / 16) * 0.196f, d = i < 16 ? 2.6f : 3.6f;
        float h = i < 16 ? 1.6f : 0.5f, turn = 0.35f * (float)i;
        plx_cube_desc c = {
            .transform = {.position = {d * sinf(a), -1.6f + h / 2 + (float)(i / 16) * 0.8f, -d * cosf(a)},
                          .orientation = {0, sinf(turn), 0, cosf(turn)},
                          .scale = {0.35f, h, 0.35f}},
            .color = {0.5f + 0.4f * sinf(a), 0.35f + 0.3f * (float)(i % 3), 0.5f + 0.4f * cosf(a)}};
        r = plx_scene_add_cube(scene, &c, NULL);
    }
    if (r == PLX_SUCCESS)
        r = plx_scene_add_cube(
            scene,
            &(plx_cube_desc){.transform = {.position = {0, 0, -2}, .scale = {0.3f, 0.3f, 0.3f}},
                             .color = {0.9f, 0.05f, 0.04f}},
            NULL);
    return r;
}

static record *rec_at(app *a, uint64_t index)
{
    if (index >= a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 1024;
        while (cap <= index) cap *= 2;
        record *r = realloc(a->rec, cap * sizeof *r);
        if (!r) return NULL;
        memset(r + a->cap, 0, (cap - a->cap) * sizeof *r);
        a->rec = r;
        a->cap = cap;
    }
    return &a->rec[index];
}

/* GPU times arrive a few frames late: patch the records of the recent frames. */
static void patch_gpu_times(plx_context *ctx, app *a)
{
    plx_frame_stats st[8];
    uint32_t n = plx_get_frame_stats(ctx, st, 8);
    for (uint32_t i = 0; i < n; i++)
        if (st[i].index < a->cap && st[i].gpu_ms >= 0) a->rec[st[i].index].gpu_ms = st[i].gpu_ms;
}

static double median_gpu(const app *a, uint64_t from, uint64_t to)
{
    double v[64];
    int n = 0;
    for (uint64_t i = from; i < to && i < a->cap && n < 64; i++)
        if (a->rec[i].gpu_ms >= 0) v[n++] = a->rec[i].gpu_ms;
    for (int i = 1; i < n; i++) /* insertion sort: a few dozen values */
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n ? v[n / 2] : -1;
}

/* Finds the base load at full scale: first the cost without layers, then layer counts that converge on 40% of
 * the budget (a measured search rather than one two-point fit: on a shared machine a single measurement is
 * easily off by half). Sets *layers for frame f; returns true when done. */
static bool calibrate(app *a, uint64_t f, double budget_ms, int *layers)
{
    uint64_t phase = f / CAL_FRAMES;
    if (f % CAL_FRAMES == 0 && phase > 0) {
        /* The GPU times of a phase's last frames are not in yet; its first frames still run the old load. */
        double g = median_gpu(a, f - CAL_FRAMES + 8, f - 3);
        if (phase == 1) {
            a->fixed_ms = g > 0 ? g : 0;
            a->cal_layers = 8;
        } else if (phase < CAL_PHASES && g > 0 &&
                   g < a->fixed_ms + 0.05 * a->cal_layers * (a->layer_ms > 0 ? a->layer_ms : 0.01)) {
            /* The layers did not show above the cost without them: that cost was measured in a spike of
             * another process's load. Take the lower reading as the fixed cost and measure again with twice
             * the layers, rather than fit a slope to noise (which once gave 0.01 ms per layer and a 142x
             * "2x" step). */
            if (g < a->fixed_ms) a->fixed_ms = g;
            int n = a->cal_layers * 2;
            a->cal_layers = n > MAX_LAYERS / 3 ? MAX_LAYERS / 3 : n;
        } else {
            double per = g > a->fixed_ms ? (g - a->fixed_ms) / a->cal_layers : 0.01;
            a->layer_ms = per > 0.01 ? per : 0.01;
            long n = lround((0.4 * budget_ms - a->fixed_ms) / a->layer_ms);
            /* At most 4x up or down per phase: one noisy phase cannot throw the search far off. */
            long lo = a->cal_layers / 4, hi = (long)a->cal_layers * 4;
            n = n < lo ? lo : n > hi ? hi : n;
            a->cal_layers = n < 1 ? 1 : n > MAX_LAYERS / 3 ? MAX_LAYERS / 3 : (int)n;
        }
        if (phase == CAL_PHASES) {
            a->base_layers = a->cal_layers;
            printf("calibrated: %.3f ms per layer + %.2f ms, base load %d layers (%.2f ms of the %.2f ms "
                   "budget)\n",
                   a->layer_ms, a->fixed_ms, a->base_layers, a->fixed_ms + a->base_layers * a->layer_ms,
                   budget_ms);
            return true;
        }
    }
    *layers = phase == 0 ? 0 : a->cal_layers;
    return false;
}

/* One line for the frames [from, to) of one second. GPU times of its last frame or two may not be in yet. */
static void print_second(const app *a, int s, uint64_t from, uint64_t to)
{
    int frames = 0, missed = 0, gpu_n = 0;
    double scale = 0, gpu = 0;
    for (uint64_t i = from; i < to; i++) {
        const record *r = &a->rec[i];
        frames++;
        missed += r->skipped_vsyncs > 0 ? r->skipped_vsyncs : 0;
        scale += r->scale;
        if (r->gpu_ms >= 0) gpu += r->gpu_ms, gpu_n++;
    }
    const record *last = &a->rec[to - 1];
    printf("t=%3ds  scale %.2f  gpu %5.2f ms  missed %2d/%-3d  load: gpu x%.1f (%d layers) cpu %.1f ms\n", s,
           frames ? scale / frames : 0.0, gpu_n ? gpu / gpu_n : -1.0, missed, frames + missed, last->gpu_load,
           last->layers, last->cpu_ms);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    app a = {.loop_s = 20};
    long frames = -1;
    bool dynamic = true, quiet = false;
    float scale = 1.0f;
    const char *csv = NULL;
    parse_schedule(&a, "0:1:0,4:2:0,8:1:0,12:1:6,16:1:0");
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        errno = 0;
        if (!strcmp(arg, "--help")) return fputs(usage, stdout), 0;
        if (!strcmp(arg, "--no-dynamic"))
            dynamic = false;
        else if (!strcmp(arg, "--quiet"))
            quiet = true;
        else if (!val)
            return fprintf(stderr, "parallax-stress: bad option %s\n%s", arg, usage), 2;
        else if (!strcmp(arg, "--frames") && (frames = strtol(val, &end, 10)) > 0 && !*end)
            i++;
        else if (!strcmp(arg, "--schedule") && parse_schedule(&a, val) == 0)
            i++;
        else if (!strcmp(arg, "--loop") && (a.loop_s = strtod(val, &end)) >= 0 && !*end && !errno)
            i++;
        else if (!strcmp(arg, "--layers") && (a.base_layers = (int)strtol(val, &end, 10)) > 0 &&
                 a.base_layers <= MAX_LAYERS && !*end)
            i++;
        else if (!strcmp(arg, "--scale") && (scale = strtof(val, &end)) > 0 && scale <= 1 && !*end)
            i++;
        else if (!strcmp(arg, "--csv"))
            csv = argv[++i];
        else
            return fprintf(stderr, "parallax-stress: bad option %s %s\n%s", arg, val, usage), 2;
    }

    plx_context *ctx = NULL;
    if (plx_context_create(&(plx_context_desc){.app_name = "parallax-stress", .dynamic_resolution = dynamic},
                           &ctx) != PLX_SUCCESS)
        return fprintf(stderr, "parallax-stress: cannot start: %s\n", plx_last_error(NULL)), 1;
    plx_scene *scene = NULL;
    int status = 0;
    if (plx_scene_create(ctx, NULL, &scene) != PLX_SUCCESS ||
        build_scene(scene, a.layer_ids) != PLX_SUCCESS) {
        fprintf(stderr, "parallax-stress: scene: %s\n", plx_last_error(ctx));
        status = 1;
    }
    uint32_t eye_width = 1, eye_height = 1;
    plx_get_eye_size(ctx, &eye_width, &eye_height);
    /* Calibrate at a fixed full scale, so the measured cost is the load's own. */
    bool calibrating = a.base_layers == 0;
    if (calibrating || !dynamic) plx_set_render_scale(ctx, calibrating ? 1.0f : scale);

    long done = 0;
    uint64_t second_first = 0; /* first frame of the second being counted */
    int64_t t0 = 0, last_display = 0;
    int cur_second = 0, layers = 0;
    const step *st = &a.steps[0];
    plx_events ev = {0};
    while (!status && plx_poll(ctx, &ev) >= 0 && !ev.should_quit) {
        plx_frame frame;
        plx_result r = plx_frame_wait(ctx, &frame);
        if (r != PLX_SUCCESS) {
            if (r < 0) break;
            continue;
        }
        record *rc = rec_at(&a, frame.index);
        if (!rc) {
            fprintf(stderr, "parallax-stress: out of memory\n");
            status = 1;
            break;
        }
        if (calibrating &&
            calibrate(&a, frame.index, (double)frame.predicted_display_period * 1e-6, &layers)) {
            calibrating = false;
            if (!dynamic)
                plx_set_render_scale(ctx, scale);
            else if (plx_set_dynamic_resolution(ctx, true) != PLX_SUCCESS)
                fprintf(stderr, "parallax-stress: no dynamic resolution, the scale stays 1: %s\n",
                        plx_last_error(ctx));
        }
        if (!calibrating) {
            if (!t0) t0 = frame.predicted_display_time, second_first = frame.index;
            double t = (double)(frame.predicted_display_time - t0) * 1e-9;
            if ((int)t > cur_second) {
                if (!quiet && frame.index > second_first)
                    print_second(&a, cur_second, second_first, frame.index);
                second_first = frame.index;
                cur_second = (int)t;
            }
            st = step_at(&a, t);
            layers = layers_for(&a, st->gpu);
        }
        *rc = (record){.display_ns = frame.predicted_display_time,
                       .scale = plx_get_render_scale(ctx),
                       .gpu_ms = -1,
                       .gpu_load = calibrating ? 0 : st->gpu,
                       .cpu_ms = calibrating ? 0 : st->cpu_ms,
                       .layers = calibrating ? -layers : layers};
        if (last_display && frame.predicted_display_period > 0)
            rc->skipped_vsyncs = (int)lround((double)(frame.predicted_display_time - last_display) /
                                             (double)frame.predicted_display_period) -
                                 1;
        last_display = frame.predicted_display_time;
        set_layers(scene, a.layer_ids, layers);
        if ((r = plx_frame_begin(ctx, &frame)) >= 0) {
            if (r == PLX_SUCCESS) {
                rc->scale = (float)frame.width / (float)eye_width; /* as rendered, after the controller */
                busy(rc->cpu_ms);
                plx_scene_draw(scene, &frame);
            }
            r = plx_frame_end(ctx, &frame);
            patch_gpu_times(ctx, &a);
            if (r == PLX_SUCCESS && ++done == frames) r = plx_request_exit(ctx);
        }
        if (r < 0) break;
    }
    if (!status && !ev.should_quit) {
        fprintf(stderr, "parallax-stress: frame loop: %s\n", plx_last_error(ctx));
        status = 1;
    }
    patch_gpu_times(ctx, &a);
    if (csv && !status) {
        FILE *f = fopen(csv, "w");
        if (!f) {
            fprintf(stderr, "parallax-stress: cannot write %s: %s\n", csv, strerror(errno));
            status = 1;
        } else {
            fputs("frame,predicted_display_ns,scale,gpu_ms,gpu_load,cpu_ms,layers\n", f);
            for (uint64_t i = 0; i < a.cap && a.rec[i].display_ns; i++)
                fprintf(f, "%llu,%lld,%.4f,%.4f,%.2f,%.2f,%d\n", (unsigned long long)i,
                        (long long)a.rec[i].display_ns, (double)a.rec[i].scale, a.rec[i].gpu_ms,
                        a.rec[i].gpu_load, a.rec[i].cpu_ms, a.rec[i].layers);
            if (fclose(f) != 0) status = 1;
        }
    }
    plx_summary s;
    if (plx_stats_summary(ctx, &s) == PLX_SUCCESS)
        printf("frames %llu  gpu mean %.2f ms p99 %.2f ms  final scale %.2f\n", (unsigned long long)s.frames,
               s.gpu_mean_ms, s.gpu_p99_ms, (double)plx_get_render_scale(ctx));
    free(a.rec);
    plx_scene_destroy(&scene);
    plx_context_destroy(&ctx);
    return status;
}
