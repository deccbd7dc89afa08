/* SPDX-License-Identifier: MIT */
/* The handle registry and the two-call idiom of the simulated headset's OpenXR objects.
 * Layer: openxr (the upper part), its lowest rank with config.c; calls only base/. */
#include "openxr/sim_openxr.h"

#include "base/sim_log.h"

#include <stdlib.h>
#include <string.h>

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

/* ---------------------------------------------------------------- handle values */

/* A handle's value is its struct's address, so whether a destroyed handle's value comes back is up to the
 * allocator (glibc's often hands the block just freed to the next allocation of its size; ThreadSanitizer's
 * always does). The spec lets a runtime do either, and an API layer that still tracks a handle the runtime
 * destroyed implicitly (the core validation layer keeps a session's spaces after xrDestroySession) meets a
 * reused value as a handle "already inserted". So the simulated headset decides, PARALLAX_SIM_HANDLE_VALUES:
 *   unique (default): an address a destroyed handle had is never handed out again while the runtime is loaded
 *                     (a fresh allocation that lands on one is held aside until one that does not comes);
 *   reuse:            the next handle of the same size gets the newest destroyed one's address at once. */
#define REUSE_CACHE 32

static pthread_mutex_t values_lock = PTHREAD_MUTEX_INITIALIZER;
static sim_handle_values values_mode = SIM_HANDLE_VALUES_UNIQUE;
static struct {
    void *p;
    size_t size;
} reuse_cache[REUSE_CACHE]; /* newest last */
static size_t reuse_count;
static uintptr_t *retired; /* open-addressing set of destroyed handles' addresses (0: empty) */
static size_t retired_cap, retired_count;

static bool retired_has(uintptr_t a)
{
    if (!retired_cap) return false;
    for (size_t i = reg_hash((const void *)a) & (retired_cap - 1);; i = (i + 1) & (retired_cap - 1)) {
        if (retired[i] == 0) return false;
        if (retired[i] == a) return true;
    }
}

static void retired_put(uintptr_t *set, size_t cap, uintptr_t a)
{
    for (size_t i = reg_hash((const void *)a) & (cap - 1);; i = (i + 1) & (cap - 1)) {
        if (set[i] == a) return;
        if (set[i] == 0) {
            set[i] = a;
            return;
        }
    }
}

/* false: out of memory (the address may then come back; nothing else goes wrong). */
static bool retired_add(uintptr_t a)
{
    if ((retired_count + 1) * 2 > retired_cap) {
        size_t cap = retired_cap ? retired_cap * 2 : 256;
        uintptr_t *set = calloc(cap, sizeof(*set));
        if (!set) return false;
        for (size_t i = 0; i < retired_cap; i++)
            if (retired[i]) retired_put(set, cap, retired[i]);
        free(retired);
        retired = set;
        retired_cap = cap;
    }
    retired_put(retired, retired_cap, a);
    retired_count++;
    return true;
}

void sim_handle_set_values(sim_handle_values values)
{
    pthread_mutex_lock(&values_lock);
    values_mode = values;
    pthread_mutex_unlock(&values_lock);
}

void *sim_handle_new(size_t size)
{
    pthread_mutex_lock(&values_lock);
    void *p = NULL;
    if (values_mode == SIM_HANDLE_VALUES_REUSE) {
        for (size_t i = reuse_count; i-- > 0;) {
            if (reuse_cache[i].size != size) continue;
            p = reuse_cache[i].p;
            memmove(&reuse_cache[i], &reuse_cache[i + 1], (reuse_count - i - 1) * sizeof(reuse_cache[0]));
            reuse_count--;
            memset(p, 0, size);
            break;
        }
    }
    if (!p) {
        /* Blocks that landed on a retired address stay allocated while we ask again, so the allocator cannot
         * give them back; then they are freed (their addresses stay retired). */
        void **held = NULL;
        size_t held_count = 0, held_cap = 0;
        p = calloc(1, size);
        while (p && retired_has((uintptr_t)p)) {
            if (held_count == held_cap) {
                size_t cap = held_cap ? held_cap * 2 : 16;
                void **h = realloc(held, cap * sizeof(*h));
                if (!h) {
                    free(p);
                    p = NULL;
                    break;
                }
                held = h;
                held_cap = cap;
            }
            held[held_count++] = p;
            p = calloc(1, size);
        }
        for (size_t i = 0; i < held_count; i++) free(held[i]);
        free(held);
    }
    pthread_mutex_unlock(&values_lock);
    return p;
}

