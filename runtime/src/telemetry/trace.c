/* SPDX-License-Identifier: MIT */
/* Layer 4, telemetry: PARALLAX_TRACE: Chrome trace-event JSON (the "JSON object" format Perfetto and
 * chrome://tracing open).
 *
 * One process, three tracks: "CPU" (the frame loop's steps as nested slices under one "frame N" slice),
 * "GPU" (the frame's commands, from timestamp queries), and "Display" (instant markers at each frame's
 * predicted display time, and "missed" at each refresh that got no new frame). Every "ts" is XrTime in us:
 * the frame loop's timestamps are put on the runtime's clock (base/plx_time.h). In safe mode (no XrTime
 * conversion) they are CLOCK_MONOTONIC, the Display track stays empty and a "clock" metadata event says so
 * ("otherData.clock", written before the runtime is known, says XrTime).
 *
 * Memory is bounded: events go to a fixed buffer that is written out when nearly full and about once a
 * second. After every write the file ends with the closing brackets, and the next write seeks back over
 * them, so the file is valid JSON whenever the app stops, not only after plx_context_destroy. May call base/
 * only. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "telemetry/plx_telemetry.h"

#define TRACE_BUFFER      (64 * 1024)
#define TRACE_EVENT_MAX   512 /* longest event we format; flush before less than this is left */
#define TRACE_FLUSH_EVERY 90  /* frames: about one second at 90 Hz */
#define PID               1
#define TID_CPU           1
#define TID_GPU           2
#define TID_DISPLAY       3

static const char trailer[] = "\n]}\n";

struct plx_trace {
    const plx_report *report; /* for log lines only */
    FILE *f;
    char *path;
    long trailer_pos; /* where the closing brackets start: the next write goes there */
    bool any_event;   /* an event was written: the next one needs a comma */
    bool failed;      /* a write failed: stop writing (logged once) */
    bool safe_noted;  /* the safe-mode "clock" event was written */
    uint32_t frames_since_flush;
    size_t len;
    char buf[TRACE_BUFFER + sizeof trailer]; /* room for the brackets after a full buffer */
};

/* Microseconds with nanosecond digits, from integer ns (a double would round the last digits away). */
#define US_FMT      "%" PRId64 ".%03d"
#define US_ARGS(ns) (int64_t)((ns) / 1000), (int)((ns) % 1000)
#define MS(ns)      ((double)(ns)*1e-6)

