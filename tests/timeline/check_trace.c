/* SPDX-License-Identifier: MIT */
/* plx-check-trace: parses a PARALLAX_TRACE file back with json-c and checks its structure and order.
 *
 *   plx-check-trace FILE.json [--min-frames N] [--gpu]
 *
 * Checks: a JSON object with a "traceEvents" array; every event has name, ph, pid, tid and a numeric ts;
 * the CPU, GPU and Display tracks are named by metadata events; the "frame N" slices come in order with
 * consecutive indices and non-decreasing start times, and every step slice of a frame lies inside its frame
 * slice; one "predicted display" marker per frame, after that frame began (its xrWaitFrame was called); with
 * --gpu, GPU slices in frame order, each starting no earlier than its frame's submission began (1 ms slack
 * for the clock calibration) and with a non-negative duration; "missed" markers (if any) name a frame that
 * exists. */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FRAMES 100000

typedef struct frame_info {
    double start, end;   /* "frame N" slice */
    double submit_start; /* start of "late latch + submit", or -1 */
    int predicted;       /* predicted display markers seen */
    int display_early;   /* its predicted display time lies before the frame began */
    int missed;          /* missed markers after it */
    int seen;
} frame_info;

static int fails;

static void fail(const char *fmt, const char *a, long b)
{
    if (fails < 20) {
        fprintf(stderr, "check-trace: FAIL: ");
        fprintf(stderr, fmt, a, b);
        fputc('\n', stderr);
    }
    fails++;
}

static const char *str_of(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

static int num_of(json_object *o, const char *key, double *out)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v)) return 0;
    if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int)) return 0;
    *out = json_object_get_double(v);
    return 1;
}

