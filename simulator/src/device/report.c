/* SPDX-License-Identifier: MIT */
/* Per-frame CSV (PARALLAX_SIM_FRAMES) and the summary JSON (PARALLAX_SIM_REPORT) of the simulated headset.
 * Rows are streamed as frames settle, and percentiles come from a bounded reservoir per metric, so memory
 * stays flat in long runs. The JSON is written to a temporary file and renamed into place, so a reader
 * never sees half a report.
 * Layer: device (the lower part); calls only base/. The compositor feeds it. */
#include "device/sim_report.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_log.h"

/* Exact percentiles up to this many frames per metric (10 minutes at 90 Hz), a uniform sample beyond. */
#define SIM_RESERVOIR 65536
/* The same for each layer's figures (45 s at 90 Hz exact): up to SIM_MAX_LAYERS of them. */
#define SIM_LAYER_RESERVOIR 4096

typedef struct metric {
    double *v;
    uint32_t cap;  /* reservoir size */
    uint32_t n;    /* values held */
    uint64_t seen; /* values offered */
    double max, sum;
} metric;

enum { M_ERROR_DEG, M_ERROR_MM, M_POSE_AGE, M_SLACK, M_COST, M_COMPOSITE, M_COUNT };
static const char *const k_metric_names[M_COUNT] = {"error_deg", "error_mm",      "pose_age_ms",
                                                    "slack_ms",  "frame_cost_ms", "composite_ms"};
/* Per layer: the projection layers' pose figures. */
enum { L_ERROR_DEG, L_ERROR_MM, L_POSE_AGE, L_COUNT };

static const char *const k_layer_type_names[] = {
    [SIM_LAYER_PROJECTION] = "projection",
    [SIM_LAYER_QUAD] = "quad",
    [SIM_LAYER_CYLINDER] = "cylinder",
    [SIM_LAYER_EQUIRECT2] = "equirect2",
};
#define SIM_LAYER_TYPES 4

/* What the report learned about the layer at one index of the frames' layer lists. */
typedef struct layer_stats {
    int64_t frames;                   /* settled frames with a layer at this index */
    int64_t by_type[SIM_LAYER_TYPES]; /* of those, per type */
    int64_t headline;                 /* frames whose headline figures are this layer's */
    int64_t implausible;              /* frames whose projection layer here had poses no eye can have */
    const char *reason;               /* why, the first time (a static string) */
    int64_t warned_frame;             /* the frame the warning was logged for */
    metric m[L_COUNT];
} layer_stats;

/* One settled frame, as the performance metrics see it. */
typedef struct recent_frame {
    bool missed;
    double cpu_ms, gpu_ms, latency_ms; /* NAN when unknown */
} recent_frame;

struct sim_report {
    const sim_config *cfg;
    recent_frame recent[SIM_METRICS_FRAMES]; /* the newest settled frames, a ring */
    uint32_t recent_next, recent_count;
    XrDuration period;
    FILE *csv;
    int64_t submitted, displayed, missed, dropped;
    int64_t refreshes, repeats; /* display refreshes, and those that showed no new frame */
    uint64_t rng;               /* reservoir sampling, deterministic */
    metric m[M_COUNT];
    int64_t no_headline;  /* displayed frames without a headline layer (no plausible projection layer) */
    uint32_t layer_slots; /* highest layer index seen + 1 */
    layer_stats layers[SIM_MAX_LAYERS];
    bool has_protocol;
    sim_protocol_facts protocol;
    sim_haptic_facts haptics[2];
};

sim_report *sim_report_create(const sim_config *cfg, XrDuration period)
{
    sim_report *r = calloc(1, sizeof(*r));
    if (!r) return NULL;
    r->cfg = cfg;
    r->period = period;
    r->rng = 0x9E3779B97F4A7C15ull ^ cfg->seed;
    for (int i = 0; i < M_COUNT; i++) r->m[i] = (metric){.cap = SIM_RESERVOIR, .max = -INFINITY};
    for (int i = 0; i < SIM_MAX_LAYERS; i++)
        for (int k = 0; k < L_COUNT; k++)
            r->layers[i].m[k] = (metric){.cap = SIM_LAYER_RESERVOIR, .max = -INFINITY};
    if (cfg->frames_path[0]) {
        r->csv = fopen(cfg->frames_path, "w");
        if (!r->csv) {
            sim_log(SIM_LOG_ERROR, "PARALLAX_SIM_FRAMES: cannot open %s: %s", cfg->frames_path,
                    strerror(errno));
        } else {
            fputs(
                "frame_id,predicted_display_ns,photon_ns,pose_sample_ns,pose_locate_ns,wait_return_ns,begin_"
                "ns,"
                "end_ns,gpu_done_ns,target_vsync,shown_vsync,error_deg,error_mm,pose_age_ms,slack_ms,missed,"
                "dropped,headline_layer,layer_types,layer_error_deg,layer_error_mm,layer_age_ms\n",
                r->csv);
        }
    }
    return r;
}

