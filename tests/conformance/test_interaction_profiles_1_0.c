/* SPDX-License-Identifier: MIT */
/* Every interaction profile of OpenXR 1.0 with exactly its binding paths. Spec: OpenXR 1.0 (and 1.1),
 * xrspec.html#xrSuggestInteractionProfileBindings ("If the interaction profile path or binding path (top
 * level /user path plus input subpath) for any of the suggested bindings does not exist in the allowlist
 * defined in Interaction Profile Paths, the runtime must return XR_ERROR_PATH_UNSUPPORTED. A runtime must
 * accept every valid binding in the allowlist though it is free to ignore any of them."),
 * #semantic-paths-interaction-profiles (the nine profiles of 1.0 and their paths, written out below from the
 * specification, not from the runtime's table) and #input-suggested-bindings (a binding may name an
 * identifier's parent path, the runtime picks the component). Each profile must accept a binding for every
 * one of its paths on every user path it lists, and refuse: a path of another profile, a component on a user
 * path the profile does not give it (X only on the left Touch controller), a path that is no binding
 * (".../input"), a profile of OpenXR 1.1 on a 1.0 instance, and an unknown profile. */
#include "conf.h"

#include <stdio.h>
#include <string.h>

/* "L" only /user/hand/left, "R" only right, "" every user path of the profile. */
typedef struct comp {
    const char *only;
    const char *sub;
} comp;

typedef struct profile_def {
    const char *path;
    const char *users[2];
    comp c[32];
} profile_def;

#define HANDS                                 \
    {                                         \
        "/user/hand/left", "/user/hand/right" \
    }
