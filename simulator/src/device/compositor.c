/* SPDX-License-Identifier: MIT */
/* The compositor of the simulated headset, and the judge of every frame (device/sim_compositor.h).
 * Layer: device (the lower part), its top file; calls device/ (clock, optics, user, report, capture, window),
 * base/ and the motion library, never the upper part (openxr/): what it finds out goes into the frame and
 * the report, and the upper part reads facts (frame cost) through this file's functions.
 *
 * xrEndFrame submits, on the app's queue (the one place besides acquire/release where the runtime may use
 * it), a fence that signals once the app's work for the frame is done, plus, only while a capture is still
 * pending, a copy of the layer images into host memory. Two threads then run per session:
 *   - the GPU watcher waits on those fences in submission order and stamps gpu_done_time;
 *   - the compositor thread wakes compositor_lead before each vsync and shows the newest frame whose GPU
 *     work is complete and whose target vsync has come. A frame shown after its target vsync is "missed";
 *     a frame superseded before it was shown is also "dropped".
 * Each frame that is settled (shown, or dropped) is measured against the true head pose at its photon time
 * (each projection layer on its own) and handed to the report. Frame slots are reused, so memory stays
 * bounded however long the session runs. What the display shows goes to the capture and, with
 * PARALLAX_SIM_WINDOW, to the preview window, which lets a user drive the head and the controllers.
 *
 * Layers: a frame is a list of layers of any accepted type (device/sim_frame.h). While pixels are wanted,
 * xrEndFrame copies every layer's sub-images (each view of a projection layer) into the slot's host buffer;
 * when the frame is displayed, the compositor thread composites them in order (device/composite.c) outside
 * the lock, into what the capture and the preview window show. Each projection layer's pose error is
 * measured; the headline figures (report, CSV) are those of the reference layer (sim_composite_reference),
 * and a projection layer whose poses cannot be eye poses is named in a warning (report.c). */
#include "device/sim_compositor.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_log.h"
#include "base/sim_pose.h"
#include "device/sim_capture.h"
#include "device/sim_composite.h"
#include "device/sim_optics.h"
#include "device/sim_report.h"
#include "device/sim_window.h"

#define SIM_SLOTS        8   /* frames between xrEndFrame and the end of their display */
#define SIM_COST_HISTORY 128 /* frame costs kept for adaptive pacing (about 1.4 s at 90 Hz) */

typedef enum slot_state {
    SLOT_FREE = 0,
    SLOT_RECORDING, /* being filled by xrEndFrame */
    SLOT_SUBMITTED, /* fence pending */
    SLOT_READY,     /* GPU work complete, waiting for its vsync */
    SLOT_SHOWN,     /* on the display now (kept for the capture) */
} slot_state;

/* One layer image's sub-image copied to host memory: where in the slot's buffer, and how to read it. */
typedef struct image_copy {
    bool valid; /* false: not copied (a format the compositor cannot read, several samples) */
    uint32_t width, height;
    VkFormat format;
    VkDeviceSize offset;
} image_copy;

typedef struct slot {
    slot_state state;
    sim_frame frame;
    VkFence fence;
    bool fence_lost; /* a wait failed: never reuse or destroy the fence */
    bool pinned;     /* the picture thread will read or reads its pixels: not reused until it is done */
    VkCommandBuffer cmd;
    VkBuffer buffer;
    VkDeviceMemory memory;
    void *mapped;
    VkDeviceSize size;
    bool has_pixels;                                        /* some layer's pixels were copied */
    image_copy copies[SIM_MAX_LAYERS][SIM_MAX_LAYER_VIEWS]; /* per layer: its views, or [0] */
} slot;

struct sim_compositor {
    sim_compositor_desc d;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* sim_cond_init: state changes of slots, stop */
    pthread_t thread, watcher;
    pthread_t picture;
    bool thread_started, watcher_started, picture_started;
    bool stop;
    VkCommandPool pool; /* used only inside xrEndFrame (the app's frame thread) */
    slot slots[SIM_SLOTS];
    int shown;               /* slot index on the display, -1 none */
    int64_t last_shown_id;   /* frame id on the display, -1 none */
    int64_t displayed_count; /* distinct frames displayed so far */
    XrDuration cost[SIM_COST_HISTORY];
    int cost_next, cost_count;
    sim_report *report;
    sim_capture *capture; /* NULL without PARALLAX_SIM_CAPTURE; copies are made while it is pending */
    XrTime start_time;
    /* preview window (device/window.c): copies are made while it shows them */
    sim_window *window;
    /* The picture thread composites displayed frames for the capture and the window, so the compositor
     * thread's display decisions (and the misses they count) never wait for it. One request waits at most:
     * a newer one replaces it unless the capture still wants it. */
    int picture_pending;           /* slot to composite next, -1 none */
    int64_t picture_pending_index; /* its displayed-frame index (for the capture) */
    /* what the display shows, RGB with the views side by side (for the capture and the window); written
     * by the picture thread only (and by destroy once it has stopped) */
    sim_composer *composer;
    uint8_t *display_rgb;
    uint32_t display_w, display_h; /* 2 * eye width x eye height */
};

