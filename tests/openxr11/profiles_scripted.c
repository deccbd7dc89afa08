/* SPDX-License-Identifier: MIT */
/* openxr11_profiles_scripted: PARALLAX_SIM_INPUT drives every input of every interaction profile OpenXR 1.1
 * added (issue 10 §2: "The preview window and the input script can drive any of them"), through a session of
 * an OpenXR 1.1 application: the conformance harness (tests/conformance/conf.c, both validation layers on)
 * built against the 1.1 headers and run through xr11_loader.c (xr11_dispatch.h), since Debian's 1.0.20 loader
 * refuses 1.1 applications.
 *
 * One session. The application suggests bindings for all the 1.1-only profiles at once: one action per input
 * component on each user path (poses and haptics left out), so an action reads only while its own profile is
 * presented. The script then walks through the profiles, one phase each, W seconds pressed and W released:
 * at T_k both hands present profile k ("left.profile=...@T_k") and every input identifier of that profile is
 * pressed or moved on both hands (a button or axis to 1, a vector to (0.5, -0.25) with its click and force);
 * at T_k + W all of them are released. Each xrSyncActions (one per frame) whose time relative to
 * xrBeginSession is known to fall inside one phase half (the application brackets xrBeginSession and each
 * sync with XR_KHR_convert_timespec_time) checks: xrGetCurrentInteractionProfile names profile k on every
 * user path; every action of profile k is active and reads what the script set for that half (pressed: what
 * its component takes from the press, simulator/README.md "Input"; released: 0), with a lastChangeTime no
 * earlier than the scripted time; at the half's first sync, every action of the other profiles is inactive.
 * Every half of every phase must be seen, and one XrEventDataInteractionProfileChanged per change of profile.
 * Spec: OpenXR 1.1, xrspec.html#semantic-paths-interaction-profiles and #versions-1.1-promotions (the
 * profiles; their input paths from the runtime's table generated from the registry),
 * #input-suggested-bindings
 * ("Interaction profile selection changes must only happen when xrSyncActions is called"),
 * #xrGetCurrentInteractionProfile, #XrActionStateBoolean / #XrActionStateFloat (isActive, lastChangeTime).
 * Prints one line per profile. */
#include "conf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_profiles.h"
#include "profile_inputs.h"

#define MAX_PROFILES 16
#define MAX_ACTIONS  768
#define SCRIPT_CAP   32768 /* PARALLAX_SIM_INPUT holds up to 32767 characters */
#define T0           0.3   /* s after xrBeginSession: the first phase (the session is FOCUSED by then) */
/* s pressed, then s released, per profile: each half needs one xrSyncActions inside it, so a frame stall
 * longer than W (a loaded CI machine, the ASan pass) would fail the test; 0.2 s leaves room for one. */
#define W        0.2
#define FEATURES SIM_PROFILE_FEATURE_XR_VERSION_1_1

typedef struct bound {
    XrAction action;
    XrActionType type;
    int profile; /* index into the phase list */
    float want;  /* what it reads while pressed */
    char path[160];
    int seen[2]; /* determined syncs that checked it pressed, released */
} bound;

typedef struct phase {
    const sim_profile_def *p;
    int first, count; /* its actions in the bound list */
    int syncs[2];     /* determined, focused syncs in its pressed and released half */
} phase;

static bound g_b[MAX_ACTIONS];
static phase g_ph[MAX_PROFILES];
static int g_nb, g_nph;

/* An input component of profile p for user path u this instance has (no pose, no output). */
static bool scripted_component(uint32_t u, const sim_profile_component *c, char *id, size_t id_cap,
                               const char **component)
{
    return (FEATURES & c->requires) == c->requires && (!c->user_path || c->user_path == u + 1) &&
           profile_inputs_split(c->subpath, id, id_cap, component) && strcmp(*component, "pose") != 0;
}

/* Appends one event; false when the script is full. */
static bool add(char *script, const char *fmt, const char *dev, const char *id, double t)
{
    size_t len = strlen(script);
    int n = snprintf(script + len, SCRIPT_CAP - len, fmt, dev, id, t);
    return n > 0 && (size_t)n < SCRIPT_CAP - len;
}

/* The events of phase k: the profile on every user path, every identifier pressed at T_k, released at T_k +
 * W.
 */
