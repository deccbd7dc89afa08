/* SPDX-License-Identifier: MIT */
/* Unit tests of the PARALLAX_SIM_FAULTS parser and queries (simulator/faults). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <openxr/openxr.h>
#include <openxr/openxr_reflection.h>

#include "sim_faults.h"

#define MS(x) ((int64_t)(x)*1000000)
#define S(x)  ((int64_t)(x)*1000000000)

/* The example list of the README: one entry of every kind. */
static const char *const example =
    "session_loss@frame=300; instance_loss@t=5s; visibility@frame=100:to=visible,for=2s; idle@t=3s:for=1s; "
    "wait_stall@frame=50:duration=200ms; period_jitter@t=0:amount=1ms,for=5s; "
    "late_compositor@frame=80:delay=15ms,count=3; acquire_timeout@frame=40; wait_timeout@frame=41; "
    "period_change@t=2s:hz=72";

static sim_fault_plan parse_ok(const char *text)
{
    sim_fault_plan plan;
    char err[SIM_FAULTS_ERR_SIZE];
    bool ok = sim_faults_parse(text, &plan, err, sizeof err);
    if (!ok) fail_msg("parse of '%s' failed: %s", text, err);
    assert_string_equal(err, "");
    return plan;
}

/* Parses text that must fail; checks the message is one line naming the variable and contains `want`. */
static void expect_error(const char *text, const char *want)
{
    sim_fault_plan plan;
    memset(&plan, 0x5a, sizeof plan);
    char err[SIM_FAULTS_ERR_SIZE];
    if (sim_faults_parse(text, &plan, err, sizeof err))
        fail_msg("'%s' parsed but should fail with: %s", text, want);
    if (strncmp(err, "PARALLAX_SIM_FAULTS: ", 21) != 0) fail_msg("error does not name the variable: %s", err);
    if (!strstr(err, want)) fail_msg("for '%s'\n  got:  %s\n  want: ...%s...", text, err, want);
    assert_null(strchr(err, '\n'));
    for (const char *p = err; *p; p++) assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
    assert_int_equal(plan.count, 0); /* a failed parse leaves no half plan behind */
}

/* ---------------------------------------------------------------- parsing */

static void every_kind_parses(void **state)
{
    (void)state;
    sim_fault_plan p = parse_ok(example);
    assert_int_equal(p.count, 10);
    const sim_fault *f = p.faults;

    assert_int_equal(f[0].kind, SIM_FAULT_SESSION_LOSS);
    assert_int_equal(f[0].trigger, SIM_FAULT_AT_FRAME);
    assert_int_equal(f[0].at, 300);
    assert_int_equal(f[0].params.pending_ns, 0);
    assert_int_equal(f[0].params.count, 1);
    assert_int_equal(f[0].entry, 1);

    assert_int_equal(f[1].kind, SIM_FAULT_INSTANCE_LOSS);
    assert_int_equal(f[1].trigger, SIM_FAULT_AT_TIME);
    assert_int_equal(f[1].at, S(5));

    assert_int_equal(f[2].kind, SIM_FAULT_VISIBILITY);
    assert_int_equal(f[2].at, 100);
    assert_int_equal(f[2].params.to, SIM_FAULT_TO_VISIBLE);
    assert_int_equal(f[2].params.window_ns, S(2));

    assert_int_equal(f[3].kind, SIM_FAULT_IDLE);
    assert_int_equal(f[3].at, S(3));
    assert_int_equal(f[3].params.window_ns, S(1));

    assert_int_equal(f[4].kind, SIM_FAULT_WAIT_STALL);
    assert_int_equal(f[4].params.duration_ns, MS(200));
    assert_int_equal(f[4].params.count, 1);

    assert_int_equal(f[5].kind, SIM_FAULT_PERIOD_JITTER);
    assert_int_equal(f[5].trigger, SIM_FAULT_AT_TIME);
    assert_int_equal(f[5].at, 0);
    assert_int_equal(f[5].params.amount_ns, MS(1));
    assert_int_equal(f[5].params.window_ns, S(5));

    assert_int_equal(f[6].kind, SIM_FAULT_LATE_COMPOSITOR);
    assert_int_equal(f[6].params.delay_ns, MS(15));
    assert_int_equal(f[6].params.count, 3);

    assert_int_equal(f[7].kind, SIM_FAULT_ACQUIRE_TIMEOUT);
    assert_int_equal(f[7].params.delay_ns, MS(100)); /* the default */
    assert_int_equal(f[8].kind, SIM_FAULT_WAIT_TIMEOUT);
    assert_int_equal(f[8].params.delay_ns, 0); /* the app's own timeout */
    assert_int_equal(f[8].at, 41);

    assert_int_equal(f[9].kind, SIM_FAULT_PERIOD_CHANGE);
    assert_true(f[9].params.hz == 72.0);
    assert_int_equal(f[9].params.window_ns, 0); /* until the session ends */
    assert_int_equal(f[9].entry, 10);

    for (int i = 0; i < p.count; i++) {
        assert_false(p.faults[i].started);
        assert_int_equal(p.faults[i].fired, 0);
    }
}