/* Waits on c->cond until XrTime t (or a signal). Caller holds c->lock. */
static void cond_wait_until(sim_compositor *c, XrTime t)
{
    int r = sim_cond_wait_until(&c->cond, &c->lock, t);
    if (r != 0 && r != ETIMEDOUT && r != EINTR)
        sim_log(SIM_LOG_ERROR, "compositor: pthread_cond_timedwait: %d", r);
}

/* ---------------------------------------------------------------- measuring */

static double deg(double rad)
{
    return rad * 180.0 / PLX_PI;
}

/* The true eye poses at photon time t: the head from the motion profile (time 0 is the clock's epoch) plus
 * what the user (preview window, PARALLAX_SIM_INPUT) did to it by then, through the same eye model
 * xrLocateViews uses, so only tracking, prediction and latency show up as error. */
static void true_views(const sim_compositor *c, XrTime t, XrView out[SIM_MAX_LAYER_VIEWS])
{
    plx_pose head;
    sim_motion_sample(c->d.motion, (double)(t - sim_clock_epoch(c->d.clock)) / 1e9, &head, NULL, NULL);
    head = plx_pose_mul(sim_user_head_offset(c->d.user, t), head);
    XrPosef head_xr = sim_xr_pose(head);
    sim_eye_views(c->d.cfg->ipd_m, &head_xr, out);
}

/* One projection layer's pose error and age at photon time (shown) or none (dropped). truth is computed on
 * first use into *truth. Caller holds c->lock. */
static void measure_layer(const sim_compositor *c, const sim_frame *f, sim_layer *l, bool shown,
                          XrView truth[SIM_MAX_LAYER_VIEWS], bool *have_truth)
{
    sim_pose_measure *m = &l->projection.measure;
    m->age_ms = (shown && m->sample_time > 0) ? (double)(f->photon_time - m->sample_time) / 1e6 : NAN;
    m->error_deg = m->error_mm = NAN;
    if (!shown || l->space != SIM_LAYER_SPACE_LOCAL || !c->d.motion) return;
    if (!*have_truth) {
        true_views(c, f->photon_time, truth);
        *have_truth = true;
    }
    uint32_t n =
        l->projection.view_count < SIM_MAX_LAYER_VIEWS ? l->projection.view_count : SIM_MAX_LAYER_VIEWS;
    double err_deg = 0, err_mm = 0;
    for (uint32_t v = 0; v < n; v++) {
        const XrPosef *p = &l->projection.views[v].pose;
        err_deg += deg(
            plx_quat_angle_between(sim_plx_quat(p->orientation), sim_plx_quat(truth[v].pose.orientation)));
        err_mm += 1000.0 * plx_vec3_length(
                               plx_vec3_sub(sim_plx_vec(p->position), sim_plx_vec(truth[v].pose.position)));
    }
    m->error_deg = n ? err_deg / n : NAN;
    m->error_mm = n ? err_mm / n : NAN;
}

/* Fills the derived fields of a frame that is settled now (shown at vsync, or dropped), then hands it to the
 * report. Caller holds c->lock. */
static void settle(sim_compositor *c, slot *sl, bool shown, int64_t vsync)
{
    sim_clock *clock = c->d.clock;
    sim_frame *f = &sl->frame;
    f->dropped = !shown;
    f->shown_vsync = shown ? vsync : -1;
    XrTime deadline = sim_clock_deadline(clock, f->target_vsync);
    /* Missed: not on the display at its target refresh. A frame still in flight when the session ends,
     * whose refresh never came, was dropped but not late. */
    f->missed = shown ? vsync > f->target_vsync : sim_now() >= deadline;
    f->photon_time = shown ? sim_clock_photon_time(clock, vsync) : 0;
    f->slack_ms = f->gpu_done_time > 0 ? (double)(deadline - f->gpu_done_time) / 1e6 : NAN;
    XrView truth[SIM_MAX_LAYER_VIEWS] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
    bool have_truth = false;
    for (uint32_t i = 0; i < f->layer_count; i++) {
        sim_layer *l = &f->layers[i];
        if (l->type != SIM_LAYER_PROJECTION) continue;
        measure_layer(c, f, l, shown, truth, &have_truth);
        /* Measured like any other, but kept out of the headline (the report warns, naming it). */
        l->projection.implausible = sim_composite_implausible(l);
    }
    f->headline_layer = sim_composite_reference(f);
    if (f->headline_layer >= 0) f->headline = f->layers[f->headline_layer].projection.measure;
    sim_report_add(c->report, f);
}

/* Composites a displayed slot's layers into c->display_rgb (device/composite.c) and feeds the composition
 * time to the report. The picture thread only (or destroy once it has stopped), without c->lock: a pinned
 * slot is not reused. false when out of memory. */
