/* SPDX-License-Identifier: MIT */
/* Head motion profiles and CSV traces (simulator/motion/motion.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sim_motion.h"

#define RAD2DEG (180.0 / PLX_PI)

static const char *const profiles[] = {"still", "look", "turns", "walk", "stress"};

/* Finite-difference angular velocity (world frame) around t. */
static plx_vec3 fd_angular(const sim_motion *m, double t, double h)
{
    plx_pose a, b;
    sim_motion_sample(m, t - h, &a, NULL, NULL);
    sim_motion_sample(m, t + h, &b, NULL, NULL);
    return plx_vec3_scale(plx_quat_log(plx_quat_mul(b.orientation, plx_quat_conj(a.orientation))),
                          (float)(1.0 / (2 * h)));
}

static plx_vec3 fd_linear(const sim_motion *m, double t, double h)
{
    plx_pose a, b;
    sim_motion_sample(m, t - h, &a, NULL, NULL);
    sim_motion_sample(m, t + h, &b, NULL, NULL);
    return plx_vec3_scale(plx_vec3_sub(b.position, a.position), (float)(1.0 / (2 * h)));
}

static void every_profile_is_continuous(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof profiles / sizeof *profiles; i++) {
        sim_motion *m = sim_motion_create(profiles[i], 7);
        assert_non_null(m);
        plx_pose prev;
        sim_motion_sample(m, 0, &prev, NULL, NULL);
        double worst_deg = 0, worst_m = 0;
        for (int k = 1; k <= 120000; k++) { /* 120 s in 1 ms steps */
            plx_pose p;
            sim_motion_sample(m, k * 0.001, &p, NULL, NULL);
            worst_deg = fmax(worst_deg, plx_quat_angle_between(p.orientation, prev.orientation) * RAD2DEG);
            worst_m = fmax(worst_m, plx_vec3_length(plx_vec3_sub(p.position, prev.position)));
            prev = p;
        }
        /* 400 deg/s and 2 m/s are beyond every profile: a bigger step in 1 ms is a jump */
        if (worst_deg > 0.4 || worst_m > 0.002)
            fail_msg("%s jumps: %.3f deg, %.4f m in 1 ms", profiles[i], worst_deg, worst_m);
        sim_motion_destroy(&m);
        assert_null(m);
    }
}

static void analytic_velocity_matches_finite_differences(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof profiles / sizeof *profiles; i++) {
        sim_motion *m = sim_motion_create(profiles[i], 3);
        assert_non_null(m);
        for (int k = 0; k < 3000; k++) {
            double t = 0.5 + k * 0.0197; /* ~60 s, off the grid */
            plx_vec3 lin, ang;
            sim_motion_sample(m, t, NULL, &lin, &ang);
            plx_vec3 fa = fd_angular(m, t, 1e-3), fl = fd_linear(m, t, 1e-3);
            double ea = plx_vec3_length(plx_vec3_sub(fa, ang)), el = plx_vec3_length(plx_vec3_sub(fl, lin));
            double ta = 0.005 + 0.01 * plx_vec3_length(ang), tl = 0.002 + 0.01 * plx_vec3_length(lin);
            if (ea > ta || el > tl)
                fail_msg("%s at t=%.4f: angular %g vs fd %g (err %g), linear %g vs fd %g (err %g)",
                         profiles[i], t, plx_vec3_length(ang), plx_vec3_length(fa), ea, plx_vec3_length(lin),
                         plx_vec3_length(fl), el);
        }
        sim_motion_destroy(&m);
    }
}

typedef struct speeds {
    double peak_dps, peak_accel_dps2, peak_mps, min_y, max_y, min_z, max_z;
} speeds;