static void every_parameter_parses(void **state)
{
    (void)state;
    sim_fault_plan p =
        parse_ok("session_loss@frame=1:pending=250ms; instance_loss@frame=2:pending=1.5s;"
                 "visibility@frame=3:to=synchronized; visibility@frame=4:to=focused,for=10ms;"
                 "wait_stall@frame=5:count=4,duration=1s; acquire_timeout@frame=6:delay=20ms,count=2;"
                 "wait_timeout@frame=7:delay=5ms; period_change@frame=8:hz=119.88,for=3s");
    assert_int_equal(p.count, 8);
    assert_int_equal(p.faults[0].params.pending_ns, MS(250));
    assert_int_equal(p.faults[1].params.pending_ns, MS(1500));
    assert_int_equal(p.faults[2].params.to, SIM_FAULT_TO_SYNCHRONIZED);
    assert_int_equal(p.faults[2].params.window_ns, 0);
    assert_int_equal(p.faults[3].params.to, SIM_FAULT_TO_FOCUSED);
    assert_int_equal(p.faults[3].params.window_ns, MS(10));
    assert_int_equal(p.faults[4].params.count, 4);
    assert_int_equal(p.faults[4].params.duration_ns, S(1));
    assert_int_equal(p.faults[5].params.delay_ns, MS(20));
    assert_int_equal(p.faults[5].params.count, 2);
    assert_int_equal(p.faults[6].params.delay_ns, MS(5));
    assert_true(p.faults[7].params.hz == 119.88);
    assert_int_equal(p.faults[7].params.window_ns, S(3));
}

static void every_trigger_form_parses(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        sim_fault_trigger trigger;
        int64_t at;
    } cases[] = {
        {"idle@frame=0", SIM_FAULT_AT_FRAME, 0},
        {"idle@frame=1000000000000", SIM_FAULT_AT_FRAME, 1000000000000},
        {"idle@frame=007", SIM_FAULT_AT_FRAME, 7},
        {"idle@t=0", SIM_FAULT_AT_TIME, 0},
        {"idle@t=0s", SIM_FAULT_AT_TIME, 0},
        {"idle@t=5s", SIM_FAULT_AT_TIME, S(5)},
        {"idle@t=1.5s", SIM_FAULT_AT_TIME, MS(1500)},
        {"idle@t=.25s", SIM_FAULT_AT_TIME, MS(250)},
        {"idle@t=2.s", SIM_FAULT_AT_TIME, S(2)},
        {"idle@t=250ms", SIM_FAULT_AT_TIME, MS(250)},
        {"idle@t=0.5ms", SIM_FAULT_AT_TIME, 500000},
        {"idle@t=10us", SIM_FAULT_AT_TIME, 10000},
        {"idle@t=7ns", SIM_FAULT_AT_TIME, 7},
        {"idle@t=1.000000001s", SIM_FAULT_AT_TIME, S(1) + 1},
        {"idle@t=1.50000000000000000000s", SIM_FAULT_AT_TIME, MS(1500)},
        {"idle@t=86400s", SIM_FAULT_AT_TIME, S(86400)},
        {"idle@t=2 s", SIM_FAULT_AT_TIME, S(2)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_fault_plan p = parse_ok(cases[i].text);
        assert_int_equal(p.count, 1);
        assert_int_equal(p.faults[0].trigger, cases[i].trigger);
        if (p.faults[0].at != cases[i].at)
            fail_msg("%s: at=%lld, want %lld", cases[i].text, (long long)p.faults[0].at,
                     (long long)cases[i].at);
    }
}

static void whitespace_and_empty_entries_are_tolerated(void **state)
{
    (void)state;
    sim_fault_plan p = parse_ok("  \tsession_loss @ frame = 300 : pending = 1 s ;\n"
                                "wait_stall@frame=50 :duration= 200ms , count=2 ;; ;"
                                " visibility @t= 1s: to = synchronized ,for =2s ;");
    assert_int_equal(p.count, 3);
    assert_int_equal(p.faults[0].at, 300);
    assert_int_equal(p.faults[0].params.pending_ns, S(1));
    assert_int_equal(p.faults[1].params.duration_ns, MS(200));
    assert_int_equal(p.faults[1].params.count, 2);
    assert_int_equal(p.faults[2].params.to, SIM_FAULT_TO_SYNCHRONIZED);
    assert_int_equal(p.faults[2].params.window_ns, S(2));
    /* entries are numbered by their place between semicolons, empty ones included */
    assert_int_equal(p.faults[2].entry, 5);

    assert_int_equal(parse_ok("").count, 0);
    assert_int_equal(parse_ok(" \t ").count, 0);
    assert_int_equal(parse_ok(";;").count, 0);
    assert_int_equal(parse_ok(NULL).count, 0);
}

static void limits_are_accepted_up_to_the_bound(void **state)
{
    (void)state;
    char text[SIM_FAULTS_MAX_TEXT + 2];
    /* exactly SIM_FAULTS_MAX entries */
    text[0] = '\0';
    for (int i = 0; i < SIM_FAULTS_MAX; i++) strcat(text, "idle@frame=1;");
    assert_int_equal(parse_ok(text).count, SIM_FAULTS_MAX);
    /* exactly SIM_FAULTS_MAX_TEXT characters */
    memset(text, ' ', SIM_FAULTS_MAX_TEXT);
    text[SIM_FAULTS_MAX_TEXT] = '\0';
    memcpy(text, "idle@frame=1", 12);
    assert_int_equal(parse_ok(text).count, 1);
}

