/* SPDX-License-Identifier: MIT */
/* parallax-input: controllers. Both hands get actions (grip and aim pose, trigger, grip, thumbstick, menu,
 * haptics); each controller is drawn as a small box at its grip pose predicted for the frame's display time,
 * with an aim ray and a thumbstick knob. The box turns green while the trigger is held, blue while the grip
 * is held, and every trigger press plays a haptic pulse on that hand. Run with an OpenXR runtime selected:
 *   XR_RUNTIME_JSON=build/lib/parallax_simulator.json build/bin/parallax-input --frames 300
 * On the simulated headset, drive the controllers from its preview window (PARALLAX_SIM_WINDOW=1) or a
 * script (PARALLAX_SIM_INPUT="right.trigger=1@1; right.trigger=0@2"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <parallax/parallax.h>

static const char usage[] =
    "usage: parallax-input [--frames N] [--profile simple|touch|both] [--help]\n"
    "  --frames N   run N frames, then end the session cleanly and exit\n"
    "  --profile P  suggest bindings for the simple controller, the touch controller or\n"
    "               both (default; the runtime picks the one it has)\n"
    "Prints each trigger, grip and menu press and a summary with the final hand poses.\n";

static const char *const hand_name[2] = {"left", "right"};

/* The scene objects of one controller. Colour is fixed per object, so the three body colours are three
 * boxes of which only the one that shows the state is placed at the hand; the others wait far below. */
typedef struct controller_model {
    uint32_t body[3]; /* idle, trigger held, grip held */
    uint32_t ray, knob;
} controller_model;

enum { BODY_IDLE = 0, BODY_TRIGGER = 1, BODY_GRIP = 2 };

static const float hidden[3] = {0.0f, -1000.0f, 0.0f};

static int fail(plx_context *ctx, const char *what)
{
    fprintf(stderr, "parallax-input: %s: %s\n", what, plx_last_error(ctx));
    return 1;
}

static plx_result add_cube(plx_scene *scene, const float scale[3], float r, float g, float b, uint32_t *id)
{
    plx_cube_desc cube = {.transform = {.position = {hidden[0], hidden[1], hidden[2]}}, .color = {r, g, b}};
    memcpy(cube.transform.scale, scale, sizeof(cube.transform.scale));
    return plx_scene_add_cube(scene, &cube, id);
}

static plx_result build_scene(plx_scene *scene, controller_model models[2])
{
    /* A few world-locked boxes to reach for, so the controllers have something to be seen against. */
    for (int i = 0; i < 5; i++) {
        float a = ((float)i - 2.0f) * 0.5f;
        plx_cube_desc cube = {.transform = {.position = {1.5f * sinf(a), -0.5f, -1.5f * cosf(a)},
                                            .scale = {0.25f, 0.25f, 0.25f}},
                              .color = {0.7f, 0.6f, 0.3f}};
        plx_result r = plx_scene_add_cube(scene, &cube, NULL);
        if (r < 0) return r;
    }
    const float body[3] = {0.05f, 0.04f, 0.14f}, ray[3] = {0.006f, 0.006f, 0.5f},
                knob[3] = {0.02f, 0.02f, 0.02f};
    for (int h = 0; h < 2; h++) {
        plx_result r;
        if ((r = add_cube(scene, body, 0.55f, 0.55f, 0.6f, &models[h].body[BODY_IDLE])) < 0 ||
            (r = add_cube(scene, body, 0.1f, 0.85f, 0.2f, &models[h].body[BODY_TRIGGER])) < 0 ||
            (r = add_cube(scene, body, 0.15f, 0.35f, 0.95f, &models[h].body[BODY_GRIP])) < 0 ||
            (r = add_cube(scene, ray, 0.95f, 0.9f, 0.3f, &models[h].ray)) < 0 ||
            (r = add_cube(scene, knob, 0.9f, 0.9f, 0.9f, &models[h].knob)) < 0)
            return r;
    }
    return PLX_SUCCESS;
}

