/* SPDX-License-Identifier: MIT */
/* profile_inputs.h: the script's names for a profile's inputs and what they read when pressed. */
#include "profile_inputs.h"

#include <stdio.h>
#include <string.h>

const char *profile_inputs_device(const char *user_path)
{
    const char *slash = strrchr(user_path, '/');
    return slash ? slash + 1 : user_path;
}

bool profile_inputs_split(const char *subpath, char *id, size_t id_cap, const char **out_component)
{
    if (strncmp(subpath, "/input/", 7) != 0) return false;
    const char *s = subpath + 7, *slash = strchr(s, '/');
    if (!slash || (size_t)(slash - s) >= id_cap) return false;
    memcpy(id, s, (size_t)(slash - s));
    id[slash - s] = '\0';
    *out_component = slash + 1;
    return true;
}

bool profile_inputs_has(const sim_profile_def *p, uint32_t user, const char *id, const char *component,
                        uint32_t features)
{
    char sub[128];
    snprintf(sub, sizeof(sub), "/input/%s/%s", id, component);
    return sim_profile_component_find(p, (int)user, sub, features) != NULL;
}

float profile_inputs_pressed(const char *component)
{
    if (strcmp(component, "x") == 0) return 0.5f;
    if (strcmp(component, "y") == 0) return -0.25f;
    return 1.0f;
}
