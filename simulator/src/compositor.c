/* The compositor of the simulated headset, and the judge of every frame.
 *
 * xrEndFrame submits, on the app's queue (the one place besides acquire/release where the runtime may use
 * it), a fence that signals once the app's work for the frame is done, plus, only while a capture is still
 * pending, a copy of the layer images into host memory. Two threads then run per session:
 *   - the GPU watcher waits on those fences in submission order and stamps gpu_done_time;
 *   - the compositor thread wakes compositor_lead before each vsync and shows the newest frame whose GPU
 *     work is complete and whose target vsync has come. A frame shown after its target vsync is "missed";
 *     a frame superseded before it was shown is also "dropped".
 * Each frame that is settled (shown, or dropped) is measured against the true head pose at its photon time
 * and handed to the report. Frame slots are reused, so memory stays bounded however long the session runs.
 * With PARALLAX_SIM_WINDOW each displayed frame is also handed to the preview window (window.c), which
 * shows it and lets a user drive the head and the controllers. */
#include "sim_internal.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_SLOTS        8   /* frames between xrEndFrame and the end of their display */
#define SIM_COST_HISTORY 128 /* frame costs kept for adaptive pacing (about 1.4 s at 90 Hz) */

typedef enum slot_state {
    SLOT_FREE = 0,
    SLOT_RECORDING, /* being filled by xrEndFrame */
    SLOT_SUBMITTED, /* fence pending */
    SLOT_READY,     /* GPU work complete, waiting for its vsync */
    SLOT_SHOWN,     /* on the display now (kept for the capture) */
} slot_state;

typedef struct slot {
    slot_state state;
    sim_frame_record rec;
    VkFence fence;
    bool fence_lost; /* a wait failed: never reuse or destroy the fence */
    VkCommandBuffer cmd;
    VkBuffer buffer;
    VkDeviceMemory memory;
    void *mapped;
    VkDeviceSize size;
    bool has_pixels;
    uint32_t eye_w[2], eye_h[2];
    VkFormat format[2];
    VkDeviceSize offset[2];
} slot;

struct sim_compositor {
    sim_session *s;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* CLOCK_MONOTONIC: state changes of slots, stop */
    pthread_t thread, watcher;
    bool thread_started, watcher_started;
    bool stop;
    VkCommandPool pool; /* used only inside xrEndFrame (the app's frame thread) */
    slot slots[SIM_SLOTS];
    int shown;               /* slot index on the display, -1 none */
    int64_t last_shown_id;   /* frame id on the display, -1 none */
    int64_t displayed_count; /* distinct frames displayed so far */
    XrDuration cost[SIM_COST_HISTORY];
    int cost_next, cost_count;
    /* capture */
    bool capture_pending; /* copies are only made while this is true */
    uint8_t *capture_rgb;
    uint32_t capture_w, capture_h;
    int64_t capture_frame_id;
    sim_report *report;
    XrTime start_time;
    /* preview window (window.c): copies are made while it shows them; preview_rgb is the conversion
     * buffer of the newest displayed frame */
    sim_window *window;
    uint8_t *preview_rgb;
    uint32_t preview_w, preview_h;
};

static XrTime abs_timespec_add(struct timespec *ts, XrTime t)
{
    ts->tv_sec = (time_t)(t / 1000000000);
    ts->tv_nsec = (long)(t % 1000000000);
    return t;
}

/* Waits on c->cond until absolute CLOCK_MONOTONIC time t (or a signal). Caller holds c->lock. */
static void cond_wait_until(sim_compositor *c, XrTime t)
{
    struct timespec ts;
    abs_timespec_add(&ts, t);
    int r = pthread_cond_timedwait(&c->cond, &c->lock, &ts);
    if (r != 0 && r != ETIMEDOUT && r != EINTR)
        sim_log(SIM_LOG_ERROR, "compositor: pthread_cond_timedwait: %d", r);
}

/* ---------------------------------------------------------------- measuring */

static double deg(double rad)
{
    return rad * 180.0 / PLX_PI;
}

/* Fills the derived fields of a frame that is settled now (shown at shown_vsync, or dropped), then hands it
 * to the report. Caller holds c->lock. */
