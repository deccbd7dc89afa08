/* The frame timeline's hooks into the context and frame loop: configuration from the desc and the
 * environment (PARALLAX_TRACE, PARALLAX_HUD, PARALLAX_MIRROR), the Vulkan extensions it needs, and the
 * per-frame dispatch to the trace (trace.c), the HUD (hud.c) and the mirror window (mirror.c). */
#include <stdlib.h>
#include <string.h>

#include "plx_context.h"

static bool env_flag(plx_context *ctx, const char *name, bool dflt)
{
    const char *v = getenv(name);
    if (!v || !*v) return dflt;
    if (!strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "true")) return true;
    if (!strcmp(v, "0") || !strcmp(v, "off") || !strcmp(v, "false")) return false;
    plx_log(ctx, PLX_LOG_ERROR, "%s=%.64s is not valid: expected 0|1 (using %d)", name, v, dflt);
    return dflt;
}

static plx_mirror_mode mirror_from_env(plx_context *ctx, plx_mirror_mode dflt)
{
    const char *v = getenv("PARALLAX_MIRROR");
    if (!v || !*v) return dflt;
    if (!strcmp(v, "off") || !strcmp(v, "0")) return PLX_MIRROR_OFF;
    if (!strcmp(v, "left")) return PLX_MIRROR_LEFT;
    if (!strcmp(v, "both")) return PLX_MIRROR_BOTH;
    plx_log(ctx, PLX_LOG_ERROR, "PARALLAX_MIRROR=%.64s is not valid: expected off|left|both", v);
    return dflt;
}

plx_result plx_timeline_init(plx_context *ctx, const plx_context_desc *desc)
{
    plx_timeline *tl = &ctx->timeline;
    if (desc->mirror < PLX_MIRROR_DEFAULT || desc->mirror > PLX_MIRROR_BOTH)
        return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_context_desc.mirror %d is not a plx_mirror_mode", (int)desc->mirror);
    const char *trace = getenv("PARALLAX_TRACE");
    if (!trace || !*trace) trace = desc->trace_path;
    if (trace && *trace) {
        tl->trace = plx_trace_open(ctx, trace);
        if (!tl->trace)
            return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "trace file %.200s cannot be written", trace);
    }
    tl->hud_on = env_flag(ctx, "PARALLAX_HUD", desc->hud);
    tl->mirror_want =
        mirror_from_env(ctx, desc->mirror == PLX_MIRROR_DEFAULT ? PLX_MIRROR_OFF : desc->mirror);
    /* The window must exist before the Vulkan instance: it decides the surface extensions. */
    if (tl->mirror_want != PLX_MIRROR_OFF) tl->mirror = plx_mirror_open(ctx, tl->mirror_want);
    return PLX_SUCCESS;
}

uint32_t plx_timeline_instance_extensions(plx_context *ctx, const char **names, uint32_t max)
{
    return ctx->timeline.mirror ? plx_mirror_instance_extensions(ctx->timeline.mirror, names, max) : 0;
}

static bool device_has(const VkExtensionProperties *props, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!strcmp(props[i].extensionName, name)) return true;
    }
    return false;
}

uint32_t plx_timeline_device_extensions(plx_context *ctx, VkPhysicalDevice pd, const char **names,
                                        uint32_t max)
{
    plx_timeline *tl = &ctx->timeline;
    uint32_t n = 0, count = 0;
    if (vkEnumerateDeviceExtensionProperties(pd, NULL, &n, NULL) != VK_SUCCESS || n == 0) return 0;
    VkExtensionProperties *props = calloc(n, sizeof *props);
    if (!props) return 0;
    if (vkEnumerateDeviceExtensionProperties(pd, NULL, &n, props) != VK_SUCCESS) n = 0;
    if (count < max && device_has(props, n, VK_EXT_CALIBRATED_TIMESTAMPS_EXTENSION_NAME)) {
        /* Only useful if it can read CLOCK_MONOTONIC, the clock XrTime is on. */
        PFN_vkGetPhysicalDeviceCalibrateableTimeDomainsEXT domains_fn =
            (PFN_vkGetPhysicalDeviceCalibrateableTimeDomainsEXT)vkGetInstanceProcAddr(
                ctx->vk_instance, "vkGetPhysicalDeviceCalibrateableTimeDomainsEXT");
        VkTimeDomainEXT domains[8];
        uint32_t nd = 8;
        bool device = false, monotonic = false;
        if (domains_fn && domains_fn(pd, &nd, domains) >= 0) {
            for (uint32_t i = 0; i < nd; i++) {
                device = device || domains[i] == VK_TIME_DOMAIN_DEVICE_EXT;
                monotonic = monotonic || domains[i] == VK_TIME_DOMAIN_CLOCK_MONOTONIC_EXT;
            }
        }
        if (device && monotonic) {
            names[count++] = VK_EXT_CALIBRATED_TIMESTAMPS_EXTENSION_NAME;
            tl->calibrated_ext = true;
        }
    }
    /* The mirror presents from a device of its own (mirror.c) that needs VK_KHR_swapchain; the XR device
     * does not. */
    if (tl->mirror) {
        if (!device_has(props, n, VK_KHR_SWAPCHAIN_EXTENSION_NAME)) {
            plx_log(ctx, PLX_LOG_WARN, "PARALLAX_MIRROR: the device has no %s; the mirror stays off",
                    VK_KHR_SWAPCHAIN_EXTENSION_NAME);
            plx_mirror_destroy(ctx, &tl->mirror);
        }
    }
    free(props);
    return count;
}

