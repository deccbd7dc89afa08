/* SPDX-License-Identifier: MIT */
/* Layer 1, gpu: the pass phase's secondary command buffers for the app's recording threads
 * (plx_context_desc.pass_threads, parallax.h "Recording the pass on several threads"). Each thread index has,
 * per frame slot, a command pool of its own with one secondary in it: a command pool is externally
 * synchronized, so two threads recording at once must never share one, and a slot's buffers are reset (their
 * pool reset) only once the slot's previous frame is done on the GPU. The frame loop hands a buffer out
 * begun inside the render pass; the app's thread ends it (plx_gpu_pass_secondary_end, from any thread); the
 * frame loop runs the ended ones in the pass. Also how any secondary of the pass is begun (the slots' own
 * too, slots.c). May call base/.
 *
 * Threads. Everything here runs on the frame-loop thread except plx_gpu_pass_secondary_end. What the two
 * share is atomic: each buffer's state (which frame it was handed out for, and whether it is recording or
 * ended) and which frame's pass takes secondaries now. The ending thread stores "ended" with release after
 * vkEndCommandBuffer, and the frame loop loads it with acquire before vkCmdExecuteCommands, so the end
 * happens before the execution; the handles themselves are made once and then only read. */
#include <stdio.h>

#include "gpu/plx_gpu.h"

/* A buffer's state: (frame index + 1) << 2 | phase; 0 = never handed out. */
enum { PHASE_FREE = 0, PHASE_RECORDING = 1, PHASE_ENDED = 2, PHASE_BROKEN = 3 };

static uint64_t make_state(uint64_t frame_index, unsigned phase)
{
    return (frame_index + 1) << 2 | phase;
}

static unsigned phase_of(uint64_t state)
{
    return (unsigned)(state & 3);
}

/* The frame a state was handed out for (meaningless for PHASE_FREE with state 0). */
static uint64_t frame_of(uint64_t state)
{
    return (state >> 2) - 1;
}

void plx_gpu_record_render_area(VkCommandBuffer cmd, uint32_t width, uint32_t height)
{
    VkViewport vp = {0, 0, (float)width, (float)height, 0.0f, 1.0f};
    VkRect2D sc = {{0, 0}, {width, height}};
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &sc);
}

plx_result plx_gpu_begin_in_pass(const plx_gpu *g, VkCommandBuffer cmd, VkFramebuffer fb)
{
    VkCommandBufferInheritanceInfo inherit = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_INHERITANCE_INFO,
        .renderPass = g->render_pass,
        .subpass = 0,
        .framebuffer = fb,
    };
    VkCommandBufferBeginInfo bi = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
        /* A pass per eye runs it in both eyes' passes of one submission. */
        .flags = VK_COMMAND_BUFFER_USAGE_RENDER_PASS_CONTINUE_BIT |
                 (g->pass_per_eye ? VK_COMMAND_BUFFER_USAGE_SIMULTANEOUS_USE_BIT
                                  : VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT),
        .pInheritanceInfo = &inherit,
    };
    return PLX_VK(g->report, vkBeginCommandBuffer(cmd, &bi));
}

plx_result plx_gpu_pass_secondaries_create(plx_gpu *g, uint32_t threads)
{
    g->pass_threads = threads;
    atomic_init(&g->pass_open, 0);
    for (uint32_t s = 0; s < g->frames_in_flight; s++) {
        for (uint32_t i = 0; i < threads; i++) {
            plx_pass_secondary *ps = &g->pass_secondaries[s][i];
            atomic_init(&ps->state, 0);
            /* Reset as a whole each time the buffer is handed out again: vkResetCommandPool. */
            VkCommandPoolCreateInfo ci = {
                .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                .flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT,
                .queueFamilyIndex = g->vk.queue_family_index,
            };
            plx_result res = PLX_VK(g->report, vkCreateCommandPool(g->vk.device, &ci, NULL, &ps->pool));
            if (res < 0) return res;
            VkCommandBufferAllocateInfo ai = {
                .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                .commandPool = ps->pool,
                .level = VK_COMMAND_BUFFER_LEVEL_SECONDARY,
                .commandBufferCount = 1,
            };
            if ((res = PLX_VK(g->report, vkAllocateCommandBuffers(g->vk.device, &ai, &ps->cmd))) < 0)
                return res;
        }
    }
    return PLX_SUCCESS;
}

