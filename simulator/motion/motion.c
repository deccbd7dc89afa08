/* SPDX-License-Identifier: MIT */
/* Head motion truth of the simulated headset (sim_motion.h).
 *
 * Every synthetic profile is a closed-form function of time built from yaw/pitch/roll angles (intrinsic
 * Y-X-Z, as plx_quat_from_euler_yxz) and their analytic derivatives, so the angular velocity is exact rather
 * than a finite difference. The head rotates about a neck pivot below and behind the eyes, which gives the
 * small position changes a real head makes when it turns; `walk` adds body translation on top.
 *
 * The object is immutable after creation, so sampling needs no lock. */
#include "sim_motion.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define DEG    (PLX_PI / 180.0)
#define TWO_PI (2.0 * PLX_PI)

typedef enum motion_kind {
    MOTION_STILL,
    MOTION_LOOK,
    MOTION_TURNS,
    MOTION_WALK,
    MOTION_STRESS,
    MOTION_CSV,
    MOTION_YAW,
} motion_kind;

/* One gaze shift of the `turns` profile: a minimum-jerk move from (yaw0, pitch0) to (yaw1, pitch1). */
typedef struct turn {
    double start, duration;
    double yaw0, pitch0, yaw1, pitch1;
} turn;

/* The turn schedule covers about an hour and ends where it started, so it repeats seamlessly after that. */
#define TURN_COUNT       2048
#define TURN_YAW_LIMIT   (80.0 * DEG)
#define TURN_PITCH_LIMIT (30.0 * DEG)

struct sim_motion {
    motion_kind kind;
    /* turns */
    turn *turns;
    double turns_period;
    /* yaw: constant rate, rad/s */
    double yaw_rate;
    /* csv: times relative to the first row, poses normalized */
    size_t csv_count;
    double *csv_t;
    plx_pose *csv_pose;
};

/* Angles with first derivatives; the profile functions fill one of these. */
typedef struct euler {
    double yaw, pitch, roll;
    double dyaw, dpitch, droll;
} euler;

/* Eyes sit about 10 cm above and 8 cm in front of the neck's pivot (head frame, -Z forward). */
static const plx_vec3 neck_to_eyes = {0.0f, 0.10f, -0.08f};

/* ---------------------------------------------------------------- deterministic RNG (splitmix64) */

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *state, double lo, double hi)
{
    double u = (double)(splitmix64(state) >> 11) * (1.0 / 9007199254740992.0);
    return lo + (hi - lo) * u;
}

/* ---------------------------------------------------------------- profiles */

/* a * sin(2 pi f t + phase) and its derivative, added into *v and *dv. */
static void add_sine(double *v, double *dv, double t, double amp, double freq_hz, double phase)
{
    double w = TWO_PI * freq_hz;
    *v += amp * sin(w * t + phase);
    *dv += amp * w * cos(w * t + phase);
}

static euler profile_look(double t)
{
    /* A slow look-around: incommensurate sines so the path never exactly repeats; peak near 45 deg/s. */
    euler e = {0};
    add_sine(&e.yaw, &e.dyaw, t, 40.0 * DEG, 0.11, 0.0);
    add_sine(&e.yaw, &e.dyaw, t, 10.0 * DEG, 0.23, 1.0);
    add_sine(&e.pitch, &e.dpitch, t, 12.0 * DEG, 0.17, 0.5);
    add_sine(&e.pitch, &e.dpitch, t, 4.0 * DEG, 0.37, 2.0);
    add_sine(&e.roll, &e.droll, t, 3.0 * DEG, 0.13, 0.3);
    return e;
}

static euler profile_stress(double t)
{
    /* Fast oscillation for stress testing prediction: yaw 2.5 Hz at 180 deg/s peak (2830 deg/s^2),
     * pitch 3.5 Hz at 80 deg/s peak (1760 deg/s^2); together ~200 deg/s and up to ~4600 deg/s^2. */
    euler e = {0};
    add_sine(&e.yaw, &e.dyaw, t, 180.0 * DEG / (TWO_PI * 2.5), 2.5, 0.0);
    add_sine(&e.pitch, &e.dpitch, t, 80.0 * DEG / (TWO_PI * 3.5), 3.5, 0.7);
    add_sine(&e.roll, &e.droll, t, 2.0 * DEG, 0.7, 0.0);
    return e;
}

