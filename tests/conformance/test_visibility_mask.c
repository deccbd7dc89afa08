/* SPDX-License-Identifier: MIT */
/* XR_KHR_visibility_mask: the hidden mesh, the visible mesh and the line loop of each view, in the two-call
 * idiom, consistent with each other and with the view's field of view, and
 * XrEventDataVisibilityMaskChangedKHR, one per view, when the mask changes. Spec: OpenXR 1.0 and 1.1,
 * xrspec.html#XR_KHR_visibility_mask: #XrVisibilityMaskTypeKHR (triangle meshes: index count a multiple of
 * three, triangles counter-clockwise as the user sees them; the line loop: counter-clockwise, contiguous, not
 * self-crossing, the border between the hidden and the visible meshes, one index per vertex),
 * #XrVisibilityMaskKHR (vertices in the z = -1 plane of the view), #xrGetVisibilityMaskKHR ("if either
 * vertexCapacityInput or indexCapacityInput is 0, the runtime must respond as if both fields were set to 0";
 * the two-call idiom of #fundamentals-buffer-size-parameters: XR_ERROR_SIZE_INSUFFICIENT when a capacity is
 * too small), #XrEventDataVisibilityMaskChangedKHR ("per-view, so if the masks for multiple views in a
 * configuration change then multiple instances of this event will be queued"), and #fundamentals-extensions
 * (a function of an extension that is not enabled is not available). The simulated headset's lens changes
 * with PARALLAX_SIM_INPUT's head.lens; the extension is new, so the test fails at xrCreateInstance on a
 * runtime without it. */
#include "conf.h"

#include <math.h>
#include <stdlib.h>

typedef struct mask {
    uint32_t nv, ni;
    XrVector2f v[1024];
    uint32_t i[4096];
} mask;

static double cross(XrVector2f o, XrVector2f a, XrVector2f b)
{
    return (double)(a.x - o.x) * (b.y - o.y) - (double)(a.y - o.y) * (b.x - o.x);
}

static bool get_mask(conf *c, PFN_xrGetVisibilityMaskKHR fn, uint32_t view, XrVisibilityMaskTypeKHR type,
                     mask *m)
{
    XrVisibilityMaskKHR vm = {.type = XR_TYPE_VISIBILITY_MASK_KHR};
    if (!CONF_XR_EXPECT(c, fn(c->session, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, view, type, &vm),
                        XR_SUCCESS))
        return false;
    m->nv = vm.vertexCountOutput;
    m->ni = vm.indexCountOutput;
    if (!CONF_CHECK(c, m->nv > 0 && m->ni > 0 && m->nv <= 1024 && m->ni <= 4096,
                    "view %u type %d: %u vertices, %u indices (expected a mask of a sensible size)", view,
                    (int)type, m->nv, m->ni))
        return false;
    /* Only one capacity 0: "as if both were 0" -- counts, nothing written. */
    vm = (XrVisibilityMaskKHR){
        .type = XR_TYPE_VISIBILITY_MASK_KHR, .vertexCapacityInput = m->nv, .vertices = m->v};
    m->v[0] = (XrVector2f){-99.0f, -99.0f};
    CONF_XR_EXPECT(c, fn(c->session, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, view, type, &vm), XR_SUCCESS);
    CONF_CHECK(c, vm.vertexCountOutput == m->nv && vm.indexCountOutput == m->ni && m->v[0].x == -99.0f,
               "view %u type %d: indexCapacityInput 0 must answer the counts only (got %u/%u, vertices %s)",
               view, (int)type, vm.vertexCountOutput, vm.indexCountOutput,
               m->v[0].x == -99.0f ? "untouched" : "written");
    /* Too small. */
    vm = (XrVisibilityMaskKHR){.type = XR_TYPE_VISIBILITY_MASK_KHR,
                               .vertexCapacityInput = m->nv - 1 ? m->nv - 1 : 1,
                               .vertices = m->v,
                               .indexCapacityInput = m->ni,
                               .indices = m->i};
    if (m->nv > 1)
        CONF_XR_EXPECT(c, fn(c->session, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, view, type, &vm),
                       XR_ERROR_SIZE_INSUFFICIENT);
    /* Enough. */
    vm = (XrVisibilityMaskKHR){.type = XR_TYPE_VISIBILITY_MASK_KHR,
                               .vertexCapacityInput = m->nv,
                               .vertices = m->v,
                               .indexCapacityInput = m->ni,
                               .indices = m->i};
    return CONF_XR_EXPECT(c, fn(c->session, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, view, type, &vm),
                          XR_SUCCESS) &&
           CONF_CHECK(c, vm.vertexCountOutput == m->nv && vm.indexCountOutput == m->ni,
                      "view %u type %d: the filling call reported %u/%u, the counting call %u/%u", view,
                      (int)type, vm.vertexCountOutput, vm.indexCountOutput, m->nv, m->ni);
}