void plx_gpu_pass_secondaries_destroy(plx_gpu *g)
{
    if (!g->vk.device) return;
    for (uint32_t s = 0; s < PLX_MAX_FRAMES_IN_FLIGHT; s++) {
        for (uint32_t i = 0; i < PLX_MAX_PASS_THREADS; i++) {
            plx_pass_secondary *ps = &g->pass_secondaries[s][i];
            vkDestroyCommandPool(g->vk.device, ps->pool, NULL); /* frees its buffer */
            ps->pool = VK_NULL_HANDLE;
            ps->cmd = VK_NULL_HANDLE;
        }
    }
    g->pass_threads = 0;
}

void plx_gpu_pass_secondaries_open(plx_gpu *g, uint64_t frame_index)
{
    atomic_store_explicit(&g->pass_open, frame_index + 1, memory_order_release);
}

void plx_gpu_pass_secondaries_close(plx_gpu *g)
{
    atomic_store_explicit(&g->pass_open, 0, memory_order_release);
}

plx_result plx_gpu_pass_secondary_take(plx_gpu *g, uint32_t slot, uint32_t index, uint64_t frame_index,
                                       VkFramebuffer fb, uint32_t width, uint32_t height,
                                       VkCommandBuffer *out)
{
    plx_pass_secondary *ps = &g->pass_secondaries[slot][index];
    uint64_t st = atomic_load_explicit(&ps->state, memory_order_acquire);
    if (st != 0 && frame_of(st) == frame_index) {
        /* Asked again in the same frame: the same buffer, still the caller's to record. */
        if (phase_of(st) == PHASE_RECORDING) {
            *out = ps->cmd;
            return PLX_SUCCESS;
        }
        return PLX_FAIL(g->report, PLX_ERROR_CALL_ORDER,
                        "plx_frame_pass_secondary: secondary %u of frame %llu was ended already "
                        "(plx_frame_end_pass_secondary); each index is handed out once per frame",
                        index, (unsigned long long)frame_index);
    }
    if (phase_of(st) == PHASE_RECORDING)
        return PLX_FAIL(g->report, PLX_ERROR_CALL_ORDER,
                        "plx_frame_pass_secondary: secondary %u is still recording for frame %llu (which was "
                        "dropped): its thread must end it with plx_frame_end_pass_secondary before it is "
                        "handed out again",
                        index, (unsigned long long)frame_of(st));
    /* The slot's previous frame is done on the GPU (plx_frame_begin waited for it), and no thread records
     * into this pool: it may be reset. */
    plx_result res = PLX_VK(g->report, vkResetCommandPool(g->vk.device, ps->pool, 0));
    if (res < 0) return res;
    if ((res = plx_gpu_begin_in_pass(g, ps->cmd, fb)) < 0) return res;
    /* A secondary inherits no dynamic state: the render area's viewport and scissor, as in plx_frame.cmd. */
    plx_gpu_record_render_area(ps->cmd, width, height);
    atomic_store_explicit(&ps->state, make_state(frame_index, PHASE_RECORDING), memory_order_release);
    *out = ps->cmd;
    return PLX_SUCCESS;
}

/* Which slot and index cmd is; false when it is none of ours. The handles are written once at creation. */
static bool find(const plx_gpu *g, VkCommandBuffer cmd, uint32_t *out_slot, uint32_t *out_index)
{
    for (uint32_t s = 0; cmd != VK_NULL_HANDLE && s < g->frames_in_flight; s++) {
        for (uint32_t i = 0; i < g->pass_threads; i++) {
            if (g->pass_secondaries[s][i].cmd == cmd) {
                *out_slot = s;
                *out_index = i;
                return true;
            }
        }
    }
    return false;
}

