/* SPDX-License-Identifier: MIT */
/* PARALLAX_SIM_* environment variables -> sim_config (base/sim_config.h). Every value is parsed strictly
 * (whole string, range checked); a malformed value produces exactly one stderr line naming the variable, the
 * value and the expected form, so a typo never silently runs a different experiment. An empty value means
 * "default".
 * Layer: openxr (the upper part), its lowest rank; calls base/, device/user.c (the input script's check),
 * device/clock.c (the time offset's check) and the motion and faults libraries, to check what they will
 * parse later. */
#include "openxr/sim_openxr.h"
#include "sim_faults.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

#define ENV_PREFIX "PARALLAX_SIM_"

static bool bad_value(const char *name, const char *value, const char *expected)
{
    fprintf(stderr, "parallax-sim: %s=\"%s\": expected %s\n", name, value, expected);
    return false;
}

bool sim_config_bad_value(const char *name, const char *value, const char *expected)
{
    return bad_value(name, value, expected);
}

/* getenv that treats "" like unset. */
static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] ? v : NULL;
}

static bool parse_double(const char *name, double lo, double hi, const char *expected, double *out)
{
    const char *v = env(name);
    if (!v) return true;
    char *end = NULL;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end != '\0' || errno == ERANGE || !isfinite(d) || d < lo || d > hi)
        return bad_value(name, v, expected);
    *out = d;
    return true;
}

static bool parse_int64(const char *name, long long lo, long long hi, const char *expected, int64_t *out)
{
    const char *v = env(name);
    if (!v) return true;
    char *end = NULL;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (end == v || *end != '\0' || errno == ERANGE || x < lo || x > hi) return bad_value(name, v, expected);
    *out = (int64_t)x;
    return true;
}

static bool parse_u64(const char *name, const char *expected, uint64_t *out)
{
    const char *v = env(name);
    if (!v) return true;
    /* strtoull accepts a leading '-' and wraps it; a seed is a plain decimal number. */
    if (v[0] < '0' || v[0] > '9') return bad_value(name, v, expected);
    char *end = NULL;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (*end != '\0' || errno == ERANGE) return bad_value(name, v, expected);
    *out = (uint64_t)x;
    return true;
}

/* One of a list of words; returns the index in *out. */
static bool parse_word(const char *name, const char *const *words, int n, const char *expected, int *out)
{
    const char *v = env(name);
    if (!v) return true;
    for (int i = 0; i < n; i++)
        if (strcmp(v, words[i]) == 0) {
            *out = i;
            return true;
        }
    return bad_value(name, v, expected);
}

static bool parse_string(const char *name, char *dst, size_t cap)
{
    const char *v = env(name);
    if (!v) return true;
    if (strlen(v) >= cap) {
        char expected[64];
        snprintf(expected, sizeof(expected), "a value shorter than %zu bytes", cap);
        return bad_value(name, v, expected);
    }
    memcpy(dst, v, strlen(v) + 1);
    return true;
}

static bool parse_eye_size(sim_config *cfg)
{
    const char *name = ENV_PREFIX "EYE_SIZE", *v = env(name);
    const char *expected = "WIDTHxHEIGHT, each between 16 and 4096 (e.g. 1024x1024)";
    if (!v) return true;
    char *end = NULL;
    if (v[0] < '0' || v[0] > '9') return bad_value(name, v, expected);
    errno = 0;
    unsigned long w = strtoul(v, &end, 10);
    if (errno || *end != 'x') return bad_value(name, v, expected);
    const char *hs = end + 1;
    if (hs[0] < '0' || hs[0] > '9') return bad_value(name, v, expected);
    errno = 0;
    unsigned long h = strtoul(hs, &end, 10);
    if (errno || *end != '\0' || w < 16 || w > 4096 || h < 16 || h > 4096)
        return bad_value(name, v, expected);
    cfg->eye_width = (uint32_t)w;
    cfg->eye_height = (uint32_t)h;
    return true;
}

