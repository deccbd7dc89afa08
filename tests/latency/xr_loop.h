/* SPDX-License-Identifier: MIT */
/* The frame loop the latency integration tests share (cmocka asserts inside): run frames with an empty pass,
 * then end the session cleanly so the simulated headset writes its report; and the fixture that cleans up
 * after a failed case. */
#pragma once
#include <parallax/parallax.h>

/* Runs `frames` frames with an empty pass (the poses, the latch check and the layer need no scene); every
 * frame must end with PLX_SUCCESS. */
void xr_loop_run(plx_context *ctx, int frames);

/* Asks the session to end while the loop keeps running frames, polls until should_quit, checks that no
 * validation message was seen and destroys the context. */
void xr_loop_finish(plx_context **ctx);

/* plx_context_create (failing the case with plx_last_error's text) of a context the case owns until
 * xr_loop_finish; xr_loop_teardown destroys it if the case failed before that. */
plx_context *xr_loop_create(const plx_context_desc *desc);

/* cmocka teardown for every case: destroys the context a failed case left behind, so the next case can make
 * its own instance (the loader allows one at a time) and one failure does not cascade. */
int xr_loop_teardown(void **state);
