/* SPDX-License-Identifier: MIT */
/* Unit tests of the just-in-time pacing logic (runtime/src/timing/pacer.c) on a fake clock: a modelled
 * runtime that either returns from xrWaitFrame at a vsync with the display two periods later (fixed pacing)
 * or just before what the app needs (adaptive), and a frame of known cost. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "timing/plx_pacer.h"

#define MS     1000000LL
#define PERIOD 11111111LL /* 90 Hz */

/* One frame of a modelled loop: the runtime's xrWaitFrame returns at wait_return for display_time; the
 * frame costs cpu before submission and, after it, waits queue on the GPU queue (behind the compositor's
 * work) and then runs gpu; the loop calls the next wait loop_tail after the submit. Returns the plan and
 * feeds the result back with the real completion (what the calibrated GPU end or the fence says). */
typedef struct model {
    plx_pacer p;
    int64_t wait_call; /* when the loop called xrWaitFrame */
    int64_t cpu, gpu, loop_tail, queue;
} model;

static plx_pacer_plan run_frame(model *m, int64_t wait_return, int64_t display_time, bool *out_late)
{
    plx_pacer_plan plan = plx_pacer_plan_frame(&m->p, m->wait_call, wait_return, display_time, PERIOD);
    int64_t wake = plan.wake;
    int64_t submit = wake + m->cpu;
    plx_pacer_frame f = {
        .display_time = display_time,
        .period = PERIOD,
        .wake = wake,
        .submit = submit,
        .end = submit + 100000,
        .done = submit + m->queue + m->gpu,
        .rendered = true,
    };
    bool late = plx_pacer_frame_done(&m->p, &f);
    if (out_late) *out_late = late;
    m->wait_call = submit + m->loop_tail;
    return plan;
}

/* Fixed runtime: xrWaitFrame returns at the first vsync at or after the call, display two periods later
 * (plus a 2 ms display offset). */
static plx_pacer_plan fixed_frame(model *m, int64_t *vsync, bool *out_late)
{
    int64_t v = *vsync;
    while (v < m->wait_call) v += PERIOD;
    *vsync = v + PERIOD; /* one frame per refresh */
    return run_frame(m, v, v + 2 * PERIOD + 2 * MS, out_late);
}

static void no_sleep_before_enough_samples(void **state)
{
    (void)state;
    model m = {.cpu = 2 * MS, .gpu = 3 * MS, .loop_tail = 500000};
    plx_pacer_init(&m.p, NULL);
    int64_t vsync = 1000 * MS;
    m.wait_call = vsync;
    for (int i = 0; i < 7; i++) {
        int64_t before = vsync;
        plx_pacer_plan plan = fixed_frame(&m, &vsync, NULL);
        assert_int_equal(plan.wake, before); /* woke at the vsync itself: no sleep */
    }
}

static void never_sleeps_past_its_deadline(void **state)
{
    (void)state;
    /* Costs that vary frame to frame, some frames far too slow for the display: whatever happens, the wake
     * time leaves at least the estimated cost before the deadline it computed, and is never in the past. */
    model m = {.loop_tail = 300000};
    plx_pacer_init(&m.p, NULL);
    int64_t vsync = 1000 * MS;
    m.wait_call = vsync;
    uint32_t seed = 12345;
    int slept = 0;
    for (int i = 0; i < 5000; i++) {
        seed = seed * 1103515245u + 12345u;
        m.cpu = (int64_t)(seed >> 8) % (4 * MS);
        m.gpu = (int64_t)(seed >> 4) % (6 * MS) + (i % 97 == 0 ? 25 * MS : 0);
        int64_t wait_return = vsync;
        while (wait_return < m.wait_call) wait_return += PERIOD;
        plx_pacer_plan plan = fixed_frame(&m, &vsync, NULL);
        assert_true(plan.wake >= wait_return);
        assert_true(plan.wake <= plan.deadline);
        if (plan.wake > wait_return) {
            slept++;
            assert_true(plan.wake <= plan.deadline - plan.frame_cost - plan.margin);
        }
    }
    assert_true(slept > 1000); /* the property was tested on frames that did sleep */
}

static void sleeps_just_in_time_on_a_fixed_runtime(void **state)
{
    (void)state;
    model m = {.cpu = 1 * MS, .gpu = 2 * MS, .loop_tail = 200000};
    plx_pacer_init(&m.p, NULL);
    int64_t vsync = 1000 * MS;
    m.wait_call = vsync;
    plx_pacer_plan plan = {0};
    int64_t wait_return = 0;
    for (int i = 0; i < 100; i++) {
        wait_return = vsync;
        while (wait_return < m.wait_call) wait_return += PERIOD;
        plan = fixed_frame(&m, &vsync, NULL);
    }
    assert_false(plan.runtime_adaptive);
    assert_true(plan.wake > wait_return + 5 * MS); /* most of the period slept */
    /* ... but the next xrWaitFrame is still called before the runtime's next vsync (no halved rate). */
    assert_true(plan.wake + m.cpu + m.loop_tail <= wait_return + PERIOD);
    assert_int_equal(m.p.misses, 0);
}

