/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the PARALLAX_SIM_FAULTS parser (simulator/faults) and the queries on what it parses.
 *
 * Beyond "no crash, no sanitizer report", every input is checked against properties that must hold for any
 * text: a failure leaves an empty plan and one printable line naming the variable; a success survives the
 * round trip through the canonical text; polling a parsed plan fires each fault exactly when an independent
 * model says it should; windows and jitter stay in their bounds. A broken property aborts, so libFuzzer
 * saves the input. Also built without libFuzzer (replay_main.c) to replay the seed corpus as a unit test. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_faults.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                   \
    do {                                                                                              \
        if (!(cond)) {                                                                                \
            fprintf(stderr, "fuzz_faults: property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            abort();                                                                                  \
        }                                                                                             \
    } while (0)

/* Past this the parser only ever says "too long"; longer inputs would just slow the fuzzer down. */
#define MAX_INPUT (SIM_FAULTS_MAX_TEXT + 64)

static void check_error(const char *text, const sim_fault_plan *plan, const char *err, size_t err_size)
{
    CHECK(plan->count == 0);
    CHECK(strncmp(err, "PARALLAX_SIM_FAULTS: ", 21) == 0);
    size_t len = strlen(err);
    CHECK(len < err_size);
    for (size_t i = 0; i < len; i++) CHECK((unsigned char)err[i] >= 0x20 && (unsigned char)err[i] < 0x7f);
    /* A small buffer holds the start of the same message, NUL-terminated. */
    char small[24];
    sim_fault_plan again;
    memset(small, '#', sizeof small);
    CHECK(!sim_faults_parse(text, &again, small, sizeof small));
    CHECK(strlen(small) < sizeof small);
    CHECK(strncmp(small, err, strlen(small)) == 0);
    CHECK(!sim_faults_parse(text, &again, NULL, 0));
}

static void check_fault(const sim_fault *f)
{
    const sim_fault_params *p = &f->params;
    CHECK((unsigned)f->kind < (unsigned)SIM_FAULT_KIND_COUNT);
    CHECK(f->entry >= 1);
    CHECK(f->at >= 0);
    CHECK(!f->started && f->fired == 0);
    CHECK(p->count >= 1 && p->count <= 1000000);
    CHECK(p->pending_ns >= 0 && p->duration_ns >= 0 && p->delay_ns >= 0 && p->amount_ns >= 0 &&
          p->window_ns >= 0);
    switch (f->kind) {
    case SIM_FAULT_WAIT_STALL:
        CHECK(p->duration_ns > 0);
        break;
    case SIM_FAULT_PERIOD_JITTER:
        CHECK(p->amount_ns > 0);
        break;
    case SIM_FAULT_LATE_COMPOSITOR:
    case SIM_FAULT_ACQUIRE_TIMEOUT:
        CHECK(p->delay_ns > 0);
        break;
    case SIM_FAULT_PERIOD_CHANGE:
        CHECK(p->hz >= 1.0 && p->hz <= 1000.0);
        break;
    default:
        break;
    }
}

static void check_round_trip(const sim_fault_plan *plan)
{
    char canon[8192];
    size_t n = sim_faults_format(plan, canon, sizeof canon);
    CHECK(n < sizeof canon && strlen(canon) == n);
    if (n > SIM_FAULTS_MAX_TEXT) return; /* canonical text spells out defaults, so it may not fit the limit */
    sim_fault_plan again;
    char err[SIM_FAULTS_ERR_SIZE];
    if (!sim_faults_parse(canon, &again, err, sizeof err)) {
        fprintf(stderr, "fuzz_faults: canonical text does not parse: %s\n  %s\n", canon, err);
        abort();
    }
    CHECK(again.count == plan->count);
    for (int i = 0; i < plan->count; i++) {
        const sim_fault *a = &plan->faults[i], *b = &again.faults[i];
        CHECK(a->kind == b->kind && a->trigger == b->trigger && a->at == b->at);
        CHECK(memcmp(&a->params, &b->params, sizeof a->params) == 0);
    }
}

/* Runs a session of frames against an independent model of when each fault must fire. */
static void check_session(sim_fault_plan *plan, uint64_t seed)
{
    int32_t fired[SIM_FAULTS_MAX] = {0};
    bool reached[SIM_FAULTS_MAX] = {false};
    /* Frame lengths vary with the input so time triggers land between, on and across frames. */
    int64_t t = 0;
    for (int64_t frame = 0; frame < 96; frame++) {
        sim_fault_event ev[SIM_FAULTS_MAX];
        int expected = 0;
        bool due[SIM_FAULTS_MAX];
        for (int i = 0; i < plan->count; i++) {
            const sim_fault *f = &plan->faults[i];
            reached[i] = reached[i] || (f->trigger == SIM_FAULT_AT_FRAME ? frame >= f->at : t >= f->at);
            due[i] = reached[i] && fired[i] < f->params.count;
            expected += due[i];
        }
        int n = sim_faults_poll(plan, SIM_FAULT_ALL, frame, t, ev, SIM_FAULTS_MAX);
        CHECK(n == expected);
        int k = 0;
        for (int i = 0; i < plan->count; i++) {
            if (!due[i]) continue;
            CHECK(ev[k].entry == plan->faults[i].entry && ev[k].kind == plan->faults[i].kind);
            CHECK(ev[k].index == fired[i]);
            fired[i]++;
            k++;
        }
        for (int kind = 0; kind < SIM_FAULT_KIND_COUNT; kind++) {
            const sim_fault *f = NULL;
            if (sim_faults_active(plan, (sim_fault_kind)kind, frame, t, &f)) {
                CHECK(f && f->kind == (sim_fault_kind)kind && f->started);
                if (f->params.window_ns > 0) CHECK(t - f->start_ns < f->params.window_ns);
            } else {
                CHECK(f == NULL);
            }
        }
        const sim_fault *jf = NULL;
        bool jitter_on = sim_faults_active(plan, SIM_FAULT_PERIOD_JITTER, frame, t, &jf);
        uint64_t before = seed;
        int64_t j = sim_faults_jitter(plan, frame, t, &seed);
        if (jitter_on)
            CHECK(j >= -jf->params.amount_ns && j <= jf->params.amount_ns);
        else
            CHECK(j == 0 && seed == before);
        t += 1000000 + (int64_t)((seed >> 7) % 40000000); /* 1 to 41 ms */
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    }
    /* Then jump straight to every trigger and window edge, in any order: nothing may misbehave. */
    sim_faults_rearm(plan);
    for (int i = 0; i < plan->count; i++) {
        const sim_fault *f = &plan->faults[i];
        int64_t edges[3] = {f->at - 1, f->at, f->at + f->params.window_ns};
        for (int e = 0; e < 3; e++) {
            sim_fault_event ev[2];
            int64_t frame = f->trigger == SIM_FAULT_AT_FRAME ? edges[e] : e;
            int64_t when = f->trigger == SIM_FAULT_AT_TIME ? edges[e] : (int64_t)(seed % 1000000000);
            uint32_t mask = (uint32_t)(seed >> 20) & SIM_FAULT_ALL;
            int n = sim_faults_poll(plan, mask, frame, when, ev, 2);
            CHECK(n >= 0 && n <= 2);
            for (int k = 0; k < n; k++) CHECK(mask & SIM_FAULT_BIT(ev[k].kind));
            (void)sim_faults_active(plan, f->kind, frame, when, NULL);
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        }
    }
    for (int i = 0; i < plan->count; i++) CHECK(plan->faults[i].fired <= plan->faults[i].params.count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT) return 0;
    /* An exact-size copy, so ASan sees any read past the terminating NUL. */
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    sim_fault_plan plan;
    char err[SIM_FAULTS_ERR_SIZE];
    if (!sim_faults_parse(text, &plan, err, sizeof err)) {
        check_error(text, &plan, err, sizeof err);
        free(text);
        return 0;
    }
    CHECK(err[0] == '\0');
    CHECK(plan.count >= 0 && plan.count <= SIM_FAULTS_MAX);
    for (int i = 0; i < plan.count; i++) {
        check_fault(&plan.faults[i]);
        if (i > 0) CHECK(plan.faults[i].entry > plan.faults[i - 1].entry);
    }
    check_round_trip(&plan);
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < size; i++) seed = (seed ^ data[i]) * 0x100000001b3ull;
    check_session(&plan, seed);
    free(text);
    return 0;
}
