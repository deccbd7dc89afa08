/* SPDX-License-Identifier: MIT */
/* parallax-latency: a scene with a configurable CPU and GPU load, and the latency benchmark.
 *
 * Without --bench it is a visual scene: world-locked targets around the viewer and a head-locked reticle,
 * run for --frames frames, with the HUD on (--no-hud: off) showing the pose age at photon and the pose error
 * live, as libparallax measures them after the fact on any runtime; the final figures are printed at exit.
 * With --bench it runs the matrix {runtime pacing fixed/adaptive} x {runtime prediction predict/raw} x {app
 * mode off/latch/jit+latch} x {motion look/turns/stress} on the simulated headset in real time, each run a
 * fresh context with the PARALLAX_SIM_* variables set before it is created (the simulated headset reads them
 * at xrCreateInstance), and reads the figures from the simulated headset's report JSON: it is the measuring
 * instrument, knowing the true head pose at every photon time. It also prints the predictor accuracy table
 * (simulated time, deterministic) and the project's latency targets beside the measured figures. These are
 * benchmarks, not timed tests: a loaded machine misses frames. */
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <parallax/parallax.h>

#include "predictor_bench.h"
#include "verdict.h"

static const char usage_text[] =
    "usage: parallax-latency [--frames N] [--cpu-load MS] [--gpu-load N] [--no-hud] [--help]\n"
    "       parallax-latency --bench [--frames N] [--quick] [--long] [--epochs OFFSET] [--json PATH]\n"
    "                                [--eye-size N]\n"
    "  --frames N    frames to run (scene: then exit; bench: per run, default 1000)\n"
    "  --cpu-load MS busy CPU time added to every frame, milliseconds (default 0)\n"
    "  --gpu-load N  extra cubes drawn per eye, N x 64 (default 0)\n"
    "  --no-hud      scene: no HUD (by default it shows the frame-time graph, the pose age at photon AGE "
    "and\n"
    "                the pose error ERR/P99 of the last 90 frames, the misses and the frame number; the\n"
    "                environment's PARALLAX_HUD=0|1 overrides)\n"
    "  --bench       run the latency benchmark on the simulated headset (XR_RUNTIME_JSON must select it)\n"
    "  --quick       bench: reduced matrix (motion look, modes off and jit+latch) and a short predictor run\n"
    "  --long        bench: add the 10,000-frame fixed-pacing runs (off, jit+latch) the miss-rate target is\n"
    "                measured on\n"
    "  --epochs OFFSET bench: run every configuration twice, with CLOCK_MONOTONIC's XrTime epoch and with\n"
    "                PARALLAX_SIM_TIME_OFFSET=OFFSET (start, or seconds such as 86400 or -1925), and "
    "compare\n"
    "                the verdicts target by target (a runtime whose clock is not the host's)\n"
    "  --json PATH   bench: write the figures as JSON\n"
    "  --eye-size N  bench: per-eye size in pixels (default 256, small so the machine keeps 90 Hz)\n";

/* ---------------------------------------------------------------- the scene */

typedef struct app {
    plx_context *ctx;
    plx_scene *scene;
    uint32_t reticle;
    double cpu_load_ms;
    bool hud_frame_value; /* show the frame number on the HUD */
} app;

static void build_scene(plx_scene *scene, int gpu_load, uint32_t *out_reticle)
{
    /* Targets on a ring at eye height, 2.5 m away, every 30 degrees: whichever way the head turns, some
     * are in view, and a stale pose shows as targets swimming against the head-locked reticle. */
    for (int i = 0; i < 12; i++) {
        float a = (float)i * 0.5235988f;
        plx_cube_desc c = {
            .transform = {.position = {2.5f * sinf(a), 0.0f, -2.5f * cosf(a)},
                          .scale = {0.25f, 0.25f, 0.25f}},
            .color = {i % 3 == 0 ? 0.9f : 0.2f, i % 3 == 1 ? 0.8f : 0.25f, i % 3 == 2 ? 0.9f : 0.3f},
        };
        plx_scene_add_cube(scene, &c, NULL);
    }
    /* GPU load: rings of small cubes further out (the rasteriser and vertex work scale with N). */
    for (int i = 0; i < gpu_load * 64; i++) {
        float a = (float)i * 0.09817477f, r = 4.0f + 0.05f * (float)(i / 64);
        plx_cube_desc c = {
            .transform = {.position = {r * sinf(a), -0.6f + 0.02f * (float)(i % 64), -r * cosf(a)},
                          .scale = {0.15f, 0.15f, 0.15f}},
            .color = {0.35f, 0.35f, 0.4f},
        };
        plx_scene_add_cube(scene, &c, NULL);
    }
    plx_cube_desc reticle = {.transform = {.scale = {0.02f, 0.02f, 0.002f}}, .color = {1.0f, 0.9f, 0.1f}};
    plx_scene_add_cube(scene, &reticle, out_reticle);
}

/* The reticle 1 m in front of the head, placed from this frame's located views (the midpoint of the eyes,
 * the left eye's orientation). */
