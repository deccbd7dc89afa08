/* SPDX-License-Identifier: MIT */
/* Layer 4, telemetry: live pose age and pose error at photon time, measured after the fact on any runtime
 * (plx_frame_stats photon_age_ms, pose_error_deg, pose_error_mm).
 *
 * When a frame is ended with a projection layer, the head pose it submitted is queued with its predicted
 * display time T. Once T lies PLX_POSE_ERROR_SETTLE_NS in the past (checked at each plx_frame_end, never
 * waited for), the VIEW space is located in the reference space at exactly T: OpenXR runtimes answer a past
 * time from their pose history, so that is the runtime's best knowledge of where the head was when the
 * frame's photons left the display. The angle and distance between it and the submitted head pose are the
 * frame's pose error. One xrLocateSpace per rendered frame, nothing allocated.
 *
 * The submitted head pose is derived from the two submitted eye poses the way the VIEW space relates to
 * them: the midpoint of the eye positions and the halfway rotation between the eye orientations (for eyes
 * with a symmetric cant that is the head's orientation). May call the statistics ring (stats.c) and base/;
 * locates the xr/ VIEW space it is given. */
#include <math.h>
#include <string.h>

#include "plx_math.h"
#include "telemetry/plx_telemetry.h"

/* How long after a display time it is located: the runtime's history must hold the tracker samples around
 * it (tracking data arrives a few ms late). Short enough that the queue stays small. */
#define PLX_POSE_ERROR_SETTLE_NS (20 * 1000000LL)
/* Safe mode (no XrTime conversion): "now" is unknown in XrTime, but xrWaitFrame's display times are at most
 * a few periods ahead of it on any runtime (the timing guard clamps more than 10 periods + 1 s): a frame is
 * located once a display time this much after its own has been predicted. */
#define PLX_POSE_ERROR_SAFE_LEAD_NS (100 * 1000000LL)

static plx_pose pose_from_xr(const XrPosef *p)
{
    plx_pose out;
    memcpy(&out, p, sizeof out);
    return out;
}

/* The default locate: xrLocateSpace of the VIEW space at t. False when the runtime cannot say (an error,
 * or no valid orientation); *out_position_valid for the position. */
static bool locate_view_space(plx_pose_error *pe, const plx_xr *x, int64_t t, XrPosef *out_pose,
                              bool *out_position_valid)
{
    *out_position_valid = false;
    if (x->view_space == XR_NULL_HANDLE || x->space == XR_NULL_HANDLE) return false;
    XrSpaceLocation loc = {.type = XR_TYPE_SPACE_LOCATION};
    XrResult xr = xrLocateSpace(x->view_space, x->space, (XrTime)t, &loc);
    if (XR_FAILED(xr)) {
        /* Not a frame-loop failure (the last error stays the app's): the frame simply has no error. */
        if (!pe->warned) {
            plx_log(pe->report, PLX_LOG_WARN,
                    "pose error: xrLocateSpace(VIEW, t = %lld) failed: %s; frames whose "
                    "display time cannot be located have no pose error",
                    (long long)t, plx_xr_result_name(xr));
            pe->warned = true;
        }
        return false;
    }
    if (!(loc.locationFlags & XR_SPACE_LOCATION_ORIENTATION_VALID_BIT)) return false;
    *out_pose = loc.pose;
    *out_position_valid = (loc.locationFlags & XR_SPACE_LOCATION_POSITION_VALID_BIT) != 0;
    return true;
}

/* The head pose the two submitted eye poses stand for (see the top of the file). */
static plx_pose head_from_eyes(const XrPosef eyes[2])
{
    plx_pose l = pose_from_xr(&eyes[0]), r = pose_from_xr(&eyes[1]);
    plx_quat a = l.orientation, b = r.orientation;
    /* q and -q are the same rotation: add the nearer representative. */
    float s = a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w < 0.0f ? -1.0f : 1.0f;
    plx_quat mid = {a.x + s * b.x, a.y + s * b.y, a.z + s * b.z, a.w + s * b.w};
    plx_pose head = {.orientation = plx_quat_normalize(mid),
                     .position = plx_vec3_scale(plx_vec3_add(l.position, r.position), 0.5f)};
    return head;
}