static uint64_t next_rand(sim_report *r)
{
    /* xorshift64*: enough for reservoir slots. */
    r->rng ^= r->rng >> 12;
    r->rng ^= r->rng << 25;
    r->rng ^= r->rng >> 27;
    return r->rng * 2685821657736338717ull;
}

static void metric_add(sim_report *r, metric *m, double x)
{
    if (!isfinite(x)) return;
    m->seen++;
    m->sum += x;
    if (x > m->max) m->max = x;
    if (m->n < m->cap) {
        if (!m->v) {
            m->v = malloc(m->cap * sizeof(*m->v));
            if (!m->v) return;
            /* Touch the whole (bounded) reservoir now: the footprint is then fixed from the first frame, and
             * a soak run's RSS growth shows leaks rather than pages filled over the first 12 minutes. Not a
             * zero fill: the compiler turns malloc + memset 0 into calloc, whose pages stay untouched. */
            memset(m->v, 0xff, m->cap * sizeof(*m->v));
        }
        m->v[m->n++] = x;
        return;
    }
    uint64_t j = next_rand(r) % m->seen;
    if (j < m->cap) m->v[j] = x;
}

/* Each layer's figures, and the warning (once per layer index and reason) about a projection layer whose
 * poses cannot be eye poses. */
static void add_layers(sim_report *r, const sim_frame *f)
{
    if (!f->dropped && f->headline_layer < 0) r->no_headline++;
    for (uint32_t i = 0; i < f->layer_count && i < SIM_MAX_LAYERS; i++) {
        const sim_layer *l = &f->layers[i];
        layer_stats *ls = &r->layers[i];
        if (i + 1 > r->layer_slots) r->layer_slots = i + 1;
        ls->frames++;
        if ((unsigned)l->type < SIM_LAYER_TYPES) ls->by_type[l->type]++;
        if ((int32_t)i == f->headline_layer) ls->headline++;
        if (l->type != SIM_LAYER_PROJECTION) continue;
        const sim_pose_measure *m = &l->projection.measure;
        metric_add(r, &ls->m[L_ERROR_DEG], m->error_deg);
        metric_add(r, &ls->m[L_ERROR_MM], m->error_mm);
        metric_add(r, &ls->m[L_POSE_AGE], m->age_ms);
        const char *why = l->projection.implausible;
        if (!why) continue;
        ls->implausible++;
        if (ls->reason == why) continue;
        ls->reason = why;
        ls->warned_frame = f->frame_id;
        sim_log(SIM_LOG_WARN,
                "frame %lld: layers[%u] (projection): %s: its poses cannot be an eye's, so its pose error "
                "(%.1f deg here) is reported for that layer only and left out of the headline figures",
                (long long)f->frame_id, i, why, m->error_deg);
    }
}

/* The per-layer CSV columns: headline_layer, then lists with one entry per layer, separated by ';'. */
static void write_layer_columns(FILE *csv, const sim_frame *f)
{
    uint32_t n = f->layer_count < SIM_MAX_LAYERS ? f->layer_count : SIM_MAX_LAYERS;
    fprintf(csv, "%d,", (int)f->headline_layer);
    for (uint32_t i = 0; i < n; i++)
        fprintf(csv, "%s%s", i ? ";" : "",
                (unsigned)f->layers[i].type < SIM_LAYER_TYPES ? k_layer_type_names[f->layers[i].type] : "?");
    for (int k = 0; k < L_COUNT; k++) {
        fputc(',', csv);
        for (uint32_t i = 0; i < n; i++) {
            if (i) fputc(';', csv);
            const sim_layer *l = &f->layers[i];
            if (l->type != SIM_LAYER_PROJECTION) continue;
            const sim_pose_measure *m = &l->projection.measure;
            fprintf(csv, "%.4f", k == L_ERROR_DEG ? m->error_deg : k == L_ERROR_MM ? m->error_mm : m->age_ms);
        }
    }
    fputc('\n', csv);
}

