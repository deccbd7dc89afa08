/* The user of the simulated headset: the preview window (PARALLAX_SIM_WINDOW) and scripted input
 * (PARALLAX_SIM_INPUT).
 *
 * Head: the user's offset (yaw, pitch, position) is true head motion added on top of the motion profile.
 * The compositor's truth applies the offset in effect at photon time; the tracker (sim_tracker_head) the
 * offset as it is when asked, with its rate, extrapolated to the display time when the runtime predicts, as
 * a gyro-based tracker would. Interactive changes are kept in a time-stamped, piecewise-linear history
 * (held keys move at a constant rate, mouse drags are steps) so the truth can look them up by time;
 * scripted changes are steps at fixed times, known in advance to the truth and only "as they happen" to the
 * tracker. So only what a real tracker could not foresee (starts and stops, steps) shows up as pose error.
 *
 * Controllers: the window and the script only change sim_session::controllers on edges (a key goes down or
 * up, a scripted event comes due), under s->lock, so both can drive the same controller.
 *
 * The window thread owns every SDL call: SDL video may run on any one thread on X11/Wayland as long as it is
 * always the same one, and the runtime does not own the app's main thread.
 *
 * Sharing SDL with libparallax's mirror window (PARALLAX_MIRROR) or the app's own SDL windows: SDL has one
 * video subsystem and one event queue per process, and each user pumps it from its own thread.
 *   - Events: the thread takes only the events of its own window (by windowID, SDL_FilterEvents, which
 *     holds the queue's lock) and leaves every other event, including SDL_QUIT, where it is. SDL_QUIT (sent
 *     when the last SDL window gets a close request) means nothing here: the window's own
 *     SDL_WINDOWEVENT_CLOSE is the request to exit. Events of no window (SDL_QUIT, keymap or display
 *     changes) are the app's if it runs an SDL loop; they are rare, and SDL frees what is left when the
 *     last user quits the video subsystem.
 *   - Pumping from two threads: SDL's X11 driver calls XInitThreads before it opens its display (and
 *     libX11 1.8 makes it the default), and SDL 2.26 reads X events with XCheckIfEvent, which takes one
 *     event atomically and never blocks: each X event is translated once, on whichever thread pumps, into
 *     the one queue where its window's owner finds it. Held keys are read from SDL's keyboard state, which
 *     every pump updates.
 *   - Creating and destroying the window while another thread pumps would change SDL's window lists under
 *     it, and init/quit counts are plain integers: sim_window_create waits until the thread has set up SDL
 *     (xrBeginSession, on the app's thread, where libparallax pumps its mirror), and sim_window_destroy
 *     joins the thread after it has quit SDL (xrEndSession/xrDestroySession, the same thread). Each
 *     SDL_InitSubSystem is paired with one SDL_QuitSubSystem, so the video subsystem (and every window in
 *     it) stays up until its last user leaves. */
#include "sim_internal.h"

#include <ctype.h>
#include <math.h>
#include <SDL2/SDL.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plx_sdl_events.h"

#define HISTORY       512  /* interactive head offsets kept (several seconds at the window's rate) */
#define LOOK_DEG_S    90.0 /* arrow keys turn the head this fast */
#define MOUSE_DEG_PX  0.2  /* right-button drag: degrees per pixel */
#define MOVE_M_S      1.0  /* WASD/QE speed */
#define PITCH_LIMIT   89.0 /* degrees: keep the head from flipping over */
#define MAX_HORIZON_S 0.1  /* the tracker extrapolates the user's motion at most this far */
#define RATE_HOLD_S   0.1  /* a rate holds at most this long past its entry (a stalled window) */
/* A haptic pulse stays visible at least this long, so a short one is seen. */
#define HAPTIC_SHOW_NS 400000000

/* ---------------------------------------------------------------- head offset */

typedef struct head_offset {
    double yaw_deg, pitch_deg; /* yaw about LOCAL +Y (positive turns left), then pitch (positive looks up) */
    plx_vec3 pos;              /* metres, in LOCAL */
} head_offset;

