/* SPDX-License-Identifier: MIT */
/* Vulkan helpers shared by the simulated headset's two parts (swapchains above, the compositor below).
 * Layer: base (the bottom of simulator/src); calls nothing else of the simulator. */
#include "base/sim_vk.h"

const char *sim_vk_result_string(VkResult r)
{
    switch (r) {
#define SIM_VK_CASE(x) \
    case x:            \
        return #x;
        SIM_VK_CASE(VK_SUCCESS)
        SIM_VK_CASE(VK_NOT_READY)
        SIM_VK_CASE(VK_TIMEOUT)
        SIM_VK_CASE(VK_EVENT_SET)
        SIM_VK_CASE(VK_EVENT_RESET)
        SIM_VK_CASE(VK_INCOMPLETE)
        SIM_VK_CASE(VK_ERROR_OUT_OF_HOST_MEMORY)
        SIM_VK_CASE(VK_ERROR_OUT_OF_DEVICE_MEMORY)
        SIM_VK_CASE(VK_ERROR_INITIALIZATION_FAILED)
        SIM_VK_CASE(VK_ERROR_DEVICE_LOST)
        SIM_VK_CASE(VK_ERROR_MEMORY_MAP_FAILED)
        SIM_VK_CASE(VK_ERROR_LAYER_NOT_PRESENT)
        SIM_VK_CASE(VK_ERROR_EXTENSION_NOT_PRESENT)
        SIM_VK_CASE(VK_ERROR_FEATURE_NOT_PRESENT)
        SIM_VK_CASE(VK_ERROR_INCOMPATIBLE_DRIVER)
        SIM_VK_CASE(VK_ERROR_TOO_MANY_OBJECTS)
        SIM_VK_CASE(VK_ERROR_FORMAT_NOT_SUPPORTED)
        SIM_VK_CASE(VK_ERROR_FRAGMENTED_POOL)
        SIM_VK_CASE(VK_ERROR_UNKNOWN)
        SIM_VK_CASE(VK_ERROR_OUT_OF_POOL_MEMORY)
        SIM_VK_CASE(VK_ERROR_INVALID_EXTERNAL_HANDLE)
#undef SIM_VK_CASE
    default:
        return "VK_ERROR_(unrecognised)";
    }
}

bool sim_vk_format_is_depth(VkFormat f)
{
    switch (f) {
    case VK_FORMAT_D16_UNORM:
    case VK_FORMAT_X8_D24_UNORM_PACK32:
    case VK_FORMAT_D32_SFLOAT:
    case VK_FORMAT_S8_UINT:
    case VK_FORMAT_D16_UNORM_S8_UINT:
    case VK_FORMAT_D24_UNORM_S8_UINT:
    case VK_FORMAT_D32_SFLOAT_S8_UINT:
        return true;
    default:
        return false;
    }
}

uint32_t sim_vk_memory_type(const sim_vk *vk, uint32_t type_bits, VkMemoryPropertyFlags want,
                            VkMemoryPropertyFlags prefer)
{
    VkPhysicalDeviceMemoryProperties mp;
    vk->GetPhysicalDeviceMemoryProperties(vk->physical_device, &mp);
    uint32_t fallback = UINT32_MAX;
    for (uint32_t i = 0; i < mp.memoryTypeCount; i++) {
        if (!(type_bits & (1u << i))) continue;
        VkMemoryPropertyFlags f = mp.memoryTypes[i].propertyFlags;
        if ((f & want) != want) continue;
        if ((f & prefer) == prefer) return i;
        if (fallback == UINT32_MAX) fallback = i;
    }
    return fallback;
}
