/* SPDX-License-Identifier: MIT */
/* Layer 7, public entry points: plx_context_create / destroy and the context's getters: the desc and the
 * environment resolved, and the order in which the parts are brought up and torn down. May call the frame
 * loop (frame.c) and every layer below it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plx_context.h"

static plx_mode mode_from_env(const plx_report *r, plx_mode mode)
{
    const char *v = getenv("PARALLAX_MODE");
    if (!v || !*v) return mode;
    if (strcmp(v, "off") == 0) return PLX_MODE_OFF;
    if (strcmp(v, "latch") == 0) return PLX_MODE_LATCH;
    if (strcmp(v, "jit+latch") == 0) return PLX_MODE_JIT_LATCH;
    plx_log(r, PLX_LOG_ERROR, "PARALLAX_MODE=%.64s is not valid: expected off|latch|jit+latch (using %s)", v,
            mode == PLX_MODE_OFF     ? "off"
            : mode == PLX_MODE_LATCH ? "latch"
                                     : "jit+latch");
    return mode;
}

static bool validation_from_env(const plx_report *r)
{
    const char *v = getenv("PARALLAX_VALIDATION");
    if (!v || !*v || strcmp(v, "0") == 0) return false;
    if (strcmp(v, "1") == 0) return true;
    plx_log(r, PLX_LOG_ERROR, "PARALLAX_VALIDATION=%.64s is not valid: expected 0|1 (using 0)", v);
    return false;
}

static bool env_flag(const plx_report *r, const char *name, bool dflt)
{
    const char *v = getenv(name);
    if (!v || !*v) return dflt;
    if (!strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "true")) return true;
    if (!strcmp(v, "0") || !strcmp(v, "off") || !strcmp(v, "false")) return false;
    plx_log(r, PLX_LOG_ERROR, "%s=%.64s is not valid: expected 0|1 (using %d)", name, v, dflt);
    return dflt;
}

static plx_mirror_mode mirror_from_env(const plx_report *r, plx_mirror_mode dflt)
{
    const char *v = getenv("PARALLAX_MIRROR");
    if (!v || !*v) return dflt;
    if (!strcmp(v, "off") || !strcmp(v, "0")) return PLX_MIRROR_OFF;
    if (!strcmp(v, "left")) return PLX_MIRROR_LEFT;
    if (!strcmp(v, "both")) return PLX_MIRROR_BOTH;
    plx_log(r, PLX_LOG_ERROR, "PARALLAX_MIRROR=%.64s is not valid: expected off|left|both", v);
    return dflt;
}

static plx_result apply_desc(plx_context *ctx, const plx_context_desc *d)
{
    plx_report *r = &ctx->report;
    plx_config *c = &ctx->config;
    plx_report_init(r, d->log_fn, d->log_user);
    if (d->mode < PLX_MODE_DEFAULT || d->mode > PLX_MODE_JIT_LATCH)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "plx_context_desc.mode %d is not a plx_mode", d->mode);
    if (d->reference_space < PLX_SPACE_DEFAULT || d->reference_space > PLX_SPACE_STAGE)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_context_desc.reference_space %d is not a plx_space", d->reference_space);
    if (d->frames_in_flight > PLX_MAX_FRAMES_IN_FLIGHT)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "plx_context_desc.frames_in_flight %u is above %d",
                        d->frames_in_flight, PLX_MAX_FRAMES_IN_FLIGHT);
    if ((d->eye_width == 0) != (d->eye_height == 0))
        return PLX_FAIL(
            r, PLX_ERROR_INVALID_ARGUMENT,
            "plx_context_desc eye_width %u / eye_height %u: give both, or neither for the runtime's "
            "recommended size",
            d->eye_width, d->eye_height);
    if (!isfinite(d->near_z) || !isfinite(d->far_z))
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_context_desc near_z %g / far_z %g: not finite (0 = the default)",
                        (double)d->near_z, (double)d->far_z);
    for (int i = 0; i < 4; i++) {
        if (!isfinite(d->clear_color[i]))
            return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                            "plx_context_desc.clear_color[%d] = %g is not finite", i,
                            (double)d->clear_color[i]);
    }
    if (d->near_z < 0 || d->far_z < 0 || (d->far_z > 0 && d->far_z <= (d->near_z > 0 ? d->near_z : 0.05f)))
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_context_desc near_z %g / far_z %g: need 0 < near < far", (double)d->near_z,
                        (double)d->far_z);
    c->mode = mode_from_env(r, d->mode == PLX_MODE_DEFAULT ? PLX_MODE_JIT_LATCH : d->mode);
    c->space_kind = d->reference_space == PLX_SPACE_DEFAULT ? PLX_SPACE_LOCAL : d->reference_space;
    c->near_z = d->near_z > 0 ? d->near_z : 0.05f;
    c->far_z = d->far_z > 0 ? d->far_z : 100.0f;
    bool clear_zero =
        d->clear_color[0] == 0 && d->clear_color[1] == 0 && d->clear_color[2] == 0 && d->clear_color[3] == 0;
    const float dark[4] = {0.02f, 0.02f, 0.03f, 1.0f};
    memcpy(c->clear_color, clear_zero ? dark : d->clear_color, sizeof c->clear_color);
    c->frames_in_flight = d->frames_in_flight ? d->frames_in_flight : 2;
    c->validation = d->validation || validation_from_env(r);
    if (d->pass < PLX_PASS_DEFAULT || d->pass > PLX_PASS_APP)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "plx_context_desc.pass %d is not a plx_pass_mode",
                        (int)d->pass);
    c->pass = d->pass == PLX_PASS_DEFAULT ? PLX_PASS_LIBRARY : d->pass;
    c->samples = d->samples ? d->samples : 1;
    if (c->samples != 1 && c->samples != 2 && c->samples != 4)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "plx_context_desc.samples %u is not 1, 2 or 4 (0 = 1)",
                        d->samples);
    if (c->samples > 1 && c->pass == PLX_PASS_APP)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_context_desc.samples %u with PLX_PASS_APP: there is no libparallax pass to "
                        "multisample; multisample in your own pass and leave samples at 0",
                        d->samples);
    if (d->pass_threads > PLX_MAX_PASS_THREADS)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "plx_context_desc.pass_threads %u is above %d",
                        d->pass_threads, PLX_MAX_PASS_THREADS);
    if (d->pass_threads && c->pass == PLX_PASS_APP)
        return PLX_FAIL(
            r, PLX_ERROR_INVALID_ARGUMENT,
            "plx_context_desc.pass_threads %u with PLX_PASS_APP: there is no libparallax pass for "
            "secondaries to run in; with your own render passes, make your own secondaries",
            d->pass_threads);
    c->pass_threads = d->pass_threads;
    return plx_resolution_init(&ctx->resolution, r, d);
}

/* The trace, the HUD setting and the mirror window: before the Vulkan instance, which needs the window's
 * surface extensions. Fails only on a bad desc or a trace file that cannot be created. */
