/* SPDX-License-Identifier: MIT */
/* parallax-engine: an engine's renderer on libparallax. Everything is drawn by the sample's own pipelines and
 * shaders; libparallax runs the OpenXR session, paces the frames, late-latches the head pose and hands out
 * the frame's phases:
 * - pre-pass (frame.pre_cmd): the mesh upload (first frame), the compute animation of the instances, the
 * stats panel drawn into its quad layer's image;
 * - pass (frame.cmd): lit cubes in libparallax's multiview pass, MSAA 4x, the views from its uniforms;
 * - post phase (frame.cmd after plx_frame_post_pass): a vignette from the pass's resolved colour into the
 *   swapchain image.
 * Its own input: an action set bound for the simple and the Touch controller (actions.c). Run it with an
 * OpenXR runtime selected:
 * - XR_RUNTIME_JSON=build/lib/parallax_simulator.json build/bin/parallax-engine --frames 300
 * README.md in this folder walks through the code phase by phase. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static const char usage[] =
    "usage: parallax-engine [--frames N] [--samples 1|2|4] [--vignette S] [--help]\n"
    "  --frames N    run N frames, then end the session cleanly and exit\n"
    "  --samples N   MSAA samples of the scene pass (default 4; where the device cannot\n"
    "                multisample, the default falls back to 1 with a note, an explicit value fails)\n"
    "  --vignette S  how dark the post-process vignette makes the corners, 0 (off) .. 1 (default 0.6)\n"
    "At exit it prints the frame summary, the latch check (PARALLAX_LATCH_CHECK=1), where the stats panel\n"
    "projects in each eye and the validation message count (PARALLAX_VALIDATION=1).\n";

/* The sky: the pass's clear colour (linear). */
static const float SKY[4] = {0.30f, 0.38f, 0.50f, 1.0f};

static int median_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of the values >= 0 among n; -1 when there are none. */
static double median(double *v, uint32_t n)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (v[i] >= 0) v[k++] = v[i];
    if (!k) return -1;
    qsort(v, k, sizeof *v, median_cmp);
    return v[k / 2];
}

/* The panel's figures from libparallax's per-frame records of the last 90 frames. */
static void gather_stats(engine *e, panel_stats *out)
{
    static plx_frame_stats st[90];
    static double cpu[90], gpu[90], age[90], err[90];
    uint32_t n = plx_get_frame_stats(e->ctx, st, 90);
    memset(out, 0, sizeof *out);
    out->period_ms = 1000.0 / 90.0;
    for (uint32_t i = 0; i < n; i++) {
        cpu[i] = st[i].rendered ? st[i].cpu_ms : -1;
        gpu[i] = st[i].rendered ? st[i].gpu_ms : -1;
        age[i] = st[i].rendered ? st[i].photon_age_ms : -1;
        err[i] = st[i].rendered ? st[i].pose_error_deg : -1;
        if (st[i].predicted_display_period > 0) out->period_ms = (double)st[i].predicted_display_period / 1e6;
    }
    out->cpu_ms = median(cpu, n);
    out->gpu_ms = median(gpu, n);
    out->age_ms = median(age, n);
    out->error_deg = median(err, n);
    plx_summary sum;
    if (plx_stats_summary(e->ctx, &sum) == PLX_SUCCESS) out->misses = sum.frames_missed;
    /* The trigger's colour once it is pressed; white until then. */
    for (int i = 0; i < 3; i++) out->accent[i] = e->tint[3] > 0 ? e->tint[i] : 0.85f;
}

static VkResult engine_init(engine *e)
{
    VkResult r;
    if (plx_get_vulkan_info(e->ctx, &e->vk) != PLX_SUCCESS) {
        fprintf(stderr, "parallax-engine: plx_get_vulkan_info: %s\n", plx_last_error(e->ctx));
        return VK_ERROR_INITIALIZATION_FAILED;
    }
    vkGetPhysicalDeviceMemoryProperties(e->vk.physical_device, &e->memory_properties);
    const uint32_t sets = 2 * MAX_SLOTS;
    VkDescriptorPoolSize sizes[2] = {{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, MAX_SLOTS},
                                     {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, MAX_SLOTS}};
    VkDescriptorPoolCreateInfo pci = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
                                      .maxSets = sets,
                                      .poolSizeCount = 2,
                                      .pPoolSizes = sizes};
    r = vkCreateDescriptorPool(e->vk.device, &pci, NULL, &e->pool);
    if (!vk_ok(r, "vkCreateDescriptorPool")) return r;
    if ((r = scene_init(e)) != VK_SUCCESS || (r = post_init(e)) != VK_SUCCESS ||
        (r = panel_init(e)) != VK_SUCCESS)
        return r;
    return VK_SUCCESS;
}