static void margin_grows_after_a_miss_and_shrinks_slowly(void **state)
{
    (void)state;
    model m = {.cpu = 1 * MS, .gpu = 2 * MS, .loop_tail = 200000};
    plx_pacer_init(&m.p, NULL);
    int64_t vsync = 1000 * MS;
    m.wait_call = vsync;
    for (int i = 0; i < 50; i++) fixed_frame(&m, &vsync, NULL);
    int64_t before = m.p.margin;
    assert_int_equal(before, 1 * MS);
    /* One frame whose GPU work runs 30 ms: late for its deadline. */
    m.gpu = 30 * MS;
    bool late = false;
    fixed_frame(&m, &vsync, &late);
    assert_true(late);
    assert_true(m.p.misses >= 1);
    int64_t grown = m.p.margin;
    assert_true(grown > before);
    /* Safe again: a frame later the margin is a little smaller, not back at the minimum ... */
    m.gpu = 2 * MS;
    fixed_frame(&m, &vsync, &late);
    assert_false(late);
    assert_true(m.p.margin < grown);
    assert_true(m.p.margin > grown - (grown - before) / 10);
    /* ... and after 1,500 safe frames (17 s at 90 Hz) it is. */
    for (int i = 0; i < 1500; i++) fixed_frame(&m, &vsync, NULL);
    assert_true(m.p.margin - before < 100000);
}

static void skipped_display_period_counts_as_a_miss(void **state)
{
    (void)state;
    plx_pacer p;
    plx_pacer_init(&p, NULL);
    int64_t t = 1000 * MS;
    plx_pacer_plan_frame(&p, t, t, t + 2 * PERIOD, PERIOD);
    t += PERIOD;
    plx_pacer_plan_frame(&p, t, t, t + 2 * PERIOD, PERIOD);
    assert_int_equal(p.misses, 0);
    int64_t before = p.loop_margin;
    t += 2 * PERIOD; /* the runtime skipped a refresh */
    plx_pacer_plan_frame(&p, t, t, t + 2 * PERIOD, PERIOD);
    assert_int_equal(p.misses, 1);
    assert_true(p.loop_margin > before);
}

static void no_sleep_when_the_runtime_paces_adaptively(void **state)
{
    (void)state;
    /* Adaptive runtime: returns from xrWaitFrame its own budget (the app's cost + 1 ms + a 2 ms lead) plus
     * the 2 ms display offset before the display time. */
    model m = {.cpu = 1 * MS, .gpu = 2 * MS, .loop_tail = 200000};
    plx_pacer_init(&m.p, NULL);
    int64_t vsync = 1000 * MS;
    m.wait_call = vsync;
    plx_pacer_plan plan = {0};
    int slept_late = 0;
    for (int i = 0; i < 200; i++) {
        while (vsync < m.wait_call + 8 * MS) vsync += PERIOD;
        int64_t display = vsync + 2 * MS;
        int64_t wait_return = display - (m.cpu + m.gpu + 1 * MS + 2 * MS + 2 * MS);
        if (wait_return < m.wait_call) wait_return = m.wait_call;
        plan = run_frame(&m, wait_return, display, NULL);
        if (i >= 40 && plan.wake != wait_return) slept_late++;
        vsync += PERIOD;
    }
    assert_true(plan.runtime_adaptive);
    assert_int_equal(slept_late, 0);
}

/* Wait-ahead on a fixed runtime: the loop takes frame k's xrWaitFrame result when it comes back from frame
 * k-1, begins frame k at once, and a second thread's xrWaitFrame for frame k+1 (called then) returns at
 * the first vsync after both that call and frame k's own vsync. With waits_ahead = 1 the pacer may sleep
 * past the next vsync (a serial loop cannot: it must be back in xrWaitFrame by then), up to the latency
 * limit, and the display times still advance one period per frame. */