static void malformed_lists_give_one_clear_line(void **state)
{
    (void)state;
    /* the full message, once */
    {
        sim_fault_plan p;
        char err[SIM_FAULTS_ERR_SIZE];
        assert_false(sim_faults_parse("session_loss@frame=1; wait_stal@frame=50", &p, err, sizeof err));
        assert_string_equal(
            err, "PARALLAX_SIM_FAULTS: entry 2 \"wait_stal@frame=50\": unknown fault \"wait_stal\"; "
                 "expected one of session_loss, instance_loss, visibility, idle, wait_stall, "
                 "period_jitter, late_compositor, acquire_timeout, wait_timeout, period_change, fail");
    }
    static const struct {
        const char *text, *want;
    } cases[] = {
        /* unknown kind */
        {"wait_stal@frame=50",
         "entry 1 \"wait_stal@frame=50\": unknown fault \"wait_stal\"; expected one of"},
        {"Session_Loss@frame=1", "unknown fault \"Session_Loss\""},
        {"@frame=1",
         "missing fault name; expected <kind>@frame=<n>|t=<time>[:<parameters>] with kind one of"},
        /* missing or bad trigger */
        {"session_loss", "missing trigger; expected session_loss@frame=<n>|t=<time>[:pending=<time>]"},
        {"session_loss:pending=1s", "missing trigger; expected session_loss@"},
        {"idle@", "missing trigger after \"@\"; expected idle@frame=<n>|t=<time>[:for=<time>]"},
        {"idle@frame", "missing \"=\" after \"frame\"; expected frame=<n> or t=<time>"},
        {"idle@time=3s", "unknown trigger \"time\"; expected frame=<n> or t=<time>"},
        {"idle#frame=1", "unexpected \"#frame=1\" after \"idle\"; expected idle@"},
        {"idle@frame=1,for=1s", "unexpected \",\" after the trigger; expected \":\" before the parameters"},
        /* bad numbers */
        {"session_loss@frame=abc", "bad number \"abc\" for frame; expected a whole number from 0 to"},
        {"session_loss@frame=", "missing value for frame"},
        {"session_loss@frame=-1", "negative frame \"-1\""},
        {"session_loss@frame=1000000000001", "frame \"1000000000001\" is out of range"},
        {"session_loss@frame=99999999999999999999999", "is out of range"},
        {"session_loss@frame=1.5", "unexpected \".5\" after \"1\" in frame"},
        {"session_loss@t=abc", "bad number \"abc\" for t; expected a time such as 200ms"},
        {"session_loss@t=", "missing value for t"},
        {"wait_stall@frame=1:duration=+5ms", "bad number \"+5ms\" for duration"},
        {"wait_stall@frame=1:duration=.ms", "bad number \".ms\" for duration"},
        {"wait_stall@frame=1:duration=1e3ms", "unknown unit \"e\" in \"1e3ms\" for duration"},
        /* negative durations */
        {"wait_stall@frame=1:duration=-5ms", "negative duration \"-5ms\" for duration; times are >= 0"},
        {"session_loss@t=-1s", "negative duration \"-1s\" for t"},
        {"idle@t=1s:for=-2s", "negative duration \"-2s\" for for"},
        /* units */
        {"wait_stall@frame=1:duration=200",
         "missing unit in \"200\" for duration; expected a time such as 200ms"},
        {"idle@t=3", "missing unit in \"3\" for t"},
        {"idle@t=0.5", "missing unit in \"0.5\" for t"},
        {"idle@t=0.0", NULL},
        {"wait_stall@frame=1:duration=2min",
         "unknown unit \"min\" in \"2min\" for duration; expected ns, us, ms or s"},
        {"wait_stall@frame=1:duration=2S", "unknown unit \"S\""},
        {"wait_stall@frame=1:duration=1.5ns", "duration \"1.5ns\" is not a whole number of nanoseconds"},
        {"wait_stall@frame=1:duration=0.0000000001s", "is not a whole number of nanoseconds"},
        {"idle@t=86401s", "t \"86401s\" is out of range; at most 86400s"},
        {"idle@t=86400000000001ns", "is out of range; at most 86400s"},
        /* trailing junk */
        {"session_loss@frame=300 x", "unexpected \"x\" after \"300\" in frame"},
        {"wait_stall@frame=1:duration=5ms junk", "unexpected \"junk\" after \"5ms\" in duration"},
        {"idle@t=1s:for=2s:count=1", "unexpected \":count=1\" after \"2s\" in for"},
        {"session_loss@frame=1 2", "unexpected \"2\" after \"1\" in frame"},
        /* parameters */
        {"wait_stall@frame=1",
         "missing duration=<time>; expected wait_stall@frame=<n>|t=<time>:duration=<time>[,count=<n>]"},
        {"period_jitter@t=0:for=1s", "missing amount=<time>; expected period_jitter@"},
        {"late_compositor@frame=1", "missing delay=<time>; expected late_compositor@"},
        {"period_change@t=2s", "missing hz=<hz>; expected period_change@"},
        {"idle@t=1s:bogus=1",
         "unknown parameter \"bogus\" for idle; expected for (idle@frame=<n>|t=<time>[:for=<time>])"},
        {"idle@t=1s:count=2", "unknown parameter \"count\" for idle"},
        {"session_loss@t=1s:for=1s", "unknown parameter \"for\" for session_loss; expected pending"},
        {"idle@t=1s:for=1s,for=2s", "parameter for given twice"},
        {"idle@t=1s:", "missing parameter after \":\"; expected idle@"},
        {"idle@t=1s:for=1s,", "missing parameter after \",\""},
        {"idle@t=1s:for", "missing \"=\" after for; expected for=<time>"},
        {"idle@t=1s:for=", "missing value for for"},
        {"idle@t=1s:=1s", "unexpected \"=1s\" where a parameter name was expected"},
        {"idle@t=1s:for=0", "for must be greater than 0 (leave for= out"},
        {"wait_stall@frame=1:duration=0ms", "duration must be greater than 0"},
        {"period_jitter@t=0:amount=0", "amount must be greater than 0"},
        {"late_compositor@t=0:delay=0", "delay must be greater than 0"},
        {"wait_stall@frame=1:duration=1ms,count=0",
         "count \"0\" is out of range; expected a whole number from 1 to 1000000"},
        {"wait_stall@frame=1:duration=1ms,count=x", "bad number \"x\" for count"},
        {"period_change@t=0:hz=0", "hz \"0\" is out of range; expected a refresh rate in Hz from 1 to 1000"},
        {"period_change@t=0:hz=1000.5", "is out of range"},
        {"period_change@t=0:hz=-72", "negative hz \"-72\""},
        {"period_change@t=0:hz=72Hz", "unexpected \"Hz\" after \"72\" in hz"},
        {"period_change@t=0:hz=72.1234567", "hz \"72.1234567\" has more than 6 decimals"},
        {"visibility@t=0:to=idle",
         "unknown state \"idle\" for to; expected visible, synchronized or focused"},
        {"visibility@t=0:to=", "missing value for to"},
        /* a good entry does not hide a bad later one */
        {"idle@t=1s;;idle@t=x", "entry 3 \"idle@t=x\": bad number \"x\" for t"},
        /* user text is escaped, never printed raw */
        {"idle\x01@frame=1", "unexpected \"\\x01@frame=1\" after \"idle\""},
        {"\"quoted\"@frame=1", "entry 1 \"\\\"quoted\\\"@frame=1\": missing fault name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].want)
            expect_error(cases[i].text, cases[i].want);
        else
            assert_int_equal(parse_ok(cases[i].text).faults[0].at, 0); /* a bare zero needs no unit */
    }
}

static void too_many_entries_and_overlong_text_fail(void **state)
{
    (void)state;
    char text[2048];
    text[0] = '\0';
    for (int i = 0; i < SIM_FAULTS_MAX + 1; i++) strcat(text, "idle@frame=1;");
    expect_error(text, "entry 33 \"idle@frame=1\": too many entries; at most 32 faults in one list");

    memset(text, ' ', SIM_FAULTS_MAX_TEXT + 1);
    text[SIM_FAULTS_MAX_TEXT + 1] = '\0';
    memcpy(text, "idle@frame=1", 12);
    expect_error(text,
                 "PARALLAX_SIM_FAULTS: the list is longer than 1023 characters; expected at most 32 entries");

    /* a long bad entry is cut in the message, which stays one bounded line */
    memset(text, 'x', 900);
    text[900] = '\0';
    expect_error(text, "...\": unknown fault \"xxxxxxxx");
}

static void error_buffer_may_be_small_or_missing(void **state)
{
    (void)state;
    sim_fault_plan p;
    char small[16];
    memset(small, '#', sizeof small);
    assert_false(sim_faults_parse("bogus@frame=1", &p, small, sizeof small));
    assert_string_equal(small, "PARALLAX_SIM_FA");
    assert_false(sim_faults_parse("bogus@frame=1", &p, NULL, 0));
    char one[1] = {'#'};
    assert_false(sim_faults_parse("bogus@frame=1", &p, one, 1));
    assert_int_equal(one[0], '\0');
    char err[SIM_FAULTS_ERR_SIZE];
    assert_false(sim_faults_parse("idle@t=1s", NULL, err, sizeof err));
    assert_non_null(strstr(err, "PARALLAX_SIM_FAULTS: "));
}

/* ---------------------------------------------------------------- polling */

/* Frame n starts at n * 10 ms in these tests. */
#define FRAME_T(n) MS(10 * (int64_t)(n))

static void poll_fires_each_fault_once_at_its_frame_or_time(void **state)
{
    (void)state;
    sim_fault_plan p =
        parse_ok("session_loss@frame=30; instance_loss@t=255ms; wait_stall@frame=0:duration=1ms;"
                 "late_compositor@frame=7:delay=2ms,count=3; wait_timeout@t=100ms:count=2;"
                 "visibility@frame=12:for=50ms");
    int fired_at[SIM_FAULTS_MAX][8];
    int fired_n[SIM_FAULTS_MAX] = {0};
    for (int frame = 0; frame < 100; frame++) {
        sim_fault_event ev[SIM_FAULTS_MAX];
        int n = sim_faults_poll(&p, SIM_FAULT_ALL, frame, FRAME_T(frame), ev, SIM_FAULTS_MAX);
        for (int i = 0; i < n; i++) {
            int idx = ev[i].entry - 1;
            assert_true(fired_n[idx] < 8);
            assert_int_equal(ev[i].index, fired_n[idx]);
            fired_at[idx][fired_n[idx]++] = frame;
        }
    }
    assert_int_equal(fired_n[0], 1);
    assert_int_equal(fired_at[0][0], 30);
    assert_int_equal(fired_n[1], 1);
    assert_int_equal(fired_at[1][0], 26); /* the first frame at or after 255 ms */
    assert_int_equal(fired_n[2], 1);
    assert_int_equal(fired_at[2][0], 0);
    assert_int_equal(fired_n[3], 3);
    assert_int_equal(fired_at[3][0], 7);
    assert_int_equal(fired_at[3][1], 8);
    assert_int_equal(fired_at[3][2], 9);
    assert_int_equal(fired_n[4], 2);
    assert_int_equal(fired_at[4][0], 10);
    assert_int_equal(fired_at[4][1], 11);
    assert_int_equal(fired_n[5], 1); /* a window reports its start once */
    assert_int_equal(fired_at[5][0], 12);
}

static void poll_events_carry_the_parameters(void **state)
{
    (void)state;
    sim_fault_plan p = parse_ok("idle@t=1s; late_compositor@frame=5:delay=15ms,count=2");
    sim_fault_event ev[4];
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 4, S(2), ev, 4), 1);
    assert_int_equal(ev[0].kind, SIM_FAULT_IDLE);
    assert_int_equal(ev[0].entry, 1);
    assert_int_equal(ev[0].start_ns, S(1)); /* a time trigger starts at its time, not at the poll */
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 5, S(2) + 7, ev, 4), 1);
    assert_int_equal(ev[0].kind, SIM_FAULT_LATE_COMPOSITOR);
    assert_int_equal(ev[0].params.delay_ns, MS(15));
    assert_int_equal(ev[0].params.count, 2);
    assert_int_equal(ev[0].index, 0);
    assert_int_equal(ev[0].start_ns, S(2) + 7); /* a frame trigger starts at the poll that saw it */
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 6, S(3), ev, 4), 1);
    assert_int_equal(ev[0].index, 1);
    assert_int_equal(ev[0].start_ns, S(2) + 7);
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 7, S(4), ev, 4), 0);
}

