/* SPDX-License-Identifier: MIT */
/* parallax-hello: the smallest Parallax app. A floor grid and a few dozen lit cubes in stereo; a red cube
 * straight ahead at 2 m. Run with an OpenXR runtime selected, e.g.
 *   XR_RUNTIME_JSON=build/lib/parallax_simulator.json build/bin/parallax-hello --frames 300 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <parallax/parallax.h>

static const char usage[] = "usage: parallax-hello [--frames N] [--help]\n"
                            "  --frames N  run N frames, then end the session cleanly and exit\n";

/* Four rows of cubes in a rising arc around the viewer (who looks down -Z), 1.8 to 3.9 m away, and the red
 * stereo-disparity target straight ahead (no other cube is red). */
static void build_scene(plx_scene *scene)
{
    static const float palette[6][3] = {{0.2f, 0.5f, 0.9f},  {0.3f, 0.8f, 0.4f},   {0.9f, 0.75f, 0.2f},
                                        {0.6f, 0.4f, 0.85f}, {0.25f, 0.75f, 0.8f}, {0.8f, 0.8f, 0.8f}};
    for (int i = 0; i < 48; i++) {
        float row = (float)(i / 12), col = (float)(i % 12), turn = 0.3f * (float)i;
        float yaw = (col - 5.5f + 0.5f * (float)(i / 12 % 2)) * 0.27f, dist = 1.8f + 0.7f * row;
        plx_cube_desc cube = {
            .transform = {.position = {dist * sinf(yaw), -0.8f + 0.5f * row, -dist * cosf(yaw)},
                          .orientation = {0, sinf(turn), 0, cosf(turn)},
                          .scale = {0.4f, 0.4f, 0.4f}}};
        memcpy(cube.color, palette[i % 6], sizeof cube.color);
        plx_scene_add_cube(scene, &cube, NULL);
    }
    plx_scene_add_cube(scene,
                       &(plx_cube_desc){.transform = {.position = {0, 0, -2}, .scale = {0.3f, 0.3f, 0.3f}},
                                        .color = {0.9f, 0.05f, 0.04f}},
                       NULL);
}

int main(int argc, char **argv)
{
    long frames = -1, done = 0;
    char *end = NULL;
    if (argc == 2 && !strcmp(argv[1], "--help")) return fputs(usage, stdout), 0;
    if (argc > 1 &&
        !(argc == 3 && !strcmp(argv[1], "--frames") && (frames = strtol(argv[2], &end, 10)) > 0 && !*end))
        return fputs(usage, stderr), 2;

    plx_context *ctx = NULL;
    plx_scene *scene = NULL;
    if (plx_context_create(&(plx_context_desc){.app_name = "parallax-hello"}, &ctx) != PLX_SUCCESS ||
        plx_scene_create(ctx, NULL, &scene) != PLX_SUCCESS) {
        fprintf(stderr, "parallax-hello: cannot start: %s\n", plx_last_error(ctx));
        plx_context_destroy(&ctx);
        return 1;
    }
    build_scene(scene);

    plx_events ev = {0};
    while (plx_poll(ctx, &ev) >= 0 && !ev.should_quit) {
        plx_frame frame;
        plx_result r = plx_frame_wait(ctx, &frame);
        if (r == PLX_SUCCESS) r = plx_frame_begin(ctx, &frame);
        /* parallax.h's rule: end only a frame begun with PLX_SUCCESS or PLX_FRAME_SKIPPED; after anything
         * else the library has already let the frame go, and the loop simply polls and waits again. */
        if (r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED) {
            if (r == PLX_SUCCESS) plx_scene_draw(scene, &frame); /* PLX_FRAME_SKIPPED: draw nothing */
            r = plx_frame_end(ctx, &frame);
            if (r == PLX_SUCCESS && ++done == frames) r = plx_request_exit(ctx);
        }
        if (r < 0) break;
    }
    int status = ev.should_quit ? 0 : 1;
    if (status) fprintf(stderr, "parallax-hello: frame loop: %s\n", plx_last_error(ctx));
    plx_summary s;
    if (plx_stats_summary(ctx, &s) == PLX_SUCCESS)
        printf("frames %llu  cpu mean %.2f ms p99 %.2f ms  gpu mean %.2f ms p99 %.2f ms\n",
               (unsigned long long)s.frames, s.cpu_mean_ms, s.cpu_p99_ms, s.gpu_mean_ms, s.gpu_p99_ms);
    plx_scene_destroy(&scene);
    plx_context_destroy(&ctx);
    return status;
}