static bool script_phase(int k, char *script)
{
    const sim_profile_def *p = g_ph[k].p;
    const double press = T0 + 2 * W * k, release = press + W;
    bool ok = true;
    for (uint32_t u = 0; u < p->user_path_count; u++) {
        const char *dev = profile_inputs_device(p->user_paths[u]);
        ok &= add(script, "%s.profile=%s@%.2f; ", dev, p->path + strlen("/interaction_profiles/"), press);
        char done[64][48];
        int ndone = 0;
        for (uint32_t i = 0; i < p->component_count; i++) {
            char id[48];
            const char *component;
            if (!scripted_component(u, &p->components[i], id, sizeof(id), &component)) continue;
            bool seen = false;
            for (int j = 0; j < ndone; j++) seen |= strcmp(done[j], id) == 0;
            if (seen || ndone == 64) continue;
            snprintf(done[ndone++], sizeof(done[0]), "%s", id);
            if (profile_inputs_has(p, u, id, "x", FEATURES)) {
                ok &= add(script, "%s.%s=0.5,-0.25@%.2f; ", dev, id, press);
                ok &= add(script, "%s.%s=0,0@%.2f; ", dev, id, release);
                const char *extra[] = {"click", "force"};
                for (int e = 0; e < 2; e++) {
                    if (!profile_inputs_has(p, u, id, extra[e], FEATURES)) continue;
                    char fmt[64];
                    snprintf(fmt, sizeof(fmt), "%%s.%%s.%s=1@%%.2f; ", extra[e]);
                    ok &= add(script, fmt, dev, id, press);
                    snprintf(fmt, sizeof(fmt), "%%s.%%s.%s=0@%%.2f; ", extra[e]);
                    ok &= add(script, fmt, dev, id, release);
                }
            } else {
                ok &= add(script, "%s.%s=1@%.2f; ", dev, id, press);
                ok &= add(script, "%s.%s=0@%.2f; ", dev, id, release);
            }
        }
    }
    return ok;
}

/* One action per input component of phase k's profile, suggested for that profile. */
static void bind_phase(conf *c, XrActionSet set, int k)
{
    const sim_profile_def *p = g_ph[k].p;
    XrActionSuggestedBinding sb[128];
    uint32_t n = 0;
    g_ph[k].first = g_nb;
    for (uint32_t u = 0; u < p->user_path_count; u++)
        for (uint32_t i = 0; i < p->component_count && g_nb < MAX_ACTIONS && n < 128; i++) {
            const sim_profile_component *pc = &p->components[i];
            char id[48], name[32];
            const char *component;
            if (!scripted_component(u, pc, id, sizeof(id), &component)) continue;
            bound *e = &g_b[g_nb];
            e->type = pc->type == XR_ACTION_TYPE_BOOLEAN_INPUT ? XR_ACTION_TYPE_BOOLEAN_INPUT
                                                               : XR_ACTION_TYPE_FLOAT_INPUT;
            e->profile = k;
            e->want = profile_inputs_pressed(component);
            snprintf(e->path, sizeof(e->path), "%s%s", p->user_paths[u], pc->subpath);
            snprintf(name, sizeof(name), "p%d_input_%d", k, g_nb);
            e->action = conf_action(c, set, name, e->type, 0, NULL);
            sb[n++] = (XrActionSuggestedBinding){e->action, conf_path(c, e->path)};
            g_nb++;
        }
    g_ph[k].count = g_nb - g_ph[k].first;
    CONF_XR(c, conf_suggest(c, p->path, sb, n));
}

/* An action's state: isActive, the value (booleans 0 or 1) and lastChangeTime. */
static void read_action(conf *c, const bound *b, bool *out_active, float *out_value, XrTime *out_changed)
{
    XrActionStateGetInfo gi = {.type = XR_TYPE_ACTION_STATE_GET_INFO, .action = b->action};
    if (b->type == XR_ACTION_TYPE_BOOLEAN_INPUT) {
        XrActionStateBoolean s = {.type = XR_TYPE_ACTION_STATE_BOOLEAN};
        CONF_XR(c, xrGetActionStateBoolean(c->session, &gi, &s));
        *out_active = s.isActive, *out_value = s.currentState ? 1.0f : 0.0f, *out_changed = s.lastChangeTime;
    } else {
        XrActionStateFloat s = {.type = XR_TYPE_ACTION_STATE_FLOAT};
        CONF_XR(c, xrGetActionStateFloat(c->session, &gi, &s));
        *out_active = s.isActive, *out_value = s.currentState, *out_changed = s.lastChangeTime;
    }
}

