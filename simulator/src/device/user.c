/* SPDX-License-Identifier: MIT */
/* The user of the simulated headset (device/sim_user.h): the head offset on top of the motion profile, the
 * two controllers' inputs, the PARALLAX_SIM_INPUT script, and the user's request to exit.
 * Layer: device (the lower part); calls only base/. The preview window (device/window.c) writes here; the
 * upper part (tracker, actions, xrPollEvent) and the compositor's truth read.
 *
 * Head: interactive changes are kept in a time-stamped, piecewise-linear history (held keys move at a
 * constant rate, mouse drags are steps) so the truth can look them up by time; scripted changes are steps at
 * fixed times, known in advance to the truth and only "as they happen" to the tracker.
 *
 * Controllers change only on edges (a key goes down or up, a scripted event comes due), under the user's
 * lock, so the window and the script can both drive the same controller. */
#include "device/sim_user.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_log.h"
#include "base/sim_profiles.h"

#define HISTORY       512  /* interactive head offsets kept (several seconds at the window's rate) */
#define PITCH_LIMIT   89.0 /* degrees: keep the head from flipping over */
#define MAX_HORIZON_S 0.1  /* the tracker extrapolates the user's motion at most this far */
#define RATE_HOLD_S   0.1  /* a rate holds at most this long past its entry (a stalled window) */

/* ---------------------------------------------------------------- head offset */

/* The window's offset is piecewise linear in time: held keys turn and move the head at a constant rate
 * until the next entry; mouse drags are steps (rate zero). */
typedef struct history_entry {
    XrTime t;
    sim_head_offset off;  /* at t */
    sim_head_offset rate; /* per second from t on: deg/s, m/s */
} history_entry;

/* ---------------------------------------------------------------- the script */

static const char *const device_names[SIM_DEVICE_COUNT] = {"left", "right", "gamepad", "head"};
static const char *const device_paths[SIM_DEVICE_COUNT] = {"/user/hand/left", "/user/hand/right",
                                                           "/user/gamepad", "/user/head"};
static const char *const gesture_names[SIM_GESTURE_COUNT] = {"open", "pinch", "grab", "point"};
static const char *const component_names[] = {"", "click", "touch", "value", "force", "x", "y", "proximity"};

const char *sim_device_user_path(int device)
{
    return device >= 0 && device < SIM_DEVICE_COUNT ? device_paths[device] : NULL;
}

const char *sim_device_name(int device)
{
    return device >= 0 && device < SIM_DEVICE_COUNT ? device_names[device] : NULL;
}

const char *sim_gesture_name(sim_gesture g)
{
    return g < SIM_GESTURE_COUNT ? gesture_names[g] : "?";
}

/* The controls a hand has by name (sim_controller_state's own fields), and the head's offset controls. */
static const struct {
    const char *name;
    sim_control target;
    bool head;
} target_names[] = {
    {"trigger", SIM_CONTROL_TRIGGER, false},
    {"squeeze", SIM_CONTROL_SQUEEZE, false},
    {"select", SIM_CONTROL_SELECT, false},
    {"menu", SIM_CONTROL_MENU, false},
    {"system", SIM_CONTROL_SYSTEM, false},
    {"a", SIM_CONTROL_A, false},
    {"b", SIM_CONTROL_B, false},
    {"thumbstick", SIM_CONTROL_THUMBSTICK, false},
    {"thumbstick_click", SIM_CONTROL_THUMBSTICK_CLICK, false},
    {"yaw", SIM_CONTROL_HEAD_YAW, true},
    {"pitch", SIM_CONTROL_HEAD_PITCH, true},
    {"x", SIM_CONTROL_HEAD_X, true},
    {"y", SIM_CONTROL_HEAD_Y, true},
    {"z", SIM_CONTROL_HEAD_Z, true},
    {"worn", SIM_CONTROL_HEAD_WORN, true},
    {"lens", SIM_CONTROL_HEAD_LENS, true},
    {"tracked", SIM_CONTROL_HEAD_TRACKED, true},
};
#define TARGET_COUNT ((int)(sizeof(target_names) / sizeof(target_names[0])))

/* What a script event does. */
typedef enum event_kind {
    EV_CONTROL,  /* a hand's own control (target), or the head's offset (hand -1) */
    EV_INPUT,    /* an identifier by name, with a component or none (id, component) */
    EV_PROFILE,  /* the interaction profile the device presents (word) */
    EV_GESTURE,  /* a hand's gesture (gesture) */
    EV_HAND_LOST /* hand tracking lost (value 1) or back (0) */
} event_kind;

typedef struct script_event {
    XrDuration t; /* after xrBeginSession */
    int hand;     /* the device (sim_device); -1 for the head's offset */
    event_kind kind;
    sim_control target;
    char id[SIM_INPUT_ID_MAX];
    sim_component component;
    bool two;       /* two values given (X,Y) */
    float value[2]; /* [1] only for a thumbstick or another vector */
    char word[SIM_PROFILE_MAX];
    sim_gesture gesture;
} script_event;

