/* SPDX-License-Identifier: MIT */
/* Unit tests of the latency benchmark's verdicts (samples/latency/verdict.c): a comparison between runs is
 * PASS when the figures meet the target, PASS_NOISE when they miss it by less than the noise the runs
 * themselves show, MISS when the runs show the target is not met. The counts are the benchmark's own (1,000
 * frames per run, 10,000 in --long). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "verdict.h"

static bench_verdict misses(int64_t a, int64_t a_frames, int64_t b, int64_t b_frames, double allowance)
{
    double excess, lower;
    bench_verdict v = bench_judge_misses(a, a_frames, b, b_frames, allowance, &excess, &lower);
    if (isfinite(excess)) assert_true(lower <= excess);
    return v;
}

/* Adaptive pacing misses 2-4% on its own: two runs of one configuration differ by several misses. */
static void equal_rates_are_not_extra_misses(void **state)
{
    (void)state;
    assert_int_equal(misses(21, 1000, 21, 1000, 0.0), BENCH_PASS);
    assert_int_equal(misses(26, 1000, 21, 1000, 0.0), BENCH_PASS);
    assert_int_equal(misses(21, 1000, 26, 1000, 0.0), BENCH_PASS_NOISE);
    assert_int_equal(misses(44, 2000, 26, 1000, 0.0), BENCH_PASS_NOISE);
    /* 3.7% against 2.1% of twice as many frames is more than chance. */
    assert_int_equal(misses(42, 2000, 37, 1000, 0.0), BENCH_MISS);
    double excess, lower;
    bench_miss_excess(21, 1000, 26, 1000, &excess, &lower);
    assert_true(fabs(excess - 0.5) < 1e-9);
    assert_true(lower < 0.0);
}

/* A real regression is told apart, even in 1,000 frames. */
static void many_more_misses_are_a_miss(void **state)
{
    (void)state;
    assert_int_equal(misses(21, 1000, 60, 1000, 0.0), BENCH_MISS);
    assert_int_equal(misses(10, 1000, 50, 1000, 0.5), BENCH_MISS);
    /* 10,000 frames resolve a fraction of a point: +1.9 points against an allowance of 0.5. */
    assert_int_equal(misses(10, 10000, 200, 10000, 0.5), BENCH_MISS);
    assert_int_equal(misses(1, 10000, 29, 10000, 0.5), BENCH_PASS);
}

/* The allowance of the fixed-pacing target: off + 0.5 points. */
static void the_allowance_counts(void **state)
{
    (void)state;
    assert_int_equal(misses(0, 1000, 5, 1000, 0.5), BENCH_PASS); /* exactly 0.5 points */
    assert_int_equal(misses(3, 1000, 9, 1000, 0.5), BENCH_PASS_NOISE);
    assert_int_equal(misses(0, 1000, 0, 1000, 0.0), BENCH_PASS);
    /* No frames: nothing was measured, which is not a pass. */
    assert_int_equal(misses(0, 0, 0, 1000, 0.5), BENCH_MISS);
    assert_int_equal(misses(0, 1000, 0, 0, 0.5), BENCH_MISS);
}

static bench_sample sample2(double x, double y)
{
    return (bench_sample){.v = {x, y}, .n = 2};
}

static void ratios_weigh_the_a_a_spread(void **state)
{
    (void)state;
    double ratio, noise;
    bench_sample off = sample2(26.0, 26.1);
    /* Met as measured. */
    bench_sample jit = sample2(12.0, 13.0);
    assert_int_equal(bench_judge_ratio(&off, &jit, 0.6, &ratio, &noise), BENCH_PASS);
    assert_true(fabs(ratio - 12.5 / 26.05) < 1e-9);
    assert_true(fabs(noise - 1.0) < 1e-9);
    /* 15.70 ms against a limit of 15.63: 0.07 ms over, while the two jit+latch runs differ by 1.4 ms. */
    jit = sample2(15.0, 16.4);
    assert_int_equal(bench_judge_ratio(&off, &jit, 0.6, &ratio, &noise), BENCH_PASS_NOISE);
    /* 4.5 ms over with runs that agree within 0.2 ms: the target is missed. */
    jit = sample2(20.0, 20.2);
    assert_int_equal(bench_judge_ratio(&off, &jit, 0.6, &ratio, &noise), BENCH_MISS);
    /* Adaptive pacing: within 5%, and the off runs' own spread. */
    off = sample2(9.0, 11.0);
    jit = sample2(10.8, 10.9);
    assert_int_equal(bench_judge_ratio(&off, &jit, 1.05, &ratio, &noise), BENCH_PASS_NOISE);
    jit = sample2(12.8, 12.9);
    assert_int_equal(bench_judge_ratio(&off, &jit, 1.05, &ratio, &noise), BENCH_MISS);
}

