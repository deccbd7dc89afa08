/* SPDX-License-Identifier: MIT */
/* Layer 0, base: results, last-error strings, the one failure funnel, the log sink. Calls nothing of
 * libparallax. A lost session or instance is recorded as a fact for the caller (plx_report_take_loss),
 * never acted on here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openxr/openxr_reflection.h>

#include "base/plx_base.h"

/* plx_context_create has no context to report through when it fails, so its last error is kept per thread
 * (the only state outside a context). */
static _Thread_local char thread_create_error[1024];

const char *plx_result_string(plx_result result)
{
    switch (result) {
    case PLX_SUCCESS:
        return "PLX_SUCCESS";
    case PLX_FRAME_SKIPPED:
        return "PLX_FRAME_SKIPPED";
    case PLX_NOT_FOCUSED:
        return "PLX_NOT_FOCUSED";
    case PLX_SESSION_NOT_RUNNING:
        return "PLX_SESSION_NOT_RUNNING";
    case PLX_SHOULD_QUIT:
        return "PLX_SHOULD_QUIT";
    case PLX_ERROR_NO_RUNTIME:
        return "PLX_ERROR_NO_RUNTIME";
    case PLX_ERROR_XR:
        return "PLX_ERROR_XR";
    case PLX_ERROR_VULKAN:
        return "PLX_ERROR_VULKAN";
    case PLX_ERROR_INVALID_ARGUMENT:
        return "PLX_ERROR_INVALID_ARGUMENT";
    case PLX_ERROR_CALL_ORDER:
        return "PLX_ERROR_CALL_ORDER";
    case PLX_ERROR_OUT_OF_MEMORY:
        return "PLX_ERROR_OUT_OF_MEMORY";
    case PLX_ERROR_UNSUPPORTED:
        return "PLX_ERROR_UNSUPPORTED";
    case PLX_ERROR_SESSION_LOST:
        return "PLX_ERROR_SESSION_LOST";
    case PLX_ERROR_WRONG_THREAD:
        return "PLX_ERROR_WRONG_THREAD";
    }
    return "PLX_RESULT_UNKNOWN";
}

const char *plx_xr_result_name(XrResult r)
{
#define PLX_XR_CASE(name, value) \
    case name:                   \
        return #name;
    switch (r) {
        XR_LIST_ENUM_XrResult(PLX_XR_CASE) default : break;
    }
#undef PLX_XR_CASE
    return XR_SUCCEEDED(r) ? "XR_UNKNOWN_SUCCESS" : "XR_UNKNOWN_FAILURE";
}

const char *plx_vk_result_name(VkResult r)
{
    switch (r) {
#define PLX_VK_CASE(name) \
    case name:            \
        return #name;
        PLX_VK_CASE(VK_SUCCESS)
        PLX_VK_CASE(VK_NOT_READY)
        PLX_VK_CASE(VK_TIMEOUT)
        PLX_VK_CASE(VK_EVENT_SET)
        PLX_VK_CASE(VK_EVENT_RESET)
        PLX_VK_CASE(VK_INCOMPLETE)
        PLX_VK_CASE(VK_ERROR_OUT_OF_HOST_MEMORY)
        PLX_VK_CASE(VK_ERROR_OUT_OF_DEVICE_MEMORY)
        PLX_VK_CASE(VK_ERROR_INITIALIZATION_FAILED)
        PLX_VK_CASE(VK_ERROR_DEVICE_LOST)
        PLX_VK_CASE(VK_ERROR_MEMORY_MAP_FAILED)
        PLX_VK_CASE(VK_ERROR_LAYER_NOT_PRESENT)
        PLX_VK_CASE(VK_ERROR_EXTENSION_NOT_PRESENT)
        PLX_VK_CASE(VK_ERROR_FEATURE_NOT_PRESENT)
        PLX_VK_CASE(VK_ERROR_INCOMPATIBLE_DRIVER)
        PLX_VK_CASE(VK_ERROR_TOO_MANY_OBJECTS)
        PLX_VK_CASE(VK_ERROR_FORMAT_NOT_SUPPORTED)
        PLX_VK_CASE(VK_ERROR_FRAGMENTED_POOL)
        PLX_VK_CASE(VK_ERROR_UNKNOWN)
        PLX_VK_CASE(VK_ERROR_OUT_OF_POOL_MEMORY)
        PLX_VK_CASE(VK_ERROR_INVALID_EXTERNAL_HANDLE)
        PLX_VK_CASE(VK_ERROR_FRAGMENTATION)
        PLX_VK_CASE(VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS)
        PLX_VK_CASE(VK_ERROR_SURFACE_LOST_KHR)
        PLX_VK_CASE(VK_ERROR_NATIVE_WINDOW_IN_USE_KHR)
        PLX_VK_CASE(VK_SUBOPTIMAL_KHR)
        PLX_VK_CASE(VK_ERROR_OUT_OF_DATE_KHR)
        PLX_VK_CASE(VK_ERROR_VALIDATION_FAILED_EXT)
#undef PLX_VK_CASE
    default:
        break;
    }
    return r >= 0 ? "VK_UNKNOWN_STATUS" : "VK_UNKNOWN_ERROR";
}