static void place_reticle(app *a, const plx_frame *f)
{
    const float *q = f->views[0].orientation;
    float p[3];
    for (int k = 0; k < 3; k++) p[k] = 0.5f * (f->views[0].position[k] + f->views[1].position[k]);
    /* forward = q * (0, 0, -1) */
    float fx = -(2.0f * (q[0] * q[2] + q[3] * q[1]));
    float fy = -(2.0f * (q[1] * q[2] - q[3] * q[0]));
    float fz = -(1.0f - 2.0f * (q[0] * q[0] + q[1] * q[1]));
    plx_transform t = {.position = {p[0] + fx, p[1] + fy, p[2] + fz},
                       .orientation = {q[0], q[1], q[2], q[3]},
                       .scale = {0.02f, 0.02f, 0.002f}};
    plx_scene_set_transform(a->scene, a->reticle, &t);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static void burn_cpu(double ms)
{
    if (ms <= 0) return;
    double until = now_ms() + ms;
    volatile double x = 1.0;
    while (now_ms() < until) {
        for (int i = 0; i < 1000; i++) x = x * 1.0000001 + 1e-9;
    }
}

/* Runs frames until `frames` have ended (or the session ends), then asks the runtime to end the session
 * and polls until it has. Returns 0, or 1 after printing the failure. */
static int run_frames(app *a, long frames, const char *who)
{
    long done = 0;
    bool exit_requested = false;
    plx_events ev = {0};
    for (;;) {
        plx_result r = plx_poll(a->ctx, &ev);
        if (r < 0) break;
        if (ev.should_quit) return 0;
        plx_frame frame;
        r = plx_frame_wait(a->ctx, &frame);
        if (r == PLX_SESSION_NOT_RUNNING) continue;
        if (r < 0) break;
        r = plx_frame_begin(a->ctx, &frame);
        if (r < 0) break;
        if (r == PLX_SUCCESS) {
            burn_cpu(a->cpu_load_ms);
            place_reticle(a, &frame);
            if (plx_scene_draw(a->scene, &frame) < 0) break;
        }
        if (plx_frame_end(a->ctx, &frame) < 0) break;
        /* The app's own value on the HUD (plx_hud_set_value): which frame this is. */
        if (a->hud_frame_value) plx_hud_set_value(a->ctx, 0, "FRAME", (double)(done + 1));
        if (++done >= frames && !exit_requested) {
            exit_requested = true;
            if (plx_request_exit(a->ctx) < 0) break;
        }
    }
    fprintf(stderr, "%s: frame loop failed: %s\n", who, plx_last_error(a->ctx));
    return 1;
}

static int app_start(app *a, const plx_context_desc *desc, int gpu_load, double cpu_load_ms)
{
    *a = (app){.cpu_load_ms = cpu_load_ms};
    if (plx_context_create(desc, &a->ctx) != PLX_SUCCESS) {
        fprintf(stderr, "parallax-latency: cannot start: %s\n", plx_last_error(NULL));
        return 1;
    }
    if (plx_scene_create(a->ctx, NULL, &a->scene) != PLX_SUCCESS) {
        fprintf(stderr, "parallax-latency: scene: %s\n", plx_last_error(a->ctx));
        plx_context_destroy(&a->ctx);
        return 1;
    }
    build_scene(a->scene, gpu_load, &a->reticle);
    return 0;
}

static void app_stop(app *a)
{
    plx_scene_destroy(&a->scene);
    plx_context_destroy(&a->ctx);
}

/* ---------------------------------------------------------------- the benchmark */

static const char *const k_pacings[] = {"fixed", "adaptive"};
static const char *const k_predictions[] = {"predict", "raw"};
static const char *const k_modes[] = {"off", "latch", "jit+latch"};
static const plx_mode k_mode_values[] = {PLX_MODE_OFF, PLX_MODE_LATCH, PLX_MODE_JIT_LATCH};
static const char *const k_motions[] = {"look", "turns", "stress"};

typedef struct run_result {
    char pacing[16], prediction[16], mode[16], motion[16], app_prediction[8];
    long frames_asked;
    int64_t frames, missed;
    double age_p50, age_p99, err_p50, err_p99, slack_p50;
    int epoch;          /* 0: the shell's PARALLAX_SIM_TIME_OFFSET (with --epochs: none, CLOCK_MONOTONIC's
                           epoch), 1: --epochs' offset */
    int rep;            /* repeat of this configuration in this epoch (off and jit+latch run twice) */
    double xr_offset_s; /* XrTime - CLOCK_MONOTONIC as libparallax measured it (PARALLAX_SIM_TIME_OFFSET) */
    bool xr_converted;  /* ... through XR_KHR_convert_timespec_time (false: safe mode) */
    bool ok;            /* the run completed and its report was read */
} run_result;

static double json_num(json_object *o, const char *metric, const char *key)
{
    json_object *m = NULL, *v = NULL;
    if (!json_object_object_get_ex(o, metric, &m) || !json_object_object_get_ex(m, key, &v) || !v) return NAN;
    return json_object_get_double(v);
}

static bool read_report(const char *path, run_result *r)
{
    json_object *o = json_object_from_file(path);
    if (!o) {
        fprintf(stderr, "parallax-latency: cannot read the simulated headset's report %s: %s\n", path,
                json_util_get_last_err());
        return false;
    }
    json_object *v = NULL;
    r->frames = json_object_object_get_ex(o, "frames_submitted", &v) ? json_object_get_int64(v) : -1;
    r->missed = json_object_object_get_ex(o, "frames_missed", &v) ? json_object_get_int64(v) : -1;
    r->age_p50 = json_num(o, "pose_age_ms", "p50");
    r->age_p99 = json_num(o, "pose_age_ms", "p99");
    r->err_p50 = json_num(o, "error_deg", "p50");
    r->err_p99 = json_num(o, "error_deg", "p99");
    r->slack_p50 = json_num(o, "slack_ms", "p50");
    json_object_put(o);
    return r->frames >= 0 && r->missed >= 0;
}

typedef struct bench_opts {
    long frames;
    uint32_t eye;
    int gpu_load;
    double cpu_load_ms;
    const char *report_path;
    const char *epoch_offset; /* --epochs: every run also with PARALLAX_SIM_TIME_OFFSET=this; NULL: no */
} bench_opts;

static bool run_one(const bench_opts *o, run_result *r, plx_mode mode, plx_prediction app_prediction)
{
    setenv("PARALLAX_SIM_PACING", r->pacing, 1);
    setenv("PARALLAX_SIM_PREDICTION", r->prediction, 1);
    setenv("PARALLAX_SIM_MOTION", r->motion, 1);
    if (o->epoch_offset) {
        if (r->epoch)
            setenv("PARALLAX_SIM_TIME_OFFSET", o->epoch_offset, 1);
        else
            unsetenv("PARALLAX_SIM_TIME_OFFSET");
    }
    setenv("PARALLAX_SIM_REPORT", o->report_path, 1);
    setenv("PARALLAX_SIM_SEED", "1", 1);
    /* The run's own settings, not whatever the shell exported. */
    unsetenv("PARALLAX_MODE");
    unsetenv("PARALLAX_PREDICTION");
    unsetenv("PARALLAX_SIM_FRAMES");
    unsetenv("PARALLAX_SIM_FAULTS");
    remove(o->report_path);
    r->frames_asked = o->frames;
    app a;
    plx_context_desc desc = {
        .app_name = "parallax-latency",
        .mode = mode,
        .prediction = app_prediction,
        .eye_width = o->eye,
        .eye_height = o->eye,
    };
    if (app_start(&a, &desc, o->gpu_load, o->cpu_load_ms) != 0) return false;
    int rc = run_frames(&a, o->frames, "parallax-latency --bench");
    plx_latency_info li;
    if (plx_get_latency_info(a.ctx, &li) == PLX_SUCCESS) {
        r->xr_offset_s = li.xr_time_offset_s;
        r->xr_converted = li.xr_time_converted;
    }
    app_stop(&a); /* the simulated headset writes its report at xrEndSession */
    r->ok = rc == 0 && read_report(o->report_path, r);
    return r->ok;
}

static void print_run(const run_result *r, bool epochs)
{
    if (epochs) printf("%-6s ", r->epoch ? "offset" : "mono");
    printf("%-8s %-7s %-9s %-6s %-4s | %6lld %5lld %5.1f%% | %7.2f %7.2f | %7.3f %7.3f | %7.2f\n", r->pacing,
           r->prediction, r->mode, r->motion, r->app_prediction, (long long)r->frames, (long long)r->missed,
           r->frames > 0 ? 100.0 * (double)r->missed / (double)r->frames : 0.0, r->age_p50, r->age_p99,
           r->err_p50, r->err_p99, r->slack_p50);
    fflush(stdout);
}

/* The completed runs of one configuration in one epoch (its repeats), at most max. */
static int collect(const run_result *runs, int n, int epoch, const char *pacing, const char *prediction,
                   const char *mode, const char *motion, const char *app_prediction, long frames,
                   const run_result **out, int max)
{
    int found = 0;
    for (int i = 0; i < n && found < max; i++) {
        const run_result *r = &runs[i];
        if (r->ok && r->epoch == epoch && !strcmp(r->pacing, pacing) && !strcmp(r->prediction, prediction) &&
            !strcmp(r->mode, mode) && !strcmp(r->motion, motion) &&
            !strcmp(r->app_prediction, app_prediction) && r->frames_asked == frames)
            out[found++] = r;
    }
    return found;
}

/* A configuration's repeats pooled: the median pose age of each run, misses and frames summed. */
typedef struct pooled {
    bench_sample age;
    int64_t missed, frames;
    double slack_p50, err_p50; /* means of the runs' medians */
    const run_result *first;
} pooled;

static bool pool(const run_result *runs, int n, int epoch, const char *pacing, const char *prediction,
                 const char *mode, const char *motion, const char *app_prediction, long frames, pooled *p)
{
    const run_result *found[4];
    int k = collect(runs, n, epoch, pacing, prediction, mode, motion, app_prediction, frames, found, 4);
    *p = (pooled){.first = k ? found[0] : NULL};
    double slack = 0, err = 0;
    for (int i = 0; i < k; i++) {
        p->age.v[p->age.n++] = found[i]->age_p50;
        p->missed += found[i]->missed;
        p->frames += found[i]->frames;
        slack += found[i]->slack_p50;
        err += found[i]->err_p50;
    }
    p->slack_p50 = k ? slack / k : NAN;
    p->err_p50 = k ? err / k : NAN;
    return k > 0;
}

static double pct(int64_t missed, int64_t frames)
{
    return frames > 0 ? 100.0 * (double)missed / (double)frames : 0.0;
}

#define MAX_TARGETS 32

/* The verdicts of one epoch, in print order (the same order in every epoch). */
typedef struct target_list {
    int n, met, within_noise;
    char what[MAX_TARGETS][80];
    bench_verdict v[MAX_TARGETS];
} target_list;

static void target(target_list *t, const char *what, const char *measured, bench_verdict v)
{
    printf("  %-66s %-48s %s\n", what, measured, bench_verdict_name(v));
    if (v != BENCH_MISS) t->met++;
    if (v == BENCH_PASS_NOISE) t->within_noise++;
    if (t->n < MAX_TARGETS) {
        snprintf(t->what[t->n], sizeof t->what[t->n], "%s", what);
        t->v[t->n++] = v;
    }
}

static bench_verdict point(bool pass)
{
    return pass ? BENCH_PASS : BENCH_MISS;
}

/* "b% vs a%: excess (lower end of its one-sided 95% interval)" for a miss comparison. */
static void miss_text(char *buf, size_t size, const pooled *off, const pooled *jit, double excess,
                      double lower)
{
    snprintf(buf, size, "%.2f%% vs %.2f%%: %+.2f pts (95%% bound %+.2f)", pct(jit->missed, jit->frames),
             pct(off->missed, off->frames), excess, lower);
}

static void ratio_text(char *buf, size_t size, const pooled *off, const pooled *jit, double ratio,
                       double noise)
{
    int w = snprintf(buf, size, "%.2f / %.2f ms = %.2fx", bench_sample_mean(&jit->age),
                     bench_sample_mean(&off->age), ratio);
    if (noise > 0 && w > 0 && (size_t)w < size) snprintf(buf + w, size - (size_t)w, ", A/A %.2f ms", noise);
}

/* The two comparisons of jit+latch against off on one runtime pacing: the pose age (jit+latch at most
 * age_limit times off's) and the misses (at most allowance points more). */
static void judge_off_jit(target_list *t, const pooled *off, const pooled *jit, double age_limit,
                          const char *age_what, double allowance, const char *miss_what)
{
    char buf[128];
    double ratio, noise, excess, lower;
    bench_verdict v = bench_judge_ratio(&off->age, &jit->age, age_limit, &ratio, &noise);
    ratio_text(buf, sizeof buf, off, jit, ratio, noise);
    target(t, age_what, buf, v);
    v = bench_judge_misses(off->missed, off->frames, jit->missed, jit->frames, allowance, &excess, &lower);
    miss_text(buf, sizeof buf, off, jit, excess, lower);
    target(t, miss_what, buf, v);
}

/* Prints one epoch's targets beside the figures and records the verdicts in t (informational only). */
static void print_targets(const plx_bench_row *rows, int nrows, const run_result *runs, int n, int epoch,
                          long frames, long long_frames, const char *const *motions, int motion_count,
                          target_list *t)
{
    char buf[128], what[128];
    *t = (target_list){0};
    for (int i = 0; i < nrows; i++) {
        const plx_bench_row *r = &rows[i];
        if (strcmp(r->profile, "turns") || fabs(r->horizon_ms - 20.0) > 1e-9) continue;
        snprintf(buf, sizeof buf, "%.4f deg", r->predictor.p50);
        target(t, "predictor, turns, 20 ms: median <= 0.15 deg", buf, point(r->predictor.p50 <= 0.15));
        snprintf(buf, sizeof buf, "%.4f deg", r->predictor.p99);
        target(t, "predictor, turns, 20 ms: p99 <= 1.0 deg", buf, point(r->predictor.p99 <= 1.0));
        double ratio = r->predictor.p50 > 0 ? r->none.p50 / r->predictor.p50 : INFINITY;
        snprintf(buf, sizeof buf, "%.1fx", ratio);
        target(t, "predictor, turns, 20 ms: median >= 4x better than no prediction", buf,
               point(ratio >= 4.0));
    }
    bool never_worse = nrows > 0;
    for (int i = 0; i < nrows; i++)
        never_worse = never_worse && rows[i].predictor.p50 <= rows[i].constvel.p50 &&
                      rows[i].predictor.p99 <= rows[i].constvel.p99;
    target(t, "predictor: never worse than constant velocity at p50 or p99",
           never_worse ? "all rows" : "not all", point(never_worse));

    pooled off, jit;
    double ratio, noise, excess, lower;
    for (int m = 0; m < motion_count; m++) {
        const char *mo = motions[m];
        static const char *const pacings[2] = {"fixed", "adaptive"};
        for (int k = 0; k < 2; k++) {
            if (!pool(runs, n, epoch, pacings[k], "predict", "off", mo, "auto", frames, &off) ||
                !pool(runs, n, epoch, pacings[k], "predict", "jit+latch", mo, "auto", frames, &jit))
                continue;
            char age_what[80], miss_what[80];
            if (k == 0) {
                snprintf(age_what, sizeof age_what, "fixed pacing, %s: jit+latch median pose age <= 0.6x off",
                         mo);
                snprintf(miss_what, sizeof miss_what,
                         "fixed pacing, %s: jit+latch misses <= off + 0.5 points", mo);
            } else {
                snprintf(age_what, sizeof age_what,
                         "adaptive pacing, %s: jit+latch pose age within 5%% of off", mo);
                snprintf(miss_what, sizeof miss_what, "adaptive pacing, %s: jit+latch no extra misses", mo);
            }
            judge_off_jit(t, &off, &jit, k == 0 ? 0.6 : 1.05, age_what, k == 0 ? 0.5 : 0.0, miss_what);
        }
        pooled raw, pred;
        if (pool(runs, n, epoch, "fixed", "raw", "jit+latch", mo, "off", frames, &raw) &&
            pool(runs, n, epoch, "fixed", "raw", "jit+latch", mo, "auto", frames, &pred)) {
            const run_result *a = raw.first, *b = pred.first;
            ratio = b->err_p50 > 0 ? a->err_p50 / b->err_p50 : INFINITY;
            snprintf(what, sizeof what, "raw runtime, %s: app prediction cuts median error >= 4x", mo);
            snprintf(buf, sizeof buf, "%.3f -> %.3f deg = %.1fx", a->err_p50, b->err_p50, ratio);
            target(t, what, buf, point(ratio >= 4.0));
        }
    }
    /* The worst configuration, each taken as the mean of its repeats' medians. */
    double worst_slack = -INFINITY;
    for (int i = 0; i < n; i++) {
        const run_result *r = &runs[i];
        if (r->epoch != epoch || r->rep != 0 || strcmp(r->mode, "jit+latch") ||
            strcmp(r->prediction, "predict") || r->frames_asked != frames)
            continue;
        pool(runs, n, epoch, r->pacing, r->prediction, r->mode, r->motion, r->app_prediction, frames, &jit);
        if (isfinite(jit.slack_p50)) worst_slack = fmax(worst_slack, jit.slack_p50);
    }
    if (isfinite(worst_slack)) {
        snprintf(buf, sizeof buf, "worst configuration %.2f ms", worst_slack);
        target(t, "jit+latch: slack median <= 2 ms", buf, point(worst_slack <= 2.0));
    }
    if (long_frames > 0 &&
        pool(runs, n, epoch, "fixed", "predict", "off", "look", "auto", long_frames, &off) &&
        pool(runs, n, epoch, "fixed", "predict", "jit+latch", "look", "auto", long_frames, &jit)) {
        snprintf(buf, sizeof buf, "%.2f%% (%lld of %lld)", pct(jit.missed, jit.frames), (long long)jit.missed,
                 (long long)jit.frames);
        target(t, "fixed pacing, look, 10,000 frames: jit+latch missed <= 1%", buf,
               point(pct(jit.missed, jit.frames) <= 1.0));
        bench_verdict v =
            bench_judge_misses(off.missed, off.frames, jit.missed, jit.frames, 0.5, &excess, &lower);
        miss_text(buf, sizeof buf, &off, &jit, excess, lower);
        target(t, "fixed pacing, look, 10,000 frames: jit+latch misses <= off + 0.5 points", buf, v);
        v = bench_judge_ratio(&off.age, &jit.age, 0.6, &ratio, &noise);
        ratio_text(buf, sizeof buf, &off, &jit, ratio, noise);
        target(t, "fixed pacing, look, 10,000 frames: pose age <= 0.6x off", buf, v);
    }
    printf("  targets met: %d of %d (%d within the noise of these runs), missed: %d\n", t->met, t->n,
           t->within_noise, t->n - t->met);
}

static json_object *pair(double p50, double p99)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "p50", json_object_new_double(p50));
    json_object_object_add(o, "p99", json_object_new_double(p99));
    return o;
}

