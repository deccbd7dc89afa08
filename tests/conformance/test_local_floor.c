/* SPDX-License-Identifier: MIT */
/* The LOCAL_FLOOR reference space (core in OpenXR 1.1, XR_EXT_local_floor in 1.0). Spec: OpenXR 1.1,
 * xrspec.html#spaces-reference-spaces-local-floor ("XR_REFERENCE_SPACE_TYPE_LOCAL_FLOOR [...] has the same x,
 * z and orientation as LOCAL, with its y origin on the floor [...] When a runtime supports STAGE, the y
 * origin of LOCAL_FLOOR must match the floor level of STAGE") and the XR_EXT_local_floor appendix;
 * #xrCreateReferenceSpace (a type that is not supported is XR_ERROR_REFERENCE_SPACE_UNSUPPORTED, which a 1.0
 * instance without the extension gets). Runs as a 1.0 application through the system loader without the core
 * validation layer: Debian's 1.0.20 layer predates the enum and refuses it itself. */
#include "conf.h"

#include <math.h>

static bool enumerated(conf *c, XrSession s, XrReferenceSpaceType t)
{
    XrReferenceSpaceType types[16];
    uint32_t n = 0;
    CONF_XR(c, xrEnumerateReferenceSpaces(s, 16, &n, types));
    for (uint32_t i = 0; i < n; i++)
        if (types[i] == t) return true;
    return false;
}

int main(void)
{
    conf c;
    conf_start(&c, "local_floor",
               "LOCAL_FLOOR: LOCAL's x, z and orientation, y at STAGE's floor; only with 1.1 or "
               "XR_EXT_local_floor");
    static const char reason[] = "Debian's 1.0.20 layer predates LOCAL_FLOOR and refuses the enum itself";
    XrReferenceSpaceCreateInfo rci = {.type = XR_TYPE_REFERENCE_SPACE_CREATE_INFO,
                                      .referenceSpaceType = XR_REFERENCE_SPACE_TYPE_LOCAL_FLOOR,
                                      .poseInReferenceSpace = {.orientation = {0, 0, 0, 1}}};
    /* Without the extension (a 1.0 instance): not there. */
    if (conf_instance(&c, &(conf_desc){.without_layer = true, .without_layer_reason = reason}) &&
        conf_session(&c)) {
        CONF_CHECK(&c, !enumerated(&c, c.session, XR_REFERENCE_SPACE_TYPE_LOCAL_FLOOR),
                   "LOCAL_FLOOR enumerated for a 1.0 instance without XR_EXT_local_floor");
        XrSpace s = XR_NULL_HANDLE;
        CONF_XR_EXPECT(&c, xrCreateReferenceSpace(c.session, &rci, &s), XR_ERROR_REFERENCE_SPACE_UNSUPPORTED);
        xrDestroySession(c.session);
        c.session = XR_NULL_HANDLE;
        xrDestroySpace(c.local);
        c.local = XR_NULL_HANDLE;
    }
    /* With it: on a second instance (the loader has one at a time), with a harness state of its own. */
    int first = conf_finish(&c);
    conf c2;
    conf_start(&c2, "local_floor_ext", "the same with XR_EXT_local_floor enabled");
    const char *ext[] = {XR_EXT_LOCAL_FLOOR_EXTENSION_NAME};
    if (conf_instance(&c2, &(conf_desc){.extensions = ext,
                                        .extension_count = 1,
                                        .without_layer = true,
                                        .without_layer_reason = reason}) &&
        conf_session(&c2) && conf_begin(&c2)) {
        conf_frames(&c2, 3);
        CONF_CHECK(&c2, enumerated(&c2, c2.session, XR_REFERENCE_SPACE_TYPE_LOCAL_FLOOR),
                   "LOCAL_FLOOR not enumerated with XR_EXT_local_floor");
        XrSpace floor_space = XR_NULL_HANDLE, stage = XR_NULL_HANDLE;
        if (CONF_XR(&c2, xrCreateReferenceSpace(c2.session, &rci, &floor_space))) {
            rci.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_STAGE;
            CONF_XR(&c2, xrCreateReferenceSpace(c2.session, &rci, &stage));
            XrTime t = c2.last_frame.predictedDisplayTime;
            XrSpaceLocation in_local = {.type = XR_TYPE_SPACE_LOCATION},
                            floor_in_stage = {.type = XR_TYPE_SPACE_LOCATION};
            CONF_XR(&c2, xrLocateSpace(floor_space, c2.local, t, &in_local));
            CONF_XR(&c2, xrLocateSpace(floor_space, stage, t, &floor_in_stage));
            const XrPosef *p = &in_local.pose;
            CONF_CHECK(&c2,
                       fabsf(p->position.x) < 1e-5f && fabsf(p->position.z) < 1e-5f &&
                           fabsf(p->orientation.w) > 1.0f - 1e-6f,
                       "LOCAL_FLOOR's x, z or orientation differ from LOCAL's");
            CONF_CHECK(&c2, p->position.y < -0.5f, "LOCAL_FLOOR is not below LOCAL (y %.3f)",
                       (double)p->position.y);
            CONF_CHECK(&c2, fabsf(floor_in_stage.pose.position.y) < 1e-5f,
                       "LOCAL_FLOOR's floor is %.3f m off STAGE's", (double)floor_in_stage.pose.position.y);
            printf("  LOCAL_FLOOR origin in LOCAL: y %.3f m; height above STAGE's floor %.3f m\n",
                   (double)p->position.y, (double)floor_in_stage.pose.position.y);
        }
        xrDestroySpace(floor_space);
        xrDestroySpace(stage);
        conf_end(&c2);
    }
    return conf_finish(&c2) | first;
}