static long frame_arg(json_object *ev, const char *key)
{
    json_object *args, *v;
    if (!json_object_object_get_ex(ev, "args", &args) || !json_object_object_get_ex(args, key, &v)) return -1;
    return (long)json_object_get_int64(v);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: plx-check-trace FILE.json [--min-frames N] [--gpu]\n");
        return 2;
    }
    long min_frames = 1;
    int want_gpu = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--min-frames") && i + 1 < argc)
            min_frames = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--gpu"))
            want_gpu = 1;
        else {
            fprintf(stderr, "check-trace: unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    json_object *root = json_object_from_file(argv[1]);
    if (!root) {
        fprintf(stderr, "check-trace: FAIL: %s is not valid JSON: %s\n", argv[1], json_util_get_last_err());
        return 1;
    }
    json_object *events;
    if (!json_object_object_get_ex(root, "traceEvents", &events) ||
        !json_object_is_type(events, json_type_array)) {
        fprintf(stderr, "check-trace: FAIL: no traceEvents array\n");
        json_object_put(root);
        return 1;
    }
    frame_info *frames = calloc(MAX_FRAMES, sizeof *frames);
    if (!frames) return 2;
    size_t n = json_object_array_length(events);
    int named[4] = {0, 0, 0, 0};
    long last_frame = -1, last_gpu_frame = -1, frame_count = 0, gpu_count = 0, missed = 0, steps = 0;
    double last_frame_ts = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        json_object *ev = json_object_array_get_idx(events, i);
        const char *name = str_of(ev, "name"), *ph = str_of(ev, "ph");
        double ts, pid, tid, dur = 0;
        if (!name || !ph || !num_of(ev, "ts", &ts) || !num_of(ev, "pid", &pid) || !num_of(ev, "tid", &tid)) {
            fail("event %s#%ld lacks name/ph/ts/pid/tid", "", (long)i);
            continue;
        }
        if (!strcmp(ph, "M")) {
            const char *tn = NULL;
            json_object *args, *v;
            if (json_object_object_get_ex(ev, "args", &args) && json_object_object_get_ex(args, "name", &v))
                tn = json_object_get_string(v);
            if (!strcmp(name, "thread_name") && tn) {
                if (!strcmp(tn, "CPU") && tid == 1) named[1] = 1;
                if (!strcmp(tn, "GPU") && tid == 2) named[2] = 1;
                if (!strcmp(tn, "Display") && tid == 3) named[3] = 1;
            }
            continue;
        }
        if (!strcmp(ph, "X") && (!num_of(ev, "dur", &dur) || dur < 0)) {
            fail("slice %s has no or a negative dur (event %ld)", name, (long)i);
            continue;
        }
        long f = frame_arg(ev, "frame");
        if (!strcmp(ph, "X") && tid == 1 && !strncmp(name, "frame ", 6)) {
            if (f < 0 || f >= MAX_FRAMES) {
                fail("frame slice %s has a bad index %ld", name, f);
                continue;
            }
            if (last_frame >= 0 && f != last_frame + 1)
                fail("frame slices out of order: %s after %ld", name, last_frame);
            if (ts < last_frame_ts) fail("frame slice %s starts before the previous one (%ld)", name, f);
            last_frame = f;
            last_frame_ts = ts;
            frames[f].start = ts;
            frames[f].end = ts + dur;
            frames[f].seen = 1;
            frames[f].submit_start = -1;
            frame_count++;
        } else if (!strcmp(ph, "X") && tid == 1) {
            /* A step: written right after its frame slice, inside it. */
            if (f < 0 || f >= MAX_FRAMES || !frames[f].seen) {
                fail("step %s names frame %ld that has no frame slice before it", name, f);
                continue;
            }
            if (ts < frames[f].start - 0.001 || ts + dur > frames[f].end + 0.001)
                fail("step %s lies outside its frame %ld", name, f);
            if (!strcmp(name, "late latch + submit")) frames[f].submit_start = ts;
            steps++;
        } else if (!strcmp(ph, "X") && tid == 2) {
            if (f < 0 || f >= MAX_FRAMES || !frames[f].seen) {
                fail("GPU slice %s names frame %ld that has no frame slice before it", name, f);
                continue;
            }
            if (f <= last_gpu_frame)
                fail("GPU slices out of order: %s after frame %ld", name, last_gpu_frame);
            last_gpu_frame = f;
            if (frames[f].submit_start >= 0 && ts < frames[f].submit_start - 1000.0)
                fail("GPU slice %s starts more than 1 ms before its frame was submitted (frame %ld)", name,
                     f);
            gpu_count++;
        } else if (!strcmp(ph, "i") && !strcmp(name, "predicted display")) {
            if (tid != 3 || f < 0 || f >= MAX_FRAMES || !frames[f].seen) {
                fail("predicted display marker %s for frame %ld is misplaced", name, f);
                continue;
            }
            /* Not "after xrWaitFrame returned": a thread descheduled for two periods on a loaded machine
             * returns after the display time it was given, which is late, not malformed. Even before the
             * frame began (an app thread starved after an early wait) it is a late frame, which the trace
             * must then show as missed: checked at the end, once every missed marker is read. */
            if (ts < frames[f].start) frames[f].display_early = 1;
            frames[f].predicted++;
        } else if (!strcmp(ph, "i") && !strcmp(name, "missed")) {
            long after = frame_arg(ev, "after_frame");
            if (tid != 3 || after < 0 || after >= MAX_FRAMES || !frames[after].seen)
                fail("missed marker %s names frame %ld that does not exist", name, after);
            else
                frames[after].missed++;
            missed++;
        } else if (!strcmp(ph, "i") && !strcmp(name, "latch")) {
            if (tid != 1) fail("latch marker %s on track %ld", name, (long)tid);
        } else {
            fail("unexpected event %s (index %ld)", name, (long)i);
        }
    }
    for (int k = 1; k <= 3; k++) {
        if (!named[k]) fail("track %s%ld has no thread_name metadata", "", (long)k);
    }
    for (long f = 0; f <= last_frame; f++) {
        if (frames[f].seen && frames[f].predicted != 1)
            fail("frame %s%ld has no single predicted display marker", "", f);
        if (frames[f].display_early && !frames[f].missed)
            fail(
                "predicted display of frame %s%ld lies before its frame began, and the frame is not shown as "
                "missed",
                "", f);
    }
    if (frame_count < min_frames) fail("only %s%ld frames in the trace", "", frame_count);
    if (want_gpu && gpu_count < frame_count / 2) fail("only %s%ld GPU slices", "", gpu_count);
    printf("check-trace: %zu events, %ld frames, %ld steps, %ld GPU slices, %ld missed markers: %s\n", n,
           frame_count, steps, gpu_count, missed, fails ? "FAIL" : "ok");
    free(frames);
    json_object_put(root);
    return fails ? 1 : 0;
}
