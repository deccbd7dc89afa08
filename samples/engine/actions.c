/* SPDX-License-Identifier: MIT */
/* parallax-engine: app-defined input (parallax.h "actions"). One action set of the sample's own, with
 * bindings suggested for two interaction profiles; the runtime presents whichever controllers the user holds
 * as one of them. libparallax syncs the actions in plx_frame_wait (for the frame's display time); the sample
 * reads them right after it:
 * - tint (float, per hand): the trigger (Touch) or select (simple) blends the orbiting cubes towards the
 * hand's colour, shown as the panel's swatch;
 * - buzz (haptic, per hand): a pulse on the hand whose trigger goes down;
 * - move (vector2): the thumbstick (Touch) moves the panel, 1 m/s at full tilt, up to 0.2 m from where it
 *   started, timed by the runtime's change times (last_change_time);
 * - reset (boolean): a (Touch) or menu (simple) puts the panel back where it started;
 * - grip (pose, per hand): where each controller is; a small cube is drawn there (animate.comp). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"

#define SPEED 1.0f /* m/s the panel moves at full tilt */
#define REACH 0.2f /* how far from its start the thumbstick may take the panel, per axis (m) */

static const char *const hands[2] = {"/user/hand/left", "/user/hand/right"};
/* The hands' colours (linear): cyan on the left, orange on the right. */
static const float hand_color[2][3] = {{0.05f, 0.55f, 1.0f}, {1.0f, 0.35f, 0.05f}};

static plx_result create(engine *e, const char *name, const char *label, plx_action_type type, bool per_hand,
                         plx_action *out)
{
    plx_action_desc d = {.name = name,
                         .localized_name = label,
                         .type = type,
                         .subaction_paths = per_hand ? hands : NULL,
                         .subaction_path_count = per_hand ? 2 : 0};
    return plx_action_create(e->ctx, e->actions.set, &d, out);
}

plx_result actions_init(engine *e)
{
    actions *a = &e->actions;
    plx_result r = plx_action_set_create(
        e->ctx, &(plx_action_set_desc){.name = "engine", .localized_name = "Engine sample"}, &a->set);
    if (r == PLX_SUCCESS) r = create(e, "tint", "Tint the cubes", PLX_ACTION_FLOAT, true, &a->tint);
    if (r == PLX_SUCCESS) r = create(e, "buzz", "Haptic pulse", PLX_ACTION_HAPTIC, true, &a->buzz);
    if (r == PLX_SUCCESS) r = create(e, "move", "Move the panel", PLX_ACTION_VECTOR2, false, &a->move);
    if (r == PLX_SUCCESS) r = create(e, "reset", "Reset", PLX_ACTION_BOOLEAN, false, &a->reset);
    if (r == PLX_SUCCESS) r = create(e, "grip", "Hand pose", PLX_ACTION_POSE, true, &a->grip);
    if (r != PLX_SUCCESS) return r;
    /* The simple controller has a select click (read as 0 or 1 by the float action) and a menu button. */
    const plx_action_binding simple[] = {
        {a->tint, "/user/hand/left/input/select/click"}, {a->tint, "/user/hand/right/input/select/click"},
        {a->buzz, "/user/hand/left/output/haptic"},      {a->buzz, "/user/hand/right/output/haptic"},
        {a->reset, "/user/hand/left/input/menu/click"},  {a->reset, "/user/hand/right/input/menu/click"},
        {a->grip, "/user/hand/left/input/grip/pose"},    {a->grip, "/user/hand/right/input/grip/pose"},
    };
    const plx_action_binding touch[] = {
        {a->tint, "/user/hand/left/input/trigger/value"}, {a->tint, "/user/hand/right/input/trigger/value"},
        {a->buzz, "/user/hand/left/output/haptic"},       {a->buzz, "/user/hand/right/output/haptic"},
        {a->move, "/user/hand/left/input/thumbstick"},    {a->move, "/user/hand/right/input/thumbstick"},
        {a->reset, "/user/hand/right/input/a/click"},     {a->grip, "/user/hand/left/input/grip/pose"},
        {a->grip, "/user/hand/right/input/grip/pose"},
    };
    r = plx_action_suggest_bindings(e->ctx, "/interaction_profiles/khr/simple_controller", simple,
                                    sizeof simple / sizeof simple[0]);
    if (r == PLX_SUCCESS)
        r = plx_action_suggest_bindings(e->ctx, "/interaction_profiles/oculus/touch_controller", touch,
                                        sizeof touch / sizeof touch[0]);
    return r;
}

