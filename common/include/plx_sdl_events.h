/* SPDX-License-Identifier: MIT */
/* Taking one window's events out of SDL's process-wide event queue, for the two SDL windows that live in an
 * app's process without owning it: libparallax's mirror (runtime/src/overlay/mirror.c) and the simulated
 * headset's preview (simulator/src/device/window.c). Each takes only the events whose windowID is its own
 * window's, in queue order, under the queue's lock (SDL_FilterEvents), and leaves every other event, SDL_QUIT
 * included, to whoever else reads the queue. Header-only, so the pure-math plx_common library does not depend
 * on SDL; include it only where SDL2 is linked. */
#pragma once
#include <SDL2/SDL.h>
#include <stdbool.h>

#define PLX_SDL_EVENTS_MAX 64

typedef struct plx_sdl_events {
    Uint32 window_id; /* whose events to take */
    int max;          /* at most this many per call, 1..PLX_SDL_EVENTS_MAX */
    int count;        /* taken by the last call */
    SDL_Event ev[PLX_SDL_EVENTS_MAX];
} plx_sdl_events;

/* The window an event belongs to, 0 for events of no window (SDL_QUIT, keymap, display, user events). */
static inline Uint32 plx_sdl_event_window(const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_WINDOWEVENT:
        return ev->window.windowID;
    case SDL_KEYDOWN:
    case SDL_KEYUP:
        return ev->key.windowID;
    case SDL_TEXTEDITING:
        return ev->edit.windowID;
    case SDL_TEXTEDITING_EXT:
        return ev->editExt.windowID;
    case SDL_TEXTINPUT:
        return ev->text.windowID;
    case SDL_MOUSEMOTION:
        return ev->motion.windowID;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        return ev->button.windowID;
    case SDL_MOUSEWHEEL:
        return ev->wheel.windowID;
    case SDL_FINGERMOTION:
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
        return ev->tfinger.windowID;
    case SDL_DROPFILE:
    case SDL_DROPTEXT:
    case SDL_DROPBEGIN:
    case SDL_DROPCOMPLETE:
        return ev->drop.windowID;
    default:
        return 0;
    }
}

/* SDL_FilterEvents callback: moves the batch's window's events into it and keeps all others (returns 1).
 * Once the batch is full the rest stay for the next call. */
static inline int plx_sdl_take_own_(void *userdata, SDL_Event *ev)
{
    plx_sdl_events *b = userdata;
    if (b->count >= b->max || plx_sdl_event_window(ev) != b->window_id) return 1;
    b->ev[b->count++] = *ev;
    return 0;
}

/* Takes up to b->max of b->window_id's queued events into b->ev (b->count of them); returns whether the
 * batch is full (more may be waiting). The caller pumps (SDL_PumpEvents) when it wants new ones and frees
 * each taken event with plx_sdl_event_free. */
static inline bool plx_sdl_take_window_events(plx_sdl_events *b)
{
    if (b->max < 1 || b->max > PLX_SDL_EVENTS_MAX) b->max = PLX_SDL_EVENTS_MAX;
    b->count = 0;
    SDL_FilterEvents(plx_sdl_take_own_, b);
    return b->count == b->max;
}

/* The text of these events is the taker's to free. */
static inline void plx_sdl_event_free(SDL_Event *ev)
{
    if (ev->type == SDL_TEXTEDITING_EXT) SDL_free(ev->editExt.text);
    if (ev->type == SDL_DROPFILE || ev->type == SDL_DROPTEXT) SDL_free(ev->drop.file);
}
