/* SPDX-License-Identifier: MIT */
/* The version has one source, project(parallax VERSION x.y.z): the generated header's macros, plx_version()
 * of the library and the simulated headset's runtimeVersion must all equal it (PLX_PROJECT_VERSION_* are
 * passed by tests/version/CMakeLists.txt straight from the project's version).
 *   test_version            header vs library vs project (no GPU, no runtime)
 *   test_version --runtime  also the runtimeVersion the simulated headset reports through the OpenXR loader
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <openxr/openxr.h>
#include <parallax/parallax.h>

static void header_macros_are_the_project_version(void **state)
{
    (void)state;
    assert_int_equal(PLX_VERSION_MAJOR, PLX_PROJECT_VERSION_MAJOR);
    assert_int_equal(PLX_VERSION_MINOR, PLX_PROJECT_VERSION_MINOR);
    assert_int_equal(PLX_VERSION_PATCH, PLX_PROJECT_VERSION_PATCH);
    assert_int_equal(PLX_VERSION, PLX_PROJECT_VERSION_MAJOR * 10000 + PLX_PROJECT_VERSION_MINOR * 100 +
                                      PLX_PROJECT_VERSION_PATCH);
    char text[32];
    snprintf(text, sizeof text, "%d.%d.%d", PLX_PROJECT_VERSION_MAJOR, PLX_PROJECT_VERSION_MINOR,
             PLX_PROJECT_VERSION_PATCH);
    assert_string_equal(PLX_VERSION_STRING, text);
}

static void version_integers_compare_in_release_order(void **state)
{
    (void)state;
    assert_true(PLX_MAKE_VERSION(0, 2, 0) > PLX_MAKE_VERSION(0, 1, 99));
    assert_true(PLX_MAKE_VERSION(1, 0, 0) > PLX_MAKE_VERSION(0, 99, 99));
    assert_true(PLX_MAKE_VERSION(0, 2, 1) > PLX_MAKE_VERSION(0, 2, 0));
    assert_int_equal(PLX_MAKE_VERSION(0, 2, 0), 200);
}

static void library_reports_the_header_version(void **state)
{
    (void)state;
    /* The header the app was built with and the library it runs with agree (here: the same build). */
    assert_int_equal(plx_version(), PLX_VERSION);
}

static void simulated_headset_reports_the_project_version(void **state)
{
    (void)state;
    XrInstanceCreateInfo info = {.type = XR_TYPE_INSTANCE_CREATE_INFO,
                                 .applicationInfo = {.apiVersion = XR_MAKE_VERSION(1, 0, 0)}};
    snprintf(info.applicationInfo.applicationName, sizeof info.applicationInfo.applicationName,
             "test_version");
    XrInstance instance = XR_NULL_HANDLE;
    assert_int_equal(xrCreateInstance(&info, &instance), XR_SUCCESS);
    XrInstanceProperties props = {.type = XR_TYPE_INSTANCE_PROPERTIES};
    XrResult r = xrGetInstanceProperties(instance, &props);
    xrDestroyInstance(instance);
    assert_int_equal(r, XR_SUCCESS);
    printf("runtime \"%s\" version %u.%u.%u\n", props.runtimeName,
           (unsigned)XR_VERSION_MAJOR(props.runtimeVersion), (unsigned)XR_VERSION_MINOR(props.runtimeVersion),
           (unsigned)XR_VERSION_PATCH(props.runtimeVersion));
    assert_string_equal(props.runtimeName, "Parallax simulated headset");
    assert_true(props.runtimeVersion == XR_MAKE_VERSION(PLX_PROJECT_VERSION_MAJOR, PLX_PROJECT_VERSION_MINOR,
                                                        PLX_PROJECT_VERSION_PATCH));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest unit[] = {
        cmocka_unit_test(header_macros_are_the_project_version),
        cmocka_unit_test(version_integers_compare_in_release_order),
        cmocka_unit_test(library_reports_the_header_version),
    };
    const struct CMUnitTest runtime[] = {
        cmocka_unit_test(simulated_headset_reports_the_project_version),
    };
    if (argc > 1 && !strcmp(argv[1], "--runtime")) return cmocka_run_group_tests(runtime, NULL, NULL);
    return cmocka_run_group_tests(unit, NULL, NULL);
}
