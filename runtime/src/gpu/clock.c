/* SPDX-License-Identifier: MIT */
/* Layer 1, gpu: the GPU clock. Timestamp ticks are put on CLOCK_MONOTONIC with VK_EXT_calibrated_timestamps
 * when the device offers that domain, else with an offset bounded below by the frames' submission times.
 * May call base/ only. */
#include <math.h>
#include <string.h>

#include "gpu/plx_gpu.h"

/* Recalibrate now and then: the GPU and CPU clocks drift apart slowly (ppm), far below a frame over this. */
#define PLX_RECALIBRATE_EVERY 512

static bool offered(const VkExtensionProperties *props, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!strcmp(props[i].extensionName, name)) return true;
    }
    return false;
}

bool plx_gpu_clock_wanted(plx_gpu_clock *c, VkInstance instance, VkPhysicalDevice pd,
                          const VkExtensionProperties *props, uint32_t n)
{
    if (!offered(props, n, VK_EXT_CALIBRATED_TIMESTAMPS_EXTENSION_NAME)) return false;
    /* Only useful if it can read CLOCK_MONOTONIC, the clock XrTime is on. */
    PFN_vkGetPhysicalDeviceCalibrateableTimeDomainsEXT domains_fn =
        (PFN_vkGetPhysicalDeviceCalibrateableTimeDomainsEXT)vkGetInstanceProcAddr(
            instance, "vkGetPhysicalDeviceCalibrateableTimeDomainsEXT");
    VkTimeDomainEXT domains[8];
    uint32_t nd = 8;
    bool device = false, monotonic = false;
    if (domains_fn && domains_fn(pd, &nd, domains) >= 0) {
        for (uint32_t i = 0; i < nd; i++) {
            device = device || domains[i] == VK_TIME_DOMAIN_DEVICE_EXT;
            monotonic = monotonic || domains[i] == VK_TIME_DOMAIN_CLOCK_MONOTONIC_EXT;
        }
    }
    c->calibrated_ext = device && monotonic;
    return c->calibrated_ext;
}

void plx_gpu_clock_device_ready(plx_gpu_clock *c, const plx_report *r, const plx_vk *vk)
{
    if (!c->calibrated_ext || !vk->timestamps) {
        c->calibrated_ext = false;
        return;
    }
    c->get_calibrated =
        (PFN_vkGetCalibratedTimestampsEXT)vkGetDeviceProcAddr(vk->device, "vkGetCalibratedTimestampsEXT");
    if (!c->get_calibrated) {
        plx_log(r, PLX_LOG_WARN, "vkGetDeviceProcAddr(vkGetCalibratedTimestampsEXT) returned NULL");
        c->calibrated_ext = false;
        return;
    }
    plx_gpu_clock_calibrate(c, r, vk);
}

void plx_gpu_clock_calibrate(plx_gpu_clock *c, const plx_report *r, const plx_vk *vk)
{
    if (!c->calibrated_ext || !c->get_calibrated) return;
    VkCalibratedTimestampInfoEXT info[2] = {
        {.sType = VK_STRUCTURE_TYPE_CALIBRATED_TIMESTAMP_INFO_EXT, .timeDomain = VK_TIME_DOMAIN_DEVICE_EXT},
        {.sType = VK_STRUCTURE_TYPE_CALIBRATED_TIMESTAMP_INFO_EXT,
         .timeDomain = VK_TIME_DOMAIN_CLOCK_MONOTONIC_EXT},
    };
    uint64_t ts[2] = {0, 0}, deviation = 0;
    VkResult vr = c->get_calibrated(vk->device, 2, info, ts, &deviation);
    if (vr != VK_SUCCESS) {
        /* Fall back to the offset measured at submission rather than fail the frame loop. */
        plx_log(r, PLX_LOG_WARN, "vkGetCalibratedTimestampsEXT failed: %s; GPU times use the submit offset",
                plx_vk_result_name(vr));
        c->calibrated_ext = false;
        c->offset_valid = false;
        return;
    }
    c->offset_ns = (double)ts[1] - (double)(ts[0] & vk->timestamp_mask) * vk->timestamp_period_ns;
    c->offset_valid = true;
    c->harvests_since_calibration = 0;
}

int64_t plx_gpu_clock_to_ns(const plx_gpu_clock *c, const plx_vk *vk, uint64_t ticks)
{
    if (!c->offset_valid) return 0;
    return (int64_t)llround((double)ticks * vk->timestamp_period_ns + c->offset_ns);
}

void plx_gpu_clock_frame(plx_gpu_clock *c, const plx_report *r, const plx_vk *vk, uint64_t start_ticks,
                         int64_t submit_ns)
{
    if (c->calibrated_ext) {
        if (++c->harvests_since_calibration >= PLX_RECALIBRATE_EVERY) plx_gpu_clock_calibrate(c, r, vk);
    }
    if (!c->calibrated_ext && submit_ns > 0) {
        /* No calibrated timestamps: the GPU cannot start a frame before it was submitted, so submit minus
         * the start tick bounds the offset from below; the largest bound seen (the frame the GPU picked up
         * fastest) is the closest estimate. */
        double bound = (double)submit_ns - (double)start_ticks * vk->timestamp_period_ns;
        if (!c->offset_valid || bound > c->offset_ns) {
            c->offset_ns = bound;
            c->offset_valid = true;
        }
    }
}