static bool composite_slot(sim_compositor *c, const slot *sl)
{
    const sim_frame *f = &sl->frame;
    sim_texels texels[SIM_MAX_LAYERS][SIM_MAX_LAYER_VIEWS];
    memset(texels, 0, sizeof(texels));
    for (uint32_t i = 0; i < f->layer_count && i < SIM_MAX_LAYERS; i++)
        for (uint32_t v = 0; v < SIM_MAX_LAYER_VIEWS; v++) {
            const image_copy *cp = &sl->copies[i][v];
            if (!cp->valid) continue;
            texels[i][v] = (sim_texels){.data = (const uint8_t *)sl->mapped + cp->offset,
                                        .width = cp->width,
                                        .height = cp->height,
                                        .format = cp->format};
        }
    sim_display display;
    sim_composite_display(f, c->d.cfg->ipd_m, &display);
    XrTime t0 = sim_now();
    bool ok = sim_composer_run(c->composer, f, &display, (const sim_texels(*)[SIM_MAX_LAYER_VIEWS])texels,
                               c->d.cfg->eye_width, c->d.cfg->eye_height, c->display_rgb);
    double ms = (double)(sim_now() - t0) / 1e6;
    if (!ok)
        sim_log(SIM_LOG_ERROR, "compositor: out of memory compositing frame %lld", (long long)f->frame_id);
    pthread_mutex_lock(&c->lock);
    if (ok) sim_report_note_composite(c->report, ms);
    pthread_mutex_unlock(&c->lock);
    return ok;
}

/* ---------------------------------------------------------------- display decisions */

/* One refresh: vsync n, composition starting at vsync(n) - lead. Caller holds c->lock. Returns the slot
 * whose pixels the capture or the window want composited (by the picture thread), or -1. */
static int compose(sim_compositor *c, int64_t n)
{
    int best = -1;
    for (int i = 0; i < SIM_SLOTS; i++) {
        slot *sl = &c->slots[i];
        if (sl->state != SLOT_READY) continue;
        /* Completed after a newer frame was shown: it can never be shown any more. */
        if (sl->frame.frame_id < c->last_shown_id) {
            settle(c, sl, false, n);
            sl->state = SLOT_FREE;
            continue;
        }
        /* Not before the refresh it was predicted for (that would judder, and lie about latency). */
        if (sl->frame.target_vsync > n) continue;
        if (best < 0 || sl->frame.frame_id > c->slots[best].frame.frame_id) best = i;
    }
    if (best < 0) { /* the previous frame stays on the display */
        if (c->shown >= 0) sim_report_note_refresh(c->report, false);
        return -1;
    }
    for (int i = 0; i < SIM_SLOTS; i++) {
        slot *sl = &c->slots[i];
        if (i != best && sl->state == SLOT_READY && sl->frame.frame_id < c->slots[best].frame.frame_id &&
            sl->frame.target_vsync <= n) {
            settle(c, sl, false, n); /* superseded before it was ever shown */
            sl->state = SLOT_FREE;
        }
    }
    if (c->shown >= 0) c->slots[c->shown].state = SLOT_FREE;
    slot *sl = &c->slots[best];
    settle(c, sl, true, n);
    sim_report_note_refresh(c->report, true);
    sl->state = SLOT_SHOWN;
    c->shown = best;
    c->last_shown_id = sl->frame.frame_id;
    int64_t index = c->displayed_count++;
    bool capture = sl->has_pixels && sim_capture_wants(c->capture, index);
    bool preview = sl->has_pixels && sim_window_active(c->window);
    return capture || preview ? best : -1;
}

/* Asks the picture thread to composite slot idx, displayed frame displayed_index. Caller holds c->lock. */
static void request_picture(sim_compositor *c, int idx, int64_t displayed_index)
{
    int old = c->picture_pending;
    if (old >= 0) {
        /* The capture's frame is never given up for a newer one; the window just skips a frame. */
        if (sim_capture_wants(c->capture, c->picture_pending_index)) return;
        c->slots[old].pinned = false;
    }
    c->slots[idx].pinned = true;
    c->picture_pending = idx;
    c->picture_pending_index = displayed_index;
    pthread_cond_broadcast(&c->cond);
}