/* A number, or null when the report had none (e.g. no frame displayed). */
static json_object *num(double v)
{
    return isfinite(v) ? json_object_new_double(v) : NULL;
}

static json_object *pair_or_null(double p50, double p99)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "p50", num(p50));
    json_object_object_add(o, "p99", num(p99));
    return o;
}

/* epoch_offset: --epochs' value (NULL: every run had the shell's PARALLAX_SIM_TIME_OFFSET, if any). */
static bool write_json(const char *path, const plx_bench_row *rows, int nrows, const run_result *runs, int n,
                       const char *epoch_offset)
{
    const char *shell_epoch = getenv("PARALLAX_SIM_TIME_OFFSET");
    if (!shell_epoch || !*shell_epoch) shell_epoch = "CLOCK_MONOTONIC";
    json_object *root = json_object_new_object();
    json_object *pred = json_object_new_array();
    for (int i = 0; i < nrows; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "profile", json_object_new_string(rows[i].profile));
        json_object_object_add(o, "horizon_ms", json_object_new_double(rows[i].horizon_ms));
        json_object_object_add(o, "error_deg", pair(rows[i].predictor.p50, rows[i].predictor.p99));
        json_object_object_add(o, "none", pair(rows[i].none.p50, rows[i].none.p99));
        json_object_object_add(o, "constvel", pair(rows[i].constvel.p50, rows[i].constvel.p99));
        json_object_array_add(pred, o);
    }
    json_object_object_add(root, "predictor", pred);
    json_object *arr = json_object_new_array();
    for (int i = 0; i < n; i++) {
        const run_result *r = &runs[i];
        if (!r->ok) continue;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "pacing", json_object_new_string(r->pacing));
        json_object_object_add(o, "prediction", json_object_new_string(r->prediction));
        json_object_object_add(o, "mode", json_object_new_string(r->mode));
        json_object_object_add(o, "motion", json_object_new_string(r->motion));
        json_object_object_add(o, "app_prediction", json_object_new_string(r->app_prediction));
        json_object_object_add(o, "frames", json_object_new_int64(r->frames));
        json_object_object_add(o, "missed", json_object_new_int64(r->missed));
        json_object_object_add(o, "pose_age_ms", pair_or_null(r->age_p50, r->age_p99));
        json_object_object_add(o, "error_deg", pair_or_null(r->err_p50, r->err_p99));
        json_object *slack = json_object_new_object();
        json_object_object_add(slack, "p50", num(r->slack_p50));
        json_object_object_add(o, "slack_ms", slack);
        json_object_object_add(o, "xr_time_converted", json_object_new_boolean(r->xr_converted));
        json_object_object_add(o, "xr_time_offset_s", json_object_new_double(r->xr_offset_s));
        /* The epoch the simulated headset was given: "CLOCK_MONOTONIC" or PARALLAX_SIM_TIME_OFFSET's value.
         */
        json_object_object_add(o, "epoch",
                               json_object_new_string(!epoch_offset ? shell_epoch
                                                      : r->epoch    ? epoch_offset
                                                                    : "CLOCK_MONOTONIC"));
        json_object_object_add(o, "repeat", json_object_new_int(r->rep));
        json_object_array_add(arr, o);
    }
    json_object_object_add(root, "runs", arr);
    int rc = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY);
    if (rc != 0) fprintf(stderr, "parallax-latency: cannot write %s: %s\n", path, json_util_get_last_err());
    json_object_put(root);
    return rc == 0;
}

