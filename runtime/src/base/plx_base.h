/* SPDX-License-Identifier: MIT */
/* Layer 0, base: results and last-error strings, the one failure funnel, the log sink (the clocks are in
 * plx_time.h).
 * Calls nothing of libparallax; every other layer may call it.
 *
 * A check (PLX_XR) that meets XR_ERROR_SESSION_LOST or XR_ERROR_INSTANCE_LOST returns PLX_ERROR_SESSION_LOST
 * and records which loss it was in the report (plx_report_take_loss): what to do about a loss is decided by
 * the caller above (the public entry points hand it to recovery), never here. */
#pragma once

#define XR_USE_GRAPHICS_API_VULKAN 1
#define XR_USE_TIMESPEC            1 /* XR_KHR_convert_timespec_time (base/plx_time.h) */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include "parallax/parallax.h"
#include "parallax/parallax_openxr.h"
#include "parallax/parallax_vulkan.h"

#define PLX_MAX_FRAMES_IN_FLIGHT 3
#define PLX_MAX_SWAPCHAIN_IMAGES 8

/* ---------------------------------------------------------------- errors and logging (error.c) */

/* What a check saw die, worst first: an instance loss takes the session with it. */
typedef enum plx_loss {
    PLX_LOSS_NONE = 0,
    PLX_LOSS_SESSION = 1,  /* XR_ERROR_SESSION_LOST */
    PLX_LOSS_INSTANCE = 2, /* XR_ERROR_INSTANCE_LOST */
} plx_loss;

/* Where a context's failures and log lines go (plx_context.report). NULL wherever a plx_report * is taken:
 * the log goes to stderr at warn level and failures to the calling thread's create-error slot. */
typedef struct plx_report {
    plx_log_fn log_fn; /* NULL: stderr */
    void *log_user;
    plx_log_level log_level;
    char last_error[1024];
    atomic_uint validation_messages; /* debug-messenger warnings and errors, from any thread */
    plx_loss loss;                   /* the worst loss a check met since plx_report_take_loss */
    const char *loss_name;           /* its XrResult's name */
} plx_report;

/* The sink (fn NULL: stderr) and the level from PARALLAX_LOG (a bad value is reported once, warn kept). */
void plx_report_init(plx_report *r, plx_log_fn fn, void *user);

/* All failures funnel through plx_fail: it formats "<message> (<file>:<line>)" into r's last error (or the
 * thread's create error when r is NULL), logs it at info level and returns result. */
