/* SPDX-License-Identifier: MIT */
/* Layer 4, telemetry: per-frame statistics in a fixed ring: no allocation per frame. GPU times and pose
 * errors arrive late, so records are patched in place (plx_stats_record) when the frame loop learns them.
 * Also the missed-frame detection and the percentiles and summary over the ring. May call base/ only. */
#include <stdlib.h>
#include <string.h>

#include "telemetry/plx_telemetry.h"

void plx_stats_set_xr_time(plx_stats *s, bool xr_time)
{
    s->xr_time = xr_time;
}

void plx_stats_commit(plx_stats *s, const plx_frame_stats *st)
{
    s->ring[s->frames_ended % PLX_STATS_RING] = *st;
    s->frames_ended++;
}

uint64_t plx_stats_frames_ended(const plx_stats *s)
{
    return s->frames_ended;
}

uint64_t plx_stats_frames_missed(const plx_stats *s)
{
    return s->frames_missed;
}

plx_frame_stats *plx_stats_record(plx_stats *s, uint64_t pos, uint64_t frame_index)
{
    /* Older than the ring (or never committed because xrEndFrame failed): nothing to patch. */
    if (pos >= s->frames_ended || s->frames_ended - pos > PLX_STATS_RING) return NULL;
    plx_frame_stats *st = &s->ring[pos % PLX_STATS_RING];
    return st->index == frame_index ? st : NULL;
}

const plx_frame_stats *plx_stats_newest(const plx_stats *s, uint32_t k)
{
    return &s->ring[(s->frames_ended - 1 - k) % PLX_STATS_RING];
}

const plx_frame_stats *plx_stats_frame_waited(plx_stats *s, const plx_frame_stats *cur)
{
    const plx_frame_stats *marked = NULL;
    if (s->have_prev && cur->index == s->prev_index + 1 && cur->predicted_display_period > 0) {
        int64_t gap = cur->predicted_display_time - s->prev_display_time;
        /* One period apart is the steady state; a gap of two or more means the refreshes between got no
         * new frame (the runtime moved this frame's target on because the previous one came back late). */
        if (gap * 2 > cur->predicted_display_period * 3) {
            uint32_t skipped =
                (uint32_t)((gap + cur->predicted_display_period / 2) / cur->predicted_display_period) - 1;
            s->frames_missed++;
            /* The previous frame is normally the newest record; after a failed plx_frame_end it is not
             * there, and the miss is counted without a record to mark. */
            if (s->frames_ended > 0) {
                plx_frame_stats *prev = &s->ring[(s->frames_ended - 1) % PLX_STATS_RING];
                if (prev->index == s->prev_index) {
                    prev->missed = true;
                    prev->skipped_displays = skipped;
                    marked = prev;
                }
            }
        }
    }
    s->have_prev = true;
    s->prev_index = cur->index;
    s->prev_display_time = cur->predicted_display_time;
    return marked;
}