/* Destroys the sample's Vulkan objects once the GPU is done with every frame (plx_wait_gpu_idle: the device
 * is shared with the OpenXR runtime, so vkDeviceWaitIdle is not the app's to call). */
static void engine_fini(engine *e)
{
    if (!e->vk.device) return;
    plx_wait_gpu_idle(e->ctx);
    panel_fini(e);
    post_fini(e);
    scene_fini(e);
    if (e->pool) vkDestroyDescriptorPool(e->vk.device, e->pool, NULL);
}

/* The frame's slot is free again: plx_frame_wait hands a slot out only after the GPU finished its previous
 * frame. That frame's framebuffers go now; they are made per frame because libparallax makes the swapchain
 * images (and their views) again when it re-creates a lost session. */
static void slot_recycle(engine *e, slot *s)
{
    if (s->post_framebuffer) vkDestroyFramebuffer(e->vk.device, s->post_framebuffer, NULL);
    if (s->panel_framebuffer) vkDestroyFramebuffer(e->vk.device, s->panel_framebuffer, NULL);
    s->post_framebuffer = s->panel_framebuffer = VK_NULL_HANDLE;
}

/* Records the three phases of a frame plx_frame_begin returned PLX_SUCCESS for. */
static plx_result record_frame(engine *e, plx_frame *f, bool redraw_panel, const panel_stats *st)
{
    slot_recycle(e, &e->slots[f->slot]);
    /* 1. pre-pass: upload, compute, the panel's image */
    scene_prepass(e, f);
    if (redraw_panel) {
        plx_result pr = panel_record(e, f, st);
        /* PLX_ERROR_XR: the panel's swapchain failed this frame; the frame carries on without redrawing it.
         */
        if (pr < 0 && pr != PLX_ERROR_XR) return pr;
    }
    /* 2. pass: the scene in libparallax's multiview pass */
    scene_draw(e, f);
    /* 3. post phase: the vignette into the swapchain image */
    return post_record(e, f);
}

