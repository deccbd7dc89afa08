/* SPDX-License-Identifier: MIT */
/* App-defined actions (issue 8 §2, parallax.h "actions") on the simulated headset, both validation layers on,
 * PARALLAX_SIM_TIME_OFFSET=start (XrTime far from CLOCK_MONOTONIC, so a timestamp on the wrong clock shows):
 *  - an app set with actions of all five types, bindings for khr/simple_controller and
 * valve/index_controller, beside plx_input: the input script makes the right hand present the SECOND profile
 * and presses b (bound only there); the app reads the press in the frame whose plx_frame_wait synced after it
 * (its lastChangeTime between that frame's pacing wake and its display time), plx_input_sync in the same
 * frame does not sync again (changed still set), float and vector2 values arrive, the app's grip pose agrees
 *    with plx_input's, each hand reports its profile, and the haptic pulses and the stop reach the
 *    simulated headset's devices (its PARALLAX_SIM_REPORT "haptics": counts, amplitudes, 160 Hz, 10 ms);
 *  - creating a set, an action, a binding or a plx_input after the attach is PLX_ERROR_CALL_ORDER naming the
 *    rule; nothing is attached (or frozen) while no set exists;
 *  - misuse: NULL, zero, made-up and wrong-kind handles, a float action read as boolean, an unknown subaction
 *    path, a profile and a path the runtime refuses (named), bad and duplicate names, the wrong thread;
 *  - after a session loss and an instance loss (PARALLAX_SIM_FAULTS) the same handles read presses of the new
 *    session. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "parallax/parallax.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* The simulated headset's summary (PARALLAX_SIM_REPORT), in the test's working folder. */
#define REPORT_PATH "test_actions_report.json"
#define SIMPLE      "/interaction_profiles/khr/simple_controller"
#define INDEX       "/interaction_profiles/valve/index_controller"
#define LEFT        "/user/hand/left"
#define RIGHT       "/user/hand/right"

static const char *const hands[] = {LEFT, RIGHT};

/* Log lines of the context, for the recovery messages. */
static char log_text[65536];
static size_t log_len;

static void capture_log(void *user, plx_log_level level, const char *message)
{
    (void)user;
    (void)level;
    size_t n = strlen(message);
    if (log_len + n + 2 < sizeof log_text) {
        memcpy(log_text + log_len, message, n);
        log_len += n;
        log_text[log_len++] = '\n';
        log_text[log_len] = '\0';
    }
}

/* What a test made, destroyed by teardown also when an assertion ends the test early. */
static plx_context *g_ctx;
static plx_input *g_input;

static int teardown(void **state)
{
    (void)state;
    plx_input_destroy(&g_input);
    plx_context_destroy(&g_ctx);
    return 0;
}

static plx_context *make_context(const char *script, const char *faults)
{
    if (script)
        setenv("PARALLAX_SIM_INPUT", script, 1);
    else
        unsetenv("PARALLAX_SIM_INPUT");
    if (faults)
        setenv("PARALLAX_SIM_FAULTS", faults, 1);
    else
        unsetenv("PARALLAX_SIM_FAULTS");
    setenv("PARALLAX_LOG", "info", 1); /* the recovery lines are info lines */
    setenv("PARALLAX_SIM_REPORT", REPORT_PATH, 1);
    remove(REPORT_PATH);
    log_len = 0;
    log_text[0] = '\0';
    plx_context_desc d = {.app_name = "test_actions",
                          .validation = true,
                          .eye_width = 32,
                          .eye_height = 32,
                          .log_fn = capture_log};
    plx_context *ctx = NULL;
    if (plx_context_create(&d, &ctx) != PLX_SUCCESS) fail_msg("plx_context_create: %s", plx_last_error(NULL));
    g_ctx = ctx;
    return ctx;
}

