/* SPDX-License-Identifier: MIT */
/* XR_META_performance_metrics: the counter paths in the two-call idiom, the enable state, queries refused
 * until the metrics are enabled and for a path not listed, and counters whose values are the compositor's own
 * measurements.
 * Spec: OpenXR 1.0 and 1.1, xrspec.html#XR_META_performance_metrics:
 * #xrEnumeratePerformanceMetricsCounterPathsMETA (two-call idiom, #fundamentals-buffer-size-parameters),
 * #xrSetPerformanceMetricsStateMETA, #xrGetPerformanceMetricsStateMETA, #xrQueryPerformanceMetricsCounterMETA
 * ("If the performance metrics system has not been enabled before calling
 * xrQueryPerformanceMetricsCounterMETA, the runtime must return XR_ERROR_VALIDATION_FAILURE. If counterPath
 * is not in the list returned by xrEnumeratePerformanceMetricsCounterPathsMETA, the runtime must return
 * XR_ERROR_PATH_UNSUPPORTED"), #XrPerformanceMetricsCounterMETA (a value is valid only with its
 * *_VALUE_VALID_BIT_META). The values are checked against the simulated headset's per-frame record
 * (PARALLAX_SIM_FRAMES, the same frames the compositor settled): app CPU frame time = mean of end_ns -
 * wait_return_ns, app GPU frame time = mean of gpu_done_ns - end_ns, motion-to-photon latency = mean
 * pose_age_ms of the displayed frames, compositor dropped frames = frames missed, over the newest 90 frames
 * (this test runs 24). The extension is new, so the test fails at xrCreateInstance on a runtime without it.
 */
#include "conf.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#define FRAMES 24

static const char *const wanted[] = {
    "/perfmetrics_meta/app/cpu_frametime",
    "/perfmetrics_meta/app/gpu_frametime",
    "/perfmetrics_meta/app/motion_to_photon_latency",
    "/perfmetrics_meta/compositor/dropped_frame_count",
};

typedef struct record {
    int rows;
    double cpu_ms, gpu_ms, latency_ms;
    int gpu_rows, latency_rows, missed;
} record;

/* Column index of name in a CSV header line, or -1. */
static int column(const char *header, const char *name)
{
    int col = 0;
    size_t len = strlen(name);
    for (const char *p = header; *p; col++) {
        if (strncmp(p, name, len) == 0 && (p[len] == ',' || p[len] == '\n' || p[len] == '\0')) return col;
        p = strchr(p, ',');
        if (!p) break;
        p++;
    }
    return -1;
}

static bool read_record(conf *c, const char *path, record *out)
{
    *out = (record){0};
    FILE *f = fopen(path, "r");
    if (!CONF_CHECK(c, f != NULL, "no per-frame record at %s (PARALLAX_SIM_FRAMES)", path)) return false;
    char line[2048];
    int cols[6] = {-1};
    if (fgets(line, sizeof(line), f)) {
        const char *names[6] = {"wait_return_ns", "end_ns", "gpu_done_ns",
                                "pose_age_ms",    "missed", "dropped"};
        for (int i = 0; i < 6; i++) cols[i] = column(line, names[i]);
    }
    for (int i = 0; i < 6; i++)
        if (!CONF_CHECK(c, cols[i] >= 0, "the per-frame record lacks column %d", i)) {
            fclose(f);
            return false;
        }
    while (fgets(line, sizeof(line), f)) {
        double v[64] = {0};
        int n = 0;
        for (char *tok = strtok(line, ","); tok && n < 64; tok = strtok(NULL, ","))
            v[n++] = strtod(tok, NULL);
        out->rows++;
        double wait = v[cols[0]], end = v[cols[1]], gpu = v[cols[2]], age = v[cols[3]];
        bool missed = v[cols[4]] != 0, dropped = v[cols[5]] != 0;
        out->cpu_ms += (end - wait) / 1e6;
        if (gpu > 0) {
            out->gpu_ms += (gpu > end ? gpu - end : 0) / 1e6;
            out->gpu_rows++;
        }
        if (!dropped && isfinite(age)) {
            out->latency_ms += age;
            out->latency_rows++;
        }
        out->missed += missed;
    }
    fclose(f);
    if (out->rows) out->cpu_ms /= out->rows;
    if (out->gpu_rows) out->gpu_ms /= out->gpu_rows;
    if (out->latency_rows) out->latency_ms /= out->latency_rows;
    return true;
}