struct sim_user {
    pthread_mutex_t lock;
    XrTime begin; /* script time 0 (xrBeginSession); 0 before */
    script_event *events;
    size_t event_count;
    size_t next_controller_event; /* first device event not yet applied */
    history_entry history[HISTORY];
    size_t history_count, history_next;
    sim_head_offset current; /* the window's newest offset (window thread only, copied into history) */
    sim_controller_state controllers[SIM_DEVICE_COUNT]; /* sim_device order */
    bool exit_requested; /* the user asked to exit; not yet taken by the upper part */
    /* The preview window's put-on / take-off (P), newest first: worn from window_worn_time on. */
    bool window_worn;
    XrTime window_worn_time;                           /* 0: the window never changed it */
    char presented[SIM_DEVICE_COUNT][SIM_PROFILE_MAX]; /* what each device presents (the upper part's note) */
    uint32_t presented_serial;
    char offered[32][SIM_PROFILE_MAX]; /* the hands' profiles the application suggested */
    uint32_t offered_count;
    int offered_next; /* the window's profile key: next index into offered; offered_count = "none", -1 = auto
                       */
};

static const char *skip_space(const char *p)
{
    while (*p && isspace((unsigned char)*p)) p++;
    return p;
}

static bool parse_number(const char **p, double *out)
{
    char *end = NULL;
    *out = strtod(*p, &end);
    if (end == *p || !isfinite(*out)) return false;
    *p = end;
    return true;
}

/* A word of [a-z0-9_] (and '/', '-', '.' when path is set, for profile paths). */
static size_t word_len(const char *p, bool path)
{
    size_t n = 0;
    while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '_' || (path && strchr("/-.", p[n])))) n++;
    return n;
}

/* Is name a profile of the registry for the device (a path with or without "/interaction_profiles/"), or one
 * of the two words "auto" and "none"? */
static bool profile_word_ok(const char *name, int device)
{
    if (strcmp(name, "auto") == 0 || strcmp(name, "none") == 0) return true;
    const sim_profile_def *p = sim_profile_find(name, ~0u, true);
    return p && sim_profile_user_index(p, device_paths[device]) >= 0;
}