static bool parse_motion(sim_config *cfg)
{
    const char *name = ENV_PREFIX "MOTION", *v = env(name);
    const char *expected = "still, look, turns, walk, stress, yaw:<deg/s> or csv:<path>";
    if (!v) return true;
    static const char *profiles[] = {"still", "look", "turns", "walk", "stress"};
    bool ok = false;
    for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) ok |= strcmp(v, profiles[i]) == 0;
    bool csv = strncmp(v, "csv:", 4) == 0 && v[4] != '\0';
    bool yaw = strncmp(v, "yaw:", 4) == 0;
    if (!ok && !csv && !yaw) return bad_value(name, v, expected);
    if (!parse_string(name, cfg->motion, sizeof(cfg->motion))) return false;
    if (yaw) {
        /* The motion code checks the rate and prints the one line naming the variable. */
        sim_motion *m = sim_motion_create(v, 0);
        if (!m) return false;
        sim_motion_destroy(&m);
    }
    if (csv) {
        /* Read the trace now so a missing or malformed file fails xrCreateInstance (with the motion code's
         * one line naming the file and line) rather than the session later. The seed does not affect CSV. */
        sim_motion *m = sim_motion_create(v, 0);
        if (!m) return false;
        sim_motion_destroy(&m);
    }
    return true;
}

/* The fault list is kept as text (the frame code parses it into its plan at session begin), but it is
 * checked here so a typo fails xrCreateInstance with the parser's one-line message instead of silently
 * running without the fault. */
static bool parse_faults(sim_config *cfg)
{
    if (!parse_string(ENV_PREFIX "FAULTS", cfg->faults, sizeof(cfg->faults))) return false;
    sim_fault_plan *plan = malloc(sizeof(*plan));
    if (!plan) {
        fprintf(stderr, "parallax-sim: PARALLAX_SIM_FAULTS: out of memory while checking the list\n");
        return false;
    }
    char err[SIM_FAULTS_ERR_SIZE];
    bool ok = sim_faults_parse(cfg->faults, plan, err, sizeof(err));
    free(plan);
    if (!ok) fprintf(stderr, "parallax-sim: %s\n", err);
    return ok;
}

/* Scripted input (device/user.c): checked here so a typo fails xrCreateInstance with one line, as other
 * values. */
static bool parse_input(sim_config *cfg)
{
    if (!parse_string(ENV_PREFIX "INPUT", cfg->input, sizeof(cfg->input))) return false;
    char err[256];
    if (sim_input_check(cfg->input, err, sizeof(err))) return true;
    fprintf(stderr, "parallax-sim: PARALLAX_SIM_INPUT: %s\n", err);
    return false;
}

static bool parse_window(sim_config *cfg)
{
    static const char *words[] = {"0", "off", "false", "1", "on", "true", "auto"};
    int i = -1;
    if (!parse_word(ENV_PREFIX "WINDOW", words, 7, "0, 1, off, on, false, true or auto", &i)) return false;
    if (i >= 0) cfg->window = i < 3 ? 0 : i < 6 ? 1 : -1;
    return true;
}

/* PARALLAX_SIM_TIME_OFFSET: "start", or signed seconds that keep XrTime positive now (and so from now on). */
static bool parse_time_offset(sim_config *cfg)
{
    const char *name = ENV_PREFIX "TIME_OFFSET", *v = env(name);
    const char *expected = "a number of seconds between -1e9 and 1e9 (e.g. -1925.365 or 86400) or start";
    if (!v) return true;
    if (strcmp(v, "start") == 0) {
        cfg->time_offset_start = true;
        return true;
    }
    double sec = 0;
    char *end = NULL;
    errno = 0;
    sec = strtod(v, &end);
    if (end == v || *end != '\0' || errno == ERANGE || !isfinite(sec) || fabs(sec) > 1e9)
        return bad_value(name, v, expected);
    int64_t offset = (int64_t)llround(sec * 1e9);
    int64_t mono = sim_time_monotonic_ns();
    if (mono + offset < 1000000000ll) {
        /* The spec: zero or a negative value is not a valid XrTime. */
        char why[200];
        snprintf(why, sizeof(why),
                 "an offset that keeps XrTime above 1 s: CLOCK_MONOTONIC is %.3f s now, so at least %.3f "
                 "(or start)",
                 (double)mono * 1e-9, 1.0 - (double)mono * 1e-9);
        return bad_value(name, v, why);
    }
    cfg->time_offset_ns = offset;
    return true;
}

/* PARALLAX_SIM_HIDE_EXTENSIONS: the form only (names separated by ','); instance.c checks the names against
 * what the runtime offers. */