/* The window's offset is piecewise linear in time: held keys turn and move the head at a constant rate
 * until the next entry; mouse drags are steps (rate zero). */
typedef struct history_entry {
    XrTime t;
    head_offset off;  /* at t */
    head_offset rate; /* per second from t on: deg/s, m/s */
} history_entry;

/* ---------------------------------------------------------------- the script */

typedef enum script_target {
    T_TRIGGER,
    T_SQUEEZE,
    T_SELECT,
    T_MENU,
    T_SYSTEM,
    T_A,
    T_B,
    T_THUMBSTICK,
    T_THUMBSTICK_CLICK,
    T_HEAD_YAW,
    T_HEAD_PITCH,
    T_HEAD_X,
    T_HEAD_Y,
    T_HEAD_Z,
} script_target;

static const struct {
    const char *name;
    script_target target;
    bool head;
} target_names[] = {
    {"trigger", T_TRIGGER, false},
    {"squeeze", T_SQUEEZE, false},
    {"select", T_SELECT, false},
    {"menu", T_MENU, false},
    {"system", T_SYSTEM, false},
    {"a", T_A, false},
    {"b", T_B, false},
    {"thumbstick", T_THUMBSTICK, false},
    {"thumbstick_click", T_THUMBSTICK_CLICK, false},
    {"yaw", T_HEAD_YAW, true},
    {"pitch", T_HEAD_PITCH, true},
    {"x", T_HEAD_X, true},
    {"y", T_HEAD_Y, true},
    {"z", T_HEAD_Z, true},
};