static euler profile_walk(double t, plx_vec3 *out_pos, plx_vec3 *out_vel)
{
    /* Gait at 1.8 steps per second: the head bobs once per step and sways sideways once per stride
     * (two steps); the walker paces forward and back across the room with a gentle look-around. */
    const double step_hz = 1.8;
    euler e = {0};
    add_sine(&e.yaw, &e.dyaw, t, 15.0 * DEG, 0.08, 0.0);
    add_sine(&e.yaw, &e.dyaw, t, 2.0 * DEG, step_hz * 0.5, 0.0);
    add_sine(&e.pitch, &e.dpitch, t, 1.5 * DEG, step_hz, 0.5);
    add_sine(&e.pitch, &e.dpitch, t, 5.0 * DEG, 0.13, 1.0);
    add_sine(&e.roll, &e.droll, t, 2.0 * DEG, step_hz * 0.5, 0.3);

    double x = 0, dx = 0, y = 0, dy = 0, z = 0, dz = 0;
    add_sine(&x, &dx, t, 0.025, step_hz * 0.5, 0.0);
    add_sine(&y, &dy, t, 0.02, step_hz, PLX_PI * 0.5);
    /* 1.5 m each way, peak 0.94 m/s */
    add_sine(&z, &dz, t, -1.5, 0.1, 0.0);
    *out_pos = (plx_vec3){(float)x, (float)y, (float)z};
    *out_vel = (plx_vec3){(float)dx, (float)dy, (float)dz};
    return e;
}

/* Minimum-jerk position s in [0,1] and ds/dtau for tau in [0,1]. */
static void min_jerk(double tau, double *s, double *ds)
{
    double t2 = tau * tau;
    *s = t2 * tau * (10.0 - 15.0 * tau + 6.0 * t2);
    *ds = 30.0 * t2 * (1.0 - tau) * (1.0 - tau);
}

static euler profile_turns(const sim_motion *m, double t)
{
    euler e = {0};
    /* Small fixational drift keeps the head from being perfectly still between gaze shifts. */
    add_sine(&e.yaw, &e.dyaw, t, 1.0 * DEG, 0.31, 0.0);
    add_sine(&e.pitch, &e.dpitch, t, 0.6 * DEG, 0.23, 1.0);
    add_sine(&e.roll, &e.droll, t, 0.8 * DEG, 0.19, 0.4);

    double tp = fmod(t, m->turns_period);
    if (tp < 0.0) tp += m->turns_period;
    /* The last turn starting at or before tp (binary search on start times). */
    size_t lo = 0, hi = TURN_COUNT;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (m->turns[mid].start <= tp)
            lo = mid;
        else
            hi = mid;
    }
    const turn *tr = &m->turns[lo];
    double yaw = tr->yaw1, pitch = tr->pitch1, dyaw = 0.0, dpitch = 0.0;
    if (tp < tr->start) {
        yaw = tr->yaw0;
        pitch = tr->pitch0;
    } else if (tp < tr->start + tr->duration) {
        double s, ds;
        min_jerk((tp - tr->start) / tr->duration, &s, &ds);
        yaw = tr->yaw0 + (tr->yaw1 - tr->yaw0) * s;
        pitch = tr->pitch0 + (tr->pitch1 - tr->pitch0) * s;
        dyaw = (tr->yaw1 - tr->yaw0) * ds / tr->duration;
        dpitch = (tr->pitch1 - tr->pitch0) * ds / tr->duration;
    }
    e.yaw += yaw;
    e.pitch += pitch;
    e.dyaw += dyaw;
    e.dpitch += dpitch;
    return e;
}

/* Gaze shifts: onsets 1 to 3.3 s apart (0.3 to 1 per second), amplitudes 5 to 90 degrees, mostly
 * horizontal, durations growing with amplitude like real head movements (~300 deg/s peak at 90 deg). */
