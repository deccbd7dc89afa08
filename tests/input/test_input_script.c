/* SPDX-License-Identifier: MIT */
/* Unit tests (no GPU, no display) of the simulated headset's user (simulator/src/device/user.c): the
 * PARALLAX_SIM_INPUT parser, scripted controller events reaching the controllers at their time, the scripted
 * head offset as the truth sees it, the window's offset as the tracker senses it (rates, prediction), and
 * the user's request to exit. user.c is included, so the tests can fill the window's offset history
 * directly; the one simulator function it calls besides its own (sim_log) is stubbed here. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "device/user.c"

void sim_log(int level, const char *fmt, ...)
{
    (void)level;
    (void)fmt;
}

static void accepts_valid_scripts(void **state)
{
    (void)state;
    char err[256];
    assert_true(sim_input_check("", err, sizeof(err)));
    assert_true(sim_input_check("right.trigger=1@1.5; right.trigger=0@2.5", err, sizeof(err)));
    assert_true(
        sim_input_check(" left.thumbstick = -0.5, 1 @ 3 ;head.yaw=-30@0;head.z=0.2@1;", err, sizeof(err)));
    assert_true(
        sim_input_check("left.menu=1@0;left.thumbstick_click=0@1;right.squeeze=0.25@2", err, sizeof(err)));
    /* Any identifier of a profile for the device's user path, its components, profiles, gestures. */
    assert_true(sim_input_check("left.trackpad=0.5,-0.25@1; right.trackpad.click=1@1; left.x=1@0; "
                                "right.trigger.touch=1@0; right.squeeze.force=0.4@0; left.back=1@0",
                                err, sizeof(err)));
    assert_true(
        sim_input_check("gamepad.dpad_up=1@1; gamepad.thumbstick_left=0,1@1; gamepad.trigger_right=0.5@1; "
                        "head.volume_up=1@2; head.mute_mic.click=1@2",
                        err, sizeof(err)));
    assert_true(
        sim_input_check("left.profile=htc/vive_controller@0; right.profile=/interaction_profiles/valve/"
                        "index_controller@1; gamepad.profile=microsoft/xbox_controller@0; "
                        "head.profile=htc/vive_pro@0; right.profile=none@2; right.profile=auto@3; "
                        "left.profile=ext/hand_interaction_ext@0",
                        err, sizeof(err)));
    assert_true(sim_input_check("right.gesture=pinch@1; left.gesture=grab@1; right.gesture=point@2; "
                                "right.gesture=open@3; left.hand_tracked=0@1; left.hand_tracked=1@2",
                                err, sizeof(err)));
}

static void refuses_malformed_scripts(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "foot.trigger=1@1",                          /* unknown device */
        "right.wheel=1@1",                           /* unknown control */
        "head.trigger=1@1",                          /* a controller control on the head */
        "right.yaw=1@1",                             /* a head control on a controller */
        "right.trigger=1.5@1",                       /* out of range */
        "right.menu=0.5@1",                          /* a button is 0 or 1 */
        "right.thumbstick=0.5@1",                    /* a thumbstick takes X,Y */
        "right.thumbstick=2,0@1",                    /* out of range */
        "right.trigger=1",                           /* no time */
        "right.trigger=1@-1",                        /* negative time */
        "right.trigger=1@1 left.trigger=1@2",        /* no separator */
        "right.trigger=@1",                          /* no value */
        "left.volume_up=1@1",                        /* a headset button on a hand */
        "gamepad.trigger=1@1",                       /* the gamepad has trigger_left/_right */
        "head.trackpad=0,0@1",                       /* no profile gives the head a trackpad */
        "right.trackpad.wiggle=1@1",                 /* unknown component */
        "right.trackpad.click=0.5@1",                /* a click is 0 or 1 */
        "right.trackpad=1.5,0@1",                    /* out of range */
        "left.profile=acme/controller@0",            /* no such profile */
        "left.profile=microsoft/xbox_controller@0",  /* not a profile of the hands */
        "gamepad.profile=oculus/touch_controller@0", /* not a profile of the gamepad */
        "right.gesture=wave@1",                      /* no such gesture */
        "gamepad.gesture=pinch@1",                   /* only hands have gestures */
        "right.hand_tracked=0.5@1",                  /* 0 or 1 */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[256] = "";
        if (sim_input_check(bad[i], err, sizeof(err))) fail_msg("accepted \"%s\"", bad[i]);
        assert_true(strlen(err) > 0);
    }
}

static sim_user *user_with(const char *script, XrTime begin)
{
    sim_user *u = sim_user_create(script);
    assert_non_null(u);
    sim_user_session_begin(u, begin);
    return u;
}

