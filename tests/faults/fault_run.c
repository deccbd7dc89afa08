/* SPDX-License-Identifier: MIT */
/* plx-fault-run: runs the built-in scene through libparallax on the simulated headset while the faults in
 * PARALLAX_SIM_FAULTS hit it, and checks that the runtime came through: the wanted number of frames ended,
 * every expected recovery and state was seen, no error result (or, with --expect-errors, the loop went on
 * after each one as parallax.h's rule says: plx_poll, then plx_frame_wait), no validation message, and the
 * simulated headset's report (PARALLAX_SIM_REPORT, a file of its own unless set) shows the OpenXR protocol
 * kept: no call out of the spec's order, never more than one image of a swapchain acquired at once, none
 * left acquired, and the session ended with xrEndSession.
 *
 *   plx-fault-run --frames N [--expect-session-restarts N] [--expect-instance-restarts N]
 *                 [--expect-unfocused] [--expect-hidden] [--expect-idle] [--max-clamp-logs N]
 *                 [--max-seconds S] [--expect-errors N] [--expect-error-text TEXT] [--expect-give-up]
 *                 [--poll-mid-frame] [--expect-attempts N] [--expect-wait-ahead]
 *
 * --expect-attempts N: recovery's re-creation failed exactly N times before it succeeded (or gave up), each
 * warning naming its back-off ("next in D ms"), and each attempt after a failure came no sooner than that
 * back-off (a lower bound the library's own wait guarantees however loaded the machine is).
 *
 * Prints one summary line (frames, restarts, states seen, errors, idle CPU use) and exits 0 when every
 * expectation held. The idle CPU figure is printed, and bounded only generously (20% of a core), since the
 * machine is shared and noisy; the target is under 2%. A frame loop that stops coming back (a call blocked
 * for good) is reported after --max-seconds plus 15 s and the run fails, rather than waiting for ctest's
 * timeout. */
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "parallax/parallax.h"

#define MAX_ATTEMPTS 32

typedef struct run_log {
    int clamp_lines; /* "implausible ... clamped" warnings from the timing guard */
    int restart_lines;
    int attempt_lines;                   /* "recovery: attempt N ... failed ...; next in D ms" */
    double attempt_at[MAX_ATTEMPTS];     /* when each was logged (s, CLOCK_MONOTONIC) */
    long attempt_delay_ms[MAX_ATTEMPTS]; /* the back-off it announced */
    double done_at;                      /* when recovery succeeded or gave up (0: not yet) */
} run_log;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void log_sink(void *user, plx_log_level level, const char *message)
{
    run_log *rl = user;
    if (strstr(message, "implausible")) rl->clamp_lines++;
    if (strstr(message, "re-created after a loss")) {
        rl->restart_lines++;
        if (rl->done_at == 0) rl->done_at = now_s();
    }
    const char *next = strstr(message, "; next in ");
    if (strstr(message, "recovery: attempt ") && next && rl->attempt_lines < MAX_ATTEMPTS) {
        rl->attempt_at[rl->attempt_lines] = now_s();
        rl->attempt_delay_ms[rl->attempt_lines] = strtol(next + strlen("; next in "), NULL, 10);
        rl->attempt_lines++;
    }
    fprintf(stderr, "parallax[%d]: %s\n", (int)level, message);
}

/* --expect-attempts: the count, and each attempt no sooner than the back-off the one before announced. The
 * time of a log line is taken after the attempt it reports, so the gap between two lines is at least the
 * back-off (the first attempt of the next try comes after it, and its line after that attempt). */
static bool attempts_backed_off(const run_log *rl, long want)
{
    bool ok = true;
    if (rl->attempt_lines != want) {
        fprintf(stderr, "FAIL: %d failed re-creation attempts logged, expected %ld\n", rl->attempt_lines,
                want);
        ok = false;
    }
    for (int i = 0; i < rl->attempt_lines; i++) {
        double next = i + 1 < rl->attempt_lines ? rl->attempt_at[i + 1] : rl->done_at;
        double gap_ms = (next - rl->attempt_at[i]) * 1e3;
        printf("re-creation attempt %d failed: back-off %ld ms, next attempt after %.0f ms\n", i + 1,
               rl->attempt_delay_ms[i], next > 0 ? gap_ms : -1.0);
        if (rl->attempt_delay_ms[i] < 100) {
            fprintf(stderr, "FAIL: attempt %d announced a back-off of %ld ms (at least 100 expected)\n",
                    i + 1, rl->attempt_delay_ms[i]);
            ok = false;
        }
        if (i > 0 && rl->attempt_delay_ms[i] < rl->attempt_delay_ms[i - 1]) {
            fprintf(stderr, "FAIL: the back-off shrank (%ld -> %ld ms)\n", rl->attempt_delay_ms[i - 1],
                    rl->attempt_delay_ms[i]);
            ok = false;
        }
        if (next <= 0 || gap_ms < (double)rl->attempt_delay_ms[i]) {
            fprintf(stderr,
                    "FAIL: the attempt after attempt %d came %.0f ms later, before its %ld ms back-off\n",
                    i + 1, gap_ms, rl->attempt_delay_ms[i]);
            ok = false;
        }
    }
    return ok;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec * 1e-6;
}

