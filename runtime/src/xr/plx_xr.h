/* SPDX-License-Identifier: MIT */
/* Layer 2, xr: the OpenXR instance, system, session and reference spaces, shared by context creation and
 * recovery; recovery from a lost session or instance. May call gpu/ and base/. */
#pragma once
#include "gpu/plx_gpu.h"

/* recover.c: what a loss left to do, and the timing guards' memory. */
typedef struct plx_recover {
    char app_name[128]; /* what the instance is re-created with */
    uint32_t app_version;
    uint32_t eye_width, eye_height;       /* what the swapchains are re-created with */
    VkFormat color_format, depth_format;  /* ... and must get again (the render pass is kept) */
    bool session_lost, instance_lost;     /* recovery due at the next plx_poll */
    bool report_session, report_instance; /* done: told to the app at the next plx_poll */
    uint32_t session_restarts, instance_restarts;
    int attempts; /* instance re-creation attempts since the loss */
    int64_t next_attempt_ns, backoff_ns;
    int64_t last_period; /* last plausible predictedDisplayPeriod */
    int64_t timing_clamped;
    bool timing_logged;
} plx_recover;

/* The OpenXR instance + system (with its debug messenger), and the session + reference space. */
plx_result plx_ctx_create_instance(plx_context *ctx, const plx_context_desc *d);
plx_result plx_ctx_create_session(plx_context *ctx);
/* Remembers what re-creation needs (end of plx_context_create). */
void plx_recover_init(plx_context *ctx, const plx_context_desc *desc, uint32_t eye_width,
                      uint32_t eye_height);
/* A loss was seen (instance: XR_ERROR_INSTANCE_LOST or XrEventDataInstanceLossPending; else the session:
 * XR_ERROR_SESSION_LOST or LOSS_PENDING); why names it for the log. Frames stop until plx_recover_poll has
 * rebuilt what was lost. */
void plx_recover_mark(plx_context *ctx, bool instance, const char *why);
bool plx_recover_pending(const plx_context *ctx);
/* plx_poll: does the due recovery (with back-off for the instance). PLX_SUCCESS, PLX_SESSION_NOT_RUNNING
 * while waiting to retry, or an error (should_quit set) when it gave up. */
plx_result plx_recover_poll(plx_context *ctx);
/* Public frame functions pass their result through this: during a pending recovery an error (or success)
 * becomes PLX_SESSION_NOT_RUNNING and the frame in progress is dropped. */
plx_result plx_recover_filter(plx_context *ctx, plx_result res);
/* Reports (once) a recovery done since the last call. */
void plx_recover_report(plx_context *ctx, bool *out_session_restarted, bool *out_instance_restarted);
/* Clamps an implausible predictedDisplayTime (in the past, far ahead) or period for pacing, logging the
 * first time; returns how many frames were clamped so far. */
int64_t plx_recover_guard_timing(plx_context *ctx, int64_t *io_display_time, int64_t *io_period);
