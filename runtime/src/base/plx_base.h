/* SPDX-License-Identifier: MIT */
/* Layer 0, base: results and last-error strings, the one failure funnel, the log sink, the clock.
 * Calls nothing of libparallax; every other layer may call it. */
#pragma once

#define XR_USE_GRAPHICS_API_VULKAN 1
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include "parallax/parallax.h"
#include "parallax/parallax_vulkan.h"

/* engineVersion for OpenXR (a uint32_t): major * 10000 + minor * 100 + patch */
#define PLX_VERSION_NUMBER       100u
#define PLX_MAX_FRAMES_IN_FLIGHT 3
#define PLX_MAX_SWAPCHAIN_IMAGES 8

/* ---------------------------------------------------------------- errors and logging (error.c) */

/* All failures funnel through plx_fail: it formats "<message> (<file>:<line>)" into the context's last error
 * (or the thread's create error when ctx is NULL), logs it at error level and returns result. */
plx_result plx_fail(plx_context *ctx, plx_result result, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
plx_result plx_check_xr(plx_context *ctx, XrResult xr, const char *call, const char *file, int line);
plx_result plx_check_vk(plx_context *ctx, VkResult vk, const char *call, const char *file, int line);

/* PLX_XR(ctx, xrCall(...)) / PLX_VK(ctx, vkCall(...)): PLX_SUCCESS, or the failure (set and logged) naming
 * the function and its result. Use as: if ((res = PLX_XR(ctx, xrFoo(...))) < 0) goto fail; */
#define PLX_XR(ctx, call)          plx_check_xr((ctx), (call), #call, __FILE__, __LINE__)
#define PLX_VK(ctx, call)          plx_check_vk((ctx), (call), #call, __FILE__, __LINE__)
#define PLX_FAIL(ctx, result, ...) plx_fail((ctx), (result), __FILE__, __LINE__, __VA_ARGS__)

const char *plx_xr_result_name(XrResult r);
const char *plx_vk_result_name(VkResult r);

void plx_log(const plx_context *ctx, plx_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Level from PARALLAX_LOG; on a bad value reports one line through the sink and keeps the default. */
plx_log_level plx_log_level_from_env(plx_log_fn fn, void *user);
/* Copies the context's last error to the thread's create-error slot (create failed: ctx is about to go). */
void plx_error_keep_for_thread(const plx_context *ctx);

/* ---------------------------------------------------------------- the clock (time.c) */

static inline int64_t plx_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
void plx_sleep_until_ns(int64_t t);
