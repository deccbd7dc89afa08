/* SPDX-License-Identifier: MIT */
/* input_every_profile_scripted: PARALLAX_SIM_INPUT drives every input of every interaction profile an
 * OpenXR 1.0 application can suggest (issue 10 §2: "The preview window and the input script can drive any of
 * them"). For each profile, one session whose application suggests bindings for that profile alone, an
 * action bound to each of its input components on each of its user paths (pose and haptic paths left out),
 * and a script that sets every input identifier of the profile on every user path at once: a button or axis
 * to 1, a vector to (0.5, -0.25) with its click and force set on their own. After xrSyncActions every action
 * must read what its component takes from that (simulator/README.md "Input": click a press or a value of 1,
 * touch and proximity any contact, value and force the value, x and y the vector), and
 * xrGetCurrentInteractionProfile must name the profile. Spec: OpenXR 1.0,
 * xrspec.html#input-suggested-bindings and #semantic-paths-interaction-profiles (each profile's input paths,
 * from the runtime's table generated from the registry), #xrGetActionStateBoolean, #xrGetActionStateFloat.
 * Prints one line per profile. */
#include "conf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_profiles.h"
#include "profile_inputs.h"

#define MAX_BINDINGS 128
#define SCRIPT_CAP   1024 /* PARALLAX_SIM_INPUT holds up to 1023 characters */

typedef struct bound {
    XrAction action;
    XrActionType type;
    float want;
    char path[160];
} bound;

/* Appends "DEVICE.ID...=VALUE@0; " events for every identifier of user path u; false when the script
 * overflows. */
static bool script_user(const sim_profile_def *p, int u, char *script, size_t cap)
{
    const char *dev = profile_inputs_device(p->user_paths[u]);
    char done[64][48];
    int ndone = 0;
    for (uint32_t k = 0; k < p->component_count; k++) {
        const sim_profile_component *c = &p->components[k];
        char id[48];
        const char *component;
        if (c->requires || (c->user_path && c->user_path != u + 1) ||
            !profile_inputs_split(c->subpath, id, sizeof(id), &component) || strcmp(component, "pose") == 0)
            continue;
        bool seen = false;
        for (int i = 0; i < ndone; i++) seen |= strcmp(done[i], id) == 0;
        if (seen || ndone == 64) continue;
        snprintf(done[ndone++], sizeof(done[0]), "%s", id);
        size_t len = strlen(script);
        int n;
        if (profile_inputs_has(p, (uint32_t)u, id, "x", 0)) {
            n = snprintf(script + len, cap - len, "%s.%s=0.5,-0.25@0; ", dev, id);
            if (n > 0 && (size_t)n < cap - len && profile_inputs_has(p, (uint32_t)u, id, "click", 0))
                len += (size_t)n, n = snprintf(script + len, cap - len, "%s.%s.click=1@0; ", dev, id);
            if (n > 0 && (size_t)n < cap - len && profile_inputs_has(p, (uint32_t)u, id, "force", 0))
                len += (size_t)n, n = snprintf(script + len, cap - len, "%s.%s.force=1@0; ", dev, id);
        } else {
            n = snprintf(script + len, cap - len, "%s.%s=1@0; ", dev, id);
        }
        if (n < 0 || (size_t)n >= cap - len) return false;
    }
    return true;
}