/* Parses the whole script into events (NULL events: only checks). Returns the count, or -1 with err. */
static long parse_script(const char *text, script_event *events, char *err, size_t err_size)
{
    static const char form[] =
        "expected events DEVICE.CONTROL[.COMPONENT]=VALUE@SECONDS like \"right.trigger=1@1.5; "
        "left.thumbstick=0,1@3; head.yaw=30@4; left.profile=htc/vive_controller@0; "
        "right.gesture=pinch@2\" (seconds after xrBeginSession)";
    long n = 0;
    /* identifiers set by name per device, to keep within SIM_INPUTS_MAX */
    char named[SIM_DEVICE_COUNT][SIM_INPUTS_MAX][SIM_INPUT_ID_MAX];
    uint32_t named_count[SIM_DEVICE_COUNT] = {0};
    const char *p = skip_space(text);
    while (*p) {
        const char *start = p;
        int device = -1;
        for (int d = 0; d < SIM_DEVICE_COUNT && device < 0; d++) {
            size_t len = strlen(device_names[d]);
            if (strncmp(p, device_names[d], len) == 0 && p[len] == '.') {
                device = d;
                p += len + 1;
            }
        }
        if (device < 0) {
            snprintf(err, err_size, "at \"%.20s\": unknown device (left, right, gamepad or head); %s", start,
                     form);
            return -1;
        }
        const bool hand = device == SIM_DEVICE_LEFT || device == SIM_DEVICE_RIGHT;
        char control[SIM_INPUT_ID_MAX] = "";
        size_t len = word_len(p, false);
        if (len == 0 || len >= sizeof(control)) {
            snprintf(err, err_size, "at \"%.20s\": expected a control after the device; %s", start, form);
            return -1;
        }
        memcpy(control, p, len);
        p += len;
        sim_component component = SIM_COMPONENT_NONE;
        if (*p == '.') {
            size_t clen = word_len(p + 1, false);
            int found = -1;
            for (int c = 1; c < (int)(sizeof(component_names) / sizeof(component_names[0])); c++)
                if (clen == strlen(component_names[c]) && strncmp(p + 1, component_names[c], clen) == 0)
                    found = c;
            if (found < 0) {
                snprintf(err, err_size,
                         "at \"%.20s\": unknown component (click, touch, value, force, x, y or proximity)",
                         start);
                return -1;
            }
            component = (sim_component)found;
            p += 1 + clen;
        }
        script_event ev = {.hand = device, .component = component};
        int target = -1;
        for (int i = 0; i < TARGET_COUNT; i++)
            if (strcmp(target_names[i].name, control) == 0 &&
                (target_names[i].head ? device == SIM_DEVICE_HEAD : hand))
                target = i;
        if (strcmp(control, "profile") == 0 && component == SIM_COMPONENT_NONE) {
            ev.kind = EV_PROFILE;
        } else if (strcmp(control, "gesture") == 0 && hand && component == SIM_COMPONENT_NONE) {
            ev.kind = EV_GESTURE;
        } else if (strcmp(control, "hand_tracked") == 0 && hand && component == SIM_COMPONENT_NONE) {
            ev.kind = EV_HAND_LOST;
        } else if (target >= 0 && component == SIM_COMPONENT_NONE) {
            ev.kind = EV_CONTROL;
            ev.target = target_names[target].target;
            if (target_names[target].head) ev.hand = -1;
        } else if ((target >= 0 && !target_names[target].head) ||
                   sim_profile_identifier_known(device_paths[device], control)) {
            ev.kind = EV_INPUT;
            snprintf(ev.id, sizeof(ev.id), "%s", control);
        } else {
            snprintf(
                err, err_size,
                "at \"%.20s\": unknown control \"%s\" for %s (hands: trigger, squeeze, select, menu, system, "
                "a, "
                "b, thumbstick, thumbstick_click, profile, gesture, hand_tracked, or any input identifier of "
                "an "
                "interaction profile for %s, with .click/.touch/.value/.force/.x/.y/.proximity; head: yaw, "
                "pitch, x, y, z, worn, lens, tracked, profile, or its profile identifiers; gamepad: profile "
                "or its "
                "identifiers)",
                start, control, device_names[device], device_paths[device]);
            return -1;
        }
        p = skip_space(p);
        if (*p != '=') {
            snprintf(err, err_size, "at \"%.20s\": expected =VALUE; %s", start, form);
            return -1;
        }
        p = skip_space(p + 1);
        double v0 = 0, v1 = 0, t = 0;
        if (ev.kind == EV_PROFILE || ev.kind == EV_GESTURE) {
            size_t wl = word_len(p, ev.kind == EV_PROFILE);
            if (wl == 0 || wl >= sizeof(ev.word)) {
                snprintf(err, err_size, "at \"%.20s\": expected a %s name; %s", start,
                         ev.kind == EV_PROFILE ? "profile" : "gesture", form);
                return -1;
            }
            memcpy(ev.word, p, wl);
            ev.word[wl] = '\0';
            p = skip_space(p + wl);
            if (ev.kind == EV_PROFILE && !profile_word_ok(ev.word, device)) {
                snprintf(err, err_size,
                         "at \"%.20s\": \"%s\" is no interaction profile for %s (auto, none, or a profile "
                         "path such "
                         "as oculus/touch_controller; simulator/README.md lists them)",
                         start, ev.word, device_paths[device]);
                return -1;
            }
            if (ev.kind == EV_GESTURE) {
                int g = -1;
                for (int i = 0; i < SIM_GESTURE_COUNT; i++)
                    if (strcmp(ev.word, gesture_names[i]) == 0) g = i;
                if (g < 0) {
                    snprintf(err, err_size,
                             "at \"%.20s\": unknown gesture \"%s\" (open, pinch, grab or point)", start,
                             ev.word);
                    return -1;
                }
                ev.gesture = (sim_gesture)g;
            }
        } else {
            if (!parse_number(&p, &v0)) {
                snprintf(err, err_size, "at \"%.20s\": expected =VALUE; %s", start, form);
                return -1;
            }
            p = skip_space(p);
            bool stick = ev.kind == EV_CONTROL && ev.target == SIM_CONTROL_THUMBSTICK;
            if (*p == ',' && (stick || (ev.kind == EV_INPUT && component == SIM_COMPONENT_NONE))) {
                p = skip_space(p + 1);
                if (!parse_number(&p, &v1)) {
                    snprintf(err, err_size, "at \"%.20s\": expected X,Y; %s", start, form);
                    return -1;
                }
                ev.two = true;
                p = skip_space(p);
            } else if (stick) {
                snprintf(err, err_size, "at \"%.20s\": a thumbstick takes X,Y; %s", start, form);
                return -1;
            }
            bool analog = ev.kind == EV_CONTROL &&
                          (ev.target == SIM_CONTROL_TRIGGER || ev.target == SIM_CONTROL_SQUEEZE);
            bool button = (ev.kind == EV_CONTROL && ev.hand >= 0 && !analog && !stick) ||
                          ev.kind == EV_HAND_LOST ||
                          (ev.kind == EV_INPUT &&
                           (component == SIM_COMPONENT_CLICK || component == SIM_COMPONENT_TOUCH ||
                            component == SIM_COMPONENT_PROXIMITY));
            bool signed_axis =
                stick || ev.two || component == SIM_COMPONENT_X || component == SIM_COMPONENT_Y;
            if (button && v0 != 0.0 && v0 != 1.0) {
                snprintf(err, err_size, "at \"%.20s\": a button is 0 or 1", start);
                return -1;
            }
            if (ev.kind == EV_CONTROL && ev.target == SIM_CONTROL_HEAD_TRACKED && v0 != 0.0 && v0 != 1.0) {
                snprintf(err, err_size, "at \"%.20s\": head.tracked is 0 (tracking lost) or 1 (tracked)",
                         start);
                return -1;
            }
            if (ev.kind == EV_CONTROL && ev.target == SIM_CONTROL_HEAD_WORN && v0 != 0.0 && v0 != 1.0) {
                snprintf(err, err_size, "at \"%.20s\": head.worn is 0 (taken off) or 1 (put on)", start);
                return -1;
            }
            if (ev.kind == EV_CONTROL && ev.target == SIM_CONTROL_HEAD_LENS && (v0 < 0.2 || v0 > 3.0)) {
                snprintf(err, err_size,
                         "at \"%.20s\": head.lens is the lens radius in the z = -1 plane, 0.2 to 3 (1.1 by "
                         "default)",
                         start);
                return -1;
            }
            if (ev.hand >= 0 && !button &&
                (signed_axis ? (fabs(v0) > 1.0 || fabs(v1) > 1.0) : (v0 < 0.0 || v0 > 1.0))) {
                snprintf(err, err_size, "at \"%.20s\": value out of range (0..1; a vector or .x/.y -1..1)",
                         start);
                return -1;
            }
        }
        if (*p != '@' || (p = skip_space(p + 1), !parse_number(&p, &t)) || t < 0.0 || t > 1e6) {
            snprintf(err, err_size, "at \"%.20s\": expected @SECONDS (>= 0); %s", start, form);
            return -1;
        }
        p = skip_space(p);
        if (*p == ';') {
            p = skip_space(p + 1);
        } else if (*p) {
            snprintf(err, err_size, "at \"%.20s\": expected ';' between events", p);
            return -1;
        }
        if (ev.kind == EV_INPUT) {
            bool seen = false;
            for (uint32_t i = 0; i < named_count[device] && !seen; i++)
                seen = strcmp(named[device][i], ev.id) == 0;
            if (!seen) {
                if (named_count[device] == SIM_INPUTS_MAX) {
                    snprintf(err, err_size, "at \"%.20s\": more than %d identifiers set by name on %s", start,
                             SIM_INPUTS_MAX, device_names[device]);
                    return -1;
                }
                snprintf(named[device][named_count[device]++], SIM_INPUT_ID_MAX, "%s", ev.id);
            }
        }
        ev.t = (XrDuration)llround(t * 1e9);
        ev.value[0] = (float)v0;
        ev.value[1] = (float)v1;
        if (events) events[n] = ev;
        n++;
    }
    return n;
}

