/* SPDX-License-Identifier: MIT */
/* The preview window of the simulated headset (PARALLAX_SIM_WINDOW): shows each displayed frame and lets a
 * person drive the user (device/user.c) with the mouse and keyboard: head offset, controller presses, and
 * the request to exit (Escape or the close button; the upper part applies it at xrPollEvent).
 * Layer: device (the lower part); calls device/user.c, device/clock.c and base/. The compositor creates it.
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
#include "device/sim_window.h"

#include <math.h>
#include <SDL2/SDL.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_log.h"
#include "device/sim_clock.h"
#include "plx_sdl_events.h"

#define LOOK_DEG_S   90.0 /* arrow keys turn the head this fast */
#define MOUSE_DEG_PX 0.2  /* right-button drag: degrees per pixel */
#define MOVE_M_S     1.0  /* WASD/QE speed */
#define PITCH_LIMIT  89.0 /* degrees: keep the head from flipping over (as device/user.c does) */
/* A haptic pulse stays visible at least this long, so a short one is seen. */
#define HAPTIC_SHOW_NS 400000000

/* ---------------------------------------------------------------- preview window */

typedef enum view_mode { VIEW_BOTH = 0, VIEW_LEFT, VIEW_RIGHT } view_mode;

struct sim_window {
    sim_window_desc desc;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* sim_cond_init: a new frame, stop, SDL set up */
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
    sim_control target;
} binding;

static bool key_binding(SDL_Keycode k, binding *out)
{
    switch (k) {
    case SDLK_z:
        *out = (binding){0, SIM_CONTROL_TRIGGER};
        return true;
    case SDLK_x:
        *out = (binding){0, SIM_CONTROL_SQUEEZE};
        return true;
    case SDLK_c:
        *out = (binding){0, SIM_CONTROL_MENU};
        return true;
    case SDLK_v:
        *out = (binding){0, SIM_CONTROL_THUMBSTICK_CLICK};
        return true;
    case SDLK_1:
        *out = (binding){0, SIM_CONTROL_A};
        return true;
    case SDLK_2:
        *out = (binding){0, SIM_CONTROL_B};
        return true;
    case SDLK_SPACE:
        *out = (binding){1, SIM_CONTROL_TRIGGER};
        return true;
    case SDLK_b:
        *out = (binding){1, SIM_CONTROL_SQUEEZE};
        return true;
    case SDLK_n:
        *out = (binding){1, SIM_CONTROL_MENU};
        return true;
    case SDLK_m:
        *out = (binding){1, SIM_CONTROL_THUMBSTICK_CLICK};
        return true;
    case SDLK_3:
        *out = (binding){1, SIM_CONTROL_A};
        return true;
    case SDLK_4:
        *out = (binding){1, SIM_CONTROL_B};
        return true;
    default:
        return false;
    }
}

static bool mouse_binding(Uint8 button, binding *out)
{
    if (button == SDL_BUTTON_LEFT)
        *out = (binding){1, SIM_CONTROL_TRIGGER};
    else if (button == SDL_BUTTON_MIDDLE)
        *out = (binding){1, SIM_CONTROL_SQUEEZE};
    else
        return false;
    return true;
}

/* Keys that set a device's identifier by name: the gamepad's d-pad (keypad 8 2 4 6) and the headset's own
 * buttons (HTC Vive Pro: - and = for volume down and up, 0 for the microphone mute). */
static const struct {
    SDL_Keycode key;
    int device;
    const char *id;
} named_keys[] = {
    {SDLK_KP_8, SIM_DEVICE_GAMEPAD, "dpad_up"},   {SDLK_KP_2, SIM_DEVICE_GAMEPAD, "dpad_down"},
    {SDLK_KP_4, SIM_DEVICE_GAMEPAD, "dpad_left"}, {SDLK_KP_6, SIM_DEVICE_GAMEPAD, "dpad_right"},
    {SDLK_MINUS, SIM_DEVICE_HEAD, "volume_down"}, {SDLK_EQUALS, SIM_DEVICE_HEAD, "volume_up"},
    {SDLK_0, SIM_DEVICE_HEAD, "mute_mic"},
};

/* Keys for the hands themselves: the profile they present (]), gestures of the tracked hands (U left, O
 * right), hand tracking lost and back (Y, both hands). Key downs only. */