static bool build_turns(sim_motion *m, uint64_t seed)
{
    m->turns = calloc(TURN_COUNT, sizeof(*m->turns));
    if (!m->turns) return false;
    uint64_t rng = seed ^ 0x7475726e73ull; /* "turns" */
    double t = 0.5, yaw = 0.0, pitch = 0.0;
    for (int i = 0; i < TURN_COUNT; i++) {
        double y1, p1;
        if (i == TURN_COUNT - 1) {
            /* Return to the start so the schedule can repeat without a jump. */
            y1 = 0.0;
            p1 = 0.0;
        } else {
            double amp = uniform(&rng, 5.0, 90.0) * DEG;
            double dir = uniform(&rng, 0.0, 1.0) < 0.7 ? uniform(&rng, -25.0, 25.0) * DEG
                                                       : uniform(&rng, -180.0, 180.0) * DEG;
            double dy = amp * cos(dir), dp = amp * sin(dir);
            if (fabs(yaw + dy) > TURN_YAW_LIMIT) dy = -dy;
            if (fabs(pitch + dp) > TURN_PITCH_LIMIT) dp = -dp;
            y1 = fmax(-TURN_YAW_LIMIT, fmin(TURN_YAW_LIMIT, yaw + dy));
            p1 = fmax(-TURN_PITCH_LIMIT, fmin(TURN_PITCH_LIMIT, pitch + dp));
        }
        double amp_deg = hypot(y1 - yaw, p1 - pitch) / DEG;
        double dur = 0.2 + 0.004 * amp_deg; /* peak speed 1.875 * amp / dur */
        m->turns[i] = (turn){t, dur, yaw, pitch, y1, p1};
        yaw = y1;
        pitch = p1;
        double interval = uniform(&rng, 1.0, 1.0 / 0.3);
        t += fmax(interval, dur + 0.25);
    }
    m->turns_period = t;
    return true;
}

/* ---------------------------------------------------------------- CSV traces */

/* Parses exactly n comma-separated numbers (spaces allowed) from line; false on anything else. */
static bool parse_numbers(const char *line, double *out, int n)
{
    const char *p = line;
    for (int i = 0; i < n; i++) {
        while (*p == ' ' || *p == '\t') p++;
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (end == p || errno == ERANGE || !isfinite(v)) return false;
        out[i] = v;
        p = end;
        while (*p == ' ' || *p == '\t') p++;
        if (i < n - 1) {
            if (*p != ',') return false;
            p++;
        }
    }
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
    return *p == '\0';
}

static bool is_blank_or_comment(const char *line)
{
    const char *p = line;
    while (*p && isspace((unsigned char)*p)) p++;
    return *p == '\0' || *p == '#';
}

#define CSV_FORM                                                                                       \
    "'t,px,py,pz,qx,qy,qz,qw' (8 numbers; t in seconds, increasing by at least 1 us; position within " \
    "1e6 m; quaternion non-zero)"
/* Bounds that keep every derived value (float poses, finite-difference velocities) finite. */
#define CSV_MIN_STEP_S     1e-6
#define CSV_MAX_POSITION_M 1e6
#define CSV_MAX_LINE       4096

static bool csv_fail(const char *path, size_t line_no, const char *what, const char *line)
{
    if (line)
        fprintf(stderr, "%s:%zu: %s '%.60s'; expected " CSV_FORM "\n", path, line_no, what, line);
    else
        fprintf(stderr, "%s:%zu: %s; expected " CSV_FORM "\n", path, line_no, what);
    return false;
}

static bool csv_append(sim_motion *m, size_t *cap, double t, plx_pose pose)
{
    if (m->csv_count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 256;
        double *nt = realloc(m->csv_t, ncap * sizeof(*nt));
        if (!nt) return false;
        m->csv_t = nt;
        plx_pose *np = realloc(m->csv_pose, ncap * sizeof(*np));
        if (!np) return false;
        m->csv_pose = np;
        *cap = ncap;
    }
    m->csv_t[m->csv_count] = t;
    m->csv_pose[m->csv_count] = pose;
    m->csv_count++;
    return true;
}