static bool parse_hide_extensions(sim_config *cfg)
{
    const char *name = ENV_PREFIX "HIDE_EXTENSIONS";
    if (!parse_string(name, cfg->hide_extensions, sizeof(cfg->hide_extensions))) return false;
    for (const char *p = cfg->hide_extensions; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == ',' || *p == ' '))
            return bad_value(name, cfg->hide_extensions,
                             "extension names (letters, digits, '_') separated by ',', e.g. "
                             "XR_KHR_convert_timespec_time,XR_KHR_composition_layer_depth");
    return true;
}

/* PARALLAX_SIM_BLEND_MODES: opaque, additive, alpha_blend, separated by ','; each at most once. */
static bool parse_blend_modes(sim_config *cfg)
{
    const char *name = ENV_PREFIX "BLEND_MODES";
    const char *v = env(name);
    if (!v) return true;
    static const char *const words[] = {"opaque", "additive", "alpha_blend"};
    const char *expected =
        "environment blend modes opaque, additive, alpha_blend (each at most once), separated by "
        "',', most preferred first, e.g. opaque,alpha_blend";
    char item[32];
    uint32_t n = 0;
    for (const char *p = v; (p = sim_config_list_next(p, item, sizeof(item)));) {
        uint32_t mode = 0;
        for (uint32_t k = 0; k < 3; k++)
            if (strcmp(item, words[k]) == 0) mode = k + 1; /* XR_ENVIRONMENT_BLEND_MODE_OPAQUE is 1 */
        for (uint32_t k = 0; k < n; k++)
            if (cfg->blend_modes[k] == mode) mode = 0;
        if (mode == 0 || n == 3) return bad_value(name, v, expected);
        cfg->blend_modes[n++] = mode;
    }
    if (n == 0) return bad_value(name, v, expected);
    cfg->blend_mode_count = n;
    return true;
}

/* PARALLAX_SIM_SWAPCHAIN_FORMATS: names of the formats openxr/swapchain.c can offer (VkFormat without
 * VK_FORMAT_), separated by ',', each at most once, in the order to offer them. */
static bool parse_swapchain_formats(sim_config *cfg)
{
    const char *name = ENV_PREFIX "SWAPCHAIN_FORMATS";
    const char *v = env(name);
    if (!v) return true;
    static const struct {
        const char *word;
        VkFormat format;
    } formats[] = {
        {"R8G8B8A8_SRGB", VK_FORMAT_R8G8B8A8_SRGB},
        {"B8G8R8A8_SRGB", VK_FORMAT_B8G8R8A8_SRGB},
        {"R8G8B8A8_UNORM", VK_FORMAT_R8G8B8A8_UNORM},
        {"B8G8R8A8_UNORM", VK_FORMAT_B8G8R8A8_UNORM},
        {"R16G16B16A16_SFLOAT", VK_FORMAT_R16G16B16A16_SFLOAT},
        {"A2B10G10R10_UNORM_PACK32", VK_FORMAT_A2B10G10R10_UNORM_PACK32},
        {"B10G11R11_UFLOAT_PACK32", VK_FORMAT_B10G11R11_UFLOAT_PACK32},
        {"R16G16B16A16_UNORM", VK_FORMAT_R16G16B16A16_UNORM},
        {"D32_SFLOAT", VK_FORMAT_D32_SFLOAT},
        {"D24_UNORM_S8_UINT", VK_FORMAT_D24_UNORM_S8_UINT},
        {"D16_UNORM", VK_FORMAT_D16_UNORM},
    };
    enum { FORMAT_COUNT = sizeof(formats) / sizeof(formats[0]) };
    char expected[768];
    size_t len = (size_t)snprintf(expected, sizeof(expected), "formats from ");
    for (size_t k = 0; k < FORMAT_COUNT; k++)
        len +=
            (size_t)snprintf(expected + len, sizeof(expected) - len, "%s%s", k ? ", " : "", formats[k].word);
    snprintf(expected + len, sizeof(expected) - len,
             " (each at most once, at least one colour format) separated by ',', in the order to offer them, "
             "e.g. R16G16B16A16_SFLOAT,R8G8B8A8_UNORM,D32_SFLOAT");
    char item[64];
    uint32_t n = 0;
    bool colour = false;
    for (const char *p = v; (p = sim_config_list_next(p, item, sizeof(item)));) {
        const char *word = strncmp(item, "VK_FORMAT_", 10) == 0 ? item + 10 : item;
        int64_t f = 0;
        for (size_t k = 0; k < FORMAT_COUNT && !f; k++)
            if (strcmp(word, formats[k].word) == 0) f = formats[k].format;
        for (uint32_t k = 0; k < n && f; k++)
            if (cfg->swapchain_formats[k] == f) f = 0;
        if (!f || n == FORMAT_COUNT) return bad_value(name, v, expected);
        colour = colour || !sim_vk_format_is_depth((VkFormat)f);
        cfg->swapchain_formats[n++] = f;
    }
    if (!colour) return bad_value(name, v, expected);
    cfg->swapchain_format_count = n;
    return true;
}