bool sim_input_check(const char *text, char *err, size_t err_size)
{
    return parse_script(text, NULL, err, err_size) >= 0;
}

static int event_cmp(const void *a, const void *b)
{
    const script_event *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t ? 1 : 0;
}

sim_user *sim_user_create(const char *script)
{
    if (!script) script = "";
    sim_user *u = calloc(1, sizeof(*u));
    if (!u) return NULL;
    char err[256];
    long n = parse_script(script, NULL, err, sizeof(err));
    if (n > 0) {
        u->events = calloc((size_t)n, sizeof(*u->events));
        if (!u->events) {
            free(u);
            return NULL;
        }
        parse_script(script, u->events, err, sizeof(err));
        u->event_count = (size_t)n;
        /* Events of equal time keep their written order only with a stable sort: insertion sort is. */
        for (size_t i = 1; i < u->event_count; i++)
            for (size_t j = i; j > 0 && event_cmp(&u->events[j - 1], &u->events[j]) > 0; j--) {
                script_event tmp = u->events[j];
                u->events[j] = u->events[j - 1];
                u->events[j - 1] = tmp;
            }
    }
    pthread_mutex_init(&u->lock, NULL);
    return u;
}

void sim_user_destroy(sim_user **pu)
{
    sim_user *u = pu ? *pu : NULL;
    if (!u) return;
    *pu = NULL;
    pthread_mutex_destroy(&u->lock);
    free(u->events);
    free(u);
}

void sim_user_session_begin(sim_user *u, XrTime now)
{
    if (!u) return;
    pthread_mutex_lock(&u->lock);
    u->begin = now;
    u->next_controller_event = 0;
    for (int h = 0; h < 2; h++) {
        u->controllers[h].haptic_pulses = 0;
        u->controllers[h].haptic_stops = 0;
        u->controllers[h].haptic_peak_amplitude = 0.0f;
    }
    pthread_mutex_unlock(&u->lock);
}

/* The script's offset at time t. Caller holds u->lock. */
static sim_head_offset script_offset_locked(const sim_user *u, XrTime t)
{
    sim_head_offset off = {0};
    if (u->begin != 0)
        for (size_t i = 0; i < u->event_count && u->begin + u->events[i].t <= t; i++) {
            const script_event *e = &u->events[i];
            if (e->kind != EV_CONTROL || e->hand >= 0) continue; /* only the head's own controls */
            switch (e->target) {
            case SIM_CONTROL_HEAD_YAW:
                off.yaw_deg = e->value[0];
                break;
            case SIM_CONTROL_HEAD_PITCH:
                off.pitch_deg = e->value[0];
                break;
            case SIM_CONTROL_HEAD_X:
                off.pos.x = e->value[0];
                break;
            case SIM_CONTROL_HEAD_Y:
                off.pos.y = e->value[0];
                break;
            case SIM_CONTROL_HEAD_Z:
                off.pos.z = e->value[0];
                break;
            default:
                break;
            }
        }
    return off;
}

/* The window's offset at time t, and its rate then: from the newest entry at or before t, moved on at its
 * rate; before the first entry the offset is zero. When t is older than the whole (wrapped) history, the
 * oldest entry is the best estimate. Caller holds u->lock. */
static sim_head_offset interactive_offset_locked(const sim_user *u, XrTime t, sim_head_offset *out_rate)
{
    const history_entry *found = NULL;
    for (size_t k = 0; k < u->history_count && !found; k++) {
        const history_entry *h = &u->history[(u->history_next + HISTORY - 1 - k) % HISTORY];
        if (h->t <= t) found = h;
    }
    if (!found && u->history_count == HISTORY) found = &u->history[u->history_next];
    if (out_rate) *out_rate = (sim_head_offset){0};
    if (!found) return (sim_head_offset){0};
    double dt = (double)(t - found->t) / 1e9;
    if (dt < 0.0) dt = 0.0;
    if (dt > RATE_HOLD_S)
        dt = RATE_HOLD_S;
    else if (out_rate)
        *out_rate = found->rate;
    sim_head_offset off = found->off;
    off.yaw_deg += found->rate.yaw_deg * dt;
    off.pitch_deg += found->rate.pitch_deg * dt;
    off.pos = plx_vec3_add(off.pos, plx_vec3_scale(found->rate.pos, (float)dt));
    return off;
}

