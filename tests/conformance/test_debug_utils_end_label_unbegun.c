/* SPDX-License-Identifier: MIT */
/* XR_EXT_debug_utils: ending a session label region that was never begun succeeds.
 * Spec: OpenXR 1.0 and 1.1, XR_EXT_debug_utils, xrspec.html#xrSessionEndDebugUtilsLabelRegionEXT, and
 * "Validation" under xrspec.html#fundamentals-return-codes ("Runtimes may choose to validate some API
 * usage"). The function's Valid Usage asks the application to call it only after a matching begin, but the
 * loader, which implements this extension when a runtime does not, returns XR_SUCCESS for an unmatched end,
 * and the conformance suite requires the same of a runtime: an app (or an engine that ends a region from an
 * error path) must not get an error from the runtime here. The label stack must also stay usable afterwards:
 * a region begun after the unmatched end is ended normally. Runs without the core validation layer: Debian's
 * layer (1.0.20) deadlocks in every xrSessionEndDebugUtilsLabelRegionEXT
 * (CoreValidationXrSessionEndDebugUtilsLabelRegionEXT holds its session-table mutex, g_session_info, and
 * GenValidUsageNextXrSessionEndDebugUtilsLabelRegionEXT locks it again), whatever the runtime does. */
#include "conf.h"

int main(void)
{
    conf c;
    conf_start(
        &c, "debug_utils_end_label_unbegun",
        "XR_EXT_debug_utils, xrSessionEndDebugUtilsLabelRegionEXT without a begun region returns XR_SUCCESS");
    const char *ext[] = {XR_EXT_DEBUG_UTILS_EXTENSION_NAME};
    if (conf_instance(&c, &(conf_desc){.extensions = ext,
                                       .extension_count = 1,
                                       .without_layer = true,
                                       .without_layer_reason = "the 1.0.20 layer deadlocks in "
                                                               "xrSessionEndDebugUtilsLabelRegionEXT"}) &&
        conf_session(&c)) {
        PFN_xrSessionBeginDebugUtilsLabelRegionEXT begin =
            (PFN_xrSessionBeginDebugUtilsLabelRegionEXT)conf_proc(&c,
                                                                  "xrSessionBeginDebugUtilsLabelRegionEXT");
        PFN_xrSessionEndDebugUtilsLabelRegionEXT end =
            (PFN_xrSessionEndDebugUtilsLabelRegionEXT)conf_proc(&c, "xrSessionEndDebugUtilsLabelRegionEXT");
        PFN_xrSessionInsertDebugUtilsLabelEXT insert =
            (PFN_xrSessionInsertDebugUtilsLabelEXT)conf_proc(&c, "xrSessionInsertDebugUtilsLabelEXT");
        if (begin && end && insert) {
            /* Never begun, on a fresh session. */
            CONF_XR_EXPECT(&c, end(c.session), XR_SUCCESS);
            /* Twice more than begun. */
            XrDebugUtilsLabelEXT label = {.type = XR_TYPE_DEBUG_UTILS_LABEL_EXT, .labelName = "region"};
            CONF_XR_EXPECT(&c, begin(c.session, &label), XR_SUCCESS);
            CONF_XR_EXPECT(&c, end(c.session), XR_SUCCESS);
            CONF_XR_EXPECT(&c, end(c.session), XR_SUCCESS);
            /* Only an inserted label (not a region) is open: ending removes it, which is still no error. */
            XrDebugUtilsLabelEXT single = {.type = XR_TYPE_DEBUG_UTILS_LABEL_EXT, .labelName = "single"};
            CONF_XR_EXPECT(&c, insert(c.session, &single), XR_SUCCESS);
            CONF_XR_EXPECT(&c, end(c.session), XR_SUCCESS);
            /* The stack still works. */
            CONF_XR_EXPECT(&c, begin(c.session, &label), XR_SUCCESS);
            CONF_XR_EXPECT(&c, end(c.session), XR_SUCCESS);
        }
    }
    return conf_finish(&c);
}
