/* SPDX-License-Identifier: MIT */
/* Layer 7, public entry points: quad layers (plx_quad_*) and the app's raw composition layers
 * (plx_frame_add_layer). The layers themselves, their swapchains and their order live in xr/layers.c; this
 * file checks the app's arguments and ties a quad's life to its context. May call the frame loop (frame.c)
 * and every layer below it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plx_context.h"

struct plx_quad {
    plx_child child;  /* first: released by plx_context_destroy when the app has not destroyed the quad */
    plx_context *ctx; /* NULL once the context was destroyed (released) */
    plx_xr_quad q;
};

/* NULL once the context was destroyed. */
#define QUAD_REPORT(quad) ((quad) && (quad)->ctx ? &(quad)->ctx->report : NULL)

static bool finite_n(const float *v, int n)
{
    for (int i = 0; i < n; i++) {
        if (!isfinite(v[i])) return false;
    }
    return true;
}

/* A unit quaternion from the app's: all zero is identity; another of (near) zero length is refused. */
static plx_result orientation_from(plx_report *r, const char *fn, const float in[4], XrQuaternionf *out)
{
    if (!finite_n(in, 4))
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "%s: the orientation is not finite", fn);
    float len = sqrtf(in[0] * in[0] + in[1] * in[1] + in[2] * in[2] + in[3] * in[3]);
    if (len == 0) {
        *out = (XrQuaternionf){0, 0, 0, 1};
        return PLX_SUCCESS;
    }
    if (len < 1e-6f)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: the orientation (%g, %g, %g, %g) is not a rotation (length %g)", fn,
                        (double)in[0], (double)in[1], (double)in[2], (double)in[3], (double)len);
    *out = (XrQuaternionf){in[0] / len, in[1] / len, in[2] / len, in[3] / len};
    return PLX_SUCCESS;
}

static plx_result check_size_m(plx_report *r, const char *fn, float w, float h)
{
    if (isfinite(w) && isfinite(h) && w > 0 && h > 0) return PLX_SUCCESS;
    return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "%s: size %g x %g m: need finite sizes > 0", fn, (double)w,
                    (double)h);
}

/* plx_context_destroy with the quad alive (the GPU is idle by then): the quad lets go of its swapchain. */
static void release_quad(plx_child *child)
{
    plx_quad *quad = (plx_quad *)child;
    plx_layers_remove_quad(&quad->ctx->layers, &quad->q, &quad->ctx->gpu);
    quad->ctx = NULL;
}

static plx_result quad_create(plx_context *ctx, const plx_quad_desc *desc, plx_quad **out_quad)
{
    static const char fn[] = "plx_quad_create";
    if (out_quad) *out_quad = NULL;
    if (!ctx || !out_quad)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "%s: %s is NULL", fn,
                        ctx ? "out_quad" : "ctx");
    plx_result res = plx_api_check_thread(ctx, fn);
    if (res < 0) return res;
    plx_report *r = &ctx->report;
    const plx_quad_desc defaults = {0};
    const plx_quad_desc *d = desc ? desc : &defaults;
    uint32_t w = d->width ? d->width : 512, h = d->height ? d->height : 512;
    if (w > ctx->xr.max_image_width || h > ctx->xr.max_image_height)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: plx_quad_desc %u x %u pixels is beyond the runtime's largest swapchain image "
                        "(%u x %u)",
                        fn, w, h, ctx->xr.max_image_width, ctx->xr.max_image_height);
    float sw = d->size_m[0], sh = d->size_m[1];
    if (sw == 0 && sh == 0) {
        sw = 1.0f;
        sh = (float)h / (float)w;
    }
    if ((res = check_size_m(r, fn, sw, sh)) < 0) return res;
    if (!finite_n(d->position, 3))
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "%s: plx_quad_desc.position is not finite", fn);
    if (!finite_n(d->clear_color, 4))
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "%s: plx_quad_desc.clear_color is not finite", fn);
    if (d->lock != PLX_QUAD_WORLD && d->lock != PLX_QUAD_HEAD)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "%s: plx_quad_desc.lock %d is not a plx_quad_lock", fn,
                        (int)d->lock);
    if (d->eyes < PLX_QUAD_EYES_BOTH || d->eyes > PLX_QUAD_EYE_RIGHT)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "%s: plx_quad_desc.eyes %d is not a plx_quad_eyes", fn,
                        (int)d->eyes);
    XrQuaternionf o;
    if ((res = orientation_from(r, fn, d->orientation, &o)) < 0) return res;
    if (!d->hidden && (res = plx_layers_check_limit(&ctx->layers, &ctx->xr, 1, 0, fn)) < 0) return res;

    plx_quad *quad = calloc(1, sizeof *quad);
    if (!quad) return PLX_FAIL(r, PLX_ERROR_OUT_OF_MEMORY, "%s: out of memory", fn);
    quad->ctx = ctx;
    static const XrEyeVisibility eyes[] = {XR_EYE_VISIBILITY_BOTH, XR_EYE_VISIBILITY_LEFT,
                                           XR_EYE_VISIBILITY_RIGHT};
    quad->q = (plx_xr_quad){
        .width = w,
        .height = h,
        .format = ctx->swapchains.color.format,
        .pose = {.orientation = o, .position = {d->position[0], d->position[1], d->position[2]}},
        .size = {sw, sh},
        .head_locked = d->lock == PLX_QUAD_HEAD,
        .eyes = eyes[d->eyes],
        .order = d->order,
        .flags = (d->blend_alpha ? XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT : 0) |
                 (d->unpremultiplied ? XR_COMPOSITION_LAYER_UNPREMULTIPLIED_ALPHA_BIT : 0),
        .visible = !d->hidden,
    };
    memcpy(quad->q.clear_color, d->clear_color, sizeof quad->q.clear_color);
    if ((res = plx_layers_add_quad(&ctx->layers, &quad->q)) < 0) {
        free(quad);
        return res;
    }
    plx_context_adopt(ctx, &quad->child, release_quad);
    *out_quad = quad;
    return PLX_SUCCESS;
}

