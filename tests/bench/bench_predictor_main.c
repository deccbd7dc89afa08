/* SPDX-License-Identifier: MIT */
/* parallax-bench-predictor: angular error of the runtime's pose predictor against two baselines (no
 * prediction, constant angular velocity) on the simulated headset's motion profiles. Deterministic. */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "predictor_bench.h"

/* Targets for `turns` at 20 ms (the project's prediction acceptance figures). */
#define TARGET_PROFILE    "turns"
#define TARGET_HORIZON_MS 20.0
#define TARGET_P50_DEG    0.15
#define TARGET_P99_DEG    1.0
#define TARGET_RATIO_NONE 4.0

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: parallax-bench-predictor [--seconds S] [--seed N] [--gyro-noise D] [--json PATH] [--check]\n"
        "  Feeds the modelled IMU stream of each motion profile (look, turns, walk, stress) to the pose\n"
        "  predictor once per 90 Hz frame, as xrLocateSpace with velocity would on an unpredicting\n"
        "  runtime, and prints the angular error (deg) p50/p99 at horizons 5-50 ms against no prediction\n"
        "  and constant angular velocity.\n"
        "  --seconds S  simulated seconds of motion per profile (default 60)\n"
        "  --seed N     motion and IMU noise seed (default 1)\n"
        "  --gyro-noise D  IMU gyro noise density, deg/s/sqrt(Hz) (default: the simulated headset's 0.005)\n"
        "  --json PATH  also write the figures as JSON\n"
        "  --check      exit 1 if a target is missed (targets are printed either way)\n");
}

static bool parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v <= 0.0) return false;
    *out = v;
    return true;
}

static bool write_json(const char *path, const plx_bench_row *rows, int n)
{
    json_object *root = json_object_new_object();
    json_object *arr = json_object_new_array();
    json_object_object_add(root, "predictor", arr);
    for (int i = 0; i < n; i++) {
        const plx_bench_row *r = &rows[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "profile", json_object_new_string(r->profile));
        json_object_object_add(o, "horizon_ms", json_object_new_double(r->horizon_ms));
        const char *names[3] = {"error_deg", "none", "constvel"};
        const plx_bench_stat *stats[3] = {&r->predictor, &r->none, &r->constvel};
        for (int k = 0; k < 3; k++) {
            json_object *s = json_object_new_object();
            json_object_object_add(s, "p50", json_object_new_double(stats[k]->p50));
            json_object_object_add(s, "p99", json_object_new_double(stats[k]->p99));
            json_object_object_add(o, names[k], s);
        }
        json_object_object_add(o, "samples", json_object_new_int64((int64_t)r->count));
        json_object_array_add(arr, o);
    }
    int rc = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY);
    if (rc != 0)
        fprintf(stderr, "parallax-bench-predictor: cannot write %s: %s\n", path, json_util_get_last_err());
    json_object_put(root);
    return rc == 0;
}

