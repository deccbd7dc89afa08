/* SPDX-License-Identifier: MIT */
/* plx_get_openxr_info and the desc's extra OpenXR extensions (issue 8 §2), on the simulated headset with both
 * validation layers on:
 *  - a required extension the simulated headset offers (XR_EXT_hand_tracking) is enabled, and the handles
 *    plx_get_openxr_info gives are usable: xrCreateHandTrackerEXT, found through its get_instance_proc_addr,
 *    makes a hand tracker on its session, which locates joints in its reference space;
 *  - an optional one it offers (XR_KHR_visibility_mask) is reported enabled, one it does not offer is not;
 *  - a required one it does not offer fails plx_context_create with PLX_ERROR_UNSUPPORTED naming it;
 *  - bad names are refused naming the desc field;
 *  - after a session loss and an instance loss (PARALLAX_SIM_FAULTS), plx_poll reports the restart, the
 *    generations move on and the new handles (with the extension enabled again) work. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parallax/parallax.h"
#include "parallax/parallax_openxr.h"

static const char *const hand_ext[] = {"XR_EXT_hand_tracking"};
static const char *const optional_exts[] = {"XR_KHR_visibility_mask", "XR_PLX_not_offered_anywhere"};

static plx_context *make_context(const char *faults)
{
    setenv("PARALLAX_SIM_EYE_SIZE", "32x32", 1);
    if (faults)
        setenv("PARALLAX_SIM_FAULTS", faults, 1);
    else
        unsetenv("PARALLAX_SIM_FAULTS");
    plx_context_desc d = {
        .app_name = "test_openxr_info",
        .validation = true,
        .eye_width = 32,
        .eye_height = 32,
        .xr_extensions = hand_ext,
        .xr_extension_count = 1,
        .xr_optional_extensions = optional_exts,
        .xr_optional_extension_count = 2,
    };
    plx_context *ctx = NULL;
    plx_result r = plx_context_create(&d, &ctx);
    if (r != PLX_SUCCESS) fail_msg("plx_context_create: %s", plx_last_error(NULL));
    return ctx;
}

static bool listed(const plx_openxr_info *info, const char *name)
{
    for (uint32_t i = 0; i < info->enabled_extension_count; i++) {
        if (strcmp(info->enabled_extensions[i], name) == 0) return true;
    }
    return false;
}

static void print_info(const char *when, const plx_openxr_info *info)
{
    printf("%s: instance %p system %llu session %p space %p view_space %p api %u.%u.%u runtime %u.%u.%u "
           "max_layer_count %u generations session %u instance %u\n  enabled:",
           when, (void *)info->instance, (unsigned long long)info->system_id, (void *)info->session,
           (void *)info->space, (void *)info->view_space, (unsigned)XR_VERSION_MAJOR(info->api_version),
           (unsigned)XR_VERSION_MINOR(info->api_version), (unsigned)XR_VERSION_PATCH(info->api_version),
           (unsigned)XR_VERSION_MAJOR(info->runtime_version),
           (unsigned)XR_VERSION_MINOR(info->runtime_version),
           (unsigned)XR_VERSION_PATCH(info->runtime_version), info->max_layer_count, info->session_generation,
           info->instance_generation);
    for (uint32_t i = 0; i < info->enabled_extension_count; i++) printf(" %s", info->enabled_extensions[i]);
    printf("\n");
}

/* The app's own OpenXR work on the handles: a hand tracker made through the info's xrGetInstanceProcAddr on
 * its session, locating joints in its reference space at a time of the session. */
static void use_hand_tracking(const plx_openxr_info *info, XrTime time)
{
    PFN_xrCreateHandTrackerEXT create = NULL;
    PFN_xrDestroyHandTrackerEXT destroy = NULL;
    PFN_xrLocateHandJointsEXT locate = NULL;
    assert_int_equal(
        info->get_instance_proc_addr(info->instance, "xrCreateHandTrackerEXT", (PFN_xrVoidFunction *)&create),
        XR_SUCCESS);
    assert_int_equal(info->get_instance_proc_addr(info->instance, "xrDestroyHandTrackerEXT",
                                                  (PFN_xrVoidFunction *)&destroy),
                     XR_SUCCESS);
    assert_int_equal(
        info->get_instance_proc_addr(info->instance, "xrLocateHandJointsEXT", (PFN_xrVoidFunction *)&locate),
        XR_SUCCESS);
    XrHandTrackerCreateInfoEXT ci = {
        .type = XR_TYPE_HAND_TRACKER_CREATE_INFO_EXT,
        .hand = XR_HAND_RIGHT_EXT,
        .handJointSet = XR_HAND_JOINT_SET_DEFAULT_EXT,
    };
    XrHandTrackerEXT tracker = XR_NULL_HANDLE;
    assert_int_equal(create(info->session, &ci, &tracker), XR_SUCCESS);
    XrHandJointLocationEXT joints[XR_HAND_JOINT_COUNT_EXT];
    XrHandJointLocationsEXT locs = {.type = XR_TYPE_HAND_JOINT_LOCATIONS_EXT,
                                    .jointCount = XR_HAND_JOINT_COUNT_EXT,
                                    .jointLocations = joints};
    XrHandJointsLocateInfoEXT li = {
        .type = XR_TYPE_HAND_JOINTS_LOCATE_INFO_EXT, .baseSpace = info->space, .time = time};
    XrResult r = locate(tracker, &li, &locs);
    printf("xrLocateHandJointsEXT on the info's session and space: %d (isActive %d)\n", (int)r,
           (int)locs.isActive);
    assert_int_equal(r, XR_SUCCESS);
    assert_int_equal(destroy(tracker), XR_SUCCESS);
}