/* The app's set: one action of each type. */
typedef struct app_actions {
    plx_action_set set;
    plx_action jump;     /* boolean: index b (right), nothing on the simple controller */
    plx_action throttle; /* float: index trigger value (right), simple select (right) */
    plx_action move;     /* vector2 per hand: index thumbsticks */
    plx_action hand;     /* pose per hand: grip on both profiles */
    plx_action buzz;     /* haptic per hand: both profiles */
} app_actions;

static void declare(plx_context *ctx, app_actions *a, uint32_t priority)
{
    assert_int_equal(
        plx_action_set_create(
            ctx, &(plx_action_set_desc){.name = "game", .localized_name = "Game", .priority = priority},
            &a->set),
        PLX_SUCCESS);
    struct {
        plx_action *out;
        const char *name;
        plx_action_type type;
        bool per_hand;
    } decl[] = {
        {&a->jump, "jump", PLX_ACTION_BOOLEAN, false}, {&a->throttle, "throttle", PLX_ACTION_FLOAT, false},
        {&a->move, "move", PLX_ACTION_VECTOR2, true},  {&a->hand, "hand", PLX_ACTION_POSE, true},
        {&a->buzz, "buzz", PLX_ACTION_HAPTIC, true},
    };
    for (size_t i = 0; i < sizeof decl / sizeof decl[0]; i++) {
        plx_action_desc d = {.name = decl[i].name, .type = decl[i].type};
        if (decl[i].per_hand) {
            d.subaction_paths = hands;
            d.subaction_path_count = 2;
        }
        plx_result r = plx_action_create(ctx, a->set, &d, decl[i].out);
        if (r != PLX_SUCCESS) fail_msg("plx_action_create %s: %s", decl[i].name, plx_last_error(ctx));
        assert_int_not_equal(decl[i].out->id, 0);
    }
    plx_action_binding simple[] = {
        {a->throttle, RIGHT "/input/select/click"}, {a->hand, LEFT "/input/grip/pose"},
        {a->hand, RIGHT "/input/grip/pose"},        {a->buzz, LEFT "/output/haptic"},
        {a->buzz, RIGHT "/output/haptic"},
    };
    plx_action_binding index[] = {
        {a->jump, RIGHT "/input/b/click"},   {a->throttle, RIGHT "/input/trigger/value"},
        {a->move, LEFT "/input/thumbstick"}, {a->move, RIGHT "/input/thumbstick"},
        {a->hand, LEFT "/input/grip/pose"},  {a->hand, RIGHT "/input/grip/pose"},
        {a->buzz, LEFT "/output/haptic"},    {a->buzz, RIGHT "/output/haptic"},
    };
    plx_result r = plx_action_suggest_bindings(ctx, SIMPLE, simple, sizeof simple / sizeof simple[0]);
    if (r != PLX_SUCCESS) fail_msg("simple bindings: %s", plx_last_error(ctx));
    r = plx_action_suggest_bindings(ctx, INDEX, index, sizeof index / sizeof index[0]);
    if (r != PLX_SUCCESS) fail_msg("index bindings: %s", plx_last_error(ctx));
}

/* Poll, then wait for a frame. */
static plx_result wait_frame(plx_context *ctx, plx_frame *f, plx_events *ev)
{
    plx_poll(ctx, ev);
    assert_false(ev->should_quit);
    return plx_frame_wait(ctx, f);
}

static void end_frame(plx_context *ctx, plx_frame *f)
{
    plx_result r = plx_frame_begin(ctx, f);
    if (r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED) plx_frame_end(ctx, f);
}

/* n frames waited and ended, nothing read. */
static void run_frames(plx_context *ctx, int n)
{
    for (int i = 0; i < n;) {
        plx_frame f;
        plx_events ev;
        if (wait_frame(ctx, &f, &ev) != PLX_SUCCESS) continue;
        end_frame(ctx, &f);
        i++;
    }
}

static plx_frame_stats stats_of(plx_context *ctx, uint64_t index)
{
    plx_frame_stats s[64];
    uint32_t n = plx_get_frame_stats(ctx, s, 64);
    for (uint32_t i = 0; i < n; i++)
        if (s[i].index == index) return s[i];
    fail_msg("no statistics for frame %llu", (unsigned long long)index);
    return s[0];
}