static void settle(sim_compositor *c, slot *sl, bool shown, int64_t vsync)
{
    sim_session *s = c->s;
    sim_frame_record *r = &sl->rec;
    r->dropped = !shown;
    r->shown_vsync = shown ? vsync : -1;
    XrTime deadline = sim_vsync_time(s, r->target_vsync) - s->compositor_lead;
    /* Missed: not on the display at its target refresh. A frame still in flight when the session ends,
     * whose refresh never came, was dropped but not late. */
    r->missed = shown ? vsync > r->target_vsync : sim_now() >= deadline;
    r->photon_time = shown ? sim_vsync_time(s, vsync) + s->display_offset : 0;
    r->slack_ms = r->gpu_done_time > 0 ? (double)(deadline - r->gpu_done_time) / 1e6 : NAN;
    r->pose_age_ms =
        (shown && r->pose_sample_time > 0) ? (double)(r->photon_time - r->pose_sample_time) / 1e6 : NAN;
    r->error_deg = r->error_mm = NAN;
    if (shown && r->pose_in_local && s->motion) {
        /* Truth: the head at photon time (motion time 0 is the session epoch), through the same eye model
         * xrLocateViews uses, so only tracking, prediction and latency show up as error. */
        plx_pose head;
        sim_motion_sample(s->motion, (double)(r->photon_time - s->epoch) / 1e9, &head, NULL, NULL);
        /* Plus what the user (preview window, PARALLAX_SIM_INPUT) did to the head by then. */
        head = plx_pose_mul(sim_user_head_offset(s->user, r->photon_time), head);
        XrPosef head_xr;
        memcpy(&head_xr, &head, sizeof(head_xr));
        XrView truth[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
        sim_eye_views(s, &head_xr, truth);
        double err_deg = 0, err_mm = 0;
        for (int v = 0; v < 2; v++) {
            plx_quat a, b;
            memcpy(&a, &r->views[v].pose.orientation, sizeof(a));
            memcpy(&b, &truth[v].pose.orientation, sizeof(b));
            err_deg += deg(plx_quat_angle_between(a, b));
            plx_vec3 pa, pb;
            memcpy(&pa, &r->views[v].pose.position, sizeof(pa));
            memcpy(&pb, &truth[v].pose.position, sizeof(pb));
            err_mm += 1000.0 * plx_vec3_length(plx_vec3_sub(pa, pb));
        }
        r->error_deg = err_deg / 2.0;
        r->error_mm = err_mm / 2.0;
    }
    sim_report_add(c->report, r);
}

/* Converts a slot's pixels to RGB, both eyes side by side, into *buf (grown as needed). Caller holds
 * c->lock. false when out of memory. */
static bool to_rgb(const slot *sl, uint8_t **buf, uint32_t *w_io, uint32_t *h_io)
{
    uint32_t w = sl->eye_w[0] + sl->eye_w[1];
    uint32_t h = sl->eye_h[0] > sl->eye_h[1] ? sl->eye_h[0] : sl->eye_h[1];
    if (!*buf || *w_io != w || *h_io != h) {
        uint8_t *grown = realloc(*buf, (size_t)w * h * 3);
        if (!grown) {
            sim_log(SIM_LOG_ERROR, "compositor: out of memory for a %ux%u image", w, h);
            return false;
        }
        *buf = grown;
        *w_io = w;
        *h_io = h;
    }
    /* Eyes of different heights leave black below the shorter one. */
    memset(*buf, 0, (size_t)w * h * 3);
    uint32_t x0 = 0;
    for (int v = 0; v < 2; v++) {
        const uint8_t *src = (const uint8_t *)sl->mapped + sl->offset[v];
        bool bgra = sl->format[v] == VK_FORMAT_B8G8R8A8_SRGB || sl->format[v] == VK_FORMAT_B8G8R8A8_UNORM;
        for (uint32_t y = 0; y < sl->eye_h[v]; y++)
            for (uint32_t x = 0; x < sl->eye_w[v]; x++) {
                const uint8_t *p = src + ((size_t)y * sl->eye_w[v] + x) * 4;
                uint8_t *d = *buf + ((size_t)y * w + x0 + x) * 3;
                /* sRGB-encoded formats hold display-ready bytes: written as they are. */
                d[0] = bgra ? p[2] : p[0];
                d[1] = p[1];
                d[2] = bgra ? p[0] : p[2];
            }
        x0 += sl->eye_w[v];
    }
    return true;
}

/* Keeps a copy of the displayed frame for the capture file. Caller holds c->lock. */
static void take_capture(sim_compositor *c, const slot *sl)
{
    if (to_rgb(sl, &c->capture_rgb, &c->capture_w, &c->capture_h)) c->capture_frame_id = sl->rec.frame_id;
}

static void write_capture(sim_compositor *c)
{
    const char *path = c->s->inst->cfg.capture_path;
    if (!path[0]) return;
    if (!c->capture_rgb) {
        sim_log(SIM_LOG_WARN, "PARALLAX_SIM_CAPTURE: no frame with pixels was displayed, %s not written",
                path);
        return;
    }
    char tmp[1100];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    png_image img;
    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    img.width = c->capture_w;
    img.height = c->capture_h;
    img.format = PNG_FORMAT_RGB;
    if (!png_image_write_to_file(&img, tmp, 0, c->capture_rgb, (png_int_32)(c->capture_w * 3), NULL)) {
        sim_log(SIM_LOG_ERROR, "PARALLAX_SIM_CAPTURE: writing %s failed: %s", tmp, img.message);
        remove(tmp);
        return;
    }
    if (rename(tmp, path) != 0) {
        sim_log(SIM_LOG_ERROR, "PARALLAX_SIM_CAPTURE: rename %s -> %s failed: %s", tmp, path,
                strerror(errno));
        remove(tmp);
        return;
    }
    sim_log(SIM_LOG_INFO, "captured frame %lld (%ux%u) to %s", (long long)c->capture_frame_id, c->capture_w,
            c->capture_h, path);
}

/* ---------------------------------------------------------------- display decisions */

/* One refresh: vsync n, composition starting at vsync(n) - lead. Caller holds c->lock. */
static void compose(sim_compositor *c, int64_t n)
{
    int best = -1;
    for (int i = 0; i < SIM_SLOTS; i++) {
        slot *sl = &c->slots[i];
        if (sl->state != SLOT_READY) continue;
        /* Completed after a newer frame was shown: it can never be shown any more. */
        if (sl->rec.frame_id < c->last_shown_id) {
            settle(c, sl, false, n);
            sl->state = SLOT_FREE;
            continue;
        }
        /* Not before the refresh it was predicted for (that would judder, and lie about latency). */
        if (sl->rec.target_vsync > n) continue;
        if (best < 0 || sl->rec.frame_id > c->slots[best].rec.frame_id) best = i;
    }
    if (best < 0) { /* the previous frame stays on the display */
        if (c->shown >= 0) sim_report_note_refresh(c->report, false);
        return;
    }
    for (int i = 0; i < SIM_SLOTS; i++) {
        slot *sl = &c->slots[i];
        if (i != best && sl->state == SLOT_READY && sl->rec.frame_id < c->slots[best].rec.frame_id &&
            sl->rec.target_vsync <= n) {
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
    c->last_shown_id = sl->rec.frame_id;
    int64_t index = c->displayed_count++;
    if (c->capture_pending && sl->has_pixels && index >= c->s->inst->cfg.capture_frame) {
        take_capture(c, sl);
        c->capture_pending = false;
    }
    if (sim_window_active(c->window) && sl->has_pixels &&
        to_rgb(sl, &c->preview_rgb, &c->preview_w, &c->preview_h))
        sim_window_post(c->window, c->preview_rgb, c->preview_w, c->preview_h);
}

static void *compositor_main(void *arg)
{
    sim_compositor *c = arg;
    sim_session *s = c->s;
    pthread_mutex_lock(&c->lock);
    /* The first refresh whose composition start is still ahead. */
    int64_t n = sim_faults_vsync_index(s, sim_now() + s->compositor_lead);
    while (!c->stop) {
        /* A late_compositor fault (faults_apply.c) delays this wake-up. */
        XrTime wake = sim_vsync_time(s, n) - s->compositor_lead + sim_faults_compositor_delay(s);
        while (!c->stop && sim_now() < wake) cond_wait_until(c, wake);
        if (c->stop) break;
        compose(c, n);
        n++;
        /* Overslept a whole refresh (a stalled machine): refreshes that passed showed the same frame. */
        XrTime now = sim_now();
        if (sim_vsync_time(s, n) - s->compositor_lead < now)
            n = sim_faults_vsync_index(s, now + s->compositor_lead);
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
            (best < 0 || c->slots[i].rec.frame_id < c->slots[best].rec.frame_id))
            best = i;
    return best;
}

/* Marks a slot's GPU work complete now. Caller holds c->lock. */
static void gpu_done(sim_compositor *c, slot *sl, XrTime t)
{
    sl->state = SLOT_READY;
    sl->rec.gpu_done_time = t;
    c->cost[c->cost_next] = t - sl->rec.begin_time;
    c->cost_next = (c->cost_next + 1) % SIM_COST_HISTORY;
    if (c->cost_count < SIM_COST_HISTORY) c->cost_count++;
    pthread_cond_broadcast(&c->cond);
}

static void *watcher_main(void *arg)
{
    sim_compositor *c = arg;
    const sim_vk *vk = &c->s->vk;
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
                    sim_vk_result_string(vr), (long long)sl->rec.frame_id);
            sl->fence_lost = true;
            settle(c, sl, false, sl->rec.target_vsync);
            sl->state = SLOT_FREE;
            pthread_cond_broadcast(&c->cond);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* ---------------------------------------------------------------- lifecycle */

XrResult sim_compositor_create(sim_session *s, sim_compositor **out_c)
{
    *out_c = NULL;
    sim_compositor *c = calloc(1, sizeof(*c));
    if (!c) return XR_ERROR_OUT_OF_MEMORY;
    c->s = s;
    c->shown = -1;
    c->last_shown_id = -1;
    c->capture_frame_id = -1;
    c->start_time = sim_now();
    c->capture_pending = s->inst->cfg.capture_path[0] != '\0';
    pthread_mutex_init(&c->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&c->cond, &ca);
    pthread_condattr_destroy(&ca);
    c->report = sim_report_create(&s->inst->cfg, s->period);

    const sim_vk *vk = &s->vk;
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
    /* Time 0 of the PARALLAX_SIM_INPUT script: frames are about to flow. The window exists before the
     * compositor thread starts, which reads c->window without a lock. */
    sim_user_session_begin(s->user, sim_now());
    c->window = sim_window_create(s);
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

void sim_compositor_destroy(sim_compositor **pc)
{
    sim_compositor *c = pc ? *pc : NULL;
    if (!c) return;
    *pc = NULL;
    const sim_vk *vk = &c->s->vk;
    pthread_mutex_lock(&c->lock);
    c->stop = true;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    if (c->thread_started) pthread_join(c->thread, NULL);
    if (c->watcher_started) pthread_join(c->watcher, NULL);
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
                (next < 0 || c->slots[i].rec.frame_id < c->slots[next].rec.frame_id))
                next = i;
        }
        if (next < 0) break;
        settle(c, &c->slots[next], false, c->slots[next].rec.target_vsync);
        c->slots[next].state = SLOT_FREE;
    }
    /* The capture frame never came: the last displayed frame stands in for it. */
    if (c->capture_pending && c->shown >= 0 && c->slots[c->shown].has_pixels)
        take_capture(c, &c->slots[c->shown]);
    write_capture(c);
    sim_report_write_summary(c->report, c->s->inst->app_name, c->start_time, sim_now());
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
    free(c->capture_rgb);
    free(c->preview_rgb);
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

static bool copyable_format(VkFormat f)
{
    return f == VK_FORMAT_R8G8B8A8_SRGB || f == VK_FORMAT_R8G8B8A8_UNORM || f == VK_FORMAT_B8G8R8A8_SRGB ||
           f == VK_FORMAT_B8G8R8A8_UNORM;
}

static XrResult ensure_buffer(sim_compositor *c, slot *sl, VkDeviceSize size)
{
    const sim_session *s = c->s;
    const sim_vk *vk = &s->vk;
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
        s, req.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
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

/* Records the copy of both eyes' sub-images into the slot's buffer. The images arrive and leave in
 * COLOR_ATTACHMENT_OPTIMAL, the layout XR_KHR_vulkan_enable hands them over in. */
static XrResult record_copy(sim_compositor *c, slot *sl)
{
    const sim_vk *vk = &c->s->vk;
    const sim_frame_record *r = &sl->rec;
    VkDeviceSize total = 0;
    for (int v = 0; v < 2; v++) {
        sl->eye_w[v] = (uint32_t)r->views[v].rect.extent.width;
        sl->eye_h[v] = (uint32_t)r->views[v].rect.extent.height;
        sl->format[v] = (VkFormat)r->views[v].swapchain->info.format;
        sl->offset[v] = total;
        total += ((VkDeviceSize)sl->eye_w[v] * sl->eye_h[v] * 4 + 15) & ~(VkDeviceSize)15;
    }
    XrResult xr = ensure_buffer(c, sl, total);
    if (xr != XR_SUCCESS) return xr;

    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    VkResult vr = vk->BeginCommandBuffer(sl->cmd, &bi);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: vkBeginCommandBuffer failed: %s", sim_vk_result_string(vr));
        return XR_ERROR_RUNTIME_FAILURE;
    }
    /* One barrier per distinct (image, layer): both eyes may share one image (side by side) or one layer
     * per eye of an array image. */
    VkImageMemoryBarrier to_src[2], back[2];
    uint32_t nb = 0;
    for (int v = 0; v < 2; v++) {
        VkImage img = r->views[v].swapchain->images[r->views[v].image_index];
        uint32_t layer = r->views[v].array_index;
        bool dup = false;
        for (uint32_t k = 0; k < nb; k++)
            dup |= to_src[k].image == img && to_src[k].subresourceRange.baseArrayLayer == layer;
        if (dup) continue;
        to_src[nb] = (VkImageMemoryBarrier){.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
                                            .srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT,
                                            .dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT,
                                            .oldLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                                            .newLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                                            .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                                            .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                                            .image = img,
                                            .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, layer, 1}};
        back[nb] = to_src[nb];
        back[nb].srcAccessMask = 0;
        back[nb].dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT;
        back[nb].oldLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
        back[nb].newLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
        nb++;
    }
    vk->CmdPipelineBarrier(sl->cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0,
                           NULL, 0, NULL, nb, to_src);
    for (int v = 0; v < 2; v++) {
        const sim_submitted_view *view = &r->views[v];
        VkBufferImageCopy region = {
            .bufferOffset = sl->offset[v],
            .imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, view->array_index, 1},
            .imageOffset = {view->rect.offset.x, view->rect.offset.y, 0},
            .imageExtent = {sl->eye_w[v], sl->eye_h[v], 1},
        };
        vk->CmdCopyImageToBuffer(sl->cmd, view->swapchain->images[view->image_index],
                                 VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, sl->buffer, 1, &region);
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

static bool frame_copyable(const sim_frame_record *r)
{
    if (!r->has_layers || !r->views[0].swapchain || !r->views[1].swapchain) return false;
    for (int v = 0; v < 2; v++) {
        const sim_swapchain *sc = r->views[v].swapchain;
        if (!copyable_format((VkFormat)sc->info.format) || sc->info.sampleCount != 1) return false;
    }
    return true;
}

XrResult sim_compositor_submit(sim_compositor *c, const sim_frame_record *rec)
{
    const sim_vk *vk = &c->s->vk;
    pthread_mutex_lock(&c->lock);
    int idx = -1;
    XrTime give_up = sim_now() + 2000000000ll;
    while (idx < 0) {
        for (int i = 0; i < SIM_SLOTS && idx < 0; i++)
            if (c->slots[i].state == SLOT_FREE && !c->slots[i].fence_lost) idx = i;
        if (idx >= 0) break;
        /* All slots busy: the app is far ahead of the display. Its oldest completed, unshown frame cannot
         * be shown before newer ones anyway, so drop it; otherwise wait for the GPU. */
        int oldest_ready = -1;
        for (int i = 0; i < SIM_SLOTS; i++)
            if (c->slots[i].state == SLOT_READY &&
                (oldest_ready < 0 || c->slots[i].rec.frame_id < c->slots[oldest_ready].rec.frame_id))
                oldest_ready = i;
        if (oldest_ready >= 0) {
            settle(c, &c->slots[oldest_ready], false, c->slots[oldest_ready].rec.target_vsync);
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
    sl->rec = *rec;
    sl->has_pixels = false;
    bool want_pixels = (c->capture_pending || sim_window_active(c->window)) && frame_copyable(rec);
    pthread_mutex_unlock(&c->lock);

    XrResult r = XR_SUCCESS;
    VkResult vr = vk->ResetFences(vk->device, 1, &sl->fence);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: vkResetFences failed: %s", sim_vk_result_string(vr));
        r = XR_ERROR_RUNTIME_FAILURE;
    }
    if (r == XR_SUCCESS && want_pixels) {
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
        settle(c, sl, false, sl->rec.target_vsync);
        sl->state = SLOT_FREE;
    }
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    return r;
}