static plx_result open_outputs(plx_context *ctx, const plx_context_desc *desc)
{
    plx_report *r = &ctx->report;
    if (desc->mirror < PLX_MIRROR_DEFAULT || desc->mirror > PLX_MIRROR_BOTH)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "plx_context_desc.mirror %d is not a plx_mirror_mode",
                        (int)desc->mirror);
    const char *trace = getenv("PARALLAX_TRACE");
    if (!trace || !*trace) trace = desc->trace_path;
    if (trace && *trace) {
        ctx->trace = plx_trace_open(r, trace);
        if (!ctx->trace)
            return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "trace file %.200s cannot be written", trace);
    }
    ctx->hud_on = env_flag(r, "PARALLAX_HUD", desc->hud);
    plx_mirror_mode mirror =
        mirror_from_env(r, desc->mirror == PLX_MIRROR_DEFAULT ? PLX_MIRROR_OFF : desc->mirror);
    if (mirror != PLX_MIRROR_OFF) ctx->mirror = plx_mirror_open(r, mirror);
    return PLX_SUCCESS;
}

/* The HUD pipeline and the mirror's surface, device and thread, once the frame resources exist. A failure
 * here turns the HUD or mirror off with a log line; the frame loop does not depend on them. */
static void create_overlays(plx_context *ctx)
{
    plx_report *r = &ctx->report;
    if (ctx->hud_on && !ctx->hud) {
        if (plx_hud_create(r, &ctx->gpu, plx_loop_hud_pass(ctx), &ctx->hud) < 0) {
            plx_log(r, PLX_LOG_WARN, "HUD: could not be created (%s); it stays off", r->last_error);
            ctx->hud_on = false;
        }
    }
    const plx_swapchains *sc = &ctx->swapchains;
    if (ctx->mirror && plx_mirror_create_gpu(ctx->mirror, r, &ctx->gpu, sc->color.format, sc->eye_width,
                                             sc->eye_height) < 0) {
        plx_log(r, PLX_LOG_WARN, "PARALLAX_MIRROR: the window could not be set up (%s); it stays off",
                r->last_error);
        plx_mirror_destroy(&ctx->mirror, &ctx->gpu);
    }
}

