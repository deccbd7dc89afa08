/* SPDX-License-Identifier: MIT */
/* An OpenXR 1.1 application, built against the OpenXR 1.1 headers (third_party/openxr), the way most apps are
 * written today: XrApplicationInfo::apiVersion = XR_API_VERSION_1_1 (or --api-version X.Y.Z), Vulkan through
 * XR_KHR_vulkan_enable2, the 1.1 core function xrLocateSpaces and the 1.1 core reference space LOCAL_FLOOR.
 * It runs --frames N frames (xrEndFrame calls), rendering a triangle into each eye with Vulkan whenever the
 * runtime says it should render, then ends its session cleanly.
 *
 * Debian 12's loader (1.0.20) refuses every 1.1 application, so this app brings its own minimal loader
 * (xr11_loader.c), as apps on other platforms bring a newer loader with them.
 *
 * Prints the runtime, the negotiated API version, the reference spaces, the first and last xrLocateSpaces
 * results and the frame count; exits 0 when every call succeeded and the checks held (the head in LOCAL_FLOOR
 * is above the floor at about the height of LOCAL's origin).
 *   xr11_app [--frames N] [--api-version MAJOR.MINOR.PATCH] */
#define XR_USE_GRAPHICS_API_VULKAN 1
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include "xr11_loader.h"
#include "xr11_tri.frag.spv.h"
#include "xr11_tri.vert.spv.h"

#define MAX_IMAGES 8

static PFN_xrGetInstanceProcAddr gipa;
/* With --system-loader the app goes through the system's libopenxr_loader instead of xr11_loader.c. */
XRAPI_ATTR XrResult XRAPI_CALL xrGetInstanceProcAddr(XrInstance, const char *, PFN_xrVoidFunction *);
static XrInstance g_instance;

/* Looks a function up through the loader; NULL (with a message) when it does not resolve. */
static PFN_xrVoidFunction fn(const char *name)
{
    PFN_xrVoidFunction f = NULL;
    XrResult r = gipa(g_instance, name, &f);
    if (XR_FAILED(r) || !f) {
        fprintf(stderr, "xr11_app: xrGetInstanceProcAddr(%s) failed: %d\n", name, (int)r);
        return NULL;
    }
    return f;
}
#define XR_FN(name) PFN_##name name = (PFN_##name)fn(#name)