static sim_head_offset offset_sum(sim_head_offset a, sim_head_offset b)
{
    sim_head_offset o = {.yaw_deg = a.yaw_deg + b.yaw_deg,
                         .pitch_deg = a.pitch_deg + b.pitch_deg,
                         .pos = plx_vec3_add(a.pos, b.pos)};
    if (o.pitch_deg > PITCH_LIMIT) o.pitch_deg = PITCH_LIMIT;
    if (o.pitch_deg < -PITCH_LIMIT) o.pitch_deg = -PITCH_LIMIT;
    return o;
}

/* Script plus window offset in effect at t. Caller holds u->lock. */
static sim_head_offset offset_at_locked(const sim_user *u, XrTime t)
{
    return offset_sum(script_offset_locked(u, t), interactive_offset_locked(u, t, NULL));
}

static plx_quat offset_rotation(double yaw_deg, double pitch_deg)
{
    plx_quat yaw = plx_quat_from_axis_angle((plx_vec3){0.0f, 1.0f, 0.0f}, (float)(yaw_deg * PLX_PI / 180.0));
    plx_quat pitch =
        plx_quat_from_axis_angle((plx_vec3){1.0f, 0.0f, 0.0f}, (float)(pitch_deg * PLX_PI / 180.0));
    return plx_quat_mul(yaw, pitch);
}

bool sim_user_head_tracked(sim_user *u, XrTime t)
{
    if (!u) return true;
    bool tracked = true;
    pthread_mutex_lock(&u->lock);
    if (u->begin != 0)
        for (size_t i = 0; i < u->event_count && u->begin + u->events[i].t <= t; i++)
            if (u->events[i].kind == EV_CONTROL && u->events[i].hand < 0 &&
                u->events[i].target == SIM_CONTROL_HEAD_TRACKED)
                tracked = u->events[i].value[0] != 0.0f;
    pthread_mutex_unlock(&u->lock);
    return tracked;
}

plx_pose sim_user_head_offset(sim_user *u, XrTime t)
{
    if (!u) return plx_pose_identity();
    pthread_mutex_lock(&u->lock);
    sim_head_offset off = offset_at_locked(u, t);
    pthread_mutex_unlock(&u->lock);
    return (plx_pose){.orientation = offset_rotation(off.yaw_deg, off.pitch_deg), .position = off.pos};
}

void sim_user_tracked_offset(sim_user *u, XrTime now, XrTime t, bool predict, plx_pose *out_off,
                             plx_vec3 *out_ang_vel, plx_vec3 *out_lin_vel)
{
    *out_off = plx_pose_identity();
    *out_ang_vel = *out_lin_vel = (plx_vec3){0.0f, 0.0f, 0.0f};
    if (!u) return;
    /* The user's movement is head motion like any other: the tracker senses its rate now, as a gyro
     * would. Scripted steps and mouse drags (steps) have no rate to sense. */
    sim_head_offset rate;
    pthread_mutex_lock(&u->lock);
    sim_head_offset cur = offset_sum(script_offset_locked(u, now), interactive_offset_locked(u, now, &rate));
    pthread_mutex_unlock(&u->lock);
    /* At the pitch limit the head turns no further up or down. */
    if ((cur.pitch_deg >= PITCH_LIMIT && rate.pitch_deg > 0) ||
        (cur.pitch_deg <= -PITCH_LIMIT && rate.pitch_deg < 0))
        rate.pitch_deg = 0;
    double yaw_rate = rate.yaw_deg, pitch_rate = rate.pitch_deg;
    plx_vec3 pos_rate = rate.pos;
    if (predict) {
        /* Extrapolated like the runtime's head prediction: constant rate, bounded horizon. */
        double dt = (double)(t - now) / 1e9;
        dt = dt < 0.0 ? 0.0 : dt > MAX_HORIZON_S ? MAX_HORIZON_S : dt;
        cur.yaw_deg += yaw_rate * dt;
        cur.pitch_deg += pitch_rate * dt;
        cur.pos = plx_vec3_add(cur.pos, plx_vec3_scale(pos_rate, (float)dt));
        cur = offset_sum(cur, (sim_head_offset){0});
    }
    out_off->orientation = offset_rotation(cur.yaw_deg, cur.pitch_deg);
    out_off->position = cur.pos;
    /* World-frame angular velocity of yaw(Y) * pitch(X): the yaw rate about Y plus the pitch rate about
     * the yawed X axis. */
    const double k = PLX_PI / 180.0;
    plx_quat yaw = plx_quat_from_axis_angle((plx_vec3){0.0f, 1.0f, 0.0f}, (float)(cur.yaw_deg * k));
    plx_vec3 pitch_axis = plx_quat_rotate(yaw, (plx_vec3){1.0f, 0.0f, 0.0f});
    *out_ang_vel = plx_vec3_add((plx_vec3){0.0f, (float)(yaw_rate * k), 0.0f},
                                plx_vec3_scale(pitch_axis, (float)(pitch_rate * k)));
    *out_lin_vel = pos_rate;
}

static void set_button(sim_controller_state *c, sim_control target, const float v[2])
{
    bool on = v[0] != 0.0f;
    switch (target) {
    case SIM_CONTROL_TRIGGER:
        /* select is the simple controller's trigger: the same finger presses both. */
        c->trigger = v[0];
        c->select = v[0] > 0.5f;
        break;
    case SIM_CONTROL_SQUEEZE:
        c->squeeze = v[0];
        break;
    case SIM_CONTROL_SELECT:
        c->select = on;
        break;
    case SIM_CONTROL_MENU:
        c->menu = on;
        break;
    case SIM_CONTROL_SYSTEM:
        c->system = on;
        break;
    case SIM_CONTROL_A:
        c->a = on;
        break;
    case SIM_CONTROL_B:
        c->b = on;
        break;
    case SIM_CONTROL_THUMBSTICK:
        c->thumbstick = (XrVector2f){v[0], v[1]};
        break;
    case SIM_CONTROL_THUMBSTICK_CLICK:
        c->thumbstick_click = on;
        break;
    default:
        break;
    }
}

