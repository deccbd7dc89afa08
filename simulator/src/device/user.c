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
};

typedef struct script_event {
    XrDuration t; /* after xrBeginSession */
    int hand;     /* 0 left, 1 right, -1 head */
    sim_control target;
    float value[2]; /* [1] only for the thumbstick */
} script_event;

struct sim_user {
    pthread_mutex_t lock;
    XrTime begin; /* script time 0 (xrBeginSession); 0 before */
    script_event *events;
    size_t event_count;
    size_t next_controller_event; /* first controller event not yet applied */
    history_entry history[HISTORY];
    size_t history_count, history_next;
    sim_head_offset current; /* the window's newest offset (window thread only, copied into history) */
    sim_controller_state controllers[2]; /* [0] left hand, [1] right hand */
    bool exit_requested;                 /* the user asked to exit; not yet taken by the upper part */
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

/* Parses the whole script into events (NULL events: only checks). Returns the count, or -1 with err. */
static long parse_script(const char *text, script_event *events, char *err, size_t err_size)
{
    static const char form[] = "expected events like \"right.trigger=1@1.5; right.trigger=0@2.5; "
                               "left.thumbstick=0,1@3; head.yaw=30@4\" (seconds after xrBeginSession)";
    long n = 0;
    const char *p = skip_space(text);
    while (*p) {
        const char *start = p;
        int hand;
        if (strncmp(p, "left.", 5) == 0) {
            hand = 0;
            p += 5;
        } else if (strncmp(p, "right.", 6) == 0) {
            hand = 1;
            p += 6;
        } else if (strncmp(p, "head.", 5) == 0) {
            hand = -1;
            p += 5;
        } else {
            snprintf(err, err_size, "at \"%.20s\": unknown device (left, right or head); %s", start, form);
            return -1;
        }
        size_t len = 0;
        while (p[len] && (isalnum((unsigned char)p[len]) || p[len] == '_')) len++;
        int found = -1;
        for (size_t i = 0; i < sizeof(target_names) / sizeof(target_names[0]); i++)
            if (strlen(target_names[i].name) == len && strncmp(target_names[i].name, p, len) == 0 &&
                target_names[i].head == (hand < 0))
                found = (int)i;
        if (found < 0) {
            snprintf(
                err, err_size,
                "at \"%.20s\": unknown control (controllers: trigger, squeeze, select, menu, system, a, b, "
                "thumbstick, thumbstick_click; head: yaw, pitch, x, y, z)",
                start);
            return -1;
        }
        p = skip_space(p + len);
        script_event ev = {.hand = hand, .target = target_names[found].target};
        double v0 = 0, v1 = 0, t = 0;
        if (*p != '=' || (p = skip_space(p + 1), !parse_number(&p, &v0))) {
            snprintf(err, err_size, "at \"%.20s\": expected =VALUE; %s", start, form);
            return -1;
        }
        p = skip_space(p);
        if (ev.target == SIM_CONTROL_THUMBSTICK) {
            if (*p != ',' || (p = skip_space(p + 1), !parse_number(&p, &v1))) {
                snprintf(err, err_size, "at \"%.20s\": a thumbstick takes X,Y; %s", start, form);
                return -1;
            }
            p = skip_space(p);
        }
        bool analog = ev.target == SIM_CONTROL_TRIGGER || ev.target == SIM_CONTROL_SQUEEZE;
        bool stick = ev.target == SIM_CONTROL_THUMBSTICK;
        if (hand >= 0 && !analog && !stick && v0 != 0.0 && v0 != 1.0) {
            snprintf(err, err_size, "at \"%.20s\": a button is 0 or 1", start);
            return -1;
        }
        if ((analog && (v0 < 0.0 || v0 > 1.0)) || (stick && (fabs(v0) > 1.0 || fabs(v1) > 1.0))) {
            snprintf(err, err_size,
                     "at \"%.20s\": value out of range (trigger/squeeze 0..1, thumbstick -1..1)", start);
            return -1;
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
    pthread_mutex_unlock(&u->lock);
}

/* The script's offset at time t. Caller holds u->lock. */
static sim_head_offset script_offset_locked(const sim_user *u, XrTime t)
{
    sim_head_offset off = {0};
    if (u->begin != 0)
        for (size_t i = 0; i < u->event_count && u->begin + u->events[i].t <= t; i++) {
            const script_event *e = &u->events[i];
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

/* Applies the script's controller events due by now. Caller holds u->lock. */
static void apply_script_locked(sim_user *u, XrTime now)
{
    while (u->begin != 0 && u->next_controller_event < u->event_count &&
           u->begin + u->events[u->next_controller_event].t <= now) {
        const script_event *e = &u->events[u->next_controller_event++];
        if (e->hand < 0) continue; /* head events are read by time, not consumed */
        set_button(&u->controllers[e->hand], e->target, e->value);
        sim_log(SIM_LOG_INFO, "PARALLAX_SIM_INPUT: %s %s = %g at %.3f s", e->hand ? "right" : "left",
                target_names[e->target].name, (double)e->value[0], (double)e->t / 1e9);
    }
}

void sim_user_peek_controllers(sim_user *u, sim_controller_state out[2])
{
    if (!u) {
        memset(out, 0, 2 * sizeof(*out));
        return;
    }
    pthread_mutex_lock(&u->lock);
    out[0] = u->controllers[0];
    out[1] = u->controllers[1];
    pthread_mutex_unlock(&u->lock);
}

void sim_user_sync_controllers(sim_user *u, XrTime now, sim_controller_state out[2])
{
    if (u) {
        pthread_mutex_lock(&u->lock);
        apply_script_locked(u, now);
        pthread_mutex_unlock(&u->lock);
    }
    sim_user_peek_controllers(u, out);
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
    pthread_mutex_unlock(&u->lock);
}

void sim_user_stop_haptic(sim_user *u, int hand, XrTime t)
{
    if (!u || hand < 0 || hand > 1) return;
    pthread_mutex_lock(&u->lock);
    u->controllers[hand].haptic_amplitude = 0.0f;
    u->controllers[hand].haptic_time = t;
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