static void print_predictor(const plx_bench_row *rows, int n)
{
    printf("Pose predictor accuracy (simulated time, deterministic): angular error, degrees p50 / p99\n");
    printf("%-8s %7s | %17s | %17s | %17s\n", "profile", "horizon", "predictor", "no prediction",
           "constant velocity");
    for (int i = 0; i < n; i++)
        printf("%-8s %5.0fms | %8.4f %8.4f | %8.4f %8.4f | %8.4f %8.4f\n", rows[i].profile,
               rows[i].horizon_ms, rows[i].predictor.p50, rows[i].predictor.p99, rows[i].none.p50,
               rows[i].none.p99, rows[i].constvel.p50, rows[i].constvel.p99);
    printf("\n");
    fflush(stdout);
}

/* --epochs: every configuration's figures with the offset against without it (each the mean of its repeats),
 * paired, so the machine's drift and each configuration's own level cancel; judged against equivalence
 * margins: pose age +-5% of its mean, pose error +-5%, misses +-0.5 points (the fixed-pacing allowance). */
static void print_epoch_pairs(const run_result *runs, int n)
{
    double *age = calloc((size_t)n + 1, sizeof *age), *err = calloc((size_t)n + 1, sizeof *err);
    if (!age || !err) {
        free(age);
        free(err);
        return;
    }
    int pairs = 0, err_pairs = 0;
    double age_sum = 0;
    int64_t missed[2] = {0, 0}, frames[2] = {0, 0};
    for (int i = 0; i < n; i++) {
        /* Each configuration once: its first run without the offset names it (failed or not). */
        const run_result *r = &runs[i];
        if (r->epoch != 0 || r->rep != 0) continue;
        pooled p[2];
        if (!pool(runs, n, 0, r->pacing, r->prediction, r->mode, r->motion, r->app_prediction,
                  r->frames_asked, &p[0]) ||
            !pool(runs, n, 1, r->pacing, r->prediction, r->mode, r->motion, r->app_prediction,
                  r->frames_asked, &p[1]))
            continue;
        double a0 = bench_sample_mean(&p[0].age), a1 = bench_sample_mean(&p[1].age);
        if (isfinite(a0) && isfinite(a1)) {
            age[pairs++] = a1 - a0;
            age_sum += a0;
        }
        /* The error as a ratio: it spans 0.003 to 2 deg across configurations. */
        if (p[0].err_p50 > 0 && isfinite(p[1].err_p50))
            err[err_pairs++] = 100.0 * (p[1].err_p50 / p[0].err_p50 - 1.0);
        for (int k = 0; k < 2; k++) {
            missed[k] += p[k].missed;
            frames[k] += p[k].frames;
        }
    }
    printf(
        "\nThe epoch offset against CLOCK_MONOTONIC's epoch, all %d configurations paired (offset - mono):\n",
        pairs);
    double mean, lo, hi, margin = pairs ? 0.05 * age_sum / pairs : NAN;
    bench_paired_ci(age, pairs, &mean, &lo, &hi);
    printf("  pose age p50: %+.3f ms (95%% CI %+.3f .. %+.3f; margin +-%.2f ms, 5%% of %.2f)   %s\n", mean,
           lo, hi, margin, margin * 20, bench_same_name(bench_judge_same(lo, hi, margin)));
    bench_paired_ci(err, err_pairs, &mean, &lo, &hi);
    printf("  pose error p50: %+.2f%% (95%% CI %+.2f .. %+.2f%%; margin +-5%%)   %s\n", mean, lo, hi,
           bench_same_name(bench_judge_same(lo, hi, 5.0)));
    double diff;
    bench_miss_diff_ci(missed[0], frames[0], missed[1], frames[1], &diff, &lo, &hi);
    printf("  misses: %.3f%% vs %.3f%% of %lld frames each: %+.3f points (95%% CI %+.3f .. %+.3f; margin "
           "+-0.5)   "
           "%s\n",
           pct(missed[1], frames[1]), pct(missed[0], frames[0]), (long long)frames[0], diff, lo, hi,
           bench_same_name(bench_judge_same(lo, hi, 0.5)));
    free(age);
    free(err);
}