void sim_report_note_composite(sim_report *r, double ms)
{
    if (!r) return;
    metric_add(r, &r->m[M_COMPOSITE], ms);
}

void sim_report_add(sim_report *r, const sim_frame *f)
{
    if (!r) return;
    r->submitted++;
    if (!f->dropped) r->displayed++;
    if (f->missed) r->missed++;
    if (f->dropped) r->dropped++;
    const sim_pose_measure *h = &f->headline;
    metric_add(r, &r->m[M_ERROR_DEG], h->error_deg);
    metric_add(r, &r->m[M_ERROR_MM], h->error_mm);
    metric_add(r, &r->m[M_POSE_AGE], h->age_ms);
    metric_add(r, &r->m[M_SLACK], f->slack_ms);
    /* xrBeginFrame -> GPU done: what adaptive pacing budgets for. */
    if (f->gpu_done_time > 0 && f->begin_time > 0)
        metric_add(r, &r->m[M_COST], (double)(f->gpu_done_time - f->begin_time) / 1e6);
    add_layers(r, f);
    /* The performance metrics' window (sim_report_metrics). */
    recent_frame *rf = &r->recent[r->recent_next];
    r->recent_next = (r->recent_next + 1) % SIM_METRICS_FRAMES;
    if (r->recent_count < SIM_METRICS_FRAMES) r->recent_count++;
    rf->missed = f->missed;
    rf->cpu_ms =
        f->wait_return_time > 0 && f->end_time > 0 ? (double)(f->end_time - f->wait_return_time) / 1e6 : NAN;
    rf->gpu_ms = f->gpu_done_time > 0 && f->end_time > 0
                     ? (double)(f->gpu_done_time > f->end_time ? f->gpu_done_time - f->end_time : 0) / 1e6
                     : NAN;
    rf->latency_ms = !f->dropped ? h->age_ms : NAN;
    if (r->csv) {
        fprintf(r->csv, "%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%.6f,%.4f,%.4f,%.4f,%d,%d,",
                (long long)f->frame_id, (long long)f->predicted_display_time, (long long)f->photon_time,
                (long long)h->sample_time, (long long)h->locate_time, (long long)f->wait_return_time,
                (long long)f->begin_time, (long long)f->end_time, (long long)f->gpu_done_time,
                (long long)f->target_vsync, (long long)f->shown_vsync, h->error_deg, h->error_mm, h->age_ms,
                f->slack_ms, f->missed ? 1 : 0, f->dropped ? 1 : 0);
        write_layer_columns(r->csv, f);
    }
}

void sim_report_set_protocol(sim_report *r, const sim_protocol_facts *facts)
{
    if (!r || !facts) return;
    r->protocol = *facts;
    r->has_protocol = true;
}

static void mean_add(double x, double *sum, uint32_t *n)
{
    if (!isfinite(x)) return;
    *sum += x;
    (*n)++;
}

sim_report_metrics sim_report_get_metrics(const sim_report *r)
{
    sim_report_metrics m = {.cpu_ms = NAN, .gpu_ms = NAN, .latency_ms = NAN};
    if (!r) return m;
    double cpu = 0, gpu = 0, lat = 0;
    uint32_t ncpu = 0, ngpu = 0, nlat = 0;
    for (uint32_t i = 0; i < r->recent_count; i++) {
        const recent_frame *f = &r->recent[i];
        mean_add(f->cpu_ms, &cpu, &ncpu);
        mean_add(f->gpu_ms, &gpu, &ngpu);
        mean_add(f->latency_ms, &lat, &nlat);
        if (f->missed) m.missed++;
    }
    m.frames = r->recent_count;
    if (ncpu) m.cpu_ms = cpu / ncpu;
    if (ngpu) m.gpu_ms = gpu / ngpu;
    if (nlat) m.latency_ms = lat / nlat;
    return m;
}