const char *sim_config_list_next(const char *list, char *out, size_t cap)
{
    const char *p = list;
    while (*p == ' ' || *p == ',') p++;
    if (!*p) return NULL;
    size_t n = 0;
    while (*p && *p != ',' && *p != ' ') {
        if (n + 1 < cap) out[n++] = *p;
        p++;
    }
    out[n] = '\0';
    return p;
}

bool sim_config_extension_hidden(const char *name)
{
    const char *v = env(ENV_PREFIX "HIDE_EXTENSIONS");
    char item[128];
    for (const char *p = v; p && (p = sim_config_list_next(p, item, sizeof(item)));)
        if (strcmp(item, name) == 0) return true;
    return false;
}

/* Every variable this runtime reads; anything else with the prefix is probably a typo. */
static const char *const known_names[] = {
    ENV_PREFIX "EYE_SIZE",
    ENV_PREFIX "REFRESH_HZ",
    ENV_PREFIX "DISPLAY_OFFSET_MS",
    ENV_PREFIX "COMPOSITOR_LEAD_MS",
    ENV_PREFIX "IPD_MM",
    ENV_PREFIX "MOTION",
    ENV_PREFIX "SEED",
    ENV_PREFIX "PACING",
    ENV_PREFIX "PREDICTION",
    ENV_PREFIX "HANDLE_VALUES",
    ENV_PREFIX "REPORT",
    ENV_PREFIX "FRAMES",
    ENV_PREFIX "CAPTURE",
    ENV_PREFIX "CAPTURE_FRAME",
    ENV_PREFIX "WINDOW",
    ENV_PREFIX "FAULTS",
    ENV_PREFIX "INPUT",
    ENV_PREFIX "LOG",
    ENV_PREFIX "CONNECT_DELAY_MS",
    ENV_PREFIX "USER_PRESENCE",
    ENV_PREFIX "TIME_OFFSET",
    ENV_PREFIX "HIDE_EXTENSIONS",
    ENV_PREFIX "WAIT_JITTER_MS",
    ENV_PREFIX "BLEND_MODES",
    ENV_PREFIX "SWAPCHAIN_FORMATS",
};

static void warn_unknown_names(void)
{
    for (char **e = environ; e && *e; e++) {
        if (strncmp(*e, ENV_PREFIX, strlen(ENV_PREFIX)) != 0) continue;
        size_t len = strcspn(*e, "=");
        bool known = false;
        for (size_t i = 0; i < sizeof(known_names) / sizeof(known_names[0]) && !known; i++)
            known = strlen(known_names[i]) == len && strncmp(known_names[i], *e, len) == 0;
        if (!known)
            sim_log(SIM_LOG_WARN,
                    "unknown variable %.*s ignored (the simulator's README lists every PARALLAX_SIM_* name)",
                    (int)len, *e);
    }
}

