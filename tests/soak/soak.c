/* SPDX-License-Identifier: MIT */
/* parallax-soak: the hello scene for many frames on the simulated headset (issue 5 §5). Reports resident
 * memory, threads and open file descriptors after a warm-up and at the end, and the frames missed, against
 * the targets: RSS growth under 1 MB, no thread or descriptor growth.
 *
 *   parallax-soak [--frames N] [--warmup N] [--strict]
 *
 * --frames   frames to run after the warm-up (default 50000, about 9 minutes at 90 Hz)
 * --warmup   frames run before the start figures are taken (default 300): pipelines, allocator pools and
 *            driver caches settle in the first frames, and that is not growth
 * --progress print the figures every N frames (default 5000; 0 = never)
 * --strict   also fail when RSS grew by 1 MB or more (the long soak); without it only thread and descriptor
 *            growth fail, since those are deterministic while RSS over a short run is noisy
 *
 * libparallax starts one thread lazily, the first time it waits ahead (its xrWaitFrame thread,
 * plx_latency_info.waiting_ahead; kept until the context goes): when that first happens after the start
 * figures, one more thread at the end is that thread, not growth, and is reported as such.
 *
 * Misses are counted by libparallax (plx_summary.frames_missed: a display refresh that got no new frame) and,
 * when PARALLAX_SIM_REPORT names a file, by the simulated headset (frames_missed in its report). */
#include <dirent.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "parallax/parallax.h"

#define RSS_TARGET_KB 1024
/* RSS is sampled every RSS_EVERY frames; the growth is judged between the lowest of the first RSS_WINDOW
 * samples after the warm-up and the lowest of the last RSS_WINDOW (the floor): a transient block of about
 * 1.3 MB is allocated and freed again every few thousand frames (the live heap, mallinfo2, returns to its
 * start value each time), which a single reading, or a median, counts as growth when it happens to be live.
 * A leak raises the floor. */
#define RSS_EVERY  250
#define RSS_WINDOW 9

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static long lowest(const long *v, int n)
{
    long tmp[RSS_WINDOW];
    memcpy(tmp, v, (size_t)n * sizeof *tmp);
    qsort(tmp, (size_t)n, sizeof *tmp, cmp_long);
    return tmp[0];
}

typedef struct proc_figures {
    long rss_kb;
    long heap_kb; /* bytes the C heap has handed out and not got back (mallinfo2): live allocations, without
                     the pages the allocator keeps after a free, which RSS still counts */
    long threads;
    long fds;
} proc_figures;

static long status_field(const char *name)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long v = -1;
    size_t n = strlen(name);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, name, n) == 0 && line[n] == ':') {
            v = strtol(line + n + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

static long count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n - 1; /* the descriptor opendir itself holds */
}

static proc_figures measure(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (proc_figures){.rss_kb = status_field("VmRSS"),
                          .heap_kb = (long)((mi.uordblks + mi.hblkhd) / 1024),
                          .threads = status_field("Threads"),
                          .fds = count_fds()};
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long arg_long(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "parallax-soak: %s needs a value\n", argv[*i]);
        exit(2);
    }
    char *end = NULL;
    long v = strtol(argv[++*i], &end, 10);
    if (!end || *end || v < 0) {
        fprintf(stderr, "parallax-soak: %s: \"%s\" is not a whole number >= 0\n", argv[*i - 1], argv[*i]);
        exit(2);
    }
    return v;
}

/* The hello scene: four rows of cubes in an arc and a red one ahead. */
static void build_scene(plx_scene *scene)
{
    static const float palette[6][3] = {{0.9f, 0.6f, 0.1f}, {0.2f, 0.7f, 0.3f}, {0.2f, 0.4f, 0.9f},
                                        {0.8f, 0.8f, 0.8f}, {0.6f, 0.2f, 0.8f}, {0.1f, 0.7f, 0.8f}};
    for (int i = 0; i < 32; i++) {
        int row = i / 8, col = i % 8;
        float a = -1.2f + 0.34f * (float)col, r = 1.8f + 0.7f * (float)row;
        plx_cube_desc cube = {
            .transform = {.position = {r * sinf(a), -0.6f + 0.4f * (float)row, -r * cosf(a)},
                          .scale = {0.3f, 0.3f, 0.3f}}};
        memcpy(cube.color, palette[i % 6], sizeof cube.color);
        plx_scene_add_cube(scene, &cube, NULL);
    }
    plx_scene_add_cube(scene,
                       &(plx_cube_desc){.transform = {.position = {0, 0, -2}, .scale = {0.3f, 0.3f, 0.3f}},
                                        .color = {0.9f, 0.1f, 0.1f}},
                       NULL);
}

