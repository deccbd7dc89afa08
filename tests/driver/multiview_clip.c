/* SPDX-License-Identifier: MIT */
/* plx-multiview-clip: does the Vulkan driver draw a primitive that needs clipping in every view of a
 * multiview pass? A standalone program (Vulkan only: no OpenXR, no libparallax) that renders triangles into a
 * headless 2-layer image, placed per view so that they cross a side of the view volume (or the near plane) in
 * one view or both, and counts the lit pixels of each layer. Each case is drawn five ways:
 *
 *   reference   no multiview: a plain render pass per layer (the view named by a push constant)
 *   mv 0b11     one multiview pass over both views (libparallax's default)
 *   pass/eye    ONE render pass with view mask 0b01, begun on layer 0 and then on layer 1 (one-layer views),
 *               the same pipeline in both: libparallax's pass per eye (runtime/src/gpu/multiview.c)
 *   mv 01+10    two multiview passes, view mask 0b01 then 0b10 (two render passes, two pipelines)
 *   mv 0b10     the right view alone (view mask 0b10)
 *
 * The Vulkan rules: multiview broadcasts every draw of the subpass to each view in the view mask, each view
 * to its own layer (Render Pass, VkRenderPassMultiviewCreateInfo); a primitive partly outside the view volume
 * is clipped to it, primitives and the parts of primitives inside it are rasterized (Fixed-Function Vertex
 * Post-Processing, Primitive Clipping). On Mesa lavapipe 22.3 "mv 0b11" breaks both for view 1 whenever view
 * 0 clipped a primitive of the same draw: view 1's clipped primitives land in layer 0, so view 1 loses them
 * and view 0 shows them (runtime/README.md, "Multiview on Mesa lavapipe").
 *
 * Prints a table of pixel counts and the verdicts, among them "<driver> loses clipped primitives of view 1:
 * yes|no". Exit status: 0 when libparallax's pass per eye matches the reference in every case and, if the
 * driver loses primitives, libparallax's PARALLAX_MULTIVIEW_WORKAROUND=auto rule (gpu/plx_multiview_quirk.h)
 * covers it; 1 when not, when a layer of the reference is empty (the test would prove nothing), or on any
 * validation message; 2 on a Vulkan failure. The driver's own multiview result is a reported fact, not a
 * failure. --quiet prints only the verdicts. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vulkan/vulkan.h>

#include "gpu/plx_multiview_quirk.h" /* libparallax's rule for which drivers get a pass per eye */
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
    VkFramebuffer framebuffer[3]; /* on the view of layer 0, of layer 1, of both layers (multiview only) */
} pass;

enum { TARGET_LAYER0, TARGET_LAYER1, TARGET_BOTH };

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
    for (int t = TARGET_LAYER0; t <= TARGET_BOTH; t++) {
        /* A one-layer view only where the view mask's highest view is 0 (VUID-VkFramebufferCreateInfo-
         * renderPass-04536); the view of both layers only with multiview. */
        if (t == TARGET_BOTH ? view_mask == 0 : view_mask > 1) continue;
        VkFramebufferCreateInfo fi = {
            .sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
            .renderPass = out->render_pass,
            .attachmentCount = 1,
            .pAttachments = t == TARGET_BOTH ? &g->both_layers : &g->layer[t],
            .width = SIZE,
            .height = SIZE,
            .layers = 1,
        };
        VK_CHECK(vkCreateFramebuffer(g->device, &fi, NULL, &out->framebuffer[t]));
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
    int target;    /* TARGET_*: the framebuffer */
    int view_base; /* the view drawn as view 0: pass/eye and the reference name the eye, as libparallax's
                      uniforms do */
} step;

typedef struct variant {
    const char *name;
    step steps[2];
    int step_count;
    uint32_t views; /* the layers this variant draws */
} variant;

static const variant variants[] = {
    {"reference", {{PASS_REF, TARGET_LAYER0, 0}, {PASS_REF, TARGET_LAYER1, 1}}, 2, 3},
    {"mv 0b11", {{PASS_MV11, TARGET_BOTH, 0}}, 1, 3},
    {"pass/eye", {{PASS_MV01, TARGET_LAYER0, 0}, {PASS_MV01, TARGET_LAYER1, 1}}, 2, 3},
    {"mv 01+10", {{PASS_MV01, TARGET_BOTH, 0}, {PASS_MV10, TARGET_BOTH, 0}}, 2, 3},
    {"mv 0b10", {{PASS_MV10, TARGET_BOTH, 0}}, 1, 2},
};
enum { V_REF, V_MV11, V_PASS_PER_EYE, V_MV01_10, V_MV10, VARIANT_COUNT };

typedef struct clip_case {
    const char *name;
    float shift[2][2][4]; /* per draw, per view */
    int draws;
} clip_case;

/* The triangle spans x -0.5..0.5, y -0.5..0.5 at depth 0.5; a shift of 0.8 puts 0.3 of it beyond a side. */
#define IN_L              \
    {                     \
        -0.2f, 0, 0.5f, 0 \
    }
#define IN_R             \
    {                    \
        0.2f, 0, 0.5f, 0 \
    }
#define IN            \
    {                 \
        0, 0, 0.5f, 0 \
    }
