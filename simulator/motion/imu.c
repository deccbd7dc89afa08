/* SPDX-License-Identifier: MIT */
/* The modelled IMU and head tracker of the simulated headset (sim_motion.h).
 *
 * Model, per sample k at measurement time t_k = t0 + k / rate:
 *   gyro_k   = true body-frame angular velocity + white noise (density * sqrt(rate) per sample)
 *              + bias, the bias doing a random walk (bias_walk * sqrt(dt) per sample);
 *   tracker  = the previous estimate integrated with the measured gyro over the sample interval, then pulled
 *              toward the true orientation with a small gain. That is what a fused tracker does (gyro for
 *              the fast part, an absolute reference such as cameras or gravity for the slow part), and it
 *              keeps the error bounded and of the size the gyro noise implies instead of drifting forever;
 *   reported = the tracker orientation; angular velocity = the measured gyro rotated to the world frame,
 *              noise included, as runtimes report it in XrSpaceVelocity; position = truth plus a slowly
 *              varying error of a fraction of a millimetre; linear velocity = truth plus white noise.
 * A sample becomes visible `latency` after its measurement time. Samples are generated lazily, in order,
 * up to the newest one that has arrived when someone asks, and kept in a ring for history queries. */
#include "sim_motion.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define DEG (PLX_PI / 180.0)
/* One second of history at the default rate: enough for any xrLocateSpace in the recent past. */
#define IMU_RING 1024
/* If the caller jumps further ahead than this, the tracker re-acquires instead of replaying every sample,
 * so a long pause costs nothing. */
#define IMU_MAX_CATCHUP_S 2.0
/* Time constant of the tracker's pull toward the absolute reference. */
#define TRACKER_CORRECTION_S 0.1
/* Tracker position error: standard deviation and correlation time; linear velocity white noise. */
#define POS_ERROR_M       0.0003
#define POS_ERROR_TAU_S   0.1
#define LIN_VEL_NOISE_MPS 0.005
/* Runtime-side extrapolation is capped like real runtimes do, so far-future queries stay sane. */
#define MAX_PREDICTION_S 0.25

typedef struct imu_sample {
    int64_t t_ns;
    plx_pose pose;
    plx_vec3 lin_vel, ang_vel; /* world frame */
} imu_sample;

struct sim_imu {
    const sim_motion *motion;
    int64_t t0_ns;
    double rate_hz;
    double gyro_sigma;      /* rad/s per sample */
    double bias_step_sigma; /* rad/s per sample */
    int64_t latency_ns;

    pthread_mutex_t lock;
    uint64_t rng[4];
    int64_t next_index; /* the next sample to generate */
    imu_sample ring[IMU_RING];
    plx_quat estimate;
    plx_vec3 prev_gyro; /* body frame, for trapezoidal integration */
    plx_vec3 bias;
    plx_vec3 pos_error;
};

