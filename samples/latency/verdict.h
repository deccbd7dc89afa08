/* SPDX-License-Identifier: MIT */
/* parallax-latency: how the benchmark judges a comparison between runs against the noise of the runs
 * themselves (verdict.c), so that the verdict says what the measurement can tell.
 *
 * A run of 1,000 real-time frames on a shared machine gives a miss count of a few (fixed pacing) to a few
 * dozen (adaptive pacing): two runs of one configuration differ by several misses by chance alone, so "no
 * more misses than off" read off two counts is a coin toss when the rates are equal. And the median pose age
 * of one run moves with what else the machine did during those 11 seconds. So each verdict is one of:
 *  - PASS: the measured figures meet the target as they stand;
 *  - PASS_NOISE: they do not, but by less than the noise measured in the same benchmark (the miss counts: a
 *    one-sided 95% confidence bound; medians: the spread between repeated runs of one configuration);
 *  - MISS: they miss it by more than the noise: the runs show the target is not met. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

typedef enum bench_verdict { BENCH_PASS, BENCH_PASS_NOISE, BENCH_MISS } bench_verdict;

/* "PASS", "PASS (within noise)", "MISS". */
const char *bench_verdict_name(bench_verdict v);

/* The miss rate of run b against run a, in percentage points: the measured excess (b - a) and the lower end
 * of its one-sided 95% confidence interval (Agresti-Caffo: one miss and one displayed frame added to each
 * run, which keeps the interval honest for counts of 0 to a few). Frames <= 0 give NAN. */
void bench_miss_excess(int64_t a_missed, int64_t a_frames, int64_t b_missed, int64_t b_frames,
                       double *out_excess_pts, double *out_lower_pts);

/* "b misses at most allowance_pts percentage points more often than a" (0: no extra misses). */
bench_verdict bench_judge_misses(int64_t a_missed, int64_t a_frames, int64_t b_missed, int64_t b_frames,
                                 double allowance_pts, double *out_excess_pts, double *out_lower_pts);

/* A figure of repeated runs of one configuration (for example the median pose age of each run). */
typedef struct bench_sample {
    double v[4];
    int n;
} bench_sample;

double bench_sample_mean(const bench_sample *s);

/* max - min of the repeats: the A/A spread, 0 with one run. */
double bench_sample_spread(const bench_sample *s);

/* "mean(b) <= limit * mean(a)" (pose age of jit+latch against off: limit 0.6 on fixed pacing, 1.05 on
 * adaptive). PASS_NOISE when mean(b) exceeds the limit by no more than the larger A/A spread of a and b
 * (with one run of each, no spread is known and the verdict is PASS or MISS). out_ratio = mean(b) /
 * mean(a), out_noise = that spread. Empty samples or mean(a) <= 0 give MISS. */
bench_verdict bench_judge_ratio(const bench_sample *a, const bench_sample *b, double limit, double *out_ratio,
                                double *out_noise);

/* Whether two settings differ (the XrTime epoch offset against CLOCK_MONOTONIC's, --epochs): a two-sided 95%
 * confidence interval of a difference, against an equivalence margin. */
typedef enum bench_same { BENCH_SAME, BENCH_UNDECIDED, BENCH_DIFFERENT } bench_same;

/* "same", "undecided", "DIFFERENT". */
const char *bench_same_name(bench_same s);

/* Mean of n paired differences (one per configuration) and its two-sided 95% interval (Student's t, n >= 2;
 * fewer give NAN). */
void bench_paired_ci(const double *diff, int n, double *out_mean, double *out_lo, double *out_hi);

/* Miss rate of b minus that of a, percentage points, and its two-sided 95% interval (Agresti-Caffo). */
void bench_miss_diff_ci(int64_t a_missed, int64_t a_frames, int64_t b_missed, int64_t b_frames,
                        double *out_diff, double *out_lo, double *out_hi);

/* SAME when the interval lies within +-margin; DIFFERENT when it lies wholly beyond it (the difference is
 * larger than the margin, beyond chance); UNDECIDED otherwise (too few runs to tell). NAN: UNDECIDED. */
bench_same bench_judge_same(double lo, double hi, double margin);
