/* SPDX-License-Identifier: MIT */
/* PARALLAX_SIM_FAULTS: parser and queries (sim_faults.h; the grammar is in README.md beside this file).
 *
 * The parser is a hand-written scanner over the text, entry by entry: no allocation, no strtod (so no locale
 * and no hex, inf or exponent forms slip in), integer arithmetic for times so a value means exactly the
 * nanoseconds it spells. Every way a list can be wrong ends in fail(), which writes the one error line. */
#include "sim_faults.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NS_PER_US 1000LL
#define NS_PER_MS 1000000LL
#define NS_PER_S  1000000000LL

/* Bounds keep every sum of a start and a window far from int64 overflow. */
#define MAX_TIME_NS (86400LL * NS_PER_S) /* a day */
#define MAX_FRAME   1000000000000LL      /* about 350 years at 90 Hz */
#define MAX_COUNT   1000000LL
#define HZ_MIN      1.0
#define HZ_MAX      1000.0
#define HZ_DECIMALS 6

#define ACQUIRE_DEFAULT_DELAY_NS (100 * NS_PER_MS)
#define FAIL_DEFAULT_RESULT      (-2) /* XR_ERROR_RUNTIME_FAILURE */
#define RESTART_DEFAULT_NS       (300 * NS_PER_MS)

#define TRIGGER_FORM "frame=<n>|t=<time>"
#define TIME_FORM    "a time such as 200ms or 1.5s (units ns, us, ms, s)"

/* ---------------------------------------------------------------- what each kind accepts */

/* In the order the canonical text lists them. */
typedef enum param_id {
    P_PENDING,
    P_RESTART,
    P_DURATION,
    P_DELAY,
    P_AMOUNT,
    P_HZ,
    P_TO,
    P_FOR,
    P_CALL,
    P_RESULT,
    P_SKIP,
    P_COUNT,
    P_COUNT_
} param_id;
#define PB(id) (1u << (unsigned)(id))

static const char *const param_names[P_COUNT_] = {
    [P_PENDING] = "pending", [P_RESTART] = "restart", [P_DURATION] = "duration",
    [P_DELAY] = "delay",     [P_AMOUNT] = "amount",   [P_FOR] = "for",
    [P_HZ] = "hz",           [P_TO] = "to",           [P_CALL] = "call",
    [P_RESULT] = "result",   [P_SKIP] = "skip",       [P_COUNT] = "count",
};
static const char *const param_forms[P_COUNT_] = {
    [P_PENDING] = "<time>",
    [P_RESTART] = "<time>",
    [P_DURATION] = "<time>",
    [P_DELAY] = "<time>",
    [P_AMOUNT] = "<time>",
    [P_FOR] = "<time>",
    [P_HZ] = "<hz>",
    [P_TO] = "visible|synchronized|focused",
    [P_CALL] = "<OpenXR function>",
    [P_RESULT] = "<XR_ERROR_...>",
    [P_SKIP] = "<n>",
    [P_COUNT] = "<n>",
};

typedef struct kind_info {
    const char *name;
    unsigned params;   /* PB() of every parameter the kind takes */
    unsigned required; /* the subset that must be given */
    const char *form;  /* the expected form, quoted in error messages */
} kind_info;

static const kind_info kind_infos[SIM_FAULT_KIND_COUNT] = {
    [SIM_FAULT_SESSION_LOSS] = {"session_loss", PB(P_PENDING), 0,
                                "session_loss@" TRIGGER_FORM "[:pending=<time>]"},
    [SIM_FAULT_INSTANCE_LOSS] = {"instance_loss", PB(P_PENDING) | PB(P_RESTART), 0,
                                 "instance_loss@" TRIGGER_FORM "[:pending=<time>][,restart=<time>]"},
    [SIM_FAULT_VISIBILITY] = {"visibility", PB(P_TO) | PB(P_FOR), 0,
                              "visibility@" TRIGGER_FORM "[:to=visible|synchronized|focused][,for=<time>]"},
    [SIM_FAULT_IDLE] = {"idle", PB(P_FOR), 0, "idle@" TRIGGER_FORM "[:for=<time>]"},
    [SIM_FAULT_WAIT_STALL] = {"wait_stall", PB(P_DURATION) | PB(P_COUNT), PB(P_DURATION),
                              "wait_stall@" TRIGGER_FORM ":duration=<time>[,count=<n>]"},
    [SIM_FAULT_PERIOD_JITTER] = {"period_jitter", PB(P_AMOUNT) | PB(P_FOR), PB(P_AMOUNT),
                                 "period_jitter@" TRIGGER_FORM ":amount=<time>[,for=<time>]"},
    [SIM_FAULT_LATE_COMPOSITOR] = {"late_compositor", PB(P_DELAY) | PB(P_COUNT), PB(P_DELAY),
                                   "late_compositor@" TRIGGER_FORM ":delay=<time>[,count=<n>]"},
    [SIM_FAULT_ACQUIRE_TIMEOUT] = {"acquire_timeout", PB(P_DELAY) | PB(P_COUNT), 0,
                                   "acquire_timeout@" TRIGGER_FORM "[:delay=<time>][,count=<n>]"},
    [SIM_FAULT_WAIT_TIMEOUT] = {"wait_timeout", PB(P_DELAY) | PB(P_COUNT), 0,
                                "wait_timeout@" TRIGGER_FORM "[:delay=<time>][,count=<n>]"},
    [SIM_FAULT_PERIOD_CHANGE] = {"period_change", PB(P_HZ) | PB(P_FOR), PB(P_HZ),
                                 "period_change@" TRIGGER_FORM ":hz=<hz>[,for=<time>]"},
    [SIM_FAULT_FAIL] = {"fail", PB(P_CALL) | PB(P_RESULT) | PB(P_SKIP) | PB(P_COUNT), PB(P_CALL),
                        "fail@" TRIGGER_FORM
                        ":call=<OpenXR function>[,result=<XR_ERROR_...>][,skip=<n>][,count=<n>]"},
};

