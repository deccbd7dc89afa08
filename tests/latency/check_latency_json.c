/* SPDX-License-Identifier: MIT */
/* plx-check-latency-json FILE RUNS [MIN_OFFSET_S]: checks that a `parallax-latency --bench --json` file is
 * complete and well formed: a non-empty "predictor" array whose rows have profile, horizon_ms and p50/p99 of
 * error_deg, none and constvel; a "runs" array of exactly RUNS rows, each with pacing, prediction, mode,
 * motion, frames, missed, pose_age_ms {p50, p99}, error_deg {p50, p99}, slack_ms {p50}, xr_time_converted and
 * xr_time_offset_s, all numbers finite, an epoch string and a repeat number; with MIN_OFFSET_S, every run's
 * XrTime was converted, and a run whose epoch is not "CLOCK_MONOTONIC" lies at least that many seconds from
 * CLOCK_MONOTONIC (it had the simulated headset's epoch offset) while one whose epoch is lies within 1 s of
 * it (`--epochs` runs each configuration with both: half the runs each). The figures
 * themselves are not judged (a benchmark, not a timed test). Prints what is wrong and exits 1. */
#include <json-c/json.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int problems;

static void problem(const char *where, const char *what)
{
    fprintf(stderr, "plx-check-latency-json: %s: %s\n", where, what);
    problems++;
}

static json_object *member(json_object *o, const char *key, json_type type, const char *where)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type)) {
        char what[96];
        snprintf(what, sizeof what, "\"%s\" missing or not a %s", key, json_type_to_name(type));
        problem(where, what);
        return NULL;
    }
    return v;
}

static void number(json_object *o, const char *key, const char *where)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) ||
        !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)) ||
        !isfinite(json_object_get_double(v))) {
        char what[96];
        snprintf(what, sizeof what, "\"%s\" missing or not a finite number", key);
        problem(where, what);
    }
}

static void percentiles(json_object *o, const char *key, bool with_p99, const char *where)
{
    json_object *p = member(o, key, json_type_object, where);
    if (!p) return;
    char w[160];
    snprintf(w, sizeof w, "%s.%s", where, key);
    number(p, "p50", w);
    if (with_p99) number(p, "p99", w);
}

int main(int argc, char **argv)
{
    char *end = NULL;
    long want_runs = argc >= 3 ? strtol(argv[2], &end, 10) : -1;
    double min_offset = -1;
    if (argc == 4) min_offset = strtod(argv[3], NULL);
    if (argc < 3 || argc > 4 || !end || *end || want_runs < 1) {
        fprintf(stderr, "usage: plx-check-latency-json FILE RUNS [MIN_ABS_XR_TIME_OFFSET_S]\n");
        return 2;
    }
    json_object *root = json_object_from_file(argv[1]);
    if (!root) {
        fprintf(stderr, "plx-check-latency-json: %s: not readable JSON: %s\n", argv[1],
                json_util_get_last_err());
        return 1;
    }
    json_object *pred = member(root, "predictor", json_type_array, "root");
    if (pred && json_object_array_length(pred) == 0) problem("predictor", "empty");
    for (size_t i = 0; pred && i < json_object_array_length(pred); i++) {
        json_object *row = json_object_array_get_idx(pred, i);
        char where[64];
        snprintf(where, sizeof where, "predictor[%zu]", i);
        member(row, "profile", json_type_string, where);
        number(row, "horizon_ms", where);
        percentiles(row, "error_deg", true, where);
        percentiles(row, "none", true, where);
        percentiles(row, "constvel", true, where);
    }
    json_object *runs = member(root, "runs", json_type_array, "root");
    long mono_runs = 0;
    if (runs && (long)json_object_array_length(runs) != want_runs) {
        char what[96];
        snprintf(what, sizeof what, "%zu runs, expected %ld", json_object_array_length(runs), want_runs);
        problem("runs", what);
    }
    for (size_t i = 0; runs && i < json_object_array_length(runs); i++) {
        json_object *run = json_object_array_get_idx(runs, i);
        char where[64];
        snprintf(where, sizeof where, "runs[%zu]", i);
        static const char *const strings[] = {"pacing", "prediction", "mode", "motion"};
        for (int k = 0; k < 4; k++) member(run, strings[k], json_type_string, where);
        number(run, "frames", where);
        number(run, "missed", where);
        percentiles(run, "pose_age_ms", true, where);
        percentiles(run, "error_deg", true, where);
        percentiles(run, "slack_ms", false, where);
        json_object *frames = NULL;
        if (json_object_object_get_ex(run, "frames", &frames) && json_object_get_int64(frames) < 1)
            problem(where, "no frames");
        number(run, "xr_time_offset_s", where);
        member(run, "xr_time_converted", json_type_boolean, where);
        json_object *epoch = member(run, "epoch", json_type_string, where);
        member(run, "repeat", json_type_int, where);
        json_object *off = NULL, *conv = NULL;
        if (min_offset < 0 || !epoch || !json_object_object_get_ex(run, "xr_time_offset_s", &off) ||
            !json_object_object_get_ex(run, "xr_time_converted", &conv))
            continue;
        bool mono = strcmp(json_object_get_string(epoch), "CLOCK_MONOTONIC") == 0;
        double offset = fabs(json_object_get_double(off));
        mono_runs += mono ? 1 : 0;
        if (!json_object_get_boolean(conv) || (mono ? offset >= 1.0 : offset < min_offset))
            problem(where,
                    mono ? "the run was to have CLOCK_MONOTONIC's XrTime epoch, libparallax measured "
                           "another (or no conversion)"
                         : "the run's XrTime epoch is not the one asked for (PARALLAX_SIM_TIME_OFFSET)");
    }
    /* --epochs: each configuration once per epoch. */
    if (min_offset >= 0 && runs && mono_runs * 2 != (long)json_object_array_length(runs)) {
        char what[96];
        snprintf(what, sizeof what, "%ld of %zu runs with CLOCK_MONOTONIC's epoch, expected half", mono_runs,
                 json_object_array_length(runs));
        problem("runs", what);
    }
    json_object_put(root);
    if (problems) return 1;
    printf("plx-check-latency-json: %s: complete (%ld runs)\n", argv[1], want_runs);
    return 0;
}
