/* SPDX-License-Identifier: MIT */
/* Layer 1, gpu: one multiview pass for both eyes, or a render pass per eye on a driver that loses primitives
 * of view 1 (plx_multiview_quirk.h; PARALLAX_MULTIVIEW_WORKAROUND=auto|on|off). May call base/.
 *
 * A pass per eye keeps every object the app's pipelines were built against: the render pass is ONE render
 * pass with view mask 0b01, begun twice per frame on framebuffers of one swapchain layer each (left, then
 * right), so a pipeline made for it is compatible with both instances. (Passes with view masks 0b01 and 0b10
 * would not be: render pass compatibility includes the view mask, VUID-vkCmdDraw-renderPass-02684.) In both
 * passes the eye drawn is view 0 (gl_ViewIndex 0), so between them the GPU swaps the eyes' entries of the
 * frame's uniforms (the right eye's matrices become view 0), and plx_frame_uniforms.time_s[1] says which eye
 * view 0 is. The app records once, into a secondary command buffer that both passes execute (slots.c). */
#include <stdlib.h>
#include <string.h>

#include "gpu/plx_gpu.h"
#include "gpu/plx_multiview_quirk.h"

enum { WORKAROUND_AUTO, WORKAROUND_ON, WORKAROUND_OFF };

static int workaround_from_env(const plx_report *r)
{
    const char *v = getenv("PARALLAX_MULTIVIEW_WORKAROUND");
    if (!v || !*v || strcmp(v, "auto") == 0) return WORKAROUND_AUTO;
    if (strcmp(v, "on") == 0) return WORKAROUND_ON;
    if (strcmp(v, "off") == 0) return WORKAROUND_OFF;
    plx_log(r, PLX_LOG_ERROR,
            "PARALLAX_MULTIVIEW_WORKAROUND=%.64s is not valid: expected auto|on|off (using auto)", v);
    return WORKAROUND_AUTO;
}

void plx_gpu_multiview_choose(plx_gpu *g)
{
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(g->vk.physical_device, &props);
    /* The driver's identity is a Vulkan 1.2 / VK_KHR_driver_properties query; the device may run 1.1, so
     * the struct may be chained only when the device offers the extension. */
    VkPhysicalDeviceDriverProperties driver = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
    if (g->vk.offers_driver_properties) {
        VkPhysicalDeviceProperties2 p2 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
                                          .pNext = &driver};
        vkGetPhysicalDeviceProperties2(g->vk.physical_device, &p2);
    }
    bool affected = plx_multiview_driver_drops_view1_clipped(driver.driverID, props.driverVersion);
    int setting = workaround_from_env(g->report);
    g->pass_per_eye = setting == WORKAROUND_ON || (setting == WORKAROUND_AUTO && affected);
    const char *why = setting == WORKAROUND_ON    ? "PARALLAX_MULTIVIEW_WORKAROUND=on"
                      : setting == WORKAROUND_OFF ? "PARALLAX_MULTIVIEW_WORKAROUND=off"
                      : affected ? "auto: this driver loses clipped primitives of view 1 in a multiview pass"
                                 : "auto";
    plx_log(g->report, affected && !g->pass_per_eye ? PLX_LOG_WARN : PLX_LOG_INFO,
            "multiview: %s (%s; driver %s %s)",
            g->pass_per_eye ? "a render pass per eye" : "one pass for both eyes", why,
            driver.driverName[0] ? driver.driverName : props.deviceName, driver.driverInfo);
}

void plx_gpu_uniforms_right_first(plx_frame_slot *slot)
{
    const plx_frame_uniforms *left = slot->ubo_mapped;
    plx_frame_uniforms *right =
        (plx_frame_uniforms *)((char *)slot->ubo_mapped + PLX_FRAME_UNIFORMS_RIGHT_FIRST);
    for (int eye = 0; eye < 2; eye++) {
        memcpy(right->view[eye], left->view[1 - eye], sizeof right->view[eye]);
        memcpy(right->proj[eye], left->proj[1 - eye], sizeof right->proj[eye]);
        memcpy(right->eye_position[eye], left->eye_position[1 - eye], sizeof right->eye_position[eye]);
    }
    memcpy(right->time_s, left->time_s, sizeof right->time_s);
    right->time_s[1] = 1.0f; /* view 0 draws the right eye */
    memcpy((char *)slot->ubo_mapped + PLX_FRAME_UNIFORMS_AS_WRITTEN, left, sizeof *left);
}

void plx_gpu_record_uniforms_switch(VkCommandBuffer cmd, VkBuffer ubo, bool right_first)
{
    /* The previous pass's draws and its latch check read the uniforms before they are overwritten (write
     * after read: an execution dependency is enough); what comes next reads them after. */
    const VkPipelineStageFlags readers = VK_PIPELINE_STAGE_VERTEX_SHADER_BIT |
                                         VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT |
                                         VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
    vkCmdPipelineBarrier(cmd, readers, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0, NULL, 0, NULL);
    VkBufferCopy copy = {
        .srcOffset = right_first ? PLX_FRAME_UNIFORMS_RIGHT_FIRST : PLX_FRAME_UNIFORMS_AS_WRITTEN,
        .dstOffset = 0,
        .size = sizeof(plx_frame_uniforms),
    };
    vkCmdCopyBuffer(cmd, ubo, ubo, 1, &copy);
    VkMemoryBarrier written = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_UNIFORM_READ_BIT,
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 1,
                         &written, 0, NULL, 0, NULL);
}
