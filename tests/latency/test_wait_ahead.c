/* SPDX-License-Identifier: MIT */
/* Wait-ahead (runtime/src/timing/pacing.c) through the real OpenXR loader and the simulated headset: on a
 * runtime that paces at fixed times, jit+latch begins each frame right after its xrWaitFrame and a second
 * thread waits for the next frame during this one's sleep. Checked here: it engages (PARALLAX_WAIT_AHEAD=on),
 * the frame calls stay in the order the spec and the core validation layer demand (no validation message,
 * every frame ends with PLX_SUCCESS, the GPU drew exactly the submitted poses), the session ends cleanly with
 * a wait outstanding, auto mode leaves an adaptive runtime alone, off turns it off, and a bad value of the
 * variable is reported by name. Counts only, no wall-clock assertion: the pose-age figure is printed by
 * `parallax-latency --bench`. */
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <parallax/parallax.h>

#include "xr_loop.h"

static char report_path[128];
static int bad_value_lines;

static void count_bad_value(void *user, plx_log_level level, const char *message)
{
    (void)user;
    if (level == PLX_LOG_ERROR &&
        strstr(message, "PARALLAX_WAIT_AHEAD=sometimes is not valid: expected auto|on|off"))
        bad_value_lines++;
}

static plx_context *create(const char *pacing, const char *wait_ahead)
{
    setenv("PARALLAX_SIM_MOTION", "look", 1);
    setenv("PARALLAX_SIM_PACING", pacing, 1);
    setenv("PARALLAX_SIM_EYE_SIZE", "64x64", 1);
    setenv("PARALLAX_SIM_REPORT", report_path, 1);
    if (wait_ahead)
        setenv("PARALLAX_WAIT_AHEAD", wait_ahead, 1);
    else
        unsetenv("PARALLAX_WAIT_AHEAD");
    unsetenv("PARALLAX_MODE");
    remove(report_path);
    plx_context_desc d = {
        .app_name = "test_wait_ahead",
        .mode = PLX_MODE_JIT_LATCH,
        .latch_check = true,
        .validation = true,
        .log_fn = count_bad_value,
    };
    return xr_loop_create(&d);
}

/* Asks the session to end while the loop keeps running frames (a wait may be outstanding when STOPPING
 * comes), then destroys the context; returns the simulated headset's frames_displayed. */
static int64_t finish(plx_context **ctx)
{
    xr_loop_finish(ctx);
    json_object *o = json_object_from_file(report_path), *v = NULL;
    assert_non_null(o);
    assert_true(json_object_object_get_ex(o, "frames_displayed", &v));
    int64_t displayed = json_object_get_int64(v);
    json_object_put(o);
    return displayed;
}

static plx_latency_info info_of(plx_context *ctx)
{
    plx_latency_info info;
    assert_int_equal(plx_get_latency_info(ctx, &info), PLX_SUCCESS);
    return info;
}

static void waits_ahead_on_a_fixed_runtime(void **state)
{
    (void)state;
    plx_context *ctx = create("fixed", "on");
    xr_loop_run(ctx, 300);
    plx_latency_info info = info_of(ctx);
    printf("fixed runtime, PARALLAX_WAIT_AHEAD=on: %llu of 300 frames waited ahead, %llu latch checks, "
           "%llu failures\n",
           (unsigned long long)info.frames_waited_ahead, (unsigned long long)info.latch_frames_checked,
           (unsigned long long)info.latch_failures);
    assert_true(info.frames_waited_ahead > 0);
    assert_true(info.latch_frames_checked > 0);
    assert_int_equal(info.latch_failures, 0);
    int64_t displayed = finish(&ctx);
    printf("frames displayed: %lld\n", (long long)displayed);
    assert_true(displayed > 0);
}

static void auto_leaves_an_adaptive_runtime_alone(void **state)
{
    (void)state;
    plx_context *ctx = create("adaptive", NULL);
    xr_loop_run(ctx, 300);
    plx_latency_info info = info_of(ctx);
    assert_int_equal(info.frames_waited_ahead, 0);
    assert_false(info.waiting_ahead);
    finish(&ctx);
}

static void off_never_waits_ahead(void **state)
{
    (void)state;
    plx_context *ctx = create("fixed", "off");
    xr_loop_run(ctx, 200);
    assert_int_equal(info_of(ctx).frames_waited_ahead, 0);
    finish(&ctx);
}

static void a_bad_value_is_reported_by_name(void **state)
{
    (void)state;
    bad_value_lines = 0;
    plx_context *ctx = create("fixed", "sometimes");
    assert_int_equal(bad_value_lines, 1);
    xr_loop_run(ctx, 20);
    finish(&ctx);
}

int main(void)
{
    snprintf(report_path, sizeof report_path, "wait_ahead_report_%d.json", (int)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(waits_ahead_on_a_fixed_runtime, xr_loop_teardown),
        cmocka_unit_test_teardown(auto_leaves_an_adaptive_runtime_alone, xr_loop_teardown),
        cmocka_unit_test_teardown(off_never_waits_ahead, xr_loop_teardown),
        cmocka_unit_test_teardown(a_bad_value_is_reported_by_name, xr_loop_teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    remove(report_path);
    return failed;
}