/* Parses one line; false after printing the single error line. */
static bool csv_line(sim_motion *m, size_t *cap, const char *path, size_t line_no, char *line, size_t len,
                     bool *header_allowed, double *t_first)
{
    if (memchr(line, '\0', len)) return csv_fail(path, line_no, "NUL byte in line", NULL);
    if (len > CSV_MAX_LINE) return csv_fail(path, line_no, "line too long", NULL);
    if (is_blank_or_comment(line)) return true;
    line[strcspn(line, "\r\n")] = '\0';
    double v[8];
    if (!parse_numbers(line, v, 8)) {
        /* A line before the first sample that does not start like a number is a header ("t,px,..."). */
        const char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        bool looks_numeric = isdigit((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.';
        if (*header_allowed && !looks_numeric) {
            *header_allowed = false;
            return true;
        }
        return csv_fail(path, line_no, "malformed motion sample", line);
    }
    *header_allowed = false;
    for (int i = 1; i <= 3; i++)
        if (fabs(v[i]) > CSV_MAX_POSITION_M) return csv_fail(path, line_no, "position out of range", line);
    /* Normalise in double: components beyond float range are still a valid direction. */
    double qmax = fmax(fmax(fabs(v[4]), fabs(v[5])), fmax(fabs(v[6]), fabs(v[7])));
    if (!(qmax > 1e-30)) return csv_fail(path, line_no, "zero quaternion", line);
    for (int i = 4; i <= 7; i++) v[i] /= qmax;
    double qn = sqrt(v[4] * v[4] + v[5] * v[5] + v[6] * v[6] + v[7] * v[7]);
    if (m->csv_count == 0) *t_first = v[0];
    /* Replay starts at the first sample, whatever clock the trace was recorded with. */
    double t = v[0] - *t_first;
    if (m->csv_count > 0 && !(t >= m->csv_t[m->csv_count - 1] + CSV_MIN_STEP_S))
        return csv_fail(path, line_no, "time does not increase", line);
    plx_pose pose = {plx_quat_normalize((plx_quat){(float)(v[4] / qn), (float)(v[5] / qn), (float)(v[6] / qn),
                                                   (float)(v[7] / qn)}),
                     {(float)v[1], (float)v[2], (float)v[3]}};
    if (!csv_append(m, cap, t, pose)) {
        fprintf(stderr, "PARALLAX_SIM_MOTION: out of memory loading motion trace '%s' at line %zu\n", path,
                line_no);
        return false;
    }
    return true;
}

static bool load_csv(sim_motion *m, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr,
                "PARALLAX_SIM_MOTION: cannot open motion trace '%s' (%s); expected csv:<path> to a "
                "readable CSV file of lines " CSV_FORM "\n",
                path, strerror(errno));
        return false;
    }
    size_t cap = 0, line_no = 0, buf_size = 0;
    char *buf = NULL;
    bool header_allowed = true, ok = true;
    double t_first = 0.0;
    ssize_t len;
    while (ok && (len = getline(&buf, &buf_size, f)) >= 0) {
        line_no++;
        ok = csv_line(m, &cap, path, line_no, buf, (size_t)len, &header_allowed, &t_first);
    }
    if (ok && ferror(f)) {
        fprintf(stderr,
                "PARALLAX_SIM_MOTION: error reading motion trace '%s'; expected a readable CSV file\n", path);
        ok = false;
    }
    free(buf);
    fclose(f);
    if (ok && m->csv_count == 0) {
        fprintf(stderr, "%s: no motion samples; expected lines " CSV_FORM "\n", path);
        ok = false;
    }
    return ok;
}

