/* SPDX-License-Identifier: MIT */
/* plx_wait_gpu_idle (parallax_vulkan.h): an app with Vulkan objects of its own waits for the frames that used
 * them on the context's fences, never with vkDeviceWaitIdle on a device the OpenXR runtime shares (issue 11).
 *
 * A frame's pre-pass waits on a VkEvent the host sets 300 ms later from another thread (a gate), then sets a
 * second event (done). plx_wait_gpu_idle must return only once the frame's GPU work is over: the gate was
 * opened by then and done is set, so the app may destroy both events (the validation layer, on, fails the
 * test if a destroyed object is still in use). A wait that did not wait would return before the gate opened.
 * A returned wait proves the wait; it needs no bound on how long anything took. Also: NULL and another thread
 * are refused with one error each. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <parallax/parallax.h>
#include <parallax/parallax_vulkan.h>

typedef struct gate {
    VkDevice device;
    VkEvent event;
    atomic_bool opened;
} gate;

static void *open_gate_later(void *arg)
{
    gate *g = arg;
    struct timespec ts = {.tv_sec = 0, .tv_nsec = 300000000L};
    nanosleep(&ts, NULL);
    atomic_store(&g->opened, true); /* before the GPU can go on: a wait that returns after it sees true */
    vkSetEvent(g->device, g->event);
    return NULL;
}

static char other_error[512];

static void *wait_from_another_thread(void *arg)
{
    static plx_result r;
    r = plx_wait_gpu_idle(arg);
    snprintf(other_error, sizeof other_error, "%s", plx_last_error(NULL)); /* that thread's error */
    return &r;
}

/* Runs frames with an empty pass until one is rendered; returns it begun (PLX_SUCCESS). */
static void begin_rendered_frame(plx_context *ctx, plx_frame *f)
{
    for (int spins = 0; spins < 1000; spins++) {
        plx_events ev;
        assert_true(plx_poll(ctx, &ev) >= 0);
        plx_result r = plx_frame_wait(ctx, f);
        if (r == PLX_SESSION_NOT_RUNNING) continue;
        assert_int_equal(r, PLX_SUCCESS);
        r = plx_frame_begin(ctx, f);
        if (r == PLX_SUCCESS) return;
        assert_int_equal(r, PLX_FRAME_SKIPPED);
        assert_int_equal(plx_frame_end(ctx, f), PLX_SUCCESS);
    }
    fail_msg("no frame was rendered");
}

static void the_wait_covers_the_frames_gpu_work(void **state)
{
    (void)state;
    plx_context *ctx = NULL;
    plx_result r =
        plx_context_create(&(plx_context_desc){.app_name = "test_wait_gpu", .validation = true}, &ctx);
    if (r != PLX_SUCCESS) fprintf(stderr, "plx_context_create: %s\n", plx_last_error(NULL));
    assert_int_equal(r, PLX_SUCCESS);
    plx_vulkan_info vk;
    assert_int_equal(plx_get_vulkan_info(ctx, &vk), PLX_SUCCESS);

    /* Misuse: one error each, nothing waited. */
    assert_int_equal(plx_wait_gpu_idle(NULL), PLX_ERROR_INVALID_ARGUMENT);
    pthread_t other;
    void *other_result = NULL;
    assert_int_equal(pthread_create(&other, NULL, wait_from_another_thread, ctx), 0);
    pthread_join(other, &other_result);
    assert_int_equal(*(plx_result *)other_result, PLX_ERROR_WRONG_THREAD);
    assert_non_null(strstr(other_error, "plx_wait_gpu_idle"));

    VkEventCreateInfo eci = {.sType = VK_STRUCTURE_TYPE_EVENT_CREATE_INFO};
    gate g = {.device = vk.device};
    VkEvent done = VK_NULL_HANDLE;
    assert_int_equal(vkCreateEvent(vk.device, &eci, NULL, &g.event), VK_SUCCESS);
    assert_int_equal(vkCreateEvent(vk.device, &eci, NULL, &done), VK_SUCCESS);

    for (int i = 0; i < 10; i++) { /* a few ordinary frames in flight first */
        plx_frame f;
        begin_rendered_frame(ctx, &f);
        assert_int_equal(plx_frame_end(ctx, &f), PLX_SUCCESS);
    }
    plx_frame f;
    begin_rendered_frame(ctx, &f);
    /* Host-set events are waited outside any render pass, with the host stage as the source. */
    vkCmdWaitEvents(f.pre_cmd, 1, &g.event, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0,
                    NULL, 0, NULL, 0, NULL);
    vkCmdSetEvent(f.pre_cmd, done, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT);
    assert_int_equal(plx_frame_end(ctx, &f), PLX_SUCCESS);

    pthread_t opener;
    assert_int_equal(pthread_create(&opener, NULL, open_gate_later, &g), 0);
    assert_int_equal(plx_wait_gpu_idle(ctx), PLX_SUCCESS);
    bool opened = atomic_load(&g.opened);
    VkResult status = vkGetEventStatus(vk.device, done);
    printf("plx_wait_gpu_idle returned: gate opened %d, the frame's done event %s\n", (int)opened,
           status == VK_EVENT_SET ? "set" : "not set");
    assert_true(opened);
    assert_int_equal(status, VK_EVENT_SET);
    pthread_join(opener, NULL);
    /* Done with them: the validation layer reports an event destroyed while a submission still uses it. */
    vkDestroyEvent(vk.device, g.event, NULL);
    vkDestroyEvent(vk.device, done, NULL);

    /* The loop goes on, then ends cleanly. */
    for (int i = 0; i < 5; i++) {
        begin_rendered_frame(ctx, &f);
        assert_int_equal(plx_frame_end(ctx, &f), PLX_SUCCESS);
    }
    assert_true(plx_request_exit(ctx) >= 0);
    plx_events ev = {0};
    for (int i = 0; i < 1000 && !ev.should_quit; i++) {
        assert_true(plx_poll(ctx, &ev) >= 0);
        if (ev.running && !ev.should_quit && plx_frame_wait(ctx, &f) == PLX_SUCCESS) {
            plx_frame_begin(ctx, &f);
            plx_frame_end(ctx, &f);
        }
    }
    assert_true(ev.should_quit);
    assert_int_equal(plx_validation_message_count(ctx), 0);
    plx_context_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_wait_covers_the_frames_gpu_work),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
