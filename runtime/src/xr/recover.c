/* Recovery from a lost session or a lost instance (a runtime that restarted), so an app keeps running through
 * what a long-lived VR process meets: the runtime sends LOSS_PENDING or XrEventDataInstanceLossPending, or a
 * call fails with XR_ERROR_SESSION_LOST / XR_ERROR_INSTANCE_LOST.
 *
 * Any of those marks the context (plx_recover_mark); the frame functions then answer
 * PLX_SESSION_NOT_RUNNING instead of an error, and the next plx_poll does the work:
 *   session loss:  wait for the GPU, destroy swapchains, space and session; create them again.
 *   instance loss: the same, then destroy the instance and create a new one, retrying with back-off
 *                  (100 ms doubling to 5 s, at most PLX_RECOVER_MAX_ATTEMPTS tries) while the runtime
 *                  restarts.
 * The Vulkan instance and device are kept: the new OpenXR instance is asked for its graphics device with our
 * VkInstance, and when it names the same VkPhysicalDevice (the same GPU, as after any runtime restart on
 * one machine) everything the app and the built-in scene made on the device stays valid, so the app keeps
 * its own state. A different physical device cannot be followed without the app re-creating its objects: the
 * context then reports should_quit with an error naming why.
 * The app learns of each recovery through plx_poll (events.session_restarted / instance_restarted and a
 * warning line). */
#include <stdio.h>
#include <string.h>

#include "plx_context.h"

#define PLX_RECOVER_FIRST_BACKOFF_NS 100000000ll  /* 100 ms */
#define PLX_RECOVER_MAX_BACKOFF_NS   5000000000ll /* 5 s */
#define PLX_RECOVER_MAX_ATTEMPTS     12

void plx_recover_init(plx_context *ctx, const plx_context_desc *desc, uint32_t eye_width, uint32_t eye_height)
{
    plx_recover *rc = &ctx->recover;
    snprintf(rc->app_name, sizeof rc->app_name, "%s",
             desc && desc->app_name && *desc->app_name ? desc->app_name : "parallax");
    rc->app_version = desc ? desc->app_version : 0;
    rc->eye_width = eye_width;
    rc->eye_height = eye_height;
    rc->color_format = ctx->color.format;
    rc->depth_format = ctx->depth_format;
}

void plx_recover_mark(plx_context *ctx, bool instance, const char *why)
{
    plx_recover *rc = &ctx->recover;
    if (instance) {
        if (!rc->instance_lost) plx_log(ctx, PLX_LOG_WARN, "OpenXR instance lost (%s): re-creating it", why);
        rc->instance_lost = true;
    } else {
        if (!rc->session_lost && !rc->instance_lost)
            plx_log(ctx, PLX_LOG_WARN, "OpenXR session lost (%s): re-creating it", why);
        rc->session_lost = true;
    }
    /* No frame may run on the lost objects. */
    ctx->running = false;
}

bool plx_recover_pending(const plx_context *ctx)
{
    return ctx->recover.session_lost || ctx->recover.instance_lost;
}

plx_result plx_recover_filter(plx_context *ctx, plx_result res)
{
    if (!ctx || !plx_recover_pending(ctx)) return res;
    if (res < 0 || res == PLX_SUCCESS) {
        /* The frame in progress cannot be finished on a lost session: start cleanly after recovery. */
        ctx->phase = PLX_PHASE_IDLE;
        return PLX_SESSION_NOT_RUNNING;
    }
    return res;
}

/* Everything that belongs to the session; the Vulkan device and the app's objects stay. */
static void drop_session(plx_context *ctx)
{
    plx_vk_wait_idle(ctx);
    if (ctx->frame_recording && ctx->frames_waited > 0) {
        /* Close the half-recorded command buffer (the frame being recorded is the newest waited one) so the
         * framebuffer it names can go; it is reset before its next use. */
        plx_frame_slot *slot = &ctx->slots[(ctx->frames_waited - 1) % ctx->frames_in_flight];
        vkCmdEndRenderPass(slot->cmd);
        PLX_VK(ctx, vkEndCommandBuffer(slot->cmd));
        ctx->frame_recording = false;
    }
    ctx->color_held = ctx->depth_held = false;
    ctx->phase = PLX_PHASE_IDLE;
    plx_pacing_session_reset(ctx);
    /* Calls on lost objects fail with *_LOST; destruction still works and is what the spec asks for. */
    plx_swapchains_destroy(ctx);
    plx_predict_fini(ctx); /* its VIEW space belongs to the session */
    if (ctx->space != XR_NULL_HANDLE) xrDestroySpace(ctx->space);
    ctx->space = XR_NULL_HANDLE;
    if (ctx->session != XR_NULL_HANDLE) xrDestroySession(ctx->session);
    ctx->session = XR_NULL_HANDLE;
    ctx->running = false;
    ctx->state = XR_SESSION_STATE_UNKNOWN;
}