static const profile_def profiles[] = {
    {"/interaction_profiles/khr/simple_controller",
     HANDS,
     {{"", "/input/select/click"},
      {"", "/input/menu/click"},
      {"", "/input/grip/pose"},
      {"", "/input/aim/pose"},
      {"", "/output/haptic"}}},
    {"/interaction_profiles/google/daydream_controller",
     HANDS,
     {{"", "/input/select/click"},
      {"", "/input/trackpad"},
      {"", "/input/trackpad/x"},
      {"", "/input/trackpad/y"},
      {"", "/input/trackpad/click"},
      {"", "/input/trackpad/touch"},
      {"", "/input/grip/pose"},
      {"", "/input/aim/pose"}}},
    {"/interaction_profiles/htc/vive_controller",
     HANDS,
     {{"", "/input/system/click"},
      {"", "/input/squeeze/click"},
      {"", "/input/menu/click"},
      {"", "/input/trigger/click"},
      {"", "/input/trigger/value"},
      {"", "/input/trackpad"},
      {"", "/input/trackpad/x"},
      {"", "/input/trackpad/y"},
      {"", "/input/trackpad/click"},
      {"", "/input/trackpad/touch"},
      {"", "/input/grip/pose"},
      {"", "/input/aim/pose"},
      {"", "/output/haptic"}}},
    {"/interaction_profiles/htc/vive_pro",
     {"/user/head", NULL},
     {{"", "/input/system/click"},
      {"", "/input/volume_up/click"},
      {"", "/input/volume_down/click"},
      {"", "/input/mute_mic/click"}}},
    {"/interaction_profiles/microsoft/motion_controller",
     HANDS,
     {{"", "/input/menu/click"},
      {"", "/input/squeeze/click"},
      {"", "/input/trigger/value"},
      {"", "/input/thumbstick"},
      {"", "/input/thumbstick/x"},
      {"", "/input/thumbstick/y"},
      {"", "/input/thumbstick/click"},
      {"", "/input/trackpad"},
      {"", "/input/trackpad/x"},
      {"", "/input/trackpad/y"},
      {"", "/input/trackpad/click"},
      {"", "/input/trackpad/touch"},
      {"", "/input/grip/pose"},
      {"", "/input/aim/pose"},
      {"", "/output/haptic"}}},
    {"/interaction_profiles/microsoft/xbox_controller",
     {"/user/gamepad", NULL},
     {{"", "/input/menu/click"},
      {"", "/input/view/click"},
      {"", "/input/a/click"},
      {"", "/input/b/click"},
      {"", "/input/x/click"},
      {"", "/input/y/click"},
      {"", "/input/dpad_down/click"},
      {"", "/input/dpad_right/click"},
      {"", "/input/dpad_up/click"},
      {"", "/input/dpad_left/click"},
      {"", "/input/shoulder_left/click"},
      {"", "/input/shoulder_right/click"},
      {"", "/input/thumbstick_left/click"},
      {"", "/input/thumbstick_right/click"},
      {"", "/input/trigger_left/value"},
      {"", "/input/trigger_right/value"},
      {"", "/input/thumbstick_left"},
      {"", "/input/thumbstick_left/x"},
      {"", "/input/thumbstick_left/y"},
      {"", "/input/thumbstick_right"},
      {"", "/input/thumbstick_right/x"},
      {"", "/input/thumbstick_right/y"},
      {"", "/output/haptic_left"},
      {"", "/output/haptic_right"},
      {"", "/output/haptic_left_trigger"},
      {"", "/output/haptic_right_trigger"}}},
    {"/interaction_profiles/oculus/go_controller",
     HANDS,
     {{"", "/input/system/click"},
      {"", "/input/trigger/click"},
      {"", "/input/back/click"},
      {"", "/input/trackpad"},
      {"", "/input/trackpad/x"},
      {"", "/input/trackpad/y"},
      {"", "/input/trackpad/click"},
      {"", "/input/trackpad/touch"},
      {"", "/input/grip/pose"},
      {"", "/input/aim/pose"}}},
    {"/interaction_profiles/oculus/touch_controller",
     HANDS,
     {{"L", "/input/x/click"},        {"L", "/input/x/touch"},         {"L", "/input/y/click"},
      {"L", "/input/y/touch"},        {"L", "/input/menu/click"},      {"R", "/input/a/click"},
      {"R", "/input/a/touch"},        {"R", "/input/b/click"},         {"R", "/input/b/touch"},
      {"R", "/input/system/click"},   {"", "/input/squeeze/value"},    {"", "/input/trigger/value"},
      {"", "/input/trigger/touch"},   {"", "/input/thumbstick"},       {"", "/input/thumbstick/x"},
      {"", "/input/thumbstick/y"},    {"", "/input/thumbstick/click"}, {"", "/input/thumbstick/touch"},
      {"", "/input/thumbrest/touch"}, {"", "/input/grip/pose"},        {"", "/input/aim/pose"},
      {"", "/output/haptic"}}},
    {"/interaction_profiles/valve/index_controller",
     HANDS,
     {{"", "/input/system/click"},     {"", "/input/system/touch"},   {"", "/input/a/click"},
      {"", "/input/a/touch"},          {"", "/input/b/click"},        {"", "/input/b/touch"},
      {"", "/input/squeeze/value"},    {"", "/input/squeeze/force"},  {"", "/input/trigger/click"},
      {"", "/input/trigger/value"},    {"", "/input/trigger/touch"},  {"", "/input/thumbstick"},
      {"", "/input/thumbstick/x"},     {"", "/input/thumbstick/y"},   {"", "/input/thumbstick/click"},
      {"", "/input/thumbstick/touch"}, {"", "/input/trackpad"},       {"", "/input/trackpad/x"},
      {"", "/input/trackpad/y"},       {"", "/input/trackpad/force"}, {"", "/input/trackpad/touch"},
      {"", "/input/grip/pose"},        {"", "/input/aim/pose"},       {"", "/output/haptic"}}},
};
#define PROFILE_COUNT (sizeof(profiles) / sizeof(profiles[0]))

/* One suggested binding of an action to `binding` for `profile`. */
static XrResult suggest(conf *c, XrAction a, const char *profile, const char *binding)
{
    XrActionSuggestedBinding b = {a, conf_path(c, binding)};
    return conf_suggest(c, profile, &b, 1);
}

