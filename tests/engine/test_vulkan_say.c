/* SPDX-License-Identifier: MIT */
/* What an app may ask of the Vulkan instance and device (issue 8 §2, plx_context_desc.vulkan), on the
 * simulated headset and Mesa lavapipe with both validation layers on:
 *  - the version: the highest allowed (1.3: loader, runtime range 1.0-1.3, headers, lavapipe), capped by
 *    plx_vulkan_desc.max_api_version, a cap below 1.1 refused;
 *  - extensions: a required one that nothing offers fails plx_context_create naming it (instance and device);
 *    an optional one missing is left out of plx_vulkan_info's enabled lists, one offered is in them;
 *  - features: the app's VkPhysicalDeviceFeatures2 chain merged with multiview (plx_get_vulkan_features reads
 *    back what is on), a feature the device lacks, a structure whose extension is not enabled, a structure
 *    given twice and an unknown sType each refused by name.
 * Contexts that are created run a few frames, validation clean. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parallax/parallax.h"
#include "parallax/parallax_vulkan.h"

#define MISSING_INSTANCE_EXT "VK_PLX_no_such_instance_extension"
#define MISSING_DEVICE_EXT   "VK_PLX_no_such_device_extension"

static plx_result create(const plx_vulkan_desc *vd, plx_context **out)
{
    setenv("PARALLAX_SIM_EYE_SIZE", "64x64", 1);
    plx_context_desc d = {
        .app_name = "test_vulkan_say",
        .validation = true,
        .eye_width = 64,
        .eye_height = 64,
        .vulkan = vd,
    };
    *out = NULL;
    plx_result r = plx_context_create(&d, out);
    printf("plx_context_create -> %d%s%s\n", (int)r, r < 0 ? ": " : "", r < 0 ? plx_last_error(NULL) : "");
    return r;
}

static void expect_error(const plx_vulkan_desc *vd, plx_result want, const char *named, const char *named2)
{
    plx_context *ctx = NULL;
    assert_int_equal(create(vd, &ctx), want);
    assert_null(ctx);
    const char *e = plx_last_error(NULL);
    if (!strstr(e, named) || (named2 && !strstr(e, named2)))
        fail_msg("the error does not name %s%s%s: %s", named, named2 ? " and " : "", named2 ? named2 : "", e);
}

static bool listed(const char *const *names, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!strcmp(names[i], name)) return true;
    }
    return false;
}

/* A few frames through the library's pass, then the context is destroyed; no validation message. */
static void run_and_destroy(plx_context *ctx)
{
    for (int i = 0; i < 10;) {
        plx_events ev;
        plx_poll(ctx, &ev);
        plx_frame f;
        plx_result r = plx_frame_wait(ctx, &f);
        if (r == PLX_SESSION_NOT_RUNNING) continue;
        assert_int_equal(r, PLX_SUCCESS);
        r = plx_frame_begin(ctx, &f);
        assert_true(r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED);
        assert_int_equal(plx_frame_end(ctx, &f), PLX_SUCCESS);
        i++;
    }
    uint32_t msgs = plx_validation_message_count(ctx);
    plx_context_destroy(&ctx);
    assert_int_equal(msgs, 0);
}

static void default_is_the_highest_version_with_multiview(void **state)
{
    (void)state;
    plx_context *ctx = NULL;
    assert_int_equal(create(NULL, &ctx), PLX_SUCCESS);
    plx_vulkan_info vk;
    assert_int_equal(plx_get_vulkan_info(ctx, &vk), PLX_SUCCESS);
    printf("api_version %u.%u, %u instance and %u device extensions enabled\n",
           VK_API_VERSION_MAJOR(vk.api_version), VK_API_VERSION_MINOR(vk.api_version),
           vk.instance_extension_count, vk.device_extension_count);
    assert_int_equal(vk.api_version, VK_API_VERSION_1_3);
    assert_true(
        listed(vk.instance_extensions, vk.instance_extension_count, VK_EXT_DEBUG_UTILS_EXTENSION_NAME));
    /* Multiview reads as on in both structures that carry it. */
    VkPhysicalDeviceMultiviewFeatures mv = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES};
    VkPhysicalDeviceVulkan11Features v11 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES,
                                            .pNext = &mv};
    VkPhysicalDeviceFeatures2 f2 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, .pNext = &v11};
    assert_int_equal(plx_get_vulkan_features(ctx, &f2), PLX_SUCCESS);
    assert_true(v11.multiview && mv.multiview);
    assert_false(v11.multiviewGeometryShader || f2.features.sparseBinding);
    /* The query refuses what it cannot fill. */
    VkPhysicalDeviceFeatures2 bad = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    assert_int_equal(plx_get_vulkan_features(ctx, &bad), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_get_vulkan_features(ctx, NULL), PLX_ERROR_INVALID_ARGUMENT);
    printf("plx_get_vulkan_features(NULL): %s\n", plx_last_error(ctx));
    run_and_destroy(ctx);
}