/* The calls a fail fault can make fail, by sim_fault_call. */
static const char *const call_names[SIM_FAULT_CALL_COUNT] = {
    [SIM_FAULT_CALL_WAIT_FRAME] = "xrWaitFrame",
    [SIM_FAULT_CALL_BEGIN_FRAME] = "xrBeginFrame",
    [SIM_FAULT_CALL_END_FRAME] = "xrEndFrame",
    [SIM_FAULT_CALL_ACQUIRE_IMAGE] = "xrAcquireSwapchainImage",
    [SIM_FAULT_CALL_WAIT_IMAGE] = "xrWaitSwapchainImage",
    [SIM_FAULT_CALL_RELEASE_IMAGE] = "xrReleaseSwapchainImage",
    [SIM_FAULT_CALL_LOCATE_VIEWS] = "xrLocateViews",
    [SIM_FAULT_CALL_CREATE_SESSION] = "xrCreateSession",
};
#define CALL_LIST                                                                            \
    "xrWaitFrame, xrBeginFrame, xrEndFrame, xrAcquireSwapchainImage, xrWaitSwapchainImage, " \
    "xrReleaseSwapchainImage, xrLocateViews, xrCreateSession"

/* The core OpenXR 1.0 error codes, by value (the library has no OpenXR types; the simulator checks the values
 * against openxr.h). A fault returns one of these, so an app meets a result the spec defines. */
typedef struct result_info {
    int32_t value;
    const char *name;
} result_info;
static const result_info result_infos[] = {
    {-1, "XR_ERROR_VALIDATION_FAILURE"},
    {-2, "XR_ERROR_RUNTIME_FAILURE"},
    {-3, "XR_ERROR_OUT_OF_MEMORY"},
    {-4, "XR_ERROR_API_VERSION_UNSUPPORTED"},
    {-6, "XR_ERROR_INITIALIZATION_FAILED"},
    {-7, "XR_ERROR_FUNCTION_UNSUPPORTED"},
    {-8, "XR_ERROR_FEATURE_UNSUPPORTED"},
    {-9, "XR_ERROR_EXTENSION_NOT_PRESENT"},
    {-10, "XR_ERROR_LIMIT_REACHED"},
    {-11, "XR_ERROR_SIZE_INSUFFICIENT"},
    {-12, "XR_ERROR_HANDLE_INVALID"},
    {-13, "XR_ERROR_INSTANCE_LOST"},
    {-14, "XR_ERROR_SESSION_RUNNING"},
    {-16, "XR_ERROR_SESSION_NOT_RUNNING"},
    {-17, "XR_ERROR_SESSION_LOST"},
    {-18, "XR_ERROR_SYSTEM_INVALID"},
    {-19, "XR_ERROR_PATH_INVALID"},
    {-20, "XR_ERROR_PATH_COUNT_EXCEEDED"},
    {-21, "XR_ERROR_PATH_FORMAT_INVALID"},
    {-22, "XR_ERROR_PATH_UNSUPPORTED"},
    {-23, "XR_ERROR_LAYER_INVALID"},
    {-24, "XR_ERROR_LAYER_LIMIT_EXCEEDED"},
    {-25, "XR_ERROR_SWAPCHAIN_RECT_INVALID"},
    {-26, "XR_ERROR_SWAPCHAIN_FORMAT_UNSUPPORTED"},
    {-27, "XR_ERROR_ACTION_TYPE_MISMATCH"},
    {-28, "XR_ERROR_SESSION_NOT_READY"},
    {-29, "XR_ERROR_SESSION_NOT_STOPPING"},
    {-30, "XR_ERROR_TIME_INVALID"},
    {-31, "XR_ERROR_REFERENCE_SPACE_UNSUPPORTED"},
    {-32, "XR_ERROR_FILE_ACCESS_ERROR"},
    {-33, "XR_ERROR_FILE_CONTENTS_INVALID"},
    {-34, "XR_ERROR_FORM_FACTOR_UNSUPPORTED"},
    {-35, "XR_ERROR_FORM_FACTOR_UNAVAILABLE"},
    {-36, "XR_ERROR_API_LAYER_NOT_PRESENT"},
    {-37, "XR_ERROR_CALL_ORDER_INVALID"},
    {-38, "XR_ERROR_GRAPHICS_DEVICE_INVALID"},
    {-39, "XR_ERROR_POSE_INVALID"},
    {-40, "XR_ERROR_INDEX_OUT_OF_RANGE"},
    {-41, "XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED"},
    {-42, "XR_ERROR_ENVIRONMENT_BLEND_MODE_UNSUPPORTED"},
    {-44, "XR_ERROR_NAME_DUPLICATED"},
    {-45, "XR_ERROR_NAME_INVALID"},
    {-46, "XR_ERROR_ACTIONSET_NOT_ATTACHED"},
    {-47, "XR_ERROR_ACTIONSETS_ALREADY_ATTACHED"},
    {-48, "XR_ERROR_LOCALIZED_NAME_DUPLICATED"},
    {-49, "XR_ERROR_LOCALIZED_NAME_INVALID"},
    {-50, "XR_ERROR_GRAPHICS_REQUIREMENTS_CALL_MISSING"},
    {-51, "XR_ERROR_RUNTIME_UNAVAILABLE"},
};
#define RESULT_COUNT ((int)(sizeof result_infos / sizeof result_infos[0]))