static void *picture_main(void *arg)
{
    sim_compositor *c = arg;
    pthread_mutex_lock(&c->lock);
    /* A request still pending at stop is done first: it may be the capture's frame. */
    while (!c->stop || c->picture_pending >= 0) {
        if (c->picture_pending < 0) {
            cond_wait_until(c, sim_now() + 100000000);
            continue;
        }
        int idx = c->picture_pending;
        int64_t index = c->picture_pending_index;
        c->picture_pending = -1;
        slot *sl = &c->slots[idx];
        pthread_mutex_unlock(&c->lock);
        bool ok = composite_slot(c, sl);
        if (ok && sim_window_active(c->window))
            sim_window_post(c->window, c->display_rgb, c->display_w, c->display_h);
        pthread_mutex_lock(&c->lock);
        if (ok && sim_capture_wants(c->capture, index))
            sim_capture_take(c->capture, c->display_rgb, c->display_w, c->display_h, sl->frame.frame_id);
        sl->pinned = false;
        pthread_cond_broadcast(&c->cond);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

static void *compositor_main(void *arg)
{
    sim_compositor *c = arg;
    sim_clock *clock = c->d.clock;
    pthread_mutex_lock(&c->lock);
    /* The first refresh whose composition start is still ahead. */
    int64_t n = sim_clock_vsync_index(clock, sim_now() + sim_clock_compositor_lead(clock));
    while (!c->stop) {
        /* Late when the upper part armed a late wake-up (a late_compositor fault). */
        XrTime wake = sim_clock_next_wake(clock, n);
        while (!c->stop && sim_now() < wake) cond_wait_until(c, wake);
        if (c->stop) break;
        int idx = compose(c, n);
        if (idx >= 0) request_picture(c, idx, c->displayed_count - 1);
        n++;
        /* Overslept a whole refresh (a stalled machine): refreshes that passed showed the same frame. */
        XrTime now = sim_now();
        if (sim_clock_deadline(clock, n) < now)
            n = sim_clock_vsync_index(clock, now + sim_clock_compositor_lead(clock));
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* ---------------------------------------------------------------- GPU watcher */

static int oldest_submitted(const sim_compositor *c)
{
    int best = -1;
    for (int i = 0; i < SIM_SLOTS; i++)
        if (c->slots[i].state == SLOT_SUBMITTED &&
            (best < 0 || c->slots[i].frame.frame_id < c->slots[best].frame.frame_id))
            best = i;
    return best;
}

/* Marks a slot's GPU work complete now. Caller holds c->lock. */
static void gpu_done(sim_compositor *c, slot *sl, XrTime t)
{
    sl->state = SLOT_READY;
    sl->frame.gpu_done_time = t;
    c->cost[c->cost_next] = t - sl->frame.begin_time;
    c->cost_next = (c->cost_next + 1) % SIM_COST_HISTORY;
    if (c->cost_count < SIM_COST_HISTORY) c->cost_count++;
    pthread_cond_broadcast(&c->cond);
}

static void *watcher_main(void *arg)
{
    sim_compositor *c = arg;
    const sim_vk *vk = c->d.vk;
    pthread_mutex_lock(&c->lock);
    while (!c->stop) {
        int i = oldest_submitted(c);
        if (i < 0) {
            cond_wait_until(c, sim_now() + 100000000);
            continue;
        }
        slot *sl = &c->slots[i];
        VkFence fence = sl->fence;
        pthread_mutex_unlock(&c->lock);
        /* Short timeout so a stop request is seen promptly. */
        VkResult vr = vk->WaitForFences(vk->device, 1, &fence, VK_TRUE, 20000000);
        XrTime t = sim_now();
        pthread_mutex_lock(&c->lock);
        if (vr == VK_SUCCESS) {
            gpu_done(c, sl, t);
        } else if (vr != VK_TIMEOUT) {
            sim_log(SIM_LOG_ERROR, "compositor: vkWaitForFences failed: %s; frame %lld is dropped",
                    sim_vk_result_string(vr), (long long)sl->frame.frame_id);
            sl->fence_lost = true;
            settle(c, sl, false, sl->frame.target_vsync);
            sl->state = SLOT_FREE;
            pthread_cond_broadcast(&c->cond);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* ---------------------------------------------------------------- lifecycle */

XrResult sim_compositor_create(const sim_compositor_desc *desc, sim_compositor **out_c)
{
    *out_c = NULL;
    sim_compositor *c = calloc(1, sizeof(*c));
    if (!c) return XR_ERROR_OUT_OF_MEMORY;
    c->d = *desc;
    const sim_config *cfg = desc->cfg;
    c->shown = -1;
    c->last_shown_id = -1;
    c->picture_pending = -1;
    c->start_time = sim_now();
    c->display_w = 2 * cfg->eye_width;
    c->display_h = cfg->eye_height;
    pthread_mutex_init(&c->lock, NULL);
    sim_cond_init(&c->cond);
    c->capture = sim_capture_create(cfg->capture_path, cfg->capture_frame);
    c->report = sim_report_create(cfg, sim_clock_period(desc->clock));

    const sim_vk *vk = desc->vk;
    XrResult r = XR_ERROR_RUNTIME_FAILURE;
    VkCommandPoolCreateInfo pci = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                   .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
                                   .queueFamilyIndex = vk->queue_family_index};
    VkResult vr = vk->CreateCommandPool(vk->device, &pci, NULL, &c->pool);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "xrBeginSession: vkCreateCommandPool failed: %s", sim_vk_result_string(vr));
        goto fail;
    }
    VkCommandBuffer cmds[SIM_SLOTS];
    VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                       .commandPool = c->pool,
                                       .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                       .commandBufferCount = SIM_SLOTS};
    vr = vk->AllocateCommandBuffers(vk->device, &cai, cmds);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "xrBeginSession: vkAllocateCommandBuffers failed: %s",
                sim_vk_result_string(vr));
        goto fail;
    }
    for (int i = 0; i < SIM_SLOTS; i++) {
        c->slots[i].cmd = cmds[i];
        VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
        vr = vk->CreateFence(vk->device, &fci, NULL, &c->slots[i].fence);
        if (vr != VK_SUCCESS) {
            sim_log(SIM_LOG_ERROR, "xrBeginSession: vkCreateFence failed: %s", sim_vk_result_string(vr));
            goto fail;
        }
    }
    /* The window exists before the compositor thread starts, which reads c->window without a lock. */
    c->window = sim_window_create(&(sim_window_desc){
        .user = desc->user, .width = 2 * cfg->eye_width, .height = cfg->eye_height, .mode = cfg->window});
    /* The picture exists only for those who look at it. */
    if (c->capture || c->window) {
        c->composer = sim_composer_create();
        c->display_rgb = malloc((size_t)c->display_w * c->display_h * 3);
        if (!c->composer || !c->display_rgb) {
            sim_log(SIM_LOG_ERROR, "xrBeginSession: out of memory for the %ux%u display picture",
                    c->display_w, c->display_h);
            sim_composer_destroy(&c->composer);
            free(c->display_rgb);
            c->display_rgb = NULL;
        }
    }
    if (c->display_rgb) {
        if (pthread_create(&c->picture, NULL, picture_main, c) != 0) {
            sim_log(SIM_LOG_ERROR, "xrBeginSession: cannot start the picture thread");
            goto fail;
        }
        c->picture_started = true;
    }
    if (pthread_create(&c->watcher, NULL, watcher_main, c) != 0) {
        sim_log(SIM_LOG_ERROR, "xrBeginSession: cannot start the GPU watcher thread");
        goto fail;
    }
    c->watcher_started = true;
    if (pthread_create(&c->thread, NULL, compositor_main, c) != 0) {
        sim_log(SIM_LOG_ERROR, "xrBeginSession: cannot start the compositor thread");
        goto fail;
    }
    c->thread_started = true;
    *out_c = c;
    return XR_SUCCESS;
fail:
    sim_compositor_destroy(&c);
    return r;
}

static void free_slot_buffer(const sim_vk *vk, slot *sl)
{
    if (sl->mapped) vk->UnmapMemory(vk->device, sl->memory);
    if (sl->buffer) vk->DestroyBuffer(vk->device, sl->buffer, NULL);
    if (sl->memory) vk->FreeMemory(vk->device, sl->memory, NULL);
    sl->mapped = NULL;
    sl->buffer = VK_NULL_HANDLE;
    sl->memory = VK_NULL_HANDLE;
    sl->size = 0;
}

void sim_compositor_set_protocol(sim_compositor *c, const sim_protocol_facts *facts)
{
    if (!c) return;
    pthread_mutex_lock(&c->lock);
    sim_report_set_protocol(c->report, facts);
    pthread_mutex_unlock(&c->lock);
}

void sim_compositor_destroy(sim_compositor **pc)
{
    sim_compositor *c = pc ? *pc : NULL;
    if (!c) return;
    *pc = NULL;
    const sim_vk *vk = c->d.vk;
    pthread_mutex_lock(&c->lock);
    c->stop = true;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    if (c->thread_started) pthread_join(c->thread, NULL);
    if (c->watcher_started) pthread_join(c->watcher, NULL);
    if (c->picture_started) pthread_join(c->picture, NULL);
    sim_window_destroy(&c->window);

    /* Frames still in flight when the session ends were never displayed. Their GPU work is waited for
     * (bounded) so the fences and buffers can be released. */
    for (int i = 0; i < SIM_SLOTS; i++) {
        slot *sl = &c->slots[i];
        if (sl->state == SLOT_SUBMITTED) {
            VkResult vr = vk->WaitForFences(vk->device, 1, &sl->fence, VK_TRUE, 2000000000ull);
            if (vr == VK_SUCCESS) {
                gpu_done(c, sl, sim_now());
            } else {
                sim_log(SIM_LOG_ERROR, "xrEndSession: vkWaitForFences failed: %s", sim_vk_result_string(vr));
                sl->fence_lost = true;
            }
        }
    }
    /* Settle in frame order so the CSV stays ordered. */
    for (;;) {
        int next = -1;
        for (int i = 0; i < SIM_SLOTS; i++) {
            slot_state st = c->slots[i].state;
            if ((st == SLOT_SUBMITTED || st == SLOT_READY) &&
                (next < 0 || c->slots[i].frame.frame_id < c->slots[next].frame.frame_id))
                next = i;
        }
        if (next < 0) break;
        settle(c, &c->slots[next], false, c->slots[next].frame.target_vsync);
        c->slots[next].state = SLOT_FREE;
    }
    /* The capture frame never came: the last displayed frame stands in for it. */
    if (sim_capture_pending(c->capture) && c->shown >= 0 && c->slots[c->shown].has_pixels) {
        slot *sl = &c->slots[c->shown];
        if (c->display_rgb && composite_slot(c, sl))
            sim_capture_take(c->capture, c->display_rgb, c->display_w, c->display_h, sl->frame.frame_id);
    }
    sim_capture_write(c->capture);
    sim_capture_destroy(&c->capture);
    sim_haptic_facts haptics[2];
    for (int h = 0; h < 2; h++) {
        sim_controller_state hs = sim_user_hand(c->d.user, h, sim_now());
        haptics[h] = (sim_haptic_facts){.pulses = hs.haptic_pulses,
                                        .stops = hs.haptic_stops,
                                        .peak_amplitude = hs.haptic_peak_amplitude,
                                        .last_amplitude = hs.haptic_amplitude,
                                        .last_frequency_hz = hs.haptic_frequency,
                                        .last_duration = hs.haptic_duration};
    }
    sim_report_set_haptics(c->report, haptics);
    sim_report_write_summary(c->report, c->d.app_name, c->start_time, sim_now());
    sim_report_destroy(&c->report);

    bool any_lost = false;
    for (int i = 0; i < SIM_SLOTS; i++) {
        slot *sl = &c->slots[i];
        if (sl->fence_lost) { /* possibly still in use by a lost device: leak rather than crash */
            any_lost = true;
            continue;
        }
        free_slot_buffer(vk, sl);
        if (sl->fence) vk->DestroyFence(vk->device, sl->fence, NULL);
        if (sl->cmd) vk->FreeCommandBuffers(vk->device, c->pool, 1, &sl->cmd);
    }
    if (c->pool && !any_lost) vk->DestroyCommandPool(vk->device, c->pool, NULL);
    free(c->display_rgb);
    sim_composer_destroy(&c->composer);
    pthread_cond_destroy(&c->cond);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

bool sim_compositor_frame_cost(sim_compositor *c, XrDuration *out_p50, XrDuration *out_p95)
{
    XrDuration v[SIM_COST_HISTORY];
    pthread_mutex_lock(&c->lock);
    int n = c->cost_count;
    memcpy(v, c->cost, sizeof(v));
    pthread_mutex_unlock(&c->lock);
    /* The first frames (pipeline creation, shader compilation) are often ten times slower than the steady
     * state. With 64 samples the 95th percentile already ignores the 3 slowest, so a few such frames no
     * longer count; with fewer it would be one of them. */
    if (n < 64) return false;
    for (int i = 1; i < n; i++) { /* insertion sort: n <= SIM_COST_HISTORY */
        XrDuration x = v[i];
        int j = i - 1;
        for (; j >= 0 && v[j] > x; j--) v[j + 1] = v[j];
        v[j + 1] = x;
    }
    *out_p50 = v[n / 2];
    *out_p95 = v[(int)ceil(0.95 * n) - 1];
    return true;
}

void sim_compositor_wait_idle(sim_compositor *c)
{
    XrTime give_up = sim_now() + 5000000000ll;
    pthread_mutex_lock(&c->lock);
    while (oldest_submitted(c) >= 0 && sim_now() < give_up) cond_wait_until(c, sim_now() + 10000000);
    pthread_mutex_unlock(&c->lock);
}

/* ---------------------------------------------------------------- submission (inside xrEndFrame) */

static XrResult ensure_buffer(sim_compositor *c, slot *sl, VkDeviceSize size)
{
    const sim_vk *vk = c->d.vk;
    if (sl->size >= size) return XR_SUCCESS;
    free_slot_buffer(vk, sl);
    VkBufferCreateInfo bci = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
                              .size = size,
                              .usage = VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                              .sharingMode = VK_SHARING_MODE_EXCLUSIVE};
    VkResult vr = vk->CreateBuffer(vk->device, &bci, NULL, &sl->buffer);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: vkCreateBuffer (capture) failed: %s", sim_vk_result_string(vr));
        return XR_ERROR_RUNTIME_FAILURE;
    }
    VkMemoryRequirements req;
    vk->GetBufferMemoryRequirements(vk->device, sl->buffer, &req);
    /* Coherent so no flush/invalidate is needed; cached because the CPU reads it. */
    uint32_t type = sim_vk_memory_type(
        vk, req.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
        VK_MEMORY_PROPERTY_HOST_CACHED_BIT);
    if (type == UINT32_MAX) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: no host-visible coherent memory for the capture buffer");
        free_slot_buffer(vk, sl);
        return XR_ERROR_RUNTIME_FAILURE;
    }
    VkMemoryAllocateInfo mai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = req.size, .memoryTypeIndex = type};
    vr = vk->AllocateMemory(vk->device, &mai, NULL, &sl->memory);
    if (vr == VK_SUCCESS) vr = vk->BindBufferMemory(vk->device, sl->buffer, sl->memory, 0);
    if (vr == VK_SUCCESS) vr = vk->MapMemory(vk->device, sl->memory, 0, VK_WHOLE_SIZE, 0, &sl->mapped);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: allocating/mapping the capture buffer failed: %s",
                sim_vk_result_string(vr));
        free_slot_buffer(vk, sl);
        return XR_ERROR_RUNTIME_FAILURE;
    }
    sl->size = size;
    return XR_SUCCESS;
}