static void second_profile_reaches_the_app_at_the_right_frame(void **state)
{
    (void)state;
    plx_context *ctx = make_context("right.profile=valve/index_controller@0; right.b=1@0.4; "
                                    "right.trigger=0.6@0.4; right.thumbstick=0.5,-0.25@0.4; right.b=0@0.7",
                                    NULL);
    assert_int_equal(plx_input_create(ctx, NULL, &g_input), PLX_SUCCESS);
    plx_input *input = g_input;
    app_actions a;
    declare(ctx, &a, 0);

    int64_t press_frame = -1, press_change = 0, press_display = 0;
    bool press_changed_after_input_sync = false, checked = false;
    bool was_down = false;
    for (int frames = 0; frames < 200 && !checked; frames++) {
        plx_frame f;
        plx_events ev;
        if (wait_frame(ctx, &f, &ev) != PLX_SUCCESS) continue;
        plx_action_state jump;
        assert_int_equal(plx_action_get_boolean(ctx, a.jump, NULL, &jump), PLX_SUCCESS);
        /* plx_input reads the same sync: it must not sync again (changedSinceLastSync would clear). */
        plx_result ir = plx_input_sync(input, f.predicted_display_time);
        assert_true(ir == PLX_SUCCESS || ir == PLX_NOT_FOCUSED);

        if (jump.active && jump.boolean && !was_down) {
            press_frame = (int64_t)f.index;
            press_change = jump.last_change_time;
            press_display = f.predicted_display_time;
            assert_true(jump.changed);
            plx_action_state again;
            assert_int_equal(plx_action_get_boolean(ctx, a.jump, NULL, &again), PLX_SUCCESS);
            press_changed_after_input_sync = again.changed && again.boolean;

            plx_action_state throttle, move_r, move_l;
            assert_int_equal(plx_action_get_float(ctx, a.throttle, NULL, &throttle), PLX_SUCCESS);
            assert_int_equal(plx_action_get_vector2(ctx, a.move, RIGHT, &move_r), PLX_SUCCESS);
            assert_int_equal(plx_action_get_vector2(ctx, a.move, LEFT, &move_l), PLX_SUCCESS);
            printf("frame %llu: jump (index b/click) pressed, changed %d; throttle %.2f; move right (%.2f, "
                   "%.2f) "
                   "active %d, left active %d\n",
                   (unsigned long long)f.index, (int)jump.changed, (double)throttle.value,
                   (double)move_r.vector[0], (double)move_r.vector[1], (int)move_r.active,
                   (int)move_l.active);
            assert_true(throttle.active);
            assert_float_equal(throttle.value, 0.6f, 1e-4);
            assert_true(move_r.active);
            assert_float_equal(move_r.vector[0], 0.5f, 1e-4);
            assert_float_equal(move_r.vector[1], -0.25f, 1e-4);
            assert_false(move_l.active); /* the left hand presents the simple controller: no thumbstick */

            /* The app's grip pose (left: simple, both sets bound) against plx_input's, same display time. */
            plx_action_pose hp, hp_r;
            assert_int_equal(plx_action_get_pose(ctx, a.hand, LEFT, &hp), PLX_SUCCESS);
            assert_int_equal(plx_action_get_pose(ctx, a.hand, RIGHT, &hp_r), PLX_SUCCESS);
            plx_hand_state left, right;
            assert_int_equal(plx_input_get_hand(input, PLX_HAND_LEFT, &left), PLX_SUCCESS);
            assert_int_equal(plx_input_get_hand(input, PLX_HAND_RIGHT, &right), PLX_SUCCESS);
            assert_true(hp.active && hp.pose.valid && hp.position_valid && hp.orientation_valid);
            assert_true(hp_r.active && hp_r.pose.valid);
            printf("plx_input left: active %d trigger %.2f grip_pose valid %d; right active %d\n",
                   (int)left.active, (double)left.trigger, (int)left.grip_pose.valid, (int)right.active);
            assert_true(left.active && left.grip_pose.valid);
            assert_false(right.active); /* plx_input has no index bindings */
            assert_true(hp.time == f.predicted_display_time);
            double d2 = 0, dot = 0;
            for (int i = 0; i < 3; i++)
                d2 += (hp.pose.position[i] - left.grip_pose.position[i]) *
                      (hp.pose.position[i] - left.grip_pose.position[i]);
            for (int i = 0; i < 4; i++) dot += hp.pose.orientation[i] * left.grip_pose.orientation[i];
            printf("left grip: app action (%.4f %.4f %.4f), plx_input (%.4f %.4f %.4f): %.3f mm, %.4f deg "
                   "apart; "
                   "right grip (index) (%.4f %.4f %.4f)\n",
                   (double)hp.pose.position[0], (double)hp.pose.position[1], (double)hp.pose.position[2],
                   (double)left.grip_pose.position[0], (double)left.grip_pose.position[1],
                   (double)left.grip_pose.position[2], sqrt(d2) * 1000.0,
                   2.0 * acos(fmin(1.0, fabs(dot))) * 180.0 / M_PI, (double)hp_r.pose.position[0],
                   (double)hp_r.pose.position[1], (double)hp_r.pose.position[2]);
            assert_true(sqrt(d2) < 0.005);
            assert_true(fabs(dot) > cos(0.5 * M_PI / 180.0 / 2.0));

            assert_int_equal(plx_action_haptic(ctx, a.buzz, RIGHT, 0.7f, 0, 30000000), PLX_SUCCESS);
            assert_int_equal(plx_action_haptic_stop(ctx, a.buzz, RIGHT), PLX_SUCCESS);
            assert_int_equal(plx_action_haptic(ctx, a.buzz, NULL, 0.2f, 160.0f, 0), PLX_SUCCESS);

            char pl[256], pr[256];
            assert_int_equal(plx_actions_get_profile(ctx, LEFT, pl, sizeof pl), PLX_SUCCESS);
            assert_int_equal(plx_actions_get_profile(ctx, RIGHT, pr, sizeof pr), PLX_SUCCESS);
            printf("profiles: left %s, right %s (plx_input: left %s, right %s)\n", pl, pr,
                   plx_input_profile(input, PLX_HAND_LEFT), plx_input_profile(input, PLX_HAND_RIGHT));
            assert_string_equal(pl, SIMPLE);
            assert_string_equal(pr, INDEX);
        }
        was_down = jump.active && jump.boolean;
        end_frame(ctx, &f);
        if (press_frame >= 0 && (int64_t)f.index == press_frame) {
            plx_frame_stats s = stats_of(ctx, f.index);
            printf(
                "jump press: lastChangeTime - wake of its frame = %+.3f ms, display time - lastChangeTime = "
                "%.3f ms (XrTime %lld, display %lld)\n",
                (double)(press_change - s.wake) / 1e6, (double)(press_display - press_change) / 1e6,
                (long long)press_change, (long long)press_display);
            /* Synced in this frame's plx_frame_wait, after the pacing sleep, before its display time; 1 ms
             * for the conversion of the wake timestamp. */
            assert_true(s.wake != 0);
            assert_true(press_change >= s.wake - 1000000);
            assert_true(press_change < press_display);
            checked = true;
        }
    }
    assert_true(checked);
    assert_true(press_changed_after_input_sync);
    assert_int_equal(plx_validation_message_count(ctx), 0);

    /* The haptics reached the simulated headset's devices: its report, written when the session ends. The
     * right hand had 0.7 for 30 ms, a stop, then 0.2 at 160 Hz for the shortest pulse (10 ms there); the left
     * hand only the last (no subaction path: both hands). */
    plx_input_destroy(&g_input);
    plx_context_destroy(&g_ctx);
    json_object *report = json_object_from_file(REPORT_PATH);
    if (!report) fail_msg("the simulated headset wrote no report at %s", REPORT_PATH);
    json_object *haptics = NULL, *hand = NULL, *v = NULL;
    assert_true(json_object_object_get_ex(report, "haptics", &haptics));
    const char *names[2] = {"left", "right"};
    const int pulses[2] = {1, 2}, stops[2] = {0, 1};
    const double peak[2] = {0.2, 0.7};
    for (int h = 0; h < 2; h++) {
        assert_true(json_object_object_get_ex(haptics, names[h], &hand));
        printf("haptics %s: %s\n", names[h], json_object_to_json_string(hand));
        assert_true(json_object_object_get_ex(hand, "pulses", &v));
        assert_int_equal(json_object_get_int(v), pulses[h]);
        assert_true(json_object_object_get_ex(hand, "stops", &v));
        assert_int_equal(json_object_get_int(v), stops[h]);
        assert_true(json_object_object_get_ex(hand, "peak_amplitude", &v));
        assert_float_equal(json_object_get_double(v), peak[h], 1e-6);
        assert_true(json_object_object_get_ex(hand, "last_amplitude", &v));
        assert_float_equal(json_object_get_double(v), 0.2, 1e-6);
        assert_true(json_object_object_get_ex(hand, "last_frequency_hz", &v));
        assert_float_equal(json_object_get_double(v), 160.0, 1e-6);
        assert_true(json_object_object_get_ex(hand, "last_duration_ms", &v));
        assert_float_equal(json_object_get_double(v), 10.0, 1e-6);
    }
    json_object_put(report);
}

