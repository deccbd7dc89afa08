/* SPDX-License-Identifier: MIT */
/* Every interaction profile of OpenXR 1.0 and 1.1 (and of XR_EXT_hand_interaction), each with exactly its
 * binding paths, through an OpenXR 1.1 instance (xr11_loader.c: Debian's loader refuses 1.1 applications).
 * Spec: OpenXR 1.1, xrspec.html#xrSuggestInteractionProfileBindings ("If the interaction profile path or
 * binding path [...] does not exist in the allowlist defined in Interaction Profile Paths, the runtime must
 * return XR_ERROR_PATH_UNSUPPORTED. A runtime must accept every valid binding in the allowlist"),
 * #semantic-paths-interaction-profiles, #versions-1.1-promotions (the profiles and paths 1.1 promoted, e.g.
 * grip_surface/pose for every hand profile, meta/touch_pro_controller's renamed stylus/force), and the
 * XR_EXT_hand_interaction and XR_EXT_palm_pose appendices (the paths they add).
 *
 * The allowlist is the registry's (xr.xml), read through the same generated table the runtime uses
 * (simulator/src/base/profiles.c): every component of every profile on every user path it applies to must be
 * accepted. The refusals do not come from that table: a made-up component, a bare "/input", a component on a
 * user path the profile does not give it, the names 1.1 replaced (stylus_fb/force, palm_ext without
 * XR_EXT_palm_pose), and, on a 1.0 instance, the 1.1 profiles and paths. Prints each profile with its count
 * of binding paths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_profiles.h"
#include "xr11_loader.h"

static PFN_xrGetInstanceProcAddr gipa;
static int failures;

#define CHECK(cond, ...)                          \
    do {                                          \
        if (!(cond)) {                            \
            failures++;                           \
            printf("  FAIL line %d: ", __LINE__); \
            printf(__VA_ARGS__);                  \
            printf("\n");                         \
        }                                         \
    } while (0)

typedef struct app {
    XrInstance instance;
    PFN_xrStringToPath to_path;
    PFN_xrSuggestInteractionProfileBindings suggest;
    XrAction action[6]; /* by XrActionType: boolean 1, float 2, vector 3, pose 4, vibration 100 -> 5 */
} app;

static int slot(XrActionType t)
{
    return t == XR_ACTION_TYPE_VIBRATION_OUTPUT ? 5 : (int)t;
}

static bool create_app(app *a, XrVersion api, const char *const *exts, uint32_t n)
{
    memset(a, 0, sizeof(*a));
    PFN_xrCreateInstance create = NULL;
    gipa(XR_NULL_HANDLE, "xrCreateInstance", (PFN_xrVoidFunction *)&create);
    XrInstanceCreateInfo ci = {.type = XR_TYPE_INSTANCE_CREATE_INFO,
                               .applicationInfo = {.applicationName = "xr11-profiles", .apiVersion = api},
                               .enabledExtensionCount = n,
                               .enabledExtensionNames = exts};
    XrResult r = create(&ci, &a->instance);
    if (XR_FAILED(r)) {
        printf("  FAIL: xrCreateInstance: %d\n", (int)r);
        failures++;
        return false;
    }
    gipa(a->instance, "xrStringToPath", (PFN_xrVoidFunction *)&a->to_path);
    gipa(a->instance, "xrSuggestInteractionProfileBindings", (PFN_xrVoidFunction *)&a->suggest);
    PFN_xrCreateActionSet create_set = NULL;
    PFN_xrCreateAction create_action = NULL;
    gipa(a->instance, "xrCreateActionSet", (PFN_xrVoidFunction *)&create_set);
    gipa(a->instance, "xrCreateAction", (PFN_xrVoidFunction *)&create_action);
    XrActionSetCreateInfo asci = {.type = XR_TYPE_ACTION_SET_CREATE_INFO};
    strcpy(asci.actionSetName, "all");
    strcpy(asci.localizedActionSetName, "All");
    XrActionSet set;
    if (XR_FAILED(create_set(a->instance, &asci, &set))) return false;
    const XrActionType types[] = {XR_ACTION_TYPE_BOOLEAN_INPUT, XR_ACTION_TYPE_FLOAT_INPUT,
                                  XR_ACTION_TYPE_VECTOR2F_INPUT, XR_ACTION_TYPE_POSE_INPUT,
                                  XR_ACTION_TYPE_VIBRATION_OUTPUT};
    for (int i = 0; i < 5; i++) {
        XrActionCreateInfo aci = {.type = XR_TYPE_ACTION_CREATE_INFO, .actionType = types[i]};
        snprintf(aci.actionName, sizeof(aci.actionName), "a%d", i);
        snprintf(aci.localizedActionName, sizeof(aci.localizedActionName), "A%d", i);
        if (XR_FAILED(create_action(set, &aci, &a->action[slot(types[i])]))) return false;
    }
    return true;
}