int main(void)
{
    conf c;
    conf_start(&c, "interaction_profiles_1_0",
               "every OpenXR 1.0 interaction profile accepts exactly its binding paths; anything else is "
               "XR_ERROR_PATH_UNSUPPORTED");
    if (conf_instance(&c, NULL)) {
        XrActionSet set = conf_action_set(&c, "all");
        XrAction boolean = conf_action(&c, set, "b", XR_ACTION_TYPE_BOOLEAN_INPUT, 0, NULL);
        XrAction vector = conf_action(&c, set, "v", XR_ACTION_TYPE_VECTOR2F_INPUT, 0, NULL);
        XrAction pose = conf_action(&c, set, "p", XR_ACTION_TYPE_POSE_INPUT, 0, NULL);
        XrAction haptic = conf_action(&c, set, "h", XR_ACTION_TYPE_VIBRATION_OUTPUT, 0, NULL);
        int accepted = 0, refused = 0;
        char binding[256];
        for (size_t i = 0; i < PROFILE_COUNT; i++) {
            const profile_def *p = &profiles[i];
            int paths = 0;
            for (int u = 0; u < 2 && p->users[u]; u++) {
                const char *side = strcmp(p->users[u], "/user/hand/left") == 0    ? "L"
                                   : strcmp(p->users[u], "/user/hand/right") == 0 ? "R"
                                                                                  : "";
                for (const comp *k = p->c; k->sub; k++) {
                    snprintf(binding, sizeof(binding), "%s%s", p->users[u], k->sub);
                    /* The action's type as the path's (a 2D parent such as ".../thumbstick" is a vector). */
                    bool parent = strncmp(k->sub, "/input/", 7) == 0 && !strchr(k->sub + 7, '/');
                    XrAction a = strstr(k->sub, "/pose")              ? pose
                                 : strncmp(k->sub, "/output", 7) == 0 ? haptic
                                 : parent                             ? vector
                                                                      : boolean;
                    XrResult want =
                        !k->only[0] || strcmp(k->only, side) == 0 ? XR_SUCCESS : XR_ERROR_PATH_UNSUPPORTED;
                    XrResult got = suggest(&c, a, p->path, binding);
                    if (CONF_CHECK(&c, got == want, "%s %s: %s, expected %s", p->path, binding,
                                   conf_result_name(got), conf_result_name(want))) {
                        if (want == XR_SUCCESS)
                            accepted++, paths++;
                        else
                            refused++;
                    }
                }
            }
            printf("  %-52s %2d binding paths accepted\n", p->path, paths);
        }
        /* Not in the allowlist. */
        static const struct {
            const char *profile, *binding, *why;
        } bad[] = {
            {"/interaction_profiles/khr/simple_controller", "/user/hand/right/input", "no identifier"},
            {"/interaction_profiles/khr/simple_controller", "/user/hand/left/input/trigger/value",
             "not on it"},
            {"/interaction_profiles/khr/simple_controller", "/user/hand/left/input/select/value",
             "no such component"},
            {"/interaction_profiles/khr/simple_controller", "/user/gamepad/input/select/click",
             "not its user path"},
            {"/interaction_profiles/oculus/touch_controller", "/user/hand/right/input/x/click",
             "X is left only"},
            {"/interaction_profiles/oculus/touch_controller", "/user/hand/left/input/system/click",
             "right only"},
            {"/interaction_profiles/htc/vive_pro", "/user/hand/left/input/system/click", "head only"},
            {"/interaction_profiles/microsoft/xbox_controller", "/user/hand/left/input/a/click",
             "gamepad only"},
            {"/interaction_profiles/oculus/go_controller", "/user/hand/left/input/menu/click", "Go has back"},
            {"/interaction_profiles/valve/index_controller", "/user/hand/left/input/grip_surface/pose",
             "OpenXR 1.1 only"},
            {"/interaction_profiles/htc/vive_cosmos_controller", "/user/hand/left/input/x/click",
             "an OpenXR 1.1 profile on a 1.0 instance"},
            {"/interaction_profiles/acme/no_such_controller", "/user/hand/left/input/select/click",
             "no such profile"},
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            XrAction a = strstr(bad[i].binding, "/pose") ? pose : boolean;
            XrResult got = suggest(&c, a, bad[i].profile, bad[i].binding);
            if (CONF_CHECK(&c, got == XR_ERROR_PATH_UNSUPPORTED,
                           "%s %s (%s): %s, expected XR_ERROR_PATH_UNSUPPORTED", bad[i].profile,
                           bad[i].binding, bad[i].why, conf_result_name(got)))
                refused++;
        }
        /* A parent path: the runtime picks the component (spec "Suggested Bindings"). */
        CONF_XR_EXPECT(&c,
                       suggest(&c, boolean, "/interaction_profiles/oculus/touch_controller",
                               "/user/hand/right/input/trigger"),
                       XR_SUCCESS);
        printf("  %d binding paths accepted, %d refused as they must be\n", accepted, refused);
    }
    return conf_finish(&c);
}
