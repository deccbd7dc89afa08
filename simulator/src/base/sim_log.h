/* SPDX-License-Identifier: MIT */
/* Logging of the simulated headset: one sink (stderr), one level (PARALLAX_SIM_LOG).
 * Layer: base (the bottom of simulator/src); calls nothing else of the simulator. */
#pragma once

enum { SIM_LOG_ERROR = 0, SIM_LOG_WARN = 1, SIM_LOG_INFO = 2, SIM_LOG_DEBUG = 3 };

/* One line to stderr, prefixed "parallax-sim: ", when level is at or below the current level. Any thread. */
void sim_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Overrides the PARALLAX_SIM_LOG level (openxr/config.c, once the value has been parsed). Any thread. */
void sim_log_set_level(int level);
