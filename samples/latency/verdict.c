/* SPDX-License-Identifier: MIT */
/* parallax-latency: verdicts against the benchmark's own noise (see verdict.h). */
#include <math.h>

#include "verdict.h"

/* One-sided 95%: the standard normal quantile 0.95. */
#define Z95 1.6448536269514722
/* Two-sided 95%: the standard normal quantile 0.975. */
#define Z975 1.959963984540054

/* Agresti-Caffo: each run gets one more miss and one more shown frame, which keeps the interval honest for
 * counts of 0 to a few. Returns the adjusted rate of b minus that of a (fractions) and its standard error. */
static double adjusted_difference(int64_t a_missed, int64_t a_frames, int64_t b_missed, int64_t b_frames,
                                  double *out_se)
{
    double pa = ((double)a_missed + 1.0) / ((double)a_frames + 2.0);
    double pb = ((double)b_missed + 1.0) / ((double)b_frames + 2.0);
    *out_se = sqrt(pa * (1.0 - pa) / ((double)a_frames + 2.0) + pb * (1.0 - pb) / ((double)b_frames + 2.0));
    return pb - pa;
}

const char *bench_verdict_name(bench_verdict v)
{
    switch (v) {
    case BENCH_PASS:
        return "PASS";
    case BENCH_PASS_NOISE:
        return "PASS (within noise)";
    case BENCH_MISS:
        return "MISS";
    }
    return "?";
}

void bench_miss_excess(int64_t a_missed, int64_t a_frames, int64_t b_missed, int64_t b_frames,
                       double *out_excess_pts, double *out_lower_pts)
{
    if (a_frames <= 0 || b_frames <= 0 || a_missed < 0 || b_missed < 0) {
        *out_excess_pts = *out_lower_pts = NAN;
        return;
    }
    *out_excess_pts = 100.0 * ((double)b_missed / (double)b_frames - (double)a_missed / (double)a_frames);
    double se, shift = adjusted_difference(a_missed, a_frames, b_missed, b_frames, &se);
    *out_lower_pts = 100.0 * (shift - Z95 * se);
}

bench_verdict bench_judge_misses(int64_t a_missed, int64_t a_frames, int64_t b_missed, int64_t b_frames,
                                 double allowance_pts, double *out_excess_pts, double *out_lower_pts)
{
    bench_miss_excess(a_missed, a_frames, b_missed, b_frames, out_excess_pts, out_lower_pts);
    if (!isfinite(*out_excess_pts)) return BENCH_MISS;
    /* A small epsilon: 5 misses of 1,000 against 0 is exactly 0.5 points, which a rounding must not fail. */
    if (*out_excess_pts <= allowance_pts + 1e-9) return BENCH_PASS;
    return *out_lower_pts <= allowance_pts ? BENCH_PASS_NOISE : BENCH_MISS;
}

double bench_sample_mean(const bench_sample *s)
{
    if (s->n <= 0) return NAN;
    double sum = 0;
    for (int i = 0; i < s->n; i++) sum += s->v[i];
    return sum / s->n;
}

double bench_sample_spread(const bench_sample *s)
{
    if (s->n <= 1) return 0.0;
    double lo = s->v[0], hi = s->v[0];
    for (int i = 1; i < s->n; i++) {
        lo = fmin(lo, s->v[i]);
        hi = fmax(hi, s->v[i]);
    }
    return hi - lo;
}

bench_verdict bench_judge_ratio(const bench_sample *a, const bench_sample *b, double limit, double *out_ratio,
                                double *out_noise)
{
    double ma = bench_sample_mean(a), mb = bench_sample_mean(b);
    *out_noise = fmax(bench_sample_spread(a), bench_sample_spread(b));
    *out_ratio = ma > 0 ? mb / ma : NAN;
    if (!isfinite(ma) || !isfinite(mb) || ma <= 0) return BENCH_MISS;
    double over = mb - limit * ma; /* ms past the target, <= 0 when met */
    if (over <= 1e-9) return BENCH_PASS;
    return over <= *out_noise ? BENCH_PASS_NOISE : BENCH_MISS;
}

const char *bench_same_name(bench_same s)
{
    switch (s) {
    case BENCH_SAME:
        return "same";
    case BENCH_UNDECIDED:
        return "undecided";
    case BENCH_DIFFERENT:
        return "DIFFERENT";
    }
    return "?";
}

void bench_paired_ci(const double *diff, int n, double *out_mean, double *out_lo, double *out_hi)
{
    *out_mean = *out_lo = *out_hi = NAN;
    if (n < 1) return;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += diff[i];
    double mean = sum / n;
    *out_mean = mean;
    if (n < 2) return;
    double ss = 0;
    for (int i = 0; i < n; i++) ss += (diff[i] - mean) * (diff[i] - mean);
    double sd = sqrt(ss / (n - 1));
    /* Student's t quantile 0.975 with n - 1 degrees of freedom: the Cornish-Fisher expansion around the
     * normal one (Abramowitz and Stegun 26.7.5), within 1% from 3 degrees of freedom on and 0.01% from 10
     * (12.706 and 4.303 exactly for 1 and 2). */
    double nu = n - 1, z = Z975, t;
    if (nu < 1.5)
        t = 12.706;
    else if (nu < 2.5)
        t = 4.303;
    else
        t = z + (z * z * z + z) / (4 * nu) + (5 * pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * nu * nu) +
            (3 * pow(z, 7) + 19 * pow(z, 5) + 17 * z * z * z - 15 * z) / (384 * nu * nu * nu);
    double half = t * sd / sqrt((double)n);
    *out_lo = mean - half;
    *out_hi = mean + half;
}

void bench_miss_diff_ci(int64_t a_missed, int64_t a_frames, int64_t b_missed, int64_t b_frames,
                        double *out_diff, double *out_lo, double *out_hi)
{
    *out_diff = *out_lo = *out_hi = NAN;
    if (a_frames <= 0 || b_frames <= 0 || a_missed < 0 || b_missed < 0) return;
    *out_diff = 100.0 * ((double)b_missed / (double)b_frames - (double)a_missed / (double)a_frames);
    double se, shift = adjusted_difference(a_missed, a_frames, b_missed, b_frames, &se);
    *out_lo = 100.0 * (shift - Z975 * se);
    *out_hi = 100.0 * (shift + Z975 * se);
}

bench_same bench_judge_same(double lo, double hi, double margin)
{
    if (!isfinite(lo) || !isfinite(hi) || !(margin >= 0)) return BENCH_UNDECIDED;
    if (lo >= -margin && hi <= margin) return BENCH_SAME;
    if (lo > margin || hi < -margin) return BENCH_DIFFERENT;
    return BENCH_UNDECIDED;
}
