/* SPDX-License-Identifier: MIT */
/* The handle registry and the two-call idiom of the simulated headset's OpenXR objects.
 * Layer: openxr (the upper part), its lowest rank with config.c; calls only base/. */
#include "openxr/sim_openxr.h"

#include <stdlib.h>

/* ---------------------------------------------------------------- handle registry */

/* Open-addressing hash set of live handle pointers with their type. Validation looks the pointer up here
 * before anything dereferences it, so a destroyed or garbage handle is refused without touching memory.
 * Deleted slots keep a tombstone so probe chains stay intact. */
typedef struct reg_slot {
    const void *ptr; /* NULL: empty; &tombstone: deleted */
    sim_handle_type type;
} reg_slot;

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static reg_slot *reg_slots;
static size_t reg_cap, reg_used; /* used counts live entries + tombstones */
static size_t reg_live;
static const char reg_tombstone;

static size_t reg_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

/* Returns the slot holding p, or NULL. Caller holds reg_lock. */
static reg_slot *reg_find(const void *p)
{
    if (!reg_cap || !p) return NULL;
    for (size_t i = reg_hash(p) & (reg_cap - 1), n = 0; n < reg_cap; i = (i + 1) & (reg_cap - 1), n++) {
        if (reg_slots[i].ptr == NULL) return NULL;
        if (reg_slots[i].ptr == p) return &reg_slots[i];
    }
    return NULL;
}

static void reg_insert_nogrow(const void *p, sim_handle_type type)
{
    for (size_t i = reg_hash(p) & (reg_cap - 1);; i = (i + 1) & (reg_cap - 1)) {
        if (reg_slots[i].ptr == NULL || reg_slots[i].ptr == &reg_tombstone) {
            if (reg_slots[i].ptr == NULL) reg_used++;
            reg_slots[i].ptr = p;
            reg_slots[i].type = type;
            return;
        }
    }
}

/* Rehash into a table sized for the live entries (drops tombstones). Caller holds reg_lock. */
static bool reg_grow(void)
{
    size_t live = 0;
    for (size_t i = 0; i < reg_cap; i++)
        if (reg_slots[i].ptr && reg_slots[i].ptr != &reg_tombstone) live++;
    size_t cap = 64;
    while (cap < (live + 1) * 4) cap *= 2;
    reg_slot *old = reg_slots;
    size_t old_cap = reg_cap;
    reg_slots = calloc(cap, sizeof(*reg_slots));
    if (!reg_slots) {
        reg_slots = old;
        return false;
    }
    reg_cap = cap;
    reg_used = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].ptr && old[i].ptr != &reg_tombstone) reg_insert_nogrow(old[i].ptr, old[i].type);
    free(old);
    return true;
}

void sim_handle_register(void *h, sim_handle_type type, struct sim_instance *inst)
{
    sim_handle *hd = h;
    hd->type = type;
    hd->instance = inst;
    pthread_mutex_lock(&reg_lock);
    /* Keep the load (live + tombstones) under one half so probes stay short. */
    if ((reg_used + 1) * 2 > reg_cap && !reg_grow()) {
        pthread_mutex_unlock(&reg_lock);
        sim_log(SIM_LOG_ERROR, "handle registry: out of memory");
        return; /* the handle then validates as invalid, which is the safe failure */
    }
    reg_insert_nogrow(h, type);
    reg_live++;
    pthread_mutex_unlock(&reg_lock);
}

void sim_handle_unregister(void *h)
{
    pthread_mutex_lock(&reg_lock);
    reg_slot *s = reg_find(h);
    if (s) {
        s->ptr = &reg_tombstone;
        reg_live--;
    }
    /* Free the table with the last handle so a process that unloads the runtime leaks nothing. */
    if (reg_live == 0) {
        free(reg_slots);
        reg_slots = NULL;
        reg_cap = reg_used = 0;
    }
    pthread_mutex_unlock(&reg_lock);
}

bool sim_handle_valid(const void *h, sim_handle_type type)
{
    pthread_mutex_lock(&reg_lock);
    reg_slot *s = reg_find(h);
    bool ok = s && s->type == type;
    pthread_mutex_unlock(&reg_lock);
    return ok;
}

/* ---------------------------------------------------------------- two-call idiom */

XrResult sim_two_call(uint32_t capacity, uint32_t *count_output, const void *buffer, uint32_t n)
{
    if (!count_output) return XR_ERROR_VALIDATION_FAILURE;
    *count_output = n;
    if (capacity == 0) return XR_SUCCESS;
    if (!buffer) return XR_ERROR_VALIDATION_FAILURE;
    if (capacity < n) return XR_ERROR_SIZE_INSUFFICIENT;
    return XR_SUCCESS;
}