plx_result actions_update(engine *e, long frame, int64_t display_time)
{
    actions *a = &e->actions;
    plx_action_state st;
    plx_result r;
    float tint = 0;
    bool moved = false;
    int strongest = -1;
    for (int h = 0; h < 2; h++) {
        if ((r = plx_action_get_float(e->ctx, a->tint, hands[h], &st)) != PLX_SUCCESS) return r;
        bool pressed = st.active && st.value > 0.5f;
        if (pressed && !a->pressed[h]) {
            a->presses[h]++;
            char profile[256] = "";
            plx_actions_get_profile(e->ctx, hands[h], profile, sizeof profile);
            /* A firmer pulse for a harder pull; 60 ms is felt without blurring into the next. */
            r = plx_action_haptic(e->ctx, a->buzz, hands[h], 0.4f + 0.6f * st.value, 0, 60000000);
            if (r == PLX_SUCCESS) a->pulses++;
            printf("frame %ld: %s trigger %.2f (%s) -> tint, haptic pulse: %s\n", frame, hands[h] + 11,
                   (double)st.value, profile, plx_result_string(r));
            if (r < 0) return r;
        }
        a->pressed[h] = pressed;
        if (st.active && st.value > tint) tint = st.value, strongest = h;
    }
    if (strongest >= 0) {
        memcpy(e->tint, hand_color[strongest], sizeof hand_color[0]);
        e->tint[3] = tint;
    } else {
        e->tint[3] = 0;
    }

    /* The controllers, located by libparallax at the frame's predicted display time. */
    for (int h = 0; h < 2; h++) {
        plx_action_pose p;
        if ((r = plx_action_get_pose(e->ctx, a->grip, hands[h], &p)) != PLX_SUCCESS) return r;
        bool shown = p.active && p.pose.valid;
        for (int i = 0; i < 3; i++) a->hand_position[h][i] = shown ? p.pose.position[i] : 0;
        a->hand_position[h][3] = shown ? 1.0f : 0.0f;
        for (int i = 0; i < 4; i++) a->hand_orientation[h][i] = shown ? p.pose.orientation[i] : (i == 3);
    }
    /* The panel moves by the stick's value over time, integrated on the runtime's clock rather than per
     * frame: the value read now has held since its last change (last_change_time), and the previous value
     * before that, so a late frame neither adds nor loses movement. */
    if ((r = plx_action_get_vector2(e->ctx, a->move, NULL, &st)) != PLX_SUCCESS) return r;
    float v[2] = {st.active ? st.vector[0] : 0, st.active ? st.vector[1] : 0};
    if (a->move_time > 0 && display_time > a->move_time) {
        int64_t since = st.active && st.changed && st.last_change_time > a->move_time &&
                                st.last_change_time < display_time
                            ? st.last_change_time
                            : a->move_time;
        double before = (double)(since - a->move_time) / 1e9, after = (double)(display_time - since) / 1e9;
        for (int i = 0; i < 2; i++) {
            /* Within reach: at most REACH metres from where the panel started, on each axis. */
            float home = e->panel_home[i],
                  p = e->panel_position[i] + SPEED * (float)(a->move_value[i] * before + v[i] * after);
            p = p < home - REACH ? home - REACH : p > home + REACH ? home + REACH : p;
            if (p != e->panel_position[i]) moved = true;
            a->moved[i] = p - home;
            e->panel_position[i] = p;
        }
    }
    if (display_time > a->move_time) {
        a->move_time = display_time;
        memcpy(a->move_value, v, sizeof v);
    }
    if ((r = plx_action_get_boolean(e->ctx, a->reset, NULL, &st)) != PLX_SUCCESS) return r;
    if (st.active && st.changed && st.boolean) {
        memcpy(e->panel_position, e->panel_home, sizeof e->panel_position);
        a->moved[0] = a->moved[1] = 0;
        moved = true;
        printf("frame %ld: reset\n", frame);
    }
    if (moved) {
        r = plx_quad_set_pose(e->quad, e->panel_position, NULL);
    }
    return r;
}