int main(int argc, char **argv)
{
    long frames = -1;
    uint32_t samples = 4;
    bool samples_given = false;
    float vignette = 0.6f;
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (!strcmp(argv[i], "--help")) return fputs(usage, stdout), 0;
        if (!strcmp(argv[i], "--frames") && i + 1 < argc && (frames = strtol(argv[++i], &end, 10)) > 0 &&
            !*end)
            continue;
        if (!strcmp(argv[i], "--samples") && i + 1 < argc) {
            long s = strtol(argv[++i], &end, 10);
            if (!*end && (s == 1 || s == 2 || s == 4)) {
                samples = (uint32_t)s;
                samples_given = true;
                continue;
            }
        }
        if (!strcmp(argv[i], "--vignette") && i + 1 < argc) {
            vignette = strtof(argv[++i], &end);
            if (!*end && vignette >= 0 && vignette <= 1) continue;
        }
        return fputs(usage, stderr), 2;
    }

    engine e = {
        .vignette = vignette,
        /* World-locked, up and to the left, turned 20 degrees towards the viewer. */
        .panel_position = {-0.48f, 0.30f, -1.2f},
        .panel_orientation = {0, 0.17364818f, 0, 0.98480775f},
        .panel_size = {0.64f, 0.32f},
    };
    plx_context_desc desc = {
        .app_name = "parallax-engine",
        .pass = PLX_PASS_POST_PROCESS, /* the pass renders into an intermediate; the post phase writes the
                                          final */
        .samples = samples,
        .clear_color = {SKY[0], SKY[1], SKY[2], SKY[3]},
    };
    plx_result r = plx_context_create(&desc, &e.ctx);
    if (r == PLX_ERROR_UNSUPPORTED && samples > 1 && !samples_given) {
        /* The default asks for MSAA; a device that cannot multisample gets none. */
        printf("MSAA %ux is not available: %s\nrunning without MSAA\n", samples, plx_last_error(NULL));
        desc.samples = 1;
        r = plx_context_create(&desc, &e.ctx);
    }
    if (r != PLX_SUCCESS) {
        fprintf(stderr, "parallax-engine: cannot start: %s\n", plx_last_error(NULL));
        return 1;
    }
    int status = 0;
    memcpy(e.panel_home, e.panel_position, sizeof e.panel_home);
    if (engine_init(&e) != VK_SUCCESS) {
        fprintf(stderr, "parallax-engine: cannot create the renderer (above)\n");
        status = 1;
    } else if (actions_init(&e) != PLX_SUCCESS) {
        /* Before the first frame: libparallax attaches every action set then, and none can be added later. */
        fprintf(stderr, "parallax-engine: actions: %s\n", plx_last_error(e.ctx));
        status = 1;
    } else
        printf("MSAA: %ux, Vulkan %u.%u, %ux%u per eye, %u frames in flight\n", (unsigned)e.vk.samples,
               VK_API_VERSION_MAJOR(e.vk.api_version), VK_API_VERSION_MINOR(e.vk.api_version), e.vk.eye_width,
               e.vk.eye_height, e.vk.frames_in_flight);

    long done = 0, rendered = 0;
    int64_t first_display = 0;
    plx_view last_views[2];
    memset(last_views, 0, sizeof last_views);
    panel_stats st = {0};
    plx_events ev = {0};
    while (status == 0 && plx_poll(e.ctx, &ev) >= 0 && !ev.should_quit) {
        plx_frame frame;
        r = plx_frame_wait(e.ctx, &frame);
        if (r == PLX_SUCCESS) {
            if (!first_display) first_display = frame.predicted_display_time;
            e.anim_time = (double)(frame.predicted_display_time - first_display) / 1e9;
            /* plx_frame_wait synced the actions for this frame's display time. */
            plx_result ar = actions_update(&e, done, frame.predicted_display_time);
            if (ar < 0) fprintf(stderr, "parallax-engine: actions: %s\n", plx_last_error(e.ctx));
            r = plx_frame_begin(e.ctx, &frame);
        }
        /* parallax.h's rule: end only a frame begun with PLX_SUCCESS or PLX_FRAME_SKIPPED. */
        if (r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED) {
            if (r == PLX_SUCCESS) {
                bool redraw =
                    rendered % 9 == 0; /* the panel at 10 Hz: a quad shows its last image meanwhile */
                if (redraw) gather_stats(&e, &st);
                plx_result rr = record_frame(&e, &frame, redraw, &st);
                if (rr < 0) fprintf(stderr, "parallax-engine: recording: %s\n", plx_last_error(e.ctx));
                rendered++;
            }
            r = plx_frame_end(e.ctx, &frame);
            if (r == PLX_SUCCESS && frame.should_render) memcpy(last_views, frame.views, sizeof last_views);
            if (r == PLX_SUCCESS && ++done == frames) r = plx_request_exit(e.ctx);
        }
        if (r < 0) break;
    }
    if (status == 0 && !ev.should_quit) {
        fprintf(stderr, "parallax-engine: frame loop: %s\n", plx_last_error(e.ctx));
        status = 1;
    }

    plx_summary s;
    if (plx_stats_summary(e.ctx, &s) == PLX_SUCCESS)
        printf("frames %llu  cpu p50 %.2f ms  gpu p50 %.2f ms  missed %llu\n", (unsigned long long)s.frames,
               s.cpu_p50_ms, s.gpu_p50_ms, (unsigned long long)s.frames_missed);
    char profiles[2][256] = {"", ""};
    plx_actions_get_profile(e.ctx, "/user/hand/left", profiles[0], sizeof profiles[0]);
    plx_actions_get_profile(e.ctx, "/user/hand/right", profiles[1], sizeof profiles[1]);
    printf("actions: profiles left '%s' right '%s'; trigger presses left %llu right %llu; haptic pulses "
           "%llu; panel "
           "moved by %.3f %.3f m\n",
           profiles[0], profiles[1], (unsigned long long)e.actions.presses[0],
           (unsigned long long)e.actions.presses[1], (unsigned long long)e.actions.pulses,
           (double)e.actions.moved[0], (double)e.actions.moved[1]);
    plx_latency_info li;
    if (plx_get_latency_info(e.ctx, &li) == PLX_SUCCESS && li.latch_check)
        printf("latch check: %llu frames checked, %llu failures\n",
               (unsigned long long)li.latch_frames_checked, (unsigned long long)li.latch_failures);
    if (last_views[0].fov.angle_right > 0) {
        double box[2][4];
        panel_project(&e, last_views, e.vk.eye_width, e.vk.eye_height, box);
        printf(
            "panel: drawn %llu times; projects to left eye x %.2f..%.2f y %.2f..%.2f, right eye x %.2f..%.2f "
            "y %.2f..%.2f\n",
            (unsigned long long)e.panel_draws, box[0][0], box[0][2], box[0][1], box[0][3], box[1][0],
            box[1][2], box[1][1], box[1][3]);
        double swatch[2][2];
        panel_swatch_project(&e, last_views, e.vk.eye_width, e.vk.eye_height, swatch);
        /* The swatch's colour as the display shows it: 8-bit sRGB of the linear colour. */
        int rgb8[3];
        for (int i = 0; i < 3; i++) {
            double c = st.accent[i];
            c = c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055;
            rgb8[i] = (int)lround(255 * c);
        }
        printf("panel swatch %d,%d,%d: left eye at %.2f,%.2f, right eye at %.2f,%.2f\n", rgb8[0], rgb8[1],
               rgb8[2], swatch[0][0], swatch[0][1], swatch[1][0], swatch[1][1]);
    }
    printf("validation messages: %u\n", plx_validation_message_count(e.ctx));
    engine_fini(&e);
    plx_context_destroy(&e.ctx);
    return status;
}