typedef struct script_event {
    XrDuration t; /* after xrBeginSession */
    int hand;     /* 0 left, 1 right, -1 head */
    script_target target;
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
    head_offset current; /* the window's newest offset (window thread only, copied into history) */
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
        if (ev.target == T_THUMBSTICK) {
            if (*p != ',' || (p = skip_space(p + 1), !parse_number(&p, &v1))) {
                snprintf(err, err_size, "at \"%.20s\": a thumbstick takes X,Y; %s", start, form);
                return -1;
            }
            p = skip_space(p);
        }
        bool analog = ev.target == T_TRIGGER || ev.target == T_SQUEEZE;
        bool stick = ev.target == T_THUMBSTICK;
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

sim_user *sim_user_create(const sim_config *cfg)
{
    sim_user *u = calloc(1, sizeof(*u));
    if (!u) return NULL;
    char err[256];
    long n = parse_script(cfg->input, NULL, err, sizeof(err));
    if (n > 0) {
        u->events = calloc((size_t)n, sizeof(*u->events));
        if (!u->events) {
            free(u);
            return NULL;
        }
        parse_script(cfg->input, u->events, err, sizeof(err));
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
static head_offset script_offset_locked(const sim_user *u, XrTime t)
{
    head_offset off = {0};
    if (u->begin != 0)
        for (size_t i = 0; i < u->event_count && u->begin + u->events[i].t <= t; i++) {
            const script_event *e = &u->events[i];
            switch (e->target) {
            case T_HEAD_YAW:
                off.yaw_deg = e->value[0];
                break;
            case T_HEAD_PITCH:
                off.pitch_deg = e->value[0];
                break;
            case T_HEAD_X:
                off.pos.x = e->value[0];
                break;
            case T_HEAD_Y:
                off.pos.y = e->value[0];
                break;
            case T_HEAD_Z:
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
static head_offset interactive_offset_locked(const sim_user *u, XrTime t, head_offset *out_rate)
{
    const history_entry *found = NULL;
    for (size_t k = 0; k < u->history_count && !found; k++) {
        const history_entry *h = &u->history[(u->history_next + HISTORY - 1 - k) % HISTORY];
        if (h->t <= t) found = h;
    }
    if (!found && u->history_count == HISTORY) found = &u->history[u->history_next];
    if (out_rate) *out_rate = (head_offset){0};
    if (!found) return (head_offset){0};
    double dt = (double)(t - found->t) / 1e9;
    if (dt < 0.0) dt = 0.0;
    if (dt > RATE_HOLD_S)
        dt = RATE_HOLD_S;
    else if (out_rate)
        *out_rate = found->rate;
    head_offset off = found->off;
    off.yaw_deg += found->rate.yaw_deg * dt;
    off.pitch_deg += found->rate.pitch_deg * dt;
    off.pos = plx_vec3_add(off.pos, plx_vec3_scale(found->rate.pos, (float)dt));
    return off;
}

static head_offset offset_sum(head_offset a, head_offset b)
{
    head_offset o = {.yaw_deg = a.yaw_deg + b.yaw_deg,
                     .pitch_deg = a.pitch_deg + b.pitch_deg,
                     .pos = plx_vec3_add(a.pos, b.pos)};
    if (o.pitch_deg > PITCH_LIMIT) o.pitch_deg = PITCH_LIMIT;
    if (o.pitch_deg < -PITCH_LIMIT) o.pitch_deg = -PITCH_LIMIT;
    return o;
}

/* Script plus window offset in effect at t. Caller holds u->lock. */
static head_offset offset_at_locked(const sim_user *u, XrTime t)
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
    head_offset off = offset_at_locked(u, t);
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
    head_offset rate;
    pthread_mutex_lock(&u->lock);
    head_offset cur = offset_sum(script_offset_locked(u, now), interactive_offset_locked(u, now, &rate));
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
        cur = offset_sum(cur, (head_offset){0});
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

static void set_button(sim_controller_state *c, script_target target, const float v[2])
{
    bool on = v[0] != 0.0f;
    switch (target) {
    case T_TRIGGER:
        /* select is the simple controller's trigger: the same finger presses both. */
        c->trigger = v[0];
        c->select = v[0] > 0.5f;
        break;
    case T_SQUEEZE:
        c->squeeze = v[0];
        break;
    case T_SELECT:
        c->select = on;
        break;
    case T_MENU:
        c->menu = on;
        break;
    case T_SYSTEM:
        c->system = on;
        break;
    case T_A:
        c->a = on;
        break;
    case T_B:
        c->b = on;
        break;
    case T_THUMBSTICK:
        c->thumbstick = (XrVector2f){v[0], v[1]};
        break;
    case T_THUMBSTICK_CLICK:
        c->thumbstick_click = on;
        break;
    default:
        break;
    }
}

void sim_user_apply_script(sim_session *s, XrTime now)
{
    sim_user *u = s->user;
    if (!u) return;
    pthread_mutex_lock(&u->lock);
    while (u->begin != 0 && u->next_controller_event < u->event_count &&
           u->begin + u->events[u->next_controller_event].t <= now) {
        const script_event *e = &u->events[u->next_controller_event++];
        if (e->hand < 0) continue; /* head events are read by time, not consumed */
        set_button(&s->controllers[e->hand], e->target, e->value);
        sim_log(SIM_LOG_INFO, "PARALLAX_SIM_INPUT: %s %s = %g at %.3f s", e->hand ? "right" : "left",
                target_names[e->target].name, (double)e->value[0], (double)e->t / 1e9);
    }
    pthread_mutex_unlock(&u->lock);
}

/* The window's newest offset at time t, and the rate it moves at from then on. */
static void user_push_offset(sim_user *u, XrTime t, const head_offset *off, const head_offset *rate)
{
    pthread_mutex_lock(&u->lock);
    u->current = *off;
    u->history[u->history_next] = (history_entry){.t = t, .off = *off, .rate = *rate};
    u->history_next = (u->history_next + 1) % HISTORY;
    if (u->history_count < HISTORY) u->history_count++;
    pthread_mutex_unlock(&u->lock);
}

/* ---------------------------------------------------------------- preview window */

typedef enum view_mode { VIEW_BOTH = 0, VIEW_LEFT, VIEW_RIGHT } view_mode;

struct sim_window {
    sim_session *s;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* CLOCK_MONOTONIC: a new frame, stop, SDL set up */
    bool stop;
    bool started; /* the thread has set up SDL and its window, or given up (under lock) */
    atomic_bool active;
    uint8_t *rgb; /* newest posted frame */
    uint32_t w, h;
    uint64_t seq;
};

bool sim_window_active(sim_window *w)
{
    return w && atomic_load(&w->active);
}

void sim_window_post(sim_window *w, const uint8_t *rgb, uint32_t width, uint32_t height)
{
    if (!w) return;
    pthread_mutex_lock(&w->lock);
    if (!w->rgb || w->w != width || w->h != height) {
        uint8_t *grown = realloc(w->rgb, (size_t)width * height * 3);
        if (!grown) {
            pthread_mutex_unlock(&w->lock);
            return; /* the window keeps the previous frame */
        }
        w->rgb = grown;
        w->w = width;
        w->h = height;
    }
    memcpy(w->rgb, rgb, (size_t)width * height * 3);
    w->seq++;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

/* Window size for an image: the image itself, scaled down to fit 1600x900 (large eye sizes). */
static void window_size(uint32_t w, uint32_t h, int *out_w, int *out_h)
{
    double k = 1.0;
    if (w > 1600) k = 1600.0 / w;
    if (h * k > 900) k = 900.0 / h;
    *out_w = (int)(w * k) > 0 ? (int)(w * k) : 1;
    *out_h = (int)(h * k) > 0 ? (int)(h * k) : 1;
}

/* Which controller field a key or mouse button drives. */
typedef struct binding {
    int hand;
    script_target target;
} binding;

static bool key_binding(SDL_Keycode k, binding *out)
{
    switch (k) {
    case SDLK_z:
        *out = (binding){0, T_TRIGGER};
        return true;
    case SDLK_x:
        *out = (binding){0, T_SQUEEZE};
        return true;
    case SDLK_c:
        *out = (binding){0, T_MENU};
        return true;
    case SDLK_v:
        *out = (binding){0, T_THUMBSTICK_CLICK};
        return true;
    case SDLK_1:
        *out = (binding){0, T_A};
        return true;
    case SDLK_2:
        *out = (binding){0, T_B};
        return true;
    case SDLK_SPACE:
        *out = (binding){1, T_TRIGGER};
        return true;
    case SDLK_b:
        *out = (binding){1, T_SQUEEZE};
        return true;
    case SDLK_n:
        *out = (binding){1, T_MENU};
        return true;
    case SDLK_m:
        *out = (binding){1, T_THUMBSTICK_CLICK};
        return true;
    case SDLK_3:
        *out = (binding){1, T_A};
        return true;
    case SDLK_4:
        *out = (binding){1, T_B};
        return true;
    default:
        return false;
    }
}

static bool mouse_binding(Uint8 button, binding *out)
{
    if (button == SDL_BUTTON_LEFT)
        *out = (binding){1, T_TRIGGER};
    else if (button == SDL_BUTTON_MIDDLE)
        *out = (binding){1, T_SQUEEZE};
    else
        return false;
    return true;
}

static void press(sim_session *s, binding b, bool down)
{
    float v[2] = {down ? 1.0f : 0.0f, 0.0f};
    pthread_mutex_lock(&s->lock);
    set_button(&s->controllers[b.hand], b.target, v);
    pthread_mutex_unlock(&s->lock);
}

/* Thumbsticks from held keys: TFGH left, IJKL right. Written only when they change, so a script can drive
 * them too. */
static void update_sticks(sim_session *s, const Uint8 *keys, XrVector2f last[2])
{
    XrVector2f now[2] = {
        {(float)(keys[SDL_SCANCODE_H] - keys[SDL_SCANCODE_F]),
         (float)(keys[SDL_SCANCODE_T] - keys[SDL_SCANCODE_G])},
        {(float)(keys[SDL_SCANCODE_L] - keys[SDL_SCANCODE_J]),
         (float)(keys[SDL_SCANCODE_I] - keys[SDL_SCANCODE_K])},
    };
    for (int h = 0; h < 2; h++) {
        if (now[h].x == last[h].x && now[h].y == last[h].y) continue;
        last[h] = now[h];
        pthread_mutex_lock(&s->lock);
        s->controllers[h].thumbstick = now[h];
        pthread_mutex_unlock(&s->lock);
    }
}

/* The rate held keys move and turn the head at: arrows look, WASD move along the heading, Q/E down/up. */
static head_offset key_rate(const Uint8 *keys, double yaw_deg)
{
    double yaw_in = keys[SDL_SCANCODE_LEFT] - keys[SDL_SCANCODE_RIGHT];
    double pitch_in = keys[SDL_SCANCODE_UP] - keys[SDL_SCANCODE_DOWN];
    double fwd = keys[SDL_SCANCODE_W] - keys[SDL_SCANCODE_S];
    double right = keys[SDL_SCANCODE_D] - keys[SDL_SCANCODE_A];
    double up = keys[SDL_SCANCODE_E] - keys[SDL_SCANCODE_Q];
    /* Forward is -Z turned by the yaw: walking follows where the user looks, level with the floor. */
    double y = yaw_deg * PLX_PI / 180.0;
    return (head_offset){.yaw_deg = yaw_in * LOOK_DEG_S,
                         .pitch_deg = pitch_in * LOOK_DEG_S,
                         .pos = {(float)((-sin(y) * fwd + cos(y) * right) * MOVE_M_S), (float)(up * MOVE_M_S),
                                 (float)((-cos(y) * fwd - sin(y) * right) * MOVE_M_S)}};
}

static bool rate_equal(const head_offset *a, const head_offset *b)
{
    return a->yaw_deg == b->yaw_deg && a->pitch_deg == b->pitch_deg && a->pos.x == b->pos.x &&
           a->pos.y == b->pos.y && a->pos.z == b->pos.z;
}

static void clamp_pitch(head_offset *off)
{
    if (off->pitch_deg > PITCH_LIMIT) off->pitch_deg = PITCH_LIMIT;
    if (off->pitch_deg < -PITCH_LIMIT) off->pitch_deg = -PITCH_LIMIT;
}

/* Draws what each controller does now along the bottom edge: the left controller's on the left, the
 * right's on the right. A bar for trigger (green) and squeeze (blue) that fills with the value, a white
 * square for a pressed button, and an orange strip along the bottom while the app plays a haptic pulse on
 * that hand. */
static void draw_controllers(SDL_Renderer *ren, sim_session *s, int ww, int wh)
{
    sim_controller_state c[2];
    pthread_mutex_lock(&s->lock);
    c[0] = s->controllers[0];
    c[1] = s->controllers[1];
    pthread_mutex_unlock(&s->lock);
    XrTime now = sim_now();
    int unit = wh / 40 > 6 ? wh / 40 : 6;
    for (int h = 0; h < 2; h++) {
        int x0 = h == 0 ? unit : ww - 9 * unit;
        int y0 = wh - 3 * unit;
        float trig = c[h].trigger_click ? 1.0f : c[h].trigger, sq = c[h].squeeze_click ? 1.0f : c[h].squeeze;
        SDL_Rect frame_t = {x0, y0, 3 * unit, unit}, frame_s = {x0 + 4 * unit, y0, 3 * unit, unit};
        SDL_SetRenderDrawColor(ren, 40, 40, 40, 255);
        SDL_RenderFillRect(ren, &frame_t);
        SDL_RenderFillRect(ren, &frame_s);
        SDL_SetRenderDrawColor(ren, 40, 220, 60, 255);
        SDL_Rect fill_t = {x0, y0, (int)(3 * unit * trig), unit};
        if (fill_t.w > 0) SDL_RenderFillRect(ren, &fill_t);
        SDL_SetRenderDrawColor(ren, 50, 110, 255, 255);
        SDL_Rect fill_s = {x0 + 4 * unit, y0, (int)(3 * unit * sq), unit};
        if (fill_s.w > 0) SDL_RenderFillRect(ren, &fill_s);
        bool buttons = c[h].menu || c[h].a || c[h].b || c[h].system || c[h].thumbstick_click;
        if (buttons) {
            SDL_SetRenderDrawColor(ren, 240, 240, 240, 255);
            SDL_Rect b = {x0 + 8 * unit - unit / 2, y0, unit / 2 > 0 ? unit / 2 : 1, unit};
            SDL_RenderFillRect(ren, &b);
        }
        XrTime until = c[h].haptic_time +
                       (c[h].haptic_duration > HAPTIC_SHOW_NS ? c[h].haptic_duration : HAPTIC_SHOW_NS);
        if (c[h].haptic_amplitude > 0.0f && now < until) {
            SDL_SetRenderDrawColor(ren, 255, 140, 0, 255);
            SDL_Rect strip = {h == 0 ? 0 : ww / 2, wh - unit, ww / 2, unit};
            SDL_RenderFillRect(ren, &strip);
        }
    }
}

static void *window_main(void *arg)
{
    sim_window *w = arg;
    sim_session *s = w->s;
    const sim_config *cfg = &s->inst->cfg;
    /* The app owns the process: SDL must not install SIGINT/SIGTERM handlers in it. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_Window *win = NULL;
    SDL_Renderer *ren = NULL;
    SDL_Texture *tex = NULL;
    int tex_w = 0, tex_h = 0;
    uint8_t *pixels = NULL;
    uint32_t pix_w = 0, pix_h = 0;
    bool video = SDL_InitSubSystem(SDL_INIT_VIDEO) == 0;
    /* With no display SDL falls back to an invisible "offscreen" driver: that is no preview, unless the
     * user picked it on purpose with SDL_VIDEODRIVER. */
    const char *driver = video ? SDL_GetCurrentVideoDriver() : NULL;
    const char *forced = getenv("SDL_VIDEODRIVER");
    bool invisible = driver && (strcmp(driver, "offscreen") == 0 || strcmp(driver, "dummy") == 0);
    if (invisible && !(forced && forced[0])) {
        SDL_SetError("no display (SDL video driver \"%s\")", driver);
    } else if (video) {
        int ww, wh;
        window_size(2 * cfg->eye_width, cfg->eye_height, &ww, &wh);
        win = SDL_CreateWindow("Parallax simulated headset", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                               ww, wh, SDL_WINDOW_RESIZABLE);
        /* The software renderer: the window only scales one image, and a GL driver loaded into the app's
         * process could clash with the app's own graphics and leaks at unload. */
        if (win) ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!ren) {
        sim_log(cfg->window == 1 ? SIM_LOG_WARN : SIM_LOG_INFO,
                "PARALLAX_SIM_WINDOW: no preview window (%s); running headless", SDL_GetError());
        atomic_store(&w->active, false);
    }
    /* SDL is set up (or given up): xrBeginSession may return, and other threads may pump SDL again. */
    pthread_mutex_lock(&w->lock);
    w->started = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    if (!ren) goto done;
    sim_user *u = s->user;
    head_offset off = {0};
    if (u) {
        pthread_mutex_lock(&u->lock);
        off = u->current; /* a second session continues where the user left the head */
        pthread_mutex_unlock(&u->lock);
    }
    XrVector2f sticks[2] = {{0, 0}, {0, 0}};
    head_offset rate = {0}; /* of the held keys, in force since the last history entry */
    view_mode mode = VIEW_BOTH;
    uint64_t seen = 0;
    bool exit_asked = false;
    XrTime last = sim_now();
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        pthread_mutex_unlock(&w->lock);
        bool ask_exit = false, moved = false;
        binding b;
        /* Only this window's events: libparallax's mirror window (or the app's own SDL windows) may share
         * the process and SDL's one event queue (see the top of this file). */
        SDL_PumpEvents();
        plx_sdl_events batch = {.window_id = SDL_GetWindowID(win)};
        for (bool more = true; more;) {
            more = plx_sdl_take_window_events(&batch);
            for (int i = 0; i < batch.count; i++) {
                SDL_Event *ev = &batch.ev[i];
                switch (ev->type) {
                case SDL_WINDOWEVENT:
                    if (ev->window.event == SDL_WINDOWEVENT_CLOSE) ask_exit = true;
                    break;
                case SDL_KEYDOWN:
                case SDL_KEYUP:
                    if (ev->key.repeat) break;
                    if (ev->type == SDL_KEYDOWN && ev->key.keysym.sym == SDLK_ESCAPE) ask_exit = true;
                    if (ev->type == SDL_KEYDOWN && ev->key.keysym.sym == SDLK_TAB) mode = (mode + 1) % 3;
                    if (ev->type == SDL_KEYDOWN && ev->key.keysym.sym == SDLK_r) {
                        off = (head_offset){0};
                        moved = true;
                    }
                    if (key_binding(ev->key.keysym.sym, &b)) press(s, b, ev->type == SDL_KEYDOWN);
                    break;
                case SDL_MOUSEBUTTONDOWN:
                case SDL_MOUSEBUTTONUP:
                    if (mouse_binding(ev->button.button, &b)) press(s, b, ev->type == SDL_MOUSEBUTTONDOWN);
                    break;
                case SDL_MOUSEMOTION:
                    /* Mouse-look while the right button is held: dragging right turns right, up looks up. */
                    if (ev->motion.state & SDL_BUTTON_RMASK) {
                        off.yaw_deg -= ev->motion.xrel * MOUSE_DEG_PX;
                        off.pitch_deg -= ev->motion.yrel * MOUSE_DEG_PX;
                        moved = true;
                    }
                    break;
                default:
                    break;
                }
                plx_sdl_event_free(ev);
            }
        }
        XrTime now = sim_now();
        /* The head moved on at the held keys' rate since the last turn of the loop. */
        double dt = (double)(now - last) / 1e9;
        if (!rate_equal(&rate, &(head_offset){0})) {
            off.yaw_deg += rate.yaw_deg * dt;
            off.pitch_deg += rate.pitch_deg * dt;
            off.pos = plx_vec3_add(off.pos, plx_vec3_scale(rate.pos, (float)dt));
            moved = true;
        }
        last = now;
        /* Held keys count only while this window has the keyboard. */
        static const Uint8 released[SDL_NUM_SCANCODES];
        const Uint8 *keys = SDL_GetKeyboardFocus() == win ? SDL_GetKeyboardState(NULL) : released;
        update_sticks(s, keys, sticks); /* a stick held when focus left springs back */
        head_offset new_rate = key_rate(keys, off.yaw_deg);
        if (moved || !rate_equal(&new_rate, &rate)) {
            rate = new_rate;
            clamp_pitch(&off);
            if (u) user_push_offset(u, now, &off, &rate);
        }
        if (ask_exit && !exit_asked) {
            /* Like a headset's "quit" button: the app sees STOPPING and ends its session. */
            exit_asked = true;
            XrResult r = sim_xrRequestExitSession((XrSession)s);
            if (XR_FAILED(r))
                sim_log(SIM_LOG_INFO, "preview window: xrRequestExitSession returned %d", (int)r);
        }
        pthread_mutex_lock(&w->lock);
        /* ~120 Hz while no new frame arrives: held keys integrate smoothly and events are answered. */
        if (w->seq == seen && !w->stop) {
            struct timespec ts;
            XrTime until = sim_now() + 8000000;
            ts.tv_sec = (time_t)(until / 1000000000);
            ts.tv_nsec = (long)(until % 1000000000);
            pthread_cond_timedwait(&w->cond, &w->lock, &ts);
        }
        if (w->stop) break;
        bool fresh = w->seq != seen && w->rgb;
        if (fresh) {
            seen = w->seq;
            if (!pixels || pix_w != w->w || pix_h != w->h) {
                uint8_t *grown = realloc(pixels, (size_t)w->w * w->h * 3);
                if (grown) {
                    pixels = grown;
                    pix_w = w->w;
                    pix_h = w->h;
                }
            }
            if (pixels && pix_w == w->w && pix_h == w->h)
                memcpy(pixels, w->rgb, (size_t)pix_w * pix_h * 3);
            else
                fresh = false;
        }
        pthread_mutex_unlock(&w->lock);
        if (fresh) {
            if (!tex || tex_w != (int)pix_w || tex_h != (int)pix_h) {
                if (tex) SDL_DestroyTexture(tex);
                tex = SDL_CreateTexture(ren, SDL_PIXELFORMAT_RGB24, SDL_TEXTUREACCESS_STREAMING, (int)pix_w,
                                        (int)pix_h);
                tex_w = (int)pix_w;
                tex_h = (int)pix_h;
                if (!tex)
                    sim_log(SIM_LOG_WARN, "preview window: SDL_CreateTexture failed: %s", SDL_GetError());
            }
            if (tex && SDL_UpdateTexture(tex, NULL, pixels, (int)pix_w * 3) != 0)
                sim_log(SIM_LOG_WARN, "preview window: SDL_UpdateTexture failed: %s", SDL_GetError());
        }
        int ww = 0, wh = 0;
        SDL_GetRendererOutputSize(ren, &ww, &wh);
        SDL_SetRenderDrawColor(ren, 0, 0, 0, 255);
        SDL_RenderClear(ren);
        if (tex) {
            /* One eye is the left or right half of the side-by-side image. */
            SDL_Rect src = {0, 0, tex_w, tex_h};
            if (mode != VIEW_BOTH) {
                src.w = tex_w / 2;
                src.x = mode == VIEW_RIGHT ? tex_w / 2 : 0;
            }
            SDL_RenderCopy(ren, tex, &src, NULL);
        }
        draw_controllers(ren, s, ww, wh);
        SDL_RenderPresent(ren);
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    sim_log(SIM_LOG_INFO,
            "preview window: closed; head offset yaw %.1f deg, pitch %.1f deg, position %.2f %.2f %.2f m",
            off.yaw_deg, off.pitch_deg, (double)off.pos.x, (double)off.pos.y, (double)off.pos.z);
done:
    free(pixels);
    if (tex) SDL_DestroyTexture(tex);
    if (ren) SDL_DestroyRenderer(ren);
    if (win) SDL_DestroyWindow(win);
    if (video) SDL_QuitSubSystem(SDL_INIT_VIDEO);
    /* SDL did not create this thread, so it does not free the thread's SDL data (error string) by itself. */
    SDL_TLSCleanup();
    return NULL;
}

/* Should this session show a preview window? PARALLAX_SIM_WINDOW=auto: when a display is available. */
static bool want_window(const sim_config *cfg)
{
    if (cfg->window == 1) return true;
    if (cfg->window == 0) return false;
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    return (x && x[0]) || (wl && wl[0]);
}

sim_window *sim_window_create(sim_session *s)
{
    if (!want_window(&s->inst->cfg)) return NULL;
    sim_window *w = calloc(1, sizeof(*w));
    if (!w) {
        sim_log(SIM_LOG_WARN, "PARALLAX_SIM_WINDOW: out of memory; running headless");
        return NULL;
    }
    w->s = s;
    atomic_init(&w->active, true);
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&w->thread, NULL, window_main, w) != 0) {
        sim_log(SIM_LOG_WARN, "PARALLAX_SIM_WINDOW: cannot start the window thread; running headless");
        pthread_cond_destroy(&w->cond);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return NULL;
    }
    /* Until the thread has its window, no other SDL user in the process (libparallax's mirror pumps on the
     * app's thread, which is in xrBeginSession now) touches SDL: see the top of this file. */
    pthread_mutex_lock(&w->lock);
    while (!w->started) pthread_cond_wait(&w->cond, &w->lock);
    pthread_mutex_unlock(&w->lock);
    return w;
}

void sim_window_destroy(sim_window **pw)
{
    sim_window *w = pw ? *pw : NULL;
    if (!w) return;
    *pw = NULL;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    free(w->rgb);
    free(w);
}