/* Rotates v by the unit quaternion q (x, y, z, w). */
static void rotate(const float q[4], const float v[3], float out[3])
{
    float t[3] = {2.0f * (q[1] * v[2] - q[2] * v[1]), 2.0f * (q[2] * v[0] - q[0] * v[2]),
                  2.0f * (q[0] * v[1] - q[1] * v[0])};
    out[0] = v[0] + q[3] * t[0] + (q[1] * t[2] - q[2] * t[1]);
    out[1] = v[1] + q[3] * t[1] + (q[2] * t[0] - q[0] * t[2]);
    out[2] = v[2] + q[3] * t[2] + (q[0] * t[1] - q[1] * t[0]);
}

/* A transform at pose p moved by local offset (in p's frame). */
static plx_transform at(const plx_tracked_pose *p, const float offset[3], const float scale[3])
{
    plx_transform t;
    float d[3];
    rotate(p->orientation, offset, d);
    for (int i = 0; i < 3; i++) t.position[i] = p->position[i] + d[i];
    memcpy(t.orientation, p->orientation, sizeof(t.orientation));
    memcpy(t.scale, scale, sizeof(t.scale));
    return t;
}

static void place_controller(plx_scene *scene, const controller_model *m, const plx_hand_state *st)
{
    static const float body[3] = {0.05f, 0.04f, 0.14f}, ray[3] = {0.006f, 0.006f, 0.5f},
                       knob[3] = {0.02f, 0.02f, 0.02f};
    const plx_transform away = {.position = {hidden[0], hidden[1], hidden[2]}};
    int shown = !st->active           ? -1
                : st->trigger_pressed ? BODY_TRIGGER
                : st->grip_pressed    ? BODY_GRIP
                                      : BODY_IDLE;
    for (int i = 0; i < 3; i++) {
        plx_transform t = away;
        if (i == shown && st->grip_pose.valid) t = at(&st->grip_pose, (const float[3]){0, 0, 0.03f}, body);
        plx_scene_set_transform(scene, m->body[i], &t);
    }
    /* The ray starts at the aim pose and runs 0.5 m along its -Z. */
    plx_transform r = away, k = away;
    if (st->active && st->aim_pose.valid) r = at(&st->aim_pose, (const float[3]){0, 0, -0.25f}, ray);
    /* The knob sits on top of the box and leans with the thumbstick. */
    if (st->active && st->grip_pose.valid)
        k = at(&st->grip_pose,
               (const float[3]){0.015f * st->thumbstick[0], 0.03f, -0.01f - 0.015f * st->thumbstick[1]},
               knob);
    plx_scene_set_transform(scene, m->ray, &r);
    plx_scene_set_transform(scene, m->knob, &k);
}