static void user_free(sim_user *u)
{
    sim_user_destroy(&u);
    assert_null(u);
}

static void controller_events_apply_at_their_time(void **state)
{
    (void)state;
    const XrTime t0 = 1000000000;
    /* Written out of order: events are applied in time order. */
    sim_user *u =
        user_with("right.trigger=0@2; right.trigger=1@1; left.thumbstick=0.5,-1@1.5; left.menu=1@1.5", t0);
    sim_controller_state c[SIM_DEVICE_COUNT];
    sim_user_sync_controllers(u, t0 + 500000000, c);
    assert_true(c[1].trigger == 0.0f && !c[1].select);
    sim_user_sync_controllers(u, t0 + 1000000000, c);
    assert_true(c[1].trigger == 1.0f);
    assert_true(c[1].select); /* the simple controller's trigger */
    assert_false(c[0].menu);
    /* The window only looks: events that came due since the last sync wait for the next one. */
    sim_user_peek_controllers(u, c);
    assert_false(c[0].menu);
    sim_user_sync_controllers(u, t0 + 1600000000, c);
    assert_true(c[0].menu);
    assert_true(c[0].thumbstick.x == 0.5f && c[0].thumbstick.y == -1.0f);
    assert_true(c[1].trigger == 1.0f);
    sim_user_sync_controllers(u, t0 + 3000000000, c);
    assert_true(c[1].trigger == 0.0f && !c[1].select);
    user_free(u);
}

static void named_inputs_profiles_and_gestures_apply_at_their_time(void **state)
{
    (void)state;
    const XrTime t0 = 1000000000, s = 1000000000;
    sim_user *u = user_with("right.profile=htc/vive_controller@1; right.trackpad=0.5,-0.25@1; "
                            "right.trackpad.click=1@1.5; gamepad.dpad_up=1@1; head.volume_up.click=1@1; "
                            "right.gesture=pinch@1; left.hand_tracked=0@1",
                            t0);
    sim_controller_state c[SIM_DEVICE_COUNT];
    sim_user_sync_controllers(u, t0 + s / 2, c);
    assert_string_equal(c[SIM_DEVICE_RIGHT].profile, "");
    uint32_t serial = c[SIM_DEVICE_RIGHT].profile_serial;
    assert_true(c[SIM_DEVICE_RIGHT].gesture == SIM_GESTURE_OPEN && !c[SIM_DEVICE_LEFT].hand_lost);
    sim_user_sync_controllers(u, t0 + s, c);
    assert_string_equal(c[SIM_DEVICE_RIGHT].profile, "htc/vive_controller");
    assert_true(c[SIM_DEVICE_RIGHT].profile_serial != serial);
    sim_input pad = sim_controller_input(&c[SIM_DEVICE_RIGHT], "trackpad");
    assert_true(pad.xy.x == 0.5f && pad.xy.y == -0.25f && !pad.click);
    assert_true(sim_controller_input(&c[SIM_DEVICE_GAMEPAD], "dpad_up").value == 1.0f);
    assert_true(sim_controller_input(&c[SIM_DEVICE_HEAD], "volume_up").click);
    /* The gesture starts at its scripted time, whenever it is applied; the hand tracker sees the loss. */
    assert_true(c[SIM_DEVICE_RIGHT].gesture == SIM_GESTURE_PINCH &&
                c[SIM_DEVICE_RIGHT].gesture_time == t0 + s);
    assert_true(c[SIM_DEVICE_LEFT].hand_lost);
    sim_user_sync_controllers(u, t0 + 3 * s / 2, c);
    assert_true(sim_controller_input(&c[SIM_DEVICE_RIGHT], "trackpad").click);
    /* A hand's own controls read by name too, merged with what was set by name. */
    sim_user_press(u, 1, SIM_CONTROL_TRIGGER, (const float[2]){0.6f, 0.0f});
    sim_user_set_input(u, 1, "trigger", SIM_COMPONENT_TOUCH, (const float[2]){1.0f, 0.0f}, false);
    sim_user_peek_controllers(u, c);
    sim_input trig = sim_controller_input(&c[SIM_DEVICE_RIGHT], "trigger");
    assert_true(trig.value == 0.6f && trig.touch && !trig.click);
    /* The window's profile key cycles through what the application suggested, then none, then auto. */
    const char *offered[] = {"/interaction_profiles/oculus/touch_controller",
                             "/interaction_profiles/htc/vive_controller"};
    sim_user_offer_profiles(u, offered, 2);
    sim_user_note_presented(u, SIM_DEVICE_RIGHT, offered[0]); /* skipped: the hands present it already */
    assert_string_equal(sim_user_cycle_profile(u), offered[1]);
    sim_user_note_presented(u, SIM_DEVICE_RIGHT, offered[1]);
    assert_string_equal(sim_user_cycle_profile(u), "none");
    sim_user_note_presented(u, SIM_DEVICE_RIGHT, "");
    assert_string_equal(sim_user_cycle_profile(u), "");
    sim_user_note_presented(u, SIM_DEVICE_RIGHT, offered[0]);
    assert_string_equal(sim_user_cycle_profile(u), offered[1]);
    user_free(u);
}