const char *sim_fault_call_name(sim_fault_call call)
{
    if ((unsigned)call >= (unsigned)SIM_FAULT_CALL_COUNT) return "unknown";
    return call_names[call];
}

const char *sim_fault_result_name(int32_t result)
{
    for (int i = 0; i < RESULT_COUNT; i++)
        if (result_infos[i].value == result) return result_infos[i].name;
    return NULL;
}

#define KIND_LIST                                                                                 \
    "session_loss, instance_loss, visibility, idle, wait_stall, period_jitter, late_compositor, " \
    "acquire_timeout, wait_timeout, period_change, fail"

const char *sim_fault_kind_name(sim_fault_kind kind)
{
    if ((unsigned)kind >= (unsigned)SIM_FAULT_KIND_COUNT) return "unknown";
    return kind_infos[kind].name;
}

/* Kinds whose effect lasts for a window rather than a number of firings. */
static bool kind_has_window(sim_fault_kind kind)
{
    return (kind_infos[kind].params & PB(P_FOR)) != 0;
}

/* ---------------------------------------------------------------- text helpers */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const char *skip_space(const char *p, const char *e)
{
    while (p < e && is_space(*p)) p++;
    return p;
}

static void trim(const char **b, const char **e)
{
    *b = skip_space(*b, *e);
    while (*e > *b && is_space((*e)[-1])) (*e)--;
}

static bool token_is(const char *b, const char *e, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(e - b) == n && memcmp(b, word, n) == 0;
}

/* Bounded string builder: appends never overflow, the result is always NUL-terminated. */
typedef struct strbuf {
    char *buf;
    size_t size, len; /* len may exceed size - 1: it is the length the full text needs */
} strbuf;

static void sb_putc(strbuf *sb, char c)
{
    if (sb->buf && sb->len + 1 < sb->size) {
        sb->buf[sb->len] = c;
        sb->buf[sb->len + 1] = '\0';
    }
    sb->len++;
}

static void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(strbuf *sb, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    /* Every caller formats short pieces; a longer one would be cut here, never overrun. */
    for (int i = 0; i < n && (size_t)i < sizeof tmp - 1; i++) sb_putc(sb, tmp[i]);
}

/* Quotes [b, e) for a message: printable ASCII as is, anything else escaped, at most `max` characters of the
 * source, "..." after a cut. The text comes from the environment, so it must not put control characters or
 * half UTF-8 sequences on the user's terminal. */