/* Locates the oldest queued frame and writes its error into its record, if that is still in the ring. */
static void check_oldest(plx_pose_error *pe, plx_stats *s, const plx_xr *xr)
{
    plx_pose_error_pending *p = &pe->pending[pe->first];
    pe->first = (pe->first + 1) % PLX_POSE_ERROR_PENDING;
    pe->count--;
    plx_frame_stats *st = plx_stats_record(s, p->stats_pos, p->frame_index);
    if (!st) return;
    XrPosef located;
    bool position_valid = false;
    bool ok = pe->locate ? pe->locate(pe->locate_user, p->display_time, &located, &position_valid)
                         : locate_view_space(pe, xr, p->display_time, &located, &position_valid);
    pe->checked++;
    if (!ok) {
        pe->failed++;
        return;
    }
    plx_pose after = pose_from_xr(&located);
    st->pose_error_deg =
        (double)plx_quat_angle_between(p->head.orientation, after.orientation) * (180.0 / PLX_PI);
    if (position_valid)
        st->pose_error_mm = 1000.0 * (double)plx_vec3_length(plx_vec3_sub(p->head.position, after.position));
}

void plx_pose_error_init(plx_pose_error *pe, plx_report *r, const plx_time *time)
{
    pe->report = r;
    pe->time = time;
}

void plx_pose_error_frame_ending(plx_pose_error *pe, plx_stats *s, const plx_xr *xr, plx_frame_stats *st,
                                 const XrPosef eyes[2], bool layer_submitted)
{
    st->pose_error_deg = -1.0;
    st->pose_error_mm = -1.0;
    bool xr_time = plx_time_known(pe->time);
    /* The display time is XrTime; the latch is loop time, XrTime only when the conversion is known. */
    st->photon_age_ms = !st->rendered ? 0.0
                        : xr_time     ? (double)(st->predicted_display_time - st->latch) * 1e-6
                                      : -1.0;
    int64_t t0 = plx_now_ns();
    int64_t due = xr_time
                      ? plx_time_from_host(pe->time, t0) - PLX_POSE_ERROR_SETTLE_NS
                      : st->predicted_display_time - PLX_POSE_ERROR_SETTLE_NS - PLX_POSE_ERROR_SAFE_LEAD_NS;
    /* Older frames first: display times only grow, so the queue is in the order they become due. */
    while (pe->count > 0 && pe->pending[pe->first].display_time <= due) check_oldest(pe, s, xr);
    if (layer_submitted && st->rendered) {
        /* Full (a runtime whose display times run far ahead): the oldest is dropped, its error unknown. */
        if (pe->count == PLX_POSE_ERROR_PENDING) {
            pe->first = (pe->first + 1) % PLX_POSE_ERROR_PENDING;
            pe->count--;
            pe->dropped++;
        }
        plx_pose_error_pending *p = &pe->pending[(pe->first + pe->count) % PLX_POSE_ERROR_PENDING];
        *p = (plx_pose_error_pending){
            .frame_index = st->index,
            .stats_pos = plx_stats_frames_ended(s), /* where plx_stats_commit is about to put it */
            .display_time = st->predicted_display_time,
            .head = head_from_eyes(eyes),
        };
        pe->count++;
    }
    pe->cost_ns += plx_now_ns() - t0;
    pe->frames++;
}

void plx_pose_error_reset(plx_pose_error *pe)
{
    pe->first = pe->count = 0;
}

void plx_pose_error_report(const plx_pose_error *pe)
{
    if (pe->frames == 0) return;
    plx_log(pe->report, PLX_LOG_INFO,
            "pose error: %llu frames located after the fact (%llu could not be, %llu dropped), %.2f us per "
            "frame",
            (unsigned long long)pe->checked, (unsigned long long)pe->failed, (unsigned long long)pe->dropped,
            (double)pe->cost_ns * 1e-3 / (double)pe->frames);
}