static speeds measure(const char *spec, uint64_t seed, double seconds)
{
    sim_motion *m = sim_motion_create(spec, seed);
    assert_non_null(m);
    speeds s = {0, 0, 0, 1e9, -1e9, 1e9, -1e9};
    plx_vec3 prev_ang = {0, 0, 0};
    const double dt = 0.001;
    for (int k = 0; k * dt < seconds; k++) {
        plx_pose p;
        plx_vec3 lin, ang;
        sim_motion_sample(m, k * dt, &p, &lin, &ang);
        s.peak_dps = fmax(s.peak_dps, plx_vec3_length(ang) * RAD2DEG);
        if (k > 0)
            s.peak_accel_dps2 =
                fmax(s.peak_accel_dps2, plx_vec3_length(plx_vec3_sub(ang, prev_ang)) / dt * RAD2DEG);
        s.peak_mps = fmax(s.peak_mps, plx_vec3_length(lin));
        s.min_y = fmin(s.min_y, p.position.y);
        s.max_y = fmax(s.max_y, p.position.y);
        s.min_z = fmin(s.min_z, p.position.z);
        s.max_z = fmax(s.max_z, p.position.z);
        prev_ang = ang;
    }
    sim_motion_destroy(&m);
    return s;
}

static void check_range(const char *what, double v, double lo, double hi)
{
    if (!(v >= lo && v <= hi)) fail_msg("%s = %g, expected %g..%g", what, v, lo, hi);
}

static void profile_peak_speeds_in_range(void **state)
{
    (void)state;
    speeds still = measure("still", 1, 10);
    check_range("still peak deg/s", still.peak_dps, 0, 0);
    check_range("still peak m/s", still.peak_mps, 0, 0);
    speeds look = measure("look", 1, 120);
    check_range("look peak deg/s", look.peak_dps, 10, 90);
    speeds turns = measure("turns", 1, 300);
    check_range("turns peak deg/s", turns.peak_dps, 250, 350);
    speeds walk = measure("walk", 1, 60);
    check_range("walk peak deg/s", walk.peak_dps, 5, 60);
    check_range("walk peak m/s", walk.peak_mps, 0.5, 1.5);
    check_range("walk vertical bob m", walk.max_y - walk.min_y, 0.02, 0.1);
    check_range("walk forward travel m", walk.max_z - walk.min_z, 1.0, 4.0);
    speeds stress = measure("stress", 1, 30);
    check_range("stress peak deg/s", stress.peak_dps, 150, 250);
    check_range("stress peak deg/s^2", stress.peak_accel_dps2, 2500, 5000);
}

static void turns_are_gaze_shifts_at_the_stated_rate(void **state)
{
    (void)state;
    sim_motion *m = sim_motion_create("turns", 11);
    assert_non_null(m);
    /* a turn = an excursion above 15 deg/s (the fixational drift stays far below); measure its size */
    int count = 0;
    bool in_turn = false;
    plx_quat start = {0, 0, 0, 1};
    double min_amp = 1e9, max_amp = 0;
    const double seconds = 600;
    for (int k = 0; k < seconds * 1000; k++) {
        plx_pose p;
        plx_vec3 ang;
        sim_motion_sample(m, k * 0.001, &p, NULL, &ang);
        bool fast = plx_vec3_length(ang) * RAD2DEG > 15.0;
        if (fast && !in_turn) {
            count++;
            start = p.orientation;
        }
        if (!fast && in_turn) {
            double amp = plx_quat_angle_between(start, p.orientation) * RAD2DEG;
            min_amp = fmin(min_amp, amp);
            max_amp = fmax(max_amp, amp);
        }
        in_turn = fast;
    }
    sim_motion_destroy(&m);
    check_range("turns per second", count / seconds, 0.3, 1.0);
    /* the part above 15 deg/s is slightly less than the whole turn */
    check_range("largest turn deg", max_amp, 70, 92);
    check_range("smallest turn deg", min_amp, 1, 10);
}

