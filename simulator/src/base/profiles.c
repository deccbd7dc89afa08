/* SPDX-License-Identifier: MIT */
/* The interaction profile table (base/sim_profiles.h): the generated data and the lookups every binding rule
 * of the actions goes through. Layer: base (helpers every part uses); calls nothing. */
#include "base/sim_profiles.h"

#include <string.h>

#define PROFILE_PREFIX "/interaction_profiles/"

/* The generated gen_profiles[] and gen_components[] (build/simulator/generated/sim_profiles_data.h). */
#include "sim_profiles_data.h"

#define GEN_COUNT ((uint32_t)(sizeof(gen_profiles) / sizeof(gen_profiles[0])))

/* The order a runtime reports the controllers in when an application suggested bindings for several: the
 * widely supported ones first (as before the table was generated), then the registry's order. */
static const char *const preferred[] = {
    "/interaction_profiles/khr/simple_controller",       "/interaction_profiles/oculus/touch_controller",
    "/interaction_profiles/valve/index_controller",      "/interaction_profiles/htc/vive_controller",
    "/interaction_profiles/microsoft/motion_controller",
};
#define PREFERRED_COUNT ((uint32_t)(sizeof(preferred) / sizeof(preferred[0])))

static uint32_t gen_index_of(const char *path)
{
    for (uint32_t i = 0; i < GEN_COUNT; i++)
        if (strcmp(gen_profiles[i].path, path) == 0) return i;
    return GEN_COUNT;
}

uint32_t sim_profile_count(void)
{
    return GEN_COUNT;
}

const sim_profile_def *sim_profile_at(uint32_t i)
{
    if (i >= GEN_COUNT) return NULL;
    if (i < PREFERRED_COUNT) return &gen_profiles[gen_index_of(preferred[i])];
    /* The rest in registry order, skipping the preferred ones. */
    uint32_t k = PREFERRED_COUNT;
    for (uint32_t g = 0; g < GEN_COUNT; g++) {
        bool pref = false;
        for (uint32_t j = 0; j < PREFERRED_COUNT && !pref; j++)
            pref = strcmp(gen_profiles[g].path, preferred[j]) == 0;
        if (pref) continue;
        if (k == i) return &gen_profiles[g];
        k++;
    }
    return NULL;
}

static bool mask_ok(uint32_t requires, uint32_t features)
{
    return (features & requires) == requires;
}

bool sim_profile_available(const sim_profile_def *p, uint32_t features)
{
    for (uint32_t i = 0; i < p->require_count; i++)
        if (mask_ok(p->requires[i], features)) return true;
    return false;
}

const sim_profile_def *sim_profile_find(const char *path, uint32_t features, bool short_name)
{
    if (!path) return NULL;
    const size_t plen = strlen(PROFILE_PREFIX);
    for (uint32_t i = 0; i < GEN_COUNT; i++) {
        const char *full = gen_profiles[i].path;
        bool match = strcmp(full, path) == 0 || (short_name && strcmp(full + plen, path) == 0);
        if (match && sim_profile_available(&gen_profiles[i], features)) return &gen_profiles[i];
    }
    return NULL;
}

int sim_profile_user_index(const sim_profile_def *p, const char *user_path)
{
    for (uint32_t i = 0; i < p->user_path_count; i++)
        if (strcmp(p->user_paths[i], user_path) == 0) return (int)i;
    return -1;
}

bool sim_profile_split_binding(const sim_profile_def *p, const char *binding, int *out_user,
                               const char **out_sub)
{
    for (uint32_t i = 0; i < p->user_path_count; i++) {
        size_t n = strlen(p->user_paths[i]);
        if (strncmp(binding, p->user_paths[i], n) == 0 && binding[n] == '/') {
            *out_user = (int)i;
            *out_sub = binding + n;
            return true;
        }
    }
    return false;
}

static bool component_applies(const sim_profile_component *c, int user, uint32_t features)
{
    return (c->user_path == 0 || c->user_path == user + 1) && mask_ok(c->requires, features);
}

const sim_profile_component *sim_profile_component_find(const sim_profile_def *p, int user,
                                                        const char *subpath, uint32_t features)
{
    for (uint32_t i = 0; i < p->component_count; i++) {
        const sim_profile_component *c = &p->components[i];
        if (component_applies(c, user, features) && strcmp(c->subpath, subpath) == 0) return c;
    }
    return NULL;
}

