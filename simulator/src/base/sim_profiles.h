/* SPDX-License-Identifier: MIT */
/* The interaction profiles of the OpenXR specification, generated at build time from the registry xr.xml
 * (simulator/tools/gen_profiles.py, third_party/openxr/registry): every profile of OpenXR 1.0 and 1.1 and of
 * the extensions the runtime offers, each with exactly its binding paths (identifier/component subpaths,
 * the top-level user paths it is valid for, and the per-user-path rules such as X/Y only on the left hand).
 * What a profile or component needs beyond OpenXR 1.0 is a mask of SIM_PROFILE_FEATURE_* bits; the runtime
 * passes the features of the instance (OpenXR 1.1, XR_EXT_hand_interaction, XR_EXT_palm_pose).
 * Layer: base (helpers every part uses): data and lookups only, calls nothing. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openxr/openxr.h>

/** One binding path of a profile: subpath under a top-level user path, e.g. "/input/trigger/value". */
typedef struct sim_profile_component {
    const char *subpath;
    XrActionType type;
    uint8_t user_path; /**< 0: valid on every user path of the profile; else 1 + index in its user_paths */
    uint32_t requires; /**< SIM_PROFILE_FEATURE_* bits needed (0: OpenXR 1.0) */
    bool system;       /**< a system button (the registry's system="true") */
} sim_profile_component;

/** One interaction profile. */
typedef struct sim_profile_def {
    const char *path;     /**< "/interaction_profiles/khr/simple_controller" */
    const char *title;    /**< "Khronos Simple Controller" */
    uint32_t requires[4]; /**< available when one of these masks is enabled (0: in OpenXR 1.0) */
    uint32_t require_count;
    const char *const *user_paths; /**< "/user/hand/left", ... */
    uint32_t user_path_count;
    const sim_profile_component *components;
    uint32_t component_count;
} sim_profile_def;

#include "sim_profiles_gen.h" /* SIM_PROFILE_FEATURE_* (generated next to the build's other generated files) */

/** Number of profiles in the table (all features; sim_profile_available filters). */
uint32_t sim_profile_count(void);
/** Profile i of the table, in the simulated headset's order of preference (the controllers a runtime reports
 * first when an application suggested bindings for several): simple, Touch, Index, Vive, WMR, then the rest
 * in registry order. */
const sim_profile_def *sim_profile_at(uint32_t i);
/** Is the profile there for an instance with these features? */
bool sim_profile_available(const sim_profile_def *p, uint32_t features);
/** The profile with this path, available with these features; NULL otherwise. "/interaction_profiles/" may be
 * left out when short is true ("valve/index_controller"). */
const sim_profile_def *sim_profile_find(const char *path, uint32_t features, bool short_name);
/** Index of a top-level user path in the profile's user_paths, -1 when the profile has no such path. */
int sim_profile_user_index(const sim_profile_def *p, const char *user_path);
/** Splits a binding path into the profile's top-level user path (its index) and the subpath after it
 * ("/input/..." or "/output/..."). false when no user path of the profile starts the binding. */
bool sim_profile_split_binding(const sim_profile_def *p, const char *binding, int *out_user,
                               const char **out_sub);
/** The component with exactly this subpath for that user path (index) and features; NULL when none. */
const sim_profile_component *sim_profile_component_find(const sim_profile_def *p, int user,
                                                        const char *subpath, uint32_t features);
/** Is subpath a binding path the profile has for that user path: a component, or an identifier whose
 * components the runtime picks ("/input/trigger" for ".../trigger/value", spec "Suggested Bindings")? */
bool sim_profile_binding_valid(const sim_profile_def *p, int user, const char *subpath, uint32_t features);
/** The component a binding of subpath gives an action of this type, following the spec's rules for suggested
 * bindings: a component whose value converts to the action's type (boolean <-> float, vector only from a
 * vector, pose only from a pose, haptics only from an output), or for an identifier its /click (boolean) or
 * /value (float) first, the other one next, the identifier itself for a vector, /pose for a pose. NULL when
 * nothing fits: the binding is then ignored for that action. */
const sim_profile_component *sim_profile_resolve(const sim_profile_def *p, int user, const char *subpath,
                                                 XrActionType type, uint32_t features);
/** Does the profile have this input identifier ("trackpad": any "/input/trackpad..." component) for that user
 * path and features? */
bool sim_profile_has_identifier(const sim_profile_def *p, int user, const char *identifier,
                                uint32_t features);
/** Does an input identifier (e.g. "trackpad", "dpad_up", "volume_up") appear in any profile of the table for
 * this top-level user path? (PARALLAX_SIM_INPUT checks its controls with it.) */
bool sim_profile_identifier_known(const char *user_path, const char *identifier);
