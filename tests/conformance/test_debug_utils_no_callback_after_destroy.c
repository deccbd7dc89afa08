/* SPDX-License-Identifier: MIT */
/* XR_EXT_debug_utils: no messenger callback runs after xrDestroyDebugUtilsMessengerEXT or xrDestroyInstance
 * has returned. Spec: OpenXR 1.0 and 1.1, XR_EXT_debug_utils, xrspec.html#xrDestroyDebugUtilsMessengerEXT
 * (destroys the messenger; the application then owns its callback's user data again and frees it) and
 * xrspec.html#xrDestroyInstance
 * ("destroys the instance and all of its child objects", messengers included; the messenger chained to
 * XrInstanceCreateInfo "is only valid for the duration of the xrCreateInstance and the xrDestroyInstance
 * call"). Every user data below is freed right after the destroy call returns; each callback first asks a
 * registry of live user data (under a lock of the test's own) and counts a late call instead of touching
 * freed memory, so the test fails deterministically on a runtime that calls a destroyed messenger, and the
 * sanitizer build catches a runtime that touches its own freed messenger.
 * 1. Race: messenger M, then S; a second thread submits one message, which the runtime delivers to S (first
 * in creation-reversed order) and M. S's callback holds the delivery 30 ms; meanwhile the main thread
 * destroys M and frees M's user data. A runtime that copied M's callback before calling S then calls M late.
 * 2. After xrDestroyDebugUtilsMessengerEXT on the same thread, messages (submitted, and the runtime's own
 * from a session's lifecycle) reach no destroyed messenger.
 * 3. After xrDestroyInstance, nothing of that instance calls its messengers (created or chained): a second
 *    instance runs parts 1 and 2 and a session with messages of its own. */
#include "conf.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct user {
    int calls;
    bool slow; /* S: holds the delivery */
} user;

#define MAX_LIVE 16
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static user *live[MAX_LIVE];
static atomic_int late_calls;
static atomic_int slow_entered;

static user *user_new(bool slow)
{
    user *u = calloc(1, sizeof(*u));
    if (!u) abort();
    u->slow = slow;
    pthread_mutex_lock(&live_lock);
    for (int i = 0; i < MAX_LIVE; i++)
        if (!live[i]) {
            live[i] = u;
            break;
        }
    pthread_mutex_unlock(&live_lock);
    return u;
}

/* The application frees its user data: from now on a callback with it is late. */
static void user_free(user *u)
{
    pthread_mutex_lock(&live_lock);
    for (int i = 0; i < MAX_LIVE; i++)
        if (live[i] == u) live[i] = NULL;
    pthread_mutex_unlock(&live_lock);
    free(u);
}

static XRAPI_ATTR XrBool32 XRAPI_CALL on_message(XrDebugUtilsMessageSeverityFlagsEXT sev,
                                                 XrDebugUtilsMessageTypeFlagsEXT types,
                                                 const XrDebugUtilsMessengerCallbackDataEXT *data, void *ud)
{
    (void)sev;
    (void)types;
    pthread_mutex_lock(&live_lock);
    bool is_live = false;
    for (int i = 0; i < MAX_LIVE && !is_live; i++) is_live = live[i] == ud;
    bool slow = false;
    if (is_live) {
        ((user *)ud)->calls++;
        slow = ((user *)ud)->slow;
    } else {
        atomic_fetch_add(&late_calls, 1);
        printf("  late callback: user data %p was freed after its messenger or instance was destroyed "
               "(message \"%s\" from %s)\n",
               ud, data->message ? data->message : "", data->functionName ? data->functionName : "?");
    }
    pthread_mutex_unlock(&live_lock);
    if (slow && data->messageId && strcmp(data->messageId, "conf-race") == 0) {
        atomic_store(&slow_entered, 1);
        nanosleep(&(struct timespec){.tv_nsec = 30000000}, NULL);
    }
    return XR_FALSE;
}

typedef struct fns {
    PFN_xrCreateDebugUtilsMessengerEXT create;
    PFN_xrDestroyDebugUtilsMessengerEXT destroy;
    PFN_xrSubmitDebugUtilsMessageEXT submit;
} fns;

static bool get_fns(conf *c, XrInstance inst, fns *f)
{
    XrResult r1 =
        xrGetInstanceProcAddr(inst, "xrCreateDebugUtilsMessengerEXT", (PFN_xrVoidFunction *)&f->create);
    XrResult r2 =
        xrGetInstanceProcAddr(inst, "xrDestroyDebugUtilsMessengerEXT", (PFN_xrVoidFunction *)&f->destroy);
    XrResult r3 =
        xrGetInstanceProcAddr(inst, "xrSubmitDebugUtilsMessageEXT", (PFN_xrVoidFunction *)&f->submit);
    return CONF_CHECK(
        c, XR_SUCCEEDED(r1) && XR_SUCCEEDED(r2) && XR_SUCCEEDED(r3) && f->create && f->destroy && f->submit,
        "the XR_EXT_debug_utils functions do not resolve");
}

static XrDebugUtilsMessengerCreateInfoEXT messenger_info(user *u)
{
    return (XrDebugUtilsMessengerCreateInfoEXT){
        .type = XR_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
        .messageSeverities =
            XR_DEBUG_UTILS_MESSAGE_SEVERITY_VERBOSE_BIT_EXT | XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT |
            XR_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
        .messageTypes = XR_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                        XR_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                        XR_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
        .userCallback = on_message,
        .userData = u};
}