static const char *level_name(plx_log_level level)
{
    switch (level) {
    case PLX_LOG_ERROR:
        return "error";
    case PLX_LOG_WARN:
        return "warn";
    case PLX_LOG_INFO:
        return "info";
    case PLX_LOG_DEBUG:
        return "debug";
    }
    return "?";
}

static void emit(plx_log_fn fn, void *user, plx_log_level level, const char *msg)
{
    if (fn) {
        fn(user, level, msg);
    } else {
        /* One fprintf per line so lines from the driver's threads do not interleave mid-line. */
        fprintf(stderr, "parallax [%s] %s\n", level_name(level), msg);
    }
}

static void vlog(plx_log_fn fn, void *user, plx_log_level level, const char *fmt, va_list ap)
{
    char line[2048];
    vsnprintf(line, sizeof line, fmt, ap);
    emit(fn, user, level, line);
}

void plx_log(const plx_report *r, plx_log_level level, const char *fmt, ...)
{
    plx_log_level max = r ? r->log_level : PLX_LOG_WARN;
    if (level > max) return;
    va_list ap;
    va_start(ap, fmt);
    vlog(r ? r->log_fn : NULL, r ? r->log_user : NULL, level, fmt, ap);
    va_end(ap);
}

/* Level from PARALLAX_LOG; on a bad value reports one line through the sink and keeps the default. */
static plx_log_level log_level_from_env(plx_log_fn fn, void *user)
{
    const char *v = getenv("PARALLAX_LOG");
    if (!v || !*v) return PLX_LOG_WARN;
    static const char *const names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(v, names[i]) == 0) return (plx_log_level)i;
    }
    char line[256];
    snprintf(line, sizeof line,
             "PARALLAX_LOG=%.64s is not valid: expected error|warn|info|debug (using warn)", v);
    emit(fn, user, PLX_LOG_ERROR, line);
    return PLX_LOG_WARN;
}

void plx_report_init(plx_report *r, plx_log_fn fn, void *user)
{
    r->log_fn = fn;
    r->log_user = user;
    r->log_level = log_level_from_env(fn, user);
}

plx_result plx_fail(plx_report *r, plx_result result, const char *file, int line, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    char *dst = r ? r->last_error : thread_create_error;
    size_t cap = r ? sizeof r->last_error : sizeof thread_create_error;
    snprintf(dst, cap, "%s (%s:%d)", msg, base, line);
    /* The caller gets the result and plx_last_error(); logging it louder would print every failure twice. */
    plx_log(r, PLX_LOG_INFO, "failed: %s", dst);
    return result;
}

/* "xrFoo(a, b)" -> "xrFoo": the message names the function, not its argument list. */
static void call_name(const char *call, char *out, size_t cap)
{
    size_t n = strcspn(call, "(");
    if (n >= cap) n = cap - 1;
    memcpy(out, call, n);
    out[n] = '\0';
}

plx_result plx_check_xr(plx_report *r, XrResult xr, const char *call, const char *file, int line)
{
    if (XR_SUCCEEDED(xr)) return PLX_SUCCESS;
    char name[128];
    call_name(call, name, sizeof name);
    plx_result res = PLX_ERROR_XR;
    if (xr == XR_ERROR_SESSION_LOST || xr == XR_ERROR_INSTANCE_LOST) {
        /* A fact for the caller: the public entry points hand it to recovery (xr/recover.c), which
         * re-creates what was lost at the next plx_poll. */
        res = PLX_ERROR_SESSION_LOST;
        plx_loss loss = xr == XR_ERROR_INSTANCE_LOST ? PLX_LOSS_INSTANCE : PLX_LOSS_SESSION;
        if (r && loss > r->loss) {
            r->loss = loss;
            r->loss_name = plx_xr_result_name(xr);
        }
    }
    if (xr == XR_ERROR_OUT_OF_MEMORY) res = PLX_ERROR_OUT_OF_MEMORY;
    return plx_fail(r, res, file, line, "%s failed: %s (%d)", name, plx_xr_result_name(xr), (int)xr);
}

plx_result plx_check_vk(plx_report *r, VkResult vk, const char *call, const char *file, int line)
{
    if (vk == VK_SUCCESS) return PLX_SUCCESS;
    char name[128];
    call_name(call, name, sizeof name);
    return plx_fail(r, PLX_ERROR_VULKAN, file, line, "%s failed: %s (%d)", name, plx_vk_result_name(vk),
                    (int)vk);
}

void plx_report_keep_for_thread(const plx_report *r)
{
    if (r) snprintf(thread_create_error, sizeof thread_create_error, "%s", r->last_error);
}

const char *plx_report_last_error(const plx_report *r)
{
    return r ? r->last_error : thread_create_error;
}

void plx_report_restore_error(plx_report *r, const char *text)
{
    if (r && text && text != r->last_error) snprintf(r->last_error, sizeof r->last_error, "%s", text);
}

void plx_report_validation_message(plx_report *r)
{
    atomic_fetch_add(&r->validation_messages, 1);
}

uint32_t plx_report_validation_count(const plx_report *r)
{
    return r ? atomic_load(&r->validation_messages) : 0;
}

plx_loss plx_report_take_loss(plx_report *r, const char **out_name)
{
    plx_loss loss = r->loss;
    if (out_name) *out_name = r->loss_name;
    r->loss = PLX_LOSS_NONE;
    r->loss_name = NULL;
    return loss;
}