static void hand_key(sim_user *u, SDL_Keycode k, XrTime now)
{
    if (k == SDLK_RIGHTBRACKET) {
        const char *now_req = sim_user_cycle_profile(u);
        sim_log(SIM_LOG_INFO, "preview window: the hands present %s",
                now_req[0] ? now_req : "the runtime's pick");
    } else if (k == SDLK_u || k == SDLK_o) {
        sim_user_cycle_gesture(u, k == SDLK_u ? 0 : 1, now);
    } else if (k == SDLK_y) {
        sim_controller_state c[SIM_DEVICE_COUNT];
        sim_user_peek_controllers(u, c);
        bool lost = !c[0].hand_lost;
        sim_user_set_hand_lost(u, 0, lost);
        sim_user_set_hand_lost(u, 1, lost);
        sim_log(SIM_LOG_INFO, "preview window: hand tracking %s", lost ? "lost" : "back");
    }
}

static void named_key(sim_user *u, SDL_Keycode k, bool down)
{
    for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++)
        if (named_keys[i].key == k)
            sim_user_set_input(u, named_keys[i].device, named_keys[i].id, SIM_COMPONENT_CLICK,
                               (const float[2]){down ? 1.0f : 0.0f, 0.0f}, false);
}

static void press(sim_user *u, binding b, bool down)
{
    float v[2] = {down ? 1.0f : 0.0f, 0.0f};
    sim_user_press(u, b.hand, b.target, v);
}

/* Thumbsticks from held keys: TFGH left, IJKL right. Written only when they change, so a script can drive
 * them too. */
static void update_sticks(sim_user *u, const Uint8 *keys, XrVector2f last[2])
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
        sim_user_press(u, h, SIM_CONTROL_THUMBSTICK, (const float[2]){now[h].x, now[h].y});
    }
}

/* The rate held keys move and turn the head at: arrows look, WASD move along the heading, Q/E down/up. */
static sim_head_offset key_rate(const Uint8 *keys, double yaw_deg)
{
    double yaw_in = keys[SDL_SCANCODE_LEFT] - keys[SDL_SCANCODE_RIGHT];
    double pitch_in = keys[SDL_SCANCODE_UP] - keys[SDL_SCANCODE_DOWN];
    double fwd = keys[SDL_SCANCODE_W] - keys[SDL_SCANCODE_S];
    double right = keys[SDL_SCANCODE_D] - keys[SDL_SCANCODE_A];
    double up = keys[SDL_SCANCODE_E] - keys[SDL_SCANCODE_Q];
    /* Forward is -Z turned by the yaw: walking follows where the user looks, level with the floor. */
    double y = yaw_deg * PLX_PI / 180.0;
    return (sim_head_offset){.yaw_deg = yaw_in * LOOK_DEG_S,
                             .pitch_deg = pitch_in * LOOK_DEG_S,
                             .pos = {(float)((-sin(y) * fwd + cos(y) * right) * MOVE_M_S),
                                     (float)(up * MOVE_M_S),
                                     (float)((-cos(y) * fwd - sin(y) * right) * MOVE_M_S)}};
}

static bool rate_equal(const sim_head_offset *a, const sim_head_offset *b)
{
    return a->yaw_deg == b->yaw_deg && a->pitch_deg == b->pitch_deg && a->pos.x == b->pos.x &&
           a->pos.y == b->pos.y && a->pos.z == b->pos.z;
}

static void clamp_pitch(sim_head_offset *off)
{
    if (off->pitch_deg > PITCH_LIMIT) off->pitch_deg = PITCH_LIMIT;
    if (off->pitch_deg < -PITCH_LIMIT) off->pitch_deg = -PITCH_LIMIT;
}

/* Draws what each controller does now along the bottom edge: the left controller's on the left, the
 * right's on the right. A bar for trigger (green) and squeeze (blue) that fills with the value, a white
 * square for a pressed button, and an orange strip along the bottom while the app plays a haptic pulse on
 * that hand. */
