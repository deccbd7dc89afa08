/* SPDX-License-Identifier: MIT */
/* The one helper every public entry point passes its structs through (runtime/src/base/abi.c), with structs
 * of three releases: the library's own (v2: two fields), an older app's (v1: the first field only) and a
 * newer app's (v3: a third field). Compiled in directly (libparallax hides its internal symbols). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/plx_base.h"

typedef struct v1 {
    uint64_t a;
} v1;
typedef struct v2 {
    uint64_t a;
    uint64_t b; /* added in "v2": zero means the default */
} v2;
typedef struct v3 {
    uint64_t a;
    uint64_t b;
    uint64_t c; /* added in "v3", unknown to a v2 library */
} v3;

static void older_app_in_reads_missing_fields_as_zero(void **state)
{
    (void)state;
    v1 app = {.a = 7};
    v2 own;
    memset(&own, 0xee, sizeof own);
    assert_int_equal(plx_abi_in(NULL, "test", "v", &own, sizeof own, &app, sizeof app, sizeof(v1)),
                     PLX_SUCCESS);
    assert_int_equal(own.a, 7);
    assert_int_equal(own.b, 0);
}

static void older_app_out_gets_only_what_fits(void **state)
{
    (void)state;
    struct {
        v1 app;
        uint64_t after; /* the app's next variable: must not be touched */
    } mem = {.app = {0}, .after = 0x1234};
    v2 own = {.a = 5, .b = 6};
    plx_abi_copy(&mem.app, sizeof mem.app, &own, sizeof own);
    assert_int_equal(mem.app.a, 5);
    assert_int_equal(mem.after, 0x1234);
}

static void newer_app_in_with_zero_tail_is_accepted(void **state)
{
    (void)state;
    v3 app = {.a = 1, .b = 2, .c = 0};
    v2 own;
    assert_int_equal(plx_abi_in(NULL, "test", "v", &own, sizeof own, &app, sizeof app, sizeof(v1)),
                     PLX_SUCCESS);
    assert_int_equal(own.a, 1);
    assert_int_equal(own.b, 2);
}

static void newer_app_in_with_a_set_tail_is_refused_by_name(void **state)
{
    (void)state;
    v3 app = {.a = 1, .b = 2, .c = 3};
    v2 own;
    assert_int_equal(
        plx_abi_in(NULL, "plx_test_call", "plx_test_desc", &own, sizeof own, &app, sizeof app, sizeof(v1)),
        PLX_ERROR_INVALID_ARGUMENT);
    const char *msg = plx_report_last_error(NULL);
    assert_non_null(strstr(msg, "plx_test_call"));
    assert_non_null(strstr(msg, "plx_test_desc is 24 bytes and byte 16 is set"));
    assert_non_null(strstr(msg, "knows only its first 16 bytes"));
}

static void newer_app_out_reads_unknown_fields_as_zero(void **state)
{
    (void)state;
    v3 app;
    memset(&app, 0xaa, sizeof app);
    v2 own = {.a = 8, .b = 9};
    plx_abi_copy(&app, sizeof app, &own, sizeof own);
    assert_int_equal(app.a, 8);
    assert_int_equal(app.b, 9);
    assert_int_equal(app.c, 0);
}

static void a_size_below_the_first_release_is_refused(void **state)
{
    (void)state;
    uint32_t half = 7;
    v2 own;
    assert_int_equal(
        plx_abi_in(NULL, "plx_test_call", "plx_test_desc", &own, sizeof own, &half, sizeof half, sizeof(v1)),
        PLX_ERROR_INVALID_ARGUMENT);
    assert_non_null(
        strstr(plx_report_last_error(NULL), "plx_test_desc is 4 bytes, smaller than in any release"));
    assert_int_equal(plx_abi_check_size(NULL, "c", "t", 4, 8), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_abi_check_size(NULL, "c", "t", 8, 8), PLX_SUCCESS);
}

static void the_first_release_sizes_never_change(void **state)
{
    (void)state;
    /* The smallest struct any app can pass is its 0.2.0 size (the end of its last field in 0.2.0). Fields are
     * appended after those, so these numbers (x86_64) stay as they are for every 0.y release. */
#if defined(__x86_64__) && defined(__LP64__)
    assert_int_equal(PLX_ABI_0_2_CONTEXT_DESC, 116);
    assert_int_equal(PLX_ABI_0_2_EVENTS, 11);
    assert_int_equal(PLX_ABI_0_2_FRAME, 424);
    assert_int_equal(PLX_ABI_0_2_FRAME_IMAGES, 144);
    assert_int_equal(PLX_ABI_0_2_FRAME_STATS, 168);
    assert_int_equal(PLX_ABI_0_2_SUMMARY, 96);
    assert_int_equal(PLX_ABI_0_2_MIRROR_STATUS, 40);
    assert_int_equal(PLX_ABI_0_2_LATENCY_INFO, 128);
    assert_int_equal(PLX_ABI_0_2_HEAD_POSE, 32);
    assert_int_equal(PLX_ABI_0_2_SCENE_DESC, 64);
    assert_int_equal(PLX_ABI_0_2_TRANSFORM, 40);
    assert_int_equal(PLX_ABI_0_2_CUBE_DESC, 52);
    assert_int_equal(PLX_ABI_0_2_MESH_DESC, 88);
    assert_int_equal(PLX_ABI_0_2_INPUT_DESC, 20);
    assert_int_equal(PLX_ABI_0_2_HAND_STATE, 152);
    assert_int_equal(PLX_ABI_0_2_VULKAN_INFO, 80);
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(older_app_in_reads_missing_fields_as_zero),
        cmocka_unit_test(older_app_out_gets_only_what_fits),
        cmocka_unit_test(newer_app_in_with_zero_tail_is_accepted),
        cmocka_unit_test(newer_app_in_with_a_set_tail_is_refused_by_name),
        cmocka_unit_test(newer_app_out_reads_unknown_fields_as_zero),
        cmocka_unit_test(a_size_below_the_first_release_is_refused),
        cmocka_unit_test(the_first_release_sizes_never_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
