/* SPDX-License-Identifier: MIT */
/* plx-multiview-clip: does the Vulkan driver draw a primitive that needs clipping in every view of a
 * multiview pass? A standalone program (Vulkan only: no OpenXR, no libparallax) that renders one triangle
 * into a headless 2-layer image, placed per view so that it crosses a side of the view volume in one view
 * only, and counts the lit pixels of each layer. Each case is drawn four ways:
 *
 *   reference   no multiview: a plain render pass per layer (the view named by a push constant)
 *   mv 0b11     one multiview pass over both views (what libparallax records by default)
 *   mv 01+10    two multiview passes, view mask 0b01 then 0b10 (one pass per view)
 *   mv 0b10     the right view alone (view mask 0b10)
 *
 * The Vulkan rule (Fixed-Function Vertex Post-Processing, Primitive Clipping; VK_KHR_multiview): every view
 * of a multiview subpass gets the primitive, and a primitive partly outside the view volume is clipped to it,
 * not discarded. On Mesa lavapipe 22.3 "mv 0b11" loses the whole triangle in view 1 when view 1 must clip it:
 * see runtime/README.md ("Multiview on Mesa lavapipe").
 *
 * Prints a table of pixel counts and "<driver> drops clipped primitives in view 1: yes|no". Exit status: 0
 * when every one-view-at-a-time variant matches the reference in every case (the per-view path libparallax
 * falls back to draws whole eyes); 1 when one does not, when a layer of the reference is empty (the test
 * would prove nothing), or on any validation message; 2 on a Vulkan failure. The driver's own multiview
 * result is a reported fact, not a failure. --quiet prints only the verdict lines. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vulkan/vulkan.h>

#include "multiview_clip.frag.spv.h"
#include "multiview_clip.vert.spv.h"

#define SIZE 64 /* pixels per side of each layer */

#define VK_CHECK(call)                                                                                       \
    do {                                                                                                     \
        VkResult vk_check_result = (call);                                                                   \
        if (vk_check_result != VK_SUCCESS) {                                                                 \
            fprintf(stderr, "multiview-clip: %s failed: VkResult %d (%s:%d)\n", #call, (int)vk_check_result, \
                    __FILE__, __LINE__);                                                                     \
            return false;                                                                                    \
        }                                                                                                    \
    } while (0)

typedef struct place {
    float shift[2][4]; /* per view: x, y offset, depth of vertex 0, unused */
    int32_t view_base;
} place;

typedef struct pass {
    uint32_t view_mask; /* 0: no multiview */
    VkRenderPass render_pass;
    VkPipeline pipeline;
    VkFramebuffer framebuffer[2]; /* multiview: [0] spans both layers; no multiview: one per layer */
} pass;

enum { PASS_REF, PASS_MV11, PASS_MV01, PASS_MV10, PASS_COUNT };

typedef struct gpu {
    VkInstance instance;
    VkDebugUtilsMessengerEXT messenger;
    PFN_vkDestroyDebugUtilsMessengerEXT destroy_messenger;
    VkPhysicalDevice physical;
    VkPhysicalDeviceProperties props;
    VkPhysicalDeviceDriverProperties driver;
    VkDevice device;
    VkQueue queue;
    VkCommandPool pool;
    VkCommandBuffer cmd;
    VkFence fence;
    VkImage image;
    VkDeviceMemory image_memory;
    VkImageView both_layers, layer[2];
    VkBuffer readback;
    VkDeviceMemory readback_memory;
    const uint8_t *pixels;
    VkPipelineLayout layout;
    pass passes[PASS_COUNT];
    uint32_t validation_messages;
} gpu;

static VKAPI_ATTR VkBool32 VKAPI_CALL on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                 VkDebugUtilsMessageTypeFlagsEXT types,
                                                 const VkDebugUtilsMessengerCallbackDataEXT *data, void *user)
{
    gpu *g = user;
    bool counted = (severity & (VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                                VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT)) &&
                   (types & (VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                             VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT));
    if (counted) {
        g->validation_messages++;
        fprintf(stderr, "multiview-clip: validation: %s\n", data && data->pMessage ? data->pMessage : "");
    }
    return VK_FALSE;
}