void sim_report_note_refresh(sim_report *r, bool new_frame)
{
    if (!r) return;
    r->refreshes++;
    if (!new_frame) r->repeats++;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Linear interpolation between closest ranks. */
static double percentile(const double *sorted, uint32_t n, double p)
{
    if (n == 0) return NAN;
    double pos = p * (double)(n - 1);
    uint32_t i = (uint32_t)pos;
    if (i + 1 >= n) return sorted[n - 1];
    double f = pos - (double)i;
    return sorted[i] + f * (sorted[i + 1] - sorted[i]);
}

static json_object *metric_json(metric *m)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "count", json_object_new_int64((int64_t)m->seen));
    if (m->n == 0 || !m->v) {
        /* No measurement (e.g. no frame displayed): null, not a made-up zero. */
        json_object_object_add(o, "p50", NULL);
        json_object_object_add(o, "p95", NULL);
        json_object_object_add(o, "p99", NULL);
        json_object_object_add(o, "max", NULL);
        json_object_object_add(o, "mean", NULL);
        return o;
    }
    qsort(m->v, m->n, sizeof(*m->v), cmp_double);
    json_object_object_add(o, "p50", json_object_new_double(percentile(m->v, m->n, 0.50)));
    json_object_object_add(o, "p95", json_object_new_double(percentile(m->v, m->n, 0.95)));
    json_object_object_add(o, "p99", json_object_new_double(percentile(m->v, m->n, 0.99)));
    json_object_object_add(o, "max", json_object_new_double(m->max));
    json_object_object_add(o, "mean", json_object_new_double(m->sum / (double)m->seen));
    return o;
}

/* "layers": what each index of the layer lists held and, for projection layers, their pose figures;
 * "frames_without_headline"; "warnings": one line per projection layer left out of the headline. */
static void add_layers_json(sim_report *r, json_object *o)
{
    static const char *const k_layer_metric_names[L_COUNT] = {"error_deg", "error_mm", "pose_age_ms"};
    json_object *layers = json_object_new_array();
    json_object *warnings = json_object_new_array();
    for (uint32_t i = 0; i < r->layer_slots; i++) {
        layer_stats *ls = &r->layers[i];
        json_object *lo = json_object_new_object();
        int most = 0;
        for (int t = 1; t < SIM_LAYER_TYPES; t++)
            if (ls->by_type[t] > ls->by_type[most]) most = t;
        json_object_object_add(lo, "index", json_object_new_int64(i));
        json_object_object_add(lo, "type", json_object_new_string(k_layer_type_names[most]));
        json_object_object_add(lo, "frames", json_object_new_int64(ls->frames));
        json_object_object_add(lo, "headline_frames", json_object_new_int64(ls->headline));
        if (ls->by_type[SIM_LAYER_PROJECTION] > 0) {
            json_object_object_add(lo, "implausible_frames", json_object_new_int64(ls->implausible));
            json_object_object_add(lo, "implausible", ls->reason ? json_object_new_string(ls->reason) : NULL);
            for (int k = 0; k < L_COUNT; k++)
                json_object_object_add(lo, k_layer_metric_names[k], metric_json(&ls->m[k]));
        }
        if (ls->reason) {
            json_object *median = json_object_object_get(json_object_object_get(lo, "error_deg"), "p50");
            char line[512];
            snprintf(
                line, sizeof(line),
                "layers[%u] (projection): %s (first in frame %lld, %lld of %lld frames): its poses cannot "
                "be an eye's; its pose error (median %.1f deg) is reported under layers[%u] and left out "
                "of the headline figures",
                i, ls->reason, (long long)ls->warned_frame, (long long)ls->implausible, (long long)ls->frames,
                median ? json_object_get_double(median) : NAN, i);
            json_object_array_add(warnings, json_object_new_string(line));
        }
        json_object_array_add(layers, lo);
    }
    json_object_object_add(o, "frames_without_headline", json_object_new_int64(r->no_headline));
    json_object_object_add(o, "layers", layers);
    json_object_object_add(o, "warnings", warnings);
}

void sim_report_set_haptics(sim_report *r, const sim_haptic_facts facts[2])
{
    if (!r || !facts) return;
    r->haptics[0] = facts[0];
    r->haptics[1] = facts[1];
}