static void max_api_version_caps_the_version(void **state)
{
    (void)state;
    plx_vulkan_desc vd = {.size = sizeof vd, .max_api_version = VK_API_VERSION_1_2};
    plx_context *ctx = NULL;
    assert_int_equal(create(&vd, &ctx), PLX_SUCCESS);
    plx_vulkan_info vk;
    assert_int_equal(plx_get_vulkan_info(ctx, &vk), PLX_SUCCESS);
    assert_int_equal(vk.api_version, VK_API_VERSION_1_2);
    run_and_destroy(ctx);

    vd.max_api_version = VK_API_VERSION_1_0;
    expect_error(&vd, PLX_ERROR_INVALID_ARGUMENT, "max_api_version", "1.1");
    plx_vulkan_desc unsized = {.max_api_version = VK_API_VERSION_1_2};
    expect_error(&unsized, PLX_ERROR_INVALID_ARGUMENT, "plx_vulkan_desc.size", NULL);
}

static void missing_required_extensions_fail_naming_them(void **state)
{
    (void)state;
    const char *inst[] = {VK_KHR_SURFACE_EXTENSION_NAME, MISSING_INSTANCE_EXT};
    plx_vulkan_desc vd = {.size = sizeof vd, .instance_extensions = inst, .instance_extension_count = 2};
    expect_error(&vd, PLX_ERROR_UNSUPPORTED, MISSING_INSTANCE_EXT, "instance");
    const char *dev[] = {MISSING_DEVICE_EXT};
    vd = (plx_vulkan_desc){.size = sizeof vd, .device_extensions = dev, .device_extension_count = 1};
    expect_error(&vd, PLX_ERROR_UNSUPPORTED, MISSING_DEVICE_EXT, "device");
    /* A count without an array is the app's mistake, not a missing extension. */
    vd = (plx_vulkan_desc){.size = sizeof vd, .optional_device_extension_count = 1};
    expect_error(&vd, PLX_ERROR_INVALID_ARGUMENT, "NULL", NULL);
}

static void optional_extensions_are_enabled_when_offered(void **state)
{
    (void)state;
    const char *opt_inst[] = {MISSING_INSTANCE_EXT, VK_KHR_SURFACE_EXTENSION_NAME};
    const char *req_dev[] = {VK_EXT_TRANSFORM_FEEDBACK_EXTENSION_NAME};
    const char *opt_dev[] = {MISSING_DEVICE_EXT, VK_EXT_DEPTH_CLIP_ENABLE_EXTENSION_NAME};
    plx_vulkan_desc vd = {
        .size = sizeof vd,
        .optional_instance_extensions = opt_inst,
        .optional_instance_extension_count = 2,
        .device_extensions = req_dev,
        .device_extension_count = 1,
        .optional_device_extensions = opt_dev,
        .optional_device_extension_count = 2,
    };
    plx_context *ctx = NULL;
    assert_int_equal(create(&vd, &ctx), PLX_SUCCESS);
    plx_vulkan_info vk;
    assert_int_equal(plx_get_vulkan_info(ctx, &vk), PLX_SUCCESS);
    for (uint32_t i = 0; i < vk.instance_extension_count; i++)
        printf("instance: %s\n", vk.instance_extensions[i]);
    for (uint32_t i = 0; i < vk.device_extension_count; i++) printf("device: %s\n", vk.device_extensions[i]);
    assert_false(listed(vk.instance_extensions, vk.instance_extension_count, MISSING_INSTANCE_EXT));
    assert_true(listed(vk.instance_extensions, vk.instance_extension_count, VK_KHR_SURFACE_EXTENSION_NAME));
    assert_true(
        listed(vk.device_extensions, vk.device_extension_count, VK_EXT_TRANSFORM_FEEDBACK_EXTENSION_NAME));
    assert_false(listed(vk.device_extensions, vk.device_extension_count, MISSING_DEVICE_EXT));
    assert_true(
        listed(vk.device_extensions, vk.device_extension_count, VK_EXT_DEPTH_CLIP_ENABLE_EXTENSION_NAME));
    run_and_destroy(ctx);
}