plx_result plx_gpu_pass_secondary_end(plx_gpu *g, VkCommandBuffer cmd)
{
    /* Errors go to the calling thread's slot (NULL report): the context's belongs to the frame-loop thread.
     */
    uint32_t slot = 0, index = 0;
    if (!find(g, cmd, &slot, &index))
        return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_frame_end_pass_secondary: the command buffer is not one of the context's pass "
                        "secondaries (plx_frame_pass_secondary hands them out)");
    plx_pass_secondary *ps = &g->pass_secondaries[slot][index];
    uint64_t st = atomic_load_explicit(&ps->state, memory_order_acquire);
    uint64_t open = atomic_load_explicit(&g->pass_open, memory_order_acquire);
    if (phase_of(st) == PHASE_FREE)
        return PLX_FAIL(NULL, PLX_ERROR_CALL_ORDER,
                        "plx_frame_end_pass_secondary: secondary %u (slot %u) was never handed out "
                        "(plx_frame_pass_secondary)",
                        index, slot);
    if (phase_of(st) != PHASE_RECORDING) {
        char now[64] = "no frame is in its pass";
        if (open) snprintf(now, sizeof now, "the frame in its pass is %llu", (unsigned long long)(open - 1));
        return PLX_FAIL(NULL, PLX_ERROR_CALL_ORDER,
                        "plx_frame_end_pass_secondary: secondary %u was handed out for frame %llu and ended "
                        "already (%s): a secondary is good for the frame it was handed out in only; ask "
                        "plx_frame_pass_secondary for this frame's",
                        index, (unsigned long long)frame_of(st), now);
    }
    /* The app's thread owns the buffer (and its pool) until this store. */
    VkResult vr = vkEndCommandBuffer(cmd);
    unsigned phase = vr == VK_SUCCESS ? PHASE_ENDED : PHASE_BROKEN;
    atomic_store_explicit(&ps->state, make_state(frame_of(st), phase), memory_order_release);
    if (vr != VK_SUCCESS)
        return PLX_FAIL(NULL, PLX_ERROR_VULKAN,
                        "plx_frame_end_pass_secondary: vkEndCommandBuffer failed: %s (%d)",
                        plx_vk_result_name(vr), (int)vr);
    if (open != frame_of(st) + 1)
        /* Its frame was dropped (the session stopped or was lost) or failed: closed, never run. */
        return PLX_FAIL(
            NULL, PLX_SESSION_NOT_RUNNING,
            "plx_frame_end_pass_secondary: secondary %u of frame %llu is ended, but that frame was "
            "dropped: its commands do not run",
            index, (unsigned long long)frame_of(st));
    return PLX_SUCCESS;
}

plx_result plx_gpu_pass_secondaries_ended(plx_gpu *g, uint32_t slot, uint64_t frame_index, const char *fn,
                                          VkCommandBuffer *out, uint32_t *out_count)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < g->pass_threads; i++) {
        plx_pass_secondary *ps = &g->pass_secondaries[slot][i];
        uint64_t st = atomic_load_explicit(&ps->state, memory_order_acquire);
        if (st == 0 || frame_of(st) != frame_index) continue; /* not handed out in this frame */
        if (phase_of(st) == PHASE_RECORDING)
            return PLX_FAIL(g->report, PLX_ERROR_CALL_ORDER,
                            "%s: pass secondary %u is still recording: every secondary handed out "
                            "(plx_frame_pass_secondary) must be ended by its thread "
                            "(plx_frame_end_pass_secondary) before the pass ends; wait for the threads, then "
                            "call %s again",
                            fn, i, fn);
        if (phase_of(st) == PHASE_BROKEN)
            return PLX_FAIL(
                g->report, PLX_ERROR_VULKAN,
                "%s: pass secondary %u could not be ended (vkEndCommandBuffer failed on its thread: "
                "see that thread's plx_last_error(NULL))",
                fn, i);
        if (out) out[n] = ps->cmd;
        n++;
    }
    if (out_count) *out_count = n;
    return PLX_SUCCESS;
}