static bool layer_available(const char *name)
{
    uint32_t n = 0;
    if (vkEnumerateInstanceLayerProperties(&n, NULL) != VK_SUCCESS || n == 0) return false;
    VkLayerProperties *props = calloc(n, sizeof *props);
    bool found = false;
    if (props && vkEnumerateInstanceLayerProperties(&n, props) == VK_SUCCESS) {
        for (uint32_t i = 0; i < n && !found; i++) found = strcmp(props[i].layerName, name) == 0;
    }
    free(props);
    return found;
}

static bool create_instance(gpu *g)
{
    const char *layers[] = {"VK_LAYER_KHRONOS_validation"};
    const char *exts[] = {VK_EXT_DEBUG_UTILS_EXTENSION_NAME};
    bool validation = layer_available(layers[0]);
    if (!validation)
        fprintf(stderr, "multiview-clip: VK_LAYER_KHRONOS_validation is not installed; running without it\n");
    VkApplicationInfo app = {
        .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
        .pApplicationName = "plx-multiview-clip",
        .apiVersion = VK_API_VERSION_1_2,
    };
    VkInstanceCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
        .pApplicationInfo = &app,
        .enabledLayerCount = validation ? 1 : 0,
        .ppEnabledLayerNames = layers,
        .enabledExtensionCount = validation ? 1 : 0,
        .ppEnabledExtensionNames = exts,
    };
    VK_CHECK(vkCreateInstance(&ci, NULL, &g->instance));
    if (!validation) return true;
    PFN_vkCreateDebugUtilsMessengerEXT create = (PFN_vkCreateDebugUtilsMessengerEXT)vkGetInstanceProcAddr(
        g->instance, "vkCreateDebugUtilsMessengerEXT");
    g->destroy_messenger = (PFN_vkDestroyDebugUtilsMessengerEXT)vkGetInstanceProcAddr(
        g->instance, "vkDestroyDebugUtilsMessengerEXT");
    if (!create || !g->destroy_messenger) {
        fprintf(stderr, "multiview-clip: vkCreateDebugUtilsMessengerEXT not found\n");
        return false;
    }
    VkDebugUtilsMessengerCreateInfoEXT mi = {
        .sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
        .messageSeverity =
            VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
        .messageType =
            VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
        .pfnUserCallback = on_message,
        .pUserData = g,
    };
    VK_CHECK(create(g->instance, &mi, NULL, &g->messenger));
    return true;
}

static bool create_device(gpu *g)
{
    /* The first device: the tests pin lavapipe with VK_DRIVER_FILES, like every other test of the project. */
    uint32_t n = 1;
    VkResult r = vkEnumeratePhysicalDevices(g->instance, &n, &g->physical);
    if ((r != VK_SUCCESS && r != VK_INCOMPLETE) || n == 0) {
        fprintf(stderr, "multiview-clip: no Vulkan device (vkEnumeratePhysicalDevices: VkResult %d)\n",
                (int)r);
        return false;
    }
    vkGetPhysicalDeviceProperties(g->physical, &g->props);
    g->driver =
        (VkPhysicalDeviceDriverProperties){.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
    if (g->props.apiVersion >= VK_API_VERSION_1_2) {
        VkPhysicalDeviceProperties2 p2 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
                                          .pNext = &g->driver};
        vkGetPhysicalDeviceProperties2(g->physical, &p2);
    }
    VkPhysicalDeviceMultiviewFeatures mv = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES};
    VkPhysicalDeviceFeatures2 f2 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, .pNext = &mv};
    vkGetPhysicalDeviceFeatures2(g->physical, &f2);
    if (!mv.multiview) {
        fprintf(stderr, "multiview-clip: %s has no multiview\n", g->props.deviceName);
        return false;
    }
    uint32_t nf = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(g->physical, &nf, NULL);
    VkQueueFamilyProperties qf[16];
    if (nf > 16) nf = 16;
    vkGetPhysicalDeviceQueueFamilyProperties(g->physical, &nf, qf);
    uint32_t family = UINT32_MAX;
    for (uint32_t i = 0; i < nf && family == UINT32_MAX; i++) {
        if (qf[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) family = i;
    }
    if (family == UINT32_MAX) {
        fprintf(stderr, "multiview-clip: %s has no graphics queue\n", g->props.deviceName);
        return false;
    }
    const float priority = 1.0f;
    VkDeviceQueueCreateInfo qi = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
        .queueFamilyIndex = family,
        .queueCount = 1,
        .pQueuePriorities = &priority,
    };
    VkPhysicalDeviceMultiviewFeatures mv_on = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES,
                                               .multiview = VK_TRUE};
    VkDeviceCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
        .pNext = &mv_on,
        .queueCreateInfoCount = 1,
        .pQueueCreateInfos = &qi,
    };
    VK_CHECK(vkCreateDevice(g->physical, &ci, NULL, &g->device));
    vkGetDeviceQueue(g->device, family, 0, &g->queue);
    VkCommandPoolCreateInfo pi = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
        .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
        .queueFamilyIndex = family,
    };
    VK_CHECK(vkCreateCommandPool(g->device, &pi, NULL, &g->pool));
    VkCommandBufferAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
        .commandPool = g->pool,
        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
        .commandBufferCount = 1,
    };
    VK_CHECK(vkAllocateCommandBuffers(g->device, &ai, &g->cmd));
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VK_CHECK(vkCreateFence(g->device, &fi, NULL, &g->fence));
    return true;
}