static const clip_case cases[] = {
    {"inside both views", {{IN_L, IN_R}}, 1},
    {"view 1 crosses its right side", {{IN, {0.8f, 0, 0.5f, 0}}}, 1},
    {"view 1 crosses its near plane", {{IN, {0, 0, -0.5f, 0}}}, 1},
    {"view 0 crosses its left side", {{{-0.8f, 0, 0.5f, 0}, IN}}, 1},
    {"both cross a side", {{{-0.8f, 0, 0.5f, 0}, {0.8f, 0, 0.5f, 0}}}, 1},
    {"both cross, other sides", {{{0, -0.8f, 0.5f, 0}, {0, 0.8f, 0.5f, 0}}}, 1},
    {"view 0 near, view 1 side", {{{0, 0, -0.5f, 0}, {0.8f, 0, 0.5f, 0}}}, 1},
    {"view 0 in draw 1, view 1 in draw 2",
     {{{-0.8f, 0, 0.5f, 0}, {0.2f, -0.3f, 0.5f, 0}}, {{-0.2f, -0.3f, 0.5f, 0}, {0.8f, 0, 0.5f, 0}}},
     2},
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
        const step *st = &v->steps[s];
        const pass *p = &g->passes[st->pass];
        VkRenderPassBeginInfo rb = {
            .sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
            .renderPass = p->render_pass,
            .framebuffer = p->framebuffer[st->target],
            .renderArea = {{0, 0}, {SIZE, SIZE}},
        };
        vkCmdBeginRenderPass(cmd, &rb, VK_SUBPASS_CONTENTS_INLINE);
        vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, p->pipeline);
        for (int d = 0; d < c->draws; d++) {
            place pl = {.view_base = st->view_base};
            memcpy(pl.shift, c->shift[d], sizeof pl.shift);
            vkCmdPushConstants(cmd, g->layout, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof pl, &pl);
            vkCmdDraw(cmd, 3, 1, 0, 0);
        }
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
            for (int f = 0; f < 3; f++) vkDestroyFramebuffer(g->device, p->framebuffer[f], NULL);
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
        printf("lit pixels of %dx%d per view, view 0/view 1:\n%-36s", SIZE, SIZE, "case");
        for (int v = 0; v < VARIANT_COUNT; v++) printf(" %10s", variants[v].name);
        printf("\n");
        for (int c = 0; c < CASE_COUNT; c++) {
            printf("%-36s", cases[c].name);
            for (int v = 0; v < VARIANT_COUNT; v++) {
                char cell[32];
                if (variants[v].views & 1)
                    snprintf(cell, sizeof cell, "%u/%u", lit[c][v][0], lit[c][v][1]);
                else
                    snprintf(cell, sizeof cell, "-/%u", lit[c][v][1]);
                printf(" %10s", cell);
            }
            printf("\n");
        }
    }

    /* Judge: the reference must draw something in every view; libparallax's pass per eye must match it. The
     * other variants are facts about the driver. */
    status = 0;
    bool lost[2] = {false, false}, extra[2] = {false, false}, variant_ok[VARIANT_COUNT];
    for (int v = 0; v < VARIANT_COUNT; v++) variant_ok[v] = true;
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
                uint32_t got = lit[c][v][view], want = lit[c][V_REF][view];
                if (!(variants[v].views & (1u << view)) || got == want) continue;
                variant_ok[v] = false;
                if (v == V_MV11) {
                    if (got < want) lost[view] = true;
                    if (got > want) extra[view] = true;
                } else if (v == V_PASS_PER_EYE) {
                    fprintf(stderr,
                            "multiview-clip: FAIL: \"%s\" drew %u pixels in view %d of \"%s\", the reference "
                            "%u: libparallax's pass per eye draws an incomplete eye\n",
                            variants[v].name, got, view, cases[c].name, want);
                    status = 1;
                }
            }
        }
    }
    const char *name = g.driver.driverName[0] ? g.driver.driverName : g.props.deviceName;
    bool rule = plx_multiview_driver_drops_view1_clipped(g.driver.driverID, g.props.driverVersion);
    printf("%s loses clipped primitives of view 1 in a multiview pass: %s\n", name, lost[1] ? "yes" : "no");
    printf("%s draws primitives of another view into view 0: %s\n", name, extra[0] ? "yes" : "no");
    printf("%s loses primitives of view 0: %s\n", name, lost[0] ? "yes" : "no");
    for (int v = V_PASS_PER_EYE; v < VARIANT_COUNT; v++)
        printf("%s draws both views whole: %s\n", variants[v].name, variant_ok[v] ? "yes" : "no");
    printf("libparallax's PARALLAX_MULTIVIEW_WORKAROUND=auto renders a pass per eye on this driver: %s\n",
           rule ? "yes" : "no");
    if ((lost[0] || lost[1] || extra[0] || extra[1]) && !rule) {
        fprintf(stderr,
                "multiview-clip: FAIL: %s breaks multiview clipping but libparallax's auto rule "
                "(runtime/src/gpu/plx_multiview_quirk.h) renders it with one multiview pass\n",
                name);
        status = 1;
    }
    if (variant_ok[V_MV11] && rule)
        printf("note: this driver draws multiview correctly here; the auto rule could exclude its version\n");
    if (g.validation_messages) {
        fprintf(stderr, "multiview-clip: FAIL: %u validation messages\n", g.validation_messages);
        status = 1;
    }
done:
    destroy(&g);
    return status;
}
