/* SPDX-License-Identifier: MIT */
/* Fault injection plan of the Parallax simulated headset: the PARALLAX_SIM_FAULTS grammar, its parser and the
 * queries the frame code makes while a session runs. The grammar and every fault are documented in
 * simulator/faults/README.md.
 *
 * Pure C with no OpenXR types, so the parser can be unit-tested and fuzzed on its own. Times are int64_t
 * nanoseconds since the session began (the same units as XrTime). A plan is a caller-owned value: parsing
 * fills it, and nothing allocates afterwards. Every query is bounded by SIM_FAULTS_MAX and deterministic.
 *
 * Threads: a plan carries no lock. Queries that can touch the same fault (overlapping kind masks) must be
 * serialized by the caller, e.g. under the session lock; queries with disjoint kind masks may run on
 * different threads at once (each fault's progress is written only by calls that include its kind). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* At most this many entries in one list. */
#define SIM_FAULTS_MAX 32
/* At most this many characters of text (sim_config keeps PARALLAX_SIM_FAULTS in a 1024-byte buffer). */
#define SIM_FAULTS_MAX_TEXT 1023
/* A good size for the error buffer: any message fits. */
#define SIM_FAULTS_ERR_SIZE 512

typedef enum sim_fault_kind {
    SIM_FAULT_SESSION_LOSS = 0, /* session -> LOSS_PENDING, then calls fail with XR_ERROR_SESSION_LOST */
    SIM_FAULT_INSTANCE_LOSS, /* XrEventDataInstanceLossPending, then calls fail with XR_ERROR_INSTANCE_LOST */
    SIM_FAULT_VISIBILITY,    /* FOCUSED -> VISIBLE (or SYNCHRONIZED) for a window, then back */
    SIM_FAULT_IDLE,          /* session asked to stop (STOPPING -> IDLE), READY again after the window */
    SIM_FAULT_WAIT_STALL,    /* xrWaitFrame blocks an extra duration */
    SIM_FAULT_PERIOD_JITTER, /* each display period is off by up to +-amount during the window */
    SIM_FAULT_LATE_COMPOSITOR, /* the compositor wakes `delay` late */
    SIM_FAULT_ACQUIRE_TIMEOUT, /* xrAcquireSwapchainImage is held up for `delay` */
    SIM_FAULT_WAIT_TIMEOUT,    /* xrWaitSwapchainImage returns XR_TIMEOUT_EXPIRED */
    SIM_FAULT_PERIOD_CHANGE,   /* the display refresh rate changes to `hz` during the window */
    SIM_FAULT_FAIL,            /* an OpenXR call (`call`) fails with `result`, `count` times, doing nothing */
    SIM_FAULT_KIND_COUNT
} sim_fault_kind;

/* Kind masks for sim_faults_poll(). */
#define SIM_FAULT_BIT(kind) (1u << (unsigned)(kind))
#define SIM_FAULT_ALL       ((1u << (unsigned)SIM_FAULT_KIND_COUNT) - 1u)

typedef enum sim_fault_trigger {
    SIM_FAULT_AT_FRAME = 0, /* `frame=N`: at the xrWaitFrame call that starts frame N (first frame is 0) */
    SIM_FAULT_AT_TIME = 1,  /* `t=<time>`: once the session has run that long */
} sim_fault_trigger;

/* Target state of a visibility fault (`to=`). */
typedef enum sim_fault_visibility {
    SIM_FAULT_TO_VISIBLE = 0, /* the default: input focus lost, still shown */
    SIM_FAULT_TO_SYNCHRONIZED,
    SIM_FAULT_TO_FOCUSED,
} sim_fault_visibility;

/* The OpenXR calls a `fail` fault can make fail (`call=`, spelled as the function's name). */
typedef enum sim_fault_call {
    SIM_FAULT_CALL_WAIT_FRAME = 0, /* xrWaitFrame */
    SIM_FAULT_CALL_BEGIN_FRAME,    /* xrBeginFrame */
    SIM_FAULT_CALL_END_FRAME,      /* xrEndFrame */
    SIM_FAULT_CALL_ACQUIRE_IMAGE,  /* xrAcquireSwapchainImage */
    SIM_FAULT_CALL_WAIT_IMAGE,     /* xrWaitSwapchainImage */
    SIM_FAULT_CALL_RELEASE_IMAGE,  /* xrReleaseSwapchainImage */
    SIM_FAULT_CALL_LOCATE_VIEWS,   /* xrLocateViews */
    SIM_FAULT_CALL_CREATE_SESSION, /* xrCreateSession */
    SIM_FAULT_CALL_COUNT
} sim_fault_call;

/* Parameters of one fault. The parser fills in every default, so a field always holds the value in force;
 * fields a kind does not take stay 0. */
typedef struct sim_fault_params {
    int64_t pending_ns;      /* session_loss, instance_loss: LOSS_PENDING -> LOST delay, default 0 */
    int64_t restart_ns;      /* instance_loss: how long after the loss xrCreateInstance fails (the runtime
                                restarting), default 300 ms */
    int64_t duration_ns;     /* wait_stall: extra time xrWaitFrame blocks, required (> 0) */
    int64_t delay_ns;        /* late_compositor: required (> 0); acquire_timeout: default 100 ms;
                                wait_timeout: how long the wait blocks, 0 (default) = the app's timeout */
    int64_t amount_ns;       /* period_jitter: largest offset of one period, required (> 0) */
    int64_t window_ns;       /* `for=`: visibility, idle, period_jitter, period_change; 0 (default) = until
                                the session ends */
    double hz;               /* period_change: the new refresh rate in Hz, required (1 to 1000) */
    sim_fault_visibility to; /* visibility: default visible */
    sim_fault_call call;     /* fail: the call that fails, required */
    int32_t result;          /* fail: the XrResult it returns (a core XR_ERROR_* value, < 0), default
                                XR_ERROR_RUNTIME_FAILURE (-2) */
    int32_t count;           /* wait_stall, late_compositor, acquire_timeout, wait_timeout, fail: how many
                                polls it fires for, default 1; 1 for every other kind */
    int32_t skip;            /* fail: calls of `call` let through after the trigger before the first failure,
                                default 0 (e.g. 1: the second xrLocateViews of the frame, its late latch) */
} sim_fault_params;

