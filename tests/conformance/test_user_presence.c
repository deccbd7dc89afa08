/* SPDX-License-Identifier: MIT */
/* XR_EXT_user_presence: XrSystemUserPresencePropertiesEXT says whether the system senses its user; when it
 * does, XrEventDataUserPresenceChangedEXT is queued at every successful xrBeginSession and whenever the user
 * puts the headset on or takes it off while the session runs, never after xrEndSession; when it does not,
 * never. Spec: OpenXR 1.0 and 1.1, xrspec.html#XR_EXT_user_presence: #XrSystemUserPresencePropertiesEXT ("If
 * the system does not support user presence sensing, the runtime must return XR_FALSE for
 * supportsUserPresence and must not queue the XrEventDataUserPresenceChangedEXT event"),
 * #XrEventDataUserPresenceChangedEXT ("The runtime must queue this event upon a successful call to the
 * xrBeginSession function, regardless of the value of isUserPresent"; "After the application calls
 * xrEndSession ... the runtime must not enqueue any more user presence events"; "The user presence is
 * fundamentally decoupled from the session lifecycle ... A runtime may choose to correlate the two states or
 * keep them independent"). The simulated headset covers the room the spec leaves
 * (PARALLAX_SIM_USER_PRESENCE): `sensor` keeps the session state apart from presence, `focus` takes the
 * session from FOCUSED down to SYNCHRONIZED while the headset is off (each transition one the session state
 * diagram allows, #session-lifecycle) and back when it is on again, `none` has no sensor. The user is
 * scripted with PARALLAX_SIM_INPUT's head.worn. The extension is new, so the test fails at xrCreateInstance
 * on a runtime without it. */
#include "conf.h"

#include <stdlib.h>

/* Presence events and session states seen, in order: 'P'/'A' (present / absent) or the state's digit. */
static int history(const conf *c, char *out, size_t size)
{
    size_t n = 0;
    int presence = 0;
    for (int i = 0; i < c->event_count && i < 256 && n + 2 < size; i++) {
        const XrEventDataBuffer *ev = &c->event_log[i];
        if (ev->type == XR_TYPE_EVENT_DATA_USER_PRESENCE_CHANGED_EXT) {
            const XrEventDataUserPresenceChangedEXT *p = (const void *)ev;
            out[n++] = p->isUserPresent ? 'P' : 'A';
            presence++;
        } else if (ev->type == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED) {
            out[n++] = (char)('0' + ((const XrEventDataSessionStateChanged *)ev)->state);
        }
    }
    out[n] = '\0';
    return presence;
}

/* One run: a session through begin, the script, end, and a wait past a change scripted after the end. */
static void run(conf *c, const char *mode, const char *expect, XrBool32 expect_supported)
{
    setenv("PARALLAX_SIM_USER_PRESENCE", mode, 1);
    /* Off at 0.2 s, on at 0.45 s; off again at 1.2 s, after the session has ended. */
    setenv("PARALLAX_SIM_INPUT", "head.worn=0@0.2; head.worn=1@0.45; head.worn=0@1.2", 1);
    const char *ext[] = {XR_EXT_USER_PRESENCE_EXTENSION_NAME};
    /* The property, on an instance of its own without the core validation layer: Debian's layer (1.0.20)
     * predates the extension and rejects its structure in XrSystemProperties' next chain. */
    XrInstance plain = XR_NULL_HANDLE;
    if (conf_create_instance(c,
                             &(conf_desc){.extensions = ext,
                                          .extension_count = 1,
                                          .without_layer = true,
                                          .without_layer_reason =
                                              "XrSystemUserPresencePropertiesEXT is newer than "
                                              "the 1.0.20 layer"},
                             &plain)) {
        XrSystemId sys = XR_NULL_SYSTEM_ID;
        XrSystemGetInfo gi = {.type = XR_TYPE_SYSTEM_GET_INFO,
                              .formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY};
        XrSystemUserPresencePropertiesEXT up = {.type = XR_TYPE_SYSTEM_USER_PRESENCE_PROPERTIES_EXT,
                                                .supportsUserPresence = 42};
        XrSystemProperties sp = {.type = XR_TYPE_SYSTEM_PROPERTIES, .next = &up};
        if (CONF_XR(c, xrGetSystem(plain, &gi, &sys)) && CONF_XR(c, xrGetSystemProperties(plain, sys, &sp)))
            CONF_CHECK(c, up.supportsUserPresence == expect_supported,
                       "%s: supportsUserPresence is %u, expected %u", mode, up.supportsUserPresence,
                       expect_supported);
        xrDestroyInstance(plain);
    }
    if (!conf_instance(c, &(conf_desc){.extensions = ext, .extension_count = 1})) return;
    if (!conf_session(c) || !conf_begin(c)) return;
    int64_t start = conf_monotonic_ns();
    bool rendered_while_off = false;
    while (conf_monotonic_ns() - start < 700000000LL) {
        if (!conf_frame(c)) return;
        int64_t t = conf_monotonic_ns() - start;
        /* Well inside the time the headset is off (0.2 .. 0.45 s after xrBeginSession). */
        if (t > 300000000LL && t < 400000000LL && c->last_frame.shouldRender) rendered_while_off = true;
    }
    conf_end(c);
    /* The change at 1.2 s comes after xrEndSession: it must not be reported. */
    while (conf_monotonic_ns() - start < 1400000000LL)
        nanosleep(&(struct timespec){.tv_nsec = 20000000}, NULL);
    conf_drain(c);
    char seen[256];
    history(c, seen, sizeof(seen));
    /* States: 1 IDLE, 2 READY, 3 SYNCHRONIZED, 4 VISIBLE, 5 FOCUSED, 6 STOPPING, 8 EXITING. */
    printf("  %s: presence events and states: %s\n", mode, seen);
    CONF_CHECK(c, strcmp(seen, expect) == 0, "%s: presence events and session states were %s, expected %s",
               mode, seen, expect);
    if (strcmp(mode, "focus") == 0)
        CONF_CHECK(c, !rendered_while_off,
                   "focus: xrWaitFrame asked for rendering while the headset was off");
    for (int i = 0; i < c->event_count && i < 256; i++)
        if (c->event_log[i].type == XR_TYPE_EVENT_DATA_USER_PRESENCE_CHANGED_EXT)
            CONF_CHECK(c,
                       ((const XrEventDataUserPresenceChangedEXT *)&c->event_log[i])->session == c->session,
                       "%s: a presence event names another session", mode);
    conf_teardown(c);
}

int main(void)
{
    conf c;
    conf_start(&c, "user_presence",
               "XR_EXT_user_presence: support property, events at begin and on change only");
    CONF_CHECK(&c, conf_extension_listed(XR_EXT_USER_PRESENCE_EXTENSION_NAME),
               "xrEnumerateInstanceExtensionProperties does not list %s",
               XR_EXT_USER_PRESENCE_EXTENSION_NAME);
    /* sensor: presence at begin (P), off (A) and on (P) while FOCUSED; states untouched. */
    run(&c, "sensor", "12P345AP43618", XR_TRUE);
    /* focus: the same events, and the session leaves FOCUSED for SYNCHRONIZED while the headset is off. */
    run(&c, "focus", "12P345A43P4543618", XR_TRUE);
    /* none: no sensor, no presence events. */
    run(&c, "none", "1234543618", XR_FALSE);
    unsetenv("PARALLAX_SIM_USER_PRESENCE");
    unsetenv("PARALLAX_SIM_INPUT");
    return conf_finish(&c);
}
