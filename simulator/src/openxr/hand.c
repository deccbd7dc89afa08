/* SPDX-License-Identifier: MIT */
/* XR_EXT_hand_tracking: hand trackers and xrLocateHandJointsEXT. The joints are the simulated user's hand
 * (device/hand.c: 26 joints with radii, posed by the gesture the window or PARALLAX_SIM_INPUT gives) around
 * the hand's grip, the simulated controller the tracker follows with the head's motion; their velocities are
 * the grip's carried to each joint plus the joints' own motion while a gesture changes. Layer: openxr (the
 * upper part), above space.c; calls space.c, session.c, handles.c, device/ (hand, user, clock) and base/. */
#include "openxr/sim_entry_points.h"

#include <stdlib.h>
#include <string.h>

#include "base/sim_pose.h"
#include "device/sim_hand.h"

#define VELOCITY_STEP_NS 2000000 /* the joints' own motion: a 2 ms difference */

typedef struct sim_hand_tracker {
    sim_handle h;
    sim_session *session;
    struct sim_hand_tracker *next; /* s->hand_trackers */
    int hand;                      /* 0 left, 1 right */
} sim_hand_tracker;

static XrResult tracker_check_in(const char *fn, const char *expr, XrHandTrackerEXT h, sim_hand_tracker **out)
{
    *out = NULL; /* (set below once the handle is known to be valid) */
    if (!sim_handle_valid(h, SIM_HANDLE_HAND_TRACKER))
        return sim_handle_reject(fn, expr, h, "XrHandTrackerEXT");
    *out = (sim_hand_tracker *)h;
    return sim_session_status((*out)->session);
}
#define tracker_check(h, out) tracker_check_in(sim_fn_name(__func__), #h, h, out)

SIM_FN(xrCreateHandTrackerEXT)
(XrSession session, const XrHandTrackerCreateInfoEXT *createInfo, XrHandTrackerEXT *handTracker)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, createInfo, XR_TYPE_HAND_TRACKER_CREATE_INFO_EXT, XrHandTrackerCreateInfoEXT);
    SIM_REQUIRE_OUT(s->inst, handTracker, "an XrHandTrackerEXT handle");
    if (createInfo->hand != XR_HAND_LEFT_EXT && createInfo->hand != XR_HAND_RIGHT_EXT)
        return sim_reject(
            s->inst, "xrCreateHandTrackerEXT", XR_ERROR_VALIDATION_FAILURE,
            "createInfo->hand %d is no XrHandEXT (VUID-XrHandTrackerCreateInfoEXT-hand-parameter: "
            "XR_HAND_LEFT_EXT or XR_HAND_RIGHT_EXT)",
            (int)createInfo->hand);
    if (createInfo->handJointSet != XR_HAND_JOINT_SET_DEFAULT_EXT)
        return sim_reject(
            s->inst, "xrCreateHandTrackerEXT", XR_ERROR_VALIDATION_FAILURE,
            "createInfo->handJointSet %d is not XR_HAND_JOINT_SET_DEFAULT_EXT, the only joint set "
            "without another extension (VUID-XrHandTrackerCreateInfoEXT-handJointSet-parameter)",
            (int)createInfo->handJointSet);
    sim_hand_tracker *t = sim_handle_new(sizeof(*t));
    if (!t) return XR_ERROR_OUT_OF_MEMORY;
    t->session = s;
    t->hand = createInfo->hand == XR_HAND_LEFT_EXT ? 0 : 1;
    sim_handle_register(t, SIM_HANDLE_HAND_TRACKER, s->inst);
    pthread_mutex_lock(&s->lock);
    t->next = s->hand_trackers;
    s->hand_trackers = t;
    pthread_mutex_unlock(&s->lock);
    *handTracker = (XrHandTrackerEXT)t;
    return XR_SUCCESS;
}

