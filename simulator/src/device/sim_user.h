/* SPDX-License-Identifier: MIT */
/* The user of the simulated headset: the person whose head moves on top of the motion profile and whose hands
 * hold the two controllers. The preview window (device/window.c) and the PARALLAX_SIM_INPUT script drive it;
 * the tracker (openxr/space.c), the actions (openxr/action.c) and the compositor's truth read it.
 * Layer: device (the lower part); calls only base/. Thread-safe (one leaf lock per user).
 *
 * The head offset is true head motion: the compositor's truth applies the offset in effect at photon time
 * (sim_user_head_offset), the tracker the offset as it is when asked, with its rate, extrapolated to the
 * display time when the runtime predicts (sim_user_tracked_offset), as a gyro-based tracker would. So only
 * what a real tracker could not foresee (starts and stops, steps) shows up as pose error. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <openxr/openxr.h>

#include "plx_math.h"

typedef struct sim_user sim_user;

/* A head offset, or its rate of change (per second). */
typedef struct sim_head_offset {
    double yaw_deg, pitch_deg; /* yaw about LOCAL +Y (positive turns left), then pitch (positive looks up) */
    plx_vec3 pos;              /* metres, in LOCAL */
} sim_head_offset;

/* What a hand (or the script) can press, and the head controls of the script. */
typedef enum sim_control {
    SIM_CONTROL_TRIGGER,
    SIM_CONTROL_SQUEEZE,
    SIM_CONTROL_SELECT,
    SIM_CONTROL_MENU,
    SIM_CONTROL_SYSTEM,
    SIM_CONTROL_A,
    SIM_CONTROL_B,
    SIM_CONTROL_THUMBSTICK,
    SIM_CONTROL_THUMBSTICK_CLICK,
    SIM_CONTROL_HEAD_YAW,
    SIM_CONTROL_HEAD_PITCH,
    SIM_CONTROL_HEAD_X,
    SIM_CONTROL_HEAD_Y,
    SIM_CONTROL_HEAD_Z,
} sim_control;

/* Inputs of one simulated controller. Idle by default: tracked and bound, nothing pressed. */
typedef struct sim_controller_state {
    bool select, menu, system; /* .../select/click, .../menu/click, .../system/click */
    bool a, b;                 /* a|x, b|y buttons */
    bool trigger_click, squeeze_click, thumbstick_click;
    float trigger, squeeze; /* 0..1 */
    XrVector2f thumbstick;  /* also reported for trackpads */
    /* the last haptic request; amplitude 0 after xrStopHapticFeedback */
    float haptic_amplitude, haptic_frequency;
    XrDuration haptic_duration;
    XrTime haptic_time;
} sim_controller_state;

/* Checks a PARALLAX_SIM_INPUT value (openxr/config.c); on error writes one line naming the problem into err.
 */
bool sim_input_check(const char *text, char *err, size_t err_size);
/* xrCreateSession: a user with the parsed script (PARALLAX_SIM_INPUT text, already checked; NULL or "" for
 * none). NULL only when out of memory. */
sim_user *sim_user_create(const char *script);
/* NULL-safe; sets *u = NULL. */
void sim_user_destroy(sim_user **u);
/* xrBeginSession: time 0 of the script. */
void sim_user_session_begin(sim_user *u, XrTime now);

/* ---------------------------------------------------------------- the head */

/* The head offset in effect at time t (identity with u == NULL): what the compositor's truth applies at
 * photon time. */
plx_pose sim_user_head_offset(sim_user *u, XrTime t);
/* What the tracker reports of that offset at wall time now for display time t: the offset known now, its
 * rates now (world-frame angular velocity, linear velocity; scripted steps have none), extrapolated
 * to t when predict is set. Identity and zero rates with u == NULL. */
void sim_user_tracked_offset(sim_user *u, XrTime now, XrTime t, bool predict, plx_pose *out_off,
                             plx_vec3 *out_ang_vel, plx_vec3 *out_lin_vel);
/* The window's newest offset at time t, and the rate it moves at from then on (the window thread). */
void sim_user_push_offset(sim_user *u, XrTime t, const sim_head_offset *off, const sim_head_offset *rate);
/* The window's newest offset: a second session's window continues where the user left the head. */
sim_head_offset sim_user_window_offset(sim_user *u);

/* ---------------------------------------------------------------- the hands */

/* xrSyncActions: applies the script's controller events due by now, then copies both controllers ([0] left,
 * [1] right) to out. Zeros with u == NULL. */
void sim_user_sync_controllers(sim_user *u, XrTime now, sim_controller_state out[2]);
/* Both controllers as they are, without applying the script (the window draws them). */
void sim_user_peek_controllers(sim_user *u, sim_controller_state out[2]);
/* A hand presses or releases a control (value[0]; value[1] is the thumbstick's y). Head controls are ignored.
 */
void sim_user_press(sim_user *u, int hand, sim_control control, const float value[2]);
/* xrApplyHapticFeedback on one hand at time t: the pulse the window shows. */
void sim_user_haptic(sim_user *u, int hand, float amplitude, float frequency, XrDuration duration, XrTime t);
/* xrStopHapticFeedback on one hand at time t: amplitude 0 from then on. */
void sim_user_stop_haptic(sim_user *u, int hand, XrTime t);

/* ---------------------------------------------------------------- asking to exit */

/* The user asks the app to exit (the preview window's close button or Escape, like a headset's "quit"). */
void sim_user_request_exit(sim_user *u);
/* true once per request: the upper part then asks the session to exit (xrPollEvent, openxr/lifecycle.c). */
bool sim_user_take_exit_request(sim_user *u);