static void destroy_app(app *a)
{
    PFN_xrDestroyInstance destroy = NULL;
    gipa(a->instance, "xrDestroyInstance", (PFN_xrVoidFunction *)&destroy);
    if (destroy && a->instance) destroy(a->instance);
    a->instance = XR_NULL_HANDLE;
}

static XrResult suggest(app *a, const char *profile, const char *binding, XrActionType type)
{
    XrPath pp = XR_NULL_PATH, bp = XR_NULL_PATH;
    a->to_path(a->instance, profile, &pp);
    a->to_path(a->instance, binding, &bp);
    XrActionSuggestedBinding b = {a->action[slot(type)], bp};
    XrInteractionProfileSuggestedBinding sb = {.type = XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING,
                                               .interactionProfile = pp,
                                               .countSuggestedBindings = 1,
                                               .suggestedBindings = &b};
    return a->suggest(a->instance, &sb);
}

/* Every component of every profile available with these features, on every user path it applies to: accepted.
 * Returns the number of profiles; prints one line per profile when verbose. */
static int accept_all(app *a, uint32_t features, bool verbose, int *out_paths)
{
    int profiles = 0, total = 0;
    char binding[256];
    for (uint32_t i = 0; i < sim_profile_count(); i++) {
        const sim_profile_def *p = sim_profile_at(i);
        if (!sim_profile_available(p, features)) continue;
        profiles++;
        int n = 0;
        for (uint32_t u = 0; u < p->user_path_count; u++)
            for (uint32_t k = 0; k < p->component_count; k++) {
                const sim_profile_component *c = &p->components[k];
                if ((c->user_path && c->user_path != u + 1) || (features & c->requires) != c->requires)
                    continue;
                snprintf(binding, sizeof(binding), "%s%s", p->user_paths[u], c->subpath);
                XrResult r = suggest(a, p->path, binding, c->type);
                CHECK(r == XR_SUCCESS, "%s %s refused (%d)", p->path, binding, (int)r);
                n++;
            }
        /* What no profile has, and what is no binding at all. */
        snprintf(binding, sizeof(binding), "%s/input/no_such_identifier/click", p->user_paths[0]);
        CHECK(suggest(a, p->path, binding, XR_ACTION_TYPE_BOOLEAN_INPUT) == XR_ERROR_PATH_UNSUPPORTED,
              "%s %s accepted", p->path, binding);
        snprintf(binding, sizeof(binding), "%s/input", p->user_paths[0]);
        CHECK(suggest(a, p->path, binding, XR_ACTION_TYPE_BOOLEAN_INPUT) == XR_ERROR_PATH_UNSUPPORTED,
              "%s %s accepted", p->path, binding);
        /* A component limited to one user path, on another one. */
        for (uint32_t k = 0; k < p->component_count; k++) {
            const sim_profile_component *c = &p->components[k];
            if (!c->user_path || p->user_path_count < 2) continue;
            uint32_t other = c->user_path == 1 ? 1 : 0;
            if (sim_profile_component_find(p, (int)other, c->subpath, features))
                continue; /* on both after all */
            snprintf(binding, sizeof(binding), "%s%s", p->user_paths[other], c->subpath);
            CHECK(suggest(a, p->path, binding, c->type) == XR_ERROR_PATH_UNSUPPORTED, "%s %s accepted",
                  p->path, binding);
        }
        if (verbose) printf("  %-58s %3d binding paths (%u user paths)\n", p->path, n, p->user_path_count);
        total += n;
    }
    *out_paths = total;
    return profiles;
}