/* The checks of one sync known to fall in half h (0 pressed, 1 released) of phase k. at: the earliest XrTime
 * the scripted change of that half may have been applied (xrBeginSession's start + its time). */
static void check_sync(conf *c, int k, int h, XrTime at, XrTime sync_end)
{
    const phase *ph = &g_ph[k];
    const char *p = ph->p->path;
    for (uint32_t u = 0; u < ph->p->user_path_count; u++) {
        XrInteractionProfileState ips = {.type = XR_TYPE_INTERACTION_PROFILE_STATE};
        CONF_XR(c, xrGetCurrentInteractionProfile(c->session, conf_path(c, ph->p->user_paths[u]), &ips));
        CONF_CHECK(c, ips.interactionProfile == conf_path(c, p), "%s %s: %s does not present %s", p,
                   h ? "released" : "pressed", ph->p->user_paths[u], p);
    }
    for (int i = ph->first; i < ph->first + ph->count; i++) {
        bool active;
        float got;
        XrTime changed;
        read_action(c, &g_b[i], &active, &got, &changed);
        const float want = h ? 0.0f : g_b[i].want;
        bool ok = active && fabsf(got - want) < 1e-4f && changed >= at && changed <= sync_end;
        CONF_CHECK(c, ok,
                   "%s: %s reads %.3f (%s, changed %.1f ms after the scripted %s), the script set %.3f", p,
                   g_b[i].path, (double)got, active ? "active" : "inactive", (double)(changed - at) / 1e6,
                   h ? "release" : "press", (double)want);
        g_b[i].seen[h] += ok;
    }
    if (ph->syncs[h] == 0)
        for (int i = 0; i < g_nb; i++) {
            if (g_b[i].profile == k) continue;
            bool active;
            float got;
            XrTime changed;
            read_action(c, &g_b[i], &active, &got, &changed);
            CONF_CHECK(c, !active, "%s %s: %s (of %s) is active while the hands present %s", p,
                       h ? "released" : "pressed", g_b[i].path, g_ph[g_b[i].profile].p->path, p);
        }
}