void plx_quad_destroy(plx_quad **pquad)
{
    if (!pquad || !*pquad) return;
    plx_quad *quad = *pquad;
    *pquad = NULL;
    plx_context *ctx = quad->ctx;
    if (ctx) {
        /* Frames in flight may still clear or draw into its images. */
        plx_loop_wait_idle(ctx);
        plx_layers_remove_quad(&ctx->layers, &quad->q, &ctx->gpu);
        plx_context_disown(ctx, &quad->child);
    }
    free(quad);
}

plx_result plx_quad_set_pose(plx_quad *quad, const float position[3], const float orientation[4])
{
    static const char fn[] = "plx_quad_set_pose";
    plx_result res = plx_api_check_child(quad, quad ? quad->ctx : NULL, "quad", fn);
    if (res < 0) return res;
    if (!position) return PLX_FAIL(QUAD_REPORT(quad), PLX_ERROR_INVALID_ARGUMENT, "%s: position is NULL", fn);
    if (!finite_n(position, 3))
        return PLX_FAIL(QUAD_REPORT(quad), PLX_ERROR_INVALID_ARGUMENT, "%s: the position is not finite", fn);
    XrQuaternionf o = quad->q.pose.orientation;
    if (orientation && (res = orientation_from(QUAD_REPORT(quad), fn, orientation, &o)) < 0) return res;
    quad->q.pose = (XrPosef){.orientation = o, .position = {position[0], position[1], position[2]}};
    return PLX_SUCCESS;
}

plx_result plx_quad_set_size(plx_quad *quad, float width_m, float height_m)
{
    static const char fn[] = "plx_quad_set_size";
    plx_result res = plx_api_check_child(quad, quad ? quad->ctx : NULL, "quad", fn);
    if (res < 0) return res;
    if ((res = check_size_m(QUAD_REPORT(quad), fn, width_m, height_m)) < 0) return res;
    quad->q.size = (XrExtent2Df){width_m, height_m};
    return PLX_SUCCESS;
}

plx_result plx_quad_set_visible(plx_quad *quad, bool visible)
{
    static const char fn[] = "plx_quad_set_visible";
    plx_result res = plx_api_check_child(quad, quad ? quad->ctx : NULL, "quad", fn);
    if (res < 0) return res;
    plx_context *ctx = quad->ctx;
    if (visible && !quad->q.visible && (res = plx_layers_check_limit(&ctx->layers, &ctx->xr, 1, 0, fn)) < 0)
        return res;
    quad->q.visible = visible;
    return PLX_SUCCESS;
}