/* The named input of a device, created on first use (NULL when the device has SIM_INPUTS_MAX already). */
static sim_input *input_slot(sim_controller_state *c, const char *id)
{
    for (uint32_t i = 0; i < c->input_count; i++)
        if (strcmp(c->inputs[i].id, id) == 0) return &c->inputs[i];
    if (c->input_count == SIM_INPUTS_MAX) return NULL;
    sim_input *in = &c->inputs[c->input_count++];
    memset(in, 0, sizeof(*in));
    snprintf(in->id, sizeof(in->id), "%s", id);
    return in;
}

static void set_input(sim_controller_state *c, const char *id, sim_component component, const float v[2],
                      bool two)
{
    sim_input *in = input_slot(c, id);
    if (!in) return;
    bool on = v[0] != 0.0f;
    switch (component) {
    case SIM_COMPONENT_NONE:
        if (two)
            in->xy = (XrVector2f){v[0], v[1]};
        else
            in->value = v[0];
        break;
    case SIM_COMPONENT_CLICK:
        in->click = on;
        break;
    case SIM_COMPONENT_TOUCH:
        in->touch = on;
        break;
    case SIM_COMPONENT_VALUE:
        in->value = v[0];
        break;
    case SIM_COMPONENT_FORCE:
        in->force = v[0];
        break;
    case SIM_COMPONENT_X:
        in->xy.x = v[0];
        break;
    case SIM_COMPONENT_Y:
        in->xy.y = v[0];
        break;
    case SIM_COMPONENT_PROXIMITY:
        in->proximity = on;
        break;
    }
}

static void request_profile_locked(sim_controller_state *c, const char *profile)
{
    snprintf(c->profile, sizeof(c->profile), "%s", strcmp(profile, "auto") == 0 ? "" : profile);
    c->profile_serial++;
}

static void set_gesture_locked(sim_controller_state *c, sim_gesture g, XrTime t)
{
    if (g == c->gesture) return;
    c->gesture_from = c->gesture;
    c->gesture = g;
    c->gesture_time = t;
}

/* Applies the script's device events due by now. Caller holds u->lock. */
static void apply_script_locked(sim_user *u, XrTime now)
{
    while (u->begin != 0 && u->next_controller_event < u->event_count &&
           u->begin + u->events[u->next_controller_event].t <= now) {
        const script_event *e = &u->events[u->next_controller_event++];
        if (e->hand < 0) continue; /* head offsets are read by time, not consumed */
        sim_controller_state *c = &u->controllers[e->hand];
        const double at = (double)e->t / 1e9;
        switch (e->kind) {
        case EV_CONTROL:
            set_button(c, e->target, e->value);
            sim_log(SIM_LOG_INFO, "PARALLAX_SIM_INPUT: %s %s = %g at %.3f s", device_names[e->hand],
                    target_names[e->target].name, (double)e->value[0], at);
            break;
        case EV_INPUT:
            set_input(c, e->id, e->component, e->value, e->two);
            sim_log(SIM_LOG_INFO, "PARALLAX_SIM_INPUT: %s %s%s%s = %g at %.3f s", device_names[e->hand],
                    e->id, e->component ? "." : "", component_names[e->component], (double)e->value[0], at);
            break;
        case EV_PROFILE:
            request_profile_locked(c, e->word);
            sim_log(SIM_LOG_INFO, "PARALLAX_SIM_INPUT: %s presents %s at %.3f s", device_names[e->hand],
                    e->word, at);
            break;
        case EV_GESTURE:
            /* The gesture starts at its scripted time (not when it is applied), so the hand's joints move the
             * same whenever the runtime looks. */
            set_gesture_locked(c, e->gesture, u->begin + e->t);
            sim_log(SIM_LOG_INFO, "PARALLAX_SIM_INPUT: %s hand %s at %.3f s", device_names[e->hand],
                    gesture_names[e->gesture], at);
            break;
        case EV_HAND_LOST:
            c->hand_lost = e->value[0] == 0.0f;
            sim_log(SIM_LOG_INFO, "PARALLAX_SIM_INPUT: %s hand tracking %s at %.3f s", device_names[e->hand],
                    c->hand_lost ? "lost" : "back", at);
            break;
        }
    }
}

void sim_user_sync_controllers(sim_user *u, XrTime now, sim_controller_state out[SIM_DEVICE_COUNT])
{
    if (!u) {
        memset(out, 0, SIM_DEVICE_COUNT * sizeof(*out));
        return;
    }
    pthread_mutex_lock(&u->lock);
    apply_script_locked(u, now);
    memcpy(out, u->controllers, sizeof(u->controllers));
    pthread_mutex_unlock(&u->lock);
}

void sim_user_peek_controllers(sim_user *u, sim_controller_state out[SIM_DEVICE_COUNT])
{
    if (!u) {
        memset(out, 0, SIM_DEVICE_COUNT * sizeof(*out));
        return;
    }
    pthread_mutex_lock(&u->lock);
    memcpy(out, u->controllers, sizeof(u->controllers));
    pthread_mutex_unlock(&u->lock);
}