static plx_result context_create(const plx_context_desc *desc, plx_context **out_ctx)
{
    if (!out_ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_context_create: out_ctx is NULL");
    *out_ctx = NULL;
    const plx_context_desc defaults = {0};
    if (!desc) desc = &defaults;
    plx_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_OUT_OF_MEMORY, "plx_context_create: out of memory");
    atomic_init(&ctx->report.validation_messages, 0);
    ctx->loop_thread = pthread_self();
    /* Frames of another context (or of an earlier one at the same address) carry other tags. */
    ctx->loop.tag_seed = (uint32_t)plx_now_ns() ^ (uint32_t)((uintptr_t)ctx >> 4);
    plx_report *r = &ctx->report;
    const plx_config *c = &ctx->config;
    plx_time_init(&ctx->time, r);
    ctx->layers.report = r;
    plx_pose_error_init(&ctx->pose_error, r, &ctx->time);

    plx_result res = apply_desc(ctx, desc);
    if (res < 0) goto fail;
    if ((res = open_outputs(ctx, desc)) < 0) goto fail;
    if ((res = plx_xr_set_app_extensions(&ctx->xr, r, desc->xr_extensions, desc->xr_extension_count,
                                         desc->xr_optional_extensions, desc->xr_optional_extension_count)) <
        0)
        goto fail;
    if ((res = plx_xr_create_instance(&ctx->xr, r, &ctx->time, desc->app_name, desc->app_version)) < 0)
        goto fail;
    uint32_t rec_w = 0, rec_h = 0;
    if ((res = plx_xr_recommended_size(&ctx->xr, &rec_w, &rec_h)) < 0) goto fail;
    /* The app's Vulkan wishes cross the ABI by their own size (plx_vulkan_desc.size). */
    plx_vulkan_desc vd;
    if (desc->vulkan) {
        if (desc->vulkan->size == 0) {
            res =
                PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                         "plx_context_create: plx_vulkan_desc.size is 0; set it to sizeof(plx_vulkan_desc)");
            goto fail;
        }
        res = plx_abi_in(r, "plx_context_create", "plx_vulkan_desc", &vd, sizeof vd, desc->vulkan,
                         desc->vulkan->size, PLX_ABI_0_2_VULKAN_DESC);
        if (res < 0) goto fail;
    }
    const char *mirror_exts[8];
    plx_gpu_desc gd = {
        .xr_instance = ctx->xr.instance,
        .system = ctx->xr.system,
        .app = desc->vulkan ? &vd : NULL,
        .validation = c->validation,
        .instance_extensions = mirror_exts,
        .instance_extension_count =
            ctx->mirror ? plx_mirror_instance_extensions(ctx->mirror, mirror_exts, 8) : 0,
        .frames_in_flight = c->frames_in_flight,
        /* Off: completion is timed at the fence (gpu/watch.c), as on a device without timestamps. */
        .no_timestamps = !env_flag(r, "PARALLAX_GPU_TIMESTAMPS", true),
    };
    if ((res = plx_gpu_create(&ctx->gpu, r, &gd)) < 0) goto fail;
    /* The mirror presents from a device of its own (overlay/mirror.c) that needs VK_KHR_swapchain. */
    if (ctx->mirror && !ctx->gpu.vk.offers_swapchain) {
        plx_log(r, PLX_LOG_WARN, "PARALLAX_MIRROR: the device has no %s; the mirror stays off",
                VK_KHR_SWAPCHAIN_EXTENSION_NAME);
        plx_mirror_destroy(&ctx->mirror, &ctx->gpu);
    }
    if ((res = plx_xr_create_session(&ctx->xr, &ctx->gpu.vk, c->space_kind)) < 0) goto fail;
    if ((res = plx_gpu_check_samples(&ctx->gpu, c->samples)) < 0) goto fail;
    plx_swapchains *sc = &ctx->swapchains;
    sc->post_process = c->pass == PLX_PASS_POST_PROCESS;
    sc->samples = (VkSampleCountFlagBits)c->samples;
    sc->depth_layer = ctx->xr.ext_depth;
    if ((res = plx_swapchains_create(sc, r, &ctx->gpu, ctx->xr.session,
                                     desc->eye_width ? desc->eye_width : rec_w,
                                     desc->eye_height ? desc->eye_height : rec_h, ctx->mirror != NULL)) < 0)
        goto fail;
    plx_frame_resources_desc fr = {
        .color_format = sc->color.format,
        .depth_format = sc->depth_format,
        .store_depth = sc->depth.handle != XR_NULL_HANDLE,
        .post_process = c->pass == PLX_PASS_POST_PROCESS,
        /* The HUD draws over the app's final colour in a pass of its own (frame.c). */
        .overlay_pass = c->pass != PLX_PASS_LIBRARY,
        .samples = (VkSampleCountFlagBits)c->samples,
        .pass_threads = c->pass_threads,
    };
    res = plx_gpu_frame_resources_create(&ctx->gpu, &fr);
    if (res < 0) goto fail;
    create_overlays(ctx);
    plx_recover_init(&ctx->recover, r, desc->app_name, desc->app_version, c->space_kind, sc,
                     ctx->mirror != NULL);
    plx_pacing_init(&ctx->pacing, r, &ctx->time, c->mode);
    if ((res = plx_predict_init(&ctx->predict, r, &ctx->time, desc->prediction)) < 0) goto fail;
    if ((res = plx_latch_init(&ctx->latch, r, &ctx->gpu, c->near_z, c->far_z, desc->latch_check)) < 0)
        goto fail;
    plx_log(r, PLX_LOG_INFO, "context ready: %ux%u per eye, mode %s, %u frames in flight, validation %s",
            sc->eye_width, sc->eye_height,
            c->mode == PLX_MODE_OFF     ? "off"
            : c->mode == PLX_MODE_LATCH ? "latch"
                                        : "jit+latch",
            c->frames_in_flight, c->validation ? "on" : "off");
    *out_ctx = ctx;
    return PLX_SUCCESS;