static bool memory_type(const gpu *g, uint32_t bits, VkMemoryPropertyFlags want, uint32_t *out)
{
    VkPhysicalDeviceMemoryProperties mp;
    vkGetPhysicalDeviceMemoryProperties(g->physical, &mp);
    for (uint32_t i = 0; i < mp.memoryTypeCount; i++) {
        if ((bits & (1u << i)) && (mp.memoryTypes[i].propertyFlags & want) == want) {
            *out = i;
            return true;
        }
    }
    fprintf(stderr, "multiview-clip: no memory type with flags 0x%x\n", (unsigned)want);
    return false;
}

static bool create_images(gpu *g)
{
    VkImageCreateInfo ii = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
        .imageType = VK_IMAGE_TYPE_2D,
        .format = VK_FORMAT_R8G8B8A8_UNORM,
        .extent = {SIZE, SIZE, 1},
        .mipLevels = 1,
        .arrayLayers = 2,
        .samples = VK_SAMPLE_COUNT_1_BIT,
        .tiling = VK_IMAGE_TILING_OPTIMAL,
        .usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT |
                 VK_IMAGE_USAGE_TRANSFER_DST_BIT,
        .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
    };
    VK_CHECK(vkCreateImage(g->device, &ii, NULL, &g->image));
    VkMemoryRequirements req;
    vkGetImageMemoryRequirements(g->device, g->image, &req);
    VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = req.size};
    if (!memory_type(g, req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, &ai.memoryTypeIndex))
        return false;
    VK_CHECK(vkAllocateMemory(g->device, &ai, NULL, &g->image_memory));
    VK_CHECK(vkBindImageMemory(g->device, g->image, g->image_memory, 0));
    for (int v = -1; v < 2; v++) {
        VkImageViewCreateInfo vi = {
            .sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
            .image = g->image,
            .viewType = VK_IMAGE_VIEW_TYPE_2D_ARRAY,
            .format = ii.format,
            .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, v < 0 ? 0 : (uint32_t)v, v < 0 ? 2 : 1},
        };
        VK_CHECK(vkCreateImageView(g->device, &vi, NULL, v < 0 ? &g->both_layers : &g->layer[v]));
    }
    VkBufferCreateInfo bi = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
        .size = 2 * SIZE * SIZE * 4,
        .usage = VK_BUFFER_USAGE_TRANSFER_DST_BIT,
    };
    VK_CHECK(vkCreateBuffer(g->device, &bi, NULL, &g->readback));
    vkGetBufferMemoryRequirements(g->device, g->readback, &req);
    ai.allocationSize = req.size;
    if (!memory_type(g, req.memoryTypeBits,
                     VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                     &ai.memoryTypeIndex))
        return false;
    VK_CHECK(vkAllocateMemory(g->device, &ai, NULL, &g->readback_memory));
    VK_CHECK(vkBindBufferMemory(g->device, g->readback, g->readback_memory, 0));
    void *mapped = NULL;
    VK_CHECK(vkMapMemory(g->device, g->readback_memory, 0, VK_WHOLE_SIZE, 0, &mapped));
    g->pixels = mapped;
    return true;
}