void sim_user_set_input(sim_user *u, int device, const char *id, sim_component component,
                        const float value[2], bool two)
{
    if (!u || device < 0 || device >= SIM_DEVICE_COUNT || !id) return;
    pthread_mutex_lock(&u->lock);
    set_input(&u->controllers[device], id, component, value, two);
    pthread_mutex_unlock(&u->lock);
}

void sim_user_request_profile(sim_user *u, int device, const char *profile)
{
    if (!u || device < 0 || device >= SIM_DEVICE_COUNT || !profile) return;
    pthread_mutex_lock(&u->lock);
    request_profile_locked(&u->controllers[device], profile);
    pthread_mutex_unlock(&u->lock);
}

void sim_user_offer_profiles(sim_user *u, const char *const *paths, uint32_t count)
{
    if (!u) return;
    pthread_mutex_lock(&u->lock);
    u->offered_count = 0;
    for (uint32_t i = 0; i < count && u->offered_count < 32; i++)
        snprintf(u->offered[u->offered_count++], SIM_PROFILE_MAX, "%s", paths[i]);
    u->offered_next = 0;
    pthread_mutex_unlock(&u->lock);
}

const char *sim_user_cycle_profile(sim_user *u)
{
    if (!u) return "";
    pthread_mutex_lock(&u->lock);
    /* offered[0..n), then "none", then the runtime's pick, then around again; an offered profile the hands
     * present already is skipped, so each press changes what they present. */
    const char *req = "";
    for (uint32_t tries = 0; tries < u->offered_count + 2; tries++) {
        int i = u->offered_next;
        req = i < 0 ? "" : i < (int)u->offered_count ? u->offered[i] : "none";
        u->offered_next = i < 0 ? 0 : i < (int)u->offered_count ? i + 1 : -1;
        if (i < 0 || i >= (int)u->offered_count || strcmp(req, u->presented[SIM_DEVICE_RIGHT]) != 0) break;
    }
    request_profile_locked(&u->controllers[SIM_DEVICE_LEFT], req);
    request_profile_locked(&u->controllers[SIM_DEVICE_RIGHT], req);
    const char *now = u->controllers[SIM_DEVICE_RIGHT].profile;
    pthread_mutex_unlock(&u->lock);
    return now;
}

void sim_user_note_presented(sim_user *u, int device, const char *profile)
{
    if (!u || device < 0 || device >= SIM_DEVICE_COUNT || !profile) return;
    pthread_mutex_lock(&u->lock);
    snprintf(u->presented[device], SIM_PROFILE_MAX, "%s", profile);
    u->presented_serial++;
    pthread_mutex_unlock(&u->lock);
}

uint32_t sim_user_presented(sim_user *u, char *out, size_t cap)
{
    if (!u) return 0;
    pthread_mutex_lock(&u->lock);
    snprintf(out, cap, "%s", u->presented[SIM_DEVICE_RIGHT]);
    uint32_t serial = u->presented_serial;
    pthread_mutex_unlock(&u->lock);
    return serial;
}

void sim_user_set_gesture(sim_user *u, int hand, sim_gesture g, XrTime t)
{
    if (!u || hand < 0 || hand > 1 || g >= SIM_GESTURE_COUNT) return;
    pthread_mutex_lock(&u->lock);
    set_gesture_locked(&u->controllers[hand], g, t);
    pthread_mutex_unlock(&u->lock);
}

void sim_user_cycle_gesture(sim_user *u, int hand, XrTime t)
{
    if (!u || hand < 0 || hand > 1) return;
    pthread_mutex_lock(&u->lock);
    sim_controller_state *c = &u->controllers[hand];
    set_gesture_locked(c, (sim_gesture)((c->gesture + 1) % SIM_GESTURE_COUNT), t);
    pthread_mutex_unlock(&u->lock);
}

void sim_user_set_hand_lost(sim_user *u, int hand, bool lost)
{
    if (!u || hand < 0 || hand > 1) return;
    pthread_mutex_lock(&u->lock);
    u->controllers[hand].hand_lost = lost;
    pthread_mutex_unlock(&u->lock);
}

sim_controller_state sim_user_hand(sim_user *u, int hand, XrTime now)
{
    sim_controller_state c = {0};
    if (!u || hand < 0 || hand > 1) return c;
    pthread_mutex_lock(&u->lock);
    apply_script_locked(u, now);
    c = u->controllers[hand];
    pthread_mutex_unlock(&u->lock);
    return c;
}

void sim_input_merge(sim_input *into, const sim_input *from)
{
    if (from->value > into->value) into->value = from->value;
    if (from->force > into->force) into->force = from->force;
    if (from->xy.x * from->xy.x + from->xy.y * from->xy.y > into->xy.x * into->xy.x + into->xy.y * into->xy.y)
        into->xy = from->xy;
    into->click |= from->click;
    into->touch |= from->touch;
    into->proximity |= from->proximity;
}