SIM_FN(xrDestroyHandTrackerEXT)(XrHandTrackerEXT handTracker)
{
    if (!sim_handle_valid(handTracker, SIM_HANDLE_HAND_TRACKER))
        return sim_handle_reject(sim_fn_name(__func__), "handTracker", (const void *)handTracker,
                                 "XrHandTrackerEXT");
    sim_hand_tracker *t = (sim_hand_tracker *)handTracker;
    sim_session *s = t->session;
    pthread_mutex_lock(&s->lock);
    for (sim_hand_tracker **p = &s->hand_trackers; *p; p = &(*p)->next)
        if (*p == t) {
            *p = t->next;
            break;
        }
    pthread_mutex_unlock(&s->lock);
    sim_handle_unregister(t);
    sim_handle_delete(t, sizeof(*t));
    return XR_SUCCESS;
}

void sim_hand_trackers_destroy_all(sim_session *s)
{
    pthread_mutex_lock(&s->lock);
    sim_hand_tracker *list = s->hand_trackers;
    s->hand_trackers = NULL;
    pthread_mutex_unlock(&s->lock);
    while (list) {
        sim_hand_tracker *next = list->next;
        sim_handle_unregister(list);
        sim_handle_delete(list, sizeof(*list));
        list = next;
    }
}

/* The rotation from q1 to q2 over dt seconds as an angular velocity (in the frame q1 and q2 are given in). */
static plx_vec3 angular_velocity(plx_quat q1, plx_quat q2, double dt)
{
    plx_quat d = plx_quat_mul(q2, plx_quat_conj(q1));
    if (d.w < 0.0f) d = (plx_quat){-d.x, -d.y, -d.z, -d.w};
    return plx_vec3_scale(plx_quat_log(d), (float)(1.0 / dt));
}