int main(int argc, char **argv)
{
    plx_bench_desc desc = {0};
    const char *json_path = NULL;
    bool check = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--check") == 0) {
            check = true;
        } else if (strcmp(a, "--json") == 0 && i + 1 < argc) {
            json_path = argv[++i];
        } else if (strcmp(a, "--seconds") == 0 && i + 1 < argc) {
            if (!parse_double(argv[++i], &desc.duration_s)) {
                fprintf(stderr, "parallax-bench-predictor: --seconds '%s': expected a positive number\n",
                        argv[i]);
                return 2;
            }
        } else if (strcmp(a, "--gyro-noise") == 0 && i + 1 < argc) {
            if (!parse_double(argv[++i], &desc.gyro_noise_dps_rthz)) {
                fprintf(stderr, "parallax-bench-predictor: --gyro-noise '%s': expected a positive number\n",
                        argv[i]);
                return 2;
            }
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (end == argv[i] || *end || errno) {
                fprintf(stderr, "parallax-bench-predictor: --seed '%s': expected a non-negative integer\n",
                        argv[i]);
                return 2;
            }
            desc.seed = v;
        } else {
            fprintf(stderr, "parallax-bench-predictor: unknown or incomplete argument '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }

    plx_bench_row rows[64];
    int n = plx_bench_predictor_run(&desc, rows, sizeof rows / sizeof *rows);
    if (n < 0) return 1;

    printf(
        "Pose prediction error, degrees (p50 / p99); %zu predictions per row, one locate per 90 Hz frame\n",
        n > 0 ? rows[0].count : (size_t)0);
    printf("%-8s %8s | %17s | %17s | %17s | %9s\n", "profile", "horizon", "predictor", "no prediction",
           "constant velocity", "none/pred");
    printf("%-8s %8s | %8s %8s | %8s %8s | %8s %8s | %9s\n", "", "ms", "p50", "p99", "p50", "p99", "p50",
           "p99", "p50");
    bool ok = true, found = false, never_worse = true;
    for (int i = 0; i < n; i++) {
        const plx_bench_row *r = &rows[i];
        double ratio = r->predictor.p50 > 0 ? r->none.p50 / r->predictor.p50 : INFINITY;
        bool worse = r->predictor.p50 > r->constvel.p50 || r->predictor.p99 > r->constvel.p99;
        printf("%-8s %8.0f | %8.4f %8.4f | %8.4f %8.4f | %8.4f %8.4f | %8.1fx%s\n", r->profile, r->horizon_ms,
               r->predictor.p50, r->predictor.p99, r->none.p50, r->none.p99, r->constvel.p50, r->constvel.p99,
               ratio, worse ? "  (worse than constant velocity)" : "");
        if (worse) never_worse = false;
    }
    printf("\nTargets (%s @ %.0f ms):\n", TARGET_PROFILE, TARGET_HORIZON_MS);
    for (int i = 0; i < n; i++) {
        const plx_bench_row *r = &rows[i];
        if (strcmp(r->profile, TARGET_PROFILE) != 0 || fabs(r->horizon_ms - TARGET_HORIZON_MS) > 1e-9)
            continue;
        found = true;
        double ratio = r->predictor.p50 > 0 ? r->none.p50 / r->predictor.p50 : INFINITY;
        bool t1 = r->predictor.p50 <= TARGET_P50_DEG, t2 = r->predictor.p99 <= TARGET_P99_DEG;
        bool t3 = ratio >= TARGET_RATIO_NONE;
        bool t4 = r->predictor.p50 <= r->constvel.p50 && r->predictor.p99 <= r->constvel.p99;
        printf("  median <= %.2f deg              %.4f deg   %s\n", TARGET_P50_DEG, r->predictor.p50,
               t1 ? "PASS" : "FAIL");
        printf("  p99    <= %.2f deg              %.4f deg   %s\n", TARGET_P99_DEG, r->predictor.p99,
               t2 ? "PASS" : "FAIL");
        printf("  median >= %.0fx better than none   %.1fx       %s\n", TARGET_RATIO_NONE, ratio,
               t3 ? "PASS" : "FAIL");
        printf("  not worse than constant velocity (p50 %.4f vs %.4f, p99 %.4f vs %.4f)   %s\n",
               r->predictor.p50, r->constvel.p50, r->predictor.p99, r->constvel.p99, t4 ? "PASS" : "FAIL");
        ok = t1 && t2 && t3 && t4;
    }
    if (!found) {
        printf("  (no %s @ %.0f ms row in this run)\n", TARGET_PROFILE, TARGET_HORIZON_MS);
        ok = false;
    }
    printf("All rows: never worse than constant velocity at p50 or p99: %s\n", never_worse ? "yes" : "NO");
    if (json_path && !write_json(json_path, rows, n)) return 1;
    return check && !ok ? 1 : 0;
}