void sim_report_write_summary(sim_report *r, const char *app_name, XrTime session_start, XrTime session_end)
{
    if (!r) return;
    if (r->csv && fflush(r->csv) != 0)
        sim_log(SIM_LOG_ERROR, "PARALLAX_SIM_FRAMES: writing %s failed: %s", r->cfg->frames_path,
                strerror(errno));
    const sim_config *cfg = r->cfg;
    if (!cfg->report_path[0]) return;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "app", json_object_new_string(app_name ? app_name : ""));
    json_object_object_add(o, "frames_submitted", json_object_new_int64(r->submitted));
    json_object_object_add(o, "frames_displayed", json_object_new_int64(r->displayed));
    json_object_object_add(o, "frames_missed", json_object_new_int64(r->missed));
    json_object_object_add(o, "frames_dropped", json_object_new_int64(r->dropped));
    json_object_object_add(o, "refreshes", json_object_new_int64(r->refreshes));
    json_object_object_add(o, "refreshes_repeated", json_object_new_int64(r->repeats));
    json_object_object_add(o, "duration_s",
                           json_object_new_double((double)(session_end - session_start) / 1e9));
    json_object_object_add(
        o, "refresh_hz",
        json_object_new_double(cfg->refresh_hz > 0 ? cfg->refresh_hz : 1e9 / (double)r->period));
    json_object_object_add(o, "pacing",
                           json_object_new_string(cfg->pacing == SIM_PACING_ADAPTIVE ? "adaptive" : "fixed"));
    json_object_object_add(o, "prediction",
                           json_object_new_string(cfg->prediction == SIM_PREDICTION_RAW ? "raw" : "predict"));
    json_object_object_add(o, "motion", json_object_new_string(cfg->motion));
    json_object_object_add(o, "display_offset_ms", json_object_new_double(cfg->display_offset_ms));
    json_object_object_add(o, "compositor_lead_ms", json_object_new_double(cfg->compositor_lead_ms));
    json_object_object_add(o, "eye_width", json_object_new_int64(cfg->eye_width));
    json_object_object_add(o, "eye_height", json_object_new_int64(cfg->eye_height));
    for (int i = 0; i < M_COUNT; i++) json_object_object_add(o, k_metric_names[i], metric_json(&r->m[i]));
    add_layers_json(r, o);
    if (r->has_protocol) {
        const sim_protocol_facts *pf = &r->protocol;
        json_object *p = json_object_new_object();
        json_object_object_add(p, "call_order_violations",
                               json_object_new_int64((int64_t)pf->call_order_violations));
        json_object_object_add(p, "max_images_acquired", json_object_new_int64(pf->max_images_acquired));
        json_object_object_add(p, "images_acquired_at_end",
                               json_object_new_int64(pf->images_acquired_at_end));
        json_object_object_add(p, "session_end",
                               json_object_new_string(pf->session_end ? pf->session_end : ""));
        json_object_object_add(o, "protocol", p);
    }
    json_object *haptics = json_object_new_object();
    for (int h = 0; h < 2; h++) {
        const sim_haptic_facts *hf = &r->haptics[h];
        json_object *ho = json_object_new_object();
        json_object_object_add(ho, "pulses", json_object_new_int64(hf->pulses));
        json_object_object_add(ho, "stops", json_object_new_int64(hf->stops));
        json_object_object_add(ho, "peak_amplitude", json_object_new_double(hf->peak_amplitude));
        json_object_object_add(ho, "last_amplitude", json_object_new_double(hf->last_amplitude));
        json_object_object_add(ho, "last_frequency_hz", json_object_new_double(hf->last_frequency_hz));
        json_object_object_add(ho, "last_duration_ms",
                               json_object_new_double((double)hf->last_duration / 1e6));
        json_object_object_add(haptics, h ? "right" : "left", ho);
    }
    json_object_object_add(o, "haptics", haptics);

    char tmp[1100];
    snprintf(tmp, sizeof(tmp), "%s.tmp", cfg->report_path);
    const char *text =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    FILE *f = fopen(tmp, "w");
    bool ok = f != NULL;
    if (ok) ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0) ok = false;
    if (ok && rename(tmp, cfg->report_path) != 0) ok = false;
    if (!ok) {
        sim_log(SIM_LOG_ERROR, "PARALLAX_SIM_REPORT: writing %s failed: %s", cfg->report_path,
                strerror(errno));
        remove(tmp);
    }
    json_object_put(o);
}

void sim_report_destroy(sim_report **pr)
{
    sim_report *r = pr ? *pr : NULL;
    if (!r) return;
    *pr = NULL;
    if (r->csv && fclose(r->csv) != 0)
        sim_log(SIM_LOG_ERROR, "PARALLAX_SIM_FRAMES: closing %s failed: %s", r->cfg->frames_path,
                strerror(errno));
    for (int i = 0; i < M_COUNT; i++) free(r->m[i].v);
    for (int i = 0; i < SIM_MAX_LAYERS; i++)
        for (int k = 0; k < L_COUNT; k++) free(r->layers[i].m[k].v);
    free(r);
}