int main(void)
{
    conf c;
    conf_start(&c, "openxr11_profiles_scripted",
               "PARALLAX_SIM_INPUT selects each OpenXR 1.1 profile and drives every input of it");
    for (uint32_t i = 0; i < sim_profile_count() && g_nph < MAX_PROFILES; i++) {
        const sim_profile_def *p = sim_profile_at(i);
        if (sim_profile_available(p, FEATURES) && !sim_profile_available(p, 0)) g_ph[g_nph++].p = p;
    }
    CONF_CHECK(&c, g_nph == 13, "%d profiles only in OpenXR 1.1, expected the 13 it promoted", g_nph);
    static char script[SCRIPT_CAP];
    bool fits = true;
    for (int k = 0; k < g_nph; k++) fits &= script_phase(k, script);
    CONF_CHECK(&c, fits, "the script is longer than %d characters", SCRIPT_CAP - 1);
    printf("  the script: %zu characters, %d phases of %.0f ms pressed and %.0f ms released from %.2f s\n",
           strlen(script), g_nph, W * 1e3, W * 1e3, T0);
    setenv("PARALLAX_SIM_INPUT", script, 1);
    const char *exts[] = {XR_KHR_CONVERT_TIMESPEC_TIME_EXTENSION_NAME};
    const conf_desc desc = {.api_version = XR_API_VERSION_1_1, .extensions = exts, .extension_count = 1};
    int profile_events = 0, determined = 0, syncs = 0;
    if (fits && conf_instance(&c, &desc) && conf_session(&c)) {
        PFN_xrConvertTimespecTimeToTimeKHR to_time =
            (PFN_xrConvertTimespecTimeToTimeKHR)conf_proc(&c, "xrConvertTimespecTimeToTimeKHR");
        XrActionSet set = conf_action_set(&c, "profiles_1_1");
        for (int k = 0; k < g_nph; k++) bind_phase(&c, set, k);
        XrSessionActionSetsAttachInfo ai = {
            .type = XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO, .countActionSets = 1, .actionSets = &set};
        CONF_XR(&c, xrAttachSessionActionSets(c.session, &ai));
        /* xrBeginSession, bracketed: script time 0 is somewhere in [b0, b1]. */
        for (int i = 0; i < 5000 && c.state != XR_SESSION_STATE_READY; i++)
            if (conf_poll(&c, NULL) == XR_EVENT_UNAVAILABLE) nanosleep(&(struct timespec){0, 1000000}, NULL);
        XrTime b0 = 0, b1 = 0, t0 = 0, t1 = 0;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        CONF_XR(&c, to_time(c.instance, &ts, &b0));
        XrSessionBeginInfo bi = {.type = XR_TYPE_SESSION_BEGIN_INFO,
                                 .primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO};
        CONF_XR(&c, xrBeginSession(c.session, &bi));
        clock_gettime(CLOCK_MONOTONIC, &ts);
        CONF_XR(&c, to_time(c.instance, &ts, &b1));
        /* The scripted changes in order: 2k at T_k (profile k, pressed), 2k + 1 at T_k + W (released). */
        const int nchanges = 2 * g_nph;
        const double end = T0 + 2 * W * g_nph + 0.05;
        XrActiveActionSet active = {set, XR_NULL_PATH};
        XrActionsSyncInfo si = {
            .type = XR_TYPE_ACTIONS_SYNC_INFO, .countActiveActionSets = 1, .activeActionSets = &active};
        for (int frame = 0; frame < 2000 && (double)(t0 - b1) / 1e9 < end && c.failures < 50; frame++) {
            if (!conf_frame(&c)) break;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            to_time(c.instance, &ts, &t0);
            XrResult r = xrSyncActions(c.session, &si);
            clock_gettime(CLOCK_MONOTONIC, &ts);
            to_time(c.instance, &ts, &t1);
            syncs++;
            if (r != XR_SUCCESS) continue; /* not focused yet */
            /* The sync saw the script at a session time in [t0 - b1, t1 - b0]: changes due by the first are
             * applied, changes after the second are not; one in between leaves the sync undetermined. */
            const double lo = (double)(t0 - b1) / 1e9, hi = (double)(t1 - b0) / 1e9;
            int before_lo = 0, before_hi = 0;
            for (int j = 0; j < nchanges; j++) {
                const double tj = T0 + W * j;
                before_lo += tj <= lo;
                before_hi += tj <= hi;
            }
            if (before_lo != before_hi || before_lo == 0 || before_lo > nchanges) continue;
            const int k = (before_lo - 1) / 2, h = (before_lo - 1) % 2;
            const XrTime at = b0 + (XrTime)llround((T0 + W * (before_lo - 1)) * 1e9);
            check_sync(&c, k, h, at, t1);
            g_ph[k].syncs[h]++;
            determined++;
        }
        conf_end(&c);
        for (int i = 0; i < c.event_count && i < 256; i++)
            profile_events += c.event_log[i].type == XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED;
    }
    unsetenv("PARALLAX_SIM_INPUT");
    int inputs = 0, pressed = 0, released = 0;
    for (int k = 0; k < g_nph; k++) {
        const phase *ph = &g_ph[k];
        int ok[2] = {0, 0};
        for (int i = ph->first; i < ph->first + ph->count; i++)
            for (int h = 0; h < 2; h++) ok[h] += g_b[i].seen[h] > 0;
        printf("  %s: %d inputs on %u user path(s); pressed at %.2f s: %d syncs, %d inputs read the press; "
               "released at %.2f s: %d syncs, %d read the release\n",
               ph->p->path, ph->count, ph->p->user_path_count, T0 + 2 * W * k, ph->syncs[0], ok[0],
               T0 + 2 * W * k + W, ph->syncs[1], ok[1]);
        CONF_CHECK(&c, ph->syncs[0] > 0 && ph->syncs[1] > 0,
                   "%s: no xrSyncActions fell inside its %s half (frames slower than %.0f ms?)", ph->p->path,
                   ph->syncs[0] ? "released" : "pressed", W * 1e3);
        inputs += ph->count, pressed += ok[0], released += ok[1];
    }
    /* The first sync after attaching picks the first profile; each later phase changes it once. */
    CONF_CHECK(&c, profile_events == g_nph, "%d XrEventDataInteractionProfileChanged, expected %d",
               profile_events, g_nph);
    printf("  %d profiles, %d inputs: %d read the press and %d the release at the scripted time; %d of %d "
           "syncs determined; %d profile change events\n",
           g_nph, inputs, pressed, released, determined, syncs, profile_events);
    CONF_CHECK(&c, inputs > 0 && pressed == inputs && released == inputs,
               "%d of %d inputs read the press, %d the release", pressed, inputs, released);
    return conf_finish(&c);
}