static void poll_only_consumes_the_kinds_asked_for(void **state)
{
    (void)state;
    sim_fault_plan p = parse_ok("late_compositor@frame=2:delay=5ms; wait_stall@frame=2:duration=1ms");
    sim_fault_event ev[4];
    /* the frame loop polls its kinds; the compositor's fault is left for the compositor */
    uint32_t frame_kinds = SIM_FAULT_BIT(SIM_FAULT_WAIT_STALL) | SIM_FAULT_BIT(SIM_FAULT_SESSION_LOSS);
    assert_int_equal(sim_faults_poll(&p, frame_kinds, 2, FRAME_T(2), ev, 4), 1);
    assert_int_equal(ev[0].kind, SIM_FAULT_WAIT_STALL);
    assert_int_equal(sim_faults_poll(&p, frame_kinds, 3, FRAME_T(3), ev, 4), 0);
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_BIT(SIM_FAULT_LATE_COMPOSITOR), 3, FRAME_T(3), ev, 4), 1);
    assert_int_equal(ev[0].kind, SIM_FAULT_LATE_COMPOSITOR);
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 4, FRAME_T(4), ev, 4), 0);
}

static void poll_keeps_what_does_not_fit(void **state)
{
    (void)state;
    sim_fault_plan p = parse_ok("session_loss@frame=1; instance_loss@frame=1; idle@frame=1");
    sim_fault_event ev[3];
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 1, FRAME_T(1), ev, 1), 1);
    assert_int_equal(ev[0].kind, SIM_FAULT_SESSION_LOSS);
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 1, FRAME_T(1), ev, 0), 0);
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 1, FRAME_T(1), NULL, 3), 0);
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 2, FRAME_T(2), ev, 3), 2);
    assert_int_equal(ev[0].kind, SIM_FAULT_INSTANCE_LOSS);
    assert_int_equal(ev[1].kind, SIM_FAULT_IDLE);
    assert_int_equal(sim_faults_poll(NULL, SIM_FAULT_ALL, 2, 0, ev, 3), 0);
}