static void turns_depend_on_seed_only(void **state)
{
    (void)state;
    sim_motion *a = sim_motion_create("turns", 5), *b = sim_motion_create("turns", 5),
               *c = sim_motion_create("turns", 6);
    double diff_same = 0, diff_other = 0;
    for (int k = 0; k < 2000; k++) {
        plx_pose pa, pb, pc;
        sim_motion_sample(a, k * 0.05, &pa, NULL, NULL);
        sim_motion_sample(b, k * 0.05, &pb, NULL, NULL);
        sim_motion_sample(c, k * 0.05, &pc, NULL, NULL);
        diff_same = fmax(diff_same, plx_quat_angle_between(pa.orientation, pb.orientation));
        diff_other = fmax(diff_other, plx_quat_angle_between(pa.orientation, pc.orientation));
    }
    assert_true(diff_same < 1e-6); /* angle_between of equal quaternions is ~1e-8 of rounding */
    assert_true(diff_other * RAD2DEG > 10.0);
    sim_motion_destroy(&a);
    sim_motion_destroy(&b);
    sim_motion_destroy(&c);
}

static void still_is_identity(void **state)
{
    (void)state;
    sim_motion *m = sim_motion_create("still", 1);
    plx_pose p;
    plx_vec3 lin, ang;
    sim_motion_sample(m, 12.5, &p, &lin, &ang);
    assert_true(p.orientation.w == 1.0f && p.position.x == 0 && p.position.y == 0 && p.position.z == 0);
    assert_true(plx_vec3_length(lin) == 0 && plx_vec3_length(ang) == 0);
    sim_motion_destroy(&m);
    sim_motion_destroy(&m); /* destroy of NULL is fine */
    sim_motion_destroy(NULL);
}

/* ---------------------------------------------------------------- CSV */

/* Runs sim_motion_create with stderr redirected to a buffer. */
static sim_motion *create_capturing(const char *spec, char *err, size_t err_size)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    dup2(fileno(tmp), 2);
    sim_motion *m = sim_motion_create(spec, 1);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    size_t n = fread(err, 1, err_size - 1, tmp);
    err[n] = '\0';
    fclose(tmp);
    return m;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void csv_example_trace_replays(void **state)
{
    (void)state;
    char err[1024];
    sim_motion *m = create_capturing("csv:" PLX_TRACE_DIR "/example.csv", err, sizeof err);
    if (!m) fail_msg("example trace rejected: %s", err);
    assert_string_equal(err, "");
    plx_pose p;
    plx_vec3 lin, ang;
    /* at 2.0 s and beyond: 60 degrees of yaw, 0.1 m forward, held with zero velocity */
    sim_motion_sample(m, 5.0, &p, &lin, &ang);
    plx_quat yaw60 = plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, (float)(60 / RAD2DEG));
    assert_true(plx_quat_angle_between(p.orientation, yaw60) < 1e-5);
    assert_true(fabsf(p.position.z + 0.1f) < 1e-6f);
    assert_true(plx_vec3_length(lin) == 0 && plx_vec3_length(ang) == 0);
    /* mid-trace: velocity by finite difference is about the slope of the recorded yaw */
    sim_motion_sample(m, 0.55, &p, &lin, &ang);
    assert_true(ang.y > 1.0f && ang.y < 2.0f); /* smoothstep 60 deg over 1 s peaks at 1.57 rad/s */
    assert_true(lin.z < 0.0f);
    sim_motion_destroy(&m);
}

