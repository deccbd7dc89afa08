/* SPDX-License-Identifier: MIT */
/* Layer 2, xr: recovery from a lost session or a lost instance (a runtime that restarted), so an app keeps
 * running through what a long-lived VR process meets: the runtime sends LOSS_PENDING or
 * XrEventDataInstanceLossPending, or a call fails with XR_ERROR_SESSION_LOST / XR_ERROR_INSTANCE_LOST.
 *
 * Any of those marks the loss (plx_recover_mark, called by the public entry points with what a check
 * recorded or an event said); the frame functions then answer PLX_SESSION_NOT_RUNNING instead of an error,
 * and the next plx_poll does the work, once the frame loop has let go of the session (nothing in flight):
 *   session loss:  destroy swapchains, spaces and session; create them again.
 *   instance loss: the same, then destroy the instance and create a new one.
 * Both retry a failed re-creation with back-off (the first attempt at once, then 100 ms doubling to 5 s, at
 * most PLX_RECOVER_MAX_ATTEMPTS tries, about 31 s: a runtime restarting, a session the runtime cannot give
 * yet) and then give up: should_quit, with one error naming what could not be re-created and the last
 * failure.
 * The Vulkan instance and device are kept: the new OpenXR instance is asked for its graphics device with our
 * VkInstance, and when it names the same VkPhysicalDevice (the same GPU, as after any runtime restart on
 * one machine) everything the app and the built-in scene made on the device stays valid, so the app keeps
 * its own state. A different physical device cannot be followed without the app re-creating its objects: the
 * context then reports should_quit with an error naming why.
 * The app learns of each recovery through plx_poll (events.session_restarted / instance_restarted and a
 * warning line).
 * May call the session and instance (session.c, instance.c), the swapchains (gpu/) and base/. */
#include <stdio.h>
#include <string.h>

#include "xr/plx_xr.h"

#define PLX_RECOVER_FIRST_BACKOFF_NS 100000000ll  /* 100 ms */
#define PLX_RECOVER_MAX_BACKOFF_NS   5000000000ll /* 5 s */
#define PLX_RECOVER_MAX_ATTEMPTS     12

void plx_recover_init(plx_recover *rc, plx_report *r, const char *app_name, uint32_t app_version,
                      plx_space space_kind, const plx_swapchains *sc, bool transfer_src)
{
    rc->report = r;
    snprintf(rc->app_name, sizeof rc->app_name, "%s", app_name && *app_name ? app_name : "parallax");
    rc->app_version = app_version;
    rc->space_kind = space_kind;
    rc->eye_width = sc->eye_width;
    rc->eye_height = sc->eye_height;
    rc->transfer_src = transfer_src;
    rc->color_format = sc->color.format;
    rc->depth_format = sc->depth_format;
}

void plx_recover_mark(plx_recover *rc, plx_xr *xr, bool instance, const char *why)
{
    if (instance) {
        if (!rc->instance_lost)
            plx_log(rc->report, PLX_LOG_WARN, "OpenXR instance lost (%s): re-creating it", why);
        rc->instance_lost = true;
    } else {
        if (!rc->session_lost && !rc->instance_lost)
            plx_log(rc->report, PLX_LOG_WARN, "OpenXR session lost (%s): re-creating it", why);
        rc->session_lost = true;
    }
    /* No frame may run on the lost objects. */
    plx_xr_stop(xr);
}

bool plx_recover_take_loss(plx_recover *rc, plx_xr *xr)
{
    if (!rc->report) return false;
    const char *why = NULL;
    plx_loss loss = plx_report_take_loss(rc->report, &why);
    if (loss == PLX_LOSS_NONE) return false;
    plx_recover_mark(rc, xr, loss == PLX_LOSS_INSTANCE, why ? why : "?");
    return true;
}

bool plx_recover_pending(const plx_recover *rc)
{
    return rc->session_lost || rc->instance_lost;
}

plx_recover_step plx_recover_next(const plx_recover *rc, const plx_xr *xr)
{
    if (xr->should_quit || !plx_recover_pending(rc)) return PLX_RECOVER_NOTHING;
    if (rc->instance_lost) {
        if (!(xr->instance != XR_NULL_HANDLE && rc->attempts == 0) && plx_now_ns() < rc->next_attempt_ns)
            return PLX_RECOVER_WAIT;
    } else if (rc->session_attempts > 0 && plx_now_ns() < rc->next_attempt_ns) {
        return PLX_RECOVER_WAIT;
    }
    return PLX_RECOVER_NOW;
}

