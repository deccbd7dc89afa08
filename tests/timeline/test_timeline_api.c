/* SPDX-License-Identifier: MIT */
/* The timeline through the public API on the simulated headset (headless, validation on): every record's
 * timestamps come in frame-loop order and its GPU start/end (timestamp queries on CLOCK_MONOTONIC) lie
 * between its submission and a later frame's end; rolling percentiles answer; the HUD can be switched on
 * and off at run time with no validation message; without a display the mirror API says unsupported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <parallax/parallax.h>

static int failures;

#define CHECK(cond, ...)                                             \
    do {                                                             \
        if (!(cond)) {                                               \
            if (failures++ < 20) {                                   \
                fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
                fprintf(stderr, __VA_ARGS__);                        \
                fputc('\n', stderr);                                 \
            }                                                        \
        }                                                            \
    } while (0)

static int run_frames(plx_context *ctx, plx_scene *scene, int n)
{
    int done = 0;
    plx_events ev;
    while (done < n) {
        if (plx_poll(ctx, &ev) < 0 || ev.should_quit) return -1;
        plx_frame frame;
        plx_result r = plx_frame_wait(ctx, &frame);
        if (r == PLX_SESSION_NOT_RUNNING) continue;
        if (r < 0 || (r = plx_frame_begin(ctx, &frame)) < 0) return -1;
        if (r == PLX_SUCCESS) plx_scene_draw(scene, &frame);
        if (plx_frame_end(ctx, &frame) < 0) return -1;
        done++;
    }
    return 0;
}

int main(void)
{
    plx_context *ctx = NULL;
    if (plx_context_create(&(plx_context_desc){.app_name = "test-timeline-api", .validation = true}, &ctx) !=
        PLX_SUCCESS) {
        fprintf(stderr, "FAIL: %s\n", plx_last_error(NULL));
        return 1;
    }
    plx_scene *scene = NULL;
    if (plx_scene_create(ctx, NULL, &scene) != PLX_SUCCESS) {
        fprintf(stderr, "FAIL: %s\n", plx_last_error(ctx));
        plx_context_destroy(&ctx);
        return 1;
    }
    plx_scene_add_cube(scene, &(plx_cube_desc){.transform = {.position = {0, 0, -2}}}, NULL);

    CHECK(run_frames(ctx, scene, 60) == 0, "frame loop: %s", plx_last_error(ctx));
    CHECK(plx_set_hud(ctx, true) == PLX_SUCCESS, "plx_set_hud(true): %s", plx_last_error(ctx));
    CHECK(run_frames(ctx, scene, 40) == 0, "frame loop with the HUD: %s", plx_last_error(ctx));
    CHECK(plx_set_hud(ctx, false) == PLX_SUCCESS, "plx_set_hud(false)");
    CHECK(run_frames(ctx, scene, 20) == 0, "frame loop: %s", plx_last_error(ctx));

    plx_frame_stats st[256];
    uint32_t n = plx_get_frame_stats(ctx, st, 256);
    CHECK(n == 120, "%u records, expected 120", n);
    uint32_t with_gpu = 0, missed = 0;
    for (uint32_t i = 0; i < n; i++) {
        const plx_frame_stats *s = &st[i];
        CHECK(i == 0 || s->index == st[i - 1].index + 1, "records out of order at %u", i);
        CHECK(s->wait_call > 0 && s->wait_call <= s->wait_return && s->wait_return <= s->wake &&
                  s->wake <= s->begin && s->begin <= s->record_end && s->record_end <= s->end,
              "frame %llu: CPU timestamps out of order", (unsigned long long)s->index);
        /* A runtime whose xrWaitFrame thread was descheduled returns a display time already past (the
         * simulated headset does on a loaded machine): that frame is late, and must be reported missed. */
        CHECK(s->predicted_display_time > s->wait_return || s->missed,
              "frame %llu: display time before the wait returned, and the frame is not reported missed",
              (unsigned long long)s->index);
        missed += s->missed;
        CHECK(!s->missed || s->skipped_displays >= 1, "frame %llu: missed without skipped refreshes",
              (unsigned long long)s->index);
        if (!s->rendered || s->gpu_end == 0) continue;
        with_gpu++;
        /* Calibrated clock: the GPU starts after the submission began (1 ms slack for the calibration) and
         * ends after it starts, and before the frame two later (the same slot: index % frames_in_flight 2)
         * finished recording, since that frame's plx_frame_begin waited for this one's fence. A causal order,
         * not a duration: it holds however loaded the machine is. */
        CHECK(s->gpu_start >= s->record_end - 1000000 && s->gpu_end >= s->gpu_start,
              "frame %llu: GPU %lld..%lld vs submit %lld", (unsigned long long)s->index,
              (long long)s->gpu_start, (long long)s->gpu_end, (long long)s->submit);
        CHECK(i + 2 >= n || !st[i + 2].rendered || s->gpu_end <= st[i + 2].record_end + 1000000,
              "frame %llu: GPU end %lld after frame %llu, which reuses its slot, finished recording at %lld",
              (unsigned long long)s->index, (long long)s->gpu_end, (unsigned long long)st[i + 2].index,
              (long long)st[i + 2].record_end);
    }
    CHECK(with_gpu >= n / 2, "only %u of %u frames have GPU times", with_gpu, n);

    double p[2] = {50, 99}, v[2];
    for (int m = PLX_STAT_CPU_MS; m <= PLX_STAT_POSE_AGE_MS; m++) {
        CHECK(plx_stats_percentiles(ctx, (plx_stat_metric)m, 100, p, 2, v) == PLX_SUCCESS, "percentiles %d",
              m);
        CHECK(v[0] >= 0 && v[1] >= v[0], "metric %d: p50 %g p99 %g", m, v[0], v[1]);
    }
    plx_summary sum;
    CHECK(plx_stats_summary(ctx, &sum) == PLX_SUCCESS && sum.frames_missed >= missed,
          "summary misses %llu < %u", (unsigned long long)sum.frames_missed, missed);

    plx_mirror_status ms;
    CHECK(plx_get_mirror_status(ctx, &ms) == PLX_SUCCESS && !ms.available, "a mirror without a display");
    CHECK(plx_set_mirror(ctx, PLX_MIRROR_BOTH) == PLX_ERROR_UNSUPPORTED, "plx_set_mirror without a window");
    CHECK(plx_validation_message_count(ctx) == 0, "%u validation messages",
          plx_validation_message_count(ctx));

    printf("test-timeline-api: %u frames, %u with GPU times, %u missed: %s\n", n, with_gpu, missed,
           failures ? "FAIL" : "ok");
    plx_request_exit(ctx);
    plx_events ev = {0};
    for (int i = 0; i < 500 && !ev.should_quit && plx_poll(ctx, &ev) >= 0; i++) {
        plx_frame f;
        if (!ev.should_quit && plx_frame_wait(ctx, &f) == PLX_SUCCESS && plx_frame_begin(ctx, &f) >= 0)
            plx_frame_end(ctx, &f);
    }
    plx_scene_destroy(&scene);
    plx_context_destroy(&ctx);
    return failures ? 1 : 0;
}