static void csv_interpolates_and_uses_relative_time(void **state)
{
    (void)state;
    const char *path = "test_motion_interp.csv";
    /* times from another clock: replay starts at the first row; no header line */
    write_file(path, "100.0, 0,0,0, 0,0,0,1\n"
                     "101.0, 1,2,3, 0,0.7071068,0,0.7071068\n");
    char spec[256], err[1024];
    snprintf(spec, sizeof spec, "csv:%s", path);
    sim_motion *m = create_capturing(spec, err, sizeof err);
    if (!m) fail_msg("rejected: %s", err);
    plx_pose p;
    plx_vec3 lin, ang;
    sim_motion_sample(m, 0.5, &p, &lin, &ang);
    /* slerp: half of 90 degrees; lerp: half way */
    plx_quat yaw45 = plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, (float)(45 / RAD2DEG));
    assert_true(plx_quat_angle_between(p.orientation, yaw45) < 1e-5);
    assert_true(fabsf(p.position.x - 0.5f) < 1e-6f && fabsf(p.position.z - 1.5f) < 1e-6f);
    assert_true(fabsf(ang.y - (float)(PLX_PI / 2)) < 1e-4f);
    assert_true(fabsf(lin.y - 2.0f) < 1e-5f);
    /* before the start: the first pose */
    sim_motion_sample(m, -1.0, &p, NULL, NULL);
    assert_true(p.orientation.w == 1.0f);
    sim_motion_destroy(&m);
    remove(path);
}

static void expect_csv_error(const char *text, const char *expect_in_message)
{
    const char *path = "test_motion_bad.csv";
    write_file(path, text);
    char spec[256], err[1024];
    snprintf(spec, sizeof spec, "csv:%s", path);
    sim_motion *m = create_capturing(spec, err, sizeof err);
    remove(path);
    if (m) fail_msg("malformed trace accepted: %s", text);
    if (count_lines(err) != 1) fail_msg("expected exactly one error line, got: %s", err);
    if (!strstr(err, expect_in_message)) fail_msg("error '%s' does not contain '%s'", err, expect_in_message);
    if (!strstr(err, "t,px,py,pz,qx,qy,qz,qw")) fail_msg("error '%s' does not give the expected form", err);
}

static void csv_malformed_lines_are_rejected_with_file_and_line(void **state)
{
    (void)state;
    expect_csv_error("t,px,py,pz,qx,qy,qz,qw\n0,0,0,0,0,0,0,1\n0.1,0,0,zero,0,0,0,1\n",
                     "test_motion_bad.csv:3:");
    expect_csv_error("0,0,0,0,0,0,0,1\n0.1,0,0,0,0,0,1\n", "test_motion_bad.csv:2:");     /* 7 columns */
    expect_csv_error("0,0,0,0,0,0,0,1\n0.1,0,0,0,0,0,0,1,5\n", "test_motion_bad.csv:2:"); /* 9 columns */
    expect_csv_error("0,0,0,0,0,0,0,1\n0,0,0,0,0,0,0,1\n", "test_motion_bad.csv:2:"); /* t not increasing */
    expect_csv_error("0,0,0,0,0,0,0,1\n1,0,0,0,0,0,0,0\n", "test_motion_bad.csv:2:"); /* zero quaternion */
    expect_csv_error("0,0,0,0,0,0,0,1\nt,px,py,pz,qx,qy,qz,qw\n", "test_motion_bad.csv:2:"); /* late header */
    expect_csv_error("# only a comment\n", "no motion samples");
    expect_csv_error("0,0,0,0,0,0,0,1\n0.0000001,0,0,0,0,0,0,1\n",
                     "test_motion_bad.csv:2:");                                           /* step < 1 us */
    expect_csv_error("0,0,0,0,0,0,0,1\n1,2e6,0,0,0,0,0,1\n", "test_motion_bad.csv:2:");   /* position range */
    expect_csv_error("0,0,0,0,0,0,0,1\n1,0,0,0,0,0,0,1e999\n", "test_motion_bad.csv:2:"); /* overflow */
}

