/* SPDX-License-Identifier: MIT */
/* XR_EXT_debug_utils: xrSubmitDebugUtilsMessageEXT passes the names set with xrSetDebugUtilsObjectNameEXT to
 * the callback. Spec: OpenXR 1.0 and 1.1, XR_EXT_debug_utils, xrspec.html#xrSetDebugUtilsObjectNameEXT
 * ("Applications may change the name associated with an object simply by calling xrSetDebugUtilsObjectNameEXT
 * again with a new string. If XrDebugUtilsObjectNameInfoEXT::objectName is an empty string, then any
 * previously set name is removed.") and #XrDebugUtilsMessengerCallbackDataEXT (objects: "an array of
 * XrDebugUtilsObjectNameInfoEXT objects related to the detected issue"), read as the OpenXR conformance suite
 * reads them: an object the application named carries that name into every callback (replacing whatever name
 * the submitter put in), an object without a name keeps the one submitted, and a removed name is no longer
 * filled in. */
#include "conf.h"

#include <stdio.h>
#include <string.h>

typedef struct seen {
    int calls;
    uint32_t object_count;
    char names[4][64];
    bool name_null[4];
} seen;

static XRAPI_ATTR XrBool32 XRAPI_CALL on_message(XrDebugUtilsMessageSeverityFlagsEXT sev,
                                                 XrDebugUtilsMessageTypeFlagsEXT types,
                                                 const XrDebugUtilsMessengerCallbackDataEXT *data, void *user)
{
    (void)sev;
    (void)types;
    seen *s = user;
    if (!data->messageId || strcmp(data->messageId, "conf-object-names") != 0) return XR_FALSE;
    s->calls++;
    s->object_count = data->objectCount;
    for (uint32_t i = 0; i < data->objectCount && i < 4; i++) {
        s->name_null[i] = data->objects[i].objectName == NULL;
        snprintf(s->names[i], sizeof(s->names[i]), "%s",
                 data->objects[i].objectName ? data->objects[i].objectName : "");
    }
    return XR_FALSE;
}

static void submit(conf *c, PFN_xrSubmitDebugUtilsMessageEXT fn, XrDebugUtilsObjectNameInfoEXT *objects,
                   uint32_t n)
{
    XrDebugUtilsMessengerCallbackDataEXT data = {.type = XR_TYPE_DEBUG_UTILS_MESSENGER_CALLBACK_DATA_EXT,
                                                 .messageId = "conf-object-names",
                                                 .functionName = "submit",
                                                 .message = "object names",
                                                 .objectCount = n,
                                                 .objects = objects};
    CONF_XR_EXPECT(c,
                   fn(c->instance, XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT,
                      XR_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT, &data),
                   XR_SUCCESS);
}