/* ---------------------------------------------------------------- deterministic RNG (xoshiro256**) */

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(uint64_t s[4])
{
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void rng_seed(uint64_t s[4], uint64_t seed)
{
    /* splitmix64 expands the seed so that nearby seeds give unrelated streams. */
    uint64_t x = seed ^ 0x696d75ull; /* "imu" */
    for (int i = 0; i < 4; i++) {
        uint64_t z = (x += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        s[i] = z ^ (z >> 31);
    }
}

/* Standard normal by Box-Muller; u1 is kept away from 0 so log() is finite. */
static double gauss(uint64_t s[4])
{
    double u1 = ((double)(rng_next(s) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
    double u2 = (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * PLX_PI * u2);
}

static plx_vec3 gauss3(uint64_t s[4], double sigma)
{
    double x = gauss(s), y = gauss(s), z = gauss(s);
    return (plx_vec3){(float)(x * sigma), (float)(y * sigma), (float)(z * sigma)};
}

/* ---------------------------------------------------------------- sample generation */

static int64_t sample_time(const sim_imu *imu, int64_t k)
{
    return imu->t0_ns + (int64_t)llround((double)k * 1e9 / imu->rate_hz);
}

/* Newest sample index whose arrival time (measurement + latency) is <= now; -1 if none yet. */
static int64_t newest_arrived(const sim_imu *imu, int64_t now_ns)
{
    int64_t since = now_ns - imu->latency_ns - imu->t0_ns;
    if (since < 0) return -1;
    int64_t k = (int64_t)floor((double)since * imu->rate_hz / 1e9);
    /* floor of a double can be off by one around exact sample times; settle it on the integer grid. */
    while (k > 0 && sample_time(imu, k) > now_ns - imu->latency_ns) k--;
    while (sample_time(imu, k + 1) <= now_ns - imu->latency_ns) k++;
    return k;
}

static void generate(sim_imu *imu, int64_t k, bool reacquire)
{
    double dt = 1.0 / imu->rate_hz;
    int64_t t_ns = sample_time(imu, k);
    plx_pose truth;
    plx_vec3 lin, ang;
    sim_motion_sample(imu->motion, (double)(t_ns - imu->t0_ns) * 1e-9, &truth, &lin, &ang);

    /* A gyro measures in its own (body) frame. */
    plx_vec3 omega_body = plx_quat_rotate(plx_quat_conj(truth.orientation), ang);
    imu->bias = plx_vec3_add(imu->bias, gauss3(imu->rng, imu->bias_step_sigma));
    plx_vec3 gyro = plx_vec3_add(plx_vec3_add(omega_body, imu->bias), gauss3(imu->rng, imu->gyro_sigma));

    if (reacquire) {
        imu->estimate = truth.orientation;
    } else {
        /* Body-frame rate: the increment multiplies on the right. */
        plx_vec3 mean = plx_vec3_scale(plx_vec3_add(imu->prev_gyro, gyro), 0.5f);
        plx_quat step = plx_quat_exp(plx_vec3_scale(mean, (float)dt));
        imu->estimate = plx_quat_normalize(plx_quat_mul(imu->estimate, step));
        imu->estimate = plx_quat_slerp(imu->estimate, truth.orientation, (float)(dt / TRACKER_CORRECTION_S));
    }
    imu->prev_gyro = gyro;

    double a = exp(-dt / POS_ERROR_TAU_S);
    imu->pos_error = plx_vec3_add(plx_vec3_scale(imu->pos_error, (float)a),
                                  gauss3(imu->rng, POS_ERROR_M * sqrt(1.0 - a * a)));

    imu_sample *s = &imu->ring[k % IMU_RING];
    s->t_ns = t_ns;
    s->pose.orientation = imu->estimate;
    s->pose.position = plx_vec3_add(truth.position, imu->pos_error);
    s->ang_vel = plx_quat_rotate(imu->estimate, gyro);
    s->lin_vel = plx_vec3_add(lin, gauss3(imu->rng, LIN_VEL_NOISE_MPS));
}

/* Brings the ring up to sample k (inclusive). Caller holds the lock. */
static void generate_until(sim_imu *imu, int64_t k)
{
    if (k < imu->next_index) return;
    bool reacquire = imu->next_index == 0;
    int64_t max_catchup = (int64_t)(IMU_MAX_CATCHUP_S * imu->rate_hz);
    if (k - imu->next_index > max_catchup) {
        imu->next_index = k - IMU_RING + 1;
        reacquire = true;
    }
    for (int64_t i = imu->next_index; i <= k; i++) {
        generate(imu, i, reacquire);
        reacquire = false;
    }
    imu->next_index = k + 1;
}

/* ---------------------------------------------------------------- public API */

sim_imu *sim_imu_create(const sim_motion *m, int64_t t0_ns, const sim_imu_desc *desc)
{
    if (!m) return NULL;
    sim_imu_desc d = desc ? *desc : (sim_imu_desc){0};
    sim_imu *imu = calloc(1, sizeof(*imu));
    if (!imu) return NULL;
    imu->motion = m;
    imu->t0_ns = t0_ns;
    imu->rate_hz = d.rate_hz > 0.0 ? d.rate_hz : 1000.0;
    double noise = d.gyro_noise_dps_rthz > 0.0 ? d.gyro_noise_dps_rthz : 0.005;
    double walk = d.gyro_bias_walk_dps_rts > 0.0 ? d.gyro_bias_walk_dps_rts : 0.0005;
    double latency_ms = d.latency_ms > 0.0 ? d.latency_ms : 1.5;
    /* A noise density n (per sqrt(Hz)) sampled at rate r has a per-sample deviation n * sqrt(r); a random
     * walk of w per sqrt(s) grows by w * sqrt(dt) per sample. */
    imu->gyro_sigma = noise * DEG * sqrt(imu->rate_hz);
    imu->bias_step_sigma = walk * DEG * sqrt(1.0 / imu->rate_hz);
    imu->latency_ns = (int64_t)llround(latency_ms * 1e6);
    rng_seed(imu->rng, d.seed);
    imu->estimate = plx_quat_identity();
    if (pthread_mutex_init(&imu->lock, NULL) != 0) {
        fprintf(stderr, "sim_imu_create: pthread_mutex_init failed\n");
        free(imu);
        return NULL;
    }
    return imu;
}

void sim_imu_destroy(sim_imu **imu)
{
    if (!imu || !*imu) return;
    pthread_mutex_destroy(&(*imu)->lock);
    free(*imu);
    *imu = NULL;
}

void sim_imu_locate(sim_imu *imu, int64_t now_ns, int64_t display_ns, bool predict, plx_pose *out_pose,
                    plx_vec3 *out_lin_vel, plx_vec3 *out_ang_vel, int64_t *out_sample_ns)
{
    imu_sample s = {0};
    s.pose = plx_pose_identity();
    if (imu) {
        pthread_mutex_lock(&imu->lock);
        /* Before the first sample has arrived, the tracker's initial state (sample 0) is all there is. */
        int64_t k = newest_arrived(imu, now_ns);
        if (k < 0) k = 0;
        generate_until(imu, k);
        /* Compared with sample k's own time, not the ring slot's: another caller may already have put a
         * newer sample there. */
        bool past = display_ns < sample_time(imu, k);
        if (past) {
            /* A query in the past is answered from history, as runtimes do, not by predicting backwards; in
             * both modes: raw only means no extrapolation into the future. */
            int64_t j = (int64_t)floor((double)(display_ns - imu->t0_ns) * imu->rate_hz / 1e9);
            while (j > 0 && sample_time(imu, j) > display_ns) j--;
            if (j < 0) j = 0;
            k = j;
        }
        /* Older than the ring (or than a re-acquisition): the oldest sample kept. */
        int64_t oldest = imu->next_index - IMU_RING;
        if (oldest < 0) oldest = 0;
        if (k < oldest) k = oldest;
        s = imu->ring[k % IMU_RING];
        pthread_mutex_unlock(&imu->lock);

        /* Predicting: from the newest sample to the display time. A past time: from the history sample to
         * it, less than a sample period, which is what interpolating between the two samples around it
         * gives; in both modes, as it is no prediction. */
        if (predict || past) {
            double dt = (double)(display_ns - s.t_ns) * 1e-9;
            if (dt > MAX_PREDICTION_S) dt = MAX_PREDICTION_S;
            if (dt > 0.0) {
                s.pose.orientation = plx_quat_integrate(s.pose.orientation, s.ang_vel, dt);
                s.pose.position = plx_vec3_add(s.pose.position, plx_vec3_scale(s.lin_vel, (float)dt));
                /* A past time is answered with the state at that time (interpolated between the samples
                 * around it), so that is when the answer was sensed: its age counts from there. A
                 * prediction keeps the sample's own time (its age is what prediction had to bridge). */
                if (past) s.t_ns += (int64_t)(dt * 1e9);
            }
        }
    }
    if (out_pose) *out_pose = s.pose;
    if (out_lin_vel) *out_lin_vel = s.lin_vel;
    if (out_ang_vel) *out_ang_vel = s.ang_vel;
    if (out_sample_ns) *out_sample_ns = s.t_ns;
}
