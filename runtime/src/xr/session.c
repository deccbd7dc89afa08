/* SPDX-License-Identifier: MIT */
/* Layer 2, xr: the session, its reference space and VIEW space, and the session's state (begin, end,
 * running, should quit). Made at context creation and again by recovery. May call base/; reads the Vulkan
 * handles it is given (gpu/). */
#include "xr/plx_xr.h"

static plx_result create_reference_space(plx_xr *xr, XrReferenceSpaceType type, XrSpace *out)
{
    XrReferenceSpaceCreateInfo si = {
        .type = XR_TYPE_REFERENCE_SPACE_CREATE_INFO,
        .referenceSpaceType = type,
        .poseInReferenceSpace = {.orientation = {0, 0, 0, 1}, .position = {0, 0, 0}},
    };
    return PLX_XR(xr->report, xrCreateReferenceSpace(xr->session, &si, out));
}

plx_result plx_xr_create_session(plx_xr *xr, const plx_vk *vk, plx_space space_kind)
{
    XrGraphicsBindingVulkan2KHR binding = {
        .type = XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR,
        .instance = vk->instance,
        .physicalDevice = vk->physical_device,
        .device = vk->device,
        .queueFamilyIndex = vk->queue_family_index,
        .queueIndex = 0,
    };
    XrSessionCreateInfo info = {
        .type = XR_TYPE_SESSION_CREATE_INFO, .next = &binding, .systemId = xr->system};
    plx_result res = PLX_XR(xr->report, xrCreateSession(xr->instance, &info, &xr->session));
    if (res < 0) return res;
    xr->session_generation++;
    xr->state = XR_SESSION_STATE_UNKNOWN;
    xr->space_kind = space_kind;

    XrReferenceSpaceType type =
        space_kind == PLX_SPACE_STAGE ? XR_REFERENCE_SPACE_TYPE_STAGE : XR_REFERENCE_SPACE_TYPE_LOCAL;
    uint32_t n = 0;
    XrReferenceSpaceType spaces[16];
    if ((res = PLX_XR(xr->report, xrEnumerateReferenceSpaces(xr->session, 16, &n, spaces))) < 0) return res;
    bool found = false;
    for (uint32_t i = 0; i < n; i++) found = found || spaces[i] == type;
    if (!found)
        return PLX_FAIL(xr->report, PLX_ERROR_UNSUPPORTED, "the runtime offers no %s reference space",
                        type == XR_REFERENCE_SPACE_TYPE_STAGE ? "STAGE" : "LOCAL");
    if ((res = create_reference_space(xr, type, &xr->space)) < 0) return res;
    /* The head: app-side prediction (timing/predict.c) and the live pose error (telemetry/pose_error.c)
     * locate it with velocities, whatever the prediction setting. */
    return create_reference_space(xr, XR_REFERENCE_SPACE_TYPE_VIEW, &xr->view_space);
}

plx_result plx_xr_track_child(plx_xr *xr, XrObjectType type, void *slot)
{
    if (xr->child_count == PLX_XR_MAX_CHILDREN)
        return PLX_FAIL(xr->report, PLX_ERROR_OUT_OF_MEMORY,
                        "more than %d OpenXR spaces and action sets tracked", PLX_XR_MAX_CHILDREN);
    xr->children[xr->child_count].type = type;
    xr->children[xr->child_count].slot = slot;
    xr->child_count++;
    return PLX_SUCCESS;
}

void plx_xr_untrack_child(plx_xr *xr, void *slot)
{
    for (uint32_t i = 0; i < xr->child_count; i++)
        if (xr->children[i].slot == slot) {
            xr->children[i] = xr->children[--xr->child_count];
            return;
        }
}

void plx_xr_destroy_children(plx_xr *xr, XrObjectType type, bool lost)
{
    for (uint32_t i = 0; i < xr->child_count; i++) {
        if (xr->children[i].type != type) continue;
        if (type == XR_OBJECT_TYPE_SPACE) {
            XrSpace *sp = xr->children[i].slot;
            if (*sp == XR_NULL_HANDLE) continue;
            XrResult r = xrDestroySpace(*sp);
            if (!lost) PLX_XR_RESULT(xr->report, r, "xrDestroySpace");
            *sp = XR_NULL_HANDLE;
        } else if (type == XR_OBJECT_TYPE_ACTION_SET) {
            XrActionSet *set = xr->children[i].slot;
            if (*set == XR_NULL_HANDLE) continue;
            XrResult r = xrDestroyActionSet(*set);
            if (!lost) PLX_XR_RESULT(xr->report, r, "xrDestroyActionSet");
            *set = XR_NULL_HANDLE;
        }
    }
}

void plx_xr_destroy_session(plx_xr *xr)
{
    plx_xr_destroy_children(xr, XR_OBJECT_TYPE_SPACE, false);
    if (xr->view_space != XR_NULL_HANDLE) PLX_XR(xr->report, xrDestroySpace(xr->view_space));
    xr->view_space = XR_NULL_HANDLE;
    if (xr->space != XR_NULL_HANDLE) PLX_XR(xr->report, xrDestroySpace(xr->space));
    xr->space = XR_NULL_HANDLE;
    /* A running session is destroyed without xrEndSession: that needs STOPPING, which only the runtime
     * can start; xrDestroySession is valid in any state. */
    if (xr->session != XR_NULL_HANDLE) PLX_XR(xr->report, xrDestroySession(xr->session));
    xr->session = XR_NULL_HANDLE;
}

void plx_xr_drop_session(plx_xr *xr)
{
    /* Calls on lost objects fail with *_LOST; destruction still works and is what the spec asks for. */
    plx_xr_destroy_children(xr, XR_OBJECT_TYPE_SPACE, true);
    if (xr->view_space != XR_NULL_HANDLE) PLX_XR(xr->report, xrDestroySpace(xr->view_space));
    xr->view_space = XR_NULL_HANDLE;
    if (xr->space != XR_NULL_HANDLE) xrDestroySpace(xr->space);
    xr->space = XR_NULL_HANDLE;
    if (xr->session != XR_NULL_HANDLE) xrDestroySession(xr->session);
    xr->session = XR_NULL_HANDLE;
    xr->running = false;
    xr->state = XR_SESSION_STATE_UNKNOWN;
}

plx_result plx_xr_begin_session(plx_xr *xr, XrTime time)
{
    XrSessionBeginInfo bi = {
        .type = XR_TYPE_SESSION_BEGIN_INFO,
        .primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
    };
    plx_result res = PLX_XR(xr->report, xrBeginSession(xr->session, &bi));
    if (res < 0) return res;
    xr->running = true;
    xr->session_begin_time = time;
    return PLX_SUCCESS;
}

plx_result plx_xr_end_session(plx_xr *xr)
{
    xr->running = false;
    return PLX_XR(xr->report, xrEndSession(xr->session));
}

plx_result plx_xr_request_exit(plx_xr *xr)
{
    return PLX_XR(xr->report, xrRequestExitSession(xr->session));
}

void plx_xr_stop(plx_xr *xr)
{
    xr->running = false;
}

void plx_xr_set_should_quit(plx_xr *xr)
{
    xr->should_quit = true;
}

bool plx_xr_running(const plx_xr *xr)
{
    return xr->running;
}

bool plx_xr_should_quit(const plx_xr *xr)
{
    return xr->should_quit;
}

XrSessionState plx_xr_state(const plx_xr *xr)
{
    return xr->state;
}

XrTime plx_xr_session_begin_time(const plx_xr *xr)
{
    return xr->session_begin_time;
}