/* Frames until n have ended; returns the last display time. Records what plx_poll said about restarts. */
static int64_t run_frames(plx_context *ctx, int n, int *session_restarts, int *instance_restarts)
{
    int64_t t = 0;
    for (int i = 0, guard = 0; i < n && guard < 20000; guard++) {
        plx_events ev;
        plx_poll(ctx, &ev);
        assert_false(ev.should_quit);
        if (ev.session_restarted && session_restarts) ++*session_restarts;
        if (ev.instance_restarted && instance_restarts) ++*instance_restarts;
        plx_frame f;
        if (plx_frame_wait(ctx, &f) != PLX_SUCCESS) continue;
        plx_result r = plx_frame_begin(ctx, &f);
        if (r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED) {
            if (plx_frame_end(ctx, &f) == PLX_SUCCESS) i++;
        }
        t = f.predicted_display_time;
    }
    return t;
}

static void finish(plx_context **ctx)
{
    plx_request_exit(*ctx);
    for (int i = 0; i < 2000; i++) {
        plx_events ev;
        plx_poll(*ctx, &ev);
        if (ev.should_quit) break;
        plx_frame f;
        if (plx_frame_wait(*ctx, &f) != PLX_SUCCESS) continue;
        plx_result r = plx_frame_begin(*ctx, &f);
        if (r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED) plx_frame_end(*ctx, &f);
    }
    uint32_t msgs = plx_validation_message_count(*ctx);
    plx_context_destroy(ctx);
    assert_int_equal(msgs, 0);
}

static void required_and_optional_extensions_are_enabled_and_handles_work(void **state)
{
    (void)state;
    plx_context *ctx = make_context(NULL);
    plx_openxr_info info;
    assert_int_equal(plx_get_openxr_info(ctx, &info), PLX_SUCCESS);
    print_info("after plx_context_create", &info);
    assert_true(info.instance != XR_NULL_HANDLE && info.session != XR_NULL_HANDLE);
    assert_true(info.space != XR_NULL_HANDLE && info.view_space != XR_NULL_HANDLE);
    assert_true(info.system_id != XR_NULL_SYSTEM_ID);
    assert_non_null(info.get_instance_proc_addr);
    assert_int_equal(XR_VERSION_MAJOR(info.api_version), 1);
    assert_true(info.max_layer_count >= XR_MIN_COMPOSITION_LAYERS_SUPPORTED);
    assert_int_equal(info.session_generation, 1);
    assert_int_equal(info.instance_generation, 1);
    assert_true(listed(&info, "XR_KHR_vulkan_enable2"));
    assert_true(listed(&info, "XR_EXT_hand_tracking"));
    assert_true(listed(&info, "XR_KHR_visibility_mask"));
    assert_false(listed(&info, "XR_PLX_not_offered_anywhere"));
    assert_true(plx_openxr_extension_enabled(ctx, "XR_EXT_hand_tracking"));
    assert_true(plx_openxr_extension_enabled(ctx, "XR_KHR_visibility_mask"));
    assert_false(plx_openxr_extension_enabled(ctx, "XR_PLX_not_offered_anywhere"));
    assert_false(plx_openxr_extension_enabled(ctx, NULL));
    /* The reference space is the one the library's views are in: LOCAL by default. */
    XrSpaceLocation loc = {.type = XR_TYPE_SPACE_LOCATION};
    int64_t t = run_frames(ctx, 5, NULL, NULL);
    assert_int_equal(xrLocateSpace(info.view_space, info.space, t, &loc), XR_SUCCESS);
    assert_true(loc.locationFlags & XR_SPACE_LOCATION_ORIENTATION_VALID_BIT);
    use_hand_tracking(&info, t);
    /* The NULL-argument errors. */
    assert_int_equal(plx_get_openxr_info(ctx, NULL), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_get_openxr_info(NULL, &info), PLX_ERROR_INVALID_ARGUMENT);
    finish(&ctx);
}

