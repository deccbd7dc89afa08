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

/* What a hand (or the script) can press, and the head controls of the script. Any other identifier of an
 * interaction profile is set by name (sim_user_set_input). */
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
    SIM_CONTROL_HEAD_WORN, /* 0: the user takes the headset off, 1: puts it on (XR_EXT_user_presence) */
    SIM_CONTROL_HEAD_LENS, /* the lens radius in the z = -1 plane (XR_KHR_visibility_mask; device/optics.c) */
    SIM_CONTROL_HEAD_TRACKED, /* 0: the headset loses tracking (from then on), 1: tracked again */
} sim_control;

/* The devices the user holds or wears, one per top-level user path that has interaction profiles: the two
 * hands (controllers, or tracked hands), a gamepad held in both hands, and the headset's own buttons. */
typedef enum sim_device {
    SIM_DEVICE_LEFT = 0,  /* /user/hand/left */
    SIM_DEVICE_RIGHT = 1, /* /user/hand/right */
    SIM_DEVICE_GAMEPAD,   /* /user/gamepad */
    SIM_DEVICE_HEAD,      /* /user/head */
    SIM_DEVICE_COUNT
} sim_device;

/* "/user/hand/left", ... for a device; NULL out of range. */
const char *sim_device_user_path(int device);
/* "left", "right", "gamepad", "head": the device's name in PARALLAX_SIM_INPUT. */
const char *sim_device_name(int device);

/* A component of an input identifier ("trackpad/click"): which value a script event sets. */
typedef enum sim_component {
    SIM_COMPONENT_NONE = 0, /* the identifier as a whole: one value (0..1) or X,Y */
    SIM_COMPONENT_CLICK,
    SIM_COMPONENT_TOUCH,
    SIM_COMPONENT_VALUE,
    SIM_COMPONENT_FORCE,
    SIM_COMPONENT_X,
    SIM_COMPONENT_Y,
    SIM_COMPONENT_PROXIMITY,
} sim_component;

#define SIM_INPUT_ID_MAX 32 /* identifier length ("thumbstick_right"), with the NUL */
#define SIM_INPUTS_MAX   16 /* identifiers set by name per device */
#define SIM_PROFILE_MAX  96 /* a profile request ("/interaction_profiles/...") with the NUL */

/* One input identifier of a device, set by name (PARALLAX_SIM_INPUT "left.trackpad=0.2,0.5", the window's
 * dpad and volume keys): every component of it. */
typedef struct sim_input {
    char id[SIM_INPUT_ID_MAX];
    float value, force; /* 0..1 */
    XrVector2f xy;      /* -1..1 */
    bool click, touch, proximity;
} sim_input;

/* What a tracked hand does (XR_EXT_hand_tracking): the fingers' pose. */
typedef enum sim_gesture {
    SIM_GESTURE_OPEN = 0, /* fingers relaxed and spread */
    SIM_GESTURE_PINCH,    /* thumb and index tips together */
    SIM_GESTURE_GRAB,     /* a fist */
    SIM_GESTURE_POINT,    /* index straight, the others curled */
    SIM_GESTURE_COUNT
} sim_gesture;
/* "open", "pinch", "grab", "point". */
const char *sim_gesture_name(sim_gesture g);

/* Inputs of one simulated device. Idle by default: tracked and bound, nothing pressed. */
typedef struct sim_controller_state {
    bool select, menu, system; /* .../select/click, .../menu/click, .../system/click */
    bool a, b;                 /* a|x, b|y buttons */
    bool trigger_click, squeeze_click, thumbstick_click;
    float trigger, squeeze; /* 0..1 */
    XrVector2f thumbstick;  /* also reported for trackpads */
    /* Identifiers set by name (any identifier of a profile for this device's user path, or a component of
     * one of the controls above, e.g. "trigger/touch"). */
    sim_input inputs[SIM_INPUTS_MAX];
    uint32_t input_count;
    /* Which interaction profile the device presents: "" lets the runtime pick among the application's
     * suggested profiles, "none" means no device at this user path, else a profile path. profile_serial
     * changes with every request, so the runtime sees a request even for the same profile again. */
    char profile[SIM_PROFILE_MAX];
    uint32_t profile_serial;
    /* Hands: the gesture in force since gesture_time (blending from gesture_from), and hand tracking loss. */
    sim_gesture gesture, gesture_from;
    XrTime gesture_time;
    bool hand_lost;
    /* the last haptic request; amplitude 0 after xrStopHapticFeedback */
    float haptic_amplitude, haptic_frequency;
    XrDuration haptic_duration;
    XrTime haptic_time;
    /* since the session began (PARALLAX_SIM_REPORT's "haptics"): xrApplyHapticFeedback pulses that reached
     * this device, xrStopHapticFeedback calls, the strongest amplitude asked for */
    uint32_t haptic_pulses, haptic_stops;
    float haptic_peak_amplitude;
} sim_controller_state;

/* An identifier's state: what was set by name merged with the device's own controls of that name ("trigger",
 * "squeeze", "select", "menu", "system", "a", "b", "thumbstick"), the larger value and vector winning. */