static XrResult submit(fns *f, XrInstance inst, const char *id)
{
    XrDebugUtilsMessengerCallbackDataEXT data = {.type = XR_TYPE_DEBUG_UTILS_MESSENGER_CALLBACK_DATA_EXT,
                                                 .messageId = id,
                                                 .functionName = "conf",
                                                 .message = id};
    return f->submit(inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT,
                     XR_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT, &data);
}

typedef struct race {
    fns *f;
    XrInstance inst;
    XrResult result;
} race;

static void *submit_thread(void *arg)
{
    race *r = arg;
    r->result = submit(r->f, r->inst, "conf-race");
    return NULL;
}

int main(void)
{
    conf c;
    conf_start(&c, "debug_utils_no_callback_after_destroy",
               "XR_EXT_debug_utils, no callback after xrDestroyDebugUtilsMessengerEXT or xrDestroyInstance");
    const char *ext[] = {XR_EXT_DEBUG_UTILS_EXTENSION_NAME};

    /* 3 (first: the loader runs one instance at a time). An instance with a chained and a created messenger,
     * destroyed, its user data freed; everything after it runs on a second instance. */
    user *chained = user_new(false), *created = user_new(false);
    XrDebugUtilsMessengerCreateInfoEXT ci = messenger_info(chained);
    XrInstance first = XR_NULL_HANDLE;
    fns f1 = {0};
    if (conf_create_instance(&c, &(conf_desc){.extensions = ext, .extension_count = 1, .instance_next = &ci},
                             &first) &&
        get_fns(&c, first, &f1)) {
        XrDebugUtilsMessengerCreateInfoEXT mi = messenger_info(created);
        XrDebugUtilsMessengerEXT m = XR_NULL_HANDLE;
        CONF_XR(&c, f1.create(first, &mi, &m));
        CONF_XR(&c, submit(&f1, first, "conf-first"));
        CONF_CHECK(&c, created->calls >= 1,
                   "the first instance's messenger got no call for a submitted message");
    }
    if (first) CONF_XR(&c, xrDestroyInstance(first));
    user_free(chained);
    user_free(created);

    fns f = {0};
    if (conf_instance(&c, &(conf_desc){.extensions = ext, .extension_count = 1}) &&
        get_fns(&c, c.instance, &f)) {
        /* 1. The race. */
        user *um = user_new(false), *us = user_new(true);
        XrDebugUtilsMessengerCreateInfoEXT mi = messenger_info(um), si = messenger_info(us);
        XrDebugUtilsMessengerEXT m = XR_NULL_HANDLE, sm = XR_NULL_HANDLE;
        CONF_XR(&c, f.create(c.instance, &mi, &m));
        CONF_XR(&c, f.create(c.instance, &si, &sm));
        int before = atomic_load(&late_calls);
        race r = {.f = &f, .inst = c.instance};
        pthread_t t;
        if (CONF_CHECK(&c, pthread_create(&t, NULL, submit_thread, &r) == 0, "pthread_create failed")) {
            int64_t deadline = conf_monotonic_ns() + 2000000000LL;
            while (!atomic_load(&slow_entered) && conf_monotonic_ns() < deadline)
                nanosleep(&(struct timespec){.tv_nsec = 100000}, NULL);
            CONF_CHECK(&c, atomic_load(&slow_entered),
                       "the submitted message never reached the second messenger");
            CONF_XR(&c, f.destroy(m));
            user_free(um);
            pthread_join(t, NULL);
            CONF_XR(&c, r.result);
        }
        CONF_CHECK(&c, atomic_load(&late_calls) == before,
                   "race: %d callback(s) of a messenger ran after xrDestroyDebugUtilsMessengerEXT returned",
                   atomic_load(&late_calls) - before);
        CONF_XR(&c, f.destroy(sm));
        user_free(us);

        /* 2. Same thread: destroyed, freed, then messages of every kind (submitted; the runtime's and the
         * loader's own during a session's life). */
        user *u2 = user_new(false), *keep = user_new(false);
        XrDebugUtilsMessengerCreateInfoEXT i2 = messenger_info(u2), ik = messenger_info(keep);
        XrDebugUtilsMessengerEXT m2 = XR_NULL_HANDLE, mk = XR_NULL_HANDLE;
        CONF_XR(&c, f.create(c.instance, &i2, &m2));
        CONF_XR(&c, f.create(c.instance, &ik, &mk));
        CONF_XR(&c, submit(&f, c.instance, "conf-before"));
        CONF_CHECK(&c, u2->calls >= 1, "a live messenger got no call for a submitted message");
        CONF_XR(&c, f.destroy(m2));
        user_free(u2);
        before = atomic_load(&late_calls);
        int kept_before = keep->calls;
        CONF_XR(&c, submit(&f, c.instance, "conf-after"));
        if (conf_session(&c) && conf_begin(&c)) {
            conf_frames(&c, 3);
            conf_end(&c);
        }
        CONF_CHECK(&c, keep->calls > kept_before, "the messenger still alive got no call after the destroy");
        CONF_CHECK(&c, atomic_load(&late_calls) == before,
                   "after xrDestroyDebugUtilsMessengerEXT: %d late callback(s)",
                   atomic_load(&late_calls) - before);
        CONF_XR(&c, f.destroy(mk));
        user_free(keep);
    }
    CONF_CHECK(&c, atomic_load(&late_calls) == 0, "%d late callback(s) in all", atomic_load(&late_calls));
    return conf_finish(&c);
}