fail:
    plx_report_keep_for_thread(r);
    plx_context_destroy(&ctx);
    return res;
}

void plx_context_destroy(plx_context **pctx)
{
    if (!pctx || !*pctx) return;
    plx_context *ctx = *pctx;
    *pctx = NULL;
    /* GPU first: nothing below may be freed while a submitted frame still uses it. */
    plx_loop_wait_idle(ctx);
    /* Scenes and input the app has not destroyed yet let go of the device and the session now; their
     * structs stay valid for their own _destroy (parallax.h "Ownership"). */
    while (ctx->children) {
        plx_child *c = ctx->children;
        ctx->children = c->next;
        c->prev = c->next = NULL;
        c->release(c);
    }
    plx_pose_error_report(&ctx->pose_error);
    plx_hud_destroy(&ctx->hud);
    plx_mirror_destroy(&ctx->mirror, &ctx->gpu);
    plx_trace_close(&ctx->trace);
    plx_pacing_fini(&ctx->pacing); /* no xrWaitFrame outstanding once the session goes */
    plx_latch_fini(&ctx->latch);
    plx_swapchains_destroy(&ctx->swapchains, &ctx->gpu);
    plx_xr_destroy_session(&ctx->xr);
    plx_gpu_frame_resources_destroy(&ctx->gpu);
    plx_gpu_destroy(&ctx->gpu);
    plx_xr_destroy_instance(&ctx->xr);
    plx_xr_free_extensions(&ctx->xr);
    free(ctx);
}

