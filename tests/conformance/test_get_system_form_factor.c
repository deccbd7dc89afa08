/* SPDX-License-Identifier: MIT */
/* xrGetSystem: a form factor the runtime does not support is XR_ERROR_FORM_FACTOR_UNSUPPORTED, one it
 * supports but cannot offer yet is XR_ERROR_FORM_FACTOR_UNAVAILABLE, and a later call may succeed. Spec:
 * OpenXR 1.0 and 1.1, xrspec.html#xrGetSystem ("If the form factor is supported but temporarily unavailable,
 * xrGetSystem must return XR_ERROR_FORM_FACTOR_UNAVAILABLE. A runtime may return XR_SUCCESS on a subsequent
 * call for a form factor it previously returned XR_ERROR_FORM_FACTOR_UNAVAILABLE."),
 * #fundamentals-return-codes
 * ("_UNSUPPORTED: The specified handle, atom, enumerant, or value is formatted correctly but cannot be used
 * for the lifetime of this function's parent handle") and #XrFormFactor. A value no specification defines
 * (XR_FORM_FACTOR_MAX_ENUM, as the OpenXR conformance suite uses) breaks the implicit valid usage of
 * #fundamentals-valid-usage-for-enumerated-types, but a runtime cannot tell it from a form factor of a newer
 * specification or an extension: the conformance suite requires XR_ERROR_FORM_FACTOR_UNSUPPORTED, not
 * XR_ERROR_VALIDATION_FAILURE. That part runs without the core validation layer, which rejects the value
 * itself. The UNAVAILABLE part uses the simulated headset's PARALLAX_SIM_CONNECT_DELAY_MS (the headset is
 * plugged in that long after xrCreateInstance); a runtime without that setting fails it by succeeding at
 * once. */
#include "conf.h"

#include <stdlib.h>

static XrResult get_system(XrInstance inst, XrFormFactor ff, XrSystemId *out)
{
    XrSystemGetInfo gi = {.type = XR_TYPE_SYSTEM_GET_INFO, .formFactor = ff};
    *out = XR_NULL_SYSTEM_ID;
    return xrGetSystem(inst, &gi, out);
}

int main(void)
{
    conf c;
    conf_start(&c, "get_system_form_factor",
               "xrGetSystem: unknown or unsupported form factor UNSUPPORTED, a headset not yet connected "
               "UNAVAILABLE");
    XrInstance first = XR_NULL_HANDLE;
    XrSystemId sys;
    if (conf_create_instance(&c,
                             &(conf_desc){.without_layer = true,
                                          .without_layer_reason =
                                              "the layer answers an undefined XrFormFactor value "
                                              "itself (XR_ERROR_VALIDATION_FAILURE)"},
                             &first)) {
        CONF_XR_EXPECT(&c, get_system(first, XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY, &sys), XR_SUCCESS);
        CONF_XR_EXPECT(&c, get_system(first, XR_FORM_FACTOR_HANDHELD_DISPLAY, &sys),
                       XR_ERROR_FORM_FACTOR_UNSUPPORTED);
        CONF_XR_EXPECT(&c, get_system(first, XR_FORM_FACTOR_MAX_ENUM, &sys),
                       XR_ERROR_FORM_FACTOR_UNSUPPORTED);
        CONF_XR_EXPECT(&c, get_system(first, (XrFormFactor)3, &sys), XR_ERROR_FORM_FACTOR_UNSUPPORTED);
        CONF_XR_EXPECT(&c, get_system(first, (XrFormFactor)0, &sys), XR_ERROR_FORM_FACTOR_UNSUPPORTED);
        xrDestroyInstance(first);
    }

    /* A headset plugged in 300 ms after the instance exists (the loader runs one instance at a time, so this
     * is a second one). */
    setenv("PARALLAX_SIM_CONNECT_DELAY_MS", "300", 1);
    int64_t created = conf_monotonic_ns();
    if (conf_create_instance(&c, NULL, &c.instance)) {
        CONF_XR_EXPECT(&c, get_system(c.instance, XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY, &sys),
                       XR_ERROR_FORM_FACTOR_UNAVAILABLE);
        CONF_XR_EXPECT(&c, get_system(c.instance, XR_FORM_FACTOR_HANDHELD_DISPLAY, &sys),
                       XR_ERROR_FORM_FACTOR_UNSUPPORTED);
        XrResult r = XR_ERROR_FORM_FACTOR_UNAVAILABLE;
        int64_t deadline = created + 5000000000LL;
        while (r == XR_ERROR_FORM_FACTOR_UNAVAILABLE && conf_monotonic_ns() < deadline) {
            nanosleep(&(struct timespec){.tv_nsec = 20000000}, NULL);
            r = get_system(c.instance, XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY, &c.system);
        }
        double waited_ms = (double)(conf_monotonic_ns() - created) / 1e6;
        if (CONF_XR_EXPECT(&c, r, XR_SUCCESS)) {
            CONF_CHECK(&c, waited_ms >= 300.0,
                       "the headset was available %.0f ms after xrCreateInstance, before 300", waited_ms);
            printf("  available after %.0f ms of polling\n", waited_ms);
            /* The system now works as any other. */
            if (conf_session(&c) && conf_begin(&c)) {
                conf_frames(&c, 2);
                conf_end(&c);
            }
        }
    }
    unsetenv("PARALLAX_SIM_CONNECT_DELAY_MS");
    return conf_finish(&c);
}
