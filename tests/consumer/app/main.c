/* SPDX-License-Identifier: MIT */
/* An app outside the Parallax tree, as an integrator writes one: only <parallax/parallax.h>, built against an
 * installed Parallax (find_package or pkg-config) or a Parallax subproject. It checks that the headers and
 * the library it runs with agree on the version, runs N frames (default 120) of a one-cube scene and exits 0
 * when the session ended cleanly with no validation message.
 *   XR_RUNTIME_JSON=<prefix>/share/openxr/1/parallax_simulator.json ./consumer 120 */
#include <stdio.h>
#include <stdlib.h>
#include <parallax/parallax.h>

int main(int argc, char **argv)
{
    long frames = argc > 1 ? strtol(argv[1], NULL, 10) : 120, done = 0;
    if (frames <= 0) return fprintf(stderr, "usage: consumer [FRAMES]\n"), 2;

    uint32_t lib = plx_version();
    printf("consumer: headers %s (PLX_VERSION %u), library %u.%u.%u (plx_version() %u)\n", PLX_VERSION_STRING,
           (unsigned)PLX_VERSION, (unsigned)(lib / 10000), (unsigned)(lib / 100 % 100), (unsigned)(lib % 100),
           (unsigned)lib);
    if (lib / 10000 != PLX_VERSION_MAJOR || lib < PLX_VERSION) {
        fprintf(stderr, "consumer: libparallax %u cannot run an app built with headers %u\n", (unsigned)lib,
                (unsigned)PLX_VERSION);
        return 1;
    }

    plx_context *ctx = NULL;
    plx_scene *scene = NULL;
    if (plx_context_create(&(plx_context_desc){.app_name = "parallax-consumer"}, &ctx) != PLX_SUCCESS ||
        plx_scene_create(ctx, NULL, &scene) != PLX_SUCCESS ||
        plx_scene_add_cube(scene, &(plx_cube_desc){.transform = {.position = {0, 0, -2}}}, NULL) !=
            PLX_SUCCESS) {
        fprintf(stderr, "consumer: cannot start: %s\n", plx_last_error(ctx));
        plx_scene_destroy(&scene);
        plx_context_destroy(&ctx);
        return 1;
    }
    plx_events ev = {0};
    while (plx_poll(ctx, &ev) >= 0 && !ev.should_quit) {
        plx_frame frame;
        plx_result r = plx_frame_wait(ctx, &frame);
        if (r == PLX_SUCCESS && (r = plx_frame_begin(ctx, &frame)) >= 0) {
            if (r == PLX_SUCCESS) plx_scene_draw(scene, &frame);
            r = plx_frame_end(ctx, &frame);
            if (r == PLX_SUCCESS && ++done == frames) r = plx_request_exit(ctx);
        }
        if (r < 0) break;
    }
    uint32_t messages = plx_validation_message_count(ctx);
    int ok = ev.should_quit && done == frames && messages == 0;
    printf("consumer: %ld frames rendered, session ended %s, %u validation messages\n", done,
           ev.should_quit ? "cleanly" : "NOT cleanly", (unsigned)messages);
    if (!ok) fprintf(stderr, "consumer: FAILED: %s\n", plx_last_error(ctx));
    plx_scene_destroy(&scene);
    plx_context_destroy(&ctx);
    return ok ? 0 : 1;
}
