/* Just-in-time pacing in the frame loop: feeds the pacer (pacer.c, the logic, clock-free) from the frame
 * loop's timestamps and does the sleeping. The plan is made in every mode, so the estimates, the miss count
 * and the adaptive-runtime verdict are available to plx_get_latency_info; only PLX_MODE_JIT_LATCH sleeps. */
#include "plx_internal.h"

plx_result plx_latency_init(plx_context *ctx, const plx_context_desc *desc)
{
    plx_pacer_init(&ctx->lat.pacer, NULL);
    plx_result res = plx_predict_init(ctx, desc);
    if (res < 0) return res;
    return plx_latch_init(ctx, desc);
}

void plx_latency_fini(plx_context *ctx)
{
    plx_latch_fini(ctx);
    plx_predict_fini(ctx);
}

int64_t plx_pacing_after_wait(plx_context *ctx, int64_t now, int64_t display_time, int64_t period)
{
    plx_pacer *p = &ctx->lat.pacer;
    plx_pacer_plan plan = plx_pacer_plan_frame(p, ctx->lat.wait_call, now, display_time, period);
    ctx->lat.plan = plan;
    if (ctx->mode != PLX_MODE_JIT_LATCH || plan.wake <= now) {
        /* The loop runs from here: the next loop-cost sample is measured from now. */
        p->last_wake = now;
        return now;
    }
    plx_sleep_until_ns(plan.wake);
    int64_t woke = plx_now_ns();
    plx_log(
        ctx, PLX_LOG_DEBUG,
        "pacing: slept %.2f ms (frame cost %.2f ms, loop cost %.2f ms, margin %.2f ms, overslept %.3f ms)",
        (double)(plan.wake - now) * 1e-6, (double)plan.frame_cost * 1e-6, (double)plan.loop_cost * 1e-6,
        (double)plan.margin * 1e-6, (double)(woke - plan.wake) * 1e-6);
    return woke;
}

void plx_pacing_frame_done(plx_context *ctx, const plx_frame_stats *st)
{
    plx_pacer_frame f = {
        .display_time = st->predicted_display_time,
        .period = st->predicted_display_period,
        .wake = st->wake,
        .submit = st->submit,
        .end = st->end,
        .gpu_ms = st->gpu_ms,
        .rendered = st->rendered,
    };
    if (plx_pacer_frame_done(&ctx->lat.pacer, &f))
        plx_log(ctx, PLX_LOG_DEBUG, "pacing: frame %llu late for its deadline; margin now %.2f ms",
                (unsigned long long)st->index, (double)ctx->lat.pacer.margin * 1e-6);
}

int64_t plx_pacing_estimate_ns(const plx_context *ctx)
{
    return ctx->lat.plan.frame_cost;
}