/* Everything that belongs to the session; the Vulkan device and the app's objects stay. The frame loop let
 * go of it first (plx_recover_next). */
static void drop_session(plx_recover *rc, plx_xr *xr, plx_gpu *gpu, plx_swapchains *sc)
{
    plx_swapchains_destroy(sc, gpu);
    plx_xr_drop_session(xr);
    plx_recover_take_loss(rc, xr); /* destroying lost objects may report the loss again */
}

static void drop_instance(plx_recover *rc, plx_xr *xr)
{
    plx_xr_drop_instance(xr);
    plx_recover_take_loss(rc, xr);
}

/* A new session with the same swapchain formats and size, so the render pass, pipelines and framebuffer
 * layout made for the old one still fit. */
static plx_result rebuild_session(plx_recover *rc, plx_xr *xr, plx_gpu *gpu, plx_swapchains *sc)
{
    plx_result res = plx_xr_create_session(xr, &gpu->vk, rc->space_kind);
    if (res < 0) return res;
    sc->depth_layer = xr->ext_depth; /* a new instance may offer it or not */
    res = plx_swapchains_create(sc, rc->report, gpu, xr->session, rc->eye_width, rc->eye_height,
                                rc->transfer_src);
    if (res < 0) return res;
    if (sc->color.format != rc->color_format || sc->depth_format != rc->depth_format)
        return PLX_FAIL(rc->report, PLX_ERROR_UNSUPPORTED,
                        "recovery: the new session offers other swapchain formats (colour %d -> %d, depth "
                        "%d -> %d); the render pass cannot be kept",
                        (int)rc->color_format, (int)sc->color.format, (int)rc->depth_format,
                        (int)sc->depth_format);
    return PLX_SUCCESS;
}

/* The new instance must hand out the same GPU: asks it with our VkInstance (XR_KHR_vulkan_enable2 needs the
 * requirements call before xrCreateSession, and the device call names the device the session must use). */