#define XR_CHECK(call)                                                                        \
    do {                                                                                      \
        XrResult r_ = (call);                                                                 \
        if (XR_FAILED(r_)) {                                                                  \
            fprintf(stderr, "xr11_app: %s failed: %d (line %d)\n", #call, (int)r_, __LINE__); \
            goto fail;                                                                        \
        }                                                                                     \
    } while (0)
#define VK_CHECK(call)                                                                                 \
    do {                                                                                               \
        VkResult r_ = (call);                                                                          \
        if (r_ != VK_SUCCESS) {                                                                        \
            fprintf(stderr, "xr11_app: %s failed: VkResult %d (line %d)\n", #call, (int)r_, __LINE__); \
            goto fail;                                                                                 \
        }                                                                                              \
    } while (0)

typedef struct eye {
    XrSwapchain swapchain;
    uint32_t width, height, image_count;
    VkImage images[MAX_IMAGES];
    VkImageView views[MAX_IMAGES];
    VkFramebuffer framebuffers[MAX_IMAGES];
} eye;

static bool parse_version(const char *s, XrVersion *out)
{
    unsigned maj, min, pat;
    if (sscanf(s, "%u.%u.%u", &maj, &min, &pat) != 3) return false;
    *out = XR_MAKE_VERSION(maj, min, pat);
    return true;
}

int main(int argc, char **argv)
{
    long frames = 300;
    XrVersion api = XR_API_VERSION_1_1;
    bool system_loader = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc) {
            frames = strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--system-loader") == 0) {
            system_loader = true;
        } else if (strcmp(argv[i], "--api-version") == 0 && i + 1 < argc) {
            if (!parse_version(argv[++i], &api)) {
                fprintf(stderr, "xr11_app: --api-version %s: expected MAJOR.MINOR.PATCH\n", argv[i]);
                return 2;
            }
        } else {
            fprintf(stderr,
                    "usage: xr11_app [--frames N] [--api-version MAJOR.MINOR.PATCH] [--system-loader]\n");
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    int rc = 1;
    XrSession session = XR_NULL_HANDLE;
    XrSpace floor_space = XR_NULL_HANDLE, local = XR_NULL_HANDLE, view = XR_NULL_HANDLE;
    VkInstance vk_instance = VK_NULL_HANDLE;
    VkDevice device = VK_NULL_HANDLE;
    VkCommandPool pool = VK_NULL_HANDLE;
    VkCommandBuffer cmd = VK_NULL_HANDLE;
    VkFence fence = VK_NULL_HANDLE;
    VkRenderPass render_pass = VK_NULL_HANDLE;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkPipeline pipeline = VK_NULL_HANDLE;
    VkShaderModule vs = VK_NULL_HANDLE, fs = VK_NULL_HANDLE;
    eye eyes[2] = {0};
    long ended = 0, rendered = 0; /* xrEndFrame calls; those with a projection layer */
    bool printed_first = false;
    bool floor_ok = true;

    if (system_loader) {
        gipa = xrGetInstanceProcAddr;
        printf("loader: the system's libopenxr_loader\n");
    } else {
        gipa = xr11_load();
        if (!gipa) return 1;
        printf("loader: xr11_loader; the runtime negotiated OpenXR %u.%u.%u\n",
               XR_VERSION_MAJOR(xr11_runtime_api_version()), XR_VERSION_MINOR(xr11_runtime_api_version()),
               XR_VERSION_PATCH(xr11_runtime_api_version()));
    }
    /* A 1.0 application has what 1.1 promoted as extensions: xrLocateSpacesKHR and LOCAL_FLOOR. */
    const bool is_1_1 = XR_VERSION_MINOR(api) >= 1;

    /* ---- instance: OpenXR 1.1 */
    XR_FN(xrCreateInstance);
    if (!xrCreateInstance) return 1;
    const char *exts[] = {XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME, XR_KHR_LOCATE_SPACES_EXTENSION_NAME,
                          XR_EXT_LOCAL_FLOOR_EXTENSION_NAME};
    XrInstanceCreateInfo ici = {
        .type = XR_TYPE_INSTANCE_CREATE_INFO,
        .applicationInfo = {.applicationName = "parallax-xr11-app", .apiVersion = api},
        .enabledExtensionCount = is_1_1 ? 1 : 3,
        .enabledExtensionNames = exts};
    XrResult cr = xrCreateInstance(&ici, &g_instance);
    printf("xrCreateInstance(apiVersion %u.%u.%u) = %d\n", XR_VERSION_MAJOR(api), XR_VERSION_MINOR(api),
           XR_VERSION_PATCH(api), (int)cr);
    if (XR_FAILED(cr)) return 1;
    XR_FN(xrGetInstanceProperties);
    XR_FN(xrDestroyInstance);
    XR_FN(xrGetSystem);
    XR_FN(xrEnumerateViewConfigurationViews);
    XR_FN(xrGetVulkanGraphicsRequirements2KHR);
    XR_FN(xrCreateVulkanInstanceKHR);
    XR_FN(xrGetVulkanGraphicsDevice2KHR);
    XR_FN(xrCreateVulkanDeviceKHR);
    XR_FN(xrCreateSession);
    XR_FN(xrDestroySession);
    XR_FN(xrEnumerateReferenceSpaces);
    XR_FN(xrCreateReferenceSpace);
    XR_FN(xrDestroySpace);
    XR_FN(xrEnumerateSwapchainFormats);
    XR_FN(xrCreateSwapchain);
    XR_FN(xrDestroySwapchain);
    XR_FN(xrEnumerateSwapchainImages);
    XR_FN(xrAcquireSwapchainImage);
    XR_FN(xrWaitSwapchainImage);
    XR_FN(xrReleaseSwapchainImage);
    XR_FN(xrPollEvent);
    XR_FN(xrBeginSession);
    XR_FN(xrEndSession);
    XR_FN(xrRequestExitSession);
    XR_FN(xrWaitFrame);
    XR_FN(xrBeginFrame);
    XR_FN(xrEndFrame);
    XR_FN(xrLocateViews);
    /* Core in OpenXR 1.1: resolves without any extension; XR_KHR_locate_spaces gives it to a 1.0 app. */
    PFN_xrLocateSpaces xrLocateSpaces =
        (PFN_xrLocateSpaces)fn(is_1_1 ? "xrLocateSpaces" : "xrLocateSpacesKHR");
    if (!xrLocateSpaces || !xrLocateViews || !xrEndFrame || !xrGetSystem || !xrCreateVulkanDeviceKHR)
        goto fail;

    XrInstanceProperties ip = {.type = XR_TYPE_INSTANCE_PROPERTIES};
    XR_CHECK(xrGetInstanceProperties(g_instance, &ip));
    printf("runtime: %s %u.%u.%u\n", ip.runtimeName, XR_VERSION_MAJOR(ip.runtimeVersion),
           XR_VERSION_MINOR(ip.runtimeVersion), XR_VERSION_PATCH(ip.runtimeVersion));
    XrSystemGetInfo sgi = {.type = XR_TYPE_SYSTEM_GET_INFO,
                           .formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY};
    XrSystemId system;
    XR_CHECK(xrGetSystem(g_instance, &sgi, &system));

    /* ---- Vulkan through XR_KHR_vulkan_enable2 */
    XrGraphicsRequirementsVulkan2KHR req = {.type = XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
    XR_CHECK(xrGetVulkanGraphicsRequirements2KHR(g_instance, system, &req));
    VkApplicationInfo vai = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
                             .pApplicationName = "parallax-xr11-app",
                             .apiVersion = VK_API_VERSION_1_1};
    VkInstanceCreateInfo vici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, .pApplicationInfo = &vai};
    XrVulkanInstanceCreateInfoKHR xvici = {.type = XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR,
                                           .systemId = system,
                                           .pfnGetInstanceProcAddr = vkGetInstanceProcAddr,
                                           .vulkanCreateInfo = &vici};
    VkResult vr = VK_SUCCESS;
    XR_CHECK(xrCreateVulkanInstanceKHR(g_instance, &xvici, &vk_instance, &vr));
    VK_CHECK(vr);
    XrVulkanGraphicsDeviceGetInfoKHR gdi = {.type = XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR,
                                            .systemId = system,
                                            .vulkanInstance = vk_instance};
    VkPhysicalDevice phys;
    XR_CHECK(xrGetVulkanGraphicsDevice2KHR(g_instance, &gdi, &phys));
    uint32_t qf_count = 0, qf = UINT32_MAX;
    vkGetPhysicalDeviceQueueFamilyProperties(phys, &qf_count, NULL);
    VkQueueFamilyProperties qfp[16];
    if (qf_count > 16) qf_count = 16;
    vkGetPhysicalDeviceQueueFamilyProperties(phys, &qf_count, qfp);
    for (uint32_t i = 0; i < qf_count && qf == UINT32_MAX; i++)
        if (qfp[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) qf = i;
    if (qf == UINT32_MAX) {
        fprintf(stderr, "xr11_app: no graphics queue\n");
        goto fail;
    }
    float prio = 1.0f;
    VkDeviceQueueCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
                                   .queueFamilyIndex = qf,
                                   .queueCount = 1,
                                   .pQueuePriorities = &prio};
    VkDeviceCreateInfo dci = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, .queueCreateInfoCount = 1, .pQueueCreateInfos = &qci};
    XrVulkanDeviceCreateInfoKHR xdci = {.type = XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR,
                                        .systemId = system,
                                        .pfnGetInstanceProcAddr = vkGetInstanceProcAddr,
                                        .vulkanPhysicalDevice = phys,
                                        .vulkanCreateInfo = &dci};
    XR_CHECK(xrCreateVulkanDeviceKHR(g_instance, &xdci, &device, &vr));
    VK_CHECK(vr);
    VkQueue queue;
    vkGetDeviceQueue(device, qf, 0, &queue);

    /* ---- session and spaces: LOCAL_FLOOR is core in 1.1 */
    XrGraphicsBindingVulkan2KHR binding = {.type = XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR,
                                           .instance = vk_instance,
                                           .physicalDevice = phys,
                                           .device = device,
                                           .queueFamilyIndex = qf};
    XrSessionCreateInfo sci = {.type = XR_TYPE_SESSION_CREATE_INFO, .next = &binding, .systemId = system};
    XR_CHECK(xrCreateSession(g_instance, &sci, &session));
    XrReferenceSpaceType spaces[8];
    uint32_t nspaces = 0;
    XR_CHECK(xrEnumerateReferenceSpaces(session, 8, &nspaces, spaces));
    bool has_floor = false;
    printf("reference spaces:");
    for (uint32_t i = 0; i < nspaces; i++) {
        printf(" %s", spaces[i] == XR_REFERENCE_SPACE_TYPE_VIEW          ? "VIEW"
                      : spaces[i] == XR_REFERENCE_SPACE_TYPE_LOCAL       ? "LOCAL"
                      : spaces[i] == XR_REFERENCE_SPACE_TYPE_STAGE       ? "STAGE"
                      : spaces[i] == XR_REFERENCE_SPACE_TYPE_LOCAL_FLOOR ? "LOCAL_FLOOR"
                                                                         : "other");
        has_floor |= spaces[i] == XR_REFERENCE_SPACE_TYPE_LOCAL_FLOOR;
    }
    printf("\n");
    if (!has_floor) {
        fprintf(stderr,
                "xr11_app: LOCAL_FLOOR is not enumerated (core in OpenXR 1.1, XR_EXT_local_floor in 1.0)\n");
        goto fail;
    }
    XrReferenceSpaceCreateInfo rci = {.type = XR_TYPE_REFERENCE_SPACE_CREATE_INFO,
                                      .referenceSpaceType = XR_REFERENCE_SPACE_TYPE_LOCAL_FLOOR,
                                      .poseInReferenceSpace = {.orientation = {0, 0, 0, 1}}};
    XR_CHECK(xrCreateReferenceSpace(session, &rci, &floor_space));
    rci.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_LOCAL;
    XR_CHECK(xrCreateReferenceSpace(session, &rci, &local));
    rci.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_VIEW;
    XR_CHECK(xrCreateReferenceSpace(session, &rci, &view));

    /* ---- swapchains, one per eye, at the recommended size */
    XrViewConfigurationView vcv[2] = {{.type = XR_TYPE_VIEW_CONFIGURATION_VIEW},
                                      {.type = XR_TYPE_VIEW_CONFIGURATION_VIEW}};
    uint32_t nviews = 0;
    XR_CHECK(xrEnumerateViewConfigurationViews(g_instance, system, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                               2, &nviews, vcv));
    int64_t formats[32];
    uint32_t nformats = 0;
    XR_CHECK(xrEnumerateSwapchainFormats(session, 32, &nformats, formats));
    VkFormat format = VK_FORMAT_UNDEFINED;
    for (uint32_t i = 0; i < nformats && format == VK_FORMAT_UNDEFINED; i++)
        if (formats[i] == VK_FORMAT_R8G8B8A8_SRGB || formats[i] == VK_FORMAT_B8G8R8A8_SRGB)
            format = (VkFormat)formats[i];
    if (format == VK_FORMAT_UNDEFINED) format = (VkFormat)formats[0];

    VkAttachmentDescription att = {.format = format,
                                   .samples = VK_SAMPLE_COUNT_1_BIT,
                                   .loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR,
                                   .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
                                   .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
                                   .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
                                   .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
                                   .finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkAttachmentReference ref = {0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription sub = {.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS,
                                .colorAttachmentCount = 1,
                                .pColorAttachments = &ref};
    VkRenderPassCreateInfo rpci = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO,
                                   .attachmentCount = 1,
                                   .pAttachments = &att,
                                   .subpassCount = 1,
                                   .pSubpasses = &sub};
    VK_CHECK(vkCreateRenderPass(device, &rpci, NULL, &render_pass));

    for (int e = 0; e < 2; e++) {
        eye *ey = &eyes[e];
        ey->width = vcv[e].recommendedImageRectWidth;
        ey->height = vcv[e].recommendedImageRectHeight;
        XrSwapchainCreateInfo swci = {.type = XR_TYPE_SWAPCHAIN_CREATE_INFO,
                                      .usageFlags = XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT,
                                      .format = format,
                                      .sampleCount = 1,
                                      .width = ey->width,
                                      .height = ey->height,
                                      .faceCount = 1,
                                      .arraySize = 1,
                                      .mipCount = 1};
        XR_CHECK(xrCreateSwapchain(session, &swci, &ey->swapchain));
        XrSwapchainImageVulkan2KHR imgs[MAX_IMAGES];
        for (int i = 0; i < MAX_IMAGES; i++)
            imgs[i] = (XrSwapchainImageVulkan2KHR){.type = XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR};
        XR_CHECK(xrEnumerateSwapchainImages(ey->swapchain, MAX_IMAGES, &ey->image_count,
                                            (XrSwapchainImageBaseHeader *)imgs));
        for (uint32_t i = 0; i < ey->image_count; i++) {
            ey->images[i] = imgs[i].image;
            VkImageViewCreateInfo ivci = {.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
                                          .image = ey->images[i],
                                          .viewType = VK_IMAGE_VIEW_TYPE_2D,
                                          .format = format,
                                          .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
            VK_CHECK(vkCreateImageView(device, &ivci, NULL, &ey->views[i]));
            VkFramebufferCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
                                           .renderPass = render_pass,
                                           .attachmentCount = 1,
                                           .pAttachments = &ey->views[i],
                                           .width = ey->width,
                                           .height = ey->height,
                                           .layers = 1};
            VK_CHECK(vkCreateFramebuffer(device, &fci, NULL, &ey->framebuffers[i]));
        }
    }

    /* ---- the triangle pipeline */
    VkShaderModuleCreateInfo smci = {.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
                                     .codeSize = sizeof(xr11_tri_vert_spv),
                                     .pCode = xr11_tri_vert_spv};
    VK_CHECK(vkCreateShaderModule(device, &smci, NULL, &vs));
    smci.codeSize = sizeof(xr11_tri_frag_spv);
    smci.pCode = xr11_tri_frag_spv;
    VK_CHECK(vkCreateShaderModule(device, &smci, NULL, &fs));
    VkPushConstantRange pcr = {VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                               6 * sizeof(float)};
    VkPipelineLayoutCreateInfo plci = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
                                       .pushConstantRangeCount = 1,
                                       .pPushConstantRanges = &pcr};
    VK_CHECK(vkCreatePipelineLayout(device, &plci, NULL, &layout));
    VkPipelineShaderStageCreateInfo stages[2] = {
        {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
         .stage = VK_SHADER_STAGE_VERTEX_BIT,
         .module = vs,
         .pName = "main"},
        {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
         .stage = VK_SHADER_STAGE_FRAGMENT_BIT,
         .module = fs,
         .pName = "main"}};
    VkPipelineVertexInputStateCreateInfo vis = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
    VkPipelineInputAssemblyStateCreateInfo ias = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO,
        .topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST};
    VkPipelineViewportStateCreateInfo vps = {.sType = VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO,
                                             .viewportCount = 1,
                                             .scissorCount = 1};
    VkPipelineRasterizationStateCreateInfo rs = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO,
        .polygonMode = VK_POLYGON_MODE_FILL,
        .cullMode = VK_CULL_MODE_NONE,
        .lineWidth = 1.0f};
    VkPipelineMultisampleStateCreateInfo ms = {.sType =
                                                   VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO,
                                               .rasterizationSamples = VK_SAMPLE_COUNT_1_BIT};
    VkPipelineColorBlendAttachmentState cba = {.colorWriteMask = 0xf};
    VkPipelineColorBlendStateCreateInfo cbs = {.sType =
                                                   VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO,
                                               .attachmentCount = 1,
                                               .pAttachments = &cba};
    VkDynamicState dyn[2] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
    VkPipelineDynamicStateCreateInfo ds = {.sType = VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO,
                                           .dynamicStateCount = 2,
                                           .pDynamicStates = dyn};
    VkGraphicsPipelineCreateInfo gpci = {.sType = VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO,
                                         .stageCount = 2,
                                         .pStages = stages,
                                         .pVertexInputState = &vis,
                                         .pInputAssemblyState = &ias,
                                         .pViewportState = &vps,
                                         .pRasterizationState = &rs,
                                         .pMultisampleState = &ms,
                                         .pColorBlendState = &cbs,
                                         .pDynamicState = &ds,
                                         .layout = layout,
                                         .renderPass = render_pass};
    VK_CHECK(vkCreateGraphicsPipelines(device, VK_NULL_HANDLE, 1, &gpci, NULL, &pipeline));
    VkCommandPoolCreateInfo cpci = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                    .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
                                    .queueFamilyIndex = qf};
    VK_CHECK(vkCreateCommandPool(device, &cpci, NULL, &pool));
    VkCommandBufferAllocateInfo cbai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                        .commandPool = pool,
                                        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                        .commandBufferCount = 1};
    VK_CHECK(vkAllocateCommandBuffers(device, &cbai, &cmd));
    VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO,
                             .flags = VK_FENCE_CREATE_SIGNALED_BIT};
    VK_CHECK(vkCreateFence(device, &fci, NULL, &fence));

    /* ---- the frame loop */
    bool running = false, exit_asked = false, done = false;
    while (!done) {
        XrEventDataBuffer ev = {.type = XR_TYPE_EVENT_DATA_BUFFER};
        while (xrPollEvent(g_instance, &ev) == XR_SUCCESS) {
            if (ev.type == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED) {
                const XrEventDataSessionStateChanged *sc = (const XrEventDataSessionStateChanged *)&ev;
                if (sc->state == XR_SESSION_STATE_READY) {
                    XrSessionBeginInfo sbi = {.type = XR_TYPE_SESSION_BEGIN_INFO,
                                              .primaryViewConfigurationType =
                                                  XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO};
                    XR_CHECK(xrBeginSession(session, &sbi));
                    running = true;
                } else if (sc->state == XR_SESSION_STATE_STOPPING) {
                    XR_CHECK(xrEndSession(session));
                    running = false;
                } else if (sc->state == XR_SESSION_STATE_EXITING ||
                           sc->state == XR_SESSION_STATE_LOSS_PENDING) {
                    done = true;
                }
            }
            ev = (XrEventDataBuffer){.type = XR_TYPE_EVENT_DATA_BUFFER};
        }
        if (!running || done) continue;
        if (ended >= frames) {
            /* Done: ask to exit and run no further frame; the session walks to STOPPING by itself. */
            if (!exit_asked) XR_CHECK(xrRequestExitSession(session));
            exit_asked = true;
            continue;
        }
        XrFrameState fs_ = {.type = XR_TYPE_FRAME_STATE};
        XR_CHECK(xrWaitFrame(session, &(XrFrameWaitInfo){.type = XR_TYPE_FRAME_WAIT_INFO}, &fs_));
        XR_CHECK(xrBeginFrame(session, &(XrFrameBeginInfo){.type = XR_TYPE_FRAME_BEGIN_INFO}));
        XrTime t = fs_.predictedDisplayTime;

        /* xrLocateSpaces: the head (VIEW) and LOCAL's origin in LOCAL_FLOOR, with velocities. */
        XrSpace targets[2] = {view, local};
        XrSpaceVelocityData vel[2];
        XrSpaceLocationData loc[2];
        XrSpaceVelocities vels = {.type = XR_TYPE_SPACE_VELOCITIES, .velocityCount = 2, .velocities = vel};
        XrSpaceLocations locs = {
            .type = XR_TYPE_SPACE_LOCATIONS, .next = &vels, .locationCount = 2, .locations = loc};
        XrSpacesLocateInfo sli = {.type = XR_TYPE_SPACES_LOCATE_INFO,
                                  .baseSpace = floor_space,
                                  .time = t,
                                  .spaceCount = 2,
                                  .spaces = targets};
        XR_CHECK(xrLocateSpaces(session, &sli, &locs));
        const XrSpaceLocationFlags valid =
            XR_SPACE_LOCATION_POSITION_VALID_BIT | XR_SPACE_LOCATION_ORIENTATION_VALID_BIT;
        if ((loc[0].locationFlags & valid) != valid || (loc[1].locationFlags & valid) != valid ||
            loc[0].pose.position.y < 1.0f || fabsf(loc[1].pose.position.y - loc[0].pose.position.y) > 0.5f)
            floor_ok = false;
        if (!printed_first || ended == frames - 1)
            printf("frame %ld: xrLocateSpaces in LOCAL_FLOOR: head (%.3f, %.3f, %.3f) m, |v| %.3f m/s, "
                   "LOCAL origin y %.3f m\n",
                   ended, loc[0].pose.position.x, loc[0].pose.position.y, loc[0].pose.position.z,
                   sqrt(vel[0].linearVelocity.x * vel[0].linearVelocity.x +
                        vel[0].linearVelocity.y * vel[0].linearVelocity.y +
                        vel[0].linearVelocity.z * vel[0].linearVelocity.z),
                   loc[1].pose.position.y);
        printed_first = true;

        XrCompositionLayerProjectionView pv[2];
        XrCompositionLayerProjection proj = {
            .type = XR_TYPE_COMPOSITION_LAYER_PROJECTION, .space = floor_space, .viewCount = 2, .views = pv};
        const XrCompositionLayerBaseHeader *layers[1] = {(const XrCompositionLayerBaseHeader *)&proj};
        uint32_t nlayers = 0;
        if (fs_.shouldRender) {
            XrView views[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
            XrViewState vs_ = {.type = XR_TYPE_VIEW_STATE};
            uint32_t n = 0;
            XrViewLocateInfo vli = {.type = XR_TYPE_VIEW_LOCATE_INFO,
                                    .viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                    .displayTime = t,
                                    .space = floor_space};
            XR_CHECK(xrLocateViews(session, &vli, &vs_, 2, &n, views));
            VK_CHECK(vkWaitForFences(device, 1, &fence, VK_TRUE, UINT64_MAX));
            VK_CHECK(vkResetFences(device, 1, &fence));
            VK_CHECK(vkResetCommandBuffer(cmd, 0));
            VkCommandBufferBeginInfo cbbi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                             .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
            VK_CHECK(vkBeginCommandBuffer(cmd, &cbbi));
            for (int e = 0; e < 2; e++) {
                uint32_t idx;
                XR_CHECK(xrAcquireSwapchainImage(
                    eyes[e].swapchain,
                    &(XrSwapchainImageAcquireInfo){.type = XR_TYPE_SWAPCHAIN_IMAGE_ACQUIRE_INFO}, &idx));
                XR_CHECK(xrWaitSwapchainImage(
                    eyes[e].swapchain, &(XrSwapchainImageWaitInfo){.type = XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO,
                                                                   .timeout = XR_INFINITE_DURATION}));
                VkClearValue clear = {.color = {{0.05f, 0.07f, 0.12f, 1.0f}}};
                VkRenderPassBeginInfo rpbi = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
                                              .renderPass = render_pass,
                                              .framebuffer = eyes[e].framebuffers[idx],
                                              .renderArea = {{0, 0}, {eyes[e].width, eyes[e].height}},
                                              .clearValueCount = 1,
                                              .pClearValues = &clear};
                vkCmdBeginRenderPass(cmd, &rpbi, VK_SUBPASS_CONTENTS_INLINE);
                vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline);
                VkViewport vp = {0, 0, (float)eyes[e].width, (float)eyes[e].height, 0, 1};
                VkRect2D sc = {{0, 0}, {eyes[e].width, eyes[e].height}};
                vkCmdSetViewport(cmd, 0, 1, &vp);
                vkCmdSetScissor(cmd, 0, 1, &sc);
                float phase = (float)ended / 90.0f;
                float push[6] = {0.5f + 0.5f * sinf(phase), 0.6f, 0.5f + 0.5f * cosf(phase), 1.0f,
                                 e == 0 ? 0.05f : -0.05f,   0.0f};
                vkCmdPushConstants(cmd, layout, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                                   sizeof(push), push);
                vkCmdDraw(cmd, 3, 1, 0, 0);
                vkCmdEndRenderPass(cmd);
                pv[e] = (XrCompositionLayerProjectionView){
                    .type = XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW,
                    .pose = views[e].pose,
                    .fov = views[e].fov,
                    .subImage = {.swapchain = eyes[e].swapchain,
                                 .imageRect = {{0, 0}, {(int32_t)eyes[e].width, (int32_t)eyes[e].height}}}};
            }
            VK_CHECK(vkEndCommandBuffer(cmd));
            VkSubmitInfo si = {
                .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
            VK_CHECK(vkQueueSubmit(queue, 1, &si, fence));
            for (int e = 0; e < 2; e++)
                XR_CHECK(xrReleaseSwapchainImage(
                    eyes[e].swapchain,
                    &(XrSwapchainImageReleaseInfo){.type = XR_TYPE_SWAPCHAIN_IMAGE_RELEASE_INFO}));
            nlayers = 1;
        }
        XrFrameEndInfo fei = {.type = XR_TYPE_FRAME_END_INFO,
                              .displayTime = t,
                              .environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE,
                              .layerCount = nlayers,
                              .layers = nlayers ? layers : NULL};
        XR_CHECK(xrEndFrame(session, &fei));
        ended++;
        if (nlayers) rendered++;
    }
    printf(
        "frames ended: %ld of %ld, %ld of them rendered (the others came before the session was visible)\n",
        ended, frames, rendered);
    if (!floor_ok)
        fprintf(stderr, "xr11_app: xrLocateSpaces gave an implausible head height above LOCAL_FLOOR\n");
    rc = ended >= frames && rendered > 0 && floor_ok ? 0 : 1;