static void rearm_starts_the_plan_over(void **state)
{
    (void)state;
    sim_fault_plan p = parse_ok("session_loss@frame=3");
    sim_fault_event ev[2];
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 5, FRAME_T(5), ev, 2), 1);
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 6, FRAME_T(6), ev, 2), 0);
    sim_faults_rearm(&p);
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 2, FRAME_T(2), ev, 2), 0);
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 3, FRAME_T(3), ev, 2), 1);
    sim_faults_rearm(NULL);
}

/* ---------------------------------------------------------------- windows */

static void windows_are_active_only_inside(void **state)
{
    (void)state;
    sim_fault_plan p = parse_ok("visibility@t=1s:for=2s; period_change@t=2s:hz=72; idle@frame=10:for=100ms");
    const sim_fault *f = NULL;
    assert_false(sim_faults_active(&p, SIM_FAULT_VISIBILITY, 0, S(1) - 1, &f));
    assert_null(f);
    assert_true(sim_faults_active(&p, SIM_FAULT_VISIBILITY, 0, S(1), &f));
    assert_int_equal(f->params.to, SIM_FAULT_TO_VISIBLE);
    assert_true(sim_faults_active(&p, SIM_FAULT_VISIBILITY, 0, S(3) - 1, NULL));
    assert_false(sim_faults_active(&p, SIM_FAULT_VISIBILITY, 0, S(3), NULL));
    assert_false(sim_faults_active(&p, SIM_FAULT_VISIBILITY, 0, S(100), NULL));

    /* no for=: in force until the session ends */
    assert_false(sim_faults_active(&p, SIM_FAULT_PERIOD_CHANGE, 0, S(2) - 1, NULL));
    assert_true(sim_faults_active(&p, SIM_FAULT_PERIOD_CHANGE, 0, S(2), &f));
    assert_true(f->params.hz == 72.0);
    assert_true(sim_faults_active(&p, SIM_FAULT_PERIOD_CHANGE, 0, S(86400), NULL));

    /* a frame-triggered window starts at the time of the call that saw its frame */
    assert_false(sim_faults_active(&p, SIM_FAULT_IDLE, 9, S(5), NULL));
    assert_true(sim_faults_active(&p, SIM_FAULT_IDLE, 10, S(5) + MS(3), &f));
    assert_int_equal(f->start_ns, S(5) + MS(3));
    assert_true(sim_faults_active(&p, SIM_FAULT_IDLE, 12, S(5) + MS(102), NULL));
    assert_false(sim_faults_active(&p, SIM_FAULT_IDLE, 20, S(5) + MS(103), NULL));

    /* kinds that are not in the list are never active */
    assert_false(sim_faults_active(&p, SIM_FAULT_PERIOD_JITTER, 1000, S(1000), NULL));
    assert_false(sim_faults_active(&p, SIM_FAULT_KIND_COUNT, 1000, S(1000), NULL));
    assert_false(sim_faults_active(NULL, SIM_FAULT_IDLE, 1000, S(1000), NULL));
}