/* One entry of the list, and its progress during the session. */
typedef struct sim_fault {
    sim_fault_kind kind;
    int entry; /* 1-based position in the list, for log lines */
    sim_fault_trigger trigger;
    int64_t at; /* frame index or ns since session begin, per trigger */
    sim_fault_params params;
    /* progress: cleared by sim_faults_rearm() */
    int32_t fired;    /* firings delivered by sim_faults_poll() */
    int32_t skipped;  /* fail: calls let through so far (params.skip) */
    bool started;     /* the trigger has been reached (start_ns is valid) */
    int64_t start_ns; /* when the fault began: the time for `t=`, the caller's time for `frame=` */
} sim_fault;

/* A parsed list. Zero-initialized it is a valid, empty plan. */
typedef struct sim_fault_plan {
    int count;
    sim_fault faults[SIM_FAULTS_MAX];
} sim_fault_plan;

/* One firing reported by sim_faults_poll(). */
typedef struct sim_fault_event {
    sim_fault_kind kind;
    int entry;        /* 1-based position in the list */
    int32_t index;    /* 0 for the first firing, up to params.count - 1 */
    int64_t start_ns; /* when the fault began (see sim_fault.start_ns) */
    sim_fault_params params;
} sim_fault_event;

/* Parses a PARALLAX_SIM_FAULTS list into *out_plan (always overwritten; empty on failure). NULL, empty or
 * blank text is a valid empty list. On a malformed list returns false and writes ONE line (no newline) to
 * err naming PARALLAX_SIM_FAULTS, the entry, what is wrong and the expected form; err may be NULL or small
 * (the message is truncated, always NUL-terminated). Reads at most SIM_FAULTS_MAX_TEXT + 1 bytes of text. */
bool sim_faults_parse(const char *text, sim_fault_plan *out_plan, char *err, size_t err_size);

/* Clears the progress of every fault so the plan can drive a new session. */
void sim_faults_rearm(sim_fault_plan *plan);

/* Faults of the kinds in `kinds` (SIM_FAULT_BIT mask; fail faults fire through sim_faults_poll_call only)
 * that are due at frame index `frame` and time `t_ns`: each fault fires once, or for params.count consecutive
 * calls that include its kind, starting with the first call at or after its trigger. Writes at most
 * max_events events in list order and returns how many; firings that did not fit stay due for the next call.
 * A caller polls once per unit it controls (one xrWaitFrame, one compositor wake-up, one acquire), so `count`
 * counts those units. NULL plan: 0. */
int sim_faults_poll(sim_fault_plan *plan, uint32_t kinds, int64_t frame, int64_t t_ns,
                    sim_fault_event *out_events, int max_events);

/* One call of `call` at frame index `frame` and time `t_ns` (a fail fault's unit): true when a fail fault for
 * that call is due, with its firing in *out_event (may be NULL). At most one fault fires per call (the first
 * due in list order); the others stay due for the next calls. NULL plan: false. */
bool sim_faults_poll_call(sim_fault_plan *plan, sim_fault_call call, int64_t frame, int64_t t_ns,
                          sim_fault_event *out_event);

/* The spelling of a call ("xrBeginFrame", ...), or "unknown". */
const char *sim_fault_call_name(sim_fault_call call);

/* The name of a core XrResult error code the list accepts ("XR_ERROR_RUNTIME_FAILURE", ...), or NULL. */
const char *sim_fault_result_name(int32_t result);

/* Whether a fault of `kind` is in force at frame index `frame` and time `t_ns`: its trigger has been reached
 * and, for kinds with a window (`for=`), t_ns is before its start + window; without a window it stays in
 * force until the session ends, and so do the one-shot kinds (session_loss, wait_stall, ...) once their
 * trigger is reached. When several are in force the one that started last wins; it goes to *out_fault (may
 * be NULL; points into the plan). The first call that sees a trigger reached records the start. */
bool sim_faults_active(sim_fault_plan *plan, sim_fault_kind kind, int64_t frame, int64_t t_ns,
                       const sim_fault **out_fault);

/* Offset in ns to add to the next display period: uniform in [-amount, +amount] of the period_jitter fault in
 * force (per sim_faults_active), drawn from *rng_state (any seed; the state advances); 0 without touching
 * the state when none is in force. Deterministic for a given seed and call sequence. */
int64_t sim_faults_jitter(sim_fault_plan *plan, int64_t frame, int64_t t_ns, uint64_t *rng_state);

/* The list spelling of a kind ("session_loss", ...), or "unknown". */
const char *sim_fault_kind_name(sim_fault_kind kind);

/* Writes the plan back as a list in canonical form (every parameter spelled out), which parses to the same
 * plan; for log lines. Returns the length the full text needs (like snprintf); buf may be NULL when size 0.
 */
size_t sim_faults_format(const sim_fault_plan *plan, char *buf, size_t size);