/* What the run loop is running: the runs so far and how to name and order the next one. */
typedef struct bench_state {
    bench_opts *o;
    run_result *runs;
    int n, cap, failures;
    int configs; /* configurations run so far: with --epochs, odd ones run the offset epoch first */
} bench_state;

/* Runs one configuration once in each epoch (with --epochs: both, alternating which goes first so that a
 * drift of the machine's load over the benchmark does not favour either), printing each row. */
static void run_config(bench_state *b, const char *pacing, const char *prediction, const char *mode_name,
                       plx_mode mode, const char *motion, plx_prediction app_prediction, int rep)
{
    int epochs = b->o->epoch_offset ? 2 : 1;
    for (int k = 0; k < epochs; k++) {
        if (b->n >= b->cap) return;
        run_result *r = &b->runs[b->n++];
        *r = (run_result){.epoch = epochs == 2 ? (k + b->configs) % 2 : 0, .rep = rep};
        snprintf(r->pacing, sizeof r->pacing, "%s", pacing);
        snprintf(r->prediction, sizeof r->prediction, "%s", prediction);
        snprintf(r->mode, sizeof r->mode, "%s", mode_name);
        snprintf(r->motion, sizeof r->motion, "%s", motion);
        snprintf(r->app_prediction, sizeof r->app_prediction, "%s",
                 app_prediction == PLX_PREDICTION_OFF ? "off" : "auto");
        if (!run_one(b->o, r, mode, app_prediction)) {
            b->failures++;
            continue;
        }
        if (b->n <= epochs)
            printf("(libparallax: XrTime = CLOCK_MONOTONIC %+.3f s, %s)\n", r->xr_offset_s,
                   r->xr_converted ? "XR_KHR_convert_timespec_time" : "no conversion: safe mode");
        print_run(r, epochs == 2);
    }
    b->configs++;
}

