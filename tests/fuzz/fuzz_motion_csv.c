/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the motion CSV trace parser of simulator/motion (PARALLAX_SIM_MOTION=csv:<path>).
 *
 * sim_motion_create() only reads files, so each input is written to a file under /dev/shm (memory, no disk
 * traffic) and loaded from there. A trace that loads must replay as a finite pose with a unit quaternion, and
 * finite velocities, at any time before, inside and after the trace; anything else aborts so libFuzzer keeps
 * the input. The parser reports malformed traces on stderr, which scripts/fuzz.sh silences with
 * -close_fd_mask=2. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim_motion.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                       \
    do {                                                                                                  \
        if (!(cond)) {                                                                                    \
            fprintf(stderr, "fuzz_motion_csv: property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            abort();                                                                                      \
        }                                                                                                 \
    } while (0)

static char trace_path[128];

static void remove_trace(void)
{
    if (trace_path[0]) unlink(trace_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* One file per process, so parallel fuzzers (-jobs) do not overwrite each other's input. */
    snprintf(trace_path, sizeof trace_path, "/dev/shm/plx_fuzz_motion_%ld.csv", (long)getpid());
    atexit(remove_trace);
    return 0;
}

static void check_pose(const sim_motion *m, double t)
{
    plx_pose pose;
    plx_vec3 lin, ang;
    sim_motion_sample(m, t, &pose, &lin, &ang);
    const plx_quat q = pose.orientation;
    CHECK(isfinite(q.x) && isfinite(q.y) && isfinite(q.z) && isfinite(q.w));
    double norm = sqrt((double)q.x * q.x + (double)q.y * q.y + (double)q.z * q.z + (double)q.w * q.w);
    CHECK(fabs(norm - 1.0) < 1e-3);
    CHECK(isfinite(pose.position.x) && isfinite(pose.position.y) && isfinite(pose.position.z));
    CHECK(isfinite(lin.x) && isfinite(lin.y) && isfinite(lin.z));
    CHECK(isfinite(ang.x) && isfinite(ang.y) && isfinite(ang.z));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!trace_path[0]) LLVMFuzzerInitialize(NULL, NULL); /* the replay driver does not call it */
    FILE *f = fopen(trace_path, "wb");
    if (!f) {
        fprintf(stderr, "fuzz_motion_csv: cannot write %s\n", trace_path);
        abort(); /* not the parser's fault, but no input could be tested */
    }
    size_t written = size ? fwrite(data, 1, size, f) : 0;
    if (fclose(f) != 0 || written != size) {
        fprintf(stderr, "fuzz_motion_csv: cannot write %s\n", trace_path);
        abort();
    }
    char spec[160];
    snprintf(spec, sizeof spec, "csv:%s", trace_path);
    sim_motion *m = sim_motion_create(spec, 1);
    if (!m) return 0; /* rejected with its one error line */
    static const double times[] = {-1e9, -1.0, 0.0, 1e-9, 0.001, 0.0111, 0.5, 1.0, 2.5, 10.0, 3600.0, 1e12};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) check_pose(m, times[i]);
    sim_motion_destroy(&m);
    CHECK(m == NULL);
    return 0;
}