/* One run of each: no spread is known, so the point figures decide. */
static void single_runs_are_judged_as_measured(void **state)
{
    (void)state;
    double ratio, noise;
    bench_sample off = {.v = {26.0}, .n = 1}, jit = {.v = {15.7}, .n = 1};
    assert_int_equal(bench_judge_ratio(&off, &jit, 0.6, &ratio, &noise), BENCH_MISS);
    assert_true(noise == 0.0);
    jit.v[0] = 15.5;
    assert_int_equal(bench_judge_ratio(&off, &jit, 0.6, &ratio, &noise), BENCH_PASS);
    bench_sample empty = {.n = 0};
    assert_int_equal(bench_judge_ratio(&empty, &jit, 0.6, &ratio, &noise), BENCH_MISS);
    assert_string_equal(bench_verdict_name(BENCH_PASS_NOISE), "PASS (within noise)");
}

/* --epochs: the offset's effect, paired over configurations, against an equivalence margin. */
static void paired_differences_against_a_margin(void **state)
{
    (void)state;
    double mean, lo, hi;
    /* Four differences, mean 0.25, sd 0.5: the 95% interval is +-3.182 * 0.5 / 2 (Student's t, 3 degrees). */
    const double d4[4] = {0.5, -0.25, 0.75, 0.0};
    bench_paired_ci(d4, 4, &mean, &lo, &hi);
    double sd = sqrt(((0.25 * 0.25) + (0.5 * 0.5) + (0.5 * 0.5) + (0.25 * 0.25)) / 3.0);
    assert_true(fabs(mean - 0.25) < 1e-12);
    assert_true(fabs((hi - mean) - 3.182 * sd / 2.0) < 0.01 * 3.182 * sd / 2.0);
    assert_true(fabs((mean - lo) - (hi - mean)) < 1e-12);
    /* 41 configurations (the full matrix): t = 2.021. */
    double d41[41];
    for (int i = 0; i < 41; i++) d41[i] = i % 2 ? 1.0 : -1.0;
    bench_paired_ci(d41, 41, &mean, &lo, &hi);
    double sd41 = sqrt(41.0 / 40.0 - mean * mean * 41.0 / 40.0);
    assert_true(fabs((hi - mean) - 2.021 * sd41 / sqrt(41.0)) < 0.002);
    /* One difference has no interval; none has no mean. */
    bench_paired_ci(d4, 1, &mean, &lo, &hi);
    assert_true(mean == 0.5 && isnan(lo) && isnan(hi));
    bench_paired_ci(d4, 0, &mean, &lo, &hi);
    assert_true(isnan(mean));

    assert_int_equal(bench_judge_same(-0.4, 0.3, 0.8), BENCH_SAME);
    assert_int_equal(bench_judge_same(-0.4, 1.3, 0.8), BENCH_UNDECIDED);
    assert_int_equal(bench_judge_same(1.0, 3.0, 0.8), BENCH_DIFFERENT);
    assert_int_equal(bench_judge_same(-3.0, -0.9, 0.8), BENCH_DIFFERENT);
    assert_int_equal(bench_judge_same(NAN, NAN, 0.8), BENCH_UNDECIDED);
    assert_string_equal(bench_same_name(BENCH_DIFFERENT), "DIFFERENT");

    /* Misses pooled over the matrix: 787 of 71,000 against 751 of 71,000 is the same within 0.5 points; 2%
     * more is not. */
    double diff;
    bench_miss_diff_ci(787, 71000, 751, 71000, &diff, &lo, &hi);
    assert_true(diff < 0 && lo < diff && diff < hi && lo > -0.5 && hi < 0.5);
    assert_int_equal(bench_judge_same(lo, hi, 0.5), BENCH_SAME);
    bench_miss_diff_ci(787, 71000, 2207, 71000, &diff, &lo, &hi);
    assert_int_equal(bench_judge_same(lo, hi, 0.5), BENCH_DIFFERENT);
    bench_miss_diff_ci(0, 0, 1, 10, &diff, &lo, &hi);
    assert_true(isnan(diff));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(equal_rates_are_not_extra_misses),
        cmocka_unit_test(many_more_misses_are_a_miss),
        cmocka_unit_test(the_allowance_counts),
        cmocka_unit_test(ratios_weigh_the_a_a_spread),
        cmocka_unit_test(single_runs_are_judged_as_measured),
        cmocka_unit_test(paired_differences_against_a_margin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