static int bench(bench_opts *o, bool quick, bool long_runs, const char *json_path)
{
    if (!getenv("XR_RUNTIME_JSON"))
        fprintf(stderr, "parallax-latency: XR_RUNTIME_JSON is not set; the benchmark needs the Parallax "
                        "simulated headset (e.g. XR_RUNTIME_JSON=build/lib/parallax_simulator.json)\n");
    char report[64];
    snprintf(report, sizeof report, "/tmp/parallax-latency-%ld.json", (long)getpid());
    o->report_path = report;

    plx_bench_row rows[32];
    plx_bench_desc pd = {.duration_s = quick ? 5.0 : 60.0};
    int nrows = plx_bench_predictor_run(&pd, rows, sizeof rows / sizeof rows[0]);
    if (nrows < 0) return 1;
    print_predictor(rows, nrows);

    /* The order of one configuration's runs. In the full matrix, off and jit+latch run twice with runtime
     * prediction on, as A B B A around latch, so each comparison is against a baseline measured on both
     * sides of it and the two repeats show the run-to-run noise (the A/A spread) the verdicts weigh. */
    typedef struct step {
        int mode, rep;
    } step;
    static const step full_steps[] = {{0, 0}, {1, 0}, {2, 0}, {2, 1}, {0, 1}};
    static const step single_steps[] = {{0, 0}, {1, 0}, {2, 0}};
    static const step quick_steps[] = {{0, 0}, {2, 0}};
    int motion_count = quick ? 1 : 3, epochs = o->epoch_offset ? 2 : 1;

    bench_state b = {.o = o, .cap = epochs * (2 * 2 * 3 * 5 + 3 + 4)};
    b.runs = calloc((size_t)b.cap, sizeof *b.runs);
    if (!b.runs) return 1;
    const char *epoch = getenv("PARALLAX_SIM_TIME_OFFSET");
    printf("Runs on the simulated headset, %ld frames each, %ux%u per eye (figures from its report); XrTime "
           "epoch: ",
           o->frames, o->eye, o->eye);
    if (o->epoch_offset)
        printf("every run with CLOCK_MONOTONIC's (mono) and with PARALLAX_SIM_TIME_OFFSET=%s (offset), "
               "alternating which goes first:\n",
               o->epoch_offset);
    else
        printf("%s%s%s:\n", epoch && *epoch ? "PARALLAX_SIM_TIME_OFFSET=" : "CLOCK_MONOTONIC's",
               epoch && *epoch ? epoch : "",
               epoch && *epoch ? " (the offset libparallax measured follows)" : "");
    const char *ep = epochs == 2 ? "epoch  " : "";
    printf("%s%-8s %-7s %-9s %-6s %-4s | %6s %5s %6s | %15s | %15s | %7s\n", epochs == 2 ? "       " : "",
           "runtime", "runtime", "app", "", "app", "", "", "", "pose age ms", "error deg", "slack");
    printf("%s%-8s %-7s %-9s %-6s %-4s | %6s %5s %6s | %7s %7s | %7s %7s | %7s\n", ep, "pacing", "predict",
           "mode", "motion", "pred", "frames", "miss", "miss%", "p50", "p99", "p50", "p99", "p50 ms");
    for (int pa = 0; pa < 2; pa++)
        for (int pr = 0; pr < 2; pr++)
            for (int mo = 0; mo < motion_count; mo++) {
                const step *steps = quick ? quick_steps : pr == 0 ? full_steps : single_steps;
                int count = quick ? 2 : pr == 0 ? 5 : 3;
                for (int s = 0; s < count; s++)
                    run_config(&b, k_pacings[pa], k_predictions[pr], k_modes[steps[s].mode],
                               k_mode_values[steps[s].mode], k_motions[mo], PLX_PREDICTION_AUTO,
                               steps[s].rep);
            }
    /* Baseline for app-side prediction: a raw runtime's poses used as they are. */
    for (int mo = 0; mo < motion_count; mo++)
        run_config(&b, "fixed", "raw", "jit+latch", PLX_MODE_JIT_LATCH, k_motions[mo], PLX_PREDICTION_OFF, 0);
    long long_frames = 0;
    if (long_runs) {
        long saved = o->frames;
        long_frames = o->frames = 10000;
        /* A B B A too: the 10,000-frame verdicts weigh their A/A spread like the others. */
        for (int s = 0; s < 4; s++) {
            bool jit = s == 1 || s == 2;
            run_config(&b, "fixed", "predict", jit ? "jit+latch" : "off",
                       jit ? PLX_MODE_JIT_LATCH : PLX_MODE_OFF, "look", PLX_PREDICTION_AUTO, s >= 2);
        }
        o->frames = saved;
    }
    printf("\nColumns: pose age = photon time - when the submitted pose was sampled (the simulated headset's "
           "truth);\nerror = angle between the submitted and the true head pose at photon time; slack = "
           "compositor deadline - GPU done;\nmiss = frames that missed their display refresh. app pred: "
           "auto = libparallax detects a raw runtime and predicts.\n");
    printf(
        "\nVerdicts: PASS = the figures meet the target; PASS (within noise) = they miss it by less than the "
        "noise of these\nruns (misses: the 95%% bound of the excess is within the target; pose age: by less "
        "than the A/A spread, the\ndifference between two runs of one configuration); MISS = by more.\n");
    target_list t[2];
    for (int e = 0; e < epochs; e++) {
        if (epochs == 2)
            printf("\nTargets (90 Hz), XrTime epoch %s:\n",
                   e ? "PARALLAX_SIM_TIME_OFFSET (offset)" : "CLOCK_MONOTONIC's (mono)");
        else
            printf("\nTargets (90 Hz) beside the measured figures:\n");
        print_targets(rows, nrows, b.runs, b.n, e, o->frames, long_frames, k_motions, motion_count, &t[e]);
    }
    if (epochs == 2) {
        int differ = 0;
        printf("\nThe epoch offset against CLOCK_MONOTONIC's epoch, target by target:\n");
        for (int i = 0; i < t[0].n && i < t[1].n; i++) {
            bool same = (t[0].v[i] == BENCH_MISS) == (t[1].v[i] == BENCH_MISS);
            differ += same ? 0 : 1;
            printf("  %-66s %-20s %-20s %s\n", t[0].what[i], bench_verdict_name(t[0].v[i]),
                   bench_verdict_name(t[1].v[i]), same ? "same" : "DIFFERENT");
        }
        printf("  met: %d of %d without the offset, %d of %d with it; verdicts %s\n", t[0].met, t[0].n,
               t[1].met, t[1].n, differ ? "DIFFER" : "the same on every target");
        print_epoch_pairs(b.runs, b.n);
    }
    remove(report);
    bool ok = b.failures == 0;
    if (b.failures) fprintf(stderr, "parallax-latency: %d run(s) failed\n", b.failures);
    if (json_path && !write_json(json_path, rows, nrows, b.runs, b.n, o->epoch_offset)) ok = false;
    free(b.runs);
    return ok ? 0 : 1;
}