static plx_result quad_acquire(plx_quad *quad, const plx_frame *frame, plx_quad_image *out)
{
    static const char fn[] = "plx_quad_acquire";
    if (out) memset(out, 0, sizeof *out);
    plx_result res = plx_api_check_child(quad, quad ? quad->ctx : NULL, "quad", fn);
    if (res < 0) return res;
    plx_context *ctx = quad->ctx;
    if (!frame || !out)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT, "%s: %s is NULL", fn,
                        frame ? "out_image" : "frame");
    if ((res = plx_loop_check_recording(ctx, frame, fn)) < 0) return res;
    plx_xr_quad *q = &quad->q;
    res = plx_xr_quad_acquire(&ctx->layers, q, &ctx->xr, &ctx->gpu, ctx->gpu.slots[frame->slot].pre,
                              frame->index);
    if (res < 0) return res;
    *out = (plx_quad_image){
        .image = q->swapchain.images[q->index],
        .view = q->swapchain.views[q->index],
        .format = q->swapchain.format,
        .layout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
        .usage = q->swapchain.usage,
        .width = q->width,
        .height = q->height,
    };
    return PLX_SUCCESS;
}

static plx_result frame_add_layer(plx_context *ctx, const plx_frame *frame,
                                  const XrCompositionLayerBaseHeader *layer, int32_t order)
{
    static const char fn[] = "plx_frame_add_layer";
    if (!ctx || !frame || !layer)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "%s: %s is NULL", fn,
                        !ctx     ? "ctx"
                        : !frame ? "frame"
                                 : "layer");
    plx_result res = plx_api_check_thread(ctx, fn);
    if (res < 0) return res;
    if ((res = plx_loop_check_frame(ctx, frame, fn)) < 0) return res;
    if (ctx->loop.phase != PLX_PHASE_BEGUN)
        return PLX_FAIL(&ctx->report, PLX_ERROR_CALL_ORDER, "%s: call plx_frame_begin for the frame first",
                        fn);
    if (!ctx->loop.should_render) return PLX_FRAME_SKIPPED;
    plx_layers *ls = &ctx->layers;
    if (ls->raw_count >= PLX_MAX_RAW_LAYERS)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT, "%s: a frame takes at most %d raw layers",
                        fn, PLX_MAX_RAW_LAYERS);
    if ((res = plx_layers_check_limit(ls, &ctx->xr, 0, 1, fn)) < 0) return res;
    ls->raw[ls->raw_count].layer = layer;
    ls->raw[ls->raw_count].order = order;
    ls->raw_count++;
    return PLX_SUCCESS;
}

/* ---------------------------------------------------------------- ABI entry points (base/abi.c, README "ABI
 * policy"): the app's structs come with their size; the functions above work on the library's own copies. */

plx_result plx_quad_create_sized(plx_context *ctx, const plx_quad_desc *desc, size_t desc_size,
                                 plx_quad **out_quad)
{
    if (!desc) return quad_create(ctx, NULL, out_quad);
    plx_quad_desc own;
    plx_result res = plx_abi_in(PLX_REPORT(ctx), "plx_quad_create", "plx_quad_desc", &own, sizeof own, desc,
                                desc_size, PLX_ABI_0_2_QUAD_DESC);
    if (res < 0) {
        if (out_quad) *out_quad = NULL;
        return res;
    }
    return quad_create(ctx, &own, out_quad);
}

plx_result plx_quad_acquire_sized(plx_quad *quad, const plx_frame *frame, size_t frame_size,
                                  plx_quad_image *out_image, size_t image_size)
{
    if (!frame || !out_image) return quad_acquire(quad, frame, NULL);
    plx_frame own_frame;
    plx_result res = plx_abi_in(QUAD_REPORT(quad), "plx_quad_acquire", "plx_frame", &own_frame,
                                sizeof own_frame, frame, frame_size, PLX_ABI_0_2_FRAME);
    if (res >= 0)
        res = plx_abi_check_size(QUAD_REPORT(quad), "plx_quad_acquire", "plx_quad_image", image_size,
                                 PLX_ABI_0_2_QUAD_IMAGE);
    if (res < 0) return res;
    plx_quad_image own;
    res = quad_acquire(quad, &own_frame, &own);
    plx_abi_copy(out_image, image_size, &own, sizeof own);
    return res;
}

plx_result plx_frame_add_layer_sized(plx_context *ctx, const plx_frame *frame, size_t frame_size,
                                     const XrCompositionLayerBaseHeader *layer, int32_t order)
{
    if (!frame) return frame_add_layer(ctx, NULL, layer, order);
    plx_frame own;
    plx_result res = plx_abi_in(PLX_REPORT(ctx), "plx_frame_add_layer", "plx_frame", &own, sizeof own, frame,
                                frame_size, PLX_ABI_0_2_FRAME);
    return res < 0 ? res : frame_add_layer(ctx, &own, layer, order);
}