void plx_timeline_device_ready(plx_context *ctx)
{
    plx_timeline *tl = &ctx->timeline;
    if (!tl->calibrated_ext || !ctx->timestamps) {
        tl->calibrated_ext = false;
        return;
    }
    tl->get_calibrated =
        (PFN_vkGetCalibratedTimestampsEXT)vkGetDeviceProcAddr(ctx->device, "vkGetCalibratedTimestampsEXT");
    if (!tl->get_calibrated) {
        plx_log(ctx, PLX_LOG_WARN, "vkGetDeviceProcAddr(vkGetCalibratedTimestampsEXT) returned NULL");
        tl->calibrated_ext = false;
        return;
    }
    plx_timeline_calibrate(ctx);
}

void plx_timeline_create_gpu(plx_context *ctx)
{
    plx_timeline *tl = &ctx->timeline;
    if (tl->hud_on && !tl->hud) {
        if (plx_hud_create(ctx, &tl->hud) < 0) {
            plx_log(ctx, PLX_LOG_WARN, "HUD: could not be created (%s); it stays off", ctx->last_error);
            tl->hud_on = false;
        }
    }
    if (tl->mirror && plx_mirror_create_gpu(ctx, tl->mirror) < 0) {
        plx_log(ctx, PLX_LOG_WARN, "PARALLAX_MIRROR: the window could not be set up (%s); it stays off",
                ctx->last_error);
        plx_mirror_destroy(ctx, &tl->mirror);
    }
}

void plx_timeline_destroy(plx_context *ctx)
{
    plx_timeline *tl = &ctx->timeline;
    plx_pose_error_report(ctx);
    plx_hud_destroy(ctx, &tl->hud);
    plx_mirror_destroy(ctx, &tl->mirror);
    plx_trace_close(&tl->trace);
}

void plx_timeline_record_in_pass(plx_context *ctx, const plx_frame *frame, plx_frame_slot *slot)
{
    plx_timeline *tl = &ctx->timeline;
    if (tl->hud_on && tl->hud) plx_hud_record(ctx, tl->hud, frame, slot);
}

void plx_timeline_record_after_pass(plx_context *ctx, const plx_frame *frame, plx_frame_slot *slot)
{
    if (ctx->timeline.mirror) plx_mirror_record_copy(ctx, ctx->timeline.mirror, frame, slot);
}

void plx_timeline_before_wait(plx_context *ctx)
{
    if (ctx->timeline.mirror) plx_mirror_present(ctx, ctx->timeline.mirror);
}

void plx_timeline_frame_ended(plx_context *ctx)
{
    plx_timeline *tl = &ctx->timeline;
    if (tl->trace && ctx->frames_ended > 0)
        plx_trace_frame(tl->trace, &ctx->stats[(ctx->frames_ended - 1) % PLX_STATS_RING]);
    if (tl->mirror) plx_mirror_events(ctx, tl->mirror);
}

plx_result plx_set_hud(plx_context *ctx, bool on)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_set_hud: ctx is NULL");
    plx_timeline *tl = &ctx->timeline;
    if (on && !tl->hud) {
        /* Created on first use: the pipeline costs nothing for apps that never show the HUD. */
        plx_result res = plx_hud_create(ctx, &tl->hud);
        if (res < 0) return res;
    }
    tl->hud_on = on;
    return PLX_SUCCESS;
}

plx_result plx_set_mirror(plx_context *ctx, plx_mirror_mode mode)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_set_mirror: ctx is NULL");
    if (mode < PLX_MIRROR_DEFAULT || mode > PLX_MIRROR_BOTH)
        return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_set_mirror: %d is not a plx_mirror_mode",
                        (int)mode);
    if (!ctx->timeline.mirror)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED,
                        "plx_set_mirror: this context has no mirror window (create it with desc.mirror or "
                        "PARALLAX_MIRROR on a display)");
    return plx_mirror_set_mode(ctx, ctx->timeline.mirror, mode == PLX_MIRROR_DEFAULT ? PLX_MIRROR_OFF : mode);
}

plx_result plx_get_mirror_status(plx_context *ctx, plx_mirror_status *out)
{
    if (!ctx || !out)
        return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_get_mirror_status: NULL argument");
    memset(out, 0, sizeof *out);
    if (ctx->timeline.mirror) plx_mirror_status_get(ctx->timeline.mirror, out);
    return PLX_SUCCESS;
}