/* The pose age at photon and the pose error of the last 256 frames, from the statistics API (libparallax
 * measures the error after the fact, so it is known for frames whose display time passed ~20 ms ago). */
static void print_pose_figures(plx_context *ctx)
{
    const double pct[2] = {50, 99};
    double age[2] = {-1, -1}, err[2] = {-1, -1};
    if (plx_stats_percentiles(ctx, PLX_STAT_PHOTON_AGE_MS, 0, pct, 2, age) != PLX_SUCCESS ||
        plx_stats_percentiles(ctx, PLX_STAT_POSE_ERROR_DEG, 0, pct, 2, err) != PLX_SUCCESS) {
        fprintf(stderr, "parallax-latency: statistics: %s\n", plx_last_error(ctx));
        return;
    }
    char age_text[96], err_text[96];
    if (age[0] < 0) /* safe mode: the latch cannot be put on the runtime's clock */
        snprintf(age_text, sizeof age_text, "unknown (the runtime offers no XrTime conversion)");
    else
        snprintf(age_text, sizeof age_text, "p50 %.2f ms p99 %.2f ms", age[0], age[1]);
    if (err[0] < 0)
        snprintf(err_text, sizeof err_text, "not known yet");
    else
        snprintf(err_text, sizeof err_text, "p50 %.3f deg p99 %.3f deg", err[0], err[1]);
    printf("pose age at photon %s  pose error %s\n", age_text, err_text);
}