#define QUOTE_SIZE 256
static const char *quote(char out[QUOTE_SIZE], const char *b, const char *e, size_t max)
{
    strbuf sb = {out, QUOTE_SIZE, 0};
    out[0] = '\0';
    sb_putc(&sb, '"');
    size_t n = 0;
    for (const char *p = b; p < e; p++, n++) {
        if (n == max) {
            sb_printf(&sb, "...");
            break;
        }
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\')
            sb_printf(&sb, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            sb_putc(&sb, (char)c);
        else
            sb_printf(&sb, "\\x%02x", c);
    }
    sb_putc(&sb, '"');
    return out;
}

/* ---------------------------------------------------------------- errors */

typedef struct parser {
    char *err;
    size_t err_size;
    int entry; /* 1-based position of the entry being parsed, 0 = the list as a whole */
    const char *entry_b, *entry_e;
} parser;

/* The one place every parse error goes through: "PARALLAX_SIM_FAULTS: entry N "<text>": <what>". */
static bool fail(parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(parser *ps, const char *fmt, ...)
{
    if (!ps->err || ps->err_size == 0) return false;
    strbuf sb = {ps->err, ps->err_size, 0};
    ps->err[0] = '\0';
    sb_printf(&sb, "PARALLAX_SIM_FAULTS: ");
    if (ps->entry > 0) {
        char q[QUOTE_SIZE];
        sb_printf(&sb, "entry %d %s: ", ps->entry, quote(q, ps->entry_b, ps->entry_e, 60));
    }
    char msg[SIM_FAULTS_ERR_SIZE];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (int i = 0; i < n && (size_t)i < sizeof msg - 1; i++) sb_putc(&sb, msg[i]);
    return false;
}

/* ---------------------------------------------------------------- values */

/* A whole number in [lo, hi] spanning all of [b, e) (already trimmed). */
static bool parse_whole(parser *ps, const char *what, const char *b, const char *e, int64_t lo, int64_t hi,
                        int64_t *out)
{
    char q[QUOTE_SIZE], q2[QUOTE_SIZE];
    if (b == e)
        return fail(ps, "missing value for %s; expected a whole number from %lld to %lld", what,
                    (long long)lo, (long long)hi);
    if (*b == '-')
        return fail(ps, "negative %s %s; expected a whole number from %lld to %lld", what, quote(q, b, e, 24),
                    (long long)lo, (long long)hi);
    const char *p = b;
    int64_t v = 0;
    bool too_big = false;
    while (p < e && is_digit(*p)) {
        if (v > (INT64_MAX - 9) / 10)
            too_big = true;
        else
            v = v * 10 + (*p - '0');
        p++;
    }
    if (p == b)
        return fail(ps, "bad number %s for %s; expected a whole number from %lld to %lld", quote(q, b, e, 24),
                    what, (long long)lo, (long long)hi);
    const char *digits_e = p;
    p = skip_space(p, e);
    if (p < e)
        return fail(ps, "unexpected %s after %s in %s; expected a whole number from %lld to %lld",
                    quote(q, p, e, 24), quote(q2, b, digits_e, 24), what, (long long)lo, (long long)hi);
    if (too_big || v < lo || v > hi)
        return fail(ps, "%s %s is out of range; expected a whole number from %lld to %lld", what,
                    quote(q, b, digits_e, 24), (long long)lo, (long long)hi);
    *out = v;
    return true;
}

/* Decimal digits "123", "1.5", ".25", "2." at *pp: the integer part (saturating at `cap`, flagged in
 * *out_big) and the fractional digits with trailing zeros dropped (at most 18 kept, *out_frac_long set if
 * more were needed). false when there is no digit at all. */
typedef struct decimal {
    int64_t whole;
    bool big;       /* the integer part went past the cap */
    int64_t frac;   /* fractional digits as an integer */
    int frac_len;   /* how many there are, after dropping trailing zeros */
    bool frac_long; /* more than 18 significant fractional digits */
} decimal;

static bool scan_decimal(const char **pp, const char *e, int64_t cap, decimal *out)
{
    const char *p = *pp;
    *out = (decimal){0};
    bool any = false;
    while (p < e && is_digit(*p)) {
        any = true;
        if (out->whole > (cap - 9) / 10)
            out->big = true;
        else
            out->whole = out->whole * 10 + (*p - '0');
        p++;
    }
    if (p < e && *p == '.') {
        p++;
        /* Keep the digits up to the last non-zero one: trailing zeros change nothing. */
        int64_t f = 0;
        int len = 0, pending_zeros = 0;
        while (p < e && is_digit(*p)) {
            any = true;
            if (*p == '0') {
                pending_zeros++;
            } else {
                for (; pending_zeros > 0; pending_zeros--) {
                    if (len >= 18)
                        out->frac_long = true;
                    else
                        f *= 10, len++;
                }
                if (len >= 18)
                    out->frac_long = true;
                else
                    f = f * 10 + (*p - '0'), len++;
            }
            p++;
        }
        out->frac = f;
        out->frac_len = len;
    }
    *pp = p;
    return any;
}

static int64_t pow10_i64(int n)
{
    int64_t v = 1;
    while (n-- > 0) v *= 10;
    return v;
}

/* A time: "<decimal><unit>" with unit ns|us|ms|s (space between allowed), or a bare 0. */
static bool parse_time(parser *ps, const char *what, const char *b, const char *e, bool positive,
                       int64_t *out_ns)
{
    char q[QUOTE_SIZE], q2[QUOTE_SIZE];
    if (b == e) return fail(ps, "missing value for %s; expected %s", what, TIME_FORM);
    if (*b == '-')
        return fail(ps, "negative duration %s for %s; times are >= 0, %s", quote(q, b, e, 24), what,
                    TIME_FORM);
    const char *p = b;
    decimal d;
    if (!scan_decimal(&p, e, MAX_TIME_NS, &d))
        return fail(ps, "bad number %s for %s; expected %s", quote(q, b, e, 24), what, TIME_FORM);
    p = skip_space(p, e);
    const char *unit_b = p;
    while (p < e && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) p++;
    const char *unit_e = p;
    int64_t unit = 0;
    if (unit_b == unit_e) {
        if (d.whole != 0 || d.big || d.frac != 0)
            return fail(ps, "missing unit in %s for %s; expected %s", quote(q, b, e, 24), what, TIME_FORM);
        unit = NS_PER_S; /* a bare 0 needs no unit */
    } else if (token_is(unit_b, unit_e, "ns")) {
        unit = 1;
    } else if (token_is(unit_b, unit_e, "us")) {
        unit = NS_PER_US;
    } else if (token_is(unit_b, unit_e, "ms")) {
        unit = NS_PER_MS;
    } else if (token_is(unit_b, unit_e, "s")) {
        unit = NS_PER_S;
    } else {
        return fail(ps, "unknown unit %s in %s for %s; expected ns, us, ms or s",
                    quote(q, unit_b, unit_e, 16), quote(q2, b, e, 24), what);
    }
    const char *value_e = p;
    p = skip_space(p, e);
    if (p < e)
        return fail(ps, "unexpected %s after %s in %s; expected %s", quote(q, p, e, 24),
                    quote(q2, b, value_e, 24), what, TIME_FORM);
    if (d.big || d.whole > MAX_TIME_NS / unit)
        return fail(ps, "%s %s is out of range; at most 86400s", what, quote(q, b, e, 24));
    /* Sub-nanosecond parts cannot be represented: refuse rather than round silently. */
    int64_t frac_ns = 0;
    if (d.frac_len > 0) {
        if (d.frac_long || d.frac_len > 9)
            return fail(ps, "%s %s is not a whole number of nanoseconds", what, quote(q, b, e, 24));
        int64_t scale = pow10_i64(d.frac_len);
        /* frac < 10^9 and unit <= 10^9, so the product fits. */
        if ((d.frac * unit) % scale != 0)
            return fail(ps, "%s %s is not a whole number of nanoseconds", what, quote(q, b, e, 24));
        frac_ns = d.frac * unit / scale;
    }
    int64_t ns = d.whole * unit + frac_ns;
    if (ns > MAX_TIME_NS) return fail(ps, "%s %s is out of range; at most 86400s", what, quote(q, b, e, 24));
    if (positive && ns == 0) {
        if (strcmp(what, "for") == 0)
            return fail(ps, "for must be greater than 0 (leave for= out to keep the fault until the session "
                            "ends)");
        return fail(ps, "%s must be greater than 0; expected %s", what, TIME_FORM);
    }
    *out_ns = ns;
    return true;
}

/* A refresh rate: a decimal number of Hz with at most HZ_DECIMALS decimals, from HZ_MIN to HZ_MAX. */
static bool parse_hz(parser *ps, const char *b, const char *e, double *out)
{
    char q[QUOTE_SIZE], q2[QUOTE_SIZE];
    if (b == e)
        return fail(ps, "missing value for hz; expected a refresh rate in Hz from 1 to 1000, e.g. 72");
    if (*b == '-')
        return fail(ps, "negative hz %s; expected a refresh rate in Hz from 1 to 1000", quote(q, b, e, 24));
    const char *p = b;
    decimal d;
    if (!scan_decimal(&p, e, 1000000, &d))
        return fail(ps, "bad number %s for hz; expected a refresh rate in Hz from 1 to 1000, e.g. 72",
                    quote(q, b, e, 24));
    const char *num_e = p;
    p = skip_space(p, e);
    if (p < e)
        return fail(ps, "unexpected %s after %s in hz; expected a refresh rate in Hz from 1 to 1000, e.g. 72",
                    quote(q, p, e, 24), quote(q2, b, num_e, 24));
    if (d.frac_long || d.frac_len > HZ_DECIMALS)
        return fail(ps, "hz %s has more than %d decimals", quote(q, b, e, 24), HZ_DECIMALS);
    /* whole <= 10^6 and at most 6 decimals: numerator and denominator are exact doubles, so the quotient is
     * the correctly rounded value of the text (and sim_faults_format can give the same text back). */
    int64_t scale = pow10_i64(d.frac_len);
    double hz = d.big ? HZ_MAX * 2 : (double)(d.whole * scale + d.frac) / (double)scale;
    if (!(hz >= HZ_MIN && hz <= HZ_MAX))
        return fail(ps, "hz %s is out of range; expected a refresh rate in Hz from 1 to 1000",
                    quote(q, b, e, 24));
    *out = hz;
    return true;
}

static bool parse_to(parser *ps, const char *b, const char *e, sim_fault_visibility *out)
{
    char q[QUOTE_SIZE];
    if (token_is(b, e, "visible"))
        *out = SIM_FAULT_TO_VISIBLE;
    else if (token_is(b, e, "synchronized"))
        *out = SIM_FAULT_TO_SYNCHRONIZED;
    else if (token_is(b, e, "focused"))
        *out = SIM_FAULT_TO_FOCUSED;
    else if (b == e)
        return fail(ps, "missing value for to; expected visible, synchronized or focused");
    else
        return fail(ps,
                    "unknown state %s for to; expected visible, synchronized or focused (idle@... stops the "
                    "session)",
                    quote(q, b, e, 24));
    return true;
}

static bool parse_call(parser *ps, const char *b, const char *e, sim_fault_call *out)
{
    char q[QUOTE_SIZE];
    if (b == e) return fail(ps, "missing value for call; expected one of %s", CALL_LIST);
    for (int c = 0; c < SIM_FAULT_CALL_COUNT; c++) {
        if (token_is(b, e, call_names[c])) {
            *out = (sim_fault_call)c;
            return true;
        }
    }
    return fail(ps, "unknown call %s; expected one of %s", quote(q, b, e, 40), CALL_LIST);
}

static bool parse_result(parser *ps, const char *b, const char *e, int32_t *out)
{
    char q[QUOTE_SIZE];
    if (b == e)
        return fail(ps, "missing value for result; expected a core OpenXR error code such as "
                        "XR_ERROR_RUNTIME_FAILURE");
    for (int i = 0; i < RESULT_COUNT; i++) {
        if (token_is(b, e, result_infos[i].name)) {
            *out = result_infos[i].value;
            return true;
        }
    }
    return fail(ps,
                "unknown result %s; expected a core OpenXR error code (XR_ERROR_...) such as "
                "XR_ERROR_RUNTIME_FAILURE or XR_ERROR_SESSION_LOST",
                quote(q, b, e, 48));
}

/* ---------------------------------------------------------------- entries */

/* "name1, name2" of the parameters in mask, for messages. */
static const char *param_list(char out[QUOTE_SIZE], unsigned mask)
{
    strbuf sb = {out, QUOTE_SIZE, 0};
    out[0] = '\0';
    for (int i = 0; i < P_COUNT_; i++) {
        if (!(mask & PB(i))) continue;
        sb_printf(&sb, "%s%s", sb.len ? ", " : "", param_names[i]);
    }
    return out;
}

static bool parse_param_value(parser *ps, sim_fault_kind kind, param_id id, const char *b, const char *e,
                              sim_fault_params *prm)
{
    switch (id) {
    case P_PENDING:
        return parse_time(ps, "pending", b, e, false, &prm->pending_ns);
    case P_RESTART:
        return parse_time(ps, "restart", b, e, true, &prm->restart_ns);
    case P_DURATION:
        return parse_time(ps, "duration", b, e, true, &prm->duration_ns);
    case P_DELAY:
        /* wait_timeout's delay may be 0: "block for the app's own timeout". */
        return parse_time(ps, "delay", b, e, kind != SIM_FAULT_WAIT_TIMEOUT, &prm->delay_ns);
    case P_AMOUNT:
        return parse_time(ps, "amount", b, e, true, &prm->amount_ns);
    case P_FOR:
        return parse_time(ps, "for", b, e, true, &prm->window_ns);
    case P_HZ:
        return parse_hz(ps, b, e, &prm->hz);
    case P_TO:
        return parse_to(ps, b, e, &prm->to);
    case P_CALL:
        return parse_call(ps, b, e, &prm->call);
    case P_RESULT:
        return parse_result(ps, b, e, &prm->result);
    case P_SKIP: {
        int64_t n = 0;
        if (!parse_whole(ps, "skip", b, e, 0, MAX_COUNT, &n)) return false;
        prm->skip = (int32_t)n;
        return true;
    }
    case P_COUNT: {
        int64_t n = 0;
        if (!parse_whole(ps, "count", b, e, 1, MAX_COUNT, &n)) return false;
        prm->count = (int32_t)n;
        return true;
    }
    case P_COUNT_:
        break;
    }
    return fail(ps, "internal error: parameter %d has no parser", (int)id);
}

/* <kind>@<trigger>[:<name>=<value>[,<name>=<value>]...] over [b, e), trimmed and non-empty. */
static bool parse_entry(parser *ps, const char *b, const char *e, sim_fault *out)
{
    char q[QUOTE_SIZE], q2[QUOTE_SIZE];
    const char *p = b;
    const char *name_b = p;
    while (p < e && is_name_char(*p)) p++;
    const char *name_e = p;
    if (name_b == name_e)
        return fail(ps,
                    "missing fault name; expected <kind>@" TRIGGER_FORM "[:<parameters>] with kind one of %s",
                    KIND_LIST);
    int kind = -1;
    for (int k = 0; k < SIM_FAULT_KIND_COUNT; k++) {
        if (token_is(name_b, name_e, kind_infos[k].name)) kind = k;
    }
    if (kind < 0)
        return fail(ps, "unknown fault %s; expected one of %s", quote(q, name_b, name_e, 32), KIND_LIST);
    const kind_info *ki = &kind_infos[kind];
    *out = (sim_fault){.kind = (sim_fault_kind)kind};

    p = skip_space(p, e);
    if (p == e || *p == ':') return fail(ps, "missing trigger; expected %s", ki->form);
    if (*p != '@')
        return fail(ps, "unexpected %s after %s; expected %s", quote(q, p, e, 24),
                    quote(q2, name_b, name_e, 32), ki->form);
    p = skip_space(p + 1, e);

    /* trigger */
    const char *key_b = p;
    while (p < e && is_name_char(*p)) p++;
    const char *key_e = p;
    if (key_b == key_e) return fail(ps, "missing trigger after \"@\"; expected %s", ki->form);
    if (token_is(key_b, key_e, "frame"))
        out->trigger = SIM_FAULT_AT_FRAME;
    else if (token_is(key_b, key_e, "t"))
        out->trigger = SIM_FAULT_AT_TIME;
    else
        return fail(ps, "unknown trigger %s; expected frame=<n> or t=<time>, as in %s",
                    quote(q, key_b, key_e, 24), ki->form);
    p = skip_space(p, e);
    if (p == e || *p != '=')
        return fail(ps, "missing \"=\" after %s; expected frame=<n> or t=<time>", quote(q, key_b, key_e, 24));
    const char *val_b = ++p;
    while (p < e && *p != ':' && *p != ',') p++;
    const char *val_e = p;
    trim(&val_b, &val_e);
    if (out->trigger == SIM_FAULT_AT_FRAME) {
        if (!parse_whole(ps, "frame", val_b, val_e, 0, MAX_FRAME, &out->at)) return false;
    } else {
        if (!parse_time(ps, "t", val_b, val_e, false, &out->at)) return false;
    }
    if (p < e && *p == ',')
        return fail(ps, "unexpected \",\" after the trigger; expected \":\" before the parameters, as in %s",
                    ki->form);

    /* parameters */
    unsigned seen = 0;
    if (p < e) { /* at ':' */
        p++;
        for (;;) {
            p = skip_space(p, e);
            key_b = p;
            while (p < e && is_name_char(*p)) p++;
            key_e = p;
            if (key_b == key_e) {
                if (p == e || *p == ',')
                    return fail(ps, "missing parameter after %s; expected %s", seen ? "\",\"" : "\":\"",
                                ki->form);
                return fail(ps, "unexpected %s where a parameter name was expected; expected %s",
                            quote(q, p, e, 24), ki->form);
            }
            int id = -1;
            for (int i = 0; i < P_COUNT_; i++) {
                if (token_is(key_b, key_e, param_names[i])) id = i;
            }
            if (id < 0 || !(ki->params & PB(id)))
                return fail(ps, "unknown parameter %s for %s; expected %s (%s)", quote(q, key_b, key_e, 24),
                            ki->name, param_list(q2, ki->params), ki->form);
            if (seen & PB(id)) return fail(ps, "parameter %s given twice", param_names[id]);
            p = skip_space(p, e);
            if (p == e || *p != '=')
                return fail(ps, "missing \"=\" after %s; expected %s=%s", param_names[id], param_names[id],
                            param_forms[id]);
            val_b = ++p;
            while (p < e && *p != ',') p++;
            val_e = p;
            trim(&val_b, &val_e);
            if (!parse_param_value(ps, (sim_fault_kind)kind, (param_id)id, val_b, val_e, &out->params))
                return false;
            seen |= PB(id);
            if (p == e) break;
            p++; /* ',' */
        }
    }
    for (int i = 0; i < P_COUNT_; i++) {
        if ((ki->required & PB(i)) && !(seen & PB(i)))
            return fail(ps, "missing %s=%s; expected %s", param_names[i], param_forms[i], ki->form);
    }
    if (!(seen & PB(P_COUNT))) out->params.count = 1;
    if (kind == SIM_FAULT_ACQUIRE_TIMEOUT && !(seen & PB(P_DELAY)))
        out->params.delay_ns = ACQUIRE_DEFAULT_DELAY_NS;
    if (kind == SIM_FAULT_FAIL && !(seen & PB(P_RESULT))) out->params.result = FAIL_DEFAULT_RESULT;
    if (kind == SIM_FAULT_INSTANCE_LOSS && !(seen & PB(P_RESTART)))
        out->params.restart_ns = RESTART_DEFAULT_NS;
    return true;
}

bool sim_faults_parse(const char *text, sim_fault_plan *out_plan, char *err, size_t err_size)
{
    parser ps = {.err = err, .err_size = err_size};
    if (err && err_size) err[0] = '\0';
    if (!out_plan) return fail(&ps, "internal error: no plan to fill");
    memset(out_plan, 0, sizeof(*out_plan));
    if (!text) return true;
    /* memchr stops at the first match (C11 7.24.5.1), so this never reads past the string's end. */
    const char *end = memchr(text, '\0', (size_t)SIM_FAULTS_MAX_TEXT + 1);
    if (!end)
        return fail(&ps,
                    "the list is longer than %d characters; expected at most %d entries "
                    "<kind>@" TRIGGER_FORM "[:<parameters>] separated by \";\"",
                    SIM_FAULTS_MAX_TEXT, SIM_FAULTS_MAX);

    sim_fault_plan plan = {0};
    const char *p = text;
    for (int entry = 1;; entry++) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *b = p, *e = semi ? semi : end;
        trim(&b, &e);
        /* Empty entries (";;", a trailing ";", blank text) are skipped but still counted, so "entry N" in
         * a message is the N-th piece between semicolons. */
        if (b < e) {
            ps.entry = entry;
            ps.entry_b = b;
            ps.entry_e = e;
            if (plan.count == SIM_FAULTS_MAX)
                return fail(&ps, "too many entries; at most %d faults in one list", SIM_FAULTS_MAX);
            sim_fault *f = &plan.faults[plan.count];
            if (!parse_entry(&ps, b, e, f)) return false;
            f->entry = entry;
            plan.count++;
        }
        if (!semi) break;
        p = semi + 1;
    }
    *out_plan = plan;
    return true;
}

/* ---------------------------------------------------------------- queries */

void sim_faults_rearm(sim_fault_plan *plan)
{
    if (!plan) return;
    for (int i = 0; i < plan->count && i < SIM_FAULTS_MAX; i++) {
        plan->faults[i].fired = 0;
        plan->faults[i].skipped = 0;
        plan->faults[i].started = false;
        plan->faults[i].start_ns = 0;
    }
}

/* Whether f's trigger has been reached; latches its start the first time. */
static bool reached(sim_fault *f, int64_t frame, int64_t t_ns)
{
    if (f->started) return true;
    bool due = f->trigger == SIM_FAULT_AT_FRAME ? frame >= f->at : t_ns >= f->at;
    if (!due) return false;
    f->started = true;
    /* A time trigger starts exactly at its time, whenever it is first seen; a frame trigger has no time of
     * its own, so it starts at the time of the call that saw the frame. */
    f->start_ns = f->trigger == SIM_FAULT_AT_TIME ? f->at : t_ns;
    return true;
}

static int plan_count(const sim_fault_plan *plan)
{
    if (!plan) return 0;
    return plan->count < 0 ? 0 : plan->count > SIM_FAULTS_MAX ? SIM_FAULTS_MAX : plan->count;
}

int sim_faults_poll(sim_fault_plan *plan, uint32_t kinds, int64_t frame, int64_t t_ns,
                    sim_fault_event *out_events, int max_events)
{
    int n = 0, count = plan_count(plan);
    if (!out_events || max_events <= 0) return 0;
    for (int i = 0; i < count && n < max_events; i++) {
        sim_fault *f = &plan->faults[i];
        /* fail faults fire per call of their function: sim_faults_poll_call. */
        if ((unsigned)f->kind >= (unsigned)SIM_FAULT_KIND_COUNT || !(kinds & SIM_FAULT_BIT(f->kind)) ||
            f->kind == SIM_FAULT_FAIL)
            continue;
        if (!reached(f, frame, t_ns) || f->fired >= f->params.count) continue;
        out_events[n++] = (sim_fault_event){
            .kind = f->kind,
            .entry = f->entry,
            .index = f->fired,
            .start_ns = f->start_ns,
            .params = f->params,
        };
        f->fired++;
    }
    return n;
}

bool sim_faults_poll_call(sim_fault_plan *plan, sim_fault_call call, int64_t frame, int64_t t_ns,
                          sim_fault_event *out_event)
{
    int count = plan_count(plan);
    for (int i = 0; i < count; i++) {
        sim_fault *f = &plan->faults[i];
        if (f->kind != SIM_FAULT_FAIL || f->params.call != call) continue;
        if (!reached(f, frame, t_ns) || f->fired >= f->params.count) continue;
        if (f->skipped < f->params.skip) {
            f->skipped++; /* this call goes through; it counts towards skip */
            continue;
        }
        if (out_event)
            *out_event = (sim_fault_event){
                .kind = f->kind,
                .entry = f->entry,
                .index = f->fired,
                .start_ns = f->start_ns,
                .params = f->params,
            };
        f->fired++;
        return true;
    }
    return false;
}

bool sim_faults_active(sim_fault_plan *plan, sim_fault_kind kind, int64_t frame, int64_t t_ns,
                       const sim_fault **out_fault)
{
    const sim_fault *best = NULL;
    int count = plan_count(plan);
    if (out_fault) *out_fault = NULL;
    if ((unsigned)kind >= (unsigned)SIM_FAULT_KIND_COUNT) return false;
    for (int i = 0; i < count; i++) {
        sim_fault *f = &plan->faults[i];
        if (f->kind != kind || !reached(f, frame, t_ns)) continue;
        if (kind_has_window(kind) && f->params.window_ns > 0 && t_ns >= f->start_ns &&
            (uint64_t)t_ns - (uint64_t)f->start_ns >= (uint64_t)f->params.window_ns)
            continue; /* its window is over */
        if (!best || f->start_ns >= best->start_ns) best = f;
    }
    if (out_fault) *out_fault = best;
    return best != NULL;
}

/* splitmix64: tiny, full-period, and good enough to spread jitter evenly. */
static uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int64_t sim_faults_jitter(sim_fault_plan *plan, int64_t frame, int64_t t_ns, uint64_t *rng_state)
{
    const sim_fault *f = NULL;
    if (!rng_state || !sim_faults_active(plan, SIM_FAULT_PERIOD_JITTER, frame, t_ns, &f)) return 0;
    int64_t amount = f->params.amount_ns;
    if (amount <= 0) return 0;
    /* Uniform over the 2*amount+1 whole offsets; rejecting the top sliver of the 64-bit range removes the
     * modulo bias (a retry happens with probability below 2^-17, so the loop is short). */
    uint64_t width = 2 * (uint64_t)amount + 1;
    uint64_t limit = UINT64_MAX - UINT64_MAX % width;
    uint64_t r;
    do {
        r = rng_next(rng_state);
    } while (r >= limit);
    return (int64_t)(r % width) - amount;
}

/* ---------------------------------------------------------------- canonical text */

static void format_time(strbuf *sb, int64_t ns)
{
    if (ns == 0)
        sb_printf(sb, "0");
    else if (ns % NS_PER_S == 0)
        sb_printf(sb, "%llds", (long long)(ns / NS_PER_S));
    else if (ns % NS_PER_MS == 0)
        sb_printf(sb, "%lldms", (long long)(ns / NS_PER_MS));
    else if (ns % NS_PER_US == 0)
        sb_printf(sb, "%lldus", (long long)(ns / NS_PER_US));
    else
        sb_printf(sb, "%lldns", (long long)ns);
}

static void format_hz(strbuf *sb, double hz)
{
    /* Six decimals are all the parser accepts, so they give back the same double; trailing zeros go. */
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*f", HZ_DECIMALS, hz);
    size_t n = strlen(tmp);
    while (n > 0 && tmp[n - 1] == '0') n--;
    if (n > 0 && tmp[n - 1] == '.') n--;
    tmp[n] = '\0';
    sb_printf(sb, "%s", tmp);
}

size_t sim_faults_format(const sim_fault_plan *plan, char *buf, size_t size)
{
    strbuf sb = {buf, size, 0};
    if (buf && size) buf[0] = '\0';
    int count = plan_count(plan);
    for (int i = 0; i < count; i++) {
        const sim_fault *f = &plan->faults[i];
        if ((unsigned)f->kind >= (unsigned)SIM_FAULT_KIND_COUNT) continue;
        const kind_info *ki = &kind_infos[f->kind];
        const sim_fault_params *prm = &f->params;
        sb_printf(&sb, "%s%s@", sb.len ? "; " : "", ki->name);
        if (f->trigger == SIM_FAULT_AT_FRAME) {
            sb_printf(&sb, "frame=%lld", (long long)f->at);
        } else {
            sb_printf(&sb, "t=");
            format_time(&sb, f->at);
        }
        char sep = ':';
        for (int id = 0; id < P_COUNT_; id++) {
            if (!(ki->params & PB(id))) continue;
            if (id == P_FOR && prm->window_ns == 0) continue; /* no window: spelled by leaving for= out */
            sb_printf(&sb, "%c%s=", sep, param_names[id]);
            sep = ',';
            switch ((param_id)id) {
            case P_PENDING:
                format_time(&sb, prm->pending_ns);
                break;
            case P_RESTART:
                format_time(&sb, prm->restart_ns);
                break;
            case P_DURATION:
                format_time(&sb, prm->duration_ns);
                break;
            case P_DELAY:
                format_time(&sb, prm->delay_ns);
                break;
            case P_AMOUNT:
                format_time(&sb, prm->amount_ns);
                break;
            case P_FOR:
                format_time(&sb, prm->window_ns);
                break;
            case P_HZ:
                format_hz(&sb, prm->hz);
                break;
            case P_TO:
                sb_printf(&sb, "%s",
                          prm->to == SIM_FAULT_TO_SYNCHRONIZED ? "synchronized"
                          : prm->to == SIM_FAULT_TO_FOCUSED    ? "focused"
                                                               : "visible");
                break;
            case P_CALL:
                sb_printf(&sb, "%s", sim_fault_call_name(prm->call));
                break;
            case P_RESULT: {
                const char *name = sim_fault_result_name(prm->result);
                sb_printf(&sb, "%s", name ? name : "XR_ERROR_RUNTIME_FAILURE");
                break;
            }
            case P_SKIP:
                sb_printf(&sb, "%d", (int)prm->skip);
                break;
            case P_COUNT:
                sb_printf(&sb, "%d", (int)prm->count);
                break;
            case P_COUNT_:
                break;
            }
        }
    }
    return sb.len;
}