static void stuck(int sig)
{
    (void)sig;
    static const char msg[] = "FAIL: the frame loop has not come back for --max-seconds + 15 s: a call is "
                              "blocked for good (see the simulated headset's call-order lines above)\n";
    if (write(2, msg, sizeof msg - 1) < 0) _exit(1);
    _exit(1);
}

/* The simulated headset's verdict on the OpenXR protocol, from its report (written when the session ends). */
static bool protocol_kept(const char *path)
{
    json_object *root = json_object_from_file(path);
    json_object *p = NULL, *v = NULL;
    if (!root || !json_object_object_get_ex(root, "protocol", &p)) {
        fprintf(stderr, "FAIL: the simulated headset's report %s has no \"protocol\" object\n", path);
        json_object_put(root);
        return false;
    }
    bool ok = true;
    int64_t violations =
        json_object_object_get_ex(p, "call_order_violations", &v) ? json_object_get_int64(v) : -1;
    int64_t max_held =
        json_object_object_get_ex(p, "max_images_acquired", &v) ? json_object_get_int64(v) : -1;
    int64_t held_at_end =
        json_object_object_get_ex(p, "images_acquired_at_end", &v) ? json_object_get_int64(v) : -1;
    const char *end = json_object_object_get_ex(p, "session_end", &v) ? json_object_get_string(v) : "?";
    printf(
        "protocol: call-order violations %lld, most images of a swapchain held at once %lld, held at the end "
        "%lld, session ended by %s\n",
        (long long)violations, (long long)max_held, (long long)held_at_end, end);
    if (violations != 0) {
        fprintf(stderr, "FAIL: the simulated headset saw %lld calls out of the spec's order\n",
                (long long)violations);
        ok = false;
    }
    if (max_held != 1) {
        fprintf(stderr,
                "FAIL: %lld images of one swapchain were acquired at once (libparallax holds 1 per frame)\n",
                (long long)max_held);
        ok = false;
    }
    if (held_at_end != 0) {
        fprintf(stderr, "FAIL: %lld images were still acquired when the session ended\n",
                (long long)held_at_end);
        ok = false;
    }
    if (strcmp(end, "xrEndSession") != 0) {
        fprintf(stderr, "FAIL: the last session ended by %s, not xrEndSession\n", end);
        ok = false;
    }
    json_object_put(root);
    return ok;
}