static void drop_instance(plx_context *ctx)
{
    if (ctx->xr_messenger != XR_NULL_HANDLE && ctx->xrDestroyDebugUtilsMessengerEXT)
        ctx->xrDestroyDebugUtilsMessengerEXT(ctx->xr_messenger);
    ctx->xr_messenger = XR_NULL_HANDLE;
    if (ctx->instance != XR_NULL_HANDLE) xrDestroyInstance(ctx->instance);
    ctx->instance = XR_NULL_HANDLE;
}

/* A new session with the same swapchain formats and size, so the render pass, pipelines and framebuffer
 * layout made for the old one still fit. */
static plx_result rebuild_session(plx_context *ctx)
{
    VkFormat color = ctx->recover.color_format, depth = ctx->recover.depth_format;
    plx_result res = plx_ctx_create_session(ctx);
    if (res < 0) return res;
    if ((res = plx_swapchains_create(ctx, ctx->recover.eye_width, ctx->recover.eye_height)) < 0) return res;
    if ((res = plx_predict_session_created(ctx)) < 0) return res;
    if (ctx->color.format != color || ctx->depth_format != depth)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED,
                        "recovery: the new session offers other swapchain formats (colour %d -> %d, depth "
                        "%d -> %d); the render pass cannot be kept",
                        (int)color, (int)ctx->color.format, (int)depth, (int)ctx->depth_format);
    return PLX_SUCCESS;
}

/* The new instance must hand out the same GPU: asks it with our VkInstance (XR_KHR_vulkan_enable2 needs the
 * requirements call before xrCreateSession, and the device call names the device the session must use). */
static plx_result adopt_vulkan(plx_context *ctx)
{
    PFN_xrGetVulkanGraphicsRequirements2KHR get_requirements = NULL;
    PFN_xrGetVulkanGraphicsDevice2KHR get_device = NULL;
    plx_result res;
    if ((res = PLX_XR(ctx, xrGetInstanceProcAddr(ctx->instance, "xrGetVulkanGraphicsRequirements2KHR",
                                                 (PFN_xrVoidFunction *)&get_requirements))) < 0 ||
        (res = PLX_XR(ctx, xrGetInstanceProcAddr(ctx->instance, "xrGetVulkanGraphicsDevice2KHR",
                                                 (PFN_xrVoidFunction *)&get_device))) < 0)
        return res;
    XrGraphicsRequirementsVulkan2KHR req = {.type = XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
    if ((res = PLX_XR(ctx, get_requirements(ctx->instance, ctx->system, &req))) < 0) return res;
    XrVulkanGraphicsDeviceGetInfoKHR gi = {
        .type = XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR,
        .systemId = ctx->system,
        .vulkanInstance = ctx->vk_instance,
    };
    VkPhysicalDevice pd = VK_NULL_HANDLE;
    if ((res = PLX_XR(ctx, get_device(ctx->instance, &gi, &pd))) < 0) return res;
    if (pd != ctx->physical_device)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED,
                        "recovery: the restarted OpenXR runtime wants another Vulkan physical device; the "
                        "app's Vulkan objects cannot follow (destroy the context and create a new one)");
    return PLX_SUCCESS;
}

static plx_result recover_session(plx_context *ctx)
{
    plx_recover *rc = &ctx->recover;
    drop_session(ctx);
    plx_result res = rebuild_session(ctx);
    if (res < 0) return res;
    rc->session_lost = false;
    rc->session_restarts++;
    rc->report_session = true;
    plx_log(ctx, PLX_LOG_WARN, "OpenXR session re-created after a loss (%u so far)", rc->session_restarts);
    return PLX_SUCCESS;
}