/* The image is cleared and read back outside the passes, so every pass loads and stores; the external
 * dependencies order a pass after the clear or the pass before it, and the readback after it. */
static bool create_pass(gpu *g, VkShaderModule vs, VkShaderModule fs, uint32_t view_mask, pass *out)
{
    out->view_mask = view_mask;
    VkAttachmentDescription color = {
        .format = VK_FORMAT_R8G8B8A8_UNORM,
        .samples = VK_SAMPLE_COUNT_1_BIT,
        .loadOp = VK_ATTACHMENT_LOAD_OP_LOAD,
        .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
        .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
        .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
        .initialLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
        .finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
    };
    VkAttachmentReference ref = {0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription sub = {
        .pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS,
        .colorAttachmentCount = 1,
        .pColorAttachments = &ref,
    };
    VkSubpassDependency deps[2] = {
        {
            .srcSubpass = VK_SUBPASS_EXTERNAL,
            .dstSubpass = 0,
            .srcStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
            .dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
            .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
            .dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
        },
        {
            .srcSubpass = 0,
            .dstSubpass = VK_SUBPASS_EXTERNAL,
            .srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
            .dstStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
            .srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
            .dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_READ_BIT |
                             VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
        },
    };
    VkRenderPassMultiviewCreateInfo mv = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_MULTIVIEW_CREATE_INFO,
        .subpassCount = 1,
        .pViewMasks = &view_mask,
    };
    VkRenderPassCreateInfo rci = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO,
        .pNext = view_mask ? &mv : NULL,
        .attachmentCount = 1,
        .pAttachments = &color,
        .subpassCount = 1,
        .pSubpasses = &sub,
        .dependencyCount = 2,
        .pDependencies = deps,
    };
    VK_CHECK(vkCreateRenderPass(g->device, &rci, NULL, &out->render_pass));
    for (uint32_t i = 0; i < (view_mask ? 1u : 2u); i++) {
        VkFramebufferCreateInfo fi = {
            .sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
            .renderPass = out->render_pass,
            .attachmentCount = 1,
            .pAttachments = view_mask ? &g->both_layers : &g->layer[i],
            .width = SIZE,
            .height = SIZE,
            .layers = 1,
        };
        VK_CHECK(vkCreateFramebuffer(g->device, &fi, NULL, &out->framebuffer[i]));
    }

    VkPipelineShaderStageCreateInfo stages[2] = {
        {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
         .stage = VK_SHADER_STAGE_VERTEX_BIT,
         .module = vs,
         .pName = "main"},
        {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
         .stage = VK_SHADER_STAGE_FRAGMENT_BIT,
         .module = fs,
         .pName = "main"},
    };
    VkPipelineVertexInputStateCreateInfo vi = {.sType =
                                                   VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
    VkPipelineInputAssemblyStateCreateInfo ia = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO,
        .topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST,
    };
    VkViewport viewport = {0, 0, SIZE, SIZE, 0.0f, 1.0f};
    VkRect2D scissor = {{0, 0}, {SIZE, SIZE}};
    VkPipelineViewportStateCreateInfo vp = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO,
        .viewportCount = 1,
        .pViewports = &viewport,
        .scissorCount = 1,
        .pScissors = &scissor,
    };
    VkPipelineRasterizationStateCreateInfo rs = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO,
        .polygonMode = VK_POLYGON_MODE_FILL,
        .cullMode = VK_CULL_MODE_NONE,
        .lineWidth = 1.0f,
    };
    VkPipelineMultisampleStateCreateInfo ms = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO,
        .rasterizationSamples = VK_SAMPLE_COUNT_1_BIT,
    };
    VkPipelineColorBlendAttachmentState cba = {.colorWriteMask = 0xf};
    VkPipelineColorBlendStateCreateInfo cb = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO,
        .attachmentCount = 1,
        .pAttachments = &cba,
    };
    VkGraphicsPipelineCreateInfo pci = {
        .sType = VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO,
        .stageCount = 2,
        .pStages = stages,
        .pVertexInputState = &vi,
        .pInputAssemblyState = &ia,
        .pViewportState = &vp,
        .pRasterizationState = &rs,
        .pMultisampleState = &ms,
        .pColorBlendState = &cb,
        .layout = g->layout,
        .renderPass = out->render_pass,
    };
    VK_CHECK(vkCreateGraphicsPipelines(g->device, VK_NULL_HANDLE, 1, &pci, NULL, &out->pipeline));
    return true;
}