plx_result plx_api_check_thread(const plx_context *ctx, const char *fn)
{
    if (pthread_equal(pthread_self(), ctx->loop_thread)) return PLX_SUCCESS;
    return PLX_FAIL(NULL, PLX_ERROR_WRONG_THREAD,
                    "%s: called from a thread other than the context's frame-loop thread (the thread that "
                    "called plx_context_create); only functions documented \"Any thread\" may be",
                    fn);
}

plx_result plx_api_check_child(const void *obj, const plx_context *ctx, const char *what, const char *fn)
{
    if (!obj) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "%s: %s is NULL", fn, what);
    if (!ctx)
        return PLX_FAIL(
            NULL, PLX_ERROR_CALL_ORDER,
            "%s: the %s's context was destroyed, which released the %s; only plx_%s_destroy may be "
            "called on it now",
            fn, what, what, what);
    return plx_api_check_thread(ctx, fn);
}

void plx_context_adopt(plx_context *ctx, plx_child *child, void (*release)(plx_child *))
{
    child->release = release;
    child->prev = NULL;
    child->next = ctx->children;
    if (ctx->children) ctx->children->prev = child;
    ctx->children = child;
}

void plx_context_disown(plx_context *ctx, plx_child *child)
{
    if (child->prev)
        child->prev->next = child->next;
    else if (ctx->children == child)
        ctx->children = child->next;
    if (child->next) child->next->prev = child->prev;
    child->prev = child->next = NULL;
}

const char *plx_last_error(const plx_context *ctx)
{
    return plx_report_last_error(PLX_REPORT(ctx));
}

uint32_t plx_validation_message_count(const plx_context *ctx)
{
    return plx_report_validation_count(PLX_REPORT(ctx));
}

plx_mode plx_get_mode(const plx_context *ctx)
{
    return ctx ? ctx->config.mode : PLX_MODE_DEFAULT;
}

void plx_get_eye_size(const plx_context *ctx, uint32_t *out_width, uint32_t *out_height)
{
    if (out_width) *out_width = ctx ? ctx->swapchains.eye_width : 0;
    if (out_height) *out_height = ctx ? ctx->swapchains.eye_height : 0;
}

plx_result plx_wait_gpu_idle(plx_context *ctx)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_wait_gpu_idle: ctx is NULL");
    plx_result res = plx_api_check_thread(ctx, "plx_wait_gpu_idle");
    if (res < 0) return res;
    plx_loop_wait_idle(ctx); /* the frame slots' fences, then each slot's statistics harvested */
    return PLX_SUCCESS;
}

/* The getters' shared check: ctx and the out-pointer set (the error names which is NULL, in the context's
 * slot), and the frame-loop thread. fn: the public name; what: the pointer parameter's name. */
static plx_result check_getter(const plx_context *ctx, const void *out, const char *fn, const char *what)
{
    if (!ctx || !out)
        return PLX_FAIL(PLX_REPORT((plx_context *)ctx), PLX_ERROR_INVALID_ARGUMENT, "%s: %s is NULL", fn,
                        ctx ? what : "ctx");
    return plx_api_check_thread(ctx, fn);
}

static plx_result get_vulkan_info(const plx_context *ctx, plx_vulkan_info *out_info)
{
    plx_result res = check_getter(ctx, out_info, "plx_get_vulkan_info", "out_info");
    if (res < 0) return res;
    const plx_vk *vk = &ctx->gpu.vk;
    *out_info = (plx_vulkan_info){
        .instance = vk->instance,
        .physical_device = vk->physical_device,
        .device = vk->device,
        .queue_family_index = vk->queue_family_index,
        .queue = vk->queue,
        .render_pass = ctx->gpu.render_pass,
        .frame_set_layout = ctx->gpu.frame_set_layout,
        .color_format = ctx->swapchains.color.format,
        .depth_format = ctx->swapchains.depth_format,
        .samples = ctx->gpu.samples,
        .eye_width = ctx->swapchains.eye_width,
        .eye_height = ctx->swapchains.eye_height,
        .frames_in_flight = ctx->config.frames_in_flight,
        .api_version = vk->api_version,
        .instance_extensions = (const char *const *)vk->instance_extensions,
        .instance_extension_count = vk->instance_extension_count,
        .device_extensions = (const char *const *)vk->device_extensions,
        .device_extension_count = vk->device_extension_count,
    };
    return PLX_SUCCESS;
}