sim_input sim_controller_input(const sim_controller_state *c, const char *id)
{
    sim_input in = {0};
    snprintf(in.id, sizeof(in.id), "%s", id);
    if (strcmp(id, "trigger") == 0) {
        in.value = c->trigger_click ? 1.0f : c->trigger;
        in.click = c->trigger_click || c->trigger >= 1.0f;
    } else if (strcmp(id, "squeeze") == 0) {
        in.value = c->squeeze_click ? 1.0f : c->squeeze;
        in.click = c->squeeze_click || c->squeeze >= 1.0f;
    } else if (strcmp(id, "select") == 0) {
        in.click = c->select;
    } else if (strcmp(id, "menu") == 0) {
        in.click = c->menu;
    } else if (strcmp(id, "system") == 0) {
        in.click = c->system;
    } else if (strcmp(id, "a") == 0) {
        in.click = c->a;
    } else if (strcmp(id, "b") == 0) {
        in.click = c->b;
    } else if (strcmp(id, "thumbstick") == 0) {
        in.xy = c->thumbstick;
        in.click = c->thumbstick_click;
    }
    for (uint32_t i = 0; i < c->input_count; i++)
        if (strcmp(c->inputs[i].id, id) == 0) sim_input_merge(&in, &c->inputs[i]);
    return in;
}

void sim_user_press(sim_user *u, int hand, sim_control control, const float value[2])
{
    if (!u || hand < 0 || hand > 1) return;
    pthread_mutex_lock(&u->lock);
    set_button(&u->controllers[hand], control, value);
    pthread_mutex_unlock(&u->lock);
}

void sim_user_haptic(sim_user *u, int hand, float amplitude, float frequency, XrDuration duration, XrTime t)
{
    if (!u || hand < 0 || hand > 1) return;
    pthread_mutex_lock(&u->lock);
    sim_controller_state *c = &u->controllers[hand];
    c->haptic_amplitude = amplitude;
    c->haptic_frequency = frequency;
    c->haptic_duration = duration;
    c->haptic_time = t;
    c->haptic_pulses++;
    if (amplitude > c->haptic_peak_amplitude) c->haptic_peak_amplitude = amplitude;
    pthread_mutex_unlock(&u->lock);
}

void sim_user_stop_haptic(sim_user *u, int hand, XrTime t)
{
    if (!u || hand < 0 || hand > 1) return;
    pthread_mutex_lock(&u->lock);
    u->controllers[hand].haptic_amplitude = 0.0f;
    u->controllers[hand].haptic_time = t;
    u->controllers[hand].haptic_stops++;
    pthread_mutex_unlock(&u->lock);
}

/* ---------------------------------------------------------------- the window's head offset */

void sim_user_push_offset(sim_user *u, XrTime t, const sim_head_offset *off, const sim_head_offset *rate)
{
    pthread_mutex_lock(&u->lock);
    u->current = *off;
    u->history[u->history_next] = (history_entry){.t = t, .off = *off, .rate = *rate};
    u->history_next = (u->history_next + 1) % HISTORY;
    if (u->history_count < HISTORY) u->history_count++;
    pthread_mutex_unlock(&u->lock);
}

sim_head_offset sim_user_window_offset(sim_user *u)
{
    if (!u) return (sim_head_offset){0};
    pthread_mutex_lock(&u->lock);
    sim_head_offset off = u->current;
    pthread_mutex_unlock(&u->lock);
    return off;
}

/* ---------------------------------------------------------------- asking to exit */

void sim_user_request_exit(sim_user *u)
{
    if (!u) return;
    pthread_mutex_lock(&u->lock);
    u->exit_requested = true;
    pthread_mutex_unlock(&u->lock);
}

bool sim_user_take_exit_request(sim_user *u)
{
    if (!u) return false;
    pthread_mutex_lock(&u->lock);
    bool asked = u->exit_requested;
    u->exit_requested = false;
    pthread_mutex_unlock(&u->lock);
    return asked;
}

/* ---------------------------------------------------------------- the headset on the head, and its lens */

/* The newest scripted value of a head control at time t, or fallback. Caller holds u->lock. */
static float script_value_locked(const sim_user *u, sim_control target, XrTime t, float fallback,
                                 XrTime *out_at)
{
    float v = fallback;
    *out_at = 0;
    if (u->begin != 0)
        for (size_t i = 0; i < u->event_count && u->begin + u->events[i].t <= t; i++)
            if (u->events[i].kind == EV_CONTROL && u->events[i].hand < 0 && u->events[i].target == target) {
                v = u->events[i].value[0];
                *out_at = u->begin + u->events[i].t;
            }
    return v;
}

bool sim_user_worn(sim_user *u, XrTime t)
{
    if (!u) return true;
    pthread_mutex_lock(&u->lock);
    XrTime scripted_at;
    bool worn = script_value_locked(u, SIM_CONTROL_HEAD_WORN, t, 1.0f, &scripted_at) != 0.0f;
    /* The window's change counts when it is newer than the script's. */
    if (u->window_worn_time != 0 && u->window_worn_time <= t && u->window_worn_time >= scripted_at)
        worn = u->window_worn;
    pthread_mutex_unlock(&u->lock);
    return worn;
}

void sim_user_set_worn(sim_user *u, bool worn, XrTime t)
{
    if (!u) return;
    pthread_mutex_lock(&u->lock);
    u->window_worn = worn;
    u->window_worn_time = t;
    pthread_mutex_unlock(&u->lock);
}

float sim_user_lens_radius(sim_user *u, XrTime t)
{
    if (!u) return SIM_USER_LENS_DEFAULT;
    pthread_mutex_lock(&u->lock);
    XrTime at;
    float r = script_value_locked(u, SIM_CONTROL_HEAD_LENS, t, SIM_USER_LENS_DEFAULT, &at);
    pthread_mutex_unlock(&u->lock);
    return r;
}