static void the_latest_started_window_wins(void **state)
{
    (void)state;
    sim_fault_plan p = parse_ok("period_change@t=1s:hz=72,for=10s; period_change@t=2s:hz=60,for=1s");
    const sim_fault *f = NULL;
    assert_true(sim_faults_active(&p, SIM_FAULT_PERIOD_CHANGE, 0, MS(1500), &f));
    assert_true(f->params.hz == 72.0);
    assert_true(sim_faults_active(&p, SIM_FAULT_PERIOD_CHANGE, 0, MS(2500), &f));
    assert_true(f->params.hz == 60.0);
    assert_true(sim_faults_active(&p, SIM_FAULT_PERIOD_CHANGE, 0, MS(3500), &f));
    assert_true(f->params.hz == 72.0);
    assert_false(sim_faults_active(&p, SIM_FAULT_PERIOD_CHANGE, 0, S(11), &f));
}

static void one_shot_faults_stay_in_force_after_their_trigger(void **state)
{
    (void)state;
    sim_fault_plan p = parse_ok("session_loss@frame=30:pending=100ms");
    const sim_fault *f = NULL;
    assert_false(sim_faults_active(&p, SIM_FAULT_SESSION_LOSS, 29, S(1), NULL));
    assert_true(sim_faults_active(&p, SIM_FAULT_SESSION_LOSS, 30, S(2), &f));
    assert_int_equal(f->start_ns, S(2));
    assert_int_equal(f->params.pending_ns, MS(100));
    assert_true(sim_faults_active(&p, SIM_FAULT_SESSION_LOSS, 31, S(9), NULL));
}

static void jitter_stays_in_bounds_and_is_deterministic(void **state)
{
    (void)state;
    sim_fault_plan p = parse_ok("period_jitter@t=1s:amount=1ms,for=5s");
    uint64_t rng = 42, rng2 = 42;
    assert_int_equal(sim_faults_jitter(&p, 0, MS(999), &rng), 0);
    assert_int_equal(rng, 42); /* outside the window the state is untouched */
    int64_t lo = 0, hi = 0, first[64];
    for (int i = 0; i < 1000; i++) {
        int64_t j = sim_faults_jitter(&p, 0, S(1) + i * MS(4), &rng);
        assert_true(j >= -MS(1) && j <= MS(1));
        if (j < lo) lo = j;
        if (j > hi) hi = j;
        if (i < 64) first[i] = j;
    }
    /* spread over the range, both signs */
    assert_true(lo < -MS(1) / 2);
    assert_true(hi > MS(1) / 2);
    for (int i = 0; i < 64; i++)
        assert_int_equal(sim_faults_jitter(&p, 0, S(1) + i * MS(4), &rng2), first[i]);
    assert_int_equal(sim_faults_jitter(&p, 0, S(6), &rng), 0);
    assert_int_equal(sim_faults_jitter(&p, 0, S(2), NULL), 0);
}

/* ---------------------------------------------------------------- names and canonical text */

static void kinds_have_their_list_names(void **state)
{
    (void)state;
    assert_string_equal(sim_fault_kind_name(SIM_FAULT_SESSION_LOSS), "session_loss");
    assert_string_equal(sim_fault_kind_name(SIM_FAULT_PERIOD_CHANGE), "period_change");
    assert_string_equal(sim_fault_kind_name(SIM_FAULT_KIND_COUNT), "unknown");
    for (int k = 0; k < SIM_FAULT_KIND_COUNT; k++) {
        char text[128];
        snprintf(text, sizeof text, "%s@frame=1", sim_fault_kind_name((sim_fault_kind)k));
        sim_fault_plan p;
        char err[SIM_FAULTS_ERR_SIZE];
        /* kinds with a required parameter fail, and must say which */
        if (!sim_faults_parse(text, &p, err, sizeof err)) assert_non_null(strstr(err, ": missing "));
    }
}