/* The sub-image of layer image v of a layer (a projection view, or the one image of the other types). */
static const sim_layer_image *layer_image_of(const sim_layer *l, uint32_t v)
{
    switch (l->type) {
    case SIM_LAYER_PROJECTION:
        return v < l->projection.view_count && v < SIM_MAX_LAYER_VIEWS ? &l->projection.views[v].color : NULL;
    case SIM_LAYER_QUAD:
        return v == 0 ? &l->quad.image : NULL;
    case SIM_LAYER_CYLINDER:
        return v == 0 ? &l->cylinder.image : NULL;
    case SIM_LAYER_EQUIRECT2:
        return v == 0 ? &l->equirect2.image : NULL;
    }
    return NULL;
}

/* Records the copy of every layer's sub-images into the slot's buffer (layer by layer, view by view). A
 * layer image the compositor cannot read (a format it does not know, several samples) is left out and that
 * layer is not drawn. The images arrive and leave in COLOR_ATTACHMENT_OPTIMAL, the layout
 * XR_KHR_vulkan_enable hands them over in. */
static XrResult record_copy(sim_compositor *c, slot *sl)
{
    const sim_vk *vk = c->d.vk;
    const sim_frame *f = &sl->frame;
    VkDeviceSize total = 0;
    uint32_t count = 0;
    memset(sl->copies, 0, sizeof(sl->copies));
    for (uint32_t i = 0; i < f->layer_count && i < SIM_MAX_LAYERS; i++)
        for (uint32_t v = 0; v < SIM_MAX_LAYER_VIEWS; v++) {
            const sim_layer_image *im = layer_image_of(&f->layers[i], v);
            uint32_t texel = im ? sim_composite_texel_size(im->format) : 0;
            if (!im || texel == 0 || im->sample_count != 1) continue;
            image_copy *cp = &sl->copies[i][v];
            *cp = (image_copy){.valid = true,
                               .width = (uint32_t)im->rect.extent.width,
                               .height = (uint32_t)im->rect.extent.height,
                               .format = im->format,
                               .offset = total};
            total += ((VkDeviceSize)cp->width * cp->height * texel + 15) & ~(VkDeviceSize)15;
            count++;
        }
    if (count == 0) return XR_SUCCESS;
    XrResult xr = ensure_buffer(c, sl, total);
    if (xr != XR_SUCCESS) return xr;

    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    VkResult vr = vk->BeginCommandBuffer(sl->cmd, &bi);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: vkBeginCommandBuffer failed: %s", sim_vk_result_string(vr));
        return XR_ERROR_RUNTIME_FAILURE;
    }
    /* One barrier per distinct (image, array layer): layers and views may share an image (side by side, a
     * texture atlas) or use one array layer each. */
    enum { MAX_BARRIERS = SIM_MAX_LAYERS * SIM_MAX_LAYER_VIEWS };
    VkImageMemoryBarrier to_src[MAX_BARRIERS], back[MAX_BARRIERS];
    uint32_t nb = 0;
    for (uint32_t i = 0; i < f->layer_count && i < SIM_MAX_LAYERS; i++)
        for (uint32_t v = 0; v < SIM_MAX_LAYER_VIEWS; v++) {
            if (!sl->copies[i][v].valid) continue;
            const sim_layer_image *im = layer_image_of(&f->layers[i], v);
            bool dup = false;
            for (uint32_t k = 0; k < nb; k++)
                dup |= to_src[k].image == im->image &&
                       to_src[k].subresourceRange.baseArrayLayer == im->array_index;
            if (dup) continue;
            to_src[nb] = (VkImageMemoryBarrier){
                .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
                .srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT,
                .dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT,
                .oldLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                .newLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                .image = im->image,
                .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, im->array_index, 1}};
            back[nb] = to_src[nb];
            back[nb].srcAccessMask = 0;
            back[nb].dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT;
            back[nb].oldLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
            back[nb].newLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
            nb++;
        }
    vk->CmdPipelineBarrier(sl->cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0,
                           NULL, 0, NULL, nb, to_src);
    for (uint32_t i = 0; i < f->layer_count && i < SIM_MAX_LAYERS; i++)
        for (uint32_t v = 0; v < SIM_MAX_LAYER_VIEWS; v++) {
            const image_copy *cp = &sl->copies[i][v];
            if (!cp->valid) continue;
            const sim_layer_image *im = layer_image_of(&f->layers[i], v);
            VkBufferImageCopy region = {
                .bufferOffset = cp->offset,
                .imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, im->array_index, 1},
                .imageOffset = {im->rect.offset.x, im->rect.offset.y, 0},
                .imageExtent = {cp->width, cp->height, 1},
            };
            vk->CmdCopyImageToBuffer(sl->cmd, im->image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, sl->buffer, 1,
                                     &region);
        }
    VkBufferMemoryBarrier host = {.sType = VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER,
                                  .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
                                  .dstAccessMask = VK_ACCESS_HOST_READ_BIT,
                                  .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                                  .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                                  .buffer = sl->buffer,
                                  .offset = 0,
                                  .size = VK_WHOLE_SIZE};
    vk->CmdPipelineBarrier(sl->cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                           VK_PIPELINE_STAGE_ALL_COMMANDS_BIT | VK_PIPELINE_STAGE_HOST_BIT, 0, 0, NULL, 1,
                           &host, nb, back);
    vr = vk->EndCommandBuffer(sl->cmd);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: vkEndCommandBuffer failed: %s", sim_vk_result_string(vr));
        return XR_ERROR_RUNTIME_FAILURE;
    }
    sl->has_pixels = true;
    return XR_SUCCESS;
}