int main(void)
{
    conf c;
    conf_start(
        &c, "performance_metrics",
        "XR_META_performance_metrics: paths, enable state, refusals, values = the compositor's measurements");
    CONF_CHECK(&c, conf_extension_listed(XR_META_PERFORMANCE_METRICS_EXTENSION_NAME),
               "xrEnumerateInstanceExtensionProperties does not list %s",
               XR_META_PERFORMANCE_METRICS_EXTENSION_NAME);
    char csv[512];
    snprintf(csv, sizeof(csv), "%s/conf-metrics-%d.csv", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (int)getpid());
    setenv("PARALLAX_SIM_FRAMES", csv, 1);
    setenv("PARALLAX_SIM_MOTION", "yaw:30", 1); /* a moving head, so the poses have an age to measure */
    const char *ext[] = {XR_META_PERFORMANCE_METRICS_EXTENSION_NAME};
    XrPerformanceMetricsCounterMETA got[4];
    bool queried = false;
    if (conf_instance(&c, &(conf_desc){.extensions = ext, .extension_count = 1}) && conf_session(&c) &&
        conf_swapchains(&c)) {
        PFN_xrEnumeratePerformanceMetricsCounterPathsMETA paths =
            (PFN_xrEnumeratePerformanceMetricsCounterPathsMETA)conf_proc(
                &c, "xrEnumeratePerformanceMetricsCounterPathsMETA");
        PFN_xrSetPerformanceMetricsStateMETA set =
            (PFN_xrSetPerformanceMetricsStateMETA)conf_proc(&c, "xrSetPerformanceMetricsStateMETA");
        PFN_xrGetPerformanceMetricsStateMETA get =
            (PFN_xrGetPerformanceMetricsStateMETA)conf_proc(&c, "xrGetPerformanceMetricsStateMETA");
        PFN_xrQueryPerformanceMetricsCounterMETA query =
            (PFN_xrQueryPerformanceMetricsCounterMETA)conf_proc(&c, "xrQueryPerformanceMetricsCounterMETA");
        XrPath wanted_path[4] = {0};
        if (paths && set && get && query) {
            uint32_t n = 0;
            XrPath listed[64];
            CONF_XR(&c, paths(c.instance, 0, &n, NULL));
            if (n > 1) CONF_XR_EXPECT(&c, paths(c.instance, 1, &n, listed), XR_ERROR_SIZE_INSUFFICIENT);
            if (CONF_CHECK(&c, n >= 4 && n <= 64,
                           "%u counter paths listed, expected at least the 4 checked here", n))
                CONF_XR(&c, paths(c.instance, n, &n, listed));
            for (int w = 0; w < 4; w++) {
                CONF_XR(&c, xrStringToPath(c.instance, wanted[w], &wanted_path[w]));
                bool found = false;
                for (uint32_t i = 0; i < n && i < 64; i++) found |= listed[i] == wanted_path[w];
                CONF_CHECK(&c, found, "%s is not among the listed counter paths", wanted[w]);
            }
            XrPerformanceMetricsStateMETA st = {.type = XR_TYPE_PERFORMANCE_METRICS_STATE_META,
                                                .enabled = 42};
            CONF_XR(&c, get(c.session, &st));
            CONF_CHECK(&c, st.enabled == XR_FALSE, "the metrics are enabled (%u) before any xrSet",
                       st.enabled);
            XrPerformanceMetricsCounterMETA counter = {.type = XR_TYPE_PERFORMANCE_METRICS_COUNTER_META};
            CONF_XR_EXPECT(&c, query(c.session, wanted_path[0], &counter), XR_ERROR_VALIDATION_FAILURE);
            st.enabled = XR_TRUE;
            CONF_XR(&c, set(c.session, &st));
            st.enabled = XR_FALSE;
            CONF_XR(&c, get(c.session, &st));
            CONF_CHECK(&c, st.enabled == XR_TRUE, "xrGet says %u after enabling", st.enabled);
            XrPath other = XR_NULL_PATH;
            CONF_XR(&c, xrStringToPath(c.instance, "/perfmetrics_meta/app/not_a_counter", &other));
            CONF_XR_EXPECT(&c, query(c.session, other, &counter), XR_ERROR_PATH_UNSUPPORTED);

            if (conf_begin(&c)) {
                for (int i = 0; i < FRAMES; i++)
                    if (!conf_frame_projection(&c)) break;
                /* Every frame settled (shown or dropped) before the query: 200 ms is 18 refreshes. */
                nanosleep(&(struct timespec){.tv_nsec = 200000000}, NULL);
                queried = true;
                for (int w = 0; w < 4; w++) {
                    got[w] =
                        (XrPerformanceMetricsCounterMETA){.type = XR_TYPE_PERFORMANCE_METRICS_COUNTER_META};
                    queried &= CONF_XR(&c, query(c.session, wanted_path[w], &got[w]));
                }
                conf_end(&c);
            }
            st.enabled = XR_FALSE;
            CONF_XR(&c, set(c.session, &st));
            CONF_XR_EXPECT(&c, query(c.session, wanted_path[0], &counter), XR_ERROR_VALIDATION_FAILURE);
        }
    }
    record rec;
    if (queried && read_record(&c, csv, &rec)) {
        printf("  record: %d frames, cpu %.4f ms, gpu %.4f ms (%d), latency %.4f ms (%d), missed %d\n",
               rec.rows, rec.cpu_ms, rec.gpu_ms, rec.gpu_rows, rec.latency_ms, rec.latency_rows, rec.missed);
        printf("  counters: cpu %.4f ms, gpu %.4f ms, latency %.4f ms, dropped %u\n", got[0].floatValue,
               got[1].floatValue, got[2].floatValue, got[3].uintValue);
        CONF_CHECK(&c, rec.rows == FRAMES, "the record has %d frames, %d were submitted", rec.rows, FRAMES);
        const XrPerformanceMetricsCounterFlagsMETA fvalid =
            XR_PERFORMANCE_METRICS_COUNTER_ANY_VALUE_VALID_BIT_META |
            XR_PERFORMANCE_METRICS_COUNTER_FLOAT_VALUE_VALID_BIT_META;
        const double want[3] = {rec.cpu_ms, rec.gpu_ms, rec.latency_ms};
        for (int w = 0; w < 3; w++) {
            if (!CONF_CHECK(&c, (got[w].counterFlags & fvalid) == fvalid,
                            "%s: counterFlags 0x%llx, no valid float", wanted[w],
                            (unsigned long long)got[w].counterFlags))
                continue;
            CONF_CHECK(&c, got[w].counterUnit == XR_PERFORMANCE_METRICS_COUNTER_UNIT_MILLISECONDS_META,
                       "%s: unit %d, expected milliseconds", wanted[w], (int)got[w].counterUnit);
            CONF_CHECK(&c, fabs(got[w].floatValue - want[w]) <= 0.002 + 1e-5 * want[w],
                       "%s is %.4f ms, the compositor's record says %.4f ms", wanted[w], got[w].floatValue,
                       want[w]);
        }
        CONF_CHECK(&c, rec.latency_ms > 0, "no displayed frame had a measured pose age");
        CONF_CHECK(&c, (got[3].counterFlags & XR_PERFORMANCE_METRICS_COUNTER_UINT_VALUE_VALID_BIT_META) != 0,
                   "%s: counterFlags 0x%llx, no valid uint", wanted[3],
                   (unsigned long long)got[3].counterFlags);
        CONF_CHECK(&c, got[3].uintValue == (uint32_t)rec.missed, "%s is %u, the record has %d frames missed",
                   wanted[3], got[3].uintValue, rec.missed);
    }
    remove(csv);
    unsetenv("PARALLAX_SIM_FRAMES");
    unsetenv("PARALLAX_SIM_MOTION");
    return conf_finish(&c);
}