static void format_gives_back_the_same_plan(void **state)
{
    (void)state;
    sim_fault_plan p = parse_ok(example);
    char text[2048];
    size_t n = sim_faults_format(&p, text, sizeof text);
    assert_int_equal(n, strlen(text));
    assert_non_null(strstr(text,
                           "session_loss@frame=300:pending=0; instance_loss@t=5s:pending=0,restart=300ms; "
                           "visibility@frame=100:to=visible,for=2s;"));
    assert_non_null(strstr(text, "period_change@t=2s:hz=72"));
    sim_fault_plan q = parse_ok(text);
    assert_int_equal(q.count, p.count);
    for (int i = 0; i < p.count; i++) {
        assert_int_equal(q.faults[i].kind, p.faults[i].kind);
        assert_int_equal(q.faults[i].trigger, p.faults[i].trigger);
        assert_int_equal(q.faults[i].at, p.faults[i].at);
        assert_memory_equal(&q.faults[i].params, &p.faults[i].params, sizeof(sim_fault_params));
    }
    sim_fault_plan odd =
        parse_ok("period_change@t=1.000000001s:hz=59.94,for=1500us; wait_stall@t=7ns:duration=3us");
    n = sim_faults_format(&odd, text, sizeof text);
    assert_string_equal(
        text, "period_change@t=1000000001ns:hz=59.94,for=1500us; wait_stall@t=7ns:duration=3us,count=1");
    /* truncation still reports the full length */
    char small[8];
    assert_int_equal(sim_faults_format(&odd, small, sizeof small), n);
    assert_string_equal(small, "period_");
    assert_int_equal(sim_faults_format(&odd, NULL, 0), n);
}

/* fail: a call, a result and a count; it fires once per call of ITS function, never through
 * sim_faults_poll, and its canonical text parses back to the same plan. */
