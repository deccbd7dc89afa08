/* SPDX-License-Identifier: MIT */
/* Layer 3, timing; calls nothing of libparallax (pure logic, no clock). Just-in-time pacing logic (see
 * plx_pacer.h). The wake time is the earlier of two limits:
 *  - latency: the frame must be done on the GPU by the deadline, display time - display allowance, so
 *    wake = deadline - (recent wake -> GPU-done cost at a high percentile) - margin;
 *  - throughput: a serial frame loop must call the next xrWaitFrame before the runtime's next wake-up
 *    point (one period after this one), or a runtime that returns a fixed lead before display time blocks
 *    it for an extra refresh and the frame rate halves. So wake = ideal wait return + period - (recent
 *    wake -> next xrWaitFrame cost) - margin. A loop that waits ahead (xrWaitFrame for the next frame
 *    before this one's sleep) next calls xrWaitFrame for the frame after next: one period more.
 * The ideal wait return is display time minus the largest recent (display time - wait return): scheduling
 * only ever makes a return late. An adaptive runtime already returns from xrWaitFrame about as late as the
 * app's cost allows; sleeping more there only risks misses, so when the headroom after xrWaitFrame is within
 * a quarter period of what the frame needs (over most recent frames) the pacer does not sleep at all. */
#include <stddef.h>
#include <stdlib.h>

#include "timing/plx_pacer.h"

static int64_t max_i64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static int64_t min_i64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

void plx_pacer_init(plx_pacer *p, const plx_pacer_desc *desc)
{
    *p = (plx_pacer){0};
    if (desc) p->desc = *desc;
    plx_pacer_desc *d = &p->desc;
    if (d->display_allowance_ns <= 0) d->display_allowance_ns = 5000000;
    if (d->margin_min_ns <= 0) d->margin_min_ns = 1000000;
    if (d->margin_max_ns <= 0) d->margin_max_ns = 8000000;
    if (d->margin_max_ns < d->margin_min_ns) d->margin_max_ns = d->margin_min_ns;
    if (d->margin_step_ns <= 0) d->margin_step_ns = 1000000;
    if (!(d->margin_decay > 0.0 && d->margin_decay <= 1.0)) d->margin_decay = 0.003;
    if (d->min_samples == 0) d->min_samples = 8;
    if (d->min_samples > PLX_PACER_WINDOW) d->min_samples = PLX_PACER_WINDOW;
    if (d->percentile == 0 || d->percentile > 100) d->percentile = 95;
    p->margin = d->margin_min_ns;
    p->loop_margin = d->margin_min_ns;
}

