/* SPDX-License-Identifier: MIT */
/* Logging of the simulated headset.
 * Layer: base (the bottom of simulator/src); calls nothing else of the simulator. */
#include "base/sim_log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The level is process-wide because the loader may call into the runtime before any instance exists. */
static pthread_once_t log_once = PTHREAD_ONCE_INIT;
static int log_level = SIM_LOG_WARN;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void log_init(void)
{
    /* A malformed PARALLAX_SIM_LOG is reported by sim_config_load; here it just keeps the default. */
    const char *v = getenv("PARALLAX_SIM_LOG");
    if (!v) return;
    static const char *names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; i < 4; i++)
        if (strcmp(v, names[i]) == 0) log_level = i;
}

void sim_log_set_level(int level)
{
    pthread_once(&log_once, log_init);
    pthread_mutex_lock(&log_lock);
    if (level >= SIM_LOG_ERROR && level <= SIM_LOG_DEBUG) log_level = level;
    pthread_mutex_unlock(&log_lock);
}

void sim_log(int level, const char *fmt, ...)
{
    pthread_once(&log_once, log_init);
    pthread_mutex_lock(&log_lock);
    int current = log_level;
    pthread_mutex_unlock(&log_lock);
    if (level > current) return;
    /* Format into one buffer and write it with one call so lines from several threads do not interleave. */
    char line[1024];
    int n = snprintf(line, sizeof(line), "parallax-sim: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    if (len == 0 || line[len - 1] != '\n') {
        line[len] = '\n';
        line[len + 1] = '\0';
    }
    fputs(line, stderr);
}