static void expect(plx_result got, plx_result want, const plx_context *ctx, const char *needle)
{
    const char *msg = plx_last_error(ctx);
    printf("  %s: %s\n", plx_result_string(got), msg);
    assert_int_equal(got, want);
    assert_non_null(strstr(msg, needle));
}

static void creating_after_the_attach_is_refused(void **state)
{
    (void)state;
    plx_context *ctx = make_context(NULL, NULL);
    /* No set: nothing is attached, so frames do not freeze anything. */
    run_frames(ctx, 3);
    /* plx_input and an app set of a higher priority: where both bind a source (the grip pose), the app's
     * action gets it and plx_input's reads inactive (the spec's priority rule); the trigger is plx_input's.
     */
    assert_int_equal(plx_input_create(ctx, NULL, &g_input), PLX_SUCCESS);
    app_actions a;
    declare(ctx, &a, 1);
    assert_int_equal(plx_actions_attach(ctx), PLX_SUCCESS);
    assert_int_equal(plx_actions_attach(ctx), PLX_SUCCESS); /* a second call does nothing */
    printf("after the attach:\n");
    plx_action_set s2;
    plx_action a2;
    plx_input *input = NULL;
    expect(plx_action_set_create(ctx, &(plx_action_set_desc){.name = "late"}, &s2), PLX_ERROR_CALL_ORDER, ctx,
           "plx_action_set_create: the action sets are already attached");
    assert_int_equal(s2.id, 0);
    expect(plx_action_create(ctx, a.set, &(plx_action_desc){.name = "late", .type = PLX_ACTION_BOOLEAN}, &a2),
           PLX_ERROR_CALL_ORDER, ctx, "OpenXR allows one attach per session");
    expect(
        plx_action_suggest_bindings(ctx, SIMPLE, &(plx_action_binding){a.jump, RIGHT "/input/menu/click"}, 1),
        PLX_ERROR_CALL_ORDER, ctx, "plx_action_suggest_bindings: the action sets are already attached");
    expect(plx_input_create(ctx, &(plx_input_desc){.action_set_name = "late_input"}, &input),
           PLX_ERROR_CALL_ORDER, ctx, "plx_input_create: the action sets are already attached");
    assert_null(input);
    /* The frames go on with the attached sets. */
    int synced = 0, shadowed = 0;
    for (int i = 0; i < 5;) {
        plx_frame f;
        plx_events ev;
        if (wait_frame(ctx, &f, &ev) != PLX_SUCCESS) continue;
        plx_action_pose p;
        assert_int_equal(plx_action_get_pose(ctx, a.hand, LEFT, &p), PLX_SUCCESS);
        synced += p.active && p.pose.valid;
        plx_hand_state left;
        if (plx_input_sync(g_input, f.predicted_display_time) == PLX_SUCCESS &&
            plx_input_get_hand(g_input, PLX_HAND_LEFT, &left) == PLX_SUCCESS)
            shadowed += left.active && !left.grip_pose.valid && p.active;
        end_frame(ctx, &f);
        i++;
    }
    printf("frames with the app's grip pose: %d; with plx_input's left grip shadowed by the priority-1 set: "
           "%d\n",
           synced, shadowed);
    assert_true(synced > 0);
    assert_true(shadowed > 0);
    assert_int_equal(plx_validation_message_count(ctx), 0);
}