static void a_required_extension_not_offered_fails_naming_it(void **state)
{
    (void)state;
    static const char *const exts[] = {"XR_EXT_hand_tracking", "XR_PLX_not_offered_anywhere"};
    plx_context_desc d = {.app_name = "test_openxr_info", .xr_extensions = exts, .xr_extension_count = 2};
    plx_context *ctx = NULL;
    assert_int_equal(plx_context_create(&d, &ctx), PLX_ERROR_UNSUPPORTED);
    assert_null(ctx);
    const char *err = plx_last_error(NULL);
    printf("missing required extension: %s\n", err);
    assert_non_null(strstr(err, "XR_PLX_not_offered_anywhere"));
    assert_non_null(strstr(err, "xr_extensions"));
}

static void bad_extension_names_are_refused(void **state)
{
    (void)state;
    static const char *const with_null[] = {"XR_EXT_hand_tracking", NULL};
    plx_context *ctx = NULL;
    plx_context_desc d = {.xr_optional_extensions = with_null, .xr_optional_extension_count = 2};
    assert_int_equal(plx_context_create(&d, &ctx), PLX_ERROR_INVALID_ARGUMENT);
    printf("NULL name: %s\n", plx_last_error(NULL));
    assert_non_null(strstr(plx_last_error(NULL), "xr_optional_extensions[1]"));
    d = (plx_context_desc){.xr_extension_count = 1};
    assert_int_equal(plx_context_create(&d, &ctx), PLX_ERROR_INVALID_ARGUMENT);
    printf("NULL array: %s\n", plx_last_error(NULL));
    assert_non_null(strstr(plx_last_error(NULL), "xr_extensions"));
    char longname[200];
    memset(longname, 'X', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    const char *const too_long[] = {longname};
    d = (plx_context_desc){.xr_extensions = too_long, .xr_extension_count = 1};
    assert_int_equal(plx_context_create(&d, &ctx), PLX_ERROR_INVALID_ARGUMENT);
    printf("long name: %s\n", plx_last_error(NULL));
    assert_null(ctx);
}

static void recovery_changes_the_handles_and_says_so(void **state)
{
    (void)state;
    plx_context *ctx = make_context("session_loss@frame=10; instance_loss@frame=40");
    plx_openxr_info before, after_session, after_instance;
    assert_int_equal(plx_get_openxr_info(ctx, &before), PLX_SUCCESS);
    int session_restarts = 0, instance_restarts = 0;
    int64_t t = 0;
    for (int i = 0; i < 400 && session_restarts == 0; i++) t = run_frames(ctx, 1, &session_restarts, NULL);
    assert_int_equal(session_restarts, 1);
    assert_int_equal(plx_get_openxr_info(ctx, &after_session), PLX_SUCCESS);
    print_info("after session_restarted", &after_session);
    assert_int_equal(after_session.session_generation, 2);
    assert_int_equal(after_session.instance_generation, 1);
    assert_true(after_session.instance == before.instance);
    assert_true(after_session.session != XR_NULL_HANDLE);
    t = run_frames(ctx, 2, &session_restarts, &instance_restarts);
    use_hand_tracking(&after_session, t);
    /* An instance loss: instance_restarted (with session_restarted), everything new, the extension again. */
    for (int i = 0; i < 2000 && instance_restarts == 0; i++)
        t = run_frames(ctx, 1, &session_restarts, &instance_restarts);
    assert_int_equal(instance_restarts, 1);
    assert_int_equal(session_restarts, 2);
    assert_int_equal(plx_get_openxr_info(ctx, &after_instance), PLX_SUCCESS);
    print_info("after instance_restarted", &after_instance);
    assert_int_equal(after_instance.session_generation, 3);
    assert_int_equal(after_instance.instance_generation, 2);
    assert_true(listed(&after_instance, "XR_EXT_hand_tracking"));
    assert_true(plx_openxr_extension_enabled(ctx, "XR_EXT_hand_tracking"));
    t = run_frames(ctx, 2, NULL, NULL);
    use_hand_tracking(&after_instance, t);
    finish(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(required_and_optional_extensions_are_enabled_and_handles_work),
        cmocka_unit_test(a_required_extension_not_offered_fails_naming_it),
        cmocka_unit_test(bad_extension_names_are_refused),
        cmocka_unit_test(recovery_changes_the_handles_and_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