plx_result plx_fail(plx_report *r, plx_result result, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
plx_result plx_check_xr(plx_report *r, XrResult xr, const char *call, const char *file, int line);
plx_result plx_check_vk(plx_report *r, VkResult vk, const char *call, const char *file, int line);

/* PLX_XR(r, xrCall(...)) / PLX_VK(r, vkCall(...)): PLX_SUCCESS, or the failure (set and logged) naming the
 * function and its result. Use as: if ((res = PLX_XR(r, xrFoo(...))) < 0) goto fail; */
#define PLX_XR(r, call)          plx_check_xr((r), (call), #call, __FILE__, __LINE__)
#define PLX_VK(r, call)          plx_check_vk((r), (call), #call, __FILE__, __LINE__)
#define PLX_FAIL(r, result, ...) plx_fail((r), (result), __FILE__, __LINE__, __VA_ARGS__)
/* A result already in hand (the call's result was looked at first): the message names the call. */
#define PLX_XR_RESULT(r, result, call_name) plx_check_xr((r), (result), (call_name), __FILE__, __LINE__)

const char *plx_xr_result_name(XrResult r);
const char *plx_vk_result_name(VkResult r);

/* Thread-safe (the sink's settings do not change after plx_report_init). */
void plx_log(const plx_report *r, plx_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The last failure's text; r NULL: the calling thread's create error. */
const char *plx_report_last_error(const plx_report *r);
/* Puts back a last-error text taken with plx_report_last_error (copied by the caller): best-effort cleanup
 * after a failure may fail too, and plx_last_error must still name the failure the caller returns. */
void plx_report_restore_error(plx_report *r, const char *text);
/* Copies r's last error to the thread's create-error slot (create failed: r is about to go). */
void plx_report_keep_for_thread(const plx_report *r);
/* A debug messenger saw a warning or an error (any thread). */
void plx_report_validation_message(plx_report *r);
uint32_t plx_report_validation_count(const plx_report *r);
/* The worst loss recorded since the last call (and its XrResult's name in *out_name), then forgets it. */
plx_loss plx_report_take_loss(plx_report *r, const char **out_name);

/* ---------------------------------------------------------------- extensible structs (abi.c) */

/* The size a public struct had in 0.2.0, the first release of this ABI: the end of its last field then. An
 * app's struct is never smaller; later releases only append fields, so these never change. */
#define PLX_ABI_SIZE_TO(type, last_field) (offsetof(type, last_field) + sizeof(((type *)0)->last_field))
#define PLX_ABI_0_2_CONTEXT_DESC          PLX_ABI_SIZE_TO(plx_context_desc, pass)
#define PLX_ABI_0_2_EVENTS                PLX_ABI_SIZE_TO(plx_events, instance_restarted)
#define PLX_ABI_0_2_FRAME                 PLX_ABI_SIZE_TO(plx_frame, pre_cmd)
#define PLX_ABI_0_2_FRAME_IMAGES          PLX_ABI_SIZE_TO(plx_frame_images, target)
#define PLX_ABI_0_2_FRAME_STATS           PLX_ABI_SIZE_TO(plx_frame_stats, pose_error_mm)
#define PLX_ABI_0_2_SUMMARY               PLX_ABI_SIZE_TO(plx_summary, total_p99_ms)
#define PLX_ABI_0_2_MIRROR_STATUS         PLX_ABI_SIZE_TO(plx_mirror_status, present_p99_ms)
#define PLX_ABI_0_2_LATENCY_INFO          PLX_ABI_SIZE_TO(plx_latency_info, xr_time_convert_us)
#define PLX_ABI_0_2_HEAD_POSE             PLX_ABI_SIZE_TO(plx_head_pose, orientation)
#define PLX_ABI_0_2_SCENE_DESC            PLX_ABI_SIZE_TO(plx_scene_desc, grid_color)
#define PLX_ABI_0_2_TRANSFORM             PLX_ABI_SIZE_TO(plx_transform, scale)
#define PLX_ABI_0_2_CUBE_DESC             PLX_ABI_SIZE_TO(plx_cube_desc, color)
#define PLX_ABI_0_2_MESH_DESC             PLX_ABI_SIZE_TO(plx_mesh_desc, color)
#define PLX_ABI_0_2_INPUT_DESC            PLX_ABI_SIZE_TO(plx_input_desc, profiles)
#define PLX_ABI_0_2_HAND_STATE            PLX_ABI_SIZE_TO(plx_hand_state, aim_pose)
#define PLX_ABI_0_2_VULKAN_INFO           PLX_ABI_SIZE_TO(plx_vulkan_info, frames_in_flight)
#define PLX_ABI_0_2_VULKAN_DESC           PLX_ABI_SIZE_TO(plx_vulkan_desc, max_api_version)
#define PLX_ABI_0_2_OPENXR_INFO           PLX_ABI_SIZE_TO(plx_openxr_info, instance_generation)
#define PLX_ABI_0_2_QUAD_DESC             PLX_ABI_SIZE_TO(plx_quad_desc, unpremultiplied)
#define PLX_ABI_0_2_QUAD_IMAGE            PLX_ABI_SIZE_TO(plx_quad_image, height)
#define PLX_ABI_0_2_ACTION_SET_DESC       PLX_ABI_SIZE_TO(plx_action_set_desc, priority)
#define PLX_ABI_0_2_ACTION_DESC           PLX_ABI_SIZE_TO(plx_action_desc, subaction_path_count)
#define PLX_ABI_0_2_ACTION_BINDING        PLX_ABI_SIZE_TO(plx_action_binding, path)
#define PLX_ABI_0_2_ACTION_STATE          PLX_ABI_SIZE_TO(plx_action_state, vector)
#define PLX_ABI_0_2_ACTION_POSE           PLX_ABI_SIZE_TO(plx_action_pose, orientation_tracked)

/* Copies min(dst_size, src_size) bytes and zeroes the rest of dst: how an out-struct is written back to an
 * app (an older app's shorter struct gets what fits, a newer app's unknown fields read zero) and how an
 * in-struct is read into the library's own zeroed copy. */
void plx_abi_copy(void *dst, size_t dst_size, const void *src, size_t src_size);
/* An app's struct must be at least its 0.2.0 size (min_size): PLX_ERROR_INVALID_ARGUMENT naming call and
 * type otherwise. For out-structs, before the call fills them. */
plx_result plx_abi_check_size(plx_report *r, const char *call, const char *type, size_t app_size,
                              size_t min_size);
/* An in-struct: checks app_size (plx_abi_check_size), that every byte beyond own_size is zero (else
 * PLX_ERROR_INVALID_ARGUMENT: the app set a field this library does not have) and copies it into own. */
plx_result plx_abi_in(plx_report *r, const char *call, const char *type, void *own, size_t own_size,
                      const void *app, size_t app_size, size_t min_size);