fail:
    if (device) vkDeviceWaitIdle(device);
    for (int e = 0; e < 2; e++) {
        for (uint32_t i = 0; i < eyes[e].image_count; i++) {
            if (eyes[e].framebuffers[i]) vkDestroyFramebuffer(device, eyes[e].framebuffers[i], NULL);
            if (eyes[e].views[i]) vkDestroyImageView(device, eyes[e].views[i], NULL);
        }
        if (eyes[e].swapchain) xrDestroySwapchain(eyes[e].swapchain);
    }
    if (fence) vkDestroyFence(device, fence, NULL);
    if (pool) vkDestroyCommandPool(device, pool, NULL);
    if (pipeline) vkDestroyPipeline(device, pipeline, NULL);
    if (layout) vkDestroyPipelineLayout(device, layout, NULL);
    if (vs) vkDestroyShaderModule(device, vs, NULL);
    if (fs) vkDestroyShaderModule(device, fs, NULL);
    if (render_pass) vkDestroyRenderPass(device, render_pass, NULL);
    if (view) xrDestroySpace(view);
    if (local) xrDestroySpace(local);
    if (floor_space) xrDestroySpace(floor_space);
    if (session) xrDestroySession(session);
    if (device) vkDestroyDevice(device, NULL);
    if (vk_instance) vkDestroyInstance(vk_instance, NULL);
    if (g_instance) xrDestroyInstance(g_instance);
    return rc;
}