typedef struct thread_call {
    plx_context *ctx;
    plx_action action;
    plx_result result;
    char message[512];
} thread_call;

static void *read_from_thread(void *p)
{
    thread_call *c = p;
    plx_action_state st;
    c->result = plx_action_get_boolean(c->ctx, c->action, NULL, &st);
    snprintf(c->message, sizeof c->message, "%s", plx_last_error(NULL));
    return NULL;
}

static void misuse_is_refused_by_name(void **state)
{
    (void)state;
    plx_context *ctx = make_context(NULL, NULL);
    app_actions a;
    plx_action_state st;
    printf("misuse:\n");
    expect(plx_action_set_create(NULL, &(plx_action_set_desc){.name = "x"}, &a.set),
           PLX_ERROR_INVALID_ARGUMENT, NULL, "plx_action_set_create: ctx is NULL");
    expect(plx_action_set_create(ctx, &(plx_action_set_desc){0}, &a.set), PLX_ERROR_INVALID_ARGUMENT, ctx,
           "needs a name");
    expect(plx_action_set_create(ctx, &(plx_action_set_desc){.name = "Bad Name"}, &a.set),
           PLX_ERROR_INVALID_ARGUMENT, ctx, "lower-case letters");
    declare(ctx, &a, 0);
    plx_action_set dup;
    expect(
        plx_action_set_create(ctx, &(plx_action_set_desc){.name = "game", .localized_name = "Other"}, &dup),
        PLX_ERROR_INVALID_ARGUMENT, ctx, "the name is taken");
    plx_action bad;
    expect(plx_action_create(ctx, a.set, &(plx_action_desc){.name = "zap", .type = (plx_action_type)9}, &bad),
           PLX_ERROR_INVALID_ARGUMENT, ctx, "is not a plx_action_type");
    expect(plx_action_create(ctx, (plx_action_set){0x5a5a5a5a}, &(plx_action_desc){.name = "zap", .type = 1},
                             &bad),
           PLX_ERROR_INVALID_ARGUMENT, ctx, "is not an action set of this context");
    /* The simulated headset reports each refusal it sees through XR_EXT_debug_utils (counted as validation
     * messages): so far the two names xrCreateActionSet refused ("Bad Name", the duplicate "game"); the
     * refusals libparallax makes from its own checks never reach it. Next, a profile the runtime does not
     * have and a path the simple controller does not have. */
    assert_int_equal(plx_validation_message_count(ctx), 2);
    expect(plx_action_suggest_bindings(ctx, "/interaction_profiles/acme/zapper",
                                       &(plx_action_binding){a.jump, RIGHT "/input/trigger/click"}, 1),
           PLX_ERROR_INVALID_ARGUMENT, ctx, "\"/interaction_profiles/acme/zapper\"");
    plx_action_binding mixed[] = {{a.jump, RIGHT "/input/menu/click"}, {a.jump, RIGHT "/input/b/click"}};
    expect(plx_action_suggest_bindings(ctx, SIMPLE, mixed, 2), PLX_ERROR_INVALID_ARGUMENT, ctx,
           "XR_ERROR_PATH_UNSUPPORTED for interaction profile \"" SIMPLE "\" and path \"" RIGHT
           "/input/b/click\"");
    uint32_t refusals = plx_validation_message_count(ctx);
    printf("  (the runtime's own messages about the refused suggestions: %u)\n", refusals);
    expect(plx_action_suggest_bindings(ctx, SIMPLE, &(plx_action_binding){a.jump, "no good path"}, 1),
           PLX_ERROR_INVALID_ARGUMENT, ctx, "is not a valid path");
    expect(
        plx_action_suggest_bindings(ctx, SIMPLE, &(plx_action_binding){{0x77}, RIGHT "/input/menu/click"}, 1),
        PLX_ERROR_INVALID_ARGUMENT, ctx, "bindings[0]");

    run_frames(ctx, 3);
    expect(plx_action_get_boolean(ctx, (plx_action){0}, NULL, &st), PLX_ERROR_INVALID_ARGUMENT, ctx,
           "action handle 0 is not an action of this context");
    expect(plx_action_get_boolean(ctx, (plx_action){0x12345678}, NULL, &st), PLX_ERROR_INVALID_ARGUMENT, ctx,
           "is not an action of this context");
    expect(plx_action_get_boolean(ctx, (plx_action){a.set.id}, NULL, &st), PLX_ERROR_INVALID_ARGUMENT, ctx,
           "is not an action of this context");
    expect(plx_action_get_boolean(ctx, a.throttle, NULL, &st), PLX_ERROR_INVALID_ARGUMENT, ctx,
           "action \"throttle\" is a PLX_ACTION_FLOAT action; this call reads PLX_ACTION_BOOLEAN");
    assert_false(st.active);
    plx_action_pose p;
    expect(plx_action_get_pose(ctx, a.move, LEFT, &p), PLX_ERROR_INVALID_ARGUMENT, ctx,
           "is a PLX_ACTION_VECTOR2 action");
    expect(plx_action_get_vector2(ctx, a.move, "/user/head", &st), PLX_ERROR_INVALID_ARGUMENT, ctx,
           "was not created with the subaction path \"/user/head\"");
    expect(plx_action_haptic(ctx, a.jump, NULL, 0.5f, 0, 0), PLX_ERROR_INVALID_ARGUMENT, ctx,
           "is a PLX_ACTION_BOOLEAN action; this call reads PLX_ACTION_HAPTIC");
    expect(plx_action_haptic(ctx, a.buzz, NULL, 2.0f, 0, 0), PLX_ERROR_INVALID_ARGUMENT, ctx, "amplitude 2");
    expect(plx_action_get_float(ctx, a.throttle, NULL, NULL), PLX_ERROR_INVALID_ARGUMENT, ctx,
           "out_state is NULL");
    char prof[8];
    expect(plx_actions_get_profile(ctx, "not a path", prof, sizeof prof), PLX_ERROR_INVALID_ARGUMENT, ctx,
           "is not a valid path");

    thread_call c = {.ctx = ctx, .action = a.jump};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, read_from_thread, &c), 0);
    pthread_join(t, NULL);
    printf("  from another thread: %s: %s\n", plx_result_string(c.result), c.message);
    assert_int_equal(c.result, PLX_ERROR_WRONG_THREAD);
    assert_non_null(strstr(c.message, "plx_action_get_boolean: called from a thread other than the context's "
                                      "frame-loop thread"));
    /* The two malformed paths ("no good path", "not a path") reach xrStringToPath, which refuses and reports
     * each; libparallax's other refusals never reach the runtime. */
    assert_int_equal(plx_validation_message_count(ctx), refusals + 2);
}