int main(void)
{
    conf c;
    conf_start(
        &c, "debug_utils_object_names",
        "XR_EXT_debug_utils, names set with xrSetDebugUtilsObjectNameEXT reach the messenger callback");
    const char *ext[] = {XR_EXT_DEBUG_UTILS_EXTENSION_NAME};
    seen s = {0};
    if (conf_instance(&c, &(conf_desc){.extensions = ext, .extension_count = 1}) && conf_session(&c)) {
        PFN_xrCreateDebugUtilsMessengerEXT mk =
            (PFN_xrCreateDebugUtilsMessengerEXT)conf_proc(&c, "xrCreateDebugUtilsMessengerEXT");
        PFN_xrDestroyDebugUtilsMessengerEXT rm =
            (PFN_xrDestroyDebugUtilsMessengerEXT)conf_proc(&c, "xrDestroyDebugUtilsMessengerEXT");
        PFN_xrSubmitDebugUtilsMessageEXT sub =
            (PFN_xrSubmitDebugUtilsMessageEXT)conf_proc(&c, "xrSubmitDebugUtilsMessageEXT");
        PFN_xrSetDebugUtilsObjectNameEXT name =
            (PFN_xrSetDebugUtilsObjectNameEXT)conf_proc(&c, "xrSetDebugUtilsObjectNameEXT");
        XrDebugUtilsMessengerEXT m = XR_NULL_HANDLE;
        XrDebugUtilsMessengerCreateInfoEXT mci = {.type = XR_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
                                                  .messageSeverities =
                                                      XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT,
                                                  .messageTypes = XR_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT,
                                                  .userCallback = on_message,
                                                  .userData = &s};
        if (mk && rm && sub && name && CONF_XR(&c, mk(c.instance, &mci, &m))) {
            XrDebugUtilsObjectNameInfoEXT inst_name = {.type = XR_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT,
                                                       .objectType = XR_OBJECT_TYPE_INSTANCE,
                                                       .objectHandle = (uint64_t)(uintptr_t)c.instance,
                                                       .objectName = "my instance"};
            XrDebugUtilsObjectNameInfoEXT sess_name = {.type = XR_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT,
                                                       .objectType = XR_OBJECT_TYPE_SESSION,
                                                       .objectHandle = (uint64_t)(uintptr_t)c.session,
                                                       .objectName = "my session"};
            CONF_XR(&c, name(c.instance, &inst_name));
            CONF_XR(&c, name(c.instance, &sess_name));

            /* instance: submitted with another name; session: submitted without one; space: never named,
             * submitted with a name of the submitter's. */
            XrDebugUtilsObjectNameInfoEXT objs[3] = {
                {.type = XR_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT,
                 .objectType = XR_OBJECT_TYPE_INSTANCE,
                 .objectHandle = (uint64_t)(uintptr_t)c.instance,
                 .objectName = "not my instance"},
                {.type = XR_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT,
                 .objectType = XR_OBJECT_TYPE_SESSION,
                 .objectHandle = (uint64_t)(uintptr_t)c.session},
                {.type = XR_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT,
                 .objectType = XR_OBJECT_TYPE_SPACE,
                 .objectHandle = (uint64_t)(uintptr_t)c.local,
                 .objectName = "submitted space"},
            };
            submit(&c, sub, objs, 3);
            if (CONF_CHECK(&c, s.calls == 1, "the callback ran %d times for one message, expected once",
                           s.calls) &&
                CONF_CHECK(&c, s.object_count == 3, "the callback got %u objects, expected 3",
                           s.object_count)) {
                CONF_CHECK(&c, strcmp(s.names[0], "my instance") == 0,
                           "instance: the callback got name \"%s\", expected the name set with "
                           "xrSetDebugUtilsObjectNameEXT, \"my instance\"",
                           s.names[0]);
                CONF_CHECK(
                    &c, !s.name_null[1] && strcmp(s.names[1], "my session") == 0,
                    "session (submitted without a name): the callback got %s%s%s, expected \"my session\"",
                    s.name_null[1] ? "NULL" : "\"", s.names[1], s.name_null[1] ? "" : "\"");
                CONF_CHECK(&c, strcmp(s.names[2], "submitted space") == 0,
                           "space (never named): the callback got \"%s\", expected the submitted \"submitted "
                           "space\"",
                           s.names[2]);
            }

            /* Renamed, then the session's name removed with an empty string. */
            inst_name.objectName = "renamed instance";
            CONF_XR(&c, name(c.instance, &inst_name));
            sess_name.objectName = "";
            CONF_XR(&c, name(c.instance, &sess_name));
            objs[0].objectName = NULL;
            submit(&c, sub, objs, 2);
            if (CONF_CHECK(&c, s.calls == 2, "the callback ran %d times for two messages", s.calls)) {
                CONF_CHECK(&c, strcmp(s.names[0], "renamed instance") == 0,
                           "instance after renaming: the callback got \"%s\", expected \"renamed instance\"",
                           s.names[0]);
                CONF_CHECK(
                    &c, s.name_null[1],
                    "session after its name was removed: the callback got \"%s\", expected no name (NULL)",
                    s.names[1]);
            }
            CONF_XR(&c, rm(m));
        }
    }
    return conf_finish(&c);
}