static void csv_extreme_values_stay_finite(void **state)
{
    (void)state;
    const char *path = "test_motion_extreme.csv";
    /* huge but finite quaternion components are a direction; NUL-free, increasing by exactly 1 us */
    write_file(path, "1e15,0,0,0,0,0,0,1\n"
                     "1e15+0.125,1e6,-1e6,0,1e300,0,0,1e300\n");
    char spec[256], err[1024];
    snprintf(spec, sizeof spec, "csv:%s", path);
    /* 1e15 + 0.125: the parser must reject '+0.125' junk, not crash */
    sim_motion *m = create_capturing(spec, err, sizeof err);
    assert_null(m);
    write_file(path, "1e15,0,0,0,0,0,0,1\n"
                     "1000000000000000.125,1e6,-1e6,0,1e300,0,0,1e300\n");
    m = create_capturing(spec, err, sizeof err);
    if (!m) fail_msg("rejected: %s", err);
    const double times[] = {NAN, -INFINITY, INFINITY, -1e9, 0, 0.0625, 0.125, 1e12};
    for (size_t i = 0; i < sizeof times / sizeof *times; i++) {
        plx_pose p;
        plx_vec3 lin, ang;
        sim_motion_sample(m, times[i], &p, &lin, &ang);
        assert_true(isfinite(p.orientation.w) && isfinite(p.position.x) && isfinite(lin.x) &&
                    isfinite(ang.x));
        assert_true(fabs(plx_vec3_length((plx_vec3){p.orientation.x, p.orientation.y, p.orientation.z}) *
                             plx_vec3_length((plx_vec3){p.orientation.x, p.orientation.y, p.orientation.z}) +
                         p.orientation.w * p.orientation.w - 1.0) < 1e-5);
    }
    sim_motion_destroy(&m);
    remove(path);
    /* NUL byte inside a line */
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite("0,0,0,0,0,0,0,1\n1,0,0,0\0,0,0,0,1\n", 1, 34, f);
    fclose(f);
    m = create_capturing(spec, err, sizeof err);
    assert_null(m);
    assert_non_null(strstr(err, "test_motion_extreme.csv:2:"));
    remove(path);
    /* synthetic profiles at absurd times */
    for (size_t i = 0; i < sizeof profiles / sizeof *profiles; i++) {
        sim_motion *pm = sim_motion_create(profiles[i], 1);
        for (size_t k = 0; k < sizeof times / sizeof *times; k++) {
            plx_pose p;
            plx_vec3 lin, ang;
            sim_motion_sample(pm, times[k], &p, &lin, &ang);
            assert_true(isfinite(p.orientation.w) && isfinite(p.position.y) && isfinite(lin.z) &&
                        isfinite(ang.y));
        }
        sim_motion_destroy(&pm);
    }
}

static void bad_spec_names_the_variable(void **state)
{
    (void)state;
    char err[1024];
    const char *bad[] = {"spin", "", "csv:", "Look", "turns "};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sim_motion *m = create_capturing(bad[i], err, sizeof err);
        if (m) fail_msg("spec '%s' accepted", bad[i]);
        if (count_lines(err) != 1 || !strstr(err, "PARALLAX_SIM_MOTION") ||
            !strstr(err, "still|look|turns|walk|stress|yaw:<deg/s>|csv:<path>"))
            fail_msg("spec '%s': unexpected error text '%s'", bad[i], err);
    }
    sim_motion *m = create_capturing("csv:/nonexistent/trace.csv", err, sizeof err);
    assert_null(m);
    if (count_lines(err) != 1 || !strstr(err, "PARALLAX_SIM_MOTION") ||
        !strstr(err, "/nonexistent/trace.csv"))
        fail_msg("missing file: unexpected error text '%s'", err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_profile_is_continuous),
        cmocka_unit_test(analytic_velocity_matches_finite_differences),
        cmocka_unit_test(profile_peak_speeds_in_range),
        cmocka_unit_test(turns_are_gaze_shifts_at_the_stated_rate),
        cmocka_unit_test(turns_depend_on_seed_only),
        cmocka_unit_test(still_is_identity),
        cmocka_unit_test(csv_example_trace_replays),
        cmocka_unit_test(csv_interpolates_and_uses_relative_time),
        cmocka_unit_test(csv_malformed_lines_are_rejected_with_file_and_line),
        cmocka_unit_test(csv_extreme_values_stay_finite),
        cmocka_unit_test(bad_spec_names_the_variable),
    };
    return cmocka_run_group_tests_name("sim_motion", tests, NULL, NULL);
}