/* A loss (session or instance) in the middle: the same handles read the new session's presses. */
static void run_loss(const char *faults, const char *line)
{
    /* The script restarts with each session (and the instance fault with each instance): the press at 0.1 s
     * comes before the loss at 0.3 s in every session. */
    plx_context *ctx = make_context("right.select=1@0.1; right.select=0@0.2", faults);
    plx_action_set set;
    plx_action fire, hand;
    assert_int_equal(plx_action_set_create(ctx, &(plx_action_set_desc){.name = "play"}, &set), PLX_SUCCESS);
    assert_int_equal(
        plx_action_create(ctx, set, &(plx_action_desc){.name = "fire", .type = PLX_ACTION_BOOLEAN}, &fire),
        PLX_SUCCESS);
    assert_int_equal(plx_action_create(ctx, set,
                                       &(plx_action_desc){.name = "hand",
                                                          .type = PLX_ACTION_POSE,
                                                          .subaction_paths = hands,
                                                          .subaction_path_count = 2},
                                       &hand),
                     PLX_SUCCESS);
    plx_action_binding b[] = {{fire, RIGHT "/input/select/click"},
                              {hand, LEFT "/input/grip/pose"},
                              {hand, RIGHT "/input/grip/pose"}};
    assert_int_equal(plx_action_suggest_bindings(ctx, SIMPLE, b, 3), PLX_SUCCESS);
    plx_action fire0 = fire;
    int restarts = 0, presses_before = 0, presses_after = 0, poses_after = 0;
    bool down = false;
    for (int frames = 0; frames < 600 && !(presses_after > 0 && poses_after > 5); frames++) {
        plx_frame f;
        plx_events ev;
        plx_result r = wait_frame(ctx, &f, &ev);
        restarts += ev.session_restarted;
        if (r != PLX_SUCCESS) continue;
        plx_action_state st;
        assert_int_equal(plx_action_get_boolean(ctx, fire, NULL, &st), PLX_SUCCESS);
        bool now = st.active && st.boolean;
        if (now && !down) {
            printf("fire pressed in frame %llu, after %d restart%s\n", (unsigned long long)f.index, restarts,
                   restarts == 1 ? "" : "s");
            if (restarts)
                presses_after++;
            else
                presses_before++;
        }
        down = now;
        plx_action_pose p;
        assert_int_equal(plx_action_get_pose(ctx, hand, RIGHT, &p), PLX_SUCCESS);
        if (restarts && p.active && p.pose.valid) poses_after++;
        end_frame(ctx, &f);
    }
    printf("%s: restarts %d, presses before %d, after %d, valid poses after %d\n", faults, restarts,
           presses_before, presses_after, poses_after);
    assert_true(restarts >= 1);
    assert_int_equal(presses_before, 1);
    assert_true(presses_after >= 1);
    assert_true(poses_after > 5);
    assert_int_equal(fire.id, fire0.id);
    assert_non_null(strstr(log_text, line));
    char pr[256];
    assert_int_equal(plx_actions_get_profile(ctx, RIGHT, pr, sizeof pr), PLX_SUCCESS);
    assert_string_equal(pr, SIMPLE);
    assert_int_equal(plx_validation_message_count(ctx), 0);
}

static void actions_work_again_after_a_session_loss(void **state)
{
    (void)state;
    run_loss("session_loss@t=300ms",
             "actions: the OpenXR session was re-created; attaching the action sets again");
}

static void actions_work_again_after_an_instance_loss(void **state)
{
    (void)state;
    run_loss(
        "instance_loss@t=300ms",
        "actions: the OpenXR instance was re-created; making the action sets, actions and bindings again");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(second_profile_reaches_the_app_at_the_right_frame, teardown),
        cmocka_unit_test_teardown(creating_after_the_attach_is_refused, teardown),
        cmocka_unit_test_teardown(misuse_is_refused_by_name, teardown),
        cmocka_unit_test_teardown(actions_work_again_after_a_session_loss, teardown),
        cmocka_unit_test_teardown(actions_work_again_after_an_instance_loss, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