void sim_handle_delete(void *h, size_t size)
{
    if (!h) return;
    pthread_mutex_lock(&values_lock);
    if (values_mode == SIM_HANDLE_VALUES_REUSE) {
        if (reuse_count == REUSE_CACHE) {
            free(reuse_cache[0].p);
            memmove(&reuse_cache[0], &reuse_cache[1], (REUSE_CACHE - 1) * sizeof(reuse_cache[0]));
            reuse_count--;
        }
        reuse_cache[reuse_count].p = h;
        reuse_cache[reuse_count].size = size;
        reuse_count++;
    } else {
        retired_add((uintptr_t)h);
        free(h);
    }
    pthread_mutex_unlock(&values_lock);
}

/* The runtime unloads: what the policies kept. */
__attribute__((destructor)) static void handle_values_fini(void)
{
    for (size_t i = 0; i < reuse_count; i++) free(reuse_cache[i].p);
    reuse_count = 0;
    free(retired);
    retired = NULL;
    retired_cap = retired_count = 0;
}

/* ---------------------------------------------------------------- two-call idiom */

const char *sim_fn_name(const char *c_function)
{
    return strncmp(c_function, "sim_xr", 6) == 0 ? c_function + 4 : c_function;
}

XrResult sim_handle_reject(const char *fn, const char *expr, const void *h, const char *type_name)
{
    sim_log(
        SIM_LOG_ERROR,
        "%s: %s (%p) is not a valid %s handle: never created, already destroyed, or another kind of object "
        "(valid usage: %s must be a valid %s handle; xrspec.html#fundamentals-handles): "
        "XR_ERROR_HANDLE_INVALID",
        fn, expr, h, type_name, expr, type_name);
    return XR_ERROR_HANDLE_INVALID;
}

XrResult sim_two_call_in(const char *fn, const char *names, uint32_t capacity, uint32_t *count_output,
                         const void *buffer, uint32_t n)
{
    /* names: the three parameters as written, separated by NULs (see the sim_two_call macro). */
    const char *cap_name = names, *count_name = cap_name + strlen(cap_name) + 1,
               *buf_name = count_name + strlen(count_name) + 1;
    if (!count_output) {
        sim_log(SIM_LOG_ERROR,
                "%s: %s is NULL (valid usage: %s must be a pointer to a uint32_t value; "
                "xrspec.html#fundamentals-buffer-size-parameters): XR_ERROR_VALIDATION_FAILURE",
                fn, count_name, count_name);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    *count_output = n;
    if (capacity == 0) return XR_SUCCESS;
    if (!buffer) {
        sim_log(
            SIM_LOG_ERROR,
            "%s: %s is NULL while %s is %u (valid usage: if %s is not 0, %s must be a pointer to an array of "
            "%s elements; xrspec.html#fundamentals-buffer-size-parameters): XR_ERROR_VALIDATION_FAILURE",
            fn, buf_name, cap_name, capacity, cap_name, buf_name, cap_name);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    if (capacity < n) {
        sim_log(SIM_LOG_ERROR,
                "%s: %s is %u, fewer than the %u elements to return (xrspec.html#fundamentals-buffer-size-"
                "parameters: a capacity too small for the data is XR_ERROR_SIZE_INSUFFICIENT, with the count "
                "needed in %s): XR_ERROR_SIZE_INSUFFICIENT",
                fn, cap_name, capacity, n, count_name);
        return XR_ERROR_SIZE_INSUFFICIENT;
    }
    return XR_SUCCESS;
}