static plx_result adopt_vulkan(plx_recover *rc, plx_xr *xr, const plx_gpu *gpu)
{
    PFN_xrGetVulkanGraphicsRequirements2KHR get_requirements = NULL;
    PFN_xrGetVulkanGraphicsDevice2KHR get_device = NULL;
    plx_result res;
    if ((res = PLX_XR(rc->report, xrGetInstanceProcAddr(xr->instance, "xrGetVulkanGraphicsRequirements2KHR",
                                                        (PFN_xrVoidFunction *)&get_requirements))) < 0 ||
        (res = PLX_XR(rc->report, xrGetInstanceProcAddr(xr->instance, "xrGetVulkanGraphicsDevice2KHR",
                                                        (PFN_xrVoidFunction *)&get_device))) < 0)
        return res;
    XrGraphicsRequirementsVulkan2KHR req = {.type = XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
    if ((res = PLX_XR(rc->report, get_requirements(xr->instance, xr->system, &req))) < 0) return res;
    XrVulkanGraphicsDeviceGetInfoKHR gi = {
        .type = XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR,
        .systemId = xr->system,
        .vulkanInstance = gpu->vk.instance,
    };
    VkPhysicalDevice pd = VK_NULL_HANDLE;
    if ((res = PLX_XR(rc->report, get_device(xr->instance, &gi, &pd))) < 0) return res;
    if (pd != gpu->vk.physical_device)
        return PLX_FAIL(rc->report, PLX_ERROR_UNSUPPORTED,
                        "recovery: the restarted OpenXR runtime wants another Vulkan physical device; the "
                        "app's Vulkan objects cannot follow (destroy the context and create a new one)");
    return PLX_SUCCESS;
}

/* After a failed attempt: give up (should_quit, one error) after the last allowed one or when retrying cannot
 * help, else wait longer before the next. what: "session" or "instance"; why: the attempt's error, copied
 * before the clean-up that followed it (which may fail on lost objects and overwrite the last error). */
static plx_result attempt_failed(plx_recover *rc, plx_xr *xr, const char *what, int attempts, plx_result res,
                                 const char *why)
{
    if (attempts >= PLX_RECOVER_MAX_ATTEMPTS || res == PLX_ERROR_UNSUPPORTED) {
        plx_xr_set_should_quit(xr);
        return PLX_FAIL(rc->report, res,
                        "recovery: gave up re-creating the OpenXR %s after %d attempts (last: %s)", what,
                        attempts, why[0] ? why : plx_result_string(res));
    }
    plx_log(rc->report, PLX_LOG_WARN,
            "recovery: attempt %d to re-create the OpenXR %s failed (%s); next in %lld ms", attempts, what,
            why[0] ? why : plx_result_string(res), (long long)(rc->backoff_ns / 1000000));
    /* Counted from after the line: whoever reads it may rely on nothing being tried for the time it names. */
    rc->next_attempt_ns = plx_now_ns() + rc->backoff_ns;
    rc->backoff_ns =
        rc->backoff_ns * 2 > PLX_RECOVER_MAX_BACKOFF_NS ? PLX_RECOVER_MAX_BACKOFF_NS : rc->backoff_ns * 2;
    return PLX_SESSION_NOT_RUNNING;
}

static plx_result recover_session(plx_recover *rc, plx_xr *xr, plx_gpu *gpu, plx_swapchains *sc,
                                  bool *out_rebuilt)
{
    if (rc->session_attempts == 0) rc->backoff_ns = PLX_RECOVER_FIRST_BACKOFF_NS;
    drop_session(rc, xr, gpu, sc);
    rc->session_attempts++;
    plx_result res = rebuild_session(rc, xr, gpu, sc);
    plx_recover_take_loss(rc, xr);
    if (rc->instance_lost) return PLX_SESSION_NOT_RUNNING; /* the instance went too: its recovery is next */
    if (res < 0) {
        char why[sizeof rc->report->last_error];
        snprintf(why, sizeof why, "%s", plx_report_last_error(rc->report));
        /* Leave nothing half-made for the next attempt. */
        drop_session(rc, xr, gpu, sc);
        return attempt_failed(rc, xr, "session", rc->session_attempts, res, why);
    }
    rc->session_attempts = 0;
    rc->session_lost = false;
    rc->session_restarts++;
    rc->report_session = true;
    *out_rebuilt = true;
    plx_log(rc->report, PLX_LOG_WARN, "OpenXR session re-created after a loss (%u so far)",
            rc->session_restarts);
    return PLX_SUCCESS;
}

static plx_result recover_instance(plx_recover *rc, plx_xr *xr, plx_gpu *gpu, plx_swapchains *sc,
                                   bool *out_rebuilt)
{
    int64_t now = plx_now_ns();
    if (xr->instance != XR_NULL_HANDLE && rc->attempts == 0) {
        drop_session(rc, xr, gpu, sc);
        drop_instance(rc, xr);
        rc->next_attempt_ns = now; /* the first attempt is immediate; the runtime may already be back */
        rc->backoff_ns = PLX_RECOVER_FIRST_BACKOFF_NS;
    }
    if (now < rc->next_attempt_ns) return PLX_SESSION_NOT_RUNNING;
    rc->attempts++;
    plx_result res = plx_xr_create_instance(xr, rc->report, xr->time, rc->app_name, rc->app_version);
    if (res >= 0) res = adopt_vulkan(rc, xr, gpu);
    if (res >= 0) res = rebuild_session(rc, xr, gpu, sc);
    plx_recover_take_loss(rc, xr);
    if (res < 0) {
        char why[sizeof rc->report->last_error];
        snprintf(why, sizeof why, "%s", plx_report_last_error(rc->report));
        /* Leave nothing half-made for the next attempt. */
        drop_session(rc, xr, gpu, sc);
        drop_instance(rc, xr);
        return attempt_failed(rc, xr, "instance", rc->attempts, res, why);
    }
    rc->attempts = rc->session_attempts = 0;
    rc->instance_lost = rc->session_lost = false;
    rc->instance_restarts++;
    rc->report_instance = true;
    *out_rebuilt = true;
    plx_log(rc->report, PLX_LOG_WARN, "OpenXR instance and session re-created after a loss (%u so far)",
            rc->instance_restarts);
    return PLX_SUCCESS;
}

plx_result plx_recover_run(plx_recover *rc, plx_xr *xr, plx_gpu *gpu, plx_swapchains *sc, bool *out_rebuilt)
{
    *out_rebuilt = false;
    if (xr->should_quit) return PLX_SUCCESS;
    if (rc->instance_lost) return recover_instance(rc, xr, gpu, sc, out_rebuilt);
    if (rc->session_lost) return recover_session(rc, xr, gpu, sc, out_rebuilt);
    return PLX_SUCCESS;
}

void plx_recover_report(plx_recover *rc, bool *out_session_restarted, bool *out_instance_restarted)
{
    *out_session_restarted = rc->report_session || rc->report_instance;
    *out_instance_restarted = rc->report_instance;
    rc->report_session = rc->report_instance = false;
}

void plx_recover_restarts(const plx_recover *rc, uint32_t *out_session, uint32_t *out_instance)
{
    *out_session = rc->session_restarts;
    *out_instance = rc->instance_restarts;
}