static long sim_report_missed(void)
{
    const char *path = getenv("PARALLAX_SIM_REPORT");
    if (!path || !*path) return -1;
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = strstr(buf, "\"frames_missed\"");
    if (!p || !(p = strchr(p, ':'))) return -1;
    return strtol(p + 1, NULL, 10);
}

int main(int argc, char **argv)
{
    long frames = 50000, warmup = 300, progress = 5000;
    bool strict = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--frames"))
            frames = arg_long(argc, argv, &i);
        else if (!strcmp(argv[i], "--warmup"))
            warmup = arg_long(argc, argv, &i);
        else if (!strcmp(argv[i], "--strict"))
            strict = true;
        else if (!strcmp(argv[i], "--progress"))
            progress = arg_long(argc, argv, &i);
        else if (!strcmp(argv[i], "--help")) {
            printf("usage: parallax-soak [--frames N] [--warmup N] [--progress N] [--strict]\n"
                   "  runs the hello scene for N frames (default 50000) after a warm-up (default 300) and\n"
                   "  reports RSS, threads and file descriptors at start and end, and misses\n");
            return 0;
        } else {
            fprintf(stderr, "parallax-soak: unknown argument \"%s\" (see --help)\n", argv[i]);
            return 2;
        }
    }

    plx_context *ctx = NULL;
    plx_result r = plx_context_create(&(plx_context_desc){.app_name = "parallax-soak"}, &ctx);
    if (r != PLX_SUCCESS) {
        fprintf(stderr, "parallax-soak: plx_context_create: %s\n", plx_last_error(NULL));
        return 1;
    }
    plx_scene *scene = NULL;
    if (plx_scene_create(ctx, NULL, &scene) != PLX_SUCCESS) {
        fprintf(stderr, "parallax-soak: plx_scene_create: %s\n", plx_last_error(ctx));
        plx_context_destroy(&ctx);
        return 1;
    }
    build_scene(scene);

    long ended = 0, target = warmup + frames;
    uint64_t missed_at_start = 0;
    proc_figures start = {0};
    double t_start = 0;
    bool failed = false, exit_asked = false;
    bool ahead_at_start = false, ahead_later = false; /* libparallax's wait-ahead thread (see the top) */
    proc_figures end = {0};
    long first_rss[RSS_WINDOW], last_rss[RSS_WINDOW], rss_min = 0, rss_max = 0;
    int n_first = 0, n_last = 0;
    double secs = 0;
    plx_events ev = {0};
    while (plx_poll(ctx, &ev) >= 0 && !ev.should_quit) {
        plx_frame frame;
        r = plx_frame_wait(ctx, &frame);
        if (r == PLX_SUCCESS && (r = plx_frame_begin(ctx, &frame)) >= 0) {
            if (r == PLX_SUCCESS) r = plx_scene_draw(scene, &frame);
            if (r >= 0) r = plx_frame_end(ctx, &frame);
            if (r == PLX_SUCCESS) ended++;
        }
        if (r < 0) {
            fprintf(stderr, "parallax-soak: frame loop: %s\n", plx_last_error(ctx));
            failed = true;
            break;
        }
        if (ended == warmup && t_start == 0) {
            start = measure();
            t_start = now_s();
            plx_summary s;
            if (plx_stats_summary(ctx, &s) == PLX_SUCCESS) missed_at_start = s.frames_missed;
            plx_latency_info li;
            ahead_at_start = plx_get_latency_info(ctx, &li) == PLX_SUCCESS && li.waiting_ahead;
            printf("start (after %ld warm-up frames): RSS %ld kB, threads %ld, fds %ld\n", warmup,
                   start.rss_kb, start.threads, start.fds);
            fflush(stdout);
        }
        if (t_start > 0 && ended < target && (ended - warmup) % RSS_EVERY == 0) {
            long rss = status_field("VmRSS");
            if (n_first < RSS_WINDOW) first_rss[n_first++] = rss;
            last_rss[n_last++ % RSS_WINDOW] = rss;
            if (rss_min == 0 || rss < rss_min) rss_min = rss;
            if (rss > rss_max) rss_max = rss;
        }
        if (progress > 0 && ended > warmup && (ended - warmup) % progress == 0) {
            proc_figures p = measure();
            printf("  %ld frames: RSS %ld kB (%+ld), heap in use %ld kB (%+ld), threads %ld, fds %ld\n",
                   ended - warmup, p.rss_kb, p.rss_kb - start.rss_kb, p.heap_kb, p.heap_kb - start.heap_kb,
                   p.threads, p.fds);
            fflush(stdout);
        }
        if (t_start > 0 && !ahead_at_start && !ahead_later && !exit_asked) {
            plx_latency_info li;
            ahead_later = plx_get_latency_info(ctx, &li) == PLX_SUCCESS && li.waiting_ahead;
        }
        if (ended >= target && !exit_asked) {
            /* End figures while the session still runs: the same objects and threads as at the start. */
            end = measure();
            secs = now_s() - t_start;
            plx_request_exit(ctx);
            exit_asked = true;
        }
    }
    plx_summary s = {0};
    plx_stats_summary(ctx, &s);
    plx_scene_destroy(&scene);
    plx_context_destroy(&ctx);
    long sim_missed = sim_report_missed();

    int nl = n_last < RSS_WINDOW ? n_last : RSS_WINDOW;
    long rss_growth =
        n_first > 0 && nl > 0 ? lowest(last_rss, nl) - lowest(first_rss, n_first) : end.rss_kb - start.rss_kb;
    printf("end (after %ld frames in %.0f s): RSS %ld kB, threads %ld, fds %ld\n", ended - warmup, secs,
           end.rss_kb, end.threads, end.fds);
    printf(
        "RSS growth %+ld kB, lowest of the last %d samples vs the first %d, one every %d frames (target < %d "
        "kB)%s; single readings %+ld kB, range %ld..%ld kB\n",
        rss_growth, nl, n_first, RSS_EVERY, RSS_TARGET_KB, rss_growth < RSS_TARGET_KB ? "" : "  OVER TARGET",
        end.rss_kb - start.rss_kb, rss_min, rss_max);
    printf("heap in use %ld -> %ld kB (%+ld kB): live allocations of every library in the process\n",
           start.heap_kb, end.heap_kb, end.heap_kb - start.heap_kb);
    /* The wait-ahead thread, started after the start figures, is not growth. */
    long thread_allowance = ahead_later ? 1 : 0;
    printf("threads %ld -> %ld, fds %ld -> %ld (target: no growth%s)\n", start.threads, end.threads,
           start.fds, end.fds,
           ahead_later ? "; libparallax began waiting ahead after the start: its one thread" : "");
    printf("missed: %llu of %ld frames (libparallax)",
           (unsigned long long)(s.frames_missed - missed_at_start), ended - warmup);
    if (sim_missed >= 0) printf(", %ld over the whole run (simulated headset report)", sim_missed);
    printf("\n");
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("max RSS %ld kB\n", ru.ru_maxrss);

    if (ended < target) {
        fprintf(stderr, "parallax-soak: only %ld of %ld frames ended\n", ended, target);
        failed = true;
    }
    if (end.threads > start.threads + thread_allowance || end.fds > start.fds) {
        fprintf(stderr, "parallax-soak: threads or file descriptors grew\n");
        failed = true;
    }
    if (strict && rss_growth >= RSS_TARGET_KB) {
        fprintf(stderr, "parallax-soak: RSS grew by %ld kB\n", rss_growth);
        failed = true;
    }
    return failed ? 1 : 0;
}
