/* Temporary weak fallbacks for the Vulkan, swapchain and frame entry points and hooks that vulkan.c,
 * swapchain.c and frame.c provide, so the runtime links while those files are being written. The real
 * (strong) definitions replace these at link time. Each fails loudly: nothing here pretends to work. */
#include "sim_internal.h"

#define SIM_WEAK __attribute__((weak))

static XrResult missing(const char *fn)
{
    sim_log(SIM_LOG_ERROR, "%s is not implemented in this build", fn);
    return XR_ERROR_RUNTIME_FAILURE;
}

SIM_WEAK SIM_FN(xrGetVulkanInstanceExtensionsKHR)(XrInstance i, XrSystemId s, uint32_t c, uint32_t *n,
                                                  char *b)
{
    (void)i, (void)s, (void)c, (void)n, (void)b;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrGetVulkanDeviceExtensionsKHR)(XrInstance i, XrSystemId s, uint32_t c, uint32_t *n, char *b)
{
    (void)i, (void)s, (void)c, (void)n, (void)b;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrGetVulkanGraphicsDeviceKHR)(XrInstance i, XrSystemId s, VkInstance v, VkPhysicalDevice *p)
{
    (void)i, (void)s, (void)v, (void)p;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrGetVulkanGraphicsRequirementsKHR)(XrInstance i, XrSystemId s,
                                                    XrGraphicsRequirementsVulkanKHR *g)
{
    (void)i, (void)s, (void)g;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrCreateVulkanInstanceKHR)(XrInstance i, const XrVulkanInstanceCreateInfoKHR *c,
                                           VkInstance *v, VkResult *r)
{
    (void)i, (void)c, (void)v, (void)r;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrCreateVulkanDeviceKHR)(XrInstance i, const XrVulkanDeviceCreateInfoKHR *c, VkDevice *d,
                                         VkResult *r)
{
    (void)i, (void)c, (void)d, (void)r;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrGetVulkanGraphicsDevice2KHR)(XrInstance i, const XrVulkanGraphicsDeviceGetInfoKHR *g,
                                               VkPhysicalDevice *p)
{
    (void)i, (void)g, (void)p;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrGetVulkanGraphicsRequirements2KHR)(XrInstance i, XrSystemId s,
                                                     XrGraphicsRequirementsVulkanKHR *g)
{
    (void)i, (void)s, (void)g;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrEnumerateSwapchainFormats)(XrSession s, uint32_t c, uint32_t *n, int64_t *f)
{
    (void)s, (void)c, (void)n, (void)f;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrCreateSwapchain)(XrSession s, const XrSwapchainCreateInfo *c, XrSwapchain *sc)
{
    (void)s, (void)c, (void)sc;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrDestroySwapchain)(XrSwapchain sc)
{
    (void)sc;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrEnumerateSwapchainImages)(XrSwapchain sc, uint32_t c, uint32_t *n,
                                            XrSwapchainImageBaseHeader *i)
{
    (void)sc, (void)c, (void)n, (void)i;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrAcquireSwapchainImage)(XrSwapchain sc, const XrSwapchainImageAcquireInfo *a, uint32_t *i)
{
    (void)sc, (void)a, (void)i;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrWaitSwapchainImage)(XrSwapchain sc, const XrSwapchainImageWaitInfo *w)
{
    (void)sc, (void)w;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrReleaseSwapchainImage)(XrSwapchain sc, const XrSwapchainImageReleaseInfo *r)
{
    (void)sc, (void)r;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrWaitFrame)(XrSession s, const XrFrameWaitInfo *w, XrFrameState *f)
{
    (void)s, (void)w, (void)f;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrBeginFrame)(XrSession s, const XrFrameBeginInfo *b)
{
    (void)s, (void)b;
    return missing(__func__);
}
SIM_WEAK SIM_FN(xrEndFrame)(XrSession s, const XrFrameEndInfo *e)
{
    (void)s, (void)e;
    return missing(__func__);
}
SIM_WEAK XrResult sim_vk_session_init(sim_session *s, const XrSessionCreateInfo *info)
{
    (void)s, (void)info;
    return missing(__func__);
}
SIM_WEAK void sim_vk_session_fini(sim_session *s)
{
    (void)s;
}
SIM_WEAK XrResult sim_frame_session_begin(sim_session *s)
{
    (void)s;
    return missing(__func__);
}
SIM_WEAK void sim_frame_session_end(sim_session *s)
{
    (void)s;
}
SIM_WEAK void sim_frame_session_destroy(sim_session *s)
{
    (void)s;
}
SIM_WEAK void sim_swapchains_destroy_all(sim_session *s)
{
    (void)s;
}
SIM_WEAK void sim_frame_note_located(sim_session *s, const XrView views[2], XrTime locate_time,
                                     XrTime sample_time)
{
    (void)s, (void)views, (void)locate_time, (void)sample_time;
}
