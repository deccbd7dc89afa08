/* SPDX-License-Identifier: MIT */
/* Layer 1, gpu: which Vulkan drivers get a render pass per eye instead of one multiview pass. Depends on
 * Vulkan's headers only, so the standalone driver test (tests/driver/multiview_clip.c) judges the same rule.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <vulkan/vulkan.h>

/* Mesa lavapipe (llvmpipe's draw module) runs a multiview draw once per view and, in 22.3, does not flush its
 * clipping pipeline between the views: the primitives of view 1 that need clipping are rasterized into view
 * 0's layer when view 0 clipped primitives of the same draw, so view 1 loses them (runtime/README.md,
 * "Multiview on Mesa lavapipe"). Mesa's draw module later flushes when the view index changes (draw_pt_arrays
 * in src/gallium/auxiliary/draw/draw_pt.c: present in 23.2-devel, absent in 23.0-devel); the first release
 * with it is not pinned down here, so every lavapipe version is treated as affected. driver_version is
 * VkPhysicalDeviceProperties.driverVersion (Mesa: VK_MAKE_VERSION of its release), kept for a future bound.
 */
static inline bool plx_multiview_driver_drops_view1_clipped(VkDriverId driver_id, uint32_t driver_version)
{
    (void)driver_version;
    return driver_id == VK_DRIVER_ID_MESA_LLVMPIPE;
}