static void waiting_ahead_sleeps_up_to_the_latency_limit(void **state)
{
    (void)state;
    model m = {.cpu = 1 * MS, .gpu = 2 * MS, .loop_tail = 200000};
    plx_pacer_init(&m.p, NULL);
    m.p.waits_ahead = 1;
    int64_t vsync = 1000 * MS; /* the wake-up vsync of the frame whose result is held */
    m.wait_call = vsync;
    int64_t last_display = 0;
    int skipped = 0, beyond_next_vsync = 0;
    for (int i = 0; i < 300; i++) {
        int64_t wait_return = vsync, display = vsync + 2 * PERIOD + 2 * MS;
        int64_t take = m.wait_call > wait_return ? m.wait_call : wait_return; /* begin + next wait call */
        plx_pacer_plan plan = run_frame(&m, wait_return, display, NULL);
        if (plan.frame_cost > 0) {
            assert_true(plan.wake <= plan.deadline - plan.frame_cost - plan.margin);
            if (plan.wake > wait_return + PERIOD) beyond_next_vsync++;
        }
        if (last_display && display - last_display != PERIOD) skipped++;
        last_display = display;
        /* The waiter's xrWaitFrame for the next frame, called at `take`, returns at the first vsync after
         * this frame's that is not before the call. */
        int64_t next = vsync + PERIOD;
        while (next < take) next += PERIOD;
        vsync = next;
    }
    assert_true(beyond_next_vsync > 250);
    assert_int_equal(skipped, 0);
    assert_int_equal(m.p.misses, 0);
}

/* The fixed-runtime judgement wait-ahead needs: yes on a fixed runtime once enough frames are seen, no on
 * an adaptive one whose wake-ups follow the app's cost, and never again once a window was mostly off the
 * vsync grid. */
static void steady_fixed_tells_fixed_from_adaptive(void **state)
{
    (void)state;
    model m = {.cpu = 1 * MS, .gpu = 2 * MS, .loop_tail = 200000};
    plx_pacer_init(&m.p, NULL);
    int64_t vsync = 1000 * MS;
    m.wait_call = vsync;
    for (int i = 0; i < 100; i++) fixed_frame(&m, &vsync, NULL);
    assert_false(plx_pacer_steady_fixed(&m.p, 128)); /* not enough frames yet */
    for (int i = 0; i < 100; i++) fixed_frame(&m, &vsync, NULL);
    assert_true(plx_pacer_steady_fixed(&m.p, 128));

    /* Adaptive, with a cost that wanders frame to frame: wake-ups off the grid. */
    plx_pacer_init(&m.p, NULL);
    vsync = 1000 * MS;
    m.wait_call = vsync;
    uint32_t seed = 99;
    for (int i = 0; i < 300; i++) {
        seed = seed * 1103515245u + 12345u;
        m.gpu = 2 * MS + (int64_t)(seed >> 8) % (3 * MS);
        while (vsync < m.wait_call + 10 * MS) vsync += PERIOD;
        int64_t display = vsync + 2 * MS;
        int64_t wait_return = display - (m.cpu + m.gpu + 1 * MS + 2 * MS + 2 * MS);
        if (wait_return < m.wait_call) wait_return = m.wait_call;
        run_frame(&m, wait_return, display, NULL);
        assert_false(plx_pacer_steady_fixed(&m.p, 128));
        vsync += PERIOD;
    }
    assert_true(m.p.ever_off_grid);
    /* Even a later run of fixed-looking wake-ups does not bring it back. */
    for (int i = 0; i < 200; i++) fixed_frame(&m, &vsync, NULL);
    assert_false(plx_pacer_steady_fixed(&m.p, 128));
}

/* Completion is where the GPU work really ended: work queued behind other work on the queue (4 ms here)
 * counts in the cost estimate and makes a frame late (submit + GPU time alone would see 2 ms). */
static void queued_gpu_work_counts_in_the_cost(void **state)
{
    (void)state;
    model m = {.cpu = 1 * MS, .gpu = 2 * MS, .loop_tail = 200000, .queue = 4 * MS};
    plx_pacer_init(&m.p, NULL);
    int64_t vsync = 1000 * MS;
    m.wait_call = vsync;
    plx_pacer_plan plan = {0};
    for (int i = 0; i < 60; i++) plan = fixed_frame(&m, &vsync, NULL);
    assert_true(plan.frame_cost >= m.cpu + m.queue + m.gpu);
    /* A frame whose GPU work waits 12 ms in the queue is late, though its own 2 ms would have fitted. */
    m.queue = 12 * MS;
    bool late = false;
    fixed_frame(&m, &vsync, &late);
    assert_true(late);
}

/* A frame whose completion is unknown (no timestamps and no fence time) measures nothing: the pacer does
 * not sleep on a cost it has never seen. */