static bool create_passes(gpu *g)
{
    VkPushConstantRange pcr = {VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof(place)};
    VkPipelineLayoutCreateInfo li = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .pushConstantRangeCount = 1,
        .pPushConstantRanges = &pcr,
    };
    VK_CHECK(vkCreatePipelineLayout(g->device, &li, NULL, &g->layout));
    VkShaderModule vs = VK_NULL_HANDLE, fs = VK_NULL_HANDLE;
    VkShaderModuleCreateInfo vi = {.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
                                   .codeSize = sizeof multiview_clip_vert_spv,
                                   .pCode = multiview_clip_vert_spv};
    VkShaderModuleCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
                                   .codeSize = sizeof multiview_clip_frag_spv,
                                   .pCode = multiview_clip_frag_spv};
    bool ok = vkCreateShaderModule(g->device, &vi, NULL, &vs) == VK_SUCCESS &&
              vkCreateShaderModule(g->device, &fi, NULL, &fs) == VK_SUCCESS;
    if (!ok) fprintf(stderr, "multiview-clip: vkCreateShaderModule failed\n");
    const uint32_t masks[PASS_COUNT] = {[PASS_REF] = 0, [PASS_MV11] = 3, [PASS_MV01] = 1, [PASS_MV10] = 2};
    for (int i = 0; ok && i < PASS_COUNT; i++) ok = create_pass(g, vs, fs, masks[i], &g->passes[i]);
    vkDestroyShaderModule(g->device, vs, NULL);
    vkDestroyShaderModule(g->device, fs, NULL);
    return ok;
}

typedef struct step {
    int pass;
    int framebuffer; /* index into pass.framebuffer; for the reference also the view it draws */
} step;

typedef struct variant {
    const char *name;
    step steps[2];
    int step_count;
    uint32_t views; /* the layers this variant draws */
} variant;

static const variant variants[] = {
    {"reference", {{PASS_REF, 0}, {PASS_REF, 1}}, 2, 3},
    {"mv 0b11", {{PASS_MV11, 0}}, 1, 3},
    {"mv 01+10", {{PASS_MV01, 0}, {PASS_MV10, 0}}, 2, 3},
    {"mv 0b10", {{PASS_MV10, 0}}, 1, 2},
};
enum { V_REF, V_MV11, V_PER_VIEW, V_MV10, VARIANT_COUNT };

typedef struct clip_case {
    const char *name;
    float shift[2][4];
} clip_case;

/* The triangle spans x -0.5..0.5, y -0.5..0.5 at depth 0.5; a shift of 0.8 puts 0.3 of it beyond a side. */
static const clip_case cases[] = {
    {"inside both views", {{-0.2f, 0, 0.5f}, {0.2f, 0, 0.5f}}},
    {"right view crosses its right side", {{0, 0, 0.5f}, {0.8f, 0, 0.5f}}},
    {"right view crosses its bottom side", {{0, 0, 0.5f}, {0, 0.8f, 0.5f}}},
    {"right view crosses its near plane", {{0, 0, 0.5f}, {0, 0, -0.5f}}},
    {"left view crosses its left side", {{-0.8f, 0, 0.5f}, {0, 0, 0.5f}}},
    {"both views cross a side", {{-0.8f, 0, 0.5f}, {0.8f, 0, 0.5f}}},
};
#define CASE_COUNT (int)(sizeof cases / sizeof cases[0])