SIM_FN(xrLocateHandJointsEXT)
(XrHandTrackerEXT handTracker, const XrHandJointsLocateInfoEXT *locateInfo,
 XrHandJointLocationsEXT *locations)
{
    sim_hand_tracker *t;
    XrResult r = tracker_check(handTracker, &t);
    if (XR_FAILED(r)) return r;
    sim_session *s = t->session;
    SIM_REQUIRE_IN(s->inst, locateInfo, XR_TYPE_HAND_JOINTS_LOCATE_INFO_EXT, XrHandJointsLocateInfoEXT);
    SIM_REQUIRE_IN(s->inst, locations, XR_TYPE_HAND_JOINT_LOCATIONS_EXT, XrHandJointLocationsEXT);
    /* Spec: jointCount must be the joint set's count (26 for the default set). */
    if (locations->jointCount != XR_HAND_JOINT_COUNT_EXT || !locations->jointLocations)
        return sim_reject(s->inst, "xrLocateHandJointsEXT", XR_ERROR_VALIDATION_FAILURE,
                          "locations->jointCount is %u and jointLocations %s (spec XrHandJointLocationsEXT: "
                          "jointCount must be XR_HAND_JOINT_COUNT_EXT (26) for the default joint set; "
                          "VUID-XrHandJointLocationsEXT-jointLocations-parameter)",
                          locations->jointCount, locations->jointLocations ? "set" : "NULL");
    XrHandJointVelocitiesEXT *velocities = NULL;
    for (XrBaseOutStructure *n = (XrBaseOutStructure *)locations->next; n; n = n->next)
        if (n->type == XR_TYPE_HAND_JOINT_VELOCITIES_EXT) velocities = (XrHandJointVelocitiesEXT *)n;
    if (velocities && (velocities->jointCount != XR_HAND_JOINT_COUNT_EXT || !velocities->jointVelocities))
        return sim_reject(
            s->inst, "xrLocateHandJointsEXT", XR_ERROR_VALIDATION_FAILURE,
            "the chained XrHandJointVelocitiesEXT has jointCount %u and jointVelocities %s (spec "
            "XrHandJointVelocitiesEXT: jointCount must be XR_HAND_JOINT_COUNT_EXT (26) for the "
            "default joint set)",
            velocities->jointCount, velocities->jointVelocities ? "set" : "NULL");
    sim_space *base;
    if (XR_FAILED(r = sim_space_check(locateInfo->baseSpace, &base))) return r;
    if (base->session != s)
        return sim_reject(s->inst, "xrLocateHandJointsEXT", XR_ERROR_VALIDATION_FAILURE,
                          "locateInfo->baseSpace belongs to another session than the hand tracker "
                          "(VUID-xrLocateHandJointsEXT-commonparent)");
    if (locateInfo->time <= 0)
        return sim_reject(s->inst, "xrLocateHandJointsEXT", XR_ERROR_TIME_INVALID,
                          "locateInfo->time %lld is not an XrTime (0 or less) (spec XrTime: always positive; "
                          "XR_ERROR_TIME_INVALID)",
                          (long long)locateInfo->time);

    const XrTime time = locateInfo->time, now = sim_now();
    pthread_mutex_lock(&s->lock);
    const bool focused = s->state == XR_SESSION_STATE_FOCUSED;
    pthread_mutex_unlock(&s->lock);
    sim_controller_state hand = sim_user_hand(s->user, t->hand, now);
    /* Spec: inactive when the hand is not detected or the application lost input focus; then no joint has a
     * valid bit. */
    bool active = focused && !hand.hand_lost;
    sim_hand_joints j, later;
    plx_pose grip;
    plx_vec3 grip_lin, grip_ang;
    if (active) {
        sim_hand_joints_at(t->hand, &hand, time, &j);
        sim_hand_joints_at(t->hand, &hand, time + VELOCITY_STEP_NS, &later);
        sim_hand_grip(s, t->hand, time, &grip, &grip_lin, &grip_ang);
    }
    const double dt = VELOCITY_STEP_NS / 1e9;
    for (uint32_t i = 0; i < XR_HAND_JOINT_COUNT_EXT && active; i++) {
        /* The joint in LOCAL: carried by the grip (omega x r) and moving in it (the gesture's blend). */
        plx_pose world = plx_pose_mul(grip, j.pose[i]);
        plx_vec3 r_world = plx_quat_rotate(grip.orientation, j.pose[i].position);
        plx_vec3 own =
            plx_vec3_scale(plx_vec3_sub(later.pose[i].position, j.pose[i].position), (float)(1.0 / dt));
        plx_vec3 lin = plx_vec3_add(plx_vec3_add(grip_lin, plx_vec3_cross(grip_ang, r_world)),
                                    plx_quat_rotate(grip.orientation, own));
        plx_vec3 ang = plx_vec3_add(
            grip_ang, plx_quat_rotate(grip.orientation, angular_velocity(j.pose[i].orientation,
                                                                         later.pose[i].orientation, dt)));
        XrSpaceVelocityData v;
        if (!sim_space_locate_local(base, time, world, lin, ang, &locations->jointLocations[i].pose, &v)) {
            active = false; /* the base space is not tracked: nothing is known */
            break;
        }
        locations->jointLocations[i].locationFlags =
            XR_SPACE_LOCATION_ORIENTATION_VALID_BIT | XR_SPACE_LOCATION_POSITION_VALID_BIT |
            XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT | XR_SPACE_LOCATION_POSITION_TRACKED_BIT;
        locations->jointLocations[i].radius = j.radius[i];
        if (velocities)
            velocities->jointVelocities[i] = (XrHandJointVelocityEXT){.velocityFlags = v.velocityFlags,
                                                                      .linearVelocity = v.linearVelocity,
                                                                      .angularVelocity = v.angularVelocity};
    }
    locations->isActive = active;
    if (!active) {
        for (uint32_t i = 0; i < XR_HAND_JOINT_COUNT_EXT; i++) {
            locations->jointLocations[i] = (XrHandJointLocationEXT){.pose = {.orientation = {0, 0, 0, 1}}};
            if (velocities) velocities->jointVelocities[i] = (XrHandJointVelocityEXT){0};
        }
    }
    return XR_SUCCESS;
}