plx_result plx_get_vulkan_features(const plx_context *ctx, VkPhysicalDeviceFeatures2 *inout_features)
{
    plx_result res = check_getter(ctx, inout_features, "plx_get_vulkan_features", "inout_features");
    if (res < 0) return res;
    return plx_vk_features_query(&ctx->gpu.features, PLX_REPORT((plx_context *)ctx), inout_features);
}

bool plx_openxr_extension_enabled(const plx_context *ctx, const char *name)
{
    return ctx && plx_xr_extension_enabled(&ctx->xr, name);
}

static plx_result get_openxr_info(const plx_context *ctx, plx_openxr_info *out_info)
{
    plx_result res = check_getter(ctx, out_info, "plx_get_openxr_info", "out_info");
    if (res < 0) return res;
    const plx_xr *xr = &ctx->xr;
    *out_info = (plx_openxr_info){
        .instance = xr->instance,
        .system_id = xr->system,
        .session = xr->session,
        .space = xr->space,
        .view_space = xr->view_space,
        .get_instance_proc_addr = xrGetInstanceProcAddr,
        .api_version = xr->api_version,
        .runtime_version = xr->runtime_version,
        .enabled_extension_count = xr->instance != XR_NULL_HANDLE ? xr->enabled_count : 0,
        .enabled_extensions = xr->instance != XR_NULL_HANDLE ? xr->enabled_ptrs : NULL,
        .max_layer_count = xr->max_layer_count,
        .session_generation = xr->session_generation,
        .instance_generation = xr->instance_generation,
    };
    return PLX_SUCCESS;
}

/* ---------------------------------------------------------------- ABI entry points (base/abi.c, README "ABI
 * policy"): the app's structs come with their size; the functions above work on the library's own copies. */

plx_result plx_context_create_sized(const plx_context_desc *desc, size_t desc_size, plx_context **out_ctx)
{
    if (!desc) return context_create(NULL, out_ctx);
    plx_context_desc own;
    plx_result res = plx_abi_in(NULL, "plx_context_create", "plx_context_desc", &own, sizeof own, desc,
                                desc_size, PLX_ABI_0_2_CONTEXT_DESC);
    if (res < 0) {
        if (out_ctx) *out_ctx = NULL;
        return res;
    }
    return context_create(&own, out_ctx);
}

plx_result plx_get_vulkan_info_sized(const plx_context *ctx, plx_vulkan_info *out_info, size_t info_size)
{
    if (!out_info) return get_vulkan_info(ctx, NULL);
    plx_result res = plx_abi_check_size(NULL, "plx_get_vulkan_info", "plx_vulkan_info", info_size,
                                        PLX_ABI_0_2_VULKAN_INFO);
    if (res < 0) return res;
    plx_vulkan_info own;
    if ((res = get_vulkan_info(ctx, &own)) >= 0) plx_abi_copy(out_info, info_size, &own, sizeof own);
    return res;
}

plx_result plx_get_openxr_info_sized(const plx_context *ctx, plx_openxr_info *out_info, size_t info_size)
{
    if (!out_info) return get_openxr_info(ctx, NULL);
    memset(out_info, 0, info_size);
    plx_result res = plx_abi_check_size(NULL, "plx_get_openxr_info", "plx_openxr_info", info_size,
                                        PLX_ABI_0_2_OPENXR_INFO);
    if (res < 0) return res;
    plx_openxr_info own;
    if ((res = get_openxr_info(ctx, &own)) >= 0) plx_abi_copy(out_info, info_size, &own, sizeof own);
    return res;
}