/* Checks one triangle mesh; returns its area (negative on a failure). */
static double mesh_area(conf *c, const mask *m, uint32_t view, const char *what)
{
    if (!CONF_CHECK(c, m->ni % 3 == 0, "view %u %s mesh: %u indices, not a multiple of 3", view, what, m->ni))
        return -1;
    double area = 0;
    int bad = 0;
    for (uint32_t k = 0; k < m->ni; k += 3) {
        if (m->i[k] >= m->nv || m->i[k + 1] >= m->nv || m->i[k + 2] >= m->nv) {
            CONF_FAIL(c, "view %u %s mesh: triangle %u has an index beyond the %u vertices", view, what,
                      k / 3, m->nv);
            return -1;
        }
        double a = 0.5 * cross(m->v[m->i[k]], m->v[m->i[k + 1]], m->v[m->i[k + 2]]);
        if (a < 0 && bad++ < 3)
            CONF_FAIL(c, "view %u %s mesh: triangle %u is clockwise (signed area %g)", view, what, k / 3, a);
        area += a;
    }
    return bad ? -1 : area;
}

int main(void)
{
    conf c;
    conf_start(&c, "visibility_mask",
               "XR_KHR_visibility_mask: meshes, line loop, two-call idiom, change event");
    /* Advertised. (Whether its function resolves without it enabled is the loader's answer, not the
     * runtime's: Debian's loader hands out its trampoline either way.) */
    CONF_CHECK(&c, conf_extension_listed(XR_KHR_VISIBILITY_MASK_EXTENSION_NAME),
               "xrEnumerateInstanceExtensionProperties does not list %s",
               XR_KHR_VISIBILITY_MASK_EXTENSION_NAME);
    setenv("PARALLAX_SIM_INPUT", "head.lens=1.0@0.25", 1);
    const char *ext[] = {XR_KHR_VISIBILITY_MASK_EXTENSION_NAME};
    if (conf_instance(&c, &(conf_desc){.extensions = ext, .extension_count = 1}) && conf_session(&c) &&
        conf_begin(&c)) {
        PFN_xrGetVisibilityMaskKHR get = (PFN_xrGetVisibilityMaskKHR)conf_proc(&c, "xrGetVisibilityMaskKHR");
        conf_frames(&c, 2);
        /* The views' fov: the masks live inside tan(angle) of it. */
        XrViewLocateInfo li = {.type = XR_TYPE_VIEW_LOCATE_INFO,
                               .viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                               .displayTime = c.last_frame.predictedDisplayTime,
                               .space = c.local};
        XrViewState vs = {.type = XR_TYPE_VIEW_STATE};
        XrView views[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
        uint32_t nv = 0;
        CONF_XR(&c, xrLocateViews(c.session, &li, &vs, 2, &nv, views));
        static mask hidden, visible, loop;
        double visible_before[2] = {0, 0};
        for (uint32_t v = 0; get && v < 2; v++) {
            if (!get_mask(&c, get, v, XR_VISIBILITY_MASK_TYPE_HIDDEN_TRIANGLE_MESH_KHR, &hidden) ||
                !get_mask(&c, get, v, XR_VISIBILITY_MASK_TYPE_VISIBLE_TRIANGLE_MESH_KHR, &visible) ||
                !get_mask(&c, get, v, XR_VISIBILITY_MASK_TYPE_LINE_LOOP_KHR, &loop))
                continue;
            double l = tan(views[v].fov.angleLeft), r = tan(views[v].fov.angleRight);
            double d = tan(views[v].fov.angleDown), u = tan(views[v].fov.angleUp);
            double view_area = (r - l) * (u - d);
            double ah = mesh_area(&c, &hidden, v, "hidden"), av = mesh_area(&c, &visible, v, "visible");
            /* The loop: one index per vertex, counter-clockwise around the view axis, inside the view. */
            CONF_CHECK(&c, loop.ni == loop.nv, "view %u line loop: %u indices for %u vertices", v, loop.ni,
                       loop.nv);
            double enclosed = 0;
            int bad = 0;
            XrVector2f origin = {0, 0};
            for (uint32_t k = 0; k < loop.ni && loop.ni == loop.nv; k++) {
                XrVector2f a = loop.v[loop.i[k]], b = loop.v[loop.i[(k + 1) % loop.ni]];
                enclosed += 0.5 * cross(origin, a, b);
                if (cross(origin, a, b) < 0 && bad++ < 3)
                    CONF_FAIL(&c, "view %u line loop: segment %u turns clockwise around the view axis", v, k);
                if ((a.x < l - 1e-4 || a.x > r + 1e-4 || a.y < d - 1e-4 || a.y > u + 1e-4) && bad++ < 3)
                    CONF_FAIL(&c,
                              "view %u line loop: vertex (%g, %g) lies outside the view [%g, %g] x [%g, %g]",
                              v, a.x, a.y, l, r, d, u);
            }
            printf("  view %u: view %.4f, hidden %.4f (%u triangles), visible %.4f (%u triangles), loop "
                   "encloses "
                   "%.4f (%u points)\n",
                   v, view_area, ah, hidden.ni / 3, av, visible.ni / 3, enclosed, loop.nv);
            if (ah >= 0 && av >= 0) {
                CONF_CHECK(&c, fabs(ah + av - view_area) < 1e-3 * view_area,
                           "view %u: hidden %.5f + visible %.5f != the view's %.5f in the z = -1 plane", v,
                           ah, av, view_area);
                CONF_CHECK(&c, fabs(av - enclosed) < 1e-3 * view_area,
                           "view %u: the visible mesh (%.5f) is not what the line loop encloses (%.5f)", v,
                           av, enclosed);
                CONF_CHECK(&c, ah > 0.01 * view_area, "view %u: the lens hides nothing (hidden area %.5f)", v,
                           ah);
            }
            visible_before[v] = av;
        }
        if (get) {
            XrVisibilityMaskKHR vm = {.type = XR_TYPE_VISIBILITY_MASK_KHR};
            CONF_XR_EXPECT(&c,
                           get(c.session, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_MONO, 0,
                               XR_VISIBILITY_MASK_TYPE_LINE_LOOP_KHR, &vm),
                           XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED);
        }
        /* The lens changes 0.25 s after xrBeginSession: one event per view, and a smaller visible area. */
        int events[2] = {0, 0};
        int64_t deadline = conf_monotonic_ns() + 2000000000LL;
        for (int seen = 0; (events[0] == 0 || events[1] == 0) && conf_monotonic_ns() < deadline;) {
            if (!conf_frame(&c)) break;
            for (; seen < c.event_count && seen < 256; seen++) {
                const XrEventDataBuffer *ev = &c.event_log[seen];
                if (ev->type != XR_TYPE_EVENT_DATA_VISIBILITY_MASK_CHANGED_KHR) continue;
                const XrEventDataVisibilityMaskChangedKHR *e = (const void *)ev;
                CONF_CHECK(&c, e->session == c.session, "the mask change names another session");
                CONF_CHECK(&c, e->viewConfigurationType == XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                           "the mask change names view configuration %d", (int)e->viewConfigurationType);
                if (CONF_CHECK(&c, e->viewIndex < 2, "the mask change names view %u", e->viewIndex))
                    events[e->viewIndex]++;
            }
        }
        CONF_CHECK(&c, events[0] == 1 && events[1] == 1,
                   "after the lens changed: %d events for view 0, %d for view 1 (expected one each)",
                   events[0], events[1]);
        for (uint32_t v = 0; get && v < 2; v++)
            if (get_mask(&c, get, v, XR_VISIBILITY_MASK_TYPE_VISIBLE_TRIANGLE_MESH_KHR, &visible)) {
                double av = mesh_area(&c, &visible, v, "visible");
                CONF_CHECK(&c, av > 0 && av < visible_before[v] - 1e-3,
                           "view %u: the visible area is %.4f after the lens narrowed, %.4f before", v, av,
                           visible_before[v]);
            }
        conf_end(&c);
    }
    unsetenv("PARALLAX_SIM_INPUT");
    return conf_finish(&c);
}