/* The fields the compositor fills, before the frame is seen by anyone. */
static void clear_findings(sim_frame *f)
{
    f->gpu_done_time = 0;
    f->photon_time = 0;
    f->shown_vsync = -1;
    f->slack_ms = NAN;
    f->missed = f->dropped = false;
    f->headline_layer = -1;
    f->headline = (sim_pose_measure){.error_deg = NAN, .error_mm = NAN, .age_ms = NAN};
    for (uint32_t i = 0; i < f->layer_count; i++) {
        if (f->layers[i].type != SIM_LAYER_PROJECTION) continue;
        sim_pose_measure *m = &f->layers[i].projection.measure;
        m->error_deg = m->error_mm = m->age_ms = NAN;
        f->layers[i].projection.implausible = NULL;
    }
}

sim_report_metrics sim_compositor_metrics(sim_compositor *c)
{
    pthread_mutex_lock(&c->lock);
    sim_report_metrics m = sim_report_get_metrics(c->report);
    pthread_mutex_unlock(&c->lock);
    return m;
}

XrResult sim_compositor_submit(sim_compositor *c, const sim_frame *frame)
{
    const sim_vk *vk = c->d.vk;
    pthread_mutex_lock(&c->lock);
    int idx = -1;
    XrTime give_up = sim_now() + 2000000000ll;
    while (idx < 0) {
        for (int i = 0; i < SIM_SLOTS && idx < 0; i++)
            if (c->slots[i].state == SLOT_FREE && !c->slots[i].fence_lost && !c->slots[i].pinned) idx = i;
        if (idx >= 0) break;
        /* All slots busy: the app is far ahead of the display. Its oldest completed, unshown frame cannot
         * be shown before newer ones anyway, so drop it; otherwise wait for the GPU. */
        int oldest_ready = -1;
        for (int i = 0; i < SIM_SLOTS; i++)
            if (c->slots[i].state == SLOT_READY &&
                (oldest_ready < 0 || c->slots[i].frame.frame_id < c->slots[oldest_ready].frame.frame_id))
                oldest_ready = i;
        if (oldest_ready >= 0) {
            settle(c, &c->slots[oldest_ready], false, c->slots[oldest_ready].frame.target_vsync);
            c->slots[oldest_ready].state = SLOT_FREE;
            continue;
        }
        if (sim_now() > give_up) {
            pthread_mutex_unlock(&c->lock);
            sim_log(SIM_LOG_ERROR,
                    "xrEndFrame: the GPU completed no frame for 2 s: XR_ERROR_RUNTIME_FAILURE");
            return XR_ERROR_RUNTIME_FAILURE;
        }
        cond_wait_until(c, sim_now() + 10000000);
    }
    slot *sl = &c->slots[idx];
    sl->state = SLOT_RECORDING;
    sl->frame = *frame;
    clear_findings(&sl->frame);
    sl->has_pixels = false;
    memset(sl->copies, 0, sizeof(sl->copies));
    bool copy = c->display_rgb && (sim_capture_pending(c->capture) || sim_window_active(c->window));
    pthread_mutex_unlock(&c->lock);

    XrResult r = XR_SUCCESS;
    VkResult vr = vk->ResetFences(vk->device, 1, &sl->fence);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: vkResetFences failed: %s", sim_vk_result_string(vr));
        r = XR_ERROR_RUNTIME_FAILURE;
    }
    if (r == XR_SUCCESS && copy) {
        r = record_copy(c, sl);
        /* A failed copy costs the capture, not the frame. */
        if (r != XR_SUCCESS) {
            sl->has_pixels = false;
            r = XR_SUCCESS;
        }
    }
    if (r == XR_SUCCESS) {
        /* With no copy, an empty submission still carries the fence: it signals once everything the app
         * queued before xrEndFrame has completed. */
        VkSubmitInfo si = {
            .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &sl->cmd};
        vr = vk->QueueSubmit(vk->queue, sl->has_pixels ? 1 : 0, sl->has_pixels ? &si : NULL, sl->fence);
        if (vr != VK_SUCCESS) {
            sim_log(SIM_LOG_ERROR, "xrEndFrame: vkQueueSubmit (frame fence) failed: %s",
                    sim_vk_result_string(vr));
            r = vr == VK_ERROR_DEVICE_LOST ? XR_ERROR_SESSION_LOST : XR_ERROR_RUNTIME_FAILURE;
        }
    }
    pthread_mutex_lock(&c->lock);
    if (r == XR_SUCCESS) {
        sl->state = SLOT_SUBMITTED;
    } else {
        settle(c, sl, false, sl->frame.target_vsync);
        sl->state = SLOT_FREE;
    }
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    return r;
}