static void append(plx_trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void append(plx_trace *t, const char *fmt, ...)
{
    if (t->failed) return;
    if (TRACE_BUFFER - t->len < TRACE_EVENT_MAX) plx_trace_flush(t);
    if (t->any_event) {
        memcpy(t->buf + t->len, ",\n", 2);
        t->len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, TRACE_BUFFER - t->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= TRACE_BUFFER - t->len) {
        /* Cannot happen with our fixed formats (names are ours); drop the event rather than write half. */
        if (t->any_event) t->len -= 2;
        return;
    }
    t->len += (size_t)n;
    t->any_event = true;
}

void plx_trace_flush(plx_trace *t)
{
    if (!t || t->failed) return;
    /* Events and closing brackets in one unbuffered write, over the previous brackets: a process killed
     * between two flushes leaves a complete JSON file behind. */
    memcpy(t->buf + t->len, trailer, sizeof trailer - 1);
    size_t n = t->len + sizeof trailer - 1;
    bool ok = fseek(t->f, t->trailer_pos, SEEK_SET) == 0 && fwrite(t->buf, 1, n, t->f) == n;
    if (!ok) {
        plx_log(t->report, PLX_LOG_ERROR, "PARALLAX_TRACE: writing %s failed; the trace stops here", t->path);
        t->failed = true;
        return;
    }
    t->trailer_pos += (long)t->len;
    t->len = 0;
    t->frames_since_flush = 0;
}

plx_trace *plx_trace_open(const plx_report *r, const char *path)
{
    plx_trace *t = calloc(1, sizeof *t);
    char *copy = t ? malloc(strlen(path) + 1) : NULL;
    if (!t || !copy) {
        free(t);
        plx_log(r, PLX_LOG_ERROR, "PARALLAX_TRACE: out of memory");
        return NULL;
    }
    strcpy(copy, path);
    t->report = r;
    t->path = copy;
    t->f = fopen(path, "w");
    if (!t->f) {
        plx_log(r, PLX_LOG_ERROR, "PARALLAX_TRACE: cannot create %s", path);
        free(t->path);
        free(t);
        return NULL;
    }
    setvbuf(t->f, NULL, _IONBF, 0); /* our buffer is the only one: one write per flush */
    /* The header is written straight away; events follow in the buffer. */
    /* Written before the instance exists; a safe-mode trace adds a "clock" event (plx_trace_frame). */
    fputs("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"producer\":\"libparallax\",\"clock\":"
          "\"XrTime\"},\"traceEvents\":[\n",
          t->f);
    t->trailer_pos = ftell(t->f);
    append(t,
           "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"ts\":0,"
           "\"args\":{\"name\":\"libparallax\"}}",
           PID, TID_CPU);
    static const struct {
        int tid;
        const char *name;
    } tracks[] = {{TID_CPU, "CPU"}, {TID_GPU, "GPU"}, {TID_DISPLAY, "Display"}};
    for (size_t i = 0; i < sizeof tracks / sizeof tracks[0]; i++) {
        append(t,
               "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"ts\":0,"
               "\"args\":{\"name\":\"%s\"}}",
               PID, tracks[i].tid, tracks[i].name);
        append(t,
               "{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"ts\":0,"
               "\"args\":{\"sort_index\":%d}}",
               PID, tracks[i].tid, tracks[i].tid);
    }
    plx_trace_flush(t);
    if (t->failed) plx_trace_close(&t);
    return t;
}

/* A complete ("X") slice on the CPU track; skipped when either end is unknown. */
static void slice(plx_trace *t, const char *name, uint64_t index, int64_t from, int64_t to)
{
    if (from <= 0 || to < from) return;
    append(t,
           "{\"name\":\"%s\",\"cat\":\"cpu\",\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"ts\":" US_FMT
           ",\"dur\":" US_FMT ",\"args\":{\"frame\":%" PRIu64 "}}",
           name, PID, TID_CPU, US_ARGS(from), US_ARGS(to - from), index);
}

void plx_trace_frame(plx_trace *t, const plx_frame_stats *st, bool xr_time)
{
    if (!t) return;
    /* A frame's events go out together, so a trace cut short by a crash never ends inside a frame. */
    if (TRACE_BUFFER - t->len < 9 * TRACE_EVENT_MAX) plx_trace_flush(t);
    if (!xr_time && !t->safe_noted) {
        t->safe_noted = true;
        append(
            t,
            "{\"name\":\"clock\",\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"ts\":0,\"args\":{\"clock\":"
            "\"CLOCK_MONOTONIC: the runtime offers no XR_KHR_convert_timespec_time; no display markers\"}}",
            PID, TID_DISPLAY);
    }
    int64_t start = st->wait_call > 0 ? st->wait_call : st->wait_return;
    append(t,
           "{\"name\":\"frame %" PRIu64
           "\",\"cat\":\"frame\",\"ph\":\"X\",\"pid\":%d,\"tid\":%d,\"ts\":" US_FMT ",\"dur\":" US_FMT
           ",\"args\":{\"frame\":%" PRIu64 ",\"rendered\":%s,\"cpu_ms\":%.3f,"
           "\"pose_age_ms\":%.3f,\"predicted_display_us\":" US_FMT ",\"period_ms\":%.3f}}",
           st->index, PID, TID_CPU, US_ARGS(start), US_ARGS(st->end - start), st->index,
           st->rendered ? "true" : "false", st->cpu_ms, st->pose_age_ms, US_ARGS(st->predicted_display_time),
           MS(st->predicted_display_period));
    /* Waiting ahead (pacing.c), the frame's xrWaitFrame returned on the waiter thread before this
     * plx_frame_wait was called, and xrBeginFrame came before the pacing sleep. */
    int64_t waited = st->wait_return > st->wait_call ? st->wait_return : st->wait_call;
    slice(t, "xrWaitFrame", st->index, st->wait_call, waited);
    if (st->begin > 0 && st->begin < st->wake) {
        slice(t, "xrBeginFrame", st->index, waited, st->begin);
        slice(t, "pacing sleep", st->index, st->begin, st->wake);
    } else {
        if (st->wake > waited) slice(t, "pacing sleep", st->index, waited, st->wake);
        slice(t, "xrBeginFrame", st->index, st->wake, st->begin);
    }
    if (st->rendered) {
        slice(t, "acquire + record", st->index, st->begin, st->record_end);
        slice(t, "late latch + submit", st->index, st->record_end, st->submit);
        slice(t, "xrEndFrame", st->index, st->submit, st->end);
        if (st->latch > 0)
            append(t,
                   "{\"name\":\"latch\",\"cat\":\"cpu\",\"ph\":\"i\",\"s\":\"t\",\"pid\":%d,\"tid\":%d,"
                   "\"ts\":" US_FMT ",\"args\":{\"frame\":%" PRIu64 "}}",
                   PID, TID_CPU, US_ARGS(st->latch), st->index);
    } else {
        slice(t, "xrEndFrame (skipped)", st->index, st->begin, st->end);
    }
    if (xr_time)
        append(t,
               "{\"name\":\"predicted display\",\"cat\":\"display\",\"ph\":\"i\",\"s\":\"t\",\"pid\":%d,"
               "\"tid\":%d,\"ts\":" US_FMT ",\"args\":{\"frame\":%" PRIu64 "}}",
               PID, TID_DISPLAY, US_ARGS(st->predicted_display_time), st->index);
    if (++t->frames_since_flush >= TRACE_FLUSH_EVERY) plx_trace_flush(t);
}

void plx_trace_gpu(plx_trace *t, const plx_frame_stats *st)
{
    if (!t || st->gpu_start <= 0 || st->gpu_end < st->gpu_start) return;
    append(t,
           "{\"name\":\"GPU frame %" PRIu64 "\",\"cat\":\"gpu\",\"ph\":\"X\",\"pid\":%d,\"tid\":%d,"
           "\"ts\":" US_FMT ",\"dur\":" US_FMT ",\"args\":{\"frame\":%" PRIu64 ",\"gpu_ms\":%.3f}}",
           st->index, PID, TID_GPU, US_ARGS(st->gpu_start), US_ARGS(st->gpu_end - st->gpu_start), st->index,
           st->gpu_ms);
}

void plx_trace_missed(plx_trace *t, const plx_frame_stats *st, bool xr_time)
{
    if (!t || !xr_time) return;
    for (uint32_t k = 1; k <= st->skipped_displays && k <= 16; k++) {
        int64_t at = st->predicted_display_time + (int64_t)k * st->predicted_display_period;
        append(t,
               "{\"name\":\"missed\",\"cat\":\"display\",\"ph\":\"i\",\"s\":\"t\",\"pid\":%d,\"tid\":%d,"
               "\"ts\":" US_FMT ",\"args\":{\"after_frame\":%" PRIu64 ",\"skipped\":%u}}",
               PID, TID_DISPLAY, US_ARGS(at), st->index, st->skipped_displays);
    }
}

void plx_trace_close(plx_trace **pt)
{
    if (!pt || !*pt) return;
    plx_trace *t = *pt;
    *pt = NULL;
    plx_trace_flush(t);
    if (fclose(t->f) != 0 && !t->failed)
        plx_log(t->report, PLX_LOG_ERROR, "PARALLAX_TRACE: closing %s failed", t->path);
    free(t->path);
    free(t);
}