static void sample_csv(const sim_motion *m, double t, plx_pose *pose, plx_vec3 *lin, plx_vec3 *ang)
{
    size_t n = m->csv_count;
    *lin = (plx_vec3){0, 0, 0};
    *ang = (plx_vec3){0, 0, 0};
    if (n == 1 || t <= 0.0) {
        *pose = m->csv_pose[0];
        return;
    }
    if (t >= m->csv_t[n - 1]) {
        /* Past the end the head holds its last pose. */
        *pose = m->csv_pose[n - 1];
        return;
    }
    size_t lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (m->csv_t[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    const plx_pose *a = &m->csv_pose[lo], *b = &m->csv_pose[hi];
    double dt = m->csv_t[hi] - m->csv_t[lo];
    float u = (float)((t - m->csv_t[lo]) / dt);
    pose->orientation = plx_quat_slerp(a->orientation, b->orientation, u);
    pose->position = plx_vec3_add(a->position, plx_vec3_scale(plx_vec3_sub(b->position, a->position), u));
    *lin = plx_vec3_scale(plx_vec3_sub(b->position, a->position), (float)(1.0 / dt));
    /* World-frame rotation from a to b, over the interval. */
    plx_vec3 rv = plx_quat_log(plx_quat_mul(b->orientation, plx_quat_conj(a->orientation)));
    *ang = plx_vec3_scale(rv, (float)(1.0 / dt));
}

/* ---------------------------------------------------------------- public API */

sim_motion *sim_motion_create(const char *spec, uint64_t seed)
{
    if (!spec) spec = "";
    sim_motion *m = calloc(1, sizeof(*m));
    if (!m) {
        fprintf(stderr, "PARALLAX_SIM_MOTION: out of memory creating motion '%s'\n", spec);
        return NULL;
    }
    if (strcmp(spec, "still") == 0) {
        m->kind = MOTION_STILL;
    } else if (strcmp(spec, "look") == 0) {
        m->kind = MOTION_LOOK;
    } else if (strcmp(spec, "turns") == 0) {
        m->kind = MOTION_TURNS;
        if (!build_turns(m, seed)) {
            fprintf(stderr, "PARALLAX_SIM_MOTION: out of memory creating motion 'turns'\n");
            goto fail;
        }
    } else if (strcmp(spec, "walk") == 0) {
        m->kind = MOTION_WALK;
    } else if (strcmp(spec, "stress") == 0) {
        m->kind = MOTION_STRESS;
    } else if (strncmp(spec, "csv:", 4) == 0 && spec[4] != '\0') {
        m->kind = MOTION_CSV;
        if (!load_csv(m, spec + 4)) goto fail;
    } else if (strncmp(spec, "yaw:", 4) == 0) {
        /* A constant yaw rate: the analytic case for the error metric (error = rate x pose age). */
        char *end = NULL;
        errno = 0;
        double rate = strtod(spec + 4, &end);
        if (end == spec + 4 || *end || errno || !isfinite(rate) || fabs(rate) > 3600.0) {
            fprintf(stderr, "PARALLAX_SIM_MOTION: '%s': expected yaw:<deg/s>, a number from -3600 to 3600\n",
                    spec);
            goto fail;
        }
        m->kind = MOTION_YAW;
        m->yaw_rate = rate * DEG;
    } else {
        fprintf(stderr,
                "PARALLAX_SIM_MOTION: unknown motion '%s'; expected still|look|turns|walk|stress|yaw:<deg/s>|"
                "csv:<path>\n",
                spec);
        goto fail;
    }
    return m;
fail:
    sim_motion_destroy(&m);
    return NULL;
}

void sim_motion_destroy(sim_motion **m)
{
    if (!m || !*m) return;
    free((*m)->turns);
    free((*m)->csv_t);
    free((*m)->csv_pose);
    free(*m);
    *m = NULL;
}

void sim_motion_sample(const sim_motion *m, double t, plx_pose *out_pose, plx_vec3 *out_lin_vel,
                       plx_vec3 *out_ang_vel)
{
    plx_pose pose = plx_pose_identity();
    plx_vec3 lin = {0, 0, 0}, ang = {0, 0, 0};
    if (!m) goto out;
    /* NaN or infinite times would poison the sines; 1e12 s is far beyond any session. */
    if (isnan(t)) t = 0.0;
    t = fmax(-1e12, fmin(1e12, t));
    if (m->kind == MOTION_CSV) {
        sample_csv(m, t, &pose, &lin, &ang);
        goto out;
    }

    euler e = {0};
    plx_vec3 body_pos = {0, 0, 0}, body_vel = {0, 0, 0};
    switch (m->kind) {
    case MOTION_STILL:
        break;
    case MOTION_LOOK:
        e = profile_look(t);
        break;
    case MOTION_TURNS:
        e = profile_turns(m, t);
        break;
    case MOTION_WALK:
        e = profile_walk(t, &body_pos, &body_vel);
        break;
    case MOTION_STRESS:
        e = profile_stress(t);
        break;
    case MOTION_YAW:
        e.yaw = m->yaw_rate * t;
        e.dyaw = m->yaw_rate;
        break;
    case MOTION_CSV:
        break;
    }
    plx_quat qy = plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, (float)e.yaw);
    plx_quat qx = plx_quat_from_axis_angle((plx_vec3){1, 0, 0}, (float)e.pitch);
    plx_quat qz = plx_quat_from_axis_angle((plx_vec3){0, 0, 1}, (float)e.roll);
    plx_quat qyx = plx_quat_mul(qy, qx);
    pose.orientation = plx_quat_normalize(plx_quat_mul(qyx, qz));
    /* With q = qy qx qz, each rate turns about its own axis as carried by the rotations before it. */
    plx_vec3 pitch_axis = plx_quat_rotate(qy, (plx_vec3){1, 0, 0});
    plx_vec3 roll_axis = plx_quat_rotate(qyx, (plx_vec3){0, 0, 1});
    ang = plx_vec3_add(
        plx_vec3_add((plx_vec3){0, (float)e.dyaw, 0}, plx_vec3_scale(pitch_axis, (float)e.dpitch)),
        plx_vec3_scale(roll_axis, (float)e.droll));
    /* Rotation about the neck pivot moves the eyes: p = R o - o, v = omega x (R o). */
    plx_vec3 ro = plx_quat_rotate(pose.orientation, neck_to_eyes);
    pose.position = plx_vec3_add(plx_vec3_sub(ro, neck_to_eyes), body_pos);
    lin = plx_vec3_add(plx_vec3_cross(ang, ro), body_vel);
out:
    if (out_pose) *out_pose = pose;
    if (out_lin_vel) *out_lin_vel = lin;
    if (out_ang_vel) *out_ang_vel = ang;
}
