/* SPDX-License-Identifier: MIT */
#include "xr_loop.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

/* The context the running case owns (one at a time: cases run one after the other). */
static plx_context *live;

plx_context *xr_loop_create(const plx_context_desc *desc)
{
    plx_context *ctx = NULL;
    plx_result r = plx_context_create(desc, &ctx);
    if (r != PLX_SUCCESS) fprintf(stderr, "plx_context_create: %s\n", plx_last_error(NULL));
    assert_int_equal(r, PLX_SUCCESS);
    live = ctx;
    return ctx;
}

int xr_loop_teardown(void **state)
{
    (void)state;
    if (live) plx_context_destroy(&live);
    return 0;
}

void xr_loop_run(plx_context *ctx, int frames)
{
    int done = 0, spins = 0;
    while (done < frames) {
        plx_events ev;
        assert_true(plx_poll(ctx, &ev) >= 0);
        assert_false(ev.should_quit);
        plx_frame f;
        plx_result r = plx_frame_wait(ctx, &f);
        if (r == PLX_SESSION_NOT_RUNNING) {
            assert_true(++spins < 500);
            continue;
        }
        assert_int_equal(r, PLX_SUCCESS);
        r = plx_frame_begin(ctx, &f);
        assert_true(r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED);
        assert_int_equal(plx_frame_end(ctx, &f), PLX_SUCCESS);
        done++;
    }
}

void xr_loop_finish(plx_context **ctx)
{
    assert_true(plx_request_exit(*ctx) >= 0);
    plx_events ev = {0};
    for (int i = 0; i < 1000 && !ev.should_quit; i++) {
        assert_true(plx_poll(*ctx, &ev) >= 0);
        if (ev.running && !ev.should_quit) {
            plx_frame f;
            if (plx_frame_wait(*ctx, &f) == PLX_SUCCESS) {
                plx_frame_begin(*ctx, &f);
                plx_frame_end(*ctx, &f);
            }
        }
    }
    assert_true(ev.should_quit);
    assert_int_equal(plx_validation_message_count(*ctx), 0);
    if (*ctx == live) live = NULL;
    plx_context_destroy(ctx);
}