static void image_barrier(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to,
                          VkAccessFlags src_access, VkAccessFlags dst_access, VkPipelineStageFlags src_stage,
                          VkPipelineStageFlags dst_stage)
{
    VkImageMemoryBarrier b = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
        .srcAccessMask = src_access,
        .dstAccessMask = dst_access,
        .oldLayout = from,
        .newLayout = to,
        .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .image = image,
        .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 2},
    };
    vkCmdPipelineBarrier(cmd, src_stage, dst_stage, 0, 0, NULL, 0, NULL, 1, &b);
}

/* Clears both layers, runs the variant's passes, reads both layers back; out_lit[layer] = lit pixels. */
static bool draw(gpu *g, const variant *v, const clip_case *c, uint32_t out_lit[2])
{
    VkCommandBuffer cmd = g->cmd;
    VK_CHECK(vkResetCommandBuffer(cmd, 0));
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    VK_CHECK(vkBeginCommandBuffer(cmd, &bi));
    image_barrier(cmd, g->image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 0,
                  VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
                  VK_PIPELINE_STAGE_TRANSFER_BIT);
    VkClearColorValue black = {.float32 = {0, 0, 0, 0}};
    VkImageSubresourceRange all = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 2};
    vkCmdClearColorImage(cmd, g->image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &black, 1, &all);
    image_barrier(cmd, g->image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                  VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_ACCESS_TRANSFER_WRITE_BIT,
                  VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
                  VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT);
    for (int s = 0; s < v->step_count; s++) {
        const pass *p = &g->passes[v->steps[s].pass];
        int fb = v->steps[s].framebuffer;
        VkRenderPassBeginInfo rb = {
            .sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
            .renderPass = p->render_pass,
            .framebuffer = p->framebuffer[fb],
            .renderArea = {{0, 0}, {SIZE, SIZE}},
        };
        vkCmdBeginRenderPass(cmd, &rb, VK_SUBPASS_CONTENTS_INLINE);
        vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, p->pipeline);
        place pl = {.view_base = p->view_mask ? 0 : fb};
        memcpy(pl.shift, c->shift, sizeof pl.shift);
        vkCmdPushConstants(cmd, g->layout, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof pl, &pl);
        vkCmdDraw(cmd, 3, 1, 0, 0);
        vkCmdEndRenderPass(cmd);
    }
    image_barrier(cmd, g->image, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                  VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
                  VK_ACCESS_TRANSFER_READ_BIT, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                  VK_PIPELINE_STAGE_TRANSFER_BIT);
    VkBufferImageCopy copy = {
        .imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 2},
        .imageExtent = {SIZE, SIZE, 1},
    };
    vkCmdCopyImageToBuffer(cmd, g->image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, g->readback, 1, &copy);
    VkBufferMemoryBarrier host = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_HOST_READ_BIT,
        .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .buffer = g->readback,
        .size = VK_WHOLE_SIZE,
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 0, NULL, 1,
                         &host, 0, NULL);
    VK_CHECK(vkEndCommandBuffer(cmd));
    VkSubmitInfo si = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
    VK_CHECK(vkQueueSubmit(g->queue, 1, &si, g->fence));
    VK_CHECK(vkWaitForFences(g->device, 1, &g->fence, VK_TRUE, UINT64_MAX));
    VK_CHECK(vkResetFences(g->device, 1, &g->fence));
    for (int layer = 0; layer < 2; layer++) {
        const uint8_t *px = g->pixels + (size_t)layer * SIZE * SIZE * 4;
        uint32_t lit = 0;
        for (int i = 0; i < SIZE * SIZE; i++) lit += px[i * 4] > 127;
        out_lit[layer] = lit;
    }
    return true;
}

