/* SPDX-License-Identifier: MIT */
/* Layer 1, gpu: when a frame's GPU work completed, on a device that writes no timestamps (or with
 * PARALLAX_GPU_TIMESTAMPS=0): a thread of its own waits on each submitted slot's fence, in submission order,
 * and notes the CLOCK_MONOTONIC time it saw the fence signal. That is the real completion (queueing behind
 * other work on the queue included) up to the thread's wake-up latency, where submit + GPU time or the frame
 * loop's own next look at the fence would be blind to the queue or late by up to a period. May call base/;
 * the fences are the slots' (slots.c).
 *
 * Threads: the frame loop posts a slot after vkQueueSubmit (plx_gpu_watch_post) and collects its time once
 * the slot is known complete (plx_gpu_watch_take), before the fence is reset; only the fence handles, the
 * queue of posted slots and the times are shared, under the lock. Waiting on a fence from two threads is
 * allowed (fences need external synchronization only to be reset or destroyed). */
#include <pthread.h>
#include <stdlib.h>

#include "gpu/plx_gpu.h"

/* The thread wakes this often while a fence has not signalled, to notice plx_gpu_watch_stop. */
#define PLX_WATCH_POLL_NS 100000000ull

struct plx_gpu_watch {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    VkDevice device;
    VkFence fence[PLX_MAX_FRAMES_IN_FLIGHT];
    uint32_t queue[PLX_MAX_FRAMES_IN_FLIGHT]; /* slots posted, oldest first */
    uint32_t head, count;
    bool pending[PLX_MAX_FRAMES_IN_FLIGHT]; /* posted, its fence not yet seen signalled */
    int64_t seen[PLX_MAX_FRAMES_IN_FLIGHT]; /* when it was (CLOCK_MONOTONIC ns; 0: the wait failed) */
    bool quit;
};

static void *watch_main(void *arg)
{
    struct plx_gpu_watch *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (w->count == 0 && !w->quit) pthread_cond_wait(&w->cond, &w->lock);
        if (w->quit) break;
        uint32_t slot = w->queue[w->head];
        VkFence fence = w->fence[slot];
        pthread_mutex_unlock(&w->lock);
        VkResult vr = vkWaitForFences(w->device, 1, &fence, VK_TRUE, PLX_WATCH_POLL_NS);
        int64_t t = plx_now_ns();
        pthread_mutex_lock(&w->lock);
        if (vr == VK_TIMEOUT) continue; /* not yet: look at quit, wait again */
        /* Any other failure (a lost device) leaves the time unknown; the frame loop meets the error itself.
         */
        w->seen[slot] = vr == VK_SUCCESS ? t : 0;
        w->pending[slot] = false;
        w->head = (w->head + 1) % PLX_MAX_FRAMES_IN_FLIGHT;
        w->count--;
        pthread_cond_broadcast(&w->cond);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

plx_result plx_gpu_watch_start(plx_gpu *g)
{
    if (g->watch) return PLX_SUCCESS;
    struct plx_gpu_watch *w = calloc(1, sizeof *w);
    if (!w)
        return PLX_FAIL(g->report, PLX_ERROR_OUT_OF_MEMORY, "out of memory for the GPU completion watcher");
    w->device = g->vk.device;
    for (uint32_t i = 0; i < PLX_MAX_FRAMES_IN_FLIGHT; i++) w->fence[i] = g->slots[i].fence;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
        pthread_cond_destroy(&w->cond);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return PLX_FAIL(g->report, PLX_ERROR_UNSUPPORTED, "cannot start the GPU completion watcher thread");
    }
    g->watch = w;
    return PLX_SUCCESS;
}

void plx_gpu_watch_stop(plx_gpu *g)
{
    struct plx_gpu_watch *w = g->watch;
    if (!w) return;
    pthread_mutex_lock(&w->lock);
    w->quit = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    free(w);
    g->watch = NULL;
}

void plx_gpu_watch_post(plx_gpu *g, uint32_t slot)
{
    struct plx_gpu_watch *w = g->watch;
    if (!w) return;
    pthread_mutex_lock(&w->lock);
    if (!w->pending[slot] && w->count < PLX_MAX_FRAMES_IN_FLIGHT) {
        w->pending[slot] = true;
        w->seen[slot] = 0;
        w->queue[(w->head + w->count) % PLX_MAX_FRAMES_IN_FLIGHT] = slot;
        w->count++;
        pthread_cond_broadcast(&w->cond);
    }
    pthread_mutex_unlock(&w->lock);
}

int64_t plx_gpu_watch_take(plx_gpu *g, uint32_t slot)
{
    struct plx_gpu_watch *w = g->watch;
    if (!w) return 0;
    pthread_mutex_lock(&w->lock);
    /* The fence has signalled (the caller waited or saw it): the thread is about to note it, or is still
     * noting an older slot, whose fence signalled earlier still. */
    while (w->pending[slot] && !w->quit) pthread_cond_wait(&w->cond, &w->lock);
    int64_t t = w->pending[slot] ? 0 : w->seen[slot];
    w->seen[slot] = 0;
    pthread_mutex_unlock(&w->lock);
    return t;
}