int main(int argc, char **argv)
{
    long frames = -1;
    plx_input_desc input_desc = {0};
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (!strcmp(argv[i], "--help")) return fputs(usage, stdout), 0;
        if (!strcmp(argv[i], "--profile") && i + 1 < argc) {
            const char *p = argv[++i];
            input_desc.profiles = !strcmp(p, "simple")  ? PLX_INPUT_PROFILE_SIMPLE
                                  : !strcmp(p, "touch") ? PLX_INPUT_PROFILE_TOUCH
                                  : !strcmp(p, "both")  ? PLX_INPUT_PROFILE_SIMPLE | PLX_INPUT_PROFILE_TOUCH
                                                        : 0;
            if (input_desc.profiles) continue;
        }
        if (!strcmp(argv[i], "--frames") && i + 1 < argc && (frames = strtol(argv[++i], &end, 10)) > 0 &&
            !*end)
            continue;
        return fputs(usage, stderr), 2;
    }
    plx_context *ctx = NULL;
    if (plx_context_create(&(plx_context_desc){.app_name = "parallax-input"}, &ctx) != PLX_SUCCESS)
        return fail(NULL, "cannot start");
    plx_scene *scene = NULL;
    plx_input *input = NULL;
    controller_model models[2];
    int status = 0;
    if (plx_scene_create(ctx, NULL, &scene) != PLX_SUCCESS || build_scene(scene, models) != PLX_SUCCESS)
        status = fail(ctx, "scene");
    else if (plx_input_create(ctx, &input_desc, &input) != PLX_SUCCESS)
        status = fail(ctx, "input");

    long done = 0, presses[2] = {0, 0}, grips[2] = {0, 0}, menus[2] = {0, 0}, pulses = 0;
    plx_hand_state hands[2] = {{0}};
    bool was_grip[2] = {false, false};
    plx_events ev = {0};
    while (status == 0 && plx_poll(ctx, &ev) >= 0 && !ev.should_quit) {
        plx_frame frame;
        plx_result r = plx_frame_wait(ctx, &frame);
        if (r == PLX_SUCCESS && (r = plx_input_sync(input, frame.predicted_display_time)) >= 0) {
            for (int h = 0; h < 2; h++) {
                plx_input_get_hand(input, (plx_hand)h, &hands[h]);
                const plx_hand_state *st = &hands[h];
                if (st->trigger_pressed_now) {
                    presses[h]++;
                    /* A firmer pulse for a harder pull; 80 ms is felt but does not blur into the next. */
                    plx_result hr =
                        plx_input_haptic(input, (plx_hand)h, 0.4f + 0.6f * st->trigger, 0, 80000000);
                    if (hr < 0) r = hr;
                    if (hr == PLX_SUCCESS) pulses++;
                    printf("frame %ld: %s trigger pressed (%.2f) -> haptic pulse\n", done, hand_name[h],
                           (double)st->trigger);
                }
                if (st->trigger_released_now) printf("frame %ld: %s trigger released\n", done, hand_name[h]);
                if (st->grip_pressed && !was_grip[h]) {
                    grips[h]++;
                    printf("frame %ld: %s grip pressed (%.2f)\n", done, hand_name[h], (double)st->grip);
                }
                was_grip[h] = st->grip_pressed;
                if (st->menu_pressed_now) {
                    menus[h]++;
                    printf("frame %ld: %s menu pressed\n", done, hand_name[h]);
                }
                place_controller(scene, &models[h], st);
            }
            if (r >= 0) r = plx_frame_begin(ctx, &frame);
            if (r >= 0) {
                if (r == PLX_SUCCESS) plx_scene_draw(scene, &frame);
                r = plx_frame_end(ctx, &frame);
                if (r == PLX_SUCCESS && ++done == frames) r = plx_request_exit(ctx);
            }
        }
        if (r < 0) break;
    }
    if (status == 0 && !ev.should_quit) status = fail(ctx, "frame loop");
    if (input) {
        printf("profiles: left %s, right %s\n", plx_input_profile(input, PLX_HAND_LEFT),
               plx_input_profile(input, PLX_HAND_RIGHT));
        printf("trigger presses: left %ld, right %ld; grip presses: left %ld, right %ld; menu presses: left "
               "%ld, "
               "right %ld; haptic pulses %ld\n",
               presses[0], presses[1], grips[0], grips[1], menus[0], menus[1], pulses);
        for (int h = 0; h < 2; h++) {
            const plx_tracked_pose *p = &hands[h].grip_pose;
            printf("%s grip pose: %s position %.3f %.3f %.3f orientation %.3f %.3f %.3f %.3f\n", hand_name[h],
                   p->valid ? "valid" : "invalid", (double)p->position[0], (double)p->position[1],
                   (double)p->position[2], (double)p->orientation[0], (double)p->orientation[1],
                   (double)p->orientation[2], (double)p->orientation[3]);
        }
    }
    plx_input_destroy(&input);
    plx_scene_destroy(&scene);
    plx_context_destroy(&ctx);
    return status;
}