static void destroy(gpu *g)
{
    if (g->device) {
        vkDeviceWaitIdle(g->device); /* a test program's own device: nothing else submits to it */
        for (int i = 0; i < PASS_COUNT; i++) {
            pass *p = &g->passes[i];
            vkDestroyPipeline(g->device, p->pipeline, NULL);
            for (int f = 0; f < 2; f++) vkDestroyFramebuffer(g->device, p->framebuffer[f], NULL);
            vkDestroyRenderPass(g->device, p->render_pass, NULL);
        }
        vkDestroyPipelineLayout(g->device, g->layout, NULL);
        if (g->pixels) vkUnmapMemory(g->device, g->readback_memory);
        vkDestroyBuffer(g->device, g->readback, NULL);
        vkFreeMemory(g->device, g->readback_memory, NULL);
        vkDestroyImageView(g->device, g->both_layers, NULL);
        for (int i = 0; i < 2; i++) vkDestroyImageView(g->device, g->layer[i], NULL);
        vkDestroyImage(g->device, g->image, NULL);
        vkFreeMemory(g->device, g->image_memory, NULL);
        vkDestroyFence(g->device, g->fence, NULL);
        vkDestroyCommandPool(g->device, g->pool, NULL);
        vkDestroyDevice(g->device, NULL);
    }
    if (g->messenger) g->destroy_messenger(g->instance, g->messenger, NULL);
    if (g->instance) vkDestroyInstance(g->instance, NULL);
}

int main(int argc, char **argv)
{
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quiet")) {
            quiet = true;
        } else {
            fprintf(stderr, "usage: %s [--quiet]\n", argv[0]);
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    gpu g = {0};
    int status = 2;
    if (!create_instance(&g) || !create_device(&g) || !create_images(&g) || !create_passes(&g)) goto done;
    printf("device: %s, driver %s %s (VkDriverId %d)\n", g.props.deviceName, g.driver.driverName,
           g.driver.driverInfo, (int)g.driver.driverID);

    uint32_t lit[CASE_COUNT][VARIANT_COUNT][2];
    for (int c = 0; c < CASE_COUNT; c++) {
        for (int v = 0; v < VARIANT_COUNT; v++) {
            if (!draw(&g, &variants[v], &cases[c], lit[c][v])) goto done;
        }
    }

    if (!quiet) {
        printf("lit pixels of %dx%d per view, left/right:\n%-36s", SIZE, SIZE, "case");
        for (int v = 0; v < VARIANT_COUNT; v++) printf(" %13s", variants[v].name);
        printf("\n");
        for (int c = 0; c < CASE_COUNT; c++) {
            printf("%-36s", cases[c].name);
            for (int v = 0; v < VARIANT_COUNT; v++) {
                char cell[32];
                if (variants[v].views & 1)
                    snprintf(cell, sizeof cell, "%u/%u", lit[c][v][0], lit[c][v][1]);
                else
                    snprintf(cell, sizeof cell, "-/%u", lit[c][v][1]);
                printf(" %13s", cell);
            }
            printf("\n");
        }
    }

    /* Judge: every view a variant draws must match the reference in every case. */
    status = 0;
    bool bug_view[2] = {false, false};
    for (int c = 0; c < CASE_COUNT; c++) {
        for (int view = 0; view < 2; view++) {
            if (lit[c][V_REF][view] == 0) {
                fprintf(stderr, "multiview-clip: FAIL: the reference drew nothing in view %d of \"%s\"\n",
                        view, cases[c].name);
                status = 1;
            }
        }
        for (int v = V_MV11; v < VARIANT_COUNT; v++) {
            for (int view = 0; view < 2; view++) {
                if (!(variants[v].views & (1u << view)) || lit[c][v][view] == lit[c][V_REF][view]) continue;
                if (v == V_MV11) {
                    bug_view[view] = true;
                    continue;
                }
                fprintf(
                    stderr,
                    "multiview-clip: FAIL: \"%s\" drew %u pixels in view %d of \"%s\", the reference %u: the "
                    "one-pass-per-view path draws an incomplete eye\n",
                    variants[v].name, lit[c][v][view], view, cases[c].name, lit[c][V_REF][view]);
                status = 1;
            }
        }
    }
    printf("%s drops clipped primitives in view 1: %s\n",
           g.driver.driverName[0] ? g.driver.driverName : "driver", bug_view[1] ? "yes" : "no");
    printf("%s drops clipped primitives in view 0: %s\n",
           g.driver.driverName[0] ? g.driver.driverName : "driver", bug_view[0] ? "yes" : "no");
    printf("one pass per view (mv 01+10, mv 0b10) draws both views whole: %s\n", status == 0 ? "yes" : "no");
    if (g.validation_messages) {
        fprintf(stderr, "multiview-clip: FAIL: %u validation messages\n", g.validation_messages);
        status = 1;
    }
done:
    destroy(&g);
    return status;
}
