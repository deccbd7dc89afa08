/* SPDX-License-Identifier: MIT */
/* What the tests that drive every input of a profile with PARALLAX_SIM_INPUT share
 * (input_every_profile_scripted, openxr11_profiles_scripted): the script's names for a profile's user paths
 * and inputs, and what each input component reads after the script pressed it (simulator/README.md "Input").
 * Over the runtime's table of profiles (simulator/src/base/sim_profiles.h). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sim_profiles.h"

/** The script's device name of a top-level user path: /user/hand/left -> left, /user/gamepad -> gamepad. */
const char *profile_inputs_device(const char *user_path);
/** "/input/trigger/value" -> identifier "trigger" (into id) and component "value"; false for a path of
 * another shape (an output, or an identifier longer than id_cap). */
bool profile_inputs_split(const char *subpath, char *id, size_t id_cap, const char **out_component);
/** Does profile p have component "/input/ID/COMPONENT" on user path index user with these features? */
bool profile_inputs_has(const sim_profile_def *p, uint32_t user, const char *id, const char *component,
                        uint32_t features);
/** What a component reads after the script pressed its identifier (a button or axis to 1, a vector to
 * (0.5, -0.25) with its click and force): 1 for everything but a vector's x (0.5) and y (-0.25). */
float profile_inputs_pressed(const char *component);