static void head_offset_follows_the_script_in_time(void **state)
{
    (void)state;
    const XrTime t0 = 5000000000;
    sim_user *u = user_with("head.yaw=90@1; head.x=0.5@2; head.yaw=0@3", t0);
    plx_pose before = sim_user_head_offset(u, t0 + 999000000);
    assert_true(plx_quat_angle_between(before.orientation, plx_quat_identity()) < 1e-6f);
    plx_pose turned = sim_user_head_offset(u, t0 + 1000000000);
    /* +90 degrees of yaw turns -Z (forward) into -X (left). */
    plx_vec3 fwd = plx_quat_rotate(turned.orientation, (plx_vec3){0.0f, 0.0f, -1.0f});
    assert_true(fabsf(fwd.x + 1.0f) < 1e-5f && fabsf(fwd.z) < 1e-5f);
    assert_true(turned.position.x == 0.0f);
    plx_pose moved = sim_user_head_offset(u, t0 + 2500000000);
    assert_true(fabsf(moved.position.x - 0.5f) < 1e-6f);
    plx_pose back = sim_user_head_offset(u, t0 + 3000000000);
    assert_true(plx_quat_angle_between(back.orientation, plx_quat_identity()) < 1e-6f);
    assert_true(fabsf(back.position.x - 0.5f) < 1e-6f); /* each control holds until changed */
    user_free(u);
}

static void no_user_is_identity(void **state)
{
    (void)state;
    plx_pose p = sim_user_head_offset(NULL, 123);
    assert_true(p.orientation.w == 1.0f && p.position.x == 0.0f && p.position.y == 0.0f &&
                p.position.z == 0.0f);
    /* Before xrBeginSession nothing of the script is in force. */
    sim_user *u = sim_user_create("head.yaw=45@0");
    assert_non_null(u);
    p = sim_user_head_offset(u, 999999999999);
    assert_true(p.orientation.w == 1.0f);
    sim_user_destroy(&u);
    sim_user_destroy(&u); /* NULL-safe */
}

/* Writes one entry of the window's offset history, as the window thread does when the user moves: the offset
 * at t and the rate (deg/s of yaw, m/s along x) it moves at from then on. */
static void push_at(sim_user *u, XrTime t, double yaw_deg, double yaw_rate, float x_rate)
{
    u->history[u->history_next] = (history_entry){
        .t = t, .off = {.yaw_deg = yaw_deg}, .rate = {.yaw_deg = yaw_rate, .pos = {x_rate, 0.0f, 0.0f}}};
    u->history_next = (u->history_next + 1) % HISTORY;
    if (u->history_count < HISTORY) u->history_count++;
}

static float yaw_of(plx_quat q)
{
    plx_vec3 fwd = plx_quat_rotate(q, (plx_vec3){0.0f, 0.0f, -1.0f});
    return (float)(atan2(-fwd.x, -fwd.z) * 180.0 / PLX_PI);
}

