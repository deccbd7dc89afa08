/* The frame loop the latency integration tests share (cmocka asserts inside): run frames with an empty pass,
 * then end the session cleanly so the simulated headset writes its report. */
#pragma once
#include <parallax/parallax.h>

/* Runs `frames` frames with an empty pass (the poses, the latch check and the layer need no scene); every
 * frame must end with PLX_SUCCESS. */
void xr_loop_run(plx_context *ctx, int frames);

/* Asks the session to end while the loop keeps running frames, polls until should_quit, checks that no
 * validation message was seen and destroys the context. */
void xr_loop_finish(plx_context **ctx);