/* ---------------------------------------------------------------- main */

static bool parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < min || v > max) return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    long frames = -1, gpu_load = 0, eye = 256;
    double cpu_load = 0.0;
    bool bench_mode = false, quick = false, long_runs = false, hud = true;
    const char *json_path = NULL, *epoch_offset = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (!strcmp(a, "--no-hud")) {
            hud = false;
        } else if (!strcmp(a, "--bench")) {
            bench_mode = true;
        } else if (!strcmp(a, "--quick")) {
            quick = true;
        } else if (!strcmp(a, "--long")) {
            long_runs = true;
        } else if (!strcmp(a, "--epochs") && has) {
            epoch_offset = argv[++i];
            char *end;
            errno = 0;
            double sec = strtod(epoch_offset, &end);
            if (strcmp(epoch_offset, "start") &&
                (end == epoch_offset || *end || errno || !isfinite(sec) || fabs(sec) > 1e9)) {
                fprintf(stderr,
                        "parallax-latency: --epochs '%s': expected start or seconds between -1e9 and 1e9 "
                        "(PARALLAX_SIM_TIME_OFFSET's values)\n",
                        epoch_offset);
                return 2;
            }
        } else if (!strcmp(a, "--json") && has) {
            json_path = argv[++i];
        } else if (!strcmp(a, "--frames") && has && parse_long(argv[i + 1], 1, 100000000, &frames)) {
            i++;
        } else if (!strcmp(a, "--gpu-load") && has && parse_long(argv[i + 1], 0, 1000, &gpu_load)) {
            i++;
        } else if (!strcmp(a, "--eye-size") && has && parse_long(argv[i + 1], 16, 4096, &eye)) {
            i++;
        } else if (!strcmp(a, "--cpu-load") && has) {
            char *end;
            errno = 0;
            cpu_load = strtod(argv[++i], &end);
            if (end == argv[i] || *end || errno || !(cpu_load >= 0.0 && cpu_load <= 1000.0)) {
                fprintf(stderr, "parallax-latency: --cpu-load '%s': expected milliseconds, 0 to 1000\n",
                        argv[i]);
                return 2;
            }
        } else {
            fprintf(stderr, "parallax-latency: unknown or incomplete argument '%s'\n", a);
            fputs(usage_text, stderr);
            return 2;
        }
    }
    if (bench_mode) {
        bench_opts o = {.frames = frames > 0 ? frames : 1000,
                        .eye = (uint32_t)eye,
                        .gpu_load = (int)gpu_load,
                        .cpu_load_ms = cpu_load,
                        .epoch_offset = epoch_offset};
        return bench(&o, quick, long_runs, json_path);
    }
    app a;
    if (app_start(&a, &(plx_context_desc){.app_name = "parallax-latency", .hud = hud}, (int)gpu_load,
                  cpu_load) != 0)
        return 1;
    a.hud_frame_value = true;
    int status = run_frames(&a, frames > 0 ? frames : LONG_MAX, "parallax-latency");
    plx_latency_info li;
    plx_summary s;
    if (status == 0 && plx_stats_summary(a.ctx, &s) == PLX_SUCCESS &&
        plx_get_latency_info(a.ctx, &li) == PLX_SUCCESS)
        printf("frames %llu  cpu p50 %.2f ms  gpu p50 %.2f ms  pacing: slept %llu frames, margin %.2f ms, "
               "misses seen %llu, runtime %s  prediction: %s\n",
               (unsigned long long)s.frames, s.cpu_p50_ms, s.gpu_p50_ms,
               (unsigned long long)li.pacing_frames_slept, li.pacing_margin_ms,
               (unsigned long long)li.pacing_misses, li.runtime_paces_adaptively ? "adaptive" : "fixed",
               !li.runtime_predicts_known ? "runtime not judged"
               : li.runtime_predicts      ? "runtime predicts"
               : li.predicting            ? "runtime raw, app predicts"
                                          : "runtime raw, app does not predict");
    if (status == 0 && plx_get_latency_info(a.ctx, &li) == PLX_SUCCESS) {
        if (li.xr_time_converted)
            printf("XrTime = CLOCK_MONOTONIC %+.6f s (XR_KHR_convert_timespec_time, error <= %.3f us, one "
                   "conversion %.2f us)\n",
                   li.xr_time_offset_s, li.xr_time_error_us, li.xr_time_convert_us);
        else
            printf("XrTime: not related to CLOCK_MONOTONIC (the runtime offers no "
                   "XR_KHR_convert_timespec_time): "
                   "safe mode\n");
    }
    if (status == 0) print_pose_figures(a.ctx);
    app_stop(&a);
    return status;
}