static void tracker_senses_and_predicts_the_users_turn(void **state)
{
    (void)state;
    sim_user *u = sim_user_create(NULL);
    assert_non_null(u);
    const XrTime now = 10000000000, ms = 1000000;
    /* Still until now-10 ms, then a held key turns left at 50 deg/s and walks +x at 0.5 m/s. */
    push_at(u, now - 30 * ms, 0.0, 0.0, 0.0f);
    push_at(u, now - 10 * ms, 0.0, 50.0, 0.5f);
    plx_pose off;
    plx_vec3 ang, lin;
    sim_user_tracked_offset(u, now, now + 20 * ms, false, &off, &ang, &lin);
    assert_float_equal(yaw_of(off.orientation), 0.5f, 1e-3f); /* raw: where the head is now */
    assert_float_equal(ang.y, (float)(50.0 * PLX_PI / 180.0), 1e-4f);
    assert_float_equal(lin.x, 0.5f, 1e-5f);
    sim_user_tracked_offset(u, now, now + 20 * ms, true, &off, &ang, &lin);
    assert_float_equal(yaw_of(off.orientation), 1.5f, 1e-3f); /* + 50 deg/s * 20 ms */
    assert_float_equal(off.position.x, 0.015f, 1e-5f);
    /* The truth looks the offset up by time, moving on at the rate in force. */
    assert_float_equal(yaw_of(sim_user_head_offset(u, now - 20 * ms).orientation), 0.0f, 1e-4f);
    assert_float_equal(yaw_of(sim_user_head_offset(u, now + 20 * ms).orientation), 1.5f, 1e-3f);
    /* The key is released at now+30 ms (2 deg): from then on no rate, the head stays. */
    push_at(u, now + 30 * ms, 2.0, 0.0, 0.0f);
    sim_user_tracked_offset(u, now + 50 * ms, now + 70 * ms, true, &off, &ang, &lin);
    assert_float_equal(yaw_of(off.orientation), 2.0f, 1e-3f);
    assert_float_equal(ang.y, 0.0f, 1e-6f);
    /* A stalled window: a rate holds at most RATE_HOLD_S past its entry. */
    push_at(u, now + 100 * ms, 2.0, 10.0, 0.0f);
    assert_float_equal(yaw_of(sim_user_head_offset(u, now + 5000 * ms).orientation), 3.0f, 1e-3f);
    sim_user_destroy(&u);
}

static void scripted_steps_carry_no_rate(void **state)
{
    (void)state;
    const XrTime t0 = 1000000000;
    sim_user *u = user_with("head.yaw=30@1", t0);
    plx_pose off;
    plx_vec3 ang, lin;
    sim_user_tracked_offset(u, t0 + 1005000000, t0 + 1050000000, true, &off, &ang, &lin);
    assert_float_equal(yaw_of(off.orientation), 30.0f, 1e-3f);
    assert_float_equal(ang.y, 0.0f, 1e-6f);
    /* The tracker does not know a step before it happens; the truth, asked for that time, does. */
    sim_user_tracked_offset(u, t0 + 990000000, t0 + 1020000000, true, &off, &ang, &lin);
    assert_float_equal(yaw_of(off.orientation), 0.0f, 1e-4f);
    assert_float_equal(yaw_of(sim_user_head_offset(u, t0 + 1020000000).orientation), 30.0f, 1e-3f);
    user_free(u);
}

static void window_presses_and_exit_requests_reach_the_upper_part(void **state)
{
    (void)state;
    sim_user *u = sim_user_create(NULL);
    assert_non_null(u);
    sim_user_press(u, 1, SIM_CONTROL_TRIGGER, (const float[2]){1.0f, 0.0f});
    sim_user_press(u, 0, SIM_CONTROL_THUMBSTICK, (const float[2]){-1.0f, 1.0f});
    sim_user_press(u, 0, SIM_CONTROL_HEAD_YAW, (const float[2]){30.0f, 0.0f}); /* not a hand's control */
    sim_controller_state c[SIM_DEVICE_COUNT];
    sim_user_sync_controllers(u, 1, c);
    assert_true(c[1].trigger == 1.0f && c[1].select);
    assert_true(c[0].thumbstick.x == -1.0f && c[0].thumbstick.y == 1.0f);
    sim_user_haptic(u, 1, 0.5f, 160.0f, 10000000, 42);
    sim_user_peek_controllers(u, c);
    assert_true(c[1].haptic_amplitude == 0.5f && c[1].haptic_time == 42);
    sim_user_stop_haptic(u, 1, 43);
    sim_user_peek_controllers(u, c);
    assert_true(c[1].haptic_amplitude == 0.0f && c[1].haptic_duration == 10000000 && c[1].haptic_time == 43);
    /* The window's Escape is a fact the upper part takes once, at its next xrPollEvent. */
    assert_false(sim_user_take_exit_request(u));
    sim_user_request_exit(u);
    assert_true(sim_user_take_exit_request(u));
    assert_false(sim_user_take_exit_request(u));
    user_free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_valid_scripts),
        cmocka_unit_test(refuses_malformed_scripts),
        cmocka_unit_test(controller_events_apply_at_their_time),
        cmocka_unit_test(named_inputs_profiles_and_gestures_apply_at_their_time),
        cmocka_unit_test(head_offset_follows_the_script_in_time),
        cmocka_unit_test(no_user_is_identity),
        cmocka_unit_test(tracker_senses_and_predicts_the_users_turn),
        cmocka_unit_test(scripted_steps_carry_no_rate),
        cmocka_unit_test(window_presses_and_exit_requests_reach_the_upper_part),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