static long arg_long(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "plx-fault-run: %s needs a value\n", argv[*i]);
        exit(2);
    }
    char *end = NULL;
    long v = strtol(argv[++*i], &end, 10);
    if (!end || *end || v < 0) {
        fprintf(stderr, "plx-fault-run: %s: \"%s\" is not a whole number >= 0\n", argv[*i - 1], argv[*i]);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    long frames = 300, want_session = 0, want_instance = 0, max_clamp = -1, max_seconds = 120,
         want_errors = 0;
    bool want_unfocused = false, want_hidden = false, want_idle = false, want_give_up = false;
    long want_attempts = -1;
    bool poll_mid_frame = false, want_wait_ahead = false;
    const char *want_error_text = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--frames"))
            frames = arg_long(argc, argv, &i);
        else if (!strcmp(argv[i], "--expect-session-restarts"))
            want_session = arg_long(argc, argv, &i);
        else if (!strcmp(argv[i], "--expect-instance-restarts"))
            want_instance = arg_long(argc, argv, &i);
        else if (!strcmp(argv[i], "--max-clamp-logs"))
            max_clamp = arg_long(argc, argv, &i);
        else if (!strcmp(argv[i], "--max-seconds"))
            max_seconds = arg_long(argc, argv, &i);
        else if (!strcmp(argv[i], "--expect-unfocused"))
            want_unfocused = true;
        else if (!strcmp(argv[i], "--expect-hidden"))
            want_hidden = true;
        else if (!strcmp(argv[i], "--expect-idle"))
            want_idle = true;
        else if (!strcmp(argv[i], "--expect-wait-ahead"))
            want_wait_ahead = true;
        else if (!strcmp(argv[i], "--expect-errors"))
            want_errors = arg_long(argc, argv, &i);
        else if (!strcmp(argv[i], "--expect-attempts"))
            want_attempts = arg_long(argc, argv, &i);
        else if (!strcmp(argv[i], "--expect-give-up"))
            want_give_up = true;
        else if (!strcmp(argv[i], "--poll-mid-frame"))
            poll_mid_frame = true;
        else if (!strcmp(argv[i], "--expect-error-text") && i + 1 < argc)
            want_error_text = argv[++i];
        else if (!strcmp(argv[i], "--help")) {
            printf(
                "usage: plx-fault-run --frames N [--expect-session-restarts N] "
                "[--expect-instance-restarts N]\n"
                "       [--expect-unfocused] [--expect-hidden] [--expect-idle] [--max-clamp-logs N]\n"
                "       [--max-seconds S] [--expect-errors N] [--expect-error-text TEXT] [--expect-give-up]\n"
                "       [--expect-attempts N] [--expect-wait-ahead]\n"
                "       (faults come from PARALLAX_SIM_FAULTS)\n");
            return 0;
        } else {
            fprintf(stderr, "plx-fault-run: unknown argument \"%s\" (see --help)\n", argv[i]);
            return 2;
        }
    }
    printf("faults: %s\n", getenv("PARALLAX_SIM_FAULTS") ? getenv("PARALLAX_SIM_FAULTS") : "(none)");
    /* The simulated headset's report, for its protocol verdict. */
    char report_path[256];
    if (getenv("PARALLAX_SIM_REPORT") && *getenv("PARALLAX_SIM_REPORT")) {
        snprintf(report_path, sizeof report_path, "%s", getenv("PARALLAX_SIM_REPORT"));
    } else {
        snprintf(report_path, sizeof report_path, "/tmp/plx-fault-run-%ld.json", (long)getpid());
        setenv("PARALLAX_SIM_REPORT", report_path, 1);
    }
    remove(report_path);
    signal(SIGALRM, stuck);
    alarm((unsigned)max_seconds + 15);

    run_log rl = {0};
    plx_context *ctx = NULL;
    plx_result r = plx_context_create(
        &(plx_context_desc){.app_name = "fault-run", .validation = true, .log_fn = log_sink, .log_user = &rl},
        &ctx);
    if (r != PLX_SUCCESS) {
        fprintf(stderr, "FAIL: plx_context_create: %s: %s\n", plx_result_string(r), plx_last_error(NULL));
        return 1;
    }
    plx_scene *scene = NULL;
    if ((r = plx_scene_create(ctx, NULL, &scene)) != PLX_SUCCESS) {
        fprintf(stderr, "FAIL: plx_scene_create: %s\n", plx_last_error(ctx));
        plx_context_destroy(&ctx);
        return 1;
    }
    uint32_t cube = 0;
    plx_scene_add_cube(
        scene, &(plx_cube_desc){.transform = {.position = {0, 0, -2}}, .color = {0.8f, 0.1f, 0.1f}}, &cube);

    long ended = 0, skipped = 0, session_restarts = 0, instance_restarts = 0, errors = 0;
    bool saw_unfocused = false, saw_hidden = false, saw_idle = false, failed = false, exit_asked = false;
    bool saw_error_text = false, gave_up = false;
    long mid_frame_drops =
        0; /* --poll-mid-frame: polls between begin and end that found the session stopped */
    /* CPU use while no frames run (IDLE/STOPPING/READY waits and recovery back-off): the loop below must
     * sleep, not spin. */
    double idle_wall = 0, idle_cpu = 0, mark_wall = 0, mark_cpu = 0;
    bool in_idle = false;
    double start = now_s();
    plx_events ev = {0};
    for (;;) {
        r = plx_poll(ctx, &ev);
        if (r < 0 && ev.should_quit && want_give_up) {
            /* Recovery gave up: one clear error, and should_quit. Errors are returned, not logged: the
             * attempt that gave up came before this poll returned. */
            if (rl.done_at == 0) rl.done_at = now_s();
            printf("plx_poll gave up: %s: %s\n", plx_result_string(r), plx_last_error(ctx));
            if (want_error_text && strstr(plx_last_error(ctx), want_error_text)) saw_error_text = true;
            gave_up = true;
            break;
        }
        if (r < 0) {
            fprintf(stderr, "FAIL: plx_poll: %s: %s\n", plx_result_string(r), plx_last_error(ctx));
            failed = true;
            break;
        }
        if (ev.session_restarted) session_restarts++;
        if (ev.instance_restarted) instance_restarts++;
        if (ev.should_quit) break;
        /* States the faults cause, not the walk down to STOPPING after the exit request. */
        if (!exit_asked && ended > 0) {
            if (ev.running && !ev.focused && ev.visible) saw_unfocused = true;
            if (ev.running && !ev.visible && ev.state == PLX_STATE_SYNCHRONIZED) saw_hidden = true;
            if (ev.state == PLX_STATE_IDLE) saw_idle = true;
        }
        bool idle_now = !ev.running && ended > 0;
        if (idle_now && !in_idle) {
            mark_wall = now_s();
            mark_cpu = cpu_s();
        } else if (!idle_now && in_idle) {
            idle_wall += now_s() - mark_wall;
            idle_cpu += cpu_s() - mark_cpu;
        }
        in_idle = idle_now;
        if (now_s() - start > (double)max_seconds) {
            fprintf(stderr, "FAIL: %ld of %ld frames after %ld s (state %d)\n", ended, frames, max_seconds,
                    (int)ev.state);
            failed = true;
            break;
        }
        plx_frame frame;
        r = plx_frame_wait(ctx, &frame);
        if (r == PLX_SUCCESS) {
            r = plx_frame_begin(ctx, &frame);
            if (r == PLX_SUCCESS) {
                plx_scene_set_transform(
                    scene, cube,
                    &(plx_transform){.position = {0, 0, -2}, .orientation = {0, 0.38268f, 0, 0.92388f}});
                r = plx_scene_draw(scene, &frame);
            } else if (r == PLX_FRAME_SKIPPED) {
                skipped++;
            }
            bool end = r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED;
            if (end && poll_mid_frame) {
                /* An app that polls between begin and end: a session that stops (or is lost) now drops the
                 * frame, and plx_frame_end answers PLX_SESSION_NOT_RUNNING. */
                plx_events mid = {0};
                plx_result pr = plx_poll(ctx, &mid);
                if (pr < 0) {
                    fprintf(stderr, "FAIL: plx_poll mid-frame: %s: %s\n", plx_result_string(pr),
                            plx_last_error(ctx));
                    failed = true;
                    break;
                }
                if (mid.session_restarted) session_restarts++;
                if (mid.instance_restarted) instance_restarts++;
                if (!exit_asked && mid.state == PLX_STATE_IDLE) saw_idle = true;
                if (!mid.running) mid_frame_drops++;
            }
            /* parallax.h: plx_frame_end only for a frame plx_frame_begin returned SUCCESS or SKIPPED for. */
            if (end) r = plx_frame_end(ctx, &frame);
            if (r == PLX_SUCCESS) ended++;
        }
        if (r < 0 && want_errors > 0) {
            /* parallax.h's one rule after a failure: poll and wait again; nothing else to undo. */
            errors++;
            printf("frame loop error %ld: %s: %s\n", errors, plx_result_string(r), plx_last_error(ctx));
            if (want_error_text && strstr(plx_last_error(ctx), want_error_text)) saw_error_text = true;
            if (errors > 100) {
                fprintf(stderr, "FAIL: more than 100 frame-loop errors: the loop does not recover\n");
                failed = true;
                break;
            }
            continue;
        }
        if (r < 0) {
            fprintf(stderr, "FAIL: frame loop: %s: %s\n", plx_result_string(r), plx_last_error(ctx));
            failed = true;
            break;
        }
        if (ended >= frames && !exit_asked) {
            plx_request_exit(ctx);
            exit_asked = true;
        }
    }
    if (in_idle) {
        idle_wall += now_s() - mark_wall;
        idle_cpu += cpu_s() - mark_cpu;
    }
    uint32_t validation = plx_validation_message_count(ctx);
    /* Frames whose next xrWaitFrame the waiter thread called (pacing.c), across every session of the run. */
    plx_latency_info lat = {0};
    plx_get_latency_info(ctx, &lat);
    double idle_pct = idle_wall > 0.05 ? 100.0 * idle_cpu / idle_wall : 0.0;
    printf(
        "frames ended %ld (skipped %ld) in %.1f s; session restarts %ld, instance restarts %ld; unfocused %d "
        "hidden %d idle %d; idle %.2f s at %.1f%% CPU (target < 2%%); timing clamp logs %d; validation "
        "messages %u; frame-loop errors %ld; frames dropped by a mid-frame poll %ld; frames waited ahead "
        "%llu\n",
        ended, skipped, now_s() - start, session_restarts, instance_restarts, saw_unfocused, saw_hidden,
        saw_idle, idle_wall, idle_pct, rl.clamp_lines, validation, errors, mid_frame_drops,
        (unsigned long long)lat.frames_waited_ahead);
    plx_scene_destroy(&scene);
    plx_context_destroy(&ctx);
    alarm(0);
    if (want_attempts >= 0 && !attempts_backed_off(&rl, want_attempts)) failed = true;
    if (want_give_up) {
        if (!gave_up) {
            fprintf(stderr, "FAIL: recovery never gave up\n");
            failed = true;
        }
        if (want_error_text && !saw_error_text) {
            fprintf(stderr, "FAIL: no error naming \"%s\"\n", want_error_text);
            failed = true;
        }
        if (validation) {
            fprintf(stderr, "FAIL: %u validation messages\n", validation);
            failed = true;
        }
        printf("%s\n", failed ? "FAILED" : "PASSED");
        return failed ? 1 : 0;
    }
    if (!protocol_kept(report_path)) failed = true;
    if (!getenv("PLX_FAULT_RUN_KEEP_REPORT") && strncmp(report_path, "/tmp/plx-fault-run-", 19) == 0)
        remove(report_path);
    if (poll_mid_frame && want_idle && mid_frame_drops == 0) {
        fprintf(stderr, "FAIL: no mid-frame poll met the session stopping (the fault missed the frame)\n");
        failed = true;
    }
    if (errors != want_errors) {
        fprintf(stderr,
                "FAIL: %ld frame-loop errors, expected %ld (each injected failure the app meets once)\n",
                errors, want_errors);
        failed = true;
    }
    if (want_error_text && !saw_error_text) {
        fprintf(stderr, "FAIL: no frame-loop error naming \"%s\"\n", want_error_text);
        failed = true;
    }

    if (ended < frames) {
        fprintf(stderr, "FAIL: only %ld of %ld frames ended\n", ended, frames);
        failed = true;
    }
    if (session_restarts < want_session) {
        fprintf(stderr, "FAIL: %ld session restarts, expected at least %ld\n", session_restarts,
                want_session);
        failed = true;
    }
    if (instance_restarts < want_instance) {
        fprintf(stderr, "FAIL: %ld instance restarts, expected at least %ld\n", instance_restarts,
                want_instance);
        failed = true;
    }
    if (want_unfocused && !saw_unfocused) {
        fprintf(stderr, "FAIL: never VISIBLE without focus\n");
        failed = true;
    }
    if (want_hidden && !saw_hidden) {
        fprintf(stderr, "FAIL: never SYNCHRONIZED (not shown) after frames ran\n");
        failed = true;
    }
    if (want_idle && !saw_idle) {
        fprintf(stderr, "FAIL: never IDLE after frames ran\n");
        failed = true;
    }
    if (want_idle && idle_pct > 20.0) {
        fprintf(stderr, "FAIL: %.1f%% CPU while idle (generous bound 20%%, target 2%%)\n", idle_pct);
        failed = true;
    }
    if (max_clamp >= 0 && rl.clamp_lines > max_clamp) {
        fprintf(stderr, "FAIL: the timing guard logged %d times, at most %ld expected\n", rl.clamp_lines,
                max_clamp);
        failed = true;
    }
    if (want_wait_ahead && lat.frames_waited_ahead == 0) {
        fprintf(stderr,
                "FAIL: no frame was waited ahead (PARALLAX_WAIT_AHEAD=on on a fixed-pacing runtime)\n");
        failed = true;
    }
    if (validation) {
        fprintf(stderr, "FAIL: %u validation messages\n", validation);
        failed = true;
    }
    printf("%s\n", failed ? "FAILED" : "PASSED");
    return failed ? 1 : 0;
}