sim_input sim_controller_input(const sim_controller_state *c, const char *id);
/* Merges from into into: the larger value, force and vector, any press, touch or proximity. */
void sim_input_merge(sim_input *into, const sim_input *from);

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
/* Whether the headset's tracking holds at time t (the script's head.tracked events; tracked without a
 * user or before xrBeginSession). Any thread. */
bool sim_user_head_tracked(sim_user *u, XrTime t);
/* The window's newest offset at time t, and the rate it moves at from then on (the window thread). */
void sim_user_push_offset(sim_user *u, XrTime t, const sim_head_offset *off, const sim_head_offset *rate);
/* The window's newest offset: a second session's window continues where the user left the head. */
sim_head_offset sim_user_window_offset(sim_user *u);

/* ---------------------------------------------------------------- the hands */

/* xrSyncActions: applies the script's events due by now, then copies every device (sim_device order) to out.
 * Zeros with u == NULL. */
void sim_user_sync_controllers(sim_user *u, XrTime now, sim_controller_state out[SIM_DEVICE_COUNT]);
/* Every device as it is, without applying the script (the window draws them). */
void sim_user_peek_controllers(sim_user *u, sim_controller_state out[SIM_DEVICE_COUNT]);
/* A hand presses or releases a control (value[0]; value[1] is the thumbstick's y). Head controls are ignored.
 */
void sim_user_press(sim_user *u, int hand, sim_control control, const float value[2]);
/* A device's identifier set by name (the window's dpad and volume keys): the component takes value[0], or
 * with SIM_COMPONENT_NONE value[0] (and value[1] for a vector, when two is true). */
void sim_user_set_input(sim_user *u, int device, const char *id, sim_component component,
                        const float value[2], bool two);
/* The interaction profile a device presents from now on ("" the runtime's pick, "none", or a profile path).
 */
void sim_user_request_profile(sim_user *u, int device, const char *profile);
/* The upper part tells which profiles the application suggested for the hands (paths; at most 32 kept), so
 * the window can cycle through them. */
void sim_user_offer_profiles(sim_user *u, const char *const *paths, uint32_t count);
/* The window's profile key: both hands move to the next offered profile, after the last to "none", after that
 * back to the runtime's pick. Returns the new request ("" for the runtime's pick). */
const char *sim_user_cycle_profile(sim_user *u);

/* The upper part tells what a device presents now (a profile path, or "" for none), at xrSyncActions; the
 * window shows the hands' in its title. */
void sim_user_note_presented(sim_user *u, int device, const char *profile);
/* What the right hand presents, as last noted, into out (cap bytes); returns a counter that changes with
 * every note, so the window retitles only on a change. */
uint32_t sim_user_presented(sim_user *u, char *out, size_t cap);

/* ---------------------------------------------------------------- tracked hands (XR_EXT_hand_tracking) */

/* A hand's gesture changes at time t (the window's gesture keys; the script's "gesture" events). */
void sim_user_set_gesture(sim_user *u, int hand, sim_gesture g, XrTime t);
/* The window's key: the hand's next gesture (open, pinch, grab, point, open...) at time t. */
void sim_user_cycle_gesture(sim_user *u, int hand, XrTime t);
/* Hand tracking of a hand is lost (lost true) or back. */
void sim_user_set_hand_lost(sim_user *u, int hand, bool lost);
/* One hand (0 left, 1 right) as the hand tracker sees it at wall time now, after the script's events due by
 * then: the state's gesture fields and hand_lost. Zeros with u == NULL. */
sim_controller_state sim_user_hand(sim_user *u, int hand, XrTime now);
/* xrApplyHapticFeedback on one hand at time t: the pulse the window shows. */
void sim_user_haptic(sim_user *u, int hand, float amplitude, float frequency, XrDuration duration, XrTime t);
/* xrStopHapticFeedback on one hand at time t: amplitude 0 from then on. */
void sim_user_stop_haptic(sim_user *u, int hand, XrTime t);

/* ---------------------------------------------------------------- the headset on the head, and its lens */

/* The lens radius until the script changes it (it hides the corners of a 90 degree view, about 11% of it). */
#define SIM_USER_LENS_DEFAULT 1.1f
/* Whether the user wears the headset at time t: the script's head.worn and the preview window's P key, the
 * newer of the two; worn unless either took it off. true with u == NULL. */
bool sim_user_worn(sim_user *u, XrTime t);
/* The preview window: the user puts the headset on (worn) or takes it off at time t. */
void sim_user_set_worn(sim_user *u, bool worn, XrTime t);
/* The lens radius at time t (the script's head.lens; SIM_USER_LENS_DEFAULT before and without one). */
float sim_user_lens_radius(sim_user *u, XrTime t);

/* ---------------------------------------------------------------- asking to exit */

/* The user asks the app to exit (the preview window's close button or Escape, like a headset's "quit"). */
void sim_user_request_exit(sim_user *u);
/* true once per request: the upper part then asks the session to exit (xrPollEvent, openxr/lifecycle.c). */
bool sim_user_take_exit_request(sim_user *u);