static void draw_controllers(SDL_Renderer *ren, sim_user *u, int ww, int wh)
{
    sim_controller_state c[SIM_DEVICE_COUNT];
    sim_user_peek_controllers(u, c);
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
    const sim_window_desc *d = &w->desc;
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
        window_size(d->width, d->height, &ww, &wh);
        win = SDL_CreateWindow("Parallax simulated headset", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                               ww, wh, SDL_WINDOW_RESIZABLE);
        /* The software renderer: the window only scales one image, and a GL driver loaded into the app's
         * process could clash with the app's own graphics and leaks at unload. */
        if (win) ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!ren) {
        sim_log(d->mode == 1 ? SIM_LOG_WARN : SIM_LOG_INFO,
                "PARALLAX_SIM_WINDOW: no preview window (%s); running headless", SDL_GetError());
        atomic_store(&w->active, false);
    }
    /* SDL is set up (or given up): xrBeginSession may return, and other threads may pump SDL again. */
    pthread_mutex_lock(&w->lock);
    w->started = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    if (!ren) goto done;
    sim_user *u = d->user;
    sim_head_offset off = sim_user_window_offset(u); /* a second session continues where the user left it */
    XrVector2f sticks[2] = {{0, 0}, {0, 0}};
    sim_head_offset rate = {0}; /* of the held keys, in force since the last history entry */
    view_mode mode = VIEW_BOTH;
    uint32_t title_serial = 0; /* the presented profile the title names */
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
                    if (ev->type == SDL_KEYDOWN && ev->key.keysym.sym == SDLK_p) {
                        /* The user takes the headset off or puts it back on (XR_EXT_user_presence). */
                        XrTime t = sim_now();
                        sim_user_set_worn(u, !sim_user_worn(u, t), t);
                    }
                    if (ev->type == SDL_KEYDOWN && ev->key.keysym.sym == SDLK_r) {
                        off = (sim_head_offset){0};
                        moved = true;
                    }
                    if (key_binding(ev->key.keysym.sym, &b)) press(u, b, ev->type == SDL_KEYDOWN);
                    named_key(u, ev->key.keysym.sym, ev->type == SDL_KEYDOWN);
                    if (ev->type == SDL_KEYDOWN) hand_key(u, ev->key.keysym.sym, sim_now());
                    break;
                case SDL_MOUSEBUTTONDOWN:
                case SDL_MOUSEBUTTONUP:
                    if (mouse_binding(ev->button.button, &b)) press(u, b, ev->type == SDL_MOUSEBUTTONDOWN);
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
        if (!rate_equal(&rate, &(sim_head_offset){0})) {
            off.yaw_deg += rate.yaw_deg * dt;
            off.pitch_deg += rate.pitch_deg * dt;
            off.pos = plx_vec3_add(off.pos, plx_vec3_scale(rate.pos, (float)dt));
            moved = true;
        }
        last = now;
        /* Held keys count only while this window has the keyboard. */
        static const Uint8 released[SDL_NUM_SCANCODES];
        const Uint8 *keys = SDL_GetKeyboardFocus() == win ? SDL_GetKeyboardState(NULL) : released;
        update_sticks(u, keys, sticks); /* a stick held when focus left springs back */
        sim_head_offset new_rate = key_rate(keys, off.yaw_deg);
        if (moved || !rate_equal(&new_rate, &rate)) {
            rate = new_rate;
            clamp_pitch(&off);
            if (u) sim_user_push_offset(u, now, &off, &rate);
        }
        if (ask_exit && !exit_asked) {
            /* Like a headset's "quit" button: the request is a fact of the user's; the upper part asks the
             * session to exit at the app's next xrPollEvent, and the app sees STOPPING and ends its session.
             */
            exit_asked = true;
            sim_user_request_exit(u);
        }
        pthread_mutex_lock(&w->lock);
        /* ~120 Hz while no new frame arrives: held keys integrate smoothly and events are answered. */
        if (w->seq == seen && !w->stop) {
            sim_cond_wait_until(&w->cond, &w->lock, sim_now() + 8000000);
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
        draw_controllers(ren, u, ww, wh);
        /* The title names the profile the hands present (the window's ] key changes it). */
        char presented[SIM_PROFILE_MAX];
        uint32_t serial = sim_user_presented(u, presented, sizeof(presented));
        if (serial != title_serial) {
            char title[160];
            snprintf(title, sizeof(title), "Parallax simulated headset - hands: %s",
                     presented[0] ? presented + strlen("/interaction_profiles/") : "none");
            SDL_SetWindowTitle(win, title);
            title_serial = serial;
        }
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
static bool want_window(int mode)
{
    if (mode == 1) return true;
    if (mode == 0) return false;
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    return (x && x[0]) || (wl && wl[0]);
}

sim_window *sim_window_create(const sim_window_desc *desc)
{
    if (!want_window(desc->mode)) return NULL;
    sim_window *w = calloc(1, sizeof(*w));
    if (!w) {
        sim_log(SIM_LOG_WARN, "PARALLAX_SIM_WINDOW: out of memory; running headless");
        return NULL;
    }
    w->desc = *desc;
    atomic_init(&w->active, true);
    pthread_mutex_init(&w->lock, NULL);
    sim_cond_init(&w->cond);
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