bool sim_config_load(sim_config *out_cfg)
{
    sim_config cfg = {
        .eye_width = 1024,
        .eye_height = 1024,
        .refresh_hz = 90.0,
        .display_offset_ms = 2.0,
        .compositor_lead_ms = 2.0,
        .ipd_m = 0.063f,
        .motion = "look",
        .seed = 1,
        .pacing = SIM_PACING_FIXED,
        .prediction = SIM_PREDICTION_PREDICT,
        .capture_frame = 60,
        .window = 0,
        .log_level = SIM_LOG_WARN,
        .blend_modes = {XR_ENVIRONMENT_BLEND_MODE_OPAQUE},
        .blend_mode_count = 1,
    };
    double ipd_mm = 63.0;
    int pacing = (int)cfg.pacing, prediction = (int)cfg.prediction, log_level = cfg.log_level;
    int presence = (int)cfg.user_presence, handle_values = (int)cfg.handle_values;
    static const char *handle_value_words[] = {"unique", "reuse"};
    static const char *presence_words[] = {"sensor", "focus", "none"};
    static const char *pacing_words[] = {"fixed", "adaptive"};
    static const char *prediction_words[] = {"predict", "raw"};
    static const char *log_words[] = {"error", "warn", "info", "debug"};

    /* Stop at the first bad value: one line, one culprit. */
    bool ok =
        parse_eye_size(&cfg) &&
        parse_double(ENV_PREFIX "REFRESH_HZ", 30.0, 240.0, "a number between 30 and 240", &cfg.refresh_hz) &&
        parse_double(ENV_PREFIX "DISPLAY_OFFSET_MS", 0.0, 100.0, "a number of milliseconds between 0 and 100",
                     &cfg.display_offset_ms) &&
        parse_double(ENV_PREFIX "COMPOSITOR_LEAD_MS", 0.0, 20.0, "a number of milliseconds between 0 and 20",
                     &cfg.compositor_lead_ms) &&
        parse_double(ENV_PREFIX "IPD_MM", 40.0, 90.0, "a number of millimetres between 40 and 90", &ipd_mm) &&
        parse_motion(&cfg) && parse_u64(ENV_PREFIX "SEED", "a non-negative integer", &cfg.seed) &&
        parse_word(ENV_PREFIX "PACING", pacing_words, 2, "fixed or adaptive", &pacing) &&
        parse_word(ENV_PREFIX "PREDICTION", prediction_words, 2, "predict or raw", &prediction) &&
        parse_string(ENV_PREFIX "REPORT", cfg.report_path, sizeof(cfg.report_path)) &&
        parse_string(ENV_PREFIX "FRAMES", cfg.frames_path, sizeof(cfg.frames_path)) &&
        parse_string(ENV_PREFIX "CAPTURE", cfg.capture_path, sizeof(cfg.capture_path)) &&
        parse_int64(ENV_PREFIX "CAPTURE_FRAME", 0, INT64_MAX, "a displayed-frame index >= 0",
                    &cfg.capture_frame) &&
        parse_window(&cfg) && parse_faults(&cfg) && parse_input(&cfg) &&
        parse_word(ENV_PREFIX "LOG", log_words, 4, "error, warn, info or debug", &log_level) &&
        parse_double(ENV_PREFIX "CONNECT_DELAY_MS", 0.0, 600000.0,
                     "a number of milliseconds between 0 and 600000", &cfg.connect_delay_ms) &&
        parse_word(ENV_PREFIX "USER_PRESENCE", presence_words, 3, "sensor, focus or none", &presence) &&
        parse_time_offset(&cfg) && parse_hide_extensions(&cfg) &&
        parse_double(ENV_PREFIX "WAIT_JITTER_MS", 0.0, 50.0, "a number of milliseconds between 0 and 50",
                     &cfg.wait_jitter_ms) &&
        parse_blend_modes(&cfg) && parse_swapchain_formats(&cfg) &&
        parse_word(ENV_PREFIX "HANDLE_VALUES", handle_value_words, 2, "unique or reuse", &handle_values);
    if (!ok) return false;

    /* The compositor starts its lead before vsync: a lead of a whole period or more leaves no frame time. */
    if (cfg.compositor_lead_ms >= 1000.0 / cfg.refresh_hz) {
        char value[64];
        snprintf(value, sizeof(value), "%g", cfg.compositor_lead_ms);
        return bad_value(ENV_PREFIX "COMPOSITOR_LEAD_MS", value,
                         "a lead shorter than one refresh period (PARALLAX_SIM_REFRESH_HZ)");
    }
    cfg.ipd_m = (float)(ipd_mm / 1000.0);
    cfg.pacing = (sim_pacing)pacing;
    cfg.prediction = (sim_prediction)prediction;
    cfg.log_level = log_level;
    cfg.user_presence = (sim_user_presence)presence;
    cfg.handle_values = (sim_handle_values)handle_values;
    sim_log_set_level(log_level);
    warn_unknown_names();
    *out_cfg = cfg;
    return true;
}