static void unknown_completion_is_not_counted(void **state)
{
    (void)state;
    plx_pacer p;
    plx_pacer_init(&p, NULL);
    int64_t t = 1000 * MS;
    for (int i = 0; i < 50; i++, t += PERIOD) {
        plx_pacer_plan plan = plx_pacer_plan_frame(&p, t, t, t + 2 * PERIOD, PERIOD);
        assert_int_equal(plan.wake, t);
        plx_pacer_frame f = {.display_time = t + 2 * PERIOD,
                             .period = PERIOD,
                             .wake = t,
                             .submit = t + MS,
                             .end = t + 2 * MS,
                             .done = 0,
                             .rendered = true};
        assert_false(plx_pacer_frame_done(&p, &f));
    }
    assert_int_equal(p.frame_count, 0);
    assert_int_equal(p.frames_slept, 0);
}

/* Safe mode (the frame loop's clock cannot be related to display times): no sleep and no deadline judged,
 * however late the display time looks on the other clock; costs and skipped periods are still measured. */
static void unrelated_display_times_never_sleep(void **state)
{
    (void)state;
    model m = {.cpu = 1 * MS, .gpu = 2 * MS, .loop_tail = 200000};
    plx_pacer_init(&m.p, NULL);
    m.p.display_unrelated = true;
    int64_t vsync = 1000 * MS;
    m.wait_call = vsync;
    plx_pacer_plan plan = {0};
    for (int i = 0; i < 100; i++) {
        int64_t v = vsync;
        while (v < m.wait_call) v += PERIOD;
        vsync = v + PERIOD;
        /* Display times on a clock 1,925 s behind the loop's: every frame would look 1,925 s late. */
        plan = run_frame(&m, v, v + 2 * PERIOD - 1925000 * MS, NULL);
        assert_int_equal(plan.wake, v);
    }
    assert_int_equal(m.p.frames_slept, 0);
    assert_int_equal(m.p.misses, 0);
    assert_true(plan.frame_cost >= m.cpu + m.gpu);
}

/* The pacer only ever subtracts times: the same loop on clocks 10^6 s apart (both signs of an XrTime epoch
 * against another) gives the same plans, shifted. */
static void plans_do_not_depend_on_the_epoch(void **state)
{
    (void)state;
    const int64_t offsets[2] = {1000000000LL * MS, 30 * MS}; /* 10^6 s and 0.03 s after the first run's 1 s */
    plx_pacer_plan plans[2][200];
    for (int k = 0; k < 2; k++) {
        model m = {.cpu = 1 * MS, .gpu = 2 * MS, .loop_tail = 200000};
        plx_pacer_init(&m.p, NULL);
        int64_t vsync = 1000 * MS + offsets[k];
        m.wait_call = vsync;
        uint32_t seed = 7;
        for (int i = 0; i < 200; i++) {
            seed = seed * 1103515245u + 12345u;
            m.gpu = 2 * MS + (int64_t)(seed >> 8) % (3 * MS);
            plans[k][i] = fixed_frame(&m, &vsync, NULL);
        }
    }
    for (int i = 0; i < 200; i++) {
        assert_int_equal(plans[0][i].wake - offsets[0], plans[1][i].wake - offsets[1]);
        assert_int_equal(plans[0][i].frame_cost, plans[1][i].frame_cost);
        assert_int_equal(plans[0][i].margin, plans[1][i].margin);
    }
}

static void defaults_resolve(void **state)
{
    (void)state;
    plx_pacer p;
    plx_pacer_init(&p, &(plx_pacer_desc){.margin_max_ns = 1, .percentile = 500});
    assert_int_equal(p.desc.display_allowance_ns, 5 * MS);
    assert_int_equal(p.desc.margin_min_ns, 1 * MS);
    assert_int_equal(p.desc.margin_max_ns, 1 * MS); /* never below the minimum */
    assert_int_equal(p.desc.percentile, 95);
    assert_int_equal(p.margin, 1 * MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_sleep_before_enough_samples),
        cmocka_unit_test(never_sleeps_past_its_deadline),
        cmocka_unit_test(sleeps_just_in_time_on_a_fixed_runtime),
        cmocka_unit_test(margin_grows_after_a_miss_and_shrinks_slowly),
        cmocka_unit_test(skipped_display_period_counts_as_a_miss),
        cmocka_unit_test(no_sleep_when_the_runtime_paces_adaptively),
        cmocka_unit_test(waiting_ahead_sleeps_up_to_the_latency_limit),
        cmocka_unit_test(steady_fixed_tells_fixed_from_adaptive),
        cmocka_unit_test(queued_gpu_work_counts_in_the_cost),
        cmocka_unit_test(unknown_completion_is_not_counted),
        cmocka_unit_test(unrelated_display_times_never_sleep),
        cmocka_unit_test(plans_do_not_depend_on_the_epoch),
        cmocka_unit_test(defaults_resolve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