/* The component "<parent>/<leaf>" when the profile has it; "/input/trigger" + "value". */
static const sim_profile_component *child(const sim_profile_def *p, int user, const char *parent,
                                          const char *leaf, uint32_t features)
{
    size_t n = strlen(parent);
    for (uint32_t i = 0; i < p->component_count; i++) {
        const sim_profile_component *c = &p->components[i];
        if (component_applies(c, user, features) && strncmp(c->subpath, parent, n) == 0 &&
            c->subpath[n] == '/' && strcmp(c->subpath + n + 1, leaf) == 0)
            return c;
    }
    return NULL;
}

/* Is subpath an identifier ("/input/<identifier>") with at least one component one level down? */
static bool is_identifier(const sim_profile_def *p, int user, const char *subpath, uint32_t features)
{
    if (strncmp(subpath, "/input/", 7) != 0 || strchr(subpath + 7, '/')) return false;
    size_t n = strlen(subpath);
    for (uint32_t i = 0; i < p->component_count; i++) {
        const sim_profile_component *c = &p->components[i];
        if (component_applies(c, user, features) && strncmp(c->subpath, subpath, n) == 0 &&
            c->subpath[n] == '/' && !strchr(c->subpath + n + 1, '/'))
            return true;
    }
    return false;
}

bool sim_profile_binding_valid(const sim_profile_def *p, int user, const char *subpath, uint32_t features)
{
    return sim_profile_component_find(p, user, subpath, features) ||
           is_identifier(p, user, subpath, features);
}

static bool converts(XrActionType from, XrActionType to)
{
    if (from == to) return true;
    /* Booleans and floats convert into each other (a threshold one way, 0/1 the other); nothing else does. */
    bool scalar_from = from == XR_ACTION_TYPE_BOOLEAN_INPUT || from == XR_ACTION_TYPE_FLOAT_INPUT;
    bool scalar_to = to == XR_ACTION_TYPE_BOOLEAN_INPUT || to == XR_ACTION_TYPE_FLOAT_INPUT;
    return scalar_from && scalar_to;
}

const sim_profile_component *sim_profile_resolve(const sim_profile_def *p, int user, const char *subpath,
                                                 XrActionType type, uint32_t features)
{
    const sim_profile_component *c = sim_profile_component_find(p, user, subpath, features);
    /* A parent path that is itself a component (".../thumbstick" is the vector of /x and /y): for a vector
     * action it is the binding; for a boolean or float action the spec sends the runtime to its children. */
    if (c && converts(c->type, type) && !(c->type == XR_ACTION_TYPE_VECTOR2F_INPUT && type != c->type))
        return c;
    if (!is_identifier(p, user, subpath, features)) return NULL;
    const char *order[2] = {NULL, NULL};
    switch (type) {
    case XR_ACTION_TYPE_BOOLEAN_INPUT:
        order[0] = "click", order[1] = "value";
        break;
    case XR_ACTION_TYPE_FLOAT_INPUT:
        order[0] = "value", order[1] = "click";
        break;
    case XR_ACTION_TYPE_POSE_INPUT:
        order[0] = "pose";
        break;
    default:
        return NULL; /* a vector binds to its parent component (above); an output has no components */
    }
    for (int i = 0; i < 2 && order[i]; i++) {
        const sim_profile_component *k = child(p, user, subpath, order[i], features);
        if (k && converts(k->type, type)) return k;
    }
    return NULL;
}

bool sim_profile_has_identifier(const sim_profile_def *p, int user, const char *identifier, uint32_t features)
{
    size_t n = strlen(identifier);
    for (uint32_t i = 0; i < p->component_count; i++) {
        const sim_profile_component *c = &p->components[i];
        if (!component_applies(c, user, features) || strncmp(c->subpath, "/input/", 7) != 0) continue;
        if (strncmp(c->subpath + 7, identifier, n) == 0 &&
            (c->subpath[7 + n] == '/' || c->subpath[7 + n] == '\0'))
            return true;
    }
    return false;
}

bool sim_profile_identifier_known(const char *user_path, const char *identifier)
{
    size_t n = strlen(identifier);
    for (uint32_t i = 0; i < GEN_COUNT; i++) {
        const sim_profile_def *p = &gen_profiles[i];
        int user = sim_profile_user_index(p, user_path);
        if (user < 0) continue;
        for (uint32_t k = 0; k < p->component_count; k++) {
            const sim_profile_component *c = &p->components[k];
            if (c->user_path != 0 && c->user_path != user + 1) continue;
            const char *id = c->subpath + 1;
            id = strchr(id, '/'); /* after "/input" or "/output" */
            if (!id) continue;
            id++;
            if (strncmp(id, identifier, n) == 0 && (id[n] == '/' || id[n] == '\0')) return true;
        }
    }
    return false;
}
