/* SPDX-License-Identifier: MIT */
/* The interaction profile changes, and XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED is queued, only in
 * xrSyncActions. Spec: OpenXR 1.0 and 1.1, xrspec.html#input-suggested-bindings ("Interaction profile
 * selection changes must only happen when xrSyncActions is called. [...] If this value ever changes, the
 * runtime must send an XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED event"), and
 * #XrEventDataInteractionProfileChanged. So after xrAttachSessionActionSets no such event may be queued and
 * xrGetCurrentInteractionProfile still reports XR_NULL_PATH; the first xrSyncActions selects the profile and
 * queues exactly one event; a sync that changes nothing queues none. */
#include "conf.h"

#include <string.h>

/* Polls every queued event; returns how many were INTERACTION_PROFILE_CHANGED for this session. */
static int drain_profile_events(conf *c)
{
    int n = 0;
    XrEventDataBuffer ev;
    while (conf_poll(c, &ev) == XR_SUCCESS)
        if (ev.type == XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED &&
            ((XrEventDataInteractionProfileChanged *)&ev)->session == c->session)
            n++;
    return n;
}

int main(void)
{
    conf c;
    conf_start(&c, "interaction_profile_changed_in_sync",
               "the interaction profile changes, and its event is queued, only in xrSyncActions");
    if (conf_instance(&c, NULL) && conf_session(&c) && conf_begin(&c)) {
        conf_frames(&c, 4); /* to FOCUSED */
        XrPath hands[2] = {conf_path(&c, "/user/hand/left"), conf_path(&c, "/user/hand/right")};
        XrPath right = hands[1], simple = conf_path(&c, "/interaction_profiles/khr/simple_controller");
        XrActionSet set = conf_action_set(&c, "gameplay");
        XrAction select = conf_action(&c, set, "select", XR_ACTION_TYPE_BOOLEAN_INPUT, 2, hands);
        XrActionSuggestedBinding b[2] = {{select, conf_path(&c, "/user/hand/left/input/select/click")},
                                         {select, conf_path(&c, "/user/hand/right/input/select/click")}};
        CONF_XR(&c, conf_suggest(&c, "/interaction_profiles/khr/simple_controller", b, 2));
        XrSessionActionSetsAttachInfo ai = {
            .type = XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO, .countActionSets = 1, .actionSets = &set};
        CONF_XR(&c, xrAttachSessionActionSets(c.session, &ai));

        int after_attach = drain_profile_events(&c);
        CONF_CHECK(&c, after_attach == 0,
                   "%d INTERACTION_PROFILE_CHANGED event(s) queued by xrAttachSessionActionSets, before any "
                   "xrSyncActions",
                   after_attach);
        XrInteractionProfileState ips = {.type = XR_TYPE_INTERACTION_PROFILE_STATE};
        CONF_XR(&c, xrGetCurrentInteractionProfile(c.session, right, &ips));
        CONF_CHECK(&c, ips.interactionProfile == XR_NULL_PATH,
                   "the current interaction profile changed before xrSyncActions");

        XrActiveActionSet active = {set, XR_NULL_PATH};
        XrActionsSyncInfo si = {
            .type = XR_TYPE_ACTIONS_SYNC_INFO, .countActiveActionSets = 1, .activeActionSets = &active};
        CONF_XR(&c, xrSyncActions(c.session, &si));
        int after_sync = drain_profile_events(&c);
        CONF_CHECK(&c, after_sync == 1,
                   "%d INTERACTION_PROFILE_CHANGED event(s) after the first xrSyncActions, "
                   "expected 1",
                   after_sync);
        ips = (XrInteractionProfileState){.type = XR_TYPE_INTERACTION_PROFILE_STATE};
        CONF_XR(&c, xrGetCurrentInteractionProfile(c.session, right, &ips));
        CONF_CHECK(&c, ips.interactionProfile == simple,
                   "after xrSyncActions the right hand's profile is not the only suggested one");
        CONF_XR(&c, xrSyncActions(c.session, &si));
        int again = drain_profile_events(&c);
        CONF_CHECK(&c, again == 0, "%d event(s) from an xrSyncActions that changed nothing", again);
        printf("  events: %d after attach, %d after the first sync, %d after the second\n", after_attach,
               after_sync, again);
        conf_end(&c);
    }
    return conf_finish(&c);
}