/* One session for profile p; returns the number of inputs checked (failures recorded in the test's conf). */
static int run_profile(const sim_profile_def *p, int *out_failures)
{
    conf c;
    conf_start(&c, "input_every_profile_scripted", p->path);
    char script[SCRIPT_CAP] = "";
    bool fits = true;
    for (uint32_t u = 0; u < p->user_path_count; u++) fits &= script_user(p, (int)u, script, sizeof(script));
    CONF_CHECK(&c, fits, "%s: the script for every identifier is longer than %d characters", p->path,
               SCRIPT_CAP - 1);
    setenv("PARALLAX_SIM_INPUT", script, 1);
    static bound b[MAX_BINDINGS];
    int n = 0;
    if (fits && conf_instance(&c, NULL) && conf_session(&c) && conf_begin(&c)) {
        XrActionSet set = conf_action_set(&c, "every_input");
        XrActionSuggestedBinding sb[MAX_BINDINGS];
        for (uint32_t u = 0; u < p->user_path_count; u++)
            for (uint32_t k = 0; k < p->component_count && n < MAX_BINDINGS; k++) {
                const sim_profile_component *pc = &p->components[k];
                char id[48], name[32];
                const char *component;
                if (pc->requires || (pc->user_path && pc->user_path != u + 1) ||
                    !profile_inputs_split(pc->subpath, id, sizeof(id), &component) ||
                    strcmp(component, "pose") == 0)
                    continue;
                bound *e = &b[n];
                e->type = pc->type == XR_ACTION_TYPE_BOOLEAN_INPUT ? XR_ACTION_TYPE_BOOLEAN_INPUT
                                                                   : XR_ACTION_TYPE_FLOAT_INPUT;
                e->want = profile_inputs_pressed(component);
                snprintf(e->path, sizeof(e->path), "%s%s", p->user_paths[u], pc->subpath);
                snprintf(name, sizeof(name), "input_%d", n);
                e->action = conf_action(&c, set, name, e->type, 0, NULL);
                sb[n] = (XrActionSuggestedBinding){e->action, conf_path(&c, e->path)};
                n++;
            }
        CONF_XR(&c, conf_suggest(&c, p->path, sb, (uint32_t)n));
        XrSessionActionSetsAttachInfo ai = {
            .type = XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO, .countActionSets = 1, .actionSets = &set};
        CONF_XR(&c, xrAttachSessionActionSets(c.session, &ai));
        XrActiveActionSet active = {set, XR_NULL_PATH};
        XrActionsSyncInfo si = {
            .type = XR_TYPE_ACTIONS_SYNC_INFO, .countActiveActionSets = 1, .activeActionSets = &active};
        for (int i = 0; i < 15; i++) { /* focused, and the script's events (at 0 s) synced */
            conf_frame(&c);
            xrSyncActions(c.session, &si);
        }
        XrInteractionProfileState ips = {.type = XR_TYPE_INTERACTION_PROFILE_STATE};
        CONF_XR(&c, xrGetCurrentInteractionProfile(c.session, conf_path(&c, p->user_paths[0]), &ips));
        CONF_CHECK(&c, ips.interactionProfile == conf_path(&c, p->path), "%s does not present %s",
                   p->user_paths[0], p->path);
        int wrong = 0;
        for (int i = 0; i < n; i++) {
            XrActionStateGetInfo gi = {.type = XR_TYPE_ACTION_STATE_GET_INFO, .action = b[i].action};
            float got;
            bool is_active;
            if (b[i].type == XR_ACTION_TYPE_BOOLEAN_INPUT) {
                XrActionStateBoolean s = {.type = XR_TYPE_ACTION_STATE_BOOLEAN};
                CONF_XR(&c, xrGetActionStateBoolean(c.session, &gi, &s));
                got = s.currentState ? 1.0f : 0.0f, is_active = s.isActive;
            } else {
                XrActionStateFloat s = {.type = XR_TYPE_ACTION_STATE_FLOAT};
                CONF_XR(&c, xrGetActionStateFloat(c.session, &gi, &s));
                got = s.currentState, is_active = s.isActive;
            }
            bool ok = is_active && fabsf(got - b[i].want) < 1e-4f;
            wrong += !ok;
            CONF_CHECK(&c, ok, "%s: %s reads %.3f (%s), the script set %.3f", p->path, b[i].path, (double)got,
                       is_active ? "active" : "inactive", (double)b[i].want);
        }
        printf("  %s: %d inputs on %u user path(s) driven by the script, %d read what it set\n", p->path, n,
               p->user_path_count, n - wrong);
        conf_end(&c);
    }
    unsetenv("PARALLAX_SIM_INPUT");
    *out_failures += conf_finish(&c) != 0; /* counts validation messages too */
    return n;
}

int main(void)
{
    int failures = 0, profiles = 0, inputs = 0;
    for (uint32_t i = 0; i < sim_profile_count(); i++) {
        const sim_profile_def *p = sim_profile_at(i);
        if (!sim_profile_available(p, 0))
            continue; /* OpenXR 1.1 and extension profiles: not on this instance */
        inputs += run_profile(p, &failures);
        profiles++;
    }
    printf("%s input_every_profile_scripted: %d profiles, %d inputs\n", failures ? "FAIL" : "PASS", profiles,
           inputs);
    return failures || profiles < 9 ? 1 : 0;
}