static void fail_faults_fire_per_call(void **state)
{
    (void)state;
    sim_fault_plan p = parse_ok("fail@frame=10:call=xrBeginFrame,result=XR_ERROR_SESSION_LOST,count=2; "
                                "fail@t=1s:call=xrEndFrame; fail@frame=0:call=xrCreateSession,count=3");
    assert_int_equal(p.count, 3);
    assert_int_equal(p.faults[0].kind, SIM_FAULT_FAIL);
    assert_int_equal(p.faults[0].params.call, SIM_FAULT_CALL_BEGIN_FRAME);
    assert_int_equal(p.faults[0].params.result, -17);
    assert_int_equal(p.faults[0].params.count, 2);
    assert_int_equal(p.faults[1].params.call, SIM_FAULT_CALL_END_FRAME);
    assert_int_equal(p.faults[1].params.result, -2); /* XR_ERROR_RUNTIME_FAILURE by default */
    assert_int_equal(p.faults[1].params.count, 1);

    sim_fault_event ev[4];
    /* sim_faults_poll never consumes them */
    assert_int_equal(sim_faults_poll(&p, SIM_FAULT_ALL, 20, S(5), ev, 4), 0);
    assert_false(sim_faults_poll_call(&p, SIM_FAULT_CALL_BEGIN_FRAME, 9, S(0), ev));
    assert_false(sim_faults_poll_call(&p, SIM_FAULT_CALL_WAIT_FRAME, 10, S(0), ev));
    assert_true(sim_faults_poll_call(&p, SIM_FAULT_CALL_BEGIN_FRAME, 10, S(0), ev));
    assert_int_equal(ev[0].params.result, -17);
    assert_int_equal(ev[0].index, 0);
    assert_true(sim_faults_poll_call(&p, SIM_FAULT_CALL_BEGIN_FRAME, 10, S(0), NULL));
    assert_false(sim_faults_poll_call(&p, SIM_FAULT_CALL_BEGIN_FRAME, 11, S(0), ev)); /* count spent */
    assert_false(sim_faults_poll_call(&p, SIM_FAULT_CALL_END_FRAME, 50, MS(999), ev));
    assert_true(sim_faults_poll_call(&p, SIM_FAULT_CALL_END_FRAME, 50, S(1), ev));
    assert_false(sim_faults_poll_call(&p, SIM_FAULT_CALL_END_FRAME, 51, S(2), ev));
    for (int i = 0; i < 3; i++)
        assert_true(sim_faults_poll_call(&p, SIM_FAULT_CALL_CREATE_SESSION, 0, 0, ev));
    assert_false(sim_faults_poll_call(&p, SIM_FAULT_CALL_CREATE_SESSION, 0, 0, ev));
    /* two entries for one call fire one per call, in list order */
    sim_fault_plan two = parse_ok("fail@frame=1:call=xrWaitFrame,result=XR_ERROR_VALIDATION_FAILURE; "
                                  "fail@frame=1:call=xrWaitFrame,result=XR_ERROR_OUT_OF_MEMORY");
    assert_true(sim_faults_poll_call(&two, SIM_FAULT_CALL_WAIT_FRAME, 1, 0, ev));
    assert_int_equal(ev[0].params.result, -1);
    assert_true(sim_faults_poll_call(&two, SIM_FAULT_CALL_WAIT_FRAME, 2, 0, ev));
    assert_int_equal(ev[0].params.result, -3);
    assert_false(sim_faults_poll_call(&two, SIM_FAULT_CALL_WAIT_FRAME, 3, 0, ev));

    /* skip lets that many calls through first: here the second and third xrLocateViews fail */
    sim_fault_plan sk = parse_ok("fail@frame=5:call=xrLocateViews,skip=1,count=2");
    assert_int_equal(sk.faults[0].params.skip, 1);
    assert_false(sim_faults_poll_call(&sk, SIM_FAULT_CALL_LOCATE_VIEWS, 4, 0, ev)); /* not reached */
    assert_false(sim_faults_poll_call(&sk, SIM_FAULT_CALL_LOCATE_VIEWS, 5, 0, ev)); /* skipped */
    assert_true(sim_faults_poll_call(&sk, SIM_FAULT_CALL_LOCATE_VIEWS, 5, 0, ev));
    assert_true(sim_faults_poll_call(&sk, SIM_FAULT_CALL_LOCATE_VIEWS, 6, 0, ev));
    assert_false(sim_faults_poll_call(&sk, SIM_FAULT_CALL_LOCATE_VIEWS, 6, 0, ev));
    sim_faults_rearm(&sk);
    assert_false(sim_faults_poll_call(&sk, SIM_FAULT_CALL_LOCATE_VIEWS, 5, 0, ev)); /* skipped again */
    assert_true(sim_faults_poll_call(&sk, SIM_FAULT_CALL_LOCATE_VIEWS, 5, 0, ev));

    char text[512];
    sim_faults_format(&p, text, sizeof text);
    assert_string_equal(text,
                        "fail@frame=10:call=xrBeginFrame,result=XR_ERROR_SESSION_LOST,skip=0,count=2; "
                        "fail@t=1s:call=xrEndFrame,result=XR_ERROR_RUNTIME_FAILURE,skip=0,count=1; "
                        "fail@frame=0:call=xrCreateSession,result=XR_ERROR_RUNTIME_FAILURE,skip=0,count=3");
    sim_fault_plan q = parse_ok(text);
    for (int i = 0; i < p.count; i++)
        assert_memory_equal(&q.faults[i].params, &p.faults[i].params, sizeof(sim_fault_params));
    assert_string_equal(sim_fault_call_name(SIM_FAULT_CALL_LOCATE_VIEWS), "xrLocateViews");
    assert_string_equal(sim_fault_call_name(SIM_FAULT_CALL_COUNT), "unknown");
    assert_string_equal(sim_fault_result_name(-37), "XR_ERROR_CALL_ORDER_INVALID");
    assert_null(sim_fault_result_name(0));
    /* The library spells the core error codes with openxr.h's names and values (it has no OpenXR types). */
    int core_errors = 0;
#define CHECK_RESULT(name, value)                                 \
    if ((value) < 0 && (value) > -1000) {                         \
        core_errors++;                                            \
        assert_non_null(sim_fault_result_name(value));            \
        assert_string_equal(sim_fault_result_name(value), #name); \
    }
    XR_LIST_ENUM_XrResult(CHECK_RESULT);
#undef CHECK_RESULT
    assert_int_equal(core_errors, 48);

    expect_error("fail@frame=1", "missing call=<OpenXR function>");
    expect_error("fail@frame=1:call=xrFooBar", "unknown call \"xrFooBar\"; expected one of xrWaitFrame,");
    expect_error("fail@frame=1:call=xrEndFrame,result=XR_SUCCESS", "unknown result \"XR_SUCCESS\"");
    expect_error("fail@frame=1:call=xrEndFrame,result=", "missing value for result");
    expect_error("fail@frame=1:call=xrEndFrame,count=0", "count \"0\" is out of range");
    expect_error("fail@frame=1:call=xrEndFrame,delay=1ms", "unknown parameter \"delay\" for fail");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_parses),
        cmocka_unit_test(every_parameter_parses),
        cmocka_unit_test(every_trigger_form_parses),
        cmocka_unit_test(whitespace_and_empty_entries_are_tolerated),
        cmocka_unit_test(limits_are_accepted_up_to_the_bound),
        cmocka_unit_test(malformed_lists_give_one_clear_line),
        cmocka_unit_test(too_many_entries_and_overlong_text_fail),
        cmocka_unit_test(error_buffer_may_be_small_or_missing),
        cmocka_unit_test(poll_fires_each_fault_once_at_its_frame_or_time),
        cmocka_unit_test(poll_events_carry_the_parameters),
        cmocka_unit_test(poll_only_consumes_the_kinds_asked_for),
        cmocka_unit_test(poll_keeps_what_does_not_fit),
        cmocka_unit_test(rearm_starts_the_plan_over),
        cmocka_unit_test(windows_are_active_only_inside),
        cmocka_unit_test(the_latest_started_window_wins),
        cmocka_unit_test(one_shot_faults_stay_in_force_after_their_trigger),
        cmocka_unit_test(jitter_stays_in_bounds_and_is_deterministic),
        cmocka_unit_test(kinds_have_their_list_names),
        cmocka_unit_test(format_gives_back_the_same_plan),
        cmocka_unit_test(fail_faults_fire_per_call),
    };
    return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