static void push(int64_t *ring, uint32_t *count, uint32_t *next, int64_t v)
{
    ring[*next] = v;
    *next = (*next + 1) % PLX_PACER_WINDOW;
    if (*count < PLX_PACER_WINDOW) (*count)++;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of the ring's values; 0 with fewer than min_samples. */
static int64_t ring_percentile(const plx_pacer *p, const int64_t *ring, uint32_t count)
{
    if (count < p->desc.min_samples) return 0;
    int64_t sorted[PLX_PACER_WINDOW];
    for (uint32_t i = 0; i < count; i++) sorted[i] = ring[i];
    qsort(sorted, count, sizeof sorted[0], cmp_i64);
    uint32_t rank = (count * p->desc.percentile + 99) / 100;
    if (rank < 1) rank = 1;
    return sorted[rank - 1];
}

/* A miss doubles the margin and adds a step (quick to reach safety); a safe frame gives back a small share
 * of what is above the minimum (slow to return to the edge). */
static void grow_margin(plx_pacer *p, int64_t *margin)
{
    p->misses++;
    *margin = min_i64(*margin * 2 + p->desc.margin_step_ns, p->desc.margin_max_ns);
}

static void shrink_margin(const plx_pacer *p, int64_t *margin)
{
    int64_t excess = *margin - p->desc.margin_min_ns;
    *margin -= (int64_t)((double)excess * p->desc.margin_decay);
    if (*margin < p->desc.margin_min_ns) *margin = p->desc.margin_min_ns;
}

static void update_adaptive(plx_pacer *p, bool vote)
{
    p->adaptive_vote[p->vote_next] = vote;
    p->vote_next = (p->vote_next + 1) % PLX_PACER_WINDOW;
    if (p->vote_count < PLX_PACER_WINDOW) p->vote_count++;
    if (p->vote_count < p->desc.min_samples) return;
    uint32_t yes = 0;
    for (uint32_t i = 0; i < p->vote_count; i++) yes += p->adaptive_vote[i] ? 1u : 0u;
    /* Hysteresis: a few odd frames (a stall, a slow start) do not flip the verdict back and forth. */
    if (!p->runtime_adaptive && yes * 4 >= p->vote_count * 3) p->runtime_adaptive = true;
    if (p->runtime_adaptive && yes * 4 <= p->vote_count) p->runtime_adaptive = false;
}

plx_pacer_plan plx_pacer_plan_frame(plx_pacer *p, int64_t wait_call, int64_t now, int64_t display_time,
                                    int64_t period)
{
    p->frames_planned++;
    if (p->last_display_time > 0 && period > 0) {
        if (display_time - p->last_display_time > period * 3 / 2)
            grow_margin(p, &p->loop_margin);
        else
            shrink_margin(p, &p->loop_margin);
    }
    p->last_display_time = display_time;
    if (period > 0) p->period = period;
    /* More than two periods from a wake to the next wait is a gap (a skipped frame, a stall), not the cost
     * of one loop. */
    if (p->last_wake > 0 && wait_call >= p->last_wake &&
        (period <= 0 || wait_call - p->last_wake < 2 * period))
        push(p->loop_cost, &p->loop_count, &p->loop_next, wait_call - p->last_wake);
    if (!p->display_unrelated) push(p->wait_lead, &p->lead_count, &p->lead_next, display_time - now);

    plx_pacer_plan plan = {
        .wake = now,
        .deadline = display_time - p->desc.display_allowance_ns,
        .frame_cost = ring_percentile(p, p->frame_cost, p->frame_count),
        .loop_cost = ring_percentile(p, p->loop_cost, p->loop_count),
        .margin = p->margin,
        .loop_margin = p->loop_margin,
    };
    if (period <= 0 || plan.frame_cost == 0 || plan.loop_cost == 0 || p->display_unrelated) {
        /* Too little measured to trust an estimate: run as soon as possible. */
        p->last_wake = now;
        plan.runtime_adaptive = p->runtime_adaptive;
        return plan;
    }
    int64_t by_latency = plan.deadline - plan.frame_cost - plan.margin;
    int64_t lead_max = p->wait_lead[0];
    for (uint32_t i = 1; i < p->lead_count; i++) lead_max = max_i64(lead_max, p->wait_lead[i]);
    int64_t ideal_return = display_time - lead_max;
    int64_t by_throughput =
        ideal_return + (int64_t)(1 + p->waits_ahead) * period - plan.loop_cost - plan.loop_margin;

    /* Adaptive runtime: what the frame needs is already about all the headroom it was given. */
    int64_t headroom = display_time - now;
    int64_t needed = p->desc.display_allowance_ns + plan.frame_cost + plan.margin;
    update_adaptive(p, headroom < needed + max_i64(period / 4, p->desc.margin_min_ns));
    plan.runtime_adaptive = p->runtime_adaptive;

    int64_t wake = min_i64(by_latency, by_throughput);
    /* Waiting ahead, the caller has already judged the runtime fixed from its wake-up grid, a better
     * witness than the headroom votes, which a heavy frame tips. */
    if ((!p->runtime_adaptive || p->waits_ahead) && wake > now) {
        plan.wake = wake;
        p->frames_slept++;
    }
    p->last_wake = plan.wake;
    return plan;
}

bool plx_pacer_steady_fixed(plx_pacer *p, uint64_t min_frames)
{
    if (p->ever_off_grid || p->frames_planned < min_frames || p->lead_count < PLX_PACER_WINDOW ||
        p->vote_count < PLX_PACER_WINDOW || p->period <= 0)
        return false;
    /* A fixed runtime wakes the app at a vsync: display time - return is the same modulo the period every
     * frame (whole periods plus its display offset), less whatever the scheduler made a return late by.
     * An adaptive one wakes it at display time - what it measured the app needs, which moves with the
     * app's cost. The on-time returns have the largest lead: the others are compared with it. */
    const int64_t late_ok = 1000000, early_ok = 200000;
    int64_t lead_max = p->wait_lead[0];
    for (uint32_t i = 1; i < p->lead_count; i++) lead_max = max_i64(lead_max, p->wait_lead[i]);
    uint32_t on_grid = 0;
    for (uint32_t i = 0; i < p->lead_count; i++) {
        int64_t behind = (lead_max - p->wait_lead[i]) % p->period; /* 0 .. period-1 */
        if (behind <= late_ok || behind >= p->period - early_ok) on_grid++;
    }
    /* Mostly off the grid over a whole window: not a fixed runtime, for good. */
    if (on_grid * 2 < p->lead_count) p->ever_off_grid = true;
    /* And the runtime gives the frame clearly more time than it needs on most frames (an adaptive runtime
     * with a perfectly steady app could also wake it at a steady phase, but only just in time). */
    uint32_t adaptive_votes = 0;
    for (uint32_t i = 0; i < p->vote_count; i++) adaptive_votes += p->adaptive_vote[i] ? 1u : 0u;
    return on_grid * 10 >= p->lead_count * 9 && adaptive_votes * 2 <= p->vote_count;
}

bool plx_pacer_frame_done(plx_pacer *p, const plx_pacer_frame *f)
{
    if (!f->rendered || f->submit < f->wake || f->done <= 0) return false;
    /* The real completion: GPU work queued behind other work (the runtime's compositor on a shared queue)
     * counts, which submit + GPU time would not see. Never before the submission, whatever a coarse
     * calibration says. */
    int64_t done = max_i64(f->done, f->submit);
    push(p->frame_cost, &p->frame_count, &p->frame_next, done - f->wake);
    if (p->display_unrelated) return false;
    if (done > f->display_time - p->desc.display_allowance_ns) {
        grow_margin(p, &p->margin);
        return true;
    }
    shrink_margin(p, &p->margin);
    return false;
}