static plx_result recover_instance(plx_context *ctx)
{
    plx_recover *rc = &ctx->recover;
    int64_t now = plx_now_ns();
    if (ctx->instance != XR_NULL_HANDLE && rc->attempts == 0) {
        drop_session(ctx);
        drop_instance(ctx);
        rc->next_attempt_ns = now; /* the first attempt is immediate; the runtime may already be back */
        rc->backoff_ns = PLX_RECOVER_FIRST_BACKOFF_NS;
    }
    if (now < rc->next_attempt_ns) return PLX_SESSION_NOT_RUNNING;
    rc->attempts++;
    plx_context_desc d = {.app_name = rc->app_name, .app_version = rc->app_version};
    plx_result res = plx_ctx_create_instance(ctx, &d);
    if (res >= 0) res = adopt_vulkan(ctx);
    if (res >= 0) res = rebuild_session(ctx);
    if (res < 0) {
        /* Leave nothing half-made for the next attempt. */
        drop_session(ctx);
        drop_instance(ctx);
        if (rc->attempts >= PLX_RECOVER_MAX_ATTEMPTS || res == PLX_ERROR_UNSUPPORTED) {
            ctx->should_quit = true;
            return PLX_FAIL(ctx, res,
                            "recovery: could not re-create the OpenXR instance after %d attempts (last: %s)",
                            rc->attempts, plx_result_string(res));
        }
        plx_log(ctx, PLX_LOG_WARN,
                "recovery: attempt %d to re-create the OpenXR instance failed; next in %lld ms", rc->attempts,
                (long long)(rc->backoff_ns / 1000000));
        rc->next_attempt_ns = now + rc->backoff_ns;
        rc->backoff_ns =
            rc->backoff_ns * 2 > PLX_RECOVER_MAX_BACKOFF_NS ? PLX_RECOVER_MAX_BACKOFF_NS : rc->backoff_ns * 2;
        return PLX_SESSION_NOT_RUNNING;
    }
    rc->attempts = 0;
    rc->instance_lost = rc->session_lost = false;
    rc->instance_restarts++;
    rc->report_instance = true;
    plx_log(ctx, PLX_LOG_WARN, "OpenXR instance and session re-created after a loss (%u so far)",
            rc->instance_restarts);
    return PLX_SUCCESS;
}

plx_result plx_recover_poll(plx_context *ctx)
{
    plx_recover *rc = &ctx->recover;
    if (ctx->should_quit) return PLX_SUCCESS;
    if (rc->instance_lost) return recover_instance(ctx);
    if (rc->session_lost) return recover_session(ctx);
    return PLX_SUCCESS;
}

void plx_recover_report(plx_context *ctx, bool *out_session_restarted, bool *out_instance_restarted)
{
    plx_recover *rc = &ctx->recover;
    *out_session_restarted = rc->report_session || rc->report_instance;
    *out_instance_restarted = rc->report_instance;
    rc->report_session = rc->report_instance = false;
}

/* ---------------------------------------------------------------- timing guards */

int64_t plx_recover_guard_timing(plx_context *ctx, int64_t *io_display_time, int64_t *io_period)
{
    plx_recover *rc = &ctx->recover;
    int64_t now = plx_now_ns();
    bool bad = false;
    char what[160] = "";
    /* A period outside 1 ms .. 1 s (1000 Hz .. 1 Hz) is no display's: use the last good one (or 90 Hz). */
    if (*io_period < 1000000 || *io_period > 1000000000) {
        snprintf(what, sizeof what, "predictedDisplayPeriod %lld ns", (long long)*io_period);
        *io_period = rc->last_period > 0 ? rc->last_period : 11111111;
        bad = true;
    } else {
        rc->last_period = *io_period;
    }
    /* A display time in the past (or absurdly far ahead) would make pacing sleep for nothing or forever:
     * the next plausible display is one period ahead of now. */
    if (*io_display_time < now || *io_display_time > now + 10 * *io_period + 1000000000ll) {
        size_t len = strlen(what);
        snprintf(what + len, sizeof what - len, "%spredictedDisplayTime %+.3f ms from now", len ? ", " : "",
                 (double)(*io_display_time - now) * 1e-6);
        *io_display_time = now + *io_period;
        bad = true;
    }
    if (bad) {
        rc->timing_clamped++;
        if (!rc->timing_logged) {
            rc->timing_logged = true;
            plx_log(ctx, PLX_LOG_WARN,
                    "xrWaitFrame returned an implausible %s; clamped for pacing (logged once)", what);
        }
    }
    return rc->timing_clamped;
}