int main(void)
{
    gipa = xr11_load();
    if (!gipa) return 1;
    const uint32_t all_features = SIM_PROFILE_FEATURE_XR_VERSION_1_1 |
                                  SIM_PROFILE_FEATURE_XR_EXT_HAND_INTERACTION |
                                  SIM_PROFILE_FEATURE_XR_EXT_PALM_POSE;
    app a;
    int paths = 0;

    printf("OpenXR 1.1 instance with XR_EXT_hand_interaction and XR_EXT_palm_pose:\n");
    const char *exts[] = {XR_EXT_HAND_INTERACTION_EXTENSION_NAME, XR_EXT_PALM_POSE_EXTENSION_NAME};
    if (create_app(&a, XR_API_VERSION_1_1, exts, 2)) {
        int n = accept_all(&a, all_features, true, &paths);
        printf("  %d profiles, %d binding paths accepted\n", n, paths);
        CHECK(n == 23, "%d profiles, expected 23 (9 of 1.0, 13 of 1.1, ext/hand_interaction_ext)", n);
        /* 1.1 renamed XR_FB_touch_controller_pro's paths. */
        CHECK(suggest(&a, "/interaction_profiles/meta/touch_pro_controller",
                      "/user/hand/right/input/stylus/force", XR_ACTION_TYPE_FLOAT_INPUT) == XR_SUCCESS,
              "touch_pro_controller stylus/force refused");
        CHECK(suggest(&a, "/interaction_profiles/meta/touch_pro_controller",
                      "/user/hand/right/input/stylus_fb/force",
                      XR_ACTION_TYPE_FLOAT_INPUT) == XR_ERROR_PATH_UNSUPPORTED,
              "touch_pro_controller's pre-1.1 stylus_fb/force accepted");
        CHECK(suggest(&a, "/interaction_profiles/facebook/touch_controller_pro",
                      "/user/hand/right/input/a/click",
                      XR_ACTION_TYPE_BOOLEAN_INPUT) == XR_ERROR_PATH_UNSUPPORTED,
              "the extension's facebook/touch_controller_pro accepted without XR_FB_touch_controller_pro");
        destroy_app(&a);
    }

    printf("OpenXR 1.1 instance without extensions:\n");
    if (create_app(&a, XR_API_VERSION_1_1, NULL, 0)) {
        int n = accept_all(&a, SIM_PROFILE_FEATURE_XR_VERSION_1_1, false, &paths);
        printf("  %d profiles, %d binding paths accepted\n", n, paths);
        CHECK(n == 22, "%d profiles, expected 22", n);
        CHECK(suggest(&a, "/interaction_profiles/valve/index_controller",
                      "/user/hand/left/input/grip_surface/pose", XR_ACTION_TYPE_POSE_INPUT) == XR_SUCCESS,
              "grip_surface/pose refused on 1.1");
        CHECK(suggest(&a, "/interaction_profiles/valve/index_controller",
                      "/user/hand/left/input/palm_ext/pose",
                      XR_ACTION_TYPE_POSE_INPUT) == XR_ERROR_PATH_UNSUPPORTED,
              "palm_ext/pose accepted without XR_EXT_palm_pose");
        CHECK(suggest(&a, "/interaction_profiles/ext/hand_interaction_ext", "/user/hand/left/input/aim/pose",
                      XR_ACTION_TYPE_POSE_INPUT) == XR_ERROR_PATH_UNSUPPORTED,
              "hand_interaction_ext accepted without XR_EXT_hand_interaction");
        destroy_app(&a);
    }

    printf("OpenXR 1.0 instance without extensions:\n");
    if (create_app(&a, XR_API_VERSION_1_0, NULL, 0)) {
        int n = accept_all(&a, 0, false, &paths);
        printf("  %d profiles, %d binding paths accepted\n", n, paths);
        CHECK(n == 9, "%d profiles, expected the 9 of OpenXR 1.0", n);
        for (uint32_t i = 0; i < sim_profile_count(); i++) {
            const sim_profile_def *p = sim_profile_at(i);
            if (sim_profile_available(p, 0)) continue;
            char binding[256];
            snprintf(binding, sizeof(binding), "%s%s", p->user_paths[0], p->components[0].subpath);
            CHECK(suggest(&a, p->path, binding, p->components[0].type) == XR_ERROR_PATH_UNSUPPORTED,
                  "%s (OpenXR 1.1 or an extension) accepted by a 1.0 instance", p->path);
        }
        CHECK(suggest(&a, "/interaction_profiles/valve/index_controller",
                      "/user/hand/left/input/grip_surface/pose",
                      XR_ACTION_TYPE_POSE_INPUT) == XR_ERROR_PATH_UNSUPPORTED,
              "grip_surface/pose (OpenXR 1.1) accepted by a 1.0 instance");
        destroy_app(&a);
    }
    const char *palm[] = {XR_EXT_PALM_POSE_EXTENSION_NAME};
    if (create_app(&a, XR_API_VERSION_1_0, palm, 1)) {
        CHECK(suggest(&a, "/interaction_profiles/khr/simple_controller",
                      "/user/hand/left/input/palm_ext/pose", XR_ACTION_TYPE_POSE_INPUT) == XR_SUCCESS,
              "palm_ext/pose refused with XR_EXT_palm_pose");
        destroy_app(&a);
    }
    printf("%s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
    return failures ? 1 : 0;
}