static void features_chain_is_merged_and_queryable(void **state)
{
    (void)state;
    const char *dev[] = {VK_EXT_TRANSFORM_FEEDBACK_EXTENSION_NAME};
    VkPhysicalDeviceTransformFeedbackFeaturesEXT xfb = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TRANSFORM_FEEDBACK_FEATURES_EXT,
        .transformFeedback = VK_TRUE,
    };
    VkPhysicalDeviceVulkan12Features v12 = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
        .pNext = &xfb,
        .timelineSemaphore = VK_TRUE,
    };
    VkPhysicalDeviceFeatures2 want = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
        .pNext = &v12,
        .features = {.fillModeNonSolid = VK_TRUE},
    };
    plx_vulkan_desc vd = {
        .size = sizeof vd, .device_extensions = dev, .device_extension_count = 1, .features = &want};
    plx_context *ctx = NULL;
    assert_int_equal(create(&vd, &ctx), PLX_SUCCESS);
    /* The app's structures were read, not written or kept. */
    assert_ptr_equal(want.pNext, &v12);
    assert_ptr_equal(v12.pNext, &xfb);
    assert_null(xfb.pNext);
    VkPhysicalDeviceMultiviewFeatures mv = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES};
    VkPhysicalDeviceTransformFeedbackFeaturesEXT xfb_q = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TRANSFORM_FEEDBACK_FEATURES_EXT, .pNext = &mv};
    VkPhysicalDeviceVulkan12Features v12_q = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
                                              .pNext = &xfb_q};
    VkPhysicalDeviceFeatures2 got = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, .pNext = &v12_q};
    assert_int_equal(plx_get_vulkan_features(ctx, &got), PLX_SUCCESS);
    printf("enabled: fillModeNonSolid %u timelineSemaphore %u transformFeedback %u multiview %u; "
           "bufferDeviceAddress %u geometryStreams %u\n",
           got.features.fillModeNonSolid, v12_q.timelineSemaphore, xfb_q.transformFeedback, mv.multiview,
           v12_q.bufferDeviceAddress, xfb_q.geometryStreams);
    assert_true(got.features.fillModeNonSolid && v12_q.timelineSemaphore && xfb_q.transformFeedback &&
                mv.multiview);
    assert_false(v12_q.bufferDeviceAddress || xfb_q.geometryStreams || got.features.wideLines);
    run_and_destroy(ctx);
}

static void features_the_device_cannot_have_are_refused_by_name(void **state)
{
    (void)state;
    /* Mesa lavapipe has no sparse memory. */
    VkPhysicalDeviceFeatures2 sparse = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
                                        .features = {.sparseBinding = VK_TRUE}};
    plx_vulkan_desc vd = {.size = sizeof vd, .features = &sparse};
    expect_error(&vd, PLX_ERROR_UNSUPPORTED, "VkPhysicalDeviceFeatures.sparseBinding", NULL);
    /* A structure of an extension that is not enabled. */
    VkPhysicalDeviceTransformFeedbackFeaturesEXT xfb = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TRANSFORM_FEEDBACK_FEATURES_EXT,
        .transformFeedback = VK_TRUE,
    };
    VkPhysicalDeviceFeatures2 root = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, .pNext = &xfb};
    vd.features = &root;
    expect_error(&vd, PLX_ERROR_UNSUPPORTED, "VkPhysicalDeviceTransformFeedbackFeaturesEXT",
                 VK_EXT_TRANSFORM_FEEDBACK_EXTENSION_NAME);
    /* The same structure twice. */
    VkPhysicalDeviceVulkan12Features b = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceVulkan12Features a = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
                                          .pNext = &b};
    root.pNext = &a;
    expect_error(&vd, PLX_ERROR_INVALID_ARGUMENT, "VkPhysicalDeviceVulkan12Features", "twice");
    /* Something that does not extend VkPhysicalDeviceFeatures2. */
    VkPhysicalDeviceIDProperties props = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES};
    root.pNext = &props;
    expect_error(&vd, PLX_ERROR_INVALID_ARGUMENT, "sType", "VkPhysicalDeviceFeatures2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_is_the_highest_version_with_multiview),
        cmocka_unit_test(max_api_version_caps_the_version),
        cmocka_unit_test(missing_required_extensions_fail_naming_them),
        cmocka_unit_test(optional_extensions_are_enabled_when_offered),
        cmocka_unit_test(features_chain_is_merged_and_queryable),
        cmocka_unit_test(features_the_device_cannot_have_are_refused_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
