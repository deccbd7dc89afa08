/* SPDX-License-Identifier: MIT */
/* Layer 7, public entry points: the settings an app changes at run time: render scale and dynamic
 * resolution, the HUD and its values, the mirror window. May call the frame loop and every layer below. */
#include <string.h>

#include "plx_context.h"

plx_result plx_set_render_scale(plx_context *ctx, float scale)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_set_render_scale: ctx is NULL");
    plx_result chk = plx_api_check_thread(ctx, "plx_set_render_scale");
    if (chk < 0) return chk;
    if (!(scale > 0.0f && scale <= 1.0f))
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_set_render_scale: scale %g is outside (0, 1]", (double)scale);
    plx_resolution_set_scale(&ctx->resolution, scale);
    return PLX_SUCCESS;
}

plx_result plx_set_dynamic_resolution(plx_context *ctx, bool enabled)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_set_dynamic_resolution: ctx is NULL");
    plx_result chk = plx_api_check_thread(ctx, "plx_set_dynamic_resolution");
    if (chk < 0) return chk;
    if (enabled && ctx->gpu.vk.device != VK_NULL_HANDLE && !ctx->gpu.vk.timestamps)
        return PLX_FAIL(&ctx->report, PLX_ERROR_UNSUPPORTED,
                        "plx_set_dynamic_resolution: the device writes no timestamps to measure GPU time");
    plx_resolution_set_dynamic(&ctx->resolution, enabled);
    return PLX_SUCCESS;
}

float plx_get_render_scale(const plx_context *ctx)
{
    return ctx ? plx_resolution_scale(&ctx->resolution) : 1.0f;
}

bool plx_get_dynamic_resolution(const plx_context *ctx)
{
    return ctx && plx_resolution_dynamic(&ctx->resolution);
}

plx_result plx_set_hud(plx_context *ctx, bool on)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_set_hud: ctx is NULL");
    plx_result chk = plx_api_check_thread(ctx, "plx_set_hud");
    if (chk < 0) return chk;
    if (on && !ctx->hud) {
        /* Created on first use: the pipeline costs nothing for apps that never show the HUD. */
        plx_result res = plx_hud_create(&ctx->report, &ctx->gpu, plx_loop_hud_pass(ctx), &ctx->hud);
        if (res < 0) return res;
    }
    ctx->hud_on = on;
    return PLX_SUCCESS;
}

plx_result plx_hud_set_value(plx_context *ctx, uint32_t index, const char *label, double value)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_hud_set_value: ctx is NULL");
    plx_result chk = plx_api_check_thread(ctx, "plx_hud_set_value");
    if (chk < 0) return chk;
    return plx_hud_values_set(&ctx->hud_values, &ctx->report, index, label, value);
}

plx_result plx_set_mirror(plx_context *ctx, plx_mirror_mode mode)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_set_mirror: ctx is NULL");
    plx_result chk = plx_api_check_thread(ctx, "plx_set_mirror");
    if (chk < 0) return chk;
    if (mode < PLX_MIRROR_DEFAULT || mode > PLX_MIRROR_BOTH)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_set_mirror: %d is not a plx_mirror_mode", (int)mode);
    if (!ctx->mirror)
        return PLX_FAIL(&ctx->report, PLX_ERROR_UNSUPPORTED,
                        "plx_set_mirror: this context has no mirror window (create it with desc.mirror or "
                        "PARALLAX_MIRROR on a display)");
    plx_mirror_set_mode(ctx->mirror, mode == PLX_MIRROR_DEFAULT ? PLX_MIRROR_OFF : mode);
    return PLX_SUCCESS;
}

static plx_result get_mirror_status(plx_context *ctx, plx_mirror_status *out)
{
    if (!ctx || !out)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "plx_get_mirror_status: NULL argument");
    plx_result chk = plx_api_check_thread(ctx, "plx_get_mirror_status");
    if (chk < 0) return chk;
    memset(out, 0, sizeof *out);
    if (ctx->mirror) plx_mirror_status_get(ctx->mirror, out);
    return PLX_SUCCESS;
}

/* ---------------------------------------------------------------- ABI entry points (base/abi.c, README "ABI
 * policy"): the app's structs come with their size; the functions above work on the library's own copies. */

plx_result plx_get_mirror_status_sized(plx_context *ctx, plx_mirror_status *out_status, size_t status_size)
{
    if (!out_status) return get_mirror_status(ctx, NULL);
    plx_result res = plx_abi_check_size(PLX_REPORT(ctx), "plx_get_mirror_status", "plx_mirror_status",
                                        status_size, PLX_ABI_0_2_MIRROR_STATUS);
    if (res < 0) return res;
    plx_mirror_status own;
    if ((res = get_mirror_status(ctx, &own)) >= 0) plx_abi_copy(out_status, status_size, &own, sizeof own);
    return res;
}