uint32_t plx_stats_copy(const plx_stats *s, plx_frame_stats *out, uint32_t max)
{
    uint64_t have = s->frames_ended < PLX_STATS_RING ? s->frames_ended : PLX_STATS_RING;
    uint32_t n = have < max ? (uint32_t)have : max;
    for (uint32_t i = 0; i < n; i++) {
        out[i] = s->ring[(s->frames_ended - n + i) % PLX_STATS_RING];
        if (!s->xr_time) {
            /* Safe mode: the frame loop's times are CLOCK_MONOTONIC, which the runtime's XrTime cannot be
             * related to; the public fields are XrTime or 0 (unknown). Durations stay (cpu_ms, ...). */
            plx_frame_stats *o = &out[i];
            o->wait_call = o->wait_return = o->wake = o->begin = o->record_end = 0;
            o->latch = o->submit = o->end = o->gpu_start = o->gpu_end = 0;
        }
    }
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
static double percentile(const double *sorted, uint32_t n, double p)
{
    if (n == 0) return -1.0;
    uint32_t rank = (uint32_t)(p / 100.0 * n + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

/* The metric of one record, or false when the frame does not have it. */
static bool metric_of(const plx_stats *s, const plx_frame_stats *st, plx_stat_metric metric, double *out)
{
    switch (metric) {
    case PLX_STAT_CPU_MS:
        *out = st->cpu_ms;
        return true;
    case PLX_STAT_GPU_MS:
        *out = st->gpu_ms;
        return st->gpu_ms >= 0;
    case PLX_STAT_TOTAL_MS:
        if (!st->rendered) {
            *out = st->cpu_ms; /* nothing went to the GPU */
            return true;
        }
        *out = (double)(st->gpu_end - st->wake) * 1e-6;
        return st->gpu_end > 0;
    case PLX_STAT_WAIT_MS:
        *out = (double)(st->wake - st->wait_call) * 1e-6;
        return st->wait_call > 0;
    case PLX_STAT_POSE_AGE_MS:
        *out = st->pose_age_ms;
        return st->rendered;
    case PLX_STAT_POSE_ERROR_DEG:
        *out = st->pose_error_deg;
        return st->pose_error_deg >= 0;
    case PLX_STAT_PHOTON_AGE_MS:
        *out = st->photon_age_ms;
        return st->rendered && s->xr_time; /* safe mode: unknown */
    case PLX_STAT_POSE_ERROR_MM:
        *out = st->pose_error_mm;
        return st->pose_error_mm >= 0;
    }
    return false;
}

void plx_stats_metric_values(const plx_stats *s, plx_stat_metric metric, uint32_t window, double *out,
                             uint32_t *out_n)
{
    uint32_t have = s->frames_ended < PLX_STATS_RING ? (uint32_t)s->frames_ended : PLX_STATS_RING;
    if (window == 0 || window > have) window = have;
    uint32_t n = 0;
    for (uint32_t i = 0; i < window; i++) {
        const plx_frame_stats *st = &s->ring[(s->frames_ended - window + i) % PLX_STATS_RING];
        if (metric_of(s, st, metric, &out[n])) n++;
    }
    *out_n = n;
}

void plx_stats_percentiles_of(const plx_stats *s, plx_stat_metric metric, uint32_t window,
                              const double *percents, uint32_t count, double *out_values)
{
    double values[PLX_STATS_RING];
    uint32_t n = 0;
    plx_stats_metric_values(s, metric, window, values, &n);
    qsort(values, n, sizeof values[0], cmp_double);
    for (uint32_t i = 0; i < count; i++) out_values[i] = percentile(values, n, percents[i]);
}

void plx_stats_summarize(const plx_stats *s, plx_summary *out)
{
    double cpu[PLX_STATS_RING], gpu[PLX_STATS_RING], total[PLX_STATS_RING];
    uint32_t n = s->frames_ended < PLX_STATS_RING ? (uint32_t)s->frames_ended : PLX_STATS_RING;
    uint32_t ng = 0, nr = 0, nt = 0;
    double cpu_sum = 0, gpu_sum = 0, age_sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        const plx_frame_stats *st = &s->ring[(s->frames_ended - n + i) % PLX_STATS_RING];
        cpu[i] = st->cpu_ms;
        cpu_sum += st->cpu_ms;
        if (st->gpu_ms >= 0) {
            gpu[ng++] = st->gpu_ms;
            gpu_sum += st->gpu_ms;
        }
        if (st->rendered) {
            age_sum += st->pose_age_ms;
            nr++;
        }
        if (metric_of(s, st, PLX_STAT_TOTAL_MS, &total[nt])) nt++;
    }
    qsort(cpu, n, sizeof cpu[0], cmp_double);
    qsort(gpu, ng, sizeof gpu[0], cmp_double);
    qsort(total, nt, sizeof total[0], cmp_double);
    *out = (plx_summary){
        .frames = s->frames_ended,
        .frames_window = n,
        .cpu_mean_ms = n ? cpu_sum / n : 0.0,
        .cpu_p50_ms = n ? percentile(cpu, n, 50) : 0.0,
        .cpu_p99_ms = n ? percentile(cpu, n, 99) : 0.0,
        .gpu_mean_ms = ng ? gpu_sum / ng : -1.0,
        .gpu_p50_ms = percentile(gpu, ng, 50),
        .gpu_p99_ms = percentile(gpu, ng, 99),
        .pose_age_mean_ms = nr ? age_sum / nr : 0.0,
        .frames_missed = s->frames_missed,
        .total_p50_ms = percentile(total, nt, 50),
        .total_p99_ms = percentile(total, nt, 99),
    };
}
